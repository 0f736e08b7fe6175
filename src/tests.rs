//! The fixtures, run through the whole command line in-process, against reviewed snapshots.
//!
//! - `fixtures/ok/*.yaml` compile (exit 0, no diagnostics); the snapshot is the exact template.
//! - `fixtures/warn/*.yaml` compile with warnings; the snapshot is the diagnostics, then the template.
//! - `fixtures/err/*.yaml` fail (exit 1, nothing on stdout); the snapshot is the diagnostics.
//!
//! A fixture whose first line is `# args: ...` passes those arguments to `stackwire compile`.

use std::path::Path;

use crate::{Io, run};

pub(crate) struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn run_args(args: &[&str], stdin: &[u8]) -> Outcome {
    let mut stdin = stdin;
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = Io {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        color: false,
    };
    let code = run(args.iter().copied(), &mut io);
    Outcome {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Compiles a fixture as `stackwire compile fixtures/<kind>/<name>.yaml [args]`.
pub(crate) fn compile_fixture(path: &Path) -> Outcome {
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
    let mut args = vec!["stackwire", "compile", relative.as_str()];
    args.extend(extra);
    run_args(&args, b"")
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn ok() {
    settings().bind(|| {
        insta::glob!("../fixtures/ok", "*.yaml", |path| {
            let out = compile_fixture(path);
            assert_eq!(out.stderr, "", "{} printed diagnostics", path.display());
            assert_eq!(out.code, 0, "{} did not compile", path.display());
            insta::assert_snapshot!(out.stdout);
        });
    });
}

#[test]
fn warn() {
    settings().bind(|| {
        insta::glob!("../fixtures/warn", "*.yaml", |path| {
            let out = compile_fixture(path);
            assert_eq!(out.code, 0, "{} did not compile", path.display());
            assert!(
                out.stderr.contains("Warning:"),
                "{} warned of nothing",
                path.display()
            );
            assert!(
                !out.stderr.contains("Error:"),
                "{} has errors",
                path.display()
            );
            insta::assert_snapshot!(format!("{}\n--- template ---\n{}", out.stderr, out.stdout));
        });
    });
}

#[test]
fn err() {
    settings().bind(|| {
        insta::glob!("../fixtures/err", "*.yaml", |path| {
            let out = compile_fixture(path);
            assert_eq!(out.code, 1, "{} did not fail as invalid", path.display());
            assert_eq!(out.stdout, "", "{} wrote a template", path.display());
            insta::assert_snapshot!(out.stderr);
        });
    });
}

/// The fixtures of one kind (`ok`, `warn`, `err`), sorted.
pub(crate) fn fixture_paths(kind: &str) -> Vec<std::path::PathBuf> {
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

fn fixture_texts(kind: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(kind);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read(&path).unwrap_or_default();
            out.push((
                path.display().to_string(),
                String::from_utf8_lossy(&text).into_owned(),
            ));
        }
    }
    out.sort();
    out
}

/// Every diagnostic code in `diagnostic.rs` is shown by at least one err or warn fixture.
#[test]
fn every_code_has_a_fixture() {
    let source = include_str!("diagnostic.rs");
    let codes: Vec<&str> = source
        .split("code(stackwire::")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(codes.len() >= 25, "only {} codes found", codes.len());
    let mut outputs = String::new();
    for kind in ["err", "warn"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(kind);
        for (path, _) in fixture_texts(kind) {
            outputs.push_str(&compile_fixture(&dir.join(Path::new(&path))).stderr);
        }
    }
    let missing: Vec<&&str> = codes
        .iter()
        .filter(|c| !outputs.contains(&format!("stackwire::{c}\n")))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

/// Together, the ok fixtures use every key of the format and every form of `existing`.
#[test]
fn ok_fixtures_cover_the_format() {
    use crate::parse::{
        DISCOVERY_KEYS, EVENT_KEYS, FUNCTION_KEYS, STACK_KEYS, STREAM_KEYS, WIRE_END_KEYS,
    };
    let texts: String = fixture_texts("ok").into_iter().map(|(_, t)| t).collect();
    assert!(fixture_texts("ok").len() >= 20);
    let keys = [
        STACK_KEYS,
        STREAM_KEYS,
        FUNCTION_KEYS,
        WIRE_END_KEYS,
        EVENT_KEYS,
        DISCOVERY_KEYS,
    ];
    let missing: Vec<&str> = keys
        .iter()
        .flat_map(|k| k.iter().copied())
        .filter(|k| {
            !texts.contains(&format!(" {k}:"))
                && !texts.contains(&format!("\n{k}:"))
                && !texts.contains(&format!("{{{k}:"))
        })
        .collect();
    assert!(missing.is_empty(), "keys no ok fixture uses: {missing:?}");
    for form in ["existing: arn:", "existing: {env:", "existing: {parameter:"] {
        assert!(texts.contains(form), "no ok fixture uses `{form}`");
    }
}

#[test]
fn compiling_twice_gives_the_same_bytes() {
    for (path, text) in fixture_texts("ok") {
        let a = crate::compile(text.as_bytes(), Some("prod"));
        let b = crate::compile(text.as_bytes(), Some("prod"));
        assert!(a.template.is_some(), "{path}");
        assert_eq!(a.template, b.template, "{path}");
    }
}
