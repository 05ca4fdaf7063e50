//! `guihua serve`: the planner's desk in a browser, on this machine.
//!
//! At start the workspace is read once: the evaluation, the check findings
//! and the pages of the indicators are computed, the documents are indexed
//! for search (in memory), and the names of the rule files are listed.
//! Requests then look things up by what they name — an indicator id, a
//! goal, a document of the corpus, a rule file in that list — never by a
//! path built from a parameter, so no parameter can reach another file.
//!
//! The one write: the rule editor saves a listed rule file (temporary file,
//! fsync, rename; the previous version kept in `.history/`), and the
//! evaluation is then computed again from the saved rules.

use super::{as_of, method, title, write_atomic, Ctx, Exit, Judge};
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use clap::Args;
use guihua::check::Finding;
use guihua::corpus::Corpus;
use guihua::desk::web::{self, Place, Tab};
use guihua::desk::{chart, esc, html};
use guihua::eval::Evaluation;
use guihua::graph::{render, PlanGraph};
use guihua::limits::{self, MAX_EDITED_RULE_BYTES};
use guihua::model::graph::NodeKind;
use guihua::model::{Model, StatusClass};
use guihua::period::Period;
use guihua::report::{self, Report};
use guihua::search::store;
use guihua::search::{Lexicon, SearchIndex};
use guihua::span::Severity;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The largest request body accepted by every route but the rule editor's.
const BODY_LIMIT: usize = 16 * 1024;
/// Versions of a rule file kept in `.history/` (the oldest are removed).
const HISTORY_KEPT: usize = 20;
/// Headings offered in the search page's section filter.
const MAX_SECTIONS: usize = 300;

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

/// What the evaluation gives, computed from one rule set.
struct Desk {
    model: Model,
    ev: Evaluation,
    report: Report,
    eval_json: String,
    report_html: String,
    /// Indicator id → (its page, its JSON).
    indicators: HashMap<String, (String, String)>,
    check: Arc<Checked>,
}

/// The `check` findings and their JSON (`check --format json`).
struct Checked {
    findings: Vec<Finding>,
    json: String,
}

impl Checked {
    fn new(findings: Vec<Finding>) -> Checked {
        Checked {
            json: serde_json::to_string_pretty(&json!({ "findings": findings }))
                .expect("serializes")
                + "\n",
            findings,
        }
    }
}

/// The rule files the editor may open and save.
struct Rules {
    /// Their folder; `None` for the bundled example (read-only).
    dir: Option<PathBuf>,
    /// What `--rules` (or the workspace) named: the folder, or one file.
    path: Option<PathBuf>,
    /// Names relative to `dir` (`indicators.guihua`, `tests/附件1.guihua`).
    names: Vec<String>,
}

/// The server's state: what does not change, and the desk, computed again
/// after the rules are saved.
struct App {
    title: String,
    corpus: Corpus,
    index: SearchIndex,
    sections: Vec<(u8, String)>,
    rules: Rules,
    method: Option<String>,
    as_of: Option<String>,
    /// The evaluation, or the rendered errors of the rules.
    desk: RwLock<Result<Arc<Desk>, String>>,
    /// The findings of the rules as last loaded: the desk's, or, when the
    /// rules do not load only because of their quotes, those of the rules
    /// loaded without checking quotes (as `guihua check` does).
    checked: RwLock<Option<Arc<Checked>>>,
    /// One save at a time.
    saving: Mutex<()>,
    /// Host names a request may be addressed to; `None`: any (`--host` on a network).
    hosts: Option<Vec<String>>,
}

impl App {
    fn checked(&self) -> Option<Arc<Checked>> {
        self.checked
            .read()
            .map_or_else(|p| p.into_inner().clone(), |c| c.clone())
    }

    fn desk(&self) -> Result<Arc<Desk>, String> {
        self.desk
            .read()
            .map_or_else(|p| p.into_inner().clone(), |d| d.clone())
    }
}

