//! Evaluating metrics: values (one by one or batched) and drill-downs, from the same
//! FROM and WHERE.

use super::{Agg, DrillRow, Metric, Param, Source, StatFilter, When};
use crate::db::{Dialect, Value};
use crate::scope_sql;
use crate::{Result, Store, StoreError};
use anjian_domain::Scope;
use chrono::{Datelike, NaiveDate};

mod batch;
mod jobs;
mod records;
use jobs::Job;

/// Builds `FROM … WHERE …` for a metric, or `None` when the statistical scope asks for a
/// dimension the source does not carry (e.g. a department's share of commissions).
fn from_where(
    dialect: Dialect,
    metric: &Metric,
    scope: &Scope,
    f: &StatFilter,
    from: NaiveDate,
    to: NaiveDate,
    p: &mut Vec<Value>,
) -> Option<String> {
    let mut cond = base_conditions(dialect, metric, scope, f, from, to, p)?;
    cond.push(format!("({})", metric.filter));
    p.extend(filter_params(metric, from, to));
    Some(format!(
        "FROM {} WHERE {}",
        metric.source.tables_sql(dialect),
        cond.join(" AND ")
    ))
}

/// The parameters of a metric's own predicate.
fn filter_params(metric: &Metric, from: NaiveDate, to: NaiveDate) -> Vec<Value> {
    metric
        .params
        .iter()
        .map(|param| match param {
            Param::Text(t) => t.clone().into(),
            Param::PeriodFrom => from.into(),
            Param::PeriodTo => to.into(),
        })
        .collect()
}

/// The statistical scope's department, sector, campaign and enterprise as `col = ?`
/// conditions on the source (parameters pushed onto `p`), or `None` when it asks for one the
/// records do not carry: the value is then "not applicable".
fn dimension_conditions(s: &Source, f: &StatFilter, p: &mut Vec<Value>) -> Option<Vec<String>> {
    let dims: [(Option<Value>, Option<&str>); 4] = [
        (f.department_id.map(Value::from), s.department),
        (f.sector.clone().map(Value::from), s.sector),
        (f.campaign.clone().map(Value::from), s.campaign),
        (f.enterprise_id.map(Value::from), s.enterprise),
    ];
    let mut cond = Vec::new();
    for (want, col) in dims {
        if let Some(v) = want {
            cond.push(format!("{} = ?", col?));
            p.push(v);
        }
    }
    Some(cond)
}

/// Everything of a metric's WHERE but its own predicate: visibility, statistical scope
/// and period (shared by the metrics of one source and date rule).
fn base_conditions(
    dialect: Dialect,
    metric: &Metric,
    scope: &Scope,
    f: &StatFilter,
    from: NaiveDate,
    to: NaiveDate,
    p: &mut Vec<Value>,
) -> Option<Vec<String>> {
    let s = metric.source;
    let dated = s.dates_indexed
        && matches!(
            metric.when,
            When::Day(_) | When::Year(_) | When::OpenAt { .. }
        );
    // Dated sources find a period through their date indexes, not a region index.
    let region = if dated {
        dialect.unindexed(s.region)
    } else {
        s.region.to_string()
    };
    // The caller's visibility first.
    let mut cond = vec![scope_sql::regions(scope, &region, p)];
    if let (Some(sectors), Some(col)) = (&scope.sectors, s.sector) {
        cond.push(scope_sql::in_list(col, sectors, p));
    }
    if let Some(ids) = &scope.enterprise_ids {
        match s.enterprise {
            Some(col) => cond.push(scope_sql::in_list(col, ids, p)),
            None => cond.push("1 = 0".into()),
        }
    }
    // Then the statistical scope.
    if let Some(r) = &f.region_prefix {
        cond.push(scope_sql::region_subtree(&region, r, p));
    }
    // Within one county, say so: the (county_code, date) indexes then apply.
    if let Some(col) = s.county {
        let mut prefixes: Vec<&str> = scope.region_prefixes.iter().map(String::as_str).collect();
        if let Some(r) = &f.region_prefix {
            prefixes = vec![r.as_str()];
        }
        let counties: std::collections::BTreeSet<&str> =
            prefixes.iter().map(|p| p.get(..6).unwrap_or("")).collect();
        if counties.len() == 1
            && let Some(county) = counties
                .iter()
                .next()
                .and_then(|c| scope_sql::county_code_of(c))
        {
            cond.push(format!("{col} = ?"));
            p.push(county.into());
        }
    }
    cond.extend(dimension_conditions(s, f, p)?);
    // Agencies are named in full (清江市公安局交通管理大队); the filter matches a part (交警).
    if let Some(a) = &f.agency {
        let col = s.agency?;
        let escaped = scope_sql::like_escaped(a);
        cond.push(format!("{col} LIKE ? ESCAPE '\\'"));
        p.push(format!("%{escaped}%").into());
    }
    match metric.when {
        When::Day(col) => {
            cond.push(format!("{col} >= ? AND {col} <= ?"));
            p.push(from.into());
            p.push(to.into());
        }
        When::Year(col) => {
            cond.push(format!("{col} >= ? AND {col} <= ?"));
            p.push(i64::from(from.year()).into());
            p.push(i64::from(to.year()).into());
        }
        When::Overlap(start, end) => {
            cond.push(format!("{start} <= ? AND {end} >= ?"));
            p.push(to.into());
            p.push(from.into());
        }
        When::OpenAt { since, closed } => {
            cond.push(format!(
                "{since} <= ? AND COALESCE({closed}, '9999-12-31') > ?"
            ));
            p.push(to.into());
            p.push(to.into());
        }
        When::Now => {}
    }
    Some(cond)
}

impl Store {}
