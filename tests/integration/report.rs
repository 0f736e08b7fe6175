//! The output formats (`--format`, `--color`, `--plain`), `completions`, and `--help` examples.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{Outcome, fixture_paths, run_cli};
use stackwire::diagnostics::{LineIndex, Position, auto_color, escape_data, escape_property};

fn run_with(args: &[&str], stdin: &[u8], color: bool) -> Outcome {
    run_cli(args.iter().copied(), &mut { stdin }, color)
}

fn run_args(args: &[&str]) -> Outcome {
    run_with(args, b"", false)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"))
}

const QUICKSTART: &str = "fixtures/ok/quickstart.yaml";

// --- positions --------------------------------------------------------------------------------

fn pos(line: usize, column: usize) -> Position {
    Position { line, column }
}

#[test]
fn lines_and_columns_are_one_based_and_count_characters() {
    // "é" is 2 bytes, "€" 3: columns count characters, offsets stay bytes.
    let text = "ab\né€x\r\ny\rz";
    let index = LineIndex::new(text);
    assert_eq!(index.position(0), pos(1, 1));
    assert_eq!(index.position(2), pos(1, 3), "the newline ends line 1");
    assert_eq!(index.position(3), pos(2, 1));
    assert_eq!(index.position(5), pos(2, 2), "after é (2 bytes)");
    assert_eq!(index.position(8), pos(2, 3), "after € (3 bytes)");
    assert_eq!(index.position(4), pos(2, 1), "inside é: its start");
    assert_eq!(index.position(11), pos(3, 1), "CRLF is one line break");
    assert_eq!(index.position(13), pos(4, 1), "a lone CR is a line break");
    assert_eq!(index.position(14), pos(4, 2), "the end");
    assert_eq!(index.position(1000), pos(4, 2), "past the end: the end");

    let l = index.location(miette::SourceSpan::new(5.into(), 4));
    assert_eq!(
        (l.offset, l.length, l.start, l.end),
        (5, 4, pos(2, 2), pos(2, 4))
    );
    let l = index.location(miette::SourceSpan::new(100.into(), 4));
    assert_eq!(
        (l.offset, l.length, l.start, l.end),
        (14, 0, pos(4, 2), pos(4, 2))
    );
    assert_eq!(LineIndex::new("").position(0), pos(1, 1));
}

// --- github escaping --------------------------------------------------------------------------

#[test]
fn github_escaping() {
    assert_eq!(
        escape_data("plain text, with: marks"),
        "plain text, with: marks"
    );
    assert_eq!(escape_data("100%\r\nnext\nline"), "100%25%0D%0Anext%0Aline");
    // `%` first, so an escape already in the text stays text.
    assert_eq!(escape_data("%0A"), "%250A");
    assert_eq!(
        escape_property("dir,name:x%\r\n.yaml"),
        "dir%2Cname%3Ax%25%0D%0A.yaml"
    );
    assert_eq!(
        escape_property("stackwire::unknown_key"),
        "stackwire%3A%3Aunknown_key"
    );
    assert_eq!(escape_property("%3A"), "%253A");
}

/// Reverses the workflow-command escaping, as the GitHub runner does.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A `::error ...::message` line, parsed: (command, properties, message).
fn parse_github(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not a workflow command: {line}"));
    let (head, message) = rest
        .split_once("::")
        .unwrap_or_else(|| panic!("no message: {line}"));
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("bad property `{p}` in {line}"));
            (k.to_owned(), unescape(v))
        })
        .collect();
    (command.to_owned(), properties, unescape(message))
}

