//! Writing the template: atomically, so that a failed or interrupted run never leaves a partial
//! or emptied file; and comparing it with what is on disk for `--check`.

use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` so that a failed or interrupted run leaves either the old file or
/// the whole new one, never a mix, a part or an empty file:
///
/// 1. the bytes go to a temporary file in the same folder (`.stackwire-XXXXXX.tmp`), which gets
///    the permissions of the file it replaces (`0644` for a new one);
/// 2. the temporary file is synced to disk, then renamed over `path` (atomic within a folder);
/// 3. the folder is synced, so the rename itself survives a crash.
///
/// On an error before the rename, the temporary file is removed and `path` is as it was. A
/// symbolic link is followed (the file it points to is replaced, the link kept). A path that is
/// not a regular file (`/dev/stdout`, a pipe) is written straight into, as no rename can
/// replace it.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic_with(path, contents, |file, bytes| file.write_all(bytes))
}

/// [`write_atomic`] with the writing step given, so tests can make it fail part-way.
#[doc(hidden)]
pub fn write_atomic_with(
    path: &Path,
    contents: &[u8],
    write: impl FnOnce(&mut std::fs::File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let target = match std::fs::canonicalize(path) {
        Ok(target) => target,
        // A link to a file that does not exist yet: the file is created where it points.
        Err(e) if e.kind() == io::ErrorKind::NotFound => dangling_target(path)?,
        Err(e) => return Err(e),
    };
    let permissions = match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Some(meta.permissions()),
        Ok(meta) if meta.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a folder",
            ));
        }
        Ok(_) => {
            let mut file = std::fs::OpenOptions::new().write(true).open(&target)?;
            write(&mut file, contents)?;
            return file.flush();
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => default_permissions(),
        Err(e) => return Err(e),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Until the rename, SIGINT or SIGTERM removes the temporary file (`crate::interrupt`).
    let (mut tmp, pending) = crate::interrupt::Pending::create(
        || {
            tempfile::Builder::new()
                .prefix(".stackwire-")
                .suffix(".tmp")
                .tempfile_in(dir)
        },
        |tmp| tmp.path().to_path_buf(),
    )?;
    write(tmp.as_file_mut(), contents)?;
    if let Some(permissions) = permissions {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.as_file().sync_all()?;
    pending.finish(|| tmp.persist(&target).map_err(|e| e.error))?;
    sync_dir(dir)
}

/// Where a path that does not name an existing file leads: through every symbolic link (at
/// most 40, as Linux follows), to the path that does not exist yet. A path that is no link is
/// itself.
fn dangling_target(path: &Path) -> io::Result<std::path::PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(parent) if to.is_relative() => parent.join(to),
                    _ => to,
                };
            }
            Ok(_) => return Ok(at),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(at),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Syncs a folder, so that a rename in it is on disk. Where a platform or file system cannot
/// sync a folder, there is nothing more to do.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    match std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    // A template is an ordinary file, read by other tools and people: rw-r--r--.
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// A unified diff from the file on disk to the template that would be written.
pub fn unified_diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (compiled)"))
        .to_string()
}
