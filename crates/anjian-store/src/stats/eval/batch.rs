//! Many (metric, statistical scope) pairs at once: one query per source, date rule, region
//! and agency, each pair an aggregate column with its own FILTER.

use super::*;

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
        let mut jobs: Vec<Job> = Vec::new();
        let rollups = self.rollups_on();
        // Hazard figures the rollups answer exactly: those reading the same table under the
        // same condition share one query, a column per figure.
        type Rolled = (String, Vec<(usize, crate::rollups::RollupAnswer)>);
        let mut rolled: Vec<Rolled> = Vec::new();
        for (i, (m, f)) in reqs.iter().enumerate() {
            if rollups
                && let Some(a) = crate::rollups::answer(self.db().dialect(), m, scope, f, from, to)
            {
                let key = format!("{}|{}|{:?}", a.table, a.cond, a.params);
                match rolled.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, members)) => members.push((i, a)),
                    None => rolled.push((key, vec![(i, a)])),
                }
                continue;
            }
            let key = format!(
                "{}|{:?}|{:?}|{:?}",
                m.source.key, m.when, f.region_prefix, f.agency
            );
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(i),
                None => groups.push((key, vec![i])),
            }
        }
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
                first.source.tables_sql(self.db().dialect()),
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
        for (_, members) in rolled {
            let (indices, answers): (Vec<usize>, Vec<_>) = members.into_iter().unzip();
            let Some((sql, params)) = crate::rollups::joint_query(&answers) else {
                continue;
            };
            jobs.push(Job {
                source: "rollups",
                indexed: false,
                sql,
                params,
                applicable: vec![true; indices.len()],
                members: indices,
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
}
