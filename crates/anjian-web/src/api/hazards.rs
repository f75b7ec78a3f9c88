use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking, quick};
use anjian_app::export::ExportFormat;
use anjian_app::hazards::{ActionInput, HazardInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Binary, CSV, XLSX};
use anjian_app::Page;
use anjian_app::hazards::HazardView;
use anjian_app::records::hazards::HazardEvent;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(act))
}

#[utoipa::path(
    get,
    path = "/hazards",
    tag = "hazards",
    summary = "隐患列表（键集分页）",
    params(crate::query::HazardQuery),
    responses((status = 200, description = "一页隐患", body = Page<HazardView>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::HazardQuery>,
) -> ApiResult<Json<Page<HazardView>>> {
    let f = crate::query::hazard_filter_of(&q)?;
    let page = blocking(&state, move |app| app.list_hazards(&a.caller, &f)).await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/hazards",
    tag = "hazards",
    summary = "登记隐患",
    request_body = HazardInput,
    responses((status = 201, description = "已登记的隐患", body = HazardView))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<HazardInput>,
) -> ApiResult<(StatusCode, Json<HazardView>)> {
    let h = blocking(&state, move |app| app.create_hazard(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(h)))
}

/// A hazard with its timeline, serialised straight from the records (no intermediate
/// `serde_json::Value`: this is the API's most frequent read).
#[derive(serde::Serialize, utoipa::ToSchema)]
struct HazardWithEvents {
    #[serde(flatten)]
    hazard: HazardView,
    /// 办理过程
    events: Vec<HazardEvent>,
}

#[utoipa::path(
    get,
    path = "/hazards/{id}",
    tag = "hazards",
    summary = "隐患详情（含办理过程 events 与当前可办理的 allowed_actions）",
    params(super::IdPath),
    responses((status = 200, description = "隐患", body = HazardWithEvents))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<HazardWithEvents>> {
    let (hazard, events) = quick(&state, move |app| app.get_hazard(&a.caller, id)).await?;
    Ok(Json(HazardWithEvents { hazard, events }))
}

#[utoipa::path(
    post,
    path = "/hazards/{id}/actions",
    tag = "hazards",
    summary = "办理隐患：order 责令整改、fix_on_site 当场整改、start 开始整改、report 报告整改完成、pass 复查合格销号、reject 复查不合格、extend 延期、note 记录进展",
    params(super::IdPath),
    request_body = ActionInput,
    responses((status = 200, description = "办理后的隐患", body = HazardView))
)]
async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<ActionInput>,
) -> ApiResult<Json<HazardView>> {
    let h = blocking(&state, move |app| app.hazard_action(&a.caller, id, &input)).await?;
    Ok(Json(h))
}

#[utoipa::path(
    get,
    path = "/hazards/export",
    tag = "hazards",
    summary = "导出隐患台账（xlsx|csv）",
    params(crate::query::HazardQuery),
    responses((status = 200, description = "隐患台账文件", content((Binary = XLSX), (Binary = CSV))))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::HazardQuery>,
) -> ApiResult<Response> {
    let f = q.format.as_deref().unwrap_or("xlsx");
    let format = ExportFormat::parse(f).ok_or_else(|| {
        ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "format",
            "应为 xlsx 或 csv",
        )
    })?;
    let filter = crate::query::hazard_filter_of(&q)?;
    let bytes = blocking(&state, move |app| {
        app.export_hazards(&a.caller, &filter, format)
    })
    .await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("hazards.{}", format.ext()),
    ))
}
