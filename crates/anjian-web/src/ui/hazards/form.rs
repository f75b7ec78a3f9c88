//! The registration form and its submission.

use super::{levels, sources};
use crate::extract::{FormPairs, PageCaller};
use crate::ui::{Chrome, FieldErrors, render, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::hazards::HazardInput;
use anjian_domain::hazard::Source;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "hazard_form.html")]
struct FormPage {
    chrome: Chrome,
    v: HazardInput,
    enterprise_id: String,
    errors: FieldErrors,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    sources: Vec<(String, String)>,
    campaigns: Vec<(String, String)>,
    /// The deadline typed is before today: the confirmation box shows, ticked as typed
    /// (`v.confirm_past_deadline`).
    past_deadline: bool,
    /// The campaign ledger row the hazard was found on (id, title): linked once registered.
    on_row: Option<(i64, String)>,
}

impl FormPage {
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    v: HazardInput,
    enterprise_id: String,
    errors: FieldErrors,
    on_row: Option<i64>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, regions, sectors, campaigns, on_row) = blocking(state, move |app| {
        let on_row = match on_row {
            Some(id) => Some((id, app.campaign_row(&caller, id)?.record.title)),
            None => None,
        };
        let campaigns = app
            .campaigns(&caller)?
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect::<Vec<_>>();
        let regions = app
            .list_regions(&caller, None, Some("village"))?
            .into_iter()
            .filter(|r| r.level == "township" || r.level == "village")
            .map(|r| {
                (
                    r.code,
                    if r.level == "village" {
                        format!("　└ {}", r.name)
                    } else {
                        r.name
                    },
                )
            })
            .collect();
        let scope = caller.hazard_scope();
        let sectors = app
            .list_sectors(&caller)?
            .into_iter()
            .filter(|s| s.active && scope.admits_sectors(&[s.code.as_str()]))
            .map(|s| (s.code, s.name))
            .collect();
        Ok((app.instance_name()?, regions, sectors, campaigns, on_row))
    })
    .await?;
    let mut sources = sources();
    if pc
        .caller
        .can(anjian_domain::scope::Permission::RegisterOwnHazardsOnly)
    {
        sources.retain(|s| s.0 == Source::SelfCheck.as_str());
    }
    let today = state.app.clock.today();
    let past_deadline = v
        .deadline
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .is_some_and(|d| d < today);
    let page = FormPage {
        chrome: Chrome::new(pc, instance, "登记隐患", "hazards"),
        past_deadline,
        v,
        enterprise_id,
        errors,
        regions,
        sectors,
        levels: levels(),
        sources,
        campaigns,
        on_row,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    if !pc.caller.hazard_scope().writable {
        return Err(PageError::App(pc.caller.refuse("登记隐患")));
    }
    let ent = pc
        .caller
        .user
        .enterprise_id
        .map(|e| e.to_string())
        .unwrap_or_default();
    // Found on a campaign ledger row: the form opens with the row's place and findings.
    if let Some(row) = q.get("campaign_row") {
        let id = row
            .trim()
            .parse::<i64>()
            .map_err(|_| PageError::App(AppError::NotFound))?;
        let caller = pc.caller.clone();
        let v = blocking(&state, move |app| {
            app.campaign_row_hazard_draft(&caller, id)
        })
        .await?;
        let ent = v.enterprise_id.map(|e| e.to_string()).unwrap_or(ent);
        return form_page(&state, &pc, v, ent, FieldErrors::default(), Some(id)).await;
    }
    let today = state.app.clock.today().to_string();
    let source = if pc
        .caller
        .can(anjian_domain::scope::Permission::RegisterOwnHazardsOnly)
    {
        "self_check"
    } else {
        "inspection"
    };
    let v = HazardInput {
        level: "general".into(),
        source: source.into(),
        found_on: today,
        ..Default::default()
    };
    form_page(&state, &pc, v, ent, FieldErrors::default(), None).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let enterprise_id = form.get("enterprise_id");
    let on_row = match form.opt("campaign_row") {
        Some(r) => Some(
            r.trim()
                .parse::<i64>()
                .map_err(|_| PageError::App(AppError::NotFound))?,
        ),
        None => None,
    };
    let v = HazardInput {
        enterprise_id: None,
        region_code: form.get("region_code"),
        sector: form.get("sector"),
        level: form.get("level"),
        source: form.get("source"),
        description: form.get("description"),
        found_on: form.get("found_on"),
        deadline: form.opt("deadline"),
        // The app refuses a deadline before today unless this is ticked.
        confirm_past_deadline: form.flag("confirm_past_deadline"),
        location: form.opt("location"),
        campaign: form.opt("campaign"),
        lng: form.opt("lng"),
        lat: form.opt("lat"),
        ..Default::default()
    };
    // The enterprise as typed or picked: its name, code or "名称（代码）".
    let caller = pc.caller.clone();
    let typed = enterprise_id.clone();
    let ent = match blocking(&state, move |app| app.resolve_enterprise(&caller, &typed)).await? {
        Ok(id) => id,
        Err(m) => {
            let mut e = BTreeMap::new();
            e.insert("enterprise_id".to_string(), vec![m]);
            return form_page(&state, &pc, v, enterprise_id, e.into(), on_row).await;
        }
    };
    let input = HazardInput {
        enterprise_id: ent,
        ..v.clone()
    };
    let caller = pc.caller.clone();
    let created = blocking(&state, move |app| match on_row {
        Some(row) => app.create_hazard_on_campaign_row(&caller, row, &input),
        None => app.create_hazard(&caller, &input).map(|h| h.hazard.id),
    })
    .await;
    match created {
        Ok(id) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(AppError::Validation(e)) => {
            form_page(&state, &pc, v, enterprise_id, e.fields.into(), on_row).await
        }
        Err(AppError::Forbidden(m)) => {
            form_page(
                &state,
                &pc,
                v,
                enterprise_id,
                FieldErrors::general(m),
                on_row,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
