//! Hostile inputs too big or too deep to keep as fixtures, generated here: each must end in an
//! exit code and a diagnostic that points at the offending place, never a panic or a stack
//! overflow. (The small ones are fixtures in `fixtures/err/`, with reviewed snapshots.)

use std::io::Read as _;

use miette::Diagnostic;

use crate::support::{Outcome, run_cli};
use stackwire::exit;
use stackwire::limits::MAX_STACK_BYTES;

fn run_with_stdin(args: &[&str], stdin: &mut dyn std::io::Read) -> Outcome {
    run_cli(args.iter().copied(), stdin, false)
}

/// `stackwire compile -` on `text`, on a thread with a small stack (256 KiB, an eighth of
/// Rust's default for spawned threads): recursion that grows with the input would overflow it.
fn compile_on_small_stack(text: String) -> Outcome {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes()))
        .unwrap_or_else(|e| panic!("cannot spawn a thread: {e}"))
        .join()
        .unwrap_or_else(|_| panic!("stackwire panicked"))
}

/// The codes and 1-based lines of the problems `compile` finds in `text`.
fn problems(text: &str) -> Vec<(String, usize)> {
    stackwire::compile(text.as_bytes(), &stackwire::Options::default())
        .problems
        .iter()
        .map(|p| {
            let code = p.code().map(|c| c.to_string()).unwrap_or_default();
            let offset = p
                .labels()
                .and_then(|mut l| l.next())
                .map_or(0, |l| l.offset());
            let line = text[..offset.min(text.len())].matches('\n').count() + 1;
            (code, line)
        })
        .collect()
}

const STREAM: &str = "resources:\n  S:\n    type: Stream\n";

/// Mappings nested `depth` deep in block style, indented by `indent` spaces a level.
fn deep_block_maps(depth: usize, indent: usize) -> String {
    let mut s = String::from("resources:\n");
    for level in 1..=depth {
        s.push_str(&" ".repeat(indent * level));
        s.push_str("a:\n");
    }
    s
}

/// Lists nested `depth` deep in block style under a stream's `tags`.
fn deep_block_lists(depth: usize, indent: usize) -> String {
    let mut s = String::from(STREAM);
    s.push_str("    tags:\n");
    for level in 0..depth {
        s.push_str(&" ".repeat(6 + indent * level));
        s.push_str("-\n");
    }
    s
}

#[test]
fn ten_thousand_deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    // In block style every level indents further: 10,000 levels are 50 MB and more of spaces,
    // refused by size before parsing. 2,500 levels, one space each, fit under the size limit.
    let out = compile_on_small_stack(deep_block_maps(depth, 1));
    assert_eq!(out.code, exit::IO, "{}", out.stderr);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
    let cases = [
        // (name, text, the line the diagnostic points at)
        ("block mappings", deep_block_maps(2_500, 1), 65),
        ("block lists", deep_block_lists(2_500, 1), 66),
        (
            "flow mappings",
            format!(
                "{STREAM}    tags: {}x{}\n",
                "{a: ".repeat(depth),
                "}".repeat(depth)
            ),
            4,
        ),
        (
            "flow lists",
            format!(
                "{STREAM}    tags: {}x{}\n",
                "[".repeat(depth),
                "]".repeat(depth)
            ),
            4,
        ),
    ];
    for (name, text, line) in cases {
        assert_eq!(
            problems(&text),
            [("stackwire::yaml_syntax".to_owned(), line)],
            "{name}"
        );
        let out = compile_on_small_stack(text);
        assert_eq!(out.code, exit::INVALID, "{name}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{name}");
        assert!(out.stderr.contains("levels deep"), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("<stdin>:{line}:")),
            "{name}: does not point at line {line}: {}",
            out.stderr
        );
    }
}

/// Just inside the depth limit, the whole pipeline (parse, check, rendering) runs on a small
/// stack too.
#[test]
fn the_deepest_accepted_nesting_runs_on_a_small_stack() {
    // 63 levels in all: the root mapping, `resources`, `S`, then `tags` and 59 lists in it.
    let text = deep_block_lists(60, 2);
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "stackwire::wrong_type");
    let out = compile_on_small_stack(text);
    assert_eq!(out.code, exit::INVALID, "{}", out.stderr);
    assert!(
        out.stderr.contains("`tags` must be a mapping"),
        "{}",
        out.stderr
    );

    // A filter pattern as deep as the limit allows goes through check, lower, emit and JSON.
    let pattern = |depth: usize| {
        format!(
            "resources:\n  S:\n    type: Stream\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: i.h\nwires:\n  - from: S\n    to: F\n    filters:\n      - {{data: {}[x]{}}}\n",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        )
    };
    let out = compile_on_small_stack(pattern(58));
    assert_eq!(out.code, exit::OK, "{}", out.stderr);
    let json = format!("{}[\"x\"]{}", "{\"a\":".repeat(58), "}".repeat(58));
    assert!(out.stdout.contains(&json), "{}", out.stdout);
    let out = compile_on_small_stack(pattern(59));
    assert_eq!(out.code, exit::INVALID, "{}", out.stderr);
    assert!(out.stderr.contains("levels deep"), "{}", out.stderr);
}

