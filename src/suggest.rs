//! "Did you mean ...?": the nearest valid name to a misspelt one.
//!
//! Finding it compares the name with every candidate, so a file with many misspelt names and
//! many candidates (10,000 wires to ends that do not exist, 10,000 IDs) would take quadratic
//! time. The work is bounded per file instead: every candidate looked at and every cell of an
//! edit-distance table is paid for from a budget of [`BUDGET`] units, reset when a file's
//! pipeline starts ([`reset_budget`]); once it is spent, the remaining problems of that file get
//! no suggestion (their message and help otherwise unchanged). The budget is spent in file
//! order, on one thread, so the output stays the same from run to run.
//!
//! A candidate is charged its whole table, but most are never counted: one that shares too few
//! characters with the name cannot be near it (a bit mask, then the characters' counts), and a
//! table is given up once its rows pass the limit. Which problems get a suggestion depends on
//! the charge only, not on how much of a table was counted.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

/// Units of work (candidates looked at, edit-distance cells) one file's suggestions may cost.
/// An ordinary stack spends a few thousand; 200,000 unknown keys spend it in their first
/// 112,000, about 40 ms of work with the bounds above.
pub const BUDGET: u64 = 30_000_000;

thread_local! {
    static LEFT: Cell<u64> = const { Cell::new(BUDGET) };
}

/// Gives this thread a full budget: at the start of each file's pipeline.
pub fn reset_budget() {
    LEFT.with(|left| left.set(BUDGET));
}

/// Pays `units` from the budget; false (and nothing left) when it cannot.
fn spend(units: u64) -> bool {
    LEFT.with(|left| {
        let have = left.get();
        if have < units {
            left.set(0);
            false
        } else {
            left.set(have - units);
            true
        }
    })
}

/// How many characters a candidate may differ in from a name of `len` characters and still be
/// a plausible typo of it: a third of the longer, at least one.
fn plausible(len: usize, candidate_len: usize) -> Option<usize> {
    let limit = (len.max(candidate_len) / 3).max(1);
    (len.abs_diff(candidate_len) <= limit).then_some(limit)
}

/// A set of candidates prepared once for many look-ups (the IDs of a stack, for every wire end
/// that names none): lowercased once, grouped by length, each distinct name looked up once.
pub struct Nearest<'a> {
    candidates: Vec<(&'a str, Vec<char>)>,
    /// Candidate indexes by length in characters, in candidate order.
    by_len: BTreeMap<usize, Vec<usize>>,
    found: HashMap<String, Option<usize>>,
    /// The edit-distance table, kept between candidates.
    table: Vec<usize>,
}

impl<'a> Nearest<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let candidates: Vec<(&'a str, Vec<char>)> = candidates
            .into_iter()
            .map(|c| (c, c.to_lowercase().chars().collect()))
            .collect();
        let mut by_len: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, (c, _)) in candidates.iter().enumerate() {
            by_len.entry(c.chars().count()).or_default().push(i);
        }
        Nearest {
            candidates,
            by_len,
            found: HashMap::new(),
            table: Vec::new(),
        }
    }

    /// "did you mean `x`?" for the nearest candidate to `input`, if one is close enough.
    pub fn did_you_mean(&mut self, input: &str) -> Option<String> {
        self.nearest(input)
            .map(|near| format!("did you mean `{near}`?"))
    }

    /// The nearest candidate (the first of the nearest), as [`nearest`] finds it.
    pub fn nearest(&mut self, input: &str) -> Option<&'a str> {
        let len = input.chars().count();
        let longest = self.by_len.keys().next_back().copied().unwrap_or(0);
        // No candidate is within reach of a name more than half again as long as the longest.
        if len > longest + longest / 2 + 2 {
            return None;
        }
        if let Some(found) = self.found.get(input) {
            return found.map(|i| self.candidates[i].0);
        }
        let lower = lowercase(input);
        let mut counts = Counts::of(&lower);
        let lo = len.saturating_sub(len / 3 + 1);
        let hi = len + len / 2 + 2;
        let mut best: Option<(usize, usize)> = None;
        for (&candidate_len, indexes) in self.by_len.range(lo..=hi) {
            let Some(limit) = plausible(len, candidate_len) else {
                continue;
            };
            for &i in indexes {
                let chars = &self.candidates[i].1;
                let cells = (lower.len() as u64 + 1) * (chars.len() as u64 + 1);
                if !spend(cells) {
                    return None;
                }
                let Some(distance) = within(&lower, &mut counts, chars, limit, &mut self.table)
                else {
                    continue;
                };
                if best.is_none_or(|b| (distance, i) < b) {
                    best = Some((distance, i));
                }
            }
        }
        let found = best.map(|(_, i)| i);
        self.found.insert(input.to_owned(), found);
        found.map(|i| self.candidates[i].0)
    }
}

