//! Stage 2: every rule of the stack format, all problems collected.
//!
//! `check` validates values (names, ARNs, runtimes), resolves wires to their ends and
//! kinds, assigns environment variable names, and finds collisions between the stack's IDs and
//! those SAM and stackwire generate. What it works out is the `Plan` that `lower` follows.

mod accounts;
mod quotas;
pub use quotas::check as quotas;
mod refs;
mod unsupported;

pub use unsupported::unsupported;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use miette::SourceSpan;

use crate::arn;
use crate::diagnostics::{Problem, thousands};
use crate::format::keys;
use crate::format::model::{
    Access, Body, EventOptions, Existing, Function, Sp, Stack, StartingPosition, Wire, WireKind,
};
use crate::format::node::{Node, Value};
use crate::format::rules::Rules;
use crate::ids;
use crate::limits::{MAX_FILTER_PATTERN_BYTES, MAX_LOGICAL_ID};
use crate::options::Options;
use crate::plan::{DiscoveryWire, EventWire, Plan};
use crate::suggest;
use crate::target::{GeneratedId, Origin, Target};

pub use crate::limits::{MAX_CONSUMER_NAME, MAX_PARAMETERS, MAX_RESOURCES, STACK_NAME_ROOM};

pub fn check<'a>(stack: &'a Stack, options: &Options<'a>) -> (Plan<'a>, Vec<Problem>) {
    let environment = options.environment;
    let n = stack.resources.len();
    let mut checker = Checker {
        rules: Rules {
            environment,
            problems: Vec::new(),
        },
        target: options.target,
    };
    let mut plan = Plan {
        stack,
        environment,
        code_bucket: options.code_bucket,
        events: (0..n).map(|_| Vec::new()).collect(),
        discoveries: (0..n).map(|_| Vec::new()).collect(),
        consumers: (0..n).map(|_| Vec::new()).collect(),
    };
    if let Some(d) = &stack.description
        && d.value.contains("${")
    {
        checker.rules.problems.push(Problem::InvalidName {
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
    if let Some(d) = &stack.description {
        checker
            .rules
            .no_secure_reference(d, "the stack's description");
    }
    checker.logical_ids(stack);
    for resource in &stack.resources {
        resource.body.check(&mut checker.rules);
    }
    checker.physical_names(stack);
    checker.wires(stack, &mut plan);
    let generated = checker.target.generated_ids(&plan);
    checker.generated_ids(&plan, &generated);
    let passthru = refs::check(stack, &plan, &generated);
    checker.rules.problems.extend(passthru);
    checker.rules.problems.extend(accounts::check(stack, &plan));
    checker.limits(&plan);
    (plan, checker.rules.problems)
}

struct Checker<'t> {
    rules: Rules<'t>,
    target: &'static dyn Target,
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
                self.rules.problems.push(Problem::InvalidLogicalId {
                    id: shown_id(&id.value),
                    reason,
                    span: id.span,
                });
                continue;
            }
            match by_lowercase.get(&id.value.to_ascii_lowercase()) {
                Some(first) => self.rules.problems.push(Problem::SimilarLogicalIds {
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
                Some(first) => self.rules.problems.push(Problem::DuplicateName {
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
        // Made at the first end that names nothing (most stacks have none).
        let mut suggestions: Option<suggest::Nearest<'_>> = None;
        let mut seen: HashMap<(usize, usize), SourceSpan> = HashMap::new();
        // Per function: the wires that discover a stream, resolved later in wire order.
        let mut discovery: Vec<Vec<(usize, &'a Wire)>> =
            (0..ids.len()).map(|_| Vec::new()).collect();
        for (w, wire) in stack.wires.iter().enumerate() {
            let (Some(from), Some(to)) = (&wire.from, &wire.to) else {
                continue;
            };
            let ends = [("from", from), ("to", to)].map(|(end, name)| {
                let found = index.get(name.value.as_str()).copied();
                if found.is_none() {
                    self.rules.problems.push(Problem::UnknownWireEnd {
                        end,
                        name: name.value.clone(),
                        span: name.span,
                        help: suggestions
                            .get_or_insert_with(|| suggest::Nearest::new(ids.iter().copied()))
                            .did_you_mean(&name.value),
                    });
                }
                found
            });
            let [Some(f), Some(t)] = ends else { continue };
            if f == t {
                self.rules.problems.push(Problem::SelfWire {
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
                (Body::Stream(_), Body::Stream(_)) | (Body::Function(_), Body::Function(_)) => {
                    self.rules.problems.push(Problem::UnsupportedWire {
                        from: from_r.kind_name(),
                        to: to_r.kind_name(),
                        span: wire.span,
                    });
                    continue;
                }
            };
            if let Some(first) = seen.insert((f, t), wire.span) {
                self.rules.problems.push(Problem::DuplicateWire {
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
                self.rules.problems.push(Problem::WireKindMismatch {
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
                    self.event(wire.event());
                    if let Some(fan_out) = wire.event().fan_out.as_ref().filter(|b| b.value) {
                        self.consumer_name(&to.value, fan_out.span);
                        plan.consumers[f].push(t);
                    }
                    plan.events[t].push(EventWire {
                        stream: f,
                        options: wire.event(),
                        wire: w,
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
            self.rules.problems.push(Problem::InvalidName {
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
            .filter(|k| keys::find(other, k.value).is_some())
        {
            self.rules.problems.push(Problem::WireKeyKind {
                key: key.value.to_owned(),
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
                    self.rules.problems.push(Problem::StartingPositionTimestamp {
                        message: "`startingPosition: AT_TIMESTAMP` needs `startingPositionTimestamp`",
                        span: p.span,
                        label: "reads from a point in time, but which?",
                        help: Some("add `startingPositionTimestamp:` with the time in Unix seconds, such as 1767225600"),
                    });
                }
            }
            (Some(ts), false) => self.rules.problems.push(Problem::StartingPositionTimestamp {
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
            self.rules.problems.push(Problem::InvalidArn {
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
                match node.json_text() {
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
            self.rules.problems.push(Problem::InvalidFilter {
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
                    self.rules.problems.push(Problem::DuplicateKey {
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
                _ => self.rules.problems.push(Problem::InvalidFilter {
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
            let d = wire.discovery();
            let mut claim = |this: &mut Self, var: &Sp<String>| {
                if !this.rules.env_var_name(var) {
                    return;
                }
                if let Some(first) = taken.get(&var.value) {
                    this.rules.problems.push(Problem::EnvVarCollision {
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
    fn generated_ids(&mut self, plan: &Plan<'_>, generated: &[GeneratedId<'_>]) {
        let resources = &plan.stack.resources;
        // Each ID taken, and by what: the index of a stack resource, or past them, of a
        // generated ID (an index, not the span and origin themselves: a third of the room).
        let mut taken: HashMap<&str, usize> =
            HashMap::with_capacity(resources.len() + generated.len());
        for (i, r) in resources.iter().enumerate() {
            taken.insert(&r.id.value, i);
        }
        // Where the taker is, and what it is: a stack resource (`None`) or a generated one.
        let taker = |i: usize| -> (SourceSpan, Option<Origin<'_>>) {
            match i
                .checked_sub(resources.len())
                .and_then(|g| generated.get(g))
            {
                Some(g) => (g.owner.span, Some(g.origin)),
                None => (resources[i].id.span, None),
            }
        };
        for (n, GeneratedId { id, owner, origin }) in generated.iter().enumerate() {
            if id.len() > MAX_LOGICAL_ID {
                self.rules.problems.push(Problem::GeneratedIdTooLong {
                    id: owner.value.clone(),
                    len: id.len(),
                    generated: id.clone(),
                    span: owner.span,
                });
                continue;
            }
            match taken.get(id.as_str()).map(|&i| taker(i)) {
                Some((span, first)) => self.rules.problems.push(Problem::GeneratedIdCollision {
                    id: id.clone(),
                    first: match first {
                        Some(origin) => origin.shown(),
                        None => format!("resource `{id}`"),
                    },
                    origin: origin.shown(),
                    span,
                    owner: owner.span,
                }),
                None => {
                    taken.insert(id, resources.len() + n);
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
            if let Some(&i) = taken.get(name.as_str()) {
                self.rules.problems.push(Problem::ParameterCollision {
                    other: format!("the resource `{name}`"),
                    name,
                    span,
                    first: taker(i).0,
                });
                continue;
            }
            match params.get(&name) {
                // Two streams may read the same environment path: one parameter serves both.
                Some((_, Some(p), _)) if path.is_some_and(|q| &q.value == p) => {}
                Some((first, _, stream)) => self.rules.problems.push(Problem::ParameterCollision {
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
        let resources = self.target.resource_count(plan);
        let mut parameters = HashSet::new();
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
            Body::Function(_) | Body::Unknown => false,
        });
        if !stack.resources.is_empty() && existing_only {
            self.rules.problems.push(Problem::NothingCreated {
                span: stack.resources_key,
            });
        }
        if resources > MAX_RESOURCES {
            let exact = self.target.resource_count_is_exact(plan);
            self.rules.problems.push(Problem::TooManyResources {
                count: thousands(resources),
                bound: if exact { "" } else { " or more" },
                span: stack.resources_key,
            });
        }
        if parameters.len() > MAX_PARAMETERS {
            self.rules.problems.push(Problem::TooManyParameters {
                count: thousands(parameters.len()),
                span: stack.resources_key,
            });
        }
    }
}

/// An invalid Logical ID as a message shows it: every character [`crate::diagnostics::escape`]
/// escapes, and every other whitespace too, written as `\u{...}`, and at most 40 characters.
fn shown_id(id: &str) -> String {
    let head: String = id.chars().take(40).collect();
    let mut out = crate::diagnostics::escape::escaped_where(&head, |c| {
        crate::diagnostics::escape::is_unsafe(c) || c.is_whitespace()
    })
    .into_owned();
    if id.chars().nth(40).is_some() {
        out.push_str("...");
    }
    out
}
