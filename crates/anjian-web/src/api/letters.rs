//! Target-responsibility letters (目标管理责任状): register, revise and delete (安委办), read
//! with the indicators tracked, the signed scan, the ledger and the import.

use super::{ApiResult, Binary, Done, XLSX};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::Page;
use anjian_app::letters::{LetterInput, LetterListItem, LetterView};
use anjian_app::records::letters::{Attachment, Letter};
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
        .routes(routes!(list, create))
        .routes(routes!(export))
        .routes(routes!(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(show, update, delete))
        .routes(
            routes!(scan_upload, scan_download)
                .layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
}

#[utoipa::path(
    get,
    path = "/letters",
    tag = "letters",
    summary = "目标管理责任状（乡镇、部门、企业只见本单位签订的）",
    params(crate::query::LetterQuery),
    responses((status = 200, description = "一页责任状", body = Page<LetterListItem>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::LetterQuery>,
) -> ApiResult<Json<Page<LetterListItem>>> {
    let (f, k) = crate::query::letter_filter_of(&q)?;
    let page = blocking(&state, move |app| app.letters_page(&a.caller, &f, &k)).await?;
    Ok(Json(page))
}

#[utoipa::path(
    post,
    path = "/letters",
    tag = "letters",
    summary = "登记责任状及其指标（安委办）",
    description = "责任对象按类型填 township_code、department_id 或 enterprise_id；指标可关联统计指标（metric）并设比较方式（ge ≥、le ≤、eq =）和目标值，设 per_metric 时按比率（%）跟踪。字段错误 422，指标的字段为 indicators[序号].字段",
    request_body = LetterInput,
    responses((status = 201, description = "已登记的责任状", body = Letter))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<LetterInput>,
) -> ApiResult<(StatusCode, Json<Letter>)> {
    let l = blocking(&state, move |app| app.create_letter(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(l)))
}

#[utoipa::path(
    get,
    path = "/letters/{id}",
    tag = "letters",
    summary = "责任状详情：各项指标的当前值和完成情况（已达成、有风险、未达成）",
    params(super::IdPath),
    responses((status = 200, description = "责任状及指标跟踪", body = LetterView))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<LetterView>> {
    let v = blocking(&state, move |app| app.letter_view(&a.caller, id)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/letters/{id}",
    tag = "letters",
    summary = "修改责任状（安委办；须带当前版本号 version）",
    params(super::IdPath),
    request_body = LetterInput,
    responses((status = 200, description = "修改后的责任状", body = Letter))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<LetterInput>,
) -> ApiResult<Json<Letter>> {
    let l = blocking(&state, move |app| app.update_letter(&a.caller, id, &input)).await?;
    Ok(Json(l))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct VersionQuery {
    /// 当前版本号
    #[param(value_type = i64, minimum = 1)]
    version: Option<String>,
}

#[utoipa::path(
    delete,
    path = "/letters/{id}",
    tag = "letters",
    summary = "删除误登记的责任状（安委办；连同扫描件）",
    params(super::IdPath, VersionQuery),
    responses(
        (status = 200, description = "已删除", body = Done),
        (status = 409, description = "责任状已被他人修改（版本不符）", body = super::openapi::ErrorBody)
    )
)]
async fn delete(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<VersionQuery>,
) -> ApiResult<Json<Done>> {
    let version = crate::query::int_param("version", &q.version, 1, i64::MAX)?
        .ok_or_else(|| crate::query::bad("version", "请提供当前版本号"))?;
    blocking(&state, move |app| app.delete_letter(&a.caller, id, version)).await?;
    Ok(Json(Done { ok: true }))
}

/// A signed scan (multipart/form-data); described only, read by `crate::files::read_upload`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ScanUpload {
    /// PDF 或 JPG、PNG 图片，10 MB 以内
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(
    post,
    path = "/letters/{id}/scan",
    tag = "letters",
    summary = "上传签订的责任状扫描件（安委办；multipart 字段 file；PDF/JPG/PNG，10 MB 以内，按内容识别）",
    params(super::IdPath),
    request_body(content = ScanUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "已上传（含 sha256）", body = Attachment))
)]
async fn scan_upload(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
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
    let (_, att) = blocking(&state, move |app| {
        app.attach_letter_scan(&a.caller, id, &name, data)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(att)))
}

#[utoipa::path(
    get,
    path = "/letters/{id}/scan",
    tag = "letters",
    summary = "下载签订的责任状扫描件",
    params(super::IdPath),
    responses((status = 200, description = "扫描件", content(
        (Binary = "application/pdf"), (Binary = "image/jpeg"), (Binary = "image/png"),
    )))
)]
async fn scan_download(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (att, data) = blocking(&state, move |app| app.letter_scan(&a.caller, id)).await?;
    Ok(crate::files::file_download(&att, data))
}

#[utoipa::path(
    get,
    path = "/letters/export",
    tag = "letters",
    summary = "目标管理责任状台账（Excel，每项指标一行，含当前值和完成情况）",
    params(crate::query::LetterQuery),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::LetterQuery>,
) -> ApiResult<Response> {
    let (f, _) = crate::query::letter_filter_of(&q)?;
    let bytes = blocking(&state, move |app| app.letters_ledger(&a.caller, &f)).await?;
    Ok(super::xlsx_file(bytes, "letters.xlsx"))
}

#[utoipa::path(
    post,
    path = "/letters/import",
    tag = "letters",
    summary = "导入责任状（安委办；CSV/XLSX，台账的列，每项指标一行）",
    description = "导入责任状（multipart 字段 file，CSV/XLSX；列：责任年度、签订单位、责任对象类型、责任对象、责任状名称、签订日期、责任指标、统计指标、比较、目标值、比率基数指标、备注；同一年度、签订单位、对象、名称和日期的各行为同一份责任状的各项指标；先逐行校验，有错行则 422 并列出行号、不写入；skip_invalid=true 时写入各行均正确的责任状；导入总是新建责任状）",
    params(super::stats::import::ImportQuery),
    request_body(content = super::stats::import::Upload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "导入报告", body = super::stats::import::ImportAnswer),
        (status = 422, description = "有错行而未写入（导入报告），或文件的列无法识别（错误）", body = super::stats::import::ImportRefused),
    )
)]
async fn import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<super::stats::import::ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let user = a.caller.user.username.clone();
    super::stats::import::import_with(&state, q.options()?, mp, user, move |app, t, opts| {
        app.import_letters(&a.caller, t, opts)
    })
    .await
}