/// The candidate closest to `input` by edit distance, ignoring case, if it is close enough to be
/// a plausible typo (at most a third of the longer name, and at least one character).
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // With the budget spent, the first candidate could not be paid for.
    if LEFT.with(Cell::get) == 0 {
        return None;
    }
    // The buffers of the last look-up, reused: a file with many misspelt keys asks this for
    // each. (Fresh ones if they are in use, which no caller does.)
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => nearest_in(input, candidates, &mut scratch),
        Err(_) => nearest_in(input, candidates, &mut Scratch::default()),
    })
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// What one look-up works in: the input's and a candidate's lowercase characters, and the
/// distance table.
#[derive(Default)]
struct Scratch {
    lower: Vec<char>,
    chars: Vec<char>,
    table: Vec<usize>,
}

fn nearest_in<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    scratch: &mut Scratch,
) -> Option<&'a str> {
    let Scratch {
        lower,
        chars,
        table,
    } = scratch;
    lowercase_into(input, lower);
    let mut counts = Counts::of(lower);
    let mut best: Option<(usize, &str)> = None;
    let input_len = input.chars().count();
    for candidate in candidates {
        if !spend(1) {
            return None;
        }
        let ascii = candidate.is_ascii();
        let candidate_len = if ascii {
            candidate.len()
        } else {
            candidate.chars().count()
        };
        // The distance is at least the difference in length: past the limit, no need to count
        // (a megabyte-long key would otherwise cost a table of megabytes per candidate).
        let Some(limit) = plausible(input_len, candidate_len) else {
            continue;
        };
        // Paid for as the whole table, whatever part of it is counted: the budget, and so which
        // problems get a suggestion, does not depend on how the distance is found.
        let cells = (input_len as u64 + 1) * (candidate_len as u64 + 1);
        if !spend(cells) {
            return None;
        }
        let distance = if ascii {
            // Most candidates share too few characters to be near: told from the bytes,
            // without lowering the candidate first.
            let bytes = candidate
                .bytes()
                .map(|b| char::from(b.to_ascii_lowercase()));
            if !counts.may_be_within(lower.len(), bytes, candidate_len, limit) {
                continue;
            }
            chars.clear();
            chars.extend(
                candidate
                    .bytes()
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            distance_in(lower, chars, limit, table)
        } else {
            chars.clear();
            chars.extend(candidate.to_lowercase().chars());
            within(lower, &mut counts, chars, limit, table)
        };
        let Some(distance) = distance else {
            continue;
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// A short list of names prepared once for many look-ups (the keys a mapping takes, for each of
/// its unknown keys): each name's length and lowercase characters made once. It finds what
/// [`nearest`] finds and spends the same budget: a look-up costs one unit per name and the whole
/// table of each name of plausible length, paid at once (it could be paid name by name exactly
/// when the whole can be paid, and either way nothing is left when it cannot).
pub struct Names<'a> {
    /// Each name, its length in characters, its lowercase characters and their [`mask`].
    names: Vec<(&'a str, usize, Vec<char>, u128)>,
}

impl<'a> Names<'a> {
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names = names
            .into_iter()
            .map(|name| {
                let lower = lowercase(name);
                let mask = mask(&lower);
                (name, name.chars().count(), lower, mask)
            })
            .collect();
        Names { names }
    }

    /// "did you mean `x`?" for the nearest name, if one is close enough.
    pub fn did_you_mean(&self, input: &str) -> Option<String> {
        self.nearest(input)
            .map(|near| format!("did you mean `{near}`?"))
    }

    /// The nearest name, as [`nearest`] finds it.
    pub fn nearest(&self, input: &str) -> Option<&'a str> {
        if LEFT.with(Cell::get) == 0 {
            return None;
        }
        let input_len = input.chars().count();
        let mut cost: u64 = 0;
        for &(_, len, _, _) in &self.names {
            cost = cost.saturating_add(1);
            if plausible(input_len, len).is_some() {
                cost = cost.saturating_add((input_len as u64 + 1) * (len as u64 + 1));
            }
        }
        if !spend(cost) {
            return None;
        }
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.nearest_in(input, input_len, &mut scratch),
            Err(_) => self.nearest_in(input, input_len, &mut Scratch::default()),
        })
    }

    fn nearest_in(&self, input: &str, input_len: usize, scratch: &mut Scratch) -> Option<&'a str> {
        let Scratch { lower, table, .. } = scratch;
        lowercase_into(input, lower);
        // Counted the first time a name passes the mask (most names never do).
        let mut counts: Option<Counts> = None;
        let input_mask = mask(lower);
        let mut best: Option<(usize, &'a str)> = None;
        for (name, len, chars, name_mask) in &self.names {
            let Some(limit) = plausible(input_len, *len) else {
                continue;
            };
            // Each character one name has and the other has not is at least one of the
            // differences [`Counts::may_be_within`] counts: a first bound, without a loop.
            let missing =
                (name_mask & !input_mask).count_ones() + (input_mask & !name_mask).count_ones();
            if (missing as usize).div_ceil(2) > limit {
                continue;
            }
            let counts = counts.get_or_insert_with(|| Counts::of(lower));
            let Some(distance) = within(lower, counts, chars, limit, table) else {
                continue;
            };
            if best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, *name));
            }
        }
        best.map(|(_, name)| name)
    }
}

