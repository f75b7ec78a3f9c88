//! 企业风险等级 and 四色图 pages: the list of the enterprises' grades (with the township
//! pictures), an enterprise's grade page (its picture, the override form, the history), a
//! township's picture, and the county's settings (检查周期、抽取权重).

pub(crate) mod enterprise;
mod settings;

use super::{Chrome, Kept, render, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::risk_steering::{EnterpriseRiskGrade, EnterpriseRiskGradeQuery};
use anjian_domain::risk_grade::Grade;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/risk-grades", get(list))
        .route("/risk-grades/township", get(township))
        .route(
            "/enterprises/{id}/risk",
            get(enterprise::page).post(enterprise::change),
        )
        .route(
            "/risk-steering/settings",
            get(settings::page).post(settings::save),
        )
}

/// A grade as the pages show it: its words, colour and the colour's class.
pub(crate) struct GradeShown {
    pub label: String,
    pub colour: &'static str,
    pub ink: &'static str,
}

pub(crate) fn shown(g: Option<Grade>) -> GradeShown {
    match g {
        Some(g) => GradeShown {
            label: format!("{}（{}）", g.label(), g.colour_label()),
            colour: g.colour(),
            ink: if g == Grade::General { "#222" } else { "#fff" },
        },
        None => GradeShown {
            label: "未定级".into(),
            colour: "#b8bec6",
            ink: "#222",
        },
    }
}

/// The section on the enterprise's page: the grade with its colour, where it comes from,
/// the latest overrides, and the override form for who may.
pub(crate) struct Section {
    pub grade: GradeShown,
    pub source: String,
    pub history: Vec<enterprise::HistoryRow>,
    pub may_override: bool,
    pub overridden: bool,
    pub version: String,
    pub grades: Vec<(&'static str, &'static str)>,
}

pub(crate) fn section(d: &anjian_app::risk_steering::EnterpriseRiskGradeDetail) -> Section {
    let mut history = enterprise::history_rows(d);
    history.truncate(5);
    Section {
        grade: shown(d.grade.effective),
        source: d
            .grade
            .source
            .map(|s| s.label().to_string())
            .unwrap_or_default(),
        history,
        may_override: d.may_override,
        overridden: d.grade.override_grade.is_some(),
        version: d
            .grade
            .override_version
            .map(|v| v.to_string())
            .unwrap_or_default(),
        grades: Grade::descending()
            .into_iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
    }
}

/// One enterprise's row in the list.
pub(crate) struct Row {
    pub id: i64,
    pub name: String,
    pub township: String,
    pub grade: GradeShown,
    pub source: String,
    pub points: String,
    pub last: String,
    pub due: String,
    pub behind: bool,
}

impl From<EnterpriseRiskGrade> for Row {
    fn from(g: EnterpriseRiskGrade) -> Self {
        let c = g.counts;
        Row {
            id: g.enterprise_id,
            name: g.name,
            township: g.region_name,
            grade: shown(g.effective),
            source: g.source.map(|s| s.label().to_string()).unwrap_or_default(),
            points: if c.total() == 0 {
                String::new()
            } else {
                format!("红{} 橙{} 黄{} 蓝{}", c.major, c.large, c.general, c.low)
            },
            last: g
                .last_inspected_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "未检查".into()),
            due: g.next_due.map(|d| d.to_string()).unwrap_or_default(),
            behind: g.behind,
        }
    }
}

#[derive(Template)]
#[template(path = "risk_grades.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    next: Option<String>,
    query: String,
    region: String,
    grade: String,
    behind: bool,
    townships: Vec<(String, String)>,
    grades: Vec<(&'static str, &'static str)>,
    can_configure: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let region = get("region");
    let grade = get("grade");
    let behind = get("behind") == "1";
    let query = EnterpriseRiskGradeQuery {
        region_prefix: anjian_domain::RegionCode::parse(&region)
            .ok()
            .map(|c| c.subtree_prefix().to_string()),
        grade: Grade::parse(&grade),
        behind_only: behind,
    };
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let (instance, page, townships) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.enterprise_risk_grades_page(
                &caller,
                &query,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            app.townships(&caller)?,
        ))
    })
    .await?;
    let pairs = [
        ("region", region.clone()),
        ("grade", grade.clone()),
        ("behind", if behind { "1".into() } else { String::new() }),
    ];
    let query = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let p = ListPage {
        chrome: Chrome::new(&pc, instance, "企业风险等级", "risk_grades"),
        rows: page.items.into_iter().map(Row::from).collect(),
        next: page.next,
        query,
        region,
        grade,
        behind,
        townships,
        grades: Grade::descending()
            .into_iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        can_configure: pc.caller.can(Permission::ConfigureCounty),
    };
    Ok(render(&p))
}

#[derive(Template)]
#[template(path = "risk_township.html")]
struct TownshipPage {
    chrome: Chrome,
    name: String,
    region: String,
    svg: String,
}

async fn township(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    // No township named: a township's own picture, else the list with its township chooser.
    let region = match q.get("region").map(|r| r.trim()).filter(|r| !r.is_empty()) {
        Some(r) => r.to_string(),
        None if pc.caller.role.belongs_to_township() => pc.caller.user.region_code.clone(),
        None => return Ok(see_other("/risk-grades")),
    };
    let caller = pc.caller.clone();
    let r = region.clone();
    let (instance, name, svg) = blocking(&state, move |app| {
        let svg = app.enterprise_risk_grade_township_svg(&caller, &r)?;
        Ok((app.instance_name()?, app.region_name(&caller, &r)?, svg))
    })
    .await?;
    let p = TownshipPage {
        chrome: Chrome::new(&pc, instance, &format!("{name}四色图"), "risk_grades"),
        name,
        region,
        svg,
    };
    Ok(render(&p))
}
