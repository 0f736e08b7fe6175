//! The deploy guard (SPEC section 6): what a deploy of one template over another would do to
//! each resource, as CloudFormation sees them (SAM Functions expanded first), and what that
//! means for the data.
//!
//! - [`read`]: a template's text (YAML with short-form tags, or JSON) -> the template model;
//! - [`load`]: a file -> a [`Side`]: a template, or a stack description compiled first, told
//!   apart by content, then expanded with the CloudFormation target's module;
//! - [`compare`]: two sides -> a [`Report`], one [`Entry`] per resource;
//! - [`render`]: the report as human text, JSON or a Markdown table.
//!
//! Replacement follows each type's create-only properties from the CloudFormation resource
//! schemas ([`crate::aws::create_only`]), and spreads to resources whose create-only
//! properties read a replaced one.

pub mod load;
mod masked;
pub mod read;
pub mod render;
pub mod stateful;
pub mod tree;

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use crate::aws::Pointers;
use stateful::{How, MAPPING};
pub use tree::Tree;

/// One template, as the guard compares it.
#[derive(Debug, Clone, Default)]
pub struct Side {
    pub resources: IndexMap<String, Resource>,
    /// Each parameter's `Default`, if it has one.
    pub parameters: IndexMap<String, Option<Tree>>,
    /// What only SAM's transform expands, compared as written: `Resources.Api: why`.
    pub unexpanded: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub kind: String,
    /// `Properties` (an empty mapping when there are none).
    pub properties: Tree,
    /// Every other key of the resource but `Type`: `DeletionPolicy`, `Condition`, ...
    pub attributes: IndexMap<String, Tree>,
}

impl Resource {
    fn policy(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).and_then(Tree::as_str)
    }

    /// Removing it leaves it in the account: `DeletionPolicy: Retain` or
    /// `RetainExceptOnCreate` (the resource was created by an earlier deploy).
    fn retained_on_delete(&self) -> bool {
        matches!(
            self.policy("DeletionPolicy"),
            Some("Retain" | "RetainExceptOnCreate")
        )
    }

    fn retained_on_replace(&self) -> bool {
        self.policy("UpdateReplacePolicy") == Some("Retain")
    }
}

/// What a deploy does to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Unchanged,
    Update,
    MayReplace,
    Replace,
    Add,
    Delete,
    Orphan,
}

impl Action {
    pub fn word(self) -> &'static str {
        match self {
            Action::Unchanged => "unchanged",
            Action::Update => "update",
            Action::MayReplace => "may replace",
            Action::Replace => "replace",
            Action::Add => "add",
            Action::Delete => "delete",
            Action::Orphan => "orphan",
        }
    }
}

/// What a change to one property does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    Update,
    MayReplace,
    Replace,
}

impl Effect {
    pub fn word(self) -> &'static str {
        match self {
            Effect::Update => "update",
            Effect::MayReplace => "may replace",
            Effect::Replace => "replace",
        }
    }
}

/// A changed property (`Name`, `StartingPosition`, `DeletionPolicy`), and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyChange {
    pub path: String,
    pub effect: Effect,
    /// Why, when it is not the property's own text: `reads Orders, which is replaced`.
    pub because: Option<String>,
}

/// One resource's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub kind: String,
    pub action: Action,
    pub changes: Vec<PropertyChange>,
    /// A likely rename: on a deleted resource the ID it was renamed to, on an added one the ID
    /// it was renamed from.
    pub renamed_to: Option<String>,
    pub renamed_from: Option<String>,
    /// An added mapping for the function and stream of a deleted one: the deleted one's ID.
    pub recreates: Option<String>,
    /// What it means, in words.
    pub consequences: Vec<String>,
    /// Deletes or replaces data, or restarts a mapping (exit 5 unless allowed).
    pub destructive: bool,
    /// Named with `--allow` (its ID, or the other ID of its rename).
    pub allowed: bool,
}

impl Entry {
    /// The property that forces this resource's replacement, if any.
    pub fn forced_by(&self) -> Option<&PropertyChange> {
        let wanted = match self.action {
            Action::Replace => Effect::Replace,
            Action::MayReplace => Effect::MayReplace,
            _ => return None,
        };
        self.changes.iter().find(|c| c.effect == wanted)
    }

    pub fn blocks(&self) -> bool {
        self.destructive && !self.allowed
    }
}

