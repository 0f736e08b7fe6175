//! What the chosen target cannot write, reported where the stack says it. The target names each
//! place as a path in the template it lowers to (`Resources.Api.Properties.Events.PostOrder`);
//! this finds that path in the stack description: a stackwire resource's `properties:`, a
//! `template:` section or resource, down to the deepest key the stack wrote.

use miette::SourceSpan;

use crate::diagnostics::Problem;
use crate::format::model::{Body, Properties, Stack};
use crate::format::node::{Node, Value};
use crate::target::cloudformation::expand::Unexpanded;

/// One error per place `target` cannot write.
pub fn unsupported(stack: &Stack, target: &str, found: &[Unexpanded]) -> Vec<Problem> {
    found
        .iter()
        .map(|u| Problem::NeedsTransform {
            path: u.path.join("."),
            reason: u.reason.clone(),
            target: target.to_owned(),
            span: locate(stack, &u.path),
        })
        .collect()
}

/// Where in the stack description the template path `path` comes from.
fn locate(stack: &Stack, path: &[String]) -> SourceSpan {
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    match keys.as_slice() {
        ["Resources", id, rest @ ..] => {
            if let Some(r) = stack.resources.iter().find(|r| r.id.value == *id) {
                let properties = match &r.body {
                    Body::Function(f) => Some(&f.properties),
                    Body::Stream(s) => Some(&s.properties),
                    Body::Unknown => None,
                };
                return match (rest, properties) {
                    (["Properties", key, deeper @ ..], Some(properties)) => {
                        in_properties(properties, key, deeper).unwrap_or(r.id.span)
                    }
                    _ => r.id.span,
                };
            }
            match stack.section("Resources") {
                Some(section) => section
                    .entries
                    .iter()
                    .find(|(k, _)| k.value == *id)
                    .map_or(section.name.span, |(k, raw)| {
                        descend(&raw.node, rest).unwrap_or(k.span)
                    }),
                None => stack.resources_key,
            }
        }
        [name, rest @ ..] => match stack.section(name) {
            Some(section) => match rest {
                [entry, deeper @ ..] => section
                    .entries
                    .iter()
                    .find(|(k, _)| k.value == *entry)
                    .map_or(section.name.span, |(k, raw)| {
                        descend(&raw.node, deeper).unwrap_or(k.span)
                    }),
                [] => section.name.span,
            },
            None => stack.resources_key,
        },
        [] => stack.resources_key,
    }
}

fn in_properties(properties: &Properties, key: &str, deeper: &[&str]) -> Option<SourceSpan> {
    let (k, raw) = properties.iter().find(|(k, _)| k.value == key)?;
    Some(descend(&raw.node, deeper).unwrap_or(k.span))
}

/// The span of the deepest key of `keys` found under `node` (a mapping's key, or a list item),
/// or `None` when not even the first is there.
fn descend(node: &Node, keys: &[&str]) -> Option<SourceSpan> {
    let mut node = node;
    let mut found = None;
    for key in keys {
        match &node.value {
            Value::Map(entries) => {
                let (k, v) = entries
                    .iter()
                    .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))?;
                found = Some(k.span);
                node = v;
            }
            Value::Seq(items) => {
                let item = items.get(key.parse::<usize>().ok()?)?;
                found = Some(item.span);
                node = item;
            }
            _ => break,
        }
    }
    found
}
