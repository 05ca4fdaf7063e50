//! The 图谱 page: a goal, the indicators measuring it and its supporters
//! drawn as a layered SVG ([`graph_svg`]), with the goals at risk to pick.

use super::{head, url_query, Tab};
use crate::desk::esc;
use crate::desk::graph_svg::{self, LNode, Layered};
use crate::desk::html::url_segment;
use crate::graph::{PlanGraph, Risk, Supporter};
use crate::model::graph::{EdgeKind, NodeKind};
use crate::model::StatusClass;
use std::fmt::Write as _;

/// The figures of one goal that the 图谱 page draws.
pub struct GoalView<'a, 'm> {
    /// The graph.
    pub pg: &'a PlanGraph<'m>,
    /// The goal (node index).
    pub goal: usize,
    /// Its supporters (`graph supports`).
    pub supporters: &'a [Supporter<'m>],
    /// Indicators measuring it: (node index, status, class).
    pub indicators: &'a [(usize, String, StatusClass)],
    /// Its entry in `graph at-risk`, if it is at risk.
    pub risk: Option<&'a Risk<'m>>,
}

fn class_of(c: StatusClass) -> &'static str {
    match c {
        StatusClass::Ahead => "ahead",
        StatusClass::OnTrack => "on_track",
        StatusClass::Behind => "behind",
        StatusClass::NoData => "no_data",
    }
}

/// The drawing of a goal: indicators measuring it on the left, the goal,
/// then its supporters by their distance from it (tasks, measures,
/// projects), edges along the paths `graph supports` found.
pub fn goal_graph(v: &GoalView) -> Layered {
    let pg = v.pg;
    let mut g = Layered::default();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let has_ind = !v.indicators.is_empty();
    let base = usize::from(has_ind);
    for (i, status, class) in v.indicators {
        let n = pg.node(*i);
        index.insert(n.id.as_str(), g.nodes.len());
        g.nodes.push(LNode {
            label: n.name.clone(),
            title: format!("指标 {}：{}", n.name, status),
            class: class_of(*class).to_string(),
            layer: 0,
            href: n
                .indicator
                .map(|_| format!("/indicator/{}", url_segment(&n.id))),
        });
    }
    let gn = pg.node(v.goal);
    let goal_at = g.nodes.len();
    index.insert(gn.id.as_str(), goal_at);
    g.nodes.push(LNode {
        label: gn.name.clone(),
        title: match v.risk {
            Some(r) => format!("目标 {}：风险分 {}", gn.name, r.score),
            None => format!("目标 {}", gn.name),
        },
        class: if v.risk.is_some() {
            "goal risk"
        } else {
            "goal"
        }
        .to_string(),
        layer: base,
        href: None,
    });
    for k in 0..v.indicators.len() {
        g.edges.push((k, goal_at));
    }
    let mut depth = 0;
    for sp in v.supporters {
        let d = sp.path.len().saturating_sub(1).max(1);
        depth = depth.max(d);
        index.insert(sp.id, g.nodes.len());
        let mut tip = format!("{} {}", sp.kind.chinese(), sp.name);
        if let Some(st) = sp.state {
            let _ = write!(tip, "，{st}");
        }
        if let Some(m) = sp.investment {
            let _ = write!(tip, "，投资{}亿元", crate::model::fmt_num(m));
        }
        g.nodes.push(LNode {
            label: sp.name.to_string(),
            title: tip,
            class: sp.kind.word().to_string(),
            layer: base + d,
            href: Some(format!(
                "/search?q={}",
                url_query(&format!("\"{}\"", sp.name))
            )),
        });
    }
    for sp in v.supporters {
        for w in sp.path.windows(2) {
            if let (Some(&a), Some(&b)) = (index.get(w[0]), index.get(w[1])) {
                if !g.edges.contains(&(a, b)) {
                    g.edges.push((a, b));
                }
            }
        }
    }
    if has_ind {
        g.headers.push("衡量指标".into());
    }
    g.headers.push("目标".into());
    for d in 1..=depth {
        let kinds: Vec<&str> = [
            NodeKind::Goal,
            NodeKind::Task,
            NodeKind::Measure,
            NodeKind::Project,
        ]
        .into_iter()
        .filter(|k| {
            v.supporters
                .iter()
                .any(|s| s.kind == *k && s.path.len().saturating_sub(1).max(1) == d)
        })
        .map(NodeKind::chinese)
        .collect();
        g.headers
            .push(format!("支撑（第{d}层）：{}", kinds.join("、")));
    }
    g
}