#[test]
fn a_github_message_with_newlines_and_commas_stays_one_command() {
    let dir = temp_dir();
    let name = "a,b:c.yaml";
    let path = dir.path().join(name);
    // The empty-stack help has several lines.
    std::fs::write(&path, "# nothing\n").unwrap_or_default();
    let out = run_args(&[
        "stackwire",
        "validate",
        &path.to_string_lossy(),
        "--format",
        "github",
    ]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    let (command, properties, message) = parse_github(lines[0]);
    assert_eq!(command, "error");
    let file = properties.iter().find(|(k, _)| k == "file").map(|(_, v)| v);
    assert!(file.is_some_and(|f| f.ends_with(name)), "{properties:?}");
    assert!(
        message.starts_with("the stack description is empty\nhelp: a stack needs"),
        "{message}"
    );
    assert!(message.contains("\n  Stream:\n"), "{message}");
}

// --- every format carries the same diagnostics ------------------------------------------------

/// One diagnostic as a format shows it: `<severity> <code>`, line, column.
type Seen = (String, usize, Option<usize>);

fn fixture_args(path: &Path) -> (String, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let extra = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# args:"))
        .map(|a| a.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    (relative.to_string_lossy().replace('\\', "/"), extra)
}

fn validate_fixture(path: &Path, format: &str) -> Outcome {
    let (file, extra) = fixture_args(path);
    let mut args = vec!["stackwire", "validate", file.as_str(), "--format", format];
    args.extend(extra.iter().map(String::as_str));
    run_args(&args)
}

/// The human report: each code with the places its snippet headers show (`file:line:col`; a
/// diagnostic whose labels are far apart has one snippet per group of labels).
fn from_human(out: &Outcome) -> Vec<(String, Vec<(usize, usize)>)> {
    assert_eq!(out.stdout, "", "human diagnostics go to standard error");
    let mut seen: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for line in out.stderr.lines() {
        let error = line.strip_prefix("Error: ").map(|c| format!("error {c}"));
        let warning = line
            .strip_prefix("Warning: ")
            .map(|c| format!("warning {c}"));
        if let Some(c) = error.or(warning) {
            seen.push((c, Vec::new()));
        } else if let Some(at) = line.trim_start().strip_prefix("╭─[") {
            let mut parts = at.trim_end_matches(']').rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
            let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
            let Some((_, places)) = seen.last_mut() else {
                panic!("a snippet without a code:\n{}", out.stderr);
            };
            places.push((line_no, column));
        }
    }
    for (code, places) in &seen {
        assert!(
            !places.is_empty(),
            "{code} without a snippet:\n{}",
            out.stderr
        );
    }
    seen
}

fn from_json(out: &Outcome) -> Vec<Seen> {
    assert_eq!(out.stderr, "", "json goes to standard output");
    let doc = json(&out.stdout);
    assert_eq!(doc["version"], 1);
    let diagnostics = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(doc["summary"]["errors"], errors);
    assert_eq!(doc["summary"]["warnings"], diagnostics.len() - errors);
    diagnostics
        .iter()
        .map(|d| {
            for key in ["file", "severity", "code", "message"] {
                assert!(d[key].is_string(), "{key} in {d}");
            }
            for key in ["line", "column", "endLine", "endColumn", "offset", "length"] {
                assert!(d[key].is_u64(), "{key} in {d}");
            }
            assert!(d["help"].is_string() || d["help"].is_null(), "{d}");
            let labels = d["labels"].as_array().cloned().unwrap_or_default();
            assert!(!labels.is_empty(), "no labels: {d}");
            for key in ["line", "column", "endLine", "endColumn", "offset", "length"] {
                assert_eq!(labels[0][key], d[key], "the first label is the primary one");
            }
            (
                format!(
                    "{} {}",
                    d["severity"].as_str().unwrap_or_default(),
                    d["code"].as_str().unwrap_or_default()
                ),
                d["line"].as_u64().unwrap_or(0) as usize,
                d["column"].as_u64().map(|c| c as usize),
            )
        })
        .collect()
}

fn from_github(out: &Outcome) -> Vec<Seen> {
    assert_eq!(out.stderr, "", "github goes to standard output");
    out.stdout
        .lines()
        .map(|line| {
            let (command, properties, _) = parse_github(line);
            assert!(command == "error" || command == "warning", "{line}");
            let get = |key: &str| {
                properties
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| panic!("no {key} in {line}"))
            };
            let number = |key: &str| get(key).parse::<usize>().unwrap_or(0);
            assert!(number("endLine") >= number("line"), "{line}");
            (
                format!("{command} {}", get("title")),
                number("line"),
                Some(number("col")),
            )
        })
        .collect()
}

fn from_sarif(out: &Outcome) -> Vec<Seen> {
    assert_eq!(out.stderr, "", "sarif goes to standard output");
    let doc = json(&out.stdout);
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let results = run["results"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "one rule per code, sorted");
    results
        .iter()
        .map(|r| {
            let index = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
            assert_eq!(
                rules.get(index).map(|rule| &rule["id"]),
                Some(&r["ruleId"]),
                "ruleIndex points at the rule of ruleId: {r}"
            );
            assert_eq!(rules[index]["defaultConfiguration"]["level"], r["level"]);
            let region = &r["locations"][0]["physicalLocation"]["region"];
            (
                format!(
                    "{} {}",
                    r["level"].as_str().unwrap_or_default(),
                    r["ruleId"].as_str().unwrap_or_default()
                ),
                region["startLine"].as_u64().unwrap_or(0) as usize,
                region["startColumn"].as_u64().map(|c| c as usize),
            )
        })
        .collect()
}

/// Every fixture (err, warn and ok) gives the same codes, in the same order, at the same places,
/// in all four formats, with the same exit code; and the codes are the pipeline's own.
#[test]
fn every_format_carries_the_same_diagnostics() {
    let mut checked = 0;
    for kind in ["err", "warn", "ok"] {
        for path in fixture_paths(kind) {
            let shown = path.display();
            let outs: Vec<Outcome> = ["human", "json", "github", "sarif"]
                .iter()
                .map(|format| validate_fixture(&path, format))
                .collect();
            let expected_code = if kind == "err" { 1 } else { 0 };
            for out in &outs {
                assert_eq!(out.code, expected_code, "{shown}: {}", out.stderr);
            }
            let human = from_human(&outs[0]);
            let json = from_json(&outs[1]);
            let github = from_github(&outs[2]);
            let sarif = from_sarif(&outs[3]);
            assert_eq!(json, github, "{shown}: json and github differ");
            assert_eq!(json, sarif, "{shown}: json and sarif differ");

            // The pipeline's own list of problems.
            let bytes = std::fs::read(&path).unwrap_or_default();
            let (_, extra) = fixture_args(&path);
            let environment = extra
                .iter()
                .position(|a| a == "--environment")
                .and_then(|i| extra.get(i + 1));
            let target = extra
                .iter()
                .position(|a| a == "--target")
                .and_then(|i| extra.get(i + 1))
                .map(|t| {
                    stackwire::target::find(t).unwrap_or_else(|| panic!("{shown}: no target {t}"))
                });
            let options = stackwire::Options {
                target: target.unwrap_or(stackwire::target::DEFAULT),
                ..stackwire::Options::environment(environment.map(String::as_str))
            };
            let compiled = stackwire::compile(&bytes, &options);
            let codes: Vec<String> = compiled
                .problems
                .iter()
                .filter_map(|p| {
                    let severity = if p.is_error() { "error" } else { "warning" };
                    miette::Diagnostic::code(p).map(|c| format!("{severity} {c}"))
                })
                .collect();
            let json_codes: Vec<&String> = json.iter().map(|(c, _, _)| c).collect();
            assert_eq!(json_codes, codes.iter().collect::<Vec<_>>(), "{shown}");
            if kind == "warn" {
                assert!(codes.iter().all(|c| c.starts_with("warning ")), "{shown}");
            }
            match kind {
                "ok" => assert!(codes.is_empty(), "{shown}"),
                _ => assert!(!codes.is_empty(), "{shown}: no diagnostics"),
            }

            // The human report shows the same codes, one of its snippet headers at the same
            // place. Its column is miette's, counted in bytes, so where the line has non-ASCII
            // text before the place only the line is compared.
            assert_eq!(human.len(), json.len(), "{shown}: human {human:?}");
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            for ((h_code, places), (j_code, j_line, j_col)) in human.iter().zip(&json) {
                assert_eq!(h_code, j_code, "{shown}");
                let j_col = j_col.unwrap_or(0);
                let ascii_before = lines.get(j_line.saturating_sub(1)).is_some_and(|l| {
                    l.chars()
                        .take(j_col.saturating_sub(1))
                        .all(|c| c.is_ascii())
                });
                let found = places
                    .iter()
                    .any(|&(l, c)| l == *j_line && (c == j_col || !ascii_before));
                assert!(
                    found,
                    "{shown}: {j_code} at {j_line}:{j_col}, human shows {places:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 90, "only {checked} fixtures");
}

#[test]
fn json_offsets_and_positions_point_at_the_text() {
    let path = "fixtures/err/many-problems.yaml";
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let out = run_args(&["stackwire", "validate", path, "--format", "json"]);
    let doc = json(&out.stdout);
    let diagnostics = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    assert_eq!(diagnostics.len(), 6);
    let index = LineIndex::new(&text);
    for d in &diagnostics {
        let n = |k: &str| d[k].as_u64().unwrap_or(0) as usize;
        let (offset, length) = (n("offset"), n("length"));
        assert_eq!(index.position(offset), pos(n("line"), n("column")), "{d}");
        assert_eq!(
            index.position(offset + length),
            pos(n("endLine"), n("endColumn")),
            "{d}"
        );
    }
    let unknown = diagnostics
        .iter()
        .find(|d| d["code"] == "stackwire::unknown_key")
        .cloned()
        .unwrap_or_default();
    let n = |k: &str| unknown[k].as_u64().unwrap_or(0) as usize;
    assert_eq!(
        &text[n("offset")..n("offset") + n("length")],
        "retentionHour"
    );
    assert_eq!(unknown["help"], "did you mean `retentionHours`?");
    assert_eq!(
        unknown["labels"][0]["message"],
        "not a key of Stream `Orders`"
    );
    assert_eq!((n("line"), n("column"), n("endColumn")), (8, 5, 18));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for format in ["json", "github", "sarif"] {
        let args = [
            "stackwire",
            "validate",
            "fixtures/err/many-problems.yaml",
            "fixtures/err/duplicate_key.yaml",
            "--format",
            format,
        ];
        assert_eq!(run_args(&args).stdout, run_args(&args).stdout, "{format}");
    }
}

// --- where each format goes -------------------------------------------------------------------

#[test]
fn compile_keeps_standard_output_for_the_template() {
    let ok = run_args(&["stackwire", "compile", QUICKSTART, "--format", "json"]);
    assert_eq!(ok.code, 0);
    assert!(
        ok.stdout.starts_with("AWSTemplateFormatVersion"),
        "{}",
        ok.stdout
    );
    let doc = json(&ok.stderr);
    assert_eq!(doc["diagnostics"], serde_json::json!([]));

    let bad = run_args(&[
        "stackwire",
        "compile",
        "fixtures/err/unknown_key.yaml",
        "--format",
        "sarif",
    ]);
    assert_eq!((bad.code, bad.stdout.as_str()), (1, ""));
    let doc = json(&bad.stderr);
    assert_eq!(
        doc["runs"][0]["results"][0]["ruleId"],
        "stackwire::unknown_key"
    );

    let github = run_args(&[
        "stackwire",
        "compile",
        "fixtures/err/unknown_key.yaml",
        "--format",
        "github",
    ]);
    assert_eq!(github.stdout, "");
    assert!(
        github.stderr.starts_with(
            "::error file=fixtures/err/unknown_key.yaml,line=6,col=5,endLine=6,endColumn=14,title=stackwire%3A%3Aunknown_key::unknown key `shardCont`"
        ),
        "{}",
        github.stderr
    );
}

/// In a machine format, run failures (unreadable files, a stale template) are in the document
/// or the annotations, so the stream stays parseable.
#[test]
fn failures_are_part_of_the_machine_formats() {
    let dir = temp_dir();
    let template = dir.path().join("template.yaml");
    let template_s = template.to_string_lossy().into_owned();
    std::fs::write(&template, "stale\n").unwrap_or_default();
    let check = |format: &str| {
        run_args(&[
            "stackwire",
            "compile",
            QUICKSTART,
            "-o",
            &template_s,
            "--check",
            "--format",
            format,
        ])
    };

    let out = check("json");
    assert_eq!(out.code, stackwire::exit::STALE);
    assert!(out.stdout.starts_with("--- "), "the diff: {}", out.stdout);
    let doc = json(&out.stderr);
    assert_eq!(doc["failures"][0]["file"], template_s.as_str());
    assert!(
        doc["failures"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("is out of date")),
        "{doc}"
    );

    let out = check("sarif");
    let doc = json(&out.stderr);
    let invocation = &doc["runs"][0]["invocations"][0];
    assert_eq!(
        invocation["executionSuccessful"], true,
        "stale is a finding"
    );
    let notification = &invocation["toolExecutionNotifications"][0];
    assert!(
        notification["message"]["text"]
            .as_str()
            .is_some_and(|m| m.contains("out of date"))
    );

    let out = check("github");
    assert!(out.stderr.starts_with("::error file="), "{}", out.stderr);
    assert!(out.stderr.contains("is out of date"), "{}", out.stderr);

    let missing = dir.path().join("missing.yaml");
    let missing_s = missing.to_string_lossy().into_owned();
    let out = run_args(&[
        "stackwire",
        "validate",
        &missing_s,
        "fixtures/err/unknown_key.yaml",
        "--format",
        "sarif",
    ]);
    assert_eq!((out.code, out.stderr.as_str()), (stackwire::exit::IO, ""));
    let doc = json(&out.stdout);
    let invocation = &doc["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .is_some_and(|m| m.starts_with("cannot read")),
        "{doc}"
    );
    assert_eq!(
        doc["runs"][0]["results"][0]["ruleId"], "stackwire::unknown_key",
        "the readable file is still checked"
    );

    let out = run_args(&["stackwire", "validate", &missing_s, "--format", "json"]);
    assert_eq!((out.code, out.stderr.as_str()), (stackwire::exit::IO, ""));
    assert_eq!(json(&out.stdout)["failures"][0]["file"], missing_s.as_str());
}

#[test]
fn standard_input_is_named_but_has_no_file() {
    let stack = b"resources:\n  S:\n    type: Stream\n    shardCount: 0\n";
    let out = run_with(
        &["stackwire", "validate", "-", "--format", "github"],
        stack,
        false,
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("::error line=4,col=17,"),
        "{}",
        out.stdout
    );
    let out = run_with(
        &["stackwire", "validate", "-", "--format", "json"],
        stack,
        false,
    );
    assert_eq!(json(&out.stdout)["diagnostics"][0]["file"], "<stdin>");
    let out = run_with(
        &["stackwire", "validate", "-", "--format", "sarif"],
        stack,
        false,
    );
    let location = &json(&out.stdout)["runs"][0]["results"][0]["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"],
        serde_json::json!({ "description": { "text": "standard input" } })
    );
}

#[test]
fn sarif_uris_are_relative_and_encoded() {
    let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let path = dir.path().join("my stack%.yaml");
    std::fs::write(&path, "resources: {}\n").unwrap_or_default();
    // Given as an absolute path inside the current folder: relative in the log.
    let out = run_args(&[
        "stackwire",
        "validate",
        &path.to_string_lossy(),
        "--format",
        "sarif",
    ]);
    let doc = json(&out.stdout);
    let artifact =
        &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let folder = dir
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert_eq!(artifact["uri"], format!("{folder}/my%20stack%25.yaml"));
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");

    // `./` is dropped.
    let out = run_args(&[
        "stackwire",
        "validate",
        "./fixtures/err/unknown_key.yaml",
        "--format",
        "sarif",
    ]);
    let doc = json(&out.stdout);
    assert_eq!(
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/err/unknown_key.yaml"
    );
}

// --- colour and plain -------------------------------------------------------------------------

const ESC: &str = "\u{1b}[";

#[test]
fn color_follows_the_flag_then_the_terminal() {
    let bad = "fixtures/err/unknown_key.yaml";
    let human = |flag: &str, auto: bool| {
        let mut args = vec!["stackwire", "validate", bad];
        if !flag.is_empty() {
            args.extend(["--color", flag]);
        }
        run_with(&args, b"", auto).stderr
    };
    assert!(human("", true).contains(ESC), "auto on a terminal");
    assert!(!human("", false).contains(ESC), "auto elsewhere");
    assert!(human("always", false).contains(ESC));
    assert!(!human("never", true).contains(ESC));
    assert!(!human("auto", false).contains(ESC));
    // The same words without colour.
    let strip = |s: String| {
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(at) = rest.find(ESC) {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let end = rest.find('m').map_or(rest.len(), |m| m + 1);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    };
    assert_eq!(strip(human("always", false)), human("never", true));
    // Machine formats never colour.
    let out = run_with(
        &[
            "stackwire",
            "validate",
            bad,
            "--format",
            "json",
            "--color",
            "always",
        ],
        b"",
        true,
    );
    assert!(!out.stdout.contains(ESC));
}

#[test]
fn auto_color_honours_no_color() {
    use std::ffi::OsStr;
    assert!(auto_color(true, None));
    assert!(!auto_color(false, None));
    assert!(!auto_color(true, Some(OsStr::new("1"))));
    assert!(
        auto_color(true, Some(OsStr::new(""))),
        "empty NO_COLOR is unset"
    );
}

#[test]
fn plain_draws_in_ascii() {
    let bad = "fixtures/err/many-problems.yaml";
    let out = run_args(&["stackwire", "validate", bad, "--plain"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("Error: stackwire::unknown_key"));
    assert!(out.stderr.contains("[fixtures/err/many-problems.yaml:8:5]"));
    assert!(out.stderr.is_ascii(), "{}", out.stderr);
    assert!(!run_args(&["stackwire", "validate", bad]).stderr.is_ascii());
    let colored = run_args(&["stackwire", "validate", bad, "--plain", "--color", "always"]);
    assert!(colored.stderr.contains(ESC));
}

// --- SARIF against the schema -----------------------------------------------------------------

fn root() -> &'static Path {
    crate::support::root()
}

/// Validates SARIF logs with `.ci/sarif_validate.py`: (passed, output).
fn validate_sarif(logs: &[PathBuf]) -> (bool, String) {
    let bin = crate::support::tools();
    crate::support::outcome(
        std::process::Command::new(bin.join("python"))
            .arg(root().join(".ci/sarif_validate.py"))
            .arg(root().join(".ci/sarif-schema-2.1.0.json"))
            .args(logs),
        "the SARIF validator",
    )
}

#[test]
fn sarif_validates_against_the_schema() {
    let dir = temp_dir();
    let mut logs = Vec::new();
    let mut save = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write: {e}"));
        logs.push(path);
    };
    // Every err and warn fixture in one run, one with --environment, an unreadable file.
    let mut files: Vec<String> = Vec::new();
    for kind in ["err", "warn"] {
        files.extend(fixture_paths(kind).iter().map(|p| fixture_args(p).0));
    }
    let missing = dir
        .path()
        .join("missing.yaml")
        .to_string_lossy()
        .into_owned();
    let mut args = vec!["stackwire", "validate", "--format", "sarif", &missing];
    args.extend(files.iter().map(String::as_str));
    let all = run_args(&args);
    assert_eq!(all.code, stackwire::exit::IO);
    save("all.sarif", &all.stdout);
    let env = run_args(&[
        "stackwire",
        "validate",
        "--format",
        "sarif",
        "--environment",
        "prod",
        "fixtures/err/existing_stream_conflict-env.yaml",
    ]);
    save("env.sarif", &env.stdout);
    // Nothing to report, standard input, and a stale template.
    save(
        "ok.sarif",
        &run_args(&["stackwire", "validate", QUICKSTART, "--format", "sarif"]).stdout,
    );
    let stdin = run_with(
        &["stackwire", "validate", "-", "--format", "sarif"],
        b"resources: {}\n",
        false,
    );
    save("stdin.sarif", &stdin.stdout);
    let stale = dir
        .path()
        .join("template.yaml")
        .to_string_lossy()
        .into_owned();
    let out = run_args(&[
        "stackwire",
        "compile",
        QUICKSTART,
        "-o",
        &stale,
        "--check",
        "--format",
        "sarif",
    ]);
    assert_eq!(out.code, stackwire::exit::STALE);
    save("stale.sarif", &out.stderr);

    let (ok, output) = validate_sarif(&logs);
    assert!(ok, "stackwire's SARIF does not validate:\n{output}");
    assert_eq!(output.matches(": ok").count(), logs.len(), "{output}");
}

/// The schema check can fail: broken logs are rejected, each for its fault.
#[test]
fn the_sarif_check_rejects_broken_logs() {
    let out = run_args(&[
        "stackwire",
        "validate",
        "fixtures/err/duplicate_key.yaml",
        "--format",
        "sarif",
    ]);
    let good = json(&out.stdout);
    let dir = temp_dir();
    let mut breakages: Vec<(&str, Value)> = Vec::new();
    let mut doc = good.clone();
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    breakages.push(("level", doc));
    let mut doc = good.clone();
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    breakages.push(("startLine", doc));
    let mut doc = good.clone();
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "my stack.yaml".into();
    breakages.push(("uri", doc));
    let mut doc = good.clone();
    if let Some(o) = doc.as_object_mut() {
        o.remove("version");
    }
    breakages.push(("version", doc));
    let mut doc = good.clone();
    doc["runs"][0]["tool"]["driver"]["ruleSet"] = "x".into();
    breakages.push(("ruleSet", doc));

    for (fault, doc) in breakages {
        let path = dir.path().join(format!("{fault}.sarif"));
        std::fs::write(&path, doc.to_string()).unwrap_or_default();
        let (ok, output) = validate_sarif(&[path]);
        assert!(!ok, "a log with a bad {fault} passed:\n{output}");
        assert!(output.contains(fault), "{fault}:\n{output}");
    }
    // And the unbroken one passes.
    let path = dir.path().join("good.sarif");
    std::fs::write(&path, good.to_string()).unwrap_or_default();
    let (ok, output) = validate_sarif(&[path]);
    assert!(ok, "{output}");
}

// --- completions and help ---------------------------------------------------------------------

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run_args(&["stackwire", "completions", shell]);
        assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{shell}");
        for word in [
            "compile",
            "validate",
            "completions",
            "format",
            "environment",
        ] {
            assert!(out.stdout.contains(word), "{shell} completion lacks {word}");
        }
        // These shells complete values too.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(
                out.stdout.contains("sarif"),
                "{shell} completion lacks sarif"
            );
        }
    }
    assert_eq!(
        run_args(&["stackwire", "completions", "tcsh"]).code,
        stackwire::exit::USAGE
    );
}

