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
        .routes(routes!(self_assessment_sheet))
        .routes(routes!(acceptance_sheet))
        .routes(
            routes!(import_self_assessments)
                .layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .routes(
            routes!(import_acceptances).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
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

#[utoipa::path(
    get,
    path = "/capability/self-assessments/template",
    tag = "capability",
    summary = "能力创建自评导入表（Excel；每个乡镇、每个创建项目一行，填写是否达到）",
    responses((status = 200, description = "导入表", content_type = XLSX, body = Binary))
)]
async fn self_assessment_sheet(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| {
        app.capability_self_assessment_sheet(&a.caller)
    })
    .await?;
    Ok(super::xlsx_file(bytes, "capability-self-assessments.xlsx"))
}

#[utoipa::path(
    get,
    path = "/capability/acceptances/template",
    tag = "capability",
    summary = "能力创建验收导入表（Excel；每份待验收的自评一行，安委办）",
    responses((status = 200, description = "导入表", content_type = XLSX, body = Binary))
)]
async fn acceptance_sheet(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| {
        app.capability_acceptance_sheet(&a.caller)
    })
    .await?;
    Ok(super::xlsx_file(bytes, "capability-acceptances.xlsx"))
}

#[utoipa::path(
    post,
    path = "/capability/self-assessments/import",
    tag = "capability",
    summary = "导入能力创建自评（乡镇为本乡镇及所辖村，安委办为各乡镇；CSV/XLSX）",
    description = "导入能力创建自评（multipart 字段 file，CSV/XLSX；列：年度、乡镇（街道）、村（社区）、创建项目、是否达到、自评说明；同一乡镇（村）同一年度的各行为一份自评，按“保存自评”办理，尚无自评的先建立；先逐行校验，有错行则 422 并列出行号和列、不写入）",
    params(super::stats::import::ImportQuery),
    request_body(content = super::stats::import::Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = super::stats::import::ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = super::stats::import::ImportRefused),
    )
)]
async fn import_self_assessments(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<super::stats::import::ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    super::stats::import::import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_capability_self_assessments(&a.caller, t, opts)
    })
    .await
}

#[utoipa::path(
    post,
    path = "/capability/acceptances/import",
    tag = "capability",
    summary = "导入能力创建验收结果（安委办；CSV/XLSX）",
    description = "导入能力创建验收结果（multipart 字段 file，CSV/XLSX；列：年度、乡镇（街道）、村（社区）、验收结果（达标/未达标）、验收日期、验收人员、验收意见；每行登记一份已提交验收的自评的验收结果；先逐行校验，有错行则 422 并列出行号和列、不写入）",
    params(super::stats::import::ImportQuery),
    request_body(content = super::stats::import::Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = super::stats::import::ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = super::stats::import::ImportRefused),
    )
)]
async fn import_acceptances(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<super::stats::import::ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    super::stats::import::import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_capability_acceptances(&a.caller, t, opts)
    })
    .await
}
