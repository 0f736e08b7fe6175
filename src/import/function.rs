//! A Stackery Function: its keys, its Kinesis events as event wires, and its pairs of Kinesis
//! policies and `STREAM_NAME`/`STREAM_ARN` variables as discovery wires.

use std::collections::HashSet;

use super::Change;
use super::read::{boolean, entries, get, get_att, int, is_intrinsic, text};
use super::shapes::{Ctx, Kind};
use crate::diagnostics::Problem;
use crate::format::node::{Node, Value as V};
use crate::runtime::{self, Status};
use crate::template::{Map, Value};

/// A discovery wire found on a function.
struct Discovery<'a> {
    stream: &'a str,
    name_var: String,
    arn_var: String,
    crud: bool,
    read: bool,
}

/// What [`Ctx::discoveries`] finds: the wires, the variables they use, where each policy item
/// goes, and the streams a function reaches through one policy template alone (with the access
/// a wire would need, and where).
type Found<'a> = (
    Vec<Discovery<'a>>,
    Vec<&'a str>,
    Vec<Slot<'a>>,
    Vec<(&'a str, &'static str, miette::SourceSpan)>,
);

/// A policy item, as stackwire would place it.
#[derive(Debug, Clone, PartialEq)]
enum Slot<'a> {
    Own(usize),
    Wire(&'a str, bool),
}

