//! Relaxing a query step by step when it finds fewer hits than asked for,
//! as Meilisearch's matching strategies and Elasticsearch's
//! `minimum_should_match` do: all words → the words' sub-words → most of
//! them → character pairs. Each looser step only adds hits after the
//! stricter ones, ranked by how much of the query they cover.

use super::query::Query;
use super::tokenizer::{is_cjk, Segmenter};
use serde::Serialize;

/// Which step of matching answered a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchStep {
    /// Every word as typed (or one of its synonyms).
    All,
    /// Every sub-word of the words (`GDP增速` → `GDP`, `增速`).
    Subwords,
    /// At least half of the sub-words, the hits with more first.
    Most,
    /// Some of the words' character pairs, the hits with more first.
    Partial,
}

impl MatchStep {
    /// The step's name, as in JSON (`all`, `subwords`, `most`, `partial`).
    pub fn word(self) -> &'static str {
        match self {
            MatchStep::All => "all",
            MatchStep::Subwords => "subwords",
            MatchStep::Most => "most",
            MatchStep::Partial => "partial",
        }
    }

    /// The step in Chinese, for the text output.
    pub fn chinese(self) -> &'static str {
        match self {
            MatchStep::All => "全部词语",
            MatchStep::Subwords => "拆分后的全部词语",
            MatchStep::Most => "大部分词语",
            MatchStep::Partial => "部分字词",
        }
    }
}

/// The parts of a query that relaxing may loosen, and those it keeps.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Exclusions, sections and quoted phrases: they hold at every step.
    pub kept: Vec<Query>,
    /// The sub-words of the plain words, in order, without repeats.
    pub subwords: Vec<String>,
    /// Whether any plain word splits into more than one sub-word.
    pub splits: bool,
    /// Character pairs of the plain words' Chinese runs.
    pub pairs: Vec<String>,
}

impl Plan {
    /// A plan for a query of plain words (with exclusions, sections and
    /// quoted phrases beside them); `None` for a query with `OR` at the top
    /// or without a plain word, which stays strict.
    pub fn of(q: &Query, seg: &Segmenter) -> Option<Plan> {
        let parts: Vec<&Query> = match q {
            Query::And(v) => v.iter().collect(),
            other => vec![other],
        };
        let mut kept = Vec::new();
        let mut words = Vec::new();
        for p in parts {
            match p {
                Query::Text(w) => words.push(w.as_str()),
                Query::Exact(_) | Query::Not(_) | Query::Section(_) => kept.push(p.clone()),
                Query::And(_) | Query::Or(_) => return None,
            }
        }
        if words.is_empty() {
            return None;
        }
        let mut subwords: Vec<String> = Vec::new();
        let mut splits = false;
        let mut pairs: Vec<String> = Vec::new();
        for w in words {
            let parts: Vec<String> = seg
                .words(w)
                .into_iter()
                .map(|(_, _, t)| t)
                .filter(|t| !t.trim().is_empty())
                .collect();
            // A lone Chinese character split off a longer word (年 of
            // `OR2022年`) finds everything: it is not a sub-word to match.
            let parts: Vec<String> = if parts.len() > 1 {
                parts
                    .into_iter()
                    .filter(|t| !(t.chars().count() == 1 && t.chars().all(is_cjk)))
                    .collect()
            } else {
                parts
            };
            splits |= parts.len() > 1;
            for s in parts {
                if !subwords.contains(&s) {
                    subwords.push(s);
                }
            }
            let cs: Vec<char> = w.chars().collect();
            for k in 0..cs.len().saturating_sub(1) {
                if is_cjk(cs[k]) && is_cjk(cs[k + 1]) {
                    let p: String = cs[k..k + 2].iter().collect();
                    if !pairs.contains(&p) {
                        pairs.push(p);
                    }
                }
            }
        }
        Some(Plan {
            kept,
            subwords,
            splits,
            pairs,
        })
    }

    /// Every sub-word, and what is kept.
    pub fn all_subwords(&self) -> Query {
        self.with(
            self.subwords
                .iter()
                .map(|s| Query::Text(s.clone()))
                .collect(),
        )
    }

    /// Any of `alternatives`, and what is kept.
    pub fn any_of(&self, alternatives: &[String]) -> Query {
        let any = Query::Or(
            alternatives
                .iter()
                .map(|s| Query::Text(s.clone()))
                .collect(),
        );
        self.with(vec![any])
    }

    fn with(&self, mut parts: Vec<Query>) -> Query {
        parts.extend(self.kept.iter().cloned());
        if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Query::And(parts)
        }
    }
}

/// How many of `n` parts a hit must cover at a step: half of the
/// sub-words, a third of the character pairs (at least one).
pub fn needed(step: MatchStep, n: usize) -> usize {
    match step {
        MatchStep::Most => n.div_ceil(2).max(1),
        MatchStep::Partial => n.div_ceil(3).max(1),
        MatchStep::All | MatchStep::Subwords => n,
    }
}
