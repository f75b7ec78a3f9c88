//! Evaluating metrics: values (one by one or batched) and drill-downs, from the same
//! FROM and WHERE.

use super::{Agg, DrillRow, Metric, Param, Source, StatFilter, When};
use crate::db::{Dialect, Value};
use crate::scope_sql;
use crate::{Result, Store, StoreError};
use anjian_domain::Scope;
use chrono::{Datelike, NaiveDate};

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
        metric.source.from,
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

/// The statistical scope's department, sector and campaign as `col = ?` conditions on the
/// source (parameters pushed onto `p`), or `None` when it asks for one the records do not
/// carry: the value is then "not applicable".
fn dimension_conditions(s: &Source, f: &StatFilter, p: &mut Vec<Value>) -> Option<Vec<String>> {
    let dims: [(Option<Value>, Option<&str>); 3] = [
        (f.department_id.map(Value::from), s.department),
        (f.sector.clone().map(Value::from), s.sector),
        (f.campaign.clone().map(Value::from), s.campaign),
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

/// One query of a multi-evaluation: its SQL and the requests its columns answer.
struct Job {
    source: &'static str,
    indexed: bool,
    sql: String,
    params: Vec<Value>,
    members: Vec<usize>,
    applicable: Vec<bool>,
}

impl Store {
    /// Many metrics' raw values over `[from, to]`, all under one statistical scope: one
    /// query per source and date rule (see [`Store::metric_values_multi`]).
    pub fn metric_values(
        &self,
        metrics: &[&Metric],
        scope: &Scope,
        f: &StatFilter,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Option<i64>>> {
        let reqs: Vec<(&Metric, &StatFilter)> = metrics.iter().map(|m| (*m, f)).collect();
        self.metric_values_multi(&reqs, scope, from, to)
    }

    /// Raw values of (metric, statistical scope) pairs over `[from, to]`, in one query per
    /// source, date rule, region and agency: each pair is one aggregate column with a `FILTER`
    /// whose condition carries its department, sector and campaign, so a source's rows of
    /// the period are read once however many dimensions the figures ask for. Each value
    /// equals [`Store::metric_value`] of the pair (conformance suite).
    pub fn metric_values_multi(
        &self,
        reqs: &[(&Metric, &StatFilter)],
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Option<i64>>> {
        let mut out = vec![None; reqs.len()];
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, (m, f)) in reqs.iter().enumerate() {
            let key = format!(
                "{}|{:?}|{:?}|{:?}",
                m.source.key, m.when, f.region_prefix, f.agency
            );
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        let mut jobs: Vec<Job> = Vec::new();
        for (_, members) in groups {
            let (first, f0) = reqs[members[0]];
            let shared = StatFilter {
                region_prefix: f0.region_prefix.clone(),
                agency: f0.agency.clone(),
                ..StatFilter::default()
            };
            let mut wp = Vec::new();
            let Some(base) = base_conditions(
                self.db().dialect(),
                first,
                scope,
                &shared,
                from,
                to,
                &mut wp,
            ) else {
                continue;
            };
            let mut sp = Vec::new();
            let mut applicable = Vec::with_capacity(members.len());
            let cols: Vec<String> = members
                .iter()
                .map(|&i| {
                    let (m, f) = reqs[i];
                    // The pair's own dimensions go into its column.
                    let mut params = Vec::new();
                    let Some(mut conds) = dimension_conditions(m.source, f, &mut params) else {
                        applicable.push(false);
                        return "NULL".to_string();
                    };
                    applicable.push(true);
                    conds.push(format!("({})", m.filter));
                    sp.extend(params);
                    sp.extend(filter_params(m, from, to));
                    let cond = conds.join(" AND ");
                    // An aggregate FILTER skips the aggregate step on the rows it does
                    // not count (most rows, for a sector's or campaign's column): 1.6 ×
                    // faster than `SUM(CASE WHEN … THEN 1 ELSE 0 END)` on SQLite.
                    let agg = match m.agg {
                        Agg::Count => format!("COUNT(*) FILTER (WHERE {cond})"),
                        Agg::Sum(e) => format!("COALESCE(SUM({e}) FILTER (WHERE {cond}), 0)"),
                        Agg::Distinct { key, .. } => {
                            format!("COUNT(DISTINCT {key}) FILTER (WHERE {cond})")
                        }
                    };
                    format!("CAST({agg} AS BIGINT)")
                })
                .collect();
            if !applicable.contains(&true) {
                continue;
            }
            let sql = format!(
                "SELECT {} FROM {} WHERE {}",
                cols.join(", "),
                first.source.from,
                base.join(" AND ")
            );
            sp.extend(wp);
            jobs.push(Job {
                source: first.source.key,
                indexed: first.source.dates_indexed,
                sql,
                params: sp,
                members,
                applicable,
            });
        }
        // The queries are independent reads: run them on parallel read connections, the
        // large sources first so they start at once.
        jobs.sort_by_key(|j| !j.indexed);
        let rows = self.run_jobs(&jobs)?;
        for (job, row) in jobs.iter().zip(rows) {
            for (k, &i) in job.members.iter().enumerate() {
                if job.applicable[k] {
                    out[i] = Some(row.i64(k)?);
                }
            }
        }
        Ok(out)
    }

    /// Runs each job's one-row query, on up to as many threads as the machine has cores
    /// (at most four), each with its own read transaction; results in job order.
    fn run_jobs(&self, jobs: &[Job]) -> Result<Vec<crate::db::Row>> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4)
            .min(jobs.len().max(1));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: std::sync::Mutex<Vec<Option<Result<crate::db::Row>>>> =
            std::sync::Mutex::new((0..jobs.len()).map(|_| None).collect());
        let work = || {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let started = std::time::Instant::now();
                let row = self.db().read(|tx| tx.query_one(&job.sql, &job.params));
                tracing::debug!(
                    source = job.source,
                    metrics = job.members.len(),
                    ms = started.elapsed().as_secs_f64() * 1000.0,
                    "metric batch"
                );
                tracing::trace!(sql = job.sql, params = ?job.params, "metric batch query");
                if let Ok(mut r) = results.lock()
                    && let Some(slot) = r.get_mut(i)
                {
                    *slot = Some(row);
                }
            }
        };
        if threads <= 1 {
            work();
        } else {
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(work);
                }
            });
        }
        results
            .into_inner()
            .map_err(|_| StoreError::Backend("metric results poisoned".into()))?
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(StoreError::Backend("metric query not run".into()))))
            .collect()
    }

    /// A metric's raw value over `[from, to]` in the caller's scope and the statistical
    /// scope; `None` where the statistical scope does not apply to the metric's records.
    pub fn metric_value(
        &self,
        metric: &Metric,
        scope: &Scope,
        f: &StatFilter,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<i64>> {
        let mut p = Vec::new();
        let Some(fw) = from_where(self.db().dialect(), metric, scope, f, from, to, &mut p) else {
            return Ok(None);
        };
        let agg = match metric.agg {
            Agg::Count => "COUNT(*)".to_string(),
            Agg::Sum(e) => format!("COALESCE(SUM({e}), 0)"),
            Agg::Distinct { key, .. } => format!("COUNT(DISTINCT {key})"),
        };
        let sql = format!("SELECT CAST({agg} AS BIGINT) {fw}");
        self.db().read(|tx| tx.scalar_i64(&sql, &p)).map(Some)
    }

    /// The records behind a metric's value: their amounts add up to it (for distinct
    /// counts, one row per key). At most `limit` rows, in date order.
    pub fn metric_records(
        &self,
        metric: &Metric,
        scope: &Scope,
        f: &StatFilter,
        from: NaiveDate,
        to: NaiveDate,
        limit: i64,
    ) -> Result<Option<Vec<DrillRow>>> {
        let mut p = Vec::new();
        let Some(fw) = from_where(self.db().dialect(), metric, scope, f, from, to, &mut p) else {
            return Ok(None);
        };
        let s = metric.source;
        let date = match metric.when {
            When::Day(c) => format!("CAST({c} AS TEXT)"),
            When::Year(c) => format!("CAST({c} AS TEXT)"),
            When::Overlap(a, _) => format!("CAST({a} AS TEXT)"),
            When::OpenAt { since, .. } => format!("CAST({since} AS TEXT)"),
            When::Now => "CAST(NULL AS TEXT)".into(),
        };
        let lim = crate::db::limit(limit.clamp(1, 1_000_000));
        let entity = s.entity;
        let sql = match metric.agg {
            Agg::Count | Agg::Sum(_) => {
                let amount = match metric.agg {
                    Agg::Sum(e) => format!("CAST({e} AS BIGINT)"),
                    _ => "CAST(1 AS BIGINT)".into(),
                };
                format!(
                    "SELECT {id}, {date}, {label}, {amount} {fw} ORDER BY 2, 1 {lim}",
                    id = s.id,
                    label = s.label
                )
            }
            Agg::Distinct { key, label, .. } => format!(
                "SELECT g.k, {label} FROM (SELECT {key} AS k {fw} GROUP BY {key}) g ORDER BY g.k {lim}"
            ),
        };
        self.db()
            .read(|tx| {
                tx.query(&sql, &p)?
                    .iter()
                    .map(|r| match metric.agg {
                        Agg::Distinct { entity, .. } => {
                            let key = r.text(0)?;
                            Ok(DrillRow {
                                entity: entity.into(),
                                entity_id: if matches!(entity, "department" | "enterprise") {
                                    key.parse().ok()
                                } else {
                                    None
                                },
                                label: r.opt_text(1)?.unwrap_or_else(|| key.clone()),
                                key,
                                date: None,
                                // Distinct counts: every key counts once, whatever its records.
                                amount: 1,
                                stated: "1".into(),
                            })
                        }
                        _ => {
                            let amount = r.i64(3)?;
                            Ok(DrillRow {
                                entity: entity.into(),
                                entity_id: Some(r.i64(0)?),
                                key: String::new(),
                                date: r.opt_text(1)?,
                                label: r.text(2)?,
                                amount,
                                stated: metric.display(amount, 1),
                            })
                        }
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .map(Some)
    }
}
