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
mod form;
mod ids;
mod json;
pub use caller::{ApiCaller, PageCaller};
pub use form::{AppQuery, FormPairs};
pub use ids::{ApiId, PageId, parse_id};
pub use json::AppJson;

pub const SESSION_COOKIE: &str = "anjian_session";

/// Per-request context: an id for logs and the audit trail, and the client address.
#[derive(Debug, Clone)]
pub struct ReqCtx {
    pub id: String,
    pub ip: String,
}

pub async fn request_context(mut req: Request, next: Next) -> Response {
    let mut b = [0u8; 8];
    let id = if getrandom::fill(&mut b).is_ok() {
        hex::encode(b)
    } else {
        "0000000000000000".into()
    };
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into());
    req.extensions_mut().insert(ReqCtx { id: id.clone(), ip });
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
    res.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res.headers_mut()
        .insert("x-frame-options", HeaderValue::from_static("DENY"));
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
