//! Hardening, round two: each defect found by trying stackwire as an adversary would, with the
//! test that it stays fixed. Text from the input or the command line never reaches a terminal
//! or a CI log raw; inputs under the size limit stay near-linear; files and standard streams
//! keep the README's promises however two names reach one file.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stackwire::exit;

fn stackwire() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_stackwire"))
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

const STACK: &str = "resources:\n  Orders:\n    type: Stream\n";

/// Runs the binary in `dir`; exit code, standard output, standard error.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(stackwire())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run stackwire: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// No control character but line feeds, and no line GitHub Actions would read as a workflow
/// command, whatever the format printed.
fn assert_inert(what: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        assert!(
            !line.trim_start().starts_with("::error file=x"),
            "{what}: line {} is a workflow command: {line:?}",
            i + 1
        );
        assert!(
            !line.chars().any(|c| c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}')),
            "{what}: line {} holds a control or bidi character: {line:?}",
            i + 1
        );
    }
}

#[test]
fn user_text_in_the_human_report_is_escaped() {
    let dir = temp_dir();
    // Keys, a value, a wire end and a type with ESC, BEL, CR, a line feed that starts a
    // workflow command, a bidi override and a zero-width space.
    let hostile = "resources:\n  \"\\e]0;pwned\\a\\e[2J\": 1\n  \"a\\n::error file=x::owned\": 2\n  S:\n    type: \"Str\\u202Eeam\\e[31m\"\n  T:\n    type: Stream\n    \"shard\\rCount\\u200B\": 1\n    tags: {k: \"\\n::error file=x::v\"}\nwires:\n  - {from: \"T\\n::error file=x::w\", to: \"\\e[2J\"}\n";
    write(&dir.path().join("stack.yaml"), hostile.as_bytes());
    for args in [
        &["validate", "stack.yaml", "--color", "never"][..],
        &["validate", "stack.yaml", "--color", "always"],
        &["validate", "stack.yaml", "--color", "never", "--plain"],
        &["compile", "stack.yaml", "--color", "never"],
    ] {
        let (code, stdout, stderr) = run(dir.path(), args);
        assert_eq!(code, exit::INVALID, "{args:?}: {stderr}");
        assert_inert(&format!("{args:?} stdout"), &stdout);
        // Colour codes are stackwire's own; every other ESC is the input's.
        let uncoloured = strip_sgr(&stderr);
        assert_inert(&format!("{args:?} stderr"), &uncoloured);
        assert!(stderr.contains("\\u{001B}"), "{args:?}: {stderr}");
        assert!(stderr.contains("\\u{000A}::error"), "{args:?}: {stderr}");
    }
    // The machine formats keep their own escaping.
    // (JSON strings may hold bidi characters as they are; no control character, no line.)
    for format in ["json", "sarif", "github"] {
        let (_, stdout, _) = run(dir.path(), &["validate", "stack.yaml", "--format", format]);
        assert!(
            !stdout.chars().any(|c| c.is_control() && c != '\n'),
            "{format}: {stdout}"
        );
        assert!(
            !stdout
                .lines()
                .any(|l| l.trim_start().starts_with("::error file=x")),
            "{format}"
        );
    }
}

