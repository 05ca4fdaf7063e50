//! The indicator table: found by its header (an 指标 column, a target
//! column, year columns), read row by row whatever the column order.

mod category;

use crate::corpus::ingest::{Ingested, Table};
use crate::period::Period;

/// What a column of the indicator table holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    /// 类别: categories, written once per run of rows (merged cells).
    Category,
    /// 序号.
    Seq,
    /// 指标 / 指标名称.
    Name,
    /// 单位.
    Unit,
    /// 属性 (预期性 / 约束性).
    Attribute,
    /// The baseline year's value.
    Baseline(i32),
    /// The end year's target.
    Target(i32),
    /// A year or half-year of data.
    Obs(Period),
    /// The report's own verdict (中期完成情况, 实施进度 …).
    Status,
    /// Anything else.
    Other,
}

/// The header read into columns.
#[derive(Debug, Clone)]
pub struct Header {
    /// One entry per header cell.
    pub cols: Vec<Col>,
    /// The header cells as printed.
    pub cells: Vec<String>,
    /// Index of the name column.
    pub name: usize,
    /// Plan period start, end and baseline year.
    pub start: i32,
    /// Last year of the plan (the target's year).
    pub end: i32,
    /// Baseline year.
    pub base: i32,
}

impl Header {
    /// The header text of the column holding `want`, for comments.
    pub fn label(&self, want: &Col) -> Option<String> {
        self.cols
            .iter()
            .position(|c| c == want)
            .map(|k| compact(&self.cells[k]))
    }

    /// The observation periods, in column order.
    pub fn periods(&self) -> Vec<Period> {
        self.cols
            .iter()
            .filter_map(|c| match c {
                Col::Obs(p) => Some(*p),
                _ => None,
            })
            .collect()
    }
}

/// One data row (an indicator or a sub-indicator).
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// 序号 (inherited by sub-rows).
    pub seq: String,
    /// Category (inherited down merged cells).
    pub category: String,
    /// The parent's name, for a sub-indicator.
    pub parent: Option<String>,
    /// The name cell as printed.
    pub name_cell: String,
    /// Unit column, if any.
    pub unit_cell: Option<String>,
    /// 属性.
    pub attribute: String,
    /// Baseline cell.
    pub baseline: Option<String>,
    /// Target cell.
    pub target: String,
    /// Observation cells by period.
    pub obs: Vec<(Period, String)>,
    /// Status cell.
    pub status: Option<String>,
    /// The cells from the name onward with their column, for quotes.
    pub tail: Vec<(Col, String)>,
}

