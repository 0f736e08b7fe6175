//! `graph --all`: the pass-through content of a whole stack (SPEC 4) on the picture.
//!
//! What is drawn, added to the stack's own graph:
//!
//! - each resource of `template: Resources`, in the file's order, a plain box with its Logical
//!   ID and its type without `AWS::` (`SQS::Queue`);
//! - each SAM event of a Function's `properties: Events` (and of a pass-through
//!   `AWS::Serverless::Function`'s `Properties.Events`), as a solid arrow into the Function from
//!   where the event comes from: the resource its source property (`Queue`, `Topic`, `Stream`,
//!   `Bucket`, `RestApiId`, ...) references; SAM's implicit API (`ServerlessRestApi`,
//!   `ServerlessHttpApi`) for an `Api` or `HttpApi` event without one; a box for a source
//!   outside the stack (an ARN, a parameter), one per source written the same way; and a
//!   box of its own, `<Function><Event>` as SAM names what it makes, for an event that has no
//!   source resource (`Schedule`, `EventBridgeRule`, ...);
//! - each pass-through resource a Function's `environment` values or `policies` items reference
//!   (`!Ref Queue`, `!GetAtt Queue.QueueName`, `${Queue}` in `!Sub`, in any depth of
//!   intrinsics), as one dashed arrow from the Function to the resource, labelled with the
//!   variables and policies that name it.
//!
//! Each part of the YAML is visited a bounded number of times, and each lookup by name is a
//! hash map's: the work is linear in the stack's size.

use std::collections::HashMap;

use crate::format::model::{Body, EnvValue, Policy, Stack};
use crate::format::node::{Node as Yaml, Value};

use super::{Edge, EdgeKind, Node, NodeKind};

/// At most this many names in a reference arrow's label; the rest are counted.
const MAX_LABEL_NAMES: usize = 3;

/// The property of a SAM event type that names where its events come from.
const SOURCES: &[(&str, &str)] = &[
    ("SQS", "Queue"),
    ("SNS", "Topic"),
    ("DynamoDB", "Stream"),
    ("Kinesis", "Stream"),
    ("MSK", "Stream"),
    ("MQ", "Broker"),
    ("DocumentDB", "Cluster"),
    ("S3", "Bucket"),
    ("Api", "RestApiId"),
    ("HttpApi", "ApiId"),
    ("CloudWatchLogs", "LogGroupName"),
    ("Cognito", "UserPool"),
];

/// SAM's implicit APIs, by event type: the resource it makes for events that name no API.
const IMPLICIT_APIS: &[(&str, &str)] = &[
    ("Api", "ServerlessRestApi"),
    ("HttpApi", "ServerlessHttpApi"),
];

/// The node indices of the stack's drawn resources, by Logical ID.
pub(super) type Drawn<'s> = HashMap<&'s str, usize>;

/// Adds the pass-through resources to `nodes` (before the destinations: call it before the
/// wires are drawn) and returns their indices by Logical ID.
pub(super) fn resources<'s>(stack: &'s Stack, nodes: &mut Vec<Node>) -> Drawn<'s> {
    let mut drawn = Drawn::new();
    let Some(section) = stack.section("Resources") else {
        return drawn;
    };
    for (id, raw) in &section.entries {
        let rtype = key(&raw.node, "Type").and_then(|t| match (&t.tag, &t.value) {
            (None, Value::Str(s)) => Some(s.clone()),
            _ => None,
        });
        nodes.push(Node {
            id: id.value.clone(),
            kind: NodeKind::PassThrough(rtype),
        });
        drawn.entry(id.value.as_str()).or_insert(nodes.len() - 1);
    }
    drawn
}

/// The value of `name` in a mapping node.
fn key<'n>(node: &'n Yaml, name: &str) -> Option<&'n Yaml> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == name))
        .map(|(_, v)| v)
}

/// The type without `AWS::`, as the box shows it.
pub fn short_type(rtype: &str) -> &str {
    rtype.strip_prefix("AWS::").unwrap_or(rtype)
}

