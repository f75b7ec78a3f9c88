use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::plans::PlanInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list).post(save))
        .route("/plans/export", get(export))
        .route("/plans/{id}", get(show))
        .route("/plans/{id}/approve", post(approve))
        .route("/plans/{id}/actions", post(act))
}

/// A step of the plan loop, named by `action` like every workflow's steps.
#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum PlanStep {
    Revise(anjian_app::plans::PlanRevision),
    Approve(ApproveInput),
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(step): AppJson<PlanStep>,
) -> ApiResult<Json<Value>> {
    let p = blocking(&state, move |app| match step {
        PlanStep::Revise(r) => app.revise_plan(&a.caller, id, &r),
        PlanStep::Approve(i) => app.approve_plan(
            &a.caller,
            id,
            i.version,
            &i.approved_by,
            &i.approved_on,
            &i.doc_no,
        ),
    })
    .await?;
    Ok(Json(json!(p)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    year: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.plans(&a.caller, q.year)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn save(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<PlanInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let p = blocking(&state, move |app| app.save_plan(&a.caller, &input)).await?;
    Ok((StatusCode::OK, Json(json!(p))))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let p = blocking(&state, move |app| app.plan_progress(&a.caller, id)).await?;
    Ok(Json(json!(p)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveInput {
    version: i64,
    approved_by: String,
    approved_on: String,
    #[serde(default)]
    doc_no: String,
}

async fn approve(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(i): AppJson<ApproveInput>,
) -> ApiResult<Json<Value>> {
    let p = blocking(&state, move |app| {
        app.approve_plan(
            &a.caller,
            id,
            i.version,
            &i.approved_by,
            &i.approved_on,
            &i.doc_no,
        )
    })
    .await?;
    Ok(Json(json!(p)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.plans_ledger(&a.caller, None)).await?;
    Ok(super::xlsx_file(bytes, "plans.xlsx"))
}
