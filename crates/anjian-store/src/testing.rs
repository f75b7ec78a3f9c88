//! Throw-away stores for tests: a temporary SQLite file always, and a fresh
//! PostgreSQL database when `ANJIAN_TEST_PG` names a server URL. Each is
//! removed (file deleted, database dropped) when the guard is dropped. The benchmarks make
//! their scratch databases on a named server the same way ([`TestStore::postgres_on`]).

use crate::{Store, StoreUrl};
use std::path::PathBuf;

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

fn random_suffix() -> String {
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

/// The template PostgreSQL test databases are copied from, on the server of `admin_url`:
/// a database migrated to the latest version, named by the migrations' fingerprint, made
/// once per server and set of migrations (under an advisory lock, so that test processes
/// running at once make it once) and never connected to afterwards (a template being read
/// cannot be copied). Templates of other migration sets are dropped when a new one is made.
fn template(admin_url: &str) -> Result<String, String> {
    static MADE: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let name = format!("anjian_tpl_{}", &crate::migrate::fingerprint()[..16]);
    let key = format!("{admin_url} {name}");
    let mut made = MADE
        .lock()
        .map_err(|_| "template lock poisoned".to_string())?;
    if made.contains(&key) {
        return Ok(name);
    }
    let err = |e: postgres::Error| e.to_string();
    let mut client = postgres::Client::connect(admin_url, postgres::NoTls).map_err(err)?;
    // Held until this connection closes (the end of this function), however it ends.
    client
        .batch_execute("SELECT pg_advisory_lock(726002)")
        .map_err(err)?;
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .map_err(err)?
        .is_some();
    if !exists {
        let build = format!("anjian_tplbuild_{}", random_suffix());
        client
            .batch_execute(&format!("CREATE DATABASE {build}"))
            .map_err(err)?;
        let migrated = Store::open(&StoreUrl::Postgres(with_database(admin_url, &build)))
            .map(drop)
            .map_err(|e| e.to_string());
        // The store's connections may linger a moment after it is dropped.
        let mut renamed = Err(String::new());
        for _ in 0..50 {
            if migrated.is_err() {
                break;
            }
            client
                .query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                    &[&build],
                )
                .map_err(err)?;
            renamed = client
                .batch_execute(&format!("ALTER DATABASE {build} RENAME TO {name}"))
                .map_err(err);
            if renamed.is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if let Err(e) = migrated.and(renamed) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {build} WITH (FORCE)"));
            return Err(e);
        }
        client
            .batch_execute(&format!(
                "ALTER DATABASE {name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
            ))
            .map_err(err)?;
        let old: Vec<String> = client
            .query(
                "SELECT datname FROM pg_database WHERE datname LIKE 'anjian\\_tpl\\_%' AND datname <> $1",
                &[&name],
            )
            .map_err(err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for o in old {
            let _ = client.batch_execute(&format!("ALTER DATABASE {o} WITH IS_TEMPLATE false"));
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {o}"));
        }
    }
    made.push(key);
    Ok(name)
}

/// The name of every PostgreSQL test database starts with this and `_`.
const TEST_DB_PREFIX: &str = "anjian_t";

/// A test database's commits do not wait for PostgreSQL's WAL flush
/// (`synchronous_commit = off` for the database): no test crashes PostgreSQL, so none could
/// tell the difference, and the suites wait for the disk a fraction as long. What a test can
/// observe is unchanged: a commit is visible to every later reader, and it survives the death
/// of the client (the `kill -9` tests kill `anjian serve`, never PostgreSQL). Benchmarks'
/// scratch databases keep the server's setting.
fn relax_commits(client: &mut postgres::Client, db: &str) -> Result<(), String> {
    client
        .batch_execute(&format!("ALTER DATABASE {db} SET synchronous_commit = off"))
        .map_err(|e| format!("{db}: {e}"))
}

/// Where [`process_fixture`] keeps the fixtures of this crate's own helpers.
fn fixture_dir() -> PathBuf {
    std::env::temp_dir().join("anjian-fixtures")
}

/// The flag of fixture `key` in this process, behind its own lock (so that making one fixture
/// does not hold up the others): `true` once made. Concurrent callers wait on the lock for
/// the one making it; if that one fails (or panics), the next caller tries again.
fn fixture_slot(key: &str) -> Result<std::sync::Arc<std::sync::Mutex<bool>>, String> {
    type Slots = Vec<(String, std::sync::Arc<std::sync::Mutex<bool>>)>;
    static SLOTS: std::sync::Mutex<Slots> = std::sync::Mutex::new(Vec::new());
    let mut slots = SLOTS
        .lock()
        .map_err(|_| "fixture lock poisoned".to_string())?;
    if let Some((_, slot)) = slots.iter().find(|(k, _)| k == key) {
        return Ok(slot.clone());
    }
    let slot = std::sync::Arc::new(std::sync::Mutex::new(false));
    slots.push((key.to_string(), slot.clone()));
    Ok(slot)
}

/// Whether the process `pid` named in a fixture's name has ended (its fixture may go).
fn ended(pid: u32) -> bool {
    pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// The PostgreSQL database `anjian_fx_{name}_{pid}` on the server of `admin_url`: a copy of
/// the migrated [`template`] on which `make` has run, made once per process and `name` and
/// never connected to afterwards, so that tests can copy it. The first time, fixtures left
/// by processes that have ended are dropped (a test process has no hook at its exit, so the
/// last process's fixtures stay until the next one starts).
fn pg_fixture(
    admin_url: &str,
    name: &str,
    make: impl FnOnce(std::sync::Arc<Store>) -> Result<(), String>,
) -> Result<String, String> {
    let db = format!("anjian_fx_{name}_{}", std::process::id());
    let slot = fixture_slot(&format!("{admin_url} {db}"))?;
    let mut done = slot.lock().unwrap_or_else(|p| p.into_inner());
    if *done {
        return Ok(db);
    }
    let err = |e: postgres::Error| e.to_string();
    let mut client = postgres::Client::connect(admin_url, postgres::NoTls).map_err(err)?;
    let fixtures: Vec<String> = client
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'anjian\\_fx\\_%'",
            &[],
        )
        .map_err(err)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for f in fixtures {
        let owner = f.rsplit('_').next().and_then(|p| p.parse::<u32>().ok());
        if f == db || owner.is_some_and(ended) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {f} WITH (FORCE)"));
        }
    }
    let tpl = template(admin_url)?;
    client
        .batch_execute(&format!("CREATE DATABASE {db} TEMPLATE {tpl}"))
        .map_err(err)?;
    let made = Store::open(&StoreUrl::Postgres(with_database(admin_url, &db)))
        .map_err(|e| e.to_string())
        .and_then(|store| make(std::sync::Arc::new(store)));
    // Nothing may stay connected to a database being copied.
    let closed = client
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            &[&db],
        )
        .map_err(err);
    if let Err(e) = made.and(closed.map(drop)) {
        let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
        return Err(format!("fixture {name}: {e}"));
    }
    *done = true;
    Ok(db)
}

