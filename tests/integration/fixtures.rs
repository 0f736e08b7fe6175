//! The fixtures, run through the whole command line in-process, against reviewed snapshots.
//!
//! - `fixtures/ok/*.yaml` compile (exit 0, no diagnostics); the snapshot is the exact template.
//! - `fixtures/warn/*.yaml` compile with warnings; the snapshot is the diagnostics, then the template.
//! - `fixtures/err/*.yaml` fail (exit 1, nothing on stdout); the snapshot is the diagnostics.
//!
//! A fixture whose first line is `# args: ...` passes those arguments to `stackwire compile`.

use crate::support::{compile_fixture, fixture_paths, run_args, run_fixture, settings};

#[test]
fn ok() {
    settings().bind(|| {
        insta::glob!("../../fixtures/ok", "*.yaml", |path| {
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
        insta::glob!("../../fixtures/warn", "*.yaml", |path| {
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
        insta::glob!("../../fixtures/err", "*.yaml", |path| {
            let out = compile_fixture(path);
            assert_eq!(out.code, 1, "{} did not fail as invalid", path.display());
            assert_eq!(out.stdout, "", "{} wrote a template", path.display());
            insta::assert_snapshot!(out.stderr);
        });
    });
}

/// `validate` weighs the template without writing it (the emitter counts its bytes): every
/// fixture gets the diagnostics, the exit code and the template sizes `compile` reports.
#[test]
fn validate_reports_what_compile_does() {
    let mut sized = 0;
    for kind in ["ok", "warn", "err"] {
        for path in fixture_paths(kind) {
            let compiled = run_fixture("compile", &path, &["--format", "json"]);
            let validated = run_fixture("validate", &path, &["--format", "json"]);
            assert_eq!(validated.code, compiled.code, "{}", path.display());
            assert_eq!(validated.stdout, compiled.stderr, "{}", path.display());
            sized += usize::from(compiled.stderr.contains("\"the template is "));
        }
    }
    // The size quotas themselves are among what is compared.
    assert!(sized >= 2, "{sized} fixtures report a template's size");
}

fn fixture_texts(kind: &str) -> Vec<(String, String)> {
    fixture_paths(kind)
        .into_iter()
        .map(|path| {
            let text = std::fs::read(&path).unwrap_or_default();
            let text = String::from_utf8_lossy(&text).into_owned();
            (path.display().to_string(), text)
        })
        .collect()
}

/// Every diagnostic code (`Problem::CODES`) is shown by at least one err or warn fixture (or,
/// for `import`'s codes, an import fixture), and
/// every code the fixtures show is in the list.
#[test]
fn every_code_has_a_fixture() {
    let codes = stackwire::diagnostics::Problem::CODES;
    assert!(codes.len() >= 25, "only {} codes found", codes.len());
    let mut outputs = String::new();
    for kind in ["err", "warn"] {
        for path in fixture_paths(kind) {
            outputs.push_str(&compile_fixture(&path).stderr);
        }
    }
    // `stackwire import`'s codes, from its fixtures.
    for dir in ["import", "import-err"] {
        for path in super::import::import_paths(dir) {
            outputs.push_str(&super::import::import_fixture(&path).stderr);
        }
    }
    let missing: Vec<&&str> = codes
        .iter()
        .filter(|c| !outputs.contains(&format!("{c}\n")))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
    // The codes the human report printed (`stackwire::name` alone at the end of a line).
    let shown: std::collections::BTreeSet<&str> = outputs
        .lines()
        .filter_map(|line| line.split_whitespace().last())
        .filter(|word| word.starts_with("stackwire::") && word.len() > "stackwire::".len())
        .collect();
    let unlisted: Vec<&&str> = shown.iter().filter(|c| !codes.contains(c)).collect();
    assert!(
        unlisted.is_empty(),
        "codes missing from Problem::CODES: {unlisted:?}"
    );
    assert_eq!(
        shown.len(),
        codes.len(),
        "codes read from the reports: {shown:?}"
    );
}

/// `Problem::CODES` names each code once, each of the form `stackwire::<snake_case>`.
#[test]
fn problem_codes_are_unique_and_well_formed() {
    let codes = stackwire::diagnostics::Problem::CODES;
    let unique: std::collections::BTreeSet<&str> = codes.iter().copied().collect();
    assert_eq!(
        unique.len(),
        codes.len(),
        "a code is listed twice: {codes:?}"
    );
    for code in codes {
        let name = code.strip_prefix("stackwire::").unwrap_or("");
        assert!(
            !name.is_empty()
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{code} is not `stackwire::<snake_case>`"
        );
    }
}

/// Together, the ok fixtures use every key of the format and every form of `existing`.
#[test]
fn ok_fixtures_cover_the_format() {
    use stackwire::format::keys::{self, names};
    let texts: String = fixture_texts("ok").into_iter().map(|(_, t)| t).collect();
    assert!(fixture_texts("ok").len() >= 20);
    let keys = [
        names(keys::STACK),
        names(stackwire::format::resources::stream::KEYS),
        names(stackwire::format::resources::function::KEYS),
        names(keys::WIRE_END),
        names(keys::EVENT),
        names(keys::DISCOVERY),
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
        let a = stackwire::compile(
            text.as_bytes(),
            &stackwire::Options::environment(Some("prod")),
        );
        let b = stackwire::compile(
            text.as_bytes(),
            &stackwire::Options::environment(Some("prod")),
        );
        assert!(a.template.is_some(), "{path}");
        assert_eq!(a.template, b.template, "{path}");
    }
}

const QUICKSTART: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ok/quickstart.yaml");

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"))
}

#[test]
fn writes_to_output_and_reads_stdin() {
    let dir = temp_dir();
    let out = dir.path().join("template.yaml");
    let out_s = out.to_string_lossy().into_owned();
    let r = run_args(&["stackwire", "compile", QUICKSTART, "-o", &out_s], b"");
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(written.starts_with("AWSTemplateFormatVersion: '2010-09-09'\n"));

    let stack = std::fs::read(QUICKSTART).unwrap_or_default();
    let r = run_args(&["stackwire", "compile", "-"], &stack);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, written, "stdin and file give the same template");
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("template.yaml")]);
}

