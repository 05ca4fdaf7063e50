//! The plan as a graph: which projects and measures support a goal, what a
//! task depends on, what an indicator's lag puts at risk.
//!
//! Nodes and edges come from the model (`model::graph`); this module builds
//! a petgraph `DiGraph` whose node `i` is model node `i` and whose edge
//! weight is the model edge's index, and answers questions over it. Every
//! answer carries the path it took and the sentences its edges rest on.

pub mod export;
pub mod render;

use crate::eval::Evaluation;
use crate::model::graph::{EdgeKind, GNode, GraphData, NodeKind};
use crate::model::{Model, StatusClass};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;
use std::collections::VecDeque;

/// A graph over a model's nodes and edges.
pub struct PlanGraph<'m> {
    /// The data.
    pub data: &'m GraphData,
    g: DiGraph<(), u32>,
}

pub use crate::resolve::ResolveError;
use crate::resolve::{Entry, What};

/// A node that supports a goal, and how. Borrows the model's strings.
#[derive(Debug, Clone, Serialize)]
pub struct Supporter<'m> {
    /// Node id.
    pub id: &'m str,
    /// Node name.
    pub name: &'m str,
    /// Node kind.
    pub kind: NodeKind,
    /// Ids from the supporter to the goal.
    pub path: Vec<&'m str>,
    /// The sentence of the supporter's own edge (or the node's).
    pub source: Option<&'m str>,
    /// Investment in 亿元.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub investment: Option<f64>,
    /// State.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'m str>,
    /// The class the rules declare for the state.
    #[serde(skip)]
    pub state_class: Option<crate::model::graph::StateClass>,
}

/// A dependency and the sentence it rests on. Borrows the model's strings.
#[derive(Debug, Clone, Serialize)]
pub struct Dependency<'m> {
    /// Node id.
    pub id: &'m str,
    /// Node name.
    pub name: &'m str,
    /// Node kind.
    pub kind: NodeKind,
    /// The node that depends on it directly.
    pub needed_by: &'m str,
    /// The sentence.
    pub source: Option<&'m str>,
}

/// A goal or task put at risk, with the lagging indicators and supporters.
#[derive(Debug, Clone, Serialize)]
pub struct Risk<'m> {
    /// Goal or task id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: NodeKind,
    /// The rank score: 2 per indicator behind schedule, 1 per indicator without data.
    pub score: u32,
    /// Lagging indicators: (id, name, status).
    pub indicators: Vec<(String, String, String)>,
    /// Supporters, in the order a planner would act on them.
    pub supporters: Vec<Supporter<'m>>,
}

/// A lagging verdict, its weight, and the goals and tasks (with the
/// edges' sources) its indicator measures.
type Lagging<'e> = (&'e crate::eval::Verdict, u32, Vec<(usize, Option<String>)>);

fn edge_kinds_toward_goal(k: EdgeKind) -> bool {
    matches!(
        k,
        EdgeKind::Supports | EdgeKind::PartOf | EdgeKind::Implements
    )
}

impl<'m> PlanGraph<'m> {
    /// Builds the petgraph model.
    pub fn new(data: &'m GraphData) -> PlanGraph<'m> {
        let mut g = DiGraph::with_capacity(data.nodes.len(), data.edges.len());
        for _ in &data.nodes {
            g.add_node(());
        }
        for (i, e) in data.edges.iter().enumerate() {
            g.add_edge(NodeIndex::new(e.from), NodeIndex::new(e.to), i as u32);
        }
        PlanGraph { data, g }
    }

    /// The node at an index.
    pub fn node(&self, i: usize) -> &'m GNode {
        &self.data.nodes[i]
    }

