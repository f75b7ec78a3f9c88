//! Bulk helpers: many points at once (a gateway's points; the ingestion benchmark's hundred
//! thousand) and the alarms opened after a given one (the benchmark's latency probe).

use super::NewPoint;
use super::objects::{object_in, point_values};
use crate::{Change, Result, Store, params};

impl Store {
    /// Adds many points to an object in one transaction with one audit entry (a gateway's
    /// points at once; the ingestion benchmark's hundred thousand).
    pub fn create_monitoring_points_bulk(
        &self,
        change: &Change<'_>,
        object_id: i64,
        points: &[NewPoint],
    ) -> Result<usize> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let o = object_in(tx, change.scope, object_id)?;
            change.require_regulator_at(&o.region_code)?;
            for chunk in points.chunks(200) {
                let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
                let mut p = Vec::with_capacity(chunk.len() * 15);
                for x in chunk {
                    p.push(object_id.into());
                    p.extend(point_values(x));
                    p.push(now.as_str().into());
                    p.push(now.as_str().into());
                }
                tx.execute(
                    &format!("INSERT INTO monitoring_points (object_id, kind, name, unit, device_id, direction, blue, yellow, orange, red, hysteresis, retention_days, active, created_at, updated_at) VALUES {values}"),
                    &p,
                )?;
            }
            crate::audit::append_json(
                tx,
                change,
                "monitoring_point.bulk_create",
                "monitored_object",
                &object_id.to_string(),
                &o.region_code,
                None::<&()>,
                Some(&serde_json::json!({ "points": points.len() })),
            )?;
            Ok(points.len())
        })
    }

    /// Alarms after `after` (id, point): what the benchmark watches for.
    pub fn monitoring_alarms_after(&self, after: i64) -> Result<Vec<(i64, Option<i64>)>> {
        self.db().read(|tx| {
            tx.query(
                "SELECT id, point_id FROM monitoring_alarms WHERE id > ? ORDER BY id",
                &params![after],
            )?
            .iter()
            .map(|r| Ok((r.i64(0)?, r.opt_i64(1)?)))
            .collect()
        })
    }
}
