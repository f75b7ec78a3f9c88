//! Statistics: the metric catalogue, values, drill-downs and reports; campaigns, the
//! work item catalogue and work records.

use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::records::work::WorkItemType;
use anjian_app::work::{CampaignInput, WorkRecordInput};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::{Binary, DOCX, Items, XLSX};

pub(crate) mod import;
mod metrics;
mod ranking;
mod report;
mod work;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(metrics::catalogue))
        .routes(routes!(metrics::values))
        .routes(routes!(metrics::values_export))
        .routes(routes!(metrics::drill))
        .routes(routes!(metrics::drill_export))
        .routes(routes!(report::report))
        .routes(routes!(report::template_get, report::template_put))
        .routes(routes!(work::campaigns, work::campaign_create))
        .routes(routes!(work::work_items))
        .routes(routes!(work::work_item_save))
        .routes(routes!(work::work_list, work::work_create))
        .routes(routes!(work::work_export))
        .routes(
            routes!(import::work_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .routes(routes!(work::work_get))
        .routes(
            routes!(import::hazard_import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .routes(routes!(ranking::ranking))
        .routes(routes!(ranking::ranking_export))
        .routes(routes!(ranking::rule_get, ranking::rule_put))
}
