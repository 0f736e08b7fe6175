//! `--format json`: one JSON document listing every diagnostic, written at the end.

use serde::Serialize;

use super::listed::Listed;
use super::{Failure, Render};
use crate::diagnostics::Problem;
use crate::diagnostics::line_index::Location;

/// Gathers the run's diagnostics and failures for the one document.
#[derive(Default)]
pub(super) struct Json {
    listed: Listed,
    failures: Vec<Failure>,
}

impl Render for Json {
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDocument<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    failures: Vec<JsonFailure<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDiagnostic<'a> {
    file: &'a str,
    severity: &'static str,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(flatten)]
    location: JsonLocation,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLocation {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
}

impl From<Location> for JsonLocation {
    fn from(l: Location) -> Self {
        JsonLocation {
            line: l.start.line,
            column: l.start.column,
            end_line: l.end.line,
            end_column: l.end.column,
            offset: l.offset,
            length: l.length,
        }
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: Option<&'a str>,
    #[serde(flatten)]
    location: JsonLocation,
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    file: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    /// Diagnostics counted but not listed (past `MAX_LISTED`); only when there are any.
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn document(listed: &Listed, failures: &[Failure]) -> String {
    let entries = &listed.entries;
    let document = JsonDocument {
        version: 1,
        diagnostics: entries
            .iter()
            .map(|e| JsonDiagnostic {
                file: &e.file,
                severity: e.severity(),
                code: &e.code,
                message: &e.message,
                help: e.help.as_deref(),
                location: e.primary.location.into(),
                labels: std::iter::once(&e.primary)
                    .chain(&e.others)
                    .map(|l| JsonLabel {
                        message: l.message.as_deref(),
                        location: l.location.into(),
                    })
                    .collect(),
            })
            .collect(),
        failures: failures
            .iter()
            .map(|f| JsonFailure {
                file: f.file.as_deref(),
                message: &f.message,
            })
            .collect(),
        summary: JsonSummary {
            errors: listed.errors,
            warnings: listed.warnings,
            omitted: listed.omitted,
        },
    };
    // Plain data with string keys: serializing it cannot fail.
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
