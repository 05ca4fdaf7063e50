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

/// Removes `[bookmark: …]` and `[image: …]` markers.
pub fn strip_markers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("[bookmark:") || tail.starts_with("[image:") {
            match tail.find(']') {
                Some(j) => rest = &tail[j + 1..],
                None => {
                    rest = "";
                }
            }
        } else {
            out.push('[');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

const CN_DIGITS: &str = "一二三四五六七八九十";

fn is_chapter(s: &str) -> bool {
    let n = s.chars().take_while(|c| CN_DIGITS.contains(*c)).count();
    n > 0 && s.chars().nth(n) == Some('、')
}

fn is_section(s: &str) -> bool {
    s.starts_with('（') && {
        let inner: String = s
            .chars()
            .skip(1)
            .take_while(|c| CN_DIGITS.contains(*c))
            .collect();
        !inner.is_empty() && s.chars().nth(1 + inner.chars().count()) == Some('）')
    }
}

/// `附件3` of `附件3：…`, if the text starts an attachment.
fn attachment_no(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("附件")?;
    let n = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    (n > 0).then(|| &s[..6 + n])
}

fn heading_level(s: &str) -> Option<u8> {
    if is_chapter(s) || attachment_no(s).is_some() {
        Some(1)
    } else if is_section(s) {
        Some(2)
    } else {
        None
    }
}

/// A line that looks like a heading on its own (short, no sentence end).
fn looks_like_heading(s: &str) -> Option<u8> {
    let n = s.chars().count();
    if n > 40 || s.contains('。') {
        return None;
    }
    heading_level(s)
}

/// `一是`, `二是` … inside a paragraph: (byte offset, label up to the first
/// sentence break).
pub fn items(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if !CN_DIGITS.contains(c) {
            continue;
        }
        let after = &text[i + c.len_utf8()..];
        if !after.starts_with('是') {
            continue;
        }
        // Only at the start of the paragraph or after a sentence break.
        let prev = text[..i].chars().next_back();
        if !matches!(prev, None | Some('。' | '；' | '：' | ' ')) {
            continue;
        }
        let end = text[i..]
            .find(['。', '；', '，', '：'])
            .map_or(text.len(), |e| i + e);
        let label: String = text[i..end].chars().take(30).collect();
        out.push((i, label));
    }
    out
}

/// The numbered sub-heading a paragraph starts with: `1.经济发展稳中有进`.
fn lead_heading(text: &str) -> Option<String> {
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 || !text[digits..].starts_with(['.', '．']) {
        return None;
    }
    let end = text.find('。')?;
    let h = &text[..end];
    (h.chars().count() <= 24).then(|| h.to_string())
}

/// A line that starts `1.` or `12．`.
fn lead_number(text: &str) -> bool {
    let d = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    d > 0 && text[d..].starts_with(['.', '．'])
}

