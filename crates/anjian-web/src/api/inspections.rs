use super::{ApiResult, int_param};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery, parse_id};
use crate::{AppState, blocking};
use anjian_app::inspections::{FindingToHazard, InspectionInput};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(list).post(create))
        .route("/inspections/{id}", get(show))
        .route("/inspections/{id}/record", get(record))
        .route("/inspections/{id}/findings/{fid}/hazard", post(to_hazard))
        .route("/checklist-templates", get(templates).put(save_template))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    enterprise_id: Option<String>,
    after: Option<String>,
    limit: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let e = int_param("enterprise_id", &q.enterprise_id, 1, i64::MAX)?;
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.inspections_page(&a.caller, e, &k)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<InspectionInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (i, f) = blocking(&state, move |app| {
        let i = app.record_inspection(&a.caller, &input)?;
        app.inspection(&a.caller, i.id)
    })
    .await?;
    let mut v = json!(i);
    v["findings"] = json!(f);
    Ok((StatusCode::CREATED, Json(v)))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let (i, f) = blocking(&state, move |app| app.inspection(&a.caller, id)).await?;
    let mut v = json!(i);
    v["findings"] = json!(f);
    Ok(Json(v))
}

async fn record(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let doc = blocking(&state, move |app| app.inspection_record_docx(&a.caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("现场检查记录{id}.docx"),
        doc,
    ))
}

async fn to_hazard(
    State(state): State<AppState>,
    a: ApiCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    AppJson(input): AppJson<FindingToHazard>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "未找到该记录");
    let Path((id, fid)) = p.map_err(|_| not_found())?;
    let (id, fid) = (
        parse_id(&id).map_err(|_| not_found())?,
        parse_id(&fid).map_err(|_| not_found())?,
    );
    let h = blocking(&state, move |app| {
        app.finding_to_hazard(&a.caller, id, fid, &input)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!(h))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectorQuery {
    sector: Option<String>,
}

async fn templates(
    State(state): State<AppState>,
    _a: ApiCaller,
    AppQuery(q): AppQuery<SectorQuery>,
) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| {
        app.templates(q.sector.as_deref().filter(|s| !s.is_empty()))
    })
    .await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateItem {
    text: String,
    #[serde(default)]
    basis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateBody {
    sector: String,
    name: String,
    items: Vec<TemplateItem>,
}

async fn save_template(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(b): AppJson<TemplateBody>,
) -> ApiResult<Json<Value>> {
    let items: Vec<(String, String)> = b.items.into_iter().map(|i| (i.text, i.basis)).collect();
    let t = blocking(&state, move |app| {
        app.save_template(&a.caller, &b.sector, &b.name, &items)
    })
    .await?;
    Ok(Json(json!(t)))
}
