//! The summary: counts and shares of indicators by status and attribute
//! against the indicators and their verdicts. Status and attribute words
//! are the rules' own.

use super::reading::Para;
use super::{num, Ctx, Finding, FindingKind};
use crate::model::{fmt_num, StatusClass};
use serde_json::json;

impl Ctx<'_> {
    /// Counts and shares of the summary paragraph against the indicators
    /// and their verdicts.
    pub(super) fn summary(&self, para: &Para, out: &mut Vec<Finding>) {
        let t = para.text;
        let m = self.model;
        if !t.contains("项指标")
            && !m
                .plan
                .attributes
                .iter()
                .any(|a| t.contains(&format!("{a}指标")))
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
        let nums = &para.nums;
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
                // The attribute written nearest before the count
                // (`约束性指标2项、预期性指标4项`), else right after it.
                m.plan
                    .attributes
                    .iter()
                    .filter_map(|a| before.rfind(a.as_str()).map(|at| (at, a)))
                    .max_by_key(|(at, _)| *at)
                    .map(|(_, a)| a)
                    .or_else(|| {
                        m.plan
                            .attributes
                            .iter()
                            .find(|a| ctx.starts_with(&format!("项{a}")))
                    })
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
                if let Some(share) = para.number_at(n.start + p + "占比".len()) {
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
}
