use super::ApiResult;
use crate::extract::{ApiCaller, ApiId, AppJson};
use crate::{AppState, blocking};
use anjian_app::users::NewUser;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Created, Items};
use anjian_app::records::users::User;
use anjian_app::users::SessionInfo;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update))
        .routes(routes!(password))
        .routes(routes!(revoke))
        .routes(routes!(sessions))
        .routes(routes!(revoke_session))
}

/// A user's live sessions and API tokens (own, or any in scope for an admin).
#[utoipa::path(
    get,
    path = "/users/{id}/sessions",
    tag = "users",
    summary = "该用户的有效登录会话与令牌（本人或管理员）",
    params(super::IdPath),
    responses((status = 200, description = "会话与令牌", body = Items<SessionInfo>))
)]
async fn sessions(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Items<SessionInfo>>> {
    let ApiCaller { caller, token } = a;
    let items = blocking(&state, move |app| app.list_sessions(&caller, id, &token)).await?;
    Ok(Items::of(items))
}

/// The `{id}` and `{session}` of a session's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<(String, String)>`; this names them in the document
struct SessionPath {
    /// 用户编号
    #[param(minimum = 1)]
    id: i64,
    /// 会话标识（会话列表中的 id）
    session: String,
}

/// Revokes one session or API token; refused from its next request on.
#[utoipa::path(
    post,
    path = "/users/{id}/sessions/{session}/revoke",
    tag = "users",
    summary = "注销一个会话或令牌，立即生效",
    params(SessionPath),
    responses((status = 204, description = "已注销"))
)]
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

#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    summary = "用户列表（管理员）",
    responses((status = 200, description = "用户", body = Items<User>))
)]
async fn list(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<Items<User>>> {
    let items = blocking(&state, move |app| app.list_users(&a.caller)).await?;
    Ok(Items::of(items))
}

#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    summary = "用户详情",
    params(super::IdPath),
    responses((status = 200, description = "用户", body = User))
)]
async fn show(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<User>> {
    let u = blocking(&state, move |app| app.get_user(&a.caller, id)).await?;
    Ok(Json(u))
}

#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    summary = "新增用户（管理员）",
    request_body = NewUser,
    responses((status = 201, description = "新用户的编号", body = Created))
)]
async fn create(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(u): AppJson<NewUser>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = blocking(&state, move |app| app.create_user(&a.caller, &u)).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(
    put,
    path = "/users/{id}",
    tag = "users",
    summary = "修改用户（管理员）",
    params(super::IdPath),
    request_body = NewUser,
    responses((status = 200, description = "修改后的用户", body = User))
)]
async fn update(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(u): AppJson<NewUser>,
) -> ApiResult<Json<User>> {
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
    Ok(Json(user))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PasswordBody {
    password: String,
    #[serde(default)]
    current_password: Option<String>,
}

#[utoipa::path(
    post,
    path = "/users/{id}/password",
    tag = "users",
    summary = "重置或修改密码",
    params(super::IdPath),
    request_body = PasswordBody,
    responses((status = 204, description = "已修改"))
)]
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

/// How many sessions and tokens were revoked.
#[derive(Serialize, ToSchema)]
struct Revoked {
    revoked: u64,
}

#[utoipa::path(
    post,
    path = "/users/{id}/revoke-tokens",
    tag = "users",
    summary = "吊销该用户的全部会话与令牌",
    params(super::IdPath),
    responses((status = 200, description = "吊销的数量", body = Revoked))
)]
async fn revoke(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<Revoked>> {
    let n = blocking(&state, move |app| app.revoke_tokens(&a.caller, id)).await?;
    Ok(Json(Revoked { revoked: n }))
}