fn build(
    files: Vec<(String, String)>,
    corpus: &Corpus,
    m: Option<&str>,
    p: Option<&str>,
    title: &str,
) -> Result<Desk, String> {
    let loaded = guihua::load::load_texts(files, Some(corpus));
    let model = match loaded.model {
        Some(m) if !loaded.has_errors() => m,
        _ => return Err(loaded.render_diagnostics()),
    };
    let m = m
        .and_then(|m| model.find_method(m))
        .unwrap_or(model.plan.default_method);
    let p = p
        .and_then(Period::parse)
        .filter(|p| p.year >= model.plan.start && p.year <= model.plan.end)
        .unwrap_or_else(|| model.latest_period());
    let ev = guihua::eval::evaluate(&model, m, p);
    let r = report::build(&model, &ev);
    let charts = chart::charts(&model, &ev);
    let findings = guihua::check::check(&model, corpus, &[]);
    let report_html = {
        let pg = PlanGraph::new(&model.graph);
        let risks = pg.at_risk(&model, &ev);
        let ranking = render::ranking(&model).1;
        html::page(&html::Page {
            title,
            report: &r,
            charts: &charts,
            risks: &risks,
            ranking: &ranking,
            findings: &findings,
        })
    };
    let mut indicators = HashMap::new();
    for row in &r.rows {
        let Some(k) = model.indicators.iter().position(|i| i.id == row.id) else {
            continue;
        };
        let ex = guihua::eval::explain(&model, m, k, p);
        let text = report::explain(&model, &ex, m);
        let page = html::indicator_page(title, row, charts.iter().find(|c| c.id == row.id), &text);
        let json = serde_json::to_string_pretty(&json!({
            "id": row.id,
            "row": row,
            "explanation": text,
        }))
        .expect("serializes");
        indicators.insert(row.id.clone(), (page, json));
    }
    Ok(Desk {
        eval_json: serde_json::to_string_pretty(&r).expect("report serializes") + "\n",
        check: Arc::new(Checked::new(findings)),
        report: r,
        report_html,
        indicators,
        ev,
        model,
    })
}

