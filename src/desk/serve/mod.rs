//! The server behind `guihua serve`: the planner's desk in a browser.
//!
//! At start the workspace is read once ([`start`]): the evaluation, the
//! check findings and the pages of the indicators are computed, the
//! documents are indexed for search (in memory), and the names of the rule
//! files are listed. Requests then look things up by what they name — an
//! indicator id, a goal, a document of the corpus, a rule file in that
//! list — never by a path built from a parameter, so no parameter can reach
//! another file.
//!
//! The one write: the rule editor saves a listed rule file (temporary file,
//! fsync, rename; the previous version kept in `.history/`), and the
//! evaluation is then computed again from the saved rules ([`editor`]).
//!
//! Nothing here prints: [`start`] returns what the command has to say, and
//! the command binds the port and runs [`router`].

mod editor;
mod graph;
mod pages;
mod respond;

use super::{chart, html};
use crate::check::Finding;
use crate::corpus::Corpus;
use crate::eval::Evaluation;
use crate::graph::{render, PlanGraph};
use crate::limits::MAX_EDITED_RULE_BYTES;
use crate::model::Model;
use crate::period::Period;
use crate::report::{self, Report};
use crate::search::store;
use crate::search::{Lexicon, SearchIndex};
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The largest request body accepted by every route but the rule editor's.
pub const BODY_LIMIT: usize = 16 * 1024;
/// Headings offered in the search page's section filter.
const MAX_SECTIONS: usize = 300;

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

impl Rules {
    /// The editor's name of a loaded rule file (`rules/x.guihua` → `x.guihua`).
    fn name_of(&self, loaded: &str) -> String {
        match &self.dir {
            Some(dir) => relative_name(dir, Path::new(loaded)),
            None => loaded.strip_prefix("rules/").unwrap_or(loaded).to_string(),
        }
    }
}

/// The server's state: what does not change, and the desk, computed again
/// after the rules are saved.
pub struct App {
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

    /// Shows a new rule set: its desk when it evaluates (tried only if
    /// `evaluate`: its lint was clean), else, while no desk can be shown,
    /// its findings when it loads without its quotes. Returns whether the
    /// pages follow it.
    fn reload(&self, files: Vec<(String, String)>, evaluate: bool) -> bool {
        if evaluate {
            let built = build(
                files.clone(),
                &self.corpus,
                self.method.as_deref(),
                self.as_of.as_deref(),
                &self.title,
            );
            if let Ok(d) = built {
                *self.checked.write().unwrap_or_else(|p| p.into_inner()) = Some(d.check.clone());
                *self.desk.write().unwrap_or_else(|p| p.into_inner()) = Ok(Arc::new(d));
                return true;
            }
        }
        if self.desk().is_err() {
            if let Some(m) = crate::load::load_texts(files, None).model {
                let c = Checked::new(crate::check::check(&m, &self.corpus, &[]));
                *self.checked.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(c));
            }
        }
        false
    }
}

/// What the desk is started on.
pub struct Setup {
    /// The heading of every page.
    pub title: String,
    pub corpus: Corpus,
    /// `.jsonl` documents of the corpus folder, indexed for search too.
    pub jsonl: Vec<PathBuf>,
    /// The rule files, as loaded (`name`, text).
    pub files: Vec<(String, String)>,
    /// The rules folder or file of the workspace or `--rules`; `None`: the
    /// bundled example, read-only.
    pub rules_path: Option<PathBuf>,
    /// The rules loaded without checking their quotes, for the search
    /// index's words (as for `guihua search`); `None` if they do not load.
    pub words: Option<Model>,
    pub method: Option<String>,
    pub as_of: Option<String>,
    /// The address the server listens on.
    pub host: IpAddr,
}

/// A desk ready to serve, and the rules' errors if they do not evaluate.
pub struct Started {
    pub app: Arc<App>,
    /// The rendered diagnostics of rules that do not evaluate: the table
    /// and graph pages say so until the rules are fixed in the editor.
    pub diagnostics: Option<String>,
}

