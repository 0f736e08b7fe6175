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
//! - a template written is YAML that reads back as one mapping with `Resources`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stackwire::format::node::{Node, Value};

fuzz_target!(|data: &[u8]| {
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
