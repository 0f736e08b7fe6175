//! Merging pass-through content (SPEC 4) into what a target writes: template sections,
//! `properties:` of resources and events, a Function's own policies. Every target that writes
//! these resources merges them the same way: stackwire's entries first, in its order, then the
//! user's, in the file's order. `check` has already made sure no name is defined twice.

use crate::format::model::{Function, Policy, Properties, Stack};
use crate::format::passthru::SECTIONS;
use crate::template::{Map, Value};

/// The template with the pass-through sections merged in, sections in the order of
/// [`SECTIONS`] after `AWSTemplateFormatVersion`, `Transform` and `Description`.
pub fn merge_sections(mut template: Map, stack: &Stack) -> Map {
    let mut out = Map::new();
    for head in ["AWSTemplateFormatVersion", "Transform", "Description"] {
        if let Some(v) = template.shift_remove(head) {
            out.insert(head.into(), v);
        }
    }
    for name in SECTIONS {
        let mut section = match template.shift_remove(name) {
            Some(Value::Map(map)) => map,
            Some(other) => {
                out.insert((*name).into(), other);
                continue;
            }
            None => Map::new(),
        };
        if let Some(extra) = stack.section(name) {
            for (key, raw) in &extra.entries {
                match (section.get_mut(key.value.as_str()), &raw.value) {
                    // `Metadata: EnvConfigParameters`: the user's entries after stackwire's.
                    (Some(Value::Map(ours)), Value::Map(theirs)) if *name == "Metadata" => {
                        ours.extend(theirs.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                    _ => {
                        section.insert(key.value.clone().into(), raw.value.clone());
                    }
                }
            }
        }
        if !section.is_empty() {
            out.insert((*name).into(), Value::Map(section));
        }
    }
    // Anything else stackwire wrote, after (none today).
    out.extend(template);
    out
}

/// A resource's `Properties` with its `properties:` merged in; `Events` joins the events wires
/// make.
pub fn merge_properties(properties: &mut Map, extra: &Properties) {
    for (key, raw) in extra {
        match (
            key.value.as_str(),
            properties.get_mut(key.value.as_str()),
            &raw.value,
        ) {
            ("Events", Some(Value::Map(events)), Value::Map(more)) => {
                events.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            _ => {
                properties.insert(key.value.clone().into(), raw.value.clone());
            }
        }
    }
}

/// An event (`{Type, Properties}`) with its wire's `properties:` merged into its `Properties`.
pub fn merge_event_properties(event: &mut Value, extra: &Properties) {
    if let Value::Map(event) = event
        && let Some(Value::Map(properties)) = event.get_mut("Properties")
    {
        merge_properties(properties, extra);
    }
}

/// A Function's own `policies` added to those its wires give: after them, or before them with
/// `policiesFirst: true`.
pub fn add_own_policies(policies: &mut Vec<Value>, f: &Function) {
    let own = f.policies.iter().map(|p| match p {
        Policy::Name(name) => Value::str(&name.value),
        Policy::Raw(raw) => raw.value.clone(),
    });
    if f.policies_first.as_ref().is_some_and(|b| b.value) {
        let wired = std::mem::take(policies);
        policies.extend(own);
        policies.extend(wired);
    } else {
        policies.extend(own);
    }
}