impl Row {
    /// A quote of the row from its name cell to the first cell of column
    /// `upto` (the whole row when `None`), empty cells left out: cells are
    /// separated by whitespace in the document, and any run of whitespace
    /// matches any other.
    pub fn quote(&self, upto: Option<&Col>) -> String {
        let mut parts = Vec::new();
        for (c, t) in &self.tail {
            if !t.trim().is_empty() {
                parts.push(t.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            if Some(c) == upto {
                break;
            }
        }
        parts.join(" ")
    }
}

/// A cell without any whitespace (a header split over two lines).
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A word of the table usable as a name of the language (category,
/// attribute, status): letters, digits and `_` only.
pub fn word(s: &str) -> String {
    let w: String = s
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if w.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{w}")
    } else {
        w
    }
}

/// `2024年上半年` → (2024, Some("上半年…")); the year and what follows.
fn leading_year(s: &str) -> Option<(i32, &str)> {
    let y: i32 = s.get(..4)?.parse().ok()?;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    let rest = s[4..].trim_start_matches('年');
    Some((y, rest))
}

#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Known(Col),
    Year(i32, u8),
    Blank,
}

fn classify(cell: &str) -> Raw {
    let c = compact(cell);
    if c.is_empty() {
        return Raw::Blank;
    }
    if let Some((y, rest)) = leading_year(&c) {
        if rest.contains("基期") || rest.contains("基数") || rest.contains("基准") {
            return Raw::Known(Col::Baseline(y));
        }
        if rest.contains("目标") || rest.contains("规划") {
            return Raw::Known(Col::Target(y));
        }
        if rest.starts_with("上半年") || rest.starts_with("1-6月") || rest.starts_with("1—6月")
        {
            return Raw::Year(y, 1);
        }
        if rest.starts_with("下半年") {
            return Raw::Year(y, 2);
        }
        if rest.is_empty() || rest.starts_with("实际") || rest.starts_with("完成") {
            return Raw::Year(y, 0);
        }
    }
    let k = if c.contains("类别") || c.contains("领域") || c.contains("分类") {
        Col::Category
    } else if c.contains("序号") {
        Col::Seq
    } else if c.contains("属性") {
        Col::Attribute
    } else if c.contains("指标") {
        // 指标名称（单位） names the indicators, with their units.
        Col::Name
    } else if c.contains("单位") {
        Col::Unit
    } else if c.contains("基期") || c.contains("基数") {
        Col::Baseline(0)
    } else if c.contains("目标") {
        Col::Target(0)
    } else if c.contains("情况") || c.contains("进度") || c.contains("进展") || c.contains("评价")
    {
        Col::Status
    } else {
        Col::Other
    };
    Raw::Known(k)
}

/// Whether a header row could be an indicator table's: a name column and
/// another column such tables have (target, years, 属性, 序号, 单位).
fn looks_like_header(cells: &[String]) -> bool {
    let raw: Vec<Raw> = cells.iter().map(|c| classify(c)).collect();
    let has_name = raw.contains(&Raw::Known(Col::Name));
    let other = raw.iter().any(|r| {
        matches!(
            r,
            Raw::Year(..)
                | Raw::Known(
                    Col::Target(_) | Col::Baseline(_) | Col::Attribute | Col::Seq | Col::Unit
                )
        )
    });
    has_name && other
}

/// Reads a header row into columns.
pub fn read_header(cells: &[String], data: &[&Vec<String>]) -> Result<Header, String> {
    let raw: Vec<Raw> = cells.iter().map(|c| classify(c)).collect();
    let name = raw
        .iter()
        .position(|r| *r == Raw::Known(Col::Name))
        .ok_or("没有“指标”列 (no 指标 column)")?;
    // The end year: a target column's, else the latest whole year.
    let mut end = raw.iter().find_map(|r| match r {
        Raw::Known(Col::Target(y)) if *y > 0 => Some(*y),
        _ => None,
    });
    let target_col = raw
        .iter()
        .position(|r| matches!(r, Raw::Known(Col::Target(_))));
    let max_year = raw
        .iter()
        .filter_map(|r| match r {
            Raw::Year(y, 0) => Some(*y),
            _ => None,
        })
        .max();
    let mut target_at = target_col;
    if target_at.is_none() {
        // `2025年` among `2020年 2021年 …`: the last year of a plan is
        // at least two years after every year of data.
        if let Some(m) = max_year {
            let others = raw.iter().filter_map(|r| match r {
                Raw::Year(y, h) if *y != m || *h != 0 => Some(*y),
                _ => None,
            });
            if others.clone().all(|y| y + 2 <= m) && others.count() > 0 {
                target_at = raw.iter().position(|r| *r == Raw::Year(m, 0));
                end = Some(m);
            }
        }
    }
    let Some(target_at) = target_at else {
        return Err("没有找到目标列（如“2025年目标值”） (no target column)".into());
    };
    let end = match end {
        Some(e) => e,
        // A target column without its year: five-year plans end in a year
        // divisible by five, the first after the data.
        None => raw
            .iter()
            .filter_map(|r| match r {
                Raw::Year(y, _) => Some((*y / 5 + 1) * 5),
                _ => None,
            })
            .max()
            .unwrap_or(0),
    };
    if end == 0 {
        return Err("表头没有年份，读不出规划期 (no years in the header)".into());
    }
    let explicit_base = raw.iter().find_map(|r| match r {
        Raw::Known(Col::Baseline(y)) if *y > 0 => Some(*y),
        _ => None,
    });
    // A five-year plan: the baseline is five years before the end unless
    // the header says otherwise.
    let base = explicit_base.unwrap_or(end - 5);
    let mut cols = Vec::with_capacity(raw.len());
    for (k, r) in raw.iter().enumerate() {
        let c = if k == target_at {
            Col::Target(end)
        } else {
            match r {
                Raw::Known(Col::Baseline(_)) => Col::Baseline(base),
                Raw::Known(Col::Target(_)) => Col::Other,
                Raw::Known(c) => c.clone(),
                Raw::Year(y, 0) if *y == base => Col::Baseline(base),
                Raw::Year(y, h) if *y > base && *y <= end => {
                    Col::Obs(Period { year: *y, half: *h })
                }
                Raw::Year(..) => Col::Other,
                Raw::Blank => {
                    // A blank header cell before the names over short words
                    // (the seed's merged 类别 header): the categories.
                    let words = data
                        .iter()
                        .filter_map(|r| r.get(k))
                        .filter(|c| !c.trim().is_empty())
                        .all(|c| c.trim().parse::<f64>().is_err() && c.chars().count() <= 8);
                    if k < name && words && !raw.contains(&Raw::Known(Col::Category)) {
                        Col::Category
                    } else {
                        Col::Other
                    }
                }
            }
        };
        cols.push(c);
    }
    if !cols.iter().any(|c| matches!(c, Col::Obs(_))) {
        return Err(format!(
            "没有找到 {}–{} 年间的数据列 (no year columns inside the plan period)",
            base + 1,
            end
        ));
    }
    // A status column is the last word column after the data.
    if !cols.contains(&Col::Status) {
        if let Some(k) = (0..cols.len())
            .rev()
            .find(|&k| cols[k] == Col::Other && k > name)
        {
            cols[k] = Col::Status;
        }
    }
    Ok(Header {
        cols,
        cells: cells.to_vec(),
        name,
        start: base + 1,
        end,
        base,
    })
}

/// The indicator table of a document: its header and rows.
pub struct Found<'a> {
    /// The table.
    pub table: &'a Table,
    /// Its header.
    pub header: Header,
    /// Its rows.
    pub rows: Vec<Row>,
}

