//! YAML text -> a tree of [`Node`]s with spans, within the limits on the YAML itself; every
//! way the text can fail to be YAML (syntax, a budget breached, an alias bomb) as one problem.

use miette::SourceSpan;

use crate::diagnostics::Problem;
use crate::format::build;
use crate::format::node::Node;
use crate::limits::{MAX_DEPTH, MAX_EVENTS, MAX_REPLAYED, MAX_SCALAR_BYTES};

/// Limits on the YAML itself, far above any real stack and far below what would hurt: a
/// pre-commit hook must answer an alias bomb or a 10,000-deep nesting with an error, quickly.
pub fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        // Local tags (`!Ref`, `!GetAtt`, ...) reach the node tree, which keeps them: `parse`
        // says where an intrinsic may stand, and every other problem is still reported.
        reject_unsupported_tags: false,
        non_finite_float_policy: serde_saphyr::options::NonFiniteFloatPolicy::AsString,
        budget: serde_saphyr::budget! {
            // Anchors reused many times are ordinary; alias bombs are stopped by the replay limit.
            enforce_alias_anchor_ratio: false,
            max_depth: MAX_DEPTH,
            max_documents: 1,
            max_aliases: 10_000,
            max_anchors: 10_000,
            // A stack at CloudFormation's 500-resource limit is a few tens of thousands of
            // events; this admits files far past it (10,000 resources are about 310,000 events) within MAX_STACK_BYTES, so
            // they are told about the limit rather than stopped as too big for YAML.
            max_events: MAX_EVENTS,
            max_nodes: MAX_EVENTS,
            // Counts text replayed through aliases too: a long string aliased many times over.
            max_total_scalar_bytes: MAX_SCALAR_BYTES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED,
            max_replay_stack_depth: 16,
        },
    }
}

/// The node tree of `text`, or the one problem that stops it being read.
pub fn read(text: &str) -> Result<Node, Problem> {
    if let Some(problem) = super::scalar_tags::first_core_tag(text) {
        return Err(problem);
    }
    match build::build(text) {
        Ok(Some(root)) => Ok(root),
        Ok(None) => Err(empty()),
        Err((stop, offset)) => Err(stopped(text, stop, offset)),
    }
}

/// The same tree read through serde-saphyr's deserializer: the reading [`read`] is held to
/// (tests compare the two), and the baseline the benchmark measures it against.
#[doc(hidden)]
pub fn read_with_serde(text: &str) -> Result<Node, Problem> {
    if let Some(problem) = super::scalar_tags::first_core_tag(text) {
        return Err(problem);
    }
    match serde_saphyr::from_str_with_options::<Option<Node>>(text, options()) {
        Ok(Some(root)) => Ok(root),
        Ok(None) => Err(empty()),
        Err(error) => Err(yaml_error(text, &error)),
    }
}

/// Whether `text` has a merge key with no value (`<<:`, `<<: ~`, `<<: null`, each perhaps
/// followed by a comment): the one input on
/// which [`read`] (which refuses it) and [`read_with_serde`] (which merges nothing) differ on
/// purpose. For the tests and the fuzzer that hold the two readers to each other.
#[doc(hidden)]
pub fn is_null_merge(text: &str) -> bool {
    text.split(['\n', '\r']).any(|line| {
        let line = line.trim_start().trim_start_matches(['{', ' ']);
        line.strip_prefix("<<:").is_some_and(|rest| {
            // A comment begins at a `#` after a space (or right after `<<:`'s space).
            let value = match rest.find(" #") {
                Some(at) => &rest[..at],
                None => rest,
            };
            matches!(
                value.trim().trim_end_matches([',', '}']).trim(),
                "" | "~" | "null" | "Null" | "NULL"
            )
        })
    })
}

fn empty() -> Problem {
    Problem::EmptyStack {
        span: SourceSpan::new(0.into(), 0),
    }
}

const ALIAS_HELP: &str = "write the values out instead of expanding aliases many times over";
const DEPTH_HELP: &str = "a stack description is only a few levels deep; check the indentation";

