//! `guihua check`: where a draft report contradicts itself or the declared
//! data.
//!
//! Four kinds of check, each reading the prose rather than a list of known
//! sentences:
//! - provenance: every `source` quote is in the corpus and holds its figure;
//! - stated values: `2021年、2022年…分别为a、b` (and its variants) read,
//!   matched to an indicator by name, compared with the declared
//!   observations and 附件1's row; `2022年为11.1%` before a table, against
//!   the table;
//! - derived values: averages, totals, shares, changes and counts stated
//!   beside the values they come from, recomputed with the rounding the
//!   written figure allows; the figures the rules mark as `stated`;
//! - tables against charts: the chart data at the end of the export against
//!   表1–表4.

pub mod text;

use crate::corpus::ingest::{self, Ingested, UnitKind};
use crate::corpus::Corpus;
use crate::eval::series::Series;
use crate::model::{fmt_num, IndicatorId, Model, StatusClass, Unit};
use crate::period::Period;
use serde::Serialize;
use serde_json::{json, Value};
use text::{number_at, numbers, periods_at, similarity, values_at, Num, VERBS};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A `source` quote that is not in the corpus or lacks its figure.
    Provenance,
    /// A value stated in the prose that differs from the data or the table.
    StatedValue,
    /// An average, total, share or change that its own values do not give.
    DerivedValue,
    /// A count or share of the summary that the indicators do not give.
    Summary,
    /// Chart data that differ from the table they draw.
    TableChart,
}

impl FindingKind {
    /// Parses a kind word.
    pub fn parse(s: &str) -> Option<FindingKind> {
        Some(match s {
            "provenance" => FindingKind::Provenance,
            "stated_value" => FindingKind::StatedValue,
            "derived_value" => FindingKind::DerivedValue,
            "summary" => FindingKind::Summary,
            "table_chart" => FindingKind::TableChart,
            _ => return None,
        })
    }
}

/// A quote with where it stands.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuoteRef {
    /// The text.
    pub text: String,
    /// Document.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// One contradiction.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Kind.
    pub kind: FindingKind,
    /// The indicator concerned, by name.
    pub indicator: Option<String>,
    /// The period concerned.
    pub period: Option<String>,
    /// What the data or the recomputation give.
    pub expected: Value,
    /// What the text says.
    pub found: Value,
    /// The quotes that disagree.
    pub quotes: Vec<QuoteRef>,
    /// One line in words.
    pub message: String,
}

fn num(v: f64) -> Value {
    json!((v * 1e4).round() / 1e4)
}

/// Runs the checks (all, or those in `only`).
pub fn check(model: &Model, corpus: &Corpus, only: &[FindingKind]) -> Vec<Finding> {
    let on = |k| only.is_empty() || only.contains(&k);
    // The corpus's own ingestion, shared with every other reader of it.
    let ingested: &[Ingested] = corpus.ingested();
    let mut out = Vec::new();
    if on(FindingKind::Provenance) {
        provenance(model, corpus, &mut out);
    }
    let tables: Vec<Option<&ingest::Table>> = ingested
        .iter()
        .map(crate::corpus::indicator_table::locate)
        .collect();
    let ctx = Ctx {
        model,
        corpus,
        ingested,
        tables,
        eval: std::cell::OnceCell::new(),
        quote_places: std::cell::OnceCell::new(),
    };
    for (doc, ing) in corpus.docs.iter().zip(ingested) {
        for u in ing
            .units
            .iter()
            .filter(|u| matches!(u.kind, UnitKind::Paragraph | UnitKind::Glossary))
        {
            let para = Para {
                text: &u.text,
                file: &doc.name,
                line: u.line,
                raw: &doc.text,
            };
            if on(FindingKind::StatedValue) || on(FindingKind::DerivedValue) {
                ctx.statements(&para, &mut out);
                if on(FindingKind::DerivedValue) {
                    ctx.changes(&para, &mut out);
                    ctx.shares_of_totals(&para, &mut out);
                }
            }
            if on(FindingKind::Summary) {
                ctx.summary(&para, &mut out);
            }
        }
        if on(FindingKind::TableChart) {
            table_chart(doc, ing, &mut out);
            figure_captions(doc, ing, &mut out);
        }
        if on(FindingKind::StatedValue) {
            prose_against_tables(doc, ing, &mut out);
        }
    }
    if on(FindingKind::DerivedValue) {
        ctx.stated_figures(&mut out);
    }
    out.retain(|f| on(f.kind));
    // One finding per contradiction, in document order.
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| {
        seen.insert((
            f.kind as u8,
            f.indicator.clone(),
            f.period.clone(),
            f.found.to_string(),
            f.quotes.first().map(|q| q.line),
        ))
    });
    out
}

struct Ctx<'a> {
    model: &'a Model,
    corpus: &'a Corpus,
    ingested: &'a [Ingested],
    /// Each document's indicator table, found by its header.
    tables: Vec<Option<&'a ingest::Table>>,
    /// The verdicts, computed once when first needed.
    eval: std::cell::OnceCell<crate::eval::Evaluation>,
    /// Where each observation's quote stands, found in one pass when first needed.
    quote_places: std::cell::OnceCell<std::collections::HashMap<String, QuoteRef>>,
}

