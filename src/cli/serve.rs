//! `guihua serve`: the planner's desk in a browser, on this machine.
//!
//! Everything is computed once at start from the workspace (read-only):
//! the pages and the JSON are then looked up by the request, never built
//! from a path on disk, so no parameter can reach a file.

use super::{as_of, load_model, method, title, Ctx, Exit, Judge};
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use clap::Args;
use guihua::desk::{chart, esc, html};
use guihua::report::{self, Report};
use guihua::{eval, model::Model};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The largest request body accepted (the pages are read with GET).
const BODY_LIMIT: usize = 16 * 1024;

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    judge: Judge,
    /// Port to listen on (0: any free port, printed at start)
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on; only this machine can connect unless told otherwise
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
}

struct Desk {
    title: String,
    report: Report,
    eval_json: String,
    report_html: String,
    /// Indicator id → (its page, its JSON).
    indicators: HashMap<String, (String, String)>,
}

fn build(
    model: &Model,
    m: usize,
    p: guihua::period::Period,
    title: String,
    ctx: &Ctx,
) -> Result<Desk, Exit> {
    let ev = eval::evaluate(model, m, p);
    let r = report::build(model, &ev);
    let charts = chart::charts(model, &ev);
    let pg = guihua::graph::PlanGraph::new(&model.graph);
    let risks = pg.at_risk(model, &ev);
    let ranking = guihua::graph::render::ranking(model).1;
    let findings = guihua::check::check(model, ctx.corpus()?, &[]);
    let report_html = html::page(&html::Page {
        title: &title,
        report: &r,
        charts: &charts,
        risks: &risks,
        ranking: &ranking,
        findings: &findings,
    });
    let mut indicators = HashMap::new();
    for row in &r.rows {
        let Some(k) = model.indicators.iter().position(|i| i.id == row.id) else {
            continue;
        };
        let ex = eval::explain(model, m, k, p);
        let text = report::explain(model, &ex, m);
        let page = html::indicator_page(&title, row, charts.iter().find(|c| c.id == row.id), &text);
        let json = serde_json::to_string_pretty(&serde_json::json!({
            "id": row.id,
            "row": row,
            "explanation": text,
        }))
        .expect("serializes");
        indicators.insert(row.id.clone(), (page, json));
    }
    Ok(Desk {
        eval_json: serde_json::to_string_pretty(&r).expect("report serializes") + "\n",
        title,
        report: r,
        report_html,
        indicators,
    })
}

pub fn run(a: ServeArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let model = load_model(ctx)?;
    let m = method(&model, &a.judge)?;
    let p = as_of(&model, &a.judge)?;
    let t = title(ctx, &model);
    let desk = Arc::new(build(&model, m, p, t, ctx)?);
    drop(model);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| {
            eprintln!("error: 无法启动服务 (cannot start the server): {e}");
            Exit::Usage
        })?;
    rt.block_on(async move {
        let addr = SocketAddr::new(a.host, a.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            eprintln!("error: 无法监听 {addr} (cannot listen on {addr}): {e}");
            Exit::Usage
        })?;
        let local = listener.local_addr().map_err(|_| Exit::Usage)?;
        if !a.host.is_loopback() {
            eprintln!(
                "注意：服务对网络上的其他机器可见 (note: the server is reachable from other machines on {})",
                a.host
            );
        }
        println!("guihua 规划工作台已启动：http://{local}/ （按 Ctrl-C 停止）(serving; Ctrl-C stops)");
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        axum::serve(listener, app(desk)).await.map_err(|e| {
            eprintln!("error: 服务中断 (the server stopped): {e}");
            Exit::Usage
        })?;
        Ok(Exit::Success)
    })
}

fn app(desk: Arc<Desk>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/indicator/{id}", get(indicator))
        .route("/report", get(full_report))
        .route("/api/eval", get(api_eval))
        .route("/api/indicator/{id}", get(api_indicator))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(desk)
}

/// A page: HTML with a policy that allows no script and no outside asset.
fn page(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn json(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[derive(Debug, Deserialize)]
struct Filter {
    status: Option<String>,
    category: Option<String>,
}

async fn index(State(d): State<Arc<Desk>>, Query(f): Query<Filter>) -> Response {
    let nonempty = |s: &Option<String>| s.as_deref().filter(|x| !x.is_empty()).map(str::to_string);
    let (status, category) = (nonempty(&f.status), nonempty(&f.category));
    page(
        StatusCode::OK,
        html::index_page(&d.title, &d.report, status.as_deref(), category.as_deref()),
    )
}

async fn indicator(State(d): State<Arc<Desk>>, UrlPath(id): UrlPath<String>) -> Response {
    match d.indicators.get(&id) {
        Some((p, _)) => page(StatusCode::OK, p.clone()),
        None => missing(&id),
    }
}

async fn api_indicator(State(d): State<Arc<Desk>>, UrlPath(id): UrlPath<String>) -> Response {
    match d.indicators.get(&id) {
        Some((_, j)) => json(StatusCode::OK, j.clone()),
        None => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({ "error": format!("没有指标 `{}` (no indicator)", guihua::limits::echo(&id)) })
                .to_string(),
        ),
    }
}

async fn full_report(State(d): State<Arc<Desk>>) -> Response {
    page(StatusCode::OK, d.report_html.clone())
}

async fn api_eval(State(d): State<Arc<Desk>>) -> Response {
    json(StatusCode::OK, d.eval_json.clone())
}

fn missing(what: &str) -> Response {
    page(
        StatusCode::NOT_FOUND,
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>找不到</title></head><body><h1>找不到 `{}`</h1><p><a href=\"/\">返回指标表</a></p></body></html>\n",
            esc(&guihua::limits::echo(what))
        ),
    )
}

async fn not_found(uri: axum::http::Uri) -> Response {
    missing(uri.path())
}