fn size_help() -> String {
    format!(
        "a stack description of {} resources is far smaller; split the file into several stacks",
        crate::diagnostics::thousands(crate::limits::MAX_RESOURCES)
    )
}

fn documents() -> (String, Option<String>) {
    (
        "the file holds more than one YAML document".to_owned(),
        Some(
            "a stack description is one YAML document: remove the `---` separator and merge the documents, or split them into files".to_owned(),
        ),
    )
}

fn depth(depth: usize) -> (String, Option<String>) {
    (
        format!("the file is nested {depth} levels deep; stackwire reads at most {MAX_DEPTH}"),
        Some(DEPTH_HELP.to_owned()),
    )
}

fn too_many_values() -> (String, Option<String>) {
    (
        format!(
            "the file has more than {} YAML values; stackwire reads at most that many",
            crate::diagnostics::thousands(MAX_EVENTS)
        ),
        Some(size_help()),
    )
}

fn too_much_text() -> (String, Option<String>) {
    (
        format!(
            "the text in the file, aliases expanded, is more than {} bytes; stackwire reads at most that much",
            crate::diagnostics::thousands(MAX_SCALAR_BYTES)
        ),
        Some(ALIAS_HELP.to_owned()),
    )
}

fn too_many_aliases() -> (String, Option<String>) {
    (
        "the file uses more anchors and aliases than stackwire allows".to_owned(),
        Some(ALIAS_HELP.to_owned()),
    )
}

fn too_much_replayed() -> (String, Option<String>) {
    (
        format!(
            "the file's aliases expand to more than {} values; stackwire expands at most that many",
            crate::diagnostics::thousands(MAX_REPLAYED)
        ),
        Some(ALIAS_HELP.to_owned()),
    )
}

fn recursive_alias() -> (String, Option<String>) {
    (
        "an alias is used inside the value its anchor names".to_owned(),
        Some("a value cannot contain itself: write the inner value out".to_owned()),
    )
}

/// The parser's own words for a syntax error, with help where the cause is a common one.
fn scan_message(mut message: String) -> (String, Option<String>) {
    // The label shows the location; drop any "at line X column Y".
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let help = if message.contains("tab") {
        Some("YAML indentation uses spaces; replace the tab with spaces")
    } else if message.contains("unsupported tag") {
        Some(
            "a stack description has no YAML tags: write plain values (stackwire writes `!Ref` and `!GetAtt` into the template itself)",
        )
    } else if message.contains("recursion limit") {
        // The parser's own bound on nested flow collections (`[[[...`, `{a: {a: ...`).
        message = format!("the file is nested more than {MAX_DEPTH} levels deep");
        Some(DEPTH_HELP)
    } else if message.contains("merge value") {
        Some("merge a mapping (`<<: *defaults`) or a list of them, or write the keys out")
    } else if message.contains("replay limit") {
        return too_much_replayed();
    } else if message.contains("alias") || message.contains("replay") || message.contains("anchor")
    {
        Some(ALIAS_HELP)
    } else {
        None
    };
    (message, help.map(str::to_owned))
}

fn stopped(text: &str, stop: build::Stop, offset: usize) -> Problem {
    use build::Stop;
    let (message, help) = match stop {
        Stop::Scan(error) => {
            if matches!(error.kind(), granit_parser::ErrorKind::UnknownAnchor) {
                (
                    "alias references unknown anchor".to_owned(),
                    Some(ALIAS_HELP.to_owned()),
                )
            } else {
                scan_message(error.info())
            }
        }
        Stop::Documents(_) => documents(),
        Stop::Depth(levels) => depth(levels),
        Stop::Events(_) => too_many_values(),
        Stop::ScalarBytes(_) => too_much_text(),
        Stop::Anchors(_) | Stop::Aliases(_) => too_many_aliases(),
        Stop::Replayed(_) => too_much_replayed(),
        Stop::MergeKeys(_) => (
            "the file exceeds stackwire's limits on YAML".to_owned(),
            Some(size_help()),
        ),
        Stop::RecursiveAlias => recursive_alias(),
        Stop::MergeValue => {
            scan_message("YAML merge value must be mapping or sequence of mappings".to_owned())
        }
    };
    Problem::YamlSyntax {
        message,
        span: SourceSpan::new(offset.min(text.len()).into(), 0),
        help,
    }
}

