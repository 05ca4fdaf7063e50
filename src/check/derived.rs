//! Derived values: averages, totals, shares and changes stated beside the
//! values they come from, recomputed with the rounding the written figure
//! allows; the figures the rules mark as `stated`; a behind status word
//! with points against the shortfall from schedule.

use super::reading::Para;
use super::stated::SeriesRead;
use super::text::{self, periods_at, similarity, Num};
use super::{num, Ctx, Finding, FindingKind, QuoteRef};
use crate::eval::series::Series;
use crate::model::{fmt_num, IndicatorId, Kind, StatusClass, Unit};
use crate::period::Period;
use serde_json::Value;

impl Ctx<'_> {
    /// What a series' own sentence derives from it right after its values:
    /// `…，三年平均增长6.2%` (a mean of rates, or the yearly change of
    /// levels), `…，累计2.93万人` (a total), `…，2023年同比增长29.6%` (the
    /// change between two of its periods), `…，完成五年目标任务的78.3%` (a
    /// share of the indicator's target). Targets and requirements
    /// (`低于年均增长7%的规划目标`) are not claims and are left alone.
    pub(super) fn derived_after(&self, para: &Para, s: &SeriesRead, out: &mut Vec<Finding>) {
        let t = para.text;
        let to = s.sentence_end;
        let clause_end = t[s.end..to].find('；').map_or(to, |k| s.end + k);
        let name = self.series_name(s);
        let xs: Vec<f64> = s.values.iter().map(|v| v.value).collect();
        // A mean: the figure right after its key word.
        let mut handled = Vec::new();
        for key in MEAN_KEYS {
            for (k, _) in t[s.end..clause_end].match_indices(key) {
                let key_at = s.end + k;
                let Some(stated) = figure_after(para, key_at + key.len(), clause_end) else {
                    continue;
                };
                if handled.contains(&stated.start) || text::is_target(t, key_at, stated.end) {
                    continue;
                }
                handled.push(stated.start);
                if xs.len() < 2 {
                    continue;
                }
                let base = s.ind.and_then(|ind| {
                    let first = *s.periods.first()?;
                    self.value_of(ind, Period::year(first.year - 1))
                });
                let rates = self.is_rate_series(s);
                let cands = mean_candidates(&s.values, base, rates, &stated);
                if !cands.iter().any(|c| c.agrees(&stated)) {
                    let c = cands[0].value;
                    out.push(Finding {
                        kind: FindingKind::DerivedValue,
                        indicator: s.ind.map(|k| self.model.indicators[k].name.clone()),
                        period: s.periods.last().map(Period::to_string),
                        expected: num(c),
                        found: num(stated.value),
                        quotes: vec![para.quote(key_at)],
                        message: format!(
                            "{name}：所列数值{}平均为{}，正文为{}",
                            join(&xs),
                            fmt_num((c * 100.0).round() / 100.0),
                            fmt_num(stated.value)
                        ),
                    });
                }
            }
        }
        // A total: `累计…2.93万人`, with the values of further periods stated
        // between the list and the total (`2024年上半年新增4500人`).
        let mut summed = None;
        if let Some(k) = t[s.end..clause_end].find("累计") {
            let key_at = s.end + k;
            let after = key_at + "累计".len();
            let change = ["增长", "下降", "提高", "减少"]
                .iter()
                .any(|w| t[after..].starts_with(w));
            if let Some(stated) = para.numbers_in(after, clause_end).first() {
                let extra = self.further_values(para, s, key_at);
                if xs.len() >= 2 && !change && !text::is_target(t, key_at, stated.end) {
                    if let Some(extra) = extra {
                        summed = self.total(para, s, &name, stated, &extra, key_at, out);
                    }
                }
            }
        }
        // `2023年同比增长29.6%`: the change between two of its periods.
        self.series_change(para, s, &name, clause_end, out);
        // `完成五年目标任务的78.3%`: the share of the indicator's target.
        self.share_of_target(para, s, clause_end, summed, out);
    }

    /// `2021—2023年，全区地区生产总值年均增长6.2%`, `“十四五”前两年全区网络
    /// 零售额年均增长12.3%`: a mean over a stated span, of an indicator whose
    /// values for the span the data or the table give.
    pub(super) fn span_means(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
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

    /// The series' name for a message: its indicator's, else its own words.
    fn series_name(&self, s: &SeriesRead) -> String {
        match s.ind {
            Some(k) => self.model.indicators[k].name.clone(),
            None => {
                let mut n = s.subject.trim_matches(|c: char| "，、。；：".contains(c));
                for w in ["全区", "全市", "全县", "全省", "全镇"] {
                    n = n.strip_prefix(w).unwrap_or(n);
                }
                n.to_string()
            }
        }
    }

    /// Whether a series is of growth rates (its mean is a mean of its
    /// values) rather than of levels.
    fn is_rate_series(&self, s: &SeriesRead) -> bool {
        match s.ind {
            Some(k) => self.model.indicators[k].kind == Kind::Rate,
            None => {
                s.values.iter().all(|v| v.unit == "%")
                    && ["增长", "下降", "增速"]
                        .iter()
                        .any(|w| s.verb.contains(w) || s.subject.ends_with(w))
            }
        }
    }

    /// A value of an indicator for a period: declared, else the table's,
    /// else its baseline.
    pub(super) fn value_of(&self, ind: IndicatorId, p: Period) -> Option<f64> {
        let i = &self.model.indicators[ind];
        self.declared(ind, p)
            .or_else(|| self.table_value(ind, p).map(|x| x.0))
            .or_else(|| {
                i.baseline
                    .as_ref()
                    .filter(|b| b.period == p)
                    .and_then(|b| b.value)
            })
    }

    /// The values of further periods stated between a series and the total
    /// that follows it (`，2024年上半年新增4500人，累计…`), or `None` when
    /// a figure of the series' unit stands there without a period (the
    /// total may not be of the series alone).
    fn further_values(&self, para: &Para, s: &SeriesRead, to: usize) -> Option<Vec<Num>> {
        let t = para.text;
        let unit = &s.values.last()?.unit;
        let mut extra = Vec::new();
        for n in para.numbers_in(s.end, to) {
            if n.unit == "年" || (n.unit.is_empty() && t[n.end..].starts_with('年')) {
                continue;
            }
            if Unit::parse(&n.unit)
                .factor_from(&Unit::parse(unit))
                .is_none()
            {
                continue;
            }
            // A period right before it, in the same clause.
            let head = &t[s.end..n.start];
            let clause = head.rsplit(['，', '；']).next().unwrap_or(head);
            if !clause.contains('年') {
                return None;
            }
            extra.push(n.clone());
        }
        Some(extra)
    }

    #[allow(clippy::too_many_arguments)]
    fn total(
        &self,
        para: &Para,
        s: &SeriesRead,
        name: &str,
        stated: &Num,
        extra: &[Num],
        key_at: usize,
        out: &mut Vec<Finding>,
    ) -> Option<Num> {
        let into = Unit::parse(&stated.unit);
        let mut sum = 0.0;
        let mut slack = 0.0;
        for v in s.values.iter().chain(extra) {
            let f = into.factor_from(&Unit::parse(&v.unit)).unwrap_or(1.0);
            sum += v.value * f;
            slack += v.tolerance() * f;
        }
        if (sum - stated.value).abs() > stated.tolerance() + slack {
            let all: Vec<f64> = s.values.iter().chain(extra).map(|v| v.value).collect();
            out.push(Finding {
                kind: FindingKind::DerivedValue,
                indicator: s.ind.map(|k| self.model.indicators[k].name.clone()),
                period: None,
                expected: num(sum),
                found: num(stated.value),
                quotes: vec![para.quote(key_at)],
                message: format!(
                    "{name}：所列数值{}合计为{}，正文为{}",
                    join(&all),
                    fmt_num((sum * 100.0).round() / 100.0),
                    fmt_num(stated.value)
                ),
            });
        }
        // The sum the values give, in the stated unit and rounding: what a
        // share of the target that follows may have been computed from.
        Some(Num {
            value: sum,
            decimals: stated.decimals,
            unit: stated.unit.clone(),
            start: stated.start,
            end: stated.end,
        })
    }

    /// `2022年、2023年…分别为1260万人次、1685万人次，2023年同比增长29.6%`.
    fn series_change(
        &self,
        para: &Para,
        s: &SeriesRead,
        name: &str,
        clause_end: usize,
        out: &mut Vec<Finding>,
    ) {
        let t = para.text;
        // Only levels have a change between periods; and each value its period.
        if s.values.len() != s.periods.len()
            || s.values
                .iter()
                .any(|v| v.unit == "%" || v.unit == "个百分点")
        {
            return;
        }
        for key in CHANGE_KEYS {
            let Some(k) = t[s.end..clause_end].find(key) else {
                continue;
            };
            let key_at = s.end + k;
            let Some(stated) = figure_after(para, key_at + key.len(), clause_end) else {
                continue;
            };
            if stated.unit != "%" {
                continue;
            }
            // The year: written before the key, else the series' last.
            let head = t[s.end..key_at].trim_end_matches(['，', ' ']);
            let year = head
                .strip_suffix('年')
                .and_then(|h| h.get(h.len().checked_sub(4)?..))
                .and_then(|y| y.parse::<i32>().ok())
                .or_else(|| s.periods.last().filter(|p| p.half == 0).map(|p| p.year));
            let Some(year) = year else { continue };
            let at = |y: i32| {
                s.periods
                    .iter()
                    .position(|p| *p == Period::year(y))
                    .map(|k| &s.values[k])
            };
            let (Some(now), Some(prev)) = (at(year), at(year - 1)) else {
                continue;
            };
            if prev.value == 0.0 || now.unit != prev.unit {
                continue;
            }
            let sign = if key.contains("下降") { -1.0 } else { 1.0 };
            let ratio = |a: f64, b: f64| (a / b - 1.0) * 100.0;
            let c = ratio(now.value, prev.value);
            let lo = ratio(now.value - now.tolerance(), prev.value + prev.tolerance());
            let hi = ratio(now.value + now.tolerance(), prev.value - prev.tolerance());
            let said = sign * stated.value;
            if said < lo - stated.tolerance() || said > hi + stated.tolerance() {
                out.push(Finding {
                    kind: FindingKind::DerivedValue,
                    indicator: s.ind.map(|k| self.model.indicators[k].name.clone()),
                    period: Some(year.to_string()),
                    expected: num(c),
                    found: num(said),
                    quotes: vec![para.quote(key_at)],
                    message: crate::messages::bilingual(&format!(
                        "{name}: {} {}{} and {} {}{}, the change is {}%, the text says {}%",
                        year - 1,
                        fmt_num(prev.value),
                        prev.unit,
                        year,
                        fmt_num(now.value),
                        now.unit,
                        fmt_num((c * 10.0).round() / 10.0),
                        fmt_num(said)
                    )),
                });
            }
            return;
        }
    }

    /// `累计2.93万人，完成五年目标任务的78.3%`: the part over the indicator's
    /// target, when the sentence does not write the target itself (then
    /// [`Ctx::shares_of_totals`] checks it). A share that agrees with the
    /// sum of the values (`summed`) is silent: a wrong total is one finding.
    fn share_of_target(
        &self,
        para: &Para,
        s: &SeriesRead,
        clause_end: usize,
        summed: Option<Num>,
        out: &mut Vec<Finding>,
    ) {
        let t = para.text;
        let Some(ind) = s.ind else { return };
        let indicator = &self.model.indicators[ind];
        let Some(target) = indicator.target.as_ref().and_then(|g| g.value) else {
            return;
        };
        let Some(k) = t[s.end..clause_end].find("完成") else {
            return;
        };
        let done_at = s.end + k;
        let Some(de) = t[done_at..clause_end].find("的") else {
            return;
        };
        let de = done_at + de;
        // `目标` between, and no figure of its own.
        if !t[done_at..de].contains("目标") || !para.numbers_in(done_at, de).is_empty() {
            return;
        }
        let Some(share) = para
            .number_at(de + '的'.len_utf8())
            .filter(|n| n.unit == "%")
        else {
            return;
        };
        // The part: the last figure before `完成` after the list.
        let Some(part) = para.numbers_in(s.end, done_at).last().or(s.values.last()) else {
            return;
        };
        let Some(f) = indicator.unit.factor_from(&Unit::parse(&part.unit)) else {
            return;
        };
        let (p, pt) = (part.value * f, part.tolerance() * f);
        let c = p / target * 100.0;
        let off = |p: f64, pt: f64| {
            let (lo, hi) = ((p - pt) / target * 100.0, (p + pt) / target * 100.0);
            share.value < lo - share.tolerance() || share.value > hi + share.tolerance()
        };
        let off_sum = summed.is_none_or(|n| {
            indicator
                .unit
                .factor_from(&Unit::parse(&n.unit))
                .is_none_or(|g| off(n.value * g, n.tolerance() * g))
        });
        if off(p, pt) && off_sum {
            let from = s.periods.first().map(Period::to_string).unwrap_or_default();
            let to = self.last_period_before(para, s, done_at);
            let period = match to {
                Some(to) if to.to_string() != from => format!("{from}-{to}"),
                _ => from,
            };
            out.push(Finding {
                kind: FindingKind::DerivedValue,
                indicator: Some(indicator.name.clone()),
                period: Some(period),
                expected: num(c),
                found: num(share.value),
                quotes: vec![para.quote(done_at)],
                message: crate::messages::bilingual(&format!(
                    "{}: {}{} of the target {}{} is {}%, the text says {}%",
                    indicator.name,
                    fmt_num(part.value),
                    part.unit,
                    fmt_num(target),
                    indicator.unit.text,
                    fmt_num((c * 10.0).round() / 10.0),
                    fmt_num(share.value)
                )),
            });
        }
    }

    /// The last period written between a series and byte `to`
    /// (`，2024年上半年新增4500人`), else the series' last.
    fn last_period_before(&self, para: &Para, s: &SeriesRead, to: usize) -> Option<Period> {
        let t = para.text;
        let mut last = s.periods.last().copied();
        let mut i = s.end;
        while i < to {
            if t.is_char_boundary(i) {
                if let Some((ps, e)) = text::periods_at(t, i) {
                    if let Some(&(y, h)) = ps.last() {
                        last = Some(Period {
                            year: y,
                            half: u8::from(h),
                        });
                    }
                    i = e;
                    continue;
                }
            }
            i += 1;
        }
        last
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

    /// `10亿元，占年度目标14亿的70%`, `累计下降8.8%，完成五年累计下降13.5%目标的65.5%`,
    /// `累计完成投资171.6亿元，占总投资的60.1%` (the total named earlier in
    /// the paragraph), `支出54.3亿元，其中民生支出43.5亿元，占80.1%`.
    pub(super) fn shares_of_totals(&self, para: &Para, out: &mut Vec<Finding>) {
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

/// Key words of a mean stated after a series.
const MEAN_KEYS: [&str; 6] = [
    "年均增长",
    "年均提高",
    "平均增长",
    "平均提高",
    "年均下降",
    "平均下降",
];
/// Key words of a change between two periods.
const CHANGE_KEYS: [&str; 6] = [
    "同比增长",
    "同比下降",
    "比上年增长",
    "比上年下降",
    "较上年增长",
    "较上年下降",
];

/// The figure right after a key word (`年均增长6.2%`, `累计增长了`), if one is.
fn figure_after(para: &Para, at: usize, to: usize) -> Option<Num> {
    let n = para.numbers_in(at, to).first()?;
    let gap = &para.text[at..n.start];
    (gap.is_empty() || ["了", "为", "达", "约"].contains(&gap)).then(|| n.clone())
}

/// A computed figure and how far the rounding of its inputs lets it move.
pub(super) struct Candidate {
    pub value: f64,
    pub slack: f64,
}

impl Candidate {
    /// Whether a stated figure agrees with it, each side's rounding allowed.
    pub fn agrees(&self, stated: &Num) -> bool {
        (self.value - stated.value).abs() <= stated.tolerance() + self.slack
    }
}

/// What a mean stated after values may be: of growth rates, the arithmetic
/// and geometric means; of levels, the yearly change from the period
/// before the first (`base`) or from the first, in points or in percent.
pub(super) fn mean_candidates(
    values: &[Num],
    base: Option<f64>,
    rates: bool,
    stated: &Num,
) -> Vec<Candidate> {
    let xs: Vec<f64> = values.iter().map(|v| v.value).collect();
    let e = values.iter().map(Num::tolerance).fold(0.0, f64::max);
    let n = xs.len() as f64;
    let arith = xs.iter().sum::<f64>() / n;
    let geo = (xs
        .iter()
        .map(|x| 1.0 + x / 100.0)
        .product::<f64>()
        .powf(1.0 / n)
        - 1.0)
        * 100.0;
    let mut out = Vec::new();
    let (first, last) = (xs[0], xs[xs.len() - 1]);
    let mut levels = Vec::new();
    for (from, steps, slack) in [(base, n, e), (Some(first), n - 1.0, 2.0 * e)] {
        let Some(from) = from else { continue };
        if steps < 1.0 {
            continue;
        }
        let points = (last - from) / steps;
        let pct = if from > 0.0 && last > 0.0 {
            ((last / from).powf(1.0 / steps) - 1.0) * 100.0
        } else {
            f64::NAN
        };
        let rel = if from > 0.0 {
            (slack / from) * 100.0 / steps
        } else {
            0.0
        };
        if stated.unit == "个百分点" {
            levels.push(Candidate {
                value: points,
                slack: slack / steps,
            });
        } else {
            levels.push(Candidate {
                value: pct,
                slack: rel,
            });
            levels.push(Candidate {
                value: points,
                slack: slack / steps,
            });
        }
    }
    let means = [
        Candidate {
            value: geo,
            slack: e,
        },
        Candidate {
            value: arith,
            slack: e,
        },
    ];
    if rates {
        out.extend(means);
        out.extend(levels);
    } else {
        out.extend(levels);
        out.extend(means);
    }
    out.retain(|c| c.value.is_finite());
    if out.is_empty() {
        out.push(Candidate {
            value: arith,
            slack: e,
        });
    }
    out
}

fn join(xs: &[f64]) -> String {
    xs.iter()
        .map(|x| fmt_num(*x))
        .collect::<Vec<_>>()
        .join("、")
}

/// A number that is a year: `2020年`.
fn is_year(t: &str, n: &Num) -> bool {
    n.decimals == 0
        && (1900.0..=2100.0).contains(&n.value)
        && (n.unit == "年" || t[n.end..].starts_with('年'))
}

/// The factor that puts a total in its part's unit: the same unit, a scale
/// of it (`万人` of `人`), a bare scale word (`14亿` of `10亿元`), or none
/// written; `None` when they measure different things (`9家` of `2020年`).
fn total_factor(part: &str, total: &str) -> Option<f64> {
    if total.is_empty() || part == total {
        return Some(1.0);
    }
    if part.starts_with(total) {
        return Some(1.0);
    }
    Unit::parse(part).factor_from(&Unit::parse(total))
}

/// How far a written figure may be from what it rounds: half its last
/// decimal; a whole number (a count, a target) is taken as exact.
fn rounding(n: &Num) -> f64 {
    if n.decimals == 0 {
        0.0
    } else {
        n.tolerance()
    }
}
