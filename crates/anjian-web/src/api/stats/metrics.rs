//! The metric catalogue, values over a period and scope, and drill-downs, as JSON or Excel.

use super::*;

pub(super) async fn catalogue(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<Value>> {
    let cat = blocking(&state, move |app| app.metric_catalogue()).await?;
    let items: Vec<Value> = cat
        .iter()
        .map(|m| {
            json!({"id": m.id, "section": m.section, "label": m.label, "unit": m.unit,
                   "definition": m.definition, "source": m.source.key})
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub(super) async fn values(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!({
        "period": period.code, "period_name": period.name(),
        "from": period.from.to_string(), "to": period.to.to_string(),
        "filter": f, "items": items,
    })))
}

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

pub(super) async fn drill(
    State(state): State<AppState>,
    a: ApiCaller,
    Path(id): Path<String>,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Json<Value>> {
    let (period, f) = crate::query::stat_of(&q, state.app.clock.today())?;
    let limit = crate::api::int_param("limit", &q.limit, 1, 100_000)?.unwrap_or(10_000);
    let p = period.clone();
    let ff = f.clone();
    let (metric, records) = blocking(&state, move |app| {
        app.metric_drill(&a.caller, &id, &p, &ff, limit)
    })
    .await?;
    Ok(Json(json!({
        "period": period.code, "from": period.from.to_string(), "to": period.to.to_string(),
        "filter": f, "metric": metric, "applicable": records.is_some(),
        "records": records.unwrap_or_default(),
    })))
}

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
