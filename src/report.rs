//! Rendering evaluations: the 附件1-style table, JSON, CSV, Markdown, and
//! the `explain` trace. Everything returns strings; only the CLI prints.

use crate::eval::{fmt_value, Evaluation, Explanation, Value};
use crate::model::dims::{self, Dim};
use crate::model::{fmt_num, Expr, ExprKind, Model, StatusClass};
use crate::period::Period;
use crate::span::Span;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// One row of the evaluation output (the JSON schema other tools read).
#[derive(Debug, Serialize)]
pub struct Row {
    /// The indicator's id in the rules (file names of charts, links).
    #[serde(skip)]
    pub id: String,
    /// The class of the decided status (colours).
    #[serde(skip)]
    pub class: StatusClass,
    /// Whether the row is a parent whose figures are its sub-indicators'
    /// (the table leaves its data cells blank).
    #[serde(skip)]
    pub is_parent: bool,
    /// 附件1's 序号; a sub-indicator carries its parent's.
    pub seq: String,
    /// Name as 附件1 prints it, without the unit.
    pub name: String,
    /// The parent's name, for a sub-indicator.
    pub parent: Option<String>,
    /// Category.
    pub category: String,
    /// Attribute.
    pub attribute: String,
    /// Unit.
    pub unit: String,
    /// The 2025 target as printed.
    pub target: String,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// Observed values by period (`2023H1`), `null` for `/`.
    pub observations: Map<String, Json>,
    /// Decided status.
    pub status: String,
    /// The rule that decided it.
    pub rule: String,
    /// Computed figures, `null` where the data give none.
    pub figures: Map<String, Json>,
    /// One-line reason.
    pub explanation: String,
    /// Figures the document states, beside the engine's.
    pub stated: Vec<StatedOut>,
    /// Calculations the data made impossible (a function given numbers
    /// outside its domain): why a figure is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// A stated figure in the JSON output.
#[derive(Debug, Serialize)]
pub struct StatedOut {
    /// Figure name.
    pub figure: String,
    /// Period compared at.
    pub as_of: String,
    /// The document's value.
    pub stated: f64,
    /// The document's value as written (its decimals kept).
    pub stated_text: String,
    /// The engine's value.
    pub computed: Option<f64>,
    /// Whether they differ beyond rounding.
    pub differs: bool,
    /// The quote.
    pub source: Option<String>,
}

/// The whole evaluation output.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Period judged (`2023H1`).
    pub as_of: String,
    /// Method applied.
    pub method: String,
    /// Rows in table order.
    pub rows: Vec<Row>,
    /// Count per status over top-level indicators.
    pub summary: Map<String, Json>,
    /// Totals: indicators, per attribute, per status class.
    pub totals: Totals,
    /// The table's title, from the plan's (`“十四五”规划主要指标中期评估`).
    #[serde(skip)]
    pub title: String,
    /// The plan's last year: the target column's year.
    #[serde(skip)]
    pub end_year: i32,
}

/// The table's title from the plan's title: `第十四个五年规划` gives
/// `“十四五”规划主要指标中期评估`; another title is used as it is.
fn table_title(model: &Model) -> String {
    let t = model.plan.title.as_deref().unwrap_or(&model.plan.id);
    let short = t.find('第').and_then(|a| {
        let a = a + '第'.len_utf8();
        t[a..].find("个五年").map(|b| &t[a..a + b])
    });
    match short {
        Some(n) if !n.is_empty() => format!("“{n}五”规划主要指标中期评估"),
        _ => format!("{t}主要指标中期评估"),
    }
}

/// Counts behind the summary paragraph of a report.
#[derive(Debug, Serialize)]
pub struct Totals {
    /// Top-level indicators.
    pub indicators: usize,
    /// Per attribute.
    pub by_attribute: Map<String, Json>,
    /// Per status class (`ahead`, `on_track`, `behind`, `no_data`).
    pub by_class: Map<String, Json>,
}

/// A 序号 as it sorts: its number first (`2` before `10`), then its text.
fn seq_key(seq: &str) -> (u64, String) {
    let digits: String = seq
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.parse().unwrap_or(u64::MAX), seq.to_string())
}

