//! The publicity (公示) of penalty decisions through the API.

use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson};
use crate::{AppState, blocking};
use anjian_app::publicity::PublicityInput;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Items;
use anjian_app::publicity::DecisionPublicity;
use anjian_app::records::publicity::Publicity;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(decisions))
        .routes(routes!(publish))
        .routes(routes!(withdraw))
}
#[utoipa::path(
    get,
    path = "/publicity/decisions",
    tag = "publicity",
    summary = "处罚决定公示情况（含期限与逾期）",
    responses((status = 200, description = "公示情况", body = Items<DecisionPublicity>))
)]

async fn decisions(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<DecisionPublicity>>> {
    let items = blocking(&state, move |app| app.decision_publicity(&a.caller)).await?;
    Ok(Items::of(items))
}
#[utoipa::path(
    post,
    path = "/cases/{id}/publicity",
    tag = "publicity",
    summary = "登记处罚决定公示：published_on、channel、url",
    params(super::IdPath),
    request_body = PublicityInput,
    responses((status = 201, description = "公示", body = Publicity))
)]

async fn publish(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<PublicityInput>,
) -> ApiResult<(StatusCode, Json<Publicity>)> {
    let p = blocking(&state, move |app| {
        app.publish_decision(&a.caller, id, &input)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct WithdrawInput {
    /// 撤下日期 YYYY-MM-DD
    #[schema(value_type = chrono::NaiveDate)]
    withdrawn_on: String,
    reason: String,
}
#[utoipa::path(
    post,
    path = "/cases/{id}/publicity/withdraw",
    tag = "publicity",
    summary = "撤下公示：withdrawn_on、reason",
    params(super::IdPath),
    request_body = WithdrawInput,
    responses((status = 200, description = "撤下后的公示", body = Publicity))
)]

async fn withdraw(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<WithdrawInput>,
) -> ApiResult<Json<Publicity>> {
    let p = blocking(&state, move |app| {
        app.withdraw_publicity(&a.caller, id, &input.withdrawn_on, &input.reason)
    })
    .await?;
    Ok(Json(p))
}
