use super::{ApiResult, int_param};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::listings::{ListingProposal, ListingStep};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/listings", get(list).post(propose))
        .route("/listings/figures", get(figures))
        .route("/listings/{id}", get(show))
        .route("/listings/{id}/actions", post(act))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct YearQuery {
    pub year: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Json<Value>> {
    let year = int_param("year", &q.year, 2000, 2100)?.map(|y| y as i32);
    let items = blocking(&state, move |app| app.listings(&a.caller, year)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn figures(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Json<Value>> {
    let year = int_param("year", &q.year, 2000, 2100)?.map(|y| y as i32);
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&state.app.clock.today()));
    let f = blocking(&state, move |app| app.listing_figures(&a.caller, year)).await?;
    Ok(Json(json!({ "year": year, "figures": f })))
}

async fn propose(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(p): AppJson<ListingProposal>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = blocking(&state, move |app| app.propose_listing(&a.caller, &p)).await?;
    Ok((StatusCode::CREATED, Json(json!(v))))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let (v, events) = blocking(&state, move |app| app.listing(&a.caller, id)).await?;
    let mut j = json!(v);
    j["events"] = json!(events);
    Ok(Json(j))
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<ListingStep>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.listing_step(&a.caller, id, &s)).await?;
    Ok(Json(json!(v)))
}
