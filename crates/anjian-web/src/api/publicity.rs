//! The publicity (公示) of penalty decisions through the API.

use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson};
use crate::{AppState, blocking};
use anjian_app::publicity::PublicityInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/publicity/decisions", get(decisions))
        .route("/cases/{id}/publicity", post(publish))
        .route("/cases/{id}/publicity/withdraw", post(withdraw))
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
