//! The ranking, its Excel ledger and the county's ranking rule.

use super::*;
#[utoipa::path(
    get,
    path = "/ranking",
    tag = "statistics",
    summary = "一月一调度、一季一排名：各乡镇或部门的比数量、比增量、比质量得分及构成（period=2022-05 或 2022-Q3，默认本季度；by=township|department）",
    params(crate::query::RankQuery),
    responses((status = 200, description = "排名", body = anjian_app::ranking::Ranking))
)]

pub(super) async fn ranking(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::RankQuery>,
) -> ApiResult<Json<anjian_app::ranking::Ranking>> {
    let (period, by) = crate::query::rank_of(&q, state.app.clock.today())?;
    let r = blocking(&state, move |app| app.ranking(&a.caller, &period, &by)).await?;
    Ok(Json(r))
}
#[utoipa::path(
    get,
    path = "/ranking/export",
    tag = "statistics",
    summary = "排名表（Excel）",
    params(crate::query::RankQuery),
    responses((status = 200, description = "排名表", content_type = XLSX, body = Binary))
)]

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
#[utoipa::path(
    get,
    path = "/ranking-rule",
    tag = "statistics",
    summary = "排名规则：三项分值、数量指标及权重、质量比率",
    responses((status = 200, description = "规则", body = anjian_app::ranking::RankingRule))
)]

pub(super) async fn rule_get(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<anjian_app::ranking::RankingRule>> {
    let r = blocking(&state, move |app| app.ranking_rule()).await?;
    Ok(Json(r))
}
#[utoipa::path(
    put,
    path = "/ranking-rule",
    tag = "statistics",
    summary = "修改排名规则（管理员）",
    request_body = anjian_app::ranking::RankingRule,
    responses((status = 200, description = "保存后的规则", body = anjian_app::ranking::RankingRule))
)]

pub(super) async fn rule_put(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(rule): AppJson<anjian_app::ranking::RankingRule>,
) -> ApiResult<Json<anjian_app::ranking::RankingRule>> {
    let r = blocking(&state, move |app| app.set_ranking_rule(&a.caller, &rule)).await?;
    Ok(Json(r))
}
