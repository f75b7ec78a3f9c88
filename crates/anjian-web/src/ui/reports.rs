//! 举报奖励: list with the intake form, and a detail page with the steps allowed now.

use super::{Chrome, FieldErrors, Kept, Numbers, render_refused, see_other};
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
    // The enterprise as typed or picked: its name, code or "名称（代码）".
    let caller = pc.caller.clone();
    let typed = form.get("enterprise_id");
    let enterprise_id =
        match blocking(&state, move |app| app.resolve_enterprise(&caller, &typed)).await? {
            Ok(id) => id,
            Err(m) => {
                let mut e = FieldErrors::default();
                e.add("enterprise_id", m);
                let kept = Kept::refused("receive", &form, e);
                return list_page(&state, &pc, None, kept).await;
            }
        };
    let input = ReportInput {
        channel: form.get("channel"),
        anonymous: form.get("anonymous") == "1",
        reporter_name: form.opt("reporter_name"),
        reporter_phone: form.opt("reporter_phone"),
        is_employee: form.get("is_employee") == "1",
        category: form.get("category"),
        content: form.get("content"),
        enterprise_id,
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
    /// The departments a report may be assigned to: (id, name).
    departments: Vec<(i64, String)>,
    /// The accident levels a concealed accident is verified at: (code, words).
    levels: [(i64, &'static str); 4],
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v, deps) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.report(&caller, id)?,
            app.all_departments(&caller)?,
        ))
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
        departments: deps.into_iter().map(|d| (d.id, d.name)).collect(),
        levels: [
            (0, "一般事故"),
            (1, "较大事故"),
            (2, "重大事故"),
            (3, "特别重大事故"),
        ],
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
    let kept_as = format!("act.{}", form.get("action"));
    // A number that does not read is refused with its field named, never dropped: a case
    // number lost would reward the report from no fine at all.
    let mut n = Numbers::new(&form);
    let s = ReportStep {
        action: form.get("action"),
        version: n.int("version", "版本"),
        department_id: n.int("department_id", "承办部门"),
        date: form.opt("date"),
        note: form.opt("note"),
        outcome: form.opt("outcome"),
        create_hazard: form.get("create_hazard") == "1",
        case_id: n.int("case_id", "关联案件编号"),
        accident_level: n.int("accident_level", "事故等级"),
        concealed_deaths: n.int("concealed_deaths", "瞒报死亡人数"),
        accident_on: form.opt("accident_on"),
        approved_by: form.opt("approved_by"),
    };
    if !n.errors.is_empty() {
        let kept = Kept::refused(&kept_as, &form, n.errors);
        return detail_page(&state, &pc, id, kept).await;
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.report_step(&caller, id, &s)).await {
        Ok(_) => Ok(see_other(&format!("/reports/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused(&kept_as, &form, super::refusal(e)?),
            )
            .await
        }
    }
}
