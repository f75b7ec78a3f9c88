//! The PostgreSQL side of the test stores: the migrated template, fixture databases copied
//! from it, and test databases that commit without waiting for the WAL flush.

use super::fixtures::{ended, fixture_slot};
use super::{random_suffix, with_database};
use crate::{Store, StoreUrl};

/// The template PostgreSQL test databases are copied from, on the server of `admin_url`:
/// a database migrated to the latest version, named by the migrations' fingerprint, made
/// once per server and set of migrations (under an advisory lock, so that test processes
/// running at once make it once) and never connected to afterwards (a template being read
/// cannot be copied). Templates of other migration sets are dropped when a new one is made.
pub(super) fn template(admin_url: &str) -> Result<String, String> {
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
pub(super) const TEST_DB_PREFIX: &str = "anjian_t";

/// A test database's commits do not wait for PostgreSQL's WAL flush
/// (`synchronous_commit = off` for the database): no test crashes PostgreSQL, so none could
/// tell the difference, and the suites wait for the disk a fraction as long. What a test can
/// observe is unchanged: a commit is visible to every later reader, and it survives the death
/// of the client (the `kill -9` tests kill `anjian serve`, never PostgreSQL). Benchmarks'
/// scratch databases keep the server's setting.
pub(super) fn relax_commits(client: &mut postgres::Client, db: &str) -> Result<(), String> {
    client
        .batch_execute(&format!("ALTER DATABASE {db} SET synchronous_commit = off"))
        .map_err(|e| format!("{db}: {e}"))
}

/// The PostgreSQL database `anjian_fx_{name}_{pid}` on the server of `admin_url`: a copy of
/// the migrated [`template`] on which `make` has run, made once per process and `name` and
/// never connected to afterwards, so that tests can copy it. The first time, fixtures left
/// by processes that have ended are dropped (a test process has no hook at its exit, so the
/// last process's fixtures stay until the next one starts).
pub(super) fn pg_fixture(
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
