//! Persistence for anjian.
//!
//! One [`Store`] type holds every store method, written once against the
//! [`db::Tx`] seam and run on SQLite (rusqlite) or PostgreSQL (`postgres`),
//! chosen by URL scheme. Every read takes the caller's [`Scope`]; every write
//! takes a [`Change`] (scope + who/when/request) and appends its audit entry
//! in the same transaction as the record.
//!
//! [`Scope`]: anjian_domain::Scope

pub mod accidents;
pub mod accountability;
pub mod assessments;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod calendar;
pub mod campaigns;
pub mod capability;
pub mod cases;
pub mod commissions;
pub mod db;
pub mod departments;
mod digest;
pub mod disasters;
pub mod dispatch;
pub mod documents;
pub mod draws;
pub mod duties;
pub mod emergency;
pub mod enterprises;
mod fill;
pub mod forest;
pub mod hazards;
pub mod inspections;
pub mod leaders;
pub mod letters;
pub mod listings;
pub mod major;
pub mod map;
pub mod memo;
mod migrate;
pub mod monitoring;
pub mod notices;
pub mod paging;
pub mod plans;
pub mod publicity;
pub mod regions;
pub mod reports;
pub mod risk;
pub mod risk_steering;
pub mod rollups;
pub mod schema;
mod scope_sql;
pub mod sectors;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod station;
pub mod stats;
pub mod testing;
pub mod training;
pub mod transfers;
pub mod users;
pub mod work;

use anjian_domain::Scope;
use chrono::{DateTime, Utc};
use db::{Db, Dialect};
use std::path::PathBuf;

pub use db::Value;
pub use digest::TableSummary;

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("outside the caller's scope")]
    Forbidden,
    #[error("duplicate key: {0}")]
    Duplicate(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Backend(String),
    /// The schema cannot be brought up to date (an applied migration was edited ...).
    #[error("{0}")]
    Migration(String),
    /// A stored value that the domain cannot read (a state, level or kind outside its
    /// list): never replaced by a default.
    #[error("{table} row {row}, column {column}: the stored value {value:?} cannot be read")]
    Corrupt {
        table: &'static str,
        row: i64,
        column: &'static str,
        value: String,
    },
    /// The database driver failed; the driver's error is kept as the source.
    #[error("database error")]
    Database(#[source] DbFailure),
}

/// A driver error with what was being done, kept whole so logs show the full chain.
#[derive(Debug, Clone)]
pub struct DbFailure {
    pub context: &'static str,
    pub source: std::sync::Arc<dyn std::error::Error + Send + Sync>,
}

impl DbFailure {
    pub fn new(context: &'static str, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            context,
            source: std::sync::Arc::new(e),
        }
    }
}

impl std::fmt::Display for DbFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.context)
    }
}

impl std::error::Error for DbFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

impl PartialEq for DbFailure {
    fn eq(&self, other: &Self) -> bool {
        self.context == other.context && self.source.to_string() == other.source.to_string()
    }
}

/// An error and its sources, one after the other ("a: b: c"), for logs.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who changes what, when, from which request: every write carries one.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub scope: &'a Scope,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub request_id: String,
    pub ip: String,
}

impl<'a> Change<'a> {
    /// A change made by the system itself (CLI, demo, jobs).
    pub fn system(scope: &'a Scope, actor: &str, at: DateTime<Utc>) -> Self {
        Self {
            scope,
            actor_id: None,
            actor: actor.to_string(),
            at,
            request_id: String::new(),
            ip: String::new(),
        }
    }

    pub(crate) fn require_writable(&self) -> Result<()> {
        if self.scope.writable {
            Ok(())
        } else {
            Err(StoreError::Forbidden)
        }
    }

    /// A regulator's own record at `region` (a forest grid entry, an emergency resource) may
    /// be written: a writable scope, not bound to enterprises, that admits the place.
    pub(crate) fn require_regulator_at(&self, region: &str) -> Result<()> {
        self.require_writable()?;
        if self.scope.enterprise_ids.is_some() || !self.scope.admits_region(region) {
            return Err(StoreError::Forbidden);
        }
        Ok(())
    }

    pub(crate) fn ts(&self) -> String {
        ts(self.at)
    }

    /// The change's day in China Standard Time (`YYYY-MM-DD`), the civil date of the act.
    pub(crate) fn day(&self) -> String {
        self.date().to_string()
    }

    /// The change's day in China Standard Time, the civil date of the act.
    pub(crate) fn date(&self) -> chrono::NaiveDate {
        self.at
            .with_timezone(&anjian_domain::clock::china_offset())
            .date_naive()
    }
}

