//! SIGINT and SIGTERM while a template is being written: the temporary file is removed before
//! the process ends (exit 130 or 143, as a shell reports a process those signals ended), so
//! Ctrl-C or a CI runner's cancel never leaves a `.stackwire-*.tmp` file behind.
//!
//! The temporary file's path is registered here while it exists ([`Pending`]); the binary
//! ([`install`], from `main`) watches for the two signals on a thread of its own
//! (`signal-hook`'s iterator: the handler only writes to a pipe, everything else runs on that
//! thread, outside the signal handler, where removing a file and exiting are safe). The lock
//! that guards the path is held across the rename too, so a signal either removes the
//! temporary file before the rename (the old file stays) or waits until the new file is whole.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The temporary file being written, if one.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

fn pending() -> MutexGuard<'static, Option<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A registered temporary file: unregistered when dropped.
pub struct Pending(());

impl Pending {
    /// Creates the temporary file (`create`) and registers its path (`path`) with signals held
    /// off between the two: a signal is handled before the file exists (the watcher, holding
    /// the lock as the process exits, keeps it from being made) or once it is registered.
    pub fn create<F>(
        create: impl FnOnce() -> std::io::Result<F>,
        path: impl FnOnce(&F) -> PathBuf,
    ) -> std::io::Result<(F, Self)> {
        let mut guard = pending();
        let file = create()?;
        *guard = Some(path(&file));
        Ok((file, Pending(())))
    }

    /// Runs `f` (the rename) with signals held off: a signal that arrives meanwhile is
    /// handled once it is done, when the temporary file is gone.
    pub fn finish<T>(self, f: impl FnOnce() -> T) -> T {
        let mut guard = pending();
        let out = f();
        *guard = None;
        out
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        *pending() = None;
    }
}

/// Watches for SIGINT and SIGTERM: on either, removes the registered temporary file and exits
/// with 128 + the signal's number. Without a pending file, it exits the same way.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        // Without the watcher, a signal ends the process as it would have anyway.
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let guard = pending();
                if let Some(path) = guard.as_ref() {
                    let _ = std::fs::remove_file(path);
                }
                std::process::exit(128 + signal);
            }
        });
    drop(spawned);
}

#[cfg(not(unix))]
pub fn install() {}
