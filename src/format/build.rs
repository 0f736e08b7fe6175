//! The parser's events -> the node tree, in one pass and without serde.
//!
//! granit-parser (the parser under serde-saphyr) yields every YAML event with its span; this
//! module builds [`Node`]s from them straight away, resolving each plain scalar as YAML 1.2's
//! core schema does (strict booleans; non-finite floats kept as their canonical text), keeping
//! local tags, expanding aliases and merge keys, and holding every budget the reader promises:
//! one document, nesting depth, values and text (aliases expanded), anchors, aliases and the
//! values replayed through them. Nothing here recurses on the input's depth.
//!
//! It reads every file the way the serde-saphyr reading of [`Node`] does (a test in
//! `yaml.rs` holds the two together), at a fraction of the cost.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::format::node::{Node, Value};
use crate::limits::{MAX_DEPTH, MAX_EVENTS, MAX_REPLAYED, MAX_SCALAR_BYTES};
use miette::SourceSpan;

/// At most this many anchors, aliases and merge keys in one file.
pub const MAX_ANCHORS: usize = 10_000;
pub const MAX_ALIASES: usize = 10_000;
pub const MAX_MERGE_KEYS: usize = 10_000;

/// Why the events could not be built into a tree, and where (a byte offset).
#[derive(Debug)]
pub enum Stop {
    /// The parser's own error (syntax, an unknown alias, a nesting limit).
    Scan(granit_parser::ScanError),
    Documents(usize),
    Depth(usize),
    Events(usize),
    ScalarBytes(usize),
    Anchors(usize),
    Aliases(usize),
    MergeKeys(usize),
    /// More values replayed through aliases than [`MAX_REPLAYED`].
    Replayed(usize),
    /// An alias used inside the node its anchor names.
    RecursiveAlias,
    /// A merge key (`<<`) whose value is not a mapping or a list of mappings.
    MergeValue,
}

/// What an anchor names: the node, and what replaying it costs.
struct Anchored {
    node: Node,
    /// Events the node is (a scalar is one, a collection two plus its children's).
    events: usize,
    /// Bytes of scalar text in it.
    bytes: usize,
    /// Levels of collections in it (a scalar is 0).
    height: usize,
}

/// A collection still being read.
struct Open {
    span: SourceSpan,
    tag: Option<Box<str>>,
    anchor: usize,
    /// The counters when it opened, for what its anchor costs to replay.
    events_at: usize,
    bytes_at: usize,
    /// The tallest child so far.
    height: usize,
    kind: Kind,
}

enum Kind {
    Seq {
        /// Where its items start in the builder's one list of open items.
        start: usize,
        /// For a list that is a merge key's value: where each item is named.
        named: Option<Vec<SourceSpan>>,
    },
    Map {
        /// Where its entries start in the builder's one list of open entries.
        start: usize,
        key: Option<Node>,
        /// The key just read was `<<`: the next value is merged in.
        merging: bool,
        /// The entries merged in, in order, each shown where its mapping is named.
        merged: Vec<(Node, Node)>,
    },
}

#[derive(Default)]
struct Counts {
    /// Parser events (aliases excluded) plus the events aliases replay.
    events: usize,
    /// Events of nodes (scalars, collection starts and ends), raw and replayed: an anchor's
    /// cost is the difference across its node.
    node_events: usize,
    /// Scalar text, raw and replayed.
    value_bytes: usize,
    /// Text of tags.
    tag_bytes: usize,
    documents: usize,
    anchors: usize,
    aliases: usize,
    merge_keys: usize,
    replayed: usize,
}

