//! PostgreSQL through the synchronous `postgres` client: a small pool of
//! connections for reads and large writes, and one writer connection on which writes
//! commit in groups (`db::group`), each connection with its own cache of prepared
//! statements. Transactions are begun and ended with explicit statements, so the group's
//! transaction can stay open on the writer connection from one write to the next.

use super::group::{Group, Session};
use super::{AuditKept, Dialect, Result, Row, Tx, Value, numbered_placeholders};
use crate::StoreError;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(v) => match *ty {
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
            Value::Bool(b) => match *ty {
                Type::INT8 => i64::from(*b).to_sql(ty, out),
                Type::INT4 => i32::from(*b).to_sql(ty, out),
                _ => b.to_sql(ty, out),
            },
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

pub(crate) fn map_err(e: postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        let detail = db
            .constraint()
            .map(str::to_string)
            .unwrap_or_else(|| db.message().to_string());
        return match code {
            "23505" => StoreError::Duplicate(detail),
            "23503" => StoreError::Invalid(format!("foreign key: {detail}")),
            "23514" | "23502" => StoreError::Invalid(detail),
            "40001" | "40P01" => StoreError::Conflict(format!("serialization: {}", db.message())),
            _ => StoreError::Database(crate::DbFailure::new("PostgreSQL", e)),
        };
    }
    StoreError::Database(crate::DbFailure::new("PostgreSQL", e))
}

struct PgConn {
    client: Client,
    cache: HashMap<String, Statement>,
    audit: AuditKept,
}

/// A connection at READ COMMITTED whatever the server's default (a read's plain queries
/// run on their own, which is the same only at that level; see [`PgTx::begun`]).
fn connect(url: &str) -> Result<PgConn> {
    let mut client = Client::connect(url, NoTls).map_err(map_err)?;
    client
        .batch_execute("SET default_transaction_isolation = 'read committed'")
        .map_err(map_err)?;
    Ok(PgConn {
        client,
        cache: HashMap::new(),
        audit: AuditKept::default(),
    })
}

/// How a write transaction begins: `relaxed` commits without waiting for their WAL flush.
/// `READ WRITE` because a pooled connection is read-only by default (see `PgDb::connect`).
fn begin_write(relaxed: bool) -> &'static str {
    if relaxed {
        "BEGIN READ WRITE; SET LOCAL synchronous_commit = off"
    } else {
        "BEGIN READ WRITE"
    }
}

/// Commits a write, refusing a transaction that a failed statement aborted: PostgreSQL
/// answers `COMMIT` on one with a silent rollback, so a statement runs first, which fails
/// there. That statement moves the data generation (`store_generation`, made by the
/// migration runner), which [`Tx::data_generation`] reads: results kept by
/// [`crate::memo::Memo`] are reused only while no write of any instance has committed. The
/// row is locked from this statement to the end of the commit only, and sent in the same
/// round trip as the `COMMIT`.
const COMMIT: &str = "UPDATE store_generation SET n = n + 1 WHERE id = 1; COMMIT";

pub struct PgDb {
    url: String,
    max: usize,
    idle: Mutex<(Vec<PgConn>, usize)>,
    freed: Condvar,
    /// Write transactions commit without waiting for their WAL flush
    /// (`SET LOCAL synchronous_commit = off`), while a throw-away store is generated.
    relaxed: Arc<AtomicBool>,
    /// The connection grouped writes run on (one per process, besides the pool) and the
    /// group commit over it.
    group: Box<Group<Writer>>,
}

/// The writer connection: connected at the first write, and again after it broke.
struct Writer {
    url: String,
    conn: Option<PgConn>,
    relaxed: Arc<AtomicBool>,
}

impl Writer {
    fn conn(&mut self) -> Result<&mut PgConn> {
        self.conn
            .as_mut()
            .ok_or_else(|| StoreError::Backend("writer connection lost".into()))
    }

    /// Runs a control statement; a failure leaves the connection to be replaced.
    fn control(&mut self, sql: &str) -> Result<()> {
        let out = self.conn()?.client.batch_execute(sql).map_err(map_err);
        if out.is_err() {
            self.conn = None;
        }
        out
    }
}

impl Session for Writer {
    fn begin(&mut self) -> Result<()> {
        if self.conn.as_ref().is_none_or(|c| c.client.is_closed()) {
            self.conn = Some(connect(&self.url)?);
        }
        self.conn()?.audit.unlock();
        self.control(begin_write(self.relaxed.load(Ordering::SeqCst)))
    }

