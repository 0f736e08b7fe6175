//! A template built from strings a user controls never changes meaning: every string-valued key
//! of the format, given text that YAML (1.1 or 1.2) or JSON would otherwise read differently,
//! is read back from the written template by cfn-lint's loader and by PyYAML as exactly the
//! string the user wrote; and cfn-lint finds nothing wrong with those templates.
//!
//! `.ci/decode_templates.py` does the reading, with the conformance gate's pinned tools.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

/// Text that means something else to some reader when written plain.
const NASTY: &[&str] = &[
    "key: value",
    ": ",
    "a:b",
    "trailing:",
    "# not a comment",
    "a # b",
    "#",
    "'",
    "it's",
    "\"",
    "say \"hi\"",
    "\\",
    "back\\slash",
    "\n",
    "line\nbreak",
    "crlf\r\nline",
    "trailing newline\n",
    " leading",
    "trailing ",
    "  ",
    "",
    "yes",
    "Yes",
    "no",
    "NO",
    "on",
    "Off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "0x1F",
    "0o17",
    "0777",
    "1e3",
    "1_000",
    "+1",
    "-1",
    "1.5",
    ".inf",
    "-.inf",
    ".NaN",
    "2026-01-01",
    "12:30:00",
    "{{x}}",
    "{a: b}",
    "[a, b]",
    "!Ref x",
    "!!str x",
    "*a",
    "&a",
    "%YAML",
    "%d items",
    "@x",
    "`cmd`",
    "|",
    ">",
    "- item",
    "-",
    "?",
    "? x",
    ",",
    "a, b",
    "<<",
    "=",
    "---",
    "...",
    "\tx",
    "a\tb",
    "café ☕",
    "日本語",
    "😀",
    "zero\u{200B}width",
    "\u{FEFF}bom",
    "nel\u{85}line",
    "ls\u{2028}ps\u{2029}",
    "bell\u{7}",
    "${x}",
    "${AWS::Region}",
    "$${x}",
    "$",
    "{",
    "}",
];

/// `s` as a YAML double-quoted scalar, every character outside printable ASCII escaped, so the
/// stack file itself cannot be misread.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// What Lambda accepts as a handler: no whitespace, at most 128 bytes.
fn handler_ok(v: &str) -> bool {
    !v.is_empty() && !v.chars().any(char::is_whitespace)
}

/// What stackwire accepts as a `source` folder.
fn source_ok(v: &str) -> bool {
    !v.is_empty()
        && !v.starts_with('/')
        && !v.starts_with('\\')
        && v.get(1..2) != Some(":")
        && !v.contains("://")
        && !v.contains("${")
}

/// The template's own `Description` cannot be a `!Join`, so it takes no `${`.
fn stack_description_ok(v: &str) -> bool {
    !v.contains("${")
}

/// A tag key is 1 to 128 characters on one line.
fn tag_key_ok(v: &str) -> bool {
    !v.is_empty() && !v.contains(['\n', '\r', '\u{2028}', '\u{2029}'])
}

/// cfn-lint 1.58 compares strings as booleans when one of them is `true` or `false` (any case),
/// and then finds `False` equal to any other word: two tag keys `False` and `plain` are
/// "not unique" to it. Such a value gets one tag, not two.
fn boolean_word(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "true" | "false")
}

/// One stack with `v` in every string-valued key that takes free text.
fn stack(v: &str) -> String {
    let q = quoted(v);
    let description = if stack_description_ok(v) {
        q.clone()
    } else {
        "d".to_owned()
    };
    let handler = if handler_ok(v) {
        q.clone()
    } else {
        "index.handler".to_owned()
    };
    let source = if source_ok(v) {
        q.clone()
    } else {
        "src/f".to_owned()
    };
    let tag_key = if tag_key_ok(v) {
        q.clone()
    } else {
        "k".to_owned()
    };
    let second_tag = if boolean_word(v) {
        String::new()
    } else {
        format!("\n      plain: {q}")
    };
    format!(
        "description: {description}
resources:
  Orders:
    type: Stream
    tags:
      {tag_key}: {q}{second_tag}
  Processor:
    type: Function
    runtime: nodejs22.x
    handler: {handler}
    source: {source}
    description: {q}
    environment:
      VALUE: {q}
wires:
  - from: Orders
    to: Processor
    filters:
      - {{data: {{field: [{q}]}}}}
"
    )
}

