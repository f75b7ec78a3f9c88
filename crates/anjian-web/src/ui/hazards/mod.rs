//! 隐患台账: the ledger and its export, a hazard's page with its closed-loop actions and
//! its 一单四制 case, the registration form, and evidence files.

mod actions;
pub(crate) mod attachments;
mod detail;
mod form;
mod list;
pub(crate) use attachments::{upload_errors, upload_refused};
pub(crate) use detail::detail_page;

use crate::AppState;
use anjian_domain::hazard::{Level, SOURCES};
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hazards", get(list::list))
        .route("/hazards/export", get(list::export))
        .route("/hazards/new", get(form::new_form).post(form::create))
        .route("/hazards/{id}", get(detail::detail))
        .route("/hazards/{id}/act", post(actions::act))
        .route(
            "/hazards/{id}/act-with-evidence",
            post(actions::act_with_evidence).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::EVIDENCE_FORM_LIMIT,
            )),
        )
        .route("/hazards/{id}/case", post(actions::case_act))
        .route(
            "/hazards/{id}/upload",
            post(attachments::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/attachments/{id}", get(attachments::download))
}

pub fn status_class(s: &str) -> &'static str {
    match s {
        "closed" => "green",
        "reported" => "blue",
        "rectifying" => "orange",
        "ordered" => "yellow",
        _ => "grey",
    }
}

fn levels() -> Vec<(String, String)> {
    [Level::General, Level::Major]
        .iter()
        .map(|l| (l.as_str().to_string(), l.label().to_string()))
        .collect()
}

fn sources() -> Vec<(String, String)> {
    SOURCES
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect()
}
