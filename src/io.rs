//! Where a run reads and writes, and how it ends: the streams a command uses (so tests can run
//! the whole command line in-process), the exit codes, and reading input files within the
//! size limit. Below the commands; no stage of the pipeline reads or writes anything.

use std::io::{Read, Write};
use std::path::Path;

use crate::diagnostics::thousands;
use crate::limits::MAX_STACK_BYTES;

/// Exit codes, as SPEC section 3 defines them.
pub mod exit {
    pub const OK: i32 = 0;
    /// The stack has errors.
    pub const INVALID: i32 = 1;
    pub const USAGE: i32 = 2;
    /// A file could not be read or written.
    pub const IO: i32 = 3;
    /// `--check` found the template out of date.
    pub const STALE: i32 = 4;
    /// `diff`: the deploy would delete or replace data, or restart a mapping, unallowed.
    pub const DESTRUCTIVE: i32 = 5;
    /// `init`: a file it would write exists already (it wrote nothing).
    pub const EXISTS: i32 = 6;
}

/// Where a run reads and writes.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Colour in human-readable diagnostics under `--color auto` (standard error is a terminal
    /// and `NO_COLOR` is not set; see `report::auto_color`).
    pub color: bool,
}

/// Standard input when the process was started with it closed (file descriptor 0 not open):
/// reading it is an error, exit 3, not an empty stack. (Rust's own standard input reads a
/// closed descriptor as empty.)
pub struct ClosedStdin;

impl Read for ClosedStdin {
    fn read(&mut self, _buf: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other(
            "it is closed (file descriptor 0 is not open)",
        ))
    }
}

/// Whether this process was started with its standard input closed. Rust's runtime opens
/// `/dev/null` read-write on a closed descriptor 0 before `main`; a shell's `< /dev/null` opens
/// it read-only. So: descriptor 0 not open, or `/dev/null` open for reading and writing.
#[cfg(unix)]
pub fn stdin_is_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return true;
    };
    let Ok(meta) = std::fs::File::from(fd).metadata() else {
        return false;
    };
    let dev_null = std::fs::metadata("/dev/null")
        .is_ok_and(|null| meta.file_type().is_char_device() && meta.rdev() == null.rdev());
    // SAFETY: F_GETFL on descriptor 0 reads its flags and changes nothing.
    let flags = unsafe { libc::fcntl(0, libc::F_GETFL) };
    dev_null && flags >= 0 && flags & libc::O_ACCMODE == libc::O_RDWR
}

#[cfg(not(unix))]
pub fn stdin_is_closed() -> bool {
    false
}

/// The name diagnostics show for standard input.
pub const STDIN: &str = "<stdin>";

/// An input file, read: the name to show and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why an input could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot read {what}: {why}")]
pub struct ReadError {
    /// The name to show (the path as given, or [`STDIN`]).
    pub name: String,
    /// The input as messages name it: `` `stack.yaml` `` or `standard input`.
    what: String,
    why: ReadFailure,
}

#[derive(Debug, Clone, thiserror::Error)]
enum ReadFailure {
    #[error("{0}")]
    Io(String),
    #[error(
        "it is larger than {} bytes, the most stackwire reads (a stack description is far smaller)",
        thousands(MAX_STACK_BYTES)
    )]
    TooLarge,
}

/// Reads a stack file, or standard input for `-`, refusing (without reading on) input larger
/// than [`MAX_STACK_BYTES`].
pub fn read_input(path: &Path, io: &mut Io<'_>) -> Result<Input, ReadError> {
    if path.as_os_str() == "-" {
        return read_capped(
            &mut io.stdin,
            0,
            STDIN.to_owned(),
            "standard input".to_owned(),
        );
    }
    read_file(path)
}

/// Reads a stack file, refusing one larger than [`MAX_STACK_BYTES`].
pub fn read_file(path: &Path) -> Result<Input, ReadError> {
    let name = path.display().to_string();
    let what = format!("`{name}`");
    match std::fs::File::open(path) {
        Ok(mut file) => {
            // A regular file's length is known: read into a buffer of that size (a byte more,
            // for the probe that finds its end) instead of one doubled as it fills.
            let size = file.metadata().map_or(0, |m| m.len());
            let hint = usize::try_from(size).map_or(0, |n| n.min(MAX_STACK_BYTES) + 1);
            read_capped(&mut file, hint, name, what)
        }
        Err(e) => Err(ReadError {
            name,
            what,
            why: ReadFailure::Io(e.to_string()),
        }),
    }
}

/// Reads at most [`MAX_STACK_BYTES`] (and one more byte, to tell that there is more), into a
/// buffer made for `hint` bytes at first.
fn read_capped(
    from: &mut dyn Read,
    hint: usize,
    name: String,
    what: String,
) -> Result<Input, ReadError> {
    let mut bytes = Vec::with_capacity(hint);
    let limit = u64::try_from(MAX_STACK_BYTES).unwrap_or(u64::MAX);
    let failed = |why| ReadError {
        name: name.clone(),
        what: what.clone(),
        why,
    };
    from.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| failed(ReadFailure::Io(e.to_string())))?;
    if bytes.len() > MAX_STACK_BYTES {
        return Err(failed(ReadFailure::TooLarge));
    }
    Ok(Input { name, bytes })
}

/// Whether two paths name one existing file, however they reach it: links, `..`, hard links,
/// bind mounts (the file's identity, its device and inode, not its path).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => same_identity(&a, &b),
        _ => false,
    }
}

#[cfg(unix)]
fn same_identity(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_identity(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}