fn yaml_error(text: &str, error: &serde_saphyr::Error) -> Problem {
    use serde_saphyr::budget::BudgetBreach;
    let located = error.without_snippet();
    let offset = located.location().map_or(0, |l| {
        let by_byte = l.span().byte_offset().and_then(|o| usize::try_from(o).ok());
        by_byte.unwrap_or_else(|| offset_of(text, l.line(), l.column()))
    });
    let offset = offset.min(text.len());
    // The error itself, out of the wrappers that say where an alias was used or defined.
    let mut inner = located;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = inner
    {
        inner = error;
    }
    let (message, help) = match inner {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Documents { .. } => documents(),
            BudgetBreach::Depth { depth: levels } => depth(*levels),
            BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => too_many_values(),
            BudgetBreach::ScalarBytes { .. } => too_much_text(),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => too_many_aliases(),
            _ => (
                "the file exceeds stackwire's limits on YAML".to_owned(),
                Some(size_help()),
            ),
        },
        serde_saphyr::Error::RecursiveReferencesRequireWeakTypes { .. } => recursive_alias(),
        _ => scan_message(inner.to_string()),
    };
    Problem::YamlSyntax {
        message,
        span: SourceSpan::new(offset.into(), 0),
        help,
    }
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
            return offset + l.char_indices().nth(skip).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every YAML and JSON file in the repository's fixtures, and inputs made to reach each
    /// corner of the reading: both readers agree on each, tree or problem.
    #[test]
    fn the_event_reader_reads_as_serde_saphyr_does() {
        // serde's reading of 64 levels of nesting takes more stack, unoptimised, than a test
        // thread has.
        let run = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(compare_readers)
            .unwrap_or_else(|e| panic!("{e}"));
        if let Err(panic) = run.join() {
            std::panic::resume_unwind(panic);
        }
    }

    fn compare_readers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut pending = vec![root];
        let mut files = Vec::new();
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
                let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
                if path.is_dir() {
                    pending.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 100, "{} fixture files", files.len());
        let mut differ = Vec::new();
        for path in &files {
            // A few fixtures are not UTF-8 on purpose: the reader never sees those.
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if read(&text) != read_with_serde(&text) {
                differ.push(path.display().to_string());
            }
            // Cut short at a few places, for the errors a file part-written makes.
            for part in 1..8 {
                let mut cut = text.len() * part / 8;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                let head = &text[..cut];
                if read(head) != read_with_serde(head) {
                    differ.push(format!("{} cut at {cut}", path.display()));
                }
            }
        }
        for text in CORNERS {
            if read(text) != read_with_serde(text) {
                differ.push(format!(
                    "{text:?}: {:?} vs {:?}",
                    read(text),
                    read_with_serde(text)
                ));
            }
        }
        assert!(differ.is_empty(), "{}", differ.join("\n"));
    }

    const CORNERS: &[&str] = &[
        "",
        "# only a comment\n",
        "~\n",
        "!kind: ",
        "!Foo\n",
        "--- !Foo\n",
        "!Foo ~\n",
        "!Foo null\n",
        "!Foo ''\n",
        "---\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "a: [1, 2.5, -3, 0x1F, 0o17, 0b11, 1_000, 007, 1e999, -.inf, .NaN, +.nan, 0X1F, inf]\n",
        "a: [true, True, TRUE, yes, no, on, off, y, n, False]\n",
        "a: [null, Null, NULL, ~, '', \"\", nil]\n",
        "a: [18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809]\n",
        "a: [+5, -0, +0x10, -0b1, 1__0, _1, 1_, 0_1, 1.5e3, .5, 5., +.5, 1_000.5]\n",
        "a: ['1', \"true\", |\n  5\n, >\n  null\n]\n",
        "a: !Ref B\nb: !GetAtt [X, Arn]\nc: !Sub\n  - x\n  - {y: 1}\nd: !Ref 12\ne: !Ref\nf: ! 12\ng: ! ~\n",
        "a: &x {b: 1, c: [2, 3]}\nd: *x\ne: [*x, *x]\n",
        "a: &x 5\nb: *x\n",
        "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
        "base: &b {x: 1, y: 2}\nother: &o {y: 9, z: 3}\nm:\n  <<: [*b, *o]\n  w: 0\n",
        "m:\n  <<: {x: 1}\n  x: 2\n  <<: {z: 1}\n",
        "m: {<<: {a: 1}, b: 2}\n",
        "m:\n  '<<': {x: 1}\n",
        "m:\n  <<: 5\n",
        "m:\n  <<: [1]\n",
        "m:\n  <<: [{a: 1}, {b: 2}]\n  c: 3\n",
        "a: &a {x: 1}\nm:\n  <<: [*a, {b: 2}]\n",
        "a: *nope\n",
        "a: &x [*x]\n",
        "a: 1\na: 2\n",
        "? [a, b]\n: c\n",
        "{a: 1, b: [x, {c: d}]}\n",
        "a:\n\t- 1\n",
        "a: {b: 1\n",
        "a: [1, 2\n",
        "key: \"unterminated\n",
        "a: b: c\n",
        "- a\nb: c\n",
        "a: !!str 2\n",
        "a: !<tag:example.com,2000:x> 5\n",
        "%TAG !e! tag:example.com,2000:\n---\na: !e!x 5\n",
        "a: !!map {b: 1}\n",
        "a: !!seq [1]\n",
        "\u{feff}a: 1\n",
        "a: 1\r\nb: 2\r\n",
        "a: 1\rb: 2\r",
        "a: café ☕\nb: \"\\u00e9\\t\\x1b\"\n",
        "a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
        "a: - b\n",
        "a: |\n  text\n  more\nb: >-\n  folded\n  text\n",
        "a: 'it''s'\n",
        "- - - x\n",
        "a:\n  - b: 1\n    c: 2\n  - d\n",
        "a: b\n  c: d\n",
        "a: [b, c]]\n",
        "&a a: *a\n",
        "*a\n",
        "!Ref x\n",
        "a: @b\n",
        "a: `b\n",
        "a: %b\n",
    ];

    /// The one place the readers differ on purpose: a merge key with no value (`<<:`, `<<: ~`).
    /// serde-saphyr merges nothing; stackwire refuses it, as the YAML merge type says (its value
    /// is a mapping or a list of them) and as PyYAML, which cfn-lint and the SAM CLI read with,
    /// refuses it. It is most likely an alias that was cut off (`<<: *defaults`).
    #[test]
    fn a_merge_key_without_a_value_is_refused_where_serde_saphyr_merges_nothing() {
        for text in [
            "m:\n  <<:\n  a: 1\n",
            "m:\n  <<: ~\n",
            "\n <<:  ",
            "<<: null\n",
            // A comment after the key: found by the fuzzer.
            "<<: # the defaults\nresources: {}\n",
            "m:\n  <<: ~ # none\n  a: 1\n",
        ] {
            match read(text) {
                Err(Problem::YamlSyntax { message, .. }) => {
                    assert!(message.contains("merge value"), "{text:?}: {message}")
                }
                other => panic!("{text:?}: {other:?}"),
            }
            assert!(read_with_serde(text).is_ok(), "{text:?}");
            assert!(is_null_merge(text), "{text:?}");
        }
        assert!(!is_null_merge("m:\n  <<: 5\n"));
        assert!(!is_null_merge("m:\n  <<: [1]\n"));
        assert!(!is_null_merge("m:\n  <<: {a: 1} # a comment\n"));
    }
}
