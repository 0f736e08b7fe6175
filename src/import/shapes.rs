//! Recognising Stackery's shapes in a template, and building the stack description from them.
//!
//! What is recognised is taken over by stackwire's keys; what is not goes to `template:` and
//! `properties:` as it is. A shape read only in part (a stream with a `DependsOn`, an event
//! whose batch size is an intrinsic) is not modelled at all: it passes through whole, exactly,
//! and the report says what kept it out. Every value that changes text in the deployed template
//! is a warning with a [`Change`].

use std::collections::{HashMap, HashSet};

use miette::SourceSpan;

use super::read::{
    entries, equals, get, get_att, if_of, int, not_condition, reference, sub_text, text,
};
use super::{Change, Imported};
use crate::diagnostics::Problem;
use crate::format::node::{Node, Value as V};
use crate::format::passthru::SECTIONS;
use crate::format::yaml;
use crate::ids;
use crate::template::{Map, Value};

/// SAM's transform, the one `import` reads.
const SAM: &str = "AWS::Serverless-2016-10-31";

/// The top-level keys of a CloudFormation template (SAM's `Globals` included).
const TOP_LEVEL: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Transform",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Globals",
    "Resources",
    "Outputs",
];

/// What a stream of the stack is.
#[derive(Debug, Clone)]
pub(super) enum Form {
    New,
    /// Stackery's "Use Existing" with a literal ARN.
    Arn(String),
    /// Stackery's "Use Existing" with an environment parameter: the key as Stackery wrote it.
    Env(String),
}

/// Which value of a stream a reference reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Name,
    Arn,
}

pub(super) struct Resource<'a> {
    pub(super) id: &'a str,
    pub(super) key: &'a Node,
    pub(super) node: &'a Node,
    pub(super) ty: &'a str,
    pub(super) props: Option<&'a Node>,
}

pub(super) struct Ctx<'a> {
    src: &'a str,
    root: &'a Node,
    pub(super) resources: Vec<Resource<'a>>,
    /// Each resource's place in `resources`, by Logical ID.
    index: HashMap<&'a str, usize>,
    /// The streams of the stack, and their keys (for a new stream).
    pub(super) streams: HashMap<&'a str, (Form, Map)>,
    /// What a new stream's keys change, reported once it is known to be new.
    stream_notes: HashMap<&'a str, Vec<(Problem, Vec<Change>)>>,
    /// Resources, conditions and parameters taken over by stackwire (not passed through).
    pub(super) removed: HashSet<String>,
    removed_conditions: HashSet<String>,
    removed_parameters: HashSet<String>,
    pub(super) problems: Vec<Problem>,
    pub(super) changes: Vec<Change>,
}

pub fn import(src: &str) -> Imported {
    let mut out = Imported {
        text: src.to_owned(),
        stack: None,
        problems: Vec::new(),
        changes: Vec::new(),
        environment: None,
    };
    let root = match yaml::read(src) {
        Ok(root) => root,
        Err(Problem::EmptyStack { span }) => {
            out.problems.push(Problem::ImportNotTemplate {
                why: "the file is empty".to_owned(),
                label: "nothing here but comments and blank lines".to_owned(),
                span,
                help: None,
            });
            return out;
        }
        Err(problem) => {
            out.problems.push(problem);
            return out;
        }
    };
    if let Some(problem) = not_a_template(&root) {
        out.problems.push(problem);
        return out;
    }
    if let Some((again, first)) = super::read::duplicate(&root) {
        out.problems.push(Problem::DuplicateKey {
            key: super::read::key_text(again),
            first: first.span,
            span: again.span,
        });
        return out;
    }
    let unknown = super::read::unknown_tags(&root);
    if !unknown.is_empty() {
        for n in unknown {
            let tag = n.tag.clone().unwrap_or_default();
            let help = crate::suggest::did_you_mean(
                &tag,
                crate::format::passthru::INTRINSIC_TAGS.iter().copied(),
            )
            .or_else(|| {
                Some(format!(
                    "CloudFormation's short forms are {}",
                    crate::format::passthru::INTRINSIC_TAGS.join(", ")
                ))
            });
            out.problems.push(Problem::UnknownTag {
                tag: tag.into(),
                span: n.span,
                help,
            });
        }
        return out;
    }
    let mut ctx = Ctx::new(src, &root);
    out.environment = ctx.environment();
    ctx.streams();
    ctx.existing();
    let stack = ctx.stack();
    out.stack = Some(crate::emit::emit(&stack));
    out.problems = ctx.problems;
    out.changes = ctx.changes;
    out
}