    /// Like [`PlanGraph::resolve`], but when a part of a name matches several
    /// nodes and exactly one is of a wanted kind, that one.
    pub fn resolve_as(&self, key: &str, kinds: &[NodeKind]) -> Result<usize, ResolveError> {
        match self.resolve(key) {
            Err(ResolveError::Ambiguous {
                what,
                key,
                candidates: c,
            }) => {
                let wanted: Vec<usize> = c
                    .iter()
                    .filter_map(|(id, _)| self.data.nodes.iter().position(|n| n.id == *id))
                    .filter(|&i| kinds.contains(&self.data.nodes[i].kind))
                    .collect();
                match wanted.as_slice() {
                    [one] => Ok(*one),
                    _ => Err(ResolveError::Ambiguous {
                        what,
                        key,
                        candidates: c,
                    }),
                }
            }
            r => r,
        }
    }

    /// Finds a node by id, exact name or alias, or a part of its name or id
    /// that only one node has.
    pub fn resolve(&self, key: &str) -> Result<usize, ResolveError> {
        crate::resolve::resolve(
            key,
            What::Node,
            self.data.nodes.iter().map(|n| Entry {
                id: &n.id,
                name: &n.name,
                aliases: &n.aliases,
            }),
        )
    }

    fn edge_source(&self, ei: u32) -> Option<String> {
        self.data.edges[ei as usize]
            .source
            .as_ref()
            .map(|q| q.text.to_string())
    }

