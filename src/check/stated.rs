//! Stated values: `2021年、2022年…<name>分别为a、b…` read, matched to an
//! indicator by name, compared with the declared observations and the
//! indicator table's row; `2022年为11.1%` before a table, against the table.

use super::reading::Para;
use super::text::{self, number_at, periods_at, values_at, Num};
use super::{num, Ctx, Finding, FindingKind, QuoteRef};
use crate::corpus::ingest::{self, Ingested, UnitKind};
use crate::model::{fmt_num, IndicatorId, Unit};
use crate::period::Period;

/// A statement of values for periods, read from the prose: `2021年、2022年
/// <subject>分别为a、b`.
pub(super) struct SeriesRead {
    /// Its subject as written (maybe carried from before).
    pub subject: String,
    /// The indicator the subject is, if one is.
    pub ind: Option<IndicatorId>,
    /// The periods, one per value when the text gives them.
    pub periods: Vec<Period>,
    /// The values.
    pub values: Vec<Num>,
    /// The verb joining them (`分别为`, `分别增长`, …).
    pub verb: &'static str,
    /// Byte after the values.
    pub end: usize,
    /// End of the sentence.
    pub sentence_end: usize,
}

/// Values read for one indicator in one sentence, not yet compared: the
/// indicator, the sentence's end, where the first verb stands, the periods
/// and the values.
type Pending = (IndicatorId, usize, usize, Vec<Period>, Vec<Num>);