/// Reads the workspace once: evaluation, findings, search index.
pub fn start(s: Setup) -> Result<Started, String> {
    let loading = crate::search::tokenizer::Segmenter::start_loading();
    let rules = rule_names(s.rules_path, &s.files);
    let desk = match s.words.as_ref() {
        Some(_) => build(
            s.files,
            &s.corpus,
            s.method.as_deref(),
            s.as_of.as_deref(),
            &s.title,
        )
        .map(Arc::new),
        None => Err(crate::load::load_texts(s.files, Some(&s.corpus)).render_diagnostics()),
    };
    // Rules that fail only on their quotes are still checked (their
    // provenance findings say which quotes).
    let checked = match &desk {
        Ok(d) => Some(d.check.clone()),
        Err(_) => s
            .words
            .as_ref()
            .map(|m| Arc::new(Checked::new(crate::check::check(m, &s.corpus, &[])))),
    };
    let mut input = store::Input::corpus(&s.corpus);
    input.jsonl = s.jsonl;
    let lexicon = Lexicon::new(s.words.as_ref(), &input.glossary);
    let seg = loading.with(lexicon.terms.iter().map(String::as_str));
    let index = SearchIndex::build_with(input.units(), lexicon, seg, None, 1, &mut |_| {})
        .map_err(|e| e.to_string())?;
    let mut sections: Vec<(u8, String)> = Vec::new();
    for h in s.corpus.ingested().iter().flat_map(|i| &i.outline) {
        if h.level <= 2
            && sections.len() < MAX_SECTIONS
            && !sections.iter().any(|(_, t)| *t == h.text)
        {
            sections.push((h.level, h.text.clone()));
        }
    }
    let hosts = (!s.host.is_unspecified()).then(|| {
        let mut h = vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        h.push(match s.host {
            IpAddr::V6(v6) => format!("[{v6}]"),
            v4 => v4.to_string(),
        });
        h
    });
    let diagnostics = desk.as_ref().err().cloned();
    let app = Arc::new(App {
        title: s.title,
        corpus: s.corpus,
        index,
        sections,
        rules,
        method: s.method,
        as_of: s.as_of,
        checked: RwLock::new(checked),
        desk: RwLock::new(desk),
        saving: Mutex::new(()),
        hosts,
    });
    Ok(Started { app, diagnostics })
}

/// The evaluation and everything shown from it, for one rule set.
fn build(
    files: Vec<(String, String)>,
    corpus: &Corpus,
    m: Option<&str>,
    p: Option<&str>,
    title: &str,
) -> Result<Desk, String> {
    let loaded = crate::load::load_texts(files, Some(corpus));
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
    let ev = crate::eval::evaluate(&model, m, p);
    let r = report::build(&model, &ev);
    let charts = chart::charts(&model, &ev);
    let findings = crate::check::check(&model, corpus, &[]);
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
        let ex = crate::eval::explain(&model, m, k, p);
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

/// The rule files' folder and editor names.
fn rule_names(path: Option<PathBuf>, files: &[(String, String)]) -> Rules {
    let Some(path) = path else {
        let names = files
            .iter()
            .map(|(n, _)| n.strip_prefix("rules/").unwrap_or(n).to_string())
            .collect();
        return Rules {
            dir: None,
            path: None,
            names,
        };
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
    Rules {
        dir: Some(dir),
        path: Some(path),
        names,
    }
}

fn relative_name(dir: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(dir).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The routes of the desk: pages, their JSON under `/api/`, the editor's
/// two writes. Bodies are bounded ([`BODY_LIMIT`], the editor's by
/// [`MAX_EDITED_RULE_BYTES`]) and requests addressed to another host name
/// refused.
pub fn router(app: Arc<App>) -> Router {
    let editor = DefaultBodyLimit::max(MAX_EDITED_RULE_BYTES);
    Router::new()
        .route("/", get(pages::index))
        .route("/indicator/{id}", get(pages::indicator))
        .route("/report", get(pages::full_report))
        .route("/search", get(pages::search_page))
        .route("/check", get(pages::check_page))
        .route("/doc/{name}", get(pages::doc_page))
        .route("/graph", get(graph::graph_page))
        .route("/rules", get(editor::rules_page))
        .route("/assets/rules.js", get(editor::rules_js))
        .route("/api/eval", get(pages::api_eval))
        .route("/api/indicator/{id}", get(pages::api_indicator))
        .route("/api/search", get(pages::api_search))
        .route("/api/check", get(pages::api_check))
        .route("/api/graph", get(graph::api_graph))
        .route("/api/lint", post(editor::api_lint).layer(editor))
        .route("/api/rules/{*file}", post(editor::api_save).layer(editor))
        .fallback(respond::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            respond::host_guard,
        ))
        .with_state(app)
}
