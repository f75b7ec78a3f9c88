//! The ranking, its Excel ledger and the county's ranking rule.

use super::*;

pub(super) async fn ranking(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::RankQuery>,
) -> ApiResult<Json<Value>> {
    let (period, by) = crate::query::rank_of(&q, state.app.clock.today())?;
    let r = blocking(&state, move |app| app.ranking(&a.caller, &period, &by)).await?;
    Ok(Json(json!(r)))
}

pub(super) async fn ranking_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::RankQuery>,
) -> ApiResult<Response> {
    let (period, by) = crate::query::rank_of(&q, state.app.clock.today())?;
    let name = format!("ranking-{by}-{}.xlsx", period.code);
    let bytes = blocking(&state, move |app| {
        app.ranking_ledger(&a.caller, &period, &by)
    })
    .await?;
    Ok(crate::api::xlsx_file(bytes, &name))
}

pub(super) async fn rule_get(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.ranking_rule()).await?;
    Ok(Json(json!(r)))
}

pub(super) async fn rule_put(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(rule): AppJson<anjian_app::ranking::RankingRule>,
) -> ApiResult<Json<Value>> {
    let r = blocking(&state, move |app| app.set_ranking_rule(&a.caller, &rule)).await?;
    Ok(Json(json!(r)))
}
