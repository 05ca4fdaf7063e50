//! The mid-term table as an Excel workbook, laid out as planners lay out
//! 附件1: a title, the header row, merged 序号 and 类别 cells, sub-indicators
//! under their parent, numbers as numbers, status colours, a frozen header;
//! a second sheet 判定依据 with the rule, the reason and the figures.

use crate::model::{fmt_num, StatusClass};
use crate::report::{Report, Row};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Name of the table sheet.
pub const TABLE_SHEET: &str = "中期评估";
/// Name of the sheet of figures and reasons.
pub const REASONS_SHEET: &str = "判定依据";

/// Fill of a status cell.
fn fill(c: StatusClass) -> Color {
    Color::RGB(match c {
        StatusClass::Ahead => 0xC6EFCE,
        StatusClass::OnTrack => 0xDDEBF7,
        StatusClass::Behind => 0xFFC7CE,
        StatusClass::NoData => 0xEDEDED,
    })
}

/// Font colour of a status cell.
fn ink(c: StatusClass) -> Color {
    Color::RGB(match c {
        StatusClass::Ahead => 0x006100,
        StatusClass::OnTrack => 0x1F4E79,
        StatusClass::Behind => 0x9C0006,
        StatusClass::NoData => 0x595959,
    })
}

/// A sheet's header row: bold 黑体 on blue, centred, wrapped.
fn write_header<S: AsRef<str>>(
    ws: &mut Worksheet,
    row: u32,
    header: &[S],
) -> Result<(), XlsxError> {
    let f = base()
        .set_bold()
        .set_font_name("黑体")
        .set_align(FormatAlign::Center)
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E1F2));
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h.as_ref(), &f)?;
    }
    Ok(())
}

fn base() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_font_name("宋体")
        .set_font_size(10.5)
}

/// The report's period columns in Chinese (`2023年上半年`).
fn period_headers(r: &Report) -> Vec<String> {
    r.rows
        .first()
        .map(|row| row.observations.keys().map(|k| k.chinese()).collect())
        .unwrap_or_default()
}

/// Runs of equal values: (first, last) index pairs.
fn runs<T: PartialEq>(items: &[T]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=items.len() {
        if i == items.len() || items[i] != items[start] {
            if start < items.len() {
                out.push((start, i - 1));
            }
            start = i;
        }
    }
    out
}

/// Writes `text` over rows `first..=last` of `col`, merged when more than one.
fn merged(
    ws: &mut Worksheet,
    first: u32,
    last: u32,
    col: u16,
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if last > first {
        ws.merge_range(first, col, last, col, text, f)?;
    } else {
        ws.write_string_with_format(first, col, text, f)?;
    }
    Ok(())
}

/// The workbook as bytes.
pub fn workbook(r: &Report, title: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    table_sheet(wb.add_worksheet(), r, title)?;
    reasons_sheet(wb.add_worksheet(), r)?;
    wb.save_to_buffer()
}

fn table_sheet(ws: &mut Worksheet, r: &Report, title: &str) -> Result<(), XlsxError> {
    ws.set_name(TABLE_SHEET)?;
    let periods = period_headers(r);
    let mut header: Vec<String> = ["序号", "类别", "指标名称", "属性", "单位", "目标", "基期"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(periods.iter().cloned());
    header.push("中期完成情况".to_string());
    let last_col = (header.len() - 1) as u16;

    let title_f = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_font_name("黑体")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let as_of = r.as_of.chinese();
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("{title}（截至{as_of}，方法：{}）", r.method),
        &title_f,
    )?;
    ws.set_row_height(0, 28)?;
    write_header(ws, 1, &header)?;
    ws.set_row_height(1, 30)?;
    ws.set_freeze_panes(2, 3)?;

    let center = base().set_align(FormatAlign::Center).set_text_wrap();
    let text = base().set_text_wrap();
    let sub = base().set_text_wrap().set_indent(2);
    let num = base().set_align(FormatAlign::Right);
    let slash = base().set_align(FormatAlign::Center);
    let first = 2u32;

    // 序号 merged over a parent and its sub-indicators; 类别 over a run.
    let seqs: Vec<&str> = r.rows.iter().map(|row| row.seq.as_str()).collect();
    for (a, b) in runs(&seqs) {
        merged(
            ws,
            first + a as u32,
            first + b as u32,
            0,
            &r.rows[a].seq,
            &center,
        )?;
    }
    let cats: Vec<&str> = r.rows.iter().map(|row| row.category.as_str()).collect();
    for (a, b) in runs(&cats) {
        merged(
            ws,
            first + a as u32,
            first + b as u32,
            1,
            &r.rows[a].category,
            &center,
        )?;
    }
    for (k, row) in r.rows.iter().enumerate() {
        let y = first + k as u32;
        let name_f = if row.parent.is_some() { &sub } else { &text };
        ws.write_string_with_format(y, 2, &row.name, name_f)?;
        ws.write_string_with_format(y, 3, &row.attribute, &center)?;
        ws.write_string_with_format(y, 4, &row.unit, &center)?;
        ws.write_string_with_format(y, 5, &row.target, &center)?;
        if row.is_parent {
            // A parent's figures are its sub-indicators'.
            for c in 6..last_col {
                ws.write_blank(y, c, &center)?;
            }
        } else {
            number_or_slash(ws, y, 6, row.baseline, &num, &slash)?;
            for (j, v) in row.observations.values().enumerate() {
                number_or_slash(ws, y, 7 + j as u16, *v, &num, &slash)?;
            }
        }
        let status_f = base()
            .set_align(FormatAlign::Center)
            .set_bold()
            .set_background_color(fill(row.class))
            .set_font_color(ink(row.class));
        ws.write_string_with_format(y, last_col, &row.status, &status_f)?;
    }
    let widths = [6.0, 10.0, 36.0, 8.0, 7.0, 18.0, 9.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for j in 0..periods.len() {
        ws.set_column_width(7 + j as u16, 11.0)?;
    }
    ws.set_column_width(last_col, 13.0)?;

    // The summary under the table.
    let y = first + r.rows.len() as u32 + 1;
    let counts: Vec<String> = r
        .summary
        .iter()
        .filter(|(_, n)| **n != 0)
        .map(|(k, v)| format!("{k}{v}项"))
        .collect();
    ws.merge_range(
        y,
        0,
        y,
        last_col,
        &format!("共{}项指标：{}。", r.totals.indicators, counts.join("，")),
        &Format::new().set_text_wrap(),
    )?;
    ws.set_landscape();
    ws.set_repeat_rows(0, 1)?;
    Ok(())
}

fn number_or_slash(
    ws: &mut Worksheet,
    y: u32,
    x: u16,
    v: Option<f64>,
    num: &Format,
    slash: &Format,
) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(y, x, v, num)?,
        None => ws.write_string_with_format(y, x, "/", slash)?,
    };
    Ok(())
}