/// The characters a name has, one bit each for ASCII characters and one for all others together
/// (as [`Counts`] counts them).
fn mask(chars: &[char]) -> u128 {
    chars
        .iter()
        .fold(0, |mask, &c| mask | 1u128 << Counts::bucket(c))
}

/// `text` lowercased, as characters (an ASCII name without the detour through a `String`).
fn lowercase(text: &str) -> Vec<char> {
    let mut chars = Vec::new();
    lowercase_into(text, &mut chars);
    chars
}

/// [`lowercase`] into `chars`, which it replaces.
fn lowercase_into(text: &str, chars: &mut Vec<char>) {
    chars.clear();
    if text.is_ascii() {
        chars.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        chars.extend(text.to_lowercase().chars());
    }
}

/// How often each character occurs in a name, ASCII characters each on their own and all others
/// together (which only makes the bound below weaker, never wrong); and a copy to pair another
/// name's characters off against, put back after each name.
struct Counts {
    counts: [u32; 128],
    left: [u32; 128],
}

impl Counts {
    fn bucket(c: char) -> usize {
        let code = c as usize;
        if code < 128 { code } else { 0 }
    }

    fn of(chars: &[char]) -> Self {
        let mut counts = [0u32; 128];
        for &c in chars {
            counts[Self::bucket(c)] += 1;
        }
        Counts {
            counts,
            left: counts,
        }
    }

    /// How many characters of `other` can be paired with one of the counted name's.
    fn shared(&mut self, other: impl IntoIterator<Item = char> + Clone) -> usize {
        let mut shared = 0;
        for c in other.clone() {
            let count = &mut self.left[Self::bucket(c)];
            if *count > 0 {
                *count -= 1;
                shared += 1;
            }
        }
        // Only the buckets of `other` changed.
        for c in other {
            let bucket = Self::bucket(c);
            self.left[bucket] = self.counts[bucket];
        }
        shared
    }

