//! File names as GitHub and SARIF want them.

use std::path::{Component, Path};

/// A file name relative to the current folder when it is inside it, `/`-separated, without
/// `./`. `None` for a path outside the current folder, given as an absolute one.
pub(super) fn relative(name: &str) -> Option<String> {
    let path = Path::new(name);
    let path = if path.is_absolute() {
        let cwd = std::env::current_dir().ok()?;
        path.strip_prefix(&cwd).ok()?
    } else {
        path
    };
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The name to give GitHub: repository-relative when it can be, else as given.
pub(super) fn repo_path(name: &str) -> String {
    relative(name).unwrap_or_else(|| name.to_owned())
}

/// Percent-encodes all but unreserved characters and `/` (RFC 3986).
pub(super) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
