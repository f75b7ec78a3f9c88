use super::ApiResult;
use crate::extract::{ApiCaller, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::commissions::CommissionInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/commissions", get(list).post(create))
        .route("/commissions/export", get(export))
        .route("/commissions/figures", get(figures))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Value>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.commissions_page(&a.caller, &k)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CommissionInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let c = blocking(&state, move |app| app.create_commission(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(c))))
}

async fn figures(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.commission_figures(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.commissions_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "commissions.xlsx"))
}