#[test]
fn an_input_over_the_size_limit_is_refused_unread() {
    // 100 MB on standard input: refused after the first 4 MiB, exit 3.
    let mut endless = std::io::repeat(b'#').take(100 * 1024 * 1024);
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut endless);
    assert_eq!(out.code, exit::IO, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("cannot read standard input: it is larger than 4,194,304 bytes"),
        "{}",
        out.stderr
    );

    // A 100 MB file (sparse, so the test writes nothing), for compile and validate.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a folder: {e}"));
    let big = dir.path().join("big.yaml");
    let file = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(100 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    let big = big.to_string_lossy().into_owned();
    for command in ["compile", "validate"] {
        let out = run_with_stdin(&["stackwire", command, &big], &mut std::io::empty());
        assert_eq!(out.code, exit::IO, "{command}: {}", out.stderr);
        assert!(out.stderr.contains("larger than"), "{}", out.stderr);
    }
}

#[test]
fn an_input_just_under_the_size_limit_compiles() {
    let comment = format!("# {}\n", "c".repeat(97));
    let lines = (MAX_STACK_BYTES - STREAM.len()) / comment.len();
    let text = format!("{}{STREAM}", comment.repeat(lines));
    assert!(text.len() <= MAX_STACK_BYTES && text.len() > MAX_STACK_BYTES - 100);
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::OK, "{}", out.stderr);
    assert!(out.stdout.contains("Type: AWS::Kinesis::Stream"));
}

#[test]
fn six_hundred_resources_are_too_many() {
    let mut text = String::from("resources:\n");
    for i in 0..600 {
        text.push_str(&format!("  Stream{i}:\n    type: Stream\n"));
    }
    assert_eq!(
        problems(&text),
        [("stackwire::too_many_resources".to_owned(), 1)]
    );
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::INVALID);
    assert!(out.stderr.contains("600 resources"), "{}", out.stderr);
}

/// A problem far along a very long line: miette cannot draw an underline past column 65,535
/// (it panicked here), and the line would flood the terminal; the position is given instead.
#[test]
fn a_problem_on_a_very_long_line_is_reported_by_position() {
    let padding = "a".repeat(100_000);
    let text = format!("{STREAM}    tags: {{team: {padding}, bogus: [1]}}\n");
    let column = "    tags: {team: , bogus: ".len() + padding.len() + 1;
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::INVALID, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "at <stdin>:4:{column} (the line is too long to show)"
        )),
        "{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
    assert!(
        out.stderr.len() < 2_000,
        "{} bytes of diagnostics",
        out.stderr.len()
    );

    // A too-long description on one line: the same, and the message says what is wrong.
    let text = format!("description: {}\n{STREAM}", "d".repeat(200_000));
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::INVALID);
    assert!(out.stderr.contains("stackwire::too_long"), "{}", out.stderr);
    assert!(out.stderr.contains("at <stdin>:1:14"), "{}", out.stderr);
    assert!(out.stderr.len() < 2_000);
}

/// A long string behind an anchor, aliased thousands of times: stopped by the scalar budget
/// before it is copied gigabytes over.
#[test]
fn a_long_string_aliased_many_times_is_stopped() {
    let aliases = vec!["*big"; 5_000].join(", ");
    let text = format!(
        "description: &big '{}'\n{STREAM}    tags: {{a: [{aliases}]}}\n",
        "x".repeat(10_000)
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "stackwire::yaml_syntax");
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::INVALID);
    assert!(
        out.stderr
            .contains("aliases expanded, is more than 8,388,608 bytes"),
        "{}",
        out.stderr
    );
}

/// A document of more values than the event budget: a clear message, not a Debug dump.
#[test]
fn too_many_yaml_values_is_a_clear_error() {
    let text = format!(
        "{STREAM}    tags: {{a: [{}]}}\n",
        vec!["1"; 600_000].join(",")
    );
    assert!(text.len() < MAX_STACK_BYTES);
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::INVALID);
    assert!(
        out.stderr
            .contains("the file has more than 500,000 YAML values"),
        "{}",
        out.stderr
    );
}

