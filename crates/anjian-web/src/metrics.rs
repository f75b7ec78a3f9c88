//! Request metrics: every answered request is counted by its route's pattern, method and
//! status, with its latency; `GET /metrics` shows them (and the app's other counters) in
//! Prometheus' text format when the server was started with `--metrics` and the request does
//! not ask for HTML (a browser gets the 统计指标 page at the same path).

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Records the request in the app's telemetry.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        // Unmatched paths are one series, not one per path a scanner tries.
        .unwrap_or_else(|| "(unmatched)".into());
    let method = req.method().as_str().to_string();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    state.app.telemetry.request(
        &route,
        &method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

/// The counters in Prometheus' text format (served at `GET /metrics` to requests that do
/// not ask for HTML, when the server was started with `--metrics`; see `ui::stats`).
pub fn prometheus(state: &AppState) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        state.app.telemetry.render(),
    )
        .into_response()
}