fn num_json(v: Option<f64>) -> Json {
    v.map_or(Json::Null, |x| Json::from(round6(x)))
}

fn round6(x: f64) -> f64 {
    crate::model::round_dp(x, 6)
}

/// The periods observed anywhere up to `as_of`, in time order: the table's columns.
pub fn periods(model: &Model, as_of: Period) -> Vec<Period> {
    let base = model.plan.base_year;
    let mut ps: Vec<Period> = model
        .indicators
        .iter()
        .flat_map(|i| i.observations.iter().map(|o| o.period))
        .filter(|p| p.end_time(base) <= as_of.end_time(base) + 1e-9)
        .collect();
    ps.sort_by(|a, b| {
        a.end_time(base)
            .total_cmp(&b.end_time(base))
            .then(a.half.cmp(&b.half))
    });
    ps.dedup();
    ps
}

/// Builds the report structure.
pub fn build(model: &Model, ev: &Evaluation) -> Report {
    let cols = periods(model, ev.as_of);
    // The table follows 序号 (a sub-indicator carries its parent's), not
    // the order of the files; equal 序号 keep their order.
    let mut order: Vec<&crate::eval::Verdict> = ev.verdicts.iter().collect();
    order.sort_by(|a, b| {
        seq_key(&model.indicators[a.indicator].seq)
            .cmp(&seq_key(&model.indicators[b.indicator].seq))
    });
    let rows = order
        .into_iter()
        .map(|v| {
            let i = &model.indicators[v.indicator];
            let method = &model.methods[ev.method];
            let observations = cols
                .iter()
                .map(|p| {
                    (
                        p.to_string(),
                        num_json(
                            i.observations
                                .iter()
                                .find(|o| o.period == *p)
                                .and_then(|o| o.value),
                        ),
                    )
                })
                .collect();
            Row {
                id: i.id.clone(),
                class: model.statuses[v.status].class,
                is_parent: !i.children.is_empty(),
                seq: i.seq.clone(),
                name: i.name.clone(),
                parent: i.parent.map(|p| model.indicators[p].name.clone()),
                category: i.category.clone(),
                attribute: i.attribute.clone(),
                unit: i.unit.text.clone(),
                target: i
                    .target
                    .as_ref()
                    .map(|t| t.printed.clone())
                    .unwrap_or_default(),
                baseline: i.baseline.as_ref().and_then(|b| b.value),
                observations,
                status: model.statuses[v.status].name.clone(),
                rule: method.rules[v.rule].id.clone(),
                figures: v
                    .figures
                    .iter()
                    .map(|(n, x)| (n.clone(), num_json(x.as_num())))
                    .collect(),
                explanation: v.explanation.clone(),
                stated: v
                    .stated
                    .iter()
                    .map(|s| StatedOut {
                        figure: s.figure.clone(),
                        as_of: s.as_of.to_string(),
                        stated: s.stated,
                        stated_text: s.stated_text(),
                        computed: s.computed.map(round6),
                        differs: s.differs(),
                        source: s.source.clone(),
                    })
                    .collect(),
                problems: v.problems.iter().map(|p| p.message.clone()).collect(),
            }
        })
        .collect();
    let top: Vec<_> = ev
        .verdicts
        .iter()
        .filter(|v| model.indicators[v.indicator].parent.is_none())
        .collect();
    // The method's own statuses first, then the plan's vocabulary.
    let mut summary = Map::new();
    let own = model
        .statuses
        .iter()
        .enumerate()
        .filter(|(_, s)| s.method == Some(ev.method));
    let plan = model
        .statuses
        .iter()
        .enumerate()
        .filter(|(_, s)| s.method.is_none());
    for (si, s) in own.chain(plan) {
        let n = top.iter().filter(|v| v.status == si).count();
        summary.insert(s.name.clone(), Json::from(n));
    }
    let mut by_attribute = Map::new();
    for a in &model.plan.attributes {
        by_attribute.insert(
            a.clone(),
            Json::from(
                top.iter()
                    .filter(|v| model.indicators[v.indicator].attribute == *a)
                    .count(),
            ),
        );
    }
    let mut by_class = Map::new();
    for (w, c) in [
        ("ahead", StatusClass::Ahead),
        ("on_track", StatusClass::OnTrack),
        ("behind", StatusClass::Behind),
        ("no_data", StatusClass::NoData),
    ] {
        by_class.insert(
            w.to_string(),
            Json::from(
                top.iter()
                    .filter(|v| model.statuses[v.status].class == c)
                    .count(),
            ),
        );
    }
    Report {
        as_of: ev.as_of.to_string(),
        method: model.methods[ev.method].id.clone(),
        rows,
        summary,
        totals: Totals {
            indicators: top.len(),
            by_attribute,
            by_class,
        },
        title: table_title(model),
        end_year: model.plan.end,
    }
}

