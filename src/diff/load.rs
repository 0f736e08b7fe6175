//! One side of a diff from a file's bytes: a template (JSON, or YAML with a `Resources` or
//! `AWSTemplateFormatVersion` key) is read as it is; anything else is a stack description,
//! compiled first. Both are then expanded as SAM's transform would (the CloudFormation
//! target's module), so a Function's event shows as its event source mapping.

use crate::options::Options;
use crate::pipeline::{self, Compiled};
use crate::target::cloudformation::expand;
use crate::template::Value;

use super::read::{self, ReadError};
use super::{Resource, Side, Tree};

/// Why a side could not be had.
#[derive(Debug)]
pub enum LoadError {
    /// A stack description with errors: what the compiler reported.
    Stack(Compiled),
    /// A template that is not a template.
    Template(ReadError),
}

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Template,
    Stack,
}

/// Tells a template from a stack description by content: JSON, or a YAML mapping with
/// `Resources` or `AWSTemplateFormatVersion` and no `resources`, is a template.
pub fn kind_of(text: &str) -> (Kind, Option<Result<Value, ReadError>>) {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let read = read::template(text);
        // JSON is YAML too: a stack description may be written as JSON.
        if let Ok(Value::Map(top)) = &read
            && top.contains_key("resources")
            && !top.contains_key("Resources")
            && !top.contains_key("AWSTemplateFormatVersion")
        {
            return (Kind::Stack, None);
        }
        return (Kind::Template, Some(read));
    }
    // A stack description has a top-level `resources:` at the start of a line; a template
    // `Resources:` or `AWSTemplateFormatVersion:`. One pass over the lines that start a
    // top-level key.
    let (mut stack, mut template) = (false, false);
    for line in text.lines() {
        let Some(first) = line.bytes().next() else {
            continue;
        };
        if first.is_ascii_whitespace() || first == b'#' || first == b'-' {
            continue;
        }
        let key = line.split(':').next().unwrap_or("").trim_end();
        let key = key.trim_matches(['"', '\'']);
        match key {
            "resources" | "stack" | "wires" => stack = true,
            "Resources" | "AWSTemplateFormatVersion" => template = true,
            _ => {}
        }
    }
    if template && !stack {
        return (Kind::Template, Some(read::template(text)));
    }
    (Kind::Stack, None)
}

/// The side `bytes` describe; `options` compile a stack description.
pub fn side(bytes: &[u8], options: &Options<'_>) -> Result<(Side, Kind), LoadError> {
    // Valid UTF-8 (every template in practice) is checked at the speed of ASCII; the rest read
    // with U+FFFD in place of what is not.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    match kind_of(&text) {
        (Kind::Template, Some(read)) => {
            let value = read.map_err(LoadError::Template)?;
            Ok((side_of(value), Kind::Template))
        }
        _ => {
            let compiled = pipeline::compile(bytes, options);
            let Some(template) = &compiled.template else {
                return Err(LoadError::Stack(compiled));
            };
            // What stackwire writes, it reads.
            match read::template(template) {
                Ok(value) => Ok((side_of(value), Kind::Stack)),
                Err(e) => Err(LoadError::Template(e)),
            }
        }
    }
}

/// The side of a template's text (for `compile --check` and tests).
pub fn side_of_template(text: &str) -> Result<Side, ReadError> {
    read::template(text).map(side_of)
}

/// A template as the guard compares it: expanded, in long form.
pub fn side_of(template: Value) -> Side {
    let expanded = expand::template(template);
    let mut side = Side::default();
    for u in &expanded.unexpanded {
        side.unexpanded
            .push(format!("{}: {}", u.path.join("."), u.reason));
    }
    let Value::Map(mut top) = expanded.template else {
        return side;
    };
    if let Some(Value::Map(parameters)) = top.swap_remove("Parameters") {
        for (name, parameter) in parameters {
            let default = match parameter {
                Value::Map(mut p) => p.swap_remove("Default").map(Tree::from),
                _ => None,
            };
            side.parameters.insert(name.into(), default);
        }
    }
    if let Some(Value::Map(resources)) = top.swap_remove("Resources") {
        side.resources.reserve(resources.len());
        for (id, resource) in resources {
            let Value::Map(r) = resource else { continue };
            let mut kind = String::new();
            let mut properties = None;
            let mut attributes = indexmap::IndexMap::new();
            for (key, value) in r {
                match (key.as_str(), value) {
                    ("Type", Value::Str(t)) => kind = t.into_string(),
                    ("Type", _) => {}
                    ("Properties", value) => properties = Some(Tree::from(value)),
                    (_, value) => {
                        attributes.insert(key.into_string(), Tree::from(value));
                    }
                }
            }
            side.resources.insert(
                id.into(),
                Resource {
                    kind,
                    properties: properties.unwrap_or_else(Tree::empty_map),
                    attributes,
                },
            );
        }
    }
    side
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_stack_descriptions_are_told_apart() {
        assert_eq!(kind_of("{\"Resources\": {}}").0, Kind::Template);
        assert_eq!(
            kind_of("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n").0,
            Kind::Template
        );
        assert_eq!(
            kind_of("stack: s\nresources:\n  A: {type: Stream}\n").0,
            Kind::Stack
        );
        assert_eq!(kind_of("# nothing\n").0, Kind::Stack);
        assert_eq!(
            kind_of("{\"resources\": {\"A\": {\"type\": \"Stream\"}}}").0,
            Kind::Stack
        );
    }

    #[test]
    fn a_sam_function_is_expanded() {
        let side = side_of_template(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  S: {Type: AWS::Kinesis::Stream, Properties: {ShardCount: 1}}\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/F\n      Handler: index.handler\n      Runtime: python3.13\n      Events:\n        S: {Type: Kinesis, Properties: {Stream: !GetAtt S.Arn, StartingPosition: LATEST}}\n",
        )
        .unwrap();
        let kinds: Vec<(&str, &str)> = side
            .resources
            .iter()
            .map(|(id, r)| (id.as_str(), r.kind.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("S", "AWS::Kinesis::Stream"),
                ("F", "AWS::Lambda::Function"),
                ("FRole", "AWS::IAM::Role"),
                ("FS", "AWS::Lambda::EventSourceMapping"),
            ]
        );
    }
}
