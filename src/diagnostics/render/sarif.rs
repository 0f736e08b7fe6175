//! `--format sarif`: one SARIF 2.1.0 log, for code scanning, written at the end.

use serde::Serialize;

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

/// Where a file is, as SARIF names it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text<&'static str>>,
}

fn sarif_artifact(file: &str) -> Artifact {
    if file == STDIN {
        return Artifact {
            uri: None,
            uri_base_id: None,
            description: Some(Text {
                text: "standard input",
            }),
        };
    }
    match relative(file) {
        Some(path) => Artifact {
            uri: Some(percent_encode(&path)),
            uri_base_id: Some("%SRCROOT%"),
            description: None,
        },
        None => Artifact {
            uri: Some(format!(
                "file://{}",
                percent_encode(&file.replace('\\', "/"))
            )),
            uri_base_id: None,
            description: None,
        },
    }
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

fn sarif_region(l: &Location) -> Region {
    Region {
        start_line: l.start.line,
        start_column: l.start.column,
        end_line: l.end.line,
        end_column: l.end.column,
        byte_offset: l.offset,
        byte_length: l.length,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    /// Only in `relatedLocations`.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<&'a str>>,
}

fn sarif_location<'a>(
    artifact: &'a Artifact,
    id: Option<usize>,
    label: &'a Label,
) -> SarifLocation<'a> {
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact,
            region: Some(sarif_region(&label.location)),
        },
        message: label.message.as_deref().map(|text| Text { text }),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    default_configuration: Level,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<String>,
    locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locations: Option<[SarifLocation<'a>; 1]>,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation<'a>; 1],
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

fn document(listed: &Listed, failures: &[Failure]) -> String {
    let entries: &[Entry] = &listed.entries;
    // One rule per code that occurs, sorted by code, so the same findings give the same bytes.
    let mut codes: Vec<(&str, bool)> = Vec::new();
    for e in entries {
        if !codes.iter().any(|(c, _)| *c == e.code) {
            codes.push((&e.code, e.error));
        }
    }
    codes.sort();
    let rules: Vec<Rule<'_>> = codes
        .iter()
        .map(|&(code, error)| Rule {
            id: code,
            name: rule_name(code),
            default_configuration: Level {
                level: if error { "error" } else { "warning" },
            },
        })
        .collect();
    // Each file's artifact is made once: a file's entries come together.
    let files: Vec<&[Entry]> = entries.chunk_by(|a, b| a.file == b.file).collect();
    let artifacts: Vec<Artifact> = files
        .iter()
        .map(|file| sarif_artifact(file.first().map_or("", |e| &e.file)))
        .collect();
    let results: Vec<SarifResult<'_>> = files
        .iter()
        .zip(&artifacts)
        .flat_map(|(file, artifact)| {
            let codes = &codes;
            file.iter().map(move |e| {
                let index = codes.iter().position(|(c, _)| *c == e.code).unwrap_or(0);
                SarifResult {
                    rule_id: &e.code,
                    rule_index: index,
                    level: e.severity(),
                    message: Text {
                        text: e.message_with_help(),
                    },
                    locations: [sarif_location(artifact, None, &e.primary)],
                    related_locations: e
                        .others
                        .iter()
                        .enumerate()
                        .map(|(id, l)| sarif_location(artifact, Some(id), l))
                        .collect(),
                }
            })
        })
        .collect();
    let failure_artifacts: Vec<Option<Artifact>> = failures
        .iter()
        .map(|f| f.file.as_deref().map(sarif_artifact))
        .collect();
    let mut notifications: Vec<Notification<'_>> = failures
        .iter()
        .zip(&failure_artifacts)
        .map(|(f, artifact)| Notification {
            level: "error",
            message: Text { text: &f.message },
            locations: artifact.as_ref().map(|artifact| {
                [SarifLocation {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifact,
                        region: None,
                    },
                    message: None,
                }]
            }),
        })
        .collect();
    let omitted = listed.omitted_message();
    if let Some(message) = &omitted {
        notifications.push(Notification {
            level: "warning",
            message: Text { text: message },
            locations: None,
        });
    }
    let log = Log {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "stackwire",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            invocations: [Invocation {
                execution_successful: !failures.iter().any(|f| f.fatal),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // Plain data with string keys: serializing it cannot fail.
    serde_json::to_string_pretty(&log).unwrap_or_default()
}