/// Everything the guard found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub entries: Vec<Entry>,
    /// Parameters whose default changed, added or removed.
    pub parameters: Vec<String>,
    /// What was compared as written, unexpanded.
    pub notes: Vec<String>,
}

impl Report {
    pub fn blocked(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.blocks())
    }

    /// How many resources each action applies to, in a fixed order, leaving out zeros.
    pub fn counts(&self) -> Vec<(Action, usize)> {
        let order = [
            Action::Replace,
            Action::MayReplace,
            Action::Delete,
            Action::Orphan,
            Action::Add,
            Action::Update,
            Action::Unchanged,
        ];
        order
            .into_iter()
            .map(|a| (a, self.entries.iter().filter(|e| e.action == a).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// One sentence: what changes and whether the guard lets it through.
    pub fn summary(&self) -> String {
        let counts: Vec<String> = self
            .counts()
            .into_iter()
            .filter(|(a, _)| *a != Action::Unchanged)
            .map(|(a, n)| format!("{n} {}", a.word()))
            .collect();
        let mut text = if counts.is_empty() {
            "no resource changes".to_owned()
        } else {
            counts.join(", ")
        };
        let blocked: Vec<&str> = self.blocked().map(|e| e.id.as_str()).collect();
        let allowed = self
            .entries
            .iter()
            .filter(|e| e.destructive && e.allowed)
            .count();
        if blocked.is_empty() {
            if allowed > 0 {
                text.push_str(&format!("; {allowed} destructive change(s), all allowed"));
            }
        } else {
            text.push_str(&format!(
                "; destructive: {} (allow with --allow ID)",
                blocked.join(", ")
            ));
        }
        text
    }
}

/// The guard's verdict on a deploy of `new` over `old`; `allow` names the resources whose
/// destructive change is accepted.
pub fn compare(old: &Side, new: &Side, allow: &[String]) -> Report {
    let mut entries: Vec<Entry> = Vec::with_capacity(new.resources.len() + old.resources.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(entries.capacity());
    for (id, resource) in &new.resources {
        let entry = match old.resources.get(id) {
            Some(before) => changed(id, before, resource, old, new),
            None => Entry::new(id, &resource.kind, Action::Add),
        };
        index.insert(id.clone(), entries.len());
        entries.push(entry);
    }
    for (id, resource) in &old.resources {
        if new.resources.contains_key(id) {
            continue;
        }
        let action = if resource.retained_on_delete() {
            Action::Orphan
        } else {
            Action::Delete
        };
        index.insert(id.clone(), entries.len());
        entries.push(Entry::new(id, &resource.kind, action));
    }
    let parameters = changed_parameters(old, new);
    spread(&mut entries, &index, new, &parameters);
    renames(&mut entries, old, new);
    recreated_mappings(&mut entries, old, new);
    for entry in &mut entries {
        consequences(entry, old, new);
        entry.allowed = allow.iter().any(|a| {
            *a == entry.id
                || entry.renamed_from.as_deref() == Some(a)
                || entry.renamed_to.as_deref() == Some(a)
                || entry.recreates.as_deref() == Some(a)
        });
    }
    let mut notes: Vec<String> = Vec::new();
    for (which, side) in [("old", old), ("new", new)] {
        for note in &side.unexpanded {
            notes.push(format!("{which}: {note}"));
        }
    }
    Report {
        entries,
        parameters,
        notes,
    }
}

impl Entry {
    fn new(id: &str, kind: &str, action: Action) -> Entry {
        Entry {
            id: id.to_owned(),
            kind: kind.to_owned(),
            action,
            changes: Vec::new(),
            renamed_to: None,
            renamed_from: None,
            recreates: None,
            consequences: Vec::new(),
            destructive: false,
            allowed: false,
        }
    }

    /// Records `change`, raising the action to what it does.
    fn push(&mut self, change: PropertyChange) {
        let action = match change.effect {
            Effect::Update => Action::Update,
            Effect::MayReplace => Action::MayReplace,
            Effect::Replace => Action::Replace,
        };
        if self.action < action {
            self.action = action;
        }
        self.changes.push(change);
    }
}

/// The create-only pointers of `kind` (unconditional, then conditional).
fn create_only(kind: &str) -> (Pointers, Pointers) {
    match crate::aws::create_only(kind) {
        Some(schema) => (schema.create_only, schema.conditional_create_only),
        None => (Pointers::NONE, Pointers::NONE),
    }
}

/// `/properties/A/B` as `A.B`.
fn shown(pointer: &str) -> String {
    pointer
        .strip_prefix("/properties/")
        .unwrap_or(pointer)
        .replace('/', ".")
}

/// A resource on both sides.
fn changed<'a>(
    id: &str,
    before: &'a Resource,
    after: &'a Resource,
    old: &Side,
    new: &Side,
) -> Entry {
    let mut entry = Entry::new(id, &after.kind, Action::Unchanged);
    if before.kind != after.kind {
        entry.push(PropertyChange {
            path: "Type".to_owned(),
            effect: Effect::Replace,
            because: Some(format!("was {}", before.kind)),
        });
        return entry;
    }
    // The same properties and attributes: nothing to look at (most resources of a deploy).
    if before.properties == after.properties && before.attributes == after.attributes {
        return entry;
    }
    // A Logical ID of either side is a resource (one renamed away still was one).
    let is_resource = |n: &str| new.resources.contains_key(n) || old.resources.contains_key(n);
    let (create_only, conditional) = create_only(&after.kind);
    let mut forcing: HashSet<String> = HashSet::new();
    for (pointers, conditional) in [(create_only, false), (conditional, true)] {
        for pointer in pointers.iter() {
            let was = before.properties.at_pointer(pointer);
            let now = after.properties.at_pointer(pointer);
            if was == now {
                continue;
            }
            let unknown =
                |side: &[Option<&Tree>]| side.iter().flatten().any(|t| t.deploy_time(&is_resource));
            let reads = |side: &[Option<&Tree>]| {
                side.iter()
                    .flatten()
                    .any(|t| t.reads_resource(&is_resource))
            };
            // Text against a resource's attribute may be the same ARN; a parameter, an import
            // or a condition is known only at deploy time.
            let maybe = conditional
                || ((unknown(&was)
                    || unknown(&now)
                    || (reads(&was) != reads(&now) && was.iter().all(Option::is_some)))
                    && could_be_equal(&was, &now));
            let path = shown(pointer);
            forcing.insert(path.split('.').next().unwrap_or(&path).to_owned());
            entry.push(PropertyChange {
                path,
                effect: if maybe {
                    Effect::MayReplace
                } else {
                    Effect::Replace
                },
                because: conditional.then(|| "replacement depends on the change".to_owned()),
            });
        }
    }
    // Every other changed property (top level), in the new template's order, then removed ones.
    let empty = tree::Fields::default();
    let props = |r: &'a Resource| match &r.properties {
        Tree::Map(m) => m,
        _ => &empty,
    };
    let (was, now) = (props(before), props(after));
    let mut keys: Vec<&String> = now.keys().collect();
    keys.extend(was.keys().filter(|k| !now.contains_key(k)));
    for key in keys {
        if was.get(key) != now.get(key) && !forcing.contains(key.as_str()) {
            entry.push(PropertyChange {
                path: key.clone(),
                effect: Effect::Update,
                because: None,
            });
        }
    }
    let mut attributes: Vec<&String> = after.attributes.keys().collect();
    attributes.extend(
        before
            .attributes
            .keys()
            .filter(|k| !after.attributes.contains_key(*k)),
    );
    for key in attributes {
        if before.attributes.get(key) != after.attributes.get(key) {
            entry.push(PropertyChange {
                path: key.clone(),
                effect: Effect::Update,
                because: None,
            });
        }
    }
    entry
}

/// Whether two values of a property, one or both known only at deploy time, can still turn
/// out the same: text against a `Fn::Sub` whose literal parts it cannot match (`orders`
/// against `${AWS::StackName}-Orders`) cannot.
fn could_be_equal(was: &[Option<&Tree>], now: &[Option<&Tree>]) -> bool {
    let ([Some(a)], [Some(b)]) = (was, now) else {
        return true;
    };
    let sub = |t: &Tree| t.get("Fn::Sub").and_then(Tree::as_str).map(str::to_owned);
    match ((a.as_str(), sub(a)), (b.as_str(), sub(b))) {
        ((Some(text), _), (_, Some(pattern))) | ((_, Some(pattern)), (Some(text), _)) => {
            sub_matches(&pattern, text)
        }
        _ => true,
    }
}

/// Whether `text` can be what `pattern` (a `Fn::Sub` text) becomes, each `${...}` standing for
/// any non-empty text (`${!x}` is the literal `${x}`).
fn sub_matches(pattern: &str, text: &str) -> bool {
    // The literal parts, in order.
    let mut parts: Vec<String> = vec![String::new()];
    let mut rest = pattern;
    while let Some(at) = rest.find("${") {
        let (before, after) = rest.split_at(at);
        if let Some(last) = parts.last_mut() {
            last.push_str(before);
        }
        let Some(end) = after.find('}') else {
            if let Some(last) = parts.last_mut() {
                last.push_str(after);
            }
            rest = "";
            break;
        };
        let inner = &after[2..end];
        if let Some(literal) = inner.strip_prefix('!') {
            if let Some(last) = parts.last_mut() {
                last.push_str("${");
                last.push_str(literal);
                last.push('}');
            }
        } else {
            parts.push(String::new());
        }
        rest = &after[end + 1..];
    }
    if let Some(last) = parts.last_mut() {
        last.push_str(rest);
    }
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return true;
    };
    if parts.len() == 1 {
        return first == text;
    }
    if !text.starts_with(first.as_str()) || !text.ends_with(last.as_str()) {
        return false;
    }
    if text.len() < first.len() + last.len() + (parts.len() - 1) {
        return false;
    }
    // Each variable is at least one character; the middle parts in order between.
    let end = text.len() - last.len();
    // The byte after one character at `at`, if that character ends by `end`.
    let one_char = |at: usize| {
        text.get(at..end)
            .and_then(|t| t.chars().next())
            .map(|c| at + c.len_utf8())
    };
    let Some(mut at) = one_char(first.len()) else {
        return false;
    };
    for part in &parts[1..parts.len() - 1] {
        let Some(found) = text.get(at..end).and_then(|t| t.find(part.as_str())) else {
            return false;
        };
        match one_char(at + found + part.len()) {
            Some(next) => at = next,
            None => return false,
        }
    }
    at <= end
}

