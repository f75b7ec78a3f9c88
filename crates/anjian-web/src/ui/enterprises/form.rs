//! The form that registers an enterprise or edits one, and its submission.

use super::{region_options, statuses};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::ui::{Chrome, render, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_domain::enterprise::{EnterpriseInput, LicenceInput, RISK_GRADES};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "enterprise_form.html")]
struct FormPage {
    chrome: Chrome,
    action: String,
    cancel: String,
    version: String,
    v: EnterpriseInput,
    errors: crate::ui::FieldErrors,
    summary: String,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    departments: Vec<(i64, String)>,
    statuses: Vec<(String, String)>,
    grades: Vec<(String, String)>,
    licence_rows: Vec<(usize, LicenceInput, String, String, String, String)>,
}

impl FormPage {
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    v: EnterpriseInput,
    errors: crate::ui::FieldErrors,
    id: Option<i64>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, regions, sectors, departments) = blocking(state, move |app| {
        let sectors: Vec<(String, String)> = app
            .list_sectors(&caller)?
            .into_iter()
            .filter(|s| {
                s.active
                    && caller
                        .enterprise_write_scope()
                        .admits_sectors(&[s.code.as_str()])
            })
            .map(|s| (s.code, s.name))
            .collect();
        let deps = app
            .list_departments(&caller)?
            .into_iter()
            .filter(|d| d.has_supervision_duty)
            .map(|d| (d.id, d.short_name))
            .collect();
        Ok((
            app.instance_name()?,
            region_options(app, &caller, true)?,
            sectors,
            deps,
        ))
    })
    .await?;
    let mut licences = v.licences.clone();
    licences.push(LicenceInput::default());
    let licence_rows = licences
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            (
                i,
                l,
                format!("licences[{i}].kind"),
                format!("licences[{i}].number"),
                format!("licences[{i}].valid_from"),
                format!("licences[{i}].valid_to"),
            )
        })
        .collect();
    let title = if id.is_some() {
        "编辑企业信息"
    } else {
        "登记企业"
    };
    let page = FormPage {
        chrome: Chrome::new(pc, instance, title, "enterprises"),
        action: id
            .map(|i| format!("/enterprises/{i}/edit"))
            .unwrap_or("/enterprises/new".into()),
        cancel: id
            .map(|i| format!("/enterprises/{i}"))
            .unwrap_or("/enterprises".into()),
        version: v.version.map(|x| x.to_string()).unwrap_or_default(),
        summary: errors.summary(),
        v,
        errors,
        regions,
        sectors,
        departments,
        statuses: statuses(),
        grades: RISK_GRADES
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        licence_rows,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

fn require_edit(pc: &PageCaller) -> Result<(), PageError> {
    if pc.caller.enterprise_write_scope().writable {
        Ok(())
    } else {
        Err(PageError::App(pc.caller.refuse("登记或修改企业信息")))
    }
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    require_edit(&pc)?;
    form_page(
        &state,
        &pc,
        EnterpriseInput {
            status: Some("operating".into()),
            ..Default::default()
        },
        Default::default(),
        None,
    )
    .await
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    require_edit(&pc)?;
    let caller = pc.caller.clone();
    let e = blocking(&state, move |app| app.get_enterprise(&caller, id)).await?;
    form_page(
        &state,
        &pc,
        anjian_app::enterprises::to_input(&e),
        Default::default(),
        Some(id),
    )
    .await
}

fn input_from_form(f: &FormPairs) -> EnterpriseInput {
    let mut licences = Vec::new();
    for i in 0..50 {
        let g = |k: &str| f.get(&format!("licences[{i}].{k}"));
        if !f
            .0
            .iter()
            .any(|(k, _)| k.starts_with(&format!("licences[{i}].")))
        {
            break;
        }
        let l = LicenceInput {
            kind: g("kind"),
            number: g("number"),
            issuer: Some(g("issuer")),
            valid_from: Some(g("valid_from")),
            valid_to: Some(g("valid_to")),
        };
        if !(l.kind.is_empty() && l.number.is_empty()) {
            licences.push(l);
        }
    }
    EnterpriseInput {
        name: f.get("name"),
        uscc: f.get("uscc"),
        uscc_override: f.flag("uscc_override"),
        region_code: f.get("region_code"),
        address: f.get("address"),
        sector: None,
        sectors: f.all("sectors"),
        industry_code: f.opt("industry_code"),
        department_ids: f
            .all("department_ids")
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect(),
        above_scale: f.flag("above_scale"),
        is_key: f.flag("is_key"),
        legal_rep: f.opt("legal_rep"),
        legal_rep_phone: f.opt("legal_rep_phone"),
        principal: f.opt("principal"),
        principal_phone: f.opt("principal_phone"),
        principal_id_no: f.opt("principal_id_no"),
        status: f.opt("status"),
        risk_grade: f.opt("risk_grade"),
        licences,
        lng: Some(f.get("lng")),
        lat: Some(f.get("lat")),
        version: f.get("version").parse().ok(),
    }
}

async fn save(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = input_from_form(&form);
    if form
        .all("department_ids")
        .iter()
        .any(|d| d.parse::<i64>().is_err())
    {
        return form_page(
            &state,
            &pc,
            input,
            crate::ui::FieldErrors::general("监管部门参数无效，请刷新页面后重试".into()),
            id,
        )
        .await;
    }
    let caller = pc.caller.clone();
    let i2 = input.clone();
    let result = blocking(&state, move |app| match id {
        Some(id) => app.update_enterprise(&caller, id, &i2),
        None => app.create_enterprise(&caller, &i2),
    })
    .await;
    match result {
        Ok(e) => Ok(see_other(&format!("/enterprises/{}?saved=1", e.id))),
        Err(AppError::Validation(v)) => form_page(&state, &pc, input, v.fields.into(), id).await,
        Err(AppError::Forbidden(m)) => {
            let mut errors = BTreeMap::new();
            errors.insert("_".to_string(), vec![m]);
            let mut res = form_page(&state, &pc, input, errors.into(), id).await?;
            *res.status_mut() = axum::http::StatusCode::FORBIDDEN;
            Ok(res)
        }
        Err(AppError::Conflict(m)) => {
            let mut errors = BTreeMap::new();
            errors.insert("_".to_string(), vec![m]);
            let mut res = form_page(&state, &pc, input, errors.into(), id).await?;
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_edit(&pc)?;
    save(state, pc, form, None).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_edit(&pc)?;
    save(state, pc, form, Some(id))
        .await
        .map(IntoResponse::into_response)
}
