//! A parsed query compiled into a tantivy query: each word a phrase of
//! the characters that find it (or an alternative of it) in the text or in
//! a heading the unit starts, plus the heading words that rank it.

use super::query::{self, Query};
use super::schema::TABLE_FIELD;
use super::{tokenizer, SearchIndex};
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query as TQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// How much more a word found in a heading the unit starts weighs than
/// one found in its text.
const HEADING_BOOST: f32 = 2.0;

/// What a table row's (or caption's) score is multiplied by when the query
/// names no figures ([`SearchIndex::top`]).
const TABLE_WEIGHT: f32 = 0.4;

/// Whether a query names a figure (has a number among its words).
pub(super) fn names_figures(q: &Query) -> bool {
    query::positive_texts(q).iter().any(|t| {
        tokenizer::runs(t)
            .iter()
            .any(|r| r.kind == tokenizer::RunKind::Number)
    })
}

/// Whether a word has characters the index leaves out (symbols, emoji,
/// punctuation inside it): everything but Chinese characters, numbers,
/// Latin words and spaces.
pub(super) fn symbolic(word: &str) -> bool {
    let indexed: usize = tokenizer::runs(word)
        .iter()
        .map(|r| word[r.start..r.end].chars().count())
        .sum();
    indexed < word.chars().filter(|c| !c.is_whitespace()).count()
}

pub(super) fn has_symbols(q: &Query) -> bool {
    match q {
        Query::Text(t) | Query::Exact(t) => symbolic(t),
        Query::Section(_) => false,
        Query::Not(x) => has_symbols(x),
        Query::And(v) | Query::Or(v) => v.iter().any(has_symbols),
    }
}

impl SearchIndex {
    /// The best `limit` hits, prose before tables: a table row's name cell
    /// (or a caption) is short, so by score alone it would outrank the
    /// paragraph that discusses the same indicator. Unless the query names
    /// figures (a number), which rows hold, a row's score is multiplied by
    /// [`TABLE_WEIGHT`].
    pub(super) fn top(
        &self,
        limit: usize,
        figures: bool,
    ) -> impl tantivy::collector::Collector<Fruit = Vec<(f32, tantivy::DocAddress)>> {
        let weight = if figures { 1.0 } else { TABLE_WEIGHT };
        TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
            let table = segment
                .fast_fields()
                .u64(TABLE_FIELD)
                .map(|c| c.first_or_default_col(0))
                .ok();
            move |doc: tantivy::DocId, score: tantivy::Score| match &table {
                Some(t) if t.get_val(doc) == 1 => score * weight,
                _ => score,
            }
        })
    }

    /// [`compile`](Self::compile), except that a negation of a word with
    /// symbols excludes nothing (the stored text decides it).
    pub(super) fn compile_relaxed(&self, q: &Query) -> Box<dyn TQuery> {
        self.compile_as(q, true)
    }

    /// A query that finds `text` as a substring of `field`.
    pub(super) fn phrase(&self, field: Field, text: &str) -> Option<Box<dyn TQuery>> {
        // Spaces inside a phrase are not in the documents' Chinese text.
        let joined: String = text.split_whitespace().collect();
        let terms = tokenizer::query_terms(&joined);
        if terms.is_empty() {
            return None;
        }
        let with_offsets: Vec<(usize, Term)> = terms
            .iter()
            .map(|t| (t.position, Term::from_field_text(field, &t.text)))
            .collect();
        // INVARIANT: only the last term can be a prefix (`query_terms`).
        Some(if terms.last().is_some_and(|t| t.prefix) {
            let mut p = PhrasePrefixQuery::new_with_offset(with_offsets);
            p.set_max_expansions(4096);
            Box::new(p)
        } else if with_offsets.len() == 1 {
            Box::new(TermQuery::new(
                with_offsets[0].1.clone(),
                IndexRecordOption::WithFreqsAndPositions,
            ))
        } else {
            Box::new(PhraseQuery::new_with_offset(with_offsets))
        })
    }

    pub(super) fn compile(&self, q: &Query) -> Box<dyn TQuery> {
        self.compile_as(q, false)
    }

    /// [`compile`](Self::compile); `relaxed`: as
    /// [`compile_relaxed`](Self::compile_relaxed).
    pub(super) fn compile_as(&self, q: &Query, relaxed: bool) -> Box<dyn TQuery> {
        match q {
            Query::Not(x) if relaxed && has_symbols(x) => Box::new(AllQuery),
            Query::Text(t) | Query::Exact(t) => {
                // In the text, or in a heading the unit starts (weighing
                // more: the section is about it).
                let alts: Vec<(Occur, Box<dyn TQuery>)> = self
                    .alternatives(t)
                    .into_iter()
                    .flat_map(|(a, w)| {
                        [(self.f.chars, w), (self.f.heads, w * HEADING_BOOST)]
                            .into_iter()
                            .map(move |(field, w)| (field, w, a.clone()))
                    })
                    .filter_map(|(field, w, a)| {
                        self.phrase(field, &a).map(|p| {
                            (
                                Occur::Should,
                                Box::new(BoostQuery::new(p, w)) as Box<dyn TQuery>,
                            )
                        })
                    })
                    .collect();
                if alts.is_empty() {
                    return Box::new(EmptyQuery);
                }
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> =
                    vec![(Occur::Must, Box::new(BooleanQuery::new(alts)))];
                // A word standing whole in a heading adds to the score.
                let words: Vec<String> = self
                    .seg
                    .words(t)
                    .into_iter()
                    .map(|w| w.2)
                    .filter(|w| {
                        w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit() || c == '.')
                    })
                    .collect();
                // Terms, not a phrase: cheap enough to score every match.
                for w in &words {
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(
                                Term::from_field_text(self.f.section_words, w),
                                IndexRecordOption::WithFreqs,
                            )),
                            1.5,
                        )),
                    ));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Section(s) => match self.phrase(self.f.section_chars, s) {
                Some(p) => Box::new(ConstScoreQuery::new(p, 0.0)),
                None => Box::new(EmptyQuery),
            },
            Query::Not(x) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.compile(x)),
            ])),
            Query::And(v) => {
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = v
                    .iter()
                    .filter(|x| !(relaxed && matches!(x, Query::Not(inner) if has_symbols(inner))))
                    .map(|x| match x {
                        Query::Not(inner) => (Occur::MustNot, self.compile(inner)),
                        _ => (Occur::Must, self.compile_as(x, relaxed)),
                    })
                    .collect();
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Or(v) => Box::new(BooleanQuery::new(
                v.iter()
                    .map(|x| (Occur::Should, self.compile_as(x, relaxed)))
                    .collect(),
            )),
        }
    }
}