/// Every subcommand's `--help` ends with real examples of itself.
#[test]
fn every_subcommand_help_has_an_example() {
    use clap::CommandFactory;
    let command = stackwire::cli::Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() >= 3, "{names:?}");
    for name in names {
        let out = run_args(&["stackwire", &name, "--help"]);
        assert_eq!(out.code, 0, "{name}");
        let examples = out
            .stdout
            .split_once("Examples:\n")
            .map(|(_, e)| e)
            .unwrap_or_else(|| panic!("`{name} --help` has no examples:\n{}", out.stdout));
        assert!(
            examples
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("stackwire {name}"))),
            "`{name} --help` examples do not run it:\n{examples}"
        );
    }
}

#[test]
fn format_and_color_are_documented_in_help() {
    for name in ["compile", "validate"] {
        let help = run_args(&["stackwire", name, "--help"]).stdout;
        for word in [
            "--format", "human", "json", "github", "sarif", "--color", "--plain",
        ] {
            assert!(help.contains(word), "`{name} --help` lacks {word}:\n{help}");
        }
    }
}

/// The README's JSON example is what stackwire prints.
#[test]
fn the_readme_json_example_is_real() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap_or_default();
    let command = "stackwire validate fixtures/err/unknown_key.yaml --format json";
    let after = readme
        .split_once(&format!("`{command}` prints:\n\n```json\n"))
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("the README has no example of `{command}`"));
    let example = after.split_once("```").map(|(e, _)| e).unwrap_or_default();
    let args: Vec<&str> = command.split(' ').collect();
    assert_eq!(run_args(&args).stdout, example);
}
