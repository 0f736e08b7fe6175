//! The rules on pass-through content (SPEC 4): every name defined once between stackwire and
//! the user's sections, every event name once per Function, and every reference (`!Ref`,
//! `!GetAtt`, `${...}` in `!Sub`, a condition's name) naming something the template defines.

use std::borrow::Cow;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use miette::SourceSpan;

use crate::diagnostics::Problem;
use crate::format::model::{Body, EnvValue, Existing, Policy, Raw, Stack};
use crate::format::node::{Node, Value};
use crate::ids;
use crate::plan::Plan;
use crate::suggest;
use crate::target::GeneratedId;

/// CloudFormation's pseudo parameters.
pub const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// The attributes of the types stackwire writes, for `!GetAtt`.
const ATTRIBUTES: &[(&str, &[&str])] = &[
    ("AWS::Kinesis::Stream", &["Arn"]),
    (
        "AWS::Kinesis::StreamConsumer",
        &[
            "ConsumerARN",
            "ConsumerCreationTimestamp",
            "ConsumerName",
            "ConsumerStatus",
            "StreamARN",
        ],
    ),
    (
        "AWS::Serverless::Function",
        &[
            "Arn",
            "SnapStartResponse",
            "SnapStartResponse.ApplyOn",
            "SnapStartResponse.OptimizationStatus",
        ],
    ),
    ("AWS::IAM::Role", &["Arn", "RoleId"]),
];

/// What a name is: a resource (of a type whose attributes are known, or not), or a parameter.
#[derive(Clone, Copy, PartialEq)]
enum Named {
    Resource(Option<&'static str>),
    Parameter,
}

/// What defines a name, in words for "defined twice" messages: put into words only when a
/// message needs it (a stack defines hundreds of names and nearly never one twice).
enum What<'a> {
    Resource(&'a str),
    EnvParameter(&'a str),
    StreamParameter(&'a str),
    Condition(&'a str),
    Consumer(&'a str, &'a str),
    Role(&'a str),
    Generated(crate::target::Origin<'a>),
    PassThrough(&'static str, &'a str),
}

impl What<'_> {
    fn shown(&self) -> String {
        match self {
            What::Resource(id) => format!("resource `{id}`"),
            What::EnvParameter(id) => format!("the parameter stackwire writes for `{id}`"),
            What::StreamParameter(id) => format!("the parameter of Stream `{id}`"),
            What::Condition(id) => format!("the condition stackwire writes for `{id}`"),
            What::Consumer(id, function) => {
                format!("the fan-out consumer of `{id}` for `{function}`")
            }
            What::Role(id) => format!("the role SAM generates for Function `{id}`"),
            What::Generated(origin) => origin.shown(),
            What::PassThrough(kind, name) => format!("the pass-through {kind} `{name}`"),
        }
    }
}

pub fn check(stack: &Stack, plan: &Plan<'_>, generated: &[GeneratedId<'_>]) -> Vec<Problem> {
    let mut refs = Refs {
        names: None,
        own: Own {
            stack,
            consumers: &plan.consumers,
            generated,
        },
        conditions: BTreeMap::new(),
        mappings: Vec::new(),
        problems: Vec::new(),
    };
    refs.define(stack);
    refs.events(stack, plan);
    refs.walk_stack(stack);
    refs.problems
}

/// The names stackwire and SAM define.
struct Own<'a> {
    stack: &'a Stack,
    consumers: &'a [Vec<usize>],
    generated: &'a [GeneratedId<'a>],
}

type Names<'a> = BTreeMap<Cow<'a, str>, (Named, SourceSpan, What<'a>)>;

impl<'a> Own<'a> {
    /// Every name they define, with where. The stack's own IDs and generated IDs are checked
    /// against each other by `check`.
    fn names(&self) -> Names<'a> {
        let stack = self.stack;
        let mut names = Names::new();
        for (i, r) in stack.resources.iter().enumerate() {
            let id = &r.id.value;
            let what = What::Resource(id);
            match &r.body {
                Body::Stream(s) => {
                    match s.existing.as_ref().map(|e| &e.value) {
                        None | Some(Existing::Parameter(_)) => {
                            let named = Named::Resource(Some("AWS::Kinesis::Stream"));
                            names.insert(Cow::Borrowed(id), (named, r.id.span, what));
                        }
                        Some(Existing::Env(path)) => {
                            let name = ids::env_parameter(&path.value);
                            let what = What::EnvParameter(id);
                            names.insert(Cow::Owned(name), (Named::Parameter, path.span, what));
                        }
                        Some(Existing::Arn(_)) => {}
                    }
                    if let Some(Existing::Parameter(p)) = s.existing.as_ref().map(|e| &e.value) {
                        let what = What::StreamParameter(id);
                        names.insert(Cow::Borrowed(&p.value), (Named::Parameter, p.span, what));
                    }
                    for f in &self.consumers[i] {
                        let function = &stack.resources[*f].id.value;
                        let named = Named::Resource(Some("AWS::Kinesis::StreamConsumer"));
                        let what = What::Consumer(id, function);
                        names.insert(
                            Cow::Owned(ids::consumer(id, function)),
                            (named, r.id.span, what),
                        );
                    }
                }
                Body::Function(_) => {
                    let named = Named::Resource(Some("AWS::Serverless::Function"));
                    names.insert(Cow::Borrowed(id), (named, r.id.span, what));
                    let role = crate::ids::join(&[id, "Role"]);
                    let what = What::Role(id);
                    let named = Named::Resource(Some("AWS::IAM::Role"));
                    names.insert(Cow::Owned(role), (named, r.id.span, what));
                }
                Body::Unknown => {}
            }
        }
        for g in self.generated {
            names.entry(Cow::Borrowed(&g.id)).or_insert((
                Named::Resource(None),
                g.owner.span,
                What::Generated(g.origin),
            ));
        }
        names
    }
}

struct Refs<'a> {
    /// Every name a `!Ref` may take, with where it is defined (for "defined twice"); ordered, so
    /// a did-you-mean between equally near names is the same on every run. Made the first time
    /// something reads it (a pass-through name or a reference): a stack with neither, however
    /// large, never holds it.
    names: Option<Names<'a>>,
    own: Own<'a>,
    conditions: BTreeMap<Cow<'a, str>, (SourceSpan, What<'a>)>,
    mappings: Vec<String>,
    problems: Vec<Problem>,
}

