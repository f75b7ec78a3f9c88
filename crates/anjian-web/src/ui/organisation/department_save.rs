//! Saving a department from its form: refused input shows the form again with its messages.

use super::department_form::department_form;
use super::*;

fn department_from_form(f: &FormPairs, region_code: String) -> DepartmentDraft {
    let sectors =
        f.0.iter()
            .filter_map(|(k, _)| k.strip_prefix("sector."))
            .map(|code| SectorDraft {
                sector_code: code.to_string(),
                decision_no: f.opt(&format!("decision_no.{code}")),
                decided_on: f.opt(&format!("decided_on.{code}")),
                note: f.get(&format!("note.{code}")),
            })
            .collect();
    DepartmentDraft {
        region_code,
        name: f.get("name"),
        short_name: f.get("short_name"),
        is_member_unit: f.flag("is_member_unit"),
        has_supervision_duty: f.flag("has_supervision_duty"),
        is_industry_authority: f.flag("is_industry_authority"),
        sort_order: f.get("sort_order").parse().unwrap_or(100),
        sectors,
    }
}

async fn save_department(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    require_manage(&pc)?;
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let version: i64 = form.get("version").parse().unwrap_or(0);
    let region = caller.user.region_code.clone();
    let input = department_from_form(&form, region);
    let sort = form.get("sort_order");
    if !sort.is_empty() && sort.parse::<i64>().is_err() {
        let mut e = BTreeMap::new();
        e.insert("sort_order".to_string(), vec!["排序应为整数".to_string()]);
        return department_form(&state, &pc, id, input, version, e.into()).await;
    }
    let i2 = input.clone();
    let result = blocking(&state, move |app| match id {
        Some(id) => {
            // An edit keeps the department's own region; the form does not choose it.
            let current = app.get_department(&caller, id)?;
            let input = DepartmentDraft {
                region_code: current.region_code,
                ..i2
            };
            app.update_department(&caller, id, version, &input)
        }
        None => app.create_department(&caller, &i2).map(|_| ()),
    })
    .await;
    match result {
        Ok(()) => Ok(see_other("/departments?saved=1")),
        Err(AppError::Validation(v)) => {
            department_form(&state, &pc, id, input, version, v.fields.into()).await
        }
        Err(AppError::Conflict(m)) => {
            let mut e = BTreeMap::new();
            e.insert("_".to_string(), vec![m]);
            department_form(&state, &pc, id, input, version, e.into()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn create_department(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    save_department(state, pc, form, None).await
}

pub(super) async fn update_department(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    save_department(state, pc, form, Some(id)).await
}
