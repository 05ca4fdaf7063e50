//! Full-text search over plan documents, in Chinese.
//!
//! Units (paragraphs, table rows, glossary entries; see
//! [`corpus::ingest`](crate::corpus::ingest)) are indexed with tantivy
//! (`tokenizer`): their text by characters (a bigram at every Chinese
//! character, with positions), so that every query word is matched as an
//! exact substring and one-character queries work; their headings both by
//! characters and by jieba words, so that a word standing whole in a heading
//! ranks its paragraphs first. Body text is not indexed by words: that field
//! doubled the build time and changed no hit of the relevance queries
//! (BENCHMARKS.md); jieba still analyses headings and queries. A query (`query`) is a tree of
//! words, phrases, `OR`, `NOT` and `section:` filters; each word also matches
//! its synonyms (`synonyms` in `rules/`) and, with a lower weight, the words a
//! glossary slogan stands for (六宜 → 宜业、宜居…). Hits carry their
//! breadcrumb, down to the 一是/二是 item where the match is, a snippet with
//! the matched words marked, and the file and line.

pub mod query;
mod snippet;
pub mod store;
pub mod tokenizer;

use crate::corpus::ingest::{self, UnitKind};
use crate::corpus::Corpus;
use query::Query;
use serde::{Deserialize, Serialize};
use std::fmt;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query as TQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};
use tokenizer::{CharTokenizer, Segmenter, WordTokenizer, CHARS, WORDS};

/// Separates list items in stored fields.
const SEP: char = '\u{1F}';

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

/// One searchable unit as stored in the index.
#[derive(Debug, Clone)]
pub struct IndexUnit {
    /// Document (file) name.
    pub doc: String,
    /// Stable id.
    pub id: String,
    /// 1-based line in the document.
    pub line: usize,
    /// Kind (`paragraph`, `table_row`, …).
    pub kind: String,
    /// Headings, outermost first.
    pub section: Vec<String>,
    /// The unit's text.
    pub text: String,
    /// Table cells, for a row.
    pub cells: Vec<String>,
}

impl IndexUnit {
    /// The units of an ingested document.
    pub fn from_ingested(ing: &ingest::Ingested) -> Vec<IndexUnit> {
        ing.units
            .iter()
            .map(|u| IndexUnit {
                doc: ing.doc.clone(),
                id: u.id.clone(),
                line: u.line,
                kind: kind_word(u.kind).to_string(),
                section: u.section.clone(),
                text: u.text.clone(),
                cells: u.cells.clone(),
            })
            .collect()
    }

    fn body(&self) -> String {
        ingest::body_text(&self.text, &self.cells)
    }
}

fn kind_word(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Paragraph => "paragraph",
        UnitKind::TableRow => "table_row",
        UnitKind::TableCaption => "table_caption",
        UnitKind::FigureCaption => "figure_caption",
        UnitKind::Glossary => "glossary",
    }
}

/// Errors of building, opening or querying an index.
#[derive(Debug)]
pub enum SearchError {
    /// A malformed query.
    Query(query::QueryError),
    /// An index directory that cannot be used.
    Index(String),
    /// Reading or writing files.
    Io(String),
    /// A document that cannot be read (a .docx that is not one, a text
    /// file that is empty or not UTF-8): bad input, named in the message.
    Document(String),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::Query(e) => write!(f, "检索式有误 (malformed query): {e}"),
            SearchError::Index(e) | SearchError::Io(e) | SearchError::Document(e) => f.write_str(e),
        }
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    doc: Field,
    line: Field,
    kind: Field,
    section: Field,
    section_chars: Field,
    section_words: Field,
    text: Field,
    cells: Field,
    chars: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |tok: &str, rec: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tok)
                .set_index_option(rec),
        )
    };
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED),
        doc: b.add_text_field("doc", STRING | STORED),
        line: b.add_u64_field("line", NumericOptions::default().set_stored()),
        kind: b.add_text_field("kind", STRING | STORED),
        section: b.add_text_field("section", STORED),
        section_words: b.add_text_field(
            "section_words",
            indexed(WORDS, IndexRecordOption::WithFreqs),
        ),
        section_chars: b.add_text_field(
            "section_chars",
            indexed(CHARS, IndexRecordOption::WithFreqsAndPositions),
        ),
        text: b.add_text_field("text", STORED),
        cells: b.add_text_field("cells", STORED),
        chars: b.add_text_field(
            "chars",
            indexed(CHARS, IndexRecordOption::WithFreqsAndPositions),
        ),
    };
    (b.build(), f)
}

