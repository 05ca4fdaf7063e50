//! The walk over a document's lines: the 目录 first, then the body line by
//! line — a table, chart data, the attachment list, a heading, a
//! sub-heading, or a paragraph — keeping the breadcrumb as it goes.

use super::lines::{
    attachment_no, glossary_entry, heading_level, is_number, lead_heading, lead_number,
    looks_like_heading, strip_markers,
};
use super::tables::{chart_starts, read_chart, read_table, table_cell_offset};
use super::{Document, Heading, Ingested, Table, Unit, UnitKind};
use std::collections::HashMap;

/// Where the walk is: the lines, the 目录, the headings above the current
/// line, and what has been read so far.
pub(super) struct Reader<'d> {
    stem: String,
    markdown: bool,
    /// Table ends a Word document states (line indexes).
    table_ends: &'d [usize],
    raw: Vec<&'d str>,
    clean: Vec<String>,
    /// The 目录: (level, heading).
    toc: Vec<(u8, String)>,
    /// The first line of the body, after the 目录.
    body_start: usize,
    /// Heading styles of a Word document: line → outline level.
    styled: HashMap<usize, u8>,
    /// The next 目录 entry not yet met in the body.
    cursor: usize,
    level1: Option<String>,
    level2: Option<String>,
    /// A numbered sub-heading on a line of its own (`1.先进制造业重点项目加速落地`).
    level3: Option<String>,
    in_glossary: bool,
    out: Ingested,
}

