//! The closed-loop actions and the 一单四制 case actions submitted from a hazard's page.

use super::detail::detail_page;
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::ui::{FieldErrors, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
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
    let num = |k: &str| -> Result<Option<i64>, String> {
        let v = form.get(k);
        if v.is_empty() {
            Ok(None)
        } else {
            v.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{k} 应为整数"))
        }
    };
    let parsed = (|| -> Result<ActionInput, String> {
        Ok(ActionInput {
            action: form.get("action"),
            version: num("version")?,
            note: form.opt("note"),
            deadline: form.opt("deadline"),
            deadline_days: num("deadline_days")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            deadline_basis: form.opt("deadline_basis"),
            responsible_unit: form
                .0
                .iter()
                .any(|(k, _)| k == "responsible_unit")
                .then(|| form.get("responsible_unit")),
            responsible_person: form
                .0
                .iter()
                .any(|(k, _)| k == "responsible_person")
                .then(|| form.get("responsible_person")),
            measures: form
                .0
                .iter()
                .any(|(k, _)| k == "measures")
                .then(|| form.get("measures")),
            funds_planned: num("funds_planned")?,
            funds_spent: num("funds_spent")?,
            emergency_plan: form
                .0
                .iter()
                .any(|(k, _)| k == "emergency_plan")
                .then(|| form.get("emergency_plan")),
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err(m) => return detail_page(&state, &pc, id, FieldErrors::general(m), None).await,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.hazard_action(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(AppError::Validation(v)) => detail_page(&state, &pc, id, v.fields.into(), None).await,
        Err(AppError::Conflict(m)) | Err(AppError::Forbidden(m)) => {
            detail_page(&state, &pc, id, FieldErrors::general(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn case_act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let num = |k: &str| -> Result<Option<i64>, String> {
        let v = form.get(k);
        if v.is_empty() {
            Ok(None)
        } else {
            v.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{k} 应为整数"))
        }
    };
    let has = |k: &str| form.0.iter().any(|(key, _)| key == k).then(|| form.get(k));
    let parsed = (|| -> Result<anjian_app::major::CaseInput, String> {
        Ok(anjian_app::major::CaseInput {
            action: form.get("action"),
            version: num("version")?,
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
            funds_planned: num("funds_planned")?,
            emergency_plan: has("emergency_plan"),
            progress: num("progress")?,
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err(m) => return detail_page(&state, &pc, id, FieldErrors::general(m), None).await,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.major_action(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(AppError::Validation(v)) => detail_page(&state, &pc, id, v.fields.into(), None).await,
        Err(AppError::Conflict(m)) | Err(AppError::Forbidden(m)) => {
            detail_page(&state, &pc, id, FieldErrors::general(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}