impl<'a> Ctx<'a> {
    /// A Function's keys and its wires; or why stackwire cannot write it exactly.
    pub(super) fn function(&mut self, id: &'a str) -> Result<(Map, Vec<Value>), String> {
        let Some(r) = self.resource(id) else {
            return Err("it is not in the template".to_owned());
        };
        let (node, key_span) = (r.node, r.key.span);
        let props = r.props.ok_or("it has no `Properties`")?;
        if !super::read::is_map(props) {
            return Err("its `Properties` is not a mapping".to_owned());
        }
        for (name, _) in entries(node) {
            if !matches!(name, "Type" | "Properties" | "Metadata") {
                return Err(format!("stackwire does not write `{name}` on a function"));
            }
        }
        let mut notes: Vec<(Problem, Vec<Change>)> = Vec::new();
        if let Some(meta) = get(node, "Metadata") {
            notes.push(super::shapes::metadata_note(id, meta));
        }
        let p = |k: &str| get(props, k);
        let mut keys = Map::new();
        keys.insert("type".into(), Value::str("Function"));
        if let Some(n) = p("FunctionName") {
            keys.insert(
                "name".into(),
                self.name_value(n, b"_-", crate::limits::MAX_FUNCTION_NAME)?,
            );
        }
        if let Some(d) = p("Description") {
            if let Some(t) = text(d) {
                keys.insert("description".into(), Value::str(t.to_owned()));
            } else if is_intrinsic(d) {
                keys.insert("description".into(), self.value(d));
            } else {
                return Err("its `Description` is not text".to_owned());
            }
        }
        let runtime_node = p("Runtime").ok_or("it has no `Runtime` of its own")?;
        let written = text(runtime_node).ok_or("its `Runtime` is not text")?;
        let known = runtime::find(written)
            .ok_or_else(|| format!("`{written}` is not a runtime stackwire knows"))?;
        let runtime_id = match known.status {
            Status::Retired { since } => {
                let successor = known
                    .successor
                    .ok_or_else(|| format!("`{written}` is retired and has no successor"))?;
                let lifecycle = crate::aws::runtimes::LAMBDA_RUNTIMES
                    .iter()
                    .find(|l| l.id == written);
                let update_block = lifecycle.and_then(|l| l.update_block);
                let updates = match update_block {
                    Some(day) if day <= runtime::AS_OF => format!(
                        "since {day} Lambda refuses to update a function that runs it, so the deployed function cannot be changed until its runtime is"
                    ),
                    Some(day) => format!(
                        "Lambda still updates a function that runs it until {day}, but creates none"
                    ),
                    None => "Lambda no longer creates functions with it".to_owned(),
                };
                notes.push((
                    Problem::ImportRetiredRuntime {
                        function: id.to_owned(),
                        runtime: known.id,
                        successor,
                        since,
                        updates,
                        span: runtime_node.span,
                    },
                    vec![Change::property(id, "Runtime")],
                ));
                successor
            }
            _ => known.id,
        };
        let handler = p("Handler").and_then(text).filter(|h| !h.is_empty());
        let handler = handler.ok_or("it has no `Handler` of its own")?;
        keys.insert("runtime".into(), Value::str(runtime_id));
        keys.insert("handler".into(), Value::str(handler.to_owned()));
        match p("CodeUri") {
            Some(c) if text(c) == Some(format!("src/{id}").as_str()) => {}
            Some(c) if text(c).is_some_and(|t| !t.is_empty()) => {
                keys.insert("source".into(), self.value(c));
            }
            Some(c) if matches!(&c.value, V::Map(_)) && c.tag.is_none() => {
                keys.insert("source".into(), self.value(c));
            }
            _ => return Err("it has no `CodeUri` of its own".to_owned()),
        }
        if let Some(m) = p("MemorySize") {
            keys.insert("memory".into(), self.number(m, "MemorySize")?);
        }
        if let Some(t) = p("Timeout") {
            keys.insert("timeout".into(), self.number(t, "Timeout")?);
        }
        if let Some(a) = p("Architectures") {
            match &a.value {
                V::Seq(items) if a.tag.is_none() && items.len() == 1 => {
                    let arch = text(&items[0]).filter(|t| matches!(*t, "x86_64" | "arm64"));
                    let arch = arch.ok_or("its `Architectures` is not `x86_64` or `arm64`")?;
                    keys.insert("architecture".into(), Value::str(arch.to_owned()));
                }
                _ => return Err("its `Architectures` is not one architecture".to_owned()),
            }
        }
        if let Some(t) = p("Tracing") {
            if text(t) != Some("Active") {
                return Err("its `Tracing` is not `Active`".to_owned());
            }
            keys.insert("tracing".into(), Value::Bool(true));
        }

        // Environment variables and policies: the discovery wires, then what is the function's own.
        let vars: Vec<(&str, &Node)> = match p("Environment") {
            None => Vec::new(),
            Some(e) => {
                let only_variables = entries(e).len() == 1 && e.tag.is_none();
                let v = get(e, "Variables").filter(|_| only_variables);
                let v = v.ok_or("its `Environment` holds more than `Variables`")?;
                if v.tag.is_some() || !matches!(v.value, V::Map(_)) {
                    return Err("its `Environment.Variables` is not a mapping".to_owned());
                }
                entries(v)
            }
        };
        for (name, v) in &vars {
            if text(v).is_none() && !is_intrinsic(v) {
                return Err(format!("its variable `{name}` is not text"));
            }
        }
        let policies: Vec<&Node> = match p("Policies") {
            None => Vec::new(),
            Some(node) if text(node).is_some() => vec![node],
            Some(node) => match &node.value {
                V::Seq(items) if node.tag.is_none() => items.iter().collect(),
                _ => return Err("its `Policies` is not a list".to_owned()),
            },
        };
        let (discoveries, wire_vars, slots, unmodelled) = self.discoveries(&vars, &policies);
        for (stream, access, span) in unmodelled {
            self.could_model(
                format!("the access of `{id}` to `{stream}` is kept as the function's own variables and policy"),
                span,
                Some(format!("a wire with `access: {access}` would give the same variables, with stackwire's least-privilege policy in place of SAM's policy template: a change to the role")),
            );
        }

        let own_vars: Vec<&(&str, &Node)> = vars
            .iter()
            .filter(|(n, _)| !wire_vars.contains(n))
            .collect();
        if !own_vars.is_empty() {
            let mut env = Map::new();
            for (name, v) in own_vars {
                env.insert((*name).to_owned().into(), self.value(v));
            }
            keys.insert("environment".into(), Value::Map(env));
        }
        let own: Vec<Value> = slots
            .iter()
            .filter_map(|s| match s {
                Slot::Own(i) => Some(self.value(policies[*i])),
                Slot::Wire(..) => None,
            })
            .collect();
        // The order stackwire writes: each wire's policies (Crud, then Read) in wire order, and
        // the function's own after them, or before them with `policiesFirst`.
        let mut wired = Vec::new();
        for d in &discoveries {
            if d.crud {
                wired.push(Slot::Wire(d.stream, true));
            }
            if d.read {
                wired.push(Slot::Wire(d.stream, false));
            }
        }
        let owns: Vec<Slot> = (0..policies.len())
            .filter(|i| slots.contains(&Slot::Own(*i)))
            .map(Slot::Own)
            .collect();
        let after: Vec<Slot> = wired.iter().cloned().chain(owns.iter().cloned()).collect();
        let before: Vec<Slot> = owns.iter().cloned().chain(wired.iter().cloned()).collect();
        let first = !owns.is_empty() && !wired.is_empty() && slots != after;
        if !own.is_empty() {
            keys.insert("policies".into(), Value::Seq(own));
        }
        if first {
            keys.insert("policiesFirst".into(), Value::Bool(true));
        }
        if slots != after && slots != before {
            notes.push((
                Problem::ImportChanged {
                    what: format!("the policies of `{id}` are reordered: the Kinesis policies of its wires come together"),
                    span: p("Policies").map_or(key_span, |n| n.span),
                    help: Some("SAM names inline policies by their place in the list; the role's policies are the same, some under other names".to_owned()),
                },
                vec![
                    Change::property(&format!("{id}Role"), "Policies"),
                    Change::property(&format!("{id}Role"), "ManagedPolicyArns"),
                ],
            ));
        }

        // Events: Kinesis events from streams of the stack are wires; the rest pass through.
        let mut wires = Vec::new();
        let mut other_events = Map::new();
        let mut subscribed = HashSet::new();
        if let Some(events) = p("Events") {
            if events.tag.is_some() || !matches!(events.value, V::Map(_)) {
                return Err("its `Events` is not a mapping".to_owned());
            }
            for (name, e) in entries(events) {
                match self.event_wire(id, name, e, &subscribed) {
                    Ok((stream, wire, mut more)) => {
                        subscribed.insert(stream);
                        wires.push(wire);
                        notes.append(&mut more);
                    }
                    Err(why) => {
                        if let Some(why) = why {
                            self.could_model(
                                format!("the Kinesis event `{name}` of `{id}` is kept as it is in `properties:`: {why}"),
                                e.span,
                                None,
                            );
                        }
                        other_events.insert(name.to_owned().into(), self.value(e));
                    }
                }
            }
        }
        let mut properties = Map::new();
        for (name, v) in entries(props) {
            let owned = crate::format::resources::function::OWNED
                .iter()
                .any(|(k, _)| *k == name);
            if owned {
                continue;
            }
            if name == "Events" {
                if !other_events.is_empty() {
                    properties.insert(
                        "Events".into(),
                        Value::Map(std::mem::take(&mut other_events)),
                    );
                }
                continue;
            }
            properties.insert(name.to_owned().into(), self.value(v));
        }
        if !properties.is_empty() {
            keys.insert("properties".into(), Value::Map(properties));
        }

        // The discovery wires, with `access` and `env` when they are not the defaults.
        let mut taken: HashSet<String> = vars
            .iter()
            .filter(|(n, _)| !wire_vars.contains(n))
            .map(|(n, _)| (*n).to_owned())
            .collect();
        for d in &discoveries {
            let suffixed = |base: &str, n: usize| {
                if n == 1 {
                    base.to_owned()
                } else {
                    format!("{base}_{n}")
                }
            };
            let n = (1..=taken.len() + 2)
                .find(|n| {
                    !taken.contains(&suffixed("STREAM_NAME", *n))
                        && !taken.contains(&suffixed("STREAM_ARN", *n))
                })
                .unwrap_or(1);
            let defaults = (suffixed("STREAM_NAME", n), suffixed("STREAM_ARN", n));
            let mut wire = Map::new();
            wire.insert("from".into(), Value::str(id.to_owned()));
            wire.insert("to".into(), Value::str(d.stream.to_owned()));
            let access = match (d.crud, d.read) {
                (true, true) => None,
                (true, false) => Some("write"),
                _ => Some("read"),
            };
            if let Some(a) = access {
                wire.insert("access".into(), Value::str(a));
            }
            if (d.name_var.clone(), d.arn_var.clone()) != defaults {
                wire.insert(
                    "env".into(),
                    Value::map([
                        ("name", Value::str(&d.name_var)),
                        ("arn", Value::str(&d.arn_var)),
                    ]),
                );
            }
            taken.insert(d.name_var.clone());
            taken.insert(d.arn_var.clone());
            wires.push(Value::Map(wire));
            if self.stackery_existing(d.stream) {
                self.changes.push(Change::property(id, "Environment"));
                self.changes
                    .push(Change::property(&format!("{id}Role"), "Policies"));
            }
            if let Some(key) = self.customer_key(d.stream) {
                notes.push((
                    Problem::ImportChanged {
                        what: format!("`{id}` is given what KMS needs for the stream `{}`, encrypted with `{key}`", d.stream),
                        span: key_span,
                        help: Some("stackwire grants `kms:Decrypt` or `kms:GenerateDataKey` on a stream's own key to every wired function".to_owned()),
                    },
                    vec![Change::property(&format!("{id}Role"), "Policies")],
                ));
            }
        }
        for (problem, changes) in notes {
            self.problems.push(problem);
            self.changes.extend(changes);
        }
        Ok((keys, wires))
    }