/// Parameters added, removed, or with a new default.
fn changed_parameters(old: &Side, new: &Side) -> Vec<String> {
    let mut out: Vec<String> = new
        .parameters
        .iter()
        .filter(|(name, default)| old.parameters.get(*name) != Some(*default))
        .map(|(name, _)| name.clone())
        .collect();
    out.extend(
        old.parameters
            .keys()
            .filter(|name| !new.parameters.contains_key(*name))
            .cloned(),
    );
    out
}

/// Replacement spreads: a resource whose create-only property reads a replaced resource (or a
/// parameter whose default changed) is replaced (or may be) too; one whose other properties
/// read it is updated with the new value.
fn spread(
    entries: &mut [Entry],
    index: &HashMap<String, usize>,
    new: &Side,
    parameters: &[String],
) {
    // Sources: replaced resources, and parameters whose default changed (may replace).
    let mut queue: std::collections::VecDeque<(String, Effect)> = entries
        .iter()
        .filter_map(|e| match e.action {
            Action::Replace => Some((e.id.clone(), Effect::Replace)),
            Action::MayReplace => Some((e.id.clone(), Effect::MayReplace)),
            _ => None,
        })
        .collect();
    queue.extend(
        parameters
            .iter()
            .filter(|p| new.parameters.contains_key(*p))
            .map(|p| (p.clone(), Effect::MayReplace)),
    );
    // Nothing replaced and no default changed: nothing spreads (who reads what is not needed).
    if queue.is_empty() {
        return;
    }
    // Who reads what: name -> (reader, property, whether create-only).
    let mut readers: HashMap<&str, Vec<(usize, String, Effect)>> = HashMap::new();
    let mut names = Vec::new();
    for (id, resource) in &new.resources {
        let Some(&at) = index.get(id) else { continue };
        if entries[at].action == Action::Add {
            continue;
        }
        let (create_only, conditional) = create_only(&resource.kind);
        let mut seen: HashSet<String> = HashSet::new();
        for (pointers, effect) in [
            (create_only, Effect::Replace),
            (conditional, Effect::MayReplace),
        ] {
            for pointer in pointers.iter() {
                for value in resource
                    .properties
                    .at_pointer(pointer)
                    .into_iter()
                    .flatten()
                {
                    names.clear();
                    value.references(&mut names);
                    let path = shown(pointer);
                    seen.insert(path.split('.').next().unwrap_or(&path).to_owned());
                    for name in names.drain(..) {
                        if let Some((key, _)) = new.resources.get_key_value(name) {
                            readers.entry(key.as_str()).or_default().push((
                                at,
                                path.clone(),
                                effect,
                            ));
                        } else if let Some((key, _)) = new.parameters.get_key_value(name) {
                            readers.entry(key.as_str()).or_default().push((
                                at,
                                path.clone(),
                                Effect::MayReplace,
                            ));
                        }
                    }
                }
            }
        }
        if let Tree::Map(props) = &resource.properties {
            for (key, value) in props {
                if seen.contains(key) {
                    continue;
                }
                names.clear();
                value.references(&mut names);
                for name in names.drain(..) {
                    let key_name = new
                        .resources
                        .get_key_value(name)
                        .map(|(k, _)| k)
                        .or_else(|| new.parameters.get_key_value(name).map(|(k, _)| k));
                    if let Some(k) = key_name {
                        readers.entry(k.as_str()).or_default().push((
                            at,
                            key.clone(),
                            Effect::Update,
                        ));
                    }
                }
            }
        }
    }
    let mut done: HashSet<(usize, String, String)> = HashSet::new();
    while let Some((source, strength)) = queue.pop_front() {
        let Some(list) = readers.get(source.as_str()) else {
            continue;
        };
        let is_parameter = !index.contains_key(&source);
        for (reader, path, effect) in list {
            let effect = match (effect, strength) {
                (Effect::Update, _) => Effect::Update,
                (_, Effect::MayReplace) | (Effect::MayReplace, _) => Effect::MayReplace,
                _ => Effect::Replace,
            };
            if !done.insert((*reader, path.clone(), source.clone())) {
                continue;
            }
            let entry = &mut entries[*reader];
            let before = entry.action;
            let because = if is_parameter {
                format!("reads parameter {source}, whose default changed")
            } else if strength == Effect::Replace {
                format!("reads {source}, which is replaced")
            } else {
                format!("reads {source}, which may be replaced")
            };
            if entry
                .changes
                .iter()
                .any(|c| c.path == *path && c.effect >= effect)
            {
                continue;
            }
            entry.push(PropertyChange {
                path: path.clone(),
                effect,
                because: Some(because),
            });
            let now = entry.action;
            if now != before && matches!(now, Action::Replace | Action::MayReplace) {
                let strength = if now == Action::Replace {
                    Effect::Replace
                } else {
                    Effect::MayReplace
                };
                queue.push_back((entry.id.clone(), strength));
            }
        }
    }
}

