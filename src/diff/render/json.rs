//! The report as one JSON document: one entry per resource.

use serde_json::{Value as J, json};

use crate::diff::Report;

pub fn render(report: &Report, old: &str, new: &str) -> String {
    let resources: Vec<J> = report
        .entries
        .iter()
        .map(|e| {
            let changes: Vec<J> = e
                .changes
                .iter()
                .map(|c| {
                    let mut change = json!({"property": c.path, "effect": c.effect.word()});
                    if let (Some(because), J::Object(m)) = (&c.because, &mut change) {
                        m.insert("because".into(), J::String(because.clone()));
                    }
                    change
                })
                .collect();
            json!({
                "id": e.id,
                "type": e.kind,
                "action": e.action.word(),
                "forcedBy": e.forced_by().map(|c| c.path.clone()),
                "changes": changes,
                "renamedTo": e.renamed_to,
                "renamedFrom": e.renamed_from,
                "recreates": e.recreates,
                "consequences": e.consequences,
                "destructive": e.destructive,
                "allowed": e.allowed,
            })
        })
        .collect();
    let counts: serde_json::Map<String, J> = report
        .counts()
        .into_iter()
        .map(|(a, n)| (a.word().to_owned(), J::from(n)))
        .collect();
    let blocked: Vec<&str> = report.blocked().map(|e| e.id.as_str()).collect();
    let document = json!({
        "old": old,
        "new": new,
        "resources": resources,
        "parameters": report.parameters,
        "notes": report.notes,
        "counts": counts,
        "blocked": blocked,
        "summary": report.summary(),
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
