//! One metric's value, and the records behind it (built from the same FROM and WHERE).

use super::*;

impl Store {
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
        if self.rollups_on()
            && let Some(a) = crate::rollups::answer(self.db().dialect(), metric, scope, f, from, to)
        {
            let (sql, params) = a.query();
            return self.figure_row(&sql, &params)?.i64(0).map(Some);
        }
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
        self.figure_row(&sql, &p)?.i64(0).map(Some)
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
                                stated: metric.record_display(amount),
                            })
                        }
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .map(Some)
    }
}
