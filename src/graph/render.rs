//! Text and JSON answers of the graph queries. Strings only; the CLI prints.

use super::{Dependency, PlanGraph, Risk, Supporter};
use crate::corpus::Corpus;
use crate::model::graph::NodeKind;
use serde_json::{json, Value};
use std::fmt::Write as _;

fn node_json(pg: &PlanGraph, i: usize) -> Value {
    let n = pg.node(i);
    json!({"id": n.id, "name": n.name, "kind": n.kind})
}

fn money(v: Option<f64>) -> String {
    v.map(|x| format!("，投资{}亿元", crate::model::fmt_num(x)))
        .unwrap_or_default()
}

/// `，在建` after a name, when the state is known.
fn state_suffix(s: &Supporter) -> String {
    s.state.map(|x| format!("，{x}")).unwrap_or_default()
}

fn supporter_line(out: &mut String, s: &Supporter) {
    let state = state_suffix(s);
    let _ = writeln!(
        out,
        "  [{}] {}（{}{}{}）",
        s.kind.chinese(),
        s.name,
        s.id,
        state,
        money(s.investment)
    );
    let _ = writeln!(out, "      路径：{}", s.path.join(" → "));
    if let Some(src) = &s.source {
        let _ = writeln!(out, "      来源：“{src}”");
    }
}

/// `graph supports`: JSON `{goal: {id, name}, supporters: [{id, name, kind, path, source}]}`.
pub fn supports_json(pg: &PlanGraph, goal: usize, list: &[Supporter]) -> Value {
    let n = pg.node(goal);
    json!({"goal": {"id": n.id, "name": n.name}, "supporters": list})
}

/// `graph supports` as text, grouped by kind.
pub fn supports_text(pg: &PlanGraph, goal: usize, list: &[Supporter]) -> String {
    let n = pg.node(goal);
    let mut out = format!(
        "支撑「{}」（{}）的项目、举措和任务：{}项\n",
        n.name,
        n.id,
        list.len()
    );
    for kind in [
        NodeKind::Project,
        NodeKind::Measure,
        NodeKind::Task,
        NodeKind::Goal,
    ] {
        let group: Vec<&Supporter> = list.iter().filter(|s| s.kind == kind).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}（{}）", kind.chinese(), group.len());
        for s in group {
            supporter_line(&mut out, s);
        }
    }
    out
}

/// `graph deps` as JSON.
pub fn deps_json(pg: &PlanGraph, node: usize, deps: &[Dependency]) -> Value {
    json!({"node": node_json(pg, node), "dependencies": deps})
}

/// `graph deps` as text, in an order that can be followed.
pub fn deps_text(pg: &PlanGraph, node: usize, deps: &[Dependency]) -> String {
    let n = pg.node(node);
    if deps.is_empty() {
        return format!("「{}」（{}）没有前置依赖\n", n.name, n.id);
    }
    let mut out = format!("「{}」（{}）的前置依赖，按先后顺序：\n", n.name, n.id);
    for (k, d) in deps.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. [{}] {}（{}）→ 为 {} 所需",
            k + 1,
            d.kind.chinese(),
            d.name,
            d.id,
            d.needed_by
        );
        if let Some(s) = &d.source {
            let _ = writeln!(out, "      来源：“{s}”");
        }
    }
    let _ = writeln!(out, "  {}. {}（{}）", deps.len() + 1, n.name, n.id);
    out
}

/// `graph impact`: the goals and tasks an indicator measures and their supporters.
pub fn impact(pg: &PlanGraph, indicator: usize) -> (Value, String) {
    let n = pg.node(indicator);
    let measured = pg.measured(indicator);
    let mut text = format!(
        "指标「{}」（{}）衡量的目标和任务：{}项\n",
        n.name,
        n.id,
        measured.len()
    );
    let mut items = Vec::new();
    for (g, src) in &measured {
        let gn = pg.node(*g);
        let sup = pg.supports(*g, None);
        let _ = writeln!(text, "\n[{}] {}（{}）", gn.kind.chinese(), gn.name, gn.id);
        if let Some(s) = src {
            let _ = writeln!(text, "  来源：“{s}”");
        }
        let projects: Vec<&Supporter> = sup
            .iter()
            .filter(|s| matches!(s.kind, NodeKind::Project | NodeKind::Measure))
            .collect();
        let _ = writeln!(text, "  支撑的项目和举措：{}项", projects.len());
        for s in &projects {
            supporter_line(&mut text, s);
        }
        items.push(json!({"id": gn.id, "name": gn.name, "kind": gn.kind, "source": src, "supporters": projects}));
    }
    (
        json!({"indicator": {"id": n.id, "name": n.name}, "measures": items}),
        text,
    )
}

/// How `graph at-risk` ranks, in English and in Chinese, with the rules'
/// own words for statuses and project states.
pub fn ranking(model: &crate::model::Model) -> (String, String) {
    use crate::model::graph::StateClass;
    use crate::model::StatusClass;
    let status = |c: StatusClass| {
        model
            .statuses
            .iter()
            .filter(|s| s.method.is_none() && s.class == c)
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("/")
    };
    let states = |c: StateClass, sep: &str| {
        model
            .graph
            .states
            .iter()
            .filter(|(_, k)| *k == c)
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>()
            .join(sep)
    };
    let (behind, none) = (status(StatusClass::Behind), status(StatusClass::NoData));
    let (going, planned) = (
        states(StateClass::UnderWay, "/"),
        states(StateClass::Planned, "或"),
    );
    let zh = format!(
        "目标和任务：每个衡量它的指标{behind}计 2 分，{none}计 1 分；支撑者：在建（{going}）的项目在前——它们还能加快——其后是{planned}的项目、举措、任务、已完成的项目；同一组内投资额大的在前"
    );
    let en = format!(
        "goals and tasks: 2 points per measuring indicator behind schedule ({behind}), 1 per indicator without data ({none}); supporters: projects under way ({going}) first — they can still be sped up — then planned or signed projects, measures, tasks, finished projects; within a group, larger investment first"
    );
    (en, zh)
}

