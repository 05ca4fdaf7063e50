//! Exports for Graphviz (DOT), Markdown pages (Mermaid) and other tools (JSON),
//! of the whole graph or of the neighbourhood of a node.

use super::PlanGraph;
use crate::model::graph::NodeKind;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde_json::json;
use std::collections::VecDeque;
use std::fmt::Write as _;

/// The nodes within `depth` steps of `root` (either direction), or all.
pub fn select(pg: &PlanGraph, root: Option<usize>, depth: usize) -> Vec<bool> {
    let n = pg.data.nodes.len();
    let Some(root) = root else {
        return vec![true; n];
    };
    let mut keep = vec![false; n];
    keep[root] = true;
    let mut q = VecDeque::from([(root, 0)]);
    while let Some((v, d)) = q.pop_front() {
        if d == depth {
            continue;
        }
        for dir in [Direction::Outgoing, Direction::Incoming] {
            for e in pg.g.edges_directed(NodeIndex::new(v), dir) {
                let u = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                }
                .index();
                if !keep[u] {
                    keep[u] = true;
                    q.push_back((u, d + 1));
                }
            }
        }
    }
    keep
}

fn shape(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Goal => "doubleoctagon",
        NodeKind::Task => "box",
        NodeKind::Project => "component",
        NodeKind::Measure => "hexagon",
        NodeKind::Term => "note",
        NodeKind::Indicator => "ellipse",
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Graphviz DOT.
pub fn dot(pg: &PlanGraph, keep: &[bool]) -> String {
    let mut out =
        String::from("digraph plan {\n  rankdir=RL;\n  node [fontname=\"Noto Sans CJK SC\"];\n");
    for (i, n) in pg.data.nodes.iter().enumerate().filter(|(i, _)| keep[*i]) {
        let _ = writeln!(
            out,
            "  n{i} [label=\"{}\\n({})\" shape={}];",
            dot_escape(&n.name),
            n.kind.chinese(),
            shape(n.kind)
        );
    }
    for e in pg.data.edges.iter().filter(|e| keep[e.from] && keep[e.to]) {
        let _ = writeln!(
            out,
            "  n{} -> n{} [label=\"{}\"];",
            e.from,
            e.to,
            e.kind.word()
        );
    }
    out.push_str("}\n");
    out
}

fn mermaid_label(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Mermaid flowchart, for Markdown pages.
pub fn mermaid(pg: &PlanGraph, keep: &[bool]) -> String {
    let mut out = String::from("flowchart RL\n");
    for (i, n) in pg.data.nodes.iter().enumerate().filter(|(i, _)| keep[*i]) {
        let (l, r) = match n.kind {
            NodeKind::Goal => ("{{", "}}"),
            NodeKind::Task => ("[", "]"),
            NodeKind::Project => ("[[", "]]"),
            NodeKind::Measure => ("[/", "/]"),
            NodeKind::Term => (">", "]"),
            NodeKind::Indicator => ("([", "])"),
        };
        let _ = writeln!(out, "  n{i}{l}\"{}\"{r}", mermaid_label(&n.name));
    }
    for e in pg.data.edges.iter().filter(|e| keep[e.from] && keep[e.to]) {
        let _ = writeln!(out, "  n{} -->|{}| n{}", e.from, e.kind.word(), e.to);
    }
    out
}

/// JSON: `{nodes: [{id, name, kind, …}], edges: [{from, to, kind, source}]}`.
pub fn json(pg: &PlanGraph, keep: &[bool]) -> serde_json::Value {
    let nodes: Vec<_> = pg
        .data
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| keep[*i])
        .map(|(_, n)| {
            json!({
                "id": n.id, "name": n.name, "kind": n.kind,
                "source": n.source.as_ref().map(|q| q.text.to_string()),
                "investment": n.investment, "year": n.year, "state": n.state,
            })
        })
        .collect();
    let edges: Vec<_> = pg
        .data
        .edges
        .iter()
        .filter(|e| keep[e.from] && keep[e.to])
        .map(|e| json!({"from": pg.data.nodes[e.from].id, "to": pg.data.nodes[e.to].id, "kind": e.kind, "source": e.source.as_ref().map(|q| q.text.to_string())}))
        .collect();
    json!({ "nodes": nodes, "edges": edges })
}