    fn end(&mut self, commit: bool) -> Result<()> {
        if let Some(c) = self.conn.as_mut() {
            c.audit.unlock();
        }
        self.control(if commit { COMMIT } else { "ROLLBACK" })
    }

    fn in_transaction(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| !c.client.is_closed())
    }

    fn with_tx<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let PgConn {
            client,
            cache,
            audit,
        } = self.conn()?;
        f(&mut PgTx {
            client,
            cache,
            audit,
            read_only: false,
            begun: true,
            ran: false,
        })
    }
}

impl PgDb {
    pub fn open(url: &str, max: usize) -> Result<Self> {
        let relaxed = Arc::new(AtomicBool::new(false));
        let db = Self {
            url: url.to_string(),
            max: max.max(1),
            idle: Mutex::new((Vec::new(), 0)),
            freed: Condvar::new(),
            relaxed: relaxed.clone(),
            group: Box::new(Group::new(Writer {
                url: url.to_string(),
                conn: None,
                relaxed,
            })),
        };
        // Connect once now so a bad URL fails at start, not at the first request.
        let c = db.connect()?;
        db.release(c, true);
        Ok(db)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A pooled connection: read-only by default, so that a read's statement that runs
    /// outside a transaction can never write (a write begins `READ WRITE`).
    fn connect(&self) -> Result<PgConn> {
        let mut c = connect(&self.url)?;
        c.client
            .batch_execute("SET default_transaction_read_only = on")
            .map_err(map_err)?;
        if let Ok(mut g) = self.idle.lock() {
            g.1 += 1;
        }
        Ok(c)
    }

    fn acquire(&self) -> Result<PgConn> {
        let poisoned = || StoreError::Backend("pool poisoned".into());
        let mut g = self.idle.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(c) = g.0.pop() {
                if c.client.is_closed() {
                    g.1 = g.1.saturating_sub(1);
                    continue;
                }
                return Ok(c);
            }
            if g.1 < self.max {
                drop(g);
                return self.connect();
            }
            // Every connection is busy: count how long this caller waits for one.
            let since = std::time::Instant::now();
            g = self.freed.wait(g).map_err(|_| poisoned())?;
            super::waits::waited(since);
        }
    }

    fn release(&self, c: PgConn, healthy: bool) {
        if let Ok(mut g) = self.idle.lock() {
            if healthy && !c.client.is_closed() {
                g.0.push(c);
            } else {
                g.1 = g.1.saturating_sub(1);
            }
        }
        self.freed.notify_one();
    }

    /// Whether write transactions wait for their WAL flush at commit (the default) or not
    /// (a crash may lose the last commits, never consistency).
    pub fn set_relaxed_commits(&self, relaxed: bool) {
        self.relaxed.store(relaxed, Ordering::SeqCst);
    }

    /// One transaction on a pooled connection of its own. A read begins on the server only
    /// when it must (see [`PgTx::begun`]).
    fn run<T>(&self, read_only: bool, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut conn = self.acquire()?;
        let PgConn {
            client,
            cache,
            audit,
        } = &mut conn;
        audit.unlock();
        // The answer, and whether the connection may go back to the pool.
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if !read_only
                && let Err(e) =
                    client.batch_execute(begin_write(self.relaxed.load(Ordering::SeqCst)))
            {
                return (Err(map_err(e)), false);
            }
            let mut tx = PgTx {
                client,
                cache,
                audit,
                read_only,
                begun: !read_only,
                ran: false,
            };
            let out = f(&mut tx);
            let begun = tx.begun;
            match out {
                // A read that never began has nothing to end.
                Ok(v) if !begun => (Ok(v), true),
                Ok(v) => {
                    // A read has nothing to lose to a silent rollback.
                    let commit = if read_only { "COMMIT" } else { COMMIT };
                    match client.batch_execute(commit) {
                        Ok(()) => (Ok(v), true),
                        Err(e) => {
                            let rolled_back = client.batch_execute("ROLLBACK").is_ok();
                            (Err(map_err(e)), rolled_back)
                        }
                    }
                }
                // The write's own error is the answer; a connection that cannot roll back
                // is dropped (closing it ends its transaction on the server).
                Err(e) => {
                    let rolled_back = !begun || client.batch_execute("ROLLBACK").is_ok();
                    let healthy = rolled_back
                        && !matches!(&e, StoreError::Backend(_) | StoreError::Database(_));
                    (Err(e), healthy)
                }
            }
        }));
        let (result, healthy) = match ran {
            Ok(r) => r,
            Err(panic) => {
                self.release(conn, false);
                std::panic::resume_unwind(panic);
            }
        };
        self.release(conn, healthy);
        result
    }

    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run(true, f)
    }

    /// Runs `f` in the open group's transaction on the writer connection (see `db::group`):
    /// answered once the group has committed.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.group.write(false, f)
    }

    /// A large write (an import, a bulk load, a restore): in a transaction of its own on a
    /// pooled connection, never part of a group.
    pub fn write_alone<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run(false, f)
    }

    #[cfg(test)]
    pub(super) fn set_group_window(&self, window: std::time::Duration) {
        self.group.set_window(window);
    }

    /// Groups committed so far by this handle's writer.
    pub fn groups_committed(&self) -> u64 {
        self.group.committed()
    }

    /// Writes waiting for the writer connection now.
    pub fn writes_queued(&self) -> usize {
        self.group.queued()
    }
}