/// The edges (and the nodes they need) the pass-through content states. `stack_nodes` are the
/// stack's own resources, `passthrough` the pass-through ones, by Logical ID.
pub(super) fn edges(
    stack: &Stack,
    stack_nodes: &Drawn<'_>,
    passthrough: &Drawn<'_>,
    nodes: &mut Vec<Node>,
    edges: &mut Vec<Edge>,
) {
    let mut whole = Whole {
        stack_nodes,
        passthrough,
        nodes,
        edges,
        sources: HashMap::new(),
    };
    for r in &stack.resources {
        let (Body::Function(f), Some(&function)) = (&r.body, stack_nodes.get(r.id.value.as_str()))
        else {
            continue;
        };
        if let Some((_, events)) = f.properties.iter().find(|(k, _)| k.value == "Events") {
            whole.events(&r.id.value, function, &events.node);
        }
        let mut references = References::default();
        for (name, value) in &f.environment {
            if let EnvValue::Raw(raw) = value {
                references.collect(&name.value, &raw.node, passthrough);
            }
        }
        for policy in &f.policies {
            if let Policy::Raw(raw) = policy {
                references.collect(&policy_name(&raw.node), &raw.node, passthrough);
            }
        }
        whole.references(function, references);
    }
    // Pass-through SAM functions: their own events, variables and policies.
    let Some(section) = stack.section("Resources") else {
        return;
    };
    for (id, raw) in &section.entries {
        let is_function = matches!(
            key(&raw.node, "Type").map(|t| &t.value),
            Some(Value::Str(t)) if t == "AWS::Serverless::Function"
        );
        let (true, Some(&function), Some(properties)) = (
            is_function,
            passthrough.get(id.value.as_str()),
            key(&raw.node, "Properties"),
        ) else {
            continue;
        };
        if let Some(events) = key(properties, "Events") {
            whole.events(&id.value, function, events);
        }
        let mut references = References::default();
        if let Some(Value::Map(variables)) =
            key(properties, "Environment").and_then(|e| key(e, "Variables").map(|v| &v.value))
        {
            for (name, value) in variables {
                if let Value::Str(name) = &name.value {
                    references.collect(name, value, passthrough);
                }
            }
        }
        if let Some(policies) = key(properties, "Policies") {
            match &policies.value {
                Value::Seq(items) => {
                    for item in items {
                        references.collect(&policy_name(item), item, passthrough);
                    }
                }
                _ => references.collect(&policy_name(policies), policies, passthrough),
            }
        }
        whole.references(function, references);
    }
}

/// What a `policies` item is called on an arrow: a policy template's name, else what it is.
fn policy_name(node: &Yaml) -> String {
    if node.tag.is_some() {
        return "policy".to_owned();
    }
    match &node.value {
        Value::Str(name) => name.clone(),
        Value::Map(entries) => {
            if let [(k, _)] = entries.as_slice()
                && let Value::Str(s) = &k.value
                && s != "Ref"
                && !s.starts_with("Fn::")
            {
                return s.clone();
            }
            if key(node, "Statement").is_some() {
                "inline policy".to_owned()
            } else {
                "policy".to_owned()
            }
        }
        _ => "policy".to_owned(),
    }
}

struct Whole<'a, 's> {
    stack_nodes: &'a Drawn<'s>,
    passthrough: &'a Drawn<'s>,
    nodes: &'a mut Vec<Node>,
    edges: &'a mut Vec<Edge>,
    /// The nodes made for event sources, by what identifies them.
    sources: HashMap<String, usize>,
}

impl Whole<'_, '_> {
    /// The node of a resource of the stack (its own first, as `check` resolves names).
    fn resource(&self, name: &str) -> Option<usize> {
        self.stack_nodes
            .get(name)
            .or_else(|| self.passthrough.get(name))
            .copied()
    }

    fn source_node(&mut self, key: String, make: impl FnOnce() -> Node) -> usize {
        if let Some(&i) = self.sources.get(&key) {
            return i;
        }
        self.nodes.push(make());
        let i = self.nodes.len() - 1;
        self.sources.insert(key, i);
        i
    }

