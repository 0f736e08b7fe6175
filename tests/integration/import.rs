//! `stackwire import` on every import fixture, against reviewed snapshots; and each imported
//! stack compiled back.
//!
//! - `fixtures/import/*.{yaml,json}`: Stackery-shaped templates (and hand-written SAM, and
//!   JSON). The import succeeds; the snapshot is the report (standard error), then the stack
//!   description. The stack compiles with no error.
//! - `fixtures/import-err/*`: templates that cannot be imported: exit 1, nothing on standard
//!   output; the snapshot is the report.

use std::path::{Path, PathBuf};

use crate::support::{Outcome, run_cli, settings};

/// The import fixtures of one folder, sorted.
pub fn import_paths(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    paths
}

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// `stackwire import <fixture>`.
pub fn import_fixture(path: &Path) -> Outcome {
    let name = relative(path);
    run_cli(["stackwire", "import", name.as_str()], &mut &b""[..], false)
}

/// The environment an imported stack compiles for: the one the template's Parameter Store
/// defaults name, else `prod`.
pub fn environment(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    stackwire::import::import(&bytes)
        .environment
        .unwrap_or_else(|| "prod".to_owned())
}

/// `stackwire compile - --environment <env>` on an imported stack.
pub fn compile_stack(stack: &str, environment: &str) -> Outcome {
    run_cli(
        ["stackwire", "compile", "-", "--environment", environment],
        &mut stack.as_bytes(),
        false,
    )
}

/// Whether a human report holds an error (a line `Error: stackwire::<code>`).
fn has_error(report: &str) -> bool {
    report.lines().any(|l| l.starts_with("Error:"))
}

#[test]
fn every_import_fixture_imports_and_compiles() {
    let paths = import_paths("import");
    assert!(paths.len() >= 14, "only {} import fixtures", paths.len());
    settings().bind(|| {
        for path in &paths {
            let out = import_fixture(path);
            assert_eq!(
                out.code,
                0,
                "{} did not import:\n{}",
                path.display(),
                out.stderr
            );
            assert!(!has_error(&out.stderr), "{} has errors", path.display());
            let compiled = compile_stack(&out.stdout, &environment(path));
            assert_eq!(
                compiled.code,
                0,
                "the stack imported from {} does not compile:\n{}\n{}",
                path.display(),
                compiled.stderr,
                out.stdout
            );
            assert!(
                !has_error(&compiled.stderr),
                "{}: {}",
                path.display(),
                compiled.stderr
            );
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            insta::assert_snapshot!(
                format!("import@{name}"),
                format!("{}\n--- stack ---\n{}", out.stderr, out.stdout)
            );
        }
    });
}

#[test]
fn bad_templates_are_reported() {
    let paths = import_paths("import-err");
    assert!(!paths.is_empty(), "no import-err fixtures");
    settings().bind(|| {
        for path in &paths {
            let out = import_fixture(path);
            assert_eq!(
                out.code,
                1,
                "{} did not fail as invalid:\n{}",
                path.display(),
                out.stderr
            );
            assert_eq!(out.stdout, "", "{} wrote a stack", path.display());
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            insta::assert_snapshot!(format!("import-err@{name}"), out.stderr);
        }
    });
}

/// The import is the same bytes on every run, and `-o` writes what standard output shows.
#[test]
fn import_is_deterministic_and_writes_atomically() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/stackery-basic.yaml");
    let first = import_fixture(&path);
    for _ in 0..3 {
        assert_eq!(import_fixture(&path).stdout, first.stdout);
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("stack.yaml");
    let shown = out.display().to_string();
    let template = relative(&path);
    let run = run_cli(
        [
            "stackwire",
            "import",
            template.as_str(),
            "-o",
            shown.as_str(),
        ],
        &mut &b""[..],
        false,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap_or_default(),
        first.stdout
    );
    // Standard input reads the same template.
    let bytes = std::fs::read(&path).unwrap_or_default();
    let piped = run_cli(["stackwire", "import", "-"], &mut bytes.as_slice(), false);
    assert_eq!(piped.stdout, first.stdout);
    // `-o` naming the template itself is refused, and the template is left alone.
    let copy = dir.path().join("template.yaml");
    std::fs::write(&copy, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let copy = copy.display().to_string();
    let same = run_cli(
        ["stackwire", "import", copy.as_str(), "-o", copy.as_str()],
        &mut &b""[..],
        false,
    );
    assert_eq!(same.code, 2);
    assert_eq!(std::fs::read(&copy).unwrap_or_default(), bytes);
}

/// A template too large for stackwire is refused as compile refuses a stack, without reading on.
#[test]
fn huge_templates_are_refused_within_the_limits() {
    let mut huge = b"Resources:\n".to_vec();
    while huge.len() <= stackwire::limits::MAX_STACK_BYTES {
        huge.extend_from_slice(b"  # padding padding padding padding padding padding padding\n");
    }
    let out = run_cli(["stackwire", "import", "-"], &mut huge.as_slice(), false);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
    // Deep nesting and alias bombs are the reader's limits, as for compile.
    let deep = format!("Resources:\n  A: {}{}\n", "[".repeat(200), "]".repeat(200));
    let out = run_cli(["stackwire", "import", "-"], &mut deep.as_bytes(), false);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("nested"), "{}", out.stderr);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_owned()
        } else {
            format!("a{}", i - 1)
        };
        bomb.push_str(&format!("a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    bomb.push_str("Resources: {}\n");
    let out = run_cli(["stackwire", "import", "-"], &mut bomb.as_bytes(), false);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("alias"), "{}", out.stderr);
}

/// JSON as CloudFormation takes it: tab-indented, with a byte order mark, long-form intrinsics.
#[test]
fn json_templates_are_read() {
    let template = "\u{feff}{\n\t\"Resources\": {\n\t\t\"S\": {\"Type\": \"AWS::Kinesis::Stream\", \"Properties\": {\"ShardCount\": 2}},\n\t\t\"F\": {\"Type\": \"AWS::Serverless::Function\", \"Properties\": {\n\t\t\t\"CodeUri\": \"src/F\", \"Handler\": \"index.handler\", \"Runtime\": \"nodejs22.x\",\n\t\t\t\"Events\": {\"S\": {\"Type\": \"Kinesis\", \"Properties\": {\"Stream\": {\"Fn::GetAtt\": \"S.Arn\"}, \"StartingPosition\": \"LATEST\", \"BatchSize\": 1}}}\n\t\t}}\n\t}\n}\n";
    let out = run_cli(
        ["stackwire", "import", "-"],
        &mut template.as_bytes(),
        false,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "resources:\n  S:\n    type: Stream\n    shardCount: 2\n    encryption: none\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: index.handler\nwires:\n  - from: S\n    to: F\n    startingPosition: LATEST\n"
    );
}

/// `--format json` writes the report as JSON on standard error, the stack on standard output.
#[test]
fn the_report_takes_every_format() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/stackery-existing-env.yaml");
    let name = relative(&path);
    let out = run_cli(
        ["stackwire", "import", name.as_str(), "--format", "json"],
        &mut &b""[..],
        false,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&out.stderr).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        codes,
        [
            "stackwire::import_use_existing",
            "stackwire::import_env_false_creates"
        ]
    );
    assert!(out.stdout.contains("env: streams.clicks"), "{}", out.stdout);
    let github = run_cli(
        ["stackwire", "import", name.as_str(), "--format", "github"],
        &mut &b""[..],
        false,
    );
    assert_eq!(github.stderr.lines().count(), 2, "{}", github.stderr);
    assert!(
        github.stderr.starts_with("::warning file="),
        "{}",
        github.stderr
    );
}