impl<'d> Reader<'d> {
    /// Reads the 目录 (a `目录` line followed by `heading<TAB>page` lines,
    /// or a Word document's 目录 paragraphs) and stands before the body.
    pub(super) fn new(doc: &'d Document) -> Reader<'d> {
        let raw: Vec<&str> = doc.text.lines().collect();
        let clean: Vec<String> = raw.iter().map(|l| strip_markers(l)).collect();
        let (toc, body_start) = read_toc(&clean, &doc.layout.toc);
        let out = Ingested {
            doc: doc.name.clone(),
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
        Reader {
            stem: doc.name.clone(),
            markdown: doc.name.to_ascii_lowercase().ends_with(".md"),
            table_ends: &doc.layout.table_ends,
            raw,
            clean,
            toc,
            body_start,
            styled: doc.layout.headings.iter().copied().collect(),
            cursor: 0,
            level1: None,
            level2: None,
            level3: None,
            in_glossary: false,
            out,
        }
    }

    /// Walks the body and returns what it read.
    pub(super) fn run(mut self) -> Ingested {
        let mut i = self.body_start;
        while i < self.raw.len() {
            i = self.step(i);
        }
        self.out
    }

    /// Reads what starts at line index `i`; returns the next line to read.
    fn step(&mut self, i: usize) -> usize {
        // Tables: cells behind a tab, rows separated by blank lines.
        if self.raw[i].starts_with('\t') {
            return self.table(i);
        }
        let text = self.clean[i].trim().to_string();
        if text.is_empty() {
            return i + 1;
        }
        // Chart data: a title followed by tab-separated series, at the end.
        if chart_starts(&self.raw, i, self.markdown) {
            let (chart, next) = read_chart(&self.raw, i);
            self.out.charts.push(chart);
            return next;
        }
        // The list of attachments in the body (附件： 1.… 2.…).
        if text == "附件：" || text == "附件:" {
            let mut j = i + 1;
            while j < self.raw.len()
                && self.clean[j]
                    .trim()
                    .split('.')
                    .next()
                    .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
            {
                j += 1;
            }
            return j;
        }
        if let Some(next) = self.heading(i, &text) {
            return next;
        }
        if self.subheading(i, &text) {
            return i + 1;
        }
        self.paragraph(i, text);
        i + 1
    }

    /// A table starting at line index `i`: its caption, its rows as units
    /// (the first row of several is the header), the table itself.
    fn table(&mut self, i: usize) -> usize {
        // A Word document says where its table ends.
        let end = self.table_ends.iter().copied().find(|&e| e > i);
        let (table, next) = read_table(&self.raw, &self.clean, i, end);
        let caption_from_cell = table
            .rows
            .first()
            .and_then(|(_, r)| r.first())
            .filter(|c| c.starts_with('表'))
            .cloned();
        // Else the line just before the table when it is a caption
        // (`表1  …` written above it), else the chapter.
        let caption_above = self.clean[..i]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .filter(|l| is_table_caption(l))
            .map(str::to_string);
        let caption = caption_from_cell
            .clone()
            .or(caption_above)
            .or_else(|| self.level1.clone())
            .unwrap_or_default();
        let section = breadcrumb(&self.level1, &self.level2);
        let mut rows = table.rows;
        if let Some(c) = caption_from_cell {
            let (l, _) = rows.remove(0);
            self.push(UnitKind::TableCaption, l, section.clone(), c);
        }
        // The first row of a table of several rows is its header.
        let skip = usize::from(rows.len() >= 2);
        for (l, cells) in rows.iter().skip(skip) {
            let Some((k, name)) = row_name(cells) else {
                continue;
            };
            // The caption after the headings, unless it is one of them (a
            // table without caption is named by its chapter).
            let mut sec = section.clone();
            if !sec.contains(&caption) {
                sec.push(caption.clone());
            }
            let line = l + table_cell_offset(&self.raw, *l - 1, k);
            self.out.units.push(Unit {
                id: format!("{}#L{line}", self.stem),
                kind: UnitKind::TableRow,
                line,
                section: sec,
                text: name,
                cells: cells.clone(),
            });
        }
        // The caption row is the caption, not a row.
        self.out.tables.push(Table {
            caption,
            line: table.line,
            rows,
        });
        next
    }

    /// A heading written in the body at line index `i`: one of the 目录, an
    /// attachment's `附件2：` (its title on the next line), a Word heading
    /// style, or (without 目录 and styles) a numbered heading line. Returns
    /// the next line to read when it is one.
    fn heading(&mut self, i: usize, text: &str) -> Option<usize> {
        let line_no = i + 1;
        let mut next = i + 1;
        let (l, h) = if let Some(k) = self.toc_find(text, self.cursor) {
            self.found(k, line_no);
            self.cursor = k + 1;
            self.toc[k].clone()
        } else if let Some(no) =
            attachment_no(text).filter(|no| text.trim_end_matches(['：', ':']) == *no)
        {
            // `附件2：` alone, its title on the next line.
            let title_line = (i + 1..self.raw.len()).find(|&j| !self.clean[j].trim().is_empty());
            let title = title_line
                .map(|j| self.clean[j].trim().to_string())
                .unwrap_or_default();
            let full = format!("{no}：{title}");
            next = title_line.map_or(i, |j| j) + 1;
            let k = self
                .toc_find(&full, self.cursor)
                .or_else(|| self.toc_find(&title, self.cursor));
            match k {
                Some(k) => {
                    self.found(k, line_no);
                    self.cursor = k + 1;
                    (1, self.toc[k].1.clone())
                }
                None => (1, full),
            }
        } else if let Some(&l) = self.styled.get(&line_no).filter(|&&l| l <= 2) {
            // A Word heading style the 目录 does not list.
            (l, text.to_string())
        } else if self.toc.is_empty() && self.styled.is_empty() {
            (looks_like_heading(text)?, text.to_string())
        } else {
            return None;
        };
        // A heading of the body that the 目录 lacks joins the outline.
        if !self.out.outline.iter().any(|o| o.line == Some(line_no)) {
            self.out.outline.push(Heading {
                level: l,
                text: h.clone(),
                line: Some(line_no),
            });
        }
        if l == 1 {
            self.in_glossary = h.contains("名词解释");
        }
        self.enter(l, h);
        Some(next)
    }

    /// Short heading-like lines the 目录 does not list: sub-headings (a
    /// `（一）…` heading may carry a longer note in brackets), and
    /// paragraphs of a deeper Word heading style.
    fn subheading(&mut self, i: usize, text: &str) -> bool {
        let n = text.chars().count();
        let plain = !text.contains('。') && !text.ends_with('：');
        let numbered = plain && n <= 24 && lead_number(text);
        let section = plain && n <= 40 && !self.toc.is_empty() && heading_level(text).is_some();
        let deeper = self.styled.get(&(i + 1)).is_some_and(|&l| l > 2);
        let sub = !self.in_glossary && (numbered || section || deeper);
        if sub {
            self.level3 = Some(text.to_string());
        }
        sub
    }

    /// A paragraph (a glossary entry under 名词解释, a figure caption).
    fn paragraph(&mut self, i: usize, text: String) {
        let line_no = i + 1;
        // A paragraph that begins with a space under a heading the body
        // lacks: the next 目录 entry is its heading.
        if self.raw[i].starts_with(' ') && self.cursor < self.toc.len() {
            let (l, h) = self.toc[self.cursor].clone();
            self.found(self.cursor, line_no);
            self.cursor += 1;
            self.enter(l, h);
        }
        let mut section = breadcrumb(&self.level1, &self.level2);
        section.extend(self.level3.clone());
        if let Some(h) = lead_heading(&text) {
            section.push(h);
        }
        if self.in_glossary {
            if let Some(g) = glossary_entry(&text, line_no) {
                self.out.glossary.push(g);
                self.push(UnitKind::Glossary, line_no, section, text);
                return;
            }
        }
        let kind = if super::is_figure_caption(&text) {
            UnitKind::FigureCaption
        } else {
            UnitKind::Paragraph
        };
        self.push(kind, line_no, section, text);
    }

    /// Enters a heading of level `l`: the levels below it are left.
    fn enter(&mut self, l: u8, h: String) {
        if l == 1 {
            self.level1 = Some(h);
            self.level2 = None;
        } else {
            self.level2 = Some(h);
        }
        self.level3 = None;
    }

    fn push(&mut self, kind: UnitKind, line: usize, section: Vec<String>, text: String) {
        self.out.units.push(Unit {
            id: format!("{}#L{line}", self.stem),
            kind,
            line,
            section,
            text,
            cells: vec![],
        });
    }

    /// Marks an outline entry as found in the body at `line`.
    fn found(&mut self, idx: usize, line: usize) {
        if let Some(h) = self.out.outline.get_mut(idx) {
            h.line.get_or_insert(line);
        }
    }

    /// The first 目录 entry from `from` on that reads `text`.
    fn toc_find(&self, text: &str, from: usize) -> Option<usize> {
        let norm = |s: &str| s.replace([' ', '\u{3000}'], "");
        let t = norm(text);
        (from..self.toc.len()).find(|&k| {
            let h = norm(&self.toc[k].1);
            // The body may leave out the `附件N：` of an attachment title.
            h == t
                || h.split_once('：')
                    .is_some_and(|(a, rest)| attachment_no(a).is_some() && rest == t)
        })
    }
}

/// The 目录: `heading<TAB>page` lines after a line reading 目录, or the
/// paragraphs a Word document marks as its 目录 (`layout_toc`, 1-based
/// lines). Returns the entries and the first line of the body.
fn read_toc(clean: &[String], layout_toc: &[usize]) -> (Vec<(u8, String)>, usize) {
    let mut toc: Vec<(u8, String)> = Vec::new();
    if let Some((entries, body)) = super::lines::toc_entries(clean) {
        for (_, h) in entries {
            toc.push((heading_level(&h).unwrap_or(2), h));
        }
        (toc, body)
    } else if let Some(&last) = layout_toc.last() {
        // A Word 目录 without a title line: its paragraphs by style or field.
        for &n in layout_toc {
            let l = clean.get(n - 1).map_or("", |l| l.trim_end());
            let h = l.rsplit_once('\t').map_or(l, |(h, _)| h).trim().to_string();
            if !h.is_empty() {
                toc.push((heading_level(&h).unwrap_or(2), h));
            }
        }
        (toc, last)
    } else {
        (toc, 0)
    }
}

/// A table row's name and the index of its cell: an indicator name carries
/// its unit in brackets (`森林覆盖率（%）`); else the longest text cell.
fn row_name(cells: &[String]) -> Option<(usize, String)> {
    let named = |c: &&String| !is_number(c) && c.contains('（') && c.contains('）');
    let longest_text = |keep: &dyn Fn(&&String) -> bool| {
        cells
            .iter()
            .enumerate()
            .filter(|(_, c)| keep(c))
            .max_by_key(|(_, c)| c.chars().count())
    };
    let (k, name) = longest_text(&named)
        .or_else(|| longest_text(&|c: &&String| !is_number(c)))
        .map_or((0, String::new()), |(k, c)| (k, c.clone()));
    (!name.is_empty()).then_some((k, name))
}

/// `表1  …`: a table's caption line (short, numbered).
fn is_table_caption(l: &str) -> bool {
    l.starts_with('表')
        && l.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
        && l.chars().count() < 60
        && !l.contains('。')
}

fn breadcrumb(l1: &Option<String>, l2: &Option<String>) -> Vec<String> {
    l1.iter().chain(l2.iter()).cloned().collect()
}
