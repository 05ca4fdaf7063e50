//! `guihua graph …` and `guihua show NODE`: questions to the plan as a graph.

use super::{as_of, load_model, method, Ctx, Exit, Judge};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand, ValueEnum};
use guihua::graph::{export, render, PlanGraph};
use guihua::messages::{Said, UsageMessage};
use guihua::model::graph::NodeKind;
use guihua::model::Model;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Dot,
    Mermaid,
    Json,
}

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(subcommand)]
    query: Query,
}

#[derive(Debug, Subcommand)]
enum Query {
    /// Projects, measures and tasks that support a goal, with paths and sources (支撑)
    Supports {
        /// Goal id or a unique part of its name, e.g. 创新创业示范基地
        goal: String,
        /// Only supporters of this kind
        #[arg(long, value_parser = kind_parser())]
        kind: Option<NodeKind>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// What a node depends on, transitively, in an order that can be followed (依赖)
    Deps {
        /// Node id or a unique part of its name
        node: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The goals and tasks an indicator measures, and the projects that support them (影响)
    Impact {
        /// Indicator id or a unique part of its name
        indicator: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Goals with lagging indicators and what supports them, ranked (风险)
    AtRisk {
        #[command(flatten)]
        judge: Judge,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The graph for Graphviz, Mermaid or other tools (导出)
    Export {
        #[arg(long, value_enum, default_value = "dot")]
        format: ExportFormat,
        /// Only the neighbourhood of this node
        #[arg(long)]
        root: Option<String>,
        /// Steps from the root
        #[arg(long, default_value_t = 2)]
        depth: usize,
    },
}

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Node id or a unique part of its name
    node: String,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn resolve(pg: &PlanGraph, key: &str) -> Result<usize, Exit> {
    resolve_as(pg, key, &[])
}

fn resolve_as(pg: &PlanGraph, key: &str, kinds: &[NodeKind]) -> Result<usize, Exit> {
    pg.resolve_as(key, kinds).map_err(|e| {
        eprintln!("error: `{key}`: {e}");
        Exit::Usage
    })
}

fn emit(format: Format, json: serde_json::Value, text: String) {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("serializes")
        ),
        Format::Text => print!("{text}"),
    }
}

/// `--kind`: the model's own kind words, listed in `--help`.
fn kind_parser() -> impl TypedValueParser<Value = NodeKind> {
    PossibleValuesParser::new(NodeKind::ALL.map(NodeKind::word))
        .map(|w: String| NodeKind::parse(&w).expect("a possible value is a kind word"))
}

pub fn run(a: GraphArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let model: Model = load_model(ctx)?;
    let pg = PlanGraph::new(&model.graph);
    match a.query {
        Query::Supports {
            goal,
            kind: k,
            format,
        } => {
            let g = resolve_as(&pg, &goal, &[NodeKind::Goal])?;
            let list = pg.supports(g, k);
            emit(
                format,
                render::supports_json(&pg, g, &list),
                render::supports_text(&pg, g, &list),
            );
        }
        Query::Deps { node, format } => {
            let v = resolve(&pg, &node)?;
            match pg.deps(v) {
                Ok(d) => emit(
                    format,
                    render::deps_json(&pg, v, &d),
                    render::deps_text(&pg, v, &d),
                ),
                Err(cycle) => {
                    eprintln!(
                        "error: {}",
                        Said::from(UsageMessage::DependencyCycle(cycle))
                    );
                    return Ok(Exit::Failure);
                }
            }
        }
        Query::Impact { indicator, format } => {
            let v = resolve_as(&pg, &indicator, &[NodeKind::Indicator])?;
            if pg.node(v).kind != NodeKind::Indicator {
                return Err(super::usage(UsageMessage::NotAnIndicator {
                    asked: indicator,
                    kind_zh: pg.node(v).kind.chinese(),
                    kind_en: pg.node(v).kind.word(),
                }));
            }
            let (json, text) = render::impact(&pg, v);
            emit(format, json, text);
        }
        Query::AtRisk { judge, format } => {
            let m = method(&model, &judge)?;
            let p = as_of(&model, &judge)?;
            let ev = guihua::eval::evaluate(&model, m, p);
            let risks = pg.at_risk(&model, &ev);
            let unlinked = pg.lagging_unlinked(&model, &ev);
            emit(
                format,
                render::at_risk_json(&risks, &unlinked, &p.to_string(), &model),
                render::at_risk_text(&risks, &unlinked, &p.chinese(), &model),
            );
        }
        Query::Export {
            format,
            root,
            depth,
        } => {
            let r = match root {
                Some(k) => Some(resolve(&pg, &k)?),
                None => None,
            };
            let keep = export::select(&pg, r, depth);
            match format {
                ExportFormat::Dot => print!("{}", export::dot(&pg, &keep)),
                ExportFormat::Mermaid => print!("{}", export::mermaid(&pg, &keep)),
                ExportFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&export::json(&pg, &keep)).expect("serializes")
                ),
            }
        }
    }
    Ok(Exit::Success)
}

pub fn run_show(a: ShowArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let model: Model = load_model(ctx)?;
    let pg = PlanGraph::new(&model.graph);
    let v = resolve(&pg, &a.node)?;
    // The corpus the rules' quotes were checked against, ingested once.
    let (json, text) = render::show(&pg, v, ctx.corpus()?);
    emit(a.format, json, text);
    Ok(Exit::Success)
}
