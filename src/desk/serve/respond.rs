//! Responses of the desk: pages under a strict content policy, JSON,
//! errors, and the guard on the request's host name.

use super::App;
use crate::desk::esc;
use crate::desk::web::{self, Tab};
use crate::limits;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

/// Refuses a request addressed to another host name than this machine's
/// (a web page whose name was pointed at 127.0.0.1, "DNS rebinding"),
/// unless the server was told to listen on every address.
pub(super) async fn host_guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
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

/// A response of `content_type` that the browser must not sniff, under
/// the content policy when one is given.
fn typed(
    status: StatusCode,
    body: impl IntoResponse,
    content_type: &'static str,
    policy: Option<&'static str>,
) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(policy) = policy {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// A page: HTML with a policy that allows no outside asset and no script
/// but the app's own.
pub(super) fn page(status: StatusCode, body: String) -> Response {
    typed(status, body, "text/html; charset=utf-8", Some(CSP))
}

/// The editor's script, embedded in the binary.
pub(super) fn script(body: &'static str) -> Response {
    typed(StatusCode::OK, body, "text/javascript; charset=utf-8", None)
}

pub(super) fn json_text(status: StatusCode, body: String) -> Response {
    typed(status, body, "application/json; charset=utf-8", None)
}

pub(super) fn json_value(status: StatusCode, v: &Value) -> Response {
    json_text(
        status,
        serde_json::to_string_pretty(v).expect("serializes") + "\n",
    )
}

pub(super) fn error(status: StatusCode, message: &str) -> Response {
    json_value(status, &json!({ "error": message }))
}

/// The JSON answer of a route that needs the evaluation, when the rules
/// have errors.
pub(super) fn rules_have_errors(diagnostics: &str) -> Response {
    json_value(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({ "error": "规则有错误，无法评估 (the rules have errors)", "diagnostics": diagnostics }),
    )
}

/// The page shown instead of one that needs the evaluation, when the
/// rules have errors.
pub(super) fn broken(app: &App, heading: &str, tab: Tab, diagnostics: &str) -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        web::broken_page(&app.title, heading, tab, diagnostics),
    )
}

/// A short page for a status that is not 200, naming `what` (cut, escaped).
pub(super) fn short_page(
    status: StatusCode,
    heading: &str,
    what: &str,
    back: (&str, &str),
) -> Response {
    page(
        status,
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{heading}</title></head><body><h1>{heading} `{}`</h1><p><a href=\"{}\">{}</a></p></body></html>\n",
            esc(&limits::echo(what)),
            back.0,
            back.1
        ),
    )
}

pub(super) fn missing(what: &str) -> Response {
    short_page(StatusCode::NOT_FOUND, "找不到", what, ("/", "返回指标表"))
}

pub(super) async fn not_found(uri: axum::http::Uri) -> Response {
    missing(uri.path())
}

/// A query parameter with something in it, trimmed.
pub(super) fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
}
