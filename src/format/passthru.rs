//! Pass-through content: what stackwire does not model, kept as the user wrote it (SPEC 4).
//!
//! A top-level `template:` (any of a template's sections), `properties:` on a Function, a Stream
//! or an event wire, and intrinsic functions where the format allows them are read into [`Raw`]:
//! the node (with its spans, for the reference checks) and the template value `emit` writes
//! back, with the same short-form tags, the same order and the same values. Reading them is part
//! of `parse`: the tags are checked against CloudFormation's intrinsic functions and every
//! mapping's keys for duplicates here, with the rest of the file's problems.

use crate::diagnostics::Problem;
use crate::format::model::Sp;
use crate::format::node::{Node, Value};
use crate::format::parse::{Decoder, keep};
use crate::suggest;
use crate::template::{Map, Value as T};

/// The short-form intrinsic functions a stack description may hold.
pub const INTRINSIC_TAGS: &[&str] = &[
    "!Ref",
    "!GetAtt",
    "!Sub",
    "!Join",
    "!Select",
    "!Split",
    "!If",
    "!ImportValue",
    "!FindInMap",
    "!GetAZs",
    "!Base64",
    "!Cidr",
    "!Equals",
    "!And",
    "!Or",
    "!Not",
    "!Condition",
];

/// The template sections `template:` may hold, in the order the template writes them.
pub const SECTIONS: &[&str] = &[
    "Globals",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
];

/// The sections that stay stackwire's.
const OWN_SECTIONS: &[(&str, &str)] = &[
    (
        "AWSTemplateFormatVersion",
        "stackwire writes `AWSTemplateFormatVersion: '2010-09-09'` itself; remove it",
    ),
    (
        "Transform",
        "stackwire writes the SAM `Transform` itself; remove it",
    ),
    (
        "Description",
        "write the template's description as the top-level `description:` key",
    ),
];

/// Where intrinsic functions may stand, for the error that finds one elsewhere.
pub const WHERE_INTRINSICS: &str = "intrinsic functions may stand in `template:`, in `properties:`, in a Function's `environment` values, `policies` items and `description`, and as the value of `name`, `memory` and `timeout` (Function) or `name`, `shardCount` and `retentionHours` (Stream)";

/// A pass-through value: the node as read, and the template value it is written back as.
#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    pub node: Node,
    pub value: T,
}

/// One section of `template:`, its entries in the file's order.
#[derive(Debug)]
pub struct Section {
    pub name: Sp<String>,
    pub entries: Vec<(Sp<String>, Raw)>,
}

impl Section {
    pub fn entry(&self, name: &str) -> Option<&Raw> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(_, v)| v)
    }
}

/// `properties:` entries, in the file's order.
pub type Properties = Vec<(Sp<String>, Raw)>;

/// A Function's `environment`: names to values, in the file's order.
pub type Environment = Vec<(Sp<String>, EnvValue)>;

/// A Function's `environment` value: text, or an intrinsic function.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvValue {
    Text(Sp<String>),
    Raw(Raw),
}

/// A Function's `policies` item: a managed policy name or ARN, or anything else SAM takes (a
/// policy template, an inline policy document, an intrinsic function).
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    Name(Sp<String>),
    Raw(Raw),
}

/// The intrinsic function a node is, if it is one: its short-form tag, or the key of a
/// one-key long-form mapping (`Ref`, `Fn::...`, `Condition`).
pub fn intrinsic(node: &Node) -> Option<String> {
    if let Some(tag) = &node.tag {
        return Some(tag.to_string());
    }
    if let Value::Map(entries) = &node.value
        && let [(key, _)] = entries.as_slice()
        && let Value::Str(k) = &key.value
        && (k == "Ref" || k.starts_with("Fn::"))
    {
        return Some(k.clone());
    }
    None
}

/// A model that may take an intrinsic function for some of its keys.
pub trait Intrinsics {
    /// Stores `raw` as the value of `key`; false when `key` takes no intrinsic.
    fn intrinsic(&mut self, key: &'static str, raw: Raw) -> bool {
        let _ = (key, raw);
        false
    }
}

