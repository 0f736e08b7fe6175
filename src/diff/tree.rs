//! The deploy guard's view of a template: every value in CloudFormation's long form (`!Ref x` is
//! `{Ref: x}`, `!GetAtt a.b` is `{Fn::GetAtt: [a, b]}`), every scalar as its text (CloudFormation
//! passes `3` and `'3'` alike), so two templates compare as CloudFormation reads them, whatever
//! the notation they were written in.
//!
//! A mapping is its entries in order ([`Fields`]): one allocation, no hashing while a template
//! is read; a large one also keeps its keys sorted, so a lookup stays logarithmic.

use crate::template::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree {
    Scalar(String),
    Seq(Vec<Tree>),
    Map(Fields),
}

/// A mapping's entries, in the template's order, each key once. Equal to another with the same
/// entries in any order (as CloudFormation reads a mapping).
#[derive(Debug, Clone, Default)]
pub struct Fields {
    entries: Vec<(String, Tree)>,
    /// For a mapping of more than [`SCANNED`] entries, their indices sorted by key; empty for a
    /// smaller one, which a lookup scans.
    sorted: Vec<u32>,
}

/// Up to this many entries, a lookup scans them (fewer comparisons than a hash of the key).
const SCANNED: usize = 16;

impl Fields {
    /// The mapping of `entries`, whose keys are distinct (a template model's mapping, or the
    /// keys of one).
    fn distinct(entries: Vec<(String, Tree)>) -> Fields {
        let mut sorted = Vec::new();
        if entries.len() > SCANNED && entries.len() <= u32::MAX as usize {
            sorted = (0..entries.len() as u32).collect();
            sorted.sort_unstable_by(|&a, &b| entries[a as usize].0.cmp(&entries[b as usize].0));
        }
        Fields { entries, sorted }
    }

    fn index_of(&self, key: &str) -> Option<usize> {
        if self.sorted.is_empty() || self.entries.len() <= SCANNED {
            return self.entries.iter().position(|(k, _)| k == key);
        }
        self.sorted
            .binary_search_by(|&i| self.entries[i as usize].0.as_str().cmp(key))
            .ok()
            .map(|at| self.sorted[at] as usize)
    }

    pub fn get(&self, key: &str) -> Option<&Tree> {
        self.index_of(key).map(|i| &self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.index_of(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn first(&self) -> Option<(&String, &Tree)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Tree)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &Tree> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The same keys, each value through `f`.
    pub fn map_values(&self, f: impl FnMut(&Tree) -> Tree) -> Fields {
        let mut f = f;
        Fields {
            entries: self
                .entries
                .iter()
                .map(|(k, v)| (k.clone(), f(v)))
                .collect(),
            sorted: self.sorted.clone(),
        }
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a String, &'a Tree);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Tree)>,
        fn(&'a (String, Tree)) -> (&'a String, &'a Tree),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl PartialEq for Fields {
    fn eq(&self, other: &Fields) -> bool {
        if self.entries.len() != other.entries.len() {
            return false;
        }
        // The same keys in the same order, as two templates of one stack mostly are; from the
        // first key out of order on, each key of this side looked up on the other (keys are
        // distinct, so the rest of one is the rest of the other).
        let same = self
            .entries
            .iter()
            .zip(&other.entries)
            .take_while(|((a, _), (b, _))| a == b)
            .count();
        let (head, rest) = self.entries.split_at(same);
        head.iter()
            .zip(&other.entries)
            .all(|((_, a), (_, b))| a == b)
            && rest.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Eq for Fields {}

/// Consistent with `==`, which does not mind the order of a mapping's keys.
impl std::hash::Hash for Tree {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Tree::Scalar(s) => {
                0u8.hash(state);
                s.hash(state);
            }
            Tree::Seq(items) => {
                1u8.hash(state);
                items.hash(state);
            }
            Tree::Map(m) => {
                2u8.hash(state);
                let mut entries: Vec<(&String, &Tree)> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                entries.hash(state);
            }
        }
    }
}

impl Tree {
    /// A mapping of one entry (an intrinsic function in long form).
    fn one(key: &str, value: Tree) -> Tree {
        Tree::Map(Fields::distinct(vec![(key.to_owned(), value)]))
    }

    /// An empty mapping (a resource without `Properties`).
    pub fn empty_map() -> Tree {
        Tree::Map(Fields::default())
    }

    fn text(s: impl Into<String>) -> Tree {
        Tree::Scalar(s.into())
    }

    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Map(m) => m.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Tree::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The values at a resource schema's JSON pointer below `Properties` (`/properties/A/B`,
    /// `*` for every item of a list), in order; an absent value is `None`.
    pub fn at_pointer<'a>(&'a self, pointer: &str) -> Vec<Option<&'a Tree>> {
        let Some(rest) = pointer.strip_prefix("/properties") else {
            return Vec::new();
        };
        let mut found = vec![Some(self)];
        for part in rest.split('/').filter(|p| !p.is_empty()) {
            let mut next = Vec::with_capacity(found.len());
            for node in found {
                match (node, part) {
                    (Some(Tree::Seq(items)), "*") => next.extend(items.iter().map(Some)),
                    (Some(Tree::Map(m)), key) => next.push(m.get(key)),
                    (Some(Tree::Seq(items)), index) => {
                        next.push(index.parse::<usize>().ok().and_then(|i| items.get(i)));
                    }
                    _ => next.push(None),
                }
            }
            found = next;
        }
        found
    }

    /// Every Logical ID or parameter this value reads: `Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`.
    pub fn references<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Tree::Scalar(_) => {}
            Tree::Seq(items) => items.iter().for_each(|i| i.references(out)),
            Tree::Map(m) => {
                if m.len() == 1 {
                    if let Some(Tree::Scalar(name)) = m.get("Ref") {
                        out.push(name);
                        return;
                    }
                    if let Some(Tree::Seq(parts)) = m.get("Fn::GetAtt")
                        && let Some(Tree::Scalar(name)) = parts.first()
                    {
                        out.push(name);
                        return;
                    }
                    if let Some(sub) = m.get("Fn::Sub") {
                        let (text, vars) = match sub {
                            Tree::Scalar(t) => (Some(t.as_str()), None),
                            Tree::Seq(parts) => {
                                (parts.first().and_then(Tree::as_str), parts.get(1))
                            }
                            Tree::Map(_) => (None, None),
                        };
                        if let Some(text) = text {
                            sub_names(text, out);
                        }
                        if let Some(vars) = vars {
                            vars.references(out);
                        }
                        return;
                    }
                }
                m.values().for_each(|v| v.references(out));
            }
        }
    }