/// The indicators measuring a goal: (node index, its status, class), from
/// the graph's `measured_by` edges and the evaluation's rows.
pub fn measuring(
    pg: &PlanGraph,
    goal: usize,
    status: &dyn Fn(&str) -> Option<(String, StatusClass)>,
) -> Vec<(usize, String, StatusClass)> {
    let mut out: Vec<(usize, String, StatusClass)> = Vec::new();
    for e in &pg.data.edges {
        if e.kind == EdgeKind::MeasuredBy && e.from == goal && !out.iter().any(|x| x.0 == e.to) {
            let n = pg.node(e.to);
            let (st, c) = status(&n.id).unwrap_or((
                StatusClass::CHINESE[StatusClass::NoData.index()].to_string(),
                StatusClass::NoData,
            ));
            out.push((e.to, st, c));
        }
    }
    out
}

/// The 图谱 page: a goal picker (goals at risk first, with their score),
/// and for the goal chosen its drawing, the indicators measuring it, why
/// it is at risk and its supporters with their sources.
pub fn graph_page(
    title: &str,
    goals: &[(String, String, Option<u32>)],
    chosen: Option<&GoalView>,
    error: Option<&str>,
) -> String {
    let mut s = String::new();
    head(&mut s, title, "图谱", Tab::Graph, false);
    s.push_str("<form class=\"filter\" method=\"get\" action=\"/graph\"><label>目标 <select name=\"goal\">");
    let current = chosen.map(|c| c.pg.node(c.goal).id.as_str());
    for (id, name, risk) in goals {
        let sel = if current == Some(id.as_str()) {
            " selected"
        } else {
            ""
        };
        let mark = risk.map(|r| format!("（风险分 {r}）")).unwrap_or_default();
        let _ = write!(
            s,
            "<option value=\"{}\"{sel}>{}{}</option>",
            esc(id),
            esc(name),
            mark
        );
    }
    s.push_str("</select></label><button type=\"submit\">查看</button> <a href=\"/api/graph\">受影响的目标（JSON）</a></form>\n");
    if let Some(e) = error {
        let _ = writeln!(s, "<p class=\"error\">{}</p>", esc(e));
    }
    match chosen {
        None => {
            let at_risk: Vec<_> = goals.iter().filter(|g| g.2.is_some()).collect();
            let _ = writeln!(
                s,
                "<h2>受指标滞后影响的目标和任务（{}）</h2>",
                at_risk.len()
            );
            if at_risk.is_empty() {
                s.push_str("<p>没有受滞后指标影响的目标或任务。</p>\n");
            }
            s.push_str("<ul>");
            for (id, name, r) in at_risk {
                let _ = write!(
                    s,
                    "<li><a href=\"/graph?goal={}\">{}</a> <span class=\"loc\">风险分 {}</span></li>",
                    url_query(id),
                    esc(name),
                    r.unwrap_or(0)
                );
            }
            s.push_str("</ul>\n");
        }
        Some(v) => {
            let gn = v.pg.node(v.goal);
            let _ = writeln!(
                s,
                "<h2>{} <span class=\"loc\">{} · 支撑{}项 · 衡量指标{}项 · <a href=\"/api/graph?goal={}\">JSON</a></span></h2>",
                esc(&gn.name),
                esc(&gn.id),
                v.supporters.len(),
                v.indicators.len(),
                url_query(&gn.id)
            );
            if let Some(r) = v.risk {
                let _ = write!(
                    s,
                    "<div class=\"risk\"><h3>受滞后指标影响 · 风险分 {}</h3><ul>",
                    r.score
                );
                for (_, name, status) in &r.indicators {
                    let _ = write!(s, "<li>{}（{}）</li>", esc(name), esc(status));
                }
                s.push_str("</ul></div>\n");
            }
            let _ = writeln!(
                s,
                "<div class=\"graphbox\">{}</div>",
                graph_svg::svg(&goal_graph(v))
            );
            s.push_str("<h2>支撑的项目、举措和任务</h2><table><thead><tr><th>类别</th><th>名称</th><th>状态</th><th>路径</th><th>来源</th></tr></thead><tbody>\n");
            for sp in v.supporters {
                let path: Vec<String> = sp
                    .path
                    .iter()
                    .map(|id| {
                        v.pg.resolve(id)
                            .map(|i| v.pg.node(i).name.clone())
                            .unwrap_or_else(|_| id.to_string())
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    "<tr><td class=\"c\">{}</td><td>{}</td><td class=\"c\">{}</td><td class=\"why\">{}</td><td class=\"why\">{}</td></tr>",
                    sp.kind.chinese(),
                    esc(sp.name),
                    esc(sp.state.unwrap_or("")),
                    esc(&path.join(" → ")),
                    esc(sp.source.unwrap_or(""))
                );
            }
            s.push_str("</tbody></table>\n");
        }
    }
    s.push_str("</body></html>\n");
    s
}