impl<'a> Refs<'a> {
    fn names(&mut self) -> &mut Names<'a> {
        let own = &self.own;
        self.names.get_or_insert_with(|| own.names())
    }

    fn claim(&mut self, name: &'a str, named: Named, span: SourceSpan, what: What<'a>) {
        if let Some((_, first, other)) = self.names().get(name) {
            let problem = Problem::DefinedTwice {
                name: name.to_owned(),
                what: what.shown(),
                other: other.shown(),
                span,
                first: *first,
            };
            self.problems.push(problem);
            return;
        }
        self.names()
            .insert(Cow::Borrowed(name), (named, span, what));
    }

    /// The conditions stackwire writes, then the pass-through sections' own names.
    fn define(&mut self, stack: &'a Stack) {
        for r in &stack.resources {
            if let Body::Stream(s) = &r.body
                && let Some(Existing::Parameter(p)) = s.existing.as_ref().map(|e| &e.value)
            {
                let condition = ids::create_condition(&r.id.value);
                let what = What::Condition(&r.id.value);
                self.conditions
                    .insert(Cow::Owned(condition), (p.span, what));
            }
        }
        for (section, named) in [
            ("Parameters", Named::Parameter),
            ("Resources", Named::Resource(None)),
        ] {
            let Some(s) = stack.section(section) else {
                continue;
            };
            for (key, raw) in &s.entries {
                let named = match named {
                    Named::Resource(_) => Named::Resource(resource_type(raw)),
                    other => other,
                };
                let kind = if section == "Parameters" {
                    "parameter"
                } else {
                    "resource"
                };
                let what = What::PassThrough(kind, &key.value);
                self.claim(&key.value, named, key.span, what);
            }
        }
        if let Some(s) = stack.section("Conditions") {
            for (key, _) in &s.entries {
                let what = What::PassThrough("condition", &key.value);
                if let Some((first, other)) = self.conditions.get(key.value.as_str()) {
                    self.problems.push(Problem::DefinedTwice {
                        name: key.value.clone(),
                        what: what.shown(),
                        other: other.shown(),
                        span: key.span,
                        first: *first,
                    });
                    continue;
                }
                self.conditions
                    .insert(Cow::Borrowed(&key.value), (key.span, what));
            }
        }
        if let Some(s) = stack.section("Mappings") {
            self.mappings = s.entries.iter().map(|(k, _)| k.value.clone()).collect();
        }
        if let Some(s) = stack.section("Metadata")
            && let Some((key, raw)) = s
                .entries
                .iter()
                .find(|(k, _)| k.value == "EnvConfigParameters")
        {
            // Stackery's other environment parameters (`memory: !Ref EnvConfig...AsString`)
            // list themselves beside the ones stackwire writes: entries merge, each named once.
            let ours: Vec<(String, &crate::format::model::Resource)> = stack
                .resources
                .iter()
                .filter_map(|r| match &r.body {
                    Body::Stream(s) => match s.existing.as_ref().map(|e| &e.value) {
                        Some(Existing::Env(path)) => Some((ids::env_parameter(&path.value), r)),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            match &raw.node.value {
                Value::Map(entries) if raw.node.tag.is_none() => {
                    for (k, _) in entries {
                        let Value::Str(name) = &k.value else { continue };
                        if let Some((_, owner)) = ours.iter().find(|(p, _)| p == name) {
                            self.problems.push(Problem::DefinedTwice {
                                name: name.clone(),
                                what: "a pass-through `Metadata: EnvConfigParameters` entry"
                                    .to_owned(),
                                other: format!(
                                    "the entry stackwire writes for `{}`",
                                    owner.id.value
                                ),
                                span: k.span,
                                first: owner.id.span,
                            });
                        }
                    }
                }
                _ => {
                    if let Some((_, owner)) = ours.first() {
                        self.problems.push(Problem::DefinedTwice {
                            name: key.value.clone(),
                            what: "a pass-through `Metadata` key".to_owned(),
                            other: format!(
                                "the `Metadata` stackwire writes for `{}`",
                                owner.id.value
                            ),
                            span: key.span,
                            first: owner.id.span,
                        });
                    }
                }
            }
        }
    }

    /// Each Function's event names: from its wires and its `properties.Events`, each once.
    fn events(&mut self, stack: &Stack, plan: &Plan<'_>) {
        for (i, r) in stack.resources.iter().enumerate() {
            let Body::Function(f) = &r.body else { continue };
            let mut seen: HashMap<String, SourceSpan> = HashMap::new();
            let mut add = |this: &mut Self, name: &str, span: SourceSpan| {
                if let Some(first) = seen.get(name) {
                    this.problems.push(Problem::DuplicateEventName {
                        name: name.to_owned(),
                        function: r.id.value.clone(),
                        span,
                        first: *first,
                    });
                } else {
                    seen.insert(name.to_owned(), span);
                }
            };
            for e in &plan.events[i] {
                let stream = &stack.resources[e.stream].id;
                match &e.options.name {
                    Some(name) => {
                        if !ids::is_logical_id(&name.value) {
                            self.problems.push(Problem::InvalidName {
                                what: "event name",
                                value: name.value.clone(),
                                reason: "it is not 1 to 255 of `A-Za-z0-9`".to_owned(),
                                span: name.span,
                                help: Some(
                                    "SAM names the event source mapping `<Function><event>`: use letters and digits"
                                        .to_owned(),
                                ),
                            });
                        }
                        add(self, &name.value, name.span);
                    }
                    None => add(self, &stream.value, stream.span),
                }
            }
            if let Some((_, raw)) = f.properties.iter().find(|(k, _)| k.value == "Events")
                && let Value::Map(entries) = &raw.node.value
            {
                for (k, _) in entries {
                    if let Value::Str(name) = &k.value {
                        add(self, name, k.span);
                    }
                }
            }
        }
    }

    fn walk_stack(&mut self, stack: &Stack) {
        for r in &stack.resources {
            match &r.body {
                Body::Function(f) => {
                    for (_, raw) in &f.intrinsics {
                        self.walk(&raw.node);
                    }
                    for (_, v) in &f.environment {
                        if let EnvValue::Raw(raw) = v {
                            self.walk(&raw.node);
                        }
                    }
                    for p in &f.policies {
                        if let Policy::Raw(raw) = p {
                            self.walk(&raw.node);
                        }
                    }
                    for (_, raw) in &f.properties {
                        self.walk(&raw.node);
                    }
                }
                Body::Stream(s) => {
                    let intrinsics = s.intrinsics.iter().map(|(_, raw)| raw);
                    for raw in intrinsics.chain(s.properties.iter().map(|(_, raw)| raw)) {
                        self.walk(&raw.node);
                    }
                }
                Body::Unknown => {}
            }
        }
        for w in &stack.wires {
            for (_, raw) in &w.event().properties {
                self.walk(&raw.node);
            }
        }
        for section in &stack.template {
            for (_, raw) in &section.entries {
                if matches!(section.name.value.as_str(), "Resources" | "Outputs")
                    && let Some(condition) = raw.node.get("Condition")
                {
                    self.condition(condition);
                }
                self.walk(&raw.node);
            }
        }
    }

    /// Checks every reference within `node`.
    fn walk(&mut self, node: &Node) {
        // A tagged node's argument is the node itself without its tag (cloned: nesting is
        // bounded by the YAML limits, so this stays linear in the file's size times its depth).
        let stripped;
        let (name, arg) = match (&node.tag, &node.value) {
            (Some(tag), _) => {
                stripped = Node {
                    tag: None,
                    ..node.clone()
                };
                (tag.trim_start_matches('!'), &stripped)
            }
            (None, Value::Map(entries)) if entries.len() == 1 => match &entries[0] {
                (k, v) if matches!(&k.value, Value::Str(s) if s == "Ref" || s.starts_with("Fn::") || s == "Condition") =>
                {
                    let Value::Str(s) = &k.value else { return };
                    (s.strip_prefix("Fn::").unwrap_or(s), v)
                }
                _ => return self.children(node),
            },
            _ => return self.children(node),
        };
        match name {
            "Ref" => {
                if let Value::Str(target) = &arg.value {
                    self.reference(target, arg.span, false);
                } else {
                    self.walk_inner(arg);
                }
            }
            "GetAtt" => self.get_att(arg),
            "Sub" => self.sub(arg),
            "If" => {
                if let Value::Seq(items) = &arg.value {
                    if let Some(first) = items.first() {
                        self.condition(first);
                    }
                    items.iter().skip(1).for_each(|i| self.walk(i));
                }
            }
            "Condition" => self.condition(arg),
            "FindInMap" => {
                if let Value::Seq(items) = &arg.value {
                    if let Some(first) = items.first()
                        && first.tag.is_none()
                        && let Value::Str(map) = &first.value
                        && !self.mappings.contains(map)
                    {
                        let help =
                            suggest::did_you_mean(map, self.mappings.iter().map(String::as_str));
                        self.problems.push(Problem::UnknownReference {
                            name: map.clone(),
                            span: first.span,
                            expected: "not a mapping of `template.Mappings`",
                            help,
                        });
                    }
                    items.iter().for_each(|i| self.walk(i));
                }
            }
            _ => self.walk_inner(arg),
        }
    }

    /// The children of `node`, or (for an intrinsic's argument) the argument's own content.
    fn walk_inner(&mut self, node: &Node) {
        if node.tag.is_some() {
            return self.walk(node);
        }
        self.children(node);
    }

    fn children(&mut self, node: &Node) {
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|i| self.walk(i)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| self.walk(v)),
            _ => {}
        }
    }

    fn condition(&mut self, node: &Node) {
        if node.tag.is_some() {
            return self.walk(node);
        }
        let Value::Str(name) = &node.value else {
            return self.walk(node);
        };
        if self.conditions.contains_key(name.as_str()) {
            return;
        }
        let help = suggest::did_you_mean(name, self.conditions.keys().map(|k| &**k));
        self.problems.push(Problem::UnknownReference {
            name: name.clone(),
            span: node.span,
            expected: "not a condition of the template",
            help,
        });
    }

    /// `!Ref name` (or `${name}`): a resource, a parameter or a pseudo parameter.
    fn reference(&mut self, name: &str, span: SourceSpan, in_sub: bool) {
        if PSEUDO.contains(&name) || self.names().contains_key(name) {
            return;
        }
        let candidates = self
            .names()
            .keys()
            .map(|k| &**k)
            .chain(PSEUDO.iter().copied());
        let help = suggest::did_you_mean(name, candidates);
        self.problems.push(Problem::UnknownReference {
            name: name.to_owned(),
            span,
            expected: if in_sub {
                "no resource or parameter has this name (in `${...}`)"
            } else {
                "no resource or parameter has this name"
            },
            help,
        });
    }

    /// `!GetAtt resource.attribute`, `!GetAtt [resource, attribute]`.
    fn get_att(&mut self, arg: &Node) {
        match &arg.value {
            Value::Str(text) if arg.tag.is_none() => {
                let (resource, attribute) = text.split_once('.').unwrap_or((text, ""));
                self.attribute(resource, Some(attribute), arg.span);
            }
            Value::Seq(items) if arg.tag.is_none() => {
                if let Some(first) = items.first()
                    && first.tag.is_none()
                    && let Value::Str(resource) = &first.value
                {
                    let attribute = items.get(1).and_then(|a| match (&a.tag, &a.value) {
                        (None, Value::Str(s)) => Some(s.as_str()),
                        _ => None,
                    });
                    self.attribute(resource, attribute, first.span);
                }
                items.iter().skip(1).for_each(|i| self.walk(i));
            }
            _ => self.walk_inner(arg),
        }
    }

    fn attribute(&mut self, resource: &str, attribute: Option<&str>, span: SourceSpan) {
        let found = self.names().get(resource).map(|(named, _, _)| *named);
        let Some(Named::Resource(rtype)) = found else {
            let candidates: Vec<&str> = self
                .names()
                .iter()
                .filter(|(_, (n, _, _))| matches!(n, Named::Resource(_)))
                .map(|(k, _)| &**k)
                .collect();
            let help = suggest::did_you_mean(resource, candidates.iter().copied());
            self.problems.push(Problem::UnknownReference {
                name: resource.to_owned(),
                span,
                expected: if found.is_some() {
                    "a parameter has no attributes: `!GetAtt` takes a resource"
                } else {
                    "no resource has this name"
                },
                help,
            });
            return;
        };
        let (Some(rtype), Some(attribute)) = (rtype, attribute) else {
            return;
        };
        let Some((rtype, known)) = ATTRIBUTES.iter().find(|(t, _)| *t == rtype) else {
            return;
        };
        if !known.contains(&attribute) {
            let help = suggest::did_you_mean(attribute, known.iter().copied())
                .or_else(|| Some(format!("its attributes are {}", known.join(", "))));
            self.problems.push(Problem::UnknownAttribute {
                resource_type: rtype,
                attribute: attribute.to_owned(),
                span,
                resource: resource.to_owned(),
                help,
            });
        }
    }

    /// `!Sub text` or `!Sub [text, {name: value}]`: each `${name}` and `${resource.attribute}`.
    fn sub(&mut self, arg: &Node) {
        let (text, vars): (&Node, Vec<String>) = match &arg.value {
            Value::Str(_) => (arg, Vec::new()),
            Value::Seq(items) => {
                let Some(text) = items.first() else { return };
                let mut vars = Vec::new();
                if let Some(map) = items.get(1) {
                    if let Value::Map(entries) = &map.value {
                        for (k, v) in entries {
                            if let Value::Str(k) = &k.value {
                                vars.push(k.clone());
                            }
                            self.walk(v);
                        }
                    } else {
                        self.walk(map);
                    }
                }
                (text, vars)
            }
            _ => return self.walk_inner(arg),
        };
        let Value::Str(s) = &text.value else {
            return self.walk_inner(text);
        };
        let mut rest = s.as_str();
        while let Some(at) = rest.find("${") {
            let after = &rest[at + 2..];
            let Some(end) = after.find('}') else { break };
            let inner = &after[..end];
            rest = &after[end + 1..];
            if inner.starts_with('!') {
                continue;
            }
            let name = inner.trim();
            if vars.iter().any(|v| v == name) {
                continue;
            }
            match name.split_once('.') {
                Some((resource, attribute)) if !name.starts_with("AWS::") => {
                    self.attribute(resource, Some(attribute), text.span);
                }
                _ => self.reference(name, text.span, true),
            }
        }
    }
}

/// The type of a pass-through resource (`Type: AWS::SQS::Queue`), when stackwire knows its
/// attributes.
fn resource_type(raw: &Raw) -> Option<&'static str> {
    let t = raw.node.get("Type")?;
    let Value::Str(t) = &t.value else { return None };
    ATTRIBUTES.iter().map(|(name, _)| *name).find(|n| n == t)
}
