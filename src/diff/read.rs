//! A template file's text -> the template model: JSON (CloudFormation accepts it) or YAML with
//! CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, `!If`, ... every short form),
//! read by stackwire's own YAML reader (`format::yaml`), within the same limits as a stack
//! description (depth, size, aliases).
//!
//! `!Ref x` and `{Ref: x}` become [`Value::Ref`], `!GetAtt a.b` (or `[a, b]`) and its long form
//! [`Value::GetAtt`], `!Sub text` [`Value::Sub`]; every other short form is a
//! [`Value::Tagged`] (as pass-through content is) and every other long form stays a mapping.

use crate::format::node::{Node, Value as N};
use crate::limits::MAX_DEPTH;
use crate::template::{Map, Value};

/// Why a template could not be read: the message and the byte offset it is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub offset: usize,
}

/// The short forms CloudFormation's YAML reader knows, with their long names.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("And", "Fn::And"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("Condition", "Condition"),
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("Equals", "Fn::Equals"),
    ("FindInMap", "Fn::FindInMap"),
    ("ForEach", "Fn::ForEach"),
    ("GetAZs", "Fn::GetAZs"),
    ("GetAtt", "Fn::GetAtt"),
    ("If", "Fn::If"),
    ("ImportValue", "Fn::ImportValue"),
    ("Join", "Fn::Join"),
    ("Length", "Fn::Length"),
    ("Not", "Fn::Not"),
    ("Or", "Fn::Or"),
    ("Ref", "Ref"),
    ("RefAll", "Fn::RefAll"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("Sub", "Fn::Sub"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Transform", "Fn::Transform"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

/// The long form of a short-form tag (`!FindInMap` -> `Fn::FindInMap`, `!Ref` -> `Ref`).
pub fn long_name(tag: &str) -> String {
    let short = tag.strip_prefix('!').unwrap_or(tag);
    match SHORT_FORMS.iter().find(|(s, _)| *s == short) {
        Some((_, long)) => (*long).to_owned(),
        None => format!("Fn::{short}"),
    }
}

/// The template in `text`, JSON or YAML.
pub fn template(text: &str) -> Result<Value, ReadError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return json(text);
    }
    yaml(text)
}

fn json(text: &str) -> Result<Value, ReadError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ReadError {
        message: format!("not valid JSON: {e}"),
        offset: offset_of(text, e.line(), e.column()),
    })?;
    Ok(from_json(value, 0))
}

fn from_json(value: serde_json::Value, depth: usize) -> Value {
    use serde_json::Value as J;
    if depth > MAX_DEPTH * 4 {
        return Value::Null;
    }
    match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Plain(n.to_string()),
        },
        J::String(s) => Value::Str(s.into()),
        J::Array(items) => Value::Seq(items.into_iter().map(|v| from_json(v, depth + 1)).collect()),
        J::Object(entries) => {
            let map: Map = entries
                .into_iter()
                .map(|(k, v)| (k, from_json(v, depth + 1)))
                .collect();
            intrinsic(map)
        }
    }
}

/// A one-key long-form mapping as the model's variant, where it has one.
fn intrinsic(map: Map) -> Value {
    if map.len() != 1 {
        return Value::Map(map);
    }
    let Some((key, value)) = map.first() else {
        return Value::Map(map);
    };
    match (key.as_str(), value) {
        ("Ref", Value::Str(name)) => Value::Ref(name.to_string()),
        ("Fn::Sub", Value::Str(text)) => Value::Sub(text.to_string()),
        ("Fn::GetAtt", Value::Str(path)) if path.contains('.') => Value::GetAtt(path.to_string()),
        ("Fn::GetAtt", Value::Seq(parts)) => match parts.as_slice() {
            [Value::Str(resource), Value::Str(attribute)] => {
                Value::GetAtt(format!("{resource}.{attribute}"))
            }
            _ => Value::Map(map),
        },
        _ => Value::Map(map),
    }
}

