//! Group commit, the same for both stores: writes share one transaction and one durable
//! commit.
//!
//! A write that finds no transaction open on the writer session begins one, runs first in
//! it and leads its group (failing, it rolls back before anyone joined). Writes that queued
//! for the session meanwhile run in the same transaction, each inside a savepoint of its own
//! (a failing write is rolled back to its savepoint and fails alone). The leader then
//! commits once (one fsync on SQLite, one WAL flush on PostgreSQL), and every member answers
//! only after that commit is durable; a failed commit fails every member. A write alone
//! commits at once. Large writes (`alone`: imports, bulk loads, restores) never join a
//! group: a savepoint's journal is kept in memory on SQLite.
//!
//! A write that panics is rolled back (the leader's whole transaction, a member's savepoint)
//! before the panic goes on, so the session is never left inside a transaction holding
//! locks. A transaction the database ended on its own (SQLite rolls back the whole
//! transaction on a full disk or an I/O error) is noticed before a member runs and before
//! the commit: the group fails instead of its members' statements committing one by one.

use super::{Result, Tx};
use crate::StoreError;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a group's leader waits, at most, for queued writes to join it before it
/// commits (it commits at once when none is queued).
pub(super) const GROUP_WINDOW: Duration = Duration::from_millis(5);

/// Groups committed and the writes they held, since the process started (every store of
/// it): read by the server's metrics.
static GROUPS: AtomicU64 = AtomicU64::new(0);
static GROUPED_WRITES: AtomicU64 = AtomicU64::new(0);

/// Groups committed since the process started, and the writes they held (leaders and
/// members, including a member that failed alone): their quotient is the mean group size.
pub fn write_groups() -> (u64, u64) {
    (
        GROUPS.load(Ordering::Relaxed),
        GROUPED_WRITES.load(Ordering::Relaxed),
    )
}

/// The one connection grouped writes run on, as each store opens and ends its transactions.
pub(super) trait Session {
    /// Begins a write transaction.
    fn begin(&mut self) -> Result<()>;
    /// Commits (`true`) or rolls back the open transaction.
    fn end(&mut self, commit: bool) -> Result<()>;
    /// Whether the transaction begun is still open (the database may have ended it).
    fn in_transaction(&self) -> bool;
    /// Runs `f` on the open transaction.
    fn with_tx<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T>;
}

/// How one group ended, for its members: set once by the leader.
#[derive(Default)]
struct Outcome {
    ended: Mutex<Option<std::result::Result<(), String>>>,
    cv: Condvar,
}

impl Outcome {
    fn set(&self, r: std::result::Result<(), String>) {
        let mut ended = match self.ended.lock() {
            Ok(x) => x,
            Err(p) => p.into_inner(),
        };
        *ended = Some(r);
        drop(ended);
        self.cv.notify_all();
    }

    /// Waits until the group has ended: `Ok` once it committed.
    fn wait(&self) -> Result<()> {
        let state = || StoreError::Backend("group state poisoned".into());
        let mut ended = self.ended.lock().map_err(|_| state())?;
        loop {
            match &*ended {
                Some(Ok(())) => return Ok(()),
                Some(Err(msg)) => {
                    return Err(StoreError::Backend(format!("group commit failed: {msg}")));
                }
                None => ended = self.cv.wait(ended).map_err(|_| state())?,
            }
        }
    }
}

/// The writer session and the group transaction open on it, if any.
pub(super) struct Slot<S> {
    pub(super) session: S,
    /// The open group's outcome, shared with its members.
    open: Option<Arc<Outcome>>,
    /// Writes that ran in the open group (its leader and its members).
    writes: u64,
    /// A member's savepoint could not be rolled back: the open group must not commit.
    broken: bool,
}

pub(super) struct Group<S> {
    slot: Mutex<Slot<S>>,
    /// Writes waiting for the session (a group's leader lets them join before committing).
    queued: AtomicUsize,
    /// Groups committed by this handle.
    committed: AtomicU64,
    /// [`GROUP_WINDOW`], in microseconds (longer in a test that must see a group form).
    window_us: AtomicU64,
}

fn poisoned() -> StoreError {
    StoreError::Backend("writer poisoned".into())
}

impl<S: Session> Group<S> {
    pub(super) fn new(session: S) -> Self {
        Self {
            slot: Mutex::new(Slot {
                session,
                open: None,
                writes: 0,
                broken: false,
            }),
            queued: AtomicUsize::new(0),
            committed: AtomicU64::new(0),
            window_us: AtomicU64::new(u64::try_from(GROUP_WINDOW.as_micros()).unwrap_or(u64::MAX)),
        }
    }

    /// Runs `f` on the session outside any transaction (pragmas before a bulk load): after
    /// the group open on it, if any, has committed.
    pub(super) fn with_idle<T>(&self, f: impl FnOnce(&mut S) -> Result<T>) -> Result<T> {
        loop {
            let mut slot = self.slot.lock().map_err(|_| poisoned())?;
            if slot.open.is_none() {
                return f(&mut slot.session);
            }
            drop(slot);
            std::thread::yield_now();
        }
    }