fn fields_of(schema: &Schema) -> Result<Fields, SearchError> {
    let get = |n: &str| {
        schema.get_field(n).map_err(|_| {
            SearchError::Index(format!(
                "索引中没有字段 `{n}`，不是本版本 guihua 建立的 (the index has no field `{n}`)"
            ))
        })
    };
    Ok(Fields {
        id: get("id")?,
        doc: get("doc")?,
        line: get("line")?,
        kind: get("kind")?,
        section: get("section")?,
        section_chars: get("section_chars")?,
        section_words: get("section_words")?,
        text: get("text")?,
        cells: get("cells")?,
        chars: get("chars")?,
    })
}

/// A search hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Document (file) name.
    pub doc: String,
    /// Stable id of the paragraph (or row).
    pub paragraph_id: String,
    /// 1-based line in the document.
    pub line: usize,
    /// Headings, outermost first, down to the 一是/二是 item of the match.
    pub section: Vec<String>,
    /// BM25 score.
    pub score: f32,
    /// The whole paragraph (a table row's name cell).
    pub text: String,
    /// A window of the text with the matched words in `<b>…</b>`.
    pub snippet: String,
    /// `paragraph`, `table_row`, `table_caption`, `figure_caption`, `glossary`.
    pub kind: String,
    /// A table row's cells.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub row: Vec<String>,
}

/// The result of a query.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// How many units match (all words; or any word when all find too few).
    pub total: usize,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
}

/// An index and what it needs to answer queries.
pub struct SearchIndex {
    reader: IndexReader,
    f: Fields,
    lexicon: Lexicon,
    seg: Segmenter,
}

fn register(index: &Index, seg: &Segmenter) {
    index
        .tokenizers()
        .register(WORDS, WordTokenizer::new(seg.clone()));
    index.tokenizers().register(CHARS, CharTokenizer::default());
}

/// Adds units to a writer; `progress` is told the bytes of text added.
fn add_units(
    writer: &tantivy::IndexWriter,
    f: &Fields,
    units: impl IntoIterator<Item = Result<IndexUnit, SearchError>>,
    progress: &mut dyn FnMut(u64),
) -> Result<usize, SearchError> {
    let mut n = 0;
    for u in units {
        let u = u?;
        let mut d = TantivyDocument::default();
        let body = u.body();
        d.add_text(f.id, &u.id);
        d.add_text(f.doc, &u.doc);
        d.add_u64(f.line, u.line as u64);
        d.add_text(f.kind, &u.kind);
        let section = u.section.join(&SEP.to_string());
        d.add_text(f.section, &section);
        d.add_text(f.section_chars, u.section.join(" "));
        d.add_text(f.section_words, u.section.join(" "));
        d.add_text(f.text, &u.text);
        if !u.cells.is_empty() {
            d.add_text(f.cells, u.cells.join(&SEP.to_string()));
        }
        d.add_text(f.chars, &body);
        writer.add_document(d)?;
        progress((body.len() + section.len()) as u64);
        n += 1;
    }
    Ok(n)
}

impl SearchIndex {
    /// An in-memory index of a corpus: what `guihua search` uses without `--index`.
    pub fn in_memory(
        corpus: &Corpus,
        model: Option<&crate::model::Model>,
    ) -> Result<SearchIndex, SearchError> {
        let ingested = corpus.ingested();
        let glossary: Vec<ingest::GlossaryEntry> =
            ingested.iter().flat_map(|i| i.glossary.clone()).collect();
        let lexicon = Lexicon::new(model, &glossary);
        let units = ingested
            .iter()
            .flat_map(IndexUnit::from_ingested)
            .map(Ok)
            .collect::<Vec<_>>();
        Self::build(units, lexicon, None, 1, &mut |_| {})
    }