/// The root node of `text`'s one document (`None` when the document is empty or null).
pub fn build(text: &str) -> Result<Option<Node>, (Stop, usize)> {
    let options = granit_parser::options! { emit_comments: false };
    let parser = Parser::new_from_str_with_options(text, options);
    let mut counts = Counts::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: Vec<Option<Anchored>> = Vec::new();
    let mut root: Option<Node> = None;
    // The children of every open collection, in one list per kind: a collection's are the
    // list's tail (its children close before it does), moved into a vector of exactly their
    // number when it closes. One allocation per collection, none wasted on growth.
    let mut items: Vec<Node> = Vec::new();
    let mut entries: Vec<(Node, Node)> = Vec::new();

    for item in parser {
        let (event, span) = match item {
            Ok(pair) => pair,
            Err(error) => {
                let at = error.marker().byte_offset().unwrap_or(0);
                return Err((Stop::Scan(error), at));
            }
        };
        let at = span.start.byte_offset().unwrap_or(0);
        let stop = |stop: Stop| Err((stop, at));
        if !matches!(event, Event::Alias(_)) {
            counts.events += 1;
            if counts.events > MAX_EVENTS {
                return stop(Stop::Events(counts.events));
            }
        }
        let is_map = matches!(event, Event::MappingStart(..));
        let done = match event {
            Event::DocumentStart(..) => {
                counts.documents += 1;
                if counts.documents > 1 {
                    return stop(Stop::Documents(counts.documents));
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                counts.node_events += 1;
                counts.value_bytes += value.len();
                counts.tag_bytes += tag.as_deref().map_or(0, tag_len);
                if counts.value_bytes + counts.tag_bytes > MAX_SCALAR_BYTES {
                    return stop(Stop::ScalarBytes(counts.value_bytes + counts.tag_bytes));
                }
                count_anchor(&mut counts, anchor).map_err(|s| (s, at))?;
                let bytes = value.len();
                let merge_key = is_merge_key(&stack, &value, style, tag.is_some());
                if merge_key {
                    counts.merge_keys += 1;
                    if counts.merge_keys > MAX_MERGE_KEYS {
                        return stop(Stop::MergeKeys(counts.merge_keys));
                    }
                }
                let node = Node {
                    span: source_span(&span),
                    tag: kept_tag(tag.as_deref()),
                    value: resolve(value, style, tag.as_deref()),
                };
                if anchor != 0 {
                    remember(
                        &mut anchors,
                        anchor,
                        Anchored {
                            node: node.clone(),
                            events: 1,
                            bytes,
                            height: 0,
                        },
                    );
                }
                if merge_key && let Some(open) = stack.last_mut() {
                    if let Kind::Map { merging, .. } = &mut open.kind {
                        *merging = true;
                    }
                    continue;
                }
                let here = node.span;
                Some((node, 0, here, None))
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                counts.node_events += 1;
                counts.tag_bytes += tag.as_deref().map_or(0, tag_len);
                if counts.value_bytes + counts.tag_bytes > MAX_SCALAR_BYTES {
                    return stop(Stop::ScalarBytes(counts.value_bytes + counts.tag_bytes));
                }
                if stack.len() + 1 > MAX_DEPTH {
                    return stop(Stop::Depth(stack.len() + 1));
                }
                count_anchor(&mut counts, anchor).map_err(|s| (s, at))?;
                stack.push(Open {
                    span: source_span(&span),
                    tag: kept_tag(tag.as_deref()),
                    anchor,
                    events_at: counts.node_events - 1,
                    bytes_at: counts.value_bytes,
                    height: 0,
                    kind: if is_map {
                        Kind::Map {
                            start: entries.len(),
                            key: None,
                            merging: false,
                            merged: Vec::new(),
                        }
                    } else {
                        // A list given to a merge key keeps where each mapping is named.
                        let merging = matches!(
                            stack.last(),
                            Some(Open {
                                kind: Kind::Map { merging: true, .. },
                                ..
                            })
                        );
                        Kind::Seq {
                            start: items.len(),
                            named: merging.then(Vec::new),
                        }
                    },
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                counts.node_events += 1;
                let Some(open) = stack.pop() else {
                    continue;
                };
                let height = open.height + 1;
                let events = counts.node_events - open.events_at;
                let bytes = counts.value_bytes - open.bytes_at;
                let here = open.span;
                let mut kind = open.kind;
                let named = match &mut kind {
                    Kind::Seq { named, .. } => named.take(),
                    Kind::Map { .. } => None,
                };
                let node = close(open.span, open.tag, kind, &mut items, &mut entries);
                if open.anchor != 0 {
                    remember(
                        &mut anchors,
                        open.anchor,
                        Anchored {
                            node: node.clone(),
                            events,
                            bytes,
                            height,
                        },
                    );
                }
                Some((node, height, here, named))
            }
            Event::Alias(id) => {
                counts.aliases += 1;
                if counts.aliases > MAX_ALIASES {
                    return stop(Stop::Aliases(counts.aliases));
                }
                let Some(Some(anchored)) = anchors.get(id) else {
                    // Every alias the parser passes names an anchor already seen: one not yet
                    // finished is the node the alias stands in.
                    return stop(Stop::RecursiveAlias);
                };
                counts.replayed += anchored.events;
                if counts.replayed > MAX_REPLAYED {
                    return stop(Stop::Replayed(counts.replayed));
                }
                counts.events += anchored.events;
                if counts.events > MAX_EVENTS {
                    return stop(Stop::Events(counts.events));
                }
                counts.node_events += anchored.events;
                counts.value_bytes += anchored.bytes;
                if counts.value_bytes + counts.tag_bytes > MAX_SCALAR_BYTES {
                    return stop(Stop::ScalarBytes(counts.value_bytes + counts.tag_bytes));
                }
                if stack.len() + anchored.height > MAX_DEPTH {
                    return stop(Stop::Depth(MAX_DEPTH + 1));
                }
                let height = anchored.height;
                let mut node = anchored.node.clone();
                // Every node an alias brings in is shown where the alias is.
                let here = source_span(&span);
                respan(&mut node, here);
                Some((node, height, here, None))
            }
            _ => continue,
        };
        let Some((node, height, here, named)) = done else {
            continue;
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(parent) => {
                parent.height = parent.height.max(height);
                match &mut parent.kind {
                    Kind::Seq { named, .. } => {
                        if let Some(named) = named {
                            named.push(here);
                        }
                        items.push(node);
                    }
                    Kind::Map {
                        key,
                        merging,
                        merged,
                        ..
                    } => {
                        if std::mem::take(merging) {
                            merge_source(merged, node, here, named)?;
                        } else if let Some(k) = key.take() {
                            entries.push((k, node));
                        } else {
                            *key = Some(node);
                        }
                    }
                }
            }
        }
    }
    // A document that is null, tagged or not, is an empty one (as serde-saphyr reads it).
    Ok(root.filter(|node| node.value != Value::Null))
}

/// A finished collection: merged entries follow the mapping's own, each key only once, and
/// its span reaches its last child.
fn close(
    span: SourceSpan,
    tag: Option<Box<str>>,
    kind: Kind,
    items: &mut Vec<Node>,
    entries: &mut Vec<(Node, Node)>,
) -> Node {
    let value = match kind {
        Kind::Seq { start, .. } => Value::Seq(tail(items, start)),
        Kind::Map { start, merged, .. } => {
            let mut entries = tail(entries, start);
            for (key, value) in merged {
                if !entries.iter().any(|(k, _)| same(k, &key)) {
                    entries.push((key, value));
                }
            }
            Value::Map(entries)
        }
    };
    let last = match &value {
        Value::Seq(items) => items.last(),
        Value::Map(entries) => entries.last().map(|(_, v)| v),
        _ => None,
    };
    let offset = span.offset();
    let mut len = span.len();
    if let Some(last) = last {
        let end = last.span.offset() + last.span.len();
        len = len.max(end.saturating_sub(offset));
    }
    Node {
        span: SourceSpan::new(offset.into(), len),
        tag,
        value,
    }
}

/// The children of a closing collection, `open[start..]`, in a vector of exactly their number.
/// Most are copied out of the open list, which keeps its room for the next; a collection that
/// is nearly all of it (a stack's `resources`, tens of thousands of entries under a few of the
/// root's) takes the list's own allocation instead, shrunk to fit, and leaves the few before it
/// in a new one: no second copy of the largest collection, and no room kept for it after.
fn tail<T>(open: &mut Vec<T>, start: usize) -> Vec<T> {
    const LARGE: usize = 4096;
    let len = open.len().saturating_sub(start);
    if len < LARGE || start > len / 64 {
        return open.drain(start..).collect();
    }
    let before: Vec<T> = open.drain(..start).collect();
    let mut taken = std::mem::replace(open, before);
    taken.shrink_to_fit();
    taken
}

/// The value of a merge key (`<<`): a mapping, or a list of mappings, whose entries (each
/// shown at `here`, or at its own alias in a list) follow the mapping's own entries unless it
/// already has their key. Entries merged earlier win over later ones.
fn merge_source(
    merged: &mut Vec<(Node, Node)>,
    node: Node,
    here: SourceSpan,
    named: Option<Vec<SourceSpan>>,
) -> Result<(), (Stop, usize)> {
    let mut add = |entries: Vec<(Node, Node)>, here: SourceSpan| {
        for (mut key, mut value) in entries {
            if merged.iter().any(|(k, _)| same(k, &key)) {
                continue;
            }
            respan(&mut key, here);
            respan(&mut value, here);
            merged.push((key, value));
        }
    };
    match node.value {
        Value::Map(entries) => add(entries, here),
        Value::Seq(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let at = named
                    .as_ref()
                    .and_then(|n| n.get(i))
                    .copied()
                    .unwrap_or(here);
                match item.value {
                    Value::Map(entries) => add(entries, at),
                    _ => return Err((Stop::MergeValue, at.offset())),
                }
            }
        }
        _ => return Err((Stop::MergeValue, here.offset())),
    }
    Ok(())
}

/// Two keys are the same key when their tags and values are, wherever they are written.
fn same(a: &Node, b: &Node) -> bool {
    if a.tag != b.tag {
        return false;
    }
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
        }
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (x, y) => x == y,
    }
}

