//! `--format sarif`: one SARIF 2.1.0 log, for code scanning, written at the end.

use super::listed::Listed;
use super::paths::{percent_encode, relative};
use super::{Entry, Failure, Label, Render};
use crate::diagnostics::line_index::Location;
use crate::diagnostics::{Problem, STDIN};

/// Gathers the run's results and notifications for the one log.
#[derive(Default)]
pub(super) struct Sarif {
    listed: Listed,
    failures: Vec<Failure>,
}

impl Render for Sarif {
    fn file(&mut self, name: &str, text: String, problems: Vec<Problem>) -> String {
        self.listed.add(name, &text, &problems);
        String::new()
    }

    fn failure(&mut self, failure: Failure) -> String {
        self.failures.push(failure);
        String::new()
    }

    fn finish(self: Box<Self>) -> String {
        let mut document = document(&self.listed, &self.failures);
        document.push('\n');
        document
    }
}

const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// `unknown_key` as a SARIF rule name, `UnknownKey`.
fn rule_name(code: &str) -> String {
    let name = code.strip_prefix("stackwire::").unwrap_or(code);
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

fn sarif_artifact(file: &str) -> serde_json::Value {
    use serde_json::json;
    if file == STDIN {
        return json!({ "description": { "text": "standard input" } });
    }
    match relative(file) {
        Some(path) => json!({ "uri": percent_encode(&path), "uriBaseId": "%SRCROOT%" }),
        None => json!({ "uri": format!("file://{}", percent_encode(&file.replace('\\', "/"))) }),
    }
}

fn sarif_region(l: &Location) -> serde_json::Value {
    serde_json::json!({
        "startLine": l.start.line,
        "startColumn": l.start.column,
        "endLine": l.end.line,
        "endColumn": l.end.column,
        "byteOffset": l.offset,
        "byteLength": l.length,
    })
}

fn sarif_location(file: &str, label: &Label) -> serde_json::Value {
    let mut location = serde_json::json!({
        "physicalLocation": {
            "artifactLocation": sarif_artifact(file),
            "region": sarif_region(&label.location),
        }
    });
    if let (Some(message), Some(object)) = (&label.message, location.as_object_mut()) {
        object.insert("message".to_owned(), serde_json::json!({ "text": message }));
    }
    location
}

fn document(listed: &Listed, failures: &[Failure]) -> String {
    use serde_json::json;
    let entries: &[Entry] = &listed.entries;
    // One rule per code that occurs, sorted by code, so the same findings give the same bytes.
    let mut codes: Vec<(&str, bool)> = Vec::new();
    for e in entries {
        if !codes.iter().any(|(c, _)| *c == e.code) {
            codes.push((&e.code, e.error));
        }
    }
    codes.sort();
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|(code, error)| {
            json!({
                "id": code,
                "name": rule_name(code),
                "defaultConfiguration": { "level": if *error { "error" } else { "warning" } },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let index = codes.iter().position(|(c, _)| *c == e.code).unwrap_or(0);
            let related: Vec<serde_json::Value> = e
                .others
                .iter()
                .enumerate()
                .map(|(id, l)| {
                    let mut location = json!({ "id": id });
                    if let (Some(object), serde_json::Value::Object(fields)) =
                        (location.as_object_mut(), sarif_location(&e.file, l))
                    {
                        object.extend(fields);
                    }
                    location
                })
                .collect();
            let mut result = json!({
                "ruleId": e.code,
                "ruleIndex": index,
                "level": e.severity(),
                "message": { "text": e.message_with_help() },
                "locations": [sarif_location(&e.file, &e.primary)],
            });
            if let (false, Some(object)) = (related.is_empty(), result.as_object_mut()) {
                object.insert("relatedLocations".to_owned(), json!(related));
            }
            result
        })
        .collect();
    let mut notifications: Vec<serde_json::Value> = failures
        .iter()
        .map(|f| {
            let mut notification = json!({ "level": "error", "message": { "text": f.message } });
            if let (Some(file), Some(object)) = (&f.file, notification.as_object_mut()) {
                let at =
                    json!([{ "physicalLocation": { "artifactLocation": sarif_artifact(file) } }]);
                object.insert("locations".to_owned(), at);
            }
            notification
        })
        .collect();
    if let Some(message) = listed.omitted_message() {
        notifications.push(json!({ "level": "warning", "message": { "text": message } }));
    }
    let document = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "stackwire",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": !failures.iter().any(|f| f.fatal),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
