//! What CloudFormation counts of pass-through content once SAM has expanded it (SPEC 4): each
//! pass-through resource, an `AWS::Serverless::Function` with what SAM generates for it, and
//! the events of a Function's `properties.Events`. Where the expansion is not known here, a
//! resource counts as one and the count is a lower bound.

use crate::format::model::{Body, Resource, Stack};
use crate::format::node::{Node, Value};

/// The `(name, Type)` of each event in a stack Function's `properties.Events`.
pub fn passthru_events(r: &Resource) -> impl Iterator<Item = (&str, &str)> {
    let events = match &r.body {
        Body::Function(f) => f
            .properties
            .iter()
            .find(|(k, _)| k.value == "Events")
            .map(|(_, raw)| &raw.node),
        _ => None,
    };
    events.into_iter().flat_map(node_events)
}

fn node_events(events: &Node) -> impl Iterator<Item = (&str, &str)> {
    let entries = match &events.value {
        Value::Map(entries) => entries.as_slice(),
        _ => &[],
    };
    entries.iter().filter_map(|(k, v)| {
        let Value::Str(name) = &k.value else {
            return None;
        };
        let t = match field(v, "Type").map(|t| &t.value) {
            Some(Value::Str(t)) => t.as_str(),
            _ => "",
        };
        Some((name.as_str(), t))
    })
}

fn field<'n>(node: &'n Node, name: &str) -> Option<&'n Node> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == name))
        .map(|(_, v)| v)
}

/// The resources SAM generates for one event of a Function, and whether that is exact.
pub fn event(event_type: &str) -> (usize, bool) {
    match event_type {
        // An event source mapping.
        "Kinesis" | "SQS" | "DynamoDB" | "MSK" | "MQ" | "SelfManagedKafka" | "DocumentDB" => {
            (1, true)
        }
        // A rule and the permission to invoke; a subscription and the permission.
        "Schedule" | "CloudWatchEvent" | "EventBridgeRule" | "SNS" => (2, true),
        // An `Api` event: the permission (the implicit API is counted once, by `implicit_api`).
        "Api" => (1, true),
        _ => (1, false),
    }
}

/// The implicit REST API SAM creates for `Api` events without a `RestApiId` (the API, its
/// deployment and its stage), once per template.
pub fn implicit_api(stack: &Stack) -> usize {
    let implicit = |event: &Node| {
        matches!(field(event, "Type").map(|t| &t.value), Some(Value::Str(t)) if t == "Api")
            && field(event, "Properties")
                .and_then(|p| field(p, "RestApiId"))
                .is_none()
    };
    let stack_events = stack.resources.iter().filter_map(|r| match &r.body {
        Body::Function(f) => f
            .properties
            .iter()
            .find(|(k, _)| k.value == "Events")
            .map(|(_, raw)| &raw.node),
        _ => None,
    });
    let passthru_events = stack
        .section("Resources")
        .into_iter()
        .flat_map(|s| s.entries.iter())
        .filter_map(|(_, raw)| field(&raw.node, "Properties").and_then(|p| field(p, "Events")));
    let any = stack_events
        .chain(passthru_events)
        .any(|events| match &events.value {
            Value::Map(entries) => entries.iter().any(|(_, e)| implicit(e)),
            _ => false,
        });
    if any { 3 } else { 0 }
}

/// The pass-through `Resources`: how many CloudFormation counts, and whether exactly.
pub fn passthru(stack: &Stack) -> (usize, bool) {
    let Some(resources) = stack.section("Resources") else {
        return (0, true);
    };
    let mut count = 0;
    let mut exact = true;
    for (_, raw) in &resources.entries {
        let t = match field(&raw.node, "Type").map(|t| &t.value) {
            Some(Value::Str(t)) => t.as_str(),
            _ => "",
        };
        match t {
            "AWS::Serverless::Function" => {
                // The function and its role (unless `Role` names one), and its events.
                let props = field(&raw.node, "Properties");
                let own_role = props.and_then(|p| field(p, "Role")).is_some();
                count += if own_role { 1 } else { 2 };
                for (_, event_type) in props
                    .and_then(|p| field(p, "Events"))
                    .into_iter()
                    .flat_map(node_events)
                {
                    let (n, e) = event(event_type);
                    count += n;
                    exact &= e;
                }
            }
            t if t.starts_with("AWS::Serverless::") => {
                count += 1;
                exact = false;
            }
            _ => count += 1,
        }
    }
    (count, exact)
}
