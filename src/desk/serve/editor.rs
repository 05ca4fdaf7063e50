//! 规则: the rule editor. A listed rule file opens in the page; its text is
//! linted as it is typed (errors at their line) and saved atomically with
//! the previous version kept, after which the pages follow the new rules.

use super::respond::{broken, error, json_value, missing, nonempty, page, script, short_page};
use super::App;
use crate::desk::web::{self, Tab};
use crate::limits::{self, MAX_EDITED_RULE_BYTES};
use crate::span::Severity;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

/// Versions of a rule file kept in `.history/` (the oldest are removed).
const HISTORY_KEPT: usize = 20;

#[derive(Debug, Deserialize)]
pub(super) struct RulesParams {
    file: Option<String>,
    line: Option<String>,
}

/// A request refused: its status and why.
struct Refused(StatusCode, String);

impl Refused {
    fn response(self) -> Response {
        error(self.0, &self.1)
    }
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

/// The text of a listed rule file (from disk, or the bundled one).
fn rule_text(app: &App, name: &str) -> Result<String, String> {
    match &app.rules.dir {
        None => crate::load::bundled_rules()
            .into_iter()
            .find(|(n, _)| n.strip_prefix("rules/").unwrap_or(n) == name)
            .map(|(_, t)| t)
            .ok_or_else(|| format!("没有规则文件 `{name}` (no such rule file)")),
        Some(dir) => {
            let p = dir.join(name);
            crate::files::read_text(&p, MAX_EDITED_RULE_BYTES as u64).map_err(|e| {
                format!(
                    "{e}；在浏览器中编辑的规则文件最大 {} (largest rule file edited in the browser)",
                    limits::human_bytes(MAX_EDITED_RULE_BYTES as u64)
                )
            })
        }
    }
}

pub(super) async fn rules_page(
    State(app): State<Arc<App>>,
    Query(p): Query<RulesParams>,
) -> Response {
    let name = match nonempty(&p.file) {
        Some(n) => n,
        None => match app.rules.names.first() {
            Some(n) => n.clone(),
            None => return missing("规则文件"),
        },
    };
    if let Err(r) = known_rule(&app, &name) {
        return short_page(r.0, "找不到规则文件", &name, ("/rules", "规则文件列表"));
    }
    let text = match rule_text(&app, &name) {
        Ok(t) => t,
        Err(e) => {
            let mut r = broken(&app, "规则", Tab::Rules, &e);
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return r;
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

pub(super) async fn rules_js() -> Response {
    script(web::RULES_JS)
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
        None => crate::load::bundled_rules(),
        Some(p) => crate::load::read_rules(p)?,
    };
    if let Some(text) = text {
        let mut found = false;
        for (n, t) in &mut files {
            if app.rules.name_of(n) == name {
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
    let loaded = crate::load::load_texts(files, Some(&app.corpus));
    let mut diags = Vec::new();
    let (mut errors, mut warnings, mut other) = (0, 0, 0);
    for d in &loaded.diagnostics {
        let here = app.rules.name_of(&loaded.sources.file(d.span.file).name) == name;
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
pub(super) struct LintParams {
    file: Option<String>,
}

pub(super) async fn api_lint(
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

pub(super) async fn api_save(
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
        let clean = lint["errors"] == 0 && lint["other_files"] == 0;
        // Saved without errors: the pages follow the new rules.
        let reloaded = app2.reload(files, clean);
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
    crate::files::write_atomic(&path, text.as_bytes())?;
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
