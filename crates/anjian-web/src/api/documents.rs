use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::documents::{IssueInput, ServiceInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/documents", get(list).post(issue))
        .route("/documents/export", get(export))
        .route("/documents/{id}", get(show))
        .route("/documents/{id}/docx", get(docx))
        .route("/documents/{id}/service", post(serve))
        .route("/departments/{id}/document-prefix", put(set_prefix))
        .route("/document-templates", get(templates))
        .route("/document-templates/{doc_type}", put(set_template))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    entity: Option<String>,
    entity_id: Option<i64>,
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
        let entity = match (q.entity.as_deref().filter(|s| !s.is_empty()), q.entity_id) {
            (Some(e), Some(id)) => Some((e, id)),
            _ => None,
        };
        app.documents_page(&a.caller, entity, &k)
    })
    .await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn issue(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<IssueInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let d = blocking(&state, move |app| app.issue_document(&a.caller, &input)).await?;
    Ok((StatusCode::CREATED, Json(json!(d))))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let d = blocking(&state, move |app| app.document(&a.caller, id)).await?;
    Ok(Json(json!(d)))
}

async fn docx(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let (no, bytes) = blocking(&state, move |app| {
        let d = app.document(&a.caller, id)?;
        Ok((d.doc_no, app.document_docx(&a.caller, id)?))
    })
    .await?;
    Ok(crate::files::docx_response(&format!("{no}.docx"), bytes))
}

async fn serve(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<ServiceInput>,
) -> ApiResult<Json<Value>> {
    let d = blocking(&state, move |app| app.serve_document(&a.caller, id, &input)).await?;
    Ok(Json(json!(d)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrefixInput {
    prefix: String,
}

async fn set_prefix(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<PrefixInput>,
) -> ApiResult<Json<Value>> {
    let p = blocking(&state, move |app| {
        app.set_document_prefix(&a.caller, id, &input.prefix)
    })
    .await?;
    Ok(Json(json!({ "department_id": id, "prefix": p })))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.documents_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "documents.xlsx"))
}

async fn templates(State(state): State<AppState>, _a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.document_templates()).await?;
    Ok(Json(
        json!({ "items": items, "placeholders": anjian_app::documents::PLACEHOLDERS }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateInput {
    text: String,
}

async fn set_template(
    State(state): State<AppState>,
    a: ApiCaller,
    axum::extract::Path(doc_type): axum::extract::Path<String>,
    AppJson(input): AppJson<TemplateInput>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| {
        app.set_document_template(&a.caller, &doc_type, &input.text)
    })
    .await?;
    Ok(Json(json!(v)))
}
