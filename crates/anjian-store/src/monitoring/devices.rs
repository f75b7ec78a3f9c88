//! Devices and refusals: which device ids a scope may send readings for, and the payloads or
//! readings the ingestion refused (kept a while for the county's rules page).

use crate::{Result, Store, params, scope_sql};
use anjian_domain::Scope;
use serde::Serialize;

/// A refused payload or reading, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    pub at: String,
    /// `mqtt:{topic}` or `http:{account}`.
    pub source: String,
    pub device: String,
    pub reason: String,
}

impl Store {
    /// Of `devices`, those whose points belong to objects the scope sees.
    pub fn monitoring_devices_in(
        &self,
        scope: &Scope,
        devices: &[&str],
    ) -> Result<std::collections::HashSet<String>> {
        self.db().read(|tx| {
            let mut out = std::collections::HashSet::new();
            for chunk in devices.chunks(500) {
                let mut p = Vec::new();
                let cond = scope_sql::monitored(scope, "o", &mut p);
                let list = scope_sql::in_list("pt.device_id", chunk, &mut p);
                for r in tx.query(
                    &format!("SELECT pt.device_id FROM monitoring_points pt JOIN monitored_objects o ON o.id = pt.object_id WHERE {cond} AND {list}"),
                    &p,
                )? {
                    out.insert(r.text(0)?);
                }
            }
            Ok(out)
        })
    }

    /// Records refused payloads or readings (source: mqtt topic or http), at most 100 per
    /// call, each sample cut to 200 characters; older than 30 days are dropped.
    pub fn record_monitoring_rejects(
        &self,
        at: &str,
        source: &str,
        rejects: &[(String, String, String)],
    ) -> Result<()> {
        self.write(|tx| {
            for (device, reason, sample) in rejects.iter().take(100) {
                let sample: String = sample.chars().take(200).collect();
                tx.execute(
                    "INSERT INTO monitoring_rejects (at, source, device, reason, sample) VALUES (?, ?, ?, ?, ?)",
                    &params![at, source, device.as_str(), reason.as_str(), sample.as_str()],
                )?;
            }
            Ok(())
        })
    }

    /// The latest refusals (newest first) and how many since `since`.
    pub fn monitoring_rejects(&self, since: &str, limit: i64) -> Result<(i64, Vec<Reject>)> {
        self.db().read(|tx| {
            let n = tx.scalar_i64("SELECT COUNT(*) FROM monitoring_rejects WHERE at >= ?", &params![since])?;
            let rows = tx
                .query(
                    &format!(
                        "SELECT at, source, device, reason FROM monitoring_rejects ORDER BY id DESC {}",
                        crate::db::limit(limit.clamp(1, 1_000))
                    ),
                    &[],
                )?
                .iter()
                .map(|r| {
                    Ok(Reject {
                        at: r.text(0)?,
                        source: r.text(1)?,
                        device: r.text(2)?,
                        reason: r.text(3)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((n, rows))
        })
    }

    /// Drops refusals recorded before `before` (a store write: on PostgreSQL the audit head
    /// first, as every write that deletes rows another instance may touch).
    pub fn prune_monitoring_rejects(&self, before: &str) -> Result<u64> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM monitoring_rejects WHERE at < ?",
                &params![before],
            )
        })
    }
}
