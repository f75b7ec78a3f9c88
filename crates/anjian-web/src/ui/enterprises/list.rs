//! The register's list page and its export.

use super::{region_options, risk_label, statuses};
use crate::extract::PageCaller;
use crate::query::{ListQuery, enterprise_filter_of as filter_of};
use crate::ui::{Chrome, render, urlencode};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::export::ExportFormat;
use anjian_domain::enterprise::EnterpriseStatus;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::HashMap;

pub struct Row {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub region: String,
    pub sectors: Vec<String>,
    pub risk: String,
    pub risk_class: String,
    pub status: String,
    pub status_class: &'static str,
    pub is_key: bool,
    pub above_scale: bool,
}

#[derive(Template)]
#[template(path = "enterprises_list.html")]
struct ListPage {
    chrome: Chrome,
    total: i64,
    rows: Vec<Row>,
    next: Option<String>,
    first_page: bool,
    query: String,
    q: String,
    region_code: String,
    sector: String,
    status: String,
    is_key: String,
    above_scale: String,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    can_edit: bool,
    can_export: bool,
    error: Option<String>,
}

fn status_class(s: &str) -> &'static str {
    match s {
        "operating" => "green",
        "suspended" => "orange",
        _ => "grey",
    }
}

/// The list query without the cursor, for links that keep the filters.
fn keep_query(q: &ListQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("q", &q.q),
        ("region_code", &q.region_code),
        ("sector", &q.sector),
        ("status", &q.status),
        ("is_key", &q.is_key),
        ("above_scale", &q.above_scale),
    ] {
        if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    }
    parts.join("&")
}

pub(super) async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let filter = filter_of(&q);
    let (error, filter) = match filter {
        Ok(f) => (None, f),
        Err(e) => (
            Some(e.message),
            anjian_app::records::enterprises::EnterpriseFilter {
                limit: 50,
                ..Default::default()
            },
        ),
    };
    let (instance, total, page, regions, sectors) = blocking(&state, move |app| {
        let page = app.list_enterprises(&caller, &filter)?;
        let total = app.count_enterprises(&caller, &filter)?;
        Ok((
            app.instance_name()?,
            total,
            page,
            region_options(app, &caller, false)?,
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
        .map(|e| {
            let (risk, risk_class) = risk_label(&e.risk_grade);
            Row {
                id: e.id,
                region: e.region_name.clone(),
                sectors: e
                    .sectors
                    .iter()
                    .map(|s| names.get(s).cloned().unwrap_or(s.clone()))
                    .collect(),
                risk,
                risk_class,
                status: EnterpriseStatus::parse(&e.status)
                    .map(|s| s.label().to_string())
                    .unwrap_or(e.status.clone()),
                status_class: status_class(&e.status),
                is_key: e.is_key,
                above_scale: e.above_scale,
                name: e.name,
                uscc: e.uscc,
            }
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let page = ListPage {
        chrome: Chrome::new(&pc, instance, "企业信息库", "enterprises"),
        total,
        rows,
        next: page.next,
        first_page: q.after.as_deref().unwrap_or_default().is_empty(),
        query: keep_query(&q),
        q: s(&q.q),
        region_code: s(&q.region_code),
        sector: s(&q.sector),
        status: s(&q.status),
        is_key: s(&q.is_key),
        above_scale: s(&q.above_scale),
        regions,
        sectors: sectors.into_iter().map(|s| (s.code, s.name)).collect(),
        statuses: statuses(),
        can_edit: pc.caller.enterprise_write_scope().writable,
        can_export: pc.caller.can(Permission::ExportEnterprises),
        error,
    };
    Ok(render(&page))
}

pub(super) async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let format = ExportFormat::parse(q.format.as_deref().unwrap_or("xlsx")).ok_or(
        PageError::App(AppError::BadRequest("导出格式应为 xlsx 或 csv".into())),
    )?;
    let f = filter_of(&q).map_err(|e| PageError::App(AppError::BadRequest(e.message)))?;
    let caller = pc.caller.clone();
    let bytes = blocking(&state, move |app| {
        app.export_enterprises(&caller, &f, format)
    })
    .await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("enterprises.{}", format.ext()),
    ))
}
