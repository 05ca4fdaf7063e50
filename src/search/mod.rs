//! Full-text search over plan documents, in Chinese.
//!
//! Units (paragraphs, table rows, glossary entries; see
//! [`corpus::ingest`](crate::corpus::ingest)) are indexed with tantivy
//! (`tokenizer`): their text by characters (a bigram at every Chinese
//! character, with positions), so that every query word is matched as an
//! exact substring and one-character queries work; their headings both by
//! characters and by jieba words, so that a word standing whole in a heading
//! ranks its paragraphs first; the first unit of a section also holds the
//! section's heading (`heads`, weighing twice its text), so a query naming
//! a section finds where it starts. Table rows and captions rank after prose
//! unless the query holds a number. Body text is not indexed by words: that field
//! doubled the build time and changed no hit of the relevance queries
//! (BENCHMARKS.md); jieba still analyses headings and queries. A query (`query`) is a tree of
//! words, phrases, `OR`, `NOT` and `section:` filters; each word also matches
//! its synonyms (`synonyms` in `rules/`) and, with a lower weight, the words a
//! glossary slogan stands for (六宜 → 宜业、宜居…). Hits carry their
//! breadcrumb, down to the 一是/二是 item where the match is, a snippet with
//! the matched words marked, and the file and line.

pub mod cache;
pub mod query;
pub mod relax;
mod snippet;
pub mod store;
pub mod tokenizer;
pub mod variants;

use crate::corpus::ingest::{self, UnitKind};
use crate::corpus::Corpus;
use query::Query;
use relax::{MatchStep, Plan};
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

/// How much more a word found in a heading the unit starts weighs than
/// one found in its text.
const HEADING_BOOST: f32 = 2.0;

/// What a table row's (or caption's) score is multiplied by when the query
/// names no figures ([`SearchIndex::top`]).
const TABLE_WEIGHT: f32 = 0.4;

/// The fast field saying a unit is a table row or a caption (1) or not (0).
const TABLE_FIELD: &str = "table";

/// Whether a query names a figure (has a number among its words).
fn names_figures(q: &Query) -> bool {
    query::positive_texts(q).iter().any(|t| {
        tokenizer::runs(t)
            .iter()
            .any(|r| r.kind == tokenizer::RunKind::Number)
    })
}

/// The weight of a form learned from the documents (`variants`), below a
/// planner's synonym (0.9) and the word as typed (1).
const LEARNED_WEIGHT: f32 = 0.6;

/// A query word's alternatives ([`SearchIndex::alternatives`]), by word.
type Alternatives = std::collections::HashMap<String, Vec<(String, f32)>>;

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
    /// The headings this unit is the first unit under (a heading is
    /// searched as part of the first unit of its section, so a query
    /// naming a section finds where it starts, even when the heading
    /// exists only in the 目录).
    pub heads: Vec<String>,
}

impl IndexUnit {
    /// The units of an ingested document.
    pub fn from_ingested(ing: &ingest::Ingested) -> Vec<IndexUnit> {
        let mut previous: &[String] = &[];
        ing.units
            .iter()
            .map(|u| {
                let same = previous
                    .iter()
                    .zip(&u.section)
                    .take_while(|(a, b)| a == b)
                    .count();
                previous = &u.section;
                IndexUnit {
                    doc: ing.doc.clone(),
                    id: u.id.clone(),
                    line: u.line,
                    kind: kind_word(u.kind).to_string(),
                    section: u.section.clone(),
                    text: u.text.clone(),
                    cells: u.cells.clone(),
                    heads: u.section[same..].to_vec(),
                }
            })
            .collect()
    }

    fn body(&self) -> String {
        ingest::body_text(&self.text, &self.cells)
    }
}

/// Whether a word has characters the index leaves out (symbols, emoji,
/// punctuation inside it): everything but Chinese characters, numbers,
/// Latin words and spaces.
fn symbolic(word: &str) -> bool {
    let indexed: usize = tokenizer::runs(word)
        .iter()
        .map(|r| word[r.start..r.end].chars().count())
        .sum();
    indexed < word.chars().filter(|c| !c.is_whitespace()).count()
}