/// Names with a restricted alphabet, which YAML would still read as something else plain; each
/// is used as a stream name, a function name, a managed policy name, a Logical ID (where
/// alphanumeric) and an environment variable name (where it is one).
const WORDS: &[&str] = &[
    "yes", "No", "ON", "off", "Y", "n", "true", "False", "null", "NULL", "0x1F", "0o17", "0777",
    "1e3", "1_000", "E1", "NaN", "Inf", "-x", "+1", ".inf", "1.0", "12-30", "a,b", "@x", "=x",
];

/// One stack for one word: a stream and a function named by it. (One stack per word, as
/// cfn-lint 1.58 takes `False` and any other word for equal names across resources.)
fn words_stack(i: usize, w: &str) -> String {
    let q = quoted(w);
    let stream_name_ok = w
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    let function_name_ok = w
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b));
    // (cfn-lint 1.58 also takes a variable named `False` for a reserved one: E3663.)
    let env_ok = !boolean_word(w)
        && w.starts_with(|c: char| c.is_ascii_alphabetic())
        && w.len() >= 2
        && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let mut s = String::from("resources:\n");
    s.push_str(&format!(
        "  {}:\n    type: Stream\n",
        quoted(&stream_id(i, w))
    ));
    if stream_name_ok {
        s.push_str(&format!("    name: {q}\n"));
    }
    s.push_str(&format!(
        "  F{i}:\n    type: Function\n    runtime: nodejs22.x\n    handler: index.handler\n    policies: [{q}]\n"
    ));
    if function_name_ok {
        s.push_str(&format!("    name: {q}\n"));
    }
    if env_ok {
        s.push_str(&format!("    environment:\n      {q}: {q}\n"));
    }
    s
}

/// One stack for one alphanumeric word: an existing stream by template parameter `w`, another
/// by Parameter Store path `w` (the path is also written, as is, under `Metadata`).
fn parameter_stack(w: &str) -> String {
    let q = quoted(w);
    format!(
        "resources:
  P:
    type: Stream
    existing: {{parameter: {q}}}
  E:
    type: Stream
    existing: {{env: {q}}}
  F:
    type: Function
    runtime: nodejs22.x
    handler: index.handler
wires:
  - {{from: F, to: P}}
  - {{from: F, to: E}}
"
    )
}

fn alphanumeric(w: &str) -> bool {
    w.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The word as a Logical ID where it is one (alphanumeric).
fn stream_id(i: usize, w: &str) -> String {
    if w.bytes().all(|b| b.is_ascii_alphanumeric()) {
        w.to_owned()
    } else {
        format!("S{i}")
    }
}

/// A value read back, with a literal-text `!Join` (how stackwire writes `${` safely) joined.
fn text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Object(map) => {
            let args = map.get("Fn::Join")?.as_array()?;
            let (sep, parts) = (args.first()?.as_str()?, args.get(1)?.as_array()?);
            let parts: Option<Vec<String>> = parts
                .iter()
                .map(|p| p.as_str().map(str::to_owned))
                .collect();
            Some(parts?.join(sep))
        }
        _ => None,
    }
}

fn at<'a>(template: &'a Json, path: &[&str]) -> &'a Json {
    let mut node = template;
    for key in path {
        node = match node {
            Json::Object(map) => map.get(*key),
            Json::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
        .unwrap_or_else(|| panic!("no {path:?} in {template}"));
    }
    node
}

