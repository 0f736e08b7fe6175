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
    /// For every [`STEP`] bytes, the last character boundary at or before `k * STEP` and the
    /// characters before it: a column is counted from the nearest one, not from its line's
    /// start, so a thousand positions on one 4 MB line cost no more than on short lines.
    chars: Vec<(usize, usize)>,
}

/// Bytes between two character-count checkpoints.
const STEP: usize = 4096;

impl<T: AsRef<str>> LineIndex<T> {
    pub fn new(text: T) -> Self {
        let bytes = text.as_ref().as_bytes();
        let mut starts = vec![0];
        // `\r\n` is one break, counted at its `\n`.
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        let text_str = text.as_ref();
        let mut chars = Vec::with_capacity(bytes.len() / STEP + 1);
        let (mut at, mut before) = (0, 0);
        for k in 0..=bytes.len() / STEP {
            let mut next = (k * STEP).min(bytes.len());
            while !text_str.is_char_boundary(next) {
                next -= 1;
            }
            before += text_str[at..next].chars().count();
            at = next;
            chars.push((at, before));
        }
        LineIndex {
            text,
            starts,
            chars,
        }
    }

    /// The characters before a byte offset (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let text = self.text();
        let (at, before) = self.chars.get(offset / STEP).copied().unwrap_or((0, 0));
        before + text.get(at..offset).map_or(0, |s| s.chars().count())
    }

    /// The characters from byte offset `from` to `to` (character boundaries, `from <= to`).
    pub fn chars_between(&self, from: usize, to: usize) -> usize {
        self.chars_before(to)
            .saturating_sub(self.chars_before(from.min(to)))
    }

    /// The 1-based column of a byte offset (a character boundary) on its 0-based line.
    pub fn column(&self, line: usize, offset: usize) -> usize {
        let start = self.line_start(line).unwrap_or(0);
        self.chars_between(start, offset) + 1
    }

    /// The byte offset where a 0-based line ends, its line break excluded.
    pub fn line_end(&self, line: usize) -> usize {
        let text = self.text().as_bytes();
        match self.starts.get(line + 1) {
            Some(&next) => {
                let mut end = next;
                if end > 0 && text.get(end - 1) == Some(&b'\n') {
                    end -= 1;
                }
                if end > 0 && text.get(end - 1) == Some(&b'\r') {
                    end -= 1;
                }
                end
            }
            None => text.len(),
        }
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
        Position {
            line: line + 1,
            column: self.column(line, offset),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns counted from the checkpoints are the characters from the line's start, on long
    /// lines of multi-byte characters that straddle every checkpoint, and across line breaks.
    #[test]
    fn positions_match_counting_from_the_line_start() {
        let mut text = String::new();
        for i in 0..3 * STEP {
            text.push(match i % 7 {
                0 => 'é',
                1 => '☕',
                2 => '😀',
                _ => 'a',
            });
            if i % 5_000 == 4_999 {
                text.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
            }
        }
        let index = LineIndex::new(text.as_str());
        let mut line_start = 0;
        let mut line = 1;
        let bytes = text.as_bytes();
        for offset in (0..=text.len())
            .filter(|&o| text.is_char_boundary(o))
            .step_by(97)
        {
            while let Some(at) = bytes[line_start..offset].iter().position(|&b| b == b'\n') {
                line_start += at + 1;
                line += 1;
            }
            let column = text[line_start..offset]
                .trim_end_matches('\r')
                .chars()
                .count()
                + 1;
            let expected = Position { line, column };
            // A position between `\r` and `\n` is not asked for by any problem.
            if text[line_start..offset].ends_with('\r') {
                continue;
            }
            assert_eq!(index.position(offset), expected, "at {offset}");
        }
    }
}
