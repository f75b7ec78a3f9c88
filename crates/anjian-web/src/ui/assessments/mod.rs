//! The year's assessment (考核): the list of rubrics and evaluations, an evaluation's
//! ranking with approval, the recomputation against the frozen results; rubric forms in
//! `rubrics`, a unit's page (scores, evidence, objections, the records behind each
//! deduction) in `units`.

mod rubrics;
mod units;

use super::{Chrome, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::assessments::{EvaluationView, ObjectionView, Recompute, RubricView};
use anjian_app::records::assessments::Assessment;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessments", get(list).post(create))
        .route("/assessments/{id}", get(detail))
        .route("/assessments/{id}/approve", post(approve))
        .route("/assessments/{id}/recompute", get(recompute))
        .merge(rubrics::router())
        .merge(units::router())
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct ListPage {
    chrome: Chrome,
    rubrics: Vec<RubricView>,
    assessments: Vec<Assessment>,
    /// The 安委办 maintains rubrics and starts evaluations.
    can_configure: bool,
    can_start: bool,
    kept: Kept,
}

async fn list(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    list_page(&state, &pc, Kept::none()).await
}

async fn list_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, rubrics, assessments) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.rubrics(&caller, None)?,
            app.assessments(&caller, None)?,
        ))
    })
    .await?;
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "年度考核", "assessments"),
        rubrics,
        assessments,
        can_configure: pc.caller.can(Permission::ConfigureCounty),
        can_start: pc.caller.can(Permission::DecideAsCountyOffice),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = anjian_app::assessments::AssessmentInput {
        rubric_id: form.get("rubric_id").trim().parse().unwrap_or(0),
        round: form.get("round"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_assessment(&caller, &input)).await {
        Ok(a) => Ok(see_other(&format!("/assessments/{}", a.id))),
        Err(e) => {
            let kept = Kept::refused("start", &form, refusal(e)?);
            list_page(&state, &pc, kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "assessment_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: EvaluationView,
    objections: Vec<ObjectionView>,
    can_approve: bool,
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v, objections) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.assessment(&caller, id)?,
            app.objection_views(&caller, Some(id))?,
        ))
    })
    .await?;
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "年度考核", "assessments"),
        can_approve: v.allowed_actions.contains(&"approve"),
        v,
        objections,
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

async fn approve(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let version = form.get("version").trim().parse().unwrap_or(0);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.approve_assessment(&caller, id, version)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/assessments/{id}"))),
        Err(e) => {
            let kept = Kept::refused("approve", &form, refusal(e)?);
            detail_page(&state, &pc, id, kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "assessment_recompute.html")]
struct RecomputePage {
    chrome: Chrome,
    r: Recompute,
}

async fn recompute(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, r) = blocking(&state, move |app| {
        Ok((app.instance_name()?, app.recompute_assessment(&caller, id)?))
    })
    .await?;
    Ok(super::render(&RecomputePage {
        chrome: Chrome::new(&pc, instance, "年度考核", "assessments"),
        r,
    }))
}

/// A number of points as people write it (12.5, 3, 0.25).
pub(crate) fn points(v: &f64) -> String {
    anjian_domain::assessment::centi_text(anjian_domain::assessment::centi(*v))
}

/// An optional score: its points, or 未评分.
pub(crate) fn score(v: &Option<f64>) -> String {
    v.as_ref().map_or_else(|| "未评分".into(), points)
}

impl ListPage {
    fn pts(&self, v: &f64) -> String {
        points(v)
    }
}

impl DetailPage {
    fn day(&self, t: &str) -> String {
        t.get(..10).unwrap_or(t).to_string()
    }
    fn pts(&self, v: &f64) -> String {
        points(v)
    }
    fn sc(&self, v: &Option<f64>) -> String {
        score(v)
    }
}

impl RecomputePage {
    fn pts(&self, v: &f64) -> String {
        points(v)
    }
    fn href(&self, entity: &str, id: &Option<i64>) -> String {
        super::stats::metrics::href_of(entity, *id)
    }
}
