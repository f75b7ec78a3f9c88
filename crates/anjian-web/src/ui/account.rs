//! The signed-in user's own account: changing the password (forced at first login and on
//! expiry), and the sessions pages (own, or any user's for an admin) with revocation.

use super::{Chrome, FieldErrors, render, see_other};
use crate::extract::{FormPairs, PASSWORD_PAGE, PageCaller, SESSION_COOKIE};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::users::SessionInfo;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(PASSWORD_PAGE, get(password_page).post(change_password))
        .route("/account/sessions", get(own_sessions))
        .route("/users/{id}/sessions", get(user_sessions))
        .route("/users/{id}/sessions/{session}/revoke", post(revoke))
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    chrome: Chrome,
    forced: bool,
    rule: String,
    errors: FieldErrors,
}

async fn password_form(
    state: &AppState,
    pc: &PageCaller,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let (instance, policy) = blocking(state, |app| {
        Ok((app.instance_name()?, app.security_policy()?))
    })
    .await?;
    let rule = format!("新{}", policy.password_rule(true));
    let page = PasswordPage {
        chrome: Chrome::new(pc, instance, "修改密码", "account"),
        forced: pc.caller.password_change_required,
        rule,
        errors,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn password_page(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    password_form(&state, &pc, FieldErrors::default()).await
}

fn secret(form: &FormPairs, name: &str) -> String {
    form.0
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

async fn change_password(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (current, new) = (secret(&form, "current_password"), secret(&form, "password"));
    if new != secret(&form, "confirm") {
        let mut e = BTreeMap::new();
        e.insert(
            "confirm".to_string(),
            vec!["两次输入的新密码不一致".to_string()],
        );
        return password_form(&state, &pc, FieldErrors(e)).await;
    }
    let caller = pc.caller.clone();
    let id = caller.user.id;
    match blocking(&state, move |app| {
        app.set_password(&caller, id, &new, Some(&current))
    })
    .await
    {
        Ok(()) => {
            // Every session of the user has been revoked: sign in again with the new password.
            let mut res = see_other("/login");
            if let Ok(v) =
                format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0").parse()
            {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(AppError::Validation(v)) => password_form(&state, &pc, v.fields.into()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    chrome: Chrome,
    id: i64,
    own: bool,
    username: String,
    sessions: Vec<SessionInfo>,
}

async fn sessions_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let token = pc.token.clone();
    let (instance, user, mut sessions) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.get_user(&caller, id)?,
            app.list_sessions(&caller, id, &token)?,
        ))
    })
    .await?;
    for s in &mut sessions {
        for t in [&mut s.created_at, &mut s.last_seen_at, &mut s.expires_at] {
            *t = anjian_app::auth::local_time(t);
        }
    }
    let own = id == pc.caller.user.id;
    let nav = if own { "account" } else { "users" };
    let page = SessionsPage {
        chrome: Chrome::new(pc, instance, "登录会话", nav).flash(flash),
        id,
        own,
        username: user.display_name,
        sessions,
    };
    Ok(render(&page))
}

fn flash_of(q: &BTreeMap<String, String>) -> Option<&'static str> {
    q.get("revoked").map(|_| "已吊销该会话")
}

async fn own_sessions(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let id = pc.caller.user.id;
    sessions_page(&state, &pc, id, flash_of(&q)).await
}

async fn user_sessions(
    State(state): State<AppState>,
    pc: PageCaller,
    crate::extract::PageId(id): crate::extract::PageId,
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    sessions_page(&state, &pc, id, flash_of(&q)).await
}

async fn revoke(
    State(state): State<AppState>,
    pc: PageCaller,
    path: Result<axum::extract::Path<(String, String)>, axum::extract::rejection::PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    let Ok(axum::extract::Path((id, session))) = path else {
        return Err(PageError::App(AppError::NotFound));
    };
    let id = crate::extract::parse_id(&id)?;
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    blocking(&state, move |app| app.revoke_session(&caller, id, &session)).await?;
    Ok(see_other(&format!("/users/{id}/sessions?revoked=1")))
}
