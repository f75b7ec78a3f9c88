//! 行刑衔接: list with the report form, and a detail page with the time limits and the
//! steps allowed now.

use super::{Chrome, Kept, Numbers, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::transfers::{CRIME_TYPES, TransferInput, TransferStep, TransferView};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/transfers", get(list).post(report))
        .route("/transfers/{id}", get(detail))
        .route("/transfers/{id}/act", post(act))
}

fn action_label(a: &str) -> &'static str {
    anjian_domain::transfer::TransferAction::parse(a)
        .map(|a| a.label())
        .unwrap_or("")
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct ListPage {
    chrome: Chrome,
    /// The cursor of the next page, if the list goes on.
    next: Option<String>,
    next_href: String,
    items: Vec<TransferView>,
    crimes: Vec<(String, String)>,
    can_report: bool,
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
            app.transfers_page(
                &caller,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
        ))
    })
    .await?;
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "行刑衔接", "transfers"),
        next: items.next,
        next_href: "/transfers?".into(),
        items: items.items,
        crimes: CRIME_TYPES
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        can_report: pc.caller.can(anjian_domain::scope::Permission::Enforce),
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

async fn report(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = Numbers::new(&form);
    let input = TransferInput {
        case_id: n.int("case_id", "案件编号"),
        enterprise_id: n.int("enterprise_id", "企业编号"),
        subject: form.get("subject"),
        crime_type: form.get("crime_type"),
        facts: form.get("facts"),
        officers: form
            .get("officers")
            .split(['、', ',', '，', ' '])
            .map(str::to_string)
            .collect(),
        persons: n.int("persons", "涉嫌犯罪人数"),
        ..Default::default()
    };
    if !n.errors.is_empty() {
        return list_page(&state, &pc, None, Kept::refused("report", &form, n.errors)).await;
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.report_transfer(&caller, &input)).await {
        Ok(v) => Ok(see_other(&format!("/transfers/{}", v.transfer.id))),
        Err(e) => {
            let kept = Kept::refused("report", &form, refusal(e)?);
            list_page(&state, &pc, None, kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "transfer_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: TransferView,
    officers: String,
    actions: Vec<(String, String)>,
    docs: crate::ui::documents::DocPanel,
    /// Approved, but the 移送书 is still to be issued before the transfer can be recorded.
    letter_missing: bool,
    kept: Kept,
}

pub(crate) async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v, docs) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.transfer(&caller, id)?,
            app.documents(&caller, Some(("transfer", id)))?,
        ))
    })
    .await?;
    let letter_missing = v.transfer.status == anjian_domain::transfer::TransferState::Approved
        && !docs
            .iter()
            .any(|d| d.doc_type == anjian_app::transfers::TRANSFER_LETTER);
    let officers: Vec<String> = serde_json::from_str(&v.transfer.officers).unwrap_or_default();
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "行刑衔接", "transfers"),
        officers: officers.join("、"),
        actions: v
            .allowed_actions
            .iter()
            .map(|a| (a.to_string(), action_label(a).to_string()))
            .collect(),
        v,
        docs: crate::ui::documents::DocPanel::new(pc, "transfer", id, docs)
            .today(state.app.clock.today()),
        letter_missing,
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
    let action = form.get("action");
    let s = TransferStep {
        action: form.get("action"),
        version: form.get("version").parse().ok(),
        date: form.opt("date"),
        reason: form.opt("reason"),
        police_unit: form.opt("police_unit"),
        notified_on: form.opt("notified_on"),
        outcome: form.opt("outcome"),
        time: form.opt("time"),
        approver: form.opt("approver"),
        capacity: form.opt("capacity"),
        copied_to: form.opt("copied_to"),
        accepted_on: form.opt("accepted_on"),
        police_limit: form.opt("police_limit"),
        procuratorate: form.opt("procuratorate"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.transfer_step(&caller, id, &s)).await {
        Ok(_) => Ok(see_other(&format!("/transfers/{id}"))),
        Err(e) => {
            let kept = Kept::refused(&format!("act.{action}"), &form, refusal(e)?);
            detail_page(&state, &pc, id, kept).await
        }
    }
}
