//! The read-only pages and their JSON: 指标 (the table, an indicator, the
//! full report), 检索, 检查, and a document opened at a line.

use super::respond::{broken, error, json_text, missing, nonempty, page, rules_have_errors};
use super::{App, Checked};
use crate::desk::html;
use crate::desk::web::{self, Place, Tab};
use crate::limits;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub(super) struct Filter {
    status: Option<String>,
    category: Option<String>,
}

pub(super) async fn index(State(app): State<Arc<App>>, Query(f): Query<Filter>) -> Response {
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

pub(super) async fn indicator(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
) -> Response {
    let d = match app.desk() {
        Ok(d) => d,
        Err(e) => return broken(&app, "指标", Tab::Table, &e),
    };
    match d.indicators.get(&id) {
        Some((p, _)) => page(StatusCode::OK, p.clone()),
        None => missing(&id),
    }
}

pub(super) async fn api_indicator(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
) -> Response {
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

pub(super) async fn full_report(State(app): State<Arc<App>>) -> Response {
    match app.desk() {
        Ok(d) => page(StatusCode::OK, d.report_html.clone()),
        Err(e) => broken(&app, "评估报告", Tab::Other, &e),
    }
}

pub(super) async fn api_eval(State(app): State<Arc<App>>) -> Response {
    match app.desk() {
        Ok(d) => json_text(StatusCode::OK, d.eval_json.clone()),
        Err(e) => rules_have_errors(&e),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct SearchParams {
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
) -> Result<crate::search::SearchResults, String> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || app.index.search(&q, limit).map_err(|e| e.to_string()))
        .await
        .unwrap_or_else(|e| Err(format!("检索失败 (the search failed): {e}")))
}

pub(super) async fn search_page(
    State(app): State<Arc<App>>,
    Query(p): Query<SearchParams>,
) -> Response {
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

pub(super) async fn api_search(
    State(app): State<Arc<App>>,
    Query(p): Query<SearchParams>,
) -> Response {
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
    let name = app.rules.name_of(file);
    if app.rules.names.contains(&name) {
        Place::Rule(name)
    } else {
        Place::None
    }
}

/// The findings shown: the desk's, or, while the rules do not evaluate,
/// those of the rules loaded without their quotes.
fn findings(app: &App) -> Result<Arc<Checked>, String> {
    match app.desk() {
        Ok(d) => Ok(d.check.clone()),
        Err(e) => app.checked().ok_or(e),
    }
}

pub(super) async fn check_page(State(app): State<Arc<App>>) -> Response {
    match findings(&app) {
        Ok(c) => page(
            StatusCode::OK,
            web::check_page(&app.title, &c.findings, &|f| place_of(&app, f)),
        ),
        Err(e) => broken(&app, "检查", Tab::Check, &e),
    }
}

pub(super) async fn api_check(State(app): State<Arc<App>>) -> Response {
    match findings(&app) {
        Ok(c) => json_text(StatusCode::OK, c.json.clone()),
        Err(e) => rules_have_errors(&e),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DocParams {
    line: Option<String>,
    start: Option<String>,
}

/// A document of the corpus, named as the corpus lists it, from a line.
pub(super) async fn doc_page(
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
