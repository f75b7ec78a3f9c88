use super::{Chrome, render, see_other, urlencode};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::files::docx_response;
use crate::query::{CaseQuery, major_filter_of as filter_of};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_domain::major::{CASE_STATES, CaseState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/major-hazards", get(list))
        .route("/major-hazards/export", get(export))
        .route("/major-hazards/bulletins", get(bulletins).post(issue))
        .route("/major-hazards/bulletins/{id}", get(bulletin_file))
}

pub fn state_class(s: &str) -> &'static str {
    match s {
        "closed" => "green",
        "downgraded" => "grey",
        "closeout_requested" => "blue",
        "in_remediation" | "extension_requested" => "orange",
        "assigned" => "yellow",
        _ => "red",
    }
}

pub fn tier_label(t: &str) -> &'static str {
    match t {
        "province" => "省级",
        "city" => "市级",
        _ => "县级",
    }
}

pub struct Row {
    pub id: i64,
    pub case_no: String,
    pub description: String,
    pub sector: String,
    pub unit: String,
    pub region: String,
    pub basis: String,
    pub assignment: String,
    pub supervisor: String,
    pub deadline: String,
    pub overdue: bool,
    pub state: String,
    pub state_class: &'static str,
}

#[derive(Template)]
#[template(path = "major_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    /// The whole list's size (the rows are one page of it).
    total: usize,
    next: Option<String>,
    overdue_count: usize,
    states: Vec<(String, String)>,
    state: String,
    open: String,
    overdue: String,
    year: String,
    query: String,
    can_issue: bool,
}

/// What a list view shows: one page of rows (or every row, for the ledger), the cursor of the
/// next page, and the whole list's total and overdue count.
struct Rows {
    instance: String,
    rows: Vec<Row>,
    next: Option<String>,
    total: usize,
    overdue: usize,
}

async fn rows(
    state: &AppState,
    pc: &PageCaller,
    q: &CaseQuery,
    every: bool,
) -> Result<Rows, PageError> {
    let today = state.app.clock.today();
    let f = filter_of(q, today).map_err(|e| PageError::App(AppError::BadRequest(e.message)))?;
    let caller = pc.caller.clone();
    let (instance, items, next, all, sectors) = blocking(state, move |app| {
        let all = app.all_major_cases(&caller, &f)?;
        let (items, next) = if every {
            (all.clone(), None)
        } else {
            let p = app.list_major_cases(&caller, &f)?;
            (p.items, p.next)
        };
        Ok((
            app.instance_name()?,
            items,
            next,
            all,
            app.list_sectors(&caller)?,
        ))
    })
    .await?;
    let open_assigned = |s: CaseState| {
        s.is_open() && !matches!(s, CaseState::UnderDetermination | CaseState::Listed)
    };
    let total = all.len();
    let overdue = all
        .iter()
        .filter(|(c, v)| v.overdue && open_assigned(c.state))
        .count();
    let names: HashMap<String, String> = sectors.into_iter().map(|s| (s.code, s.name)).collect();
    let rows = items
        .into_iter()
        .map(|(c, v)| {
            let st = Some(c.state);
            let open_assigned = st.is_some_and(|s| {
                s.is_open() && !matches!(s, CaseState::UnderDetermination | CaseState::Listed)
            });
            Row {
                id: c.hazard_id,
                case_no: c.case_no.clone(),
                description: v.hazard.description.clone(),
                sector: names
                    .get(&v.hazard.sector)
                    .cloned()
                    .unwrap_or(v.hazard.sector.clone()),
                unit: if v.hazard.responsible_unit.is_empty() {
                    v.hazard.enterprise_name.clone().unwrap_or_default()
                } else {
                    v.hazard.responsible_unit.clone()
                },
                region: v.hazard.region_name.clone(),
                basis: format!("{} {}", c.basis_standard, c.basis_clause)
                    .trim()
                    .to_string(),
                assignment: c.assignment_no.clone(),
                supervisor: c.coordinating_supervisor.clone(),
                deadline: v.hazard.deadline.map(|d| d.to_string()).unwrap_or_default(),
                overdue: v.overdue && open_assigned,
                state: c.state.label().to_string(),
                state_class: state_class(c.state.as_str()),
            }
        })
        .collect();
    Ok(Rows {
        instance,
        rows,
        next,
        total,
        overdue,
    })
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<CaseQuery>,
) -> Result<Response, PageError> {
    let Rows {
        instance,
        rows,
        next,
        total,
        overdue,
    } = rows(&state, &pc, &q, false).await?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let query = [
        ("state", &q.state),
        ("open", &q.open),
        ("overdue", &q.overdue),
        ("year", &q.year),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|x| !x.is_empty())
            .map(|x| format!("{k}={}", urlencode(x)))
    })
    .collect::<Vec<_>>()
    .join("&");
    let page = ListPage {
        chrome: Chrome::new(&pc, instance, "重大事故隐患清单", "major"),
        overdue_count: overdue,
        total,
        next,
        rows,
        states: CASE_STATES
            .iter()
            .map(|s| (s.as_str().to_string(), s.label().to_string()))
            .collect(),
        state: s(&q.state),
        open: s(&q.open),
        overdue: s(&q.overdue),
        year: s(&q.year),
        query,
        can_issue: pc
            .caller
            .can(anjian_domain::scope::Permission::DecideAsAgency),
    };
    Ok(render(&page))
}