/// Timestamps are stored as fixed-width RFC 3339 UTC text, so they sort as text.
pub fn ts(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Where a store lives, parsed from a `--db` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl StoreUrl {
    /// `sqlite://PATH`, `sqlite:PATH`, `postgres://...` or `postgresql://...`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let u = url.trim();
        if let Some(p) = u
            .strip_prefix("sqlite://")
            .or_else(|| u.strip_prefix("sqlite:"))
        {
            if p.is_empty() {
                return Err("sqlite URL needs a path: sqlite://data/anjian.sqlite".into());
            }
            return Ok(StoreUrl::Sqlite(PathBuf::from(p)));
        }
        if u.starts_with("postgres://") || u.starts_with("postgresql://") {
            return Ok(StoreUrl::Postgres(u.to_string()));
        }
        Err(format!(
            "unsupported store URL '{u}': use sqlite://PATH or postgres://USER@HOST/DB"
        ))
    }
}

/// The store: every persistence operation of anjian.
pub struct Store {
    db: Db,
    /// Bumped after every committed write that can end a session or change what its
    /// user may do (see [`Store::auth_generation`]).
    auth_generation: std::sync::atomic::AtomicU64,
    /// The hazard ledger's two totals per filter, kept while the database is unchanged.
    ledger_totals: memo::Memo<(i64, i64)>,
    /// Figures' rows (a metric's value, or a batch of them from one query), kept while
    /// nothing is committed: a dashboard reads some thirty of them per view.
    figures: memo::Memo<db::Row>,
    keep_figures: std::sync::atomic::AtomicBool,
    /// Region lists (every filter form and picker reads them), kept the same way.
    region_lists: memo::Memo<Vec<regions::Region>>,
    /// The sector list, kept the same way.
    sector_list: memo::Memo<Vec<sectors::Sector>>,
    /// The working-day calendar, kept the same way.
    calendar_memo: memo::Memo<std::sync::Arc<anjian_domain::calendar::Calendar>>,
    /// The decision-period setting and the departments' names, kept the same way.
    decision_memo: memo::Memo<std::sync::Arc<settings::DecisionInputs>>,
    /// The county codes hazards carry (where a list read county by county looks), kept
    /// the same way.
    hazard_counties: memo::Memo<std::sync::Arc<Vec<String>>>,
    /// Small configuration reads a page makes (settings, the work-item catalogue, the
    /// campaign definitions), their rows kept the same way ([`Store::kept_rows`]).
    small_reads: memo::Memo<std::sync::Arc<Vec<db::Row>>>,
    /// Whether hazard figures are read from the rollups where they answer exactly (on by
    /// default; off, every figure is scanned: the reference the tests and benchmarks
    /// compare with).
    rollups_on: std::sync::atomic::AtomicBool,
    county_pages_on: std::sync::atomic::AtomicBool,
}

