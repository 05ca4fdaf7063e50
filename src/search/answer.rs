//! Answering a query: the strict match, then the relaxed steps
//! (`relax`), and the verified path for words the index does not see
//! whole (symbols), each checking candidates against their stored text.

use super::compile::{has_symbols, names_figures, symbolic};
use super::hit::SearchResults;
use super::lexicon::Alternatives;
use super::query::{self, Query};
use super::relax::{self, MatchStep, Plan};
use super::{tokenizer, SearchError, SearchIndex};
use crate::corpus::ingest;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// A unit's text prepared for [`SearchIndex::holds`]: normalized without
/// spaces, and its indexed characters only.
struct Literal {
    /// Each searchable text (the body, each heading the unit starts):
    /// normalized without spaces, and its indexed characters only.
    parts: Vec<(String, String)>,
}

impl Literal {
    fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Literal {
        Literal {
            parts: texts
                .into_iter()
                .map(|text| {
                    (
                        text.chars()
                            .filter(|c| !c.is_whitespace())
                            .map(tokenizer::normalize_char)
                            .collect(),
                        skeleton(text),
                    )
                })
                .collect(),
        }
    }

    fn contains(&self, word: &str) -> bool {
        if symbolic(word) {
            let w: String = word
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(tokenizer::normalize_char)
                .collect();
            !w.is_empty() && self.parts.iter().any(|(full, _)| full.contains(&w))
        } else {
            let w = skeleton(word);
            !w.is_empty() && self.parts.iter().any(|(_, sk)| sk.contains(&w))
        }
    }
}

/// The characters the index sees, normalized, in order.
fn skeleton(text: &str) -> String {
    tokenizer::runs(text)
        .iter()
        .flat_map(|r| text[r.start..r.end].chars().map(tokenizer::normalize_char))
        .collect()
}

/// Stored units read while answering, by address, so each is read once.
struct Docs<'a> {
    searcher: &'a tantivy::Searcher,
    read: std::collections::HashMap<tantivy::DocAddress, TantivyDocument>,
}

impl<'a> Docs<'a> {
    fn new(searcher: &'a tantivy::Searcher) -> Docs<'a> {
        Docs {
            searcher,
            read: Default::default(),
        }
    }

    /// The unit at `addr`, read once.
    fn get(&mut self, addr: tantivy::DocAddress) -> Result<&TantivyDocument, SearchError> {
        Ok(match self.read.entry(addr) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(self.searcher.doc(addr)?),
        })
    }

    /// The unit at `addr`, taken out (a hit is built from it once).
    fn take(&mut self, addr: tantivy::DocAddress) -> Result<TantivyDocument, SearchError> {
        match self.read.remove(&addr) {
            Some(d) => Ok(d),
            None => Ok(self.searcher.doc(addr)?),
        }
    }
}

/// `parsed` with each plain word that has symbols split where Chinese
/// characters start or end (`2+3+N产业体系` → `2+3+N` `产业体系`);
/// `None` when no word splits. Quoted phrases and `+words` stay whole.
fn split_symbolic(parsed: &Query) -> Option<Query> {
    let split = |t: &str| -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        let mut last: Option<bool> = None;
        for c in t.chars().filter(|c| !c.is_whitespace()) {
            let cjk = tokenizer::is_cjk(c);
            if last != Some(cjk) {
                parts.push(String::new());
            }
            if let Some(p) = parts.last_mut() {
                p.push(c);
            }
            last = Some(cjk);
        }
        parts
    };
    let mut changed = false;
    let mut word = |q: &Query| -> Vec<Query> {
        match q {
            Query::Text(t) if symbolic(t) => {
                let parts = split(t);
                if parts.len() > 1 {
                    changed = true;
                    return parts.into_iter().map(Query::Text).collect();
                }
                vec![q.clone()]
            }
            other => vec![other.clone()],
        }
    };
    let out = match parsed {
        Query::And(v) => Query::And(v.iter().flat_map(&mut word).collect()),
        other => {
            let mut v = word(other);
            if v.len() == 1 {
                v.pop()?
            } else {
                Query::And(v)
            }
        }
    };
    changed.then_some(out)
}

/// Appends the hits not there yet, up to `limit`; how many were added.
fn add_new(
    top: &mut Vec<(f32, tantivy::DocAddress)>,
    more: Vec<(f32, tantivy::DocAddress)>,
    limit: usize,
) -> usize {
    let before = top.len();
    for m in more {
        if top.len() >= limit {
            break;
        }
        if !top.iter().any(|t| t.1 == m.1) {
            top.push(m);
        }
    }
    top.len() - before
}

