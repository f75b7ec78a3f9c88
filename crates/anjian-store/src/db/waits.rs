//! How often and how long callers waited for a connection: the SQLite writer (one at a time)
//! and the PostgreSQL pool when all its connections are busy. Read by the server's metrics.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

static WAITS: AtomicU64 = AtomicU64::new(0);
static WAIT_MICROS: AtomicU64 = AtomicU64::new(0);

/// Waits so far, and their total time in seconds, since the process started.
pub fn pool_waits() -> (u64, f64) {
    (
        WAITS.load(Ordering::Relaxed),
        WAIT_MICROS.load(Ordering::Relaxed) as f64 / 1e6,
    )
}

/// Counts one wait that began at `since`.
pub(crate) fn waited(since: Instant) {
    let micros = u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX);
    WAITS.fetch_add(1, Ordering::Relaxed);
    WAIT_MICROS.fetch_add(micros, Ordering::Relaxed);
}
