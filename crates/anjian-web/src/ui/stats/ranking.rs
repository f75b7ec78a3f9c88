//! The dispatch ranking (调度排名).

use crate::extract::PageCaller;
use crate::query::{RankQuery, rank_of};
use crate::ui::{Chrome, render_refused};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "ranking.html")]
struct RankingPage {
    chrome: Chrome,
    period: String,
    by: String,
    ranking: anjian_app::ranking::Ranking,
}

pub(super) async fn ranking(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<RankQuery>,
) -> Result<Response, PageError> {
    let (anchor, notice) = super::default_anchor(&state, &pc, super::given(&q.period)).await?;
    let (period, by) = rank_of(&q, anchor).map_err(|e| AppError::BadRequest(e.message))?;
    let caller = pc.caller.clone();
    let p = period.clone();
    let b = by.clone();
    let (instance, ranking) = blocking(&state, move |app| {
        Ok((app.instance_name()?, app.ranking(&caller, &p, &b)?))
    })
    .await?;
    let page = RankingPage {
        chrome: Chrome::new(&pc, instance, "调度排名", "ranking").notice(notice),
        period: period.code,
        by,
        ranking,
    };
    Ok(render_refused(&page, false))
}