fn python_tools() -> PathBuf {
    crate::support::tools()
}

fn decode(paths: &[PathBuf]) -> serde_json::Map<String, Json> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/decode_templates.py");
    let out = Command::new(python_tools().join("python"))
        .arg(&script)
        .args(paths)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "the templates could not be read back:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout) {
        Ok(Json::Object(map)) => map,
        other => panic!("unexpected output of decode_templates.py: {other:?}"),
    }
}

fn cfn_lint(paths: &[PathBuf]) {
    let (ok, text) = crate::support::outcome(
        Command::new(python_tools().join("cfn-lint")).args(paths),
        "cfn-lint",
    );
    assert!(
        ok && text.trim().is_empty(),
        "cfn-lint found problems:\n{text}"
    );
}

fn compile_all(dir: &Path, stacks: &[(String, String)]) -> Vec<PathBuf> {
    stacks
        .iter()
        .map(|(name, stack)| {
            let compiled = stackwire::compile(
                stack.as_bytes(),
                &stackwire::Options::environment(Some("prod")),
            );
            let errors: Vec<String> = compiled
                .problems
                .iter()
                .filter(|p| p.is_error())
                .map(ToString::to_string)
                .collect();
            let template = compiled
                .template
                .unwrap_or_else(|| panic!("{name} does not compile: {errors:?}\n{stack}"));
            let path = dir.join(format!("{name}.yaml"));
            std::fs::write(&path, template)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            path
        })
        .collect()
}

