//! User text as a person's report shows it: a key, a value, a wire end or a file name can hold
//! anything (YAML's quoted scalars and file names both allow escape sequences and line feeds),
//! and written raw into a terminal or a CI log it would drive the terminal (`ESC ]0;...`,
//! `ESC [2J`) or start a line GitHub Actions reads as a workflow command (`\n::error ...`).
//!
//! [`escaped`] writes every such character visibly as `\u{XXXX}`: controls (C0, DEL, C1), line
//! and paragraph breaks, whitespace other than the space, and the invisible characters that
//! reorder or hide text (bidi controls, zero-width characters, the byte order mark). Every
//! message, label, help and header of the human report goes through it; the machine formats
//! keep their own escaping (JSON strings, `%0A` in workflow commands, SARIF's JSON).

use std::borrow::Cow;

/// A character that must not reach a terminal or a log as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || (c.is_whitespace() && c != ' ') || is_invisible_format(c)
}

/// Bidi controls, zero-width characters and the byte order mark: not controls to Unicode, but
/// they reorder or hide what is around them ("Trojan Source").
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// `text` with every character [`is_unsafe`] written as `\u{XXXX}`; borrowed when there is none.
pub fn escaped(text: &str) -> Cow<'_, str> {
    escaped_where(text, is_unsafe)
}

/// `text` with every character for which `escape` holds written as `\u{XXXX}`.
pub fn escaped_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escaped`] line by line, keeping the line feeds: for stackwire's own help texts that are
/// written on several lines (an example of a stack), never for user text.
pub fn escaped_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| escaped(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_breaks_and_invisibles_are_escaped() {
        assert_eq!(escaped("a\u{1B}]0;x\u{7}b"), "a\\u{001B}]0;x\\u{0007}b");
        assert_eq!(
            escaped("k\n::error file=x::y"),
            "k\\u{000A}::error file=x::y"
        );
        assert_eq!(
            escaped("\r\t\u{85}\u{9B}"),
            "\\u{000D}\\u{0009}\\u{0085}\\u{009B}"
        );
        assert_eq!(
            escaped("a\u{202E}b\u{200B}\u{2066}\u{2028}"),
            "a\\u{202E}b\\u{200B}\\u{2066}\\u{2028}"
        );
        assert!(matches!(
            escaped("plain text, `Orders` äöü"),
            Cow::Borrowed(_)
        ));
        assert_eq!(escaped_lines("one\ntwo\u{1B}"), "one\ntwo\\u{001B}");
    }

    #[test]
    fn no_escaped_text_holds_an_unsafe_character() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let text = format!("x{c}y");
            assert!(
                !escaped(&text).chars().any(is_unsafe),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
