//! Throw-away stores for tests: a temporary SQLite file always, and a fresh
//! PostgreSQL database when `ANJIAN_TEST_PG` names a server URL. Each is
//! removed (file deleted, database dropped) when the guard is dropped. The benchmarks make
//! their scratch databases on a named server the same way ([`TestStore::postgres_on`]).

use crate::{Store, StoreUrl};
use std::path::PathBuf;

mod fixtures;
mod pg;
use fixtures::fixture_dir;
pub use fixtures::{copy_sqlite_file, process_fixture};
use pg::{TEST_DB_PREFIX, pg_fixture, relax_commits, template};

/// A store and what must be cleaned up after it.
pub struct TestStore {
    pub name: &'static str,
    pub store: std::sync::Arc<Store>,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    PgDatabase { admin_url: String, db: String },
}

pub(super) fn random_suffix() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        // Extremely unlikely; fall back to the process id and a counter.
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        b = ((u64::from(std::process::id()) << 32) | n).to_le_bytes();
    }
    hex::encode(b)
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{db}?{q}"),
        None => format!("{host_part}/{db}"),
    }
}

/// Opens a store migrated to `version`, or to the latest when none.
fn open(url: &StoreUrl, version: Option<i64>) -> crate::Result<Store> {
    match version {
        Some(v) => Store::open_at_version(url, v),
        None => Store::open(url),
    }
}

impl TestStore {
    /// A fresh SQLite store in the system temp folder: a copy of a store migrated once per
    /// process (migrating a new file takes a tenth of a second or more in a debug build,
    /// copying one a few milliseconds).
    pub fn sqlite() -> Result<Self, String> {
        let migrated = process_fixture(&fixture_dir(), "migrated", |path| {
            open(&StoreUrl::Sqlite(path.to_path_buf()), None)
                .map(drop)
                .map_err(|e| e.to_string())
        })?;
        Self::sqlite_copy_of(&migrated)
    }

