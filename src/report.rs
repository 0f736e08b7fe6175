//! Diagnostics in every output format: `human`, `json`, `github`, `sarif`.
//!
//! Every format is made from one list of [`Entry`]s, built from a file's `Problem`s in one place
//! ([`entries`]), so each format carries the same diagnostics at the same places. Positions are
//! worked out here too ([`LineIndex`]): lines and columns are 1-based, columns count characters
//! (Unicode scalar values), and an end is exclusive (the position just after the last character).
//!
//! `human` and `github` are written file by file as they come; `json` and `sarif` are one
//! document each, written by [`Reporter::finish`].

use std::path::{Component, Path};

use clap::ValueEnum;
use miette::{Diagnostic, GraphicalTheme, SourceSpan};
use serde::Serialize;

use crate::Io;
use crate::diagnostic::{FileReport, Problem};

/// The name diagnostics give standard input.
pub use crate::io::STDIN;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// A report for people, the offending text underlined (standard error)
    #[default]
    Human,
    /// One JSON document listing every diagnostic
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`)
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard error is a terminal and `NO_COLOR` is not set
    #[default]
    Auto,
    /// Always colour (even with `NO_COLOR` set)
    Always,
    /// Never colour
    Never,
}

/// What `--color auto` means: colour when standard error is a terminal, unless `NO_COLOR` is
/// set to something non-empty (no-color.org).
pub fn auto_color(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

impl ColorChoice {
    /// Whether to colour, given what `auto` means here (`Io::color`).
    pub fn resolve(self, auto: bool) -> bool {
        match self {
            ColorChoice::Auto => auto,
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        }
    }
}

/// A position in a file: 1-based line, 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where a span is: its byte offset and length, its start and its (exclusive) end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub offset: usize,
    pub length: usize,
    pub start: Position,
    pub end: Position,
}

/// Line starts of a text, to turn byte offsets into lines and columns. A line ends at `\n`,
/// `\r\n` or a lone `\r` (as in YAML, and as miette counts lines).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, starts }
    }

    /// The position of a byte offset. An offset past the end is the end; one inside a character
    /// is that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        // `starts[0]` is 0, so at least one start is <= offset.
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Position { line, column }
    }

    pub fn location(&self, span: SourceSpan) -> Location {
        let offset = span.offset().min(self.text.len());
        let end = span
            .offset()
            .saturating_add(span.len())
            .min(self.text.len());
        Location {
            offset,
            length: end.saturating_sub(offset),
            start: self.position(offset),
            end: self.position(end),
        }
    }
}

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
    fn severity(&self) -> &'static str {
        if self.error { "error" } else { "warning" }
    }

    /// The message with the help, if any, on a line of its own (for GitHub and SARIF, which
    /// have no field for help).
    fn message_with_help(&self) -> String {
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

/// Which stream a reporter writes its format to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    Stdout,
    Stderr,
}

/// A message about the run rather than a place in a stack: a file that could not be read or
/// written, a template that is out of date.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    /// The file it is about, if one.
    file: Option<String>,
    message: String,
    /// The run could not do its work (a file could not be read or written), as opposed to a
    /// finding (`--check`: out of date).
    fatal: bool,
}

/// Writes diagnostics in one format. `human` always writes to standard error; the other formats
/// write to the sink they are given, and nothing else goes there but their output.
pub struct Reporter {
    format: Format,
    color: bool,
    plain: bool,
    sink: Sink,
    entries: Vec<Entry>,
    failures: Vec<Failure>,
}

impl Reporter {
    pub fn new(format: Format, color: bool, plain: bool, sink: Sink) -> Self {
        Reporter {
            format,
            color,
            plain,
            sink,
            entries: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// The human report's theme: colour or not, box drawing or ASCII (`--plain`).
    fn theme(&self) -> GraphicalTheme {
        match (self.color, self.plain) {
            (true, false) => GraphicalTheme::unicode(),
            (false, false) => GraphicalTheme::unicode_nocolor(),
            (true, true) => GraphicalTheme::ascii(),
            (false, true) => GraphicalTheme::none(),
        }
    }

    fn write(&self, io: &mut Io<'_>, text: &str) {
        let out = match (self.format, self.sink) {
            (Format::Human, _) | (_, Sink::Stderr) => &mut *io.stderr,
            (_, Sink::Stdout) => &mut *io.stdout,
        };
        // A closed pipe is not a reason to stop checking; the exit code still tells.
        let _ = out.write_all(text.as_bytes());
    }

    /// Reports the problems of one file, `name` as it is to be shown.
    pub fn file(&mut self, io: &mut Io<'_>, name: &str, text: String, problems: Vec<Problem>) {
        match self.format {
            Format::Human => {
                if !problems.is_empty() {
                    let report = FileReport::new(name, text, problems);
                    self.write(io, &report.render_human_themed(self.theme(), 100));
                }
            }
            Format::Github => {
                let lines: String = entries(name, &text, &problems)
                    .iter()
                    .map(github_line)
                    .collect();
                self.write(io, &lines);
            }
            Format::Json | Format::Sarif => {
                self.entries.extend(entries(name, &text, &problems));
            }
        }
    }

    /// Reports a failure of the run (`fatal`: a file could not be read or written) or a finding
    /// about it (`--check`: out of date), about `file` if it is about one.
    pub fn failure(&mut self, io: &mut Io<'_>, file: Option<&str>, message: String, fatal: bool) {
        let file = file.filter(|f| *f != STDIN).map(str::to_owned);
        match self.format {
            Format::Human => self.write(io, &format!("error: {message}\n")),
            Format::Github => {
                let at = file.map_or_else(String::new, |f| {
                    format!(" file={}", escape_property(&repo_path(&f)))
                });
                self.write(io, &format!("::error{at}::{}\n", escape_data(&message)));
            }
            Format::Json | Format::Sarif => self.failures.push(Failure {
                file,
                message,
                fatal,
            }),
        }
    }

    /// Writes the document of `json` and `sarif` (always, even with nothing to report).
    pub fn finish(self, io: &mut Io<'_>) {
        let mut document = match self.format {
            Format::Human | Format::Github => return,
            Format::Json => json_document(&self.entries, &self.failures),
            Format::Sarif => sarif_document(&self.entries, &self.failures),
        };
        document.push('\n');
        self.write(io, &document);
    }
}

// --- json -------------------------------------------------------------------------------------

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
}

fn json_document(entries: &[Entry], failures: &[Failure]) -> String {
    let errors = entries.iter().filter(|e| e.error).count();
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
            errors,
            warnings: entries.len() - errors,
        },
    };
    // Plain data with string keys: serializing it cannot fail.
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

// --- github -----------------------------------------------------------------------------------

/// Escapes the message of a workflow command: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command: as the message, and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error ...::message` (or `::warning`) line.
fn github_line(e: &Entry) -> String {
    let l = e.primary.location;
    let mut properties = Vec::new();
    if e.file != STDIN {
        properties.push(format!("file={}", escape_property(&repo_path(&e.file))));
    }
    properties.push(format!("line={}", l.start.line));
    properties.push(format!("col={}", l.start.column));
    properties.push(format!("endLine={}", l.end.line));
    properties.push(format!("endColumn={}", l.end.column));
    properties.push(format!("title={}", escape_property(&e.code)));
    format!(
        "::{} {}::{}\n",
        e.severity(),
        properties.join(","),
        escape_data(&e.message_with_help())
    )
}

// --- paths ------------------------------------------------------------------------------------

/// A file name as GitHub and SARIF want it: relative to the current folder when it is inside
/// it, `/`-separated, without `./`. `None` for a path outside the current folder, given as an
/// absolute one.
fn relative(name: &str) -> Option<String> {
    let path = Path::new(name);
    let path = if path.is_absolute() {
        let cwd = std::env::current_dir().ok()?;
        path.strip_prefix(&cwd).ok()?
    } else {
        path
    };
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The name to give GitHub: repository-relative when it can be, else as given.
fn repo_path(name: &str) -> String {
    relative(name).unwrap_or_else(|| name.to_owned())
}

/// Percent-encodes all but unreserved characters and `/` (RFC 3986).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// --- sarif ------------------------------------------------------------------------------------

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

fn sarif_document(entries: &[Entry], failures: &[Failure]) -> String {
    use serde_json::json;
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
    let notifications: Vec<serde_json::Value> = failures
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
