use super::Kept;
use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::listings::{ListingFigures, ListingProposal, ListingStep};
use anjian_domain::listing::ListingAction;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/listings", get(list).post(propose))
        .route("/listings/export", get(export))
        .route("/listings/{id}", get(detail))
        .route("/listings/{id}/act", post(act))
}

pub struct Row {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub doc_no: String,
    pub listed_on: String,
    pub deadline: String,
    pub delisted_on: String,
    pub state: String,
    pub carried_over: bool,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "listings.html")]
struct ListPage {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    f: ListingFigures,
    rows: Vec<Row>,
    can_propose: bool,
    kept: Kept,
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    q: &BTreeMap<String, String>,
    kept: Kept,
) -> Result<Response, PageError> {
    let this = state.app.clock.today().year();
    let asked = q
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y));
    let (anchor, notice) = crate::ui::stats::default_anchor(state, pc, asked.is_some()).await?;
    let year = asked.unwrap_or(anchor.year());
    let caller = pc.caller.clone();
    let (instance, items, f) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.listings(&caller, Some(year))?,
            app.listing_figures(&caller, year)?,
        ))
    })
    .await?;
    let rows = items
        .into_iter()
        .map(|v| Row {
            carried_over: v.listing.listed_on.is_some_and(|d| d.year() < year),
            overdue: v.overdue,
            id: v.listing.id,
            title: v.listing.title,
            unit: v.listing.responsible_unit,
            doc_no: v.listing.doc_no,
            listed_on: day(v.listing.listed_on),
            deadline: v.listing.deadline.to_string(),
            delisted_on: day(v.listing.delisted_on),
            state: v.state_label.to_string(),
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "挂牌督办", "listings")
            .flash(q.get("saved").map(|_| "已提请挂牌督办"))
            .notice(notice),
        year,
        years: (this - 4..=this).collect(),
        f,
        rows,
        can_propose: pc
            .caller
            .can(anjian_domain::scope::Permission::DirectRemediation),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    list_page(&state, &pc, &q, Kept::none()).await
}

async fn propose(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let hazard_id = match form.get("hazard_id").parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            let mut e = super::FieldErrors::default();
            e.add("hazard_id", "请填写重大隐患编号（数字）");
            return list_page(
                &state,
                &pc,
                &BTreeMap::new(),
                Kept::refused("propose", &form, e),
            )
            .await;
        }
    };
    let p = ListingProposal {
        hazard_id,
        title: form.get("title"),
        responsible_unit: form.opt("responsible_unit"),
        deadline: form.get("deadline"),
        ..Default::default()
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.propose_listing(&caller, &p)).await {
        Ok(v) => Ok(see_other(&format!("/listings/{}", v.listing.id))),
        Err(AppError::NotFound) => {
            let mut e = super::FieldErrors::default();
            e.add("hazard_id", "该重大隐患不存在或不在您的管辖范围内");
            let kept = Kept::refused("propose", &form, e);
            list_page(&state, &pc, &BTreeMap::new(), kept).await
        }
        Err(e) => {
            let kept = Kept::refused("propose", &form, super::refusal(e)?);
            list_page(&state, &pc, &BTreeMap::new(), kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "listing_detail.html")]
struct DetailPage {
    chrome: Chrome,
    l: anjian_app::records::listings::Listing,
    state: String,
    carried_over: bool,
    overdue: bool,
    approved_on: String,
    verified_on: String,
    delisted_on: String,
    listing_announcement: String,
    delisting_announcement: String,
    actions: Vec<(String, String)>,
    events: Vec<(String, String, String, String)>,
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, (v, events)) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.listing(&caller, id)?))
    })
    .await?;
    let l = v.listing.clone();
    let label = |a: &str| match a {
        "propose" => "提请挂牌".to_string(),
        other => ListingAction::parse(other)
            .map(|x| x.label().to_string())
            .unwrap_or(other.to_string()),
    };
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "挂牌督办", "listings"),
        state: l.state.label().to_string(),
        carried_over: v.carried_over,
        overdue: v.overdue,
        approved_on: day(l.approved_on),
        verified_on: day(l.verified_on),
        delisted_on: day(l.delisted_on),
        listing_announcement: ann(&l.listing_announced_on, &l.listing_channel),
        delisting_announcement: ann(&l.delisting_announced_on, &l.delisting_channel),
        actions: v
            .allowed_actions
            .iter()
            .filter_map(|a| ListingAction::parse(a))
            .map(|a| (a.as_str().to_string(), a.label().to_string()))
            .collect(),
        events: events
            .into_iter()
            .map(|e| {
                (
                    anjian_app::auth::local_time(&e.at),
                    e.actor,
                    label(&e.action),
                    e.note,
                )
            })
            .collect(),
        kept,
        l,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    detail_page(&state, &pc, id, Kept::none()).await
}

async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let action = form.get("action");
    let s = ListingStep {
        action: form.get("action"),
        version: form.get("version").parse().ok(),
        note: form.opt("note"),
        doc_no: form.opt("doc_no"),
        announced_on: form.opt("announced_on"),
        channel: form.opt("channel"),
        deadline: form.opt("deadline"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.listing_step(&caller, id, &s)).await {
        Ok(_) => Ok(see_other(&format!("/listings/{id}"))),
        Err(e) => {
            let kept = Kept::refused(&format!("act.{action}"), &form, super::refusal(e)?);
            detail_page(&state, &pc, id, kept).await
        }
    }
}

async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let year = q
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y));
    let caller = pc.caller.clone();
    let items = blocking(&state, move |app| app.listings(&caller, year)).await?;
    let headers = [
        "编号",
        "督办事项",
        "整改责任单位",
        "挂牌文号",
        "提请日期",
        "挂牌日期",
        "挂牌公告",
        "整改期限",
        "延期次数",
        "摘牌日期",
        "摘牌公告",
        "环节",
        "上年结转",
    ];
    let widths = [
        8.0, 40.0, 28.0, 20.0, 12.0, 12.0, 20.0, 12.0, 9.0, 12.0, 20.0, 12.0, 9.0,
    ];
    let rows: Vec<Vec<String>> = items
        .into_iter()
        .map(|v| {
            let l = v.listing;
            vec![
                l.id.to_string(),
                l.title.clone(),
                l.responsible_unit.clone(),
                l.doc_no.clone(),
                l.proposed_on.to_string(),
                day(l.listed_on),
                ann(&l.listing_announced_on, &l.listing_channel),
                l.deadline.to_string(),
                l.extensions.to_string(),
                day(l.delisted_on),
                ann(&l.delisting_announced_on, &l.delisting_channel),
                v.state_label.to_string(),
                if v.carried_over {
                    "是".into()
                } else {
                    "否".into()
                },
            ]
        })
        .collect();
    let bytes = anjian_app::export::render(
        anjian_app::export::ExportFormat::Xlsx,
        "挂牌督办台账",
        &headers,
        &widths,
        &rows,
    )?;
    Ok(crate::files::file_response(
        bytes,
        anjian_app::export::ExportFormat::Xlsx.content_type(),
        "listings.xlsx",
    ))
}

/// An optional date as the pages and the ledger write it (empty when not yet).
fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// An announcement: its date and channel.
fn ann(on: &Option<NaiveDate>, channel: &str) -> String {
    on.map(|d| format!("{d} {channel}")).unwrap_or_default()
}