    /// A fresh store that starts as a copy of a fixture made once per process and `name` by
    /// `make` on a fresh store: data many tests start from, such as the web suite's small
    /// county. On SQLite (`postgres` false) the fixture is a file ([`process_fixture`]); on
    /// PostgreSQL (the server of `ANJIAN_TEST_PG`) it is a database copied with
    /// `CREATE DATABASE … TEMPLATE` ([`pg_fixture`]). `name` is lower-case letters, digits
    /// and `_`.
    pub fn copy_of_fixture(
        postgres: bool,
        name: &str,
        make: impl FnOnce(std::sync::Arc<Store>) -> Result<(), String>,
    ) -> Result<Self, String> {
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!(
                "fixture name {name:?}: lower-case letters, digits and _ only"
            ));
        }
        if !postgres {
            let file = process_fixture(&fixture_dir(), name, |path| {
                let store =
                    open(&StoreUrl::Sqlite(path.to_path_buf()), None).map_err(|e| e.to_string())?;
                make(std::sync::Arc::new(store))
            })?;
            return Self::sqlite_copy_of(&file);
        }
        let admin_url = std::env::var("ANJIAN_TEST_PG")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| "ANJIAN_TEST_PG is not set".to_string())?;
        let source = pg_fixture(&admin_url, name, make)?;
        let db = format!("{TEST_DB_PREFIX}_{}", random_suffix());
        let mut client = postgres::Client::connect(&admin_url, postgres::NoTls)
            .map_err(|e| format!("{admin_url}: {e}"))?;
        client
            .batch_execute(&format!("CREATE DATABASE {db} TEMPLATE {source}"))
            .map_err(|e| format!("copy of fixture {source}: {e}"))?;
        Self::postgres_created(&mut client, &admin_url, &db, None)
    }

    /// [`TestStore::sqlite`] migrated to `version` only (a migration's test writes the old
    /// shape, then runs [`Store::migrate`]).
    fn sqlite_at(version: Option<i64>) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("anjian-test-{}", random_suffix()));
        let path = dir.join("anjian.sqlite");
        let store = open(&StoreUrl::Sqlite(path), version).map_err(|e| e.to_string())?;
        Ok(Self {
            name: "sqlite",
            store: std::sync::Arc::new(store),
            cleanup: Cleanup::File(dir),
        })
    }

    /// A fresh SQLite store that starts as a copy of the SQLite database `file` (a fixture
    /// made once, such as the demo county: see [`process_fixture`]).
    pub fn sqlite_copy_of(file: &std::path::Path) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("anjian-test-{}", random_suffix()));
        let path = dir.join("anjian.sqlite");
        let cleanup = Cleanup::File(dir.clone());
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        copy_sqlite_file(file, &path)?;
        let store = open(&StoreUrl::Sqlite(path), None).map_err(|e| e.to_string())?;
        Ok(Self {
            name: "sqlite",
            store: std::sync::Arc::new(store),
            cleanup,
        })
    }

    /// A fresh PostgreSQL database on the server of `ANJIAN_TEST_PG`, if set.
    pub fn postgres() -> Option<Result<Self, String>> {
        Self::postgres_at(None)
    }

    fn postgres_at(version: Option<i64>) -> Option<Result<Self, String>> {
        let admin_url = std::env::var("ANJIAN_TEST_PG")
            .ok()
            .filter(|s| !s.trim().is_empty())?;
        Some(Self::postgres_in(&admin_url, TEST_DB_PREFIX, version))
    }

    /// A fresh database (`anjian_bench_…`), migrated, on the PostgreSQL server of
    /// `admin_url` (any database of it the account may create databases from); dropped with
    /// the guard.
    pub fn postgres_on(admin_url: &str) -> Result<Self, String> {
        Self::postgres_in(admin_url, "anjian_bench", None)
    }

    fn postgres_in(admin_url: &str, prefix: &str, version: Option<i64>) -> Result<Self, String> {
        let admin_url = admin_url.to_string();
        (|| {
            let db = format!("{prefix}_{}", random_suffix());
            let mut client = postgres::Client::connect(&admin_url, postgres::NoTls)
                .map_err(|e| format!("{admin_url}: {e}"))?;
            // A store at the latest version is a copy of the migrated template (a fraction of
            // a second, where running the migrations takes one or two); if the copy fails (a
            // template dropped by a run of another build), the migrations run as before.
            let copied = version.is_none()
                && template(&admin_url).is_ok_and(|tpl| {
                    client
                        .batch_execute(&format!("CREATE DATABASE {db} TEMPLATE {tpl}"))
                        .is_ok()
                });
            if !copied {
                client
                    .batch_execute(&format!("CREATE DATABASE {db}"))
                    .map_err(|e| e.to_string())?;
            }
            Self::postgres_created(&mut client, &admin_url, &db, version)
        })()
    }

    /// The store on database `db` just created on the server of `admin_url` (through
    /// `client`), migrated to `version` (the latest when none); dropped with the guard, and
    /// at once if it cannot be opened. A test database commits without waiting for the WAL
    /// flush ([`relax_commits`]); a benchmark's scratch database as the server is configured.
    fn postgres_created(
        client: &mut postgres::Client,
        admin_url: &str,
        db: &str,
        version: Option<i64>,
    ) -> Result<Self, String> {
        let cleanup = Cleanup::PgDatabase {
            admin_url: admin_url.to_string(),
            db: db.to_string(),
        };
        if db.starts_with(&format!("{TEST_DB_PREFIX}_")) {
            relax_commits(client, db)?;
        }
        let store = open(&StoreUrl::Postgres(with_database(admin_url, db)), version)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            name: "postgres",
            store: std::sync::Arc::new(store),
            cleanup,
        })
    }

    /// Every configured backend: SQLite, plus PostgreSQL when `ANJIAN_TEST_PG` is set.
    pub fn all() -> Vec<TestStore> {
        Self::all_at(None)
    }

    /// [`TestStore::all`] migrated to `version` only: a migration's test writes rows of the
    /// old shape, then runs [`Store::migrate`] and reads what it made of them.
    pub fn all_at_version(version: i64) -> Vec<TestStore> {
        Self::all_at(Some(version))
    }

    fn all_at(version: Option<i64>) -> Vec<TestStore> {
        let mut v = Vec::new();
        match Self::sqlite_at(version) {
            Ok(s) => v.push(s),
            Err(e) => panic!("cannot create SQLite test store: {e}"),
        }
        if let Some(pg) = Self::postgres_at(version) {
            match pg {
                Ok(s) => v.push(s),
                Err(e) => panic!("cannot create PostgreSQL test store: {e}"),
            }
        }
        v
    }

    /// The `--db` URL of this store (for tests that start the binary or reopen the store).
    /// A second, independently opened store on the same database: to a conformance
    /// test, another process.
    pub fn second_handle(&self) -> Result<Store, String> {
        Store::open(&self.url()).map_err(|e| format!("reopen: {e}"))
    }

    pub fn url(&self) -> StoreUrl {
        match (&self.cleanup, &self.store.db) {
            (Cleanup::File(dir), _) => StoreUrl::Sqlite(dir.join("anjian.sqlite")),
            (_, crate::db::Db::Postgres(pg)) => StoreUrl::Postgres(pg.url().to_string()),
            (Cleanup::PgDatabase { admin_url, db }, _) => {
                StoreUrl::Postgres(with_database(admin_url, db))
            }
        }
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, db } => {
                if let Ok(mut c) = postgres::Client::connect(admin_url, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://u@h/postgres?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://u@h", "x"),
            "postgres://u@h/x"
        );
    }
}
