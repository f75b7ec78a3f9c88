//! The content digest: one SHA-256 over every table's rows, the same for the same records on
//! either backend. Each row is hashed in one canonical form (booleans as integers, reals in
//! Rust's shortest exact form, bytes as hex), a table's digest is the hash of its sorted row
//! hashes, and the store's digest the hash of the tables' digests in name order. Rows are read
//! one at a time, so memory holds 32 bytes per row of the largest table, never the rows.

use crate::db::{Dialect, Tx, Value};
use crate::{Result, Store};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The migration log: its times are the database's own, so it is neither digested nor backed
/// up (a restored store has its own).
pub(crate) const MIGRATION_LOG: &str = "schema_migrations";

/// PostgreSQL's data generation, moved by every commit (see `db::pg::COMMIT`).
pub(crate) const GENERATION: &str = "store_generation";

/// Tables neither digested nor backed up: the migration log, the data generation, and the
/// rollups (derived from the hazards; a restore's triggers fill them again).
pub(crate) fn not_data(table: &str) -> bool {
    table == MIGRATION_LOG || table == GENERATION || crate::rollups::is_tally(table)
}

/// One table's rows, hashed one by one.
#[derive(Default)]
pub(crate) struct TableDigest {
    rows: Vec<[u8; 32]>,
}

impl TableDigest {
    pub(crate) fn add(&mut self, values: &[Value]) {
        let mut h = Sha256::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                h.update([0x1f]);
            }
            match v {
                Value::Null => h.update([0]),
                Value::Int(n) => h.update(n.to_string()),
                Value::Bool(b) => h.update(i64::from(*b).to_string()),
                Value::Real(f) => h.update(format!("{f:?}")),
                Value::Text(s) => h.update(s.as_bytes()),
                Value::Bytes(b) => {
                    for chunk in b.chunks(8192) {
                        h.update(hex::encode(chunk));
                    }
                }
            }
        }
        self.rows.push(h.finalize().into());
    }

    pub(crate) fn rows(&self) -> u64 {
        self.rows.len() as u64
    }

    /// The table's digest: the hash of its row hashes in sorted order, so that it does not
    /// depend on the order a backend returns rows in.
    pub(crate) fn finish(mut self) -> String {
        self.rows.sort_unstable();
        let mut h = Sha256::new();
        for r in &self.rows {
            h.update(r);
        }
        hex::encode(h.finalize())
    }
}

/// The store's digest from its tables' digests (name → digest).
pub(crate) fn combine<'a>(tables: impl IntoIterator<Item = (&'a String, &'a String)>) -> String {
    let sorted: BTreeMap<&String, &String> = tables.into_iter().collect();
    let mut h = Sha256::new();
    for (name, digest) in sorted {
        h.update(name.as_bytes());
        h.update([0x01]);
        h.update(digest.as_bytes());
        h.update([0x1e]);
    }
    hex::encode(h.finalize())
}

/// Every table of the store (SQLite's own `sqlite_*` tables left out), in byte order.
pub(crate) fn table_names(tx: &mut dyn Tx) -> Result<Vec<String>> {
    let sql = match tx.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Dialect::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let mut names: Vec<String> = tx
        .query(sql, &[])?
        .iter()
        .map(|r| r.text(0))
        .collect::<Result<_>>()?;
    names.sort_unstable();
    Ok(names)
}

/// One table's row count and digest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableSummary {
    pub name: String,
    pub rows: u64,
    pub digest: String,
}

/// Every digested table's summary, in name order, read in `tx`'s snapshot.
pub(crate) fn digest_tables(tx: &mut dyn Tx) -> Result<Vec<TableSummary>> {
    let mut out = Vec::new();
    for name in table_names(tx)? {
        if not_data(&name) {
            continue;
        }
        let mut d = TableDigest::default();
        tx.query_each(&format!("SELECT * FROM \"{name}\""), &[], &mut |row| {
            d.add(&row.0);
            Ok(())
        })?;
        out.push(TableSummary {
            rows: d.rows(),
            digest: d.finish(),
            name,
        });
    }
    Ok(out)
}

/// The store's digest from its tables' summaries.
pub(crate) fn digest_of(tables: &[TableSummary]) -> String {
    combine(tables.iter().map(|t| (&t.name, &t.digest)))
}

impl Store {
    /// A SHA-256 over every table's rows (the migration log left out): two stores with the
    /// same digest hold the same records, whichever backend each runs on. Read in one
    /// snapshot, a row at a time.
    pub fn content_digest(&self) -> Result<String> {
        self.snapshot(|tx| Ok(digest_of(&digest_tables(tx)?)))
    }
}
