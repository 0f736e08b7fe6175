//! Stage 2: every rule of the stack format, all problems collected.
//!
//! `check` validates values (names, ARNs, runtimes), resolves wires to their ends and
//! kinds, assigns environment variable names, and finds collisions between the stack's IDs and
//! those SAM and stackwire generate. What it works out is the `Plan` that `lower` follows.

use std::collections::HashMap;

use miette::SourceSpan;

use crate::arn;
use crate::diagnostics::{Problem, thousands};
use crate::ids;
use crate::keys;
use crate::model::{
    Access, Body, Encryption, EventOptions, Existing, Function, Sp, Stack, StartingPosition,
    Stream, StreamMode, Wire, WireKind,
};
use crate::node::{Node, Value};
use crate::runtime::{self, Status};
use crate::suggest;

pub use crate::limits::{MAX_CONSUMER_NAME, MAX_PARAMETERS, MAX_RESOURCES, STACK_NAME_ROOM};
use crate::limits::{
    MAX_FILTER_PATTERN_BYTES, MAX_FUNCTION_NAME, MAX_LOGICAL_ID, MAX_STREAM_NAME, MAX_TAG_KEY,
    MAX_TAG_VALUE, MIN_ENV_VAR_NAME,
};

/// Variables Lambda sets itself; a function may not define them.
pub(crate) const RESERVED_ENV_VARS: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_XRAY_CONTEXT_MISSING",
    "AWS_XRAY_DAEMON_ADDRESS",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// An event subscription wire, resolved.
#[derive(Debug)]
pub struct EventWire<'a> {
    pub stream: usize,
    pub options: &'a EventOptions,
}

/// A service discovery wire, resolved, with its variable names.
#[derive(Debug)]
pub struct DiscoveryWire {
    pub stream: usize,
    pub access: Access,
    pub name_var: String,
    pub arn_var: String,
}

/// What `lower` writes, worked out. Vectors are indexed by resource position.
#[derive(Debug)]
pub struct Plan<'a> {
    pub stack: &'a Stack,
    pub environment: Option<&'a str>,
    pub events: Vec<Vec<EventWire<'a>>>,
    pub discoveries: Vec<Vec<DiscoveryWire>>,
    /// Functions with an enhanced fan-out consumer on each stream, in wire order.
    pub consumers: Vec<Vec<usize>>,
}

pub fn check<'a>(stack: &'a Stack, environment: Option<&'a str>) -> (Plan<'a>, Vec<Problem>) {
    let n = stack.resources.len();
    let mut checker = Checker {
        environment,
        problems: Vec::new(),
    };
    let mut plan = Plan {
        stack,
        environment,
        events: (0..n).map(|_| Vec::new()).collect(),
        discoveries: (0..n).map(|_| Vec::new()).collect(),
        consumers: (0..n).map(|_| Vec::new()).collect(),
    };
    if let Some(d) = &stack.description
        && d.value.contains("${")
    {
        checker.problems.push(Problem::InvalidName {
            what: "description",
            value: d.value.clone(),
            reason: "`${` would read as a CloudFormation substitution".to_owned(),
            span: d.span,
            help: Some(
                "a template's Description cannot use `!Sub`; write `$ {` or drop the braces"
                    .to_owned(),
            ),
        });
    }
    checker.logical_ids(stack);
    for resource in &stack.resources {
        match &resource.body {
            Body::Stream(s) => checker.stream(s),
            Body::Function(f) => checker.function(f),
            Body::Unknown => {}
        }
    }
    checker.physical_names(stack);
    checker.wires(stack, &mut plan);
    checker.generated_ids(&plan);
    checker.limits(&plan);
    (plan, checker.problems)
}