/// The rule files: their folder and names, or the bundled ones.
fn rule_files(ctx: &Ctx) -> Result<(Rules, Vec<(String, String)>), Exit> {
    let files = ctx.rule_files(None)?;
    let Some(path) = ctx.rules_path(None) else {
        let names = files
            .iter()
            .map(|(n, _)| n.strip_prefix("rules/").unwrap_or(n).to_string())
            .collect();
        return Ok((
            Rules {
                dir: None,
                path: None,
                names,
            },
            files,
        ));
    };
    let dir = if path.is_dir() {
        path.clone()
    } else {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let names = files
        .iter()
        .map(|(n, _)| relative_name(&dir, Path::new(n)))
        .collect();
    Ok((
        Rules {
            dir: Some(dir),
            path: Some(path),
            names,
        },
        files,
    ))
}

fn relative_name(dir: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(dir).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn run(a: ServeArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let corpus = ctx.corpus()?.clone();
    let (rules, files) = rule_files(ctx)?;
    // The search index does not change while the server runs: words and
    // synonyms from the rules as they are at start (quotes unchecked, as
    // for `guihua search`).
    let loading = guihua::search::tokenizer::Segmenter::start_loading();
    let words = guihua::load::load_texts(files.clone(), None).model;
    let desk = match words.as_ref() {
        Some(model) => {
            // Say bad method or period names at start, as `eval` does.
            method(model, &a.judge)?;
            as_of(model, &a.judge)?;
            let t = title(ctx, model);
            build(
                files,
                &corpus,
                a.judge.method.as_deref(),
                a.judge.as_of.as_deref(),
                &t,
            )
            .map(|d| (t, Arc::new(d)))
        }
        None => Err(guihua::load::load_texts(files, Some(&corpus)).render_diagnostics()),
    };
    let (title, desk) = match desk {
        Ok((t, d)) => (t, Ok(d)),
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            eprintln!(
                "注意：规则有错误，无法评估，指标和图谱页暂不可用；可在规则页修改 (note: the rules have errors; fix them on the 规则 page)"
            );
            let t = match words.as_ref() {
                Some(m) => title(ctx, m),
                None => ctx
                    .workspace
                    .as_ref()
                    .map(|w| {
                        w.config
                            .title
                            .clone()
                            .unwrap_or_else(|| w.config.name.clone())
                    })
                    .unwrap_or_else(|| "guihua".to_string()),
            };
            (t, Err(diagnostics))
        }
    };
    // Rules that fail only on their quotes are still checked (their
    // provenance findings say which quotes).
    let checked = match &desk {
        Ok(d) => Some(d.check.clone()),
        Err(_) => words
            .as_ref()
            .map(|m| Arc::new(Checked::new(guihua::check::check(m, &corpus, &[])))),
    };
    let mut input = store::Input::corpus(&corpus);
    if let Some(dir) = ctx.corpus_path() {
        input.jsonl = store::jsonl_files(&dir).map_err(|e| {
            eprintln!("error: {e}");
            Exit::Usage
        })?;
    }
    let lexicon = Lexicon::new(words.as_ref(), &input.glossary);
    let seg = loading.with(lexicon.terms.iter().map(String::as_str));
    let index = SearchIndex::build_with(input.units(), lexicon, seg, None, 1, &mut |_| {})
        .map_err(|e| {
            eprintln!("error: {e}");
            Exit::Usage
        })?;
    drop(words);
    let mut sections: Vec<(u8, String)> = Vec::new();
    for h in corpus.ingested().iter().flat_map(|i| &i.outline) {
        if h.level <= 2
            && sections.len() < MAX_SECTIONS
            && !sections.iter().any(|(_, t)| *t == h.text)
        {
            sections.push((h.level, h.text.clone()));
        }
    }
    let hosts = (!a.host.is_unspecified()).then(|| {
        let mut h = vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        h.push(match a.host {
            IpAddr::V6(v6) => format!("[{v6}]"),
            v4 => v4.to_string(),
        });
        h
    });
    let app = Arc::new(App {
        title,
        corpus,
        index,
        sections,
        rules,
        method: a.judge.method.clone(),
        as_of: a.judge.as_of.clone(),
        checked: RwLock::new(checked),
        desk: RwLock::new(desk),
        saving: Mutex::new(()),
        hosts,
    });
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
        axum::serve(listener, routes(app)).await.map_err(|e| {
            eprintln!("error: 服务中断 (the server stopped): {e}");
            Exit::Usage
        })?;
        Ok(Exit::Success)
    })
}

fn routes(app: Arc<App>) -> Router {
    let editor = DefaultBodyLimit::max(MAX_EDITED_RULE_BYTES);
    Router::new()
        .route("/", get(index))
        .route("/indicator/{id}", get(indicator))
        .route("/report", get(full_report))
        .route("/search", get(search_page))
        .route("/check", get(check_page))
        .route("/doc/{name}", get(doc_page))
        .route("/graph", get(graph_page))
        .route("/rules", get(rules_page))
        .route("/assets/rules.js", get(rules_js))
        .route("/api/eval", get(api_eval))
        .route("/api/indicator/{id}", get(api_indicator))
        .route("/api/search", get(api_search))
        .route("/api/check", get(api_check))
        .route("/api/graph", get(api_graph))
        .route("/api/lint", post(api_lint).layer(editor))
        .route("/api/rules/{*file}", post(api_save).layer(editor))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(app.clone(), host_guard))
        .with_state(app)
}

