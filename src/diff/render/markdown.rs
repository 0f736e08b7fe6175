//! The report as a Markdown table, for a pull request or `$GITHUB_STEP_SUMMARY`: the changed
//! resources, one row each, and the count of unchanged ones.

use crate::diff::{Action, Report};

/// Text safe in a table cell: no line breaks, `|` escaped, HTML's specials escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push('\''),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() || crate::diagnostics::escape::is_unsafe(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report, old: &str, new: &str) -> String {
    let mut out = format!("### stackwire diff: `{}` → `{}`\n\n", cell(old), cell(new));
    let blocked = report.blocked().count();
    out.push_str(&format!(
        "{} **{}**\n\n",
        if blocked > 0 { "⛔" } else { "✅" },
        cell(&report.summary())
    ));
    let changed: Vec<_> = report
        .entries
        .iter()
        .filter(|e| e.action != Action::Unchanged)
        .collect();
    if !changed.is_empty() {
        out.push_str("| | Resource | Type | Change | Why | What it means |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for e in &changed {
            let mark = if e.blocks() {
                "⛔"
            } else if e.destructive {
                "allowed"
            } else {
                ""
            };
            out.push_str(&format!(
                "| {mark} | `{}` | `{}` | **{}** | {} | {} |\n",
                cell(&e.id),
                cell(&e.kind),
                e.action.word(),
                cell(&super::why(e)),
                cell(&e.consequences.join("; "))
            ));
        }
        out.push('\n');
    }
    let unchanged = report.entries.len() - changed.len();
    if unchanged > 0 {
        out.push_str(&format!("{unchanged} resource(s) unchanged.\n"));
    }
    if !report.parameters.is_empty() {
        out.push_str(&format!(
            "\nParameters changed: {}\n",
            cell(&report.parameters.join(", "))
        ));
    }
    for note in &report.notes {
        out.push_str(&format!("\n> compared as written: {}\n", cell(note)));
    }
    out
}
