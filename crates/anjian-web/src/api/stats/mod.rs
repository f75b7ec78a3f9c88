//! Statistics: the metric catalogue, values, drill-downs and reports; campaigns, the
//! work item catalogue and work records.

use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::records::work::WorkItemType;
use anjian_app::work::{CampaignInput, WorkRecordInput};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) mod import;
mod metrics;
mod ranking;
mod report;
mod work;
use import::{hazard_import, work_import};
use metrics::{catalogue, drill, drill_export, values, values_export};
use ranking::{ranking, ranking_export, rule_get, rule_put};
use report::{report, template_get, template_put};
use work::{
    campaign_create, campaigns, work_create, work_export, work_get, work_item_save, work_items,
    work_list,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(catalogue))
        .route("/metrics/values", get(values))
        .route("/metrics/values/export", get(values_export))
        .route("/metrics/{id}", get(drill))
        .route("/metrics/{id}/export", get(drill_export))
        .route("/statistics/report", get(report))
        .route(
            "/statistics/report-template",
            get(template_get).put(template_put),
        )
        .route("/campaigns", get(campaigns).post(campaign_create))
        .route("/work-items", get(work_items))
        .route("/work-items/{code}", put(work_item_save))
        .route("/work-records", get(work_list).post(work_create))
        .route("/work-records/export", get(work_export))
        .route(
            "/work-records/import",
            post(work_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .route("/work-records/{id}", get(work_get))
        .route(
            "/hazards/import",
            post(hazard_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .route("/ranking", get(ranking))
        .route("/ranking/export", get(ranking_export))
        .route("/ranking-rule", get(rule_get).put(rule_put))
}