#[test]
fn check_reports_a_stale_template_and_writes_nothing() {
    let dir = temp_dir();
    let out = dir.path().join("template.yaml");
    let out_s = out.to_string_lossy().into_owned();

    // Missing: stale, and --check does not create it.
    let r = run_args(
        &["stackwire", "compile", QUICKSTART, "-o", &out_s, "--check"],
        b"",
    );
    assert_eq!(r.code, stackwire::exit::STALE);
    assert!(
        r.stdout.contains("+AWSTemplateFormatVersion"),
        "{}",
        r.stdout
    );
    assert!(!out.exists());

    // Up to date: exit 0, silent.
    assert_eq!(
        run_args(&["stackwire", "compile", QUICKSTART, "-o", &out_s], b"").code,
        0
    );
    let r = run_args(
        &["stackwire", "compile", QUICKSTART, "-o", &out_s, "--check"],
        b"",
    );
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));

    // Edited by hand: stale, with a unified diff of the change; the file is left as it is.
    let edited = std::fs::read_to_string(&out)
        .unwrap_or_default()
        .replace("ShardCount: 2", "ShardCount: 3");
    std::fs::write(&out, &edited).unwrap_or_default();
    let r = run_args(
        &["stackwire", "compile", QUICKSTART, "-o", &out_s, "--check"],
        b"",
    );
    assert_eq!(r.code, stackwire::exit::STALE);
    assert!(
        r.stdout
            .contains("-      ShardCount: 3\n+      ShardCount: 2\n"),
        "{}",
        r.stdout
    );
    // The deploy guard's summary, then the unified diff.
    assert!(
        r.stdout.starts_with(
            "deploy guard: 1 update\n  update      Orders           AWS::Kinesis::Stream: changes ShardCount\n--- "
        ),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("out of date"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), edited);
}

