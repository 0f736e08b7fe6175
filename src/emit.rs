//! Stage 4: the template model -> YAML bytes.
//!
//! Block style, two-space indentation, short-form intrinsics, no line wrapping. A string is
//! written plain only when every YAML reader (YAML 1.2, and PyYAML's YAML 1.1 that cfn-lint and
//! the SAM CLI use) reads it back as that same string; otherwise it is single-quoted, or
//! double-quoted with escapes when it holds line breaks or characters that are not printable.

use std::fmt::Write;

use crate::template::{Map, Value};

pub fn emit(template: &Value) -> String {
    // Room for the largest template CloudFormation takes, reserved at once: so large an
    // allocation is mapped, its pages touched only as they are written, and the text never
    // moves as it grows.
    let mut out = Buffer::with_capacity(crate::limits::MAX_TEMPLATE_BYTES);
    write_template(&mut out, template);
    out.text
}

/// The length in bytes of [`emit`]'s text, counted without writing it: what `validate` needs
/// of a template it does not write (the quotas on its size).
pub fn size(template: &Value) -> usize {
    let mut out = Count {
        len: 0,
        line_start: true,
        seen: Vec::new(),
    };
    write_template(&mut out, template);
    out.len
}

fn write_template(out: &mut impl Out, template: &Value) {
    match template {
        Value::Map(map) => write_map(out, map, 0),
        other => {
            write_inline(out, other, false);
            out.push('\n');
        }
    }
}

/// Where the emitter writes: its [`Buffer`], or a [`Count`] of the bytes.
trait Out: Write {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
    /// Whether nothing is written yet or the last byte written ends a line.
    fn at_line_start(&self) -> bool;
    /// Writes again what was written for `shared` in the same place before, if it was.
    fn repeat(&mut self, _shared: Place) -> bool {
        false
    }
    /// Where the next byte goes, for [`Out::written`].
    fn mark(&self) -> usize {
        0
    }
    /// What was written from `mark` on was `shared`, written at that place.
    fn written(&mut self, _shared: Place, _mark: usize) {}
}

/// A mapping shared by the whole template ([`Map::shared`], the trust policy every generated
/// role has) and where it is written: its column, and whether its first line is indented
/// (not after a sequence's `- `). The same place gives the same text.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Place {
    map: *const Map,
    col: usize,
    line_start: bool,
}

/// The template's text, with where each shared mapping's text is, to copy instead of writing
/// it again.
struct Buffer {
    text: String,
    seen: Vec<(Place, std::ops::Range<usize>)>,
}

impl Buffer {
    fn with_capacity(bytes: usize) -> Buffer {
        Buffer {
            text: String::with_capacity(bytes),
            seen: Vec::new(),
        }
    }
}

impl Write for Buffer {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl Out for Buffer {
    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
    }

    fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }

    fn repeat(&mut self, shared: Place) -> bool {
        match self.seen.iter().find(|(p, _)| *p == shared) {
            Some((_, range)) => {
                self.text.extend_from_within(range.clone());
                true
            }
            None => false,
        }
    }

    fn mark(&self) -> usize {
        self.text.len()
    }

    fn written(&mut self, shared: Place, mark: usize) {
        self.seen.push((shared, mark..self.text.len()));
    }
}

/// The bytes the emitter would write, counted.
struct Count {
    len: usize,
    line_start: bool,
    /// Each shared mapping's length in bytes where it was written, and whether it ended a line.
    seen: Vec<(Place, usize, bool)>,
}

impl Write for Count {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        Out::push_str(self, s);
        Ok(())
    }
}

impl Out for Count {
    fn push_str(&mut self, s: &str) {
        if let Some(last) = s.as_bytes().last() {
            self.len += s.len();
            self.line_start = *last == b'\n';
        }
    }

    fn push(&mut self, c: char) {
        self.len += c.len_utf8();
        self.line_start = c == '\n';
    }

    fn at_line_start(&self) -> bool {
        self.line_start
    }