fn is_number(s: &str) -> bool {
    let t = s.trim().trim_end_matches('%');
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// Ingests one document.
pub fn ingest(doc: &Document) -> Ingested {
    let stem = doc.name.clone();
    let markdown = doc.name.to_ascii_lowercase().ends_with(".md");
    let raw: Vec<&str> = doc.text.lines().collect();
    let clean: Vec<String> = raw.iter().map(|l| strip_markers(l)).collect();

    // The 目录: `heading<TAB>page` lines after a line reading 目录.
    let mut toc: Vec<(u8, String)> = Vec::new();
    let mut body_start = 0;
    if let Some(t) = clean
        .iter()
        .position(|l| l.trim().replace([' ', '\u{3000}'], "") == "目录")
    {
        let mut i = t + 1;
        while i < clean.len() {
            let l = clean[i].trim_end();
            if l.is_empty() {
                i += 1;
                if !toc.is_empty() && clean.get(i).is_some_and(|n| !n.contains('\t')) {
                    break;
                }
                continue;
            }
            let Some((h, page)) = l.rsplit_once('\t') else {
                break;
            };
            if !page.trim().chars().all(|c| c.is_ascii_digit()) {
                break;
            }
            let h = h.trim().to_string();
            toc.push((heading_level(&h).unwrap_or(2), h));
            i += 1;
        }
        body_start = i;
    } else if let Some(&last) = doc.layout.toc.last() {
        // A Word 目录 without a title line: its paragraphs by style or field.
        for &n in &doc.layout.toc {
            let l = clean.get(n - 1).map_or("", |l| l.trim_end());
            let h = l.rsplit_once('\t').map_or(l, |(h, _)| h).trim().to_string();
            if !h.is_empty() {
                toc.push((heading_level(&h).unwrap_or(2), h));
            }
        }
        body_start = last;
    }
    // Heading styles of a Word document: line → outline level.
    let styled: std::collections::HashMap<usize, u8> =
        doc.layout.headings.iter().copied().collect();

    let mut out = Ingested {
        doc: stem.clone(),
        outline: toc
            .iter()
            .map(|(l, t)| Heading {
                level: *l,
                text: t.clone(),
                line: None,
            })
            .collect(),
        units: Vec::new(),
        tables: Vec::new(),
        charts: Vec::new(),
        glossary: Vec::new(),
    };
    let mut cursor = 0usize; // next 目录 entry not yet met in the body
    let mut level1: Option<String> = None;
    let mut level2: Option<String> = None;
    // A numbered sub-heading on a line of its own (`1.先进制造业重点项目加速落地`).
    let mut level3: Option<String> = None;
    let mut in_glossary = false;

    // Marks an outline entry as found in the body at `line`.
    let found = |out: &mut Ingested, idx: usize, line: usize| {
        if let Some(h) = out.outline.get_mut(idx) {
            h.line.get_or_insert(line);
        }
    };
    let toc_find = |text: &str, from: usize| -> Option<usize> {
        let norm = |s: &str| s.replace([' ', '\u{3000}'], "");
        let t = norm(text);
        (from..toc.len()).find(|&k| {
            let h = norm(&toc[k].1);
            // The body may leave out the `附件N：` of an attachment title.
            h == t
                || h.split_once('：')
                    .is_some_and(|(a, rest)| attachment_no(a).is_some() && rest == t)
        })
    };

    let mut i = body_start;
    while i < raw.len() {
        let line_no = i + 1;
        let text = clean[i].trim().to_string();
        let starts_with_space = raw[i].starts_with(' ');

        // Tables: cells behind a tab, rows separated by blank lines.
        if raw[i].starts_with('\t') {
            // A Word document says where its table ends.
            let end = doc.layout.table_ends.iter().copied().find(|&e| e > i);
            let (table, next) = read_table(&raw, &clean, i, end);
            let caption_from_cell = table
                .rows
                .first()
                .and_then(|(_, r)| r.first())
                .filter(|c| c.starts_with('表'))
                .cloned();
            let caption = caption_from_cell
                .clone()
                .or_else(|| level1.clone())
                .unwrap_or_default();
            let section = breadcrumb(&level1, &level2);
            let mut rows = table.rows.clone();
            if let Some(c) = caption_from_cell {
                let (l, _) = rows.remove(0);
                out.units.push(Unit {
                    id: format!("{stem}#L{l}"),
                    kind: UnitKind::TableCaption,
                    line: l,
                    section: section.clone(),
                    text: c,
                    cells: vec![],
                });
            }
            // The first row of a table of several rows is its header.
            let skip = usize::from(rows.len() >= 2);
            for (l, cells) in rows.iter().skip(skip) {
                // The row's name: an indicator name carries its unit in
                // brackets (`森林覆盖率（%）`); else the longest text cell.
                let named = |c: &&String| !is_number(c) && c.contains('（') && c.contains('）');
                let pick = cells
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| named(c))
                    .max_by_key(|(_, c)| c.chars().count());
                let pick = pick.or_else(|| {
                    cells
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| !is_number(c))
                        .max_by_key(|(_, c)| c.chars().count())
                });
                let (k, name) = pick
                    .map(|(k, c)| (k, c.clone()))
                    .unwrap_or((0, String::new()));
                if name.is_empty() {
                    continue;
                }
                let mut sec = section.clone();
                sec.push(caption.clone());
                sec.dedup();
                out.units.push(Unit {
                    id: format!("{stem}#L{}", l + table_cell_offset(&raw, *l - 1, k)),
                    kind: UnitKind::TableRow,
                    line: l + table_cell_offset(&raw, *l - 1, k),
                    section: sec,
                    text: name,
                    cells: cells.clone(),
                });
            }
            // The caption row is the caption, not a row.
            out.tables.push(Table {
                caption,
                line: table.line,
                rows,
            });
            i = next;
            continue;
        }
        if text.is_empty() {
            i += 1;
            continue;
        }
        // Chart data: a title followed by tab-separated series, at the end.
        if chart_starts(&raw, i, markdown) {
            let (chart, next) = read_chart(&raw, i);
            out.charts.push(chart);
            i = next;
            continue;
        }
        // The list of attachments in the body (附件： 1.… 2.…).
        if text == "附件：" || text == "附件:" {
            i += 1;
            while i < raw.len()
                && clean[i]
                    .trim()
                    .split('.')
                    .next()
                    .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
            {
                i += 1;
            }
            continue;
        }
        // A heading written in the body.
        let mut heading: Option<(u8, String)> = None;
        if let Some(k) = toc_find(&text, cursor) {
            heading = Some((toc[k].0, toc[k].1.clone()));
            found(&mut out, k, line_no);
            cursor = k + 1;
        } else if let Some(no) =
            attachment_no(&text).filter(|no| text.trim_end_matches(['：', ':']) == *no)
        {
            // `附件2：` alone, its title on the next line.
            let title_line = (i + 1..raw.len()).find(|&j| !clean[j].trim().is_empty());
            let title = title_line
                .map(|j| clean[j].trim().to_string())
                .unwrap_or_default();
            let full = format!("{no}：{title}");
            let k = toc_find(&full, cursor).or_else(|| toc_find(&title, cursor));
            if let Some(k) = k {
                found(&mut out, k, line_no);
                cursor = k + 1;
                heading = Some((1, toc[k].1.clone()));
            } else {
                heading = Some((1, full));
            }
            i = title_line.map_or(i, |j| j);
        } else if let Some(&l) = styled.get(&line_no).filter(|&&l| l <= 2) {
            // A Word heading style the 目录 does not list.
            heading = Some((l, text.clone()));
        } else if toc.is_empty() && styled.is_empty() {
            if let Some(l) = looks_like_heading(&text) {
                heading = Some((l, text.clone()));
            }
        }
        if let Some((l, h)) = &heading {
            // A heading of the body that the 目录 lacks joins the outline.
            if !out.outline.iter().any(|o| o.line == Some(line_no)) {
                out.outline.push(Heading {
                    level: *l,
                    text: h.clone(),
                    line: Some(line_no),
                });
            }
        }
        if let Some((l, h)) = heading {
            if l == 1 {
                in_glossary = h.contains("名词解释");
                level1 = Some(h);
                level2 = None;
            } else {
                level2 = Some(h);
            }
            level3 = None;
            i += 1;
            continue;
        }
        // Short heading-like lines the 目录 does not list: sub-headings
        // (a `（一）…` heading may carry a longer note in brackets), and
        // paragraphs of a deeper Word heading style.
        let n = text.chars().count();
        let plain = !text.contains('。') && !text.ends_with('：');
        let numbered = plain && n <= 24 && lead_number(&text);
        let section = plain && n <= 40 && !toc.is_empty() && heading_level(&text).is_some();
        let deeper = styled.get(&line_no).is_some_and(|&l| l > 2);
        if !in_glossary && (numbered || section || deeper) {
            level3 = Some(text.clone());
            i += 1;
            continue;
        }
        // A paragraph that begins with a space under a heading the body
        // lacks: the next 目录 entry is its heading.
        if starts_with_space && cursor < toc.len() {
            level3 = None;
            let (l, h) = toc[cursor].clone();
            found(&mut out, cursor, line_no);
            cursor += 1;
            if l == 1 {
                level1 = Some(h);
                level2 = None;
            } else {
                level2 = Some(h);
            }
        }
        let mut section = breadcrumb(&level1, &level2);
        section.extend(level3.clone());
        if let Some(h) = lead_heading(&text) {
            section.push(h);
        }
        if in_glossary {
            if let Some(g) = glossary_entry(&text, line_no) {
                out.glossary.push(g);
                out.units.push(Unit {
                    id: format!("{stem}#L{line_no}"),
                    kind: UnitKind::Glossary,
                    line: line_no,
                    section,
                    text,
                    cells: vec![],
                });
                i += 1;
                continue;
            }
        }
        let kind = if is_figure_caption(&text) {
            UnitKind::FigureCaption
        } else {
            UnitKind::Paragraph
        };
        out.units.push(Unit {
            id: format!("{stem}#L{line_no}"),
            kind,
            line: line_no,
            section,
            text,
            cells: vec![],
        });
        i += 1;
    }
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