/// Pairs each removed ID with an added one of the same type and like properties: a likely
/// rename. Bucketed by type; within a bucket candidates must have the same create-only values
/// (with renamed IDs masked), and a bucket too large to compare pairwise is matched on equal
/// properties only. Values are compared masked in place ([`masked::Moved`]), never copied.
fn renames(entries: &mut [Entry], old: &Side, new: &Side) {
    let removed: Vec<usize> = (0..entries.len())
        .filter(|&i| matches!(entries[i].action, Action::Delete | Action::Orphan))
        .collect();
    if removed.is_empty() {
        return;
    }
    let added: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].action == Action::Add)
        .collect();
    let moved: HashSet<&str> = removed
        .iter()
        .chain(&added)
        .map(|&i| entries[i].id.as_str())
        .collect();
    let moved = masked::Moved::new(&moved);
    let mut buckets: IndexMap<&str, (Vec<usize>, Vec<usize>)> = IndexMap::new();
    for &i in &removed {
        buckets
            .entry(entries[i].kind.as_str())
            .or_default()
            .0
            .push(i);
    }
    for &i in &added {
        if let Some(bucket) = buckets.get_mut(entries[i].kind.as_str()) {
            bucket.1.push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (kind, (gone, came)) in &buckets {
        if came.is_empty() {
            continue;
        }
        let (create_only, _) = create_only(kind);
        let ids = |list: &[usize]| -> Vec<(usize, &str)> {
            list.iter().map(|&i| (i, entries[i].id.as_str())).collect()
        };
        let same_key = |a: &[Option<&Tree>], b: &[Option<&Tree>]| {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| moved.eq_opt(*a, *b))
        };
        let gone = prepared(old, &ids(gone), create_only);
        let came = prepared(new, &ids(came), create_only);
        let mut taken = vec![false; came.len()];
        let pairwise = gone.len().saturating_mul(came.len()) <= 10_000;
        let mut exact: HashMap<u64, Vec<usize>> = HashMap::new();
        if !pairwise {
            for (j, (_, _, props)) in came.iter().enumerate() {
                exact.entry(moved.hash(props)).or_default().push(j);
            }
        }
        for (i, gone_key, gone_props) in &gone {
            let mut best: Option<(usize, f64)> = None;
            if pairwise {
                for (j, (_, came_key, came_props)) in came.iter().enumerate() {
                    if taken[j] || !same_key(came_key, gone_key) {
                        continue;
                    }
                    let score = likeness(gone_props, came_props, &moved);
                    if score >= 0.5 && best.is_none_or(|(_, s)| score > s) {
                        best = Some((j, score));
                    }
                }
            } else if let Some(list) = exact.get(&moved.hash(gone_props)) {
                best = list
                    .iter()
                    .find(|&&j| {
                        !taken[j]
                            && moved.eq(came[j].2, gone_props)
                            && same_key(&came[j].1, gone_key)
                    })
                    .map(|&j| (j, 1.0));
            }
            if let Some((j, _)) = best {
                taken[j] = true;
                pairs.push((*i, came[j].0));
            }
        }
    }
    for (gone, came) in pairs {
        let (gone_id, came_id) = (entries[gone].id.clone(), entries[came].id.clone());
        entries[gone].renamed_to = Some(came_id);
        entries[came].renamed_from = Some(gone_id);
    }
}

