//! A YAML document as a tree of nodes, each with the byte span it came from.
//!
//! serde-saphyr reads the text (YAML 1.2, strict booleans, bounded aliases and nesting) and
//! hands every node to the visitor here wrapped in `Spanned`, so the tree keeps a position for
//! every key and value. Keeping the tree generic, instead of deserializing straight into typed
//! structs, is what lets `parse` report every problem in a file instead of stopping at the first.

use std::fmt;

use miette::SourceSpan;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Spanned, Tagged};

/// One YAML node and where it is in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: SourceSpan,
    /// A local tag written on the node (`!Ref`, `!GetAtt`, ...), as written. YAML's own tags
    /// (`!!str`, `!!int`, the non-specific `!`) are not kept: the value already carries them.
    pub tag: Option<Box<str>>,
    pub value: Value,
}

/// The value of a node. Mappings keep their entries in source order, duplicates included,
/// so that `parse` can point at both copies of a repeated key.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What the value is, as a user would name it in an error message.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a decimal number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// The raw deserialized value, before its span is attached.
struct Raw(Value);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Tagged<Raw>>::deserialize(deserializer)?;
        let span = spanned.referenced.span();
        let (offset, len) = match (span.byte_offset(), span.byte_len()) {
            (Some(offset), Some(len)) => (offset, len),
            _ => (span.offset(), span.len()),
        };
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        let mut len = usize::try_from(len).unwrap_or(0);
        let Tagged(Raw(value), tag) = spanned.value;
        let tag = tag
            .filter(|t| t.starts_with('!') && t.len() > 1)
            .map(String::into_boxed_str);
        // A collection's own span is only its start: stretch it to its last child, so a label
        // underlines the whole mapping or list.
        let last = match &value {
            Value::Seq(items) => items.last(),
            Value::Map(entries) => entries.last().map(|(_, v)| v),
            _ => None,
        };
        if let Some(last) = last {
            let end = last.span.offset() + last.span.len();
            len = len.max(end.saturating_sub(offset));
        }
        Ok(Node {
            span: SourceSpan::new(offset.into(), len),
            tag,
            value,
        })
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor).map(Raw)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        // Past i128 the exact value no longer matters: every integer key has a far smaller range.
        Ok(Value::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

impl Node {
    /// The node, moved out; a null node with the same span is left in its place (what is read
    /// whole, or read already, need not stay in the tree).
    pub fn take(&mut self) -> Node {
        let span = self.span;
        std::mem::replace(
            self,
            Node {
                span,
                tag: None,
                value: Value::Null,
            },
        )
    }

    /// The value of `key` in a mapping node (the first, if written twice).
    pub fn get(&self, key: &str) -> Option<&Node> {
        let Value::Map(entries) = &self.value else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
            .map(|(_, v)| v)
    }

    /// The value as JSON text, keys in the order written (an event filter pattern, as Lambda
    /// expects it).
    pub fn json_text(&self) -> Result<String, String> {
        fn json(node: &Node) -> Result<serde_json::Value, String> {
            Ok(match &node.value {
                Value::Null => serde_json::Value::Null,
                Value::Bool(b) => serde_json::Value::Bool(*b),
                Value::Int(i) => {
                    let n = i64::try_from(*i).map_err(|_| format!("{i} is too large for JSON"))?;
                    serde_json::Value::from(n)
                }
                Value::Float(f) => serde_json::Number::from_f64(*f)
                    .map(serde_json::Value::Number)
                    .ok_or_else(|| format!("{f} is not a JSON number"))?,
                Value::Str(s) => serde_json::Value::String(s.clone()),
                Value::Seq(items) => {
                    serde_json::Value::Array(items.iter().map(json).collect::<Result<_, _>>()?)
                }
                Value::Map(entries) => {
                    let mut map = serde_json::Map::new();
                    for (k, v) in entries {
                        let Value::Str(key) = &k.value else {
                            return Err("pattern keys are field names (strings)".to_owned());
                        };
                        map.insert(key.clone(), json(v)?);
                    }
                    serde_json::Value::Object(map)
                }
            })
        }
        serde_json::to_string(&json(self)?).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Node {
        match crate::format::yaml::read(text) {
            Ok(node) => node,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn tags_are_kept() {
        let root =
            read("a: !Ref Queue\nb: !GetAtt [X, Arn]\ne: !Sub\n  - x\n  - {y: 1}\nf: !Ref 12\n");
        let Value::Map(entries) = &root.value else {
            panic!("not a map")
        };
        let got: Vec<(Option<&str>, &Value)> = entries
            .iter()
            .map(|(_, v)| (v.tag.as_deref(), &v.value))
            .collect();
        assert_eq!(got[0], (Some("!Ref"), &Value::Str("Queue".into())));
        assert_eq!(got[1].0, Some("!GetAtt"));
        assert!(matches!(got[1].1, Value::Seq(s) if s.len() == 2));
        assert_eq!(got[2].0, Some("!Sub"));
        assert!(matches!(got[2].1, Value::Seq(s) if s.len() == 2));
        // A tagged plain scalar keeps its tag; its value is read as YAML reads it.
        assert_eq!(got[3], (Some("!Ref"), &Value::Int(12)));
    }
}