/// Finds the indicator table by its header and reads it.
pub fn find(doc: &Ingested) -> Result<Found<'_>, TableError> {
    let mut unreadable: Option<(String, String)> = None;
    let mut found: Vec<Found> = Vec::new();
    for t in &doc.tables {
        for h in 0..t.rows.len().min(2) {
            // A header cell spanning two columns, written twice by a reader
            // that repeats spanned cells, counts once.
            let mut cells: Vec<String> = Vec::with_capacity(t.rows[h].1.len());
            for c in &t.rows[h].1 {
                let dup = cells.last().is_some_and(|l| {
                    compact(l) == compact(c) && classify(c) == Raw::Known(Col::Name)
                });
                if !dup {
                    cells.push(c.clone());
                }
            }
            let cells = &cells;
            if !looks_like_header(cells) {
                continue;
            }
            let data: Vec<&Vec<String>> = t.rows[h + 1..].iter().map(|(_, r)| r).collect();
            match read_header(cells, &data) {
                Ok(header) => {
                    let rows = read_rows(t, h, &header);
                    if !rows.is_empty() {
                        found.push(Found {
                            table: t,
                            header,
                            rows,
                        });
                    }
                }
                Err(why) => {
                    unreadable.get_or_insert((
                        cells
                            .iter()
                            .map(|c| compact(c))
                            .collect::<Vec<_>>()
                            .join(" | "),
                        why,
                    ));
                }
            }
            break;
        }
    }
    // The largest table; a table split over pages repeats its header, so
    // tables with the same header continue it.
    let Some(k) = (0..found.len()).max_by_key(|&k| (found[k].rows.len(), usize::MAX - k)) else {
        return Err(match unreadable {
            Some((header, why)) => TableError::HeaderUnreadable { header, why },
            None => TableError::NoIndicatorTable,
        });
    };
    let same = |a: &Header, b: &Header| {
        a.cols == b.cols
            && a.cells
                .iter()
                .map(|c| compact(c))
                .eq(b.cells.iter().map(|c| compact(c)))
    };
    let mut rest: Vec<Row> = Vec::new();
    for (j, f) in found.iter().enumerate() {
        if j > k && same(&f.header, &found[k].header) {
            rest.extend(f.rows.iter().cloned());
        }
    }
    let mut best = found.swap_remove(k);
    // A continued table's first rows inherit the category written above.
    let mut category = best
        .rows
        .last()
        .map(|r| r.category.clone())
        .unwrap_or_default();
    for mut r in rest {
        if r.category.is_empty() {
            r.category = category.clone();
        }
        category = r.category.clone();
        best.rows.push(r);
    }
    Ok(best)
}

