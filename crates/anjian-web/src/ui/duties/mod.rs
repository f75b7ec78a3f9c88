//! 职责清单: the county's duty list with the "who supervises" question, a department's page
//! with its duties (the items naming a sector are the sectors it supervises), the duty form (安委办), ledger and import.

mod department;
mod form;

use super::{Chrome, Kept, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::duties::{DutyDraft, DutyQuery, Supervision};
use anjian_domain::duty::DocKind;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duties", get(list))
        .route("/duties/{id}/edit", get(form::edit).post(form::update))
        .route(
            "/departments/{id}",
            get(department::department).post(department::create),
        )
        .route(
            "/duties/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// The document kinds for the forms' select: (code, label).
pub(crate) fn doc_kinds() -> Vec<(&'static str, &'static str)> {
    DocKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

pub struct Row {
    pub id: i64,
    pub department_id: i64,
    pub department: String,
    pub content: String,
    pub basis: String,
    pub decided_on: String,
    pub sector: String,
    pub period: String,
}

#[derive(Template)]
#[template(path = "duties.html")]
struct DutiesPage {
    chrome: Chrome,
    rows: Vec<Row>,
    as_of: String,
    sector: String,
    on: String,
    answer: Option<Supervision>,
    /// The question asked and nobody supervised the sector that day.
    unanswered: bool,
    sectors: Vec<(String, String)>,
    can_manage: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DutiesQuery {
    as_of: Option<String>,
    sector: Option<String>,
    on: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<DutiesQuery>,
) -> Result<Response, PageError> {
    let today = state.app.clock.today().to_string();
    let as_of = q.as_of.clone().filter(|s| !s.trim().is_empty());
    let sector = q.sector.clone().unwrap_or_default();
    let on =
        q.on.clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(today);
    let caller = pc.caller.clone();
    let (a, s, o) = (as_of.clone(), sector.clone(), on.clone());
    let r = blocking(&state, move |app| {
        let list = app.duties(
            &caller,
            &DutyQuery {
                as_of: a,
                ..Default::default()
            },
        )?;
        let answer = match (
            s.trim().is_empty(),
            anjian_domain::validation::parse_date(&o),
        ) {
            (false, Ok(day)) => Some(app.who_supervises(&caller, &s, day)?),
            (false, Err(m)) => {
                return Err(anjian_domain::ValidationErrors::single("on", m).into());
            }
            _ => None,
        };
        let sectors = app
            .list_sectors(&caller)?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect::<Vec<_>>();
        Ok((app.instance_name()?, list, answer, sectors))
    })
    .await;
    let (instance, list, answer, sectors, error) = match r {
        Ok((i, l, a, s)) => (i, l, a, s, None),
        Err(e) => {
            let msg = super::form_error(e)?;
            let caller = pc.caller.clone();
            let (i, s) = blocking(&state, move |app| {
                Ok((
                    app.instance_name()?,
                    app.list_sectors(&caller)?
                        .into_iter()
                        .map(|s| (s.code, s.name))
                        .collect::<Vec<_>>(),
                ))
            })
            .await?;
            (i, Vec::new(), None, s, Some(msg))
        }
    };
    let rows = list
        .into_iter()
        .map(|v| Row {
            id: v.item.id,
            department_id: v.item.department_id,
            department: v.department_name,
            basis: [
                v.doc_kind_label.as_str(),
                v.item.doc_title.as_str(),
                v.item.doc_no.as_str(),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
            decided_on: v.item.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            sector: v.sector_name.unwrap_or_default(),
            period: match v.item.valid_to {
                Some(t) => format!("{} 至 {t}", v.item.valid_from),
                None => format!("{} 起", v.item.valid_from),
            },
            content: v.item.content,
        })
        .collect();
    let refused = error.is_some();
    let p = DutiesPage {
        chrome: Chrome::new(&pc, instance, "职责清单", "duties").notice(error),
        rows,
        as_of: as_of.unwrap_or_default(),
        unanswered: !sector.trim().is_empty() && !refused && matches!(answer, Some(None)),
        answer: answer.flatten(),
        sector,
        on,
        sectors,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
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
            title: "导入职责条目",
            nav: "duties",
            back: "/duties".into(),
            action: "/duties/import".into(),
        },
        |app, caller, t, opts| app.import_duties(caller, t, opts),
    )
    .await
}

/// A duty form's fields as typed.
pub(crate) fn draft_of(form: &FormPairs, department_id: i64) -> DutyDraft {
    DutyDraft {
        department_id,
        content: form.get("content"),
        doc_kind: form.get("doc_kind"),
        doc_title: form.get("doc_title"),
        doc_no: form.get("doc_no"),
        decided_on: form.opt("decided_on"),
        sector_code: form.opt("sector_code"),
        valid_from: form.get("valid_from"),
        valid_to: form.opt("valid_to"),
    }
}