    /// Whether this value is known only at deploy time: it reads a parameter or pseudo parameter
    /// (`params` says which names are parameters), imports a value, or chooses by a condition.
    pub fn deploy_time(&self, resources: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Tree::Scalar(_) => false,
            Tree::Seq(items) => items.iter().any(|i| i.deploy_time(resources)),
            Tree::Map(m) => {
                if m.len() == 1
                    && let Some((key, value)) = m.first()
                {
                    match key.as_str() {
                        "Fn::ImportValue" | "Fn::If" | "Fn::FindInMap" | "Fn::GetAZs" => {
                            return true;
                        }
                        "Ref" | "Fn::GetAtt" | "Fn::Sub" => {
                            let mut names = Vec::new();
                            self.references(&mut names);
                            if names.iter().any(|n| !resources(n)) {
                                return true;
                            }
                            return value.deploy_time(resources);
                        }
                        _ => {}
                    }
                }
                m.values().any(|v| v.deploy_time(resources))
            }
        }
    }

    /// Whether this value reads a resource's physical ID or attribute (`Ref`/`Fn::GetAtt` of a
    /// Logical ID the template has).
    pub fn reads_resource(&self, resources: &dyn Fn(&str) -> bool) -> bool {
        let mut names = Vec::new();
        self.references(&mut names);
        names.iter().any(|n| resources(n))
    }

    /// This value with every Logical ID it reads written as `*`: two resources renamed
    /// together (a function and its role) still look alike.
    pub fn masked(&self) -> Tree {
        match self {
            Tree::Scalar(s) => Tree::Scalar(s.clone()),
            Tree::Seq(items) => Tree::Seq(items.iter().map(Tree::masked).collect()),
            Tree::Map(m) => {
                if m.len() == 1 {
                    if m.contains_key("Ref") {
                        return Tree::one("Ref", Tree::text("*"));
                    }
                    if let Some(Tree::Seq(parts)) = m.get("Fn::GetAtt") {
                        let mut parts = parts.clone();
                        if let Some(first) = parts.first_mut() {
                            *first = Tree::text("*");
                        }
                        return Tree::one("Fn::GetAtt", Tree::Seq(parts));
                    }
                }
                Tree::Map(m.map_values(Tree::masked))
            }
        }
    }
}

