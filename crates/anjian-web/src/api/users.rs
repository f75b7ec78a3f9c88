use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson};
use crate::{AppState, blocking};
use anjian_app::users::NewUser;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", get(show).put(update))
        .route("/users/{id}/password", post(password))
        .route("/users/{id}/revoke-tokens", post(revoke))
        .route("/users/{id}/sessions", get(sessions))
        .route(
            "/users/{id}/sessions/{session}/revoke",
            post(revoke_session),
        )
}

/// A user's live sessions and API tokens (own, or any in scope for an admin).
async fn sessions(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let ApiCaller { caller, token } = a;
    let items = blocking(&state, move |app| app.list_sessions(&caller, id, &token)).await?;
    Ok(Json(json!({ "items": items })))
}

/// Revokes one session or API token; refused from its next request on.
async fn revoke_session(
    State(state): State<AppState>,
    a: ApiCaller,
    path: Result<axum::extract::Path<(String, String)>, axum::extract::rejection::PathRejection>,
) -> ApiResult<StatusCode> {
    let Ok(axum::extract::Path((id, session))) = path else {
        return Err(anjian_app::AppError::NotFound.into());
    };
    let id = crate::extract::parse_id(&id)?;
    blocking(&state, move |app| {
        app.revoke_session(&a.caller, id, &session)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Value>> {
    let items = blocking(&state, move |app| app.list_users(&a.caller)).await?;
    Ok(Json(json!({ "items": items })))
}

async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let u = blocking(&state, move |app| app.get_user(&a.caller, id)).await?;
    Ok(Json(json!(u)))
}

async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(u): AppJson<NewUser>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = blocking(&state, move |app| app.create_user(&a.caller, &u)).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(u): AppJson<NewUser>,
) -> ApiResult<Json<Value>> {
    let user = blocking(&state, move |app| {
        let Some(version) = u.version else {
            return Err(anjian_domain::ValidationErrors::single(
                "version",
                "修改时须提供读取时的版本号 version",
            )
            .into());
        };
        app.update_user(&a.caller, id, version, &u)?;
        app.get_user(&a.caller, id)
    })
    .await?;
    Ok(Json(json!(user)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordBody {
    password: String,
    #[serde(default)]
    current_password: Option<String>,
}

async fn password(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(b): AppJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    blocking(&state, move |app| {
        app.set_password(&a.caller, id, &b.password, b.current_password.as_deref())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn revoke(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Value>> {
    let n = blocking(&state, move |app| app.revoke_tokens(&a.caller, id)).await?;
    Ok(Json(json!({ "revoked": n })))
}
