//! The first-run page: on a blank store (no county, no user) `anjian serve` answers `/login`
//! with this page, where the county is picked from the shipped division codes (province →
//! city → county, or searched by name or code) and the first administrator is created, in
//! one transaction (`App::first_run`, the same start as `anjian init`). Once anything is set
//! up the page is gone: GET goes to `/` (the dashboard or the login page), POST answers 404.
//!
//! There is no session yet, so the form carries a double-submit token like the login form:
//! a random value in a cookie limited to this path (SameSite=Strict) and in a hidden field.

use super::{Kept, render, see_other};
use crate::extract::{FormPairs, ReqCtx, cookie, ctx};
use crate::{AppState, blocking};
use anjian_app::AppError;
use anjian_app::auth::SessionKind;
use anjian_app::divisions::{self, Division, FirstRun};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::BTreeMap;

pub const PATH: &str = "/setup";
const SETUP_CSRF: &str = "anjian_setup_csrf";
/// Search results shown at most.
const FOUND_MAX: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(page).post(submit))
}

/// The county picked, as the form shows it.
struct Picked {
    code: String,
    full_name: String,
    townships: usize,
    villages: usize,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    csrf: String,
    edition: &'static str,
    rule: String,
    q: String,
    /// Where the list is: province, city (empty: the provinces).
    trail: Vec<Division>,
    choices: Vec<Division>,
    found: Vec<Division>,
    searched: bool,
    picked: Option<Picked>,
    kept: Kept,
}

/// What the page is asked to show.
#[derive(Default)]
struct View {
    q: String,
    under: String,
    county: String,
}

fn digits(s: &str) -> String {
    s.trim().chars().filter(char::is_ascii_digit).collect()
}

impl View {
    fn of(q: &BTreeMap<String, String>) -> Self {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        Self {
            q: get("q"),
            under: digits(&get("under")),
            county: digits(&get("county")),
        }
    }
}

/// Builds the page (on the blocking pool: the division lists are unpacked for each view).
fn build(app: &anjian_app::App, v: View, kept: Kept) -> anjian_app::Result<SetupPage> {
    let picked = if v.county.is_empty() {
        None
    } else {
        divisions::county(&v.county, true).ok().map(|c| Picked {
            code: c.code[..6].to_string(),
            full_name: c.full_name(),
            townships: c.townships.len(),
            villages: c.villages.len(),
        })
    };
    let (trail, choices) = if picked.is_some() || !v.q.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let under = Some(v.under.as_str()).filter(|u| u.len() == 2 || u.len() == 4);
        match divisions::choices(under) {
            Ok(c) => (
                under.map(divisions::trail).transpose()?.unwrap_or_default(),
                c,
            ),
            Err(AppError::NotFound) => (Vec::new(), divisions::choices(None)?),
            Err(e) => return Err(e),
        }
    };
    let found = divisions::search_counties(&v.q, FOUND_MAX)?;
    Ok(SetupPage {
        csrf: anjian_app::auth::random_token()?,
        edition: divisions::EDITION,
        rule: app.security_policy()?.password_rule(false),
        searched: !v.q.is_empty(),
        q: v.q,
        trail,
        choices,
        found,
        picked,
        kept,
    })
}

/// The page with its token cookie (and `status`).
fn respond(state: &AppState, page: &SetupPage, status: StatusCode) -> Response {
    let mut res = render(page);
    *res.status_mut() = status;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = format!(
        "{SETUP_CSRF}={}; Path={PATH}; HttpOnly; SameSite=Strict; Max-Age=3600{secure}",
        page.csrf
    )
    .parse()
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn page(
    State(state): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, crate::error::PageError> {
    if !blocking(&state, |app| app.needs_first_run()).await? {
        return Ok(see_other("/"));
    }
    let v = View::of(&q);
    let page = blocking(&state, move |app| build(app, v, Kept::none())).await?;
    Ok(respond(&state, &page, StatusCode::OK))
}

struct Ctx(ReqCtx, HeaderMap);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ctx(ctx(parts), parts.headers.clone()))
    }
}

/// A form field exactly as typed (passwords are not trimmed).
fn secret(form: &FormPairs, name: &str) -> String {
    form.0
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The page again with what was typed (but the passwords) and the messages.
async fn refused(
    state: &AppState,
    typed: &FormPairs,
    county: String,
    errors: super::FieldErrors,
    status: StatusCode,
) -> Result<Response, crate::error::PageError> {
    let kept = Kept::refused("setup", typed, errors);
    let view = View {
        county: digits(&county),
        ..View::default()
    };
    let page = blocking(state, move |app| build(app, view, kept)).await?;
    Ok(respond(state, &page, status))
}

async fn submit(
    State(state): State<AppState>,
    Ctx(c, headers): Ctx,
    form: FormPairs,
) -> Result<Response, crate::error::PageError> {
    if !blocking(&state, |app| app.needs_first_run()).await? {
        return Err(AppError::NotFound.into());
    }
    // Passwords are never sent back to the page.
    let typed = FormPairs(
        form.0
            .iter()
            .filter(|(k, _)| k != "password" && k != "confirm")
            .cloned()
            .collect(),
    );
    let county = form.get("county");
    let expected = cookie(&headers, SETUP_CSRF).unwrap_or_default();
    if expected.is_empty() || form.get("_csrf") != expected {
        let e = super::FieldErrors::general("页面已过期，请重新填写后提交".into());
        return refused(&state, &typed, county, e, StatusCode::FORBIDDEN).await;
    }
    let input = FirstRun {
        county: form.get("county"),
        villages: form.flag("villages"),
        username: form.get("username"),
        display_name: form.get("display_name"),
        password: secret(&form, "password"),
    };
    if input.password != secret(&form, "confirm") {
        let mut e = super::FieldErrors::default();
        e.add("confirm", "两次输入的密码不一致");
        return refused(&state, &typed, county, e, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let (username, password) = (input.username.clone(), input.password.clone());
    let (id, ip) = (c.id.clone(), c.ip.clone());
    match blocking(&state, move |app| app.first_run(&input, &id, &ip)).await {
        Ok(_) => {}
        Err(AppError::Validation(v)) => {
            let e = v.fields.into();
            return refused(&state, &typed, county, e, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(e.into()),
    }
    // Set up: the new administrator is signed in (or, failing that, sent to the login page).
    let login = blocking(&state, move |app| {
        app.login(&username, &password, SessionKind::Web, &c.ip, &c.id)
    })
    .await;
    let mut res = match login {
        Ok(ok) => super::auth::signed_in(&state, &ok, "/"),
        Err(_) => see_other("/login"),
    };
    if let Ok(v) = format!("{SETUP_CSRF}=; Path={PATH}; Max-Age=0").parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res.into_response())
}