/// Refuses a request addressed to another host name than this machine's
/// (a web page whose name was pointed at 127.0.0.1, "DNS rebinding"),
/// unless the server was told to listen on every address.
async fn host_guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Some(allowed) = &app.hosts {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let name = match host.rfind(':') {
            Some(k) if !host.ends_with(']') => &host[..k],
            _ => host,
        };
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            return error(
                StatusCode::MISDIRECTED_REQUEST,
                &format!(
                    "请求的主机名 `{}` 不是本机 (the request names another host)",
                    limits::echo(host)
                ),
            );
        }
    }
    next.run(req).await
}

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A page: HTML with a policy that allows no outside asset and no script
/// but the app's own.
fn page(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn json_text(status: StatusCode, body: String) -> Response {
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

fn json_value(status: StatusCode, v: &Value) -> Response {
    json_text(
        status,
        serde_json::to_string_pretty(v).expect("serializes") + "\n",
    )
}

fn error(status: StatusCode, message: &str) -> Response {
    json_value(status, &json!({ "error": message }))
}

/// The page shown instead of one that needs the evaluation, when the
/// rules have errors.
fn broken(app: &App, heading: &str, tab: Tab, diagnostics: &str) -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        web::broken_page(&app.title, heading, tab, diagnostics),
    )
}

#[derive(Debug, Deserialize)]
struct Filter {
    status: Option<String>,
    category: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
}

async fn index(State(app): State<Arc<App>>, Query(f): Query<Filter>) -> Response {
    let d = match app.desk() {
        Ok(d) => d,
        Err(e) => return broken(&app, "指标", Tab::Table, &e),
    };
    let (status, category) = (nonempty(&f.status), nonempty(&f.category));
    page(
        StatusCode::OK,
        html::index_page(
            &app.title,
            &d.report,
            status.as_deref(),
            category.as_deref(),
        ),
    )
}

async fn indicator(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    let d = match app.desk() {
        Ok(d) => d,
        Err(e) => return broken(&app, "指标", Tab::Table, &e),
    };
    match d.indicators.get(&id) {
        Some((p, _)) => page(StatusCode::OK, p.clone()),
        None => missing(&id),
    }
}

async fn api_indicator(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    let d = match app.desk() {
        Ok(d) => d,
        Err(e) => return rules_have_errors(&e),
    };
    match d.indicators.get(&id) {
        Some((_, j)) => json_text(StatusCode::OK, j.clone()),
        None => error(
            StatusCode::NOT_FOUND,
            &format!("没有指标 `{}` (no indicator)", limits::echo(&id)),
        ),
    }
}

fn rules_have_errors(diagnostics: &str) -> Response {
    json_value(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({ "error": "规则有错误，无法评估 (the rules have errors)", "diagnostics": diagnostics }),
    )
}

async fn full_report(State(app): State<Arc<App>>) -> Response {
    match app.desk() {
        Ok(d) => page(StatusCode::OK, d.report_html.clone()),
        Err(e) => broken(&app, "评估报告", Tab::Other, &e),
    }
}

async fn api_eval(State(app): State<Arc<App>>) -> Response {
    match app.desk() {
        Ok(d) => json_text(StatusCode::OK, d.eval_json.clone()),
        Err(e) => rules_have_errors(&e),
    }
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
    section: Option<String>,
    limit: Option<String>,
}

impl SearchParams {
    /// The query with the section filter (`section:词`), and the limit.
    fn query(&self) -> Result<Option<(String, usize)>, String> {
        let limit = match nonempty(&self.limit) {
            Some(l) => {
                limits::parse_count(&l, 1, limits::MAX_HITS).map_err(|e| format!("limit: {e}"))?
            }
            None => 10,
        };
        let Some(q) = nonempty(&self.q) else {
            return Ok(None);
        };
        Ok(Some(match nonempty(&self.section) {
            Some(s) => {
                let w = web::section_word(&s);
                if w.is_empty() {
                    (q, limit)
                } else {
                    (format!("{q} section:{w}"), limit)
                }
            }
            None => (q, limit),
        }))
    }
}

/// Runs a search on the shared index, off the server's thread.
async fn run_search(
    app: &Arc<App>,
    q: String,
    limit: usize,
) -> Result<guihua::search::SearchResults, String> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || app.index.search(&q, limit).map_err(|e| e.to_string()))
        .await
        .unwrap_or_else(|e| Err(format!("检索失败 (the search failed): {e}")))
}

