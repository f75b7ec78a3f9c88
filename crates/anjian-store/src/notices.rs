//! Reminder notices and run-once job cycles.
//!
//! A job cycle (e.g. the daily reminders of 2022-06-11) is claimed by inserting its
//! `job_runs` row in the same transaction that writes the cycle's notices. A second
//! instance running the same cycle at the same moment waits on that row's key and then
//! finds it taken, so at most one instance does the work; if the first one fails, its
//! transaction rolls back and the cycle is free again. Notices are unique per
//! (kind, entity, day) as a second guard.

use crate::db::Value;
use crate::scope_sql;
use crate::{Change, Result, Store, params};
use anjian_domain::Scope;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Notice {
    pub id: i64,
    pub region_code: String,
    pub kind: String,
    pub entity: String,
    pub entity_id: i64,
    pub day: String,
    pub message: String,
    pub created_at: String,
}

/// A notice to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub region_code: String,
    pub sector: String,
    pub enterprise_id: Option<i64>,
    pub kind: String,
    pub entity: String,
    pub entity_id: i64,
    pub message: String,
}

/// What a job cycle did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CycleOutcome {
    /// This call claimed the cycle and wrote this many notices.
    Ran(usize),
    /// Another run (or instance) had already claimed the cycle.
    AlreadyDone,
}

crate::table_row! {
    table "notices", key id;
    fn row -> Notice {
        id: i64 = "n.id",
        region_code: text = "n.region_code",
        kind: text = "n.kind",
        entity: text = "n.entity",
        entity_id: i64 = "n.entity_id",
        day: text = "n.day",
        message: text = "n.message",
        created_at: text = "n.created_at",
    }
}

impl Store {
    /// Claims `(job, cycle)` and writes the notices in one transaction; does nothing if the
    /// cycle was already claimed.
    pub fn run_notice_cycle(
        &self,
        change: &Change<'_>,
        job: &str,
        cycle: &str,
        instance: &str,
        notices: &[NewNotice],
    ) -> Result<CycleOutcome> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let claimed = tx.query_opt(
                "INSERT INTO job_runs (job, cycle, instance, started_at, items) VALUES (?, ?, ?, ?, ?) ON CONFLICT (job, cycle) DO NOTHING RETURNING job",
                &params![job, cycle, instance, now.as_str(), notices.len() as i64],
            )?;
            if claimed.is_none() {
                return Ok(CycleOutcome::AlreadyDone);
            }
            let mut written = 0;
            for n in notices {
                let county = anjian_domain::RegionCode::parse(&n.region_code).ok().and_then(|c| c.county()).map(|c| c.as_str().to_string()).unwrap_or_default();
                let inserted = tx.query_opt(
                    "INSERT INTO notices (county_code, region_code, kind, entity, entity_id, sector, enterprise_id, day, message, created_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, entity, entity_id, day) DO NOTHING RETURNING id",
                    &params![
                        county,
                        n.region_code.as_str(),
                        n.kind.as_str(),
                        n.entity.as_str(),
                        n.entity_id,
                        n.sector.as_str(),
                        n.enterprise_id,
                        cycle,
                        n.message.as_str(),
                        now.as_str()
                    ],
                )?;
                written += usize::from(inserted.is_some());
            }
            crate::audit::append(
                tx,
                change,
                "job.run",
                "job",
                job,
                "",
                None,
                Some(serde_json::json!({ "cycle": cycle, "instance": instance, "notices": written })),
            )?;
            Ok(CycleOutcome::Ran(written))
        })
    }

    /// Notices of a day (or all days) in the caller's scope, newest first.
    pub fn list_notices(
        &self,
        scope: &Scope,
        day: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Notice>> {
        let mut p: Vec<Value> = Vec::new();
        let mut wh = vec![scope_sql::regions(scope, "n.region_code", &mut p)];
        if let Some(s) = &scope.sectors {
            wh.push(scope_sql::in_list("n.sector", s, &mut p));
        }
        if let Some(ids) = &scope.enterprise_ids {
            wh.push(scope_sql::in_list("n.enterprise_id", ids, &mut p));
        }
        if let Some(d) = day {
            wh.push("n.day = ?".into());
            p.push(d.into());
        }
        let sql = format!(
            "SELECT {COLS} FROM notices n WHERE {} ORDER BY n.id DESC {}",
            wh.join(" AND "),
            crate::db::limit(limit.clamp(1, 1000))
        );
        self.db()
            .read(|tx| tx.query(&sql, &p)?.iter().map(row).collect())
    }

    /// How many runs a job cycle has recorded (0 or 1).
    pub fn job_runs(&self, job: &str, cycle: &str) -> Result<i64> {
        self.db().read(|tx| {
            tx.scalar_i64(
                "SELECT COUNT(*) FROM job_runs WHERE job = ? AND cycle = ?",
                &params![job, cycle],
            )
        })
    }
}
