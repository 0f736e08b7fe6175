//! The template model: CloudFormation values, with intrinsic functions as their own variants so
//! `emit` can write them in short form (`!Ref X`, `!GetAtt X.Arn`, ...).

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};

use indexmap::IndexMap;

/// The hasher of [`Map`]'s index: foldhash, seeded per process (keys can come from the user's
/// file), much cheaper than the standard library's SipHash on the short keys a template has.
/// Iteration is in insertion order whatever the hasher, so the output does not depend on it.
type Hasher = foldhash::fast::RandomState;

type Inner = IndexMap<Key, Value, Hasher>;

/// A mapping's key. Most are names CloudFormation fixes (`Type`, `Properties`, `Statement`),
/// which stackwire writes thousands of times a template: those are borrowed, never allocated or
/// freed. The rest (Logical IDs, a user's own keys) are owned. To every reader a key is its text:
/// it hashes, compares and orders as a `str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(Cow<'static, str>);

impl Key {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Key {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&'static str> for Key {
    fn from(s: &'static str) -> Key {
        Key(Cow::Borrowed(s))
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key(Cow::Owned(s))
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        k.into_string()
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A mapping in insertion order: an [`IndexMap`] (every method of which it has, by `Deref`) with
/// a cheaper hasher.
///
/// A mapping built once for the whole process (the trust policy every generated role has) can
/// be shared instead of copied ([`Map::shared`]): cloning and dropping it cost nothing, and it
/// is copied only when changed (`DerefMut`), so to every reader it is an ordinary mapping.
#[derive(Clone, Default)]
pub struct Map(Repr);

#[derive(Clone)]
enum Repr {
    Owned(Inner),
    Shared(&'static Inner),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Owned(Inner::default())
    }
}

impl Map {
    pub fn new() -> Map {
        Map(Repr::Owned(IndexMap::with_hasher(Hasher::default())))
    }

    pub fn with_capacity(n: usize) -> Map {
        Map(Repr::Owned(IndexMap::with_capacity_and_hasher(
            n,
            Hasher::default(),
        )))
    }

    /// `map` itself, not a copy of it: for mappings that live as long as the process.
    pub fn shared(map: &'static Map) -> Map {
        Map(Repr::Shared(map))
    }
}

impl Deref for Map {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        match &self.0 {
            Repr::Owned(m) => m,
            Repr::Shared(m) => m,
        }
    }
}

impl DerefMut for Map {
    /// The mapping to change: a shared one is copied first.
    fn deref_mut(&mut self) -> &mut Inner {
        loop {
            match self.0 {
                Repr::Owned(ref mut m) => return m,
                Repr::Shared(m) => self.0 = Repr::Owned(m.clone()),
            }
        }
    }
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// Equal as mappings: the same keys with equal values, in any order (as [`IndexMap`] compares).
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        **self == **other
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(entries: I) -> Map {
        Map(Repr::Owned(IndexMap::from_iter(
            entries.into_iter().map(|(k, v)| (k.into(), v)),
        )))
    }
}

impl<K: Into<Key>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, entries: I) {
        (**self).extend(entries.into_iter().map(|(k, v)| (k.into(), v)));
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = indexmap::map::IntoIter<Key, Value>;

    fn into_iter(self) -> Self::IntoIter {
        match self.0 {
            Repr::Owned(m) => m.into_iter(),
            Repr::Shared(m) => m.clone().into_iter(),
        }
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key, &'a Value);
    type IntoIter = indexmap::map::Iter<'a, Key, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Key, &'a mut Value);
    type IntoIter = indexmap::map::IterMut<'a, Key, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i128),
    Bool(bool),
    Seq(Vec<Value>),
    Map(Map),
    /// `!Ref name`
    Ref(String),
    /// `!GetAtt resource.attribute`
    GetAtt(String),
    /// `!Sub 'text with ${...}'`
    Sub(String),
    /// `!If [condition, then, else]`
    If(String, Box<Value>, Box<Value>),
    /// `!Select [index, list]`
    Select(u32, Box<Value>),
    /// `!Split [delimiter, text]`
    Split(String, Box<Value>),
    /// `!Equals [a, b]`
    Equals(Box<Value>, Box<Value>),
    /// `!Join [delimiter, [parts]]`
    Join(String, Vec<Value>),
    /// A user's value with the short-form tag it was written with (`!FindInMap [...]`), from
    /// pass-through content: written back with that tag, its value inline.
    Tagged(String, Box<Value>),
    /// A user's plain scalar that is not a string (a number, `~`), written back as its text.
    Plain(String),
    /// `null`
    Null,
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    pub fn get_att(resource: &str, attribute: &str) -> Value {
        let mut path = String::with_capacity(resource.len() + 1 + attribute.len());
        path.push_str(resource);
        path.push('.');
        path.push_str(attribute);
        Value::GetAtt(path)
    }

    /// A literal string, or `!Sub` when it holds a `${...}` substitution.
    pub fn maybe_sub(s: &str) -> Value {
        if s.contains("${") {
            Value::Sub(s.to_owned())
        } else {
            Value::Str(s.to_owned())
        }
    }

    /// A user's text, meaning exactly that text. CloudFormation leaves `${...}` in a plain string
    /// alone, but cfn-lint takes it for a mistaken substitution (and an escaped `!Sub` for a
    /// needless one), so such text is joined from parts that split every `${` between `$` and `{`.
    pub fn literal(s: &str) -> Value {
        if !s.contains("${") {
            return Value::Str(s.to_owned());
        }
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(at) = rest.find("${") {
            parts.push(Value::str(&rest[..=at]));
            rest = &rest[at + 1..];
        }
        parts.push(Value::str(rest));
        Value::Join(String::new(), parts)
    }

    /// A mapping from `(key, value)` pairs, in the order given.
    pub fn map<K: Into<Key>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(entries.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static SHARED: LazyLock<Map> = LazyLock::new(|| {
        Map::from_iter([
            ("Version", Value::str("2012-10-17")),
            ("Statement", Value::Seq(vec![Value::str("x")])),
        ])
    });

    fn owned() -> Map {
        Map::from_iter([
            ("Statement", Value::Seq(vec![Value::str("x")])),
            ("Version", Value::str("2012-10-17")),
        ])
    }

    #[test]
    fn a_shared_map_reads_as_the_map_it_shares() {
        let shared = Map::shared(&SHARED);
        assert!(std::ptr::eq(&*shared, &*Map::shared(&SHARED).clone()));
        assert_eq!(shared, owned());
        assert_eq!(owned(), shared);
        assert_eq!(Value::Map(shared.clone()), Value::Map(owned()));
        assert_eq!(shared.get("Version"), Some(&Value::str("2012-10-17")));
        let keys: Vec<String> = shared.into_iter().map(|(k, _)| k.into_string()).collect();
        assert_eq!(keys, ["Version", "Statement"]);
    }

    #[test]
    fn changing_a_shared_map_changes_a_copy() {
        let mut changed = Map::shared(&SHARED);
        changed.insert("Id".into(), Value::str("mine"));
        changed.swap_remove("Version");
        // `swap_remove` moves the last entry into the removed one's place.
        assert_eq!(changed.keys().collect::<Vec<_>>(), ["Id", "Statement"]);
        assert!(!std::ptr::eq(&*changed, &**SHARED));
        assert_eq!(*Map::shared(&SHARED), *owned());
        assert_eq!(SHARED.len(), 2);
    }
}
