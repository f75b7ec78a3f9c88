use super::ApiResult;
use crate::extract::{ApiCaller, AppJson, ctx};
use crate::{AppState, blocking};
use anjian_app::auth::SessionKind;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    username: String,
    password: String,
}

struct Ctx(crate::extract::ReqCtx);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ctx(ctx(parts)))
    }
}

async fn login(
    State(state): State<AppState>,
    Ctx(c): Ctx,
    AppJson(body): AppJson<Login>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let ok = blocking(&state, move |app| {
        app.login(
            &body.username,
            &body.password,
            SessionKind::Api,
            &c.ip,
            &c.id,
        )
    })
    .await?;
    Ok((
        StatusCode::OK,
        Json(json!({
            "token": ok.token,
            "token_type": "Bearer",
            "expires_at": anjian_app::records::auth::ts(ok.expires_at),
            "user": user_json(&ok.caller),
        })),
    ))
}

pub(crate) fn user_json(c: &anjian_app::Caller) -> Value {
    json!({
        "id": c.user.id,
        "username": c.user.username,
        "display_name": c.user.display_name,
        "role": c.user.role,
        "role_label": c.role.label(),
        "region_code": c.user.region_code,
        "department_id": c.user.department_id,
        "enterprise_id": c.user.enterprise_id,
        "scope": c.scope,
        "password_change_required": c.password_change_required,
    })
}

async fn logout(State(state): State<AppState>, a: ApiCaller) -> ApiResult<StatusCode> {
    let ApiCaller { caller, token } = a;
    blocking(&state, move |app| app.logout(&caller, &token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(a: ApiCaller) -> Json<Value> {
    Json(user_json(&a.caller))
}