    /// A Function's `Events`: one solid arrow per event, in the file's order.
    fn events(&mut self, function_id: &str, function: usize, events: &Yaml) {
        let Value::Map(entries) = &events.value else {
            return;
        };
        for (name, event) in entries {
            let (Value::Str(name), Some(Value::Str(event_type))) =
                (&name.value, key(event, "Type").map(|t| &t.value))
            else {
                continue;
            };
            let event_type = event_type.as_str();
            let properties = key(event, "Properties");
            let property = |p: &str| properties.and_then(|ps| key(ps, p));
            let source_key = SOURCES
                .iter()
                .find(|(t, _)| *t == event_type)
                .map(|(_, p)| *p);
            let source = source_key.and_then(property);
            let from = match source {
                Some(value) => {
                    let mut names = Vec::new();
                    references(value, &mut |n| names.push(n.to_owned()));
                    match names.iter().find_map(|n| self.resource(n)) {
                        Some(node) => node,
                        None => {
                            let (id, detail) = match (&value.tag, &value.value) {
                                (None, Value::Str(text)) => {
                                    (name_in(text).to_owned(), Some(text.clone()))
                                }
                                _ => (shown(value).0, None),
                            };
                            // One node per source written the same way; one per place for a
                            // source that its box cannot show whole.
                            let key = match shown(value) {
                                (text, true) => format!("{event_type}\u{0}{text}"),
                                (_, false) => format!("\u{0}{}", value.span.offset()),
                            };
                            let kind = NodeKind::EventSource {
                                what: format!("{event_type} source"),
                                detail,
                            };
                            self.source_node(key, || Node { id, kind })
                        }
                    }
                }
                None => match IMPLICIT_APIS.iter().find(|(t, _)| *t == event_type) {
                    Some((_, api)) => self.source_node(format!("{api}\u{0}"), || Node {
                        id: (*api).to_owned(),
                        kind: NodeKind::EventSource {
                            what: format!("{event_type}, made by SAM"),
                            detail: None,
                        },
                    }),
                    None => {
                        let id = format!("{function_id}{name}");
                        let detail = ["Schedule", "ScheduleExpression"]
                            .iter()
                            .find_map(|p| property(p))
                            .and_then(|s| match (&s.tag, &s.value) {
                                (None, Value::Str(s)) => Some(s.clone()),
                                _ => None,
                            });
                        let key = format!("\u{0}{function}\u{0}{name}");
                        let what = event_type.to_owned();
                        self.source_node(key, || Node {
                            id,
                            kind: NodeKind::EventSource { what, detail },
                        })
                    }
                },
            };
            self.edges.push(Edge {
                from,
                to: function,
                kind: EdgeKind::SamEvent(event_label(event_type, &property)),
            });
        }
    }

    /// One dashed arrow per pass-through resource the Function references, in the order of
    /// their first reference.
    fn references(&mut self, function: usize, references: References) {
        for (to, names) in references.targets {
            if to == function {
                continue;
            }
            self.edges.push(Edge {
                from: function,
                to,
                kind: EdgeKind::Reference(reference_label(&names)),
            });
        }
    }
}

/// The names of a Function's values that reference each pass-through resource, in the order of
/// the first reference.
#[derive(Default)]
struct References {
    targets: Vec<(usize, Vec<String>)>,
    at: HashMap<usize, usize>,
}

impl References {
    fn collect(&mut self, name: &str, node: &Yaml, passthrough: &Drawn<'_>) {
        references(node, &mut |target| {
            let Some(&to) = passthrough.get(target) else {
                return;
            };
            let slot = *self.at.entry(to).or_insert_with(|| {
                self.targets.push((to, Vec::new()));
                self.targets.len() - 1
            });
            let names = &mut self.targets[slot].1;
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        });
    }
}

fn reference_label(names: &[String]) -> String {
    let shown: Vec<&str> = names
        .iter()
        .take(MAX_LABEL_NAMES)
        .map(String::as_str)
        .collect();
    let mut label = shown.join(", ");
    if names.len() > MAX_LABEL_NAMES {
        label.push_str(&format!(", +{} more", names.len() - MAX_LABEL_NAMES));
    }
    label
}

