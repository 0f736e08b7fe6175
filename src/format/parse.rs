//! Stage 1: YAML text -> spanned model.
//!
//! The reader (`yaml`, `build`) turns the text into a `Node` tree (this is where YAML syntax,
//! parsing limits and alias bombs are handled); the decoder here walks the tree and builds the
//! typed `model::Stack`, collecting every structural problem (unknown keys, wrong types, missing
//! keys, duplicate keys) instead of stopping at the first. The decoder owns the tree as it
//! goes: what the model keeps whole (pass-through values, event patterns) is moved out of it,
//! not copied, and each resource's and wire's nodes are freed once read. Which keys each mapping takes, and
//! what each value must be (type, choices, range, length), is read from the tables in `keys`;
//! rules across keys and checks of a value's content are `check`'s.

use std::sync::Arc;

use miette::SourceSpan;

use crate::diagnostics::Problem;
use crate::format::keys::{self, Key, Kind};
use crate::format::model::{Body, Existing, Function, Resource, Sp, Stack, Stream, Wire};
use crate::format::node::{Node, Value};
use crate::format::passthru::{self, Intrinsics};
use crate::format::resources::{Type, function, stream};
use crate::suggest;

use crate::format::yaml;
pub use crate::format::yaml::options;
use crate::ids::join;

/// Reads a stack description. Returns the model (as complete as the input allows) and every
/// problem found; `None` when the text is not YAML at all.
pub fn parse(text: &str) -> (Option<Stack>, Vec<Problem>) {
    let root = match yaml::read(text) {
        Ok(root) => root,
        Err(problem) => return (None, vec![problem]),
    };
    let mut decoder = Decoder {
        text,
        problems: Vec::new(),
    };
    let mut root = root;
    let stack = decoder.stack(&mut root);
    (Some(stack), decoder.problems)
}

/// What `f` keeps of `items`, in order, in one allocation of room for all of them
/// (collecting a `filter_map` grows by doubling instead: up to twice the room, copied on the way).
pub(crate) fn keep<I: ExactSizeIterator, T>(
    items: I,
    f: impl FnMut(I::Item) -> Option<T>,
) -> Vec<T> {
    let mut kept = Vec::with_capacity(items.len());
    kept.extend(items.filter_map(f));
    kept
}

/// One `key: value` entry of a mapping, with the key as text.
pub(crate) struct Entry<'n> {
    pub(crate) key: Sp<String>,
    pub(crate) value: &'n mut Node,
}

pub(crate) struct Decoder<'t> {
    text: &'t str,
    pub(crate) problems: Vec<Problem>,
}

