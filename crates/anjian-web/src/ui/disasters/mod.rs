//! 自然灾害应对: the list of events with its filters, ledger and import; the event's page
//! (rounds of response, each township's figures, filled by the township for its own row and
//! checked by the 安委办) and the event's form (安委办).

mod detail;
mod form;

use super::{Chrome, Kept, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::disasters::{DisasterEventView, DisasterQuery, may_keep, may_report};
use anjian_domain::disaster::DisasterKind;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/disaster-events", get(list))
        .route("/disaster-events/new", get(form::new).post(form::create))
        .route("/disaster-events/{id}", get(detail::detail))
        .route(
            "/disaster-events/{id}/edit",
            get(form::edit).post(form::update),
        )
        .route("/disaster-events/{id}/delete", post(detail::delete))
        .route("/disaster-events/{id}/rounds", post(detail::add_round))
        .route(
            "/disaster-events/{id}/rounds/{round}/delete",
            post(detail::delete_round),
        )
        .route(
            "/disaster-events/{id}/townships/{township}",
            post(detail::report),
        )
        .route(
            "/disaster-events/{id}/townships/{township}/check",
            post(detail::check),
        )
        .route(
            "/disaster-events/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// (code, label) of the kinds, for a select.
pub(crate) fn kinds() -> Vec<(&'static str, &'static str)> {
    DisasterKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub period: String,
    pub warning: String,
    pub response: String,
}

/// An event's period as a page shows it.
pub(crate) fn period_text(v: &DisasterEventView) -> String {
    match v.event.end_on {
        Some(e) if e == v.event.start_on => v.event.start_on.to_string(),
        Some(e) => format!("{} 至 {}", v.event.start_on, e),
        None => format!("{} 起（未结束）", v.event.start_on),
    }
}

impl From<DisasterEventView> for Row {
    fn from(v: DisasterEventView) -> Self {
        Self {
            id: v.event.id,
            period: period_text(&v),
            name: v.event.name.clone(),
            kind: v.kind_label.clone(),
            warning: v.warning_label.clone().unwrap_or_else(|| "—".into()),
            response: v.response_label.clone().unwrap_or_else(|| "—".into()),
        }
    }
}

#[derive(Template)]
#[template(path = "disasters.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    next: Option<String>,
    year: String,
    kind: String,
    query: String,
    kinds: Vec<(&'static str, &'static str)>,
    can_keep: bool,
    can_import: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let query = DisasterQuery {
        year: Some(get("year")),
        kind: Some(get("kind")),
    };
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.disaster_events_page(
                &caller,
                &query,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
        ))
    })
    .await;
    let (instance, page, notice) = match r {
        Ok((i, p)) => (i, p, None),
        Err(e) => {
            let msg = super::form_error(e)?;
            let i = blocking(&state, |app| app.instance_name()).await?;
            (i, anjian_app::Page::default(), Some(msg))
        }
    };
    let refused = notice.is_some();
    let pairs = [("year", get("year")), ("kind", get("kind"))];
    let query = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let p = ListPage {
        chrome: Chrome::new(&pc, instance, "自然灾害应对", "disasters")
            .notice(notice)
            .flash(q.get("saved").map(|_| "已保存")),
        rows: page.items.into_iter().map(Row::from).collect(),
        next: page.next,
        year: get("year"),
        kind: get("kind"),
        query,
        kinds: kinds(),
        can_keep: may_keep(pc.caller.role),
        can_import: may_report(pc.caller.role),
    };
    Ok(render_refused(&p, refused))
}

async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    super::imports::import_page(
        &state,
        &pc,
        mp,
        super::imports::ImportPlace {
            title: "导入各乡镇转移安置数据",
            nav: "disasters",
            back: "/disaster-events".into(),
            action: "/disaster-events/import".into(),
        },
        |app, caller, t, opts| app.import_disaster_figures(caller, t, opts),
    )
    .await
}
