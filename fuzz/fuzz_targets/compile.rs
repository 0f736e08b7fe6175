//! The whole pipeline on arbitrary bytes, through the command line in-process:
//! `stackwire compile - [--environment prod]` with the input on standard input.
//!
//! parse -> check -> lower -> emit, then the diagnostics rendered as a user sees them. Inputs of
//! even length are compiled with `--environment prod`, odd ones without, so both paths of
//! `existing: {env: ...}` are reached.
//!
//! Beyond "no panic, no hang, no blow-up" (libFuzzer's `-timeout` and `-rss_limit_mb`), it checks:
//! - the exit code is 0 (compiled) or 1 (the stack has errors), never anything else;
//! - exit 0 writes a template on standard output, exit 1 writes nothing there and at least
//!   one diagnostic on standard error;
//! - a template written is YAML that reads back as one mapping with `Resources`;
//! - stackwire's reader (built from the parser's events) and the serde-saphyr reading of the
//!   same node tree agree: the same tree, spans included, or both refuse the input (but for a
//!   merge key with no value, which stackwire alone refuses, on purpose).

#![no_main]

use libfuzzer_sys::fuzz_target;
use stackwire::format::node::{Node, Value};

/// Local tags that serde-saphyr reads as a core type (`!int 5`, `!str x`, `!binary ...`);
/// stackwire's reader keeps them as the unknown tags they are (`unknown_tag`).
const TYPED_LOCAL_TAGS: &[&str] = &[
    "!int", "!float", "!bool", "!null", "!seq", "!map", "!str", "!timestamp", "!time", "!binary",
    "!include", "!degrees", "!radians",
];

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && !TYPED_LOCAL_TAGS.iter().any(|t| text.contains(t))
    {
        let read = stackwire::format::yaml::read(text);
        let by_serde = stackwire::format::yaml::read_with_serde(text);
        match (&read, &by_serde) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "the readers' trees differ"),
            (Err(_), Err(_)) => {}
            // The one difference on purpose (see `is_null_merge`): stackwire refuses a merge
            // key with no value, serde-saphyr merges nothing.
            (Err(_), Ok(_)) if stackwire::format::yaml::is_null_merge(text) => {}
            _ => panic!("one reader refuses what the other reads: {read:?} / {by_serde:?}"),
        }
    }
    let args: &[&str] = if data.len() % 2 == 0 {
        &["stackwire", "compile", "-", "--environment", "prod"]
    } else {
        &["stackwire", "compile", "-"]
    };
    let mut stdin = data;
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = stackwire::Io {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        color: false,
    };
    let code = stackwire::run(args.iter().copied(), &mut io);
    match code {
        0 => {
            assert!(!stdout.is_empty(), "exit 0 with no template");
            let template = std::str::from_utf8(&stdout).expect("the template is UTF-8");
            let root: Node = serde_saphyr::from_str(template)
                .unwrap_or_else(|e| panic!("the template is not YAML: {e}\n{template}"));
            let Value::Map(entries) = root.value else {
                panic!("the template is not a mapping:\n{template}");
            };
            assert!(
                entries
                    .iter()
                    .any(|(k, _)| k.value == Value::Str("Resources".to_owned())),
                "the template has no Resources:\n{template}"
            );
        }
        1 => {
            assert!(stdout.is_empty(), "exit 1 but a template was written");
            assert!(!stderr.is_empty(), "exit 1 with no diagnostic");
        }
        other => panic!("unexpected exit code {other}"),
    }
});
