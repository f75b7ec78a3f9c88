use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId};
use crate::{AppState, blocking};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/hazards/{id}/attachments",
            post(upload)
                .get(list)
                .layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .route("/attachments/{id}", get(download))
}

async fn upload(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
    Ok((StatusCode::CREATED, Json(json!(att))))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.hazard_attachments(&a.caller, id)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn download(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (att, data) = blocking(&state, move |app| app.attachment(&a.caller, id)).await?;
    Ok(crate::files::file_download(&att, data))
}