    /// Everything that supports `goal`, directly or through tasks, measures
    /// and parts, each with its shortest path (supporter → … → goal).
    pub fn supports(&self, goal: usize, kind: Option<NodeKind>) -> Vec<Supporter<'m>> {
        let data: &'m GraphData = self.data;
        let (order, via) = self.supports_idx(goal, kind);
        order
            .into_iter()
            .map(|u| {
                let mut path = Vec::with_capacity(4);
                path.push(data.nodes[u].id.as_str());
                let mut cur = u;
                while let Some(ei) = via[cur] {
                    cur = data.edges[ei as usize].to;
                    path.push(data.nodes[cur].id.as_str());
                }
                let node = &data.nodes[u];
                // The supporter's own edge is the first step of its path.
                let own = via[u]
                    .and_then(|ei| data.edges[ei as usize].source.as_ref())
                    .map(|q| &*q.text);
                Supporter {
                    id: &node.id,
                    name: &node.name,
                    kind: node.kind,
                    path,
                    source: own.or_else(|| node.source.as_ref().map(|q| &*q.text)),
                    investment: node.investment,
                    state: node.state.as_deref(),
                    state_class: node.state_class,
                }
            })
            .collect()
    }

    /// The supporters of `goal` as node indices, nearest first, and for each
    /// node the edge it takes toward the goal (`via`); a path is followed
    /// through `via` to the goal.
    pub fn supports_idx(
        &self,
        goal: usize,
        kind: Option<NodeKind>,
    ) -> (Vec<usize>, Vec<Option<u32>>) {
        // Reverse BFS over incoming support-like edges; `via[v]` is the edge
        // from v toward the goal (and marks v as reached).
        let mut via: Vec<Option<u32>> = vec![None; self.data.nodes.len()];
        let mut order: Vec<(u32, usize)> = Vec::new();
        let mut q = VecDeque::from([(goal, 0u32)]);
        while let Some((v, d)) = q.pop_front() {
            for e in self
                .g
                .edges_directed(NodeIndex::new(v), Direction::Incoming)
            {
                let ei = *e.weight();
                if !edge_kinds_toward_goal(self.data.edges[ei as usize].kind) {
                    continue;
                }
                let u = e.source().index();
                if u != goal && via[u].is_none() {
                    via[u] = Some(ei);
                    order.push((d + 1, u));
                    q.push_back((u, d + 1));
                }
            }
        }
        // Nearest first; within a distance, declaration order.
        order.sort_unstable();
        let order = order
            .into_iter()
            .map(|(_, u)| u)
            .filter(|&u| kind.is_none_or(|k| self.data.nodes[u].kind == k))
            .collect();
        (order, via)
    }

    /// What `node` depends on, transitively, in an order that can be
    /// followed: every dependency before what needs it. A cycle is an error
    /// naming its nodes.
    pub fn deps(&self, node: usize) -> Result<Vec<Dependency<'m>>, Vec<String>> {
        let data: &'m GraphData = self.data;
        Ok(self
            .deps_idx(node)?
            .into_iter()
            .map(|(v, by, ei)| {
                let nd = &data.nodes[v];
                Dependency {
                    id: &nd.id,
                    name: &nd.name,
                    kind: nd.kind,
                    needed_by: &data.nodes[by].id,
                    source: data.edges[ei as usize].source.as_ref().map(|q| &*q.text),
                }
            })
            .collect())
    }

    /// [`PlanGraph::deps`] as indices: (dependency, the node that needs
    /// it, the edge), dependencies first.
    pub fn deps_idx(&self, node: usize) -> Result<Vec<(usize, usize, u32)>, Vec<String>> {
        // DFS post-order over depends_on edges gives dependencies first. The
        // reachable set is small next to the graph: state lives in a map.
        use std::collections::HashMap;
        let mut state: HashMap<usize, u8> = HashMap::new();
        let mut needed_by: HashMap<usize, (usize, u32)> = HashMap::new();
        let mut out = Vec::new();
        let mut stack: Vec<(usize, Vec<u32>, usize)> = vec![(node, self.deps_of(node), 0)];
        state.insert(node, 1);
        while let Some((v, edges, k)) = stack.last_mut() {
            if *k < edges.len() {
                let ei = edges[*k];
                *k += 1;
                let to = self.data.edges[ei as usize].to;
                match state.get(&to).copied().unwrap_or(0) {
                    0 => {
                        state.insert(to, 1);
                        needed_by.insert(to, (*v, ei));
                        let e = self.deps_of(to);
                        stack.push((to, e, 0));
                    }
                    1 => {
                        let mut cycle: Vec<String> = stack
                            .iter()
                            .skip_while(|(x, _, _)| *x != to)
                            .map(|(x, _, _)| self.data.nodes[*x].id.clone())
                            .collect();
                        cycle.push(self.data.nodes[to].id.clone());
                        return Err(cycle);
                    }
                    _ => {}
                }
            } else {
                let v = *v;
                state.insert(v, 2);
                stack.pop();
                if v != node {
                    let (by, ei) = needed_by[&v];
                    out.push((v, by, ei));
                }
            }
        }
        Ok(out)
    }

    fn deps_of(&self, v: usize) -> Vec<u32> {
        let mut es: Vec<u32> = self
            .g
            .edges_directed(NodeIndex::new(v), Direction::Outgoing)
            .map(|e| *e.weight())
            .filter(|&ei| self.data.edges[ei as usize].kind == EdgeKind::DependsOn)
            .collect();
        es.sort_unstable();
        es
    }

    /// The goals and tasks an indicator measures.
    pub fn measured(&self, indicator: usize) -> Vec<(usize, Option<String>)> {
        let mut v: Vec<(usize, Option<String>)> = self
            .g
            .edges_directed(NodeIndex::new(indicator), Direction::Incoming)
            .filter(|e| self.data.edges[*e.weight() as usize].kind == EdgeKind::MeasuredBy)
            .map(|e| (e.source().index(), self.edge_source(*e.weight())))
            .collect();
        v.sort_by_key(|x| x.0);
        v.dedup_by_key(|x| x.0);
        v
    }

    /// Neighbours of a node: (edge kind, outgoing?, node, source).
    pub fn neighbours(&self, v: usize) -> Vec<(EdgeKind, bool, usize, Option<String>)> {
        let mut out: Vec<(EdgeKind, bool, usize, Option<String>)> = Vec::new();
        for dir in [Direction::Outgoing, Direction::Incoming] {
            for e in self.g.edges_directed(NodeIndex::new(v), dir) {
                let ei = *e.weight();
                let other = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                out.push((
                    self.data.edges[ei as usize].kind,
                    dir == Direction::Outgoing,
                    other.index(),
                    self.edge_source(ei),
                ));
            }
        }
        out.sort_by_key(|x| (x.0.word(), !x.1, x.2));
        out
    }

    /// Each lagging verdict (behind schedule or without data) with its
    /// weight (2 and 1) and the goals and tasks its indicator measures,
    /// through its parent too.
    fn lagging<'e>(&self, model: &Model, ev: &'e Evaluation) -> Vec<Lagging<'e>> {
        let node_of = |ind: usize| {
            self.data
                .nodes
                .iter()
                .position(|n| n.indicator == Some(ind))
        };
        let mut out = Vec::new();
        for v in &ev.verdicts {
            let weight = match model.statuses[v.status].class {
                StatusClass::Behind => 2,
                StatusClass::NoData => 1,
                _ => continue,
            };
            let mut targets = node_of(v.indicator).map_or_else(Vec::new, |n| self.measured(n));
            // A sub-indicator lags on behalf of its parent too.
            if let Some(pn) = model.indicators[v.indicator].parent.and_then(node_of) {
                targets.extend(self.measured(pn));
            }
            out.push((v, weight, targets));
        }
        out
    }

    /// Indicators behind schedule that measure no goal or task: their lag
    /// puts nothing of the plan at risk until the rules link them
    /// (`measured_by`). (id, name, status).
    pub fn lagging_unlinked(
        &self,
        model: &Model,
        ev: &Evaluation,
    ) -> Vec<(String, String, String)> {
        self.lagging(model, ev)
            .into_iter()
            .filter(|(_, weight, targets)| *weight == 2 && targets.is_empty())
            .map(|(v, _, _)| {
                let ind = &model.indicators[v.indicator];
                (
                    ind.id.clone(),
                    ind.name.clone(),
                    model.statuses[v.status].name.clone(),
                )
            })
            .collect()
    }

    /// Goals and tasks measured by indicators that lag (behind schedule or
    /// without data), ranked by 2 points per indicator behind and 1 per
    /// indicator without data; the supporters of each, in-progress projects
    /// first (they can still be sped up), then by investment, then measures
    /// and the rest.
    pub fn at_risk(&self, model: &Model, ev: &Evaluation) -> Vec<Risk<'m>> {
        let mut risks: Vec<Risk<'m>> = Vec::new();
        for (v, weight, targets) in self.lagging(model, ev) {
            for (g, _) in targets {
                let ind = &model.indicators[v.indicator];
                let entry = (
                    ind.id.clone(),
                    ind.name.clone(),
                    model.statuses[v.status].name.clone(),
                );
                match risks.iter_mut().find(|r| r.id == self.data.nodes[g].id) {
                    Some(r) => {
                        if !r.indicators.contains(&entry) {
                            r.score += weight;
                            r.indicators.push(entry);
                        }
                    }
                    None => {
                        let nd = &self.data.nodes[g];
                        let mut supporters = self.supports(g, None);
                        supporters.retain(|s| {
                            matches!(
                                s.kind,
                                NodeKind::Project | NodeKind::Measure | NodeKind::Task
                            )
                        });
                        supporters.sort_by(|a, b| {
                            act_rank(a)
                                .cmp(&act_rank(b))
                                .then(
                                    b.investment
                                        .unwrap_or(0.0)
                                        .total_cmp(&a.investment.unwrap_or(0.0)),
                                )
                                .then(a.path.len().cmp(&b.path.len()))
                        });
                        risks.push(Risk {
                            id: nd.id.clone(),
                            name: nd.name.clone(),
                            kind: nd.kind,
                            score: weight,
                            indicators: vec![entry],
                            supporters,
                        });
                    }
                }
            }
        }
        risks.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(b.indicators.len().cmp(&a.indicators.len()))
                .then(a.id.cmp(&b.id))
        });
        risks
    }
}

/// Order in which a planner acts on supporters: projects under way, then
/// planned or signed, then measures, then tasks, then finished projects.
fn act_rank(s: &Supporter) -> u8 {
    use crate::model::graph::StateClass;
    match (s.kind, s.state_class) {
        (NodeKind::Project, Some(StateClass::UnderWay)) => 0,
        (NodeKind::Project, Some(StateClass::Planned) | None) => 1,
        (NodeKind::Measure, _) => 2,
        (NodeKind::Task, _) => 3,
        _ => 4,
    }
}
