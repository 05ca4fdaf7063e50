//! Tables (cells behind a tab, rows between blank lines) and the chart
//! data the text export writes after the body.

use super::lines::{heading_level, is_number, strip_markers};
use super::Chart;

/// Lines between a row's first line and the line of its `k`-th cell.
pub(super) fn table_cell_offset(raw: &[&str], first: usize, k: usize) -> usize {
    let mut cell = 0;
    let mut j = first;
    while j < raw.len() && !raw[j].trim().is_empty() {
        if raw[j].starts_with('\t') {
            if cell == k {
                return j - first;
            }
            cell += 1;
        }
        j += 1;
    }
    0
}

pub(super) struct RawTable {
    pub(super) line: usize,
    pub(super) rows: Vec<(usize, Vec<String>)>,
}

/// Reads a table starting at line `i` (and ending at line `end` when the
/// document says so); returns it and the next line after.
pub(super) fn read_table(
    raw: &[&str],
    clean: &[String],
    mut i: usize,
    end: Option<usize>,
) -> (RawTable, usize) {
    let mut t = RawTable {
        line: i + 1,
        rows: Vec::new(),
    };
    let mut row: Vec<String> = Vec::new();
    let mut row_line = i + 1;
    while i < raw.len() {
        let r = raw[i];
        if end.is_some_and(|e| i >= e) {
            break;
        }
        if r.starts_with('\t') {
            if row.is_empty() {
                row_line = i + 1;
            }
            row.push(clean[i].trim().to_string());
            i += 1;
        } else if r.trim().is_empty() {
            if !row.is_empty() {
                t.rows.push((row_line, std::mem::take(&mut row)));
            }
            i += 1;
            // Two blank lines, or a non-cell line after a blank: the table ends.
            if raw.get(i).is_none_or(|n| !n.starts_with('\t')) {
                break;
            }
        } else {
            // A short line right after a cell continues it (`2023年` /
            // `上半年`); in a Word document, any line up to the table's end.
            let c = clean[i].trim();
            let short = c.chars().count() <= 8 && heading_level(c).is_none();
            if !row.is_empty() && end.map_or(short, |e| i < e) {
                let last = row.last_mut().expect("non-empty row");
                last.push_str(c);
                i += 1;
            } else {
                break;
            }
        }
    }
    if !row.is_empty() {
        t.rows.push((row_line, row));
    }
    (t, i)
}

/// Reads chart data: a title line, then tab-separated names, labels and values.
/// Longest cell of a chart's data in the text export (a category, a value
/// or a series name); a line with a longer cell is prose or a table.
pub(super) const CHART_CELL_CHARS: usize = 40;

/// A line of chart data in the text export: cells behind tabs, not starting
/// with one (that is a table), every cell short, and a value among them or
/// a series name alone (`卧龙区<TAB>`).
pub(super) fn chart_row(l: &str) -> bool {
    if l.starts_with('\t') || !l.contains('\t') {
        return false;
    }
    let cells: Vec<&str> = l
        .split('\t')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    !cells.is_empty()
        && cells.iter().all(|c| c.chars().count() <= CHART_CELL_CHARS)
        && (cells.iter().any(|c| is_number(c)) || (cells.len() == 1 && l.ends_with('\t')))
}

/// Whether a chart's data start at line `i` of a text export (never in a
/// Markdown file): after an empty line, a title (or a first series name)
/// followed by rows of chart data. Anything else with tabs in it (prose
/// with a tab, a table of words) is text and is kept.
pub(super) fn chart_starts(raw: &[&str], i: usize, markdown: bool) -> bool {
    if markdown || i == 0 || !raw[i - 1].trim().is_empty() {
        return false;
    }
    if chart_row(raw[i]) {
        return true;
    }
    !raw[i].contains('\t') && raw.get(i + 1).is_some_and(|n| chart_row(n))
}

pub(super) fn read_chart(raw: &[&str], i: usize) -> (Chart, usize) {
    let title_is_data = raw[i].contains('\t');
    let title = if title_is_data {
        // `高新技术企业数量（家）<TAB>`: the first cell is the title.
        raw[i].split('\t').next().unwrap_or("").trim().to_string()
    } else {
        strip_markers(raw[i]).trim().to_string()
    };
    let mut j = if title_is_data { i } else { i + 1 };
    let mut tokens: Vec<String> = Vec::new();
    while j < raw.len() {
        let l = raw[j];
        if l.trim().is_empty() {
            // A blank line ends the chart unless data follow at once.
            if raw.get(j + 1).is_some_and(|n| n.contains('\t')) {
                j += 1;
                continue;
            }
            break;
        }
        if !l.contains('\t') {
            break;
        }
        tokens.extend(
            l.split('\t')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
        );
        j += 1;
    }
    let mut series = Vec::new();
    let mut name: Option<String> = None;
    let mut k = 0;
    let year_like = |s: &str| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit());
    while k < tokens.len() {
        let words: Vec<&String> = tokens[k..].iter().take_while(|t| !is_number(t)).collect();
        if words.len() == 1 {
            name = Some(words[0].clone());
            k += 1;
            continue;
        }
        if words.len() >= 2 {
            // Category labels, then as many values; one word more than
            // values means the first word names the series.
            let nums = tokens[k + words.len()..]
                .iter()
                .take_while(|t| is_number(t))
                .count();
            let mut words = words;
            if nums + 1 == words.len() {
                name = Some(words.remove(0).clone());
                k += 1;
            }
            let n = words.len();
            let labels: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            let values: Vec<f64> = tokens[k + n..]
                .iter()
                .take(n)
                .map_while(|t| t.parse().ok())
                .collect();
            let used = values.len();
            if used == n {
                series.push((
                    name.take().unwrap_or_else(|| title.clone()),
                    labels.into_iter().zip(values).collect(),
                ));
            }
            k += n + used;
            continue;
        }
        let nums: Vec<&String> = tokens[k..].iter().take_while(|t| is_number(t)).collect();
        let n = nums.len();
        if n.is_multiple_of(2) && n > 0 && nums[..n / 2].iter().all(|t| year_like(t)) {
            let pts = nums[..n / 2]
                .iter()
                .zip(&nums[n / 2..])
                .filter_map(|(l, v)| v.parse().ok().map(|v| (l.to_string(), v)))
                .collect();
            series.push((name.take().unwrap_or_else(|| title.clone()), pts));
        }
        k += n.max(1);
    }
    (
        Chart {
            title,
            line: i + 1,
            series,
        },
        j,
    )
}
