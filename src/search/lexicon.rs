//! What the search knows besides the documents (names to keep whole,
//! synonym groups, glossary expansions, learned short forms and name
//! variants, the general synonym source), and the alternatives a query
//! word is also found as.

use super::{general, SearchIndex};
use crate::corpus::ingest;
use serde::{Deserialize, Serialize};

/// The weight of a planner's synonym (`rules/`).
const SYNONYM_WEIGHT: f32 = 0.9;
/// The weight of a form learned from the documents (`variants`, `names`),
/// below a planner's synonym and the word as typed (1).
const LEARNED_WEIGHT: f32 = 0.6;
/// The weight of a synonym of the general source (`general`), below a
/// form the documents teach.
const GENERAL_WEIGHT: f32 = 0.4;
/// Most alternatives a query word gets from the general source.
const MAX_GENERAL: usize = 8;

/// A query word's alternatives ([`SearchIndex::alternatives`]), by word.
pub(super) type Alternatives = std::collections::HashMap<String, Vec<(String, f32)>>;

/// What the search knows besides the documents: names to keep whole,
/// synonym groups, and glossary expansions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lexicon {
    /// Words the segmenter keeps whole.
    pub terms: Vec<String>,
    /// Synonym groups.
    pub synonyms: Vec<Vec<String>>,
    /// Glossary terms and the words they stand for.
    pub glossary: Vec<(String, Vec<String>)>,
    /// Short and long forms the documents introduce (`variants`), found
    /// while indexing, each `[short, long]`; and the names of their tables
    /// with the forms their prose writes (`names`), each `[name, forms…]`.
    /// Weighing less than `synonyms`.
    #[serde(default)]
    pub learned: Vec<Vec<String>>,
    /// Pairs the rules take out (`synonyms { a != b }`): neither the
    /// documents nor the general source add them.
    #[serde(default)]
    pub removed: Vec<(String, String)>,
}

impl Lexicon {
    /// The lexicon of a rule set and a corpus: the rules' `terms`, the
    /// graph's project and measure names and synonyms, and the corpus's
    /// glossary.
    pub fn new(model: Option<&crate::model::Model>, glossary: &[ingest::GlossaryEntry]) -> Lexicon {
        let mut lx = Lexicon::default();
        if let Some(m) = model {
            lx.terms.extend(m.terms.iter().cloned());
            // Entity names of the graph: projects and measures stay whole.
            // Indicator names are phrases of ordinary words: kept whole they
            // would hide their parts (城镇化 in 常住人口城镇化率) from ranking.
            use crate::model::graph::NodeKind;
            lx.terms.extend(
                m.graph
                    .nodes
                    .iter()
                    .filter(|n| {
                        matches!(n.kind, NodeKind::Project | NodeKind::Measure)
                            && n.name.chars().count() <= 12
                    })
                    .map(|n| n.name.clone()),
            );
            lx.synonyms = m.synonyms.clone();
            lx.removed = m.not_synonyms.clone();
        }
        for g in glossary {
            // The same term in several documents: the first explanation.
            if lx.glossary.iter().any(|(t, _)| *t == g.term) {
                continue;
            }
            lx.terms.push(g.term.clone());
            let words: Vec<String> = g
                .words
                .iter()
                .filter(|w| {
                    w.chars().count() <= 8
                        && !w.contains(['“', '”'])
                        && !w.chars().any(|c| c.is_ascii_digit())
                })
                .cloned()
                .collect();
            if !words.is_empty() {
                lx.glossary.push((g.term.clone(), words));
            }
        }
        lx.terms.sort();
        lx.terms.dedup();
        lx
    }
}

impl Lexicon {
    /// Whether the rules take the pair `a`, `b` out.
    fn removes(&self, a: &str, b: &str) -> bool {
        self.removed
            .iter()
            .any(|(x, y)| (x == a && y == b) || (x == b && y == a))
    }
}

