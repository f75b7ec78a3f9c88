//! 控制指标: the county's accident control targets for a year, each with its current value
//! (drilling down to the records) and standing; the 安委办 sets them on the same page.

use super::super::indicators::{
    IndicatorRow, comparator_choices, indicators_of, metric_choices, rows_of,
};
use super::super::{Chrome, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::App;
use anjian_app::accidents::{ControlTargetsInput, ControlTargetsView};
use anjian_app::letters::IndicatorInput;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "accident_targets.html")]
struct TargetsPage {
    chrome: Chrome,
    v: ControlTargetsView,
    can_drill: bool,
    can_set: bool,
    kept: Kept,
    rows: Vec<IndicatorRow>,
    metrics: Vec<(String, String)>,
    /// The metric choice of a blank row.
    blank_metric: &'static str,
    comparators: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct YearQuery {
    year: Option<String>,
}

/// The year asked for (the current one when none or not a year).
fn year_asked(state: &AppState, typed: Option<&str>) -> i64 {
    typed
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| i64::from(chrono::Datelike::year(&state.app.clock.today())))
}

pub(super) async fn page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let year = year_asked(&state, q.year.as_deref());
    targets_page(&state, &pc, year, Kept::none()).await
}

async fn targets_page(
    state: &AppState,
    pc: &PageCaller,
    year: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let can_set = App::may_set_control_targets(&pc.caller);
    let (instance, v, given, metrics) = blocking(state, move |app| {
        let given: Vec<IndicatorInput> = app.accident_control_target_inputs(&caller, year)?;
        let metrics = if can_set {
            metric_choices(app)?
        } else {
            Vec::new()
        };
        Ok((
            app.instance_name()?,
            app.accident_control_targets(&caller, year)?,
            given,
            metrics,
        ))
    })
    .await?;
    let page = TargetsPage {
        chrome: Chrome::new(
            pc,
            instance,
            &format!("{year}年度事故控制指标"),
            "accidents",
        ),
        can_drill: pc.caller.can(Permission::ViewCountyWork),
        can_set,
        rows: rows_of(&kept, &given),
        kept,
        v,
        metrics,
        blank_metric: "（请选择统计指标）",
        comparators: comparator_choices(),
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

/// Sets the year's targets from the form; a refusal shows the page again with the rows as
/// typed and each bad row marked.
pub(super) async fn save(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let year = year_asked(&state, Some(&form.get("year")));
    let mut errors = super::super::FieldErrors::default();
    let indicators = indicators_of(&form, &mut errors);
    if !errors.is_empty() {
        let kept = Kept::refused("targets", &form, errors);
        return targets_page(&state, &pc, year, kept).await;
    }
    let caller = pc.caller.clone();
    let input = ControlTargetsInput { indicators };
    let r = blocking(&state, move |app| {
        app.set_accident_control_targets(&caller, year, &input)
    })
    .await;
    match r {
        Ok(_) => Ok(see_other(&format!("/accidents/targets?year={year}"))),
        Err(e) => {
            let kept = Kept::refused("targets", &form, refusal(e)?);
            targets_page(&state, &pc, year, kept).await
        }
    }
}