async fn search_page(State(app): State<Arc<App>>, Query(p): Query<SearchParams>) -> Response {
    let q = nonempty(&p.q).unwrap_or_default();
    let section = nonempty(&p.section);
    let result = match p.query() {
        Ok(Some((query, limit))) => Some(run_search(&app, query, limit).await),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    };
    let has_doc = |d: &str| app.corpus.docs.iter().any(|x| x.name == d);
    let status = match &result {
        Some(Err(_)) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    page(
        status,
        web::search_page(
            &app.title,
            &web::SearchView {
                q: &q,
                section: section.as_deref(),
                sections: &app.sections,
                result: result.as_ref().map(|r| r.as_ref().map_err(Clone::clone)),
                has_doc: &has_doc,
            },
        ),
    )
}

async fn api_search(State(app): State<Arc<App>>, Query(p): Query<SearchParams>) -> Response {
    match p.query() {
        Ok(Some((q, limit))) => match run_search(&app, q, limit).await {
            // Serialized as the CLI does (scores as f32).
            Ok(r) => json_text(
                StatusCode::OK,
                serde_json::to_string_pretty(&r).expect("results serialize") + "\n",
            ),
            Err(e) => error(StatusCode::BAD_REQUEST, &e),
        },
        Ok(None) => error(
            StatusCode::BAD_REQUEST,
            "缺少检索词：/api/search?q=… (a query is needed)",
        ),
        Err(e) => error(StatusCode::BAD_REQUEST, &e),
    }
}

/// Where a finding's quote opens: its document, or its rule file.
fn place_of(app: &App, file: &str) -> Place {
    if app.corpus.docs.iter().any(|d| d.name == file) {
        return Place::Doc;
    }
    // A rule file's quote is named by its place, `file:line:col`.
    let mut file = file;
    for _ in 0..2 {
        if let Some((head, n)) = file.rsplit_once(':') {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                file = head;
            }
        }
    }
    let name = match &app.rules.dir {
        Some(dir) => relative_name(dir, Path::new(file)),
        None => file.strip_prefix("rules/").unwrap_or(file).to_string(),
    };
    if app.rules.names.contains(&name) {
        Place::Rule(name)
    } else {
        Place::None
    }
}

async fn check_page(State(app): State<Arc<App>>) -> Response {
    match app.desk() {
        Ok(d) => page(
            StatusCode::OK,
            web::check_page(&app.title, &d.check.findings, &|f| place_of(&app, f)),
        ),
        Err(e) => match app.checked() {
            Some(c) => page(
                StatusCode::OK,
                web::check_page(&app.title, &c.findings, &|f| place_of(&app, f)),
            ),
            None => broken(&app, "检查", Tab::Check, &e),
        },
    }
}

async fn api_check(State(app): State<Arc<App>>) -> Response {
    match app.desk() {
        Ok(d) => json_text(StatusCode::OK, d.check.json.clone()),
        Err(e) => match app.checked() {
            Some(c) => json_text(StatusCode::OK, c.json.clone()),
            None => rules_have_errors(&e),
        },
    }
}

#[derive(Debug, Deserialize)]
struct DocParams {
    line: Option<String>,
    start: Option<String>,
}

async fn doc_page(
    State(app): State<Arc<App>>,
    UrlPath(name): UrlPath<String>,
    Query(p): Query<DocParams>,
) -> Response {
    let Some((k, doc)) = app
        .corpus
        .docs
        .iter()
        .enumerate()
        .find(|(_, d)| d.name == name)
    else {
        return missing(&name);
    };
    let number = |s: &Option<String>| nonempty(s).and_then(|x| x.parse::<usize>().ok());
    let line = number(&p.line).filter(|l| *l >= 1);
    let first = web::doc_first_line(line, number(&p.start));
    let crumbs = line
        .and_then(|l| {
            app.corpus.ingested()[k]
                .units
                .iter()
                .rev()
                .find(|u| u.line <= l)
                .map(|u| u.section.clone())
        })
        .unwrap_or_default();
    let body = web::doc_page(&app.title, &doc.name, &doc.text, first, line, &crumbs);
    page(StatusCode::OK, body)
}