impl Store {
    /// Opens a store and applies any pending migrations.
    pub fn open(url: &StoreUrl) -> Result<Self> {
        let store = Self::connect(url)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens a store and applies the pending migrations up to `version` only (a backup made
    /// at that version is restored into it, then the rest are applied).
    pub fn open_at_version(url: &StoreUrl, version: i64) -> Result<Self> {
        let store = Self::connect(url)?;
        migrate::run_to(&store.db, version)?;
        Ok(store)
    }

    fn connect(url: &StoreUrl) -> Result<Self> {
        let db = match url {
            StoreUrl::Sqlite(p) => Db::Sqlite(db::sqlite::SqliteDb::open(p)?),
            StoreUrl::Postgres(u) => Db::Postgres(db::pg::PgDb::open(u, 16)?),
        };
        let store = Self {
            db,
            auth_generation: std::sync::atomic::AtomicU64::new(0),
            ledger_totals: memo::Memo::new(256),
            figures: memo::Memo::new(2048),
            keep_figures: std::sync::atomic::AtomicBool::new(true),
            region_lists: memo::Memo::new(64),
            sector_list: memo::Memo::new(1),
            calendar_memo: memo::Memo::new(1),
            decision_memo: memo::Memo::new(1),
            hazard_counties: memo::Memo::new(64),
            small_reads: memo::Memo::new(256),
            rollups_on: std::sync::atomic::AtomicBool::new(true),
            county_pages_on: std::sync::atomic::AtomicBool::new(true),
        };
        Ok(store)
    }

    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// Applies pending migrations; returns the versions applied.
    pub fn migrate(&self) -> Result<Vec<i64>> {
        migrate::run(&self.db)
    }

    /// The schema version this build migrates to.
    pub fn latest_schema_version() -> i64 {
        migrate::latest()
    }

    /// The highest applied migration.
    pub fn schema_version(&self) -> Result<i64> {
        self.db.read(|tx| {
            tx.scalar_i64(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
        })
    }

    /// Cheap liveness check for `/healthz`.
    pub fn ping(&self) -> Result<()> {
        self.db.read(|tx| tx.query("SELECT 1", &[]).map(|_| ()))
    }

    /// A number that changes after every committed write of this store that can end a
    /// session or change its user's rights: logout and token revocation, a user's or a
    /// department's update, a password change. An in-process cache of verified sessions
    /// keeps the number it read before its own read and drops entries once it moves.
    /// (Writes made by another process are not seen here; such a cache must also expire.)
    pub fn auth_generation(&self) -> u64 {
        self.auth_generation
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// [`Store::write`] for a write that changes sessions, users or departments: the auth
    /// generation moves after (never before) the transaction ends, whether or not it
    /// committed, so a session read during the write is never cached as current.
    pub(crate) fn write_auth<T>(&self, f: impl FnOnce(&mut dyn db::Tx) -> Result<T>) -> Result<T> {
        let out = self.write(f);
        self.auth_generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        out
    }

    /// Whether reads are in-process (SQLite): an indexed point read then costs tens of
    /// microseconds and, in WAL mode, never waits for the writer. PostgreSQL reads wait
    /// on the network.
    pub fn reads_are_local(&self) -> bool {
        self.db.dialect() == Dialect::Sqlite
    }

    /// Reads hazard figures from the rollups (`true`, the default) or scans for every figure
    /// (`false`): for the equality tests and the benchmark's baseline.
    pub fn use_rollups(&self, on: bool) {
        self.rollups_on
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Reads a list by deadline or review over more than one county county by county
    /// (`true`, the default) or in one query over the scope (`false`): for the equality
    /// tests.
    pub fn use_county_pages(&self, on: bool) {
        self.county_pages_on
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn county_pages_on(&self) -> bool {
        self.county_pages_on
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Keeps figures read while nothing is committed (`true`, the default), or computes
    /// each every time (`false`): `bench report` times the computation, not the memo.
    pub fn keep_figures(&self, on: bool) {
        self.keep_figures
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Runs `f` with the kept figures and totals answered from the database state of one
    /// look, taken by the first of them (a page of many figures looks once; see
    /// [`memo::one_look`]).
    pub fn with_one_look<T>(&self, f: impl FnOnce() -> T) -> T {
        memo::one_look(&self.db, f)
    }

    /// The one row of a figure's query (an aggregate): kept per data generation (see
    /// [`memo`]) unless [`Store::keep_figures`] is off.
    pub(crate) fn figure_row(&self, sql: &str, params: &[db::Value]) -> Result<db::Row> {
        if self.keep_figures.load(std::sync::atomic::Ordering::Relaxed) {
            self.figures.read(&self.db, sql, params, |rows| {
                rows.into_iter().next().ok_or(StoreError::NotFound)
            })
        } else {
            self.db.read(|tx| tx.query_one(sql, params))
        }
    }

    /// The rows of a small configuration read, kept while nothing is committed (one read
    /// per database state however many requests ask; under a request's look, none).
    pub(crate) fn kept_rows(
        &self,
        sql: &str,
        params: &[db::Value],
    ) -> Result<std::sync::Arc<Vec<db::Row>>> {
        self.small_reads
            .read(&self.db, sql, params, |rows| Ok(std::sync::Arc::new(rows)))
    }

    pub(crate) fn rollups_on(&self) -> bool {
        self.rollups_on.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Runs `f` on one snapshot of the whole database: SQLite's read transaction is one
    /// already; on PostgreSQL the transaction is made REPEATABLE READ (its default, READ
    /// COMMITTED, takes a new snapshot per statement).
    pub(crate) fn snapshot<T>(&self, f: impl FnOnce(&mut dyn db::Tx) -> Result<T>) -> Result<T> {
        self.db.read(|tx| {
            if tx.dialect() == Dialect::Postgres {
                tx.batch("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")?;
            }
            f(tx)
        })
    }

    /// A write transaction for store methods: on PostgreSQL it first locks the audit
    /// head row, so concurrent writers queue in one order (no deadlock between a record
    /// row and the head) and audit numbers follow commit order.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut dyn db::Tx) -> Result<T>) -> Result<T> {
        self.db.write(|tx| audit_ordered(tx, f))
    }

    /// [`Store::write`] for a large write (an import): never part of another write's group
    /// commit (see `db::sqlite`).
    pub(crate) fn write_alone<T>(&self, f: impl FnOnce(&mut dyn db::Tx) -> Result<T>) -> Result<T> {
        self.db.write_alone(|tx| audit_ordered(tx, f))
    }

    /// Raw access for tests and tools that must bypass the store's rules
    /// (e.g. tampering with an audit row to prove verification catches it).
    pub fn raw_execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        self.db.write(|tx| tx.execute(sql, params))
    }
}

/// Runs a store write's `f` after taking, on PostgreSQL, the audit head's row lock: writers
/// of every instance queue in one lock order (see "Audit chain" in the architecture). A
/// transaction takes it once: the group's later members find it held. The head read with
/// the lock is kept for the write's audit entries.
fn audit_ordered<T>(
    tx: &mut dyn db::Tx,
    f: impl FnOnce(&mut dyn db::Tx) -> Result<T>,
) -> Result<T> {
    audit::lock_head(tx)?;
    f(tx)
}

/// The 12-digit county code a region lies in (every record stores it for county-level figures).
pub(crate) fn county_of(region_code: &str) -> Result<String> {
    anjian_domain::RegionCode::parse(region_code)
        .ok()
        .and_then(|c| c.county())
        .map(|c| c.as_str().to_string())
        .ok_or_else(|| StoreError::Invalid("region_code".into()))
}
