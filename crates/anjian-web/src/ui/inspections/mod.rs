use super::{Chrome, render, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::inspections::{FindingToHazard, InspectionInput, ItemResult, KINDS};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::{BTreeMap, HashMap};

mod detail;
mod form;
mod list;
mod officers;
pub(crate) use detail::detail_page;
use detail::{convert, detail, record};
use form::{create, new_form};
use list::{export, list};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(list))
        .route("/inspections/export", get(export))
        .route("/inspections/new", get(new_form).post(create))
        .route("/inspections/{id}", get(detail))
        .route("/inspections/{id}/record", get(record))
        .route("/inspections/{id}/findings/{fid}/hazard", post(convert))
        .route("/officers", get(officers::roster))
}

pub(crate) fn kind_label(k: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(x, _)| *x == k)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// Everyone of an inspection by name, officers first (lists; the record and its documents
/// add the certificate numbers).
pub(crate) fn people(i: &anjian_app::records::inspections::Inspection) -> String {
    i.officers
        .iter()
        .map(|o| o.name.clone())
        .chain(anjian_app::inspections::accompanying(i))
        .collect::<Vec<_>>()
        .join("、")
}
