//! Ask the plan as a graph: what supports a goal, and which goals are at
//! risk when their indicators lag.
//!
//! ```text
//! cargo run --example graph            # the first goal of the bundled plan
//! cargo run --example graph -- 创新     # a goal named by id, name or part of one
//! ```
//!
//! The graph is declared in the rules (`graph { … }`), lowered into typed
//! nodes and edges (`model.graph`), and viewed through petgraph by
//! `graph::PlanGraph`. Names resolve the way every command resolves them
//! (`resolve::resolve`): an exact id, then a name, then a unique part.

use guihua::corpus::Corpus;
use guihua::graph::PlanGraph;
use guihua::model::graph::NodeKind;
use guihua::{eval, load};
use std::process::ExitCode;

fn main() -> ExitCode {
    let loaded = load::load_texts(load::bundled_rules(), Some(&Corpus::bundled()));
    let Some(model) = loaded.model else {
        eprintln!("{}", loaded.render_diagnostics());
        return ExitCode::from(1);
    };
    let graph = PlanGraph::new(&model.graph);

    // 1. A goal: the one named on the command line, else the first.
    let goal = match std::env::args().nth(1) {
        Some(name) => match graph.resolve_as(&name, &[NodeKind::Goal]) {
            Ok(g) => g,
            Err(e) => {
                // Not found, or several match: the error lists what would do.
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => match model
            .graph
            .nodes
            .iter()
            .position(|n| n.kind == NodeKind::Goal)
        {
            Some(g) => g,
            None => {
                eprintln!("the plan declares no goal");
                return ExitCode::from(1);
            }
        },
    };
    let node = graph.node(goal);
    println!(
        "{}（{}）由以下项目和举措支撑 (is supported by):",
        node.name, node.id
    );

    // 2. Projects and measures behind it, each with its path to the goal.
    for s in graph.supports(goal, None) {
        if matches!(s.kind, NodeKind::Project | NodeKind::Measure) {
            println!("  {} ← {}", s.name, s.path.join(" → "));
        }
    }

    // 3. Join the evaluation: goals and tasks whose indicators lag, ranked.
    let ev = eval::evaluate(&model, model.plan.default_method, model.latest_period());
    println!("\n有风险的目标和任务 (at risk):");
    for r in graph.at_risk(&model, &ev).iter().take(5) {
        let lagging: Vec<String> = r
            .indicators
            .iter()
            .map(|(_, name, status)| format!("{name}（{status}）"))
            .collect();
        println!("  {} [{}]: {}", r.name, r.score, lagging.join("、"));
    }
    ExitCode::SUCCESS
}
