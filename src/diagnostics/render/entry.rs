//! A file's problems in the terms every machine format uses: made in one place ([`entries`]),
//! so `json`, `github` and `sarif` carry the same diagnostics at the same places.

use miette::{Diagnostic, SourceSpan};

use crate::diagnostics::Problem;
use crate::diagnostics::line_index::{LineIndex, Location};

/// One label of a diagnostic: a place, and what is said there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub message: Option<String>,
    pub location: Location,
}

/// One diagnostic, in the terms every format uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file as it was named (`<stdin>` for standard input).
    pub file: String,
    pub error: bool,
    /// The stable code, `stackwire::<name>`.
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    /// The main place: the label the human report shows in its header (the first one).
    pub primary: Label,
    /// The other labels, in the diagnostic's order.
    pub others: Vec<Label>,
}

impl Entry {
    pub(super) fn severity(&self) -> &'static str {
        if self.error { "error" } else { "warning" }
    }

    /// The message with the help, if any, on a line of its own (for GitHub and SARIF, which
    /// have no field for help).
    pub(super) fn message_with_help(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.clone(),
        }
    }
}

/// A file's problems as entries, in the order given.
pub fn entries(file: &str, text: &str, problems: &[Problem]) -> Vec<Entry> {
    let index = LineIndex::new(text);
    problems
        .iter()
        .map(|problem| {
            let mut labels: Vec<(bool, Label)> = problem
                .labels()
                .map(|labels| {
                    labels
                        .map(|l| {
                            let label = Label {
                                message: l.label().map(str::to_owned),
                                location: index.location(*l.inner()),
                            };
                            (l.primary(), label)
                        })
                        .collect()
                })
                .unwrap_or_default();
            // As miette picks the place it shows in the header: a label marked primary, else
            // the first.
            let at = labels.iter().position(|(primary, _)| *primary).unwrap_or(0);
            let primary = if at < labels.len() {
                labels.remove(at).1
            } else {
                Label {
                    message: None,
                    location: index.location(SourceSpan::new(0.into(), 0)),
                }
            };
            Entry {
                file: file.to_owned(),
                error: problem.is_error(),
                code: problem
                    .code()
                    .map_or_else(|| "stackwire::unknown".to_owned(), |c| c.to_string()),
                message: problem.to_string(),
                help: problem.help().map(|h| h.to_string()),
                primary,
                others: labels.into_iter().map(|(_, l)| l).collect(),
            }
        })
        .collect()
}
