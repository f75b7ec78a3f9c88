//! Grassroots emergency capability (乡村应急能力创建): the checklists, the assessments and
//! their steps (save, submit, accept, return), evidence files and the ledger.

use super::{ApiResult, Binary, Done, Items, XLSX};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::capability::{
    AssessmentInput, AssessmentView, CapabilityActionInput, CapabilityItemInput,
};
use anjian_app::records::capability::{Assessment, Attachment, CapabilityItem};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(items, save_item))
        .routes(routes!(list, open))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(act))
        .routes(routes!(upload).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
}

#[utoipa::path(
    get,
    path = "/capability/items",
    tag = "capability",
    summary = "乡村应急能力创建标准（乡镇“六有”、村“三有”）",
    responses((status = 200, description = "标准项目", body = Items<CapabilityItem>))
)]
async fn items(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<Items<CapabilityItem>>> {
    let items = blocking(&state, move |app| app.capability_items()).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    put,
    path = "/capability/items",
    tag = "capability",
    summary = "新增或修改创建标准项目（安委办）",
    request_body = CapabilityItemInput,
    responses((status = 200, description = "已保存", body = Done))
)]
async fn save_item(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CapabilityItemInput>,
) -> ApiResult<Json<Done>> {
    blocking(&state, move |app| {
        app.save_capability_item(&a.caller, &input)
    })
    .await?;
    Ok(Json(Done { ok: true }))
}

#[utoipa::path(
    get,
    path = "/capability",
    tag = "capability",
    summary = "乡镇、村能力创建自评与验收",
    params(crate::query::CapabilityQuery),
    responses((status = 200, description = "一页自评与验收记录", body = Page<AssessmentView>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::CapabilityQuery>,
) -> ApiResult<Json<Page<AssessmentView>>> {
    let (f, k) = crate::query::capability_filter_of(&q)?;
    let page = blocking(&state, move |app| {
        app.capability_assessments_page(&a.caller, &f, &k)
    })
    .await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/capability",
    tag = "capability",
    summary = "开始某乡镇（村）某年度的能力创建自评（本乡镇，或安委办代为填报）",
    request_body = AssessmentInput,
    responses((status = 201, description = "自评记录（各项待填）", body = Assessment))
)]
async fn open(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<AssessmentInput>,
) -> ApiResult<(StatusCode, Json<Assessment>)> {
    let v = blocking(&state, move |app| {
        app.open_capability_assessment(&a.caller, &input)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/capability/{id}",
    tag = "capability",
    summary = "自评与验收详情（含佐证材料和当前可办理的操作）",
    params(super::IdPath),
    responses((status = 200, description = "自评与验收", body = AssessmentView))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<AssessmentView>> {
    let v = blocking(&state, move |app| app.capability_assessment(&a.caller, id)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/capability/{id}/actions",
    tag = "capability",
    summary = "办理：save 保存自评、submit 提交验收（乡镇）；accept 登记验收结果、return 退回修改（安委办）",
    params(super::IdPath),
    request_body = CapabilityActionInput,
    responses((status = 200, description = "办理后的记录", body = Assessment))
)]
async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<CapabilityActionInput>,
) -> ApiResult<Json<Assessment>> {
    let v = blocking(&state, move |app| {
        app.capability_action(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ItemQuery {
    /// 佐证材料所属的创建标准项目代码
    item: Option<String>,
}

/// An evidence upload (multipart/form-data); described only, read by
/// `crate::files::read_upload`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct EvidenceUpload {
    /// JPG/PNG/PDF/Word/Excel 文件，10 MB 以内
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(
    post,
    path = "/capability/{id}/files",
    tag = "capability",
    summary = "上传某项目的佐证材料（自评阶段；multipart 字段 file；下载用 /attachments/{id}）",
    params(super::IdPath, ItemQuery),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "已上传（含 sha256）", body = Attachment))
)]
async fn upload(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<ItemQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let mp = mp.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 上传文件（字段名 file）",
        )
    })?;
    let (name, data, _, _) = crate::files::read_upload(mp).await?;
    let item = q.item.unwrap_or_default();
    let (_, att) = blocking(&state, move |app| {
        app.attach_capability_file(&a.caller, id, &item, &name, data)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(att)))
}

#[utoipa::path(
    get,
    path = "/capability/export",
    tag = "capability",
    summary = "乡村应急能力创建台账（Excel）",
    params(crate::query::CapabilityQuery),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::CapabilityQuery>,
) -> ApiResult<Response> {
    let (f, _) = crate::query::capability_filter_of(&q)?;
    let bytes = blocking(&state, move |app| app.capability_ledger(&a.caller, &f)).await?;
    Ok(super::xlsx_file(bytes, "capability.xlsx"))
}
