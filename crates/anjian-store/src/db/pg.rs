//! PostgreSQL through the synchronous `postgres` client: a small pool of
//! connections, each with its own cache of prepared statements.

use super::{Dialect, Result, Row, Tx, Value, numbered_placeholders};
use crate::StoreError;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::{Condvar, Mutex};

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
}

pub struct PgDb {
    url: String,
    max: usize,
    idle: Mutex<(Vec<PgConn>, usize)>,
    freed: Condvar,
    /// Write transactions commit without waiting for their WAL flush
    /// (`SET LOCAL synchronous_commit = off`), while a throw-away store is generated.
    relaxed: std::sync::atomic::AtomicBool,
}

impl PgDb {
    pub fn open(url: &str, max: usize) -> Result<Self> {
        let db = Self {
            url: url.to_string(),
            max: max.max(1),
            idle: Mutex::new((Vec::new(), 0)),
            freed: Condvar::new(),
            relaxed: std::sync::atomic::AtomicBool::new(false),
        };
        // Connect once now so a bad URL fails at start, not at the first request.
        let c = db.connect()?;
        db.release(c, true);
        Ok(db)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn connect(&self) -> Result<PgConn> {
        let client = Client::connect(&self.url, NoTls).map_err(map_err)?;
        if let Ok(mut g) = self.idle.lock() {
            g.1 += 1;
        }
        Ok(PgConn {
            client,
            cache: HashMap::new(),
        })
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
        self.relaxed
            .store(relaxed, std::sync::atomic::Ordering::SeqCst);
    }

    fn run<T>(&self, read_only: bool, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut conn = self.acquire()?;
        let PgConn { client, cache } = &mut conn;
        let relaxed = !read_only && self.relaxed.load(std::sync::atomic::Ordering::SeqCst);
        let result = (|| {
            let mut tx = client
                .build_transaction()
                .read_only(read_only)
                .start()
                .map_err(map_err)?;
            if relaxed {
                tx.batch_execute("SET LOCAL synchronous_commit = off")
                    .map_err(map_err)?;
            }
            let mut ptx = PgTx {
                tx: Some(tx),
                cache,
            };
            let out = f(&mut ptx);
            let tx = ptx
                .tx
                .take()
                .ok_or_else(|| StoreError::Backend("transaction lost".into()))?;
            match out {
                Ok(v) => {
                    tx.commit().map_err(map_err)?;
                    Ok(v)
                }
                Err(e) => {
                    tx.rollback().map_err(map_err)?;
                    Err(e)
                }
            }
        })();
        let healthy = !matches!(
            &result,
            Err(StoreError::Backend(_) | StoreError::Database(_))
        );
        self.release(conn, healthy);
        result
    }

    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run(true, f)
    }

    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run(false, f)
    }
}

struct PgTx<'a> {
    tx: Option<postgres::Transaction<'a>>,
    cache: &'a mut HashMap<String, Statement>,
}

impl<'a> PgTx<'a> {
    fn tx(&mut self) -> Result<&mut postgres::Transaction<'a>> {
        match self.tx.as_mut() {
            Some(t) => Ok(t),
            None => Err(StoreError::Backend("transaction closed".into())),
        }
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let text = numbered_placeholders(sql);
        let stmt = self.tx()?.prepare(&text).map_err(map_err)?;
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

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let started = std::time::Instant::now();
        let stmt = self.statement(sql)?;
        let rows = self.tx()?.query(&stmt, &refs(params)).map_err(map_err)?;
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

    /// Through a portal, fetched a few hundred rows at a time (a handful where the result
    /// has a bytes column: attachments hold whole files).
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let stmt = self.statement(sql)?;
        let types: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
        let per_fetch = if types.contains(&Type::BYTEA) { 4 } else { 500 };
        let tx = self.tx()?;
        let portal = tx.bind(&stmt, &refs(params)).map_err(map_err)?;
        loop {
            let rows = tx.query_portal(&portal, per_fetch).map_err(map_err)?;
            let fetched = rows.len();
            for r in rows {
                let vals = types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| cell(&r, i, t).map_err(map_err))
                    .collect::<Result<Vec<_>>>()?;
                f(Row(vals))?;
            }
            if fetched < per_fetch as usize {
                return Ok(());
            }
        }
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let started = std::time::Instant::now();
        let stmt = self.statement(sql)?;
        let n = self.tx()?.execute(&stmt, &refs(params)).map_err(map_err)?;
        super::note_if_slow(sql, started);
        Ok(n)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.tx()?.batch_execute(sql).map_err(map_err)
    }
}