async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<CaseQuery>,
) -> Result<Response, PageError> {
    let Rows { rows, .. } = rows(&state, &pc, &q, true).await?;
    let headers = [
        "清单编号",
        "隐患内容",
        "行业领域",
        "治理责任单位",
        "所在区域",
        "判定依据",
        "交办单",
        "协调督办单位",
        "整改时限",
        "环节",
        "是否逾期",
    ];
    let widths = [
        12.0, 40.0, 14.0, 28.0, 12.0, 36.0, 18.0, 18.0, 12.0, 12.0, 9.0,
    ];
    let data: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            vec![
                r.case_no,
                r.description,
                r.sector,
                r.unit,
                r.region,
                r.basis,
                r.assignment,
                r.supervisor,
                r.deadline,
                r.state,
                if r.overdue {
                    "是".into()
                } else {
                    "否".into()
                },
            ]
        })
        .collect();
    let bytes = anjian_app::export::render(
        anjian_app::export::ExportFormat::Xlsx,
        "重大事故隐患清单",
        &headers,
        &widths,
        &data,
    )?;
    Ok(crate::files::file_response(
        bytes,
        anjian_app::export::ExportFormat::Xlsx.content_type(),
        "major-hazards.xlsx",
    ))
}

pub struct BulletinRow {
    pub id: i64,
    pub doc_no: String,
    pub cycle: String,
    pub issued_on: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "bulletins.html")]
struct BulletinsPage {
    chrome: Chrome,
    rows: Vec<BulletinRow>,
}

async fn bulletins(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, items) = blocking(&state, move |app| {
        Ok((app.instance_name()?, app.bulletins(&caller)?))
    })
    .await?;
    let rows = items
        .into_iter()
        .map(|b| BulletinRow {
            count: serde_json::from_str::<Vec<serde_json::Value>>(&b.items)
                .map(|v| v.len())
                .unwrap_or(0),
            id: b.id,
            doc_no: b.doc_no,
            cycle: b.cycle,
            issued_on: b.issued_on.to_string(),
        })
        .collect();
    Ok(render(&BulletinsPage {
        chrome: Chrome::new(&pc, instance, "通报", "major"),
        rows,
    }))
}

async fn issue(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    blocking(&state, move |app| app.issue_bulletin(&caller)).await?;
    Ok(see_other("/major-hazards/bulletins"))
}

async fn bulletin_file(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (b, doc) = blocking(&state, move |app| app.bulletin_file(&caller, id)).await?;
    Ok(docx_response(
        &format!("通报{}.docx", b.cycle),
        &format!("bulletin-{}.docx", b.cycle),
        doc,
    ))
}
