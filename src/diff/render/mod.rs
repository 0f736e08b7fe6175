//! The guard's report in each `--format`: one file per format.

pub mod human;
pub mod json;
pub mod markdown;

use super::{Entry, Report};

/// `--format` of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
}

/// The report as `format` writes it.
pub fn render(report: &Report, format: Format, old: &str, new: &str) -> String {
    match format {
        Format::Human => human::render(report, old, new),
        Format::Json => json::render(report, old, new),
        Format::Markdown => markdown::render(report, old, new),
    }
}

/// Why an entry's action: the forcing property, the properties changed, a rename.
fn why(entry: &Entry) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(forced) = entry.forced_by() {
        let mut text = format!("{} forces it", forced.path);
        if let Some(because) = &forced.because {
            text.push_str(&format!(" ({because})"));
        }
        parts.push(text);
    }
    let others: Vec<&str> = entry
        .changes
        .iter()
        .filter(|c| Some(*c) != entry.forced_by())
        .map(|c| c.path.as_str())
        .collect();
    if !others.is_empty() {
        parts.push(format!("changes {}", others.join(", ")));
    }
    if let Some(to) = &entry.renamed_to {
        parts.push(format!("likely renamed to {to}"));
    }
    if let Some(from) = &entry.renamed_from {
        parts.push(format!("likely renamed from {from}"));
    }
    if let Some(id) = &entry.recreates {
        parts.push(format!("re-creates {id}"));
    }
    parts.join("; ")
}
