//! The ledger's list page and its export.

use super::{levels, sources, status_class};
use crate::extract::PageCaller;
use crate::query::{HazardQuery, hazard_filter_of as filter_of};
use crate::ui::{Chrome, render, urlencode};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::export::ExportFormat;
use anjian_domain::hazard::STATUSES;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::HashMap;

pub struct Row {
    pub id: i64,
    pub found_on: String,
    pub major: bool,
    pub description: String,
    pub source: String,
    pub campaign: String,
    pub region: String,
    pub enterprise: String,
    pub sector: String,
    pub deadline: String,
    pub overdue: bool,
    /// 复查逾期: reported done, its review past the limit.
    pub review_overdue: bool,
    pub status: String,
    pub status_class: &'static str,
}

/// The filter values as typed, for re-rendering the form.
#[derive(Default)]
pub struct FilterForm {
    pub q: String,
    pub region_code: String,
    pub sector: String,
    pub level: String,
    pub status: String,
    pub source: String,
    pub overdue: String,
    pub campaign: String,
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "hazards_list.html")]
struct ListPage {
    chrome: Chrome,
    total: i64,
    overdue_total: i64,
    rows: Vec<Row>,
    next: Option<String>,
    first_page: bool,
    query: String,
    f: FilterForm,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    sources: Vec<(String, String)>,
    can_create: bool,
    error: Option<String>,
}

fn statuses() -> Vec<(String, String)> {
    STATUSES
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect()
}

fn keep_query(q: &HazardQuery) -> String {
    [
        ("q", &q.q),
        ("region_code", &q.region_code),
        ("sector", &q.sector),
        ("level", &q.level),
        ("status", &q.status),
        ("source", &q.source),
        ("overdue", &q.overdue),
        ("campaign", &q.campaign),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|x| !x.is_empty())
            .map(|x| format!("{k}={}", urlencode(x)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

pub(super) async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<HazardQuery>,
) -> Result<Response, PageError> {
    let (error, filter) = match filter_of(&q) {
        Ok(f) => (None, f),
        Err(e) => (
            Some(e.message),
            anjian_app::records::hazards::HazardFilter {
                limit: 50,
                ..Default::default()
            },
        ),
    };
    let caller = pc.caller.clone();
    let (instance, total, overdue_total, page, regions, sectors) = blocking(&state, move |app| {
        let page = app.list_hazards(&caller, &filter)?;
        let (total, overdue) = app.count_hazards_and_overdue(&caller, &filter)?;
        let regions = app.townships(&caller)?;
        Ok((
            app.instance_name()?,
            total,
            overdue,
            page,
            regions,
            app.list_sectors(&caller)?,
        ))
    })
    .await?;
    let names: HashMap<String, String> = sectors
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let rows = page
        .items
        .into_iter()
        .map(|v| {
            let h = v.hazard;
            Row {
                id: h.id,
                found_on: h.found_on.to_string(),
                major: h.level == anjian_domain::hazard::Level::Major,
                description: h.description.chars().take(60).collect(),
                source: v.source_label.to_string(),
                campaign: h.campaign.unwrap_or_default(),
                region: h.region_name,
                enterprise: h.enterprise_name.unwrap_or_default(),
                sector: names.get(&h.sector).cloned().unwrap_or(h.sector),
                deadline: h.deadline.map(|d| d.to_string()).unwrap_or_default(),
                overdue: v.overdue,
                review_overdue: v.review_overdue,
                status: v.status_label.to_string(),
                status_class: status_class(h.status.as_str()),
            }
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let nav = if q.overdue.as_deref() == Some("true") {
        "hazards_overdue"
    } else {
        "hazards"
    };
    let page = ListPage {
        chrome: Chrome::new(&pc, instance, "隐患台账", nav),
        total,
        overdue_total,
        rows,
        next: page.next,
        first_page: q.after.as_deref().unwrap_or_default().is_empty(),
        query: keep_query(&q),
        f: FilterForm {
            q: s(&q.q),
            region_code: s(&q.region_code),
            sector: s(&q.sector),
            level: s(&q.level),
            status: s(&q.status),
            source: s(&q.source),
            overdue: s(&q.overdue),
            campaign: s(&q.campaign),
            from: s(&q.from),
            to: s(&q.to),
        },
        regions,
        sectors: sectors.into_iter().map(|x| (x.code, x.name)).collect(),
        levels: levels(),
        statuses: statuses(),
        sources: sources(),
        can_create: pc.caller.hazard_scope().writable,
        error,
    };
    Ok(render(&page))
}

pub(super) async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<HazardQuery>,
) -> Result<Response, PageError> {
    let format = ExportFormat::parse(q.format.as_deref().unwrap_or("xlsx")).ok_or(
        PageError::App(AppError::BadRequest("导出格式应为 xlsx 或 csv".into())),
    )?;
    let f = filter_of(&q).map_err(|e| PageError::App(AppError::BadRequest(e.message)))?;
    let caller = pc.caller.clone();
    let bytes = blocking(&state, move |app| app.export_hazards(&caller, &f, format)).await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("hazards.{}", format.ext()),
    ))
}
