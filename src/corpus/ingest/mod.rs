//! Documents → outline → searchable units.
//!
//! Reads the raw text export of a .docx (the report's format: `[bookmark: …]`
//! and `[image: …]` markers, table cells one per line behind a tab, blank
//! lines between table rows) or plain text, and produces:
//! - the outline, recovered from the 目录 where the body lacks a heading
//!   (the report's body lacks six headings of chapter 三 and those of
//!   附件1 and 附件3; the paragraphs under them begin with a space);
//! - paragraphs, each with its full breadcrumb and line number;
//! - table rows (with their caption), glossary entries (附件4) and the
//!   chart data at the end of the file, kept apart from the paragraphs so
//!   that nothing is a hit twice.

use super::Document;

mod lines;
mod reader;
mod tables;

pub use lines::{is_toc_title, items, strip_markers, toc_entries};

/// What a searchable unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A paragraph of prose.
    Paragraph,
    /// A row of a table.
    TableRow,
    /// A table's caption (表1 …).
    TableCaption,
    /// A figure caption (图1 …).
    FigureCaption,
    /// An entry of the glossary (名词解释).
    Glossary,
}

/// A searchable piece of a document.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable id: `<doc>#L<line>`.
    pub id: String,
    /// Kind.
    pub kind: UnitKind,
    /// 1-based line of the unit's text in the document.
    pub line: usize,
    /// Headings, outermost first.
    pub section: Vec<String>,
    /// The unit's text: the paragraph, or a table row's name cell.
    pub text: String,
    /// A table row's cells (empty for other kinds).
    pub cells: Vec<String>,
}

impl Unit {
    /// The text that is indexed: the whole row for a table row.
    pub fn body(&self) -> String {
        body_text(&self.text, &self.cells)
    }
}

/// A unit's searchable text: its text, or a table row's non-empty cells.
pub fn body_text(text: &str, cells: &[String]) -> String {
    if cells.is_empty() {
        text.to_string()
    } else {
        row_text(cells)
    }
}

/// A table row as one line: its non-empty cells, space-separated.
pub fn row_text(cells: &[String]) -> String {
    cells
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A heading of the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 for a chapter or an attachment, 2 for a section.
    pub level: u8,
    /// The heading as the 目录 (or the body) writes it, without page number.
    pub text: String,
    /// Its line in the body, `None` when only the 目录 has it.
    pub line: Option<usize>,
}

/// A table: caption and rows of cells.
#[derive(Debug, Clone)]
pub struct Table {
    /// `表1  卧龙区、宛城区GDP占南阳市的比重（%）`, or the heading above it.
    pub caption: String,
    /// Line of the first row.
    pub line: usize,
    /// Rows of cells, each with the line of its first cell.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Chart data (the series behind a figure), from the end of the export.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Chart title.
    pub title: String,
    /// Line of the title.
    pub line: usize,
    /// Series: name and (label, value) points.
    pub series: Vec<(String, Vec<(String, f64)>)>,
}

/// A glossary entry: `“六宜”` → `宜业、宜居、…`.
#[derive(Debug, Clone)]
pub struct GlossaryEntry {
    /// The term, without quotes: `六宜`.
    pub term: String,
    /// The explanation as written.
    pub expansion: String,
    /// Words the term stands for (`宜业`, `宜居`, …), for query expansion.
    pub words: Vec<String>,
    /// Line.
    pub line: usize,
}

/// One ingested document.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// Document name.
    pub doc: String,
    /// Outline in document order.
    pub outline: Vec<Heading>,
    /// Searchable units in document order.
    pub units: Vec<Unit>,
    /// Tables.
    pub tables: Vec<Table>,
    /// Chart data.
    pub charts: Vec<Chart>,
    /// Glossary entries.
    pub glossary: Vec<GlossaryEntry>,
}

/// Ingests one document.
pub fn ingest(doc: &Document) -> Ingested {
    let mut out = reader::Reader::new(doc).run();
    drop_duplicate_figure_captions(&mut out);
    out
}

/// A figure caption that repeats a table caption (图4 of 表4's data) would
/// be the same hit twice: keep the table's.
fn drop_duplicate_figure_captions(out: &mut Ingested) {
    let tables: Vec<String> = out
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::TableCaption)
        .map(|u| caption_title(&u.text))
        .collect();
    out.units
        .retain(|u| u.kind != UnitKind::FigureCaption || !tables.contains(&caption_title(&u.text)));
}

/// Whether a line (markers stripped) is a figure caption: `图3  …`.
pub fn is_figure_caption(text: &str) -> bool {
    text.starts_with('图')
        && text.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
        && text.chars().count() < 60
}

/// A table or figure caption's title: without `表3`/`图3`, a trailing
/// `（%）`-style note, or whitespace.
pub fn caption_title(s: &str) -> String {
    let s = s
        .trim_start_matches(['图', '表'])
        .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    let s = match s.rfind('（') {
        Some(i) if s.ends_with('）') && i > 0 => &s[..i],
        _ => s,
    };
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
