use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::transfers::{TransferInput, TransferStep};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/transfers", get(list).post(create))
        .route("/transfers/export", get(export))
        .route("/transfers/{id}", get(show))
        .route("/transfers/{id}/actions", post(act))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Value>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.transfers_page(&a.caller, &k)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<TransferInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = blocking(&state, move |app| app.report_transfer(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(v))))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.transfer(&a.caller, id)).await?;
    Ok(Json(json!(v)))
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<TransferStep>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.transfer_step(&a.caller, id, &s)).await?;
    Ok(Json(json!(v)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.transfers_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "transfers.xlsx"))
}
