//! The JSON API under `/api/v1`.

pub(crate) mod attachments;
mod audit;
pub(crate) mod audit_support {
    pub(crate) use super::audit::{AuditQuery, filter_of};
}
mod auth;
mod calendar;
mod cases;
mod commissions;
mod documents;
mod draws;
mod enterprises;
pub(crate) mod enterprises_support {
    pub(crate) use super::enterprises::{ListQuery, file_response, filter_of, redact};
}
pub(crate) mod hazards;
mod inspections;
mod listings;
pub(crate) mod major;
mod openapi;
mod org;
mod plans;
mod reports;
mod stats;
pub(crate) mod stats_support {
    pub(crate) use super::stats::{
        RankQuery, StatQuery, WorkQuery, rank_of, stat_of, work_filter_of,
    };
}
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
            .merge(org::router())
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

pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// Parses an optional integer query parameter, naming it on error.
pub(crate) fn int_param(
    name: &str,
    v: &Option<String>,
    min: i64,
    max: i64,
) -> ApiResult<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                name,
                format!("应为 {min} 到 {max} 之间的整数"),
            )),
        },
    }
}

/// Parses an optional region-code query parameter (6, 9 or 12 digits) into the prefix of
/// its subtree, naming the parameter on error.
pub(crate) fn region_param(name: &str, v: &Option<String>) -> ApiResult<Option<String>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) => anjian_domain::RegionCode::parse_loose(r)
            .map(|c| Some(c.subtree_prefix().to_string()))
            .map_err(|m| {
                ApiError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    name,
                    m,
                )
            }),
    }
}

pub(crate) fn bool_param(name: &str, v: &Option<String>) -> ApiResult<Option<bool>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some("true" | "1" | "是") => Ok(Some(true)),
        Some("false" | "0" | "否") => Ok(Some(false)),
        Some(_) => Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            name,
            "应为 true 或 false",
        )),
    }
}

/// An Excel ledger as a download.
pub(crate) fn xlsx_file(bytes: Vec<u8>, filename: &str) -> axum::response::Response {
    enterprises_support::file_response(
        bytes,
        anjian_app::export::ExportFormat::Xlsx.content_type(),
        filename,
    )
}
