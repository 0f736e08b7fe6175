//! What the machine formats hold: at most [`MAX_LISTED`] diagnostics of a run are listed, every
//! one is counted. A 4 MiB file can hold 200,000 problems; listed in full, a SARIF log of them
//! took 1.9 GB of memory to build and hundreds of megabytes to write, and no tool or person
//! reads that far. The formats say how many were left out (`summary.omitted` in JSON, a
//! notification in SARIF, a `::warning` line in `github`).

use super::{Entry, entries};
use crate::diagnostics::Problem;
use crate::diagnostics::thousands;

/// The most diagnostics one run lists in `json`, `sarif` and `github`.
pub const MAX_LISTED: usize = 10_000;

/// The diagnostics of a run, as listed and as counted.
#[derive(Default)]
pub(super) struct Listed {
    /// The entries kept for the one document (`json`, `sarif`; `github` keeps none).
    pub entries: Vec<Entry>,
    /// How many entries were handed out, kept or not.
    listed: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Diagnostics counted but not listed.
    pub omitted: usize,
}

impl Listed {
    /// Counts every problem of a file and returns the entries of those still listed.
    pub fn take(&mut self, name: &str, text: &str, problems: &[Problem]) -> Vec<Entry> {
        let errors = problems.iter().filter(|p| p.is_error()).count();
        self.errors += errors;
        self.warnings += problems.len() - errors;
        let shown = problems.len().min(MAX_LISTED.saturating_sub(self.listed));
        self.listed += shown;
        self.omitted += problems.len() - shown;
        entries(name, text, &problems[..shown])
    }

    /// Gathers a file's listed entries for the one document (`json`, `sarif`).
    pub fn add(&mut self, name: &str, text: &str, problems: &[Problem]) {
        let listed = self.take(name, text, problems);
        self.entries.extend(listed);
    }

    /// The sentence saying what was left out, if anything was.
    pub fn omitted_message(&self) -> Option<String> {
        (self.omitted > 0).then(|| {
            format!(
                "{} more diagnostics are not listed: a run lists the first {} (all are counted)",
                thousands(self.omitted),
                thousands(MAX_LISTED)
            )
        })
    }
}