    /// The discovery wires of a function: each pair of variables reading one stream's name and
    /// ARN, with the Kinesis policies on that stream; the variables they use; and where each
    /// policy item goes.
    fn discoveries(&self, vars: &[(&'a str, &'a Node)], policies: &[&'a Node]) -> Found<'a> {
        let mut unmodelled = Vec::new();
        let mut slots: Vec<Slot<'a>> = (0..policies.len()).map(Slot::Own).collect();
        let mut used = Vec::new();
        let mut out = Vec::new();
        for (i, (name_var, v)) in vars.iter().enumerate() {
            let Some((stream, Kind::Name)) = self.stream_ref(v) else {
                continue;
            };
            if out.iter().any(|d: &Discovery| d.stream == stream) || used.contains(name_var) {
                continue;
            }
            let arn = vars.iter().enumerate().find(|(j, (n, v))| {
                *j != i && !used.contains(n) && self.stream_ref(v) == Some((stream, Kind::Arn))
            });
            let Some((_, (arn_var, _))) = arn else {
                continue;
            };
            let at = |template: &str| {
                policies.iter().enumerate().position(|(k, item)| {
                    matches!(slots[k], Slot::Own(_))
                        && item.tag.is_none()
                        && entries(item).len() == 1
                        && get(item, template)
                            .filter(|args| entries(args).len() == 1)
                            .and_then(|args| get(args, "StreamName"))
                            .is_some_and(|s| self.stream_ref(s) == Some((stream, Kind::Name)))
                })
            };
            let (crud, read) = (at("KinesisCrudPolicy"), at("KinesisStreamReadPolicy"));
            let (Some(crud), Some(read)) = (crud, read) else {
                // One of SAM's two templates alone: a wire with `access` would write a
                // least-privilege policy instead, so the variables and the policy stay the
                // function's own, exactly as written.
                if crud.is_some() || read.is_some() {
                    let access = if crud.is_some() { "write" } else { "read" };
                    unmodelled.push((stream, access, v.span));
                }
                continue;
            };
            slots[crud] = Slot::Wire(stream, true);
            slots[read] = Slot::Wire(stream, false);
            let (crud, read) = (true, true);
            used.push(name_var);
            used.push(arn_var);
            out.push(Discovery {
                stream,
                name_var: (*name_var).to_owned(),
                arn_var: (*arn_var).to_owned(),
                crud,
                read,
            });
        }
        (out, used, slots, unmodelled)
    }

    /// A Kinesis event from a stream of the stack as an event wire; `Err(Some(why))` for a
    /// Kinesis event left as it is, `Err(None)` for any other event.
    #[allow(clippy::type_complexity)]
    fn event_wire(
        &mut self,
        function: &str,
        name: &str,
        e: &'a Node,
        subscribed: &HashSet<&'a str>,
    ) -> Result<(&'a str, Value, Vec<(Problem, Vec<Change>)>), Option<String>> {
        if get(e, "Type").and_then(text) != Some("Kinesis") {
            return Err(None);
        }
        let props =
            get(e, "Properties").ok_or_else(|| Some("it has no `Properties`".to_owned()))?;
        if entries(e).len() != 2 || e.tag.is_some() {
            return Err(Some(
                "it has keys beside `Type` and `Properties`".to_owned(),
            ));
        }
        let source = get(props, "Stream").ok_or_else(|| Some("it has no `Stream`".to_owned()))?;
        let mut fan_out = None;
        let stream = match self.stream_ref(source) {
            Some((s, Kind::Arn)) => s,
            _ => match self.consumer(function, source) {
                Some((s, consumer)) => {
                    fan_out = Some(consumer);
                    s
                }
                None => {
                    let literal =
                        text(source).is_some_and(|t| crate::arn::kinesis_stream_name(t).is_some());
                    return Err(Some(if literal {
                        "it reads a stream by ARN: a Stream with `existing: <ARN>` and a wire with `event:` would write it the same".to_owned()
                    } else {
                        "it does not read a stream of the stack".to_owned()
                    }));
                }
            },
        };
        if subscribed.contains(stream) {
            return Err(Some(format!(
                "`{function}` already has an event wire from `{stream}`, and Lambda takes one mapping per function and stream"
            )));
        }
        let mapping = format!("{function}{name}");
        let mut notes = Vec::new();
        let mut wire = Map::new();
        wire.insert("from".into(), Value::str(stream.to_owned()));
        wire.insert("to".into(), Value::str(function.to_owned()));
        if name != stream {
            wire.insert("event".into(), Value::str(name.to_owned()));
        }
        if fan_out.is_some() {
            wire.insert("fanOut".into(), Value::Bool(true));
        }
        let bad = |k: &str| Some(format!("its `{k}` is not a value stackwire writes"));
        let number = |k: &str, v: &Node| int(v).map(Value::int).ok_or_else(|| bad(k));
        let mut knobs: Vec<(&str, Value)> = Vec::new();
        let mut extra = Map::new();
        let mut batch = None;
        let mut position = None;
        for (k, v) in entries(props) {
            match k {
                "Stream" => {}
                "BatchSize" => batch = Some(number(k, v)?),
                "StartingPosition" => {
                    let p = text(v)
                        .filter(|p| matches!(*p, "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP"));
                    position = Some(p.ok_or_else(|| bad(k))?);
                }
                "StartingPositionTimestamp" => {
                    knobs.push(("startingPositionTimestamp", number(k, v)?))
                }
                "MaximumBatchingWindowInSeconds" => knobs.push(("batchWindow", number(k, v)?)),
                "ParallelizationFactor" => knobs.push(("parallelization", number(k, v)?)),
                "MaximumRetryAttempts" => knobs.push(("retries", number(k, v)?)),
                "MaximumRecordAgeInSeconds" => knobs.push(("maxRecordAge", number(k, v)?)),
                "BisectBatchOnFunctionError" => {
                    knobs.push((
                        "bisectOnError",
                        Value::Bool(boolean(v).ok_or_else(|| bad(k))?),
                    ));
                }
                "TumblingWindowInSeconds" => knobs.push(("tumblingWindow", number(k, v)?)),
                "FunctionResponseTypes" => match &v.value {
                    V::Seq(items)
                        if v.tag.is_none()
                            && items.len() == 1
                            && text(&items[0]) == Some("ReportBatchItemFailures") =>
                    {
                        knobs.push(("reportBatchItemFailures", Value::Bool(true)));
                    }
                    _ => return Err(bad(k)),
                },
                "DestinationConfig" => {
                    let d = get(v, "OnFailure")
                        .and_then(|o| get(o, "Destination"))
                        .and_then(text);
                    let d =
                        d.filter(|d| crate::arn::destination(d).is_some() && entries(v).len() == 1);
                    let d = d.ok_or_else(|| bad(k))?;
                    knobs.push(("onFailure", Value::str(d.to_owned())));
                    notes.push((
                        Problem::ImportChanged {
                            what: format!("`{function}` is given the permission to send to its on-failure destination `{d}`"),
                            span: v.span,
                            help: Some("stackwire grants what an `onFailure` destination needs; SAM does not".to_owned()),
                        },
                        vec![Change::property(&format!("{function}Role"), "Policies")],
                    ));
                }
                "FilterCriteria" => {
                    let (filters, same) = self.filters(v).ok_or_else(|| bad(k))?;
                    knobs.push(("filters", filters));
                    if !same {
                        notes.push((
                            Problem::ImportChanged {
                                what: format!("the filter patterns of `{function}`'s event `{name}` are written as compact JSON"),
                                span: v.span,
                                help: Some("the patterns are the same; only their spacing changes".to_owned()),
                            },
                            vec![Change::property(&mapping, "FilterCriteria")],
                        ));
                    }
                }
                "Enabled" => {
                    knobs.push(("enabled", Value::Bool(boolean(v).ok_or_else(|| bad(k))?)))
                }
                other => {
                    extra.insert(other.to_owned().into(), self.value(v));
                }
            }
        }
        match batch {
            Some(Value::Int(1)) => {}
            Some(b) => {
                wire.insert("batchSize".into(), b);
            }
            None => {
                wire.insert("batchSize".into(), Value::Int(100));
                notes.push((
                    Problem::ImportChanged {
                        what: format!("the event `{name}` of `{function}` has no `BatchSize`; stackwire writes Lambda's default, `BatchSize: 100`"),
                        span: props.span,
                        help: Some("the same batch size, now written out (stackwire's own default is 1)".to_owned()),
                    },
                    vec![Change::property(&mapping, "BatchSize")],
                ));
            }
        }
        match position {
            Some("TRIM_HORIZON") => {}
            Some(p) => {
                wire.insert("startingPosition".into(), Value::str(p.to_owned()));
            }
            None => {
                notes.push((
                    Problem::ImportChanged {
                        what: format!("the event `{name}` of `{function}` has no `StartingPosition`; stackwire writes `TRIM_HORIZON`"),
                        span: props.span,
                        help: Some("a Kinesis mapping needs a starting position; set `startingPosition` if it is not `TRIM_HORIZON`".to_owned()),
                    },
                    vec![Change::property(&mapping, "StartingPosition")],
                ));
            }
        }
        for (k, v) in knobs {
            wire.insert(k.into(), v);
        }
        if !extra.is_empty() {
            wire.insert("properties".into(), Value::Map(extra));
        }
        if let Some(consumer) = fan_out {
            notes.push((
                Problem::ImportChanged {
                    what: format!("`{function}` is given `kinesis:SubscribeToShard` and `kinesis:DescribeStreamConsumer` on `{consumer}`"),
                    span: source.span,
                    help: Some("what reading through an enhanced fan-out consumer needs; stackwire grants it with every `fanOut` wire".to_owned()),
                },
                vec![Change::property(&format!("{function}Role"), "Policies")],
            ));
            self.removed.insert(consumer);
        }
        if self.stackery_existing(stream) {
            self.changes
                .push(Change::property(&mapping, "EventSourceArn"));
        }
        Ok((stream, Value::Map(wire), notes))
    }

    /// A fan-out consumer as stackwire writes it (`<Stream><Function>Consumer`, named
    /// `${AWS::StackName}-<Function>`), read by `source`: its stream and its ID.
    fn consumer(&self, function: &str, source: &Node) -> Option<(&'a str, String)> {
        let (id, attribute) = get_att(source)?;
        if attribute != "ConsumerARN" {
            return None;
        }
        let r = self.resource(&id)?;
        if r.ty != "AWS::Kinesis::StreamConsumer" || entries(r.node).len() != 2 {
            return None;
        }
        let props = r.props?;
        let (stream, Kind::Arn) = self.stream_ref(get(props, "StreamARN")?)? else {
            return None;
        };
        let name = get(props, "ConsumerName").and_then(super::read::sub_text);
        let ours = name == Some(format!("${{AWS::StackName}}-{function}").as_str());
        (ours && entries(props).len() == 2 && id == crate::ids::consumer(stream, function))
            .then_some((stream, id))
    }

    /// `FilterCriteria: {Filters: [{Pattern: '<json>'}]}` as `filters`, and whether stackwire's
    /// JSON text is the text written.
    fn filters(&self, v: &Node) -> Option<(Value, bool)> {
        let list = get(v, "Filters")?;
        let V::Seq(items) = &list.value else {
            return None;
        };
        if entries(v).len() != 1 || list.tag.is_some() {
            return None;
        }
        let mut out = Vec::new();
        let mut same = true;
        for item in items {
            let pattern = get(item, "Pattern").and_then(text)?;
            let json: serde_json::Value = serde_json::from_str(pattern).ok()?;
            if !json.is_object() {
                return None;
            }
            same &= serde_json::to_string(&json).ok()? == pattern;
            out.push(from_json(&json));
        }
        Some((Value::Seq(out), same))
    }

    /// Whether a stream was Stackery's "Use Existing" (its references change text).
    fn stackery_existing(&self, stream: &str) -> bool {
        matches!(
            self.streams.get(stream),
            Some((super::shapes::Form::Arn(_) | super::shapes::Form::Env(_), _))
        )
    }

    /// A stream's customer-managed KMS key, for which stackwire adds grants.
    fn customer_key(&self, stream: &str) -> Option<String> {
        let (form, keys) = self.streams.get(stream)?;
        if !matches!(form, super::shapes::Form::New | super::shapes::Form::Env(_)) {
            return None;
        }
        match keys.get("encryption") {
            Some(Value::Str(k)) if k != "none" && !crate::arn::is_aws_managed_alias(k) => {
                Some(k.to_string())
            }
            _ => None,
        }
    }
}

/// A JSON value as a template value (a filter pattern).
fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Plain(n.to_string()),
        },
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(items) => Value::Seq(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}