/// Each of `list`'s resources in `side`: its entry's index, its create-only values in order, and
/// its properties.
type Prepared<'a> = (usize, Vec<Option<&'a Tree>>, &'a Tree);

fn prepared<'a>(
    side: &'a Side,
    list: &[(usize, &str)],
    create_only: Pointers,
) -> Vec<Prepared<'a>> {
    list.iter()
        .filter_map(|&(i, id)| {
            let r = side.resources.get(id)?;
            let key = create_only
                .iter()
                .flat_map(|p| r.properties.at_pointer(p))
                .collect();
            Some((i, key, &r.properties))
        })
        .collect()
}

/// The share of top-level properties two resources have alike once masked (1 when neither has
/// any).
fn likeness(a: &Tree, b: &Tree, moved: &masked::Moved<'_>) -> f64 {
    let (Tree::Map(a), Tree::Map(b)) = (a, b) else {
        return if moved.eq(a, b) { 1.0 } else { 0.0 };
    };
    let keys: HashSet<&String> = a.keys().chain(b.keys()).collect();
    if keys.is_empty() {
        return 1.0;
    }
    let same = keys
        .iter()
        .filter(|k| match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) => moved.eq(x, y),
            _ => false,
        })
        .count();
    same as f64 / keys.len() as f64
}

