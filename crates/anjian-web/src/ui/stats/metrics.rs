//! Metric values with their filter bar, and one metric's drill-down.

use crate::extract::PageCaller;
use crate::query::{StatQuery, stat_of};
use crate::ui::{Chrome, render_refused};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::records::stats::StatFilter;
use anjian_app::stats::{MetricValue, entity_label};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

/// Options of the statistical filter bar.
pub struct FilterBar {
    pub period: String,
    pub region: String,
    pub department: String,
    pub sector: String,
    pub campaign: String,
    pub towns: Vec<(String, String)>,
    pub departments: Vec<(String, String)>,
    pub sectors: Vec<(String, String)>,
    pub campaigns: Vec<(String, String)>,
    /// The query string that reproduces this filter.
    pub query: String,
}

async fn filter_bar(
    state: &AppState,
    pc: &PageCaller,
    q: &StatQuery,
    query: String,
) -> Result<FilterBar, PageError> {
    let caller = pc.caller.clone();
    let (towns, departments, sectors, campaigns) = blocking(state, move |app| {
        Ok((
            app.townships(&caller)?,
            app.department_options(&caller)?,
            app.list_sectors(&caller)?
                .into_iter()
                .map(|s| (s.code, s.name))
                .collect::<Vec<_>>(),
            app.campaigns(&caller)?
                .into_iter()
                .map(|c| (c.code, c.name))
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(FilterBar {
        period: s(&q.period),
        region: s(&q.region),
        department: s(&q.department),
        sector: s(&q.sector),
        campaign: s(&q.campaign),
        towns,
        departments,
        sectors,
        campaigns,
        query,
    })
}

pub struct Section {
    pub name: String,
    pub items: Vec<MetricValue>,
}

#[derive(Template)]
#[template(path = "metrics.html")]
struct MetricsPage {
    chrome: Chrome,
    bar: FilterBar,
    period_name: String,
    sections: Vec<Section>,
    error: Option<String>,
}

pub(super) async fn metrics(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<StatQuery>,
) -> Result<Response, PageError> {
    let (today, notice) = super::default_anchor(&state, &pc, super::given(&q.period)).await?;
    let (error, period, f) = match stat_of(&q, today) {
        Ok((p, f)) => (None, p, f),
        Err(e) => (
            Some(e.message),
            anjian_domain::period::Period::year(chrono::Datelike::year(&today))
                .ok_or_else(|| AppError::Internal("year".into()))?,
            StatFilter::default(),
        ),
    };
    let query = anjian_app::stats::drill_query(&period, &f);
    let bar = filter_bar(&state, &pc, &q, query).await?;
    let caller = pc.caller.clone();
    let p = period.clone();
    let (instance, values) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.metric_values(&caller, &p, &f, None)?,
        ))
    })
    .await?;
    let mut sections: Vec<Section> = Vec::new();
    for v in values {
        match sections.iter_mut().find(|s| s.name == v.section) {
            Some(s) => s.items.push(v),
            None => sections.push(Section {
                name: v.section.clone(),
                items: vec![v],
            }),
        }
    }
    let page = MetricsPage {
        chrome: Chrome::new(&pc, instance, "统计指标", "metrics").notice(notice),
        bar,
        period_name: period.name(),
        sections,
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

pub struct DrillLine {
    pub kind: String,
    pub id: String,
    pub href: String,
    pub date: String,
    pub label: String,
    /// In the unit of the figure (元 or 万元 for money, never 分).
    pub amount: String,
}

#[derive(Template)]
#[template(path = "metric_detail.html")]
struct MetricPage {
    chrome: Chrome,
    metric: MetricValue,
    period_name: String,
    scope_note: String,
    applicable: bool,
    lines: Vec<DrillLine>,
    total: String,
    shown_all: bool,
    query: String,
}

pub(crate) fn href_of(entity: &str, id: Option<i64>) -> String {
    let Some(id) = id else { return String::new() };
    match entity {
        "hazard" => format!("/hazards/{id}"),
        "inspection" => format!("/inspections/{id}"),
        "case" => format!("/cases/{id}"),
        "transfer" => format!("/transfers/{id}"),
        "report" => format!("/reports/{id}"),
        "listing" => format!("/listings/{id}"),
        "plan" => format!("/plans/{id}"),
        "assessment_unit" => format!("/assessment-units/{id}"),
        "enterprise" => format!("/enterprises/{id}"),
        "document" => format!("/api/v1/documents/{id}/docx"),
        "department" => "/departments".into(),
        "work_record" => format!("/work-records?after={}", id + 1),
        "accountability" => format!("/accountability/{id}"),
        "disaster_event" => format!("/disaster-events/{id}"),
        "risk_point" => format!("/risk-points/{id}"),
        "letter" => format!("/letters/{id}"),
        "capability" => format!("/capability/{id}"),
        "station_visit" => format!("/station/visits/{id}"),
        "station_assignment" => format!("/station/coverage#a{id}"),
        "forest_equipment" => format!("/forest/equipment#q{id}"),
        "forest_patrol" => format!("/forest/patrols#p{id}"),
        "forest_checkpoint" | "forest_warden" | "forest_farm" => "/forest".into(),
        "training_session" => format!("/training/{id}"),
        "training_certificate" => "/certificates".into(),
        "monitoring_alarm" => format!("/monitoring/alarms/{id}"),
        "monitored_object" => format!("/monitoring/objects/{id}"),
        _ => String::new(),
    }
}

pub(super) async fn metric(
    State(state): State<AppState>,
    pc: PageCaller,
    Path(id): Path<String>,
    Query(q): Query<StatQuery>,
) -> Result<Response, PageError> {
    let (anchor, notice) = super::default_anchor(&state, &pc, super::given(&q.period)).await?;
    let (period, f) = stat_of(&q, anchor).map_err(|e| AppError::BadRequest(e.message))?;
    let query = anjian_app::stats::drill_query(&period, &f);
    let mut notes = Vec::new();
    if let Some(r) = &f.region_prefix {
        notes.push(format!("区划 {r}"));
    }
    if let Some(d) = f.department_id {
        notes.push(format!("部门 {d}"));
    }
    if let Some(s) = &f.sector {
        notes.push(format!("行业 {s}"));
    }
    if let Some(c) = &f.campaign {
        notes.push(format!("专项行动 {c}"));
    }
    if let Some(a) = &f.agency {
        notes.push(format!("委托机关 {a}"));
    }
    if let Some(e) = f.enterprise_id {
        notes.push(format!("企业 {e}"));
    }
    let caller = pc.caller.clone();
    let p = period.clone();
    const LIMIT: i64 = 2000;
    let (instance, (metric, rows), total) = blocking(&state, move |app| {
        let (m, rows) = app.metric_drill(&caller, &id, &p, &f, LIMIT)?;
        Ok((app.instance_name()?, (m.clone(), rows), m.raw))
    })
    .await?;
    let applicable = rows.is_some();
    let rows = rows.unwrap_or_default();
    let shown: i64 = rows.iter().map(|r| r.amount).sum();
    let lines = rows
        .into_iter()
        .map(|r| DrillLine {
            kind: entity_label(&r.entity).to_string(),
            href: href_of(&r.entity, r.entity_id),
            id: r.entity_id.map(|i| i.to_string()).unwrap_or(r.key),
            date: r.date.unwrap_or_default(),
            label: r.label.chars().take(80).collect(),
            amount: r.stated,
        })
        .collect();
    let page = MetricPage {
        chrome: Chrome::new(&pc, instance, &metric.label, "metrics").notice(notice),
        period_name: period.name(),
        scope_note: if notes.is_empty() {
            "全部（您的权限范围内）".into()
        } else {
            notes.join("，")
        },
        applicable,
        lines,
        total: if total.is_some() {
            metric.record_display.clone()
        } else {
            "—".into()
        },
        shown_all: Some(shown) == total,
        metric,
        query,
    };
    Ok(render_refused(&page, false))
}
