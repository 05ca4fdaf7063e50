//! The table, CSV and Markdown renderings of a [`Report`], and its summary
//! paragraph. CJK text is aligned by display width.

use super::{Report, Row, StatedOut};
use crate::model::{fmt_num, round_dp, StatusClass};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// An observed value as the table prints it: `/` for none.
pub(crate) fn cell(v: Option<f64>) -> String {
    v.map_or_else(|| "/".to_string(), fmt_num)
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

fn headers(r: &Report) -> Vec<String> {
    let mut h: Vec<String> = ["序号", "类别", "指标", "属性", "单位", "", "基期值"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    h[5] = format!("{}年目标", r.end_year);
    if let Some(first) = r.rows.first() {
        h.extend(first.observations.keys().map(|p| p.chinese()));
    }
    h.push("中期完成情况".to_string());
    h
}

fn cells(row: &Row) -> Vec<String> {
    let mut c = vec![
        if row.parent.is_some() {
            String::new()
        } else {
            row.seq.clone()
        },
        row.category.clone(),
        if row.parent.is_some() {
            format!("└ {}", row.name)
        } else {
            row.name.clone()
        },
        row.attribute.clone(),
        row.unit.clone(),
        row.target.clone(),
        row.baseline.map_or("/".to_string(), fmt_num),
    ];
    if row.is_parent {
        // A parent: its figures are its sub-indicators'.
        c[6] = String::new();
        c.extend(row.observations.values().map(|_| String::new()));
    } else {
        c.extend(row.observations.values().map(|v| cell(*v)));
    }
    c.push(row.status.clone());
    c
}

/// The summary paragraph: counts per attribute and status, shares.
pub fn summary_line(r: &Report) -> String {
    let n = r.totals.indicators;
    let attrs: Vec<String> = r
        .totals
        .by_attribute
        .iter()
        .map(|(k, v)| format!("{k}{v}项"))
        .collect();
    let per: Vec<String> = r
        .summary
        .iter()
        .filter(|(_, n)| **n != 0)
        .map(|(k, v)| format!("{k}{v}项"))
        .collect();
    let share = |k: usize| {
        if n == 0 {
            0.0
        } else {
            k as f64 * 100.0 / n as f64
        }
    };
    let mut groups: Vec<String> = Vec::new();
    for g in &r.totals.class_groups {
        groups.push(format!(
            "{}{}项，占{:.1}%",
            g.words,
            g.count,
            share(g.count)
        ));
        // At or above schedule, after the on-track group.
        if let Some(b) = r
            .totals
            .at_or_above
            .as_ref()
            .filter(|_| g.classes.contains(&StatusClass::OnTrack))
        {
            groups.push(format!(
                "{}合计{}项，占{:.1}%",
                b.words,
                b.count,
                share(b.count)
            ));
        }
    }
    format!(
        "共{n}项指标（{}）。{}。{}。",
        attrs.join("，"),
        per.join("，"),
        groups.join("；")
    )
}

/// The 附件1-style table with CJK-aligned columns, the reasons, the summary,
/// and the stated figures that differ from the engine's.
pub fn table(r: &Report) -> String {
    let h = headers(r);
    let body: Vec<Vec<String>> = r.rows.iter().map(cells).collect();
    let widths: Vec<usize> = (0..h.len())
        .map(|c| {
            std::iter::once(&h[c])
                .chain(body.iter().map(|row| &row[c]))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |row: &[String]| {
        row.iter()
            .zip(&widths)
            .map(|(s, w)| pad(s, *w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}（截至{}，方法：{}）",
        r.title,
        r.as_of.chinese(),
        r.method
    );
    let _ = writeln!(out, "{}", line(&h));
    let _ = writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for row in &body {
        let _ = writeln!(out, "{}", line(row));
    }
    let _ = writeln!(out, "\n判定依据：");
    for row in &r.rows {
        let name = match &row.parent {
            Some(p) => format!("{p}·{}", row.name),
            None => row.name.clone(),
        };
        let _ = writeln!(
            out,
            "  {} {}【{}】{}",
            row.seq, name, row.status, row.explanation
        );
    }
    let problems: Vec<(&Row, &String)> = r
        .rows
        .iter()
        .flat_map(|row| row.problems.iter().map(move |p| (row, p)))
        .collect();
    if !problems.is_empty() {
        let _ = writeln!(out, "\n无法计算的数值及原因：");
        for (row, p) in problems {
            let _ = writeln!(out, "  {}：{p}", row.name);
        }
    }
    let _ = writeln!(out, "\n{}", summary_line(r));
    let diffs: Vec<(&Row, &StatedOut)> = r
        .rows
        .iter()
        .flat_map(|row| {
            row.stated
                .iter()
                .filter(|s| s.differs)
                .map(move |s| (row, s))
        })
        .collect();
    if !diffs.is_empty() {
        let _ = writeln!(out, "\n报告所述数值与按所列数据计算的结果不一致：");
        for (row, s) in diffs {
            let computed = s
                .computed
                .map_or("无法计算".to_string(), |c| fmt_num(round_dp(c, 2)));
            let _ = writeln!(
                out,
                "  {}·{}（{}）：报告为{}，计算为{}",
                row.name,
                s.figure,
                s.as_of.chinese(),
                s.stated_text,
                computed
            );
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV with a header row, one line per indicator, explanation last.
pub fn csv(r: &Report) -> String {
    let mut h = headers(r);
    h.push("说明".to_string());
    let mut out = h.iter().map(|s| csv_field(s)).collect::<Vec<_>>().join(",") + "\n";
    for row in &r.rows {
        let mut c = cells(row);
        c[0] = row.seq.clone();
        c[2] = row.name.clone();
        c.push(row.explanation.clone());
        out += &(c.iter().map(|s| csv_field(s)).collect::<Vec<_>>().join(",") + "\n");
    }
    out
}

/// A Markdown table with the explanation column, then the summary.
pub fn markdown(r: &Report) -> String {
    let mut h = headers(r);
    h.push("说明".to_string());
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = format!(
        "| {} |\n|{}|\n",
        h.join(" | "),
        vec!["---"; h.len()].join("|")
    );
    for row in &r.rows {
        let mut c = cells(row);
        c.push(row.explanation.clone());
        out += &format!(
            "| {} |\n",
            c.iter().map(|s| esc(s)).collect::<Vec<_>>().join(" | ")
        );
    }
    out += &format!("\n{}\n", summary_line(r));
    out
}