    /// Builds an index of `units`, in `dir` or in memory, with `threads`
    /// indexing threads.
    pub fn build(
        units: impl IntoIterator<Item = Result<IndexUnit, SearchError>>,
        lexicon: Lexicon,
        dir: Option<&std::path::Path>,
        threads: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<SearchIndex, SearchError> {
        let seg = Segmenter::new(lexicon.terms.iter().map(String::as_str));
        Self::build_with(units, lexicon, seg, dir, threads, progress)
    }

    /// [`build`](Self::build) with a segmenter already made from
    /// `lexicon.terms` (loading jieba's dictionary takes about 0.1 s).
    pub fn build_with(
        units: impl IntoIterator<Item = Result<IndexUnit, SearchError>>,
        lexicon: Lexicon,
        seg: Segmenter,
        dir: Option<&std::path::Path>,
        threads: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<SearchIndex, SearchError> {
        let (schema, f) = schema();
        let index = match dir {
            Some(d) => Index::create_in_dir(d, schema)?,
            None => Index::create_in_ram(schema),
        };
        register(&index, &seg);
        let threads = threads.max(1);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(threads, threads * 256 * 1024 * 1024)?;
        add_units(&writer, &f, units, progress)?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        Ok(SearchIndex {
            reader,
            f,
            lexicon,
            seg,
        })
    }

    /// Opens an index directory written by `guihua index`.
    pub fn open_dir(dir: &std::path::Path, lexicon: Lexicon) -> Result<SearchIndex, SearchError> {
        let index = Index::open_in_dir(dir).map_err(|e| {
            SearchError::Index(format!(
                "索引目录 `{}` 已损坏 (broken index directory): {e}",
                dir.display()
            ))
        })?;
        let f = fields_of(&index.schema())?;
        let seg = Segmenter::new(lexicon.terms.iter().map(String::as_str));
        register(&index, &seg);
        let reader = index.reader().map_err(|e| {
            SearchError::Index(format!(
                "索引目录 `{}` 已损坏 (broken index directory): {e}",
                dir.display()
            ))
        })?;
        Ok(SearchIndex {
            reader,
            f,
            lexicon,
            seg,
        })
    }

    /// Uses a rule set's synonyms for queries. The index keeps the words
    /// it was built with (they shaped its headings); returns whether the
    /// rules name words it was not built with.
    pub fn use_rules(&mut self, model: &crate::model::Model) -> bool {
        let lx = Lexicon::new(Some(model), &[]);
        self.lexicon.synonyms = lx.synonyms;
        lx.terms
            .iter()
            .any(|t| self.lexicon.terms.binary_search(t).is_err())
    }

    /// Number of units indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs a query.
    pub fn search(&self, q: &str, limit: usize) -> Result<SearchResults, SearchError> {
        let parsed = query::parse(q).map_err(SearchError::Query)?;
        let searcher = self.reader.searcher();
        let limit = limit.max(1);
        let tq = self.compile(&parsed);
        let (mut top, mut total) =
            searcher.search(&*tq, &(TopDocs::with_limit(limit).order_by_score(), Count))?;
        // All words first; when they find too few, hits with only some of
        // the words follow, in their own order of score.
        if let Query::And(parts) = &parsed {
            if top.len() < limit && parts.iter().all(|p| matches!(p, Query::Text(_))) {
                // Longer words say more about what is wanted (高新技术企业
                // over 对比): each word weighs by its length here.
                let or = BooleanQuery::new(
                    parts
                        .iter()
                        .map(|p| {
                            let len = match p {
                                Query::Text(t) => {
                                    t.chars().filter(|c| !c.is_whitespace()).count().clamp(1, 8)
                                }
                                _ => 1,
                            };
                            (
                                Occur::Should,
                                Box::new(BoostQuery::new(self.compile(p), len as f32 / 2.0))
                                    as Box<dyn TQuery>,
                            )
                        })
                        .collect(),
                );
                let or: Box<dyn TQuery> = Box::new(or);
                let (more, n) =
                    searcher.search(&*or, &(TopDocs::with_limit(limit).order_by_score(), Count))?;
                for m in more {
                    if top.len() >= limit {
                        break;
                    }
                    if !top.iter().any(|t| t.1 == m.1) {
                        top.push(m);
                    }
                }
                total = n;
            }
        }
        let needles = self.needles(&parsed);
        let hits = top
            .into_iter()
            .map(|(score, addr)| {
                let d: TantivyDocument = searcher.doc(addr)?;
                Ok(self.hit(&d, score, &needles))
            })
            .collect::<Result<Vec<_>, SearchError>>()?;
        Ok(SearchResults {
            query: q.to_string(),
            total,
            hits,
        })
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

    /// A word and what else it may be found as, with weights. A synonym
    /// replaces the longest group word found in it; an alternative that
    /// contains another one finds nothing more and is dropped.
    fn alternatives(&self, text: &str) -> Vec<(String, f32)> {
        let t = text.trim().to_string();
        let mut alts = vec![(t.clone(), 1.0)];
        // ASCII case only: a byte offset into `lower` is one into `t` (full
        // lowercasing changes lengths: Ⱥ is 2 bytes, ⱥ 3).
        let lower = t.to_ascii_lowercase();
        let lower = lower.as_str();
        let found: Vec<(&Vec<String>, &String, usize)> = self
            .lexicon
            .synonyms
            .iter()
            .flat_map(|g| {
                g.iter()
                    .filter(|w| !w.is_empty())
                    .filter_map(move |w| lower.find(&w.to_ascii_lowercase()).map(|at| (g, w, at)))
            })
            .collect();
        for &(group, w, at) in &found {
            // A longer group word covering this one takes precedence.
            let covered = found.iter().any(|&(_, w2, at2)| {
                w2.len() > w.len() && at2 <= at && at + w.len() <= at2 + w2.len()
            });
            if covered {
                continue;
            }
            for v in group.iter().filter(|v| *v != w) {
                let alt = format!("{}{}{}", &t[..at], v, &t[at + w.len()..]);
                if !alts.iter().any(|(a, _)| *a == alt) {
                    alts.push((alt, 0.9));
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

    /// A query that finds `text` as a substring of `field`.
    fn phrase(&self, field: Field, text: &str) -> Option<Box<dyn TQuery>> {
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

    fn compile(&self, q: &Query) -> Box<dyn TQuery> {
        match q {
            Query::Text(t) => {
                let alts: Vec<(Occur, Box<dyn TQuery>)> = self
                    .alternatives(t)
                    .into_iter()
                    .filter_map(|(a, w)| {
                        self.phrase(self.f.chars, &a).map(|p| {
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
                    .map(|x| match x {
                        Query::Not(inner) => (Occur::MustNot, self.compile(inner)),
                        _ => (Occur::Must, self.compile(x)),
                    })
                    .collect();
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Or(v) => Box::new(BooleanQuery::new(
                v.iter().map(|x| (Occur::Should, self.compile(x))).collect(),
            )),
        }
    }

    fn hit(&self, d: &TantivyDocument, score: f32, needles: &[Vec<String>]) -> Hit {
        let s = |f: Field| {
            d.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let text = s(self.f.text);
        let cells: Vec<String> = s(self.f.cells)
            .split(SEP)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        let mut section: Vec<String> = s(self.f.section)
            .split(SEP)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        let body = ingest::body_text(&text, &cells);
        let snip = snippet::make(&body, needles, 90);
        // The 一是/二是 item the first match falls in.
        if cells.is_empty() {
            if let Some(at) = snip.first_match {
                if let Some((_, label)) = ingest::items(&text)
                    .into_iter()
                    .rev()
                    .find(|(o, _)| *o <= at)
                {
                    section.push(label);
                }
            }
        }
        Hit {
            doc: s(self.f.doc),
            paragraph_id: s(self.f.id),
            line: d
                .get_first(self.f.line)
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as usize,
            section,
            score,
            text,
            snippet: snip.text,
            kind: s(self.f.kind),
            row: cells,
        }
    }
}
