//! The HTTP layer: the JSON API under `/api/v1` and the server-rendered
//! Chinese UI. Handlers translate HTTP to use-case calls of `anjian-app`
//! (run on tokio's blocking pool, since the store is synchronous) and the
//! results back to JSON or HTML. No SQL and no rules live here.

// The OpenAPI document is one large `json!` literal.
#![recursion_limit = "2048"]

pub mod api;
mod error;
mod extract;
mod files;
mod metrics;
mod query;
pub mod ui;

use anjian_app::App;
use axum::Router;
use std::sync::Arc;

pub use error::{ApiError, PageError};
pub use extract::{CONTENT_SECURITY_POLICY, Cidr};

/// Largest accepted request body (JSON and forms).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Web-layer settings.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Serve `GET /metrics` (Prometheus text format).
    pub metrics: bool,
    /// Reverse proxies whose `X-Forwarded-For` / `X-Real-IP` name the client
    /// (`serve --trusted-proxy`); from any other peer the headers are ignored.
    pub trusted_proxies: Vec<extract::Cidr>,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
}

/// Runs a use case on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&App) -> anjian_app::Result<T> + Send + 'static,
) -> anjian_app::Result<T> {
    let app = state.app.clone();
    // The request's span follows the work to the blocking pool.
    let span = tracing::Span::current();
    // Its kept reads look at the data generation once (`App::with_one_look`).
    tokio::task::spawn_blocking(move || span.in_scope(|| app.with_one_look(|| f(&app))))
        .await
        .map_err(|e| anjian_app::AppError::Internal(format!("task: {e}")))?
}

/// Runs a short, bounded store call: indexed point reads such as authenticating a
/// session or reading one record by id. On SQLite it runs on the calling async worker:
/// the read takes tens of microseconds and never waits for the writer (WAL), while a hop
/// to the blocking pool costs two thread switches each way, which were most of a GET's
/// time in the HTTP benchmark (docs/performance.md). On PostgreSQL, where a read waits
/// on the network, it goes to the blocking pool like every other store call. Anything
/// that scans, counts or writes uses [`blocking`].
pub(crate) async fn quick<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&App) -> anjian_app::Result<T> + Send + 'static,
) -> anjian_app::Result<T> {
    if state.app.reads_are_local() {
        state.app.with_one_look(|| f(&state.app))
    } else {
        blocking(state, f).await
    }
}

/// The whole application router.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState {
        app,
        config: Arc::new(config),
    };
    Router::new()
        .merge(api::router())
        .merge(ui::router())
        .route("/healthz", axum::routing::get(healthz))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .fallback(error::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::request_context,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_response,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.config.clone(),
            extract::security_headers,
        ))
        .with_state(state)
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match blocking(&state, |app| app.ping()).await {
        Ok(()) => axum::Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

/// Serves until Ctrl-C / SIGTERM.
pub async fn serve(
    app: App,
    config: WebConfig,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    let router = router(app, config);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod layering {
    //! The web layer talks to the app only, and its two halves share helpers from modules of
    //! their own instead of importing each other.

    #[test]
    fn the_web_crate_does_not_depend_on_the_store() {
        let manifest = include_str!("../Cargo.toml");
        assert!(!manifest.contains("anjian-store"), "{manifest}");
    }

    /// Every file under `dir`, feature folders included.
    fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(files_under(&path));
            } else {
                files.push(path);
            }
        }
        files
    }

    #[test]
    fn api_and_ui_do_not_import_each_other() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for (half, other) in [("api", "crate::ui"), ("ui", "crate::api")] {
            for path in files_under(&dir.join(half)) {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(!text.contains(other), "{} uses {other}", path.display());
            }
        }
    }
}
