//! Keeping the tallies honest: `anjian rollups check` (every tally against a recomputation
//! from the hazards) and `rebuild`, and whether a figure is read from them.

use super::{ALL_GRAINS, TALLIES, Tally, answer, emission_columns, expand, resume};
use crate::db::{Dialect, Tx};
use crate::{Result, Store};

/// What `anjian rollups check` and `rebuild` report: per tally table, the rows that differ
/// from a recomputation (zero rows ignored).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TallyCheck {
    pub table: String,
    pub rows: i64,
    pub differing: i64,
}

impl Store {
    /// Whether this figure is read from the rollups (else it is scanned): a hazard figure
    /// over whole months, scoped by counties or townships, sectors, departments and
    /// campaigns, with the rollups on.
    pub fn reads_rollups(
        &self,
        metric: &crate::stats::Metric,
        scope: &anjian_domain::Scope,
        f: &crate::stats::StatFilter,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> bool {
        self.rollups_on() && answer(self.dialect(), metric, scope, f, from, to).is_some()
    }

    /// Recomputes every tally from the hazards in one write transaction (triggers put back
    /// as this build defines them), with an audit entry. For recovery: after a restore from
    /// a tool other than anjian's, or if a check finds a difference.
    pub fn rebuild_rollups(&self, change: &crate::Change<'_>) -> Result<Vec<TallyCheck>> {
        change.require_writable()?;
        // Every county's tallies are rebuilt: only an unrestricted scope (the console's).
        if change.scope.sectors.is_some()
            || change.scope.enterprise_ids.is_some()
            || !change.scope.region_prefixes.iter().any(String::is_empty)
        {
            return Err(crate::StoreError::Forbidden);
        }
        self.write_alone(|tx| {
            resume(tx)?;
            let rows = tally_rows(tx)?;
            crate::audit::append_json(
                tx,
                change,
                "rollups.rebuild",
                "rollups",
                "hazards",
                "",
                None::<&()>,
                Some(&rows),
            )?;
            Ok(rows
                .into_iter()
                .map(|(table, rows)| TallyCheck {
                    table,
                    rows,
                    differing: 0,
                })
                .collect())
        })
    }

    /// Compares every tally with a recomputation from the hazards, in one snapshot: the
    /// number of keys whose measures differ, per table (rows of zeros count as absent).
    pub fn check_rollups(&self) -> Result<Vec<TallyCheck>> {
        let dialect = self.dialect();
        self.db().read(|tx| {
            let mut out = Vec::new();
            for t in TALLIES {
                let rows = tx.scalar_i64(&format!("SELECT COUNT(*) FROM {}", t.table), &[])?;
                let differing = tx.scalar_i64(&diff_sql(dialect, t), &[])?;
                out.push(TallyCheck {
                    table: t.table.to_string(),
                    rows,
                    differing,
                });
            }
            Ok(out)
        })
    }
}

fn tally_rows(tx: &mut dyn Tx) -> Result<Vec<(String, i64)>> {
    TALLIES
        .iter()
        .map(|t| {
            Ok((
                t.table.to_string(),
                tx.scalar_i64(&format!("SELECT COUNT(*) FROM {}", t.table), &[])?,
            ))
        })
        .collect()
}

/// Keys where the stored tally and a recomputation differ (zero rows on either side absent).
fn diff_sql(dialect: Dialect, t: &Tally) -> String {
    let keys = t.key_columns();
    // The recomputation: each emission's grouped contributions, summed per key.
    let parts: Vec<String> = t
        .emissions
        .iter()
        .map(|e| {
            let (key_exprs, measure_exprs) = emission_columns(dialect, e, "r");
            let mut select: Vec<String> = key_exprs
                .iter()
                .zip(keys.iter())
                .map(|(x, k)| format!("{x} AS {k}"))
                .collect();
            select.extend(
                measure_exprs
                    .iter()
                    .zip(t.measures.iter())
                    .map(|(x, m)| format!("{x} AS {m}")),
            );
            format!(
                "SELECT {} FROM hazards r, {ALL_GRAINS} WHERE {}",
                select.join(", "),
                expand(dialect, e.qualifies, "r")
            )
        })
        .collect();
    let sums: Vec<String> = t
        .measures
        .iter()
        .map(|m| format!("SUM({m}) AS {m}"))
        .collect();
    let nonzero = t
        .measures
        .iter()
        .map(|m| format!("{m} <> 0"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let key_list = keys.join(", ");
    let all_cols = t.columns().join(", ");
    let fresh = format!(
        "SELECT {all_cols} FROM (SELECT {key_list}, {sums} FROM ({union}) x GROUP BY {key_list}) w WHERE {nonzero}",
        sums = sums.join(", "),
        union = parts.join(" UNION ALL "),
    );
    let stored = format!("SELECT {all_cols} FROM {} WHERE {nonzero}", t.table);
    format!(
        "SELECT (SELECT COUNT(*) FROM ({fresh} EXCEPT {stored}) a) + (SELECT COUNT(*) FROM ({stored} EXCEPT {fresh}) b)"
    )
}