    fn repeat(&mut self, shared: Place) -> bool {
        match self.seen.iter().find(|(p, ..)| *p == shared) {
            Some(&(_, len, line_start)) => {
                if len > 0 {
                    self.len += len;
                    self.line_start = line_start;
                }
                true
            }
            None => false,
        }
    }

    fn mark(&self) -> usize {
        self.len
    }

    fn written(&mut self, shared: Place, mark: usize) {
        self.seen.push((shared, self.len - mark, self.line_start));
    }
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Map(m) => !m.is_empty(),
        Value::Seq(s) => !s.is_empty(),
        _ => false,
    }
}

fn indent(out: &mut impl Out, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.push_str(&SPACES[..now]);
        left -= now;
    }
}

/// Writes the entries of a mapping at `col`. The first entry's indentation is assumed to be
/// written already when `out` does not end with a newline (a sequence item's `- `).
fn write_map(out: &mut impl Out, map: &Map, col: usize) {
    let Some(shared) = map.shares() else {
        return write_entries(out, map, col);
    };
    let place = Place {
        map: shared,
        col,
        line_start: out.at_line_start(),
    };
    if !out.repeat(place) {
        let mark = out.mark();
        write_entries(out, map, col);
        out.written(place, mark);
    }
}

fn write_entries(out: &mut impl Out, map: &Map, col: usize) {
    for (k, v) in map {
        if out.at_line_start() {
            indent(out, col);
        }
        write_scalar(out, k, false);
        out.push(':');
        write_value(out, v, col);
    }
}

/// Writes what follows `key:`: an inline value on the same line, or a block below it.
fn write_value(out: &mut impl Out, v: &Value, col: usize) {
    match v {
        Value::Map(m) if is_block(v) => {
            out.push('\n');
            write_map(out, m, col + 2);
        }
        Value::Seq(items) if is_block(v) => {
            out.push('\n');
            write_seq(out, items, col + 2);
        }
        _ => {
            out.push(' ');
            write_inline(out, v, false);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut impl Out, items: &[Value], col: usize) {
    for item in items {
        indent(out, col);
        out.push_str("- ");
        match item {
            Value::Map(m) if is_block(item) => write_map(out, m, col + 2),
            Value::Seq(s) if is_block(item) => {
                out.push('\n');
                write_seq(out, s, col + 2);
            }
            _ => {
                write_inline(out, item, false);
                out.push('\n');
            }
        }
    }
}

/// A value on one line: a scalar, a short-form intrinsic, or a flow collection.
#[cfg(test)]
fn inline(v: &Value, flow: bool) -> String {
    let mut out = Buffer::with_capacity(0);
    write_inline(&mut out, v, flow);
    out.text
}

/// Writes `items` separated by `, `.
fn write_list<O: Out, T>(
    out: &mut O,
    items: impl IntoIterator<Item = T>,
    mut f: impl FnMut(&mut O, T),
) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        f(out, item);
    }
}

/// Writes a value on one line: a scalar, a short-form intrinsic, or a flow collection.
fn write_inline(out: &mut impl Out, v: &Value, flow: bool) {
    match v {
        Value::Str(s) => write_scalar(out, s, flow),
        // Writing into a String or a Count cannot fail.
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::Plain(text) => out.push_str(text),
        Value::Tagged(tag, inner) => {
            out.push_str(tag);
            out.push(' ');
            write_inline(out, inner, flow);
        }
        Value::Seq(items) => {
            out.push('[');
            write_list(out, items, |out, i| write_inline(out, i, true));
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            write_list(out, m, |out, (k, v)| {
                write_scalar(out, k, true);
                out.push_str(": ");
                write_inline(out, v, true);
            });
            out.push('}');
        }
        Value::Ref(name) => {
            out.push_str("!Ref ");
            write_scalar(out, name, flow);
        }
        Value::GetAtt(target) => {
            out.push_str("!GetAtt ");
            write_scalar(out, target, flow);
        }
        Value::Sub(text) => {
            out.push_str("!Sub ");
            write_scalar(out, text, flow);
        }
        Value::If(condition, then, otherwise) => {
            out.push_str("!If [");
            write_scalar(out, condition, true);
            out.push_str(", ");
            write_inline(out, then, true);
            out.push_str(", ");
            write_inline(out, otherwise, true);
            out.push(']');
        }
        Value::Select(index, list) => {
            let _ = write!(out, "!Select [{index}, ");
            write_inline(out, list, true);
            out.push(']');
        }
        Value::Split(delimiter, text) => {
            out.push_str("!Split [");
            write_scalar(out, delimiter, true);
            out.push_str(", ");
            write_inline(out, text, true);
            out.push(']');
        }
        Value::Equals(a, b) => {
            out.push_str("!Equals [");
            write_inline(out, a, true);
            out.push_str(", ");
            write_inline(out, b, true);
            out.push(']');
        }
        Value::Join(join) => {
            let (delimiter, parts) = &**join;
            out.push_str("!Join [");
            write_scalar(out, delimiter, true);
            out.push_str(", [");
            write_list(out, parts, |out, p| write_inline(out, p, true));
            out.push_str("]]");
        }
    }
}