/// Property `key` of the resource `id` in `side`.
fn was_props<'a>(side: &'a Side, id: &str, key: &str) -> Option<&'a Tree> {
    side.resources.get(id)?.properties.get(key)
}

/// What identifies a mapping to Lambda: its function and its source.
fn mapping_pair(r: &Resource) -> Option<(&Tree, &Tree)> {
    Some((
        r.properties.get("FunctionName")?,
        r.properties.get("EventSourceArn")?,
    ))
}

/// An added mapping for the same function and stream as a deleted one re-creates it.
fn recreated_mappings(entries: &mut [Entry], old: &Side, new: &Side) {
    let mut deleted: HashMap<(&Tree, &Tree), &str> = HashMap::new();
    for e in entries.iter() {
        if e.kind == MAPPING
            && matches!(e.action, Action::Delete | Action::Orphan)
            && let Some(pair) = old.resources.get(&e.id).and_then(mapping_pair)
        {
            deleted.entry(pair).or_insert(e.id.as_str());
        }
    }
    if deleted.is_empty() {
        return;
    }
    let found: Vec<(usize, String)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == MAPPING && e.action == Action::Add)
        .filter_map(|(i, e)| {
            let pair = new.resources.get(&e.id).and_then(mapping_pair)?;
            deleted.get(&pair).map(|id| (i, (*id).to_owned()))
        })
        .collect();
    for (i, id) in found {
        entries[i].recreates = Some(id);
    }
}

