//! Values compared with every reference to a moved Logical ID (one removed or added) read as
//! `*`, without writing the masked values out: the rename search compares every removed
//! resource with every added one of its type, and a copy of each with its IDs masked would cost
//! more than the comparisons.
//!
//! A reference is masked as [`Tree::masked`] writes it: `{Ref: X}` as `{Ref: *}`,
//! `{Fn::GetAtt: [X, ...]}` as `{Fn::GetAtt: [*, ...]}`, when `X` has moved.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::Tree;

/// A value as masking shows it.
#[derive(Clone, Copy)]
enum View<'a> {
    /// As it is (its children masked in turn).
    Node(&'a Tree),
    /// `{Ref: *}`.
    Ref,
    /// `{Fn::GetAtt: [*, rest...]}`, with the rest as written.
    GetAtt(&'a [Tree]),
}

/// The Logical IDs that moved, by which values are masked.
pub struct Moved<'a> {
    ids: &'a HashSet<&'a str>,
}

impl<'a> Moved<'a> {
    pub fn new(ids: &'a HashSet<&'a str>) -> Moved<'a> {
        Moved { ids }
    }

    fn view<'t>(&self, t: &'t Tree) -> View<'t> {
        if let Tree::Map(m) = t
            && m.len() == 1
        {
            if let Some(Tree::Scalar(name)) = m.get("Ref")
                && self.ids.contains(name.as_str())
            {
                return View::Ref;
            }
            if let Some(Tree::Seq(parts)) = m.get("Fn::GetAtt")
                && let Some((first, rest)) = parts.split_first()
                && first.as_str().is_some_and(|n| self.ids.contains(n))
            {
                return View::GetAtt(rest);
            }
        }
        View::Node(t)
    }

    /// Whether `a` and `b` are equal once masked.
    pub fn eq(&self, a: &Tree, b: &Tree) -> bool {
        self.views_eq(self.view(a), self.view(b))
    }

    /// Whether two optional values are equal once masked (absent only equals absent).
    pub fn eq_opt(&self, a: Option<&Tree>, b: Option<&Tree>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => self.eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    fn views_eq(&self, a: View<'_>, b: View<'_>) -> bool {
        match (a, b) {
            (View::Ref, View::Ref) => true,
            (View::GetAtt(x), View::GetAtt(y)) => x == y,
            (View::Ref, View::GetAtt(_)) | (View::GetAtt(_), View::Ref) => false,
            (View::Ref, View::Node(t)) | (View::Node(t), View::Ref) => is_masked_ref(t),
            (View::GetAtt(rest), View::Node(t)) | (View::Node(t), View::GetAtt(rest)) => {
                is_masked_get_att(t, rest)
            }
            (View::Node(a), View::Node(b)) => match (a, b) {
                (Tree::Scalar(x), Tree::Scalar(y)) => x == y,
                (Tree::Seq(x), Tree::Seq(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(x, y)| self.eq(x, y))
                }
                (Tree::Map(x), Tree::Map(y)) => {
                    x.len() == y.len()
                        && x.iter()
                            .all(|(k, v)| y.get(k).is_some_and(|w| self.eq(v, w)))
                }
                _ => false,
            },
        }
    }

    /// A hash of `t` once masked, consistent with [`Moved::eq`] (a mapping's key order does not
    /// count). Below [`HASHED_DEPTH`] levels only a value's kind and length count: equal values
    /// still hash alike, and the comparison that follows a match tells the rest.
    pub fn hash(&self, t: &Tree) -> u64 {
        let mut state = std::hash::DefaultHasher::new();
        self.hash_view(self.view(t), &mut state, 0);
        state.finish()
    }

    fn hash_view(&self, view: View<'_>, state: &mut impl Hasher, depth: usize) {
        if depth >= HASHED_DEPTH {
            match view {
                View::Ref | View::GetAtt(_) => {
                    2u8.hash(state);
                    1usize.hash(state);
                }
                View::Node(Tree::Scalar(s)) => {
                    0u8.hash(state);
                    s.hash(state);
                }
                View::Node(Tree::Seq(items)) => {
                    1u8.hash(state);
                    items.len().hash(state);
                }
                View::Node(Tree::Map(m)) => {
                    2u8.hash(state);
                    m.len().hash(state);
                }
            }
            return;
        }
        match view {
            // As `Tree::hash` hashes `{Ref: *}` and `{Fn::GetAtt: [*, rest...]}`.
            View::Ref => {
                2u8.hash(state);
                1usize.hash(state);
                "Ref".hash(state);
                hash_star(state);
            }
            View::GetAtt(rest) => {
                2u8.hash(state);
                1usize.hash(state);
                "Fn::GetAtt".hash(state);
                1u8.hash(state);
                (rest.len() + 1).hash(state);
                hash_star(state);
                for t in rest {
                    t.hash(state);
                }
            }
            View::Node(Tree::Scalar(s)) => {
                0u8.hash(state);
                s.hash(state);
            }
            View::Node(Tree::Seq(items)) => {
                1u8.hash(state);
                items.len().hash(state);
                for t in items {
                    self.hash_view(self.view(t), state, depth + 1);
                }
            }
            View::Node(Tree::Map(m)) => {
                2u8.hash(state);
                let mut entries: Vec<(&String, &Tree)> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                entries.len().hash(state);
                for (k, v) in entries {
                    k.hash(state);
                    self.hash_view(self.view(v), state, depth + 1);
                }
            }
        }
    }
}

