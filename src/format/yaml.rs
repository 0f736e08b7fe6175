//! YAML text -> a tree of [`Node`]s with spans, within the limits on the YAML itself; every
//! way the text can fail to be YAML (syntax, a budget breached, an alias bomb) as one problem.

use miette::SourceSpan;

use crate::diagnostics::Problem;
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
    match serde_saphyr::from_str_with_options::<Option<Node>>(text, options()) {
        Ok(Some(root)) => Ok(root),
        Ok(None) => Err(Problem::EmptyStack {
            span: SourceSpan::new(0.into(), 0),
        }),
        Err(error) => Err(yaml_error(text, &error)),
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
    const ALIAS_HELP: &str = "write the values out instead of expanding aliases many times over";
    const DEPTH_HELP: &str = "a stack description is only a few levels deep; check the indentation";
    let size_help = format!(
        "a stack description of {} resources is far smaller; split the file into several stacks",
        crate::diagnostics::thousands(crate::limits::MAX_RESOURCES)
    );
    let (message, help) = match inner {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Documents { .. } => (
                "the file holds more than one YAML document".to_owned(),
                Some(
                    "a stack description is one YAML document: remove the `---` separator and merge the documents, or split them into files",
                ),
            ),
            BudgetBreach::Depth { depth } => (
                format!(
                    "the file is nested {depth} levels deep; stackwire reads at most {MAX_DEPTH}"
                ),
                Some(DEPTH_HELP),
            ),
            BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => (
                format!(
                    "the file has more than {} YAML values; stackwire reads at most that many",
                    crate::diagnostics::thousands(MAX_EVENTS)
                ),
                Some(size_help.as_str()),
            ),
            BudgetBreach::ScalarBytes { .. } => (
                format!(
                    "the text in the file, aliases expanded, is more than {} bytes; stackwire reads at most that much",
                    crate::diagnostics::thousands(MAX_SCALAR_BYTES)
                ),
                Some(ALIAS_HELP),
            ),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => (
                "the file uses more anchors and aliases than stackwire allows".to_owned(),
                Some(ALIAS_HELP),
            ),
            _ => (
                "the file exceeds stackwire's limits on YAML".to_owned(),
                Some(size_help.as_str()),
            ),
        },
        _ => {
            let mut message = inner.to_string();
            // The label shows the location; drop serde-saphyr's own "at line X column Y".
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
            } else if message.contains("replay limit") {
                // serde-saphyr's own words are `alias replay limit exceeded: total_replayed_events=...`.
                message = format!(
                    "the file's aliases expand to more than {} values; stackwire expands at most that many",
                    crate::diagnostics::thousands(MAX_REPLAYED)
                );
                Some(ALIAS_HELP)
            } else if message.contains("alias") || message.contains("replay") {
                Some(ALIAS_HELP)
            } else {
                None
            };
            (message, help)
        }
    };
    Problem::YamlSyntax {
        message,
        span: SourceSpan::new(offset.into(), 0),
        help: help.map(str::to_owned),
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