/// A SAM event's arrow: its type, and what it says of the batches or requests when written
/// plainly (`SQS, batch 10`, `Api POST /orders`).
fn event_label<'n>(event_type: &str, property: &dyn Fn(&str) -> Option<&'n Yaml>) -> String {
    let plain = |p: &str| {
        property(p).and_then(|v| match (&v.tag, &v.value) {
            (None, Value::Str(s)) => Some(s.clone()),
            (None, Value::Int(i)) => Some(i.to_string()),
            _ => None,
        })
    };
    let mut label = event_type.to_owned();
    if matches!(event_type, "Api" | "HttpApi") {
        if let Some(method) = plain("Method") {
            label.push(' ');
            label.push_str(&method.to_ascii_uppercase());
        }
        if let Some(path) = plain("Path") {
            label.push(' ');
            label.push_str(&path);
        }
        return label;
    }
    if let Some(batch) = plain("BatchSize") {
        label.push_str(&format!(", batch {batch}"));
    }
    if let Some(position) = plain("StartingPosition") {
        label.push_str(&format!(", {position}"));
    }
    label
}

/// The name in an ARN (`arn:aws:sqs:...:orders` -> `orders`), or the text.
fn name_in(text: &str) -> &str {
    let last = text.rsplit(':').next().unwrap_or(text);
    match last.rsplit('/').next() {
        Some(name) if !name.is_empty() => name,
        _ => last,
    }
}

