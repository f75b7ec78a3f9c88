//! 风险分级管控: the risk points list with its filters, ledger and import, a point's page
//! with its history and review steps, the form (registration with the first assessment, and
//! editing), the assessment form (LEC/LS choices showing their meanings) and the county's
//! cut-offs (安委办).

mod detail;
mod form;

use super::{Chrome, Kept, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::risk::{RiskPointQuery, RiskPointView};
use anjian_domain::risk::{Method, RiskState};
use anjian_domain::risk_grade::Grade;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/risk-points", get(list))
        .route("/risk-points/new", get(form::new).post(form::create))
        .route("/risk-points/cutoffs", get(cutoffs).post(save_cutoffs))
        .route("/risk-points/{id}", get(detail::detail))
        .route("/risk-points/{id}/edit", get(form::edit).post(form::update))
        .route("/risk-points/{id}/assess", post(detail::assess))
        .route("/risk-points/{id}/act", post(detail::act))
        .route(
            "/risk-points/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// The tag class of a grade's colour.
pub(crate) fn grade_class(g: Option<Grade>) -> &'static str {
    match g {
        Some(Grade::Major) => "red",
        Some(Grade::Large) => "orange",
        Some(Grade::General) => "yellow",
        Some(Grade::Low) => "blue",
        None => "grey",
    }
}

pub struct Row {
    pub id: i64,
    pub unit: String,
    pub region: String,
    pub place: String,
    pub hazard_factor: String,
    pub accident_types: String,
    pub control_level: &'static str,
    pub grade: &'static str,
    pub grade_class: &'static str,
    pub state: &'static str,
}

impl From<RiskPointView> for Row {
    fn from(v: RiskPointView) -> Self {
        let p = &v.point;
        Self {
            id: p.id,
            unit: if p.enterprise_id.is_some() {
                p.enterprise_name.clone()
            } else {
                "公共场所".into()
            },
            region: p.region_name.clone(),
            place: p.place.clone(),
            hazard_factor: p.hazard_factor.clone(),
            accident_types: v.accident_types_text.clone(),
            control_level: v.control_level_label,
            grade: v.grade_label,
            grade_class: grade_class(p.grade),
            state: v.state_label,
        }
    }
}

#[derive(Template)]
#[template(path = "risk_points.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    next: Option<String>,
    township: String,
    grade: String,
    state: String,
    enterprise_id: String,
    query: String,
    townships: Vec<(String, String)>,
    grades: Vec<(&'static str, &'static str)>,
    states: Vec<(&'static str, &'static str)>,
    can_register: bool,
    can_configure: bool,
    own_enterprise: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let enterprise_id = get("enterprise_id");
    let mut notice = None;
    let query = RiskPointQuery {
        enterprise_id: match enterprise_id.trim() {
            "" => None,
            s => match s.parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    notice = Some("企业参数不正确，已显示全部风险点".to_string());
                    None
                }
            },
        },
        township: Some(get("township")),
        grade: Some(get("grade")),
        state: Some(get("state")),
        public_sites: None,
    };
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.risk_points_page(
                &caller,
                &query,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            app.townships(&caller).unwrap_or_default(),
        ))
    })
    .await;
    let (instance, page, townships) = match r {
        Ok(v) => v,
        Err(e) => {
            notice = Some(super::form_error(e)?);
            let i = blocking(&state, |app| app.instance_name()).await?;
            (i, anjian_app::Page::default(), Vec::new())
        }
    };
    let refused = notice.is_some();
    let pairs = [
        ("township", get("township")),
        ("grade", get("grade")),
        ("state", get("state")),
        ("enterprise_id", enterprise_id.clone()),
    ];
    let query = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let own_enterprise = pc.caller.user.enterprise_id.is_some();
    let p = ListPage {
        chrome: Chrome::new(
            &pc,
            instance,
            if own_enterprise {
                "本企业风险点"
            } else {
                "风险分级管控"
            },
            "risk_points",
        )
        .notice(notice)
        .flash(q.get("saved").map(|_| "已保存")),
        rows: page.items.into_iter().map(Row::from).collect(),
        next: page.next,
        township: get("township"),
        grade: get("grade"),
        state: get("state"),
        enterprise_id,
        query,
        townships,
        grades: Grade::descending()
            .into_iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        states: RiskState::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        can_register: anjian_app::App::may_register_risk_points(&pc.caller),
        can_configure: pc.caller.can(Permission::ConfigureCounty),
        own_enterprise,
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
            title: "导入风险点",
            nav: "risk_points",
            back: "/risk-points".into(),
            action: "/risk-points/import".into(),
        },
        |app, caller, t, opts| app.import_risk_points(caller, t, opts),
    )
    .await
}

#[derive(Template)]
#[template(path = "risk_cutoffs.html")]
struct CutoffsPage {
    chrome: Chrome,
    kept: Kept,
    lec: String,
    ls: String,
}

async fn cutoffs_page(
    state: &AppState,
    pc: &PageCaller,
    kept: Kept,
    saved: bool,
) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::ConfigureCounty) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "仅安委办管理员可设置风险分级标准".into(),
        )));
    }
    let (instance, c) =
        blocking(state, |app| Ok((app.instance_name()?, app.risk_cutoffs()?))).await?;
    let p = CutoffsPage {
        chrome: Chrome::new(pc, instance, "风险分级标准", "risk_points")
            .flash(saved.then_some("已保存")),
        kept,
        lec: c.text(Method::Lec),
        ls: c.text(Method::Ls),
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn cutoffs(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    cutoffs_page(&state, &pc, Kept::none(), q.contains_key("saved")).await
}

async fn save_cutoffs(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (lec, ls) = (form.get("lec"), form.get("ls"));
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.set_risk_cutoffs(&caller, &lec, &ls)).await {
        Ok(_) => Ok(see_other("/risk-points/cutoffs?saved=1")),
        Err(e) => {
            let kept = Kept::refused("cutoffs", &form, super::refusal(e)?);
            cutoffs_page(&state, &pc, kept, false).await
        }
    }
}