/// Thousands of problems: every one is counted, the first 1,000 are shown.
#[test]
fn a_report_shows_the_first_thousand_problems() {
    let mut text = String::from("resources:\n");
    for i in 0..1_500 {
        text.push_str(&format!("  S{i}:\n    type: Stream\n    shardCont: 1\n"));
    }
    assert_eq!(problems(&text).len(), 1_501);
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::INVALID);
    assert!(
        out.stderr
            .starts_with("  × <stdin>: 1501 errors (the first 1,000 shown)\n"),
        "{}",
        &out.stderr[..200]
    );
    assert_eq!(out.stderr.matches("\nError: stackwire::").count(), 1_000);
    // In file order: the last one shown is the 1,000th.
    assert!(out.stderr.contains("in Stream `S998`"));
    assert!(!out.stderr.contains("in Stream `S999`"));
}

/// Megabytes of text where a short name belongs (a type, a runtime, a wire end, a key): the
/// message shows its ends, not all of it, and the did-you-mean search does not build a table
/// of megabytes per candidate (it took 5.6 s and 400 MB for a runtime).
#[test]
fn megabyte_names_are_reported_briefly() {
    let long = "n".repeat(3_000_000);
    let cases = [
        (
            format!("resources:\n  S:\n    type: {long}\n"),
            "stackwire::unknown_resource_type",
        ),
        (
            format!(
                "resources:\n  F:\n    type: Function\n    handler: i.h\n    runtime: {long}\n"
            ),
            "stackwire::unknown_runtime",
        ),
        (
            format!("{STREAM}wires:\n  - from: S\n    to: {long}\n"),
            "stackwire::unknown_wire_end",
        ),
        // A plain key is at most 1,024 characters in YAML; longer is a syntax error.
        (
            format!("{STREAM}    {}: 1\n", "k".repeat(1_000)),
            "stackwire::unknown_key",
        ),
        (format!("{STREAM}    {long}: 1\n"), "stackwire::yaml_syntax"),
    ];
    for (text, code) in cases {
        let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
        assert_eq!(
            out.code,
            exit::INVALID,
            "{}",
            &out.stderr[..out.stderr.len().min(500)]
        );
        assert!(
            out.stderr.contains(code),
            "{}",
            &out.stderr[..out.stderr.len().min(500)]
        );
        assert!(
            out.stderr.len() < 5_000,
            "{code}: {} bytes of diagnostics",
            out.stderr.len()
        );
    }
}

/// Pass-through content gets the limits of the rest of the file: as deep as the limit allows,
/// tags at every level, it compiles on a small stack with its meaning kept; one level deeper is
/// the nesting error; a wide section of many references is checked quickly.
#[test]
fn deep_and_wide_pass_through_content_is_bounded() {
    let head = "resources:\n  F: {type: Function, runtime: nodejs22.x, handler: i.h}\ntemplate:\n  Parameters:\n    P: {Type: String}\n  Outputs:\n";
    // The root, `template`, `Outputs`, `O` and `Value` take 5 levels; each `!Join ['', [...]]`
    // two more.
    let deep = |joins: usize| {
        format!(
            "{head}    O:\n      Value: {}!Ref P{}\n",
            "!Join ['', [".repeat(joins),
            "]]".repeat(joins)
        )
    };
    let out = compile_on_small_stack(deep(29));
    assert_eq!(out.code, exit::OK, "{}", out.stderr);
    let written = format!("{}!Ref P{}", "!Join ['', [".repeat(29), "]]".repeat(29));
    assert!(out.stdout.contains(&written), "{}", out.stdout);
    let out = compile_on_small_stack(deep(31));
    assert_eq!(out.code, exit::INVALID, "{}", out.stderr);
    assert!(out.stderr.contains("levels deep"), "{}", out.stderr);

    // 2,000 outputs, each a `!Sub` of three references, one of them to nothing.
    let mut text = head.to_owned();
    for i in 0..2_000 {
        text.push_str(&format!(
            "    O{i}: {{Value: !Sub '${{P}}-${{AWS::Region}}-${{F.Arn}}-{i}'}}\n"
        ));
    }
    text.push_str("    Bad: {Value: !Ref Nothing}\n");
    let started = std::time::Instant::now();
    let found = problems(&text);
    let took = started.elapsed();
    assert_eq!(
        found,
        vec![("stackwire::unknown_reference".to_owned(), 2_007)]
    );
    assert!(took.as_secs_f64() < 5.0, "took {took:?}");
}

