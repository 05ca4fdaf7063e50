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
//! its synonyms (`synonyms` in `rules/`) and, each weighing less: the forms
//! the documents teach (short forms in brackets, `variants`; a table's names
//! against the prose's shorter forms of them, `names`), the general synonym
//! source (`general`, a pair the rules can take out with `a != b`), and the
//! words a glossary slogan stands for (六宜 → 宜业、宜居…). Hits carry their
//! breadcrumb, down to the 一是/二是 item where the match is, a snippet with
//! the matched words marked, and the file and line.

mod answer;
pub mod cache;
mod compile;
mod general;
mod hit;
mod lexicon;
mod names;
pub mod query;
pub mod relax;
mod schema;
mod snippet;
mod sorted_lines;
pub mod store;
pub mod tokenizer;
pub mod variants;

pub use hit::{Hit, Kind, SearchResults};
pub use lexicon::Lexicon;
pub use schema::IndexUnit;

use crate::corpus::ingest;
use crate::corpus::Corpus;
use schema::{add_units, fields_of, register, schema, Fields};
use std::fmt;
use tantivy::{Index, IndexReader};
use tokenizer::Segmenter;

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

/// An index and what it needs to answer queries.
pub struct SearchIndex {
    reader: IndexReader,
    /// The files of an index built in memory, for [`store::save`].
    ram: Option<tantivy::directory::RamDirectory>,
    f: Fields,
    lexicon: Lexicon,
    seg: Segmenter,
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
        let mut table_names = std::collections::BTreeSet::new();
        add_units(&writer, &f, units, progress, &mut learned, &mut table_names)?;
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
        let mut index = SearchIndex {
            reader,
            ram,
            f,
            lexicon,
            seg,
        };
        index.learn_names(&table_names)?;
        Ok(index)
    }

    /// Adds to the learned variants the groups of the tables' names and
    /// the forms of them the prose holds ([`names`]).
    fn learn_names(
        &mut self,
        table_names: &std::collections::BTreeSet<String>,
    ) -> Result<(), SearchError> {
        let named: Vec<(String, Vec<String>)> = table_names
            .iter()
            .filter_map(|n| names::candidates(n, &self.seg))
            .collect();
        if named.is_empty() {
            return Ok(());
        }
        let searcher = self.reader.searcher();
        let mut failed = None;
        let groups = names::groups(&named, |v| {
            let Some(p) = self.phrase(self.f.chars, v) else {
                return false;
            };
            let prose = tantivy::query::BooleanQuery::new(vec![
                (tantivy::query::Occur::Must, p),
                (
                    tantivy::query::Occur::MustNot,
                    Box::new(tantivy::query::TermQuery::new(
                        tantivy::Term::from_field_text(self.f.kind, Kind::TableRow.word()),
                        tantivy::schema::IndexRecordOption::Basic,
                    )),
                ),
            ]);
            match searcher.search(&prose, &tantivy::collector::Count) {
                Ok(n) => n > 0,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            }
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        let room = crate::limits::MAX_LEARNED_VARIANTS.saturating_sub(self.lexicon.learned.len());
        self.lexicon.learned.extend(groups.into_iter().take(room));
        Ok(())
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
        self.lexicon.removed = lx.removed;
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
}
