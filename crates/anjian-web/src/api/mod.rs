//! The JSON API under `/api/v1`.

mod attachments;
mod audit;
mod auth;
mod calendar;
mod cases;
mod commissions;
mod documents;
mod draws;
mod enterprises;
mod hazards;
mod inspections;
mod listings;
mod major;
mod openapi;
pub use openapi::document as openapi_document;
mod organisation;
mod plans;
mod publicity;
mod reports;
mod stats;
mod todos;
mod transfers;
mod users;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::http::StatusCode;

pub fn router() -> Router<AppState> {
    Router::new().nest(
        "/api/v1",
        Router::new()
            .merge(auth::router())
            .merge(organisation::router())
            .merge(enterprises::router())
            .merge(hazards::router())
            .merge(calendar::router())
            .merge(todos::router())
            .merge(attachments::router())
            .merge(major::router())
            .merge(listings::router())
            .merge(inspections::router())
            .merge(cases::router())
            .merge(documents::router())
            .merge(draws::router())
            .merge(transfers::router())
            .merge(publicity::router())
            .merge(reports::router())
            .merge(commissions::router())
            .merge(plans::router())
            .merge(stats::router())
            .merge(users::router())
            .merge(audit::router())
            .merge(openapi::router())
            .route("/version", axum::routing::get(version))
            .method_not_allowed_fallback(method_not_allowed),
    )
}

/// `GET /api/v1/version`: the server's name and version, without authentication or a store
/// read (also the HTTP benchmark's trivial baseline route).
async fn version() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"name": "anjian", "version": env!("CARGO_PKG_VERSION")}))
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "该接口不支持此请求方法",
    )
}

pub(crate) use crate::error::ApiResult;
pub(crate) use crate::query::{bool_param, int_param};

/// An Excel ledger as a download.
pub(crate) fn xlsx_file(bytes: Vec<u8>, filename: &str) -> axum::response::Response {
    crate::files::file_response(
        bytes,
        anjian_app::export::ExportFormat::Xlsx.content_type(),
        filename,
    )
}
