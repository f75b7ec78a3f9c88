use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::transfers::{PublicityInput, TransferInput, TransferStep};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/transfers", get(list).post(create))
        .route("/transfers/export", get(export))
        .route("/transfers/{id}", get(show))
        .route("/transfers/{id}/actions", post(act))
        .route("/publicity/decisions", get(decisions))
        .route("/cases/{id}/publicity", post(publish))
        .route("/cases/{id}/publicity/withdraw", post(withdraw))
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

async fn decisions(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.decision_publicity(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn publish(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<PublicityInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let p = blocking(&state, move |app| {
        app.publish_decision(&a.caller, id, &input)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!(p))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawInput {
    withdrawn_on: String,
    reason: String,
}

async fn withdraw(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<WithdrawInput>,
) -> ApiResult<Json<Value>> {
    let p = blocking(&state, move |app| {
        app.withdraw_publicity(&a.caller, id, &input.withdrawn_on, &input.reason)
    })
    .await?;
    Ok(Json(json!(p)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.transfers_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "transfers.xlsx"))
}
