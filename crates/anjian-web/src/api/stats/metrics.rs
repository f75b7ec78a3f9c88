//! The metric catalogue, values over a period and scope, and drill-downs, as JSON or Excel.

use super::*;
use anjian_app::records::stats::{DrillRow, StatFilter};
use anjian_app::stats::MetricValue;

/// A metric of the catalogue.
#[derive(Serialize, ToSchema)]
pub(super) struct CatalogueEntry {
    id: String,
    section: &'static str,
    label: String,
    unit: String,
    definition: String,
    /// 数据来源
    source: &'static str,
}

/// The metrics' values over a period and statistical scope.
#[derive(Serialize, ToSchema)]
pub(super) struct Values {
    period: String,
    period_name: String,
    #[schema(value_type = chrono::NaiveDate)]
    from: String,
    #[schema(value_type = chrono::NaiveDate)]
    to: String,
    filter: StatFilter,
    items: Vec<MetricValue>,
}

/// A metric's value and every record counted in it.
#[derive(Serialize, ToSchema)]
pub(super) struct Drill {
    period: String,
    #[schema(value_type = chrono::NaiveDate)]
    from: String,
    #[schema(value_type = chrono::NaiveDate)]
    to: String,
    filter: StatFilter,
    metric: MetricValue,
    /// 统计范围适用于该指标的记录
    applicable: bool,
    records: Vec<DrillRow>,
}

/// The `{id}` of a metric's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `Path<String>`; this names it in the document
pub(super) struct MetricPath {
    /// 指标代码
    id: String,
}
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "statistics",
    summary = "指标目录：代码、名称、单位、口径",
    responses((status = 200, description = "指标", body = Items<CatalogueEntry>))
)]

pub(super) async fn catalogue(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<Items<CatalogueEntry>>> {
    let cat = blocking(&state, move |app| app.metric_catalogue()).await?;
    let items = cat
        .iter()
        .map(|m| CatalogueEntry {
            id: m.id.clone(),
            section: m.section,
            label: m.label.clone(),
            unit: m.unit.clone(),
            definition: m.definition.clone(),
            source: m.source.key,
        })
        .collect();
    Ok(Items::of(items))
}
#[utoipa::path(
    get,
    path = "/metrics/values",
    tag = "statistics",
    summary = "各指标在统计期间、统计范围内的数值（ids=逗号分隔的指标代码，可选）",
    params(crate::query::StatQuery),
    responses((status = 200, description = "数值", body = Values), (status = 400, description = "ids 中有不存在的指标代码", body = crate::api::openapi::ErrorBody))
)]

pub(super) async fn values(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Json<Values>> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let ids: Option<Vec<String>> = q.ids.as_ref().map(|s| {
        s.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    });
    let p = period.clone();
    let ff = f.clone();
    let items = blocking(&state, move |app| {
        app.metric_values(&a.caller, &p, &ff, ids.as_deref())
    })
    .await?;
    Ok(Json(Values {
        period_name: period.name(),
        period: period.code,
        from: period.from.to_string(),
        to: period.to.to_string(),
        filter: f,
        items,
    }))
}
#[utoipa::path(
    get,
    path = "/metrics/values/export",
    tag = "statistics",
    summary = "指标统计表（Excel）",
    params(crate::query::StatQuery),
    responses((status = 200, description = "统计表", content_type = XLSX, body = Binary))
)]

pub(super) async fn values_export(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Response> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let name = format!("metrics-{}.xlsx", period.code);
    let bytes = blocking(&state, move |app| {
        app.metric_values_ledger(&a.caller, &period, &f)
    })
    .await?;
    Ok(crate::api::xlsx_file(bytes, &name))
}
#[utoipa::path(
    get,
    path = "/metrics/{id}",
    tag = "statistics",
    summary = "指标数值及计入的全部记录（明细合计等于数值）",
    params(MetricPath, crate::query::StatQuery),
    responses((status = 200, description = "数值与明细", body = Drill))
)]

pub(super) async fn drill(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(id): Path<String>,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Json<Drill>> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let limit = crate::api::int_param("limit", &q.limit, 1, 100_000)?.unwrap_or(10_000);
    let p = period.clone();
    let ff = f.clone();
    let (metric, records) = blocking(&state, move |app| {
        app.metric_drill(&a.caller, &id, &p, &ff, limit)
    })
    .await?;
    Ok(Json(Drill {
        from: period.from.to_string(),
        to: period.to.to_string(),
        period: period.code,
        filter: f,
        metric,
        applicable: records.is_some(),
        records: records.unwrap_or_default(),
    }))
}
#[utoipa::path(
    get,
    path = "/metrics/{id}/export",
    tag = "statistics",
    summary = "指标明细（Excel）",
    params(MetricPath, crate::query::StatQuery),
    responses((status = 200, description = "明细表", content_type = XLSX, body = Binary))
)]

pub(super) async fn drill_export(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(id): Path<String>,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Response> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let name = format!("{id}-{}.xlsx", period.code);
    let bytes = blocking(&state, move |app| {
        app.metric_drill_ledger(&a.caller, &id, &period, &f)
    })
    .await?;
    Ok(crate::api::xlsx_file(bytes, &name))
}
