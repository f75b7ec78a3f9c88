//! SQLite's checkpoints, on a thread of their own.
//!
//! In WAL mode SQLite copies the log back into the database file once the log passes a
//! thousand pages, and by default it does so inside the commit that passed it: on the
//! writer, while the group that committed waits for its answer and the next group waits for
//! the writer (issue 19: 10 % of the server's time under POST load was
//! `sqlite3WalDefaultHook`). Here the writer does not checkpoint (`wal_autocheckpoint = 0`)
//! and a thread with a connection of its own runs a `PASSIVE` checkpoint after every
//! [`EVERY`] commits, and after [`IDLE`] without a commit when any is left. A passive
//! checkpoint takes no lock a writer or reader waits for: it copies what no reader still
//! needs and leaves the rest for the next one. The log restarts from its beginning at the
//! first write after a checkpoint that copied all of it, as before.
//!
//! Durability is SQLite's as before: a commit is durable once its log frames are synced
//! (`synchronous = FULL`); a checkpoint interrupted by a crash is redone from the log when
//! the database is next opened.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Commits between two checkpoints: a group of POSTs writes about a hundred and fifty pages
/// to the log, so about SQLite's own thousand pages.
const EVERY: u64 = 8;
/// A log left with commits in it is checkpointed after this long without another.
const IDLE: Duration = Duration::from_millis(500);

#[derive(Default)]
struct State {
    /// Commits since the last checkpoint.
    pending: u64,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    cv: Condvar,
    /// Checkpoints run (tests).
    done: AtomicU64,
}

/// The checkpointing thread of one database file; stopped and joined when dropped.
pub(super) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread with its own connection on `path` (opened by `open`); `None` when
    /// the connection or the thread cannot be had, and then the writer keeps checkpointing.
    pub(super) fn start(
        path: &Path,
        open: impl FnOnce(&Path) -> super::Result<rusqlite::Connection>,
    ) -> Option<Self> {
        let conn = match open(path) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "no checkpoint connection: the writer checkpoints");
                return None;
            }
        };
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("anjian-checkpoint".into())
            .spawn({
                let shared = shared.clone();
                move || run(&conn, &shared)
            });
        match thread {
            Ok(t) => Some(Self {
                shared,
                thread: Some(t),
            }),
            Err(e) => {
                tracing::warn!(error = %e, "no checkpoint thread: the writer checkpoints");
                None
            }
        }
    }

    /// Counts a commit of the writer.
    pub(super) fn committed(&self) {
        let mut s = lock(&self.shared.state);
        s.pending += 1;
        if s.pending >= EVERY {
            self.shared.cv.notify_one();
        }
    }

    /// Checkpoints run so far.
    #[cfg(test)]
    pub(super) fn done(&self) -> u64 {
        self.shared.done.load(Ordering::SeqCst)
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        lock(&self.shared.state).stop = true;
        self.shared.cv.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn lock(m: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

fn run(conn: &rusqlite::Connection, shared: &Shared) {
    loop {
        let mut s = lock(&shared.state);
        while !s.stop && s.pending < EVERY {
            let before = s.pending;
            let (next, _) = match shared.cv.wait_timeout(s, IDLE) {
                Ok(x) => x,
                Err(p) => p.into_inner(),
            };
            s = next;
            // Quiet for IDLE with commits left: checkpoint them now.
            if s.pending > 0 && s.pending == before {
                break;
            }
        }
        if s.stop {
            return;
        }
        s.pending = 0;
        drop(s);
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "checkpoint failed; the next one retries");
        }
        shared.done.fetch_add(1, Ordering::SeqCst);
    }
}
