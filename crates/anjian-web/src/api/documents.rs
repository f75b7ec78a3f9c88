use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::documents::{IssueInput, ServiceInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::{Binary, DOCX, XLSX};
use anjian_app::Page;
use anjian_app::documents::TemplateView;
use anjian_app::records::documents::Document;

/// A department's document-number prefix, saved.
#[derive(Serialize, ToSchema)]
struct Prefix {
    department_id: i64,
    prefix: String,
}

/// The county's document templates and the placeholders they may use.
#[derive(Serialize, ToSchema)]
struct Templates {
    items: Vec<TemplateView>,
    /// In the text of a body and in Word templates.
    placeholders: Vec<&'static str>,
    /// Only in Word templates (the number, the body, the service record).
    docx_placeholders: Vec<&'static str>,
}

/// A Word template upload (multipart/form-data); described only, read by
/// `crate::files::read_upload`.
#[derive(ToSchema)]
#[allow(dead_code)]
struct TemplateUpload {
    /// Word 文件（.docx），10 MB 以内
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The `{doc_type}` of a template's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<String>`; this names it in the document
struct DocTypePath {
    /// 文书种类代码
    doc_type: String,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, issue))
        .routes(routes!(export))
        .routes(routes!(show))
        .routes(routes!(docx))
        .routes(routes!(serve))
        .routes(routes!(set_prefix))
        .routes(routes!(templates))
        .routes(routes!(set_template))
        .routes(
            routes!(template_docx, upload_template_docx, reset_template_docx).layer(
                axum::extract::DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT),
            ),
        )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// 所属记录类型：inspection | hazard | case（与 entity_id 一起使用）
    entity: Option<String>,
    /// 所属记录编号
    entity_id: Option<i64>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    limit: Option<String>,
}
#[utoipa::path(
    get,
    path = "/documents",
    tag = "documents",
    summary = "执法文书（可按所属记录筛选）",
    params(ListQuery),
    responses((status = 200, description = "一页文书", body = Page<Document>))
)]

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Page<Document>>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| {
        let entity = match (q.entity.as_deref().filter(|s| !s.is_empty()), q.entity_id) {
            (Some(e), Some(id)) => Some((e, id)),
            _ => None,
        };
        app.documents_page(&a.caller, entity, &k)
    })
    .await?;
    Ok(Json(page))
}
#[utoipa::path(
    post,
    path = "/documents",
    tag = "documents",
    summary = "制发执法文书：按部门、文书种类、年度连续编号",
    request_body = IssueInput,
    responses((status = 201, description = "文书", body = Document))
)]

async fn issue(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<IssueInput>,
) -> ApiResult<(StatusCode, Json<Document>)> {
    let d = blocking(&state, move |app| app.issue_document(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(d)))
}
#[utoipa::path(
    get,
    path = "/documents/{id}",
    tag = "documents",
    summary = "文书详情",
    params(super::IdPath),
    responses((status = 200, description = "文书", body = Document))
)]

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Document>> {
    let d = blocking(&state, move |app| app.document(&a.caller, id)).await?;
    Ok(Json(d))
}
#[utoipa::path(
    get,
    path = "/documents/{id}/docx",
    tag = "documents",
    summary = "文书 Word 文件",
    params(super::IdPath),
    responses((status = 200, description = "Word 文件", content_type = DOCX, body = Binary))
)]

async fn docx(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (name, bytes) = blocking(&state, move |app| {
        let d = app.document(&a.caller, id)?;
        Ok((document_file_name(&d), app.document_docx(&a.caller, id)?))
    })
    .await?;
    Ok(crate::files::docx_response(
        &name,
        &format!("document-{id}.docx"),
        bytes,
    ))
}

/// A document's download name: its kind and number, e.g. `行政处罚决定书-清应急罚〔2022〕4号.docx`.
pub(crate) fn document_file_name(d: &Document) -> String {
    let kind = anjian_app::documents::doc_type(&d.doc_type)
        .map(|t| t.title)
        .unwrap_or("执法文书");
    let no: String = d
        .doc_no
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    format!("{kind}-{no}.docx")
}
#[utoipa::path(
    post,
    path = "/documents/{id}/service",
    tag = "documents",
    summary = "登记送达（一次）：served_on、served_to、method",
    params(super::IdPath),
    request_body = ServiceInput,
    responses((status = 200, description = "送达后的文书", body = Document))
)]

