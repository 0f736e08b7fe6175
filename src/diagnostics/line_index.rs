//! The start of every line of a text, computed once and shared by every format: the machine
//! formats turn byte offsets into lines and columns with it, and the human report finds the
//! lines of a snippet with it (miette's own `SourceCode` for a string scans from the first byte
//! to each span, which made a file with many problems quadratic to render).
//!
//! A line ends at `\n`, `\r\n` or a lone `\r` (as in YAML, and as miette counts lines). Lines and
//! columns are 1-based, columns count characters (Unicode scalar values), and an end is
//! exclusive (the position just after the last character).

use miette::SourceSpan;
use serde::Serialize;

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

/// A text (borrowed or owned) with the byte offset of every line's start.
#[derive(Debug)]
pub struct LineIndex<T = String> {
    text: T,
    /// `starts[0]` is 0; one more entry after each line break.
    starts: Vec<usize>,
}

impl<T: AsRef<str>> LineIndex<T> {
    pub fn new(text: T) -> Self {
        let bytes = text.as_ref().as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            // `\r\n` is one break, counted at its `\n`.
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &str {
        self.text.as_ref()
    }

    /// The 0-based line a byte offset is on (an offset past the end is on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        // `starts[0]` is 0, so at least one start is <= offset.
        self.starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte offset where a 0-based line starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The position of a byte offset. An offset past the end is the end; one inside a character
    /// is that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let text = self.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    pub fn location(&self, span: SourceSpan) -> Location {
        let len = self.text().len();
        let offset = span.offset().min(len);
        let end = span.offset().saturating_add(span.len()).min(len);
        Location {
            offset,
            length: end.saturating_sub(offset),
            start: self.position(offset),
            end: self.position(end),
        }
    }
}