/// An intrinsic written out short, for a box (`!Ref QueueArn`, `!ImportValue name`), and
/// whether that is all of it (`!Select` with nested functions is not).
fn shown(node: &Yaml) -> (String, bool) {
    let (tag, arg) = match (&node.tag, &node.value) {
        (Some(tag), value) => (tag.to_string(), value),
        (None, Value::Map(entries)) if entries.len() == 1 => match &entries[0].0.value {
            Value::Str(k) if k == "Ref" => ("!Ref".to_owned(), &entries[0].1.value),
            Value::Str(k) if k.starts_with("Fn::") => (
                format!("!{}", k.trim_start_matches("Fn::")),
                &entries[0].1.value,
            ),
            _ => return ("a value".to_owned(), false),
        },
        (None, Value::Str(s)) => return (s.clone(), true),
        _ => return ("a value".to_owned(), false),
    };
    match arg {
        Value::Str(s) => (format!("{tag} {s}"), true),
        Value::Seq(items) if tag == "!GetAtt" => {
            let parts: Vec<&str> = items
                .iter()
                .map_while(|i| match (&i.tag, &i.value) {
                    (None, Value::Str(s)) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            if parts.len() == items.len() && !parts.is_empty() {
                (format!("{tag} {}", parts.join(".")), true)
            } else {
                (tag, false)
            }
        }
        _ => (tag, false),
    }
}

/// Calls `found` with each resource name `node` references: `!Ref`/`Ref`, `!GetAtt`/
/// `Fn::GetAtt` (both forms) and `${Name}`, `${Name.Attribute}` in `!Sub`/`Fn::Sub` (not the
/// names its own variables give, `${!Literal}` or pseudo parameters), at any depth.
pub fn references<'n>(node: &'n Yaml, found: &mut dyn FnMut(&'n str)) {
    let (function, arg): (&str, &'n Yaml) = match (&node.tag, &node.value) {
        (Some(tag), _) => {
            let function = tag.trim_start_matches('!');
            return tagged(function, node, found);
        }
        (None, Value::Map(entries)) if entries.len() == 1 => {
            let (k, v) = &entries[0];
            match &k.value {
                Value::Str(s) if s == "Ref" => ("Ref", v),
                Value::Str(s) => match s.strip_prefix("Fn::") {
                    Some(function) => (function, v),
                    None => return children(node, found),
                },
                _ => return children(node, found),
            }
        }
        _ => return children(node, found),
    };
    apply(function, arg, found);
}

/// A long-form function's argument: itself a function when tagged, else read as the value of
/// the function named.
fn apply<'n>(function: &str, arg: &'n Yaml, found: &mut dyn FnMut(&'n str)) {
    if arg.tag.is_some() {
        return references(arg, found);
    }
    tagged(function, arg, found);
}

/// `function` applied to `arg`'s value (for a tagged node, the node itself: its tag names the
/// function).
fn tagged<'n>(function: &str, arg: &'n Yaml, found: &mut dyn FnMut(&'n str)) {
    match (function, &arg.value) {
        ("Ref", Value::Str(name)) => found(name),
        ("GetAtt", Value::Str(text)) => found(text.split_once('.').map_or(text, |(r, _)| r)),
        ("GetAtt", Value::Seq(items)) => get_att_items(items, found),
        ("Sub", Value::Str(text)) => sub(text, &[], found),
        ("Sub", Value::Seq(items)) => sub_items(items, found),
        _ => children(arg, found),
    }
}

fn get_att_items<'n>(items: &'n [Yaml], found: &mut dyn FnMut(&'n str)) {
    if let Some(first) = items.first()
        && first.tag.is_none()
        && let Value::Str(resource) = &first.value
    {
        found(resource);
    }
    items.iter().skip(1).for_each(|i| references(i, found));
}

fn sub_items<'n>(items: &'n [Yaml], found: &mut dyn FnMut(&'n str)) {
    let mut variables: Vec<&str> = Vec::new();
    if let Some(map) = items.get(1) {
        if let Value::Map(entries) = &map.value {
            for (k, v) in entries {
                if let Value::Str(k) = &k.value {
                    variables.push(k);
                }
                references(v, found);
            }
        } else {
            references(map, found);
        }
    }
    match items.first() {
        Some(Yaml {
            tag: None,
            value: Value::Str(text),
            ..
        }) => sub(text, &variables, found),
        Some(other) => references(other, found),
        None => {}
    }
}

/// The `${...}` of a `!Sub` text.
fn sub<'n>(text: &'n str, variables: &[&str], found: &mut dyn FnMut(&'n str)) {
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        rest = &after[end + 1..];
        let name = inner.trim();
        if inner.starts_with('!') || name.starts_with("AWS::") || variables.contains(&name) {
            continue;
        }
        found(name.split_once('.').map_or(name, |(r, _)| r));
    }
}

fn children<'n>(node: &'n Yaml, found: &mut dyn FnMut(&'n str)) {
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|i| references(i, found)),
        Value::Map(entries) => entries.iter().for_each(|(_, v)| references(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::{Graph, Line, build};

    fn drawn(yaml: &str, all: bool) -> Graph {
        let options = crate::Options::environment(None);
        let (compiled, graph) =
            crate::pipeline::compile_then(yaml.as_bytes(), &options, |plan| build(plan, all));
        assert!(compiled.template.is_some(), "{:?}", compiled.problems);
        graph.expect("a stack without errors is drawn")
    }

    /// Each edge as `from -> to: label (line)`, by the nodes' IDs.
    fn edges(graph: &Graph) -> Vec<String> {
        graph
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{} -> {}: {} ({:?})",
                    graph.nodes[e.from].id,
                    graph.nodes[e.to].id,
                    e.kind.label(),
                    e.kind.line()
                )
            })
            .collect()
    }

    const WHOLE: &str = "resources:
  Orders: {type: Stream}
  Worker:
    type: Function
    runtime: nodejs22.x
    handler: index.handler
    environment:
      QUEUE_URL: !Sub 'https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${Queue.QueueName}'
      OTHER: !Sub ['${Q}-${!Literal}', {Q: !Ref Other}]
      PLAIN: text
      PICKED: !If [Always, !Ref Queue, !Ref 'AWS::NoValue']
      TABLE: {Ref: Table}
    policies:
      - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
      - DynamoDBCrudPolicy: {TableName: !Ref Table}
      - AWSXrayWriteOnlyAccess
    properties:
      Events:
        FromQueue: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn, BatchSize: 10}}
        FromTopic: {Type: SNS, Properties: {Topic: !Ref Topic}}
        FromTable:
          Type: DynamoDB
          Properties: {Stream: !GetAtt [Table, StreamArn], StartingPosition: LATEST}
        Outside: {Type: SQS, Properties: {Queue: 'arn:aws:sqs:us-east-1:123456789012:outside'}}
        Imported: {Type: SNS, Properties: {Topic: !ImportValue shared-topic}}
        Get: {Type: Api, Properties: {RestApiId: !Ref MyApi, Path: /items, Method: get}}
        Post: {Type: Api, Properties: {Path: /items, Method: post}}
        Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day)}}
  Reader:
    type: Function
    runtime: nodejs22.x
    handler: index.handler
    properties:
      Events:
        Again: {Type: SQS, Properties: {Queue: 'arn:aws:sqs:us-east-1:123456789012:outside'}}
        Post: {Type: Api, Properties: {Path: /other, Method: post}}
        Nightly: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}