fn respan(node: &mut Node, span: SourceSpan) {
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        node.span = span;
        match &mut node.value {
            Value::Seq(items) => pending.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    pending.push(k);
                    pending.push(v);
                }
            }
            _ => {}
        }
    }
}

fn remember(anchors: &mut Vec<Option<Anchored>>, id: usize, anchored: Anchored) {
    if anchors.len() <= id {
        anchors.resize_with(id + 1, || None);
    }
    anchors[id] = Some(anchored);
}

fn count_anchor(counts: &mut Counts, anchor: usize) -> Result<(), Stop> {
    if anchor != 0 {
        counts.anchors += 1;
        if counts.anchors > MAX_ANCHORS {
            return Err(Stop::Anchors(counts.anchors));
        }
    }
    Ok(())
}

/// A plain, untagged `<<` where a mapping expects a key.
fn is_merge_key(stack: &[Open], value: &str, style: ScalarStyle, tagged: bool) -> bool {
    value == "<<"
        && !tagged
        && style == ScalarStyle::Plain
        && matches!(
            stack.last(),
            Some(Open {
                kind: Kind::Map {
                    key: None,
                    merging: false,
                    ..
                },
                ..
            })
        )
}

fn source_span(span: &Span) -> SourceSpan {
    let (offset, len) = match (span.start.byte_offset(), span.end.byte_offset()) {
        (Some(start), Some(end)) => (start, end.saturating_sub(start)),
        _ => (span.start.index(), span.len()),
    };
    SourceSpan::new(offset.into(), len)
}

