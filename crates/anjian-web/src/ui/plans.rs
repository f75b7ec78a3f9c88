//! Annual enforcement plans: the list and each plan's monthly progress, with the approval
//! form for the admin.

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

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list).post(save))
        .route("/plans/{id}", get(detail))
        .route("/plans/{id}/approve", post(approve))
}

#[derive(Template)]
#[template(path = "plans.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<(anjian_app::records::plans::Plan, String)>,
    can_draft: bool,
    /// The departments a caller who acts for any department drafts for (empty: their own).
    departments: Vec<(i64, String)>,
    year: i32,
    kept: Kept,
}

async fn list(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    list_page(&state, &pc, Kept::none()).await
}

async fn list_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let state = state.clone();
    let caller = pc.caller.clone();
    let (instance, plans, deps) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.plans(&caller, None)?,
            app.all_departments(&caller)?,
        ))
    })
    .await?;
    let items = plans
        .into_iter()
        .map(|p| {
            let d = deps
                .iter()
                .find(|d| d.id == p.department_id)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            (p, d)
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "执法计划", "plans"),
        items,
        can_draft: pc
            .caller
            .can(anjian_domain::scope::Permission::DecideAsAgency),
        departments: if pc.caller.bound_department().is_none() {
            deps.iter()
                .filter(|d| d.has_supervision_duty)
                .map(|d| (d.id, d.name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        year: chrono::Datelike::year(&state.app.clock.today()),
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
    // One line per row: 行业领域代码|key 或 general|月份|计划检查数
    let lines = form
        .get("lines")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let p: Vec<&str> = l.split('|').map(str::trim).collect();
            anjian_app::plans::PlanLine {
                sector: p.first().copied().unwrap_or_default().to_string(),
                category: p.get(1).copied().unwrap_or_default().to_string(),
                month: p.get(2).and_then(|x| x.parse().ok()).unwrap_or(0),
                planned: p.get(3).and_then(|x| x.parse().ok()).unwrap_or(0),
            }
        })
        .collect();
    let input = anjian_app::plans::PlanInput {
        department_id: form.get("department_id").trim().parse().ok(),
        year: form.get("year").trim().parse().unwrap_or(0),
        title: form.get("title"),
        lines,
        key_enterprise_ids: form
            .get("key_enterprise_ids")
            .split([',', '，', ' ', '、'])
            .filter_map(|x| x.trim().parse().ok())
            .collect(),
        random_share_percent: form
            .get("random_share_percent")
            .trim()
            .parse()
            .unwrap_or(-1),
        version: form.get("version").trim().parse().ok(),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.save_plan(&caller, &input)).await {
        Ok(p) => Ok(see_other(&format!("/plans/{}", p.id))),
        Err(e) => {
            let kept = Kept::refused("plan", &form, super::refusal(e)?);
            list_page(&state, &pc, kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "plan_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: PlanProgress,
    department: String,
    can_approve: bool,
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
    let (instance, v, department) = blocking(state, move |app| {
        let v = app.plan_progress(&caller, id)?;
        let d = app.department_name(&caller, v.plan.department_id)?;
        Ok((app.instance_name()?, v, d))
    })
    .await?;
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "执法计划", "plans"),
        can_approve: v.allowed_actions.contains(&"approve"),
        today: state.app.clock.today().format("%Y-%m-%d").to_string(),
        v,
        department,
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

async fn approve(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (version, by, on, no) = (
        form.get("version").parse().unwrap_or(0),
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
