//! SQLite through rusqlite: WAL, foreign keys, busy timeout, `synchronous=FULL`
//! (acknowledged writes survive a power cut), one writer connection and a small
//! pool of read-only connections. Writes commit in groups on the writer (`db::group`).

use super::group::{Group, Session};
use super::{Dialect, Result, Row, Tx, Value};
use crate::StoreError;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Idle readers kept for reuse. As many as the HTTP suite's connections: a reader opened
/// for one request and closed after it maps and unmaps the file each time, which at 64
/// connections cut the list page's rate by two thirds; an idle reader costs little with
/// the file mapped (its page cache holds only pages read from the WAL).
const MAX_IDLE_READERS: usize = 64;

/// Read-only connections read the database file through a memory map: a page read is
/// then the kernel's cached page, not a copy in the connection's own page cache, so the
/// server's anonymous memory no longer grows by a page cache per concurrent reader
/// (issue 19: `rss_anon_mb` against `rss_file_mb` in `bench http`). Pages still in the
/// WAL are read as before. The limit is SQLite's own maximum (`SQLITE_MAX_MMAP_SIZE`,
/// raised in `.cargo/config.toml`); the writer does not map the file.
const READER_PRAGMAS: &str =
    "PRAGMA foreign_keys = ON; PRAGMA query_only = ON; PRAGMA mmap_size = 68719476736;";

pub struct SqliteDb {
    path: PathBuf,
    /// The writer connection and the group commit over it.
    group: Group<Writer>,
    readers: Mutex<Vec<Reader>>,
    /// Moves whenever a reader finds that some connection, of this process or another,
    /// committed since that reader last looked (see `SqliteTx::data_generation`).
    generation: AtomicU64,
}

/// A pooled read-only connection and the `PRAGMA data_version` it saw last (`None`
/// before its first look: a new connection cannot know what was committed before it).
struct Reader {
    conn: Connection,
    data_version: Option<i64>,
}

/// The one writer connection, on which writes commit in groups.
struct Writer {
    conn: Connection,
}

impl Session for Writer {
    fn begin(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            // A transaction left over by a rollback that failed: nothing in it was answered.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(map_err)
    }

    fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    fn end(&mut self, commit: bool) -> Result<()> {
        self.conn
            .execute_batch(if commit { "COMMIT" } else { "ROLLBACK" })
            .map_err(map_err)
    }

    fn with_tx<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        f(&mut SqliteTx {
            conn: &self.conn,
            probe: None,
        })
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

pub(crate) fn map_err(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let msg = msg.clone().unwrap_or_default();
        match f.extended_code {
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return StoreError::Duplicate(
                    msg.trim_start_matches("UNIQUE constraint failed: ")
                        .to_string(),
                );
            }
            rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                return StoreError::Invalid(format!("foreign key: {msg}"));
            }
            rusqlite::ffi::SQLITE_CONSTRAINT_CHECK | rusqlite::ffi::SQLITE_CONSTRAINT_NOTNULL => {
                return StoreError::Invalid(msg);
            }
            _ => {}
        }
    }
    StoreError::Database(crate::DbFailure::new("SQLite", e))
}

fn open(path: &Path, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
    };
    let conn = Connection::open_with_flags(path, flags).map_err(map_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(map_err)?;
    conn.set_prepared_statement_cache_capacity(128);
    if read_only {
        conn.execute_batch(READER_PRAGMAS).map_err(map_err)?;
    } else {
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
        )
        .map_err(map_err)?;
    }
    Ok(conn)
}

impl SqliteDb {
    /// Opens (creating if missing) the database file and its parent folder.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let writer = open(path, false)?;
        Ok(Self {
            path: path.to_path_buf(),
            group: Group::new(Writer { conn: writer }),
            readers: Mutex::new(Vec::new()),
            generation: AtomicU64::new(1),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn take_reader(&self) -> Result<Reader> {
        let pooled = self
            .readers
            .lock()
            .map_err(|_| StoreError::Backend("reader pool poisoned".into()))?
            .pop();
        match pooled {
            Some(c) => Ok(c),
            None => Ok(Reader {
                conn: open(&self.path, true)?,
                data_version: None,
            }),
        }
    }

    fn put_reader(&self, c: Reader) {
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < MAX_IDLE_READERS
        {
            pool.push(c);
        }
    }

    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut reader = self.take_reader()?;
        let Reader { conn, data_version } = &mut reader;
        // Cached statements: a point read is short enough that parsing `BEGIN` and
        // `COMMIT` on every transaction showed in the HTTP benchmark's profile.
        let control = |sql: &str| -> Result<()> {
            conn.prepare_cached(sql)
                .and_then(|mut st| st.execute([]))
                .map(|_| ())
                .map_err(map_err)
        };
        // Read before the snapshot begins: see `SqliteTx::data_generation`.
        let before = self.generation.load(Ordering::SeqCst);
        control("BEGIN DEFERRED")?;
        let mut tx = SqliteTx {
            conn,
            probe: Some(Probe {
                seen: data_version,
                generation: &self.generation,
                before,
            }),
        };
        let out = f(&mut tx);
        let end = control(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        if end.is_ok() {
            self.put_reader(reader);
        }
        let v = out?;
        end?;
        Ok(v)
    }

    /// Runs pragmas on the writer connection outside any transaction (bulk loads): after
    /// the group open on it, if any, has committed.
    pub fn writer_pragmas(&self, sql: &str) -> Result<()> {
        self.group
            .with_idle(|w| w.conn.execute_batch(sql).map_err(map_err))
    }

    #[cfg(test)]
    pub(super) fn set_group_window(&self, window: std::time::Duration) {
        self.group.set_window(window);
    }

    /// Groups committed so far by this handle (each with one fsync).
    pub fn groups_committed(&self) -> u64 {
        self.group.committed()
    }

    /// Writes waiting for the writer now.
    pub fn writes_queued(&self) -> usize {
        self.group.queued()
    }

    /// Runs `f` in the open group's transaction (see `db::group`): its statements stand if
    /// it returns `Ok` and are rolled back otherwise; answers once the group has committed.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.group.write(false, f)
    }

    /// [`SqliteDb::write`] for a large write (an import, a bulk load): it never joins a
    /// group, it leads its own. A member runs inside a savepoint, whose journal SQLite keeps
    /// in memory (`temp_store = MEMORY`) page by page: a million rows' worth of it would
    /// grow with the import.
    pub fn write_alone<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.group.write(true, f)
    }
}

