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
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
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
        .routes(
            routes!(act_with_evidence).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::EVIDENCE_FORM_LIMIT,
            )),
        )
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

/// A step with its evidence photos (multipart/form-data); described only, read by
/// `crate::files::read_form_with_files` into an [`ActionInput`].
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ActionWithEvidence {
    /// 办理环节，通常为 report（报告整改完成）
    action: String,
    /// 若给出，仅当隐患仍为此版本时办理（否则 409）
    version: Option<i64>,
    /// 说明
    note: Option<String>,
    /// 实际投入资金（元）
    funds_spent: Option<i64>,
    /// 整改佐证照片或文件，可多个（JPG/PNG/PDF/Word/Excel，每个 10 MB 以内，合计 30 MB 以内）
    #[schema(value_type = Vec<String>, format = Binary)]
    evidence: Vec<Vec<u8>>,
}

/// The integer fields of an [`ActionInput`] (the others are text).
const INT_FIELDS: [&str; 4] = ["version", "deadline_days", "funds_planned", "funds_spent"];

#[utoipa::path(
    post,
    path = "/hazards/{id}/actions-with-evidence",
    tag = "hazards",
    summary = "办理隐患并随附佐证材料（multipart/form-data：办理字段同 actions，文件字段 evidence 可多个；如报告整改完成并附整改后照片，一次提交；办理不成则材料也不保存）",
    params(super::IdPath),
    request_body(content = ActionWithEvidence, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "办理后的隐患", body = HazardView),
        (status = 409, description = "隐患已被他人处理或当前状态不能办理此环节", body = super::openapi::ErrorBody),
    )
)]
async fn act_with_evidence(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<HazardView>> {
    let mp = mp.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 提交（办理字段同 actions，文件字段 evidence）",
        )
    })?;
    let (form, files) = crate::files::read_form_with_files(mp, "evidence")
        .await
        .map_err(|(e, _)| e)?;
    // The text parts as the JSON body of `actions` would carry them.
    let mut body = serde_json::Map::new();
    for (k, v) in form.0 {
        let value = if INT_FIELDS.contains(&k.as_str()) {
            match v.trim().parse::<i64>() {
                Ok(n) => serde_json::Value::from(n),
                Err(_) => {
                    return Err(ApiError::field(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "validation_failed",
                        &k,
                        "应为整数",
                    ));
                }
            }
        } else {
            serde_json::Value::from(v)
        };
        body.insert(k, value);
    }
    let input: ActionInput =
        serde_json::from_value(serde_json::Value::Object(body)).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("表单字段有误：{e}"),
            )
        })?;
    let (h, _) = blocking(&state, move |app| {
        app.hazard_action_with_evidence(&a.caller, id, &input, files)
    })
    .await?;
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