fn tag_len(tag: &Tag) -> usize {
    if tag.handle() == "!" {
        1 + tag.suffix().len()
    } else {
        tag.handle().len() + tag.suffix().len()
    }
}

/// A local tag (`!Ref`, `!GetAtt`, ...) as written; YAML's own and global tags are not kept.
fn kept_tag(tag: Option<&Tag>) -> Option<Box<str>> {
    let tag = tag?;
    let shown = if tag.handle() == "!" {
        format!("!{}", tag.suffix())
    } else {
        format!("{}{}", tag.handle(), tag.suffix())
    };
    (shown.starts_with('!') && shown.len() > 1).then(|| shown.into_boxed_str())
}

/// What a scalar is. A quoted or block scalar is text; so is any scalar with the
/// non-specific tag `!`. A plain one is null, a boolean, an integer or a decimal number when
/// YAML 1.2's core schema reads it so, and text otherwise. (Explicit core tags such as
/// `!!str` never reach here: the reader refuses them first.)
fn resolve(value: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let non_specific = tag.is_some_and(|t| tag_len(t) == 1);
    if style != ScalarStyle::Plain || non_specific {
        return Value::Str(value.into_owned());
    }
    match resolve_plain(&value) {
        Some(v) => v,
        None => Value::Str(value.into_owned()),
    }
}

/// A plain scalar's typed value, or `None` when it is text.
fn resolve_plain(text: &str) -> Option<Value> {
    // Only these first characters can start anything but text (looked at before trimming:
    // nearly every plain scalar is text, and starts with none of them or a space).
    let starts_typed = |b: Option<&u8>| {
        matches!(
            b,
            Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F')
        )
    };
    let first = text.as_bytes().first();
    if first.is_some_and(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')) && !starts_typed(first) {
        return None;
    }
    let t = text.trim_matches([' ', '\t', '\r', '\n']);
    match t.as_bytes().first() {
        None => return Some(Value::Null),
        first if starts_typed(first) => {}
        Some(_) => return None,
    }
    match text {
        "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        _ => {}
    }
    match t {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    // `0X1F`, `0O17`, `0B1` and a signed NaN stay text.
    if matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..])
        || matches!(unsigned, ".nan" | ".NaN" | ".NAN") && unsigned.len() != t.len()
    {
        return None;
    }
    if let Some(i) = integer(t) {
        return Some(Value::Int(i));
    }
    float(t).map(|f| {
        if f.is_finite() {
            Value::Float(f)
        } else if f.is_nan() {
            Value::Str(".nan".to_owned())
        } else if f.is_sign_negative() {
            Value::Str("-.inf".to_owned())
        } else {
            Value::Str(".inf".to_owned())
        }
    })
}

