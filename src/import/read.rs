//! Reading a template's node tree: lookups, the intrinsic functions in both their short
//! (`!Ref X`) and long (`{"Ref": "X"}`, as JSON templates write them) forms, and nodes turned
//! into template values for pass-through content.

use crate::format::node::{Node, Value as V};
use crate::template::{Map, Value};

/// The value of `key` in a mapping node (the first, when written twice: duplicates are
/// reported before anything is read).
pub fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        V::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(&k.value, V::Str(s) if s == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// A mapping's entries whose keys are strings, in order.
pub fn entries(node: &Node) -> Vec<(&str, &Node)> {
    match &node.value {
        V::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| match &k.value {
                V::Str(s) => Some((s.as_str(), v)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Untagged text.
pub fn text(node: &Node) -> Option<&str> {
    match (&node.tag, &node.value) {
        (None, V::Str(s)) => Some(s),
        _ => None,
    }
}

/// An untagged integer.
pub fn int(node: &Node) -> Option<i128> {
    match (&node.tag, &node.value) {
        (None, V::Int(i)) => Some(*i),
        _ => None,
    }
}

/// An untagged boolean.
pub fn boolean(node: &Node) -> Option<bool> {
    match (&node.tag, &node.value) {
        (None, V::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// The argument of an intrinsic function `name` (`Ref`, `Fn::GetAtt`, ...), in either form.
pub fn intrinsic<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    let short = match name {
        "Ref" => "!Ref".to_owned(),
        "Condition" => "!Condition".to_owned(),
        other => format!("!{}", other.strip_prefix("Fn::").unwrap_or(other)),
    };
    if node.tag.as_deref() == Some(short.as_str()) {
        // The argument is the node's own value; callers read it through `untagged`.
        return Some(node);
    }
    if node.tag.is_none()
        && let V::Map(entries) = &node.value
        && let [(k, v)] = entries.as_slice()
        && matches!(&k.value, V::Str(s) if s == name)
    {
        return Some(v);
    }
    None
}

/// The value of a node, its tag aside (the argument of a short-form intrinsic).
pub fn untagged(node: &Node) -> &V {
    &node.value
}

/// `!Ref X`: X.
pub fn reference(node: &Node) -> Option<&str> {
    match untagged(intrinsic(node, "Ref")?) {
        V::Str(s) => Some(s),
        _ => None,
    }
}

/// `!GetAtt X.Y` or `!GetAtt [X, Y]`: (X, Y).
pub fn get_att(node: &Node) -> Option<(String, String)> {
    match untagged(intrinsic(node, "Fn::GetAtt")?) {
        V::Str(s) => {
            let (r, a) = s.split_once('.')?;
            Some((r.to_owned(), a.to_owned()))
        }
        V::Seq(items) => match items.as_slice() {
            [r, a] => Some((text(r)?.to_owned(), text(a)?.to_owned())),
            _ => None,
        },
        _ => None,
    }
}

/// `!If [C, A, B]`: (C, A, B).
pub fn if_of(node: &Node) -> Option<(&str, &Node, &Node)> {
    match untagged(intrinsic(node, "Fn::If")?) {
        V::Seq(items) => match items.as_slice() {
            [c, a, b] => Some((text(c)?, a, b)),
            _ => None,
        },
        _ => None,
    }
}

/// `!Sub 'text'` (the one-argument form): the text.
pub fn sub_text(node: &Node) -> Option<&str> {
    match untagged(intrinsic(node, "Fn::Sub")?) {
        V::Str(s) => Some(s),
        _ => None,
    }
}

/// `!Equals [A, B]`: (A, B).
pub fn equals(node: &Node) -> Option<(&Node, &Node)> {
    match untagged(intrinsic(node, "Fn::Equals")?) {
        V::Seq(items) => match items.as_slice() {
            [a, b] => Some((a, b)),
            _ => None,
        },
        _ => None,
    }
}

/// `!Not [{Condition: C}]` or `!Not [!Condition C]`: C.
pub fn not_condition(node: &Node) -> Option<&str> {
    match untagged(intrinsic(node, "Fn::Not")?) {
        V::Seq(items) => match items.as_slice() {
            [c] => match untagged(intrinsic(c, "Condition")?) {
                V::Str(s) => Some(s),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The first duplicate key anywhere in the tree: (the repeated key, its first definition).
pub fn duplicate(node: &Node) -> Option<(&Node, &Node)> {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            V::Map(entries) => {
                for (i, (k, v)) in entries.iter().enumerate() {
                    if let Some((first, _)) = entries[..i].iter().find(|(f, _)| f.value == k.value)
                    {
                        return Some((k, first));
                    }
                    stack.push(v);
                }
            }
            V::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    None
}

/// A node as a template value, written back as read: tags kept, numbers as written.
pub fn convert(node: &Node, source: &str) -> Value {
    let inner = match &node.value {
        V::Null => Value::Null,
        V::Bool(b) => Value::Bool(*b),
        V::Int(i) => plain(node, source).unwrap_or(Value::int(*i)),
        V::Float(f) => plain(node, source).unwrap_or_else(|| Value::Plain(format!("{f:?}"))),
        V::Str(s) => Value::Str(s.clone().into()),
        V::Seq(items) => Value::Seq(items.iter().map(|i| convert(i, source)).collect()),
        V::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                map.insert(key_text(k).into(), convert(v, source));
            }
            Value::Map(map)
        }
    };
    match &node.tag {
        Some(tag) => Value::Tagged(tag.to_string(), Box::new(inner)),
        None => inner,
    }
}

/// A mapping key as text (CloudFormation's keys are strings; a number key is its digits).
pub fn key_text(k: &Node) -> String {
    match &k.value {
        V::Str(s) => s.clone(),
        V::Int(i) => i.to_string(),
        V::Bool(b) => b.to_string(),
        V::Float(f) => format!("{f:?}"),
        V::Null => "null".to_owned(),
        V::Seq(_) | V::Map(_) => String::new(),
    }
}

/// A number as its text in the file, when it is one plain token there.
fn plain(node: &Node, source: &str) -> Option<Value> {
    let start = node.span.offset();
    let text = source.get(start..start + node.span.len())?;
    let token = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_'));
    if !token {
        return None;
    }
    // A decimal integer is written as the number; anything else as its text.
    if let V::Int(i) = node.value
        && text == i.to_string()
    {
        return Some(Value::int(i));
    }
    Some(Value::Plain(text.to_owned()))
}

/// Whether a node is an intrinsic function, in either form.
pub fn is_intrinsic(node: &Node) -> bool {
    crate::format::passthru::intrinsic(node).is_some()
}

/// Every node tagged with a tag that is not one of CloudFormation's short forms.
pub fn unknown_tags(node: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if let Some(tag) = &n.tag
            && !crate::format::passthru::INTRINSIC_TAGS.contains(&&**tag)
        {
            out.push(n);
        }
        match &n.value {
            V::Map(entries) => stack.extend(entries.iter().flat_map(|(k, v)| [k, v])),
            V::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    out.sort_by_key(|n| n.span.offset());
    out
}

/// Whether a node is a mapping written as one (no tag).
pub fn is_map(node: &Node) -> bool {
    node.tag.is_none() && matches!(node.value, V::Map(_))
}
