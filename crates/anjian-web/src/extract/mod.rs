//! Extractors that answer bad input with our JSON errors (never axum's plain
//! text), request context (id, client address), and caller resolution.

use crate::error::ApiError;
use crate::{AppState, MAX_BODY_BYTES, PageError, quick};
use anjian_app::records::auth::Session;
use anjian_app::{AppError, Caller};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use tracing::Instrument;

mod caller;
mod client;
mod form;
mod ids;
mod json;
pub use caller::{ApiCaller, PASSWORD_PAGE, PageCaller};
pub use client::{Cidr, client_ip};
pub use form::{AppQuery, FormPairs};
pub use ids::{ApiId, PageId, parse_id};
pub use json::AppJson;

pub const SESSION_COOKIE: &str = "anjian_session";

/// Per-request context: an id for logs and the audit trail, and the client address.
#[derive(Debug, Clone)]
pub struct ReqCtx {
    pub id: String,
    pub ip: String,
    /// The path as the client sent it (nested routers strip their prefix from the URI).
    pub path: String,
}

pub async fn request_context(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let mut b = [0u8; 8];
    let id = if getrandom::fill(&mut b).is_ok() {
        hex::encode(b)
    } else {
        "0000000000000000".into()
    };
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let ip = client_ip(peer, req.headers(), &state.config.trusted_proxies);
    let path = req.uri().path().to_string();
    req.extensions_mut().insert(ReqCtx {
        id: id.clone(),
        ip,
        path,
    });
    // Every log line of the request carries its id (the span), and an internal error's page
    // or JSON shows it (the task-local), so a user's report leads to the log.
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path()
    );
    let mut res = REQUEST_ID
        .scope(id.clone(), next.run(req))
        .instrument(span)
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The Content-Security-Policy of every response. No page has inline script or event
/// handlers (checked by a test over the templates), so scripts come from this origin only;
/// inline `style` attributes remain in the templates, hence `'unsafe-inline'` for styles.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Security headers on every response (the outermost layer, so errors and panics get them
/// too); HSTS only when served over HTTPS (`serve --secure-cookies`).
pub async fn security_headers(
    axum::extract::State(config): axum::extract::State<std::sync::Arc<crate::WebConfig>>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if config.secure_cookies {
        h.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

tokio::task_local! {
    /// The id of the request being served (set by [`request_context`]).
    pub(crate) static REQUEST_ID: String;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

pub fn ctx(parts: &Parts) -> ReqCtx {
    parts.extensions.get::<ReqCtx>().cloned().unwrap_or(ReqCtx {
        id: String::new(),
        ip: "local".into(),
        path: parts.uri.path().to_string(),
    })
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Reads the body (bounded), mapping every failure to a JSON error.
async fn body_bytes(req: Request) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("请求体过大（上限 {} KB）", MAX_BODY_BYTES / 1024),
            )
        })
}
