use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::reports::{ReportInput, ReportStep};
use anjian_domain::reward::RewardRule;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list).post(create))
        .route("/reports/export", get(export))
        .route("/reports/{id}", get(show))
        .route("/reports/{id}/actions", post(act))
        .route("/reward-rule", get(rule).put(set_rule))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Value>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.reports_page(&a.caller, &k)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<ReportInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = blocking(&state, move |app| app.receive_report(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(v))))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.report(&a.caller, id)).await?;
    Ok(Json(json!(v)))
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<ReportStep>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.report_step(&a.caller, id, &s)).await?;
    Ok(Json(json!(v)))
}

async fn rule(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.reward_rule()).await?;
    Ok(Json(json!(r)))
}

async fn set_rule(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(r): AppJson<RewardRule>,
) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.set_reward_rule(&a.caller, &r)).await?;
    Ok(Json(json!(r)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.reports_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "reports.xlsx"))
}
