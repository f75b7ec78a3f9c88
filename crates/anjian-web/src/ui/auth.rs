use super::{render, see_other};
use crate::extract::{FormPairs, PageCaller, SESSION_COOKIE, cookie, ctx};
use crate::{AppState, blocking};
use anjian_app::AppError;
use anjian_app::auth::SessionKind;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

const LOGIN_CSRF: &str = "anjian_login_csrf";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    instance: String,
    error: Option<String>,
    csrf: String,
    next: String,
    username: String,
}

/// Only local paths are accepted as a post-login destination.
fn safe_next(next: &str) -> String {
    let mut chars = next.chars();
    let local = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        // Browsers drop tabs and line breaks inside URLs ("/\t/evil" becomes "//evil").
        && !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local { next.to_string() } else { "/".into() }
}

fn login_form(
    state: &AppState,
    instance: String,
    error: Option<String>,
    next: &str,
    username: &str,
) -> Response {
    let csrf = anjian_app::auth::random_token().unwrap_or_default();
    let page = LoginPage {
        instance,
        error,
        csrf: csrf.clone(),
        next: safe_next(next),
        username: username.to_string(),
    };
    let mut res = render(&page);
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) =
        format!("{LOGIN_CSRF}={csrf}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}")
            .parse()
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn login_page(
    State(state): State<AppState>,
    Query(q): Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    // A blank store has no one to log in: the first-run page sets it up.
    if blocking(&state, |app| app.needs_first_run())
        .await
        .unwrap_or(false)
    {
        return see_other(super::setup::PATH);
    }
    let instance = blocking(&state, |app| app.instance_name())
        .await
        .unwrap_or_default();
    let next = q.get("next").cloned().unwrap_or_else(|| "/".into());
    login_form(&state, instance, None, &next, "")
}

struct Ctx(crate::extract::ReqCtx, HeaderMap);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ctx(ctx(parts), parts.headers.clone()))
    }
}

async fn login(State(state): State<AppState>, Ctx(c, headers): Ctx, form: FormPairs) -> Response {
    let instance = blocking(&state, |app| app.instance_name())
        .await
        .unwrap_or_default();
    let next = safe_next(&form.get("next"));
    let username = form.get("username");
    let expected = cookie(&headers, LOGIN_CSRF).unwrap_or_default();
    if expected.is_empty() || form.get("_csrf") != expected {
        return login_form(
            &state,
            instance,
            Some("页面已过期，请重新登录".into()),
            &next,
            &username,
        );
    }
    let password = form
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let u = username.clone();
    match blocking(&state, move |app| {
        app.login(&u, &password, SessionKind::Web, &c.ip, &c.id)
    })
    .await
    {
        Ok(ok) => {
            let mut res = signed_in(&state, &ok, &next);
            if let Ok(v) = format!("{LOGIN_CSRF}=; Path=/login; Max-Age=0").parse() {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(AppError::Validation(v)) => login_form(
            &state,
            instance,
            Some(
                v.fields
                    .values()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            &next,
            &username,
        ),
        Err(e) => {
            let msg = e.user_message();
            let mut res = login_form(&state, instance, Some(msg), &next, &username);
            *res.status_mut() = crate::error::status_of(&e);
            res
        }
    }
}

/// The answer to a successful login: the session cookie, and on to `next` (or to the password
/// page when the password must be changed first).
pub(super) fn signed_in(state: &AppState, ok: &anjian_app::auth::LoginOk, next: &str) -> Response {
    let to = if ok.caller.password_change_required {
        crate::extract::PASSWORD_PAGE
    } else {
        next
    };
    let mut res = see_other(to);
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let max_age = (ok.expires_at - state.app.clock.now()).num_seconds().max(0);
    if let Ok(v) = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        ok.token
    )
    .parse()
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn logout(State(state): State<AppState>, pc: PageCaller, form: FormPairs) -> Response {
    if let Err(e) = pc.check_csrf(&form) {
        return e.into_response();
    }
    let PageCaller { caller, token, .. } = pc;
    let _ = blocking(&state, move |app| app.logout(&caller, &token)).await;
    let mut res = see_other("/login");
    if let Ok(v) = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0").parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            safe_next("/enterprises?sector=fire"),
            "/enterprises?sector=fire"
        );
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil",
            "https://evil.example",
            "/\r\nx",
            "",
            "/a b",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