/// How many levels of a value its hash looks at: a resource's properties, their values and
/// theirs.
const HASHED_DEPTH: usize = 3;

fn hash_star(state: &mut impl Hasher) {
    0u8.hash(state);
    "*".hash(state);
}

/// `t` is written `{Ref: *}` (and so equals a masked reference).
fn is_masked_ref(t: &Tree) -> bool {
    matches!(t, Tree::Map(m) if m.len() == 1 && m.get("Ref").and_then(Tree::as_str) == Some("*"))
}

/// `t` is written `{Fn::GetAtt: [*, rest...]}`.
fn is_masked_get_att(t: &Tree, rest: &[Tree]) -> bool {
    let Tree::Map(m) = t else { return false };
    let Some(Tree::Seq(parts)) = m.get("Fn::GetAtt") else {
        return false;
    };
    m.len() == 1
        && parts
            .split_first()
            .is_some_and(|(first, others)| first.as_str() == Some("*") && others == rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Value;

    fn tree(v: Value) -> Tree {
        Tree::from(v)
    }

    /// The masked comparison and hash agree with masking the values out and comparing those.
    #[test]
    fn agrees_with_the_masked_copies() {
        let ids: HashSet<&str> = ["A", "B"].into_iter().collect();
        let moved = Moved::new(&ids);
        let values = [
            tree(Value::map([
                ("X", Value::Ref("A".into())),
                ("Y", Value::str("1")),
            ])),
            tree(Value::map([
                ("Y", Value::str("1")),
                ("X", Value::Ref("B".into())),
            ])),
            tree(Value::map([
                ("X", Value::Ref("C".into())),
                ("Y", Value::str("1")),
            ])),
            tree(Value::map([
                ("X", Value::Ref("*".into())),
                ("Y", Value::str("1")),
            ])),
            tree(Value::Seq(vec![
                Value::get_att("A", "Arn"),
                Value::str("x"),
            ])),
            tree(Value::Seq(vec![
                Value::get_att("B", "Arn"),
                Value::str("x"),
            ])),
            tree(Value::Seq(vec![
                Value::get_att("B", "Name"),
                Value::str("x"),
            ])),
            tree(Value::Seq(vec![
                Value::get_att("*", "Arn"),
                Value::str("x"),
            ])),
            tree(Value::Seq(vec![
                Value::get_att("C", "Arn"),
                Value::str("x"),
            ])),
            tree(Value::Sub("${A.Arn}".into())),
        ];
        let copy = |t: &Tree| mask_copy(t, &ids);
        for a in &values {
            for b in &values {
                let same = copy(a) == copy(b);
                assert_eq!(moved.eq(a, b), same, "{a:?} against {b:?}");
                if same {
                    assert_eq!(moved.hash(a), moved.hash(b), "{a:?} against {b:?}");
                }
            }
        }
        assert!(moved.eq(&values[0], &values[1]));
        assert!(!moved.eq(&values[0], &values[2]));
        assert!(moved.eq(&values[4], &values[5]));
        assert!(!moved.eq(&values[4], &values[6]));
    }

    /// What masking writes (the reference the comparison is held to).
    fn mask_copy(t: &Tree, moved: &HashSet<&str>) -> Tree {
        let ids = Moved::new(moved);
        match ids.view(t) {
            View::Ref | View::GetAtt(_) => t.masked(),
            View::Node(Tree::Seq(items)) => {
                Tree::Seq(items.iter().map(|i| mask_copy(i, moved)).collect())
            }
            View::Node(Tree::Map(m)) => Tree::Map(m.map_values(|v| mask_copy(v, moved))),
            View::Node(t) => t.clone(),
        }
    }
}
