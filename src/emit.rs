//! Stage 4: the template model -> YAML bytes.
//!
//! Block style, two-space indentation, short-form intrinsics, no line wrapping. A string is
//! written plain only when every YAML reader (YAML 1.2, and PyYAML's YAML 1.1 that cfn-lint and
//! the SAM CLI use) reads it back as that same string; otherwise it is single-quoted, or
//! double-quoted with escapes when it holds line breaks or characters that are not printable.

use std::fmt::Write;

use crate::template::{Map, Value};

pub fn emit(template: &Value) -> String {
    let mut out = String::with_capacity(4096);
    match template {
        Value::Map(map) => write_map(&mut out, map, 0),
        other => {
            out.push_str(&inline(other, false));
            out.push('\n');
        }
    }
    out
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Map(m) => !m.is_empty(),
        Value::Seq(s) => !s.is_empty(),
        _ => false,
    }
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Writes the entries of a mapping at `col`. The first entry's indentation is assumed to be
/// written already when `out` does not end with a newline (a sequence item's `- `).
fn write_map(out: &mut String, map: &Map, col: usize) {
    for (k, v) in map {
        if out.is_empty() || out.ends_with('\n') {
            indent(out, col);
        }
        out.push_str(&scalar(k, false));
        out.push(':');
        write_value(out, v, col);
    }
}

/// Writes what follows `key:`: an inline value on the same line, or a block below it.
fn write_value(out: &mut String, v: &Value, col: usize) {
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
            out.push_str(&inline(v, false));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], col: usize) {
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
                out.push_str(&inline(item, false));
                out.push('\n');
            }
        }
    }
}

/// A value on one line: a scalar, a short-form intrinsic, or a flow collection.
fn inline(v: &Value, flow: bool) -> String {
    match v {
        Value::Str(s) => scalar(s, flow),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Seq(items) => {
            let items: Vec<String> = items.iter().map(|i| inline(i, true)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Map(m) => {
            let entries: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k, true), inline(v, true)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Ref(name) => format!("!Ref {}", scalar(name, flow)),
        Value::GetAtt(target) => format!("!GetAtt {}", scalar(target, flow)),
        Value::Sub(text) => format!("!Sub {}", scalar(text, flow)),
        Value::If(condition, then, otherwise) => format!(
            "!If [{}, {}, {}]",
            scalar(condition, true),
            inline(then, true),
            inline(otherwise, true)
        ),
        Value::Select(index, list) => format!("!Select [{index}, {}]", inline(list, true)),
        Value::Split(delimiter, text) => {
            format!(
                "!Split [{}, {}]",
                scalar(delimiter, true),
                inline(text, true)
            )
        }
        Value::Equals(a, b) => format!("!Equals [{}, {}]", inline(a, true), inline(b, true)),
        Value::Join(delimiter, parts) => {
            let parts: Vec<String> = parts.iter().map(|p| inline(p, true)).collect();
            format!(
                "!Join [{}, [{}]]",
                scalar(delimiter, true),
                parts.join(", ")
            )
        }
    }
}

/// Words that YAML 1.1 or 1.2 readers take for booleans or null when written plain.
const RESERVED_WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

/// Whether `s` reads back as the same string when written plain, in any YAML reader.
fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let first_ok = first.is_ascii_alphabetic() || (!flow && (first == '/' || first == '_'));
    if !first_ok || s.ends_with(' ') {
        return false;
    }
    if RESERVED_WORDS.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    let bytes = s.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'A'..=b'Z'
        | b'a'..=b'z'
        | b'0'..=b'9'
        | b'_'
        | b'.'
        | b'/'
        | b'-'
        | b'+'
        | b'='
        | b'@' => true,
        b' ' => true,
        // `,` separates entries only in flow context.
        b',' => !flow,
        // `:` is plain only inside a word in block context (`AWS::Kinesis::Stream`, ARNs).
        b':' => !flow && bytes.get(i + 1).is_some_and(|n| *n != b' '),
        _ => false,
    })
}

/// A YAML scalar for the string `s`, quoted only as much as needed.
pub fn scalar(s: &str, flow: bool) -> String {
    if plain_ok(s, flow) {
        return s.to_owned();
    }
    if s.chars().all(|c| !needs_escape(c)) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::with_capacity(s.len() + 2);
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
                // Writing into a String cannot fail.
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
    out
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
