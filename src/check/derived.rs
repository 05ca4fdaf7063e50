//! Derived values: averages, totals, shares and changes stated beside the
//! values they come from, recomputed with the rounding the written figure
//! allows; the figures the rules mark as `stated`; a behind status word
//! with points against the shortfall from schedule.

use super::reading::Para;
use super::text::{self, periods_at, similarity, Num};
use super::{num, Ctx, Finding, FindingKind, QuoteRef};
use crate::eval::series::Series;
use crate::model::{fmt_num, IndicatorId, StatusClass, Unit};
use crate::period::Period;
use serde_json::Value;

impl Ctx<'_> {
    /// `…，年均增长10.85%`, `…，累计城镇新增就业人数20582人` right after a list.
    pub(super) fn derived_after(
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
            let Some(stated) = para.numbers_in(after, clause_end).first().cloned() else {
                continue;
            };
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
    pub(super) fn changes(&self, para: &Para, out: &mut Vec<Finding>) {
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
            let base = at + '年'.len_utf8();
            if let Some(n) = para
                .numbers_in(base, clause_end)
                .iter()
                .find(|n| !n.unit.is_empty() && n.unit != "年")
            {
                let words: String = t[base..n.start]
                    .chars()
                    .filter(|c| !c.is_ascii_digit() && !"-.".contains(*c))
                    .collect();
                series.push((year, words, n.clone()));
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
            let Some(stated) = para.number_at(offset + kind.len()) else {
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
                let Some(delta) = para.number_at(at + key.len()) else {
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
    pub(super) fn shares_of_totals(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        let mut from = 0;
        while let Some(k) = t[from..].find('占') {
            let at = from + k;
            from = at + '占'.len_utf8();
            let clause_end = t[at..].find(['，', '。', '；']).map_or(t.len(), |e| at + e);
            let seg = &t[at..clause_end];
            let Some(de) = seg.find('的') else { continue };
            let nums_before_de = para.numbers_in(at, at + de);
            let Some(total) = nums_before_de.last() else {
                continue;
            };
            let Some(share) = para.number_at(at + de + '的'.len_utf8()) else {
                continue;
            };
            if share.unit != "%" {
                continue;
            }
            // The part: the last number before `占` in the same sentence.
            let (s, _) = text::sentence_around(t, at);
            let Some(part) = para.numbers_in(s, at).last() else {
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

    /// Figures the rules mark as `stated`, recomputed by the rules, and
    /// `低于预期n个百分点` (a behind status word and points) against the
    /// shortfall from schedule.
    pub(super) fn stated_figures(&self, out: &mut Vec<Finding>) {
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
    }

    /// `低于预期5.46个百分点`: is it the shortfall from the schedule?
    pub(super) fn behind_points(&self, para: &Para, out: &mut Vec<Finding>) {
        let m = self.model;
        let t = para.text;
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
            let Some(n) = para.number_at(at + len).filter(|n| n.unit == "个百分点") else {
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
                        text: text::sentence_around(t, at).pipe(|(s, e)| t[s..e].to_string()),
                        file: para.file.to_string(),
                        line: para.line,
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

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}
