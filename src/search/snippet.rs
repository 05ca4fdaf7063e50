//! Snippets: a window of a unit's text around the densest matches, with the
//! matched words in `<b>…</b>`. Works on characters, so a window never cuts
//! a Chinese character, and matches full-width forms as their ASCII ones.

use super::tokenizer::{is_cjk, normalize_char};
use crate::limits::MAX_SNIPPET_MATCHES;

/// A snippet and where its matches begin.
pub struct Snippet {
    /// The window, with `<b>`/`</b>` around matches and `…` where cut.
    pub text: String,
    /// Byte offset of the first match inside the window, if any.
    pub first_match: Option<usize>,
}

/// Parts of a needle to look for when the whole is not found literally
/// (a phrase matched across punctuation): its Chinese runs and numbers.
fn pieces(n: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in n.chars() {
        if is_cjk(c) || c.is_ascii_alphanumeric() || c == '.' {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .filter(|p| p.chars().count() >= 2 || p.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The start of the window where the most of the query's words meet (外贸
/// and 增长 in 三是外贸进出口逆势增长 over 增长 three times elsewhere), then
/// the one with the most matches, then the earliest. A window starting at a
/// match holds the matches that start at or after it and end within `span`
/// characters of it, so each match is inside the windows whose start lies
/// in `[end − span, start]`: one sweep over those intervals, O(k log k) for
/// k matches (`ranges` sorted by start).
fn best_window(ranges: &[(usize, usize, usize)], span: usize) -> Option<usize> {
    let ids = ranges.iter().map(|r| r.2).max().map_or(0, |m| m + 1);
    // Activation events: (window start from which a match is inside, match).
    let mut enter: Vec<(usize, usize)> = ranges
        .iter()
        .enumerate()
        .map(|(k, r)| (r.1.saturating_sub(span), k))
        .collect();
    enter.sort_unstable();
    let mut count = vec![0usize; ids];
    let (mut distinct, mut inside) = (0usize, 0usize);
    // Active matches by their start, to retire those that start before the window.
    let mut active = std::collections::BinaryHeap::new();
    let mut e = 0;
    let mut best: Option<((usize, usize), usize)> = None;
    for &(start, _, _) in ranges {
        while e < enter.len() && enter[e].0 <= start {
            let k = enter[e].1;
            e += 1;
            if ranges[k].0 < start {
                continue; // starts before this window (and every later one)
            }
            active.push(std::cmp::Reverse((ranges[k].0, k)));
            inside += 1;
            count[ranges[k].2] += 1;
            if count[ranges[k].2] == 1 {
                distinct += 1;
            }
        }
        while let Some(&std::cmp::Reverse((s, k))) = active.peek() {
            if s >= start {
                break;
            }
            active.pop();
            inside -= 1;
            count[ranges[k].2] -= 1;
            if count[ranges[k].2] == 0 {
                distinct -= 1;
            }
        }
        let score = (distinct, inside);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, start));
        }
    }
    best.map(|(_, s)| s)
}

/// Characters shown before a snippet's first match.
const LEAD: usize = 12;

/// Makes a snippet of about `width` characters; `needles` holds, for each
/// query word, the strings that stand for it (the word, its synonyms…).
pub fn make(text: &str, needles: &[Vec<String>], width: usize) -> Snippet {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let norm: Vec<char> = chars.iter().map(|(_, c)| normalize_char(*c)).collect();
    // Matches as [start, end) in characters, with the query word they match.
    let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
    // At most MAX_SNIPPET_MATCHES matches of each needle are looked at: a unit where a word
    // stands hundreds of thousands of times needs no more to place a window.
    let find_all = |needle: &str, id: usize, ranges: &mut Vec<(usize, usize, usize)>| -> bool {
        let n: Vec<char> = needle.chars().map(normalize_char).collect();
        if n.is_empty() || n.len() > norm.len() {
            return false;
        }
        let mut found = 0;
        for i in 0..=norm.len() - n.len() {
            if found == MAX_SNIPPET_MATCHES {
                break;
            }
            if norm[i..i + n.len()] == n[..] {
                ranges.push((i, i + n.len(), id));
                found += 1;
            }
        }
        found > 0
    };
    for (id, group) in needles.iter().enumerate() {
        for nd in group {
            if !find_all(nd, id, &mut ranges) {
                for p in pieces(nd) {
                    find_all(&p, id, &mut ranges);
                }
            }
        }
    }
    ranges.sort();
    let best = best_window(&ranges, width.saturating_sub(LEAD));
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for &(s, e, _) in &ranges {
        match merged.last_mut() {
            Some(l) if s <= l.1 => l.1 = l.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let first_match = best.map(|b| chars[b].0);
    let best = best.unwrap_or(0);
    let start = best.saturating_sub(LEAD);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut k = start;
    for &(s, e) in merged.iter().filter(|(s, e)| *e > start && *s < end) {
        let (s, e) = (s.max(start), e.min(end));
        out.extend(chars[k..s].iter().map(|x| x.1));
        out.push_str("<b>");
        out.extend(chars[s..e].iter().map(|x| x.1));
        out.push_str("</b>");
        k = e;
    }
    out.extend(chars[k.min(end)..end].iter().map(|x| x.1));
    if end < chars.len() {
        out.push('…');
    }
    Snippet {
        text: out,
        first_match,
    }
}