impl Ctx<'_> {
    fn evaluation(&self) -> &crate::eval::Evaluation {
        self.eval.get_or_init(|| {
            crate::eval::evaluate(
                self.model,
                self.model.plan.default_method,
                self.model.latest_period(),
            )
        })
    }
}

struct Para<'a> {
    text: &'a str,
    file: &'a str,
    line: usize,
    raw: &'a str,
}

impl Para<'_> {
    /// A quote of the sentence around byte `i`, located in its document.
    fn quote(&self, i: usize) -> QuoteRef {
        let (s, e) = text::sentence_around(self.text, i);
        let mut q: String = self.text[s..e].trim().to_string();
        if q.chars().count() > 120 {
            q = q.chars().take(120).collect();
        }
        let _ = self.raw;
        QuoteRef {
            text: q,
            file: self.file.to_string(),
            line: self.line,
        }
    }
}

/// A fact with a source: (indicator name, quote, figure as written, period).
type Fact<'m> = (
    Option<&'m str>,
    &'m crate::model::Quote,
    Option<&'m str>,
    Option<String>,
);

fn provenance(model: &Model, corpus: &Corpus, out: &mut Vec<Finding>) {
    let mut facts: Vec<Fact> = Vec::new();
    for ind in &model.indicators {
        if let Some(t) = &ind.target {
            if let Some(q) = &t.source {
                facts.push((Some(&ind.name), q, t.written.as_deref(), None));
            }
        }
        for o in ind.baseline.iter().chain(&ind.observations) {
            if let Some(q) = &o.source {
                facts.push((
                    Some(&ind.name),
                    q,
                    o.written.as_deref(),
                    Some(o.period.to_string()),
                ));
            }
        }
        for s in &ind.stated {
            if let Some(q) = &s.source {
                facts.push((
                    Some(&ind.name),
                    q,
                    Some(s.written.as_str()),
                    s.as_of.map(|p| p.to_string()),
                ));
            }
        }
    }
    for n in model.graph.nodes.iter().filter(|n| n.indicator.is_none()) {
        if let Some(q) = &n.source {
            facts.push((None, q, None, None));
        }
    }
    let texts: Vec<&str> = facts.iter().map(|f| &*f.1.text).collect();
    let found = corpus.locate_all(&texts);
    for ((ind, q, figure, period), loc) in facts.into_iter().zip(found) {
        let at = model.sources.location(q.span);
        let Some(loc) = loc else {
            out.push(Finding {
                kind: FindingKind::Provenance,
                indicator: ind.map(str::to_string),
                period,
                expected: json!("语料中逐字可查的引文 (a quote found verbatim in the corpus)"),
                found: json!(q.text.to_string()),
                quotes: vec![QuoteRef {
                    text: q.text.to_string(),
                    file: at.clone(),
                    line: model.sources.line_col(q.span).0,
                }],
                message: format!(
                    "{at} 处的出处引文在语料中找不到 (the source quote at {at} is not in the corpus)"
                ),
            });
            continue;
        };
        if let Some(w) = figure {
            let want: f64 = w.parse().unwrap_or(f64::NAN);
            let holds = numbers(&q.text)
                .iter()
                .any(|n| (n.value - want).abs() < 1e-9);
            if !holds {
                out.push(Finding {
                    kind: FindingKind::Provenance,
                    indicator: ind.map(str::to_string),
                    period,
                    expected: json!(w),
                    found: json!(q.text.to_string()),
                    quotes: vec![QuoteRef {
                        text: q.text.to_string(),
                        file: loc.doc,
                        line: loc.line,
                    }],
                    message: format!(
                        "{at} 处为 {w} 给出的引文不含 {w} (the quote given for {w} at {at} does not contain {w})"
                    ),
                });
            }
        }
    }
}