/// Words that YAML 1.1 or 1.2 readers take for booleans or null when written plain.
const RESERVED_WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

/// Whether `s` reads back as the same string when written plain, in any YAML reader.
fn plain_ok(s: &str, flow: bool) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    // A first byte that is not ASCII is not a letter either.
    let first_ok = first.is_ascii_alphabetic() || (!flow && (first == b'/' || first == b'_'));
    if !first_ok || last == b' ' {
        return false;
    }
    // The longest reserved word is five letters, and each begins with y, n, t, f or o.
    if bytes.len() <= 5
        && matches!(first.to_ascii_lowercase(), b'y' | b'n' | b't' | b'f' | b'o')
        && RESERVED_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
    {
        return false;
    }
    // Most strings have only bytes that are always plain: one table lookup each, up to the
    // first that is not.
    let Some(start) = bytes.iter().position(|&b| PLAIN[usize::from(b)] != ALWAYS) else {
        return true;
    };
    (start..bytes.len()).all(|i| match PLAIN[usize::from(bytes[i])] {
        ALWAYS => true,
        // `,` separates entries only in flow context.
        COMMA => !flow,
        // `:` is plain only inside a word in block context (`AWS::Kinesis::Stream`, ARNs).
        COLON => !flow && bytes.get(i + 1).is_some_and(|n| *n != b' '),
        _ => false,
    })
}

const NEVER: u8 = 0;
const ALWAYS: u8 = 1;
const COMMA: u8 = 2;
const COLON: u8 = 3;

/// What each byte is to a plain scalar: letters, digits, `_./-+=@` and the space always plain;
/// `,` and `:` by context; anything else quoted.
static PLAIN: [u8; 256] = {
    let mut table = [NEVER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = match c {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'_'
            | b'.'
            | b'/'
            | b'-'
            | b'+'
            | b'='
            | b'@'
            | b' ' => ALWAYS,
            b',' => COMMA,
            b':' => COLON,
            _ => NEVER,
        };
        b += 1;
    }
    table
};

/// A YAML scalar for the string `s`, quoted only as much as needed.
pub fn scalar(s: &str, flow: bool) -> String {
    let mut out = Buffer::with_capacity(s.len() + 2);
    write_scalar(&mut out, s, flow);
    out.text
}

