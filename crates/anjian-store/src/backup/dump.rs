//! Writing a backup: one snapshot, every table in foreign-key order, a row at a time.

use super::format::{FrameWriter, Header, TableStart, Trailer};
use super::{BackupError, BackupSummary, tables};
use crate::db::{Dialect, Tx};
use crate::digest::{TableDigest, digest_of, not_data, table_names};
use crate::{Store, StoreError, TableSummary};
use chrono::{DateTime, Utc};
use std::io::Write;

impl Store {
    /// Writes a backup of the whole store to `to`, read in one snapshot while the store keeps
    /// serving (writers are not blocked). `level` is gzip's (0 none, 1 fast … 9 small).
    /// `at` is the time recorded in the header.
    pub fn backup<W: Write>(
        &self,
        to: W,
        at: DateTime<Utc>,
        level: u32,
    ) -> Result<BackupSummary, BackupError> {
        let mut to = to;
        to.write_all(super::format::MAGIC)?;
        let gz = flate2::write::GzEncoder::new(to, flate2::Compression::new(level.min(9)));
        let mut frames = FrameWriter {
            w: std::io::BufWriter::with_capacity(1 << 16, gz),
        };
        let source = match self.dialect() {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        };
        // A write error inside the snapshot is kept here; the transaction sees a plain failure.
        let mut io_error = None;
        let summary = self.snapshot(|tx| {
            let header = Header {
                format: "anjian-backup".into(),
                version: 1,
                schema_version: tx.scalar_i64(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )?,
                source: source.into(),
                created_at: crate::ts(at),
                anjian: env!("CARGO_PKG_VERSION").into(),
            };
            let mut io = |r: std::io::Result<()>| {
                r.map_err(|e| {
                    io_error = Some(e);
                    StoreError::Backend("backup write failed".into())
                })
            };
            io(frames.header(&header))?;
            let names: Vec<String> = table_names(tx)?
                .into_iter()
                .filter(|t| !not_data(t))
                .collect();
            let mut summaries = Vec::new();
            for table in tables::dependency_order(tx, &names)? {
                summaries.push(dump_table(tx, &table, &mut frames, &mut io)?);
            }
            summaries.sort_by(|a, b| a.name.cmp(&b.name));
            let trailer = Trailer {
                sequences: tables::sequences(tx)?,
                digest: digest_of(&summaries),
                tables: summaries,
            };
            io(frames.trailer(&trailer))?;
            Ok(BackupSummary { header, trailer })
        });
        let summary = match (summary, io_error) {
            (_, Some(e)) => return Err(BackupError::Io(e)),
            (r, None) => r?,
        };
        let gz = frames.w.into_inner().map_err(|e| e.into_error())?;
        let mut to = gz.finish()?;
        to.flush()?;
        Ok(summary)
    }
}

/// One table's rows in primary-key order, digested as they are written.
fn dump_table<W: Write>(
    tx: &mut dyn Tx,
    table: &str,
    frames: &mut FrameWriter<W>,
    io: &mut impl FnMut(std::io::Result<()>) -> crate::Result<()>,
) -> crate::Result<TableSummary> {
    let columns = tables::columns(tx, table)?;
    let key = tables::primary_key(tx, table)?;
    let quoted = |cols: &[String]| {
        cols.iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut sql = format!("SELECT {} FROM \"{table}\"", quoted(&columns));
    if !key.is_empty() {
        sql.push_str(&format!(" ORDER BY {}", quoted(&key)));
    }
    io(frames.table(&TableStart {
        name: table.to_string(),
        columns,
    }))?;
    let mut digest = TableDigest::default();
    tx.query_each(&sql, &[], &mut |row| {
        digest.add(&row.0);
        io(frames.row(&row.0))
    })?;
    io(frames.end_table())?;
    Ok(TableSummary {
        name: table.to_string(),
        rows: digest.rows(),
        digest: digest.finish(),
    })
}
