//! The ingestion's upkeep: the offline scan (设备离线 alarms for points that have gone
//! quiet) and the retention of readings. Both are store writes like a batch of readings
//! (the audit head first on PostgreSQL; see `ingest`).

use super::ingest::{IngestOutcome, IngestRules, Place, at_ms};
use super::judge::{Subject, step};
use crate::{Result, Store, params};
use anjian_domain::monitoring::{AlarmTarget, Direction};
use chrono::{DateTime, Duration, Utc};
use std::collections::VecDeque;

/// A prune's statement deletes at most this many readings of a point.
const PRUNE_ROWS_PER_STATEMENT: i64 = 5_000;
/// A prune's write stops taking points once it has deleted this many readings.
const PRUNE_ROWS_PER_WRITE: u64 = 10_000;
/// A prune's write takes at most this many points.
const PRUNE_POINTS_PER_WRITE: usize = 500;

/// What one offline scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfflineOutcome {
    pub opened: Vec<i64>,
}

impl Store {
    /// Opens a 设备离线 alarm for each active point that has sent nothing for its object's
    /// offline minutes before `now` (a point never heard from counts from its creation).
    pub fn monitoring_offline_scan(
        &self,
        now: DateTime<Utc>,
        rules: &IngestRules,
    ) -> Result<OfflineOutcome> {
        let Some(level) = rules.offline_level else {
            return Ok(OfflineOutcome::default());
        };
        self.write(|tx| {
            let mut out = IngestOutcome::default();
            let rows = tx.query(
                "SELECT p.id, p.object_id, p.kind, p.created_at, o.offline_minutes, o.county_code, o.region_code, o.enterprise_id, (SELECT MAX(r.ts) FROM monitoring_readings r WHERE r.point_id = p.id) FROM monitoring_points p JOIN monitored_objects o ON o.id = p.object_id WHERE p.active AND o.active AND p.offline_since IS NULL",
                &[],
            )?;
            for r in rows {
                let last = match r.opt_i64(8)? {
                    Some(t) => t,
                    None => DateTime::parse_from_rfc3339(&r.text(3)?)
                        .map(|t| t.timestamp_millis())
                        .unwrap_or(0),
                };
                let limit = Duration::minutes(r.i64(4)?).num_milliseconds();
                if now.timestamp_millis() - last < limit {
                    continue;
                }
                let place = Place {
                    county: r.text(5)?,
                    region: r.text(6)?,
                    enterprise: r.opt_i64(7)?,
                };
                let (id, kind) = (r.i64(0)?, r.text(2)?);
                let s = Subject {
                    key: format!("off:{id}"),
                    target: AlarmTarget::Offline,
                    object_id: r.i64(1)?,
                    point_id: Some(id),
                    item: &kind,
                    place: &place,
                    direction: Direction::Above,
                };
                step(tx, &s, None, Some(level), now.timestamp_millis(), None, &rules.ack, &mut out)?;
                tx.execute(
                    "UPDATE monitoring_points SET offline_since = ? WHERE id = ?",
                    &params![at_ms(last).as_str(), id],
                )?;
            }
            Ok(OfflineOutcome { opened: out.opened })
        })
    }

    /// Deletes readings older than each point's retention before `now`; answers how many.
    /// Like every write it takes the audit head first on PostgreSQL (so the daily prunes of
    /// two instances never deadlock with their writes), and holds it only briefly: a write
    /// deletes at most [`PRUNE_ROWS_PER_WRITE`] readings of at most [`PRUNE_POINTS_PER_WRITE`]
    /// points, a point's readings [`PRUNE_ROWS_PER_STATEMENT`] at a time (a retention
    /// shortened from a year to a month leaves hundreds of thousands of readings a point).
    pub fn monitoring_prune(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut due: VecDeque<(i64, i64)> = self
            .db()
            .read(|tx| {
                tx.query(
                    "SELECT id, retention_days FROM monitoring_points ORDER BY id",
                    &[],
                )?
                .iter()
                .map(|r| Ok((r.i64(0)?, r.i64(1)?)))
                .collect::<Result<Vec<(i64, i64)>>>()
            })?
            .into_iter()
            .map(|(id, days)| (id, (now - Duration::days(days)).timestamp_millis()))
            .collect();
        let mut n = 0;
        while !due.is_empty() {
            n += self.write(|tx| {
                let (mut rows, mut points) = (0, 0);
                while let Some(&(id, before)) = due.front() {
                    if rows >= PRUNE_ROWS_PER_WRITE || points >= PRUNE_POINTS_PER_WRITE {
                        break;
                    }
                    points += 1;
                    // The oldest readings up to the statement's count, or all that are due.
                    let upto = tx.query_opt(
                        &format!(
                            "SELECT ts FROM monitoring_readings WHERE point_id = ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET {}",
                            PRUNE_ROWS_PER_STATEMENT - 1
                        ),
                        &params![id, before],
                    )?;
                    rows += match upto {
                        Some(r) => tx.execute(
                            "DELETE FROM monitoring_readings WHERE point_id = ? AND ts <= ?",
                            &params![id, r.i64(0)?],
                        )?,
                        None => {
                            due.pop_front();
                            tx.execute(
                                "DELETE FROM monitoring_readings WHERE point_id = ? AND ts < ?",
                                &params![id, before],
                            )?
                        }
                    };
                }
                Ok(rows)
            })?;
        }
        Ok(n)
    }
}