struct SqliteTx<'a> {
    conn: &'a Connection,
    /// Read transactions only.
    probe: Option<Probe<'a>>,
}

struct Probe<'a> {
    seen: &'a mut Option<i64>,
    generation: &'a AtomicU64,
    /// The shared generation as it was before this transaction's snapshot began.
    before: u64,
}

fn value_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    }
}

impl Tx for SqliteTx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let started = std::time::Instant::now();
        let mut stmt = self.conn.prepare_cached(sql).map_err(map_err)?;
        let n = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(map_err)? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(value_of(r.get_ref(i).map_err(map_err)?));
            }
            out.push(Row(vals));
        }
        super::note_if_slow(sql, started);
        Ok(out)
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(sql).map_err(map_err)?;
        let n = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        while let Some(r) = rows.next().map_err(map_err)? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(value_of(r.get_ref(i).map_err(map_err)?));
            }
            f(Row(vals))?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let started = std::time::Instant::now();
        let mut stmt = self.conn.prepare_cached(sql).map_err(map_err)?;
        let n = stmt
            .execute(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        super::note_if_slow(sql, started);
        Ok(n as u64)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(map_err)
    }

    /// `PRAGMA data_version` changes, on one connection, exactly when another connection
    /// (of any process) has committed since that connection last looked; in WAL mode it
    /// is taken when the transaction's snapshot begins. Readers never commit, so a reader
    /// whose version is unchanged reads the same database state as at its last look.
    ///
    /// The protocol: load the shared generation before the snapshot begins; at the look,
    /// a reader that sees a change (or looks for the first time) moves the generation and
    /// answers `None` (compute afresh, keep nothing); otherwise it answers the generation
    /// loaded before. Why that is safe: take a result kept under `g` from a snapshot S1,
    /// and a later snapshot S2 of connection C that answers `g` too. If a commit X fell
    /// between S1 and S2, the first look by C after X saw it (C's earlier looks were
    /// before X, or there were none) and moved the generation; that look came after X,
    /// hence after `g` was loaded for S1, and before S2's load. S2 then loaded more than
    /// `g`: a contradiction. So no commit separates the two snapshots.
    fn data_generation(&mut self) -> Result<Option<u64>> {
        let Some(probe) = self.probe.as_mut() else {
            return Ok(None);
        };
        let version: i64 = self
            .conn
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(map_err)?;
        if *probe.seen != Some(version) {
            *probe.seen = Some(version);
            probe.generation.fetch_add(1, Ordering::SeqCst);
            return Ok(None);
        }
        Ok(Some(probe.before))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation(db: &SqliteDb) -> Option<u64> {
        db.read(|tx| {
            // A statement first, as a real read would: the snapshot is the same either way.
            tx.query("SELECT COUNT(*) FROM t", &[])?;
            tx.data_generation()
        })
        .unwrap()
    }

    fn insert(db: &SqliteDb) {
        db.write(|tx| tx.execute("INSERT INTO t (v) VALUES (1)", &[]))
            .unwrap();
    }

    /// The data generation answers the same number only while nothing is committed,
    /// whether the commit comes from this handle's writer or from another handle (another
    /// process, as far as SQLite can tell); after a change, the first look answers `None`.
    #[test]
    fn the_data_generation_moves_with_every_commit_of_any_connection() {
        let dir = std::env::temp_dir().join(format!(
            "anjian-dv-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("t.sqlite");
        let a = SqliteDb::open(&path).unwrap();
        a.write(|tx| tx.batch("CREATE TABLE t (v INTEGER)"))
            .unwrap();
        let b = SqliteDb::open(&path).unwrap();

        // A new connection cannot vouch for what came before it.
        assert_eq!(generation(&a), None);
        let g1 = generation(&a);
        assert!(g1.is_some());
        assert_eq!(generation(&a), g1);

        insert(&a);
        assert_eq!(generation(&a), None);
        let g2 = generation(&a);
        assert!(g2.is_some() && g2 != g1);

        insert(&b);
        assert_eq!(generation(&a), None);
        let g3 = generation(&a);
        assert!(g3.is_some() && g3 != g2 && g3 != g1);

        // A failed write commits nothing and moves nothing.
        let _ = a.write(|tx| {
            tx.execute("INSERT INTO t (v) VALUES (2)", &[])?;
            Err::<(), _>(StoreError::Invalid("rolled back".into()))
        });
        assert_eq!(generation(&a), g3);

        // Write transactions never answer (nothing is kept from them).
        let w = a.write(|tx| tx.data_generation()).unwrap();
        assert_eq!(w, None);
        drop((a, b));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