impl Ctx<'_> {
    /// The indicator a piece of text names, if one is clearly it.
    fn indicator_named(&self, name: &str) -> Option<IndicatorId> {
        let name = name.trim_matches(|c: char| c == '，' || c == '、' || c.is_whitespace());
        if name.chars().count() < 2 {
            return None;
        }
        let mut best: Option<(f64, IndicatorId)> = None;
        for (k, i) in self.model.indicators.iter().enumerate() {
            if !i.children.is_empty() {
                continue;
            }
            let s =
                similarity(name, &i.name).max(if name.contains(&i.name) || name.contains(&i.id) {
                    1.0
                } else {
                    0.0
                });
            if best.is_none_or(|b| s > b.0) {
                best = Some((s, k));
            }
        }
        best.filter(|b| b.0 >= 0.5).map(|b| b.1)
    }

    fn declared(&self, ind: IndicatorId, p: Period) -> Option<f64> {
        self.model.indicators[ind]
            .observations
            .iter()
            .find(|o| o.period == p)
            .and_then(|o| o.value)
    }

    /// What the documents call their indicator table: `附件2` of
    /// `附件2：…`, else `指标表`.
    fn table_label(&self) -> String {
        self.tables
            .iter()
            .flatten()
            .find_map(|t| {
                let c = t.caption.trim();
                let head = c.split(['：', ':']).next().unwrap_or("");
                (head.starts_with("附件") && head.len() < c.len()).then(|| head.to_string())
            })
            .unwrap_or_else(|| "指标表".to_string())
    }

    /// The indicator table's value for an indicator and period, with the row's place.
    fn table_value(&self, ind: IndicatorId, p: Period) -> Option<(f64, QuoteRef)> {
        let name = &self.model.indicators[ind].name;
        for (doc, table) in self.corpus.docs.iter().zip(&self.tables) {
            // The indicator table of the document, found by its header.
            if let Some(t) = table {
                let header = &t.rows.first()?.1;
                let want = p.chinese();
                let h = header
                    .iter()
                    .position(|c| c.replace(char::is_whitespace, "") == want)?;
                let from_right = header.len() - 1 - h;
                let (line, row) = t
                    .rows
                    .iter()
                    .skip(1)
                    .filter(|(_, r)| r.iter().any(|c| similarity(c, name) >= 0.8))
                    .max_by(|a, b| {
                        let s = |r: &Vec<String>| {
                            r.iter().map(|c| similarity(c, name)).fold(0.0, f64::max)
                        };
                        s(&a.1).total_cmp(&s(&b.1))
                    })?;
                let cell = row.get(row.len().checked_sub(1 + from_right)?)?;
                let v: f64 = cell.trim().parse().ok()?;
                let text = ingest::row_text(row);
                return Some((
                    v,
                    QuoteRef {
                        text,
                        file: doc.name.clone(),
                        line: *line,
                    },
                ));
            }
        }
        None
    }

    /// `2021年、2022年…<name>分别为a、b…`: values against the data; and the
    /// averages and totals stated right after them.
    fn statements(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        let mut i = 0;
        while i < t.len() {
            if !t.is_char_boundary(i) {
                i += 1;
                continue;
            }
            // A list of periods, or `“十四五”前半程` / `前两年` (the plan's first years).
            let (periods, after) = match periods_at(t, i) {
                Some((p, a)) if i == 0 || !t.as_bytes()[i - 1].is_ascii_digit() => (Some(p), a),
                _ => {
                    let first = ["前半程，", "前两年", "前半程"]
                        .iter()
                        .find(|k| t[i..].starts_with(*k));
                    match first {
                        Some(k) => (None, i + k.len()),
                        None => {
                            i += t[i..].chars().next().map_or(1, char::len_utf8);
                            continue;
                        }
                    }
                }
            };
            let (_, sentence_end) = text::sentence_around(t, after.min(t.len().saturating_sub(1)));
            let mut cursor = after;
            // Where the name of the next statement starts.
            let mut name_from = after;
            // Several statements may share the periods: `A分别为…，B分别为…`.
            while cursor < sentence_end {
                let Some((verb_at, verb)) = VERBS
                    .iter()
                    .filter_map(|v| t[cursor..sentence_end].find(v).map(|k| (cursor + k, *v)))
                    .min_by_key(|x| (x.0, std::cmp::Reverse(x.1.len())))
                else {
                    break;
                };
                let vstart = verb_at + verb.len();
                let Some((values, vend)) = values_at(t, vstart) else {
                    // `增长率分别为`: a verb inside the name; look further.
                    cursor = vstart;
                    continue;
                };
                // `累计增长2.67%`, `年均增长6.6%`: a figure derived from the
                // values, not the values.
                if ["累计", "年均", "同比"]
                    .iter()
                    .any(|w| t[..verb_at].ends_with(w))
                    || (periods.is_none() && values.len() < 2)
                {
                    cursor = vend;
                    continue;
                }
                // The name: the last clause before the verb.
                let before = &t[name_from..verb_at];
                let name = before.rsplit(['，', '。', '；']).next().unwrap_or(before);
                let plan = self.model.plan.start;
                let ps: Vec<Period> = match &periods {
                    Some(p) => p
                        .iter()
                        .map(|&(y, h)| Period {
                            year: y,
                            half: u8::from(h),
                        })
                        .collect(),
                    None => (0..values.len() as i32)
                        .map(|k| Period::year(plan + k))
                        .collect(),
                };
                if let Some(ind) = self.indicator_named(name) {
                    if ps.len() == values.len() {
                        self.compare_values(para, verb_at, ind, &ps, &values, out);
                    }
                    self.derived_after(para, ind, &values, vend, sentence_end, out);
                }
                cursor = vend;
                name_from = vend;
            }
            i = after.max(i + 1);
        }
    }

    fn compare_values(
        &self,
        para: &Para,
        at: usize,
        ind: IndicatorId,
        ps: &[Period],
        values: &[Num],
        out: &mut Vec<Finding>,
    ) {
        let indicator = &self.model.indicators[ind];
        for (p, v) in ps.iter().zip(values) {
            // The text's unit, in the indicator's (万人 from 人).
            let factor = if v.unit.is_empty() || v.unit == "%" || v.unit == "个百分点" {
                Some(1.0)
            } else {
                indicator.unit.factor_from(&Unit::parse(&v.unit))
            };
            let Some(factor) = factor else { continue };
            let said = v.value * factor;
            let tol = v.tolerance() * factor;
            let table = self.table_value(ind, *p);
            let declared = self.declared(ind, *p);
            let (expected, other) = match (declared, &table) {
                (Some(d), _) => (
                    d,
                    table
                        .as_ref()
                        .map(|t| t.1.clone())
                        .or_else(|| self.declaration_quote(ind, *p)),
                ),
                (None, Some((tv, q))) => (*tv, Some(q.clone())),
                _ => continue,
            };
            if (said - expected).abs() > tol {
                let mut quotes = vec![para.quote(at)];
                quotes.extend(other);
                out.push(Finding {
                    kind: FindingKind::StatedValue,
                    indicator: Some(indicator.name.clone()),
                    period: Some(p.to_string()),
                    expected: num(expected),
                    found: num(said),
                    quotes,
                    message: format!(
                        "{}{}：正文为{}{}，数据为{}{}",
                        indicator.name,
                        p.chinese(),
                        fmt_num(v.value),
                        v.unit,
                        fmt_num(expected),
                        indicator.unit.text
                    ),
                });
            }
            // The declared data against 附件1.
            if let (Some(d), Some((tv, q))) = (declared, &table) {
                if (d - tv).abs() > 1e-9 {
                    out.push(Finding {
                        kind: FindingKind::StatedValue,
                        indicator: Some(indicator.name.clone()),
                        period: Some(p.to_string()),
                        expected: num(*tv),
                        found: num(d),
                        quotes: vec![q.clone()],
                        message: format!(
                            "{}{}：规则数据为{}，{}为{}",
                            indicator.name,
                            p.chinese(),
                            fmt_num(d),
                            self.table_label(),
                            fmt_num(*tv)
                        ),
                    });
                }
            }
        }
    }

    fn declaration_quote(&self, ind: IndicatorId, p: Period) -> Option<QuoteRef> {
        let o = self.model.indicators[ind]
            .observations
            .iter()
            .find(|o| o.period == p)?;
        let q = o.source.as_ref()?;
        let places = self.quote_places.get_or_init(|| {
            let quotes: Vec<&str> = self
                .model
                .indicators
                .iter()
                .flat_map(|i| {
                    i.observations
                        .iter()
                        .filter_map(|o| o.source.as_ref().map(|q| &*q.text))
                })
                .collect();
            quotes
                .iter()
                .zip(self.corpus.locate_all(&quotes))
                .filter_map(|(q, l)| {
                    l.map(|l| {
                        (
                            q.to_string(),
                            QuoteRef {
                                text: q.to_string(),
                                file: l.doc,
                                line: l.line,
                            },
                        )
                    })
                })
                .collect()
        });
        places.get(&*q.text).cloned()
    }

    /// `…，年均增长10.85%`, `…，累计城镇新增就业人数20582人` right after a list.
    fn derived_after(
        &self,
        para: &Para,
        ind: IndicatorId,
        values: &[Num],
        from: usize,
        to: usize,
        out: &mut Vec<Finding>,
    ) {
        let t = para.text;
        let clause_end = t[from..to].find(['；']).map_or(to, |k| from + k);
        let tail = &t[from..clause_end];
        let name = &self.model.indicators[ind].name;
        for (key, what) in [("年均增长", "mean"), ("年均提高", "mean"), ("累计", "sum")] {
            let Some(k) = tail.find(key) else { continue };
            let after = from + k + key.len();
            // The figure is the first number after the key word.
            let Some(n) = numbers(&t[after..clause_end]).into_iter().next() else {
                continue;
            };
            let stated = number_at(t, after + n.start).expect("found above");
            let xs: Vec<f64> = values.iter().map(|v| v.value).collect();
            if xs.len() < 2 {
                continue;
            }
            let (candidates, label): (Vec<f64>, &str) = match what {
                "mean" => {
                    let arith = xs.iter().sum::<f64>() / xs.len() as f64;
                    let geo = (xs
                        .iter()
                        .map(|x| 1.0 + x / 100.0)
                        .product::<f64>()
                        .powf(1.0 / xs.len() as f64)
                        - 1.0)
                        * 100.0;
                    (vec![geo, arith], "平均")
                }
                _ => {
                    let unit_factor = Unit::parse(&stated.unit)
                        .factor_from(&Unit::parse(&values[0].unit))
                        .unwrap_or(1.0);
                    (vec![xs.iter().sum::<f64>() * unit_factor], "合计")
                }
            };
            if !candidates
                .iter()
                .any(|c| (c - stated.value).abs() <= stated.tolerance())
            {
                out.push(Finding {
                    kind: FindingKind::DerivedValue,
                    indicator: Some(name.clone()),
                    period: None,
                    expected: num(candidates[0]),
                    found: num(stated.value),
                    quotes: vec![para.quote(after)],
                    message: format!(
                        "{name}：所列数值{}{}为{}，正文为{}",
                        xs.iter()
                            .map(|x| fmt_num(*x))
                            .collect::<Vec<_>>()
                            .join("、"),
                        label,
                        fmt_num((candidates[0] * 100.0).round() / 100.0),
                        fmt_num(stated.value)
                    ),
                });
            }
        }
    }

    /// `…同比增长52%` beside the value of the year before; `较上年提升0.55个百分点`.
    fn changes(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        // (year, series words, value) for `YYYY年…<words><value>`.
        let mut series: Vec<(i32, String, Num)> = Vec::new();
        let mut i = 0;
        while let Some(k) = t[i..].find('年') {
            let at = i + k;
            i = at + '年'.len_utf8();
            if at < 4 || !t.is_char_boundary(at - 4) {
                continue;
            }
            let Ok(year) = t[at - 4..at].parse::<i32>() else {
                continue;
            };
            let clause_end = t[at..].find(['，', '。', '；']).map_or(t.len(), |e| at + e);
            let seg = &t[at + '年'.len_utf8()..clause_end];
            if let Some(n) = numbers(seg)
                .into_iter()
                .find(|n| !n.unit.is_empty() && n.unit != "年")
            {
                let words: String = seg[..n.start]
                    .chars()
                    .filter(|c| !c.is_ascii_digit() && !"-.".contains(*c))
                    .collect();
                let base = at + '年'.len_utf8();
                series.push((
                    year,
                    words,
                    Num {
                        start: base + n.start,
                        end: base + n.end,
                        ..n
                    },
                ));
            }
        }
        for (year, words, v) in &series {
            let rest = &t[v.end..];
            let rest = rest.trim_start_matches(['，', ' ']);
            let offset = t.len() - rest.len();
            let Some(kind) = ["同比增长", "同比下降", "同比"]
                .iter()
                .find(|k| rest.starts_with(*k))
            else {
                continue;
            };
            let Some(stated) = number_at(t, offset + kind.len()) else {
                continue;
            };
            if stated.unit != "%" {
                continue;
            }
            let Some((_, _, prev)) = series.iter().find(|(y, w, n)| {
                *y == year - 1 && similarity(w, words) >= 0.6 && n.unit == v.unit
            }) else {
                continue;
            };
            if prev.value == 0.0 {
                continue;
            }
            let sign = if *kind == "同比下降" { -1.0 } else { 1.0 };
            let computed = (v.value / prev.value - 1.0) * 100.0;
            if (computed - sign * stated.value).abs() > stated.tolerance() {
                out.push(Finding {
                    kind: FindingKind::DerivedValue,
                    indicator: None,
                    period: Some(year.to_string()),
                    expected: num(computed),
                    found: num(sign * stated.value),
                    quotes: vec![para.quote(prev.start), para.quote(v.start)],
                    message: format!(
                        "{}：{}年{}{}、{}年{}{}，同比应为{:.1}%，正文为{}%",
                        words.trim_matches(['，', ' ']),
                        year - 1,
                        fmt_num(prev.value),
                        prev.unit,
                        year,
                        fmt_num(v.value),
                        v.unit,
                        computed,
                        fmt_num(sign * stated.value)
                    ),
                });
            }
        }
        // `…为64.54%，较上年提升0.55个百分点` for an indicator.
        for key in ["较上年提升", "较上年提高", "比上年提高", "较上年增加"] {
            let mut from = 0;
            while let Some(k) = t[from..].find(key) {
                let at = from + k;
                from = at + key.len();
                let Some(delta) = number_at(t, at + key.len()) else {
                    continue;
                };
                let (s, _) = text::sentence_around(t, at);
                let Some((periods, after)) = (s..at)
                    .filter(|&j| t.is_char_boundary(j))
                    .find_map(|j| periods_at(t, j))
                else {
                    continue;
                };
                let (year, _) = periods[0];
                let Some(ind) =
                    self.indicator_named(t[after..at].split(['为', '达']).next().unwrap_or(""))
                else {
                    continue;
                };
                let (Some(now), Some(before)) = (
                    self.declared(ind, Period::year(year)),
                    self.declared(ind, Period::year(year - 1)),
                ) else {
                    continue;
                };
                if ((now - before) - delta.value).abs() > delta.tolerance() {
                    let name = &self.model.indicators[ind].name;
                    out.push(Finding {
                        kind: FindingKind::DerivedValue,
                        indicator: Some(name.clone()),
                        period: Some(year.to_string()),
                        expected: num(now - before),
                        found: num(delta.value),
                        quotes: vec![para.quote(at)],
                        message: format!(
                            "{name}：{}年{}、{}年{}，变化应为{}，正文为{}",
                            year - 1,
                            fmt_num(before),
                            year,
                            fmt_num(now),
                            fmt_num(((now - before) * 100.0).round() / 100.0),
                            fmt_num(delta.value)
                        ),
                    });
                }
            }
        }
    }

    /// `10亿元，占年度目标14亿的70%`.
    fn shares_of_totals(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        let mut from = 0;
        while let Some(k) = t[from..].find('占') {
            let at = from + k;
            from = at + '占'.len_utf8();
            let clause_end = t[at..].find(['，', '。', '；']).map_or(t.len(), |e| at + e);
            let seg = &t[at..clause_end];
            let Some(de) = seg.find('的') else { continue };
            let nums_before_de = numbers(&seg[..de]);
            let Some(total) = nums_before_de.last() else {
                continue;
            };
            let Some(share) = number_at(t, at + de + '的'.len_utf8()) else {
                continue;
            };
            if share.unit != "%" {
                continue;
            }
            // The part: the last number before `占` in the same sentence.
            let (s, _) = text::sentence_around(t, at);
            let Some(part) = numbers(&t[s..at]).into_iter().last() else {
                continue;
            };
            if total.value == 0.0 || part.unit.is_empty() {
                continue;
            }
            let computed = part.value / total.value * 100.0;
            if (computed - share.value).abs() > share.tolerance() {
                out.push(Finding {
                    kind: FindingKind::DerivedValue,
                    indicator: None,
                    period: None,
                    expected: num(computed),
                    found: num(share.value),
                    quotes: vec![para.quote(at)],
                    message: format!(
                        "{}{}占{}的比例应为{:.1}%，正文为{}%",
                        fmt_num(part.value),
                        part.unit,
                        fmt_num(total.value),
                        computed,
                        fmt_num(share.value)
                    ),
                });
            }
        }
    }

    /// Counts and shares of the summary paragraph against the indicators
    /// and their verdicts.
    fn summary(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        let m = self.model;
        if !t.contains("项指标")
            && !m
                .plan
                .attributes
                .iter()
                .any(|a| t.contains(&format!("项{a}指标")))
        {
            return;
        }
        let ev = self.evaluation();
        let top: Vec<_> = ev
            .verdicts
            .iter()
            .filter(|v| m.indicators[v.indicator].parent.is_none())
            .collect();
        let class = |c: StatusClass| {
            top.iter()
                .filter(|v| m.statuses[v.status].class == c)
                .count()
        };
        let attr = |a: &str| {
            top.iter()
                .filter(|v| m.indicators[v.indicator].attribute == a)
                .count()
        };
        let total = top.len();
        let mut stated_total: Option<usize> = None;
        let nums = numbers(t);
        for (k, n) in nums.iter().enumerate() {
            let Some(rest) = t[n.start..].strip_prefix(&format!("{}", n.value as i64)) else {
                continue;
            };
            if !rest.starts_with('项') || n.decimals != 0 {
                continue;
            }
            let end = nums
                .get(k + 1)
                .map_or(t.len(), |x| x.start)
                .min(t[n.start..].find('。').map_or(t.len(), |e| n.start + e));
            let ctx = &t[n.start..end];
            let before = &t[t[..n.start].rfind(['，', '。']).map_or(0, |p| p + 3)..n.start];
            let said = n.value as usize;
            // Status and attribute words are the rules' own; a word of a
            // class counts its class unless the paragraph also names
            // another word of that class (then it counts itself).
            let status_hit = |want: StatusClass| {
                m.statuses
                    .iter()
                    .filter(|st| st.method.is_none() && st.class == want)
                    .find(|st| ctx.contains(st.name.as_str()))
                    .map(|st| {
                        let alone = !m.statuses.iter().any(|o| {
                            o.method.is_none()
                                && o.class == want
                                && o.name != st.name
                                && t.contains(o.name.as_str())
                        });
                        let n = if alone {
                            class(want)
                        } else {
                            top.iter()
                                .filter(|v| m.statuses[v.status].name == st.name)
                                .count()
                        };
                        (format!("{}的指标", st.name), n)
                    })
            };
            let attribute_hit = || {
                m.plan
                    .attributes
                    .iter()
                    .find(|a| before.contains(a.as_str()) || ctx.starts_with(&format!("项{a}")))
                    .map(|a| (format!("{a}指标"), attr(a)))
            };
            let hit = if before.contains("共") && ctx.contains("指标") {
                stated_total = Some(said);
                Some(("指标总数".to_string(), total))
            } else {
                status_hit(StatusClass::Behind)
                    .or_else(|| {
                        status_hit(StatusClass::NoData).or_else(|| {
                            ctx.contains("没有数据")
                                .then(|| ("暂无数据的指标".to_string(), class(StatusClass::NoData)))
                        })
                    })
                    .or_else(|| {
                        (ctx.contains("达到或超过") || ctx.contains("完成较好")).then(|| {
                            (
                                "达到或超过预期进度的指标".to_string(),
                                class(StatusClass::Ahead) + class(StatusClass::OnTrack),
                            )
                        })
                    })
                    .or_else(|| {
                        status_hit(StatusClass::Ahead).or_else(|| {
                            ctx.contains("超过预期").then(|| {
                                ("超过预期进度的指标".to_string(), class(StatusClass::Ahead))
                            })
                        })
                    })
                    .or_else(|| status_hit(StatusClass::OnTrack))
                    .or_else(attribute_hit)
            };
            let Some((what, expected)) = hit else {
                continue;
            };
            if said != expected {
                out.push(Finding {
                    kind: FindingKind::Summary,
                    indicator: None,
                    period: None,
                    expected: json!(expected),
                    found: json!(said),
                    quotes: vec![para.quote(n.start)],
                    message: format!("{what}：正文为{said}项，按各指标评估为{expected}项"),
                });
            }
            // `…，占比63.1%`: the share of the total.
            if let Some(p) = ctx.find("占比") {
                if let Some(share) = number_at(t, n.start + p + "占比".len()) {
                    let of = stated_total.unwrap_or(total) as f64;
                    let computed = said as f64 / of * 100.0;
                    if (computed - share.value).abs() > share.tolerance() {
                        out.push(Finding {
                            kind: FindingKind::Summary,
                            indicator: None,
                            period: None,
                            expected: num(computed),
                            found: num(share.value),
                            quotes: vec![para.quote(n.start + p)],
                            message: format!(
                                "{what}占比：{said}/{} = {:.2}%，四舍五入为{:.1}%，正文为{}%",
                                of,
                                computed,
                                computed,
                                fmt_num(share.value)
                            ),
                        });
                    }
                }
            }
        }
    }

    /// Figures the rules mark as `stated`, recomputed by the rules, and
    /// `低于预期n个百分点` (a behind status word and points) against the
    /// shortfall from schedule.
    fn stated_figures(&self, out: &mut Vec<Finding>) {
        let m = self.model;
        let ev = self.evaluation();
        for v in &ev.verdicts {
            let ind = &m.indicators[v.indicator];
            for s in v.stated.iter().filter(|s| s.differs()) {
                // Only figures stated in the documents being checked.
                let Some(quote) = s.source.as_ref().and_then(|q| {
                    self.corpus.locate(q).map(|l| QuoteRef {
                        text: q.clone(),
                        file: l.doc,
                        line: l.line,
                    })
                }) else {
                    continue;
                };
                out.push(Finding {
                    kind: FindingKind::DerivedValue,
                    indicator: Some(ind.name.clone()),
                    period: Some(s.as_of.to_string()),
                    expected: s.computed.map_or(Value::Null, num),
                    found: num(s.stated),
                    quotes: vec![quote],
                    message: format!(
                        "{}·{}（{}）：报告为{}，按所列数据计算为{}",
                        ind.name,
                        s.figure,
                        s.as_of.chinese(),
                        s.stated_text(),
                        s.computed.map_or("无法计算".to_string(), |c| fmt_num(
                            (c * 100.0).round() / 100.0
                        ))
                    ),
                });
            }
        }
        // `低于预期5.46个百分点`: is it the shortfall from the schedule?
        for (doc, ing) in self.corpus.docs.iter().zip(self.ingested) {
            for u in &ing.units {
                let t = &u.text;
                // `<a behind status word>n个百分点`.
                let behind: Vec<&str> = m
                    .statuses
                    .iter()
                    .filter(|st| st.method.is_none() && st.class == StatusClass::Behind)
                    .map(|st| st.name.as_str())
                    .collect();
                let mut hits: Vec<(usize, usize)> = behind
                    .iter()
                    .flat_map(|w| t.match_indices(w).map(|(i, w)| (i, w.len())))
                    .collect();
                hits.sort_unstable();
                for (at, len) in hits {
                    let Some(n) = number_at(t, at + len).filter(|n| n.unit == "个百分点")
                    else {
                        continue;
                    };
                    let head = &t[..at];
                    let Some(ind) = head
                        .split(['。', '，'])
                        .find_map(|c| self.indicator_named(c))
                    else {
                        continue;
                    };
                    let s = Series::new(m, ind, m.latest_period());
                    let (Some(path), Some((p, _, latest))) = (s.path(), s.latest()) else {
                        continue;
                    };
                    let short = path - latest;
                    if (short - n.value).abs() > n.tolerance() {
                        let name = &m.indicators[ind].name;
                        let gap = s
                            .gap()
                            .map(|g| {
                                format!(
                                    "；{}恰为距{}年目标的差距",
                                    if (g - n.value).abs() <= n.tolerance() {
                                        "该数"
                                    } else {
                                        "亦非"
                                    },
                                    m.plan.end
                                )
                            })
                            .unwrap_or_default();
                        out.push(Finding {
                            kind: FindingKind::DerivedValue,
                            indicator: Some(name.clone()),
                            period: Some(p.to_string()),
                            expected: num(short),
                            found: num(n.value),
                            quotes: vec![QuoteRef {
                                text: text::sentence_around(t, at)
                                    .pipe(|(s, e)| t[s..e].to_string()),
                                file: doc.name.clone(),
                                line: u.line,
                            }],
                            message: format!(
                                "{name}：{}为{}，时序进度应达{}，{}{:.2}个百分点，正文为{}{gap}",
                                p.chinese(),
                                fmt_num(latest),
                                fmt_num((path * 100.0).round() / 100.0),
                                &t[at..at + len],
                                short,
                                fmt_num(n.value)
                            ),
                        });
                    }
                }
            }
        }
    }
}

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

