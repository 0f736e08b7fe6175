//! Running stackwire's command line in-process, as `main` would, on the fixtures.

use std::path::Path;

use stackwire::{Io, run};

pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_args(args: &[&str], stdin: &[u8]) -> Outcome {
    run_cli(args.iter().copied(), &mut { stdin }, false)
}

/// Runs the command line in-process, as `main` would, and captures what it writes.
pub fn run_cli<I, T>(args: I, stdin: &mut dyn std::io::Read, color: bool) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = Io {
        stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        color,
    };
    let code = run(args, &mut io);
    Outcome {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Compiles a fixture as `stackwire compile fixtures/<kind>/<name>.yaml [args]`.
pub fn compile_fixture(path: &Path) -> Outcome {
    run_fixture("compile", path, &[])
}

/// Runs `stackwire <command> fixtures/<kind>/<name>.yaml <options> [args]`, where `args` are
/// those of the fixture's first line, `# args: ...`.
pub fn run_fixture(command: &str, path: &Path, options: &[&str]) -> Outcome {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path);
    let relative = relative.to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let extra: Vec<&str> = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# args:"))
        .map(|a| a.split_whitespace().collect())
        .unwrap_or_default();
    let mut args = vec!["stackwire", command, relative.as_str()];
    args.extend(options);
    args.extend(extra);
    run_args(&args, b"")
}

/// The fixtures of one kind (`ok`, `warn`, `err`), sorted.
pub fn fixture_paths(kind: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(kind);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
}
