//! The caller of an API request (bearer token or session) and of a page (session, with its
//! CSRF token for writes).

use super::*;

async fn resolve(
    state: &AppState,
    parts: &Parts,
) -> Result<(Caller, Session, bool, String), AppError> {
    let c = ctx(parts);
    let (token, via_cookie) = match bearer(&parts.headers) {
        Some(t) => (t, false),
        None => match cookie(&parts.headers, SESSION_COOKIE) {
            Some(t) => (t, true),
            None => return Err(AppError::Unauthorized("请先登录".into())),
        },
    };
    let t = token.clone();
    let (caller, session) = quick(state, move |app| app.authenticate(&t, &c.id, &c.ip)).await?;
    Ok((caller, session, via_cookie, token))
}

/// The authenticated API caller (bearer token, or session cookie plus `X-CSRF-Token` for writes).
pub struct ApiCaller {
    pub caller: Caller,
    pub token: String,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (caller, session, via_cookie, token) = resolve(state, parts).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if via_cookie && !safe {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if sent != session.csrf_token {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "缺少或错误的 CSRF 令牌（X-CSRF-Token）",
                ));
            }
        }
        if caller.password_change_required && !may_before_password_change(parts, &caller, true) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                format!(
                    "首次登录或密码已过期，请先修改密码（POST /api/v1/users/{}/password，带 current_password）",
                    caller.user.id
                ),
            ));
        }
        Ok(ApiCaller { caller, token })
    }
}

/// What a user who must change the password may still do: change it, log out, and (API)
/// read `/me`.
fn may_before_password_change(parts: &Parts, caller: &Caller, api: bool) -> bool {
    let path = ctx(parts).path;
    let path = path.as_str();
    let own = format!("/users/{}/password", caller.user.id);
    if api {
        let rest = path.strip_prefix("/api/v1").unwrap_or(path);
        rest == "/auth/logout" || rest == "/me" || rest == own
    } else {
        path == PASSWORD_PAGE || path == "/logout"
    }
}

/// Where the UI sends a user who must change the password.
pub const PASSWORD_PAGE: &str = "/account/password";

/// The signed-in UI user; unauthenticated requests are redirected to the login page.
pub struct PageCaller {
    pub caller: Caller,
    pub csrf: String,
    pub token: String,
}

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match resolve(state, parts).await {
            Ok((caller, _, _, _))
                if caller.password_change_required
                    && !may_before_password_change(parts, &caller, false) =>
            {
                Err(PageError::Redirect(PASSWORD_PAGE.into()))
            }
            Ok((caller, session, _, token)) => Ok(PageCaller {
                caller,
                csrf: session.csrf_token,
                token,
            }),
            Err(AppError::Unauthorized(_)) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".into());
                Err(PageError::Login(next))
            }
            Err(e) => Err(PageError::App(e)),
        }
    }
}

impl PageCaller {
    /// Rejects a form whose CSRF token does not match the session's.
    pub fn check_csrf(&self, form: &FormPairs) -> Result<(), PageError> {
        if form.get("_csrf") == self.csrf && !self.csrf.is_empty() {
            Ok(())
        } else {
            Err(PageError::App(AppError::Forbidden(
                "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
            )))
        }
    }
}
