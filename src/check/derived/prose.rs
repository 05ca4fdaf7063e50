//! Derived figures of free prose, not right after a series: means over a
//! stated span, changes beside the value of the year before, shares of
//! totals, a behind status with points against the shortfall.

use super::{
    figure_after, is_year, join, mean_candidates, rounding, total_factor, Pipe, MEAN_KEYS,
};
use crate::check::reading::Para;
use crate::check::text::{self, periods_at, similarity, Num};
use crate::check::{num, Ctx, Finding, FindingKind, QuoteRef};
use crate::eval::series::Series;
use crate::model::{fmt_num, Kind, StatusClass};
use crate::period::Period;

impl Ctx<'_> {
    /// `2021—2023年，全区地区生产总值年均增长6.2%`, `“十四五”前两年全区网络
    /// 零售额年均增长12.3%`: a mean over a stated span, of an indicator whose
    /// values for the span the data or the table give.
    pub(in crate::check) fn span_means(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        // Every key word of a mean has `均`: a paragraph without one has none.
        if !t.contains('均') {
            return;
        }
        for key in MEAN_KEYS {
            for (key_at, _) in t.match_indices(key) {
                let (s, e) = text::sentence_around(t, key_at);
                let Some(stated) = figure_after(para, key_at + key.len(), e) else {
                    continue;
                };
                if text::is_target(t, key_at, stated.end) {
                    continue;
                }
                let Some((years, span_end)) = self.span_before(t, s, key_at) else {
                    continue;
                };
                // Figures between the span and the mean: a series, read elsewhere.
                if para
                    .numbers_in(span_end, key_at)
                    .iter()
                    .any(|n| !is_year(t, n))
                {
                    continue;
                }
                let words = t[span_end..key_at].trim_start_matches(['，', '、', ' ']);
                let words = words.rsplit(['，', '；']).next().unwrap_or(words);
                let (_, ind) = self.subject(para, span_end, words);
                let Some(ind) = ind else { continue };
                let values: Option<Vec<f64>> = years
                    .iter()
                    .map(|&y| self.value_of(ind, Period::year(y)))
                    .collect();
                let Some(values) = values.filter(|v| v.len() >= 2) else {
                    continue;
                };
                let nums: Vec<Num> = values
                    .iter()
                    .map(|&v| Num {
                        value: v,
                        decimals: 4,
                        unit: stated.unit.clone(),
                        start: 0,
                        end: 0,
                    })
                    .collect();
                let base = self.value_of(ind, Period::year(years[0] - 1));
                let rates = self.model.indicators[ind].kind == Kind::Rate;
                let cands = mean_candidates(&nums, base, rates, &stated);
                if cands.iter().any(|c| c.agrees(&stated)) {
                    continue;
                }
                let c = cands[0].value;
                let name = &self.model.indicators[ind].name;
                out.push(Finding {
                    kind: FindingKind::DerivedValue,
                    indicator: Some(name.clone()),
                    period: years.last().map(|y| y.to_string()),
                    expected: num(c),
                    found: num(stated.value),
                    quotes: vec![para.quote(key_at)],
                    message: format!(
                        "{name}：所列数值{}平均为{}，正文为{}",
                        join(&values),
                        fmt_num((c * 100.0).round() / 100.0),
                        fmt_num(stated.value)
                    ),
                });
            }
        }
    }

    /// The span a mean is over, written before it in its sentence: a range
    /// of years (`2021—2023年`, `2021年至2023年`) or the plan's first years
    /// (`前两年`, `前三年`); with the byte after it.
    fn span_before(&self, t: &str, s: usize, to: usize) -> Option<(Vec<i32>, usize)> {
        let mut best: Option<(Vec<i32>, usize)> = None;
        let mut i = s;
        while i < to {
            if !t.is_char_boundary(i) {
                i += 1;
                continue;
            }
            if let Some((ps, e)) =
                text::periods_at(t, i).filter(|_| i == 0 || !t.as_bytes()[i - 1].is_ascii_digit())
            {
                if ps.len() >= 2 && ps.iter().all(|p| !p.1) && e <= to {
                    best = Some((ps.iter().map(|p| p.0).collect(), e));
                }
                i = e.max(i + 1);
                continue;
            }
            for (w, n) in [
                ("前两年", 2),
                ("前三年", 3),
                ("前四年", 4),
                ("头两年", 2),
                ("头三年", 3),
            ] {
                if t[i..].starts_with(w) && i + w.len() <= to {
                    let start = self.model.plan.start;
                    best = Some(((start..start + n).collect(), i + w.len()));
                }
            }
            i += 1;
        }
        best
    }

    /// `…同比增长52%` beside the value of the year before; `较上年提升0.55个百分点`.
    pub(in crate::check) fn changes(&self, para: &Para, out: &mut Vec<Finding>) {
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

    /// `10亿元，占年度目标14亿的70%`, `累计下降8.8%，完成五年累计下降13.5%目标的65.5%`,
    /// `累计完成投资171.6亿元，占总投资的60.1%` (the total named earlier in
    /// the paragraph), `支出54.3亿元，其中民生支出43.5亿元，占80.1%`.
    pub(in crate::check) fn shares_of_totals(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        for key in ["占", "完成"] {
            for (at, _) in t.match_indices(key) {
                // `占比` is a noun: `占比从31.6%降至29.8%`.
                if t[at + key.len()..].starts_with('比') {
                    continue;
                }
                self.share_at(para, at, key, out);
            }
        }
    }

    fn share_at(&self, para: &Para, at: usize, key: &str, out: &mut Vec<Finding>) {
        let t = para.text;
        let clause_end = t[at..].find(['，', '。', '；']).map_or(t.len(), |e| at + e);
        let (s, _) = text::sentence_around(t, at);
        // The part: the last figure before the key in the same sentence.
        let Some(part) = para
            .numbers_in(s, at)
            .iter()
            .rev()
            .find(|n| !is_year(t, n))
            .cloned()
        else {
            return;
        };
        if part.unit.is_empty() {
            return;
        }
        let (total, share) = match t[at..clause_end].find('的') {
            Some(de) => {
                let de = at + de;
                let Some(share) = para.number_at(de + '的'.len_utf8()) else {
                    return;
                };
                let named = para
                    .numbers_in(at, de)
                    .iter()
                    .rev()
                    .find(|n| !is_year(t, n))
                    .cloned();
                let total = match named {
                    Some(n) => n,
                    // `占总投资的`: the total named earlier in the paragraph.
                    None if key == "占" => {
                        let words = &t[at + key.len()..de];
                        if words.chars().count() < 2 {
                            return;
                        }
                        let Some(n) = t[..s]
                            .match_indices(words)
                            .chain(t[s..at].match_indices(words).map(|(k, w)| (s + k, w)))
                            .filter_map(|(k, w)| para.number_at(k + w.len()))
                            .last()
                        else {
                            return;
                        };
                        n
                    }
                    None => return,
                };
                (total, share)
            }
            // `其中民生支出43.5亿元，占80.1%`: of the figure before `其中`.
            None => {
                let Some(share) = para.number_at(at + key.len()) else {
                    return;
                };
                let Some(q) = t[s..at].rfind("其中") else {
                    return;
                };
                let Some(total) = para.numbers_in(s, s + q).last().cloned() else {
                    return;
                };
                (total, share)
            }
        };
        if share.unit != "%" || total.value == 0.0 {
            return;
        }
        let Some(f) = total_factor(&part.unit, &total.unit) else {
            return;
        };
        // A whole number (a count, a target) is taken as exact.
        let (tv, tt) = (total.value * f, rounding(&total) * f);
        let pt = rounding(&part);
        let computed = part.value / tv * 100.0;
        let lo = (part.value - pt) / (tv + tt) * 100.0;
        let hi = (part.value + pt) / (tv - tt) * 100.0;
        if share.value < lo - share.tolerance() || share.value > hi + share.tolerance() {
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

    /// `低于预期5.46个百分点`: is it the shortfall from the schedule?
    pub(in crate::check) fn behind_points(&self, para: &Para, out: &mut Vec<Finding>) {
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
