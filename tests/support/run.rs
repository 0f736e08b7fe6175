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
    compile_fixture_with(path, &[])
}

/// [`compile_fixture`] with `more` arguments after the fixture's own.
pub fn compile_fixture_with(path: &Path, more: &[&str]) -> Outcome {
    fixture_run("compile", path, &[], more)
}

/// Runs `stackwire <command> fixtures/<kind>/<name>.yaml <options> [args]`, where `args` are
/// those of the fixture's first line, `# args: ...`.
pub fn run_fixture(command: &str, path: &Path, options: &[&str]) -> Outcome {
    fixture_run(command, path, options, &[])
}

/// `stackwire <command> <fixture> <before> [the fixture's args] <after>`.
fn fixture_run(command: &str, path: &Path, before: &[&str], after: &[&str]) -> Outcome {
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
    args.extend(before);
    args.extend(extra);
    args.extend(after);
    run_args(&args, b"")
}

/// The `fixtures/ok` stacks that `--target cloudformation` refuses: they pass through content
/// only SAM's transform expands (an `Api` event, a `Schedule` event). The `cloudformation`
/// tests check that it refuses each, and compare every other stack with the translator.
pub const NEEDS_SAM_TRANSFORM: &[&str] = &["passthru-api-schedule"];

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

/// Snapshots live in `snapshots/`, named by the test alone.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}