impl SearchIndex {
    /// Runs a query.
    pub fn search(&self, q: &str, limit: usize) -> Result<SearchResults, SearchError> {
        let parsed = query::parse(q).map_err(SearchError::Query)?;
        let searcher = self.reader.searcher();
        let limit = limit.clamp(1, crate::limits::MAX_HITS);
        if has_symbols(&parsed) {
            return self.search_verified(q, &parsed, limit);
        }
        let figures = names_figures(&parsed);
        let tq = self.compile(&parsed);
        let (mut top, strict_total) = searcher.search(&*tq, &(self.top(limit, figures), Count))?;
        let mut total = strict_total;
        let mut step = MatchStep::All;
        let mut needles = self.needles(&parsed);
        // Stored units already read, by address: each is read once.
        let mut docs = Docs::new(&searcher);
        // Too few: relax step by step, each step adding hits after the
        // stricter ones (relax.rs).
        if top.len() < limit {
            if let Some(plan) = Plan::of(&parsed, &self.seg) {
                if plan.splits {
                    let (more, n) = searcher.search(
                        &*self.compile(&plan.all_subwords()),
                        &(self.top(limit, figures), Count),
                    )?;
                    if add_new(&mut top, more, limit) > 0 {
                        step = MatchStep::Subwords;
                        total = total.max(n);
                    }
                }
                // Snippets mark the sub-words a relaxed hit has.
                needles.extend(self.needles(&plan.all_subwords()));
                for (next, parts) in [
                    (MatchStep::Most, &plan.subwords),
                    (MatchStep::Partial, &plan.pairs),
                ] {
                    if top.len() >= limit || parts.len() < 2 {
                        continue;
                    }
                    let ranked = self.by_coverage(&mut docs, &plan, parts, next, limit, figures)?;
                    let added = add_new(&mut top, ranked, limit);
                    if added > 0 {
                        step = next;
                        total += added;
                    }
                }
            }
        }
        let hits = top
            .into_iter()
            .map(|(score, addr)| {
                let d = docs.take(addr)?;
                Ok(self.hit(&d, score, &needles))
            })
            .collect::<Result<Vec<_>, SearchError>>()?;
        Ok(SearchResults {
            query: q.to_string(),
            total,
            strict_total,
            step,
            hits,
        })
    }

    /// Units holding some of `parts`, those that cover at least
    /// [`relax::needed`] of them, more covered first, then by score.
    fn by_coverage(
        &self,
        docs: &mut Docs,
        plan: &Plan,
        parts: &[String],
        step: MatchStep,
        limit: usize,
        figures: bool,
    ) -> Result<Vec<(f32, tantivy::DocAddress)>, SearchError> {
        let candidates = docs.searcher.search(
            &*self.compile(&plan.any_of(parts)),
            &self.top((limit * 20).max(200), figures),
        )?;
        let need = relax::needed(step, parts.len());
        // Which parts each candidate holds; a part that few candidates hold
        // says more (医师 over 数量), so coverage weighs each part by
        // ln(1 + candidates / candidates holding it).
        let mut held = Vec::with_capacity(candidates.len());
        let mut alts = Alternatives::new();
        let mut df = vec![0usize; parts.len()];
        for (score, addr) in candidates {
            let lit = self.literal(docs.get(addr)?);
            let has: Vec<bool> = parts
                .iter()
                .map(|p| self.holds(&Query::Text(p.clone()), &lit, &mut alts))
                .collect();
            for (k, h) in has.iter().enumerate() {
                df[k] += usize::from(*h);
            }
            held.push((score, addr, has));
        }
        let n = held.len() as f64;
        let weight: Vec<f64> = df
            .iter()
            .map(|&d| (1.0 + n / d.max(1) as f64).ln())
            .collect();
        let mut ranked: Vec<(usize, f64, f32, tantivy::DocAddress)> = held
            .into_iter()
            .filter_map(|(score, addr, has)| {
                let covered = has.iter().filter(|h| **h).count();
                if covered < need {
                    return None;
                }
                // How much of the query a hit covers, in characters:
                // 高新技术 + 企业 over 企业 + 数量.
                let chars: usize = has
                    .iter()
                    .zip(parts)
                    .filter(|(h, _)| **h)
                    .map(|(_, p)| p.chars().count())
                    .sum();
                let w: f64 = has
                    .iter()
                    .zip(&weight)
                    .filter(|(h, _)| **h)
                    .map(|(_, w)| w)
                    .sum();
                Some((chars, w, score, addr))
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
        });
        Ok(ranked.into_iter().map(|(_, _, s, a)| (s, a)).collect())
    }

    /// A stored unit's searchable texts: its body and the headings it starts.
    fn literal(&self, d: &TantivyDocument) -> Literal {
        let body = self.stored_body(d);
        let heads: Vec<&str> = d.get_all(self.f.heads).filter_map(|v| v.as_str()).collect();
        Literal::new(std::iter::once(body.as_str()).chain(heads))
    }

    /// A stored unit's searchable text (a table row's cells).
    fn stored_body(&self, d: &TantivyDocument) -> String {
        let text = d
            .get_first(self.f.text)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let cells: Vec<String> = d
            .get_all(self.f.cells)
            .filter_map(|v| v.as_str())
            .map(str::to_string)
            .collect();
        ingest::body_text(text, &cells)
    }

