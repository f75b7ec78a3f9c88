//! Fixtures made once per test process and copied for each test: SQLite files, and the
//! per-process bookkeeping the PostgreSQL fixture databases share.

use std::path::PathBuf;

/// Where [`process_fixture`] keeps the fixtures of this crate's own helpers.
pub(super) fn fixture_dir() -> PathBuf {
    std::env::temp_dir().join("anjian-fixtures")
}

/// The flag of fixture `key` in this process, behind its own lock (so that making one fixture
/// does not hold up the others): `true` once made. Concurrent callers wait on the lock for
/// the one making it; if that one fails (or panics), the next caller tries again.
pub(super) fn fixture_slot(key: &str) -> Result<std::sync::Arc<std::sync::Mutex<bool>>, String> {
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
pub(super) fn ended(pid: u32) -> bool {
    pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
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
