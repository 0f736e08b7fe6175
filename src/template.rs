//! The template model: CloudFormation values, with intrinsic functions as their own variants so
//! `emit` can write them in short form (`!Ref X`, `!GetAtt X.Arn`, ...).

use indexmap::IndexMap;

pub type Map = IndexMap<String, Value>;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i128),
    Bool(bool),
    Seq(Vec<Value>),
    Map(Map),
    /// `!Ref name`
    Ref(String),
    /// `!GetAtt resource.attribute`
    GetAtt(String),
    /// `!Sub 'text with ${...}'`
    Sub(String),
    /// `!If [condition, then, else]`
    If(String, Box<Value>, Box<Value>),
    /// `!Select [index, list]`
    Select(u32, Box<Value>),
    /// `!Split [delimiter, text]`
    Split(String, Box<Value>),
    /// `!Equals [a, b]`
    Equals(Box<Value>, Box<Value>),
    /// `!Join [delimiter, [parts]]`
    Join(String, Vec<Value>),
    /// A user's value with the short-form tag it was written with (`!FindInMap [...]`), from
    /// pass-through content: written back with that tag, its value inline.
    Tagged(String, Box<Value>),
    /// A user's plain scalar that is not a string (a number, `~`), written back as its text.
    Plain(String),
    /// `null`
    Null,
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    pub fn get_att(resource: &str, attribute: &str) -> Value {
        Value::GetAtt(format!("{resource}.{attribute}"))
    }

    /// A literal string, or `!Sub` when it holds a `${...}` substitution.
    pub fn maybe_sub(s: &str) -> Value {
        if s.contains("${") {
            Value::Sub(s.to_owned())
        } else {
            Value::Str(s.to_owned())
        }
    }

    /// A user's text, meaning exactly that text. CloudFormation leaves `${...}` in a plain string
    /// alone, but cfn-lint takes it for a mistaken substitution (and an escaped `!Sub` for a
    /// needless one), so such text is joined from parts that split every `${` between `$` and `{`.
    pub fn literal(s: &str) -> Value {
        if !s.contains("${") {
            return Value::Str(s.to_owned());
        }
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(at) = rest.find("${") {
            parts.push(Value::str(&rest[..=at]));
            rest = &rest[at + 1..];
        }
        parts.push(Value::str(rest));
        Value::Join(String::new(), parts)
    }

    /// A mapping from `(key, value)` pairs, in the order given.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}
