//! What a series' own sentence derives from it right after its values:
//! means, totals, the change between two of its periods, the share of the
//! indicator's target.

use super::{figure_after, join, mean_candidates, CHANGE_KEYS, MEAN_KEYS};
use crate::check::reading::Para;
use crate::check::stated::SeriesRead;
use crate::check::text::{self, Num};
use crate::check::{num, Ctx, Finding, FindingKind};
use crate::model::{fmt_num, Kind, Unit};
use crate::period::Period;

impl Ctx<'_> {
    /// What a series' own sentence derives from it right after its values:
    /// `…，三年平均增长6.2%` (a mean of rates, or the yearly change of
    /// levels), `…，累计2.93万人` (a total), `…，2023年同比增长29.6%` (the
    /// change between two of its periods), `…，完成五年目标任务的78.3%` (a
    /// share of the indicator's target). Targets and requirements
    /// (`低于年均增长7%的规划目标`) are not claims and are left alone.
    pub(in crate::check) fn derived_after(
        &self,
        para: &Para,
        s: &SeriesRead,
        out: &mut Vec<Finding>,
    ) {
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
                    message: crate::messages::in_chinese(&format!(
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
                message: crate::messages::in_chinese(&format!(
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
}