fn full_name(row: &Row) -> String {
    match &row.parent {
        Some(p) => format!("{p}·{}", row.name),
        None => row.name.clone(),
    }
}

fn reasons_sheet(ws: &mut Worksheet, r: &Report) -> Result<(), XlsxError> {
    ws.set_name(REASONS_SHEET)?;
    // Every figure any rule computed, in first-seen order: one column each.
    let mut figures: Vec<&str> = Vec::new();
    for row in &r.rows {
        for k in row.figures.keys() {
            if !figures.contains(&k.as_str()) {
                figures.push(k);
            }
        }
    }
    let mut header: Vec<String> = ["序号", "指标名称", "中期完成情况", "判定规则", "判定依据"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(figures.iter().map(|f| f.to_string()));
    header.push("报告所述数值".to_string());
    write_header(ws, 0, &header)?;
    ws.set_freeze_panes(1, 2)?;
    let text = base().set_text_wrap();
    let center = base().set_align(FormatAlign::Center);
    let num = base().set_num_format("0.00");
    for (k, row) in r.rows.iter().enumerate() {
        let y = 1 + k as u32;
        ws.write_string_with_format(y, 0, &row.seq, &center)?;
        ws.write_string_with_format(y, 1, full_name(row), &text)?;
        let status_f = base()
            .set_align(FormatAlign::Center)
            .set_bold()
            .set_background_color(fill(row.class))
            .set_font_color(ink(row.class));
        ws.write_string_with_format(y, 2, &row.status, &status_f)?;
        ws.write_string_with_format(y, 3, &row.rule, &text)?;
        ws.write_string_with_format(y, 4, &row.explanation, &text)?;
        for (j, f) in figures.iter().enumerate() {
            let x = 5 + j as u16;
            match row.figures.get(*f) {
                Some(Some(n)) => {
                    ws.write_number_with_format(y, x, *n, &num)?;
                }
                Some(None) => {
                    ws.write_string_with_format(y, x, "/", &center)?;
                }
                None => {
                    ws.write_blank(y, x, &center)?;
                }
            }
        }
        let stated: Vec<String> = row
            .stated
            .iter()
            .map(|s| {
                let computed = s.computed.map_or("无法计算".to_string(), |c| {
                    fmt_num((c * 100.0).round() / 100.0)
                });
                let flag = if s.differs { "不一致" } else { "一致" };
                format!(
                    "{}（{}）：报告{}，计算{}，{flag}",
                    s.figure,
                    s.as_of.chinese(),
                    s.stated_text,
                    computed
                )
            })
            .collect();
        ws.write_string_with_format(y, 5 + figures.len() as u16, stated.join("\n"), &text)?;
    }
    ws.set_column_width(0, 6.0)?;
    ws.set_column_width(1, 34.0)?;
    ws.set_column_width(2, 13.0)?;
    ws.set_column_width(3, 14.0)?;
    ws.set_column_width(4, 60.0)?;
    for j in 0..figures.len() {
        ws.set_column_width(5 + j as u16, 11.0)?;
    }
    ws.set_column_width(5 + figures.len() as u16, 48.0)?;
    Ok(())
}