    /// Whether a name of `len` characters counted here may be within `limit` edits of `other`
    /// (`other_len` characters): each edit changes the difference between the two names'
    /// character counts by at most two (a substitution takes one character and gives another;
    /// an insertion or deletion changes one; a swap none), so the distance is at least half
    /// that difference.
    fn may_be_within(
        &mut self,
        len: usize,
        other: impl IntoIterator<Item = char> + Clone,
        other_len: usize,
        limit: usize,
    ) -> bool {
        let differ = (len + other_len).saturating_sub(2 * self.shared(other));
        differ.div_ceil(2) <= limit
    }
}

/// The distance between `a` (counted in `counts`) and `b`, when it is at most `limit`.
///
/// Two bounds keep most candidates from being counted at all: the characters the two names
/// share ([`Counts::may_be_within`]), and the table given up at the first two rows whose
/// smallest cells pass the limit (see [`distance_in`]).
fn within(
    a: &[char],
    counts: &mut Counts,
    b: &[char],
    limit: usize,
    rows: &mut Vec<usize>,
) -> Option<usize> {
    if !counts.may_be_within(a.len(), b.iter().copied(), b.len(), limit) {
        return None;
    }
    distance_in(a, b, limit, rows)
}

/// "did you mean `x`?" for the nearest candidate, if one is close enough.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(input, candidates).map(|near| format!("did you mean `{near}`?"))
}

/// A help line for a misspelt name: the nearest valid one, else the whole list when it is short.
pub fn help(input: &str, candidates: &[&str]) -> Option<String> {
    did_you_mean(input, candidates.iter().copied()).or_else(|| expected_one_of(candidates))
}

/// "expected one of `a`, `b`, ..." for the candidates, if there are any.
pub fn expected_one_of(candidates: &[&str]) -> Option<String> {
    if candidates.is_empty() {
        return None;
    }
    let mut list = String::from("expected one of ");
    for (i, c) in candidates.iter().enumerate() {
        if i > 0 {
            list.push_str(", ");
        }
        list.push('`');
        list.push_str(c);
        list.push('`');
    }
    Some(list)
}

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
/// (optimal string alignment), so `nmae` is one edit from `name`.
#[cfg(test)]
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance(&a, &b)
}

#[cfg(test)]
fn distance(a: &[char], b: &[char]) -> usize {
    distance_in(a, b, usize::MAX, &mut Vec::new()).unwrap_or(usize::MAX)
}

