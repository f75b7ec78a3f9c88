//! Restoring a backup into an empty store: one transaction, rows inserted in batches as they
//! are read, committed only when the digest read back equals the backup's.

use super::format::{Frame, TableStart, Trailer};
use super::{BackupError, BackupReader, RestoreSummary, tables};
use crate::db::{Dialect, Tx, Value};
use crate::digest::{digest_of, digest_tables, not_data, table_names};
use crate::{Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// The one row a fresh store has: the audit chain's head, at sequence 0.
const AUDIT_HEAD: &str = "audit_head";
/// Rows per INSERT statement, at most (and fewer for wide tables: SQLite's limit on
/// parameters per statement is 32,766).
const BATCH_ROWS: usize = 200;
/// A batch is sent once its values pass this many bytes (attachments hold whole files).
const BATCH_BYTES: usize = 4 << 20;

impl Store {
    /// Restores a backup into this store, which must be empty (as `migrate` leaves it) and at
    /// the backup's schema version. Everything is written in one transaction; it commits only
    /// if every table's digest read back equals the backup's, so a failed restore leaves the
    /// store as empty as it was.
    pub fn restore<R: Read>(&self, from: BackupReader<R>) -> Result<RestoreSummary, BackupError> {
        let version = from.header.schema_version;
        let mut frames = from.frames;
        // A failure of the file (not of the database) is kept here: the transaction only sees
        // that it must roll back.
        let mut failure = None;
        let out = self.db().with_large_write_cache(|| {
            self.db()
                .write_alone(|tx| match load(tx, version, &mut frames) {
                    Ok(s) => Ok(s),
                    Err(BackupError::Store(e)) => Err(e),
                    Err(e) => {
                        failure = Some(e);
                        Err(StoreError::Invalid("restore abandoned".into()))
                    }
                })
        });
        match (out, failure) {
            (_, Some(e)) => Err(e),
            (Ok(tables), None) => Ok(RestoreSummary {
                schema_version: version,
                digest: digest_of(&tables),
                tables,
            }),
            (Err(e), None) => Err(e.into()),
        }
    }
}

fn load<R: Read>(
    tx: &mut dyn Tx,
    version: i64,
    frames: &mut super::format::FrameReader<R>,
) -> Result<Vec<crate::TableSummary>, BackupError> {
    if tx.dialect() == Dialect::Sqlite {
        // Checked at commit instead of per row (PostgreSQL's keys are met by the order).
        tx.batch("PRAGMA defer_foreign_keys = ON")?;
    }
    let target: BTreeSet<String> = table_names(tx)?
        .into_iter()
        .filter(|t| !not_data(t))
        .collect();
    require_empty(tx, &target)?;
    let store_version = tx.scalar_i64(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        &[],
    )?;
    if version != store_version {
        return Err(BackupError::SchemaVersion {
            backup: version,
            store: store_version,
        });
    }
    tx.execute(&format!("DELETE FROM {AUDIT_HEAD}"), &[])?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let trailer: Trailer = loop {
        match frames.next()? {
            Frame::Table(t) => {
                let n = load_table(tx, &target, &t, frames)?;
                counts.insert(t.name, n);
            }
            Frame::Trailer(t) => {
                frames.finish()?;
                break t;
            }
            Frame::Header(_) | Frame::Row(_) | Frame::EndTable => {
                return Err(BackupError::Corrupt("记录的顺序不对".into()));
            }
        }
    };
    for t in &trailer.tables {
        if counts.get(&t.name) != Some(&t.rows) {
            return Err(BackupError::Corrupt(format!(
                "表 {} 应有 {} 行，读到 {}",
                t.name,
                t.rows,
                counts.get(&t.name).copied().unwrap_or(0)
            )));
        }
    }
    if let Some(missing) = target.iter().find(|t| !counts.contains_key(*t)) {
        return Err(BackupError::Mismatch(
            missing.clone(),
            "备份中没有这张表".into(),
        ));
    }
    tables::advance_sequences(tx, &trailer.sequences)?;
    let restored = digest_tables(tx)?;
    let expected: BTreeMap<&String, &String> = trailer
        .tables
        .iter()
        .map(|t| (&t.name, &t.digest))
        .collect();
    for t in &restored {
        let want = expected.get(&t.name).map(|d| d.as_str()).unwrap_or("");
        if want != t.digest {
            return Err(BackupError::DigestMismatch {
                table: t.name.clone(),
                expected: want.to_string(),
                got: t.digest.clone(),
            });
        }
    }
    let digest = digest_of(&restored);
    if digest != trailer.digest {
        return Err(BackupError::DigestMismatch {
            table: "（全部）".into(),
            expected: trailer.digest,
            got: digest,
        });
    }
    Ok(restored)
}

/// Every table empty but the audit head, which must still be at sequence 0.
fn require_empty(tx: &mut dyn Tx, tables: &BTreeSet<String>) -> Result<(), BackupError> {
    // The audit head last: a store with records is named by a table of records.
    let (head, records): (Vec<&String>, Vec<&String>) =
        tables.iter().partition(|t| *t == AUDIT_HEAD);
    for t in records.into_iter().chain(head) {
        let sql = if t == AUDIT_HEAD {
            format!("SELECT 1 FROM {AUDIT_HEAD} WHERE seq <> 0 LIMIT 1")
        } else {
            format!("SELECT 1 FROM \"{t}\" LIMIT 1")
        };
        if tx.query_opt(&sql, &[])?.is_some() {
            return Err(BackupError::NotEmpty(t.clone()));
        }
    }
    Ok(())
}

/// One table's rows, up to its end frame; answers the number of rows.
fn load_table<R: Read>(
    tx: &mut dyn Tx,
    target: &BTreeSet<String>,
    t: &TableStart,
    frames: &mut super::format::FrameReader<R>,
) -> Result<u64, BackupError> {
    if !target.contains(&t.name) {
        return Err(BackupError::Mismatch(
            t.name.clone(),
            "目标数据库没有这张表".into(),
        ));
    }
    let theirs: BTreeSet<&String> = t.columns.iter().collect();
    let ours = tables::columns(tx, &t.name)?;
    let ours: BTreeSet<&String> = ours.iter().collect();
    if theirs != ours {
        let diff: Vec<&&String> = theirs.symmetric_difference(&ours).collect();
        return Err(BackupError::Mismatch(
            t.name.clone(),
            format!("列不同：{diff:?}"),
        ));
    }
    let per_statement = BATCH_ROWS.min((30_000 / t.columns.len().max(1)).max(1));
    let mut batch: Vec<Value> = Vec::new();
    let (mut rows, mut bytes, mut total) = (0usize, 0usize, 0u64);
    loop {
        match frames.next()? {
            Frame::Row(values) => {
                bytes += values.iter().map(size).sum::<usize>();
                batch.extend(values);
                rows += 1;
                total += 1;
                if rows >= per_statement || bytes >= BATCH_BYTES {
                    insert(tx, t, rows, &batch)?;
                    batch.clear();
                    (rows, bytes) = (0, 0);
                }
            }
            Frame::EndTable => {
                if rows > 0 {
                    insert(tx, t, rows, &batch)?;
                }
                return Ok(total);
            }
            _ => {
                return Err(BackupError::Corrupt(format!(
                    "表 {} 的数据没有正常结束",
                    t.name
                )));
            }
        }
    }
}

fn size(v: &Value) -> usize {
    match v {
        Value::Text(s) => s.len(),
        Value::Bytes(b) => b.len(),
        _ => 8,
    }
}

fn insert(tx: &mut dyn Tx, t: &TableStart, rows: usize, values: &[Value]) -> crate::Result<()> {
    let cols = t
        .columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let one = format!("({})", vec!["?"; t.columns.len()].join(", "));
    let sql = format!(
        "INSERT INTO \"{}\" ({cols}) VALUES {}",
        t.name,
        vec![one; rows].join(", ")
    );
    tx.execute(&sql, values).map(|_| ())
}
