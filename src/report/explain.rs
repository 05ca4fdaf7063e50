//! The `explain` trace: how one indicator's status was decided, with the
//! rule, its inputs and their sources, each figure's steps, every branch,
//! and the distance to the next better status.

use super::units::Units;
use crate::eval::{Explanation, TraceStep, Value};
use crate::model::{fmt_num, Model, StatusClass};
use std::fmt::Write as _;

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
        "\n规则 `{}`（方法 {}，{}）",
        rule.id,
        m.id,
        src.location(rule.span)
    );
    if let Some(t) = &ind.target {
        let _ = writeln!(out, "\n目标：{}（形式 `{}`）", t.printed, t.form.word());
        if let Some(q) = &t.source {
            let _ = writeln!(out, "  来源：{}", cite(model, q));
        }
    }
    if let Some(b) = &ind.baseline {
        let _ = writeln!(
            out,
            "基期 {}：{}",
            b.period,
            b.value.map_or("/".into(), fmt_num)
        );
    }
    if !ind.observations.is_empty() {
        let _ = writeln!(out, "观测值：");
        let mut last_src: Option<String> = None;
        for o in &ind.observations {
            let v = o
                .value
                .map_or("/".into(), |v| format!("{}{}", fmt_num(v), ind.unit.text));
            let _ = writeln!(out, "  {}：{v}", o.period.chinese());
            if let Some(q) = &o.source {
                let c = cite(model, q);
                if last_src.as_ref() != Some(&c) {
                    let _ = writeln!(out, "    来源：{c}");
                    last_src = Some(c);
                }
            }
        }
    }
    if !ind.assessments.is_empty() {
        let _ = writeln!(out, "报告评定：");
        for a in &ind.assessments {
            let _ = writeln!(
                out,
                "  {}：{}",
                a.period.chinese(),
                model.statuses[a.status].name
            );
        }
        if let Some(q) = ind.assessments.iter().find_map(|a| a.source.as_ref()) {
            let _ = writeln!(out, "    来源：{}", cite(model, q));
        }
    }
    if !rule.figures.is_empty() {
        let _ = writeln!(out, "\n计算：");
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
        let _ = writeln!(out, "\n无法计算：");
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
    let _ = writeln!(out, "\n分支（自上而下，第一个成立的分支命中）：");
    for bt in &ex.branches {
        let b = &rule.branches[bt.branch];
        let status = &model.statuses[b.status].name;
        let mark = if bt.branch == v.branch {
            "→ 命中"
        } else if bt.matched {
            "  也成立"
        } else {
            "  不成立"
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
        let _ = writeln!(out, "\n距更好的状态（由近及远）：");
        // The branch just before the one that fired is the next better one.
        for g in gaps.into_iter().rev() {
            let _ = writeln!(out, "{g}");
        }
    }
    if !v.stated.is_empty() {
        let _ = writeln!(out, "\n报告所述：");
        for s in &v.stated {
            let c = s
                .computed
                .map_or("无法计算".to_string(), |c| fmt_num(round2(c)));
            let flag = if s.differs() {
                "（不一致）"
            } else {
                "（一致）"
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
                let _ = writeln!(out, "    来源：“{q}”");
            }
        }
    }
    for n in &ind.notes {
        let _ = writeln!(out, "\n注：{n}");
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

fn write_steps(out: &mut String, model: &Model, units: &Units, steps: &[TraceStep], indent: usize) {
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

/// A source as a planner cites it: the quote, then the document it is
/// from when one is named (国家统计局《…》（2023）).
fn cite(model: &Model, q: &crate::model::Quote) -> String {
    let doc = q.document.map(|d| model.documents[d].citation());
    match (q.text.is_empty(), doc) {
        (false, Some(d)) => format!("“{}”，{d}", q.text),
        (false, None) => format!("“{}”", q.text),
        (true, Some(d)) => d,
        (true, None) => String::new(),
    }
}
