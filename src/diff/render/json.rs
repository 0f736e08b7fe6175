//! The report as one JSON document: one entry per resource.

use serde::Serialize;

use crate::diff::{Action, Entry, Report};

#[derive(Serialize)]
struct Document<'a> {
    old: &'a str,
    new: &'a str,
    resources: Vec<Resource<'a>>,
    parameters: &'a [String],
    notes: &'a [String],
    counts: serde_json::Map<String, serde_json::Value>,
    blocked: Vec<&'a str>,
    summary: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Resource<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    action: &'static str,
    forced_by: Option<&'a str>,
    changes: Vec<Change<'a>>,
    renamed_to: Option<&'a str>,
    renamed_from: Option<&'a str>,
    recreates: Option<&'a str>,
    consequences: &'a [String],
    destructive: bool,
    allowed: bool,
}

#[derive(Serialize)]
struct Change<'a> {
    property: &'a str,
    effect: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    because: Option<&'a str>,
}

fn resource(e: &Entry) -> Resource<'_> {
    Resource {
        id: &e.id,
        kind: &e.kind,
        action: e.action.word(),
        forced_by: e.forced_by().map(|c| c.path.as_str()),
        changes: e
            .changes
            .iter()
            .map(|c| Change {
                property: &c.path,
                effect: c.effect.word(),
                because: c.because.as_deref(),
            })
            .collect(),
        renamed_to: e.renamed_to.as_deref(),
        renamed_from: e.renamed_from.as_deref(),
        recreates: e.recreates.as_deref(),
        consequences: &e.consequences,
        destructive: e.destructive,
        allowed: e.allowed,
    }
}

pub fn render(report: &Report, old: &str, new: &str) -> String {
    let document = Document {
        old,
        new,
        resources: report.entries.iter().map(resource).collect(),
        parameters: &report.parameters,
        notes: &report.notes,
        counts: report
            .counts()
            .into_iter()
            .map(|(a, n): (Action, usize)| (a.word().to_owned(), n.into()))
            .collect(),
        blocked: report.blocked().map(|e| e.id.as_str()).collect(),
        summary: report.summary(),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
