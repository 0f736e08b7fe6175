//! The report for a terminal: one line per resource, what it means below it, then the summary.

use crate::diagnostics::escaped;
use crate::diff::{Action, Report};

pub fn render(report: &Report, old: &str, new: &str) -> String {
    let mut out = format!("stackwire diff {} -> {}\n", escaped(old), escaped(new));
    lines(report, &mut out, true);
    out.push_str(&format!("{}\n", summary(report)));
    out
}

/// What `compile --check` prints above its unified diff: the summary, then a line for each
/// resource that changes.
pub fn brief(report: &Report) -> String {
    let mut out = format!("{}\n", summary(report));
    lines(report, &mut out, false);
    out
}

/// One line per resource (the unchanged ones too when `unchanged`), what each means below it.
fn lines(report: &Report, out: &mut String, unchanged: bool) {
    let width = report
        .entries
        .iter()
        .map(|e| e.id.len())
        .max()
        .unwrap_or(0)
        .min(40);
    for entry in &report.entries {
        if !unchanged && entry.action == Action::Unchanged {
            continue;
        }
        let mark = if entry.blocks() {
            "!"
        } else if entry.destructive {
            "~"
        } else {
            " "
        };
        out.push_str(&format!(
            "{mark} {:<11} {:<width$}  {}",
            entry.action.word(),
            escaped(&entry.id),
            escaped(&entry.kind),
        ));
        let why = super::why(entry);
        if !why.is_empty() && entry.action != Action::Unchanged {
            out.push_str(&format!(": {}", escaped(&why)));
        }
        out.push('\n');
        for consequence in &entry.consequences {
            out.push_str(&format!("      - {}\n", escaped(consequence)));
        }
        if entry.destructive && entry.allowed {
            out.push_str("      - allowed with --allow\n");
        }
    }
    if !report.parameters.is_empty() {
        out.push_str(&format!(
            "parameters changed: {}\n",
            escaped(&report.parameters.join(", "))
        ));
    }
    for note in &report.notes {
        out.push_str(&format!("note: compared as written: {}\n", escaped(note)));
    }
}

/// The summary line `compile --check` prints above its diff.
pub fn summary(report: &Report) -> String {
    format!("deploy guard: {}", report.summary())
}
