//! What the search knows besides the documents (names to keep whole,
//! synonym groups, glossary expansions, learned short forms), and the
//! alternatives a query word is also found as.

use super::SearchIndex;
use crate::corpus::ingest;
use serde::{Deserialize, Serialize};

/// The weight of a form learned from the documents (`variants`), below a
/// planner's synonym (0.9) and the word as typed (1).
const LEARNED_WEIGHT: f32 = 0.6;

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
    /// while indexing; weighing less than `synonyms`.
    /// Each is `[short, long]`.
    #[serde(default)]
    pub learned: Vec<Vec<String>>,
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

impl SearchIndex {
    /// A word and what else it may be found as, with weights. A synonym
    /// replaces the longest group word found in it; an alternative that
    /// contains another one finds nothing more and is dropped.
    pub(super) fn alternatives(&self, text: &str) -> Vec<(String, f32)> {
        let t = text.trim().to_string();
        let mut alts = vec![(t.clone(), 1.0)];
        // ASCII case only: a byte offset into `lower` is one into `t` (full
        // lowercasing changes lengths: Ⱥ is 2 bytes, ⱥ 3).
        let lower = t.to_ascii_lowercase();
        let lower = lower.as_str();
        let groups = self
            .lexicon
            .synonyms
            .iter()
            .map(|g| (g, 0.9))
            .chain(self.lexicon.learned.iter().map(|g| (g, LEARNED_WEIGHT)));
        let found: Vec<(&Vec<String>, f32, &String, usize)> = groups
            .flat_map(|(g, weight)| {
                g.iter().filter(|w| !w.is_empty()).filter_map(move |w| {
                    lower
                        .find(&w.to_ascii_lowercase())
                        .map(|at| (g, weight, w, at))
                })
            })
            .collect();
        for &(group, weight, w, at) in &found {
            // A longer group word covering this one takes precedence.
            let covered = found.iter().any(|&(_, _, w2, at2)| {
                w2.len() > w.len() && at2 <= at && at + w.len() <= at2 + w2.len()
            });
            if covered {
                continue;
            }
            for v in group.iter().filter(|v| *v != w) {
                let alt = format!("{}{}{}", &t[..at], v, &t[at + w.len()..]);
                if !alts.iter().any(|(a, _)| *a == alt) {
                    alts.push((alt, weight));
                }
            }
        }
        let bare: String = t
            .chars()
            .filter(|c| !matches!(c, '“' | '”' | '"'))
            .collect();
        for (term, words) in &self.lexicon.glossary {
            if bare == *term {
                for w in words {
                    if !alts.iter().any(|(a, _)| a == w) {
                        alts.push((w.clone(), 0.3));
                    }
                }
            }
        }
        let keep: Vec<bool> = alts
            .iter()
            .map(|(a, _)| {
                !alts
                    .iter()
                    .any(|(b, _)| b != a && b.chars().count() >= 2 && a.contains(b.as_str()))
            })
            .collect();
        alts.into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(a, _)| a)
            .collect()
    }
}
