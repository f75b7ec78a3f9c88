//! The event's page: what happened, the rounds of response (the 安委办 adds and removes
//! them), and the townships' table, where a township fills in its own row (its other rows are
//! not shown to it) and the 安委办 checks each reported row.

use super::*;
use anjian_app::disasters::{DisasterEventDetail, DisasterFigureDraft, DisasterRoundDraft};
use anjian_domain::disaster::DisasterResponseLevel;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;

#[derive(Template)]
#[template(path = "disaster_detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: DisasterEventDetail,
    period: String,
    levels: Vec<(&'static str, &'static str)>,
    dispatch: crate::ui::dispatch::DispatchPanel,
    kept: Kept,
}

impl DetailPage {
    /// A township row's field: as typed in its refused form, else the figure's.
    fn fig(&self, code: &str, k: &str) -> String {
        let kept = self.kept.step("figure", code);
        let current = self
            .d
            .townships
            .iter()
            .find(|t| t.region_code == code)
            .and_then(|t| t.figure.as_ref())
            .map(|f| DisasterFigureDraft::from(&f.figure));
        let default = current
            .map(|f| match k {
                "evacuated" => f.evacuated,
                "relocated" => f.relocated,
                "houses_damaged" => f.houses_damaged.unwrap_or_default(),
                "loss_yuan" => f.loss_yuan.unwrap_or_default(),
                _ => f.note,
            })
            .unwrap_or_default();
        kept.val(k, &default)
    }

    /// ` invalid` for a township row's refused field.
    fn fig_inv(&self, code: &str, k: &str) -> &'static str {
        if self.kept.step("figure", code).errors.0.contains_key(k) {
            " invalid"
        } else {
            ""
        }
    }

    /// The messages of a township row's refusal.
    fn fig_errors(&self, code: &str) -> String {
        self.kept.step("figure", code).summary()
    }

    /// A local time as the page shows it.
    fn minute(t: &chrono::NaiveDateTime) -> String {
        anjian_domain::minute::text(*t)
    }

    fn round_end(&self, t: &Option<chrono::NaiveDateTime>) -> String {
        t.as_ref()
            .map(Self::minute)
            .unwrap_or_else(|| "进行中".into())
    }
}

async fn page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.disaster_event_detail(&caller, id)?,
        ))
    })
    .await?;
    let dispatch = crate::ui::dispatch::DispatchPanel::load(state, pc, "disaster", id).await?;
    let p = DetailPage {
        chrome: Chrome::new(pc, instance, &d.event.event.name, "disasters"),
        dispatch,
        period: period_text(&d.event),
        d,
        levels: DisasterResponseLevel::ALL
            .iter()
            .map(|l| (l.as_str(), l.label()))
            .collect(),
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    page(&state, &pc, id, Kept::none()).await
}

fn not_found() -> PageError {
    PageError::App(anjian_app::AppError::NotFound)
}

fn two(p: Result<Path<(String, String)>, PathRejection>) -> Result<(i64, String), PageError> {
    let Path((id, second)) = p.map_err(|_| not_found())?;
    let id = crate::extract::parse_id(&id).map_err(|_| not_found())?;
    Ok((id, second))
}

fn version_of(form: &FormPairs) -> i64 {
    form.get("version").parse::<i64>().unwrap_or(0)
}

pub(super) async fn delete(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let version = version_of(&form);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.delete_disaster_event(&caller, id, version)
    })
    .await
    {
        Ok(()) => Ok(see_other("/disaster-events?saved=1")),
        Err(e) => {
            let kept = Kept::refused("delete", &form, super::super::refusal(e)?);
            page(&state, &pc, id, kept).await
        }
    }
}

pub(super) async fn add_round(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = DisasterRoundDraft {
        started_at: form.get("started_at").replace('T', " "),
        ended_at: Some(form.get("ended_at").replace('T', " ")).filter(|s| !s.trim().is_empty()),
        response_level: form.get("response_level"),
        account: form.get("account"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.add_disaster_round(&caller, id, &d)).await {
        Ok(_) => Ok(see_other(&format!("/disaster-events/{id}"))),
        Err(e) => {
            let kept = Kept::refused("round", &form, super::super::refusal(e)?);
            page(&state, &pc, id, kept).await
        }
    }
}

pub(super) async fn delete_round(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (id, round) = two(p)?;
    let round = crate::extract::parse_id(&round).map_err(|_| not_found())?;
    let version = version_of(&form);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.delete_disaster_round(&caller, id, round, version)
    })
    .await
    {
        Ok(()) => Ok(see_other(&format!("/disaster-events/{id}"))),
        Err(e) => {
            let kept = Kept::refused("delete_round", &form, super::super::refusal(e)?);
            page(&state, &pc, id, kept).await
        }
    }
}

pub(super) async fn report(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (id, township) = two(p)?;
    let version = Some(version_of(&form)).filter(|v| *v > 0);
    let d = DisasterFigureDraft {
        evacuated: form.get("evacuated"),
        relocated: form.get("relocated"),
        houses_damaged: Some(form.get("houses_damaged")),
        loss_yuan: Some(form.get("loss_yuan")),
        note: form.get("note"),
    };
    let caller = pc.caller.clone();
    let code = township.clone();
    match blocking(&state, move |app| {
        app.report_disaster_figure(&caller, id, &code, version, &d)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/disaster-events/{id}?saved=1"))),
        Err(e) => {
            let kept = Kept::refused(
                &format!("figure.{township}"),
                &form,
                super::super::refusal(e)?,
            );
            page(&state, &pc, id, kept).await
        }
    }
}

pub(super) async fn check(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (id, township) = two(p)?;
    let version = version_of(&form);
    let caller = pc.caller.clone();
    let code = township.clone();
    match blocking(&state, move |app| {
        app.check_disaster_figure(&caller, id, &code, version)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/disaster-events/{id}"))),
        Err(e) => {
            let kept = Kept::refused(
                &format!("figure.{township}"),
                &form,
                super::super::refusal(e)?,
            );
            page(&state, &pc, id, kept).await
        }
    }
}