/// A transaction on a connection, begun and ended by its owner (a read's begun only when
/// it needs to be: see [`PgTx::begun`]).
struct PgTx<'a> {
    client: &'a mut Client,
    cache: &'a mut HashMap<String, Statement>,
    audit: &'a mut AuditKept,
    /// A read transaction (the data generation is told in reads only).
    read_only: bool,
    /// Whether the transaction has begun on the server. A write begins at once. A read
    /// begins (`START TRANSACTION READ ONLY`) only before a statement that needs it: a
    /// setting or another batch, a cursor, or anything but a plain `SELECT`/`WITH` query.
    /// Until then each query runs on its own, which is what it would see inside the
    /// transaction too (READ COMMITTED: each statement takes its own snapshot), and the
    /// read saves the two round trips of `START` and `COMMIT`: most reads are one or two
    /// queries, and a province user's home page made 26 of them.
    begun: bool,
    /// Whether a statement has run: a read's `SET TRANSACTION` must come before any (the
    /// statements before it would be outside its snapshot), as PostgreSQL itself requires
    /// inside a transaction.
    ran: bool,
}

/// Whether a read may run `sql` outside a transaction. The server refuses a write there
/// anyway (pooled connections are read-only by default); this keeps anything but a plain
/// query inside the read-only transaction, where the refusal has always been: a `SELECT`
/// or `WITH` naming no write, row lock, sequence move or advisory lock (the store's SQL
/// keywords are capitals).
fn reads_only(sql: &str) -> bool {
    let head = sql.trim_start();
    let starts = |w: &str| {
        head.get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
    };
    (starts("SELECT") || starts("WITH"))
        && ![
            "INSERT",
            "UPDATE",
            "DELETE",
            "FOR SHARE",
            "nextval",
            "setval",
            "advisory",
        ]
        .iter()
        .any(|w| sql.contains(w))
}

impl PgTx<'_> {
    /// Begins the read transaction on the server if it has not begun.
    fn begin(&mut self) -> Result<()> {
        if !self.begun {
            // Marked first: if it fails half-way, the owner rolls back.
            self.begun = true;
            self.client
                .batch_execute("START TRANSACTION READ ONLY")
                .map_err(map_err)?;
        }
        Ok(())
    }

    /// Begins the read transaction first unless `sql` may run on its own.
    fn begin_for(&mut self, sql: &str) -> Result<()> {
        if self.begun || reads_only(sql) {
            Ok(())
        } else {
            self.begin()
        }
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let text = numbered_placeholders(sql);
        let stmt = self.client.prepare(&text).map_err(map_err)?;
        if self.cache.len() > 256 {
            self.cache.clear();
        }
        self.cache.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

fn cell(row: &postgres::Row, i: usize, ty: &Type) -> std::result::Result<Value, postgres::Error> {
    Ok(match *ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)?
            .map_or(Value::Null, Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Value::Null, Value::Bool),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map_or(Value::Null, |v| Value::Real(v.into())),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)?
            .map_or(Value::Null, Value::Bytes),
        _ => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Value::Null, Value::Text),
    })
}