/// YAML through stackwire's own reader (`format::yaml`: the limits on depth, size and aliases,
/// and the short-form tags kept on each node), then each node as a template value.
fn yaml(text: &str) -> Result<Value, ReadError> {
    use miette::Diagnostic;
    let root = crate::format::yaml::read(text).map_err(|problem| ReadError {
        message: match &problem {
            crate::diagnostics::Problem::EmptyStack { .. } => "the file is empty".to_owned(),
            other => other.to_string(),
        },
        offset: problem
            .labels()
            .and_then(|mut labels| labels.next())
            .map_or(0, |l| l.offset()),
    })?;
    value(root)
}

/// A node as a template value: its tag as the intrinsic function it names.
fn value(node: Node) -> Result<Value, ReadError> {
    let offset = node.span.offset();
    let inner = match node.value {
        N::Null => Value::Null,
        N::Bool(b) => Value::Bool(b),
        N::Int(i) => Value::int(i),
        N::Float(f) => Value::Plain(format!("{f:?}")),
        N::Str(s) => Value::Str(s.into()),
        N::Seq(items) => Value::Seq(items.into_iter().map(value).collect::<Result<_, _>>()?),
        N::Map(entries) => {
            let mut map = Map::with_capacity(entries.len());
            for (key, v) in entries {
                let key = match key.value {
                    N::Str(k) => k,
                    N::Int(i) => i.to_string(),
                    N::Bool(b) => b.to_string(),
                    _ => {
                        return Err(ReadError {
                            message: "a mapping key that is not text".to_owned(),
                            offset: key.span.offset(),
                        });
                    }
                };
                map.insert(key.into(), value(v)?);
            }
            intrinsic(map)
        }
    };
    let Some(tag) = node.tag else {
        return Ok(inner);
    };
    let short = tag.strip_prefix('!').unwrap_or(&tag);
    let Some((_, long)) = SHORT_FORMS.iter().find(|(s, _)| *s == short) else {
        return Err(ReadError {
            message: format!("the tag `{tag}` is not a CloudFormation function"),
            offset,
        });
    };
    Ok(match (*long, inner) {
        ("Ref", Value::Str(name)) => Value::Ref(name.into_string()),
        ("Fn::GetAtt", Value::Str(path)) => Value::GetAtt(path.into_string()),
        ("Fn::Sub", Value::Str(text)) => Value::Sub(text.into_string()),
        (_, inner) => match intrinsic(Map::from_iter([((*long).to_owned(), inner)])) {
            Value::Map(map) => match map.into_iter().next() {
                Some((_, inner)) => Value::Tagged(tag.into(), Box::new(inner)),
                None => Value::Null,
            },
            other => other,
        },
    })
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_and_long_forms_read_alike() {
        let yaml = template(
            "Resources:\n  A:\n    Type: T\n    Properties:\n      X: !Ref P\n      Y: !GetAtt B.Arn\n      Z: !Sub '${P}-x'\n      W: !If [C, 1, !Ref AWS::NoValue]\n      N: 7\n      F: 1.5\n      Q: '3'\n",
        )
        .unwrap();
        let json = template(
            r#"{"Resources": {"A": {"Type": "T", "Properties": {"X": {"Ref": "P"}, "Y": {"Fn::GetAtt": ["B", "Arn"]}, "Z": {"Fn::Sub": "${P}-x"}, "W": {"Fn::If": ["C", 1, {"Ref": "AWS::NoValue"}]}, "N": 7, "F": 1.5, "Q": "3"}}}}"#,
        )
        .unwrap();
        use crate::diff::Tree;
        assert_eq!(Tree::from(yaml), Tree::from(json));
    }

    #[test]
    fn unknown_tags_and_broken_text_are_errors() {
        assert!(template("a: !Nope x\n").is_err());
        assert!(template("a: [1,\n").is_err());
        assert!(template("{\"a\": \n").is_err());
        assert!(template("").is_err());
        assert!(template("a: 1\n---\nb: 2\n").is_err());
    }

    #[test]
    fn aliases_are_expanded_within_a_budget() {
        let v = template("a: &x {k: 1}\nb: *x\n").unwrap();
        let Value::Map(m) = v else { panic!() };
        assert_eq!(m.get("a"), m.get("b"));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(template(&bomb).is_err());
    }
}
