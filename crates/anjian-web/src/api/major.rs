use super::{ApiResult, bool_param};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::major::CaseInput;
use anjian_store::major::CaseFilter;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/major-hazards", get(list))
        .route("/major-hazards/bulletins", get(bulletins).post(issue))
        .route("/major-hazards/bulletins/{id}", get(bulletin_file))
        .route("/major-hazards/{id}", get(show))
        .route("/major-hazards/{id}/actions", post(act))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseQuery {
    pub state: Option<String>,
    pub open: Option<String>,
    pub overdue: Option<String>,
    pub year: Option<String>,
}

pub(crate) fn filter_of(q: &CaseQuery, today: &str) -> ApiResult<CaseFilter> {
    if let Some(s) = q.state.as_deref().filter(|s| !s.is_empty())
        && anjian_domain::major::CaseState::parse(s).is_none()
    {
        return Err(crate::ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "state",
            "清单状态不正确",
        ));
    }
    Ok(CaseFilter {
        state: q.state.clone().filter(|s| !s.is_empty()),
        open_only: bool_param("open", &q.open)?.unwrap_or(false),
        overdue_on: bool_param("overdue", &q.overdue)?
            .filter(|b| *b)
            .map(|_| today.to_string()),
        year: q
            .year
            .clone()
            .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit())),
        limit: 2000,
    })
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<CaseQuery>,
) -> ApiResult<Json<Value>> {
    let today = state.app.clock.today().to_string();
    let f = filter_of(&q, &today)?;
    let items = blocking(&state, move |app| app.list_major_cases(&a.caller, &f)).await?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|(c, h)| json!({ "case": c, "hazard": h }))
        .collect();
    Ok(Json(json!({ "items": items })))
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

pub(crate) fn docx_response(name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bulletin.docx\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn bulletin_file(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (b, doc) = blocking(&state, move |app| app.bulletin_file(&a.caller, id)).await?;
    Ok(docx_response(&format!("通报{}.docx", b.cycle), doc))
}