/// The chart data at the end of the export against the tables they draw.
fn table_chart(doc: &crate::corpus::Document, ing: &Ingested, out: &mut Vec<Finding>) {
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
fn figure_captions(doc: &crate::corpus::Document, ing: &Ingested, out: &mut Vec<Finding>) {
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

/// `…2022年为11.1%` in the paragraph before a table, against the table's
/// row (the row named last before the figure in its sentence) and column.
fn prose_against_tables(doc: &crate::corpus::Document, ing: &Ingested, out: &mut Vec<Finding>) {
    for t in ing.tables.iter().filter(|t| t.caption.starts_with('表')) {
        let Some((_, header)) = t.rows.first() else {
            continue;
        };
        let data: Vec<&(usize, Vec<String>)> = t.rows.iter().skip(1).collect();
        // The paragraph just before the table, in the same section.
        let Some(u) = ing
            .units
            .iter()
            .rev()
            .find(|u| u.line < t.line && u.kind == UnitKind::Paragraph)
        else {
            continue;
        };
        let text = &u.text;
        for n in numbers(text) {
            // `2022年42.9%`, `2022年为11.1%`: a year right before the figure.
            let head = &text[..n.start];
            let head = head
                .strip_suffix("为")
                .or_else(|| head.strip_suffix("是"))
                .unwrap_or(head);
            let Some(before_year) = head.strip_suffix('年') else {
                continue;
            };
            if before_year.len() < 4 || !before_year.is_char_boundary(before_year.len() - 4) {
                continue;
            }
            let year = &before_year[before_year.len() - 4..];
            if !year.chars().all(|c| c.is_ascii_digit()) || n.unit != "%" {
                continue;
            }
            let Some(col) = header.iter().position(|h| h == year) else {
                continue;
            };
            let (s, _) = text::sentence_around(text, n.start);
            let sentence = &text[s..n.start];
            // The row named last before the figure, or the only row.
            let row = data
                .iter()
                .filter_map(|r| {
                    r.1.first()
                        .filter(|name| !name.is_empty())
                        .and_then(|name| sentence.rfind(name.as_str()).map(|at| (at, r)))
                })
                .max_by_key(|x| x.0)
                .map(|x| x.1)
                .or(if data.len() == 1 { data.first() } else { None });
            let Some((line, cells)) = row else { continue };
            let Some(cell) = cells.get(col).and_then(|c| number_at(c.trim(), 0)) else {
                continue;
            };
            if (cell.value - n.value).abs() > cell.tolerance().max(n.tolerance()) {
                let row_text = ingest::row_text(cells);
                let (qs, qe) = text::sentence_around(text, n.start);
                out.push(Finding {
                    kind: FindingKind::StatedValue,
                    indicator: None,
                    period: Some(year.to_string()),
                    expected: num(cell.value),
                    found: num(n.value),
                    quotes: vec![
                        QuoteRef {
                            text: text[qs..qe].chars().take(120).collect(),
                            file: doc.name.clone(),
                            line: u.line,
                        },
                        QuoteRef {
                            text: format!("{} {}", t.caption, row_text),
                            file: doc.name.clone(),
                            line: *line,
                        },
                    ],
                    message: format!(
                        "{}·{}{}年：正文为{}%，{}中为{}",
                        t.caption
                            .trim_start_matches(|c: char| c == '表' || c.is_ascii_digit())
                            .trim(),
                        cells[0],
                        year,
                        fmt_num(n.value),
                        t.caption.split_whitespace().next().unwrap_or("表"),
                        cell.value
                    ),
                });
            }
        }
    }
}

/// Findings as text, grouped by indicator.
pub fn render(findings: &[Finding]) -> String {
    use std::fmt::Write as _;
    if findings.is_empty() {
        return "未发现矛盾 (no findings)\n".to_string();
    }
    let mut out = format!(
        "发现{}处不一致 ({} findings)\n",
        findings.len(),
        findings.len()
    );
    let mut groups: Vec<Option<String>> = Vec::new();
    for f in findings {
        if !groups.contains(&f.indicator) {
            groups.push(f.indicator.clone());
        }
    }
    for g in groups {
        let _ = writeln!(
            out,
            "\n== {}",
            g.clone()
                .unwrap_or_else(|| "其他 (not an indicator)".to_string())
        );
        for f in findings.iter().filter(|f| f.indicator == g) {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(out, "  [{kind}] {}", f.message);
            let _ = writeln!(
                out,
                "    应为 expected {}  文中 found {}",
                f.expected, f.found
            );
            for q in &f.quotes {
                let _ = writeln!(out, "    {}:{}  “{}”", q.file, q.line, q.text);
            }
        }
    }
    out
}