    /// A query with a word the index does not see whole (`月季😀`, `1-7月`,
    /// `63.99%`): the index finds candidates by the indexed parts (a
    /// negated word with symbols excludes nothing there), and each candidate's
    /// stored text decides, so every word still matches as a substring or
    /// not at all. At most [`MAX_VERIFIED_CANDIDATES`] candidates are read.
    ///
    /// [`MAX_VERIFIED_CANDIDATES`]: crate::limits::MAX_VERIFIED_CANDIDATES
    fn search_verified(
        &self,
        q: &str,
        parsed: &Query,
        limit: usize,
    ) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let mut docs = Docs::new(&searcher);
        let (mut top, strict_total) = self.verified(&searcher, parsed, limit, &mut docs)?;
        let mut needles = self.needles(parsed);
        let mut total = strict_total;
        let mut step = MatchStep::All;
        // Too few: a word with symbols glued to Chinese (`2+3+N产业体系`,
        // written “2+3+N”现代产业体系) is split where the symbols end, and
        // each part must still be there.
        if top.len() < limit {
            if let Some(split) = split_symbolic(parsed) {
                let (more, n) = self.verified(&searcher, &split, limit, &mut docs)?;
                if add_new(&mut top, more, limit) > 0 {
                    step = MatchStep::Subwords;
                    total = total.max(n);
                }
                needles.extend(self.needles(&split));
            }
        }
        let hits = top
            .into_iter()
            .map(|(score, addr)| {
                let d = docs.take(addr)?;
                Ok(self.hit(&d, score, &needles))
            })
            .collect::<Result<Vec<_>, SearchError>>()?;
        Ok(SearchResults {
            query: q.to_string(),
            total,
            strict_total,
            step,
            hits,
        })
    }

    /// The best `limit` units the index finds for `parsed` whose stored
    /// text holds it ([`holds`](Self::holds)), and how many hold it. The
    /// candidates are read in the order they are stored (neighbours share a
    /// compressed block of the document store), then ranked by score.
    fn verified(
        &self,
        searcher: &tantivy::Searcher,
        parsed: &Query,
        limit: usize,
        docs: &mut Docs,
    ) -> Result<(Vec<(f32, tantivy::DocAddress)>, usize), SearchError> {
        let tq = self.compile_relaxed(parsed);
        let mut candidates: Vec<(usize, f32, tantivy::DocAddress)> = searcher
            .search(
                &*tq,
                &TopDocs::with_limit(crate::limits::MAX_VERIFIED_CANDIDATES).order_by_score(),
            )?
            .into_iter()
            .enumerate()
            .map(|(rank, (score, addr))| (rank, score, addr))
            .collect();
        candidates.sort_by_key(|c| c.2);
        let mut alts = Alternatives::new();
        let mut held = Vec::new();
        // The documents of the best `limit` held so far, kept for the hits.
        let mut best: std::collections::BTreeMap<usize, TantivyDocument> = Default::default();
        for (rank, score, addr) in candidates {
            let d: TantivyDocument = searcher.doc(addr)?;
            if self.holds(parsed, &self.literal(&d), &mut alts) {
                held.push((rank, score, addr));
                best.insert(rank, d);
                if best.len() > limit {
                    best.pop_last();
                }
            }
        }
        let addr_of: std::collections::HashMap<usize, tantivy::DocAddress> =
            held.iter().map(|h| (h.0, h.2)).collect();
        for (rank, d) in best {
            if let Some(a) = addr_of.get(&rank) {
                docs.read.insert(*a, d);
            }
        }
        let total = held.len();
        held.sort_by_key(|h| h.0);
        Ok((
            held.into_iter()
                .take(limit)
                .map(|(_, score, addr)| (score, addr))
                .collect(),
            total,
        ))
    }

    /// Whether a unit's text satisfies a query, word by word: a word (or
    /// one of its alternatives) with symbols as a literal substring, one
    /// without as the index matches it (its indexed characters in a row).
    /// `alts` keeps each word's alternatives, worked out once per query
    /// rather than once per candidate.
    fn holds(&self, q: &Query, body: &Literal, alts: &mut Alternatives) -> bool {
        match q {
            Query::Text(t) | Query::Exact(t) => alts
                .entry(t.clone())
                .or_insert_with(|| self.alternatives(t))
                .iter()
                .any(|(a, _)| body.contains(a)),
            Query::Section(_) => true,
            Query::Not(x) => !self.holds(x, body, alts),
            Query::And(v) => v.iter().all(|x| self.holds(x, body, alts)),
            Query::Or(v) => v.iter().any(|x| self.holds(x, body, alts)),
        }
    }

    /// Literal strings to mark in snippets: for each of the query's words,
    /// the word, its synonyms and expansions.
    fn needles(&self, q: &Query) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for t in query::positive_texts(q) {
            let mut group = Vec::new();
            for (alt, _) in self.alternatives(&t) {
                let a: String = alt
                    .chars()
                    .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"'))
                    .collect();
                if !a.is_empty() && !out.iter().flatten().any(|n| *n == a) && !group.contains(&a) {
                    group.push(a);
                }
            }
            if !group.is_empty() {
                out.push(group);
            }
        }
        out
    }
}