/// The consequences of `entry`, in words, and whether it is destructive.
fn consequences(entry: &mut Entry, old: &Side, new: &Side) {
    let was = old.resources.get(&entry.id);
    let now = new.resources.get(&entry.id);
    let kind = entry.kind.clone();
    let mut words: Vec<String> = Vec::new();
    let mut destructive = false;
    let retained_on_replace = was.is_some_and(Resource::retained_on_replace);
    let how = match entry.action {
        Action::Replace => Some(How::Replace),
        Action::MayReplace => Some(How::MayReplace),
        Action::Delete => Some(How::Delete),
        Action::Orphan => Some(How::Orphan),
        _ => None,
    };
    if let Some(how) = how
        && let Some(text) = stateful::loss(&kind, how, retained_on_replace)
    {
        words.push(text);
        destructive |= how != How::Orphan;
    }
    if let Some(to) = &entry.renamed_to {
        words.push(format!(
            "likely renamed to {to}: CloudFormation deletes {} and creates {to}; keep the Logical ID {} to keep the deployed resource",
            entry.id, entry.id
        ));
    }
    if let Some(from) = entry.renamed_from.clone() {
        words.push(format!(
            "likely a rename of {from}: CloudFormation creates {} and deletes {from}; keep the Logical ID {from} to keep the deployed resource",
            entry.id
        ));
        // The mapping of a wire is `<Function><Event>`: the wire's `event:` keeps its name.
        if kind == MAPPING
            && let Some(function_name) = was_props(old, &from, "FunctionName")
            && let Tree::Map(f) = function_name
            && was_props(new, &entry.id, "FunctionName") == Some(function_name)
            && let Some(Tree::Scalar(function)) = f.get("Ref")
            && let Some(event) = from.strip_prefix(function.as_str())
            && !event.is_empty()
        {
            words.push(format!(
                "for a stack description's wire, `event: {event}` keeps the mapping's Logical ID"
            ));
        }
        if let Some(text) = stateful::loss(&kind, How::Recreate, false) {
            words.push(text);
            destructive = true;
        }
    }
    if kind == MAPPING {
        let position = now
            .and_then(|r| r.properties.get("StartingPosition"))
            .and_then(Tree::as_str);
        let restarts = match entry.action {
            Action::Replace | Action::MayReplace => true,
            Action::Add => entry.renamed_from.is_some() || entry.recreates.is_some(),
            _ => false,
        };
        if restarts {
            destructive = true;
            words.push(stateful::starting_position(position));
            // Replaced for the same function and stream, or re-created for them under a new ID.
            let same_pair = match entry.action {
                Action::Replace | Action::MayReplace => {
                    // A source that is itself replaced is a new stream: a new pair.
                    let (a, b) = (was.and_then(mapping_pair), now.and_then(mapping_pair));
                    a.is_some()
                        && a == b
                        && !entry.changes.iter().any(|c| c.path == "EventSourceArn")
                }
                _ => entry.recreates.is_some(),
            };
            if same_pair {
                words.push(stateful::ALREADY_EXISTS.to_owned());
            }
        } else if entry.action == Action::Add {
            words.push(stateful::starting_position(position));
        } else if matches!(entry.action, Action::Delete | Action::Orphan)
            && entry.renamed_to.is_none()
        {
            words.push("the function no longer receives this stream's records".to_owned());
        }
    }
    entry.consequences = words;
    entry.destructive = destructive;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(text: &str) -> Side {
        load::side_of_template(text).unwrap()
    }

    const BASE: &str = "Resources:
  Orders:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: x}
      Runtime: python3.13
      Handler: index.handler
  FnOrders:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: !GetAtt Orders.Arn
      StartingPosition: TRIM_HORIZON
