//! 委托执法: agreements with their items, the admin's form, and cases per agency and item.

use super::rows::{self, Table};
use super::{Chrome, FieldErrors, Kept, render_refused, see_other};
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
    /// The townships a commission may go to: (code, name).
    towns: Vec<(String, String)>,
    is_admin: bool,
    kept: Kept,
}

async fn page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, list, figures, towns, names) = blocking(state, move |app| {
        let list = app.commissions(&caller)?;
        let names = app.region_names(&caller, list.iter().map(|c| c.region_code.as_str()))?;
        Ok((
            app.instance_name()?,
            list,
            app.commission_figures(&caller)?,
            app.townships(&caller)?,
            names,
        ))
    })
    .await?;
    let rows = list
        .into_iter()
        .map(|c| {
            let items: Vec<CommissionItem> = serde_json::from_str(&c.items).unwrap_or_default();
            Row {
                agency: c.agency,
                region: names.get(&c.region_code).cloned().unwrap_or(c.region_code),
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
        towns,
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

/// The agreement's items: one row each, with its labelled cells.
const ITEMS: Table = Table {
    name: "items",
    caption: "委托事项",
    columns: &[
        ("code", "编码"),
        ("name", "名称"),
        ("legal_basis", "依据"),
        ("max_fine_yuan", "罚款上限"),
    ],
};

/// The items filled in, read, and the place of each on the page; a cap that does not read is
/// refused with its row named.
fn read_items(form: &FormPairs, e: &mut FieldErrors) -> (Vec<CommissionItem>, Vec<usize>) {
    let mut items = Vec::new();
    let mut places = Vec::new();
    for r in ITEMS.filled(form) {
        let i = r.index;
        let cap = r.cell(3);
        let max_fine_yuan = match cap.parse::<f64>() {
            Ok(n) if n.is_finite() => n,
            _ if cap.is_empty() => {
                ITEMS.refuse(e, i, "max_fine_yuan", "未填写");
                0.0
            }
            _ => {
                ITEMS.refuse(
                    e,
                    i,
                    "max_fine_yuan",
                    &format!("“{cap}”不对，应为金额（元）"),
                );
                0.0
            }
        };
        items.push(CommissionItem {
            code: r.cell(0).to_string(),
            name: r.cell(1).to_string(),
            legal_basis: r.cell(2).to_string(),
            max_fine_yuan,
        });
        places.push(i);
    }
    (items, places)
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    if let Some(again) = rows::edit(&form, &[&ITEMS]) {
        return page(&state, &pc, Kept::again("commission", &again)).await;
    }
    let mut errors = FieldErrors::default();
    let (items, places) = read_items(&form, &mut errors);
    if !errors.is_empty() {
        return page(&state, &pc, Kept::refused("commission", &form, errors)).await;
    }
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
            let errors = ITEMS.place(super::refusal(e)?, &places);
            page(&state, &pc, Kept::refused("commission", &form, errors)).await
        }
    }
}