impl Decoder<'_> {
    /// A pass-through value, read whole: the node is moved into it (nothing reads it again
    /// where it was but its span, which stays).
    pub(crate) fn raw(&mut self, node: &mut Node) -> Raw {
        let value = self.convert(node);
        Raw {
            node: node.take(),
            value,
        }
    }

    fn convert(&mut self, node: &Node) -> T {
        let inner = self.convert_untagged(node);
        match &node.tag {
            None => inner,
            Some(tag) => {
                if !INTRINSIC_TAGS.contains(&&**tag) {
                    let help =
                        suggest::did_you_mean(tag, INTRINSIC_TAGS.iter().copied()).or_else(|| {
                            Some(format!(
                                "CloudFormation's short forms are {}",
                                INTRINSIC_TAGS.join(", ")
                            ))
                        });
                    self.problems.push(Problem::UnknownTag {
                        tag: tag.to_string(),
                        span: node.span,
                        help,
                    });
                }
                T::Tagged(tag.to_string(), Box::new(inner))
            }
        }
    }

    fn convert_untagged(&mut self, node: &Node) -> T {
        match &node.value {
            Value::Null => T::Null,
            Value::Bool(b) => T::Bool(*b),
            Value::Int(i) => self.plain(node).unwrap_or_else(|| T::int(*i)),
            Value::Float(f) => self
                .plain(node)
                .unwrap_or_else(|| T::Plain(format!("{f:?}"))),
            Value::Str(s) => T::Str(s.clone().into()),
            Value::Seq(items) => T::Seq(items.iter().map(|i| self.convert(i)).collect()),
            Value::Map(_) => {
                let mut map = Map::new();
                for (key, value) in self.map_entries_copied(node, "pass-through content") {
                    let value = self.convert(value);
                    map.insert(key.value.into(), value);
                }
                T::Map(map)
            }
        }
    }

    /// A number as written, when it was written as one plain token (not through an alias).
    fn plain(&self, node: &Node) -> Option<T> {
        let source = self.source(node);
        let token = !source.is_empty()
            && source
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_'))
            && !source.starts_with(['*', '&', '!']);
        token.then(|| T::Plain(source.to_owned()))
    }

    /// `template:`: the sections, each a mapping of entries.
    pub(crate) fn template(&mut self, node: &mut Node) -> Vec<Section> {
        let Some(entries) = self.entries(node, "template") else {
            return Vec::new();
        };
        let mut sections = Vec::new();
        for e in entries {
            let name = e.key.value.as_str();
            if !SECTIONS.contains(&name) {
                let help = OWN_SECTIONS
                    .iter()
                    .find(|(own, _)| *own == name)
                    .map(|(_, help)| (*help).to_owned())
                    .or_else(|| suggest::help(name, SECTIONS));
                self.problems.push(Problem::UnknownSection {
                    name: e.key.value.clone(),
                    span: e.key.span,
                    help,
                });
                continue;
            }
            let label = format!("template.{name}");
            let Some(items) = self.entries(e.value, &label) else {
                continue;
            };
            let entries = items
                .into_iter()
                .map(|i| {
                    let raw = self.raw(i.value);
                    (i.key, raw)
                })
                .collect();
            sections.push(Section {
                name: e.key,
                entries,
            });
        }
        sections
    }

    /// `properties:`: any property but those stackwire writes from its own keys (`owned`, each
    /// with the key to use).
    pub(crate) fn properties(
        &mut self,
        node: &mut Node,
        context: &str,
        owned: &[(&str, &str)],
    ) -> Properties {
        let Some(entries) = self.entries(node, "properties") else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            if let Some((property, key)) = owned.iter().find(|(p, _)| *p == e.key.value) {
                self.problems.push(Problem::OwnedProperty {
                    property: (*property).to_owned(),
                    context: context.to_owned(),
                    key: (*key).to_owned(),
                    span: e.key.span,
                });
                continue;
            }
            let raw = self.raw(e.value);
            out.push((e.key, raw));
        }
        out
    }

    /// A Function's `environment`: names to text or intrinsic functions, in source order.
    pub(crate) fn env_values(&mut self, node: &mut Node, key: &str) -> Environment {
        if node.tag.is_none() && !matches!(node.value, Value::Map(_)) {
            let help = format!("write `NAME: value` pairs under `{key}:`");
            self.wrong_type(node, key, "a mapping", Some(help));
            return Vec::new();
        }
        let Some(entries) = self.entries(node, key) else {
            return Vec::new();
        };
        keep(entries.into_iter(), |e| {
            if intrinsic(e.value).is_some() {
                let raw = self.raw(e.value);
                return Some((e.key, EnvValue::Raw(raw)));
            }
            let label = crate::ids::join(&[key, ".", &e.key.value]);
            self.string(e.value, &label)
                .map(|v| (e.key, EnvValue::Text(v)))
        })
    }

    /// `source: {Bucket, Key, Version}`: SAM's S3 location of the code, `Bucket` and `Key`
    /// required, each value text or an intrinsic function.
    pub(crate) fn s3_location(&mut self, node: &mut Node, key: &str) -> Option<Raw> {
        const KEYS: &[&str] = &["Bucket", "Key", "Version"];
        let span = node.span;
        // Read whole into the model below: nothing is moved out of it here.
        let entries = self.entries_copied(node, key)?;
        let mut ok = true;
        for (name, value) in &entries {
            if !KEYS.contains(&name.value.as_str()) {
                self.problems.push(Problem::UnknownKey {
                    key: name.value.clone(),
                    context: format!("`{key}`"),
                    span: name.span,
                    help: suggest::help(&name.value, KEYS).map(Into::into),
                });
                ok = false;
            } else if intrinsic(value).is_none() {
                let label = format!("{key}.{}", name.value);
                ok &= self.is_string(value, &label);
            }
        }
        for required in ["Bucket", "Key"] {
            if !entries.iter().any(|(name, _)| name.value == required) {
                self.problems.push(Problem::MissingKey {
                    key: required,
                    context: format!("`{key}`"),
                    span,
                    help: Some(
                        "an S3 location is `{Bucket: <bucket>, Key: <key>}`, with an optional `Version`"
                            .to_owned(),
                    ),
                });
                ok = false;
            }
        }
        ok.then(|| self.raw(node))
    }

    /// A Function's `policies`: names or ARNs, and anything else SAM takes, as written.
    pub(crate) fn policies(&mut self, node: &mut Node, key: &str) -> Vec<Policy> {
        let Some(items) = self.list(node, key) else {
            return Vec::new();
        };
        keep(items.iter_mut(), |item| {
            if matches!(item.value, Value::Map(_)) || item.tag.is_some() {
                Some(Policy::Raw(self.raw(item)))
            } else {
                self.string(item, key).map(Policy::Name)
            }
        })
    }
}
