//! The thin seam between store logic and the two database drivers.
//!
//! Store code is written once against [`Tx`]: portable SQL with `?`
//! placeholders and [`Value`]/[`Row`] for parameters and results. The SQLite
//! backend runs it through rusqlite (one writer connection, a pool of
//! read-only connections); the PostgreSQL backend through the `postgres`
//! client, rewriting `?` to `$n` once per statement text. Only genuinely
//! dialect-specific text (migrations, locks) branches on [`Dialect`].

pub mod pg;
mod row;
mod slow;
mod sql;
pub mod sqlite;
mod value;
mod waits;
pub use group::write_groups;
pub use row::Row;
pub use slow::log_slow_statements;
pub(crate) use slow::note_if_slow;
pub use sql::{limit, numbered_placeholders, placeholders, row_placeholders};
pub use value::Value;
pub(crate) use value::{checked, parsed};
pub use waits::pool_waits;

use crate::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// `col`'s value written so that the planner cannot use an index on it (to keep a
    /// condition out of the plan): SQLite's unary `+`, a no-op its planner documents for
    /// this; PostgreSQL's `col || ''` (a string per row, which SQLite's `+` avoids).
    pub fn unindexed(self, col: &str) -> String {
        match self {
            Dialect::Sqlite => format!("+{col}"),
            Dialect::Postgres => format!("({col} || '')"),
        }
    }
}

mod group;
mod named;
pub(crate) use named::{Columns, Named, SelectList, col, date_of};

/// What a PostgreSQL connection keeps of the audit chain between statements, so that an
/// audited change costs one statement for its entry (`audit::append`) and a group of writes
/// locks the head once (`Store::write`).
#[derive(Debug, Default)]
pub struct AuditKept {
    /// Whether the open transaction holds the head row's lock. Cleared when a transaction
    /// begins or ends and when a group member's savepoint is rolled back (a lock taken
    /// inside it is released then).
    pub(crate) locked: bool,
    /// The head (its last number and hash) as this connection last read or wrote it. It
    /// may be stale (another connection appended since, or a savepoint undid the append):
    /// the entry's statement writes only over the head it names, and reads it again when
    /// that fails.
    pub(crate) head: Option<(i64, String)>,
}

impl AuditKept {
    /// A transaction begins or ends: it holds no lock (the head stays, to be checked).
    pub(crate) fn unlock(&mut self) {
        self.locked = false;
    }

    /// A savepoint was rolled back: a lock taken inside it is released, and the entries
    /// it wrote are undone.
    pub(crate) fn forget(&mut self) {
        self.locked = false;
        self.head = None;
    }
}

/// A transaction (or a read snapshot) on either backend.
pub trait Tx {
    fn dialect(&self) -> Dialect;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs several `;`-separated statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// Writes rows into `table`: `cols` is its column list (`a, b, c`), `values` holds one
    /// value per column a row, row after row. All or none, converted as `execute` converts
    /// them. A multi-row INSERT here (the caller bounds its rows by the backend's limit on
    /// parameters); PostgreSQL streams them through one `COPY … FROM STDIN (FORMAT binary)`.
    fn insert_rows(&mut self, table: &str, cols: &str, values: &[Value]) -> Result<u64> {
        let width = cols.split(',').count();
        let rows = values.len() / width;
        if rows == 0 {
            return Ok(0);
        }
        self.execute(
            &format!(
                "INSERT INTO {table} ({cols}) VALUES {}",
                row_placeholders(width, rows)
            ),
            values,
        )
    }
    /// Runs a query and hands its rows to `f` one at a time, never holding the whole result
    /// in memory (whole-table reads: backups, the content digest). `f` must not use the
    /// transaction.
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()>;
    /// In a read transaction, a number that is the same in two snapshots only if no
    /// connection, of this process or another, committed anything between them; `None`
    /// where the backend cannot tell (write transactions), so that results keyed by it
    /// ([`crate::memo::Memo`]) are never reused there.
    fn data_generation(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }
    /// What this transaction's connection keeps of the audit chain (see [`AuditKept`]):
    /// PostgreSQL's connections, where each statement is a round trip; `None` on SQLite.
    fn audit_kept(&mut self) -> Option<&mut AuditKept> {
        None
    }

    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row> {
        self.query_opt(sql, params)?.ok_or(StoreError::NotFound)
    }
    /// The single integer of a one-row, one-column query (`COUNT(*)`, `RETURNING id`).
    fn scalar_i64(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        self.query_one(sql, params)?.i64(0)
    }
}

