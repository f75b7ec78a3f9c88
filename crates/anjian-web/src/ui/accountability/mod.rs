//! 约谈问责: the list with its filters, ledger and import, the record's page and its form
//! (安委办). Townships and departments see the records about themselves.

mod detail;
mod form;

use super::{Chrome, Kept, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::accountability::{AccountabilityQuery, AccountabilityView};
use anjian_domain::accountability::{Kind, TargetKind, Theme};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/accountability", get(list))
        .route("/accountability/new", get(form::new).post(form::create))
        .route("/accountability/{id}", get(detail::detail))
        .route(
            "/accountability/{id}/edit",
            get(form::edit).post(form::update),
        )
        .route("/accountability/{id}/delete", post(detail::delete))
        .route(
            "/accountability/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// (code, label) of a coded enum's values, for a select.
pub(crate) fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (code(*v), label(*v))).collect()
}

pub struct Row {
    pub id: i64,
    pub kind: String,
    pub theme: String,
    pub target: String,
    pub persons: String,
    pub measure: String,
    pub decided_by: String,
    pub decided_on: String,
}

impl From<AccountabilityView> for Row {
    fn from(v: AccountabilityView) -> Self {
        let a = v.record;
        Self {
            id: a.id,
            kind: v.kind_label,
            theme: v.theme_label,
            target: format!("{}（{}）", a.target_name, v.target_kind_label),
            persons: a
                .persons
                .iter()
                .map(|p| {
                    if p.post.is_empty() {
                        p.name.clone()
                    } else {
                        format!("{}（{}）", p.name, p.post)
                    }
                })
                .collect::<Vec<_>>()
                .join("、"),
            measure: a.measure,
            decided_by: a.decided_by,
            decided_on: a.decided_on.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "accountability.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    next: Option<String>,
    year: String,
    kind: String,
    theme: String,
    query: String,
    kinds: Vec<(&'static str, &'static str)>,
    themes: Vec<(&'static str, &'static str)>,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let query = AccountabilityQuery {
        year: Some(get("year")),
        kind: Some(get("kind")),
        theme: Some(get("theme")),
        target_kind: None,
        region: None,
    };
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.accountability_page(
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
    let pairs = [
        ("year", get("year")),
        ("kind", get("kind")),
        ("theme", get("theme")),
    ];
    let query = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let p = ListPage {
        chrome: Chrome::new(&pc, instance, "约谈问责", "accountability")
            .notice(notice)
            .flash(q.get("saved").map(|_| "已保存")),
        rows: page.items.into_iter().map(Row::from).collect(),
        next: page.next,
        year: get("year"),
        kind: get("kind"),
        theme: get("theme"),
        query,
        kinds: options(Kind::ALL, Kind::as_str, Kind::label),
        themes: options(Theme::ALL, Theme::as_str, Theme::label),
        can_write: pc.caller.can(Permission::DecideAsCountyOffice),
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
            title: "导入约谈问责记录",
            nav: "accountability",
            back: "/accountability".into(),
            action: "/accountability/import".into(),
        },
        |app, caller, t, opts| app.import_accountability(caller, t, opts),
    )
    .await
}

/// The target kinds for the form.
pub(crate) fn target_kinds() -> Vec<(&'static str, &'static str)> {
    options(TargetKind::ALL, TargetKind::as_str, TargetKind::label)
}