/// Writes `s` as a YAML scalar, quoted only as much as needed.
fn write_scalar(out: &mut impl Out, s: &str, flow: bool) {
    if plain_ok(s, flow) {
        out.push_str(s);
        return;
    }
    if s.chars().all(|c| !needs_escape(c)) {
        out.push('\'');
        for (i, part) in s.split('\'').enumerate() {
            if i > 0 {
                out.push_str("''");
            }
            out.push_str(part);
        }
        out.push('\'');
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                // Writing into a String or a Count cannot fail.
                let _ = if code <= 0xFF {
                    write!(out, "\\x{code:02X}")
                } else if code <= 0xFFFF {
                    write!(out, "\\u{code:04X}")
                } else {
                    write!(out, "\\U{code:08X}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Characters a single-quoted scalar cannot carry as they are: line breaks (YAML 1.1 counts
/// NEL, LS and PS too), controls, the byte order mark and non-characters.
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\0'..='\x1F' | '\x7F'..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(scalar("index.handler", false), "index.handler");
        assert_eq!(
            scalar("AWS::Kinesis::Stream", false),
            "AWS::Kinesis::Stream"
        );
        assert_eq!(
            scalar("AWS::Kinesis::Stream", true),
            "'AWS::Kinesis::Stream'"
        );
        assert_eq!(scalar("2010-09-09", false), "'2010-09-09'");
        assert_eq!(scalar("on", false), "'on'");
        assert_eq!(scalar("No", false), "'No'");
        assert_eq!(scalar("", false), "''");
        assert_eq!(scalar("a: b", false), "'a: b'");
        assert_eq!(scalar("it's", false), "'it''s'");
        assert_eq!(scalar("a # b", false), "'a # b'");
        assert_eq!(scalar("line\nbreak", false), "\"line\\nbreak\"");
        assert_eq!(scalar("bom\u{FEFF}", false), "\"bom\\uFEFF\"");
        assert_eq!(scalar("!Ref X", false), "'!Ref X'");
        assert_eq!(scalar("trailing:", false), "'trailing:'");
        assert_eq!(scalar("héllo", false), "'héllo'");
        assert_eq!(scalar("a, b", false), "a, b");
        assert_eq!(scalar("a, b", true), "'a, b'");
    }

    /// The count `validate` weighs a template by is the length of the text `compile` writes,
    /// whatever the values: quoted, escaped, multi-byte, empty, nested in flow and in blocks.
    #[test]
    fn size_is_the_length_of_the_text() {
        let strings = [
            "plain",
            "",
            "it's",
            "line\nbreak",
            "héllo ☃",
            "bom\u{FEFF}",
            "\u{10FFFF}\u{7}",
        ];
        let leaf = |i: usize| match i % 5 {
            0 => Value::str(strings[i % strings.len()]),
            1 => Value::Int(-(i as i64) * 1_000_003),
            2 => Value::Ref(strings[(i + 1) % strings.len()].into()),
            3 => Value::Seq(Vec::new()),
            _ => Value::Map(Map::new()),
        };
        let mut map = Map::new();
        for i in 0..40 {
            let mut inner = Map::new();
            inner.insert(strings[i % strings.len()].into(), leaf(i));
            let value = match i % 4 {
                0 => leaf(i),
                1 => Value::Seq(vec![leaf(i), Value::Map(inner), leaf(i + 1)]),
                2 => Value::Map(inner),
                _ => Value::Tagged("!Custom".into(), Box::new(Value::Seq(vec![leaf(i)]))),
            };
            map.insert(format!("{}{i}", strings[i % strings.len()]).into(), value);
        }
        for template in [Value::Map(map), leaf(0), leaf(2), Value::Seq(vec![leaf(1)])] {
            assert_eq!(size(&template), emit(&template).len());
        }
    }

    #[test]
    fn literal_dollar_braces_are_joined() {
        let v = Value::literal("${AWS::Region}-${x}");
        assert_eq!(
            inline(&v, false),
            "!Join ['', ['$', '{AWS::Region}-$', '{x}']]"
        );
        assert_eq!(Value::literal("plain $ {x}"), Value::str("plain $ {x}"));
    }

    #[test]
    fn intrinsics_in_flow() {
        let v = Value::If(
            "C".into(),
            Box::new(Value::GetAtt("S.Arn".into())),
            Box::new(Value::Select(
                1,
                Box::new(Value::Split("/".into(), Box::new(Value::Ref("P".into())))),
            )),
        );
        assert_eq!(
            inline(&v, false),
            "!If [C, !GetAtt S.Arn, !Select [1, !Split ['/', !Ref P]]]"
        );
    }
}