impl SearchIndex {
    /// A word and what else it may be found as, with weights. A synonym
    /// replaces the longest group word found in it; an alternative that
    /// contains another one finds nothing more and is dropped (but for the
    /// word as typed, when what it contains weighs less than a synonym).
    pub(super) fn alternatives(&self, text: &str) -> Vec<(String, f32)> {
        let t = text.trim().to_string();
        let mut alts = vec![(t.clone(), 1.0)];
        // ASCII case only: a byte offset into `lower` is one into `t` (full
        // lowercasing changes lengths: Ⱥ is 2 bytes, ⱥ 3).
        let lower = t.to_ascii_lowercase();
        let lower = lower.as_str();
        let lx = &self.lexicon;
        let groups = lx
            .synonyms
            .iter()
            .map(|g| (g, SYNONYM_WEIGHT))
            .chain(lx.learned.iter().map(|g| (g, LEARNED_WEIGHT)));
        let found: Vec<(&Vec<String>, f32, &String, usize)> = groups
            .flat_map(|(g, weight)| {
                g.iter().filter(|w| !w.is_empty()).filter_map(move |w| {
                    lower
                        .find(&w.to_ascii_lowercase())
                        .map(|at| (g, weight, w, at))
                })
            })
            .collect();
        let push = |alts: &mut Vec<(String, f32)>, alt: String, weight: f32| {
            if !alts.iter().any(|(a, _)| *a == alt) {
                alts.push((alt, weight));
            }
        };
        for &(group, weight, w, at) in &found {
            // A longer group word covering this one takes precedence.
            let covered = found.iter().any(|&(_, _, w2, at2)| {
                w2.len() > w.len() && at2 <= at && at + w.len() <= at2 + w2.len()
            });
            if covered {
                continue;
            }
            for v in group.iter().filter(|v| *v != w) {
                if weight < SYNONYM_WEIGHT && lx.removes(w, v) {
                    continue;
                }
                let alt = format!("{}{}{}", &t[..at], v, &t[at + w.len()..]);
                push(&mut alts, alt, weight);
            }
        }
        if general::enabled() {
            // Parts not already a planner's or a document's word, longest
            // first.
            let spans: Vec<(usize, usize)> = found
                .iter()
                .map(|&(_, _, w, at)| (at, at + w.len()))
                .collect();
            let mut taken: Vec<(usize, usize)> = Vec::new();
            let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            let mut n = 0;
            for len in general::WORD_CHARS.rev() {
                for i in 0..bounds.len().saturating_sub(len) {
                    let (a, b) = (bounds[i], bounds[i + len]);
                    let overlaps = |s: &(usize, usize)| s.0 < b && a < s.1;
                    if spans.iter().any(overlaps) || taken.iter().any(overlaps) {
                        continue;
                    }
                    let w = &t[a..b];
                    let mut any = false;
                    for v in general::synonyms(w) {
                        if n >= MAX_GENERAL || lx.removes(w, v) {
                            continue;
                        }
                        any = true;
                        n += 1;
                        push(
                            &mut alts,
                            format!("{}{}{}", &t[..a], v, &t[b..]),
                            GENERAL_WEIGHT,
                        );
                    }
                    if any {
                        taken.push((a, b));
                    }
                }
            }
        }
        let bare: String = t
            .chars()
            .filter(|c| !matches!(c, '“' | '”' | '"'))
            .collect();
        for (term, words) in &lx.glossary {
            if bare == *term {
                for w in words {
                    push(&mut alts, w.clone(), 0.3);
                }
            }
        }
        let keep: Vec<bool> = alts
            .iter()
            .enumerate()
            .map(|(i, (a, _))| {
                !alts.iter().any(|(b, w)| {
                    b != a
                        && b.chars().count() >= 2
                        && a.contains(b.as_str())
                        && (i > 0 || *w >= SYNONYM_WEIGHT)
                })
            })
            .collect();
        alts.into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(a, _)| a)
            .collect()
    }
}
