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
            // Status and attribute words are the rules' own (the plan's and
            // the method's in use); a word of a class counts its class
            // unless the paragraph also names another word of that class
            // (then it counts itself).
            let words = |want: StatusClass| {
                m.statuses.iter().filter(move |st| {
                    st.class == want && (st.method.is_none() || st.method == Some(ev.method))
                })
            };
            let status_hit = |want: StatusClass, loose: bool| {
                words(want)
                    .find(|st| ctx.contains(st.name.as_str()) || (loose && mentions(ctx, &st.name)))
                    .map(|st| {
                        let alone =
                            !words(want).any(|o| o.name != st.name && t.contains(o.name.as_str()));
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
            // `达到或超过预期进度`: an on-track word or an ahead one.
            let either = || {
                let on: Vec<&str> = words(StatusClass::OnTrack)
                    .map(|w| w.name.as_str())
                    .collect();
                let ahead: Vec<&str> = words(StatusClass::Ahead).map(|w| w.name.as_str()).collect();
                either_of(ctx, &on, &ahead).map(|phrase| {
                    (
                        format!("{phrase}的指标"),
                        class(StatusClass::Ahead) + class(StatusClass::OnTrack),
                    )
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
                // The words as written first, then as paraphrased.
                [false, true]
                    .into_iter()
                    .find_map(|loose| {
                        status_hit(StatusClass::Behind, loose)
                            .or_else(|| status_hit(StatusClass::NoData, loose))
                            .or_else(|| if loose { either() } else { None })
                            .or_else(|| status_hit(StatusClass::Ahead, loose))
                            .or_else(|| status_hit(StatusClass::OnTrack, loose))
                    })
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

/// Whether `ctx` paraphrases a status word: its last two characters (what
/// it is about: `预期`, `数据`) preceded, within four characters of the same
/// clause, by its first (`超过预期` for `超出预期`, `暂时没有数据` for
/// `暂无数据`).
fn mentions(ctx: &str, word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        return false;
    }
    let object: String = chars[chars.len() - 2..].iter().collect();
    let first = chars[0];
    ctx.match_indices(object.as_str()).any(|(at, _)| {
        ctx[..at]
            .chars()
            .rev()
            .take(4)
            .take_while(|c| !"，。；、：".contains(*c))
            .any(|c| c == first)
    })
}

/// `达到或超过预期进度`, `符合或超前于进度`: a phrase joining with 或 a
/// character of an on-track word and one of an ahead word (either way
/// round; characters both classes' words share do not tell), the phrase up
/// to its clause's end.
fn either_of(ctx: &str, on: &[&str], ahead: &[&str]) -> Option<String> {
    let only = |c: char, a: &[&str], b: &[&str]| {
        a.iter().any(|w| w.contains(c)) && !b.iter().any(|w| w.contains(c))
    };
    for (at, _) in ctx.match_indices('或') {
        let left: Vec<char> = ctx[..at].chars().rev().take(2).collect();
        let right = ctx[at + '或'.len_utf8()..].chars().next();
        let (Some(&l), Some(r)) = (left.last(), right) else {
            continue;
        };
        if (only(l, on, ahead) && only(r, ahead, on)) || (only(l, ahead, on) && only(r, on, ahead))
        {
            let from = at - l.len_utf8() - left[0].len_utf8();
            let end = ctx[from..]
                .find(['，', '。', '；', '、'])
                .map_or(ctx.len(), |e| from + e);
            return Some(ctx[from..end].to_string());
        }
    }
    None
}
