//! 举报奖励: list with the intake form, and a detail page with the steps allowed now.

use super::Kept;
use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::reports::{CATEGORIES, CHANNELS, ReportInput, ReportStep, ReportView};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list).post(receive))
        .route("/reports/{id}", get(detail))
        .route("/reports/{id}/act", post(act))
}

fn action_label(a: &str) -> &'static str {
    match a {
        "assign" => "交办核查",
        "verify" => "核查办结",
        "reward" => "计算并批准奖励",
        "pay" => "登记发放",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ListPage {
    chrome: Chrome,
    /// The cursor of the next page, if the list goes on.
    next: Option<String>,
    next_href: String,
    items: Vec<ReportView>,
    channels: Vec<String>,
    categories: Vec<(String, String)>,
    can_receive: bool,
    kept: Kept,
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    after: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, items) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.reports_page(
                &caller,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
        ))
    })
    .await?;
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "举报奖励", "reports"),
        next: items.next,
        next_href: "/reports?".into(),
        items: items.items,
        channels: CHANNELS.iter().map(|c| c.to_string()).collect(),
        categories: CATEGORIES
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        can_receive: pc.caller.can(anjian_domain::scope::Permission::Supervise),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let after = crate::query::after_of(&q);
    list_page(&state, &pc, after, Kept::none()).await
}

async fn receive(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = ReportInput {
        channel: form.get("channel"),
        anonymous: form.get("anonymous") == "1",
        reporter_name: form.opt("reporter_name"),
        reporter_phone: form.opt("reporter_phone"),
        is_employee: form.get("is_employee") == "1",
        category: form.get("category"),
        content: form.get("content"),
        enterprise_id: form.get("enterprise_id").trim().parse().ok(),
        region_code: form.opt("region_code"),
        sector: form.opt("sector"),
        ..Default::default()
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.receive_report(&caller, &input)).await {
        Ok(v) => Ok(see_other(&format!("/reports/{}", v.report.id))),
        Err(e) => {
            list_page(
                &state,
                &pc,
                None,
                Kept::refused("receive", &form, super::refusal(e)?),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "report_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: ReportView,
    reward: String,
    actions: Vec<(String, String)>,
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.report(&caller, id)?))
    })
    .await?;
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "举报奖励", "reports"),
        reward: v
            .reward_yuan
            .map(|y| format!("{y:.2} 元"))
            .unwrap_or_default(),
        actions: v
            .allowed_actions
            .iter()
            .map(|a| (a.to_string(), action_label(a).to_string()))
            .collect(),
        v,
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

async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let s = ReportStep {
        action: form.get("action"),
        version: form.get("version").parse().ok(),
        department_id: form.get("department_id").trim().parse().ok(),
        date: form.opt("date"),
        note: form.opt("note"),
        outcome: form.opt("outcome"),
        create_hazard: form.get("create_hazard") == "1",
        case_id: form.get("case_id").trim().parse().ok(),
        accident_level: form.get("accident_level").trim().parse().ok(),
        concealed_deaths: form.get("concealed_deaths").trim().parse().ok(),
        accident_on: form.opt("accident_on"),
        approved_by: form.opt("approved_by"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.report_step(&caller, id, &s)).await {
        Ok(_) => Ok(see_other(&format!("/reports/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused(
                    &format!("act.{}", form.get("action")),
                    &form,
                    super::refusal(e)?,
                ),
            )
            .await
        }
    }
}