#[test]
fn a_failed_compile_leaves_the_output_untouched() {
    let dir = temp_dir();
    let out = dir.path().join("template.yaml");
    std::fs::write(&out, "previous template\n").unwrap_or_default();
    let bad = dir.path().join("stack.yaml");
    std::fs::write(
        &bad,
        "resources:\n  S:\n    type: Stream\n    shardCount: 0\n",
    )
    .unwrap_or_default();
    let r = run_args(
        &[
            "stackwire",
            "compile",
            &bad.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
        ],
        b"",
    );
    assert_eq!(r.code, stackwire::exit::INVALID);
    assert!(r.stderr.contains("stackwire::out_of_range"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap_or_default(),
        "previous template\n"
    );
}

#[test]
fn exit_codes_for_usage_and_io_errors() {
    let dir = temp_dir();
    let missing = dir.path().join("missing.yaml");
    let r = run_args(&["stackwire", "compile", &missing.to_string_lossy()], b"");
    assert_eq!(r.code, stackwire::exit::IO);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);

    let into_missing_dir = dir.path().join("no/such/dir/template.yaml");
    let r = run_args(
        &[
            "stackwire",
            "compile",
            QUICKSTART,
            "-o",
            &into_missing_dir.to_string_lossy(),
        ],
        b"",
    );
    assert_eq!(r.code, stackwire::exit::IO);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);

    assert_eq!(
        run_args(&["stackwire", "compile", QUICKSTART, "--check"], b"").code,
        stackwire::exit::USAGE
    );
    assert_eq!(
        run_args(&["stackwire", "compile", "--bogus"], b"").code,
        stackwire::exit::USAGE
    );
    assert_eq!(
        run_args(
            &["stackwire", "compile", QUICKSTART, "--environment", "a b"],
            b""
        )
        .code,
        stackwire::exit::USAGE
    );
    assert_eq!(run_args(&["stackwire"], b"").code, stackwire::exit::USAGE);
    let help = run_args(&["stackwire", "compile", "--help"], b"");
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--check"));
}

#[test]
fn all_problems_in_a_file_are_reported_in_one_run() {
    let text = "resources:\n  S:\n    type: Stream\n    shardCount: 0\n    retain: on\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handlr: x\nwires:\n  - {from: S, to: G}\n";
    let c = stackwire::compile(text.as_bytes(), &stackwire::Options::default());
    assert!(c.template.is_none());
    let codes: Vec<String> = c
        .problems
        .iter()
        .filter_map(|p| miette::Diagnostic::code(p).map(|c| c.to_string()))
        .collect();
    assert_eq!(
        codes,
        [
            "stackwire::out_of_range",
            "stackwire::wrong_type",
            "stackwire::missing_key",
            "stackwire::unknown_key",
            "stackwire::unknown_wire_end"
        ]
    );
}

#[test]
fn validate_reports_every_problem_in_every_file() {
    let dir = temp_dir();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "resources:\n  S:\n    type: Stream\n    shardCount: 0\n",
    )
    .unwrap_or_default();
    let worse = dir.path().join("worse.yaml");
    std::fs::write(&worse, "resources:\n  F:\n    type: Function\n").unwrap_or_default();
    let (bad_s, worse_s) = (
        bad.to_string_lossy().into_owned(),
        worse.to_string_lossy().into_owned(),
    );

    let r = run_args(&["stackwire", "validate", QUICKSTART], b"");
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));

    let r = run_args(
        &["stackwire", "validate", &bad_s, QUICKSTART, &worse_s],
        b"",
    );
    assert_eq!(r.code, stackwire::exit::INVALID);
    assert!(r.stderr.contains("bad.yaml: 1 error"), "{}", r.stderr);
    assert!(r.stderr.contains("worse.yaml: 2 errors"), "{}", r.stderr);
    assert_eq!(r.stdout, "");

    let missing = dir.path().join("missing.yaml");
    let r = run_args(
        &["stackwire", "validate", &missing.to_string_lossy(), &bad_s],
        b"",
    );
    assert_eq!(r.code, stackwire::exit::IO);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.yaml: 1 error"),
        "the readable file is still checked: {}",
        r.stderr
    );
}
