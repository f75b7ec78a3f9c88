use super::ApiResult;
use crate::extract::{ApiCaller, AppJson, ctx};
use crate::{AppState, blocking};
use anjian_app::auth::SessionKind;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

#[derive(Deserialize, ToSchema)]
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

/// An API token and its user.
#[derive(Serialize, ToSchema)]
struct Token {
    token: String,
    /// 总是 Bearer
    token_type: &'static str,
    /// 到期时间（UTC，RFC 3339）
    expires_at: String,
    user: Me,
}

/// The signed-in user and the scope of the data it may see.
#[derive(Serialize, ToSchema)]
pub(crate) struct Me {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    role_label: &'static str,
    region_code: String,
    department_id: Option<i64>,
    enterprise_id: Option<i64>,
    scope: anjian_domain::Scope,
    /// 须先修改密码（首次登录或密码过期）
    password_change_required: bool,
}

#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    summary = "登录，获取 API 令牌",
    security(()),
    request_body = Login,
    responses(
        (status = 200, description = "令牌", body = Token),
        (status = 401, description = "用户名或密码错误", body = crate::api::openapi::ErrorBody),
        (status = 429, description = "失败次数过多，暂时锁定", body = crate::api::openapi::ErrorBody),
    )
)]
async fn login(
    State(state): State<AppState>,
    Ctx(c): Ctx,
    AppJson(body): AppJson<Login>,
) -> ApiResult<(StatusCode, Json<Token>)> {
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
        Json(Token {
            token: ok.token,
            token_type: "Bearer",
            expires_at: anjian_app::records::auth::ts(ok.expires_at),
            user: me_of(&ok.caller),
        }),
    ))
}

pub(crate) fn me_of(c: &anjian_app::Caller) -> Me {
    Me {
        id: c.user.id,
        username: c.user.username.clone(),
        display_name: c.user.display_name.clone(),
        role: c.user.role.clone(),
        role_label: c.role.label(),
        region_code: c.user.region_code.clone(),
        department_id: c.user.department_id,
        enterprise_id: c.user.enterprise_id,
        scope: c.scope.clone(),
        password_change_required: c.password_change_required,
    }
}

#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    summary = "注销当前令牌",
    responses((status = 204, description = "已注销"))
)]
async fn logout(State(state): State<AppState>, a: ApiCaller) -> ApiResult<StatusCode> {
    let ApiCaller { caller, token } = a;
    blocking(&state, move |app| app.logout(&caller, &token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/me",
    tag = "auth",
    summary = "当前用户及其数据范围",
    responses((status = 200, description = "当前用户", body = Me))
)]
async fn me(a: ApiCaller) -> Json<Me> {
    Json(me_of(&a.caller))
}