/// `text` without the colour sequences miette writes (`ESC [ ... m`).
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1B}' && chars.peek() == Some(&'[') {
            let mut seq = String::new();
            for d in chars.by_ref() {
                seq.push(d);
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
            if seq.ends_with('m')
                && seq[1..seq.len() - 1]
                    .chars()
                    .all(|d| d.is_ascii_digit() || d == ';')
            {
                continue;
            }
            out.push(c);
            out.push_str(&seq);
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn file_names_in_every_human_line_are_escaped() {
    let dir = temp_dir();
    let name = "a\u{1B}[2J\n::error file=x::n.yaml";
    write(
        &dir.path().join(name),
        b"resources:\n  S:\n    type: Stream\n    shardCont: 1\n",
    );
    let (code, _, stderr) = run(dir.path(), &["validate", name, "--color", "never"]);
    assert_eq!(code, exit::INVALID);
    assert_inert("a problem in a hostile file name", &stderr);
    let (code, _, stderr) = run(dir.path(), &["validate", "missing\u{7}\n::error file=x::m"]);
    assert_eq!(code, exit::IO);
    assert_inert("an unreadable hostile file name", &stderr);
    // Usage errors quote the argument too.
    let (code, _, stderr) = run(
        dir.path(),
        &["validate", "--format", "\u{1B}[2J\n::error file=x::f"],
    );
    assert_eq!(code, exit::USAGE);
    assert_inert("a hostile flag value", &stderr);
}

#[test]
fn a_lone_cr_file_shows_the_right_line() {
    let dir = temp_dir();
    write(
        &dir.path().join("cr.yaml"),
        b"resources:\r  S:\r    type: Stream\r    shardCont: 1\r",
    );
    let (code, _, stderr) = run(dir.path(), &["validate", "cr.yaml", "--color", "never"]);
    assert_eq!(code, exit::INVALID);
    assert!(stderr.contains("[cr.yaml:4:5]"), "{stderr}");
    assert!(stderr.contains(" 4 │     shardCont: 1"), "{stderr}");
}

#[test]
fn explicit_core_tags_are_refused() {
    let dir = temp_dir();
    for value in [
        "!!binary aGVsbG8=",
        "!!str 2",
        "!!int \"2\"",
        "!<tag:yaml.org,2002:str> 2",
    ] {
        let text = format!("resources:\n  S:\n    type: Stream\n    shardCount: {value}\n");
        write(&dir.path().join("s.yaml"), text.as_bytes());
        let (code, _, stderr) = run(dir.path(), &["validate", "s.yaml", "--color", "never"]);
        assert_eq!(code, exit::INVALID, "{value}");
        assert!(
            stderr.contains("stackwire::yaml_syntax"),
            "{value}: {stderr}"
        );
        assert!(!stderr.contains("remove the quotes"), "{value}: {stderr}");
    }
}

#[test]
fn wires_to_thousands_of_missing_ends_stay_fast() {
    let mut text = String::from("resources:\n");
    for i in 0..3_000 {
        text.push_str(&format!("  Fn{i}:\n    type: Stream\n"));
    }
    text.push_str("wires:\n");
    for i in 0..3_000 {
        text.push_str(&format!("  - {{from: Xx{i}, to: Fn{i}}}\n"));
    }
    let started = Instant::now();
    let compiled = stackwire::compile(text.as_bytes(), &stackwire::Options::default());
    let took = started.elapsed();
    let missing = compiled
        .problems
        .iter()
        .filter(|p| matches!(p, stackwire::diagnostics::Problem::UnknownWireEnd { .. }))
        .count();
    assert_eq!(missing, 3_000);
    // Every end against every ID took 118 s for 10,000 of each in a release build, about 10 s
    // for 3,000 (a debug build is ten times slower); now the suggestions' budget bounds it.
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[test]
fn machine_formats_list_a_bounded_number_and_count_all() {
    let dir = temp_dir();
    let mut text = String::from("resources:\n  S:\n    type: Stream\n");
    for i in 0..12_000 {
        text.push_str(&format!("    k{i}: 1\n"));
    }
    write(&dir.path().join("s.yaml"), text.as_bytes());
    let (code, stdout, _) = run(dir.path(), &["validate", "s.yaml", "--format", "json"]);
    assert_eq!(code, exit::INVALID);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc["diagnostics"].as_array().map(Vec::len),
        Some(stackwire::diagnostics::render::MAX_LISTED)
    );
    assert_eq!(doc["summary"]["errors"], 12_000);
    assert_eq!(doc["summary"]["omitted"], 2_000);
    let (_, stdout, _) = run(dir.path(), &["validate", "s.yaml", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc["runs"][0]["results"].as_array().map(Vec::len),
        Some(10_000)
    );
    let note =
        &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"];
    assert!(
        note.as_str()
            .is_some_and(|t| t.starts_with("2,000 more diagnostics")),
        "{note}"
    );
    let (_, stdout, _) = run(dir.path(), &["validate", "s.yaml", "--format", "github"]);
    assert_eq!(stdout.lines().count(), 10_001);
    assert!(stdout.ends_with("::warning::2,000 more diagnostics are not listed: a run lists the first 10,000 (all are counted)\n"));
}

#[test]
fn a_hard_link_to_the_stack_is_refused_as_output() {
    let dir = temp_dir();
    let stack = dir.path().join("stack.yaml");
    write(&stack, STACK.as_bytes());
    std::fs::hard_link(&stack, dir.path().join("other.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = run(dir.path(), &["compile", "stack.yaml", "-o", "other.yaml"]);
    assert_eq!(code, exit::USAGE, "{stderr}");
    assert_eq!(std::fs::read_to_string(&stack).ok().as_deref(), Some(STACK));
}

#[test]
fn a_dangling_link_is_written_through() {
    let dir = temp_dir();
    write(&dir.path().join("stack.yaml"), STACK.as_bytes());
    std::os::unix::fs::symlink("out/template.yaml", dir.path().join("template.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join("out")).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = run(
        dir.path(),
        &["compile", "stack.yaml", "-o", "template.yaml"],
    );
    assert_eq!(code, exit::OK, "{stderr}");
    let link = std::fs::symlink_metadata(dir.path().join("template.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let written = std::fs::read_to_string(dir.path().join("out/template.yaml")).unwrap_or_default();
    assert!(written.contains("AWS::Kinesis::Stream"), "{written}");
}

#[test]
fn dash_o_dash_is_standard_output() {
    let dir = temp_dir();
    write(&dir.path().join("stack.yaml"), STACK.as_bytes());
    let (code, stdout, _) = run(dir.path(), &["compile", "stack.yaml", "-o", "-"]);
    assert_eq!(code, exit::OK);
    assert!(stdout.contains("AWS::Kinesis::Stream"));
    assert!(!dir.path().join("-").exists());
    let (code, _, _) = run(dir.path(), &["compile", "stack.yaml", "-o", "-", "--check"]);
    assert_eq!(code, exit::USAGE);
}

#[test]
fn a_closed_standard_input_is_exit_3() {
    // `Stdio::null()` is an open /dev/null (an empty stack, exit 1); a closed descriptor 0 is
    // made with the shell's `<&-`.
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" compile - <&-")
        .arg(stackwire())
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    assert_eq!(
        out.status.code(),
        Some(exit::IO),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(stackwire())
        .args(["compile", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(exit::INVALID));
}

#[test]
fn sigint_and_sigterm_leave_no_temporary_file() {
    let dir = temp_dir();
    let mut stack = String::from("resources:\n  Events:\n    type: Stream\n");
    for i in 0..200 {
        stack.push_str(&format!("  Fn{i:03}:\n    type: Function\n    runtime: nodejs22.x\n    handler: i.handler\n    description: '{}'\n    environment:\n", "d".repeat(250)));
        for j in 0..6 {
            stack.push_str(&format!("      VAR_{j}: '{}'\n", "v".repeat(600)));
        }
    }
    write(&dir.path().join("stack.yaml"), stack.as_bytes());
    let whole = Command::new(stackwire())
        .args(["compile", "stack.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(whole.status.code(), Some(0));
    let temporary = || -> Vec<String> {
        let mut names = crate::files::listing(dir.path());
        names.retain(|n| n.ends_with(".tmp"));
        names
    };
    let mut interrupted = 0;
    // Each run is signalled as soon as its temporary file is seen (the write, the fsync and
    // the rename are the window), or, when the run ends before one is seen, not at all.
    for round in 0..40 {
        for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
            let mut child = Command::new(stackwire())
                .args(["compile", "stack.yaml", "-o", "template.yaml"])
                .current_dir(dir.path())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"));
            let status = loop {
                if let Some(status) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
                    break status;
                }
                if !temporary().is_empty() {
                    let pid = i32::try_from(child.id()).unwrap_or(0);
                    // SAFETY: signalling our own child, which has not been waited for.
                    unsafe { libc::kill(pid, signal) };
                    break child.wait().unwrap_or_else(|e| panic!("{e}"));
                }
            };
            match status.code() {
                Some(0) => {}
                Some(c) => {
                    assert_eq!(c, code, "signal {signal}");
                    interrupted += 1;
                }
                None => panic!("round {round}: signal {signal} ended the run while it wrote"),
            }
            assert!(temporary().is_empty(), "round {round}: {:?}", temporary());
            // The old template stays or the new one is whole: never a part of one.
            if let Ok(written) = std::fs::read(dir.path().join("template.yaml")) {
                assert!(written == whole.stdout, "round {round}: a partial template");
            }
        }
    }
    assert!(interrupted > 0, "no run was interrupted");
}

/// The codes `compile` reports for `text`.
fn codes(text: &str) -> Vec<String> {
    use miette::Diagnostic as _;
    stackwire::compile(text.as_bytes(), &stackwire::Options::default())
        .problems
        .iter()
        .filter_map(|p| p.code().map(|c| c.to_string()))
        .collect()
}

#[test]
fn tag_limits_are_errors_past_them_and_fine_at_them() {
    use stackwire::limits::{MAX_TAG_VALUE, MAX_TAGS};
    let stream = |count: usize, value_len: usize| {
        let mut s = String::from("resources:\n  S:\n    type: Stream\n    tags:\n");
        for i in 0..count {
            s.push_str(&format!("      t{i}: '{}'\n", "v".repeat(value_len)));
        }
        s
    };
    assert_eq!(
        codes(&stream(MAX_TAGS, MAX_TAG_VALUE)),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&stream(MAX_TAGS + 1, 1)),
        ["stackwire::too_many_tags"]
    );
    assert_eq!(
        codes(&stream(1, MAX_TAG_VALUE + 1)),
        ["stackwire::invalid_tag"]
    );
}

#[test]
fn secure_dynamic_references_are_errors_wherever_stackwire_writes() {
    let secure = "'{{resolve:ssm-secure:/p:1}}'";
    let function = |key: &str, value: &str| {
        format!(
            "resources:\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: i.h\n    {key}: {value}\n"
        )
    };
    for text in [
        function("environment", &format!("{{PW: {secure}}}")),
        function("description", secure),
        format!("description: {secure}\nresources:\n  S:\n    type: Stream\n"),
        format!("resources:\n  S:\n    type: Stream\n    tags: {{k: {secure}}}\n"),
        "resources:\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: '{{resolve:ssm-secure:/h:1}}'\n".to_owned(),
    ] {
        let found = codes(&text);
        assert!(found.contains(&"stackwire::secure_dynamic_reference".to_owned()), "{text}: {found:?}");
    }
    // Plain SSM and Secrets Manager references are resolved there, and pass.
    assert_eq!(
        codes(&function(
            "environment",
            "{DB_USER: '{{resolve:ssm:/p:1}}', DB_KEY: '{{resolve:secretsmanager:s}}'}"
        )),
        Vec::<String>::new()
    );
}
