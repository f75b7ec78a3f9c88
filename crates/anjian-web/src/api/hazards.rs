use super::{ApiResult, bool_param, int_param};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking, quick};
use anjian_app::export::ExportFormat;
use anjian_app::hazards::{ActionInput, HazardInput};
use anjian_store::hazards::HazardFilter;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hazards", get(list).post(create))
        .route("/hazards/export", get(export))
        .route("/hazards/{id}", get(show))
        .route("/hazards/{id}/actions", post(act))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct HazardQuery {
    pub region_code: Option<String>,
    pub sector: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub overdue: Option<String>,
    pub campaign: Option<String>,
    pub enterprise_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub limit: Option<String>,
    pub after: Option<String>,
    pub format: Option<String>,
}

pub(crate) fn filter_of(q: &HazardQuery) -> ApiResult<HazardFilter> {
    let bad = |f: &str, m: &str| {
        ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", f, m)
    };
    let s = |v: &Option<String>| v.clone().filter(|x| !x.trim().is_empty());
    let region_prefix = super::region_param("region_code", &q.region_code)?;
    if let Some(l) = s(&q.level)
        && anjian_domain::hazard::Level::parse(&l).is_none()
    {
        return Err(bad("level", "应为 general 或 major"));
    }
    if let Some(st) = s(&q.status)
        && anjian_domain::hazard::Status::parse(&st).is_none()
    {
        return Err(bad(
            "status",
            "应为 registered、ordered、rectifying、reported 或 closed",
        ));
    }
    if let Some(src) = s(&q.source)
        && anjian_domain::hazard::Source::parse(&src).is_none()
    {
        return Err(bad("source", "隐患来源不正确"));
    }
    let date = |name: &str, v: &Option<String>| -> ApiResult<Option<String>> {
        match s(v) {
            None => Ok(None),
            Some(d) => anjian_domain::validation::parse_date(&d)
                .map(|d| Some(d.to_string()))
                .map_err(|m| bad(name, &m)),
        }
    };
    Ok(HazardFilter {
        region_prefix,
        sector: s(&q.sector),
        level: s(&q.level)
            .and_then(|l| anjian_domain::hazard::Level::parse(&l))
            .map(|l| l.as_str().to_string()),
        status: s(&q.status),
        source: s(&q.source)
            .and_then(|x| anjian_domain::hazard::Source::parse(&x))
            .map(|x| x.as_str().to_string()),
        enterprise_id: int_param("enterprise_id", &q.enterprise_id, 1, i64::MAX)?,
        campaign: s(&q.campaign),
        overdue: bool_param("overdue", &q.overdue)?,
        today: String::new(),
        found_from: date("from", &q.from)?,
        found_to: date("to", &q.to)?,
        q: s(&q.q),
        after: int_param("after", &q.after, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 500)?.unwrap_or(50),
        ..Default::default()
    })
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<HazardQuery>,
) -> ApiResult<Json<Value>> {
    let f = filter_of(&q)?;
    let page = blocking(&state, move |app| app.list_hazards(&a.caller, &f)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<HazardInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let h = blocking(&state, move |app| app.create_hazard(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(h))))
}

/// A hazard with its timeline, serialised straight from the records (no intermediate
/// `serde_json::Value`: this is the API's most frequent read).
#[derive(serde::Serialize)]
struct HazardWithEvents {
    #[serde(flatten)]
    hazard: anjian_app::hazards::HazardView,
    events: Vec<anjian_store::hazards::HazardEvent>,
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<HazardWithEvents>> {
    let (hazard, events) = quick(&state, move |app| app.get_hazard(&a.caller, id)).await?;
    Ok(Json(HazardWithEvents { hazard, events }))
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<ActionInput>,
) -> ApiResult<Json<Value>> {
    let h = blocking(&state, move |app| app.hazard_action(&a.caller, id, &input)).await?;
    Ok(Json(json!(h)))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<HazardQuery>,
) -> ApiResult<Response> {
    let f = q.format.as_deref().unwrap_or("xlsx");
    let format = ExportFormat::parse(f).ok_or_else(|| {
        ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "format",
            "应为 xlsx 或 csv",
        )
    })?;
    let filter = filter_of(&q)?;
    let bytes = blocking(&state, move |app| {
        app.export_hazards(&a.caller, &filter, format)
    })
    .await?;
    Ok(super::enterprises_support::file_response(
        bytes,
        format.content_type(),
        &format!("hazards.{}", format.ext()),
    ))
}