fn cell(v: &Json) -> String {
    match v {
        Json::Null => "/".to_string(),
        Json::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
        other => other.to_string(),
    }
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
        h.extend(
            first
                .observations
                .keys()
                .map(|k| Period::parse(k).map_or(k.clone(), Period::chinese)),
        );
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
        c.extend(row.observations.values().map(cell));
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
        .filter(|(_, v)| v.as_u64() != Some(0))
        .map(|(k, v)| format!("{k}{v}项"))
        .collect();
    let good = r.totals.by_class["ahead"].as_u64().unwrap_or(0)
        + r.totals.by_class["on_track"].as_u64().unwrap_or(0);
    let share = |k: u64| {
        if n == 0 {
            0.0
        } else {
            k as f64 * 100.0 / n as f64
        }
    };
    let behind = r.totals.by_class["behind"].as_u64().unwrap_or(0);
    let nodata = r.totals.by_class["no_data"].as_u64().unwrap_or(0);
    format!(
        "共{n}项指标（{}）。{}。进展良好（达到或超过进度）{good}项，占{:.1}%；低于预期{behind}项，占{:.1}%；暂无数据{nodata}项，占{:.1}%。",
        attrs.join("，"),
        per.join("，"),
        share(good),
        share(behind),
        share(nodata)
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
        Period::parse(&r.as_of).map_or(r.as_of.clone(), Period::chinese),
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
        let _ = writeln!(
            out,
            "\n无法计算的数值 (figures the data cannot give, and why):"
        );
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
                .map_or("无法计算".to_string(), |c| fmt_num(round2(c)));
            let _ = writeln!(
                out,
                "  {}·{}（{}）：报告为{}，计算为{}",
                row.name,
                s.figure,
                Period::parse(&s.as_of).map_or(s.as_of.clone(), Period::chinese),
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

/// The `explain` trace as text.
pub fn explain(model: &Model, ex: &Explanation, method: usize) -> String {
    let v = &ex.verdict;
    let ind = &model.indicators[v.indicator];
    let m = &model.methods[method];
    let rule = &m.rules[v.rule];
    let src = &model.sources;
    let units = Units::of_rule(rule, &ind.unit.text);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}（{}，序号{}）：{}",
        ind.name, ind.id, ind.seq, model.statuses[v.status].name
    );
    let _ = writeln!(out, "  {}", v.explanation);
    let _ = writeln!(
        out,
        "\n规则 rule `{}`（方法 {}，{}）",
        rule.id,
        m.id,
        src.location(rule.span)
    );
    if let Some(t) = &ind.target {
        let _ = writeln!(out, "\n目标 target: {}（{}）", t.printed, t.form.word());
        if let Some(q) = &t.source {
            let _ = writeln!(out, "  来源 source: “{}”", q.text);
        }
    }
    if let Some(b) = &ind.baseline {
        let _ = writeln!(
            out,
            "基期 baseline {}: {}",
            b.period,
            b.value.map_or("/".into(), fmt_num)
        );
    }
    if !ind.observations.is_empty() {
        let _ = writeln!(out, "观测 observed:");
        let mut last_src: Option<&str> = None;
        for o in &ind.observations {
            let v = o
                .value
                .map_or("/".into(), |v| format!("{}{}", fmt_num(v), ind.unit.text));
            let _ = writeln!(out, "  {}: {v}", o.period.chinese());
            if let Some(q) = &o.source {
                if last_src != Some(&*q.text) {
                    let _ = writeln!(out, "    来源 source: “{}”", q.text);
                    last_src = Some(&q.text);
                }
            }
        }
    }
    if !ind.assessments.is_empty() {
        let _ = writeln!(out, "评定 assessed:");
        for a in &ind.assessments {
            let _ = writeln!(
                out,
                "  {}: {}",
                a.period.chinese(),
                model.statuses[a.status].name
            );
        }
        if let Some(q) = ind.assessments.iter().find_map(|a| a.source.as_ref()) {
            let _ = writeln!(out, "    来源 source: “{}”", q.text);
        }
    }
    if !rule.figures.is_empty() {
        let _ = writeln!(out, "\n计算 figures:");
        for (f, steps) in rule.figures.iter().zip(&ex.figure_steps) {
            let _ = writeln!(
                out,
                "  {} = {}",
                f.name,
                units.show(
                    model,
                    f.expr.span,
                    &v.figures
                        .iter()
                        .find(|(n, _)| *n == f.name)
                        .map_or(Value::Missing, |x| x.1.clone()),
                )
            );
            write_steps(&mut out, model, &units, steps, 4);
        }
    }
    if !v.problems.is_empty() {
        let _ = writeln!(out, "\n无法计算 problems:");
        for p in &v.problems {
            let _ = writeln!(
                out,
                "  {}（{}）：{}",
                zh_expr(src.text(p.span)),
                src.location(p.span),
                p.message
            );
        }
    }
    let _ = writeln!(out, "\n分支 branches (first match wins):");
    for bt in &ex.branches {
        let b = &rule.branches[bt.branch];
        let status = &model.statuses[b.status].name;
        let mark = if bt.branch == v.branch {
            "→ 命中 fired"
        } else if bt.matched {
            "  也成立 also matched"
        } else {
            "  不成立 no"
        };
        let cond = b.cond.as_ref().map_or("otherwise".to_string(), |c| {
            format!("when {}", zh_expr(src.text(c.span)))
        });
        let _ = writeln!(out, "  {mark}: {cond} => {status}");
        write_steps(&mut out, model, &units, &bt.steps, 6);
    }
    // How far from the better statuses of the earlier branches (never the
    // distance to a worse one).
    let here = class_rank(model.statuses[v.status].class);
    let gaps: Vec<String> = ex
        .branches
        .iter()
        .filter(|bt| bt.branch < v.branch)
        .filter(|bt| class_rank(model.statuses[rule.branches[bt.branch].status].class) < here)
        .filter_map(|bt| {
            let s = bt.shortfall.as_ref()?;
            let status = &model.statuses[rule.branches[bt.branch].status].name;
            let dir = if s.needed >= 0.0 {
                "还差"
            } else {
                "需降低"
            };
            Some(format!(
                "  距「{status}」{dir}{}（{}：左边{}，右边{}）",
                units.difference(s.span, s.needed.abs()),
                zh_expr(src.text(s.span)),
                units.number(s.span, s.left),
                units.number(s.span, s.right),
            ))
        })
        .collect();
    if !gaps.is_empty() {
        let _ = writeln!(
            out,
            "\n距更好的状态 distance to a better status (nearest first):"
        );
        // The branch just before the one that fired is the next better one.
        for g in gaps.into_iter().rev() {
            let _ = writeln!(out, "{g}");
        }
    }
    if !v.stated.is_empty() {
        let _ = writeln!(out, "\n报告所述 stated by the document:");
        for s in &v.stated {
            let c = s
                .computed
                .map_or("无法计算".to_string(), |c| fmt_num(round2(c)));
            let flag = if s.differs() {
                "（不一致 differs）"
            } else {
                "（一致 agrees）"
            };
            let _ = writeln!(
                out,
                "  {}（{}）：报告{}，计算{}{flag}",
                s.figure,
                s.as_of.chinese(),
                s.stated_text(),
                c
            );
            if let Some(q) = &s.source {
                let _ = writeln!(out, "    来源 source: “{q}”");
            }
        }
    }
    for n in &ind.notes {
        let _ = writeln!(out, "\n注 note: {n}");
    }
    out
}

/// How good a status class is: 0 best.
fn class_rank(c: StatusClass) -> u8 {
    match c {
        StatusClass::Ahead => 0,
        StatusClass::OnTrack => 1,
        StatusClass::Behind => 2,
        StatusClass::NoData => 3,
    }
}

/// An expression as written, with each built-in function called by its
/// Chinese name (`latest()` → `最新值()`); the rule's own names stay.
fn zh_expr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.push_str(&rest[..start]);
        let word = &rest[start..];
        let len = word
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(word.len());
        let name = &word[..len];
        let called = word[len..].starts_with('(');
        let before_ok = !out
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        match crate::model::builtins::lookup(name) {
            Some(sig) if called && before_ok && !sig.alias.is_empty() => out.push_str(sig.alias),
            _ => out.push_str(name),
        }
        rest = &word[len..];
    }
    out.push_str(rest);
    out
}