#[derive(Debug, Deserialize)]
struct GraphParams {
    goal: Option<String>,
}

/// Goals (and tasks at risk) for the picker: (id, name, risk score),
/// those at risk first in their rank order.
fn goal_list(pg: &PlanGraph, risks: &[guihua::graph::Risk]) -> Vec<(String, String, Option<u32>)> {
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

async fn graph_page(State(app): State<Arc<App>>, Query(p): Query<GraphParams>) -> Response {
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

async fn api_graph(State(app): State<Arc<App>>, Query(p): Query<GraphParams>) -> Response {
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
            &render::at_risk_json(&risks, &d.ev.as_of.to_string(), &d.model),
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

#[derive(Debug, Deserialize)]
struct RulesParams {
    file: Option<String>,
    line: Option<String>,
}

/// Why a rule file name from a request is refused: a path that leaves the
/// rules folder (400), or a name not in the list (404).
fn known_rule(app: &App, name: &str) -> Result<(), Refused> {
    let traversal = name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name
            .split('/')
            .any(|c| c == ".." || c == "." || c.is_empty());
    if traversal {
        return Err(Refused(
            StatusCode::BAD_REQUEST,
            format!(
                "拒绝：`{}` 不是规则文件夹中的文件名 (refused: not a file name inside the rules folder)",
                limits::echo(name)
            ),
        ));
    }
    if !app.rules.names.iter().any(|n| n == name) {
        return Err(Refused(
            StatusCode::NOT_FOUND,
            format!(
                "没有规则文件 `{}`；可编辑的有 (no such rule file; known): {}",
                limits::echo(name),
                app.rules.names.join(", ")
            ),
        ));
    }
    Ok(())
}

/// A request refused: its status and why.
struct Refused(StatusCode, String);

impl Refused {
    fn response(self) -> Response {
        error(self.0, &self.1)
    }
}

/// The text of a listed rule file (from disk, or the bundled one).
fn rule_text(app: &App, name: &str) -> Result<String, String> {
    match &app.rules.dir {
        None => guihua::load::bundled_rules()
            .into_iter()
            .find(|(n, _)| n.strip_prefix("rules/").unwrap_or(n) == name)
            .map(|(_, t)| t)
            .ok_or_else(|| format!("没有规则文件 `{name}` (no such rule file)")),
        Some(dir) => {
            let p = dir.join(name);
            guihua::files::read_text(&p, MAX_EDITED_RULE_BYTES as u64).map_err(|e| {
                format!(
                    "{e}；在浏览器中编辑的规则文件最大 {} (largest rule file edited in the browser)",
                    limits::human_bytes(MAX_EDITED_RULE_BYTES as u64)
                )
            })
        }
    }
}

async fn rules_page(State(app): State<Arc<App>>, Query(p): Query<RulesParams>) -> Response {
    let name = match nonempty(&p.file) {
        Some(n) => n,
        None => match app.rules.names.first() {
            Some(n) => n.clone(),
            None => return missing("规则文件"),
        },
    };
    if let Err(r) = known_rule(&app, &name) {
        let status = r.0;
        return page(
            status,
            format!(
                "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>规则</title></head><body><h1>找不到规则文件 `{}`</h1><p><a href=\"/rules\">规则文件列表</a></p></body></html>\n",
                esc(&limits::echo(&name))
            ),
        );
    }
    let text = match rule_text(&app, &name) {
        Ok(t) => t,
        Err(e) => {
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                web::broken_page(&app.title, "规则", Tab::Rules, &e),
            )
        }
    };
    let line = nonempty(&p.line).and_then(|l| l.parse().ok());
    page(
        StatusCode::OK,
        web::rules_page(
            &app.title,
            &web::RulesView {
                files: &app.rules.names,
                file: &name,
                text: &text,
                editable: app.rules.dir.is_some(),
                line,
            },
        ),
    )
}

async fn rules_js() -> Response {
    let mut r = web::RULES_JS.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// A write or lint request must come from the editor's own script: it
/// sends `X-Guihua: editor`, which a page of another site cannot send
/// without the browser asking first (and this server never agrees), and
/// its `Origin`, when the browser gives one, is this server.
fn from_editor(headers: &HeaderMap) -> Result<(), Refused> {
    let marked = headers
        .get("x-guihua")
        .is_some_and(|v| v.as_bytes() == b"editor");
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let same_origin = headers.get(header::ORIGIN).is_none_or(|o| {
        o.to_str()
            .is_ok_and(|o| o.strip_prefix("http://") == Some(host))
    });
    if marked && same_origin {
        Ok(())
    } else {
        Err(Refused(
            StatusCode::FORBIDDEN,
            "拒绝：只接受本工作台规则页发出的请求 (refused: only the desk's rule editor may send this)".to_string(),
        ))
    }
}

/// The rule set as on disk (or bundled), with `name` replaced by `text`.
fn rule_set_with(
    app: &App,
    name: &str,
    text: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let mut files = match &app.rules.path {
        None => guihua::load::bundled_rules(),
        Some(p) => guihua::load::read_rules(p)?,
    };
    if let Some(text) = text {
        let mut found = false;
        for (n, t) in &mut files {
            let rel = match &app.rules.dir {
                Some(dir) => relative_name(dir, Path::new(n.as_str())),
                None => n.strip_prefix("rules/").unwrap_or(n).to_string(),
            };
            if rel == name {
                *t = text.to_string();
                found = true;
            }
        }
        if !found {
            return Err(format!(
                "规则文件 `{}` 已不在规则文件夹中 (the rule file is gone)",
                limits::echo(name)
            ));
        }
    }
    Ok(files)
}

/// Lints a rule set: the diagnostics of `name` with their lines, and how
/// many errors the other files have.
fn lint_json(app: &App, name: &str, files: Vec<(String, String)>) -> Value {
    let file_name = |n: &str| match &app.rules.dir {
        Some(dir) => relative_name(dir, Path::new(n)),
        None => n.strip_prefix("rules/").unwrap_or(n).to_string(),
    };
    let loaded = guihua::load::load_texts(files, Some(&app.corpus));
    let mut diags = Vec::new();
    let (mut errors, mut warnings, mut other) = (0, 0, 0);
    for d in &loaded.diagnostics {
        let here = file_name(&loaded.sources.file(d.span.file).name) == name;
        if !here {
            other += usize::from(d.is_error());
            continue;
        }
        match d.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        let (line, column) = loaded.sources.line_col(d.span);
        diags.push(json!({
            "line": line,
            "column": column,
            "severity": d.severity,
            "message": d.message,
            "expected": d.expected,
            "help": d.help,
            "rendered": loaded.sources.render(d),
        }));
    }
    json!({
        "file": name,
        "errors": errors,
        "warnings": warnings,
        "other_files": other,
        "diagnostics": diags,
    })
}

#[derive(Debug, Deserialize)]
struct LintParams {
    file: Option<String>,
}

async fn api_lint(
    State(app): State<Arc<App>>,
    Query(p): Query<LintParams>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if let Err(r) = from_editor(&headers) {
        return r.response();
    }
    let Some(name) = nonempty(&p.file) else {
        return error(
            StatusCode::BAD_REQUEST,
            "缺少文件名：/api/lint?file=… (a rule file name is needed)",
        );
    };
    if let Err(r) = known_rule(&app, &name) {
        return r.response();
    }
    let app2 = app.clone();
    tokio::task::spawn_blocking(move || match rule_set_with(&app2, &name, Some(&body)) {
        Ok(files) => json_value(StatusCode::OK, &lint_json(&app2, &name, files)),
        Err(e) => error(StatusCode::CONFLICT, &e),
    })
    .await
    .unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))
}

async fn api_save(
    State(app): State<Arc<App>>,
    UrlPath(name): UrlPath<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if let Err(r) = from_editor(&headers) {
        return r.response();
    }
    if let Err(r) = known_rule(&app, &name) {
        return r.response();
    }
    let Some(dir) = app.rules.dir.clone() else {
        return error(
            StatusCode::FORBIDDEN,
            "内置示例的规则不能保存：用 guihua new 建立工作区后再编辑 (the bundled rules are read-only)",
        );
    };
    let app2 = app.clone();
    tokio::task::spawn_blocking(move || {
        let _one = app2.saving.lock().unwrap_or_else(|p| p.into_inner());
        let backup = match save_rule(&dir, &name, &body) {
            Ok(b) => b,
            Err(e) => {
                return error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("无法保存 `{}` (cannot save): {e}", limits::echo(&name)),
                )
            }
        };
        let files = match rule_set_with(&app2, &name, None) {
            Ok(f) => f,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e),
        };
        let lint = lint_json(&app2, &name, files.clone());
        let files_again = files.clone();
        let clean = lint["errors"] == 0 && lint["other_files"] == 0;
        // Saved without errors: the pages follow the new rules.
        let reloaded = clean
            && match build(
                files,
                &app2.corpus,
                app2.method.as_deref(),
                app2.as_of.as_deref(),
                &app2.title,
            ) {
                Ok(d) => {
                    *app2.checked.write().unwrap_or_else(|p| p.into_inner()) =
                        Some(d.check.clone());
                    *app2.desk.write().unwrap_or_else(|p| p.into_inner()) = Ok(Arc::new(d));
                    true
                }
                Err(_) => false,
            };
        if !reloaded && app2.desk().is_err() {
            if let Some(m) = guihua::load::load_texts(files_again, None).model {
                *app2.checked.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(
                    Checked::new(guihua::check::check(&m, &app2.corpus, &[])),
                ));
            }
        }
        json_value(
            StatusCode::OK,
            &json!({
                "saved": true,
                "file": name,
                "backup": backup,
                "reloaded": reloaded,
                "lint": lint,
            }),
        )
    })
    .await
    .unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))
}

