//! Stated values: `2021年、2022年…<name>分别为a、b…` read, matched to an
//! indicator by name, compared with the declared observations and the
//! indicator table's row; `2022年为11.1%` before a table, against the table.

use super::reading::Para;
use super::text::{self, number_at, periods_at, values_at, Num, VERBS};
use super::{num, Ctx, Finding, FindingKind, QuoteRef};
use crate::corpus::ingest::{self, Ingested, UnitKind};
use crate::model::{fmt_num, IndicatorId, Unit};
use crate::period::Period;

impl Ctx<'_> {
    /// `2021年、2022年…<name>分别为a、b…`: values against the data; and the
    /// averages and totals stated right after them.
    pub(super) fn statements(&self, para: &Para, out: &mut Vec<Finding>) {
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

    pub(super) fn declaration_quote(&self, ind: IndicatorId, p: Period) -> Option<QuoteRef> {
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
