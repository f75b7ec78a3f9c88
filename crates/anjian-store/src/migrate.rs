//! Embedded migrations, numbered identically for both backends.

use crate::db::{Db, Dialect, Tx};
use crate::{Result, StoreError};

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
    Migration {
        version: 23,
        name: "transfer_times",
        sqlite: include_str!("../migrations/sqlite/0023_transfer_times.sql"),
        postgres: include_str!("../migrations/postgres/0023_transfer_times.sql"),
    },
    Migration {
        version: 24,
        name: "review_and_as_of",
        sqlite: include_str!("../migrations/sqlite/0024_review_and_as_of.sql"),
        postgres: include_str!("../migrations/postgres/0024_review_and_as_of.sql"),
    },
    Migration {
        version: 25,
        name: "case_procedure",
        sqlite: include_str!("../migrations/sqlite/0025_case_procedure.sql"),
        postgres: include_str!("../migrations/postgres/0025_case_procedure.sql"),
    },
    Migration {
        version: 26,
        name: "report_accident_key",
        sqlite: include_str!("../migrations/sqlite/0026_report_accident_key.sql"),
        postgres: include_str!("../migrations/postgres/0026_report_accident_key.sql"),
    },
    Migration {
        version: 27,
        name: "transfer_police",
        sqlite: include_str!("../migrations/sqlite/0027_transfer_police.sql"),
        postgres: include_str!("../migrations/postgres/0027_transfer_police.sql"),
    },
    Migration {
        version: 28,
        name: "security",
        sqlite: include_str!("../migrations/sqlite/0028_security.sql"),
        postgres: include_str!("../migrations/postgres/0028_security.sql"),
    },
    Migration {
        version: 29,
        name: "document_templates",
        sqlite: include_str!("../migrations/sqlite/0029_document_templates.sql"),
        postgres: include_str!("../migrations/postgres/0029_document_templates.sql"),
    },
    Migration {
        version: 30,
        name: "officers",
        sqlite: include_str!("../migrations/sqlite/0030_officers.sql"),
        postgres: include_str!("../migrations/postgres/0030_officers.sql"),
    },
    Migration {
        version: 31,
        name: "responsibility",
        sqlite: include_str!("../migrations/sqlite/0031_responsibility.sql"),
        postgres: include_str!("../migrations/postgres/0031_responsibility.sql"),
    },
    Migration {
        version: 32,
        name: "letters_capability",
        sqlite: include_str!("../migrations/sqlite/0032_letters_capability.sql"),
        postgres: include_str!("../migrations/postgres/0032_letters_capability.sql"),
    },
    Migration {
        version: 33,
        name: "assessments",
        sqlite: include_str!("../migrations/sqlite/0033_assessments.sql"),
        postgres: include_str!("../migrations/postgres/0033_assessments.sql"),
    },
    Migration {
        version: 34,
        name: "risk_points",
        sqlite: include_str!("../migrations/sqlite/0034_risk_points.sql"),
        postgres: include_str!("../migrations/postgres/0034_risk_points.sql"),
    },
    Migration {
        version: 35,
        name: "risk_steering",
        sqlite: include_str!("../migrations/sqlite/0035_risk_steering.sql"),
        postgres: include_str!("../migrations/postgres/0035_risk_steering.sql"),
    },
    Migration {
        version: 36,
        name: "accidents",
        sqlite: include_str!("../migrations/sqlite/0036_accidents.sql"),
        postgres: include_str!("../migrations/postgres/0036_accidents.sql"),
    },
    Migration {
        version: 37,
        name: "disasters",
        sqlite: include_str!("../migrations/sqlite/0037_disasters.sql"),
        postgres: include_str!("../migrations/postgres/0037_disasters.sql"),
    },
    Migration {
        version: 38,
        name: "duty_sectors",
        sqlite: include_str!("../migrations/sqlite/0038_duty_sectors.sql"),
        postgres: include_str!("../migrations/postgres/0038_duty_sectors.sql"),
    },
    Migration {
        version: 39,
        name: "campaign_ledgers",
        sqlite: include_str!("../migrations/sqlite/0039_campaign_ledgers.sql"),
        postgres: include_str!("../migrations/postgres/0039_campaign_ledgers.sql"),
    },
    Migration {
        version: 40,
        name: "station",
        sqlite: include_str!("../migrations/sqlite/0040_station.sql"),
        postgres: include_str!("../migrations/postgres/0040_station.sql"),
    },
    Migration {
        version: 41,
        name: "forest",
        sqlite: include_str!("../migrations/sqlite/0041_forest.sql"),
        postgres: include_str!("../migrations/postgres/0041_forest.sql"),
    },
    Migration {
        version: 42,
        name: "training",
        sqlite: include_str!("../migrations/sqlite/0042_training.sql"),
        postgres: include_str!("../migrations/postgres/0042_training.sql"),
    },
    Migration {
        version: 43,
        name: "emergency",
        sqlite: include_str!("../migrations/sqlite/0043_emergency.sql"),
        postgres: include_str!("../migrations/postgres/0043_emergency.sql"),
    },
    Migration {
        version: 44,
        name: "dispatch",
        sqlite: include_str!("../migrations/sqlite/0044_dispatch.sql"),
        postgres: include_str!("../migrations/postgres/0044_dispatch.sql"),
    },
    Migration {
        version: 45,
        name: "map",
        sqlite: include_str!("../migrations/sqlite/0045_map.sql"),
        postgres: include_str!("../migrations/postgres/0045_map.sql"),
    },
    Migration {
        version: 46,
        name: "monitoring",
        sqlite: include_str!("../migrations/sqlite/0046_monitoring.sql"),
        postgres: include_str!("../migrations/postgres/0046_monitoring.sql"),
    },
    Migration {
        version: 47,
        name: "alarm_current_level",
        sqlite: include_str!("../migrations/sqlite/0047_alarm_current_level.sql"),
        postgres: include_str!("../migrations/postgres/0047_alarm_current_level.sql"),
    },
    Migration {
        version: 48,
        name: "major_case_no_per_county",
        sqlite: include_str!("../migrations/sqlite/0048_major_case_no_per_county.sql"),
        postgres: include_str!("../migrations/postgres/0048_major_case_no_per_county.sql"),
    },
    Migration {
        version: 49,
        name: "hazard_rollups",
        sqlite: include_str!("../migrations/sqlite/0049_hazard_rollups.sql"),
        postgres: include_str!("../migrations/postgres/0049_hazard_rollups.sql"),
    },
    Migration {
        version: 50,
        name: "open_due_tally",
        sqlite: include_str!("../migrations/sqlite/0050_open_due_tally.sql"),
        postgres: include_str!("../migrations/postgres/0050_open_due_tally.sql"),
    },
    Migration {
        version: 51,
        name: "open_newest",
        sqlite: include_str!("../migrations/sqlite/0051_open_newest.sql"),
        postgres: include_str!("../migrations/postgres/0051_open_newest.sql"),
    },
    Migration {
        version: 52,
        name: "open_major_newest",
        sqlite: include_str!("../migrations/sqlite/0052_open_major_newest.sql"),
        postgres: include_str!("../migrations/postgres/0052_open_major_newest.sql"),
    },
    Migration {
        version: 53,
        name: "open_major_by_id",
        sqlite: include_str!("../migrations/sqlite/0053_open_major_by_id.sql"),
        postgres: include_str!("../migrations/postgres/0053_open_major_by_id.sql"),
    },
    Migration {
        version: 54,
        name: "date_indexes_append",
        sqlite: include_str!("../migrations/sqlite/0054_date_indexes_append.sql"),
        postgres: include_str!("../migrations/postgres/0054_date_indexes_append.sql"),
    },
];