";

    fn action(report: &Report, id: &str) -> Action {
        report.entries.iter().find(|e| e.id == id).unwrap().action
    }

    #[test]
    fn identical_templates_change_nothing() {
        let r = compare(&side(BASE), &side(BASE), &[]);
        assert!(r.entries.iter().all(|e| e.action == Action::Unchanged));
        assert_eq!(r.blocked().count(), 0);
    }

    #[test]
    fn a_stream_name_replaces_and_spreads_to_its_mapping() {
        let new = BASE.replace("ShardCount: 1", "ShardCount: 1\n      Name: orders");
        let r = compare(&side(BASE), &side(&new), &[]);
        assert_eq!(action(&r, "Orders"), Action::Replace);
        assert_eq!(action(&r, "FnOrders"), Action::Replace);
        assert_eq!(action(&r, "Fn"), Action::Unchanged);
        let blocked: Vec<&str> = r.blocked().map(|e| e.id.as_str()).collect();
        assert_eq!(blocked, ["Orders", "FnOrders"]);
        let allowed = compare(
            &side(BASE),
            &side(&new),
            &["Orders".into(), "FnOrders".into()],
        );
        assert_eq!(allowed.blocked().count(), 0);
    }

    #[test]
    fn a_starting_position_replaces_the_mapping_for_the_same_pair() {
        let new = BASE.replace("TRIM_HORIZON", "LATEST");
        let r = compare(&side(BASE), &side(&new), &[]);
        let e = r.entries.iter().find(|e| e.id == "FnOrders").unwrap();
        assert_eq!(e.action, Action::Replace);
        assert_eq!(e.forced_by().unwrap().path, "StartingPosition");
        assert!(e.consequences.iter().any(|c| c.contains("already exists")));
        assert_eq!(action(&r, "Orders"), Action::Unchanged);
    }

    #[test]
    fn a_renamed_stream_is_paired_and_a_retained_one_orphaned() {
        let new = BASE.replace("Orders", "Sales");
        let r = compare(&side(BASE), &side(&new), &[]);
        let gone = r.entries.iter().find(|e| e.id == "Orders").unwrap();
        assert_eq!(gone.action, Action::Delete);
        assert_eq!(gone.renamed_to.as_deref(), Some("Sales"));
        let mapping = r.entries.iter().find(|e| e.id == "FnSales").unwrap();
        assert_eq!(mapping.renamed_from.as_deref(), Some("FnOrders"));
        assert!(mapping.destructive);
        let retained = BASE.replace(
            "Type: AWS::Kinesis::Stream\n",
            "Type: AWS::Kinesis::Stream\n    DeletionPolicy: Retain\n",
        );
        let r = compare(&side(&retained), &side(&new), &[]);
        assert_eq!(action(&r, "Orders"), Action::Orphan);
    }

    #[test]
    fn a_parameter_for_a_create_only_property_may_replace() {
        let old = format!(
            "Parameters:\n  N: {{Type: String}}\n{}",
            BASE.replace("ShardCount: 1", "ShardCount: 1\n      Name: orders")
        );
        let new = old.replace("Name: orders", "Name: !Ref N");
        let r = compare(&side(&old), &side(&new), &[]);
        assert_eq!(action(&r, "Orders"), Action::MayReplace);
        assert_eq!(action(&r, "FnOrders"), Action::MayReplace);
    }

    #[test]
    fn substitutions_that_cannot_match_replace() {
        assert!(sub_matches("${AWS::StackName}-Orders", "prod-Orders"));
        assert!(!sub_matches("${AWS::StackName}-Orders", "orders"));
        assert!(!sub_matches("${AWS::StackName}-Orders", "-Orders"));
        assert!(sub_matches("a-${X}-b-${Y}", "a-1-b-2"));
        assert!(!sub_matches("a-${X}-b-${Y}", "a--b-2"));
        assert!(sub_matches("${!Literal}", "${Literal}"));
        assert!(sub_matches("${A}-x", "é-x"));
        assert!(sub_matches("a${A}b${B}c", "aébéc"));
        assert!(!sub_matches("a${A}b${B}c", "abéc"));
        let old = BASE.replace("ShardCount: 1", "ShardCount: 1\n      Name: orders");
        let new = old.replace("Name: orders", "Name: !Sub '${AWS::StackName}-Orders'");
        let r = compare(&side(&old), &side(&new), &[]);
        assert_eq!(action(&r, "Orders"), Action::Replace);
        let new = old.replace("Name: orders", "Name: !Sub '${AWS::StackName}'");
        let r = compare(&side(&old), &side(&new), &[]);
        assert_eq!(action(&r, "Orders"), Action::MayReplace);
    }

    #[test]
    fn an_update_in_place_is_not_destructive() {
        let new = BASE.replace("ShardCount: 1", "ShardCount: 2");
        let r = compare(&side(BASE), &side(&new), &[]);
        assert_eq!(action(&r, "Orders"), Action::Update);
        assert_eq!(r.blocked().count(), 0);
    }
}