impl<'t> Decoder<'t> {
    /// The text a scalar node was written as.
    pub(crate) fn source(&self, node: &Node) -> &'t str {
        let start = node.span.offset();
        self.text.get(start..start + node.span.len()).unwrap_or("")
    }

    /// A scalar as written, at most 40 characters; through an alias, its value.
    fn scalar_text(&self, node: &Node) -> String {
        let source = self.source(node);
        let text = if source.starts_with('*') || source.is_empty() {
            match &node.value {
                Value::Str(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => String::new(),
            }
        } else {
            source.to_owned()
        };
        text.chars().take(40).collect()
    }

    /// What a node is, for "expected X, found Y" messages.
    fn found(&self, node: &Node) -> String {
        match &node.value {
            Value::Map(m) if m.is_empty() => "an empty mapping".to_owned(),
            Value::Seq(_) | Value::Map(_) | Value::Null => node.value.kind().to_owned(),
            _ => {
                let shown = self.scalar_text(node);
                if shown.is_empty() {
                    node.value.kind().to_owned()
                } else {
                    format!("{} (`{shown}`)", node.value.kind())
                }
            }
        }
    }

    pub(crate) fn wrong_type(
        &mut self,
        node: &Node,
        key: &str,
        expected: &'static str,
        help: Option<String>,
    ) {
        let found = self.found(node);
        // A key is shown in backticks; a phrase ("the stack description") as it is.
        let key = if key.contains(' ') {
            key.to_owned()
        } else {
            format!("`{key}`")
        };
        self.problems.push(Problem::WrongType {
            key,
            expected,
            found,
            span: node.span,
            help,
        });
    }

    /// False, with the problem reported, when `node` is an intrinsic function (`key` takes none).
    fn untagged(&mut self, node: &Node, key: &str) -> bool {
        let Some(tag) = &node.tag else { return true };
        let key = if key.contains(' ') {
            key.to_owned()
        } else {
            format!("`{key}`")
        };
        self.problems.push(Problem::IntrinsicNotAllowed {
            tag: tag.to_string(),
            key,
            span: node.span,
            help: passthru::WHERE_INTRINSICS.to_owned(),
        });
        false
    }

    /// Reports every intrinsic function within `node` (a value written out as JSON).
    fn no_tags(&mut self, node: &Node, key: &str) {
        if !self.untagged(node, key) {
            return;
        }
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|i| self.no_tags(i, key)),
            Value::Map(entries) => entries.iter().for_each(|(k, v)| {
                self.no_tags(k, key);
                self.no_tags(v, key);
            }),
            _ => {}
        }
    }

    /// The entries of a mapping, keys as text, duplicates reported and dropped.
    pub(crate) fn entries<'n>(&mut self, node: &'n mut Node, key: &str) -> Option<Vec<Entry<'n>>> {
        self.is_mapping(node, key)
            .then(|| self.map_entries(node, key))
    }

    /// Whether `node` is a mapping without a tag, the problem reported when it is not.
    fn is_mapping(&mut self, node: &Node, key: &str) -> bool {
        if !self.untagged(node, key) {
            return false;
        }
        if !matches!(node.value, Value::Map(_)) {
            self.wrong_type(node, key, "a mapping", None);
            return false;
        }
        true
    }

    /// [`Decoder::entries`] of a node that stays whole (see [`Decoder::map_entries_copied`]).
    pub(crate) fn entries_copied<'n>(
        &mut self,
        node: &'n Node,
        key: &str,
    ) -> Option<Vec<(Sp<String>, &'n Node)>> {
        self.is_mapping(node, key)
            .then(|| self.map_entries_copied(node, key))
    }

    /// The entries of a mapping node (whatever its tag), keys as text, duplicates reported and
    /// dropped; none for any other node. Each key's text is moved out of the tree.
    pub(crate) fn map_entries<'n>(&mut self, node: &'n mut Node, key: &str) -> Vec<Entry<'n>> {
        let Value::Map(pairs) = &node.value else {
            return Vec::new();
        };
        let kept = self.kept_keys(pairs, key);
        let Value::Map(pairs) = &mut node.value else {
            return Vec::new();
        };
        let mut entries = Vec::with_capacity(kept.count);
        for (i, (k, value)) in pairs.iter_mut().enumerate() {
            if !kept.has(i) {
                continue;
            }
            let text = match &mut k.value {
                Value::Str(s) => std::mem::take(s),
                _ => self.source(k).to_owned(),
            };
            entries.push(Entry {
                key: Sp::new(text, k.span),
                value,
            });
        }
        entries
    }

    /// [`Decoder::map_entries`] of a node that stays whole (pass-through content, kept in the
    /// model as it was read): each key's text is copied.
    pub(crate) fn map_entries_copied<'n>(
        &mut self,
        node: &'n Node,
        key: &str,
    ) -> Vec<(Sp<String>, &'n Node)> {
        let Value::Map(pairs) = &node.value else {
            return Vec::new();
        };
        let kept = self.kept_keys(pairs, key);
        let mut entries = Vec::with_capacity(kept.count);
        for (i, (k, value)) in pairs.iter().enumerate() {
            if let Some(text) = self.key_text(k).filter(|_| kept.has(i)) {
                entries.push((Sp::new(text.to_owned(), k.span), value));
            }
        }
        entries
    }

    /// A key's text: a string's own, a number's or a boolean's as written; `None` for any other.
    fn key_text<'a>(&self, k: &'a Node) -> Option<&'a str>
    where
        't: 'a,
    {
        match &k.value {
            Value::Str(s) => Some(s),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(self.source(k)),
            _ => None,
        }
    }

    /// Which entries of a mapping are kept, their keys' problems reported (a tag, a key that is
    /// not a name, a key written again: the first is kept).
    fn kept_keys(&mut self, pairs: &[(Node, Node)], key: &str) -> Kept {
        let mut kept = Kept::new(pairs.len());
        // Small mappings (nearly all) are searched for a repeated key in place; a large one (the
        // `resources` of a big stack) through an index, so N keys cost N, not N squared.
        let mut index: Option<foldhash::HashMap<&str, usize>> =
            (pairs.len() > 32).then(|| foldhash::HashMapExt::with_capacity(pairs.len()));
        for (i, (k, _)) in pairs.iter().enumerate() {
            // The label is made only for a key that needs it (one with a tag).
            if k.tag.is_some() && !self.untagged(k, &format!("a key in `{key}`")) {
                continue;
            }
            let Some(text) = self.key_text(k) else {
                self.wrong_type(k, &format!("a key in `{key}`"), "a plain name", None);
                continue;
            };
            let first = match &index {
                Some(index) => index.get(text).copied(),
                None => (0..i).find(|&j| kept.has(j) && self.key_text(&pairs[j].0) == Some(text)),
            };
            if let Some(first) = first {
                self.problems.push(Problem::DuplicateKey {
                    key: text.to_owned(),
                    first: pairs[first].0.span,
                    span: k.span,
                });
                continue;
            }
            if let Some(index) = &mut index {
                index.insert(text, i);
            }
            kept.set(i);
        }
        kept
    }

    fn unknown_key(
        &mut self,
        key: &Sp<String>,
        context: &str,
        valid: &[&str],
        hint: Option<String>,
    ) {
        let help = hint.or_else(|| suggest::help(&key.value, valid));
        self.unknown_key_with(key, context, help.map(Arc::from));
    }

    fn unknown_key_with(&mut self, key: &Sp<String>, context: &str, help: Option<Arc<str>>) {
        self.problems.push(Problem::UnknownKey {
            key: key.value.clone(),
            context: context.to_owned(),
            span: key.span,
            help,
        });
    }

    /// A string value, moved out of the tree.
    pub(crate) fn string(&mut self, node: &mut Node, key: &str) -> Option<Sp<String>> {
        if !self.is_string(node, key) {
            return None;
        }
        match &mut node.value {
            Value::Str(s) => Some(Sp::new(std::mem::take(s), node.span)),
            _ => None,
        }
    }

    /// Whether `node` is a string, the problem reported when it is not.
    pub(crate) fn is_string(&mut self, node: &Node, key: &str) -> bool {
        if !self.untagged(node, key) {
            return false;
        }
        match &node.value {
            Value::Str(_) => true,
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let text = self.scalar_text(node);
                let bare = key.rsplit('.').next().unwrap_or(key);
                let help = format!("quote it to make it a string: `{bare}: '{text}'`");
                self.wrong_type(node, key, "a string", Some(help));
                false
            }
            _ => {
                self.wrong_type(node, key, "a string", None);
                false
            }
        }
    }

    fn int(&mut self, node: &Node, key: &str) -> Option<Sp<i128>> {
        if !self.untagged(node, key) {
            return None;
        }
        match &node.value {
            Value::Int(i) => Some(Sp::new(*i, node.span)),
            Value::Float(_) if is_digits(self.source(node)) => {
                let source = self.source(node);
                let digits = source.trim_start_matches(['-', '+']);
                if digits.len() > 1 && digits.starts_with('0') {
                    // `010`: octal 8 to a YAML 1.1 reader, 10 to YAML 1.2 (serde-saphyr reads
                    // it as a decimal number). Say so rather than guess.
                    let plain = digits.trim_start_matches('0');
                    let plain = if plain.is_empty() { "0" } else { plain };
                    let help = format!(
                        "a leading zero makes it octal to YAML 1.1 readers: write `{key}: {plain}` (or the octal value you meant)"
                    );
                    self.problems.push(Problem::WrongType {
                        key: format!("`{key}`"),
                        expected: "a whole number",
                        found: format!("`{source}`, a number with a leading zero"),
                        span: node.span,
                        help: Some(help),
                    });
                    return None;
                }
                // An integer too large for any key: keep it out of range, `check` says so.
                Some(Sp::new(i128::MAX, node.span))
            }
            Value::Str(s) if s.trim().parse::<i128>().is_ok() => {
                let help = format!("remove the quotes: `{key}: {}`", s.trim());
                self.wrong_type(node, key, "a whole number", Some(help));
                None
            }
            _ => {
                self.wrong_type(node, key, "a whole number", None);
                None
            }
        }
    }

    fn bool(&mut self, node: &Node, key: &str) -> Option<Sp<bool>> {
        if !self.untagged(node, key) {
            return None;
        }
        match &node.value {
            Value::Bool(b) => Some(Sp::new(*b, node.span)),
            Value::Str(s) => {
                let meant = match s.to_lowercase().as_str() {
                    "yes" | "on" | "y" => Some("true"),
                    "no" | "off" | "n" => Some("false"),
                    "true" | "false" => Some(if s.eq_ignore_ascii_case("true") {
                        "true"
                    } else {
                        "false"
                    }),
                    _ => None,
                };
                let help = meant.map(|b| {
                    format!("YAML 1.2 reads `{s}` as a string, not a boolean: write `{key}: {b}`")
                });
                self.wrong_type(node, key, "a boolean (true or false)", help);
                None
            }
            _ => {
                self.wrong_type(node, key, "a boolean (true or false)", None);
                None
            }
        }
    }

    fn choice(
        &mut self,
        node: &Node,
        key: &str,
        names: &'static [&'static str],
    ) -> Option<Sp<&'static str>> {
        if !self.untagged(node, key) {
            return None;
        }
        let text = match &node.value {
            Value::Str(s) => s,
            _ => {
                let expected = "one of the listed words";
                let help = Some(format!("use one of {}", quoted_list(names)));
                self.wrong_type(node, key, expected, help);
                return None;
            }
        };
        if let Some(name) = names.iter().find(|name| **name == text) {
            return Some(Sp::new(*name, node.span));
        }
        let help = suggest::did_you_mean(text, names.iter().copied());
        self.problems.push(Problem::InvalidChoice {
            key: key.to_owned(),
            found: text.clone(),
            span: node.span,
            allowed: quoted_list(names),
            help,
        });
        None
    }

    /// A mapping of names to strings (`tags`, `environment`), in source order.
    fn string_map(&mut self, node: &mut Node, key: &str) -> Vec<(Sp<String>, Sp<String>)> {
        if !matches!(node.value, Value::Map(_)) {
            let help = format!("write `NAME: value` pairs under `{key}:`");
            self.wrong_type(node, key, "a mapping", Some(help));
            return Vec::new();
        }
        let Some(entries) = self.entries(node, key) else {
            return Vec::new();
        };
        keep(entries.into_iter(), |e| {
            let label = join(&[key, ".", &e.key.value]);
            self.string(e.value, &label).map(|v| (e.key, v))
        })
    }

    pub(crate) fn list<'n>(&mut self, node: &'n mut Node, key: &str) -> Option<&'n mut [Node]> {
        if !self.untagged(node, key) {
            return None;
        }
        if !matches!(node.value, Value::Seq(_)) {
            self.wrong_type(node, key, "a list", None);
            return None;
        }
        match &mut node.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Reads a mapping's entries by the key tables `tables` into `model`: every entry whose key
    /// is in a table is read as the table says; any other is an unknown key (with `hint`, if it
    /// gives one). Keys marked required that are absent are reported at `missing_at`. Returns
    /// the keys read (all but a resource's `type`), in order.
    fn fields<M: Intrinsics>(
        &mut self,
        entries: &mut [Entry<'_>],
        tables: &[&'static [Key<M>]],
        model: &mut M,
        at: Place<'_>,
        hint: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<Sp<&'static str>> {
        let mut read = Vec::with_capacity(entries.len());
        // The valid names and the list of them, made once for all the unknown keys here.
        let mut valid: Option<(suggest::Names<'_>, Option<Arc<str>>)> = None;
        for e in entries.iter_mut() {
            let name = e.key.value.as_str();
            let Some(key) = tables.iter().find_map(|t| keys::find(t, name)) else {
                let (valid, listed) = valid.get_or_insert_with(|| {
                    let names: Vec<&str> = tables.iter().flat_map(|t| keys::names(t)).collect();
                    let listed = suggest::expected_one_of(&names).map(Arc::from);
                    (suggest::Names::new(names), listed)
                });
                let help = hint(name)
                    .or_else(|| valid.did_you_mean(name))
                    .map(Arc::from)
                    .or_else(|| listed.clone());
                self.unknown_key_with(&e.key, at.context, help);
                continue;
            };
            if matches!(key.kind, Kind::ResourceType(_)) {
                continue;
            }
            let label = if at.prefix.is_empty() {
                std::borrow::Cow::Borrowed(name)
            } else {
                std::borrow::Cow::Owned(join(&[at.prefix, name]))
            };
            self.value(model, key, &e.key, e.value, &label, at.context);
            read.push(Sp::new(key.name, e.key.span));
        }
        for key in tables.iter().flat_map(|t| t.iter()) {
            let Some(help) = key.required else { continue };
            if matches!(key.kind, Kind::ResourceType(_))
                || entries.iter().any(|e| e.key.value == key.name)
            {
                continue;
            }
            self.problems.push(Problem::MissingKey {
                key: key.name,
                context: at.context.to_owned(),
                span: at.missing,
                help: Some(help.to_owned()),
            });
        }
        read
    }

    /// Reads one value as its key's kind says, and stores it in `model`.
    fn value<M: Intrinsics>(
        &mut self,
        model: &mut M,
        key: &'static Key<M>,
        key_node: &Sp<String>,
        node: &mut Node,
        label: &str,
        context: &str,
    ) {
        if let Some(tag) = passthru::intrinsic(node) {
            let raw = self.raw(node);
            if !model.intrinsic(key.name, raw) {
                self.problems.push(Problem::IntrinsicNotAllowed {
                    tag,
                    key: format!("`{label}`"),
                    span: node.span,
                    help: passthru::WHERE_INTRINSICS.to_owned(),
                });
            }
            return;
        }
        match &key.kind {
            Kind::ResourceType(_) => {}
            Kind::Str { max_len, set } => {
                if let Some(v) = self.string(node, label) {
                    if let Some(max) = *max_len
                        && v.value.len() > max
                    {
                        self.problems.push(Problem::TooLong {
                            key: label.to_owned(),
                            len: v.value.len(),
                            max,
                            span: v.span,
                        });
                    }
                    set(model, v);
                }
            }
            Kind::Int { min, max, or, set } => {
                if let Some(v) = self.int(node, label) {
                    let in_range = (*min..=*max).contains(&v.value)
                        || or.is_some_and(|(value, _)| value == v.value);
                    if !in_range {
                        let range = match or {
                            Some((value, meaning)) => {
                                format!("{value} ({meaning}) or {min} to {max}")
                            }
                            None => format!("{min} to {max}"),
                        };
                        self.problems.push(Problem::OutOfRange {
                            key: label.to_owned(),
                            value: self.source(node).to_owned(),
                            range,
                            span: v.span,
                        });
                    }
                    set(model, v);
                }
            }
            Kind::Bool(set) => {
                if let Some(v) = self.bool(node, label) {
                    set(model, v);
                }
            }
            Kind::Choice { names, set } => {
                if let Some(v) = self.choice(node, label, names) {
                    set(model, v);
                }
            }
            Kind::StrMap(set) => {
                let v = self.string_map(node, label);
                set(model, v);
            }
            Kind::StrList(set) => {
                if let Some(items) = self.list(node, label) {
                    let v = keep(items.iter_mut(), |p| self.string(p, label));
                    set(model, v);
                }
            }
            Kind::Patterns(set) => {
                if let Some(items) = self.list(node, label) {
                    items.iter().for_each(|i| self.no_tags(i, label));
                    // Moved out of the tree: nothing reads the list there again.
                    let span = node.span;
                    if let Value::Seq(items) = node.take().value {
                        set(model, Sp::new(items, span));
                    }
                }
            }
            Kind::Map(table) => {
                let missing = node.span;
                if let Some(mut entries) = self.entries(node, label) {
                    let context = join(&["`", label, "` of ", context]);
                    let at = Place {
                        context: &context,
                        prefix: &join(&[label, "."]),
                        missing,
                    };
                    self.fields(&mut entries, &[table], model, at, &|_| None);
                }
            }
            Kind::Existing { forms, set, .. } => self.existing(model, node, forms, *set),
            Kind::Resources(set) => {
                let resources = self.resources(node, key_node.span);
                set(model, key_node.span, resources);
            }
            Kind::Wires(set) => {
                if let Some(items) = self.list(node, label) {
                    // Each wire's nodes are freed once it is read: the tree shrinks as the
                    // model grows, so the two are not held whole at once.
                    let wires = keep(items.iter_mut(), |w| {
                        let wire = self.wire(w);
                        drop(w.take());
                        wire
                    });
                    set(model, wires);
                }
            }
            Kind::Template(set) => {
                let sections = self.template(node);
                set(model, sections);
            }
            Kind::Properties { owned, set } => {
                let properties = self.properties(node, context, owned);
                set(model, properties);
            }
            Kind::Env(set) => {
                let v = self.env_values(node, label);
                set(model, v);
            }
            Kind::Policies(set) => {
                let v = self.policies(node, label);
                set(model, v);
            }
            Kind::Source { path, location } => {
                if matches!(node.value, Value::Map(_)) {
                    if let Some(raw) = self.s3_location(node, label) {
                        location(model, raw);
                    }
                } else if let Some(v) = self.string(node, label) {
                    path(model, v);
                }
            }
        }
    }

    fn stack(&mut self, root: &mut Node) -> Stack {
        let mut stack = Stack::default();
        let missing = SourceSpan::new(root.span.offset().into(), 0);
        let Some(mut entries) = self.entries(root, "the stack description") else {
            return stack;
        };
        let at = Place {
            context: "the stack description",
            prefix: "",
            missing,
        };
        self.fields(&mut entries, &[keys::STACK], &mut stack, at, &|_| None);
        stack
    }

    fn resources(&mut self, node: &mut Node, key_span: SourceSpan) -> Vec<Resource> {
        let empty = matches!(&node.value, Value::Map(pairs) if pairs.is_empty());
        let Some(entries) = self.entries(node, "resources") else {
            return Vec::new();
        };
        if empty {
            self.problems.push(Problem::NoResources { span: key_span });
        }
        entries.into_iter().map(|e| self.resource(e)).collect()
    }

    fn resource(&mut self, entry: Entry<'_>) -> Resource {
        let id = entry.key;
        let Some(mut entries) = self.entries(&mut *entry.value, &id.value) else {
            return Resource {
                id,
                body: Body::Unknown,
            };
        };
        let type_entry = entries.iter().find(|e| e.key.value == "type");
        let body = match type_entry {
            None => {
                let help = keys::find(stream::KEYS, "type").and_then(|k| k.required);
                self.problems.push(Problem::MissingKey {
                    key: "type",
                    context: format!("resource `{}`", id.value),
                    span: id.span,
                    help: help.map(str::to_owned),
                });
                Body::Unknown
            }
            Some(t) if !self.untagged(t.value, "type") => Body::Unknown,
            Some(t) => match &t.value.value {
                Value::Str(s) => match Type::find(s) {
                    Some(Type::Stream) => {
                        let mut s = Stream::default();
                        s.keys = self.resource_fields(
                            &mut entries,
                            &id,
                            Type::Stream,
                            stream::KEYS,
                            &mut s,
                        );
                        Body::Stream(Box::new(s))
                    }
                    Some(Type::Function) => {
                        let mut f = Function::default();
                        self.resource_fields(
                            &mut entries,
                            &id,
                            Type::Function,
                            function::KEYS,
                            &mut f,
                        );
                        Body::Function(Box::new(f))
                    }
                    None => {
                        let help = suggest::help(s, &Type::names());
                        self.problems.push(Problem::UnknownResourceType {
                            found: s.clone(),
                            span: t.value.span,
                            help,
                        });
                        Body::Unknown
                    }
                },
                _ => {
                    let help = Some("write `type: Stream` or `type: Function`".to_owned());
                    self.wrong_type(t.value, "type", "a resource type", help);
                    Body::Unknown
                }
            },
        };
        // The resource's nodes are freed once it is read: the tree shrinks as the model grows,
        // so the two are not held whole at once.
        drop(entry.value.take());
        Resource { id, body }
    }

    /// A resource's keys, by its type's table; a key of another type gets a hint saying so.
    fn resource_fields<M: Intrinsics>(
        &mut self,
        entries: &mut [Entry<'_>],
        id: &Sp<String>,
        of: Type,
        table: &'static [Key<M>],
        model: &mut M,
    ) -> Vec<Sp<&'static str>> {
        let context = join(&[of.name(), " `", &id.value, "`"]);
        let at = Place {
            context: &context,
            prefix: "",
            missing: id.span,
        };
        let hint = |name: &str| {
            Type::ALL
                .iter()
                .find(|t| **t != of && t.key_names().contains(&name))
                .map(|t| {
                    format!(
                        "`{name}` is a key of a {}; this resource is a {}",
                        t.name(),
                        of.name()
                    )
                })
        };
        self.fields(entries, &[table], model, at, &hint)
    }

    /// `existing`: a stream ARN, or a mapping with exactly one of the `forms`.
    fn existing<M>(
        &mut self,
        model: &mut M,
        node: &mut Node,
        forms: &[keys::Form],
        set: fn(&mut M, Sp<Existing>),
    ) {
        let span = node.span;
        if let Value::Str(arn) = &mut node.value {
            let value = Existing::Arn(std::mem::take(arn));
            return set(model, Sp::new(value, span));
        }
        let help =
            "write a stream ARN, `{env: path/in/parameter/store}` or `{parameter: ParameterName}`";
        if !matches!(node.value, Value::Map(_)) {
            self.wrong_type(
                node,
                "existing",
                "an ARN or a mapping",
                Some(help.to_owned()),
            );
            return;
        }
        let Some(mut entries) = self.entries(node, "existing") else {
            return;
        };
        let names: Vec<&str> = forms.iter().map(|f| f.name).collect();
        let mut found = None;
        for e in &mut entries {
            let Some(form) = forms.iter().find(|f| f.name == e.key.value) else {
                self.unknown_key(&e.key, "`existing`", &names, None);
                continue;
            };
            let value = self
                .string(e.value, &join(&["existing.", form.name]))
                .map(form.make);
            if found.is_some() {
                self.wrong_type(
                    node,
                    "existing",
                    "one of `env` or `parameter`",
                    Some(help.to_owned()),
                );
                return;
            }
            found = Some(value);
        }
        match found {
            Some(Some(value)) => set(model, Sp::new(value, node.span)),
            Some(None) => {}
            None if entries.is_empty() => self.wrong_type(
                node,
                "existing",
                "an ARN or a mapping with one key",
                Some(help.to_owned()),
            ),
            None => {}
        }
    }

    fn wire(&mut self, node: &mut Node) -> Option<Wire> {
        let span = node.span;
        let mut entries = self.entries(node, "a wire")?;
        let mut w = Wire {
            span,
            from: None,
            to: None,
            kind: None,
            event: None,
            discovery: None,
            keys: Vec::new(),
        };
        let at = Place {
            context: "a wire",
            prefix: "",
            missing: span,
        };
        let tables = [keys::WIRE_END, keys::EVENT, keys::DISCOVERY];
        w.keys = self.fields(&mut entries, &tables, &mut w, at, &|_| None);
        Some(w)
    }
}

/// The entries of a mapping that are kept: a bit each (in one word, for the mappings of up to 64
/// entries that nearly all are).
struct Kept {
    small: u64,
    large: Vec<bool>,
    count: usize,
}

impl Kept {
    fn new(len: usize) -> Kept {
        Kept {
            small: 0,
            large: if len > 64 {
                vec![false; len]
            } else {
                Vec::new()
            },
            count: 0,
        }
    }

    fn set(&mut self, i: usize) {
        match self.large.get_mut(i) {
            Some(bit) => *bit = true,
            None if i < 64 => self.small |= 1 << i,
            None => {}
        }
        self.count += 1;
    }

    fn has(&self, i: usize) -> bool {
        if self.large.is_empty() {
            i < 64 && self.small & (1 << i) != 0
        } else {
            self.large.get(i).copied().unwrap_or(false)
        }
    }
}

/// Where a mapping is, for its diagnostics.
#[derive(Clone, Copy)]
struct Place<'a> {
    /// What the mapping is, as messages name it ("a wire", "Stream `Orders`").
    context: &'a str,
    /// Put before a key's name where messages name the key (`env.`).
    prefix: &'a str,
    /// Where a missing required key is reported.
    missing: SourceSpan,
}

fn is_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