#[test]
fn every_user_string_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a folder: {e}"));
    let stacks: Vec<(String, String)> = NASTY
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("nasty{i:03}"), stack(v)))
        .chain(
            WORDS
                .iter()
                .enumerate()
                .map(|(i, w)| (format!("word{i:03}"), words_stack(i, w))),
        )
        .chain(
            WORDS
                .iter()
                .filter(|w| alphanumeric(w))
                .map(|w| (format!("parameter-{w}"), parameter_stack(w))),
        )
        .collect();
    let paths = compile_all(dir.path(), &stacks);
    let read = decode(&paths);
    let template = |path: &PathBuf| {
        read.get(&path.to_string_lossy().into_owned())
            .unwrap_or_else(|| panic!("{} was not read back", path.display()))
    };

    let mut checked = 0;
    for (v, path) in NASTY.iter().zip(&paths) {
        let t = template(path);
        let function = ["Resources", "Processor", "Properties"];
        let mut expect = |what: &str, path: &[&str], want: &str| {
            let got = text(at(t, path));
            assert_eq!(got.as_deref(), Some(want), "{what} of {v:?}");
            checked += 1;
        };
        if stack_description_ok(v) {
            expect("description", &["Description"], v);
        }
        expect(
            "function description",
            &[&function[..], &["Description"]].concat(),
            v,
        );
        expect(
            "environment value",
            &[&function[..], &["Environment", "Variables", "VALUE"]].concat(),
            v,
        );
        if handler_ok(v) {
            expect("handler", &[&function[..], &["Handler"]].concat(), v);
        }
        if source_ok(v) {
            expect("source", &[&function[..], &["CodeUri"]].concat(), v);
        }
        // Tags are written sorted by key, as {Key, Value} pairs.
        let tags = at(t, &["Resources", "Orders", "Properties", "Tags"])
            .as_array()
            .unwrap_or_else(|| panic!("no tags for {v:?}"));
        let tag_key = if tag_key_ok(v) { v } else { "k" };
        let mut want: Vec<(&str, &str)> = vec![(tag_key, v)];
        if !boolean_word(v) {
            want.push(("plain", v));
        }
        want.sort();
        let got: Vec<(Option<String>, Option<String>)> = tags
            .iter()
            .map(|tag| (text(&tag["Key"]), text(&tag["Value"])))
            .collect();
        let want: Vec<(Option<String>, Option<String>)> = want
            .iter()
            .map(|(k, v)| (Some((*k).to_owned()), Some((*v).to_owned())))
            .collect();
        assert_eq!(got, want, "tags of {v:?}");
        checked += 4;
        // A filter pattern is JSON inside a string: the string, then the JSON, read back.
        let pattern = text(at(
            t,
            &[
                &function[..],
                &[
                    "Events",
                    "Orders",
                    "Properties",
                    "FilterCriteria",
                    "Filters",
                    "0",
                    "Pattern",
                ],
            ]
            .concat(),
        ))
        .unwrap_or_else(|| panic!("no filter pattern for {v:?}"));
        let pattern: Json = serde_json::from_str(&pattern)
            .unwrap_or_else(|e| panic!("filter pattern of {v:?} is not JSON ({e}): {pattern}"));
        assert_eq!(
            pattern["data"]["field"][0].as_str(),
            Some(*v),
            "filter of {v:?}"
        );
        checked += 1;
    }

    let words_end = NASTY.len() + WORDS.len();
    for (w, path) in WORDS
        .iter()
        .filter(|w| alphanumeric(w))
        .zip(&paths[words_end..])
    {
        let t = template(path);
        assert!(
            at(t, &["Parameters"]).get(*w).is_some(),
            "parameter {w:?} read back otherwise: {}",
            at(t, &["Parameters"])
        );
        let env = stackwire::ids::env_parameter(w);
        assert_eq!(
            text(at(t, &["Metadata", "EnvConfigParameters", &env])).as_deref(),
            Some(*w),
            "environment path {w:?}"
        );
        let default = text(at(t, &["Parameters", &env, "Default"]));
        assert_eq!(
            default,
            Some(format!("/prod/{w}")),
            "environment path {w:?}"
        );
        checked += 3;
    }
    for (i, (w, path)) in WORDS.iter().zip(&paths[NASTY.len()..words_end]).enumerate() {
        let stream = stream_id(i, w);
        let resources = at(template(path), &["Resources"]);
        assert!(
            resources.get(&stream).is_some(),
            "Logical ID {w:?} read back otherwise"
        );
        let function = format!("F{i}");
        let policies = at(resources, &[&function, "Properties", "Policies"]);
        assert!(
            policies
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p.as_str() == Some(*w))),
            "policy {w:?}: {policies}"
        );
        if let Some(name) = resources[&stream]["Properties"].get("Name") {
            assert_eq!(text(name).as_deref(), Some(*w), "stream name {w:?}");
        }
        if let Some(name) = resources[&function]["Properties"].get("FunctionName") {
            assert_eq!(text(name).as_deref(), Some(*w), "function name {w:?}");
        }
        if let Some(vars) = resources[&function]["Properties"].get("Environment") {
            assert_eq!(
                text(&vars["Variables"][*w]).as_deref(),
                Some(*w),
                "variable {w:?}"
            );
        }
        checked += 2;
    }
    assert!(checked > 600, "only {checked} strings checked");

    cfn_lint(&paths);
}

/// The values the round trip leaves out of a key are left out because stackwire rejects them.
#[test]
fn values_left_out_of_a_key_are_rejected() {
    let base = "resources:\n  F:\n    type: Function\n    runtime: nodejs22.x\n";
    for v in NASTY.iter().filter(|v| !handler_ok(v)) {
        let stack = format!("{base}    handler: {}\n", quoted(v));
        let compiled = stackwire::compile(stack.as_bytes(), &stackwire::Options::default());
        assert!(compiled.template.is_none(), "handler {v:?} was accepted");
    }
    for v in NASTY.iter().filter(|v| !stack_description_ok(v)) {
        let stack = format!(
            "description: {}\n{base}    handler: index.handler\n",
            quoted(v)
        );
        let compiled = stackwire::compile(stack.as_bytes(), &stackwire::Options::default());
        assert!(
            compiled.template.is_none(),
            "description {v:?} was accepted"
        );
    }
    for v in NASTY.iter().filter(|v| !tag_key_ok(v)) {
        let stack = format!(
            "resources:\n  S:\n    type: Stream\n    tags:\n      {}: x\n",
            quoted(v)
        );
        let compiled = stackwire::compile(stack.as_bytes(), &stackwire::Options::default());
        assert!(compiled.template.is_none(), "tag key {v:?} was accepted");
    }
    for v in NASTY.iter().filter(|v| !source_ok(v)) {
        let stack = format!(
            "{base}    handler: index.handler\n    source: {}\n",
            quoted(v)
        );
        let compiled = stackwire::compile(stack.as_bytes(), &stackwire::Options::default());
        assert!(compiled.template.is_none(), "source {v:?} was accepted");
    }
}

