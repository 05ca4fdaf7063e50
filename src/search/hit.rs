//! Search hits and results: what a hit holds, built from a stored unit.

use super::relax::MatchStep;
use super::schema::SEP;
use super::{snippet, SearchIndex};
use crate::corpus::ingest;
use serde::Serialize;
use tantivy::schema::{Field, Value};
use tantivy::TantivyDocument;

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

impl SearchIndex {
    pub(super) fn hit(&self, d: &TantivyDocument, score: f32, needles: &[Vec<String>]) -> Hit {
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