/// Why the root is not a template SAM or CloudFormation would read, if it is not.
fn not_a_template(root: &Node) -> Option<Problem> {
    let V::Map(top) = &root.value else {
        return Some(Problem::ImportNotTemplate {
            why: format!(
                "it is {}, not a mapping of template sections",
                root.value.kind()
            ),
            label: "a template is a mapping with `Resources`".to_owned(),
            span: root.span,
            help: None,
        });
    };
    for (k, v) in top {
        let name = super::read::key_text(k);
        if !TOP_LEVEL.contains(&name.as_str()) {
            let help = if name == "resources" || name == "wires" {
                Some("this looks like a stack description already: compile it with `stackwire compile`".to_owned())
            } else {
                crate::suggest::did_you_mean(&name, TOP_LEVEL.iter().copied())
            };
            return Some(Problem::ImportNotTemplate {
                why: format!("`{name}` is not a section of a CloudFormation template"),
                label: "not a template section".to_owned(),
                span: k.span,
                help,
            });
        }
        if name == "Transform" {
            let names: Vec<&Node> = match &v.value {
                V::Seq(items) => items.iter().collect(),
                _ => vec![v],
            };
            for n in names {
                if text(n) != Some(SAM) {
                    let shown = text(n).map_or_else(|| n.value.kind().to_owned(), str::to_owned);
                    return Some(Problem::ImportTransform {
                        transform: shown,
                        span: n.span,
                    });
                }
            }
        }
    }
    match get(root, "Resources") {
        Some(r) if matches!(&r.value, V::Map(e) if !e.is_empty()) => None,
        Some(r) => Some(Problem::ImportNotTemplate {
            why: "its `Resources` is not a mapping of resources".to_owned(),
            label: format!("{}, not resources", r.value.kind()),
            span: r.span,
            help: Some("CloudFormation needs at least one resource, each `Id: {Type: ..., Properties: ...}`".to_owned()),
        }),
        None => Some(Problem::ImportNotTemplate {
            why: "it has no `Resources`".to_owned(),
            label: "no `Resources` in this mapping".to_owned(),
            span: SourceSpan::new(root.span.offset().into(), 0),
            help: Some("`stackwire import` reads a SAM or CloudFormation template (YAML or JSON), such as the `template.yaml` Stackery wrote".to_owned()),
        }),
    }
}

/// Whether a resource attribute may stand beside a modelled resource.
fn plain_attribute(name: &str) -> bool {
    matches!(name, "Type" | "Properties" | "Metadata")
}

