//! The report as one self-contained HTML file: the mid-term table, the
//! chart of every indicator (inline SVG), the goals at risk and the check
//! findings. No script, no external asset; every string from the documents
//! and rules is escaped.

use super::chart::{self, Chart};
use super::esc;
use crate::check::{Finding, FindingKind};
use crate::graph::Risk;
use crate::model::{fmt_num, StatusClass};
use crate::period::Period;
use crate::report::{self, Report, Row};
use std::fmt::Write as _;

/// What the report shows.
pub struct Page<'a, 'm> {
    /// The heading: the workspace's or the plan's title.
    pub title: &'a str,
    /// The evaluation.
    pub report: &'a Report,
    /// The charts (shown in the order of the table).
    pub charts: &'a [Chart],
    /// `graph at-risk`.
    pub risks: &'a [Risk<'m>],
    /// How the risks are ranked, in Chinese (`graph::render::ranking`).
    pub ranking: &'a str,
    /// `check`.
    pub findings: &'a [Finding],
}

/// The report's styles (the web pages add theirs).
pub(crate) const CSS: &str = r#"
body{font-family:'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif;margin:24px auto;max-width:1180px;color:#1f2328;line-height:1.55;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #d0d7de;padding-bottom:4px;margin-top:36px}
.meta{color:#57606a;margin:0 0 16px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #d0d7de;padding:4px 6px;vertical-align:middle}
th{background:#dde5f2;font-weight:600;white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.c{text-align:center;white-space:nowrap}
tr.sub td.name{padding-left:22px}
.s{font-weight:600;text-align:center;white-space:nowrap}
.ahead{background:#c6efce;color:#006100}.on_track{background:#ddebf7;color:#1f4e79}.behind{background:#ffc7ce;color:#9c0006}.no_data{background:#ededed;color:#595959}
.why{font-size:12px;color:#424a53}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}
.charts figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:6px;background:#fff}
.charts svg{width:100%;height:auto}
.risk,.finding{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:10px 0}
.risk h3,.finding h3{font-size:15px;margin:0 0 4px}
.tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;background:#eaeef2;margin-right:6px}
blockquote{margin:4px 0;padding:2px 10px;border-left:3px solid #d0d7de;color:#424a53;font-size:13px}
.loc{color:#6e7781;font-size:12px}
ul{margin:4px 0;padding-left:22px}
@media print{.charts{grid-template-columns:1fr 1fr}body{max-width:none}}
"#;

fn class_word(c: StatusClass) -> &'static str {
    match c {
        StatusClass::Ahead => "ahead",
        StatusClass::OnTrack => "on_track",
        StatusClass::Behind => "behind",
        StatusClass::NoData => "no_data",
    }
}

/// A finding kind in Chinese.
pub fn finding_kind(k: FindingKind) -> &'static str {
    k.chinese()
}

fn period_zh(p: &str) -> String {
    Period::parse(p).map_or(p.to_string(), Period::chinese)
}

/// The whole HTML document.
pub fn page(p: &Page) -> String {
    let r = p.report;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} 中期评估报告</title><style>{CSS}</style></head><body>\n",
        esc(p.title)
    );
    let _ = write!(
        s,
        "<h1>{}</h1><p class=\"meta\">主要指标中期评估 · 截至{} · 评估方法：{}</p>\n<p>{}</p>\n",
        esc(p.title),
        esc(&r.as_of.chinese()),
        esc(&r.method),
        esc(&report::summary_line(r))
    );
    let _ = writeln!(
        s,
        "<nav><a href=\"#table\">指标表</a> · <a href=\"#charts\">指标图表</a> · <a href=\"#risks\">受影响的目标和任务（{}）</a> · <a href=\"#findings\">一致性检查（{}）</a></nav>",
        p.risks.len(),
        p.findings.len()
    );
    table(&mut s, p);
    charts(&mut s, p);
    risks(&mut s, p);
    findings(&mut s, p);
    s.push_str("</body></html>\n");
    s
}

fn table(s: &mut String, p: &Page) {
    s.push_str("<h2 id=\"table\">一、主要指标中期完成情况</h2>\n");
    let link = |row: &Row| {
        p.charts
            .iter()
            .any(|c| c.id == row.id)
            .then(|| format!("#chart-{}", anchor(&row.id)))
    };
    table_rows(
        s,
        p.report,
        &p.report.rows.iter().collect::<Vec<_>>(),
        &link,
    );
}

/// The table of `rows` (of `r`), each name linked where `link` says.
fn table_rows(s: &mut String, r: &Report, rows: &[&Row], link: &dyn Fn(&Row) -> Option<String>) {
    s.push_str("<table><thead><tr>");
    let periods: Vec<String> = r
        .rows
        .first()
        .map(|row| row.observations.keys().map(|k| k.chinese()).collect())
        .unwrap_or_default();
    for h in ["序号", "类别", "指标名称", "属性", "单位", "目标", "基期"] {
        let _ = write!(s, "<th>{h}</th>");
    }
    for h in &periods {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("<th>中期完成情况</th><th>判定依据</th></tr></thead><tbody>\n");
    for row in rows {
        let sub = row.parent.is_some();
        let _ = write!(
            s,
            "<tr{}><td class=\"c\">{}</td><td class=\"c\">{}</td>",
            if sub { " class=\"sub\"" } else { "" },
            if sub { String::new() } else { esc(&row.seq) },
            esc(&row.category)
        );
        let name = match link(row) {
            Some(href) => format!("<a href=\"{}\">{}</a>", esc(&href), esc(&row.name)),
            None => esc(&row.name),
        };
        let _ = write!(
            s,
            "<td class=\"name\">{name}</td><td class=\"c\">{}</td><td class=\"c\">{}</td><td class=\"c\">{}</td>",
            esc(&row.attribute),
            esc(&row.unit),
            esc(&row.target)
        );
        if row.is_parent {
            for _ in 0..=periods.len() {
                s.push_str("<td></td>");
            }
        } else {
            let _ = write!(
                s,
                "<td class=\"n\">{}</td>",
                row.baseline.map_or("/".to_string(), fmt_num)
            );
            for v in row.observations.values() {
                let _ = write!(
                    s,
                    "<td class=\"n\">{}</td>",
                    v.map_or("/".to_string(), fmt_num)
                );
            }
        }
        let _ = writeln!(
            s,
            "<td class=\"s {}\">{}</td><td class=\"why\">{}</td></tr>",
            class_word(row.class),
            esc(&row.status),
            esc(&row.explanation)
        );
    }
    s.push_str("</tbody></table>\n");
}

/// An id usable in a URL fragment (the id escaped later for HTML).
fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn charts(s: &mut String, p: &Page) {
    s.push_str("<h2 id=\"charts\">二、指标图表</h2>\n<div class=\"charts\">\n");
    // In the table's order.
    let ordered = p
        .report
        .rows
        .iter()
        .filter_map(|row| p.charts.iter().find(|c| c.id == row.id));
    for c in ordered {
        let _ = writeln!(
            s,
            "<figure id=\"chart-{}\">{}</figure>",
            esc(&anchor(&c.id)),
            chart::svg(c).trim_end()
        );
    }
    s.push_str("</div>\n");
}

fn risks(s: &mut String, p: &Page) {
    let _ = writeln!(
        s,
        "<h2 id=\"risks\">三、受指标滞后影响的目标和任务</h2>\n<p class=\"meta\">排序：{}</p>",
        esc(p.ranking)
    );
    if p.risks.is_empty() {
        s.push_str("<p>没有受滞后指标影响的目标或任务。</p>\n");
    }
    for (k, r) in p.risks.iter().enumerate() {
        let _ = write!(
            s,
            "<div class=\"risk\"><h3>{}. <span class=\"tag\">{}</span>{} <span class=\"loc\">风险分 {}</span></h3><ul>",
            k + 1,
            r.kind.chinese(),
            esc(&r.name),
            r.score
        );
        for (_, name, status) in &r.indicators {
            let _ = write!(s, "<li>滞后指标：{}（{}）</li>", esc(name), esc(status));
        }
        s.push_str("</ul>");
        if !r.supporters.is_empty() {
            let _ = write!(s, "<p>优先推进（共{}项）：</p><ul>", r.supporters.len());
            for sp in r.supporters.iter().take(8) {
                let mut extra = String::new();
                if let Some(st) = sp.state {
                    let _ = write!(extra, "，{}", esc(st));
                }
                if let Some(m) = sp.investment {
                    let _ = write!(extra, "，投资{}亿元", fmt_num(m));
                }
                let _ = write!(
                    s,
                    "<li><span class=\"tag\">{}</span>{}{extra}</li>",
                    sp.kind.chinese(),
                    esc(sp.name)
                );
            }
            s.push_str("</ul>");
        }
        s.push_str("</div>\n");
    }
}

fn findings(s: &mut String, p: &Page) {
    let _ = writeln!(
        s,
        "<h2 id=\"findings\">四、一致性检查</h2>\n<p class=\"meta\">文档与数据、文档各处之间不一致之处：{}处</p>",
        p.findings.len()
    );
    if p.findings.is_empty() {
        s.push_str("<p>未发现不一致。</p>\n");
    }
    for f in p.findings {
        let mut head = String::new();
        if let Some(i) = &f.indicator {
            head.push_str(&esc(i));
        }
        if let Some(per) = &f.period {
            let _ = write!(head, "（{}）", esc(&period_zh(per)));
        }
        let _ = write!(
            s,
            "<div class=\"finding\"><h3><span class=\"tag\">{}</span>{head}</h3><p>{}</p>",
            finding_kind(f.kind),
            esc(&f.message)
        );
        for q in &f.quotes {
            let _ = write!(
                s,
                "<blockquote>“{}”<br><span class=\"loc\">{}:{}</span></blockquote>",
                esc(&q.text),
                esc(&q.file),
                q.line
            );
        }
        s.push_str("</div>\n");
    }
}

/// Percent-encodes a path segment (letters of any script are kept as
/// UTF-8 bytes encoded, so the link works in every browser).
pub fn url_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The web app's 指标 page: the table, filtered by status and category
/// (a form that works without script), each indicator linked to its page.
pub fn index_page(title: &str, r: &Report, status: Option<&str>, category: Option<&str>) -> String {
    let mut s = String::new();
    super::web::head(&mut s, title, "指标", super::web::Tab::Table, false);
    let _ = writeln!(
        s,
        "<p class=\"meta\">主要指标中期评估 · 截至{} · 评估方法：{}</p><p>{}</p>",
        esc(&r.as_of.chinese()),
        esc(&r.method),
        esc(&report::summary_line(r))
    );
    let mut statuses: Vec<&str> = Vec::new();
    let mut cats: Vec<&str> = Vec::new();
    for row in &r.rows {
        if !statuses.contains(&row.status.as_str()) {
            statuses.push(&row.status);
        }
        if !cats.contains(&row.category.as_str()) {
            cats.push(&row.category);
        }
    }
    let select = |s: &mut String, name: &str, label: &str, opts: &[&str], cur: Option<&str>| {
        let _ = write!(
            s,
            "<label>{label} <select name=\"{name}\"><option value=\"\">全部</option>"
        );
        for o in opts {
            let sel = if cur == Some(*o) { " selected" } else { "" };
            let _ = write!(s, "<option value=\"{0}\"{sel}>{0}</option>", esc(o));
        }
        s.push_str("</select></label>");
    };
    s.push_str("<form class=\"filter\" method=\"get\" action=\"/\">");
    select(&mut s, "status", "完成情况", &statuses, status);
    select(&mut s, "category", "类别", &cats, category);
    s.push_str("<button type=\"submit\">筛选</button></form>\n");
    let rows: Vec<&Row> = r
        .rows
        .iter()
        .filter(|row| status.is_none_or(|x| row.status == x))
        .filter(|row| category.is_none_or(|x| row.category == x))
        .collect();
    let _ = writeln!(
        s,
        "<p class=\"meta\">显示{}项（共{}项）</p>",
        rows.len(),
        r.rows.len()
    );
    let link = |row: &Row| Some(format!("/indicator/{}", url_segment(&row.id)));
    table_rows(&mut s, r, &rows, &link);
    s.push_str("</body></html>\n");
    s
}

/// The web app's page of one indicator: its status and reason, the chart
/// and how the verdict was reached (the `explain` text).
pub fn indicator_page(title: &str, row: &Row, chart: Option<&Chart>, explanation: &str) -> String {
    let mut s = String::new();
    let name = match &row.parent {
        Some(p) => format!("{p}·{}", row.name),
        None => row.name.clone(),
    };
    super::web::head(&mut s, title, &name, super::web::Tab::Table, false);
    let _ = writeln!(
        s,
        "<h2>{} <span class=\"s {}\">{}</span></h2><p>{}</p>",
        esc(&name),
        class_word(row.class),
        esc(&row.status),
        esc(&row.explanation)
    );
    if let Some(c) = chart {
        let _ = writeln!(
            s,
            "<div class=\"charts\"><figure>{}</figure></div>",
            chart::svg(c).trim_end()
        );
    }
    let _ = writeln!(s, "<h2>判定过程</h2><pre>{}</pre>", esc(explanation));
    s.push_str("</body></html>\n");
    s
}
