use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking, quick};
use anjian_app::export::ExportFormat;
use anjian_app::hazards::{ActionInput, HazardInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hazards", get(list).post(create))
        .route("/hazards/export", get(export))
        .route("/hazards/{id}", get(show))
        .route("/hazards/{id}/actions", post(act))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::HazardQuery>,
) -> ApiResult<Json<Value>> {
    let f = crate::query::hazard_filter_of(&q)?;
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
    events: Vec<anjian_app::records::hazards::HazardEvent>,
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
    AppQuery(q): AppQuery<crate::query::HazardQuery>,
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
    let filter = crate::query::hazard_filter_of(&q)?;
    let bytes = blocking(&state, move |app| {
        app.export_hazards(&a.caller, &filter, format)
    })
    .await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("hazards.{}", format.ext()),
    ))
}
