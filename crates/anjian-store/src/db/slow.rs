//! Statements slower than a threshold are logged with their text.

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
pub(super) fn is_slow(took: std::time::Duration) -> bool {
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