impl<'a> Ctx<'a> {
    fn new(src: &'a str, root: &'a Node) -> Self {
        let mut resources = Vec::new();
        if let Some(r) = get(root, "Resources")
            && let V::Map(list) = &r.value
        {
            for (key, node) in list {
                let V::Str(id) = &key.value else { continue };
                let ty = get(node, "Type").and_then(text).unwrap_or("");
                resources.push(Resource {
                    id,
                    key,
                    node,
                    ty,
                    props: get(node, "Properties"),
                });
            }
        }
        let index = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i))
            .collect();
        Ctx {
            src,
            root,
            index,
            resources,
            streams: HashMap::new(),
            stream_notes: HashMap::new(),
            removed: HashSet::new(),
            removed_conditions: HashSet::new(),
            removed_parameters: HashSet::new(),
            problems: Vec::new(),
            changes: Vec::new(),
        }
    }

    pub(super) fn resource(&self, id: &str) -> Option<&Resource<'a>> {
        self.index.get(id).and_then(|i| self.resources.get(*i))
    }

    fn parameter(&self, name: &str) -> Option<&'a Node> {
        get(self.root, "Parameters").and_then(|p| get(p, name))
    }

    fn condition(&self, name: &str) -> Option<&'a Node> {
        get(self.root, "Conditions").and_then(|p| get(p, name))
    }

    /// The environment the template's Parameter Store defaults name (`/prod/...`), when they
    /// name a real one (not Stackery's `<EnvironmentName>` placeholder).
    fn environment(&self) -> Option<String> {
        let params = get(self.root, "Parameters")?;
        entries(params).into_iter().find_map(|(name, p)| {
            let default = get(p, "Default").and_then(text)?;
            let env = default.strip_prefix('/')?.split('/').next()?;
            let ok = name.starts_with("EnvConfig")
                && !env.is_empty()
                && env
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
            ok.then(|| env.to_owned())
        })
    }

    /// A node as a template value, with every reference to a stream stackwire now references
    /// natively written as stackwire writes it.
    pub(super) fn value(&self, node: &Node) -> Value {
        if let Some((stream, kind)) = self.stream_ref(node)
            && let Some((form, _)) = self.streams.get(stream)
            && !matches!(form, Form::New)
        {
            return native(stream, form, kind);
        }
        let inner = match &node.value {
            V::Seq(items) => Value::Seq(items.iter().map(|i| self.value(i)).collect()),
            V::Map(list) => {
                let mut map = Map::new();
                for (k, v) in list {
                    map.insert(super::read::key_text(k).into(), self.value(v));
                }
                Value::Map(map)
            }
            _ => {
                let mut bare = node.clone();
                bare.tag = None;
                super::read::convert(&bare, self.src)
            }
        };
        match &node.tag {
            Some(tag) => Value::Tagged(tag.to_string(), Box::new(inner)),
            None => inner,
        }
    }

    /// Whether converting `node` rewrites a reference (its text changes in the template).
    fn rewrites(&self, node: &Node) -> bool {
        if let Some((stream, _)) = self.stream_ref(node)
            && matches!(
                self.streams.get(stream),
                Some((Form::Arn(_) | Form::Env(_), _))
            )
        {
            return true;
        }
        match &node.value {
            V::Seq(items) => items.iter().any(|i| self.rewrites(i)),
            V::Map(list) => list.iter().any(|(_, v)| self.rewrites(v)),
            _ => false,
        }
    }

    /// The stream of the stack a value reads, and which of its values: `!Ref S`, `!GetAtt
    /// S.Arn`, or Stackery's `!If [SUseExistingResource, <from SExistingResource>, <from S>]`.
    pub(super) fn stream_ref(&self, node: &Node) -> Option<(&'a str, Kind)> {
        let found = |id: &str| self.streams.get_key_value(id).map(|(k, _)| *k);
        if let Some(id) = reference(node) {
            return found(id).map(|s| (s, Kind::Name));
        }
        if let Some((id, attribute)) = get_att(node) {
            return (attribute == "Arn")
                .then(|| found(&id))
                .flatten()
                .map(|s| (s, Kind::Arn));
        }
        let (condition, existing, new) = if_of(node)?;
        let (stream, kind) = self.stream_ref(new)?;
        let existing_id = format!("{stream}ExistingResource");
        let reads = match kind {
            Kind::Name => reference(existing) == Some(existing_id.as_str()),
            Kind::Arn => get_att(existing) == Some((existing_id, "Arn".to_owned())),
        };
        (condition == format!("{stream}UseExistingResource")
            && reads
            && !matches!(self.streams.get(stream), Some((Form::New, _))))
        .then_some((stream, kind))
    }

    fn note(&mut self, problem: Problem, changes: impl IntoIterator<Item = Change>) {
        self.problems.push(problem);
        self.changes.extend(changes);
    }

    pub(super) fn could_model(&mut self, what: String, span: SourceSpan, help: Option<String>) {
        self.problems
            .push(Problem::ImportCouldModel { what, span, help });
    }

    /// Every `AWS::Kinesis::Stream` stackwire can write exactly becomes a Stream.
    fn streams(&mut self) {
        let mut found = Vec::new();
        for r in &self.resources {
            if r.ty != "AWS::Kinesis::Stream" {
                continue;
            }
            found.push((r.id, self.stream_keys(r)));
        }
        for (id, keys) in found {
            match keys {
                Ok((keys, notes)) => {
                    self.streams.insert(id, (Form::New, keys));
                    self.stream_notes.insert(id, notes);
                }
                Err(why) => {
                    let span = self.resource(id).map_or(self.root.span, |r| r.key.span);
                    self.could_model(
                        format!("Stream `{id}` is kept as it is in `template:`: {why}"),
                        span,
                        None,
                    );
                }
            }
        }
    }

    /// A stream's keys, with the notes of what they change; or why stackwire cannot write it
    /// exactly.
    #[allow(clippy::type_complexity)]
    fn stream_keys(&self, r: &Resource<'a>) -> Result<(Map, Vec<(Problem, Vec<Change>)>), String> {
        let mut notes = Vec::new();
        let mut keys = Map::new();
        keys.insert("type".into(), Value::str("Stream"));
        let mut deletion = None;
        let mut replace = None;
        for (name, v) in entries(r.node) {
            match name {
                _ if plain_attribute(name) => {}
                "DeletionPolicy" => {
                    deletion = Some(text(v).ok_or("its `DeletionPolicy` is not text")?)
                }
                "UpdateReplacePolicy" => {
                    replace = Some(text(v).ok_or("its `UpdateReplacePolicy` is not text")?);
                }
                "Condition" if text(v) == Some(ids::create_condition(r.id).as_str()) => {}
                other => return Err(format!("stackwire does not write `{other}` on a stream")),
            }
        }
        if let Some(meta) = get(r.node, "Metadata") {
            notes.push(metadata_note(r.id, meta));
        }
        if r.props.is_some_and(|p| !super::read::is_map(p)) {
            return Err("its `Properties` is not a mapping".to_owned());
        }
        let mut on_demand = false;
        let mut shards = None;
        let mut props = Map::new();
        let mut encryption = Some(Value::str("none"));
        for (name, v) in r.props.map(entries).unwrap_or_default() {
            match name {
                "Name" => {
                    keys.insert(
                        "name".into(),
                        self.name_value(v, b"_.-", crate::limits::MAX_STREAM_NAME)?,
                    );
                }
                "ShardCount" => shards = Some(self.number(v, "ShardCount")?),
                "StreamModeDetails" => {
                    match get(v, "StreamMode").and_then(text) {
                        Some("ON_DEMAND") => on_demand = true,
                        Some("PROVISIONED") => {}
                        _ => {
                            return Err(
                                "its `StreamModeDetails` is not `ON_DEMAND` or `PROVISIONED`"
                                    .to_owned(),
                            );
                        }
                    }
                    let mode = if on_demand { "onDemand" } else { "provisioned" };
                    keys.insert("mode".into(), Value::str(mode));
                }
                "RetentionPeriodHours" => {
                    keys.insert(
                        "retentionHours".into(),
                        self.number(v, "RetentionPeriodHours")?,
                    );
                }
                "StreamEncryption" => {
                    let kms = get(v, "EncryptionType").and_then(text) == Some("KMS");
                    let key = get(v, "KeyId").and_then(text);
                    match (kms, key, entries(v).len()) {
                        (true, Some("alias/aws/kinesis"), 2) => encryption = None,
                        (true, Some(k), 2) if crate::arn::kms_key(k).is_some() => {
                            encryption = Some(Value::str(k.to_owned()));
                        }
                        _ => {
                            return Err(
                                "its `StreamEncryption` is not a KMS key stackwire can name"
                                    .to_owned(),
                            );
                        }
                    }
                }
                "Tags" => {
                    let V::Seq(items) = &v.value else {
                        return Err("its `Tags` is not a list".to_owned());
                    };
                    let mut tags = Map::new();
                    for t in items {
                        let (Some(k), Some(val)) =
                            (get(t, "Key").and_then(text), get(t, "Value").and_then(text))
                        else {
                            return Err("a tag is not a `Key` and a `Value` of text".to_owned());
                        };
                        if tags
                            .insert(k.to_owned().into(), Value::str(val.to_owned()))
                            .is_some()
                            || entries(t).len() != 2
                        {
                            return Err("a tag is written twice or has other keys".to_owned());
                        }
                    }
                    keys.insert("tags".into(), Value::Map(tags));
                }
                other => {
                    props.insert(other.to_owned().into(), self.value(v));
                }
            }
        }
        match shards {
            Some(Value::Int(1)) => {}
            Some(v) => {
                if on_demand {
                    return Err("it is on demand and has a `ShardCount`".to_owned());
                }
                keys.insert("shardCount".into(), v);
            }
            None if !on_demand => notes.push((
                Problem::ImportChanged {
                    what: format!(
                        "Stream `{}` has no `ShardCount`; stackwire writes `ShardCount: 1`",
                        r.id
                    ),
                    span: r.key.span,
                    help: Some(
                        "set `shardCount` to the stream's number of shards if it is not 1"
                            .to_owned(),
                    ),
                },
                vec![Change::property(r.id, "ShardCount")],
            )),
            None => {}
        }
        // `mode` after `shardCount`, as the key table orders them.
        if let Some(mode) = keys.shift_remove("mode") {
            keys.insert("mode".into(), mode);
        }
        if let Some(hours) = keys.shift_remove("retentionHours") {
            keys.insert("retentionHours".into(), hours);
        }
        if let Some(e) = encryption {
            keys.insert("encryption".into(), e);
        }
        match (deletion, replace) {
            (None, None) => notes.push((
                Problem::ImportRetainAdded {
                    stream: r.id.to_owned(),
                    span: r.key.span,
                },
                Vec::new(),
            )),
            (Some("Retain"), Some("Retain")) => {}
            (Some("Delete") | None, Some("Delete") | None) => {
                keys.insert("retain".into(), Value::Bool(false));
            }
            _ => return Err("its `DeletionPolicy` and `UpdateReplacePolicy` differ".to_owned()),
        }
        if let Some(tags) = keys.shift_remove("tags") {
            keys.insert("tags".into(), tags);
        }
        if !props.is_empty() {
            keys.insert("properties".into(), Value::Map(props));
        }
        Ok((keys, notes))
    }

    /// A physical name: text (with `${AWS::StackName}` at most) as stackwire's `name`, or the
    /// intrinsic as written.
    pub(super) fn name_value(&self, v: &Node, extra: &[u8], max: usize) -> Result<Value, String> {
        let plain = |s: &str| {
            let rest = s.replace("${AWS::StackName}", "");
            !s.is_empty()
                && s.len() <= max
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
        };
        if let Some(s) = text(v) {
            return if plain(s) && !s.contains("${") {
                Ok(Value::str(s.to_owned()))
            } else {
                Err(format!(
                    "its name `{s}` is not one stackwire writes as it is"
                ))
            };
        }
        if let Some(s) = sub_text(v)
            && plain(s)
            && s.contains("${")
        {
            return Ok(Value::str(s.to_owned()));
        }
        if super::read::is_intrinsic(v) {
            return Ok(self.value(v));
        }
        Err("its name is not text".to_owned())
    }

    /// A number key: an integer, digits in quotes, or an intrinsic as written.
    pub(super) fn number(&self, v: &Node, what: &str) -> Result<Value, String> {
        if let Some(i) = int(v) {
            return Ok(Value::int(i));
        }
        if let Some(s) = text(v)
            && let Ok(i) = s.parse::<i128>()
        {
            return Ok(Value::int(i));
        }
        if super::read::is_intrinsic(v) {
            return Ok(self.value(v));
        }
        Err(format!("its `{what}` is not a number"))
    }

    /// Stackery's "Use Existing" custom resources of streams: the stream becomes `existing`.
    fn existing(&mut self) {
        let mut found = Vec::new();
        let mut kept = Vec::new();
        let mut problems = Vec::new();
        for r in &self.resources {
            if r.ty != "Custom::StackeryExistingResource" {
                continue;
            }
            let base = r.id.strip_suffix("ExistingResource").unwrap_or("");
            let kind = r
                .props
                .and_then(|p| get(p, "Type"))
                .and_then(text)
                .unwrap_or("");
            let is_stream = kind == "stream" && self.streams.contains_key(base);
            if !is_stream {
                let shown = if kind.is_empty() {
                    "an unknown type".to_owned()
                } else {
                    format!("type `{kind}`")
                };
                problems.push(Problem::ImportExistingOtherType {
                    id: r.id.to_owned(),
                    kind: shown,
                    span: r.key.span,
                });
                continue;
            }
            let data = r.props.and_then(|p| get(p, "Data"));
            let form = match data {
                Some(d)
                    if text(d).is_some_and(|t| crate::arn::kinesis_stream_name(t).is_some()) =>
                {
                    text(d).map(|t| Form::Arn(t.to_owned()))
                }
                Some(d) => reference(d)
                    .and_then(|p| self.env_key(p).map(|k| (p, k)))
                    .map(|(p, k)| {
                        found.push((base.to_owned(), Some(p.to_owned()), r.key.span));
                        Form::Env(k)
                    }),
                None => None,
            };
            let create = ids::create_condition(base);
            let use_existing = format!("{base}UseExistingResource");
            let conditions_ok = self.condition(&create).is_some_and(|c| equals(c).is_some())
                && self.condition(&use_existing).and_then(not_condition) == Some(create.as_str());
            match form {
                Some(form) if conditions_ok => {
                    kept.push((base, form));
                    if !matches!(found.last(), Some((b, _, _)) if b == base) {
                        found.push((base.to_owned(), None, r.key.span));
                    }
                }
                _ => {
                    found.retain(|(b, _, _)| b != base);
                    problems.push(Problem::ImportCouldModel {
                        what: format!("`{}` is kept as it is in `template:`: its `Data` is not a stream ARN or an environment parameter, or its conditions are not Stackery's", r.id),
                        span: r.key.span,
                        help: None,
                    });
                }
            }
        }
        self.problems.append(&mut problems);
        for (base, form) in kept {
            if let Some(entry) = self.streams.get_mut(base) {
                entry.0 = form;
            }
        }
        for (base, parameter, span) in found {
            let existing_id = format!("{base}ExistingResource");
            self.removed.insert(existing_id.clone());
            self.removed_conditions.insert(ids::create_condition(&base));
            self.removed_conditions
                .insert(format!("{base}UseExistingResource"));
            self.note(
                Problem::ImportUseExisting {
                    id: existing_id.clone(),
                    stream: base.clone(),
                    span,
                },
                [Change::resource(&existing_id), Change::resource(&base)],
            );
            if let Some(p) = parameter {
                let Some((Form::Env(key), _)) = self.streams.get(base.as_str()) else {
                    continue;
                };
                let key = key.clone();
                self.removed_parameters.insert(p.clone());
                let span = self
                    .condition(&ids::create_condition(&base))
                    .map_or(span, |c| c.span);
                self.problems.push(Problem::ImportFalseCreates {
                    stream: base.clone(),
                    parameter: p.clone(),
                    span,
                });
                let ours = ids::env_parameter(&key);
                if ours != p {
                    let span = self.parameter(&p).map_or(span, |n| n.span);
                    self.problems.push(Problem::ImportChanged {
                        what: format!("the parameter `{p}` of Stream `{base}` is renamed `{ours}`, the name stackwire gives the key `{key}`"),
                        span,
                        help: Some("the parameter reads the same Parameter Store path; what reads it changes text, not value".to_owned()),
                    });
                }
            }
        }
        // A stream switched off by a condition of its own that is not Stackery's passes through.
        let conditional: Vec<&'a str> = self
            .streams
            .iter()
            .filter(|(_, (form, _))| matches!(form, Form::New))
            .filter_map(|(id, _)| {
                self.resource(id)
                    .filter(|r| get(r.node, "Condition").is_some())
                    .map(|_| *id)
            })
            .collect();
        for id in conditional {
            self.streams.remove(id);
            let span = self.resource(id).map_or(self.root.span, |r| r.key.span);
            self.could_model(
                format!("Stream `{id}` is kept as it is in `template:`: it has a `Condition` but no Stackery \"Use Existing\" resource"),
                span,
                None,
            );
        }
    }

    /// The key of an environment parameter, as Stackery wrote it: from `Metadata:
    /// EnvConfigParameters`, else from the parameter's default path.
    fn env_key(&self, parameter: &str) -> Option<String> {
        let p = self.parameter(parameter)?;
        if get(p, "Type").and_then(text) != Some("AWS::SSM::Parameter::Value<String>") {
            return None;
        }
        let from_metadata = get(self.root, "Metadata")
            .and_then(|m| get(m, "EnvConfigParameters"))
            .and_then(|m| get(m, parameter))
            .and_then(text)
            .map(str::to_owned);
        let key = from_metadata.or_else(|| {
            let default = get(p, "Default").and_then(text)?;
            let rest = default.strip_prefix('/')?;
            rest.split_once('/').map(|(_, path)| path.to_owned())
        })?;
        crate::format::resources::stream::env_path_ok(&key).then_some(key)
    }

    /// The stack description.
    fn stack(&mut self) -> Value {
        let mut top = Map::new();
        if let Some(d) = get(self.root, "Description") {
            match text(d) {
                Some(t) => {
                    top.insert("description".into(), Value::str(t.to_owned()));
                }
                None => self.problems.push(Problem::ImportChanged {
                    what: "the template's `Description` is not text; stackwire writes none"
                        .to_owned(),
                    span: d.span,
                    help: None,
                }),
            }
        }
        let mut functions = Vec::new();
        for r in &self.resources {
            if r.ty == "AWS::Serverless::Function" {
                functions.push(r.id);
            }
        }
        let mut resources = Map::new();
        let mut wires = Vec::new();
        let mut modelled = HashSet::new();
        let ids: Vec<&'a str> = self.resources.iter().map(|r| r.id).collect();
        for id in ids {
            if let Some((form, keys)) = self.streams.get(id) {
                let keys = match form {
                    Form::New => {
                        let keys = keys.clone();
                        for (problem, changes) in self.stream_notes.remove(id).unwrap_or_default() {
                            self.note(problem, changes);
                        }
                        keys
                    }
                    Form::Arn(arn) => Value::map([
                        ("type", Value::str("Stream")),
                        ("existing", Value::str(arn)),
                    ])
                    .into_map(),
                    Form::Env(key) => {
                        let mut m = Map::new();
                        m.insert("type".into(), Value::str("Stream"));
                        m.insert("existing".into(), Value::map([("env", Value::str(key))]));
                        if let Some(e) = keys.get("encryption")
                            && !matches!(e, Value::Str(s) if s == "none")
                        {
                            m.insert("encryption".into(), e.clone());
                        }
                        m
                    }
                };
                resources.insert(id.to_owned().into(), Value::Map(keys));
                modelled.insert(id);
            } else if functions.contains(&id) {
                match self.function(id) {
                    Ok((keys, mut own_wires)) => {
                        resources.insert(id.to_owned().into(), Value::Map(keys));
                        wires.append(&mut own_wires);
                        modelled.insert(id);
                    }
                    Err(why) => {
                        let span = self.resource(id).map_or(self.root.span, |r| r.key.span);
                        self.could_model(
                            format!("Function `{id}` is kept as it is in `template:`: {why}"),
                            span,
                            None,
                        );
                    }
                }
            }
        }
        if resources.is_empty() {
            // Nothing to model: the whole template passes through, beside a placeholder-free
            // stack is not possible (a stack needs a resource). Keep every resource as written.
            self.problems.push(Problem::ImportNothingModelled {
                span: get(self.root, "Resources").map_or(self.root.span, |r| r.span),
            });
        }
        top.insert("resources".into(), Value::Map(resources));
        if !wires.is_empty() {
            top.insert("wires".into(), Value::Seq(wires));
        }
        let template = self.passthrough(&modelled);
        if !template.is_empty() {
            top.insert("template".into(), Value::Map(template));
        }
        Value::Map(top)
    }

    /// What is not modelled, section by section, in stackwire's order of sections.
    fn passthrough(&mut self, modelled: &HashSet<&'a str>) -> Map {
        let mut out = Map::new();
        for section in SECTIONS {
            let Some(node) = get(self.root, section) else {
                continue;
            };
            let mut map = Map::new();
            for (name, v) in entries(node) {
                let keep = match *section {
                    "Resources" => !modelled.contains(name) && !self.removed.contains(name),
                    "Conditions" => !self.removed_conditions.contains(name),
                    "Parameters" => !self.removed_parameters.contains(name),
                    _ => true,
                };
                if !keep {
                    continue;
                }
                if *section == "Metadata" && name == "EnvConfigParameters" {
                    let mut inner = Map::new();
                    for (p, path) in entries(v) {
                        if !self.removed_parameters.contains(p) {
                            inner.insert(p.to_owned().into(), self.value(path));
                        }
                    }
                    if !inner.is_empty() {
                        map.insert(name.to_owned().into(), Value::Map(inner));
                    }
                    continue;
                }
                if *section == "Resources" && self.rewrites(v) {
                    self.changes.push(Change::resource(name));
                }
                map.insert(name.to_owned().into(), self.value(v));
            }
            if !map.is_empty() {
                out.insert((*section).into(), Value::Map(map));
            }
        }
        out
    }
}

