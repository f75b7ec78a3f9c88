use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::major::CaseInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/major-hazards", get(list))
        .route("/major-hazards/bulletins", get(bulletins).post(issue))
        .route("/major-hazards/bulletins/{id}", get(bulletin_file))
        .route("/major-hazards/{id}", get(show))
        .route("/major-hazards/{id}/actions", post(act))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::CaseQuery>,
) -> ApiResult<Json<Value>> {
    let today = state.app.clock.today();
    let f = crate::query::major_filter_of(&q, today)?;
    let page = blocking(&state, move |app| app.list_major_cases(&a.caller, &f)).await?;
    let items: Vec<Value> = page
        .items
        .into_iter()
        .map(|(c, h)| json!({ "case": c, "hazard": h }))
        .collect();
    Ok(Json(json!({ "items": items, "next": page.next })))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.major_case(&a.caller, id)).await?;
    Ok(Json(json!(v)))
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<CaseInput>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.major_action(&a.caller, id, &input)).await?;
    Ok(Json(json!(v)))
}

async fn bulletins(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.bulletins(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn issue(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (b, _) = blocking(&state, move |app| app.issue_bulletin(&a.caller)).await?;
    Ok((StatusCode::OK, Json(json!(b))))
}

async fn bulletin_file(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (b, doc) = blocking(&state, move |app| app.bulletin_file(&a.caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("通报{}.docx", b.cycle),
        doc,
    ))
}
