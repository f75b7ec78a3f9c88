use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId};
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::{Binary, DOCX, Items, XLSX};
use anjian_app::records::hazards::Attachment;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)))
        .routes(routes!(download))
}

/// An evidence upload (multipart/form-data); described only, read by
/// `crate::files::read_upload`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct EvidenceUpload {
    /// JPG/PNG/PDF/Word/Excel 文件，10 MB 以内
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// 说明
    note: Option<String>,
}

#[utoipa::path(
    post,
    path = "/hazards/{id}/attachments",
    tag = "hazards",
    summary = "上传佐证材料（multipart/form-data，字段 file，可选 note；JPG/PNG/PDF/Word/Excel，10 MB 以内）",
    params(super::IdPath),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "已上传（含 sha256）", body = Attachment))
)]
async fn upload(
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
    let (name, data, note, _) = crate::files::read_upload(mp).await?;
    let att = blocking(&state, move |app| {
        app.attach_hazard_file(&a.caller, id, &name, data, &note)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(att)))
}

#[utoipa::path(
    get,
    path = "/hazards/{id}/attachments",
    tag = "hazards",
    summary = "隐患佐证材料列表",
    params(super::IdPath),
    responses((status = 200, description = "佐证材料", body = Items<Attachment>))
)]
async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Items<Attachment>>> {
    let items = blocking(&state, move |app| app.hazard_attachments(&a.caller, id)).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    get,
    path = "/attachments/{id}",
    tag = "hazards",
    summary = "下载佐证材料",
    params(super::IdPath),
    responses((status = 200, description = "文件（按内容识别的类型）", content(
        (Binary = "image/jpeg"), (Binary = "image/png"), (Binary = "application/pdf"),
        (Binary = DOCX), (Binary = XLSX), (Binary = "application/msword"),
        (Binary = "application/vnd.ms-excel"),
    )))
)]

async fn download(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (att, data) = blocking(&state, move |app| app.attachment(&a.caller, id)).await?;
    Ok(crate::files::file_download(&att, data))
}
