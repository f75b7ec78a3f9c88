//! The closed-loop actions and the 一单四制 case actions submitted from a hazard's page.
//!
//! A refused step comes back on the page with what was typed in its form (`act.<action>` or
//! `case.<action>`) and its fields marked.

use super::detail::detail_page;
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::ui::{Kept, Numbers, refusal, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::hazards::ActionInput;
use axum::extract::State;
use axum::response::Response;

pub(super) async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let tag = format!("act.{}", form.get("action"));
    let present = |k: &str| form.0.iter().any(|(key, _)| key == k).then(|| form.get(k));
    let mut n = Numbers::new(&form);
    let input = ActionInput {
        action: form.get("action"),
        version: n.int("version", "版本号"),
        note: form.opt("note"),
        deadline: form.opt("deadline"),
        deadline_days: n
            .int("deadline_days", "整改天数")
            .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
        deadline_basis: form.opt("deadline_basis"),
        responsible_unit: present("responsible_unit"),
        responsible_person: present("responsible_person"),
        measures: present("measures"),
        funds_planned: n.int("funds_planned", "计划资金"),
        funds_spent: n.int("funds_spent", "实际投入资金"),
        emergency_plan: present("emergency_plan"),
    };
    if !n.errors.is_empty() {
        let kept = Kept::refused(&tag, &form, n.errors);
        return detail_page(&state, &pc, id, kept, None).await;
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.hazard_action(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(e) => {
            let kept = Kept::refused(&tag, &form, refusal(e)?);
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}

pub(super) async fn case_act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let tag = format!("case.{}", form.get("action"));
    let has = |k: &str| form.0.iter().any(|(key, _)| key == k).then(|| form.get(k));
    let mut n = Numbers::new(&form);
    let input = anjian_app::major::CaseInput {
        action: form.get("action"),
        version: n.int("version", "版本号"),
        note: has("note"),
        basis_standard: has("basis_standard"),
        basis_clause: has("basis_clause"),
        determined_by: has("determined_by"),
        tier: has("tier"),
        assignment_no: has("assignment_no"),
        assigning_unit: has("assigning_unit"),
        coordinating_supervisor: has("coordinating_supervisor"),
        deadline: form.opt("deadline"),
        responsible_unit: has("responsible_unit"),
        responsible_person: has("responsible_person"),
        measures: has("measures"),
        funds_planned: n.int("funds_planned", "治理资金"),
        emergency_plan: has("emergency_plan"),
        progress: n.int("progress", "整改进度"),
    };
    if !n.errors.is_empty() {
        let kept = Kept::refused(&tag, &form, n.errors);
        return detail_page(&state, &pc, id, kept, None).await;
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.major_action(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(e) => {
            let kept = Kept::refused(&tag, &form, refusal(e)?);
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}
