//! SQLite through rusqlite: WAL, foreign keys, busy timeout, `synchronous=FULL`
//! (acknowledged writes survive a power cut), one writer connection and a small
//! pool of read-only connections.

use super::{Dialect, Result, Row, Tx, Value};
use crate::StoreError;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAX_IDLE_READERS: usize = 16;

pub struct SqliteDb {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
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
    StoreError::Backend(e.to_string())
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
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA query_only = ON;")
            .map_err(map_err)?;
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
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn take_reader(&self) -> Result<Connection> {
        let pooled = self
            .readers
            .lock()
            .map_err(|_| StoreError::Backend("reader pool poisoned".into()))?
            .pop();
        match pooled {
            Some(c) => Ok(c),
            None => open(&self.path, true),
        }
    }

    fn put_reader(&self, c: Connection) {
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < MAX_IDLE_READERS
        {
            pool.push(c);
        }
    }

    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let conn = self.take_reader()?;
        // Cached statements: a point read is short enough that parsing `BEGIN` and
        // `COMMIT` on every transaction showed in the HTTP benchmark's profile.
        let control = |sql: &str| -> Result<()> {
            conn.prepare_cached(sql)
                .and_then(|mut st| st.execute([]))
                .map(|_| ())
                .map_err(map_err)
        };
        control("BEGIN DEFERRED")?;
        let mut tx = SqliteTx { conn: &conn };
        let out = f(&mut tx);
        let end = control(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        if end.is_ok() {
            self.put_reader(conn);
        }
        let v = out?;
        end?;
        Ok(v)
    }

    /// Runs pragmas on the writer connection outside any transaction (bulk loads).
    pub fn writer_pragmas(&self, sql: &str) -> Result<()> {
        let conn = self
            .writer
            .lock()
            .map_err(|_| StoreError::Backend("writer poisoned".into()))?;
        conn.execute_batch(sql).map_err(map_err)
    }

    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let conn = self
            .writer
            .lock()
            .map_err(|_| StoreError::Backend("writer poisoned".into()))?;
        conn.execute_batch("BEGIN IMMEDIATE").map_err(map_err)?;
        let mut tx = SqliteTx { conn: &conn };
        match f(&mut tx) {
            Ok(v) => {
                if let Err(e) = conn.execute_batch("COMMIT") {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(map_err(e));
                }
                Ok(v)
            }
            Err(e) => {
                conn.execute_batch("ROLLBACK").map_err(map_err)?;
                Err(e)
            }
        }
    }
}

struct SqliteTx<'a> {
    conn: &'a Connection,
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
        Ok(out)
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(map_err)?;
        let n = stmt
            .execute(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        Ok(n as u64)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(map_err)
    }
}