/// SQLite writer page cache for one long write transaction (an import): 128 MiB, so the
/// transaction's working set stays in memory instead of spilling to the WAL part-way.
const LARGE_WRITE_CACHE: &str = "PRAGMA cache_size = -131072;";
/// The writer's usual page cache (SQLite's default, about 2 MB).
const NORMAL_WRITE_CACHE: &str = "PRAGMA cache_size = -2000;";

/// The database behind a store.
pub enum Db {
    Sqlite(sqlite::SqliteDb),
    Postgres(pg::PgDb),
}

impl Db {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs `f` as a read, which never writes: on SQLite one snapshot; on PostgreSQL each
    /// statement sees its own (READ COMMITTED) unless `f` first sets REPEATABLE READ, as
    /// `Store::snapshot` does (see `PgTx::begun`).
    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        match self {
            Db::Sqlite(db) => db.read(f),
            Db::Postgres(db) => db.read(f),
        }
    }

    /// Runs `f` (long writes: an import, a benchmark baseline) with the large writer page
    /// cache on SQLite, restoring the usual one afterwards even when `f` fails.
    pub fn with_large_write_cache<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.writer_pragmas(LARGE_WRITE_CACHE)?;
        let out = f();
        self.writer_pragmas(NORMAL_WRITE_CACHE)?;
        out
    }

    /// Whether commits wait for the disk, for generating a throw-away store. Relaxed,
    /// SQLite syncs nothing (`synchronous = OFF`: an operating-system crash meanwhile may
    /// leave the file unusable, as an interrupted generation leaves it anyway) and
    /// PostgreSQL commits without waiting for its WAL flush (`synchronous_commit = off` on
    /// each write transaction: a crash loses the last commits, never consistency).
    /// Restored, SQLite is back to `synchronous = FULL` and checkpoints the log into the
    /// database with a sync, so everything written meanwhile is on disk.
    pub fn set_relaxed_commits(&self, relaxed: bool) -> Result<()> {
        match self {
            Db::Sqlite(db) => db.writer_pragmas(if relaxed {
                "PRAGMA synchronous = OFF;"
            } else {
                "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE);"
            }),
            Db::Postgres(db) => {
                db.set_relaxed_commits(relaxed);
                Ok(())
            }
        }
    }

    /// SQLite: pragmas on the writer connection outside a transaction; PostgreSQL: nothing.
    pub fn writer_pragmas(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(db) => db.writer_pragmas(sql),
            Db::Postgres(_) => Ok(()),
        }
    }

    /// Runs `f` in one write transaction: committed if `f` returns `Ok`, rolled back otherwise.
    /// A look at the data generation ([`crate::memo::one_look`]) ends here: the next kept
    /// read looks again and sees this write.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let out = match self {
            Db::Sqlite(db) => db.write(f),
            Db::Postgres(db) => db.write(f),
        };
        crate::memo::relook(self);
        out
    }

    /// Write groups committed so far by this handle (each with one durable commit).
    pub fn groups_committed(&self) -> u64 {
        match self {
            Db::Sqlite(db) => db.groups_committed(),
            Db::Postgres(db) => db.groups_committed(),
        }
    }

    /// Writes waiting to join or lead a group now.
    pub fn writes_queued(&self) -> usize {
        match self {
            Db::Sqlite(db) => db.writes_queued(),
            Db::Postgres(db) => db.writes_queued(),
        }
    }

    /// How long a group's leader waits for queued writes, at most (a test that must see a
    /// group form lengthens it).
    #[cfg(test)]
    pub(crate) fn set_group_window(&self, window: std::time::Duration) {
        match self {
            Db::Sqlite(db) => db.set_group_window(window),
            Db::Postgres(db) => db.set_group_window(window),
        }
    }

    /// [`Db::write`] for a large write (an import, a bulk load, a restore): it never joins
    /// another write's group commit, it commits on its own.
    pub fn write_alone<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let out = match self {
            Db::Sqlite(db) => db.write_alone(f),
            Db::Postgres(db) => db.write_alone(f),
        };
        crate::memo::relook(self);
        out
    }
}

#[cfg(test)]
mod tests;