/// The one problem `compile` finds in `text`, as its code, its line and the human report.
fn one_yaml_problem(text: &str) -> (usize, String) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "stackwire::yaml_syntax", "{found:?}");
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::INVALID);
    (found[0].1, out.stderr)
}

/// The reader's budgets on anchors, aliases and merge keys: each is a clear error at the
/// place it is passed (10,000 of each is far past any stack; the file stays small).
#[test]
fn anchors_aliases_and_merge_keys_past_their_budgets_are_errors() {
    let anchors: Vec<String> = (0..10_001).map(|i| format!("&a{i} {i}")).collect();
    let text = format!("{STREAM}    tags: {{a: [{}]}}\n", anchors.join(", "));
    let (line, stderr) = one_yaml_problem(&text);
    assert_eq!(line, 4);
    assert!(
        stderr.contains("more anchors and aliases than stackwire allows"),
        "{stderr}"
    );

    let text = format!(
        "description: &d x\n{STREAM}    tags: {{a: [{}]}}\n",
        vec!["*d"; 10_001].join(", ")
    );
    let (line, stderr) = one_yaml_problem(&text);
    assert_eq!(line, 5);
    assert!(
        stderr.contains("more anchors and aliases than stackwire allows"),
        "{stderr}"
    );

    let merges: Vec<String> = (0..10_001)
        .map(|i| format!("  - {{<<: {{k{i}: 1}}}}\n"))
        .collect();
    let text = format!("{STREAM}x:\n{}", merges.concat());
    let (line, stderr) = one_yaml_problem(&text);
    assert_eq!(line, 5 + 10_000);
    assert!(
        stderr.contains("exceeds stackwire's limits on YAML"),
        "{stderr}"
    );
}

/// Merge keys replay what they merge, and count against the same replay budget as aliases:
/// a billion laughs built from `<<` stops like one built from lists.
#[test]
fn a_merge_key_bomb_is_stopped() {
    let mut text = String::from(
        "a: &a {x0: 1, x1: 1, x2: 1, x3: 1, x4: 1, x5: 1, x6: 1, x7: 1, x8: 1, x9: 1}\n",
    );
    let mut previous = String::from("a");
    for level in ["b", "c", "d", "e", "f", "g"] {
        let merged: Vec<String> = (0..10)
            .map(|i| format!("{level}{i}: {{<<: *{previous}}}"))
            .collect();
        text.push_str(&format!("{level}: &{level} {{{}}}\n", merged.join(", ")));
        previous = level.to_owned();
    }
    text.push_str(STREAM);
    let (_, stderr) = one_yaml_problem(&text);
    assert!(
        stderr.contains("aliases expand to more than 100,000 values"),
        "{stderr}"
    );
}

/// An alias inside the value its own anchor names, and a merge key given a scalar: errors
/// that say so, at the alias and at the value.
#[test]
fn a_recursive_alias_and_a_merged_scalar_are_errors() {
    let text = format!("{STREAM}    tags: &t {{a: *t}}\n");
    let (line, stderr) = one_yaml_problem(&text);
    assert_eq!(line, 4);
    assert!(
        stderr.contains("an alias is used inside the value its anchor names"),
        "{stderr}"
    );

    let text = format!("{STREAM}    tags:\n      <<: 5\n");
    let (line, stderr) = one_yaml_problem(&text);
    assert_eq!(line, 5);
    assert!(
        stderr.contains("merge value must be mapping or sequence of mappings"),
        "{stderr}"
    );
}

/// Merge keys as YAML has them: the mapping's own keys win, then earlier merged mappings over
/// later ones, and what a merge brings in is checked like what is written out.
#[test]
fn merge_keys_merge_and_what_they_bring_is_checked() {
    let text = "resources:\n  S:\n    type: Stream\n    tags: &t {team: orders, env: dev}\n  T:\n    type: Stream\n    tags:\n      <<: [{env: test, cost: c1}, *t]\n      env: prod\n";
    let out = run_with_stdin(&["stackwire", "compile", "-"], &mut text.as_bytes());
    assert_eq!(out.code, exit::OK, "{}", out.stderr);
    let t = out.stdout.split("\n  T:\n").nth(1).unwrap_or_default();
    for tag in [
        "Key: env\n          Value: prod",
        "Key: cost\n          Value: c1",
        "Key: team\n          Value: orders",
    ] {
        assert!(t.contains(tag), "no `{tag}` on T:\n{t}");
    }
    assert_eq!(t.matches("Key: env").count(), 1, "{t}");

    let text = "resources:\n  S:\n    type: Stream\n    <<: [{shardCont: 1}]\n";
    let found = problems(text);
    assert_eq!(found, [("stackwire::unknown_key".to_owned(), 4)]);
}