/// A file in `dir` made by `make` once per process and `name` (a test fixture too slow to
/// make for every test, such as the demo county: tests copy it), named `{name}-{pid}`.
/// The first time, files of that name left by processes that have ended are removed (a
/// test process has no hook at its exit). Concurrent callers wait for the one making it;
/// if `make` fails, the next caller tries again.
pub fn process_fixture(
    dir: &std::path::Path,
    name: &str,
    make: impl FnOnce(&std::path::Path) -> Result<(), String>,
) -> Result<PathBuf, String> {
    let path = dir.join(format!("{name}-{}", std::process::id()));
    let slot = fixture_slot(&path.display().to_string())?;
    let mut done = slot.lock().unwrap_or_else(|p| p.into_inner());
    if !*done {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let prefix = format!("{name}-");
        for e in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
            let file = e.file_name().to_string_lossy().to_string();
            let Some(rest) = file.strip_prefix(&prefix) else {
                continue;
            };
            let owner = rest
                .split(['-', '.'])
                .next()
                .and_then(|p| p.parse::<u32>().ok());
            if owner.is_some_and(ended) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        // A process before this one with the same id may have left the file, and its
        // write-ahead log, which SQLite would otherwise apply to the new database.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        make(&path)?;
        *done = true;
    }
    Ok(path)
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
        let cleanup = Cleanup::PgDatabase {
            admin_url: admin_url.clone(),
            db: db.clone(),
        };
        relax_commits(&mut client, &db)?;
        let store = Store::open(&StoreUrl::Postgres(with_database(&admin_url, &db)))
            .map_err(|e| e.to_string())?;
        Ok(Self {
            name: "postgres",
            store: std::sync::Arc::new(store),
            cleanup,
        })
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
            let url = with_database(&admin_url, &db);
            let cleanup = Cleanup::PgDatabase {
                admin_url: admin_url.clone(),
                db: db.clone(),
            };
            // A benchmark's scratch database commits as the server is configured.
            if prefix == TEST_DB_PREFIX {
                relax_commits(&mut client, &db)?;
            }
            match open(&StoreUrl::Postgres(url), version) {
                Ok(store) => Ok(Self {
                    name: "postgres",
                    store: std::sync::Arc::new(store),
                    cleanup,
                }),
                Err(e) => {
                    drop(cleanup);
                    Err(e.to_string())
                }
            }
        })()
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

/// Copies a SQLite database file to `to`, with its write-ahead log if it has one (a store
/// whose last connection to close was a read-only reader keeps one, and the copy would miss
/// its last commits without it). Nothing may write to `from` meanwhile.
pub fn copy_sqlite_file(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    std::fs::copy(from, to).map_err(|e| format!("{}: {e}", from.display()))?;
    let wal_of = |p: &std::path::Path| {
        let mut name = p.file_name().unwrap_or_default().to_os_string();
        name.push("-wal");
        p.with_file_name(name)
    };
    let wal = wal_of(from);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        std::fs::copy(&wal, wal_of(to)).map_err(|e| format!("{}: {e}", wal.display()))?;
    }
    Ok(())
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
