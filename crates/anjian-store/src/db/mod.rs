//! The thin seam between store logic and the two database drivers.
//!
//! Store code is written once against [`Tx`]: portable SQL with `?`
//! placeholders and [`Value`]/[`Row`] for parameters and results. The SQLite
//! backend runs it through rusqlite (one writer connection, a pool of
//! read-only connections); the PostgreSQL backend through the `postgres`
//! client, rewriting `?` to `$n` once per statement text. Only genuinely
//! dialect-specific text (migrations, locks) branches on [`Dialect`].

pub mod pg;
pub mod sqlite;

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

/// `LIMIT n` written into the statement. A bound `LIMIT ?` makes SQLite's planner depend on
/// the bound value, so the statement is recompiled on every execution (checked with
/// `StatementStatus::RePrepare`: once per run, whatever the value); the page sizes are
/// clamped integers, so the literal is safe and a page size keeps one cached statement.
pub fn limit(n: i64) -> String {
    format!("LIMIT {n}")
}

/// A parameter or column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Bytes(v.to_vec())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a parameter list: `params![a, b, c]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { [$($crate::db::Value::from($v)),*] };
}

/// A stored code checked against the domain's parser: a value that does not parse is an
/// error naming the table, row and column, never a default.
pub(crate) fn checked<T>(
    table: &'static str,
    row: i64,
    column: &'static str,
    value: String,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<String> {
    if parse(&value).is_some() {
        Ok(value)
    } else {
        Err(StoreError::Corrupt {
            table,
            row,
            column,
            value,
        })
    }
}

/// A stored code read as its domain type: a value that does not parse is an error naming the
/// table, row and column, never a default.
pub(crate) fn parsed<T>(
    table: &'static str,
    row: i64,
    column: &'static str,
    value: String,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T> {
    parse(&value).ok_or(StoreError::Corrupt {
        table,
        row,
        column,
        value,
    })
}

mod named;
pub(crate) use named::{Columns, Named, SelectList, col, date_of};

/// One result row; columns by position.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

fn col_err(i: usize, want: &str, got: &Value) -> StoreError {
    StoreError::Backend(format!("column {i}: expected {want}, got {got:?}"))
}

impl Row {
    fn at(&self, i: usize) -> Result<&Value> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Backend(format!("column {i} missing")))
    }
    pub fn i64(&self, i: usize) -> Result<i64> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(col_err(i, "integer", other)),
        }
    }
    pub fn opt_i64(&self, i: usize) -> Result<Option<i64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.i64(i).map(Some),
        }
    }
    pub fn f64(&self, i: usize) -> Result<f64> {
        match self.at(i)? {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            other => Err(col_err(i, "real", other)),
        }
    }
    pub fn text(&self, i: usize) -> Result<String> {
        match self.at(i)? {
            Value::Text(v) => Ok(v.clone()),
            other => Err(col_err(i, "text", other)),
        }
    }
    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
    /// [`Row::text`] without a copy: moves the string out (for rows read once, on hot
    /// paths); the column is left empty.
    pub fn take_text(&mut self, i: usize) -> Result<String> {
        match self.0.get_mut(i) {
            Some(Value::Text(v)) => Ok(std::mem::take(v)),
            Some(other) => Err(col_err(i, "text", other)),
            None => Err(StoreError::Backend(format!("column {i} missing"))),
        }
    }
    pub fn take_opt_text(&mut self, i: usize) -> Result<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.take_text(i).map(Some),
        }
    }
    pub fn bytes(&self, i: usize) -> Result<Vec<u8>> {
        match self.at(i)? {
            Value::Bytes(b) => Ok(b.clone()),
            Value::Text(t) => Ok(t.as_bytes().to_vec()),
            other => Err(col_err(i, "bytes", other)),
        }
    }
    pub fn bool(&self, i: usize) -> Result<bool> {
        match self.at(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(col_err(i, "boolean", other)),
        }
    }
}

