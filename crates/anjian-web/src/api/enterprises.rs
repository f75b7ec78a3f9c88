use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::export::ExportFormat;
use anjian_app::records::enterprises::Enterprise;
use anjian_domain::enterprise::EnterpriseInput;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list).post(create))
        .route("/enterprises/export", get(export))
        .route(
            "/enterprises/import",
            post(import).layer(DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT)),
        )
        .route("/enterprises/{id}", get(show).put(update))
        .route("/enterprises/{id}/history", get(history))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::ListQuery>,
) -> ApiResult<Json<Value>> {
    let f = crate::query::enterprise_filter_of(&q)?;
    let page = blocking(&state, move |app| app.list_enterprises(&a.caller, &f)).await?;
    let items: Vec<Enterprise> = page
        .items
        .into_iter()
        .map(|e| anjian_app::enterprises::redact(e, false))
        .collect();
    Ok(Json(json!({ "items": items, "next": page.next })))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let e = blocking(&state, move |app| {
        let e = app.get_enterprise(&a.caller, id)?;
        let can = a.caller.enterprise_write_scope().writable;
        Ok(anjian_app::enterprises::redact(e, can))
    })
    .await?;
    Ok(Json(json!(e)))
}

async fn history(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.enterprise_history(&a.caller, id)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<EnterpriseInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let e = blocking(&state, move |app| app.create_enterprise(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(e))))
}

async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<EnterpriseInput>,
) -> ApiResult<Json<Value>> {
    let e = blocking(&state, move |app| {
        app.update_enterprise(&a.caller, id, &input)
    })
    .await?;
    Ok(Json(json!(e)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::ListQuery>,
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
    let f = crate::query::enterprise_filter_of(&q)?;
    let bytes = blocking(&state, move |app| {
        app.export_enterprises(&a.caller, &f, format)
    })
    .await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("enterprises.{}", format.ext()),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    mode: Option<String>,
    skip_invalid: Option<String>,
    ignore_columns: Option<String>,
}

/// Imports enterprises from CSV/XLSX (`file`, the ledger's columns). `mode=create` (the
/// default) registers every row and refuses a registered USCC; `mode=upsert` updates the
/// caller's enterprises matched by USCC and registers the others; `mode=update` only
/// updates. Each update is written and audited like an edit in the form; the report's
/// `changes` lists the rows created, updated (field, old, new) and unchanged.
async fn import(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ImportQuery>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let mode = match q.mode.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => anjian_app::import::ImportMode::Create,
        Some(m) => anjian_app::import::ImportMode::parse(m).ok_or_else(|| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "mode",
                "应为 create、update 或 upsert",
            )
        })?,
    };
    let opts = super::stats::import::import_options(&q.skip_invalid, &q.ignore_columns)?;
    let user = a.caller.user.username.clone();
    super::stats::import::import_with(&state, opts, mp, user, move |app, t, opts| {
        app.import_enterprises(Some(&a.caller), t, opts, mode, &mut |_, _| {})
    })
    .await
}
