//! 统计分析: metric values with their drill-downs, the period report, the report
//! template (安委办), campaigns and work records.

mod briefing;
mod campaigns;
mod import;
pub(crate) mod metrics;
mod ranking;
mod report;
mod work;

use crate::extract::PageCaller;
use crate::{AppState, PageError};
use anjian_app::AppError;
use axum::Router;
use axum::extract::Multipart;
use axum::routing::{get, post};

/// `GET /metrics` is two things: the 统计指标 page for a browser, and, when the server was
/// started with `--metrics`, the Prometheus text for a scraper (any request that does not
/// ask for HTML: Prometheus asks for `text/plain` or OpenMetrics, curl for `*/*`).
async fn metrics_page_or_prometheus(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let wants_html = req
        .headers()
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if state.config.metrics && !wants_html {
        crate::metrics::prometheus(&state)
    } else {
        axum::handler::Handler::call(metrics::metrics, req, state).await
    }
}

/// The day a statistics page takes as "today" for its default period, and the note it shows
/// when that is not this year: when the caller asked for no period (`asked` false) and this
/// year has no records in the caller's scope, the latest year that has (see
/// [`anjian_app::dashboard::DataYear`]).
pub(crate) async fn default_anchor(
    state: &AppState,
    pc: &PageCaller,
    asked: bool,
) -> Result<(chrono::NaiveDate, Option<String>), PageError> {
    let today = state.app.clock.today();
    if asked {
        return Ok((today, None));
    }
    let caller = pc.caller.clone();
    let d = crate::blocking(state, move |app| app.data_year(&caller)).await?;
    Ok((d.anchor(today), d.notice()))
}

/// Whether a query parameter was given (non-blank).
pub(crate) fn given(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(metrics_page_or_prometheus))
        .route("/metrics/{id}", get(metrics::metric))
        .route("/statistics/report", get(report::report))
        .route("/statistics/briefing", get(briefing::briefing))
        .route(
            "/statistics/report-template",
            get(report::template_page).post(report::template_save),
        )
        .route(
            "/campaigns",
            get(campaigns::campaigns).post(campaigns::campaign_create),
        )
        .route("/ranking", get(ranking::ranking))
        .route(
            "/hazards/import",
            post(import::hazard_import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route(
            "/work-records",
            get(work::work_list).post(work::work_create),
        )
        .route(
            "/work-records/import",
            post(work::work_import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// An import form's file: its extension and bytes, and whether the user confirmed that
/// unrecognised columns be ignored, once the form's CSRF token checks out; or the message
/// to show for a malformed upload.
pub(crate) async fn uploaded_file(
    pc: &PageCaller,
    mp: Multipart,
) -> Result<Result<(String, Vec<u8>, bool), String>, PageError> {
    let (name, data, _, csrf, flags) = match crate::files::read_upload_flags(mp).await {
        Ok(x) => x,
        Err(e) => return Ok(Err(e.message)),
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(AppError::Forbidden("表单已过期，请刷新页面后重试".into()).into());
    }
    let ignore = flags.iter().any(|f| f == "ignore_columns");
    Ok(Ok((crate::files::extension(&name), data, ignore)))
}

/// What an import page shows of a refused file: its message, and the columns concerned.
pub(crate) fn refusal_text(e: &AppError) -> Option<(String, Vec<String>)> {
    match e {
        AppError::BadRequest(m) | AppError::Forbidden(m) => Some((m.clone(), Vec::new())),
        AppError::ImportRefused(r) => Some((r.message.clone(), r.columns.clone())),
        _ => None,
    }
}
