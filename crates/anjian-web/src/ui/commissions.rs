//! 委托执法: agreements with their items, the admin's form, and cases per agency and item.

use super::Kept;
use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::commissions::{CommissionFigure, CommissionInput, CommissionItem};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/commissions", get(list).post(create))
}

pub struct Row {
    pub agency: String,
    pub region: String,
    pub agreement_no: String,
    pub period: String,
    pub items: String,
}

#[derive(Template)]
#[template(path = "commissions.html")]
struct Page {
    chrome: Chrome,
    rows: Vec<Row>,
    figures: Vec<CommissionFigure>,
    is_admin: bool,
    kept: Kept,
}

async fn page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, list, figures) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.commissions(&caller)?,
            app.commission_figures(&caller)?,
        ))
    })
    .await?;
    let rows = list
        .into_iter()
        .map(|c| {
            let items: Vec<CommissionItem> = serde_json::from_str(&c.items).unwrap_or_default();
            Row {
                agency: c.agency,
                region: c.region_code,
                agreement_no: c.agreement_no,
                period: format!("{} 至 {}", c.valid_from, c.valid_to),
                items: items
                    .iter()
                    .map(|i| format!("{} {}（≤{}元）", i.code, i.name, i.max_fine_yuan))
                    .collect::<Vec<_>>()
                    .join("；"),
            }
        })
        .collect();
    let p = Page {
        chrome: Chrome::new(pc, instance, "委托执法", "commissions"),
        rows,
        figures,
        is_admin: pc
            .caller
            .can(anjian_domain::scope::Permission::ManageOrganisation),
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn list(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    page(&state, &pc, Kept::none()).await
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    // One item per line: 编码|名称|依据|罚款上限（元）
    let items: Vec<CommissionItem> = form
        .get("items")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let p: Vec<&str> = l.split('|').map(str::trim).collect();
            CommissionItem {
                code: p.first().copied().unwrap_or_default().to_string(),
                name: p.get(1).copied().unwrap_or_default().to_string(),
                legal_basis: p.get(2).copied().unwrap_or_default().to_string(),
                max_fine_yuan: p.get(3).and_then(|x| x.parse().ok()).unwrap_or(-1.0),
            }
        })
        .collect();
    let input = CommissionInput {
        region_code: form.get("region_code"),
        agency: form.get("agency"),
        agreement_no: form.get("agreement_no"),
        items,
        valid_from: form.get("valid_from"),
        valid_to: form.get("valid_to"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_commission(&caller, &input)).await {
        Ok(_) => Ok(see_other("/commissions")),
        Err(e) => {
            let kept = Kept::refused("commission", &form, super::refusal(e)?);
            page(&state, &pc, kept).await
        }
    }
}