impl Tx for PgTx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn audit_kept(&mut self) -> Option<&mut AuditKept> {
        Some(self.audit)
    }

    /// The count of committed writes (`store_generation`, moved by every write's
    /// [`COMMIT`]), in reads. Under READ COMMITTED each statement has its own snapshot, so
    /// a result read after this number may include commits made just after it: a kept
    /// result can be newer than the number it is filed under, never older, and a reader
    /// that sees any later commit sees a larger number.
    fn data_generation(&mut self) -> Result<Option<u64>> {
        if !self.read_only {
            return Ok(None);
        }
        let n = self.scalar_i64("SELECT n FROM store_generation WHERE id = 1", &[])?;
        Ok(u64::try_from(n).ok())
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        self.begin_for(sql)?;
        self.ran = true;
        let started = std::time::Instant::now();
        let stmt = self.statement(sql)?;
        let rows = self.client.query(&stmt, &refs(params)).map_err(map_err)?;
        super::note_if_slow(sql, started);
        let types: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
        rows.iter()
            .map(|r| {
                types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| cell(r, i, t).map_err(map_err))
                    .collect::<Result<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }

    /// Through a cursor, fetched a few hundred rows at a time (a handful where the result
    /// has a bytes column: attachments hold whole files).
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        static CURSORS: AtomicU64 = AtomicU64::new(0);
        // A cursor lives in a transaction.
        self.begin()?;
        let stmt = self.statement(sql)?;
        let bytes = stmt.columns().iter().any(|c| *c.type_() == Type::BYTEA);
        let per_fetch = if bytes { 4 } else { 500 };
        let name = format!("anjian_each_{}", CURSORS.fetch_add(1, Ordering::Relaxed));
        let declare = format!(
            "DECLARE {name} NO SCROLL CURSOR FOR {}",
            numbered_placeholders(sql)
        );
        self.client
            .execute(&declare, &refs(params))
            .map_err(map_err)?;
        let fetch = format!("FETCH {per_fetch} FROM {name}");
        let mut read = || loop {
            let rows = self.client.query(&fetch, &[]).map_err(map_err)?;
            let fetched = rows.len();
            for r in rows {
                let vals = r
                    .columns()
                    .iter()
                    .enumerate()
                    .map(|(i, c)| cell(&r, i, c.type_()).map_err(map_err))
                    .collect::<Result<Vec<_>>>()?;
                f(Row(vals))?;
            }
            if fetched < per_fetch {
                return Ok(());
            }
        };
        let out = read();
        // Closed however the reading ended (`f` may stop it early with an error).
        let closed = self
            .client
            .batch_execute(&format!("CLOSE {name}"))
            .map_err(map_err);
        out?;
        closed
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        self.begin()?;
        let started = std::time::Instant::now();
        let stmt = self.statement(sql)?;
        let n = self.client.execute(&stmt, &refs(params)).map_err(map_err)?;
        super::note_if_slow(sql, started);
        Ok(n)
    }

    /// One `COPY … FROM STDIN (FORMAT binary)`: each value converted to its column's type
    /// as an INSERT's parameter would be (the types are those PostgreSQL infers for a
    /// one-row INSERT of the same columns, prepared once per connection). A value that
    /// cannot be converted aborts the COPY, and with it the transaction.
    fn insert_rows(&mut self, table: &str, cols: &str, values: &[Value]) -> Result<u64> {
        let width = cols.split(',').count();
        if values.len() < width {
            return Ok(0);
        }
        self.begin()?;
        let started = std::time::Instant::now();
        let one_row = format!(
            "INSERT INTO {table} ({cols}) VALUES ({})",
            super::placeholders(width)
        );
        let types = self.statement(&one_row)?.params().to_vec();
        let copy = format!("COPY {table} ({cols}) FROM STDIN (FORMAT binary)");
        let sink = self.client.copy_in(&copy).map_err(map_err)?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        for row in values.chunks_exact(width) {
            writer.write(&refs(row)).map_err(map_err)?;
        }
        let n = writer.finish().map_err(map_err)?;
        super::note_if_slow(&copy, started);
        Ok(n)
    }

    /// In a read that has not begun, the transaction begins in the same round trip (a
    /// setting such as `SET TRANSACTION ISOLATION LEVEL` must come first in it).
    fn batch(&mut self, sql: &str) -> Result<()> {
        if self.begun {
            return self.client.batch_execute(sql).map_err(map_err);
        }
        if self.ran && sql.contains("SET TRANSACTION") {
            return Err(StoreError::Backend(
                "SET TRANSACTION after a read's first statement".into(),
            ));
        }
        self.begun = true;
        self.client
            .batch_execute(&format!("START TRANSACTION READ ONLY; {sql}"))
            .map_err(map_err)
    }
}