/// The names `${Name}` or `${Name.Attribute}` in a `Fn::Sub` text reads (`${!Literal}` is text).
fn sub_names<'a>(text: &'a str, out: &mut Vec<&'a str>) {
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find('}') else {
            return;
        };
        let inner = &rest[..end];
        if !inner.starts_with('!') {
            let name = inner.split('.').next().unwrap_or(inner).trim();
            if !name.is_empty() {
                out.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
}

impl From<&Value> for Tree {
    fn from(value: &Value) -> Tree {
        Tree::from(value.clone())
    }
}

impl From<Value> for Tree {
    fn from(value: Value) -> Tree {
        let intrinsic = Tree::one;
        match value {
            Value::Str(s) => Tree::Scalar(s.into_string()),
            Value::Int(i) => Tree::text(i.to_string()),
            Value::Bool(b) => Tree::text(b.to_string()),
            Value::Seq(items) => Tree::Seq(items.into_iter().map(Tree::from).collect()),
            Value::Map(m) => {
                if m.len() == 1
                    && let Some(Value::Str(path)) = m.get("Fn::GetAtt")
                {
                    return get_att(path);
                }
                Tree::Map(Fields::distinct(
                    m.into_iter()
                        .map(|(k, v)| (k.into_string(), Tree::from(v)))
                        .collect(),
                ))
            }
            Value::Ref(name) => intrinsic("Ref", Tree::Scalar(name)),
            Value::GetAtt(path) => get_att(&path),
            Value::Sub(text) => intrinsic("Fn::Sub", Tree::Scalar(text)),
            Value::If(condition, then, otherwise) => intrinsic(
                "Fn::If",
                Tree::Seq(vec![
                    Tree::Scalar(condition),
                    Tree::from(*then),
                    Tree::from(*otherwise),
                ]),
            ),
            Value::Select(index, list) => intrinsic(
                "Fn::Select",
                Tree::Seq(vec![Tree::text(index.to_string()), Tree::from(*list)]),
            ),
            Value::Split(delimiter, text) => intrinsic(
                "Fn::Split",
                Tree::Seq(vec![Tree::Scalar(delimiter), Tree::from(*text)]),
            ),
            Value::Equals(a, b) => intrinsic(
                "Fn::Equals",
                Tree::Seq(vec![Tree::from(*a), Tree::from(*b)]),
            ),
            Value::Join(join) => {
                let (delimiter, parts) = *join;
                intrinsic(
                    "Fn::Join",
                    Tree::Seq(vec![
                        Tree::Scalar(delimiter),
                        Tree::Seq(parts.into_iter().map(Tree::from).collect()),
                    ]),
                )
            }
            Value::Tagged(tag, inner) => {
                let long = super::read::long_name(&tag);
                match (long.as_str(), *inner) {
                    ("Fn::GetAtt", Value::Str(path)) => get_att(&path),
                    (_, inner) => intrinsic(&long, Tree::from(inner)),
                }
            }
            Value::Plain(text) => Tree::Scalar(text),
            // CloudFormation reads a null as no value; compared as empty text.
            Value::Null => Tree::Scalar(String::new()),
        }
    }
}

fn get_att(path: &str) -> Tree {
    let (resource, attribute) = path.split_once('.').unwrap_or((path, ""));
    Tree::one(
        "Fn::GetAtt",
        Tree::Seq(vec![Tree::text(resource), Tree::text(attribute)]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_walk_maps_and_lists() {
        let t = Tree::from(&Value::map([
            ("A", Value::map([("B", Value::str("x"))])),
            (
                "L",
                Value::Seq(vec![
                    Value::map([("P", Value::str("1"))]),
                    Value::map([("Q", Value::str("2"))]),
                ]),
            ),
        ]));
        assert_eq!(
            t.at_pointer("/properties/A/B"),
            vec![Some(&Tree::text("x"))]
        );
        assert_eq!(
            t.at_pointer("/properties/L/*/P"),
            vec![Some(&Tree::text("1")), None]
        );
        assert_eq!(t.at_pointer("/properties/Z"), vec![None]);
    }

    #[test]
    fn references_and_deploy_time() {
        let v = Tree::from(&Value::Sub("${A.Arn}-${P}-${!Lit}".into()));
        let mut names = Vec::new();
        v.references(&mut names);
        assert_eq!(names, ["A", "P"]);
        let is_resource = |n: &str| n == "A";
        assert!(v.deploy_time(&is_resource));
        assert!(!Tree::from(&Value::get_att("A", "Arn")).deploy_time(&is_resource));
        assert!(Tree::from(&Value::Ref("P".into())).deploy_time(&is_resource));
        assert_eq!(
            Tree::from(&Value::get_att("A", "Arn")).masked(),
            Tree::from(&Value::get_att("B", "Arn")).masked()
        );
    }
}
