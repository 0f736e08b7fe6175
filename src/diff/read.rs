//! A template file's text -> the template model: JSON (CloudFormation accepts it) or YAML with
//! CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, `!If`, ... every short form),
//! within the same limits as a stack description (depth, events, aliases).
//!
//! `!Ref x` and `{Ref: x}` become [`Value::Ref`], `!GetAtt a.b` (or `[a, b]`) and its long form
//! [`Value::GetAtt`], `!Sub text` [`Value::Sub`]; every other intrinsic stays in its long form
//! (`{"Fn::If": [...]}`), which CloudFormation reads the same way.

use granit_parser::{Event, Parser, ScalarStyle};

use crate::limits::{MAX_DEPTH, MAX_EVENTS, MAX_REPLAYED};
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
        return Value::Str(String::new());
    }
    match value {
        J::Null => Value::Str(String::new()),
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i128::from(i)),
            None => Value::Str(n.to_string()),
        },
        J::String(s) => Value::Str(s),
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
        ("Ref", Value::Str(name)) => Value::Ref(name.clone()),
        ("Fn::Sub", Value::Str(text)) => Value::Sub(text.clone()),
        ("Fn::GetAtt", Value::Str(path)) if path.contains('.') => Value::GetAtt(path.clone()),
        ("Fn::GetAtt", Value::Seq(parts)) => match parts.as_slice() {
            [Value::Str(resource), Value::Str(attribute)] => {
                Value::GetAtt(format!("{resource}.{attribute}"))
            }
            _ => Value::Map(map),
        },
        _ => Value::Map(map),
    }
}

/// A node being built: a sequence, or a mapping with the key waiting for its value.
enum Open {
    Seq(Vec<Value>, Option<String>, usize),
    Map(Map, Option<String>, Option<String>, usize),
}

fn yaml(text: &str) -> Result<Value, ReadError> {
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, Value> = std::collections::HashMap::new();
    let mut root: Option<Value> = None;
    let mut documents = 0usize;
    let mut replayed = 0usize;
    for (count, event) in Parser::new_from_str(text).enumerate() {
        let (event, span) = event.map_err(|e| ReadError {
            message: format!("not valid YAML: {e}"),
            offset: e.marker().index().min(text.len()),
        })?;
        let offset = span.start.byte_offset().unwrap_or(0).min(text.len());
        let fail = |message: String| ReadError { message, offset };
        if count > MAX_EVENTS {
            return Err(fail("the template is too large to read".to_owned()));
        }
        let (value, anchor) = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(fail(
                        "the file holds more than one YAML document".to_owned(),
                    ));
                }
                continue;
            }
            Event::SequenceStart(_, anchor, tag) => {
                if stack.len() >= MAX_DEPTH * 2 {
                    return Err(fail("the template is nested too deeply".to_owned()));
                }
                stack.push(Open::Seq(Vec::new(), tag_name(tag.as_deref())?, anchor));
                continue;
            }
            Event::MappingStart(_, anchor, tag) => {
                if stack.len() >= MAX_DEPTH * 2 {
                    return Err(fail("the template is nested too deeply".to_owned()));
                }
                stack.push(Open::Map(
                    Map::new(),
                    None,
                    tag_name(tag.as_deref())?,
                    anchor,
                ));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items, tag, anchor)) => (tagged(tag, Value::Seq(items)), anchor),
                _ => return Err(fail("unbalanced YAML sequence".to_owned())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(map, _, tag, anchor)) => (tagged(tag, intrinsic(map)), anchor),
                _ => return Err(fail("unbalanced YAML mapping".to_owned())),
            },
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag_name(tag.as_deref())?;
                let value = match &tag {
                    Some(_) => Value::Str(text.into_owned()),
                    None => scalar(&text, style),
                };
                (tagged(tag, value), anchor)
            }
            Event::Alias(id) => {
                let Some(value) = anchors.get(&id) else {
                    return Err(fail("an alias to an unknown anchor".to_owned()));
                };
                replayed += size(value);
                if replayed > MAX_REPLAYED {
                    return Err(fail(
                        "aliases expand to too much text; write the values out".to_owned(),
                    ));
                }
                (value.clone(), 0)
            }
            _ => continue,
        };
        if anchor != 0 {
            anchors.insert(anchor, value.clone());
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Open::Seq(items, ..)) => items.push(value),
            Some(Open::Map(map, key, ..)) => match key.take() {
                None => match value {
                    Value::Str(k) => *key = Some(k),
                    Value::Int(i) => *key = Some(i.to_string()),
                    Value::Bool(b) => *key = Some(b.to_string()),
                    _ => return Err(fail("a mapping key that is not text".to_owned())),
                },
                Some(k) => {
                    map.insert(k, value);
                }
            },
        }
    }
    root.ok_or(ReadError {
        message: "the file is empty".to_owned(),
        offset: 0,
    })
}

/// The number of nodes in `value`, for the alias budget.
fn size(value: &Value) -> usize {
    match value {
        Value::Seq(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Map(map) => 1 + map.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// The CloudFormation function a tag names (`!Ref` -> `Ref`), or `None` for no tag; a tag that
/// is not one of CloudFormation's is an error.
fn tag_name(tag: Option<&granit_parser::Tag>) -> Result<Option<String>, ReadError> {
    let Some(tag) = tag else {
        return Ok(None);
    };
    if tag.handle() == "!"
        && let Some((_, long)) = SHORT_FORMS.iter().find(|(short, _)| *short == tag.suffix())
    {
        return Ok(Some((*long).to_owned()));
    }
    // Core-schema tags (`!!str`) say what the scalar is; their text is kept as it is.
    if tag.handle() == "tag:yaml.org,2002:" {
        return Ok(None);
    }
    Err(ReadError {
        message: format!(
            "the tag `{}{}` is not a CloudFormation function",
            tag.handle(),
            tag.suffix()
        ),
        offset: 0,
    })
}

/// `value` under the function `tag` names.
fn tagged(tag: Option<String>, value: Value) -> Value {
    let Some(name) = tag else {
        return value;
    };
    if name == "Fn::GetAtt"
        && let Value::Str(path) = &value
    {
        return Value::GetAtt(path.clone());
    }
    intrinsic(Map::from_iter([(name, value)]))
}

/// A plain scalar as YAML 1.2's core schema reads it (quoted scalars are text).
fn scalar(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_owned());
    }
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => return Value::Str(String::new()),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = text.parse::<i128>()
    {
        return Value::Int(i);
    }
    Value::Str(text.to_owned())
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
            "Resources:\n  A:\n    Type: T\n    Properties:\n      X: !Ref P\n      Y: !GetAtt B.Arn\n      Z: !Sub '${P}-x'\n      W: !If [C, 1, !Ref AWS::NoValue]\n      N: 007\n      Q: '3'\n",
        )
        .unwrap();
        let json = template(
            r#"{"Resources": {"A": {"Type": "T", "Properties": {"X": {"Ref": "P"}, "Y": {"Fn::GetAtt": ["B", "Arn"]}, "Z": {"Fn::Sub": "${P}-x"}, "W": {"Fn::If": ["C", 1, {"Ref": "AWS::NoValue"}]}, "N": 7, "Q": "3"}}}}"#,
        )
        .unwrap();
        assert_eq!(yaml, json);
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
