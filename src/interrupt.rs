//! SIGINT and SIGTERM while a template is being written: the temporary file is removed before
//! the process ends (exit 130 or 143, as a shell reports a process those signals ended), so
//! Ctrl-C or a CI runner's cancel never leaves a `.stackwire-*.tmp` file behind.
//!
//! The temporary file's path is registered here while it exists ([`Pending`]). The binary
//! ([`install`], from `main`) asks for the two signals to be watched; the watcher starts with
//! the first temporary file, on a thread of its own (`signal-hook`'s iterator: the handler only
//! writes to a pipe, everything else runs on that thread, outside the signal handler, where
//! removing a file and exiting are safe). Before that nothing has been written, and a signal
//! ends the process as it always would (a shell reports 130 or 143 then too); a run that writes
//! nothing (`validate`, `compile` to standard output) never starts the thread. The lock that
//! guards the path is held across the rename too, so a signal either removes the temporary file
//! before the rename (the old file stays) or waits until the new file is whole.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

/// The temporary file being written, if one.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The binary watches for signals (a library caller's process keeps its own handling).
static WATCH: AtomicBool = AtomicBool::new(false);
static WATCHING: Once = Once::new();

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
        if WATCH.load(Ordering::Relaxed) {
            WATCHING.call_once(watch);
        }
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

/// From the first temporary file on, SIGINT and SIGTERM remove the registered temporary file
/// and exit with 128 + the signal's number.
pub fn install() {
    WATCH.store(true, Ordering::Relaxed);
}

/// Watches for SIGINT and SIGTERM: on either, removes the registered temporary file and exits
/// with 128 + the signal's number. Without a pending file, it exits the same way.
#[cfg(unix)]
fn watch() {
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
fn watch() {}
