//! The index's fields and how a unit is written into them.

use super::hit::Kind;
use super::tokenizer::{CharTokenizer, Segmenter, WordTokenizer, CHARS, WORDS};
use super::{variants, SearchError};
use crate::corpus::ingest;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};
use tantivy::{Index, TantivyDocument};

/// The fast field saying a unit is a table row or a caption (1) or not (0).
pub(super) const TABLE_FIELD: &str = "table";

/// One searchable unit as stored in the index.
#[derive(Debug, Clone)]
pub struct IndexUnit {
    /// Document (file) name.
    pub doc: String,
    /// Stable id.
    pub id: String,
    /// 1-based line in the document.
    pub line: usize,
    /// What kind of unit it is.
    pub kind: Kind,
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
                    kind: Kind::of(u.kind),
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

#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) doc: Field,
    pub(super) line: Field,
    pub(super) kind: Field,
    pub(super) section: Field,
    pub(super) section_chars: Field,
    pub(super) section_words: Field,
    pub(super) text: Field,
    pub(super) cells: Field,
    pub(super) chars: Field,
    pub(super) heads: Field,
    pub(super) table: Field,
}

pub(super) fn schema() -> (Schema, Fields) {
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

pub(super) fn fields_of(schema: &Schema) -> Result<Fields, SearchError> {
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

pub(super) fn register(index: &Index, seg: &Segmenter) {
    index
        .tokenizers()
        .register(WORDS, WordTokenizer::new(seg.clone()));
    index.tokenizers().register(CHARS, CharTokenizer::default());
}

/// Adds units to a writer; `progress` is told the bytes of text added.
pub(super) fn add_units(
    writer: &tantivy::IndexWriter,
    f: &Fields,
    units: impl IntoIterator<Item = Result<IndexUnit, SearchError>>,
    progress: &mut dyn FnMut(u64),
    learned: &mut Vec<(String, String)>,
    names: &mut std::collections::BTreeSet<String>,
) -> Result<usize, SearchError> {
    let mut n = 0;
    for u in units {
        let u = u?;
        if !u.cells.is_empty() {
            // A table row's name cell, for `names` (each name once).
            if names.len() < crate::limits::MAX_TABLE_NAMES
                && u.text.chars().count() <= 40
                && !names.contains(&u.text)
            {
                names.insert(u.text.clone());
            }
        } else {
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
        d.add_text(f.kind, u.kind.word());
        d.add_u64(f.table, u64::from(u.kind.is_table()));
        // Headings and cells stored one value each, read back as lists.
        for h in &u.section {
            d.add_text(f.section, h);
        }
        d.add_text(f.section_chars, u.section.join(" "));
        d.add_text(f.section_words, u.section.join(" "));
        d.add_text(f.text, &u.text);
        for c in &u.cells {
            d.add_text(f.cells, c);
        }
        d.add_text(f.chars, &body);
        // One value per heading: a phrase never spans two of them.
        for h in &u.heads {
            d.add_text(f.heads, h);
        }
        writer.add_document(d)?;
        // The headings' bytes with one separator between them.
        let section =
            u.section.iter().map(String::len).sum::<usize>() + u.section.len().saturating_sub(1);
        progress((body.len() + section) as u64);
        n += 1;
    }
    Ok(n)
}