fn round2(x: f64) -> f64 {
    crate::model::round_dp(x, 2)
}

fn write_steps(
    out: &mut String,
    model: &Model,
    units: &Units,
    steps: &[crate::eval::TraceStep],
    indent: usize,
) {
    for s in steps {
        // Literals explain nothing.
        let text = model.sources.text(s.span);
        if text.parse::<f64>().is_ok() {
            continue;
        }
        let _ = writeln!(
            out,
            "{:w$}{} = {}",
            "",
            zh_expr(text),
            units.show(model, s.span, &s.value),
            w = indent + 2 * s.depth
        );
    }
}

/// What each sub-expression of a rule measures, by where it is written,
/// for one indicator's unit: values are shown with their units.
struct Units {
    unit: String,
    dims: Vec<(Span, Dim)>,
}

impl Units {
    fn of_rule(rule: &crate::model::Rule, unit: &str) -> Units {
        fn walk(e: &Expr, figures: &[crate::model::Figure], out: &mut Vec<(Span, Dim)>) {
            if let Some(d) = dims::of_expr(e, figures) {
                out.push((e.span, d));
            }
            match &e.kind {
                ExprKind::Call(_, args) => args.iter().for_each(|a| walk(a, figures, out)),
                ExprKind::Unary(_, x) => walk(x, figures, out),
                ExprKind::Binary(_, a, b) => {
                    walk(a, figures, out);
                    walk(b, figures, out);
                }
                _ => {}
            }
        }
        let mut dims = Vec::new();
        for f in &rule.figures {
            walk(&f.expr, &rule.figures, &mut dims);
        }
        for b in &rule.branches {
            if let Some(c) = &b.cond {
                walk(c, &rule.figures, &mut dims);
            }
        }
        Units {
            unit: unit.to_string(),
            dims,
        }
    }

    fn dim(&self, span: Span) -> Option<Dim> {
        self.dims.iter().find(|(s, _)| *s == span).map(|(_, d)| *d)
    }

    /// A value with its unit when it is a number whose unit is known.
    fn show(&self, model: &Model, span: Span, v: &Value) -> String {
        let text = fmt_value(model, v, None);
        match (
            v,
            self.dim(span).and_then(|d| dims::unit_text(d, &self.unit)),
        ) {
            (Value::Num(_), Some(u)) => format!("{text}{u}"),
            _ => text,
        }
    }

    /// A number measured like the expression at `span`, with its unit.
    fn number(&self, span: Span, x: f64) -> String {
        let u = self
            .dim(span)
            .and_then(|d| dims::unit_text(d, &self.unit))
            .unwrap_or_default();
        format!("{}{u}", fmt_num(round2(x)))
    }

    /// A difference of two such numbers, with its unit (个百分点 for %).
    fn difference(&self, span: Span, x: f64) -> String {
        let u = self
            .dim(span)
            .and_then(|d| dims::difference_text(d, &self.unit))
            .unwrap_or_default();
        format!("{}{u}", fmt_num(round2(x)))
    }
}