async fn serve(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<ServiceInput>,
) -> ApiResult<Json<Document>> {
    let d = blocking(&state, move |app| app.serve_document(&a.caller, id, &input)).await?;
    Ok(Json(d))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PrefixInput {
    prefix: String,
}
#[utoipa::path(
    put,
    path = "/departments/{id}/document-prefix",
    tag = "documents",
    summary = "设置部门文号前缀（管理员）",
    params(super::IdPath),
    request_body = PrefixInput,
    responses((status = 200, description = "保存的前缀", body = Prefix))
)]

async fn set_prefix(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<PrefixInput>,
) -> ApiResult<Json<Prefix>> {
    let p = blocking(&state, move |app| {
        app.set_document_prefix(&a.caller, id, &input.prefix)
    })
    .await?;
    Ok(Json(Prefix {
        department_id: id,
        prefix: p,
    }))
}
#[utoipa::path(
    get,
    path = "/documents/export",
    tag = "documents",
    summary = "执法文书台账（Excel）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.documents_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "documents.xlsx"))
}
#[utoipa::path(
    get,
    path = "/document-templates",
    tag = "documents",
    summary = "执法文书模板（各文书种类的县级模板与可用占位符）",
    responses((status = 200, description = "模板与占位符", body = Templates))
)]

async fn templates(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Templates>> {
    let items = blocking(&state, move |app| app.document_templates()).await?;
    Ok(Json(Templates {
        items,
        placeholders: anjian_app::documents::PLACEHOLDERS.to_vec(),
        docx_placeholders: anjian_app::documents::DOCX_ONLY_PLACEHOLDERS.to_vec(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = DocumentTemplateInput)]
#[serde(deny_unknown_fields)]
struct TemplateInput {
    text: String,
}
#[utoipa::path(
    put,
    path = "/document-templates/{doc_type}",
    tag = "documents",
    summary = "修改文书模板（管理员；text 为空则恢复内置文本；占位符如 {当事人}、{违法事实}、{罚款}）",
    params(DocTypePath),
    request_body = TemplateInput,
    responses((status = 200, description = "保存后的模板", body = TemplateView))
)]

async fn set_template(
    State(state): State<AppState>,
    a: ApiCaller,
    axum::extract::Path(doc_type): axum::extract::Path<String>,
    AppJson(input): AppJson<TemplateInput>,
) -> ApiResult<Json<TemplateView>> {
    let v = blocking(&state, move |app| {
        app.set_document_template(&a.caller, &doc_type, &input.text)
    })
    .await?;
    Ok(Json(v))
}
#[utoipa::path(
    get,
    path = "/document-templates/{doc_type}/docx",
    tag = "documents",
    summary = "下载文书 Word 模板（本县上传的，未上传则为内置默认模板）",
    params(DocTypePath),
    responses((status = 200, description = "Word 模板", content_type = DOCX, body = Binary))
)]
async fn template_docx(
    State(state): State<AppState>,
    _a: ApiCaller,
    axum::extract::Path(doc_type): axum::extract::Path<String>,
) -> ApiResult<Response> {
    let fallback = format!("template-{}.docx", doc_type);
    let (name, bytes) = blocking(&state, move |app| app.document_template_docx(&doc_type)).await?;
    Ok(crate::files::docx_response(&name, &fallback, bytes))
}

#[utoipa::path(
    put,
    path = "/document-templates/{doc_type}/docx",
    tag = "documents",
    summary = "上传文书 Word 模板（管理员；multipart 字段 file，.docx，10 MB 以内；占位符如 {当事人}、{文号}、{正文}，未知占位符 422 并列出名称）",
    params(DocTypePath),
    request_body(content = TemplateUpload, content_type = "multipart/form-data"),
    responses((status = 200, description = "保存后的模板", body = TemplateView))
)]
async fn upload_template_docx(
    State(state): State<AppState>,
    a: ApiCaller,
    axum::extract::Path(doc_type): axum::extract::Path<String>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<TemplateView>> {
    let mp = mp.map_err(|_| {
        crate::error::ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 上传文件（字段名 file）",
        )
    })?;
    let (name, data, _, _) = crate::files::read_upload(mp).await?;
    let v = blocking(&state, move |app| {
        app.set_document_template_docx(&a.caller, &doc_type, &name, &data)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    delete,
    path = "/document-templates/{doc_type}/docx",
    tag = "documents",
    summary = "恢复内置默认 Word 模板（管理员）",
    params(DocTypePath),
    responses((status = 200, description = "恢复后的模板", body = TemplateView))
)]
async fn reset_template_docx(
    State(state): State<AppState>,
    a: ApiCaller,
    axum::extract::Path(doc_type): axum::extract::Path<String>,
) -> ApiResult<Json<TemplateView>> {
    let v = blocking(&state, move |app| {
        app.reset_document_template_docx(&a.caller, &doc_type)
    })
    .await?;
    Ok(Json(v))
}
