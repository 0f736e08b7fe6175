//! `--format human`: a report for people, per file, in miette's graphical layout: the file
//! name, line and column of each problem and the offending text underlined.
//!
//! What a person is shown is bounded whatever the input: at most [`MAX_SHOWN_PROBLEMS`] problems
//! a file, long lines and huge spans shown by position only, long texts clipped.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, MietteError, MietteSpanContents, Severity,
    SourceCode, SourceSpan, SpanContents,
};
use thiserror::Error;

use super::{Failure, Render, Style};
use crate::diagnostics::escape::{escaped, escaped_lines, is_invisible_format};
use crate::diagnostics::line_index::LineIndex;
use crate::diagnostics::{Problem, Sink, thousands};

/// The width the report is laid out in.
const WIDTH: usize = 100;

/// Writes each file's report as it comes, always to standard error.
pub(super) struct Human {
    theme: fn() -> GraphicalTheme,
}

impl Human {
    pub(super) fn new(style: Style) -> Self {
        // Colour or not, box drawing or ASCII (`--plain`).
        let theme = match (style.color, style.plain) {
            (true, false) => GraphicalTheme::unicode,
            (false, false) => GraphicalTheme::unicode_nocolor,
            (true, true) => GraphicalTheme::ascii,
            (false, true) => GraphicalTheme::none,
        };
        Human { theme }
    }
}

impl Render for Human {
    fn sink(&self, _asked: Sink) -> Sink {
        Sink::Stderr
    }

    fn file(&mut self, name: &str, text: String, problems: Vec<Problem>) -> String {
        if problems.is_empty() {
            return String::new();
        }
        FileReport::new(name, text, problems).render_human_themed((self.theme)(), WIDTH)
    }

    fn failure(&mut self, failure: Failure) -> String {
        format!("error: {}\n", escaped(&failure.message))
    }

    fn finish(self: Box<Self>) -> String {
        String::new()
    }
}

/// Every problem found in one file, with the file's text, rendered as one report.
#[derive(Debug, Error)]
#[error("{summary}")]
pub struct FileReport {
    summary: String,
    severity: Severity,
    src: IndexedSource,
    problems: Vec<Problem>,
    /// The problems as rendered: those on lines too long to show lose their snippet.
    shown: Vec<Shown>,
}

/// The most problems one report shows (it counts them all): past this many, a file is not
/// worth reading problem by problem, and the rest would only take time and screen.
pub const MAX_SHOWN_PROBLEMS: usize = 1_000;

/// The longest line (in bytes) shown in a snippet. A longer line (a minified or generated
/// file, a hostile one) would flood the terminal, and miette cannot draw an underline past
/// column 65,535; such a problem is shown with its `file:line:col` instead of the text.
const MAX_SHOWN_LINE: usize = 1_000;

/// The largest span (in bytes) underlined in a snippet; a larger one is shown by position only.
const MAX_SHOWN_SPAN: usize = 10_000;

/// A problem as one report renders it.
#[derive(Debug)]
struct Shown {
    problem: Problem,
    /// `file:line:col`, when the snippet is left out.
    at: Option<String>,
}

/// The most characters of a message, help or label shown (two 255-character IDs fit): the text
/// a user wrote (an unknown type, a runtime, a wire end) can be megabytes long, and miette wraps
/// it line by line.
const MAX_SHOWN_TEXT: usize = 1_000;

/// `text`, cut to its first and last characters when it is longer than [`MAX_SHOWN_TEXT`].
fn clipped(text: &str) -> String {
    let count = text.chars().count();
    if count <= MAX_SHOWN_TEXT {
        return text.to_owned();
    }
    let (head, tail) = (MAX_SHOWN_TEXT - 200, 100);
    let first: String = text.chars().take(head).collect();
    let last: String = text.chars().skip(count - tail).collect();
    format!(
        "{first}...({} characters left out)...{last}",
        count - head - tail
    )
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = escaped(&clipped(&self.problem.to_string())).into_owned();
        match &self.at {
            None => write!(f, "{message}"),
            Some(at) => write!(f, "{message}\n  at {at} (the line is too long to show)"),
        }
    }
}

impl std::error::Error for Shown {}

impl Shown {
    /// Whether the help is one of stackwire's own texts written on several lines (an example
    /// of a stack), whose line feeds are kept.
    fn own_lines(&self) -> bool {
        match &self.problem {
            Problem::EmptyStack { .. } | Problem::NoResources { .. } => true,
            Problem::MissingKey { help, .. } => crate::format::keys::STACK
                .iter()
                .any(|k| k.required.is_some_and(|r| help.as_deref() == Some(r))),
            _ => false,
        }
    }
}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.problem.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.problem.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let help = clipped(&self.problem.help()?.to_string());
        // stackwire's own examples are written on several lines; any other help may hold
        // user text, and a line feed in it is escaped like any other control.
        let help = if self.own_lines() {
            escaped_lines(&help)
        } else {
            escaped(&help).into_owned()
        };
        Some(Box::new(help))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.at.is_some() {
            return None;
        }
        let labels = self.problem.labels()?.map(|label| {
            let text = label.label().map(|l| escaped(&clipped(l)).into_owned());
            if label.primary() {
                miette::LabeledSpan::new_primary_with_span(text, *label.inner())
            } else {
                miette::LabeledSpan::new_with_span(text, *label.inner())
            }
        });
        Some(Box::new(labels))
    }
}

