//! The plan graph at national scale: about 1M nodes and 3M edges, against a
//! bare petgraph `DiGraph` of the same shape, in one run.
//!
//! Shape: 1,000 goals; 50 tasks per goal (`part_of`); 949,000 projects, each
//! supporting one task and, one in two, a second task (`supports`); 2
//! `depends_on` edges per project towards earlier projects of its block of 32
//! (a DAG).
//! Reports build time and heap growth, and the median and p99 latency of
//! `supports` (reverse BFS with paths) over 1,000 random goals and of `deps`
//! (transitive dependencies in order) over 1,000 random projects.
//!
//! usage: cargo bench --bench graph [-- --queries 1000]

use guihua::graph::PlanGraph;
use guihua::model::graph::{EdgeKind, GEdge, GNode, GraphData, NodeKind};
use guihua::span::Span;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::time::Instant;

mod util;
use util::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOC: Counting = Counting;

struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn node(id: String, kind: NodeKind) -> GNode {
    GNode {
        id: id.clone(),
        kind,
        name: id,
        aliases: vec![],
        source: None,
        investment: None,
        year: None,
        state: None,
        state_class: None,
        expansion: None,
        words: vec![],
        notes: vec![],
        indicator: None,
        span: Span::default(),
    }
}

fn generate() -> GraphData {
    let (goals, tasks_per, projects) = (1_000usize, 50usize, 949_000usize);
    let mut rng = Lcg(2021);
    let mut d = GraphData::default();
    let edge = |from, to, kind| GEdge {
        from,
        to,
        kind,
        source: None,
        span: Span::default(),
    };
    for g in 0..goals {
        d.nodes.push(node(format!("goal{g}"), NodeKind::Goal));
    }
    let t0 = d.nodes.len();
    for g in 0..goals {
        for t in 0..tasks_per {
            d.nodes.push(node(format!("task{g}_{t}"), NodeKind::Task));
            d.edges.push(edge(d.nodes.len() - 1, g, EdgeKind::PartOf));
        }
    }
    let ntasks = goals * tasks_per;
    let p0 = d.nodes.len();
    for p in 0..projects {
        d.nodes.push(node(format!("project{p}"), NodeKind::Project));
        let me = p0 + p;
        d.edges
            .push(edge(me, t0 + rng.below(ntasks), EdgeKind::Supports));
        if p % 2 == 0 {
            d.edges
                .push(edge(me, t0 + rng.below(ntasks), EdgeKind::Supports));
        }
        // Two dependencies on earlier projects of the same block of 32:
        // dependency sets of a few to a few dozen, as in a real plan.
        let in_block = p % 32;
        if in_block > 0 {
            for _ in 0..2 {
                let back = 1 + rng.below(in_block);
                d.edges.push(edge(me, me - back, EdgeKind::DependsOn));
            }
        }
    }
    d
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (
        v[v.len() / 2],
        v[((v.len() - 1) as f64 * 0.99).round() as usize],
    )
}

