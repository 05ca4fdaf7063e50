//! Search hits and results: what a hit holds, built from a stored unit.

use super::relax::MatchStep;
use super::{snippet, SearchIndex};
use crate::corpus::ingest::{self, UnitKind};
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
    /// What kind of unit the hit is (`paragraph`, `table_row`,
    /// `table_caption`, `figure_caption`, `glossary`, `document` in JSON).
    pub kind: Kind,
    /// A table row's cells.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub row: Vec<String>,
}

/// What kind of unit a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A paragraph of prose.
    Paragraph,
    /// A table row.
    TableRow,
    /// A table's caption.
    TableCaption,
    /// A figure's caption.
    FigureCaption,
    /// A glossary entry (名词解释).
    Glossary,
    /// A record of a JSONL collection, one unit each.
    Document,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Paragraph,
        Kind::TableRow,
        Kind::TableCaption,
        Kind::FigureCaption,
        Kind::Glossary,
        Kind::Document,
    ];

    /// The kind of an ingested unit.
    pub fn of(k: UnitKind) -> Kind {
        match k {
            UnitKind::Paragraph => Kind::Paragraph,
            UnitKind::TableRow => Kind::TableRow,
            UnitKind::TableCaption => Kind::TableCaption,
            UnitKind::FigureCaption => Kind::FigureCaption,
            UnitKind::Glossary => Kind::Glossary,
        }
    }

    /// The name stored in the index (and written in JSON).
    pub fn word(self) -> &'static str {
        match self {
            Kind::Paragraph => "paragraph",
            Kind::TableRow => "table_row",
            Kind::TableCaption => "table_caption",
            Kind::FigureCaption => "figure_caption",
            Kind::Glossary => "glossary",
            Kind::Document => "document",
        }
    }

    /// The kind a stored name stands for (a paragraph for a name this
    /// version does not know).
    fn from_word(w: &str) -> Kind {
        Kind::ALL
            .into_iter()
            .find(|k| k.word() == w)
            .unwrap_or(Kind::Paragraph)
    }

    /// The kind in Chinese, as the text output labels a hit.
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::Paragraph => "段落",
            Kind::TableRow => "表格行",
            Kind::TableCaption => "表题",
            Kind::FigureCaption => "图题",
            Kind::Glossary => "名词解释",
            Kind::Document => "文档",
        }
    }

    /// A table row or a caption: ranked after prose unless the query
    /// names figures.
    pub fn is_table(self) -> bool {
        matches!(
            self,
            Kind::TableRow | Kind::TableCaption | Kind::FigureCaption
        )
    }
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

impl Hit {
    /// Where the hit stands: its headings, outermost first, joined by
    /// ` › `, or （正文） for a unit under no heading.
    pub fn breadcrumb(&self) -> String {
        if self.section.is_empty() {
            "（正文）".to_string()
        } else {
            self.section.join(" › ")
        }
    }
}

impl SearchResults {
    /// The results as `guihua search` prints them: a count line, a line
    /// saying how the query was relaxed (when it was), then each hit's
    /// breadcrumb, place and kind, and snippet (matches in 【】). No score:
    /// hits are ranked by match step and coverage before relevance, so a
    /// relevance figure beside them would contradict their order.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let shown = self.hits.len();
        let _ = writeln!(
            out,
            "「{}」共 {} 条结果{}",
            self.query,
            self.total,
            if shown < self.total {
                format!("，显示前 {shown} 条")
            } else {
                String::new()
            }
        );
        if self.step != MatchStep::All {
            let _ = writeln!(
                out,
                "（完全匹配 {} 条；其余按{}匹配，覆盖检索词多的在前）",
                self.strict_total,
                self.step.chinese(),
            );
        }
        for (i, h) in self.hits.iter().enumerate() {
            let _ = writeln!(out, "\n{}. {}", i + 1, h.breadcrumb());
            let _ = writeln!(out, "   {}:{}  [{}]", h.doc, h.line, h.kind.chinese(),);
            let _ = writeln!(
                out,
                "   {}",
                h.snippet.replace("<b>", "【").replace("</b>", "】")
            );
        }
        out
    }
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
        let all = |f: Field| -> Vec<String> {
            d.get_all(f)
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect()
        };
        let cells = all(self.f.cells);
        let mut section = all(self.f.section);
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
            kind: Kind::from_word(
                d.get_first(self.f.kind)
                    .and_then(|v| v.as_str())
                    .unwrap_or(""),
            ),
            row: cells,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Kind, MatchStep};

    /// The stored name, the JSON name and the kind read back agree.
    #[test]
    fn a_kind_and_a_step_are_named_alike_in_json_and_in_the_index() {
        for k in Kind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.word());
            assert_eq!(Kind::from_word(k.word()), k);
        }
        for s in [
            MatchStep::All,
            MatchStep::Subwords,
            MatchStep::Most,
            MatchStep::Partial,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.word());
        }
    }
}
