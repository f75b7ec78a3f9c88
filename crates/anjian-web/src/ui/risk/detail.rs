//! A point's page: what it is, its grade and the assessment under review, every assessment
//! with who, when, why and its review, and the steps the caller may take (the same list the
//! use case accepts): edit, assess, submit, accept, return, retire.

use super::form::{FactorSelect, assessment_of, factor_selects, form_errors};
use super::*;
use anjian_app::risk::{RiskActionInput, RiskAssessInput, RiskPointDetail};

#[derive(Template)]
#[template(path = "risk_point.html")]
struct DetailPage {
    chrome: Chrome,
    d: RiskPointDetail,
    grade_class: &'static str,
    kept: Kept,
    lec: Vec<FactorSelect>,
    ls: Vec<FactorSelect>,
    /// The point has been assessed before: a new assessment names its reason.
    reassess: bool,
}

impl DetailPage {
    fn may(&self, action: &str) -> bool {
        self.d.view.allowed_actions.contains(&action)
    }

    fn class_of(&self, grade: &anjian_domain::risk_grade::Grade) -> &'static str {
        grade_class(Some(*grade))
    }
}

async fn page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    saved: bool,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.risk_point(&caller, id)?))
    })
    .await?;
    let title = if d.view.point.enterprise_id.is_some() {
        format!("{}：{}", d.view.point.enterprise_name, d.view.point.place)
    } else {
        format!(
            "{}（公共场所）：{}",
            d.view.point.region_name, d.view.point.place
        )
    };
    let (lec, ls) = factor_selects();
    let p = DetailPage {
        chrome: Chrome::new(pc, instance, &title, "risk_points").flash(saved.then_some("已保存")),
        grade_class: grade_class(d.view.point.grade),
        reassess: !d.history.is_empty(),
        d,
        kept,
        lec,
        ls,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    page(&state, &pc, id, Kept::none(), q.contains_key("saved")).await
}

pub(super) async fn assess(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = RiskAssessInput::new(
        form.get("version").trim().parse().unwrap_or(0),
        assessment_of(&form),
    );
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.assess_risk_point(&caller, id, &input)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/risk-points/{id}?saved=1"))),
        Err(e) => {
            let errors = form_errors(super::super::refusal(e)?, &form.get("method"));
            page(
                &state,
                &pc,
                id,
                Kept::refused("assess", &form, errors),
                false,
            )
            .await
        }
    }
}

pub(super) async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let action = form.get("action");
    let input = RiskActionInput {
        action: action.clone(),
        version: form.get("version").trim().parse().unwrap_or(0),
        reason: form.get("reason"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.risk_point_action(&caller, id, &input)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/risk-points/{id}?saved=1"))),
        Err(e) => {
            let kept = Kept::refused(&format!("act.{action}"), &form, super::super::refusal(e)?);
            page(&state, &pc, id, kept, false).await
        }
    }
}