/// How stackwire writes a reference to a stream it references natively.
fn native(stream: &str, form: &Form, kind: Kind) -> Value {
    match (form, kind) {
        (Form::New, Kind::Name) => Value::Ref(stream.to_owned()),
        (Form::New, Kind::Arn) => Value::get_att(stream, "Arn"),
        (Form::Arn(arn), Kind::Arn) => Value::str(arn),
        (Form::Arn(arn), Kind::Name) => Value::str(
            crate::arn::kinesis_stream_name(arn)
                .unwrap_or(arn)
                .to_owned(),
        ),
        (Form::Env(key), Kind::Arn) => Value::Ref(ids::env_parameter(key)),
        (Form::Env(key), Kind::Name) => Value::Select(
            1,
            Box::new(Value::Split(
                "/".into(),
                Box::new(Value::Ref(ids::env_parameter(key))),
            )),
        ),
    }
}

/// The note for a resource's `Metadata`, which stackwire does not write.
pub(super) fn metadata_note(id: &str, meta: &Node) -> (Problem, Vec<Change>) {
    let stackery = entries(meta).iter().all(|(k, _)| *k == "StackeryName");
    (
        Problem::ImportChanged {
            what: format!("the `Metadata` of `{id}` is not kept"),
            span: meta.span,
            help: Some(if stackery {
                "`StackeryName` is the name Stackery's editor showed; nothing in AWS reads it"
                    .to_owned()
            } else {
                "resource `Metadata` changes nothing deployed; keep the resource in `template:` if a tool reads it".to_owned()
            }),
        },
        Vec::new(),
    )
}

trait IntoMap {
    fn into_map(self) -> Map;
}

impl IntoMap for Value {
    fn into_map(self) -> Map {
        match self {
            Value::Map(m) => m,
            _ => Map::new(),
        }
    }
}