fn main() {
    let nq: usize = util::opt("--queries")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let data = generate();
    let (n, m) = (data.nodes.len(), data.edges.len());
    println!(
        "graph: {n} nodes, {m} edges ({} depends_on)",
        data.edges
            .iter()
            .filter(|e| e.kind == EdgeKind::DependsOn)
            .count()
    );

    // Bare petgraph: the same edges, no payload.
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = Instant::now();
    let mut bare: DiGraph<(), u8> = DiGraph::with_capacity(n, m);
    for _ in 0..n {
        bare.add_node(());
    }
    for e in &data.edges {
        bare.add_edge(NodeIndex::new(e.from), NodeIndex::new(e.to), e.kind as u8);
    }
    let bare_build = t.elapsed().as_secs_f64();
    let bare_mem = PEAK.load(Ordering::Relaxed) - base;

    // Ours.
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = Instant::now();
    let pg = PlanGraph::new(&data);
    let our_build = t.elapsed().as_secs_f64();
    let our_mem = PEAK.load(Ordering::Relaxed) - base;

    let mut rng = Lcg(7);
    let goals: Vec<usize> = (0..nq).map(|_| rng.below(1_000)).collect();
    let projects: Vec<usize> = (0..nq).map(|_| 51_000 + rng.below(949_000)).collect();

    // supports: reverse BFS over support-like edges, with a parent pointer per node.
    let bare_supports = |goal: usize| -> usize {
        let mut via: Vec<Option<u32>> = vec![None; n];
        let mut seen = vec![false; n];
        seen[goal] = true;
        let mut found = 0;
        let mut q = VecDeque::from([goal]);
        while let Some(v) = q.pop_front() {
            for e in bare.edges_directed(NodeIndex::new(v), Direction::Incoming) {
                if *e.weight() > 2 {
                    continue; // depends_on and later kinds
                }
                let u = e.source().index();
                if !seen[u] {
                    seen[u] = true;
                    via[u] = Some(e.id().index() as u32);
                    found += 1;
                    q.push_back(u);
                }
            }
        }
        found + via.len()
    };
    let time = |f: &mut dyn FnMut(usize) -> usize, xs: &[usize]| -> (f64, f64, usize) {
        let mut total = 0;
        let v: Vec<f64> = xs
            .iter()
            .map(|&x| {
                let t = Instant::now();
                total += f(x);
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        let (p50, p99) = stats(v);
        (p50, p99, total)
    };
    let (b50, b99, _) = time(&mut |g| bare_supports(g), &goals);
    let (o50, o99, found) = time(&mut |g| pg.supports_idx(g, None).0.len(), &goals);
    let (f50, f99, _) = time(&mut |g| pg.supports(g, None).len(), &goals);

    // deps: DFS over depends_on edges, post-order.
    let bare_deps = |p: usize| -> usize {
        let mut state: std::collections::HashMap<usize, u8> = std::collections::HashMap::new();
        let mut out = Vec::new();
        let mut stack = vec![(p, false)];
        while let Some((v, done)) = stack.pop() {
            if done {
                out.push(v);
                continue;
            }
            if state.contains_key(&v) {
                continue;
            }
            state.insert(v, 1);
            stack.push((v, true));
            for e in bare.edges_directed(NodeIndex::new(v), Direction::Outgoing) {
                if *e.weight() == EdgeKind::DependsOn as u8
                    && !state.contains_key(&e.target().index())
                {
                    stack.push((e.target().index(), false));
                }
            }
        }
        out.len()
    };
    let (db50, db99, _) = time(&mut |p| bare_deps(p), &projects);
    let (do50, do99, ndeps) = time(&mut |p| pg.deps_idx(p).map_or(0, |d| d.len()), &projects);
    let (df50, df99, _) = time(&mut |p| pg.deps(p).map_or(0, |d| d.len()), &projects);

    println!("{:<38} {:>12} {:>12}", "", "bare petgraph", "guihua");
    println!(
        "{:<38} {:>12.1} {:>12.1}   ratio {:.2}",
        "build (ms)",
        bare_build * 1e3,
        our_build * 1e3,
        our_build / bare_build
    );
    println!(
        "{:<38} {:>12.1} {:>12.1}",
        "build heap growth (MB)",
        bare_mem as f64 / 1e6,
        our_mem as f64 / 1e6
    );
    println!(
        "{:<38} {:>12.3} {:>12.3}   ratio {:.2}",
        "supports p50 (ms), node indices + paths",
        b50,
        o50,
        o50 / b50
    );
    println!(
        "{:<38} {:>12.3} {:>12.3}   ratio {:.2}",
        "supports p99 (ms)",
        b99,
        o99,
        o99 / b99
    );
    println!(
        "{:<38} {:>12} {:>12.3}",
        "supports p50 (ms), with ids and quotes", "", f50
    );
    println!(
        "{:<38} {:>12} {:>12.3}",
        "supports p99 (ms), with ids and quotes", "", f99
    );
    println!(
        "{:<38} {:>12.4} {:>12.4}   ratio {:.2}",
        "deps p50 (ms), node indices in order",
        db50,
        do50,
        do50 / db50
    );
    println!(
        "{:<38} {:>12.4} {:>12.4}   ratio {:.2}",
        "deps p99 (ms)",
        db99,
        do99,
        do99 / db99
    );
    println!(
        "{:<38} {:>12} {:>12.4}",
        "deps p50 (ms), with ids and quotes", "", df50
    );
    println!(
        "{:<38} {:>12} {:>12.4}",
        "deps p99 (ms), with ids and quotes", "", df99
    );
    // The model's node payload (ids, names) exists before either build, in
    // `GraphData`, and is counted in neither.
    println!("({nq} queries each; {found} supporters and {ndeps} dependencies found in all)");
}