/// The distance, with `rows` for its three rows of the table (their contents are overwritten):
/// optimal string alignment needs the row before the previous one for a swap. `None` as soon as
/// the distance is known to be more than `limit`.
///
/// A cell is its row's previous cell plus one, or a cell of the row above plus at most one, or
/// (a swap) a cell two rows above plus one; so a row's smallest cell is at least the smaller of
/// the row above's smallest and the one two above's smallest plus one. Once a row's smallest
/// cell is past `limit` and the one above's at least `limit`, every later row's is past it, and
/// the distance, a cell of the last row, too.
fn distance_in(a: &[char], b: &[char], limit: usize, rows: &mut Vec<usize>) -> Option<usize> {
    let width = b.len() + 1;
    rows.clear();
    rows.resize(3 * width, 0);
    let (older, rest) = rows.split_at_mut(width);
    let (prev, cur) = rest.split_at_mut(width);
    let (mut older, mut prev, mut cur) = (older, prev, cur);
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j;
    }
    // The smallest cell of the row above (row 0's is 0).
    let mut above = 0;
    for i in 1..=a.len() {
        cur[0] = i;
        let mut smallest = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(older[j - 2] + 1);
            }
            cur[j] = best;
            smallest = smallest.min(best);
        }
        if smallest > limit && above >= limit {
            return None;
        }
        above = smallest;
        // The rows move up one: the current row is the previous one for the next.
        std::mem::swap(&mut older, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let distance = prev[b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case_slips() {
        let keys = ["shardCount", "retentionHours", "name"];
        assert_eq!(nearest("shardcount", keys), Some("shardCount"));
        assert_eq!(nearest("shardCont", keys), Some("shardCount"));
        assert_eq!(nearest("nmae", keys), Some("name"));
        assert_eq!(nearest("zzzzzz", keys), None);
    }

    #[test]
    fn prepared_candidates_find_the_same_and_stop_at_the_budget() {
        let ids = ["Orders", "Processor", "orders2", "Producer"];
        let mut prepared = Nearest::new(ids);
        for input in ["Ordrs", "processer", "Produce", "zzzzzzzz", "ORDERS2", ""] {
            assert_eq!(prepared.nearest(input), nearest(input, ids), "{input}");
        }
        LEFT.with(|left| left.set(10));
        assert_eq!(Nearest::new(ids).nearest("Ordrs"), None);
        reset_budget();
        assert_eq!(Nearest::new(ids).nearest("Ordrs"), Some("Orders"));
    }

    #[test]
    fn prepared_names_find_the_same_and_spend_the_same() {
        let keys = [
            "type",
            "name",
            "shardCount",
            "mode",
            "retentionHours",
            "encryption",
            "retain",
            "tags",
            "existing",
            "properties",
            "Ünïcode",
        ];
        let names = Names::new(keys);
        let inputs = [
            "shardcount",
            "shardCont",
            "nmae",
            "k12345",
            "",
            "tgas",
            "porperties",
            "ünicode",
            "x".repeat(40).leak(),
        ];
        for budget in [BUDGET, 0, 1, 10, 11, 200, 500, 1_000] {
            for input in inputs {
                LEFT.with(|left| left.set(budget));
                let expected = nearest(input, keys);
                let after = LEFT.with(Cell::get);
                LEFT.with(|left| left.set(budget));
                assert_eq!(names.nearest(input), expected, "{input} with {budget}");
                assert_eq!(LEFT.with(Cell::get), after, "{input} with {budget}");
            }
        }
        reset_budget();
    }

    /// The whole table, as the distance was first counted: the three rows give the same.
    fn full_table(a: &[char], b: &[char]) -> usize {
        let width = b.len() + 1;
        let mut d = vec![0usize; (a.len() + 1) * width];
        for i in 0..=a.len() {
            d[i * width] = i;
        }
        for (j, cell) in d.iter_mut().take(width).enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[(i - 1) * width + j] + 1)
                    .min(d[i * width + j - 1] + 1)
                    .min(d[(i - 1) * width + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                d[i * width + j] = best;
            }
        }
        d[a.len() * width + b.len()]
    }

    #[test]
    fn three_rows_count_as_the_whole_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "shardCount",
            "shardcuont",
            "retentionHours",
            "nmae",
            "name",
            "kitten",
            "sitting",
            "aaaa",
            "abab",
            "baba",
            "☕é",
            "é☕x",
            "k12345",
            "type",
            "existing",
            "exsiting",
            "tgas",
            "properties",
            "porperties",
            "abcdefgh",
            "badcfehg",
        ];
        let mut rows = Vec::new();
        for a in words {
            for b in words {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let full = full_table(&a, &b);
                assert_eq!(
                    distance_in(&a, &b, usize::MAX, &mut rows),
                    Some(full),
                    "{a:?} {b:?}"
                );
                // Within every limit, the bounds give the distance exactly when it is at most
                // the limit.
                let mut counts = Counts::of(&a);
                for limit in 0..=a.len().max(b.len()) + 1 {
                    assert_eq!(
                        within(&a, &mut counts, &b, limit, &mut rows),
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} within {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", "abc"), 0);
        assert_eq!(levenshtein("nmae", "name"), 1);
    }
}
