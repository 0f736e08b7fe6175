//! Explicit YAML tags from the core schema (`!!binary`, `!!str`, `!!int`, `!!float`, `!!bool`,
//! `!!null`, `!!timestamp`, and their verbatim `!<tag:yaml.org,2002:...>` forms): they change
//! what a scalar is (`!!str 2` is text, `!!binary` decodes base64, `!!int "48"` a number), and
//! a stack description has no YAML tags. The YAML reader resolves these itself, so they are
//! found here first, on the parser's events, and the file is refused at the first one
//! (`yaml_syntax`), as every other tag is.

use granit_parser::{Event, Parser};
use miette::SourceSpan;

use crate::diagnostics::Problem;
use crate::limits::MAX_EVENTS;

/// The handle every core-schema tag resolves to.
const CORE: &str = "tag:yaml.org,2002:";

/// The first scalar with an explicit core-schema tag, as the problem that refuses the file.
pub fn first_core_tag(text: &str) -> Option<Problem> {
    // Only a file that could hold one is parsed twice.
    if !(text.contains("!!") || text.contains("!<") || text.contains("%TAG")) {
        return None;
    }
    for (i, event) in Parser::new_from_str(text).enumerate() {
        // A syntax error, or a file past the event budget, is the reader's to report.
        let Ok((event, span)) = event else {
            return None;
        };
        if i > MAX_EVENTS {
            return None;
        }
        let tag = match &event {
            Event::Scalar(_, _, _, Some(tag)) => tag,
            Event::StreamEnd => return None,
            _ => continue,
        };
        // `!!str` resolves to the core handle and `str`; the verbatim `!<tag:yaml.org,...>`
        // may keep the whole name in the suffix.
        let full = format!("{}{}", tag.handle(), tag.suffix());
        let Some(name) = full
            .strip_prefix(CORE)
            .or_else(|| tag.suffix().strip_prefix(CORE))
        else {
            continue;
        };
        let start = span.start.byte_offset().unwrap_or(0).min(text.len());
        let end = span
            .end
            .byte_offset()
            .unwrap_or(start)
            .clamp(start, text.len());
        return Some(Problem::YamlSyntax {
            message: format!(
                "the explicit tag `!!{name}`: a stack description has no YAML tags"
            ),
            span: SourceSpan::new(start.into(), end - start),
            help: Some(
                "write the plain value: a number or `true` unquoted, text in quotes where it would read as a number or boolean".to_owned(),
            ),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_tags_are_found_and_others_left() {
        for text in [
            "a: !!binary aGVsbG8=\n",
            "a: !!str 2\n",
            "a: !!int \"48\"\n",
            "a: [!!float 1]\n",
            "a: !<tag:yaml.org,2002:str> x\n",
            "%TAG !y! tag:yaml.org,2002:\n---\na: !y!bool yes\n",
        ] {
            assert!(
                matches!(first_core_tag(text), Some(Problem::YamlSyntax { .. })),
                "{text}"
            );
        }
        for text in [
            "a: b!!c\n",
            "a: '!!str 2'\n",
            "# !!binary\na: 1\n",
            "a: !Ref B\n",
        ] {
            assert_eq!(first_core_tag(text), None, "{text}");
        }
    }
}
