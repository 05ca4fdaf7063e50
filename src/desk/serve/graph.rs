//! 图谱: a goal's supports, the indicators measuring it and the goals at
//! risk, as a page with its SVG and as the JSON of `guihua graph`.

use super::respond::{broken, error, json_value, nonempty, page, rules_have_errors};
use super::{App, Desk};
use crate::desk::web::{self, Tab};
use crate::graph::{render, PlanGraph, Risk};
use crate::limits;
use crate::model::graph::NodeKind;
use crate::model::StatusClass;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub(super) struct GraphParams {
    goal: Option<String>,
}

/// Goals (and tasks at risk) for the picker: (id, name, risk score),
/// those at risk first in their rank order.
fn goal_list(pg: &PlanGraph, risks: &[Risk]) -> Vec<(String, String, Option<u32>)> {
    let mut out: Vec<(String, String, Option<u32>)> = risks
        .iter()
        .map(|r| (r.id.clone(), r.name.clone(), Some(r.score)))
        .collect();
    for n in &pg.data.nodes {
        if n.kind == NodeKind::Goal && !out.iter().any(|(id, _, _)| *id == n.id) {
            out.push((n.id.clone(), n.name.clone(), None));
        }
    }
    out
}

/// A goal or task named by the request.
fn resolve_goal(pg: &PlanGraph, key: &str) -> Result<usize, String> {
    let v = pg
        .resolve_as(key, &[NodeKind::Goal, NodeKind::Task])
        .map_err(|e| format!("`{}`: {e}", limits::echo(key)))?;
    let n = pg.node(v);
    if matches!(n.kind, NodeKind::Goal | NodeKind::Task) {
        Ok(v)
    } else {
        Err(format!(
            "`{}` 是{}，不是目标或任务 (is a {}, not a goal or task)",
            limits::echo(key),
            n.kind.chinese(),
            n.kind.word()
        ))
    }
}

fn status_of(d: &Desk) -> impl Fn(&str) -> Option<(String, StatusClass)> + '_ {
    |id: &str| {
        d.report
            .rows
            .iter()
            .find(|r| r.id == id)
            .map(|r| (r.status.clone(), r.class))
    }
}

pub(super) async fn graph_page(
    State(app): State<Arc<App>>,
    Query(p): Query<GraphParams>,
) -> Response {
    let d = match app.desk() {
        Ok(d) => d,
        Err(e) => return broken(&app, "图谱", Tab::Graph, &e),
    };
    let pg = PlanGraph::new(&d.model.graph);
    let risks = pg.at_risk(&d.model, &d.ev);
    let goals = goal_list(&pg, &risks);
    let Some(key) = nonempty(&p.goal) else {
        return page(
            StatusCode::OK,
            web::graph_page(&app.title, &goals, None, None),
        );
    };
    match resolve_goal(&pg, &key) {
        Err(e) => page(
            StatusCode::NOT_FOUND,
            web::graph_page(&app.title, &goals, None, Some(&e)),
        ),
        Ok(g) => {
            let supporters = pg.supports(g, None);
            let indicators = web::measuring(&pg, g, &status_of(&d));
            let id = &pg.node(g).id;
            let view = web::GoalView {
                pg: &pg,
                goal: g,
                supporters: &supporters,
                indicators: &indicators,
                risk: risks.iter().find(|r| r.id == *id),
            };
            page(
                StatusCode::OK,
                web::graph_page(&app.title, &goals, Some(&view), None),
            )
        }
    }
}

pub(super) async fn api_graph(
    State(app): State<Arc<App>>,
    Query(p): Query<GraphParams>,
) -> Response {
    let d = match app.desk() {
        Ok(d) => d,
        Err(e) => return rules_have_errors(&e),
    };
    let pg = PlanGraph::new(&d.model.graph);
    let risks = pg.at_risk(&d.model, &d.ev);
    let Some(key) = nonempty(&p.goal) else {
        // `graph at-risk --format json`.
        return json_value(
            StatusCode::OK,
            &render::at_risk_json(
                &risks,
                &pg.lagging_unlinked(&d.model, &d.ev),
                &d.ev.as_of.to_string(),
                &d.model,
            ),
        );
    };
    match resolve_goal(&pg, &key) {
        Err(e) => error(StatusCode::NOT_FOUND, &e),
        Ok(g) => {
            let supporters = pg.supports(g, None);
            let indicators = web::measuring(&pg, g, &status_of(&d));
            let id = &pg.node(g).id;
            let measured: Vec<Value> = indicators
                .iter()
                .map(|(i, status, _)| {
                    let n = pg.node(*i);
                    json!({"id": n.id, "name": n.name, "status": status})
                })
                .collect();
            let impact: Vec<Value> = indicators
                .iter()
                .map(|(i, _, _)| render::impact(&pg, *i).0)
                .collect();
            json_value(
                StatusCode::OK,
                &json!({
                    // `graph supports GOAL --format json`.
                    "supports": render::supports_json(&pg, g, &supporters),
                    "measured_by": measured,
                    // `graph impact INDICATOR --format json` of each.
                    "impact": impact,
                    // Its entry of `graph at-risk --format json`, if any.
                    "at_risk": risks.iter().find(|r| r.id == *id),
                }),
            )
        }
    }
}
