//! `--format github`: GitHub Actions workflow commands (`::error file=...::message`), one line
//! per diagnostic, written file by file.

use super::listed::Listed;
use super::paths::repo_path;
use super::{Entry, Failure, Render};
use crate::diagnostics::{Problem, STDIN};

#[derive(Default)]
pub(super) struct Github {
    listed: Listed,
}

impl Render for Github {
    fn file(&mut self, name: &str, text: String, problems: Vec<Problem>) -> String {
        let entries = self.listed.take(name, &text, &problems);
        // Every entry is about this file: its property is made once.
        let file = (name != STDIN).then(|| format!("file={},", escape_property(&repo_path(name))));
        let mut out = String::new();
        for e in &entries {
            line(&mut out, file.as_deref().unwrap_or(""), e);
        }
        out
    }

    fn failure(&mut self, failure: Failure) -> String {
        let at = failure.file.map_or_else(String::new, |f| {
            format!(" file={}", escape_property(&repo_path(&f)))
        });
        format!("::error{at}::{}\n", escape_data(&failure.message))
    }

    fn finish(self: Box<Self>) -> String {
        self.listed
            .omitted_message()
            .map_or_else(String::new, |m| format!("::warning::{}\n", escape_data(&m)))
    }
}

/// Escapes the message of a workflow command: `%`, CR and LF as the runner reads them back;
/// every other control, bidi or zero-width character (an escape sequence in a key would drive
/// the log viewer) written visibly as `\u{XXXX}`, as the human report does; a tab is kept.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\t' => out.push(c),
            c if crate::diagnostics::escape::is_unsafe(c) => {
                out.push_str(&crate::diagnostics::escaped(&c.to_string()));
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command: as the message, and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error ...::message` (or `::warning`) line, added to `out`; `file` is the entry's
/// `file=...,` property, empty for standard input.
fn line(out: &mut String, file: &str, e: &Entry) {
    use std::fmt::Write as _;
    let l = e.primary.location;
    // Writing into a String cannot fail.
    let _ = writeln!(
        out,
        "::{} {file}line={},col={},endLine={},endColumn={},title={}::{}",
        e.severity(),
        l.start.line,
        l.start.column,
        l.end.line,
        l.end.column,
        escape_property(&e.code),
        escape_data(&e.message_with_help())
    );
}