/// `graph at-risk` as JSON.
/// `unlinked`: indicators behind schedule that measure no goal or task.
pub fn at_risk_json(
    risks: &[Risk],
    unlinked: &[(String, String, String)],
    as_of: &str,
    model: &crate::model::Model,
) -> Value {
    let (en, zh) = ranking(model);
    let unlinked: Vec<Value> = unlinked
        .iter()
        .map(|(id, name, status)| json!({"id": id, "name": name, "status": status}))
        .collect();
    json!({"as_of": as_of, "ranking": en, "ranking_zh": zh, "risks": risks, "unlinked": unlinked})
}

/// `graph at-risk` as text.
pub fn at_risk_text(
    risks: &[Risk],
    unlinked: &[(String, String, String)],
    as_of: &str,
    model: &crate::model::Model,
) -> String {
    let (_, zh) = ranking(model);
    let mut out = format!(
        "截至{as_of}受指标滞后影响的目标和任务：{}项\n排序：{zh}\n",
        risks.len()
    );
    for (k, r) in risks.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{}. [{}] {}（{}）风险分 {}",
            k + 1,
            r.kind.chinese(),
            r.name,
            r.id,
            r.score
        );
        for (id, name, status) in &r.indicators {
            let _ = writeln!(out, "   滞后指标：{name}（{id}）{status}");
        }
        let shown = r.supporters.iter().take(8);
        let _ = writeln!(out, "   优先推进（共{}项）：", r.supporters.len());
        for s in shown {
            let state = state_suffix(s);
            let _ = writeln!(
                out,
                "     - [{}] {}{}{}",
                s.kind.chinese(),
                s.name,
                state,
                money(s.investment)
            );
        }
    }
    if !unlinked.is_empty() {
        let _ = writeln!(
            out,
            "\n另有{}项滞后指标未关联任何目标或任务，看不出影响（在规则中用 `measured_by` 把目标连到指标）：",
            unlinked.len()
        );
        for (id, name, status) in unlinked {
            let _ = writeln!(out, "   - {name}（{id}）{status}");
        }
    }
    out
}

/// Where a quote stands in the corpus: document, line and breadcrumb.
pub fn locate(corpus: &Corpus, quote: &str) -> Option<(String, usize, Vec<String>)> {
    let loc = corpus.locate(quote)?;
    let section = corpus
        .ingested()
        .iter()
        .find(|i| i.doc == loc.doc)
        .and_then(|i| i.units.iter().rev().find(|u| u.line <= loc.line))
        .map(|u| u.section.clone())
        .unwrap_or_default();
    Some((loc.doc, loc.line, section))
}

/// `show NODE`: the node, its neighbours by edge kind, its source and where
/// that is in the document.
pub fn show(pg: &PlanGraph, v: usize, corpus: &Corpus) -> (Value, String) {
    let n = pg.node(v);
    let mut text = format!("[{}] {}（{}）\n", n.kind.chinese(), n.name, n.id);
    if let Some(s) = &n.state {
        let _ = writeln!(text, "  状态：{s}");
    }
    if let Some(x) = n.investment {
        let _ = writeln!(text, "  投资：{}亿元", crate::model::fmt_num(x));
    }
    if let Some(y) = n.year {
        let _ = writeln!(text, "  年份：{y}");
    }
    if let Some(e) = &n.expansion {
        let _ = writeln!(text, "  释义：{e}");
    }
    if !n.words.is_empty() {
        let _ = writeln!(text, "  所指：{}", n.words.join("、"));
    }
    let place = n.source.as_ref().and_then(|q| locate(corpus, &q.text));
    if let Some(q) = &n.source {
        let _ = writeln!(text, "  来源：“{}”", q.text);
        if let Some((doc, line, section)) = &place {
            let _ = writeln!(text, "    位置：{doc}:{line}  {}", section.join(" › "));
        }
    }
    let nb = pg.neighbours(v);
    let mut rows = Vec::new();
    let mut last = String::new();
    for (kind, outgoing, u, src) in &nb {
        let head = format!(
            "{}{}",
            if *outgoing { "→ " } else { "← " },
            kind.chinese(*outgoing)
        );
        if head != last {
            let _ = writeln!(text, "\n  {head}");
            last = head;
        }
        let un = pg.node(*u);
        let _ = writeln!(text, "    [{}] {}（{}）", un.kind.chinese(), un.name, un.id);
        rows.push(json!({"edge": kind, "direction": if *outgoing { "out" } else { "in" }, "id": un.id, "name": un.name, "kind": un.kind, "source": src}));
    }
    let json = json!({
        "node": {"id": n.id, "name": n.name, "kind": n.kind, "state": n.state, "investment": n.investment, "year": n.year, "expansion": n.expansion, "words": n.words,
                 "source": n.source.as_ref().map(|q| q.text.to_string())},
        "source_location": place.map(|(doc, line, section)| json!({"doc": doc, "line": line, "section": section})),
        "neighbours": rows,
    });
    (json, text)
}
