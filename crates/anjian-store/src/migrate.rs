//! Embedded migrations, numbered identically for both backends.

use crate::Result;
use crate::db::{Db, Dialect, Tx};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "core",
        sqlite: include_str!("../migrations/sqlite/0001_core.sql"),
        postgres: include_str!("../migrations/postgres/0001_core.sql"),
    },
    Migration {
        version: 2,
        name: "calendar_hazards",
        sqlite: include_str!("../migrations/sqlite/0002_calendar_hazards.sql"),
        postgres: include_str!("../migrations/postgres/0002_calendar_hazards.sql"),
    },
    Migration {
        version: 3,
        name: "notices_jobs",
        sqlite: include_str!("../migrations/sqlite/0003_notices_jobs.sql"),
        postgres: include_str!("../migrations/postgres/0003_notices_jobs.sql"),
    },
    Migration {
        version: 4,
        name: "attachments",
        sqlite: include_str!("../migrations/sqlite/0004_attachments.sql"),
        postgres: include_str!("../migrations/postgres/0004_attachments.sql"),
    },
    Migration {
        version: 5,
        name: "major_hazards",
        sqlite: include_str!("../migrations/sqlite/0005_major_hazards.sql"),
        postgres: include_str!("../migrations/postgres/0005_major_hazards.sql"),
    },
    Migration {
        version: 6,
        name: "listings",
        sqlite: include_str!("../migrations/sqlite/0006_listings.sql"),
        postgres: include_str!("../migrations/postgres/0006_listings.sql"),
    },
    Migration {
        version: 7,
        name: "inspections",
        sqlite: include_str!("../migrations/sqlite/0007_inspections.sql"),
        postgres: include_str!("../migrations/postgres/0007_inspections.sql"),
    },
    Migration {
        version: 8,
        name: "cases",
        sqlite: include_str!("../migrations/sqlite/0008_cases.sql"),
        postgres: include_str!("../migrations/postgres/0008_cases.sql"),
    },
    Migration {
        version: 9,
        name: "documents",
        sqlite: include_str!("../migrations/sqlite/0009_documents.sql"),
        postgres: include_str!("../migrations/postgres/0009_documents.sql"),
    },
    Migration {
        version: 10,
        name: "draws",
        sqlite: include_str!("../migrations/sqlite/0010_draws.sql"),
        postgres: include_str!("../migrations/postgres/0010_draws.sql"),
    },
    Migration {
        version: 11,
        name: "transfers",
        sqlite: include_str!("../migrations/sqlite/0011_transfers.sql"),
        postgres: include_str!("../migrations/postgres/0011_transfers.sql"),
    },
    Migration {
        version: 12,
        name: "reports",
        sqlite: include_str!("../migrations/sqlite/0012_reports.sql"),
        postgres: include_str!("../migrations/postgres/0012_reports.sql"),
    },
    Migration {
        version: 13,
        name: "commissions",
        sqlite: include_str!("../migrations/sqlite/0013_commissions.sql"),
        postgres: include_str!("../migrations/postgres/0013_commissions.sql"),
    },
    Migration {
        version: 14,
        name: "plans",
        sqlite: include_str!("../migrations/sqlite/0014_plans.sql"),
        postgres: include_str!("../migrations/postgres/0014_plans.sql"),
    },
    Migration {
        version: 15,
        name: "case_discussion",
        sqlite: include_str!("../migrations/sqlite/0015_case_discussion.sql"),
        postgres: include_str!("../migrations/postgres/0015_case_discussion.sql"),
    },
    Migration {
        version: 16,
        name: "case_examination",
        sqlite: include_str!("../migrations/sqlite/0016_case_examination.sql"),
        postgres: include_str!("../migrations/postgres/0016_case_examination.sql"),
    },
    Migration {
        version: 17,
        name: "statistics",
        sqlite: include_str!("../migrations/sqlite/0017_statistics.sql"),
        postgres: include_str!("../migrations/postgres/0017_statistics.sql"),
    },
    Migration {
        version: 18,
        name: "stat_indexes",
        sqlite: include_str!("../migrations/sqlite/0018_stat_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0018_stat_indexes.sql"),
    },
    Migration {
        version: 19,
        name: "hazard_list_index",
        sqlite: include_str!("../migrations/sqlite/0019_hazard_list_index.sql"),
        postgres: include_str!("../migrations/postgres/0019_hazard_list_index.sql"),
    },
    Migration {
        version: 20,
        name: "hazard_covering_dates",
        sqlite: include_str!("../migrations/sqlite/0020_hazard_covering_dates.sql"),
        postgres: include_str!("../migrations/postgres/0020_hazard_covering_dates.sql"),
    },
    Migration {
        version: 21,
        name: "hazard_list_order",
        sqlite: include_str!("../migrations/sqlite/0021_hazard_list_order.sql"),
        postgres: include_str!("../migrations/postgres/0021_hazard_list_order.sql"),
    },
    Migration {
        version: 22,
        name: "hazard_open_due",
        sqlite: include_str!("../migrations/sqlite/0022_hazard_open_due.sql"),
        postgres: include_str!("../migrations/postgres/0022_hazard_open_due.sql"),
    },
];

/// The version the embedded migrations bring a store to.
pub fn latest() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

fn ensure_table(tx: &mut dyn Tx) -> Result<()> {
    tx.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
}

pub(crate) fn run(db: &Db) -> Result<Vec<i64>> {
    let dialect = db.dialect();
    db.write(|tx| {
        if dialect == Dialect::Postgres {
            // Several `anjian serve` instances may start at once: one migrates, the others wait.
            tx.execute("SELECT pg_advisory_xact_lock(726001)", &[])?;
        }
        ensure_table(tx)?;
        let done: Vec<i64> = tx
            .query("SELECT version FROM schema_migrations", &[])?
            .iter()
            .map(|r| r.i64(0))
            .collect::<Result<_>>()?;
        let mut applied = Vec::new();
        for m in MIGRATIONS {
            if done.contains(&m.version) {
                continue;
            }
            tx.batch(match dialect {
                Dialect::Sqlite => m.sqlite,
                Dialect::Postgres => m.postgres,
            })?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CAST(CURRENT_TIMESTAMP AS TEXT))",
                &crate::params![m.version, m.name],
            )?;
            applied.push(m.version);
        }
        Ok(applied)
    })
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn numbering_is_dense_and_both_dialects_exist() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(!m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty());
            // Same tables on both sides (a SQLite table rebuild creates and renames a copy).
            let tables =
                |s: &str| s.matches("CREATE TABLE").count() - s.matches(" RENAME TO ").count();
            assert_eq!(tables(m.sqlite), tables(m.postgres), "migration {}", m.name);
        }
    }
}
