//! The closed-loop actions and the 一单四制 case actions submitted from a hazard's page.
//!
//! A refused step comes back on the page with what was typed in its form (`act.<action>` or
//! `case.<action>`) and its fields marked.

use super::detail::detail_page;
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::ui::{FieldErrors, Kept, Numbers, refusal, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::hazards::{ActionInput, EvidenceFile};
use axum::extract::State;
use axum::response::Response;

pub(super) async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    act_with(&state, &pc, id, form, Vec::new()).await
}

/// A step submitted with its evidence photos in one multipart form (the report of a
/// rectification). A refused step stores no photo and keeps what was typed; the photos must
/// be chosen again (a browser cannot fill a file input), and the message says so.
pub(super) async fn act_with_evidence(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        let kept = Kept::message("act.report", "请以页面上的表单提交");
        return detail_page(&state, &pc, id, kept, None).await;
    };
    let (form, files) = match crate::files::read_form_with_files(mp, EVIDENCE).await {
        Ok(read) => read,
        Err((e, form)) => {
            // What was read of the form before the body was refused, if it carries the
            // page's CSRF token (the fields come before the photos on the page).
            pc.check_csrf(&form)?;
            let tag = format!("act.{}", form.get("action"));
            let errors = photos_again(super::attachments::upload_errors(&e));
            return detail_page(&state, &pc, id, Kept::refused(&tag, &form, errors), None).await;
        }
    };
    pc.check_csrf(&form)?;
    act_with(&state, &pc, id, form, files).await
}

/// The form field of the photos that come with a step.
const EVIDENCE: &str = "evidence";

/// A refusal of a step that came with photos also says to choose them again.
fn photos_again(errors: FieldErrors) -> FieldErrors {
    crate::ui::photos_again(errors, EVIDENCE)
}

async fn act_with(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    form: FormPairs,
    files: Vec<EvidenceFile>,
) -> Result<Response, PageError> {
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
    let with_photos = !files.is_empty();
    let again = |errors: FieldErrors| {
        if with_photos {
            photos_again(errors)
        } else {
            errors
        }
    };
    if !n.errors.is_empty() {
        let kept = Kept::refused(&tag, &form, again(n.errors));
        return detail_page(state, pc, id, kept, None).await;
    }
    let caller = pc.caller.clone();
    match blocking(state, move |app| {
        app.hazard_action_with_evidence(&caller, id, &input, files)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(e) => {
            let kept = Kept::refused(&tag, &form, again(refusal(e)?));
            detail_page(state, pc, id, kept, None).await
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
