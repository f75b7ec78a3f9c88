//! Annual enforcement plans: the list with the drafting form, and each plan's lines, monthly
//! progress, the form revising a draft and the approval form for the admin.

mod form;

use super::Kept;
use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::plans::PlanProgress;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use form::{Outcome, PlanForm};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list).post(save))
        .route("/plans/{id}", get(detail))
        .route("/plans/{id}/revise", post(revise))
        .route("/plans/{id}/approve", post(approve))
}

#[derive(Template)]
#[template(path = "plans.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<(anjian_app::records::plans::Plan, String)>,
    /// The drafting form, for those who draft.
    form: Option<PlanForm>,
    kept: Kept,
}

async fn list(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    list_page(&state, &pc, Kept::none()).await
}

/// (code, name) of every sector, in the county's order.
fn sector_names(
    app: &anjian_app::App,
    caller: &anjian_app::Caller,
) -> anjian_app::Result<Vec<(String, String)>> {
    Ok(app
        .list_sectors(caller)?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect())
}

async fn list_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, plans, deps, sectors) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.plans(&caller, None)?,
            app.all_departments(&caller)?,
            sector_names(app, &caller)?,
        ))
    })
    .await?;
    let name_of = |id: i64| {
        deps.iter()
            .find(|d| d.id == id)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    let items = plans
        .into_iter()
        .map(|p| {
            let d = name_of(p.department_id);
            (p, d)
        })
        .collect();
    let can_draft = pc
        .caller
        .can(anjian_domain::scope::Permission::DecideAsAgency);
    let form = can_draft.then(|| PlanForm {
        action: "/plans".into(),
        sectors: form::sector_choices(pc, &deps, &sectors),
        departments: if pc.caller.bound_department().is_none() {
            deps.iter()
                .filter(|d| d.has_supervision_duty)
                .map(|d| (d.id, d.name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        year: chrono::Datelike::year(&state.app.clock.today()),
        revising: false,
        version: 0,
        kept: kept.of("plan"),
    });
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "执法计划", "plans"),
        items,
        form,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn save(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    match form::submit(&state, &pc, &form, None).await? {
        Outcome::Saved(id) => Ok(see_other(&format!("/plans/{id}"))),
        Outcome::Edited(again) => list_page(&state, &pc, Kept::again("plan", &again)).await,
        Outcome::Refused(e) => list_page(&state, &pc, Kept::refused("plan", &form, e)).await,
    }
}

/// A line of the plan as the page shows it.
struct LineView {
    sector: String,
    category: &'static str,
    month: u32,
    planned: u32,
}

/// An enterprise behind its inspection frequency, as the plan's page lists it.
struct BehindRow {
    id: i64,
    name: String,
    grade: String,
    months: u32,
    last: String,
    due: String,
}

#[derive(Template)]
#[template(path = "plan_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: PlanProgress,
    department: String,
    lines: Vec<LineView>,
    /// Key enterprises not inspected yet: (id, name).
    uncovered: Vec<(i64, String)>,
    can_approve: bool,
    /// Enterprises behind their inspection frequency.
    behind: Vec<BehindRow>,
    /// The form revising the draft, while it may be revised.
    form: Option<PlanForm>,
    today: String,
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v, department, sectors, deps, keys, behind) = blocking(state, move |app| {
        let v = app.plan_progress(&caller, id)?;
        // The enterprises behind their inspection frequency (by risk grade), most overdue
        // first; none for a caller who may not read the enterprises' grades.
        let behind: Vec<BehindRow> = app
            .risk_steering_plan_behind(&caller, id)
            .unwrap_or_default()
            .into_iter()
            .map(|g| BehindRow {
                id: g.enterprise_id,
                name: g.name,
                grade: g
                    .effective
                    .map(|x| format!("{}（{}）", x.label(), x.colour_label()))
                    .unwrap_or_default(),
                months: g.frequency_months.unwrap_or_default(),
                last: g
                    .last_inspected_on
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "未检查".into()),
                due: g.next_due.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect();
        let d = app.department_name(&caller, v.plan.department_id)?;
        // Key enterprises by name, as the picker writes them ("名称（代码）"); one out of
        // reach keeps its number, which the picker also reads.
        let keys: Vec<(i64, String, String)> = v
            .plan
            .key_enterprise_ids
            .iter()
            .map(|k| match app.get_enterprise(&caller, *k) {
                Ok(e) => (*k, e.name.clone(), format!("{}（{}）", e.name, e.uscc)),
                Err(_) => (*k, format!("企业 {k}"), k.to_string()),
            })
            .collect();
        Ok((
            app.instance_name()?,
            v,
            d,
            sector_names(app, &caller)?,
            app.all_departments(&caller)?,
            keys,
            behind,
        ))
    })
    .await?;
    let sector_name = |c: &str| {
        sectors
            .iter()
            .find(|(code, _)| code == c)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| c.to_string())
    };
    let lines = v
        .plan
        .lines
        .iter()
        .map(|l| LineView {
            sector: sector_name(&l.sector),
            category: l.category.label(),
            month: l.month,
            planned: l.planned,
        })
        .collect();
    let uncovered = v
        .key_uncovered
        .iter()
        .map(|k| {
            let name = keys
                .iter()
                .find(|(id, _, _)| id == k)
                .map(|(_, n, _)| n.clone())
                .unwrap_or_else(|| format!("企业 {k}"));
            (*k, name)
        })
        .collect();
    let form = v.allowed_actions.contains(&"revise").then(|| {
        let revising = kept.of("revise");
        let picked: Vec<String> = keys.iter().map(|(_, _, p)| p.clone()).collect();
        PlanForm {
            action: format!("/plans/{id}/revise"),
            sectors: form::sector_choices(pc, &deps, &sectors),
            departments: Vec::new(),
            year: v.plan.year as i32,
            revising: true,
            version: v.plan.version,
            kept: if revising.submitted() {
                revising
            } else {
                Kept::again("revise", &form::pairs_of(&v.plan, &picked))
            },
        }
    });
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "执法计划", "plans"),
        can_approve: v.allowed_actions.contains(&"approve"),
        today: state.app.clock.today().format("%Y-%m-%d").to_string(),
        v,
        department,
        lines,
        uncovered,
        behind,
        form,
        kept,
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

async fn revise(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    match form::submit(&state, &pc, &form, Some(id)).await? {
        Outcome::Saved(id) => Ok(see_other(&format!("/plans/{id}"))),
        Outcome::Edited(again) => detail_page(&state, &pc, id, Kept::again("revise", &again)).await,
        Outcome::Refused(e) => {
            detail_page(&state, &pc, id, Kept::refused("revise", &form, e)).await
        }
    }
}

async fn approve(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::Numbers::new(&form);
    let version = n.int("version", "版本");
    if !n.errors.is_empty() {
        return detail_page(&state, &pc, id, Kept::refused("approve", &form, n.errors)).await;
    }
    // A missing version is refused by the store as a stale one.
    let (version, by, on, no) = (
        version.unwrap_or_default(),
        form.get("approved_by"),
        form.get("approved_on"),
        form.get("doc_no"),
    );
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.approve_plan(&caller, id, version, &by, &on, &no)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/plans/{id}"))),
        Err(e) => {
            let kept = Kept::refused("approve", &form, super::refusal(e)?);
            detail_page(&state, &pc, id, kept).await
        }
    }
}