/// An integer in decimal (no leading zero), `0x`, `0o` or `0b`, with `_` between digits,
/// in the range of `i64` (negative) or `u64`.
fn integer(t: &str) -> Option<i128> {
    let (negative, rest) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b") {
        (2, d)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    let magnitude = digits_value(digits, radix)?;
    if negative {
        let value = 0i128.checked_sub(i128::try_from(magnitude).ok()?)?;
        (value >= i128::from(i64::MIN)).then_some(value)
    } else {
        u64::try_from(magnitude).ok().map(i128::from)
    }
}

/// The digits' value, `_` allowed only between two digits.
fn digits_value(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i > 0 && bytes[i - 1] != b'_';
            let after = i + 1 < bytes.len() && bytes[i + 1] != b'_';
            if !(before && after) {
                return None;
            }
            continue;
        }
        let d = char::from(b).to_digit(radix)?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        any = true;
    }
    any.then_some(value)
}

/// A YAML 1.2 float: `.inf`, `.nan` and their spellings, or a number Rust reads that is
/// finite, or one shaped like a number that overflows to infinity (`1e999`).
fn float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    let parsed = t.parse::<f64>().ok()?;
    if parsed.is_finite() {
        return Some(parsed);
    }
    // Rust also reads `inf` and `nan`, which YAML keeps as text.
    let numeral = unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit);
    (numeral && parsed.is_infinite()).then_some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Value {
        resolve(Cow::Borrowed(text), ScalarStyle::Plain, None)
    }

    #[test]
    fn a_closing_collection_takes_its_children_whichever_way_it_moves_them() {
        // Copied out (small, or behind many open ones) and the open list's own allocation
        // taken (large, behind few): the same children, the rest left open, exactly sized.
        for (before, len) in [(3, 10), (3, 5000), (200, 5000), (0, 4096), (70, 4096)] {
            let mut open: Vec<usize> = (0..before + len).collect();
            let taken = tail(&mut open, before);
            assert_eq!(taken, (before..before + len).collect::<Vec<_>>());
            assert_eq!(taken.capacity(), len);
            assert_eq!(open, (0..before).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_mapping_of_thousands_of_entries_reads_whole() {
        let mut text = String::from("name: s\nresources:\n");
        for i in 0..5000 {
            text.push_str(&format!("  R{i}: {i}\n"));
        }
        text.push_str("after: 1\n");
        let Ok(Some(root)) = build(&text) else {
            panic!("the file reads");
        };
        let Value::Map(entries) = &root.value else {
            panic!("a mapping");
        };
        assert_eq!(entries.len(), 3);
        let Value::Map(resources) = &entries[1].1.value else {
            panic!("resources is a mapping");
        };
        assert_eq!(resources.len(), 5000);
        assert_eq!(resources[4999].1.value, Value::Int(4999));
        assert_eq!(entries[2].0.value, Value::Str("after".into()));
    }

    #[test]
    fn plain_scalars_resolve_as_yaml_1_2_core() {
        assert_eq!(plain(""), Value::Null);
        assert_eq!(plain("~"), Value::Null);
        assert_eq!(plain("NULL"), Value::Null);
        assert_eq!(plain("nULL"), Value::Str("nULL".into()));
        assert_eq!(plain("True"), Value::Bool(true));
        assert_eq!(plain("yes"), Value::Str("yes".into()));
        assert_eq!(plain("1_000"), Value::Int(1000));
        assert_eq!(plain("-0x1F"), Value::Int(-31));
        assert_eq!(plain("0o17"), Value::Int(15));
        assert_eq!(plain("0X1F"), Value::Str("0X1F".into()));
        assert_eq!(plain("007"), Value::Float(7.0));
        assert_eq!(plain("1e999"), Value::Str(".inf".into()));
        assert_eq!(plain("-.INF"), Value::Str("-.inf".into()));
        assert_eq!(plain("+.nan"), Value::Str("+.nan".into()));
        assert_eq!(plain("inf"), Value::Str("inf".into()));
        assert_eq!(plain("18446744073709551615"), Value::Int(u64::MAX.into()));
        assert_eq!(
            plain("18446744073709551616"),
            Value::Float(18446744073709551616.0)
        );
        assert_eq!(plain("-9223372036854775808"), Value::Int(i64::MIN.into()));
        assert_eq!(plain("1__0"), Value::Str("1__0".into()));
    }
}