fn read_rows(t: &Table, h: usize, header: &Header) -> Vec<Row> {
    let n = header.name;
    let width = header.cols.len();
    let mut out = Vec::new();
    let (mut seq, mut category) = (String::new(), String::new());
    let mut parent: Option<String> = None;
    for (_, cells) in &t.rows[h + 1..] {
        // A row that is one merged cell naming a category (`一、经济发展（5项）`)
        // heads the rows below it.
        if let Some(c) = category::category_row(cells) {
            category = c;
            continue;
        }
        if cells.len() < width {
            continue;
        }
        // Cells beyond the header's count sit at the name: a parent's name
        // (merged over its sub-rows) before the sub-indicator's.
        let extra = cells.len() - width;
        let at = |k: usize| -> &str {
            let i = if k > n { k + extra } else { k };
            cells.get(i).map_or("", |s| s.trim())
        };
        let name_cell = cells[n + extra].trim().to_string();
        if compact(&name_cell).is_empty() {
            continue;
        }
        let spanned = cells[n..n + extra]
            .iter()
            .all(|c| compact(c) == compact(&name_cell));
        if extra > 0 && !spanned {
            let p: String = cells[n..n + extra].iter().map(|c| compact(c)).collect();
            if !p.is_empty() {
                parent = Some(p);
            }
        } else {
            // No parent cell, or a reader that writes a spanned name twice.
            parent = None;
        }
        let mut row = Row {
            name_cell,
            parent: parent.clone(),
            ..Row::default()
        };
        for (k, col) in header.cols.iter().enumerate() {
            let v = at(k).to_string();
            match col {
                Col::Category if !word(&v).is_empty() => category = word(&v),
                Col::Seq if !v.is_empty() => seq = compact(&v),
                Col::Unit => row.unit_cell = Some(v.clone()),
                Col::Attribute => row.attribute = word(&v),
                Col::Baseline(_) => row.baseline = Some(v.clone()),
                Col::Target(_) => row.target = v.clone(),
                Col::Obs(p) => row.obs.push((*p, v.clone())),
                Col::Status if !word(&v).is_empty() => row.status = Some(word(&v)),
                _ => {}
            }
            if k >= n {
                let text = if k == n { row.name_cell.clone() } else { v };
                row.tail.push((col.clone(), text));
            }
        }
        row.seq = seq.clone();
        row.category = category.clone();
        out.push(row);
    }
    out
}

/// Why a document's indicator table cannot be found or read.
#[derive(Debug, Clone, PartialEq)]
pub enum TableError {
    /// No table has an indicator header.
    NoIndicatorTable,
    /// A table looks like the indicator table but its header cannot be read.
    HeaderUnreadable {
        /// The header cells.
        header: String,
        /// What is missing.
        why: String,
    },
}

impl TableError {
    /// The message, Chinese first, naming the file.
    pub fn message(&self, file: &str) -> String {
        match self {
            TableError::NoIndicatorTable => format!(
                "`{file}` 中没有找到指标表：需要一张表头含“指标”列、目标列（如“2025年目标值”）和年份列（如“2021年”）的表格 (no indicator table found: expected a table whose header has an 指标 column, a target column and year columns)"
            ),
            TableError::HeaderUnreadable { header, why } => format!(
                "`{file}` 中指标表的表头无法读取：{why}；表头为 `{header}`；需要“指标”列、目标列（如“2025年目标值”）和规划期内的年份列 (the indicator table's header cannot be read)"
            ),
        }
    }
}

/// The indicator table of a document, found by its header (an 指标
/// column, a target column, year columns), whatever its caption.
pub fn locate(doc: &Ingested) -> Option<&Table> {
    find(doc).ok().map(|f| f.table)
}