fn has_symbols(q: &Query) -> bool {
    match q {
        Query::Text(t) | Query::Exact(t) => symbolic(t),
        Query::Section(_) => false,
        Query::Not(x) => has_symbols(x),
        Query::And(v) | Query::Or(v) => v.iter().any(has_symbols),
    }
}

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
    heads: Field,
    table: Field,
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
        heads: b.add_text_field(
            "heads",
            indexed(CHARS, IndexRecordOption::WithFreqsAndPositions).set_stored(),
        ),
        table: b.add_u64_field(TABLE_FIELD, NumericOptions::default().set_fast()),
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
        heads: get("heads")?,
        table: get(TABLE_FIELD)?,
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
    /// The paragraph (a table row's name cell), cut after
    /// [`MAX_HIT_TEXT_CHARS`](crate::limits::MAX_HIT_TEXT_CHARS) characters
    /// with "…(n more characters)".
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
    /// How many units match at the loosest step used (`match`).
    pub total: usize,
    /// How many units match every word as typed.
    pub strict_total: usize,
    /// Which step answered: `all`, `subwords`, `most` or `partial`.
    #[serde(rename = "match")]
    pub step: MatchStep,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
}

/// An index and what it needs to answer queries.
pub struct SearchIndex {
    reader: IndexReader,
    /// The files of an index built in memory, for [`store::save`].
    ram: Option<tantivy::directory::RamDirectory>,
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
    learned: &mut Vec<(String, String)>,
) -> Result<usize, SearchError> {
    let mut n = 0;
    for u in units {
        let u = u?;
        if u.cells.is_empty() {
            for pair in variants::learn(&u.text) {
                if learned.len() < crate::limits::MAX_LEARNED_VARIANTS && !learned.contains(&pair) {
                    learned.push(pair);
                }
            }
        }
        let mut d = TantivyDocument::default();
        let body = u.body();
        d.add_text(f.id, &u.id);
        d.add_text(f.doc, &u.doc);
        d.add_u64(f.line, u.line as u64);
        d.add_text(f.kind, &u.kind);
        d.add_u64(
            f.table,
            u64::from(matches!(
                u.kind.as_str(),
                "table_row" | "table_caption" | "figure_caption"
            )),
        );
        let section = u.section.join(&SEP.to_string());
        d.add_text(f.section, &section);
        d.add_text(f.section_chars, u.section.join(" "));
        d.add_text(f.section_words, u.section.join(" "));
        d.add_text(f.text, &u.text);
        if !u.cells.is_empty() {
            d.add_text(f.cells, u.cells.join(&SEP.to_string()));
        }
        d.add_text(f.chars, &body);
        // One value per heading: a phrase never spans two of them.
        for h in &u.heads {
            d.add_text(f.heads, h);
        }
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
        mut lexicon: Lexicon,
        seg: Segmenter,
        dir: Option<&std::path::Path>,
        threads: usize,
        progress: &mut dyn FnMut(u64),
    ) -> Result<SearchIndex, SearchError> {
        let (schema, f) = schema();
        let ram = dir.is_none().then(tantivy::directory::RamDirectory::create);
        let index = match (dir, &ram) {
            (Some(d), _) => Index::create_in_dir(d, schema)?,
            (None, Some(ram)) => Index::create(ram.clone(), schema, Default::default())?,
            (None, None) => Index::create_in_ram(schema),
        };
        register(&index, &seg);
        let threads = threads.clamp(1, crate::limits::MAX_THREADS);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(threads, threads * 256 * 1024 * 1024)?;
        let mut learned = Vec::new();
        add_units(&writer, &f, units, progress, &mut learned)?;
        // A pair the planners already wrote as synonyms stays theirs.
        learned.retain(|(short, long)| {
            !lexicon
                .synonyms
                .iter()
                .any(|g| g.contains(short) && g.contains(long))
        });
        lexicon.learned = learned
            .into_iter()
            .map(|(short, long)| vec![short, long])
            .collect();
        writer.commit()?;
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        Ok(SearchIndex {
            reader,
            ram,
            f,
            lexicon,
            seg,
        })
    }

    /// Opens an index directory written by `guihua index`, verifying the
    /// checksum of every file it reads (a flipped bit would otherwise panic
    /// inside tantivy or change answers silently).
    pub fn open_dir(dir: &std::path::Path, lexicon: Lexicon) -> Result<SearchIndex, SearchError> {
        let index = Index::open_in_dir(dir).map_err(|e| {
            SearchError::Index(format!(
                "索引目录 `{}` 已损坏 (broken index directory): {e}",
                dir.display()
            ))
        })?;
        let damaged = index
            .validate_checksum()
            .map_err(|e| store::corrupt(dir, &format!(": {e}")))?;
        if !damaged.is_empty() {
            let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            return Err(store::corrupt(
                dir,
                &format!(
                    "，校验和不符的文件 (files whose checksum fails): {}",
                    names.join(", ")
                ),
            ));
        }
        let f = fields_of(&index.schema())?;
        // Queries only: their few words are looked up, no dictionary loaded.
        let seg = Segmenter::compact(lexicon.terms.iter().map(String::as_str));
        register(&index, &seg);
        // A generation never changes once written: no thread watching it.
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| {
                SearchError::Index(format!(
                    "索引目录 `{}` 已损坏 (broken index directory): {e}",
                    dir.display()
                ))
            })?;
        Ok(SearchIndex {
            reader,
            ram: None,
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
                    let ranked = self.by_coverage(&searcher, &plan, parts, next, limit, figures)?;
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
                let d: TantivyDocument = searcher.doc(addr)?;
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
        searcher: &tantivy::Searcher,
        plan: &Plan,
        parts: &[String],
        step: MatchStep,
        limit: usize,
        figures: bool,
    ) -> Result<Vec<(f32, tantivy::DocAddress)>, SearchError> {
        let candidates = searcher.search(
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
            let d: TantivyDocument = searcher.doc(addr)?;
            let lit = self.literal(&d);
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

    /// The best `limit` hits, prose before tables: a table row's name cell
    /// (or a caption) is short, so by score alone it would outrank the
    /// paragraph that discusses the same indicator. Unless the query names
    /// figures (a number), which rows hold, a row's score is multiplied by
    /// [`TABLE_WEIGHT`].
    fn top(
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
            .get_first(self.f.cells)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .split(SEP)
            .filter(|c| !c.is_empty())
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
        let tq = self.compile_relaxed(parsed);
        let candidates = searcher.search(
            &*tq,
            &TopDocs::with_limit(crate::limits::MAX_VERIFIED_CANDIDATES).order_by_score(),
        )?;
        let needles = self.needles(parsed);
        let mut hits = Vec::new();
        let mut total = 0;
        let mut alts = Alternatives::new();
        for (score, addr) in candidates {
            let d: TantivyDocument = searcher.doc(addr)?;
            if !self.holds(parsed, &self.literal(&d), &mut alts) {
                continue;
            }
            total += 1;
            if hits.len() < limit {
                hits.push(self.hit(&d, score, &needles));
            }
        }
        Ok(SearchResults {
            query: q.to_string(),
            total,
            strict_total: total,
            step: MatchStep::All,
            hits,
        })
    }

    /// [`compile`](Self::compile), except that a negation of a word with
    /// symbols excludes nothing (the stored text decides it).
    fn compile_relaxed(&self, q: &Query) -> Box<dyn TQuery> {
        self.compile_as(q, true)
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
        self.compile_as(q, false)
    }

    /// [`compile`](Self::compile); `relaxed`: as
    /// [`compile_relaxed`](Self::compile_relaxed).
    fn compile_as(&self, q: &Query, relaxed: bool) -> Box<dyn TQuery> {
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
            text: crate::limits::cut(&text, crate::limits::MAX_HIT_TEXT_CHARS).into_owned(),
            snippet: snip.text,
            kind: s(self.f.kind),
            row: cells,
        }
    }
}