wires:
  - {from: Orders, to: Worker}
template:
  Conditions:
    Always: !Equals [a, a]
  Resources:
    Queue: {Type: AWS::SQS::Queue}
    Other: {Type: AWS::SQS::Queue}
    Topic: {Type: AWS::SNS::Topic}
    Table:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
        KeySchema: [{AttributeName: id, KeyType: HASH}]
        StreamSpecification: {StreamViewType: NEW_IMAGE}
    MyApi: {Type: AWS::Serverless::Api, Properties: {StageName: prod}}
    Lonely: {Type: AWS::S3::Bucket}
    Helper:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.13
        Handler: h.handler
        CodeUri: src/Helper
        Environment: {Variables: {TOPIC: !Ref Topic, SELF: !Ref Helper}}
        Policies: [{SNSPublishMessagePolicy: {TopicName: !GetAtt Topic.TopicName}}]
        Events:
          FromQueue: {Type: SQS, Properties: {Queue: !GetAtt Other.Arn}}
";

    #[test]
    fn the_whole_stack_is_drawn_with_all() {
        let graph = drawn(WHOLE, true);
        let nodes: Vec<String> = graph.nodes.iter().map(|n| n.lines().join(" | ")).collect();
        assert_eq!(
            nodes,
            [
                "Orders | Stream",
                "Worker | Function",
                "Reader | Function",
                "Queue | SQS::Queue",
                "Other | SQS::Queue",
                "Topic | SNS::Topic",
                "Table | DynamoDB::Table",
                "MyApi | Serverless::Api",
                "Lonely | S3::Bucket",
                "Helper | Serverless::Function",
                "outside | SQS source | arn:aws:sqs:us-east-1:123456789012:outside",
                "!ImportValue shared-topic | SNS source",
                "ServerlessRestApi | Api, made by SAM",
                "WorkerNightly | Schedule | rate(1 day)",
                "ReaderNightly | Schedule | rate(1 hour)",
            ]
        );
        assert_eq!(
            edges(&graph),
            [
                "Orders -> Worker: batch 1, TRIM_HORIZON (Solid)",
                "Queue -> Worker: SQS, batch 10 (Solid)",
                "Topic -> Worker: SNS (Solid)",
                "Table -> Worker: DynamoDB, LATEST (Solid)",
                "outside -> Worker: SQS (Solid)",
                "!ImportValue shared-topic -> Worker: SNS (Solid)",
                "MyApi -> Worker: Api GET /items (Solid)",
                "ServerlessRestApi -> Worker: Api POST /items (Solid)",
                "WorkerNightly -> Worker: Schedule (Solid)",
                "Worker -> Queue: QUEUE_URL, PICKED, SQSSendMessagePolicy (Dashed)",
                "Worker -> Other: OTHER (Dashed)",
                "Worker -> Table: TABLE, DynamoDBCrudPolicy (Dashed)",
                "outside -> Reader: SQS (Solid)",
                "ServerlessRestApi -> Reader: Api POST /other (Solid)",
                "ReaderNightly -> Reader: Schedule (Solid)",
                "Other -> Helper: SQS (Solid)",
                "Helper -> Topic: TOPIC, SNSPublishMessagePolicy (Dashed)",
            ]
        );
        assert_eq!(drawn(WHOLE, true), graph, "deterministic");
        assert!(
            graph
                .edges
                .iter()
                .all(|e| e.kind.line() != Line::Thick && e.from != e.to)
        );
    }

    #[test]
    fn without_all_only_what_a_function_references_is_drawn() {
        let graph = drawn(WHOLE, false);
        let ids: Vec<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
        // Not `Lonely` (nothing names it), not the pass-through `Helper` function, not the
        // schedules, the implicit API or the sources outside the stack.
        assert_eq!(
            ids,
            [
                "Orders", "Worker", "Reader", "Queue", "Other", "Topic", "Table", "MyApi"
            ]
        );
        assert_eq!(
            edges(&graph),
            [
                "Orders -> Worker: batch 1, TRIM_HORIZON (Solid)",
                "Queue -> Worker: SQS, batch 10 (Solid)",
                "Topic -> Worker: SNS (Solid)",
                "Table -> Worker: DynamoDB, LATEST (Solid)",
                "MyApi -> Worker: Api GET /items (Solid)",
                "Worker -> Queue: QUEUE_URL, PICKED, SQSSendMessagePolicy (Dashed)",
                "Worker -> Other: OTHER (Dashed)",
                "Worker -> Table: TABLE, DynamoDBCrudPolicy (Dashed)",
            ]
        );
        // A stack without pass-through content draws as it always did.
        let plain = "resources:\n  S: {type: Stream}\n  F: {type: Function, runtime: nodejs22.x, handler: i.h}\nwires:\n  - {from: S, to: F}\n";
        assert_eq!(drawn(plain, false), drawn(plain, true));
    }

    #[test]
    fn sources_outside_the_stack_are_one_node_each() {
        let graph = drawn(
            "resources:
  F:
    type: Function
    runtime: nodejs22.x
    handler: index.handler
    properties:
      Events:
        A: {Type: SQS, Properties: {Queue: !Select [0, !Split [',', !ImportValue queues]]}}
        B: {Type: SQS, Properties: {Queue: !Select [1, !Split [',', !ImportValue queues]]}}
        C: {Type: SQS, Properties: {Queue: !Ref QueueArn}}
        D: {Type: SQS, Properties: {Queue: {Ref: QueueArn}}}
        E: {Type: SNS, Properties: {Topic: !Ref QueueArn}}
template:
  Parameters:
    QueueArn: {Type: String}
",
            true,
        );
        let nodes: Vec<String> = graph.nodes.iter().map(|n| n.lines().join(" | ")).collect();
        assert_eq!(
            nodes,
            [
                "F | Function",
                "!Select | SQS source",
                "!Select | SQS source",
                "!Ref QueueArn | SQS source",
                "!Ref QueueArn | SNS source",
            ]
        );
        assert_eq!(graph.edges.len(), 5);
    }

    #[test]
    fn a_long_reference_label_is_counted() {
        let names: Vec<String> = ["A", "B", "C", "D", "E"].map(str::to_owned).to_vec();
        assert_eq!(super::reference_label(&names), "A, B, C, +2 more");
        assert_eq!(super::reference_label(&names[..3]), "A, B, C");
    }

    #[test]
    fn references_are_found_in_every_form() {
        let yaml = "[!Ref A, {Ref: B}, !GetAtt C.Arn, {'Fn::GetAtt': [D, Arn]}, !Sub '${E}${F.Arn}${!G}${AWS::Region}', {'Fn::Sub': ['${H}${V}', {V: !Ref I}]}, !Join ['', [!Ref J]], {Ref: !Ref K}]";
        let node: crate::format::node::Node =
            serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}"));
        let mut found = Vec::new();
        super::references(&node, &mut |n| found.push(n.to_owned()));
        assert_eq!(found, ["A", "B", "C", "D", "E", "F", "I", "H", "J", "K"]);
    }
}
