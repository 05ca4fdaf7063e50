//! `guihua report`: the whole evaluation as one self-contained HTML file.

use super::{as_of, load_model_unchecked, method, title, write_output, Ctx, Exit, Judge};
use clap::Args;
use guihua::desk::{chart, html};
use guihua::graph::PlanGraph;
use guihua::{check, eval, report};
use std::path::PathBuf;

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    judge: Judge,
    /// The HTML file to write (default: standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(a: ReportArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let corpus = ctx.corpus()?;
    // Quotes that do not hold are reported among the check findings.
    let model = load_model_unchecked(ctx)?;
    let m = method(&model, &a.judge)?;
    let p = as_of(&model, &a.judge)?;
    let ev = eval::evaluate(&model, m, p);
    let r = report::build(&model, &ev);
    let charts = chart::charts(&model, &ev);
    let pg = PlanGraph::new(&model.graph);
    let risks = pg.at_risk(&model, &ev);
    let ranking = guihua::graph::render::ranking(&model).1;
    let findings = check::check(&model, corpus, &[]);
    let t = title(ctx, &model);
    let doc = html::page(&html::Page {
        title: &t,
        report: &r,
        charts: &charts,
        risks: &risks,
        ranking: &ranking,
        findings: &findings,
    });
    write_output(a.output.as_deref(), doc.as_bytes())?;
    if let Some(o) = &a.output {
        eprintln!(
            "已写入报告 `{}`：{} 项指标、{} 张图表、{} 个受影响的目标和任务、{} 处不一致",
            o.display(),
            r.rows.len(),
            charts.len(),
            risks.len(),
            findings.len()
        );
    }
    Ok(Exit::Success)
}
