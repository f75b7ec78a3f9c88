use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::cases::{CaseInput, CaseStep};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list).post(create))
        .route("/cases/export", get(export))
        .route("/cases/{id}", get(show))
        .route("/cases/{id}/record", get(record))
        .route("/cases/{id}/actions", post(act))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    procedure: Option<String>,
    status: Option<String>,
    after: Option<String>,
    limit: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| {
        app.cases_page(
            &a.caller,
            q.procedure.as_deref().filter(|s| !s.is_empty()),
            q.status.as_deref().filter(|s| !s.is_empty()),
            &k,
        )
    })
    .await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<CaseInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = blocking(&state, move |app| app.open_case(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(v))))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let (v, events, commission) = blocking(&state, move |app| {
        let (v, events) = app.case(&a.caller, id)?;
        let commission = app.case_commission(&a.caller, id)?;
        Ok((v, events, commission))
    })
    .await?;
    let mut j = json!(v);
    j["events"] = json!(events);
    j["commission"] = match commission {
        Some((cid, item, agency)) => {
            json!({"commission_id": cid, "item_code": item, "agency": agency})
        }
        None => Value::Null,
    };
    Ok(Json(j))
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(s): AppJson<CaseStep>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.case_step(&a.caller, id, &s)).await?;
    Ok(Json(json!(v)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.cases_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "cases.xlsx"))
}

async fn record(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.case_record(&a.caller, id)).await?;
    Ok(Json(json!(r)))
}
