use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::draws::DrawRequest;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/draws", get(list).post(create))
        .route("/draws/export", get(export))
        .route("/draws/{id}", get(show))
        .route("/draws/{id}/draw", post(run))
        .route("/draws/{id}/publish", post(publish))
        .route("/draws/{id}/actions", post(act))
        .route("/draws/{id}/verify", get(verify))
        .route("/draws/{id}/publicity", get(publicity))
        .route("/inspector-conflicts", post(conflict))
}

async fn list(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::PageQuery>,
) -> ApiResult<Json<Value>> {
    let k = crate::query::keyset_of(&q.after, &q.limit)?;
    let page = blocking(&state, move |app| app.draws_page(&a.caller, &k)).await?;
    Ok(Json(json!({ "items": page.items, "next": page.next })))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(req): AppJson<DrawRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = blocking(&state, move |app| app.create_draw(&a.caller, &req)).await?;
    Ok((StatusCode::CREATED, Json(json!(v))))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.draw_view(&a.caller, id)).await?;
    Ok(Json(json!(v)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunInput {
    #[serde(default)]
    entropy: String,
}

async fn run(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<RunInput>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| {
        app.run_draw(&a.caller, id, &input.entropy)
    })
    .await?;
    Ok(Json(json!(v)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishInput {
    published_on: String,
    published_where: String,
}

async fn publish(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(input): AppJson<PublishInput>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| {
        app.publish_draw(&a.caller, id, &input.published_on, &input.published_where)
    })
    .await?;
    Ok(Json(json!(v)))
}

/// A step of the draw loop, named by `action` like every workflow's steps.
#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum DrawStep {
    Draw(RunInput),
    Publish(PublishInput),
}

async fn act(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(step): AppJson<DrawStep>,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| match step {
        DrawStep::Draw(i) => app.run_draw(&a.caller, id, &i.entropy),
        DrawStep::Publish(i) => {
            app.publish_draw(&a.caller, id, &i.published_on, &i.published_where)
        }
    })
    .await?;
    Ok(Json(json!(v)))
}

async fn verify(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let v = blocking(&state, move |app| app.verify_draw(&a.caller.scope, id)).await?;
    let matches = v.matches();
    let mut j = json!(v);
    j["match"] = json!(matches);
    Ok(Json(j))
}

async fn publicity(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.draw_publicity_docx(&a.caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("随机抽查结果公示{id}.docx"),
        bytes,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConflictInput {
    user_id: i64,
    enterprise_id: i64,
    reason: String,
}

async fn conflict(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<ConflictInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    blocking(&state, move |app| {
        app.add_inspector_conflict(&a.caller, input.user_id, input.enterprise_id, &input.reason)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))))
}

async fn export(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<axum::response::Response> {
    let bytes = blocking(&state, move |app| app.draws_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "draws.xlsx"))
}