struct Checker<'t> {
    environment: Option<&'t str>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn logical_ids(&mut self, stack: &Stack) {
        let mut by_lowercase: HashMap<String, &Sp<String>> = HashMap::new();
        for resource in &stack.resources {
            let id = &resource.id;
            if !ids::is_logical_id(&id.value) {
                let reason = if id.value.is_empty() {
                    "it is empty".to_owned()
                } else if id.value.len() > MAX_LOGICAL_ID {
                    format!("it is {} bytes long", id.value.len())
                } else {
                    let bad = id.value.chars().find(|c| !c.is_ascii_alphanumeric());
                    match bad {
                        Some(c) if c.is_whitespace() || c.is_control() || !c.is_ascii() => {
                            format!("it contains the character U+{:04X}", u32::from(c))
                        }
                        Some(c) => format!("it contains `{c}`"),
                        None => "it is not alphanumeric".to_owned(),
                    }
                };
                self.problems.push(Problem::InvalidLogicalId {
                    id: shown_id(&id.value),
                    reason,
                    span: id.span,
                });
                continue;
            }
            match by_lowercase.get(&id.value.to_ascii_lowercase()) {
                Some(first) => self.problems.push(Problem::SimilarLogicalIds {
                    id: id.value.clone(),
                    other: first.value.clone(),
                    first: first.span,
                    span: id.span,
                }),
                None => {
                    by_lowercase.insert(id.value.to_ascii_lowercase(), id);
                }
            }
        }
    }

    /// Two streams, or two functions, with one `name`: CloudFormation cannot create both.
    fn physical_names(&mut self, stack: &Stack) {
        let mut streams: HashMap<&str, SourceSpan> = HashMap::new();
        let mut functions: HashMap<&str, SourceSpan> = HashMap::new();
        for resource in &stack.resources {
            let (seen, what, name) = match &resource.body {
                Body::Stream(s) => {
                    // Beside an existing ARN or `env`, `name` is already a conflict.
                    let created = s
                        .existing
                        .as_ref()
                        .is_none_or(|e| matches!(e.value, Existing::Parameter(_)));
                    if !created {
                        continue;
                    }
                    (&mut streams, "stream", &s.name)
                }
                Body::Function(f) => (&mut functions, "function", &f.name),
                Body::Unknown => continue,
            };
            let Some(name) = name else { continue };
            match seen.get(name.value.as_str()) {
                Some(first) => self.problems.push(Problem::DuplicateName {
                    what,
                    name: name.value.clone(),
                    first: *first,
                    span: name.span,
                }),
                None => {
                    seen.insert(&name.value, name.span);
                }
            }
        }
    }

    /// A physical name with an optional `${AWS::StackName}`: the literal rest must be valid.
    fn physical_name(&mut self, name: &Sp<String>, what: &'static str, max: usize, extra: &[u8]) {
        let literal = name.value.replace("${AWS::StackName}", "");
        let stack_names = name.value.matches("${AWS::StackName}").count();
        let len = literal.len() + stack_names * STACK_NAME_ROOM;
        let bad = literal.chars().find(|c| {
            !(c.is_ascii_alphanumeric() || (c.is_ascii() && extra.contains(&(*c as u8))))
        });
        let allowed: String = extra.iter().map(|b| char::from(*b)).collect();
        let reason = if name.value.is_empty() {
            Some("it is empty".to_owned())
        } else if let Some(c) = bad {
            Some(if c == '$' || c == '{' || c == '}' {
                "the only substitution allowed is `${AWS::StackName}`".to_owned()
            } else {
                format!("`{c}` is not allowed")
            })
        } else if len > max && stack_names > 0 {
            Some(format!(
                "it is longer than {max} characters, counting `${{AWS::StackName}}` as {STACK_NAME_ROOM}"
            ))
        } else if len > max {
            Some(format!("it is longer than {max} characters"))
        } else {
            None
        };
        if let Some(reason) = reason {
            self.problems.push(Problem::InvalidName {
                what,
                value: name.value.clone(),
                reason,
                span: name.span,
                help: Some(format!(
                    "use 1 to {max} of `A-Za-z0-9{allowed}`; `${{AWS::StackName}}` may stand for the stack's name"
                )),
            });
        }
    }

    fn stream(&mut self, s: &Stream) {
        if let Some(existing) = &s.existing {
            self.existing(s, existing);
        }
        if let Some(name) = &s.name {
            self.physical_name(name, "stream name", MAX_STREAM_NAME, b"_.-");
        }
        if let (Some(mode), Some(count)) = (&s.mode, &s.shard_count)
            && mode.value == StreamMode::OnDemand
        {
            self.problems.push(Problem::OnDemandShardCount {
                span: count.span,
                mode: mode.span,
            });
        }
        if let Some(Sp {
            value: Encryption::Key(key),
            span,
        }) = &s.encryption
            && arn::kms_key(key).is_none()
        {
            self.problems.push(Problem::InvalidKmsKey {
                value: key.clone(),
                span: *span,
            });
        }
        for (key, value) in &s.tags {
            let reason = if key.value.is_empty() || key.value.chars().count() > MAX_TAG_KEY {
                Some(format!("a tag key is 1 to {MAX_TAG_KEY} characters"))
            } else if key.value.to_ascii_lowercase().starts_with("aws:") {
                Some("the `aws:` prefix is reserved for AWS".to_owned())
            } else if key.value.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
                // CloudFormation's pattern for a Kinesis tag key, `^(?!aws:).+$`, is one line.
                Some("a tag key is one line of text; it contains a line break".to_owned())
            } else {
                None
            };
            if let Some(reason) = reason {
                self.problems.push(Problem::InvalidTag {
                    reason,
                    span: key.span,
                });
            }
            if value.value.chars().count() > MAX_TAG_VALUE {
                self.problems.push(Problem::InvalidTag {
                    reason: format!("a tag value is at most {MAX_TAG_VALUE} characters"),
                    span: value.span,
                });
            }
        }
    }

    fn existing(&mut self, s: &Stream, existing: &Sp<Existing>) {
        match &existing.value {
            Existing::Arn(text) => {
                if arn::kinesis_stream_name(text).is_none() {
                    self.problems.push(Problem::InvalidArn {
                        what: "a Kinesis stream ARN",
                        value: text.clone(),
                        span: existing.span,
                        help: Some("a stream ARN looks like `arn:aws:kinesis:us-east-1:123456789012:stream/orders`; for a parameter, write `existing: {env: path}` or `existing: {parameter: Name}`".to_owned()),
                    });
                }
                for key in s.keys.iter().filter(|k| k.value != "existing") {
                    self.problems.push(Problem::ExistingStreamConflict {
                        key: key.value.clone(),
                        span: key.span,
                        existing: existing.span,
                    });
                }
            }
            Existing::Env(path) => {
                // No stream is created: only `encryption` (for KMS grants) means anything here.
                let ignored = ["existing", "encryption"];
                for key in s
                    .keys
                    .iter()
                    .filter(|k| !ignored.contains(&k.value.as_str()))
                {
                    self.problems.push(Problem::ExistingStreamConflict {
                        key: key.value.clone(),
                        span: key.span,
                        existing: existing.span,
                    });
                }
                let p = &path.value;
                let reason = if p.is_empty() || !p.chars().any(|c| c.is_ascii_alphanumeric()) {
                    Some("it needs at least one letter or digit")
                } else if p.starts_with('/') {
                    Some("it is relative to the environment: remove the leading `/`")
                } else if !p
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'.' | b'-'))
                {
                    Some("Parameter Store paths use only `A-Za-z0-9/_.-`")
                } else if p.ends_with('/') || p.contains("//") {
                    Some("a path segment is empty")
                } else {
                    None
                };
                if let Some(reason) = reason {
                    self.problems.push(Problem::InvalidName {
                        what: "environment parameter path",
                        value: p.clone(),
                        reason: reason.to_owned(),
                        span: path.span,
                        help: Some("write a Parameter Store path below the environment, such as `streams/orders`; stackwire reads `/<environment>/streams/orders`".to_owned()),
                    });
                } else if self.environment.is_none() {
                    self.problems.push(Problem::MissingEnvironment {
                        path: p.clone(),
                        span: path.span,
                    });
                }
            }
            Existing::Parameter(name) => {
                if !ids::is_logical_id(&name.value) {
                    self.problems.push(Problem::InvalidName {
                        what: "parameter name",
                        value: name.value.clone(),
                        reason: format!(
                            "a template parameter name is 1 to {MAX_LOGICAL_ID} letters and digits"
                        ),
                        span: name.span,
                        help: Some(
                            "for example `existing: {parameter: OrdersStreamArn}`".to_owned(),
                        ),
                    });
                }
            }
        }
    }

    fn function(&mut self, f: &Function) {
        if let Some(r) = &f.runtime {
            self.runtime(r);
        }
        if let Some(h) = &f.handler {
            if h.value.trim().is_empty() {
                self.problems.push(Problem::InvalidName {
                    what: "handler",
                    value: h.value.clone(),
                    reason: "it is empty".to_owned(),
                    span: h.span,
                    help: Some("name the entry point, such as `index.handler`".to_owned()),
                });
            } else if let Some(c) = h.value.chars().find(|c| c.is_whitespace()) {
                // Lambda's pattern for a handler is `[^\s]+`.
                self.problems.push(Problem::InvalidName {
                    what: "handler",
                    value: h.value.clone(),
                    reason: format!("it contains whitespace (U+{:04X})", u32::from(c)),
                    span: h.span,
                    help: Some(
                        "Lambda takes a handler without spaces or line breaks, such as `index.handler`"
                            .to_owned(),
                    ),
                });
            }
        }
        if let Some(src) = &f.source {
            let v = &src.value;
            let reason = if v.is_empty() {
                Some("it is empty")
            } else if v.starts_with('/') || v.starts_with('\\') || v.get(1..2) == Some(":") {
                Some("it is an absolute path")
            } else if v.contains("://") {
                Some("it is a URL")
            } else if v.contains("${") {
                Some("a folder name cannot hold a `${...}` substitution")
            } else {
                None
            };
            if let Some(reason) = reason {
                self.problems.push(Problem::InvalidSource {
                    value: v.clone(),
                    span: src.span,
                    reason,
                });
            }
        }
        if let Some(name) = &f.name {
            self.physical_name(name, "function name", MAX_FUNCTION_NAME, b"_-");
        }
        for (name, _) in &f.environment {
            self.env_var_name(name);
        }
        for policy in &f.policies {
            if !arn::is_policy(&policy.value) {
                self.problems.push(Problem::InvalidPolicy {
                    value: policy.value.clone(),
                    span: policy.span,
                });
            }
        }
    }

    fn runtime(&mut self, r: &Sp<String>) {
        let Some(known) = runtime::find(&r.value) else {
            let current: Vec<&str> = runtime::current_ids().collect();
            let help = suggest::did_you_mean(&r.value, current.iter().copied())
                .or_else(|| Some(format!("current runtimes: {}", current.join(", "))));
            self.problems.push(Problem::UnknownRuntime {
                runtime: r.value.clone(),
                span: r.span,
                help,
            });
            return;
        };
        let help = known.successor.map(|s| format!("move to `{s}`"));
        match known.status {
            Status::Current => {}
            Status::Deprecated { since } => self.problems.push(Problem::DeprecatedRuntime {
                runtime: r.value.clone(),
                span: r.span,
                help: help.map(|h| format!("deprecated by AWS since {since}; {h}")),
            }),
            Status::Retired { since } => self.problems.push(Problem::RetiredRuntime {
                runtime: r.value.clone(),
                span: r.span,
                since,
                help,
            }),
        }
    }

    /// Whether `name` may be a Lambda environment variable; reports why not.
    fn env_var_name(&mut self, name: &Sp<String>) -> bool {
        let n = &name.value;
        if RESERVED_ENV_VARS.contains(&n.as_str()) || n.starts_with("AWS_LAMBDA_") {
            self.problems.push(Problem::ReservedEnvVar {
                name: n.clone(),
                span: name.span,
            });
            return false;
        }
        // Lambda's pattern, `[a-zA-Z]([a-zA-Z0-9_])+`: a letter, then at least one more.
        let well_formed = n.len() >= MIN_ENV_VAR_NAME
            && n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed {
            self.problems.push(Problem::InvalidEnvVar {
                name: n.clone(),
                span: name.span,
            });
        }
        well_formed
    }

    fn wires<'a>(&mut self, stack: &'a Stack, plan: &mut Plan<'a>) {
        let index: HashMap<&str, usize> = stack
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.value.as_str(), i))
            .collect();
        let ids: Vec<&str> = stack
            .resources
            .iter()
            .map(|r| r.id.value.as_str())
            .collect();
        let mut seen: HashMap<(usize, usize), SourceSpan> = HashMap::new();
        // Per function: the wires that discover a stream, resolved later in wire order.
        let mut discovery: Vec<Vec<(usize, &'a Wire)>> =
            (0..ids.len()).map(|_| Vec::new()).collect();
        for wire in &stack.wires {
            let (Some(from), Some(to)) = (&wire.from, &wire.to) else {
                continue;
            };
            let ends = [("from", from), ("to", to)].map(|(end, name)| {
                let found = index.get(name.value.as_str()).copied();
                if found.is_none() {
                    self.problems.push(Problem::UnknownWireEnd {
                        end,
                        name: name.value.clone(),
                        span: name.span,
                        help: suggest::did_you_mean(&name.value, ids.iter().copied()),
                    });
                }
                found
            });
            let [Some(f), Some(t)] = ends else { continue };
            if f == t {
                self.problems.push(Problem::SelfWire {
                    id: from.value.clone(),
                    span: wire.span,
                });
                continue;
            }
            let (from_r, to_r) = (&stack.resources[f], &stack.resources[t]);
            let kind = match (&from_r.body, &to_r.body) {
                (Body::Stream(_), Body::Function(_)) => WireKind::Event,
                (Body::Function(_), Body::Stream(_)) => WireKind::Discovery,
                (Body::Unknown, _) | (_, Body::Unknown) => continue,
                _ => {
                    self.problems.push(Problem::UnsupportedWire {
                        from: from_r.kind_name(),
                        to: to_r.kind_name(),
                        span: wire.span,
                    });
                    continue;
                }
            };
            if let Some(first) = seen.insert((f, t), wire.span) {
                self.problems.push(Problem::DuplicateWire {
                    from: from.value.clone(),
                    to: to.value.clone(),
                    first,
                    span: wire.span,
                });
                continue;
            }
            if let Some(declared) = &wire.kind
                && declared.value != kind
            {
                self.problems.push(Problem::WireKindMismatch {
                        declared: declared.value.name(),
                        actual: kind.name(),
                        span: declared.span,
                        help: Some(format!(
                            "a wire from a {} to a {} is {} (`kind: {}`); remove `kind` or swap `from` and `to`",
                            from_r.kind_name(),
                            to_r.kind_name(),
                            kind.description(),
                            kind.name()
                        )),
                    });
            }
            self.wire_keys(wire, kind);
            match kind {
                WireKind::Event => {
                    self.event(&wire.event);
                    if let Some(fan_out) = wire.event.fan_out.as_ref().filter(|b| b.value) {
                        self.consumer_name(&to.value, fan_out.span);
                        plan.consumers[f].push(t);
                    }
                    plan.events[t].push(EventWire {
                        stream: f,
                        options: &wire.event,
                    });
                }
                WireKind::Discovery => discovery[f].push((t, wire)),
            }
        }
        for (function, wires) in discovery.into_iter().enumerate() {
            if let Body::Function(body) = &stack.resources[function].body {
                plan.discoveries[function] =
                    self.env_vars(&stack.resources[function].id, body, wires);
            }
        }
    }

    /// A fan-out consumer is named `${AWS::StackName}-<Function>`, at most 128 characters.
    fn consumer_name(&mut self, function: &str, span: SourceSpan) {
        let max_id = MAX_CONSUMER_NAME - STACK_NAME_ROOM - 1;
        if function.len() > max_id {
            self.problems.push(Problem::InvalidName {
                what: "fan-out consumer name",
                value: format!("${{AWS::StackName}}-{function}"),
                reason: format!(
                    "it is longer than {MAX_CONSUMER_NAME} characters, counting `${{AWS::StackName}}` as {STACK_NAME_ROOM}"
                ),
                span,
                help: Some(format!(
                    "the consumer is named after the Function: give it a Logical ID of at most {max_id} characters"
                )),
            });
        }
    }

    fn wire_keys(&mut self, wire: &Wire, kind: WireKind) {
        let (other, other_kind) = match kind {
            WireKind::Event => (keys::DISCOVERY, WireKind::Discovery),
            WireKind::Discovery => (keys::EVENT, WireKind::Event),
        };
        for key in wire
            .keys
            .iter()
            .filter(|k| keys::find(other, &k.value).is_some())
        {
            self.problems.push(Problem::WireKeyKind {
                key: key.value.clone(),
                applies_to: other_kind.description(),
                actual: kind.with_article(),
                span: key.span,
                help: Some(match other_kind {
                    WireKind::Event => {
                        "event subscription keys belong on a wire from a Stream to a Function"
                            .to_owned()
                    }
                    WireKind::Discovery => {
                        "service discovery keys belong on a wire from a Function to a Stream"
                            .to_owned()
                    }
                }),
            });
        }
    }

    fn event(&mut self, e: &EventOptions) {
        let at_timestamp = e
            .starting_position
            .as_ref()
            .is_some_and(|p| p.value == StartingPosition::AtTimestamp);
        match (&e.starting_position_timestamp, at_timestamp) {
            (None, true) => {
                if let Some(p) = &e.starting_position {
                    self.problems.push(Problem::StartingPositionTimestamp {
                        message: "`startingPosition: AT_TIMESTAMP` needs `startingPositionTimestamp`",
                        span: p.span,
                        label: "reads from a point in time, but which?",
                        help: Some("add `startingPositionTimestamp:` with the time in Unix seconds, such as 1767225600"),
                    });
                }
            }
            (Some(ts), false) => self.problems.push(Problem::StartingPositionTimestamp {
                message: "`startingPositionTimestamp` applies only with `startingPosition: AT_TIMESTAMP`",
                span: ts.span,
                label: "ignored by Lambda",
                help: Some("add `startingPosition: AT_TIMESTAMP`, or remove the timestamp"),
            }),
            (Some(_), true) | (None, false) => {}
        }
        if let Some(dest) = &e.on_failure
            && arn::destination(&dest.value).is_none()
        {
            self.problems.push(Problem::InvalidArn {
                what: "an SQS queue, SNS topic or S3 bucket ARN",
                value: dest.value.clone(),
                span: dest.span,
                help: Some(
                    "for example `arn:aws:sqs:us-east-1:123456789012:orders-dlq`".to_owned(),
                ),
            });
        }
        if let Some(filters) = &e.filters {
            for f in &filters.value {
                self.filter(f);
            }
        }
    }

    fn filter(&mut self, node: &Node) {
        let reason = match &node.value {
            Value::Map(entries) if entries.is_empty() => Some("the pattern is empty".to_owned()),
            Value::Map(_) => {
                self.pattern(node);
                match crate::lower::filter_json(node) {
                    Ok(json) if json.len() > MAX_FILTER_PATTERN_BYTES => Some(format!(
                        "the pattern is {} bytes as JSON; Lambda allows {MAX_FILTER_PATTERN_BYTES}",
                        json.len()
                    )),
                    Ok(_) => None,
                    Err(why) => Some(why),
                }
            }
            other => Some(format!("a filter is a mapping, found {}", other.kind())),
        };
        if let Some(reason) = reason {
            self.problems.push(Problem::InvalidFilter {
                reason,
                span: node.span,
            });
        }
    }

    /// An event pattern: field names map to nested patterns or to lists of values to match.
    fn pattern(&mut self, node: &Node) {
        let Value::Map(entries) = &node.value else {
            return;
        };
        let mut seen: Vec<(&str, SourceSpan)> = Vec::new();
        for (key, value) in entries {
            if let Value::Str(k) = &key.value {
                if let Some((_, first)) = seen.iter().find(|(s, _)| s == k) {
                    self.problems.push(Problem::DuplicateKey {
                        key: k.clone(),
                        first: *first,
                        span: key.span,
                    });
                    continue;
                }
                seen.push((k, key.span));
            }
            match &value.value {
                Value::Map(_) => self.pattern(value),
                Value::Seq(items) if !items.is_empty() => {}
                _ => self.problems.push(Problem::InvalidFilter {
                    reason: "a field matches a list of values, such as `[order]`".to_owned(),
                    span: value.span,
                }),
            }
        }
    }

    /// Names the variables of each discovery wire of one function: overrides as written, the
    /// defaults with the first `_2`, `_3`, ... suffix that is free on both, in wire order.
    fn env_vars(
        &mut self,
        id: &Sp<String>,
        f: &Function,
        wires: Vec<(usize, &Wire)>,
    ) -> Vec<DiscoveryWire> {
        let mut taken: HashMap<String, SourceSpan> = f
            .environment
            .iter()
            .map(|(k, _)| (k.value.clone(), k.span))
            .collect();
        let mut out = Vec::with_capacity(wires.len());
        for (stream, wire) in wires {
            let d = &wire.discovery;
            let mut claim = |this: &mut Self, var: &Sp<String>| {
                if !this.env_var_name(var) {
                    return;
                }
                if let Some(first) = taken.get(&var.value) {
                    this.problems.push(Problem::EnvVarCollision {
                        name: var.value.clone(),
                        function: id.value.clone(),
                        span: var.span,
                        first: *first,
                    });
                } else {
                    taken.insert(var.value.clone(), var.span);
                }
            };
            if let Some(v) = &d.env_name {
                claim(self, v);
            }
            if let Some(v) = &d.env_arn {
                claim(self, v);
            }
            let suffixed = |base: &str, n: usize| {
                if n == 1 {
                    base.to_owned()
                } else {
                    format!("{base}_{n}")
                }
            };
            let free = |n: usize| {
                (d.env_name.is_some() || !taken.contains_key(&suffixed("STREAM_NAME", n)))
                    && (d.env_arn.is_some() || !taken.contains_key(&suffixed("STREAM_ARN", n)))
            };
            let n = (1..).find(|n| free(*n)).unwrap_or(1);
            let name_var = d
                .env_name
                .as_ref()
                .map_or_else(|| suffixed("STREAM_NAME", n), |v| v.value.clone());
            let arn_var = d
                .env_arn
                .as_ref()
                .map_or_else(|| suffixed("STREAM_ARN", n), |v| v.value.clone());
            for var in [&name_var, &arn_var] {
                taken.entry(var.clone()).or_insert(wire.span);
            }
            out.push(DiscoveryWire {
                stream,
                access: d.access.as_ref().map_or(Access::ReadWrite, |a| a.value),
                name_var,
                arn_var,
            });
        }
        out
    }

    /// The IDs SAM and stackwire generate must not collide with the stack's own, or each other.
    fn generated_ids(&mut self, plan: &Plan<'_>) {
        let resources = &plan.stack.resources;
        let mut taken: HashMap<String, (SourceSpan, String)> = HashMap::new();
        for r in resources {
            taken.insert(
                r.id.value.clone(),
                (r.id.span, format!("resource `{}`", r.id.value)),
            );
        }
        let mut generated: Vec<(String, &Sp<String>, String)> = Vec::new();
        for (i, r) in resources.iter().enumerate() {
            let id = &r.id;
            match &r.body {
                Body::Function(_) => {
                    let role = format!("the role SAM generates for Function `{}`", id.value);
                    generated.push((ids::role(&id.value), id, role));
                    for e in &plan.events[i] {
                        let stream = &resources[e.stream].id.value;
                        let origin = format!(
                            "the event source mapping SAM generates from `{stream}` to `{}`",
                            id.value
                        );
                        generated.push((ids::event_source_mapping(&id.value, stream), id, origin));
                    }
                }
                Body::Stream(_) => {
                    for f in &plan.consumers[i] {
                        let function = &resources[*f].id.value;
                        let origin =
                            format!("the fan-out consumer of `{}` for `{function}`", id.value);
                        generated.push((ids::consumer(&id.value, function), id, origin));
                    }
                }
                Body::Unknown => {}
            }
        }
        for (gen_id, owner, origin) in generated {
            if gen_id.len() > MAX_LOGICAL_ID {
                self.problems.push(Problem::GeneratedIdTooLong {
                    id: owner.value.clone(),
                    len: gen_id.len(),
                    generated: gen_id,
                    span: owner.span,
                });
                continue;
            }
            match taken.get(&gen_id) {
                Some((span, first)) => self.problems.push(Problem::GeneratedIdCollision {
                    id: gen_id,
                    first: first.clone(),
                    origin,
                    span: *span,
                    owner: owner.span,
                }),
                None => {
                    taken.insert(gen_id, (owner.span, origin));
                }
            }
        }
        // Parameters share the namespace of resources.
        let mut params: HashMap<String, (SourceSpan, Option<String>, &str)> = HashMap::new();
        for r in resources {
            let Body::Stream(s) = &r.body else { continue };
            let Some(existing) = &s.existing else {
                continue;
            };
            let (name, path, span) = match &existing.value {
                Existing::Env(path) => (ids::env_parameter(&path.value), Some(path), path.span),
                Existing::Parameter(name) => (name.value.clone(), None, name.span),
                Existing::Arn(_) => continue,
            };
            if let Some((first, _)) = taken.get(&name) {
                self.problems.push(Problem::ParameterCollision {
                    other: format!("the resource `{name}`"),
                    name,
                    span,
                    first: *first,
                });
                continue;
            }
            match params.get(&name) {
                // Two streams may read the same environment path: one parameter serves both.
                Some((_, Some(p), _)) if path.is_some_and(|q| &q.value == p) => {}
                Some((first, _, stream)) => self.problems.push(Problem::ParameterCollision {
                    other: format!("the parameter of Stream `{stream}`"),
                    name,
                    span,
                    first: *first,
                }),
                None => {
                    params.insert(name, (span, path.map(|p| p.value.clone()), &r.id.value));
                }
            }
        }
    }

    fn limits(&mut self, plan: &Plan<'_>) {
        let stack = plan.stack;
        let resources = expanded_resource_count(plan);
        let mut parameters = std::collections::HashSet::new();
        for r in &stack.resources {
            if let Body::Stream(s) = &r.body {
                match s.existing.as_ref().map(|e| &e.value) {
                    Some(Existing::Env(path)) => {
                        parameters.insert(ids::env_parameter(&path.value));
                    }
                    Some(Existing::Parameter(name)) => {
                        parameters.insert(name.value.clone());
                    }
                    _ => {}
                }
            }
        }
        let existing_only = stack.resources.iter().all(|r| match &r.body {
            Body::Stream(s) => matches!(
                s.existing.as_ref().map(|e| &e.value),
                Some(Existing::Arn(_) | Existing::Env(_))
            ),
            _ => false,
        });
        if !stack.resources.is_empty() && existing_only {
            self.problems.push(Problem::NothingCreated {
                span: stack.resources_key,
            });
        }
        if resources > MAX_RESOURCES {
            self.problems.push(Problem::TooManyResources {
                count: thousands(resources),
                span: stack.resources_key,
            });
        }
        if parameters.len() > MAX_PARAMETERS {
            self.problems.push(Problem::TooManyParameters {
                count: thousands(parameters.len()),
                span: stack.resources_key,
            });
        }
    }
}

/// How many resources the template has once SAM has expanded it: what CloudFormation counts.
pub fn expanded_resource_count(plan: &Plan<'_>) -> usize {
    let mut count = 0;
    for (i, r) in plan.stack.resources.iter().enumerate() {
        match &r.body {
            Body::Stream(s) => {
                if !matches!(
                    s.existing.as_ref().map(|e| &e.value),
                    Some(Existing::Arn(_) | Existing::Env(_))
                ) {
                    count += 1;
                }
                count += plan.consumers[i].len();
            }
            // The function, its role, and one event source mapping per event.
            Body::Function(_) => count += 2 + plan.events[i].len(),
            Body::Unknown => {}
        }
    }
    count
}

/// An invalid Logical ID as a message shows it: invisible characters (zero-width, controls,
/// direction marks) written as `\u{...}`, and at most 40 characters.
fn shown_id(id: &str) -> String {
    let invisible = |c: char| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
    };
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if i == 40 {
            out.push_str("...");
            break;
        }
        if invisible(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}
