//! The template model: CloudFormation values, with intrinsic functions as their own variants so
//! `emit` can write them in short form (`!Ref X`, `!GetAtt X.Arn`, ...).

use std::borrow::Cow;
use std::ops::Deref;

use indexmap::IndexMap;

/// The hasher of [`Map`]'s index: foldhash, seeded per process (keys can come from the user's
/// file), much cheaper than the standard library's SipHash on the short keys a template has.
/// Iteration is in insertion order whatever the hasher, so the output does not depend on it.
type Hasher = foldhash::fast::RandomState;

type Inner = IndexMap<Key, Value, Hasher>;

/// Text of the template: a mapping's key or a string. Much of it is what stackwire writes the
/// same way every time (keys CloudFormation fixes, `Type`, `Properties`, `Statement`; values
/// such as resource types, managed policies' ARNs, the actions of SAM's policy templates),
/// thousands of times a template: that is borrowed, never allocated or freed. The rest (Logical
/// IDs, a user's own keys and values) is owned. To every reader it is its text: it hashes,
/// compares and orders as a `str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Cow<'static, str>);

/// A mapping's key.
pub type Key = Text;

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Text {
        Text(Cow::Borrowed(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(Cow::Owned(s.clone()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Cow::Owned(s))
    }
}

impl From<Text> for String {
    fn from(k: Text) -> String {
        k.into_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A mapping in insertion order, with [`IndexMap`]'s meaning: a key written again keeps its
/// place and takes the new value; two mappings are equal with the same keys and equal values,
/// in any order.
///
/// Nearly every mapping of a template is small (a resource's `Type` and `Properties`, a
/// statement's `Effect`, `Action` and `Resource`): up to [`SMALL`] entries it is a list searched
/// in place, one allocation and no hashing; past that, an [`IndexMap`].
///
/// A mapping built once for the whole process (the trust policy every generated role has) can
/// be shared instead of copied ([`Map::shared`]): cloning and dropping it cost nothing, and it
/// is copied only when changed, so to every reader it is an ordinary mapping.
#[derive(Clone, Default)]
pub struct Map(Repr);

/// The most entries a mapping holds as a list.
const SMALL: usize = 8;

#[derive(Clone)]
enum Repr {
    Small(Vec<(Key, Value)>),
    /// Boxed, so that a mapping, and so every value, is as small as a list's three words.
    Large(Box<Inner>),
    Shared(&'static Map),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Small(Vec::new())
    }
}

/// A mapping's own entries, to change.
enum Owned<'a> {
    Small(&'a mut Vec<(Key, Value)>),
    Large(&'a mut Inner),
}

/// A mapping's entries as they are held.
enum View<'a> {
    Small(&'a [(Key, Value)]),
    Large(&'a Inner),
}

impl Map {
    pub fn new() -> Map {
        Map(Repr::Small(Vec::new()))
    }

    pub fn with_capacity(n: usize) -> Map {
        if n <= SMALL {
            Map(Repr::Small(Vec::with_capacity(n)))
        } else {
            Map(Repr::Large(Box::new(IndexMap::with_capacity_and_hasher(
                n,
                Hasher::default(),
            ))))
        }
    }

    /// `map` itself, not a copy of it: for mappings that live as long as the process.
    pub fn shared(map: &'static Map) -> Map {
        match map.0 {
            Repr::Shared(inner) => Map(Repr::Shared(inner)),
            _ => Map(Repr::Shared(map)),
        }
    }

    /// The mapping this one shares, if it shares one: the same for every mapping that shares
    /// it, so the emitter writes its text once and copies it.
    pub fn shares(&self) -> Option<&'static Map> {
        match self.0 {
            Repr::Shared(m) => Some(m),
            _ => None,
        }
    }

    fn view(&self) -> View<'_> {
        match &self.0 {
            Repr::Small(v) => View::Small(v),
            Repr::Large(m) => View::Large(m),
            Repr::Shared(m) => m.view(),
        }
    }

    /// The entries to change: a shared mapping is copied first.
    fn owned(&mut self) -> Owned<'_> {
        loop {
            match self.0 {
                Repr::Small(ref mut v) => return Owned::Small(v),
                Repr::Large(ref mut m) => return Owned::Large(m),
                Repr::Shared(m) => self.0 = m.0.clone(),
            }
        }
    }

    pub fn len(&self) -> usize {
        match self.view() {
            View::Small(v) => v.len(),
            View::Large(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self.view() {
            View::Small(v) => v.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v),
            View::Large(m) => m.get(key),
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self.owned() {
            Owned::Small(v) => v
                .iter_mut()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| v),
            Owned::Large(m) => m.get_mut(key),
        }
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn first(&self) -> Option<(&Key, &Value)> {
        match self.view() {
            View::Small(v) => v.first().map(|(k, v)| (k, v)),
            View::Large(m) => m.first(),
        }
    }

    /// Sets `key` to `value`: in its place when the mapping has it (the old value returned),
    /// else last.
    pub fn insert(&mut self, key: Key, value: Value) -> Option<Value> {
        let entries = match self.owned() {
            Owned::Large(m) => return m.insert(key, value),
            Owned::Small(entries) => entries,
        };
        if let Some((_, old)) = entries.iter_mut().find(|(k, _)| *k == key) {
            return Some(std::mem::replace(old, value));
        }
        if entries.len() < SMALL {
            entries.push((key, value));
            return None;
        }
        // One more than a list holds: the mapping becomes an IndexMap.
        let mut large = IndexMap::with_capacity_and_hasher(SMALL * 2, Hasher::default());
        large.extend(entries.drain(..));
        large.insert(key, value);
        self.0 = Repr::Large(Box::new(large));
        None
    }

    /// Removes `key`, the entries after it moving up one place.
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        match self.owned() {
            Owned::Small(v) => {
                let at = v.iter().position(|(k, _)| k.as_str() == key)?;
                Some(v.remove(at).1)
            }
            Owned::Large(m) => m.shift_remove(key),
        }
    }

    /// Removes `key`, the last entry taking its place.
    pub fn swap_remove(&mut self, key: &str) -> Option<Value> {
        match self.owned() {
            Owned::Small(v) => {
                let at = v.iter().position(|(k, _)| k.as_str() == key)?;
                Some(v.swap_remove(at).1)
            }
            Owned::Large(m) => m.swap_remove(key),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(match self.view() {
            View::Small(v) => Either::Small(v.iter()),
            View::Large(m) => Either::Large(m.iter()),
        })
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(match self.owned() {
            Owned::Small(v) => Either::Small(v.iter_mut()),
            Owned::Large(m) => Either::Large(m.iter_mut()),
        })
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.iter().map(|(_, v)| v)
    }
}

/// One of a mapping's two ways of holding its entries, for its iterators.
enum Either<S, L> {
    Small(S),
    Large(L),
}

macro_rules! iterator {
    ($name:ident, $item:ty, |$e:ident| $from_small:expr) => {
        impl<'a> Iterator for $name<'a> {
            type Item = $item;

            fn next(&mut self) -> Option<$item> {
                match &mut self.0 {
                    Either::Small(i) => i.next().map(|$e| $from_small),
                    Either::Large(i) => i.next(),
                }
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                match &self.0 {
                    Either::Small(i) => i.size_hint(),
                    Either::Large(i) => i.size_hint(),
                }
            }
        }

        impl DoubleEndedIterator for $name<'_> {
            fn next_back(&mut self) -> Option<Self::Item> {
                match &mut self.0 {
                    Either::Small(i) => i.next_back().map(|$e| $from_small),
                    Either::Large(i) => i.next_back(),
                }
            }
        }

        impl ExactSizeIterator for $name<'_> {}
    };
}

/// A mapping's entries, in order.
pub struct Iter<'a>(
    Either<std::slice::Iter<'a, (Key, Value)>, indexmap::map::Iter<'a, Key, Value>>,
);

/// A mapping's entries, in order, their values to change.
pub struct IterMut<'a>(
    Either<std::slice::IterMut<'a, (Key, Value)>, indexmap::map::IterMut<'a, Key, Value>>,
);

iterator!(Iter, (&'a Key, &'a Value), |e| (&e.0, &e.1));
iterator!(IterMut, (&'a Key, &'a mut Value), |e| (&e.0, &mut e.1));

/// A mapping's entries, in order, owned.
pub struct IntoIter(Either<std::vec::IntoIter<(Key, Value)>, indexmap::map::IntoIter<Key, Value>>);

impl Iterator for IntoIter {
    type Item = (Key, Value);

    fn next(&mut self) -> Option<(Key, Value)> {
        match &mut self.0 {
            Either::Small(i) => i.next(),
            Either::Large(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            Either::Small(i) => i.size_hint(),
            Either::Large(i) => i.size_hint(),
        }
    }
}

impl ExactSizeIterator for IntoIter {}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal as mappings: the same keys with equal values, in any order (as [`IndexMap`] compares).
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(entries: I) -> Map {
        let entries = entries.into_iter();
        let mut map = Map::with_capacity(entries.size_hint().0);
        map.extend(entries);
        map
    }
}

impl<K: Into<Key>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, entries: I) {
        for (k, v) in entries {
            self.insert(k.into(), v);
        }
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter(match self.0 {
            Repr::Small(v) => Either::Small(v.into_iter()),
            Repr::Large(m) => Either::Large((*m).into_iter()),
            Repr::Shared(m) => return m.clone().into_iter(),
        })
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Key, &'a mut Value);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(Text),
    /// An integer; one outside 64 bits (only ever a user's, passed through) is [`Value::Plain`]
    /// text, see [`Value::int`].
    Int(i64),
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
    /// `!Join [delimiter, [parts]]`, boxed: rare, and the largest of the values.
    Join(Box<(String, Vec<Value>)>),
    /// A user's value with the short-form tag it was written with (`!FindInMap [...]`), from
    /// pass-through content: written back with that tag, its value inline.
    Tagged(String, Box<Value>),
    /// A user's plain scalar that is not a string (a number, `~`), written back as its text.
    Plain(String),
    /// `null`
    Null,
}

impl Value {
    pub fn str(s: impl Into<Text>) -> Value {
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
            Value::str(s.to_owned())
        }
    }

    /// A user's text, meaning exactly that text. CloudFormation leaves `${...}` in a plain string
    /// alone, but cfn-lint takes it for a mistaken substitution (and an escaped `!Sub` for a
    /// needless one), so such text is joined from parts that split every `${` between `$` and `{`.
    pub fn literal(s: &str) -> Value {
        if !s.contains("${") {
            return Value::str(s.to_owned());
        }
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(at) = rest.find("${") {
            parts.push(Value::str(rest[..=at].to_owned()));
            rest = &rest[at + 1..];
        }
        parts.push(Value::str(rest.to_owned()));
        Value::join("", parts)
    }

    /// `!Join [delimiter, [parts]]`
    pub fn join(delimiter: impl Into<String>, parts: Vec<Value>) -> Value {
        Value::Join(Box::new((delimiter.into(), parts)))
    }

    /// The integer `i`: written as its digits whatever its size (outside 64 bits, as
    /// [`Value::Plain`] text, the same digits).
    pub fn int(i: i128) -> Value {
        i64::try_from(i).map_or_else(|_| Value::Plain(i.to_string()), Value::Int)
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

    /// An integer outside 64 bits (a user's, passed through) is written as the same digits.
    #[test]
    fn integers_of_any_size_keep_their_digits() {
        assert_eq!(Value::int(-42), Value::Int(-42));
        assert_eq!(Value::int(i64::MIN.into()), Value::Int(i64::MIN));
        let big = i128::from(u64::MAX);
        assert_eq!(Value::int(big), Value::Plain("18446744073709551615".into()));
        for i in [big, i128::MIN, i128::MAX, i64::MAX.into()] {
            assert_eq!(crate::emit::emit(&Value::int(i)), format!("{i}\n"));
        }
    }

    #[test]
    fn a_shared_map_reads_as_the_map_it_shares() {
        let shared = Map::shared(&SHARED);
        let shares = |m: &Map| m.shares().is_some_and(|m| std::ptr::eq(m, &*SHARED));
        assert!(shares(&shared) && shares(&Map::shared(&SHARED).clone()));
        assert!(shares(&Map::shared(Box::leak(Box::new(Map::shared(
            &SHARED
        ))))));
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
        assert!(changed.shares().is_none());
        assert_eq!(Map::shared(&SHARED), owned());
        assert_eq!(SHARED.len(), 2);
    }

    /// A mapping small or large means what an `IndexMap` means: the same order, a key written
    /// again kept in its place with the new value, removals shifting or swapping.
    #[test]
    fn a_mapping_means_what_an_index_map_means_small_or_large() {
        for n in 0..=3 * SMALL {
            let mut map = Map::new();
            let mut model: IndexMap<String, Value> = IndexMap::new();
            for i in 0..n {
                // Every third key is one written before.
                let key = format!("k{}", if i % 3 == 2 { i / 2 } else { i });
                let old = map.insert(Key::from(key.clone()), Value::Int(i as i64));
                assert_eq!(old, model.insert(key, Value::Int(i as i64)));
            }
            let same = |map: &Map, model: &IndexMap<String, Value>| {
                let got: Vec<(&str, &Value)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
                let want: Vec<(&str, &Value)> =
                    model.iter().map(|(k, v)| (k.as_str(), v)).collect();
                assert_eq!(got, want, "{n} entries");
                assert_eq!(map.len(), model.len());
                for (k, v) in model {
                    assert_eq!(map.get(k), Some(v));
                }
            };
            same(&map, &model);
            assert_eq!(map.get("absent"), None);
            let copy: Map = map
                .clone()
                .into_iter()
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            assert_eq!(copy, map, "equal in any order");
            if n > 1 {
                let mut shifted = map.clone();
                let mut swapped = map.clone();
                let mut shifted_model = model.clone();
                let mut swapped_model = model.clone();
                assert_eq!(shifted.shift_remove("k0"), shifted_model.shift_remove("k0"));
                assert_eq!(swapped.swap_remove("k0"), swapped_model.swap_remove("k0"));
                same(&shifted, &shifted_model);
                same(&swapped, &swapped_model);
                assert_ne!(shifted, map);
            }
            if let Some(v) = map.get_mut("k1") {
                *v = Value::Null;
                model.insert("k1".to_owned(), Value::Null);
            }
            same(&map, &model);
        }
    }
}