/// One stack with `v` in pass-through places: an Output's value, a parameter's default, a
/// Function's `Tags` (under `properties:`), and inside a short-form `!Join`.
fn passthru_stack(v: &str) -> String {
    let q = quoted(v);
    format!(
        "resources:
  Processor:
    type: Function
    runtime: nodejs22.x
    handler: index.handler
    properties:
      Tags: {{Label: {q}}}
      Layers:
        - !Join ['', [{q}]]
template:
  Parameters:
    P: {{Type: String, Default: {q}}}
  Outputs:
    O: {{Value: {q}}}
    R: {{Value: !Ref P}}
"
    )
}

/// Plain scalars that are not strings, written back as the user wrote them: the same text, so
/// every reader reads the template as it would have read the user's own.
const PLAIN: &[&str] = &[
    "0777", "0x1F", "0o17", "1e3", "-1", "+1", "1.5", "10", "true", "false", "~", "null",
];

#[test]
fn pass_through_values_read_back_exactly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a folder: {e}"));
    let stacks: Vec<(String, String)> = NASTY
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("passthru{i:03}"), passthru_stack(v)))
        .collect();
    let paths = compile_all(dir.path(), &stacks);
    let read = decode(&paths);
    let mut checked = 0;
    for (v, path) in NASTY.iter().zip(&paths) {
        let t = read
            .get(&path.to_string_lossy().into_owned())
            .unwrap_or_else(|| panic!("{} was not read back", path.display()));
        let function = ["Resources", "Processor", "Properties"];
        for (what, place) in [
            ("output value", vec!["Outputs", "O", "Value"]),
            ("parameter default", vec!["Parameters", "P", "Default"]),
            ("tag", [&function[..], &["Tags", "Label"]].concat()),
        ] {
            assert_eq!(at(t, &place).as_str(), Some(*v), "{what} of {v:?}");
            checked += 1;
        }
        let join = at(
            t,
            &[&function[..], &["Layers", "0", "Fn::Join", "1", "0"]].concat(),
        );
        assert_eq!(join.as_str(), Some(*v), "!Join part of {v:?}");
        assert_eq!(
            at(t, &["Outputs", "R", "Value", "Ref"]).as_str(),
            Some("P"),
            "!Ref beside {v:?}"
        );
        checked += 2;
    }
    assert_eq!(checked, NASTY.len() * 5);

    // Plain scalars: the template holds the user's own text, at the same place.
    for token in PLAIN {
        let stack = format!(
            "resources:\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: index.handler\n    properties:\n      Tags: {{Num: {token}}}\n"
        );
        let compiled = stackwire::compile(stack.as_bytes(), &stackwire::Options::default());
        let template = compiled
            .template
            .unwrap_or_else(|| panic!("{token} does not compile: {:?}", compiled.problems));
        let line = if *token == "~" || *token == "null" {
            "        Num: null\n".to_owned()
        } else {
            format!("        Num: {token}\n")
        };
        assert!(
            template.contains(&line),
            "{token} written otherwise:\n{template}"
        );
    }
}