/// A digest of every embedded migration (version, name and both texts): two builds with
/// the same fingerprint make the same schema (test stores copy a template keyed by it).
pub(crate) fn fingerprint() -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for m in MIGRATIONS {
        h.update(m.version.to_le_bytes());
        for part in [m.name, m.sqlite, m.postgres] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    hex::encode(h.finalize())
}

/// The version the embedded migrations bring a store to.
pub fn latest() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

fn ensure_table(tx: &mut dyn Tx, dialect: Dialect) -> Result<()> {
    tx.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT)",
    )?;
    // Stores migrated before checksums were kept have the table without the column.
    let has_checksum = match dialect {
        Dialect::Sqlite => tx.query_opt(
            "SELECT 1 FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'",
            &[],
        )?,
        Dialect::Postgres => tx.query_opt(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'",
            &[],
        )?,
    };
    if has_checksum.is_none() {
        tx.batch("ALTER TABLE schema_migrations ADD COLUMN checksum TEXT")?;
    }
    // PostgreSQL's data generation (see `db::pg::COMMIT`): made here, not in a numbered
    // migration, because every write's commit moves it, the migrations' own included.
    // Unused on SQLite (its `PRAGMA data_version` tells), made there too so that the two
    // schemas stay the same.
    tx.batch(
        "CREATE TABLE IF NOT EXISTS store_generation (id BIGINT PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL)",
    )?;
    tx.execute(
        "INSERT INTO store_generation (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
        &[],
    )?;
    Ok(())
}

/// The SHA-256 of a migration's text, as stored when it is applied.
fn checksum(sql: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(sql.as_bytes()))
}

pub(crate) fn run(db: &Db) -> Result<Vec<i64>> {
    run_with(db, MIGRATIONS)
}