    /// How long a leader waits, at most, for queued writes to join (tests lengthen it).
    #[cfg(test)]
    pub(super) fn set_window(&self, window: Duration) {
        self.window_us.store(
            u64::try_from(window.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    /// Groups committed so far (each with one durable commit).
    pub(super) fn committed(&self) -> u64 {
        self.committed.load(Ordering::Relaxed)
    }

    /// Writes waiting for the session now.
    pub(super) fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// The session, counted as queued while it waits (and the wait timed).
    fn slot(&self) -> Result<MutexGuard<'_, Slot<S>>> {
        match self.slot.try_lock() {
            Ok(s) => Ok(s),
            Err(std::sync::TryLockError::Poisoned(_)) => Err(poisoned()),
            Err(std::sync::TryLockError::WouldBlock) => {
                // Another write holds the session: count how long this one waits.
                let since = Instant::now();
                self.queued.fetch_add(1, Ordering::SeqCst);
                let s = self.slot.lock();
                self.queued.fetch_sub(1, Ordering::SeqCst);
                super::waits::waited(since);
                s.map_err(|_| poisoned())
            }
        }
    }

    /// Runs `f` in the open group's transaction (beginning one, and leading it, when none
    /// is open): its statements stand if it returns `Ok` and are rolled back otherwise.
    /// Answers once the group has committed (see the module). `alone`: never join a group.
    pub(super) fn write<T>(
        &self,
        alone: bool,
        f: impl FnOnce(&mut dyn Tx) -> Result<T>,
    ) -> Result<T> {
        let mut slot = self.slot()?;
        while alone && slot.open.is_some() {
            drop(slot);
            std::thread::yield_now();
            slot = self.slot()?;
        }
        let Some(outcome) = slot.open.clone() else {
            return self.lead(slot, f);
        };
        // A member: inside a savepoint of its own, answered after the leader's commit.
        if slot.broken || !slot.session.in_transaction() {
            return Err(StoreError::Backend(
                "the group's transaction was lost".into(),
            ));
        }
        slot.writes += 1;
        let out = match catch_unwind(AssertUnwindSafe(|| run_member(&mut slot.session, f))) {
            Ok((out, clean)) => {
                slot.broken |= !clean;
                out
            }
            Err(panic) => {
                // Roll the member back, then let its panic go on (the session unlocked
                // first, so it is not poisoned: the others' writes stand).
                let rolled_back = rollback_member(&mut slot.session).is_ok();
                slot.broken |= !rolled_back;
                drop(slot);
                resume_unwind(panic);
            }
        };
        drop(slot);
        let v = out?;
        outcome.wait()?;
        Ok(v)
    }

    /// Begins a group's transaction and runs `f` first in it (no savepoint: a failing `f`
    /// rolls the transaction back before anyone has joined), then lets the writes queued
    /// meanwhile join, then commits once.
    fn lead<'a, T>(
        &'a self,
        mut slot: MutexGuard<'a, Slot<S>>,
        f: impl FnOnce(&mut dyn Tx) -> Result<T>,
    ) -> Result<T> {
        slot.session.begin()?;
        let v = match catch_unwind(AssertUnwindSafe(|| slot.session.with_tx(f))) {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => {
                // The write's own error is the answer, whatever the rollback says.
                if let Err(re) = slot.session.end(false) {
                    tracing::warn!(error = %re, "rolling back a failed write");
                }
                return Err(e);
            }
            Err(panic) => {
                // Never leave the session inside a transaction (on PostgreSQL it holds the
                // audit head's row lock, which every writer of every instance waits for).
                let _ = slot.session.end(false);
                drop(slot);
                resume_unwind(panic);
            }
        };
        let outcome = Arc::new(Outcome::default());
        slot.open = Some(outcome.clone());
        slot.writes = 1;
        slot.broken = false;
        let until = Instant::now() + Duration::from_micros(self.window_us.load(Ordering::Relaxed));
        while self.queued.load(Ordering::SeqCst) > 0 && Instant::now() < until {
            drop(slot);
            std::thread::yield_now();
            slot = match self.slot.lock() {
                Ok(s) => s,
                // Not expected (members unlock before their panics go on): fail the group.
                Err(p) => {
                    let mut s = p.into_inner();
                    s.broken = true;
                    s
                }
            };
        }
        let ended = if slot.broken || !slot.session.in_transaction() {
            Err(StoreError::Backend(
                "the group's transaction was lost".into(),
            ))
        } else {
            slot.session.end(true)
        };
        if ended.is_err() {
            let _ = slot.session.end(false);
        } else {
            self.committed.fetch_add(1, Ordering::Relaxed);
            GROUPS.fetch_add(1, Ordering::Relaxed);
            GROUPED_WRITES.fetch_add(slot.writes, Ordering::Relaxed);
        }
        slot.open = None;
        slot.broken = false;
        outcome.set(ended.as_ref().map(|_| ()).map_err(|e| e.to_string()));
        drop(slot);
        ended?;
        Ok(v)
    }
}

/// One member's statements inside its savepoint (the same statements on both stores), and
/// whether the transaction is as it was before the member (its savepoint released or
/// rolled back).
fn run_member<S: Session, T>(
    s: &mut S,
    f: impl FnOnce(&mut dyn Tx) -> Result<T>,
) -> (Result<T>, bool) {
    if let Err(e) = s.with_tx(|tx| tx.batch("SAVEPOINT member")) {
        return (Err(e), s.in_transaction());
    }
    let out = s.with_tx(f);
    let out = match out {
        // A release refused (a PostgreSQL transaction aborted by a statement whose error
        // `f` swallowed) fails this member alone, like an error.
        Ok(v) => match s.with_tx(|tx| tx.batch("RELEASE SAVEPOINT member")) {
            Ok(()) => return (Ok(v), true),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    let clean = rollback_member(s).is_ok();
    (out, clean)
}

/// Rolls a member back to its savepoint and releases it. On PostgreSQL that also releases
/// the locks taken inside the savepoint, perhaps the audit head's, and undoes its audit
/// entries: what the connection kept of them is forgotten.
fn rollback_member<S: Session>(s: &mut S) -> Result<()> {
    s.with_tx(|tx| {
        if let Some(kept) = tx.audit_kept() {
            kept.forget();
        }
        tx.batch("ROLLBACK TO SAVEPOINT member; RELEASE SAVEPOINT member")
    })
}
