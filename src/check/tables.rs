//! Tables against charts: the chart data at the end of the export against
//! the tables they draw; a figure caption carrying another table's title.

use super::text::{number_at, similarity};
use super::{num, Finding, FindingKind, QuoteRef};
use crate::corpus::ingest::{self, Ingested};
use crate::model::fmt_num;
use serde_json::json;

/// The chart data at the end of the export against the tables they draw.
pub(super) fn table_chart(doc: &crate::corpus::Document, ing: &Ingested, out: &mut Vec<Finding>) {
    for ch in &ing.charts {
        // The table whose cells share the most names with the chart.
        let words: Vec<&str> = ch
            .series
            .iter()
            .flat_map(|(n, pts)| {
                std::iter::once(n.as_str()).chain(pts.iter().map(|p| p.0.as_str()))
            })
            .collect();
        let Some(table) = ing
            .tables
            .iter()
            .filter(|t| t.caption.starts_with('表'))
            .max_by_key(|t| {
                t.rows
                    .iter()
                    .flat_map(|r| &r.1)
                    .filter(|c| words.contains(&c.as_str()))
                    .count()
            })
        else {
            continue;
        };
        let Some((_, header)) = table.rows.first() else {
            continue;
        };
        let data: Vec<&(usize, Vec<String>)> = table.rows.iter().skip(1).collect();
        for (series, pts) in &ch.series {
            // The row of the series, or the only data row.
            let row = data
                .iter()
                .find(|r| r.1.first().is_some_and(|c| c == series))
                .or(if data.len() == 1 { data.first() } else { None });
            let Some((row_line, row)) = row else { continue };
            for (label, value) in pts {
                let Some(col) = header.iter().position(|h| h == label) else {
                    continue;
                };
                let Some(cell) = row.get(col) else { continue };
                let Some(tv) = number_at(cell.trim(), 0) else {
                    continue;
                };
                if (tv.value - value).abs() > tv.tolerance() {
                    let quote_row = ingest::row_text(row);
                    out.push(Finding {
                        kind: FindingKind::TableChart,
                        indicator: None,
                        period: Some(label.clone()),
                        expected: num(tv.value),
                        found: num(*value),
                        quotes: vec![
                            QuoteRef {
                                text: format!("{} {}", table.caption, quote_row),
                                file: doc.name.clone(),
                                line: *row_line,
                            },
                            QuoteRef {
                                text: format!("{} {} {}", ch.title, series, label),
                                file: doc.name.clone(),
                                line: ch.line,
                            },
                        ],
                        message: format!(
                            "{}：{}·{}，表中为{}，图表数据为{}",
                            ch.title,
                            if data.len() == 1 {
                                row.first().cloned().unwrap_or_default()
                            } else {
                                series.clone()
                            },
                            label,
                            cell.trim(),
                            fmt_num(*value)
                        ),
                    });
                }
            }
        }
    }
}

/// A figure caption (`图3 …`) whose title is not that of the table it
/// follows but that of another table: the figure is mislabelled.
pub(super) fn figure_captions(
    doc: &crate::corpus::Document,
    ing: &Ingested,
    out: &mut Vec<Finding>,
) {
    let tables: Vec<&ingest::Table> = ing
        .tables
        .iter()
        .filter(|t| t.caption.starts_with('表'))
        .collect();
    let mut last_figure = 0;
    for (k, line) in doc.text.lines().enumerate() {
        let cap = ingest::strip_markers(line).trim().to_string();
        if !ingest::is_figure_caption(&cap) {
            continue;
        }
        let line_no = k + 1;
        let previous_figure = std::mem::replace(&mut last_figure, line_no);
        let Some(before) = tables
            .iter()
            .filter(|t| t.line < line_no)
            .max_by_key(|t| t.line)
        else {
            continue;
        };
        // Only the first figure after a table draws it: another figure in
        // between means this one is past it.
        if previous_figure > before.line {
            continue;
        }
        let (ft, bt) = (
            ingest::caption_title(&cap),
            ingest::caption_title(&before.caption),
        );
        if similarity(&ft, &bt) >= 0.5 {
            continue;
        }
        let Some(other) = tables.iter().find(|t| {
            t.line != before.line && similarity(&ft, &ingest::caption_title(&t.caption)) >= 0.8
        }) else {
            continue;
        };
        out.push(Finding {
            kind: FindingKind::TableChart,
            indicator: None,
            period: None,
            expected: json!(before.caption.clone()),
            found: json!(cap.clone()),
            quotes: vec![
                QuoteRef {
                    text: cap.clone(),
                    file: doc.name.clone(),
                    line: line_no,
                },
                QuoteRef {
                    text: before.caption.clone(),
                    file: doc.name.clone(),
                    line: before.line,
                },
            ],
            message: format!(
                "{}：图题与其前面的{}不符，却与{}相同",
                cap.split_whitespace().next().unwrap_or(&cap),
                before.caption.split_whitespace().next().unwrap_or("表"),
                other.caption.split_whitespace().next().unwrap_or("表")
            ),
        });
    }
}
