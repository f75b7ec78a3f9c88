//! 企业信息库: the register's list and export, an enterprise's page with its history, and
//! the form that registers or edits one.

mod detail;
mod form;
mod import;
mod list;

use crate::AppState;
use anjian_app::Caller;
use anjian_domain::enterprise::{EnterpriseStatus, RISK_GRADES};
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list::list))
        .route("/enterprises/export", get(list::export))
        .route(
            "/enterprises/import",
            post(import::import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/enterprises/new", get(form::new_form).post(form::create))
        .route("/enterprises/suggest", get(suggest))
        .route("/enterprises/{id}", get(detail::detail))
        .route(
            "/enterprises/{id}/edit",
            get(form::edit_form).post(form::update),
        )
}

fn statuses() -> Vec<(String, String)> {
    [
        EnterpriseStatus::Operating,
        EnterpriseStatus::Suspended,
        EnterpriseStatus::Closed,
    ]
    .iter()
    .map(|s| (s.as_str().to_string(), s.label().to_string()))
    .collect()
}

fn risk_label(g: &Option<String>) -> (String, String) {
    match g
        .as_deref()
        .and_then(|g| RISK_GRADES.iter().find(|(k, _)| *k == g))
    {
        Some((k, l)) => (l.to_string(), k.to_string()),
        None => (String::new(), String::new()),
    }
}

/// Township and village options in the caller's scope, indented under their township.
fn region_options(
    app: &anjian_app::App,
    caller: &Caller,
    villages: bool,
) -> anjian_app::Result<Vec<(String, String)>> {
    let level = if villages { "village" } else { "township" };
    Ok(app
        .list_regions(caller, None, Some(level))?
        .into_iter()
        .filter(|r| r.level == "township" || r.level == "village")
        .map(|r| {
            let label = if r.level == "village" {
                format!("　└ {}", r.name)
            } else {
                r.name
            };
            (r.code, label)
        })
        .collect())
}

#[derive(serde::Deserialize)]
struct SuggestQuery {
    q: Option<String>,
}

/// `GET /enterprises/suggest?q=…`: a picker's candidates in the caller's scope, as JSON
/// strings "名称（统一社会信用代码）" (the forms resolve the text they send back).
async fn suggest(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    pc: crate::extract::PageCaller,
    axum::extract::Query(q): axum::extract::Query<SuggestQuery>,
) -> Result<axum::Json<Vec<String>>, crate::PageError> {
    let caller = pc.caller.clone();
    let text: String = q.q.unwrap_or_default().chars().take(60).collect();
    let names = crate::blocking(&state, move |app| app.suggest_enterprises(&caller, &text)).await?;
    Ok(axum::Json(names))
}
