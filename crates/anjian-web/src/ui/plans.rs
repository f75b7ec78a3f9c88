//! Annual enforcement plans: the list and each plan's monthly progress, with the approval
//! form for the admin.

use super::{Chrome, render, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::plans::PlanProgress;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list))
        .route("/plans/{id}", get(detail))
        .route("/plans/{id}/approve", post(approve))
}

#[derive(Template)]
#[template(path = "plans.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<(anjian_store::plans::Plan, String)>,
}

async fn list(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, plans, deps) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.plans(&caller, None)?,
            app.store
                .list_departments(&anjian_domain::Scope::system())?,
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
        chrome: Chrome::new(&pc, instance, "执法计划", "plans"),
        items,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "plan_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: PlanProgress,
    department: String,
    can_approve: bool,
    today: String,
    error: Option<String>,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v, department) = blocking(state, move |app| {
        let v = app.plan_progress(&caller, id)?;
        let d = app
            .store
            .get_department(&anjian_domain::Scope::system(), v.plan.department_id)
            .map(|d| d.name)
            .unwrap_or_default();
        Ok((app.instance_name()?, v, d))
    })
    .await?;
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "执法计划", "plans"),
        can_approve: pc.caller.role == anjian_domain::Role::Admin && v.plan.status == "draft",
        today: state.app.clock.today().format("%Y-%m-%d").to_string(),
        v,
        department,
        error,
    };
    let mut res = render(&page);
    if page.error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    detail_page(&state, &pc, id, None).await
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
        Err(AppError::Validation(v)) => {
            let m = v
                .fields
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            detail_page(&state, &pc, id, Some(m)).await
        }
        Err(AppError::Forbidden(m)) | Err(AppError::Conflict(m)) => {
            detail_page(&state, &pc, id, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}