/// A transaction (or a read snapshot) on either backend.
pub trait Tx {
    fn dialect(&self) -> Dialect;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs several `;`-separated statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// In a read transaction, a number that is the same in two snapshots only if no
    /// connection, of this process or another, committed anything between them; `None`
    /// where the backend cannot tell (PostgreSQL, write transactions), so that results
    /// keyed by it ([`crate::memo::Memo`]) are never reused there.
    fn data_generation(&mut self) -> Result<Option<u64>> {
        Ok(None)
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

/// Statements taking longer than this many milliseconds are logged at `warn` with their
/// text (target `anjian_store::slow`); 0, the default, logs none. The server turns it on
/// (`serve --slow-statement-ms`), so an installation can see which page or job needs an
/// index before its users say so; batch commands (demo data, imports, benchmarks), whose
/// long statements are expected, leave it off.
static SLOW_STATEMENT_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Sets the slow-statement threshold for this process (`None` or zero: off).
pub fn log_slow_statements(after: Option<std::time::Duration>) {
    let ms = after.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    SLOW_STATEMENT_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
}

/// Whether a statement that took `took` is slow under the current threshold.
fn is_slow(took: std::time::Duration) -> bool {
    let ms = SLOW_STATEMENT_MS.load(std::sync::atomic::Ordering::Relaxed);
    ms > 0 && took.as_millis() > u128::from(ms)
}

/// Logs `sql` if it has been running since `started` for longer than the threshold:
/// the statement's text only, never its parameters (they may be personal data).
pub(crate) fn note_if_slow(sql: &str, started: std::time::Instant) {
    let took = started.elapsed();
    if is_slow(took) {
        tracing::warn!(
            target: "anjian_store::slow",
            ms = took.as_millis() as u64,
            sql,
            "slow statement"
        );
    }
}

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

    /// Runs `f` on a consistent read snapshot.
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

    /// SQLite: pragmas on the writer connection outside a transaction; PostgreSQL: nothing.
    pub fn writer_pragmas(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(db) => db.writer_pragmas(sql),
            Db::Postgres(_) => Ok(()),
        }
    }

    /// Runs `f` in one write transaction: committed if `f` returns `Ok`, rolled back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        match self {
            Db::Sqlite(db) => db.write(f),
            Db::Postgres(db) => db.write(f),
        }
    }
}

/// Rewrites `?` placeholders to `$1, $2, ...`, leaving quoted text alone.
pub fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut in_str = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_str = !in_str;
                out.push(c);
            }
            '?' if !in_str => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// `(?, …), (?, …)`: the VALUES of a multi-row INSERT of `rows` rows of `cols` columns.
pub fn row_placeholders(cols: usize, rows: usize) -> String {
    vec![format!("({})", placeholders(cols)); rows].join(", ")
}

/// `?, ?, ?` for an `IN (...)` list of `n` items.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Off by default; on, only statements over the threshold count; off again.
    #[test]
    fn the_slow_statement_threshold() {
        use std::time::Duration;
        assert!(!is_slow(Duration::from_secs(3600)));
        log_slow_statements(Some(Duration::from_millis(200)));
        assert!(!is_slow(Duration::from_millis(200)));
        assert!(is_slow(Duration::from_millis(201)));
        log_slow_statements(Some(Duration::ZERO));
        assert!(!is_slow(Duration::from_secs(3600)));
        log_slow_statements(None);
        assert!(!is_slow(Duration::from_secs(3600)));
    }

    #[test]
    fn placeholders_are_numbered_outside_strings() {
        assert_eq!(
            numbered_placeholders("SELECT '?' , a FROM t WHERE a = ? AND b IN (?, ?)"),
            "SELECT '?' , a FROM t WHERE a = $1 AND b IN ($2, $3)"
        );
    }

    /// Every statement of the store with a bound `LIMIT ?` was recompiled on each run
    /// (see [`limit`]); this keeps the pattern from coming back.
    #[test]
    fn no_statement_binds_its_limit() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let pattern = ["LIMIT", "?"].join(" ");
                    for (i, line) in text.lines().enumerate() {
                        if line.contains(&pattern) && !line.trim_start().starts_with("//") {
                            found.push(format!("{}:{}", path.display(), i + 1));
                        }
                    }
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        walk(&src, &mut found);
        assert!(src.is_dir());
        assert!(found.is_empty(), "bound LIMIT in {found:?}");
    }
}