/// `YYYYMMDDTHHMMSS.mmmZ` of now, for a backup's name.
fn utc_stamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Saves `text` as the rule file `name` of `dir`: the current file copied
/// to `.history/NAME.STAMP.bak` (synced), then the new text written to a
/// temporary file, synced and renamed over it. Keeps the last
/// [`HISTORY_KEPT`] versions. Returns the backup's name.
fn save_rule(dir: &Path, name: &str, text: &str) -> std::io::Result<String> {
    use std::io::Write as _;
    let path = dir.join(name);
    let history = dir.join(".history");
    std::fs::create_dir_all(&history)?;
    let flat = name.replace('/', "~");
    let backup = format!("{flat}.{}.bak", utc_stamp());
    let old = std::fs::read(&path)?;
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(history.join(&backup))?;
        f.write_all(&old)?;
        f.sync_all()?;
    }
    write_atomic(&path, text.as_bytes())?;
    // The rename itself made durable.
    if let Some(parent) = path.parent() {
        if let Ok(d) = std::fs::File::open(parent) {
            let _ = d.sync_all();
        }
    }
    let mut versions: Vec<String> = std::fs::read_dir(&history)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            n.strip_prefix(flat.as_str())
                .and_then(|r| r.strip_prefix('.'))
                .and_then(|r| r.strip_suffix("Z.bak"))
                .is_some_and(|stamp| stamp.len() == 19 && stamp.as_bytes()[8] == b'T')
        })
        .collect();
    versions.sort();
    if versions.len() > HISTORY_KEPT {
        for v in &versions[..versions.len() - HISTORY_KEPT] {
            let _ = std::fs::remove_file(history.join(v));
        }
    }
    Ok(format!(".history/{backup}"))
}

fn missing(what: &str) -> Response {
    page(
        StatusCode::NOT_FOUND,
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>找不到</title></head><body><h1>找不到 `{}`</h1><p><a href=\"/\">返回指标表</a></p></body></html>\n",
            esc(&limits::echo(what))
        ),
    )
}

async fn not_found(uri: axum::http::Uri) -> Response {
    missing(uri.path())
}