/// [`run`] for the migrations up to `version` only.
pub(crate) fn run_to(db: &Db, version: i64) -> Result<Vec<i64>> {
    let upto = MIGRATIONS.partition_point(|m| m.version <= version);
    run_with(db, &MIGRATIONS[..upto])
}

/// Applies the pending ones of `migrations` and refuses to go on if an applied one was
/// edited since (its stored checksum differs from the text this build carries). A migration
/// applied before checksums were kept gets its checksum recorded the first time it is seen.
fn run_with(db: &Db, migrations: &[Migration]) -> Result<Vec<i64>> {
    let dialect = db.dialect();
    // Alone: a migration may rewrite whole tables, more than a group's savepoint should hold.
    db.write_alone(|tx| {
        if dialect == Dialect::Postgres {
            // Several `anjian serve` instances may start at once: one migrates, the others wait.
            tx.execute("SELECT pg_advisory_xact_lock(726001)", &[])?;
        }
        ensure_table(tx, dialect)?;
        let done: Vec<(i64, Option<String>)> = tx
            .query("SELECT version, checksum FROM schema_migrations", &[])?
            .iter()
            .map(|r| Ok((r.i64(0)?, r.opt_text(1)?)))
            .collect::<Result<_>>()?;
        let mut applied = Vec::new();
        for m in migrations {
            let sql = match dialect {
                Dialect::Sqlite => m.sqlite,
                Dialect::Postgres => m.postgres,
            };
            let sum = checksum(sql);
            if let Some((_, stored)) = done.iter().find(|(v, _)| *v == m.version) {
                match stored {
                    None => {
                        tx.execute(
                            "UPDATE schema_migrations SET checksum = ? WHERE version = ?",
                            &crate::params![sum, m.version],
                        )?;
                    }
                    Some(stored) if *stored != sum => {
                        return Err(StoreError::Migration(format!(
                            "迁移 {:04}_{} 已在本数据库应用，但本程序所带的该迁移已被修改（校验和 {} 与已应用的 {} 不一致）。已应用的迁移不能修改：请恢复原文件，把改动写成新的迁移。",
                            m.version,
                            m.name,
                            &sum[..12],
                            stored.get(..12).unwrap_or(stored),
                        )));
                    }
                    Some(_) => {}
                }
                continue;
            }
            tx.batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (?, ?, CAST(CURRENT_TIMESTAMP AS TEXT), ?)",
                &crate::params![m.version, m.name, sum],
            )?;
            applied.push(m.version);
        }
        Ok(applied)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db(name: &str) -> (Db, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("anjian-migrate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::Sqlite(crate::db::sqlite::SqliteDb::open(&dir.join("s.sqlite")).unwrap());
        (db, dir)
    }

    #[test]
    fn an_edited_applied_migration_is_refused() {
        let (db, dir) = temp_db("edited");
        assert_eq!(run_with(&db, &MIGRATIONS[..2]).unwrap(), vec![1, 2]);
        // Unchanged: nothing to do, no error.
        assert!(run_with(&db, &MIGRATIONS[..2]).unwrap().is_empty());
        let edited = [
            Migration { ..MIGRATIONS[0] },
            Migration {
                sqlite: "CREATE TABLE edited (id INTEGER PRIMARY KEY);",
                ..MIGRATIONS[1]
            },
        ];
        let err = run_with(&db, &edited).unwrap_err();
        assert!(
            matches!(&err, StoreError::Migration(m) if m.contains("0002_calendar_hazards") && m.contains("不能修改")),
            "{err}"
        );
        // And nothing of the refused run was applied.
        let tables = db
            .read(|tx| tx.query("SELECT name FROM sqlite_master WHERE name = 'edited'", &[]))
            .unwrap();
        assert!(tables.is_empty());
        drop(db);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn stores_migrated_before_checksums_get_them_recorded() {
        let (db, dir) = temp_db("legacy");
        db.write(|tx| {
            tx.batch("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")?;
            tx.batch(MIGRATIONS[0].sqlite)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, 'core', 'then')",
                &[],
            )
        })
        .unwrap();
        assert_eq!(run_with(&db, &MIGRATIONS[..2]).unwrap(), vec![2]);
        let sums = db
            .read(|tx| {
                tx.query(
                    "SELECT checksum FROM schema_migrations ORDER BY version",
                    &[],
                )
            })
            .unwrap();
        assert_eq!(
            sums[0].opt_text(0).unwrap(),
            Some(checksum(MIGRATIONS[0].sqlite))
        );
        // From then on an edit of the first is refused too.
        let edited = [Migration {
            sqlite: "SELECT 1;",
            ..MIGRATIONS[0]
        }];
        assert!(matches!(
            run_with(&db, &edited),
            Err(StoreError::Migration(_))
        ));
        drop(db);
        let _ = std::fs::remove_dir_all(dir);
    }

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