fn breadcrumb(l1: &Option<String>, l2: &Option<String>) -> Vec<String> {
    l1.iter().chain(l2.iter()).cloned().collect()
}

/// Lines between a row's first line and the line of its `k`-th cell.
fn table_cell_offset(raw: &[&str], first: usize, k: usize) -> usize {
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

struct RawTable {
    line: usize,
    rows: Vec<(usize, Vec<String>)>,
}

/// Reads a table starting at line `i` (and ending at line `end` when the
/// document says so); returns it and the next line after.
fn read_table(
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
const CHART_CELL_CHARS: usize = 40;

/// A line of chart data in the text export: cells behind tabs, not starting
/// with one (that is a table), every cell short, and a value among them or
/// a series name alone (`卧龙区<TAB>`).
fn chart_row(l: &str) -> bool {
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
fn chart_starts(raw: &[&str], i: usize, markdown: bool) -> bool {
    if markdown || i == 0 || !raw[i - 1].trim().is_empty() {
        return false;
    }
    if chart_row(raw[i]) {
        return true;
    }
    !raw[i].contains('\t') && raw.get(i + 1).is_some_and(|n| chart_row(n))
}

fn read_chart(raw: &[&str], i: usize) -> (Chart, usize) {
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

/// `14.“六宜”现代化城区。宜业、宜居、宜学、宜游、宜创、宜养现代化城区。`
fn glossary_entry(text: &str, line: usize) -> Option<GlossaryEntry> {
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 {
        return None;
    }
    let rest = text[digits..].trim_start_matches(['.', '．', ' ']);
    let open = rest.find('“')?;
    let close = rest[open..].find('”')? + open;
    let term = rest[open + '“'.len_utf8()..close].to_string();
    if term.is_empty() {
        return None;
    }
    let after = &rest[close + '”'.len_utf8()..];
    // `“六宜”现代化城区。…`: the words after the quotes belong to the term.
    let (suffix, expansion) = match after.find(['。', '．']) {
        Some(p) if p > 0 => (
            &after[..p],
            after[p..].trim_start_matches(['。', '．']).to_string(),
        ),
        Some(p) => ("", after[p..].trim_start_matches(['。', '．']).to_string()),
        None => ("", after.to_string()),
    };
    let exp = expansion.trim_start_matches(['“', '”']).to_string();
    let exp = exp
        .strip_prefix(&format!("{term}："))
        .map(str::to_string)
        .unwrap_or(exp);
    let words = exp
        .split(['、', '，', '；', '：', '。', ',', ';'])
        .map(|w| {
            w.trim()
                .trim_end_matches(suffix)
                .trim_start_matches(['即', '“'])
                .trim_end_matches('”')
                .to_string()
        })
        .filter(|w| (2..=12).contains(&w.chars().count()))
        .collect();
    Some(GlossaryEntry {
        term,
        expansion: expansion.trim().to_string(),
        words,
        line,
    })
}
