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
}

pub(crate) fn kind_label(k: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(x, _)| *x == k)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn names(json: &str) -> String {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .join("、")
}
