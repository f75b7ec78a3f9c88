//! Query strings of the list, filter and statistics pages, parsed once for the JSON API and
//! the HTML pages alike.

use crate::error::{ApiError, ApiResult};
use anjian_app::records::audit::AuditFilter;
use anjian_app::records::enterprises::EnterpriseFilter;
use anjian_app::records::hazards::HazardFilter;
use anjian_app::records::major::CaseFilter;
use anjian_app::records::stats::StatFilter;
use anjian_app::records::work::WorkFilter;
use anjian_domain::RegionCode;
use anjian_domain::period::Period;
use axum::http::StatusCode;
use serde::Deserialize;

mod hazards;
mod letters;
mod registry;
mod stats;
pub use hazards::*;
pub use letters::*;
pub use registry::*;
pub use stats::*;

/// Which page of a list: `after` (the cursor of the previous page's `next`) and `limit`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    pub after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    pub limit: Option<String>,
}

/// A download's format (`format=`).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum FileFormat {
    Xlsx,
    Csv,
}

/// The `after` cursor of an HTML list page (a bad one shows the first page).
pub fn after_of(q: &std::collections::BTreeMap<String, String>) -> Option<i64> {
    q.get("after").and_then(|a| a.trim().parse().ok())
}

pub fn keyset_of(after: &Option<String>, limit: &Option<String>) -> ApiResult<anjian_app::Keyset> {
    Ok(anjian_app::Keyset::after(
        int_param("after", after, 1, i64::MAX)?,
        int_param("limit", limit, 1, anjian_app::Keyset::MAX)?.unwrap_or(anjian_app::PAGE_SIZE),
    ))
}

pub fn bad(field: &str, msg: impl Into<String>) -> ApiError {
    ApiError::field(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        field,
        msg,
    )
}

/// Parses an optional integer query parameter, naming it on error.
pub fn int_param(name: &str, v: &Option<String>, min: i64, max: i64) -> ApiResult<Option<i64>> {
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
pub fn region_param(name: &str, v: &Option<String>) -> ApiResult<Option<String>> {
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

/// Parses an optional date query parameter (YYYY-MM-DD), naming it on error.
pub fn date_param(name: &str, v: &Option<String>) -> ApiResult<Option<chrono::NaiveDate>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(d) => anjian_domain::validation::parse_date(d)
            .map(Some)
            .map_err(|m| bad(name, m)),
    }
}

pub fn bool_param(name: &str, v: &Option<String>) -> ApiResult<Option<bool>> {
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