impl Ctx<'_> {
    /// `2021年、2022年…<name>分别为a、b…`: values against the data; and the
    /// averages, totals, shares and changes stated right after them. The
    /// subject of a statement that does not name one is carried as a reader
    /// carries it: from the words before the periods, the sentence before
    /// (`每万人口高价值发明专利拥有量。2021年、…分别为…`), the list item, the
    /// heading.
    pub(super) fn statements(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        // Statements of one indicator in one sentence, one period each
        // (`2021年为a、2022年为b`), compared together: a swap is one finding.
        let mut pending: Option<Pending> = None;
        let mut i = 0;
        while i < t.len() {
            // Periods start with a digit, the plan's first years with `前`:
            // other bytes are passed over unread.
            let rest = &t.as_bytes()[i..];
            if !rest[0].is_ascii_digit() && !rest.starts_with("前".as_bytes()) {
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
                let Some((verb_at, verb)) =
                    text::first_verb(&t[cursor..sentence_end]).map(|(k, v)| (cursor + k, v))
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
                // values, not the values; `需增长8.2%`: a requirement.
                if ["累计", "年均", "同比", "平均"]
                    .iter()
                    .any(|w| t[..verb_at].ends_with(w))
                    || text::is_target(t, verb_at, vend)
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
                let (subject, ind) = self.subject(para, i, name);
                let read = SeriesRead {
                    subject,
                    ind,
                    periods: ps,
                    values,
                    verb,
                    end: vend,
                    sentence_end,
                };
                if let Some(ind) = read.ind {
                    if read.periods.len() == read.values.len() {
                        match &mut pending {
                            Some((k, e, _, ps, vs))
                                if *k == ind
                                    && *e == sentence_end
                                    && !read.periods.iter().any(|p| ps.contains(p)) =>
                            {
                                ps.extend(read.periods.iter().copied());
                                vs.extend(read.values.iter().cloned());
                            }
                            _ => {
                                if let Some((k, _, at, ps, vs)) = pending.take() {
                                    self.compare_values(para, at, k, &ps, &vs, out);
                                }
                                pending = Some((
                                    ind,
                                    sentence_end,
                                    verb_at,
                                    read.periods.clone(),
                                    read.values.clone(),
                                ));
                            }
                        }
                    }
                }
                self.derived_after(para, &read, out);
                cursor = vend;
                name_from = vend;
            }
            i = after.max(i + 1);
        }
        if let Some((k, _, at, ps, vs)) = pending {
            self.compare_values(para, at, k, &ps, &vs, out);
        }
    }

    /// The subject of a statement whose periods start at `from` and whose
    /// own name (between the periods and the verb) is `name`: its words and
    /// the indicator they are, if one is.
    pub(super) fn subject(
        &self,
        para: &Para,
        from: usize,
        name: &str,
    ) -> (String, Option<IndicatorId>) {
        let t = para.text;
        if let Some(ind) = self.indicator_named(name) {
            return (name.to_string(), Some(ind));
        }
        if !text::is_blank_subject(name) {
            // A subject of its own, not an indicator: `全区接待游客`.
            return (name.to_string(), None);
        }
        // The words before the periods in the same clause: `城镇新增就业人数2021年至2023年…`.
        let clause = &t[..from];
        let clause = clause
            .rfind(['，', '。', '；', '：'])
            .map_or(clause, |k| &clause[k..])
            .trim_start_matches(['，', '。', '；', '：']);
        if !text::is_blank_subject(clause) {
            return (clause.to_string(), self.indicator_named(clause));
        }
        // The sentence before, when it is a subject of its own: `规模以上工业增加值增长。`.
        let (s, _) = text::sentence_around(t, from);
        if s > 0 {
            let (ps, _) = text::sentence_around(t, s - '。'.len_utf8());
            let prev = t[ps..s - '。'.len_utf8()].trim();
            let prev = text::strip_lead_number(prev);
            if prev.chars().count() <= 30 && !prev.bytes().any(|b| b.is_ascii_digit()) {
                if let Some(ind) = self.indicator_named(prev) {
                    return (prev.to_string(), Some(ind));
                }
            }
        }
        // The list item (`一是…`) the statement stands in.
        if let Some((_, label)) = ingest::items(t).into_iter().rev().find(|(k, _)| *k < from) {
            let label: String = label.chars().skip(2).collect();
            if let Some(ind) = self.indicator_named(&label) {
                return (label, Some(ind));
            }
        }
        // The heading it stands under.
        if let Some(h) = para.section.last() {
            let h = text::strip_lead_number(h);
            if let Some(ind) = self.indicator_named(h).filter(|&k| {
                let n = &self.model.indicators[k].name;
                h.contains(n.as_str()) || text::similarity(h, n) >= 0.7
            }) {
                return (h.to_string(), Some(ind));
            }
        }
        (String::new(), None)
    }

    pub(super) fn compare_values(
        &self,
        para: &Para,
        at: usize,
        ind: IndicatorId,
        ps: &[Period],
        values: &[Num],
        out: &mut Vec<Finding>,
    ) {
        let indicator = &self.model.indicators[ind];
        // Each value that differs: (period, said, tolerance, expected, finding,
        // said and expected as written with their units).
        #[allow(clippy::type_complexity)]
        let mut differ: Vec<(Period, f64, f64, f64, Finding, String, String)> = Vec::new();
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
                differ.push((
                    *p,
                    said,
                    tol,
                    expected,
                    Finding {
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
                    },
                    format!("{}{}", fmt_num(v.value), v.unit),
                    format!("{}{}", fmt_num(expected), indicator.unit.text),
                ));
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
        // Two periods whose values trade places are one swap, not two errors.
        let mut used = vec![false; differ.len()];
        for i in 0..differ.len() {
            let Some(j) = (i + 1..differ.len()).find(|&j| {
                let (a, b) = (&differ[i], &differ[j]);
                !used[j] && (a.1 - b.3).abs() <= a.2 && (b.1 - a.3).abs() <= b.2
            }) else {
                continue;
            };
            if used[i] {
                continue;
            }
            used[i] = true;
            used[j] = true;
            let (a, b) = (&differ[i], &differ[j]);
            let mut quotes = a.4.quotes.clone();
            for q in b.4.quotes.iter().skip(1) {
                if !quotes.contains(q) {
                    quotes.push(q.clone());
                }
            }
            out.push(Finding {
                kind: FindingKind::StatedValue,
                indicator: Some(indicator.name.clone()),
                period: Some(format!("{},{}", a.0, b.0)),
                expected: serde_json::json!([num(a.3), num(b.3)]),
                found: serde_json::json!([num(a.1), num(b.1)]),
                quotes,
                message: crate::messages::in_chinese(&format!(
                    "{}: the values of {} and {} are swapped: the text says {} and {}, the data {} and {}",
                    indicator.name,
                    a.0.chinese(),
                    b.0.chinese(),
                    a.5,
                    b.5,
                    a.6,
                    b.6,
                )),
            });
        }
        for (k, d) in differ.into_iter().enumerate() {
            if !used[k] {
                out.push(d.4);
            }
        }
    }

    pub(super) fn declaration_quote(&self, ind: IndicatorId, p: Period) -> Option<QuoteRef> {
        let o = self.model.indicators[ind]
            .observations
            .iter()
            .find(|o| o.period == p)?;
        let q = o.source.as_ref()?;
        self.located(&q.text).map(|l| QuoteRef {
            text: q.text.to_string(),
            file: l.doc,
            line: l.line,
        })
    }
}

/// `…2022年为11.1%` in the paragraph before a table, against the table's
/// row (the row named last before the figure in its sentence) and column.
pub(super) fn prose_against_tables(
    doc: &crate::corpus::Document,
    ing: &Ingested,
    paras: &[Para],
    out: &mut Vec<Finding>,
) {
    for t in ing.tables.iter().filter(|t| t.caption.starts_with('表')) {
        let Some((_, header)) = t.rows.first() else {
            continue;
        };
        let data: Vec<&(usize, Vec<String>)> = t.rows.iter().skip(1).collect();
        // The paragraph just before the table, in the same section.
        let Some(u) = paras
            .iter()
            .rev()
            .find(|u| u.line < t.line && u.kind == UnitKind::Paragraph)
        else {
            continue;
        };
        let text = u.text;
        for n in &u.nums {
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
