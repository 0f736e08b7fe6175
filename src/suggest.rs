//! "Did you mean ...?": the nearest valid name to a misspelt one.

/// The candidate closest to `input` by edit distance, ignoring case, if it is close enough to be
/// a plausible typo (at most a third of the longer name, and at least one character).
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = input.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    let input_len = input.chars().count();
    for candidate in candidates {
        let candidate_len = candidate.chars().count();
        let limit = (input_len.max(candidate_len) / 3).max(1);
        // The distance is at least the difference in length: past the limit, no need to count
        // (a megabyte-long key would otherwise cost a table of megabytes per candidate).
        if input_len.abs_diff(candidate_len) > limit {
            continue;
        }
        let distance = levenshtein(&lower, &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
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
    if let Some(help) = did_you_mean(input, candidates.iter().copied()) {
        return Some(help);
    }
    if candidates.is_empty() {
        return None;
    }
    let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    Some(format!("expected one of {}", list.join(", ")))
}

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
/// (optimal string alignment), so `nmae` is one edit from `name`.
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
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
    fn distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", "abc"), 0);
        assert_eq!(levenshtein("nmae", "name"), 1);
    }
}