/// Where a problem's snippet cannot be shown, its first position as `file:line:col`.
/// `shown` indexes the file as the snippet shows it ([`printable`]: every line break a line
/// feed, at the same byte offsets), `raw` the file as it is (columns count its characters),
/// indexed the first time a snippet cannot be shown.
fn unshowable_at<'t>(
    name: &str,
    shown: &LineIndex,
    raw: &std::cell::OnceCell<LineIndex<&'t str>>,
    raw_text: &'t str,
    problem: &Problem,
) -> Option<String> {
    let len = shown.text().len();
    let labels: Vec<miette::LabeledSpan> = problem.labels()?.collect();
    let too_big = labels.iter().any(|label| {
        let start = label.offset().min(len);
        let end = (label.offset() + label.len()).min(len);
        // The lines the snippet shows: the label's, and one line of context either side.
        let first = shown.line_of(start).saturating_sub(1);
        let last = shown.line_of(end) + 1;
        label.len() > MAX_SHOWN_SPAN
            || (first..=last)
                .take_while(|&line| shown.line_start(line).is_some())
                .any(|line| {
                    let from = shown.line_start(line).unwrap_or(0);
                    shown.line_end(line).saturating_sub(from) > MAX_SHOWN_LINE
                })
    });
    if !too_big {
        return None;
    }
    let raw = raw.get_or_init(|| LineIndex::new(raw_text));
    let mut offset = labels.iter().map(|l| l.offset()).min()?.min(len);
    while !raw.text().is_char_boundary(offset) {
        offset -= 1;
    }
    let line = shown.line_of(offset);
    let column = raw.chars_between(shown.line_start(line).unwrap_or(0), offset) + 1;
    Some(format!("{name}:{}:{column}", line + 1))
}

// By hand rather than derived: the report's severity depends on its problems.
impl Diagnostic for FileReport {
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.shown.iter().map(|p| p as &dyn Diagnostic)))
    }
}

impl FileReport {
    pub fn new(name: &str, text: String, problems: Vec<Problem>) -> Self {
        let name = &*escaped(name);
        let errors = problems.iter().filter(|p| p.is_error()).count();
        let warnings = problems.len() - errors;
        let mut summary = match (errors, warnings) {
            (0, w) => format!("{name}: {}", count(w, "warning")),
            (e, 0) => format!("{name}: {}", count(e, "error")),
            (e, w) => format!("{name}: {}, {}", count(e, "error"), count(w, "warning")),
        };
        if problems.len() > MAX_SHOWN_PROBLEMS {
            summary.push_str(&format!(
                " (the first {} shown)",
                thousands(MAX_SHOWN_PROBLEMS)
            ));
        }
        // The text as shown, and as written when that differs.
        let (lines, written) = match printable(&text) {
            None => (LineIndex::new(text), None),
            Some(shown) => (LineIndex::new(shown), Some(text)),
        };
        let raw = std::cell::OnceCell::new();
        let raw_text = written.as_deref().unwrap_or(lines.text());
        let shown = problems
            .iter()
            .take(MAX_SHOWN_PROBLEMS)
            .map(|problem| Shown {
                problem: problem.clone(),
                at: unshowable_at(name, &lines, &raw, raw_text, problem),
            })
            .collect();
        // It borrows `lines`, which the report keeps.
        drop(raw);
        FileReport {
            shown,
            summary,
            severity: if errors > 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            src: IndexedSource {
                name: name.to_owned(),
                lines,
            },
            problems,
        }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The report as a person reads it: miette's graphical layout, with or without colour.
    pub fn render_human(&self, color: bool, width: usize) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        self.render_human_themed(theme, width)
    }

    /// The report in miette's graphical layout, drawn with `theme` (ASCII for `--plain`).
    pub fn render_human_themed(&self, theme: GraphicalTheme, width: usize) -> String {
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(width)
            .with_links(false);
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, self);
        out
    }
}

/// A file's text, named, with the start of every line indexed. miette's own `SourceCode` for a
/// string scans from the first byte to each span, so a file with many problems took quadratic
/// time to render (30,000 problems in a 1.3 MB file: 97 s); here each snippet is found by a
/// binary search, then read by miette's own code from a few lines before it, with the same
/// result as reading from the start.
#[derive(Debug)]
struct IndexedSource {
    name: String,
    /// The text, with lines ending as miette ends them (`\n`, `\r\n`, `\r`).
    lines: LineIndex,
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // The line the span starts on, and the first context line before it.
        let line = self.lines.line_of(span.offset());
        let first = line.saturating_sub(context_lines_before);
        let base = self.lines.line_start(first).unwrap_or(0);
        let bytes = self.lines.text().as_bytes().get(base..).unwrap_or_default();
        let shifted = SourceSpan::new((span.offset().saturating_sub(base)).into(), span.len());
        let inner = bytes.read_span(&shifted, context_lines_before, context_lines_after)?;
        let inner_span = inner.span();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner_span.offset() + base).into(), inner_span.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

/// The text as a snippet shows it: control characters other than tab and line breaks (NULs of a
/// UTF-16 file, escape sequences, C1 controls) and the invisible characters that reorder or hide
/// text (bidi controls, zero-width characters) become `?`, one for each of their bytes, so every
/// span still fits; a lone CR (a line break, as for every position stackwire reports) becomes a
/// line feed, which is the line break miette's snippets know.
fn printable(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    // Most files are plain ASCII text: tested whole chunks at a time, without stopping early,
    // which the compiler turns into vector instructions.
    let plain = bytes.chunks(64).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7F).contains(&b) | (b == b'\n') | (b == b'\t'))
        })
    });
    if plain {
        return None;
    }
    let suspect = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7F
            || b >= 0xC2
            || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
    });
    if !suspect {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() != Some(&'\n') => out.push('\n'),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || is_invisible_format(c) => {
                out.extend(std::iter::repeat_n('?', c.len_utf8()));
            }
            c => out.push(c),
        }
    }
    Some(out)
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
