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

use super::{Result, Tx};
use crate::StoreError;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
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
    /// Runs `f` on the open transaction.
    fn with_tx<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T>;
}

/// The writer session and the group transaction open on it, if any.
pub(super) struct Slot<S> {
    pub(super) session: S,
    /// The group whose transaction is open.
    open: Option<u64>,
    /// The last group begun.
    last: u64,
    /// Writes that ran in the open group (its leader and its members).
    writes: u64,
}

/// The groups finished: every group up to `done` has committed or failed; the failed
/// ones (the most recent) with their message.
#[derive(Default)]
struct Groups {
    done: u64,
    failed: BTreeMap<u64, String>,
    committed: u64,
}

pub(super) struct Group<S> {
    slot: Mutex<Slot<S>>,
    /// Writes waiting for the session (a group's leader lets them join before committing).
    queued: AtomicUsize,
    /// The groups finished, for their members waiting on `finished`.
    groups: Mutex<Groups>,
    finished: Condvar,
    /// [`GROUP_WINDOW`], in microseconds (longer in a test that must see a group form).
    window_us: AtomicU64,
}

/// Publishes the leader's group as failed if the leader unwinds before it commits, so
/// its members never wait for a commit that will not come.
struct LeaderGuard<'a, S> {
    group: &'a Group<S>,
    id: u64,
    armed: bool,
}

impl<S> Drop for LeaderGuard<'_, S> {
    fn drop(&mut self) {
        if self.armed {
            self.group
                .finish(self.id, Err("the group's leader failed".into()));
        }
    }
}

fn poisoned() -> StoreError {
    StoreError::Backend("writer poisoned".into())
}

impl<S> Group<S> {
    /// Publishes how group `id` ended and wakes its members.
    fn finish(&self, id: u64, outcome: std::result::Result<(), String>) {
        let mut groups = match self.groups.lock() {
            Ok(x) => x,
            Err(p) => p.into_inner(),
        };
        groups.done = groups.done.max(id);
        match outcome {
            Ok(()) => groups.committed += 1,
            Err(msg) => {
                groups.failed.insert(id, msg);
                while groups.failed.len() > 256 {
                    groups.failed.pop_first();
                }
            }
        }
        drop(groups);
        self.finished.notify_all();
    }
}

impl<S: Session> Group<S> {
    pub(super) fn new(session: S) -> Self {
        Self {
            slot: Mutex::new(Slot {
                session,
                open: None,
                last: 0,
                writes: 0,
            }),
            queued: AtomicUsize::new(0),
            groups: Mutex::new(Groups::default()),
            finished: Condvar::new(),
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
        self.groups.lock().map(|g| g.committed).unwrap_or(0)
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

    /// Waits until group `id` has finished: `Ok` once it committed.
    fn await_group(&self, id: u64) -> Result<()> {
        let state = || StoreError::Backend("group state poisoned".into());
        let mut groups = self.groups.lock().map_err(|_| state())?;
        while groups.done < id {
            groups = self.finished.wait(groups).map_err(|_| state())?;
        }
        match groups.failed.get(&id) {
            Some(msg) => Err(StoreError::Backend(format!("group commit failed: {msg}"))),
            None => Ok(()),
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
        let Some(id) = slot.open else {
            return self.lead(slot, f);
        };
        // A member: inside a savepoint of its own, answered after the leader's commit.
        slot.writes += 1;
        let out = run_member(&mut slot.session, f);
        drop(slot);
        let v = out?;
        self.await_group(id)?;
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
        let v = match slot.session.with_tx(f) {
            Ok(v) => v,
            Err(e) => {
                slot.session.end(false)?;
                return Err(e);
            }
        };
        slot.last += 1;
        let id = slot.last;
        slot.open = Some(id);
        slot.writes = 1;
        let mut guard = LeaderGuard {
            group: self,
            id,
            armed: true,
        };
        let until = Instant::now() + Duration::from_micros(self.window_us.load(Ordering::Relaxed));
        while self.queued.load(Ordering::SeqCst) > 0 && Instant::now() < until {
            drop(slot);
            std::thread::yield_now();
            slot = match self.slot.lock() {
                Ok(s) => s,
                // A member panicked inside the transaction: roll the whole group back.
                Err(p) => {
                    let mut s = p.into_inner();
                    let _ = s.session.end(false);
                    s.open = None;
                    guard.armed = false;
                    self.finish(id, Err("a member panicked".into()));
                    return Err(poisoned());
                }
            };
        }
        let ended = slot.session.end(true);
        if ended.is_err() {
            let _ = slot.session.end(false);
        } else {
            GROUPS.fetch_add(1, Ordering::Relaxed);
            GROUPED_WRITES.fetch_add(slot.writes, Ordering::Relaxed);
        }
        slot.open = None;
        guard.armed = false;
        self.finish(id, ended.as_ref().map(|_| ()).map_err(|e| e.to_string()));
        drop(slot);
        ended?;
        Ok(v)
    }
}

/// One member's statements inside its savepoint (the same statements on both stores).
fn run_member<S: Session, T>(s: &mut S, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
    s.with_tx(|tx| {
        tx.batch("SAVEPOINT member")?;
        match f(tx) {
            // A release refused (a PostgreSQL transaction aborted by a statement whose
            // error `f` swallowed) fails this member alone, like an error.
            Ok(v) => match tx.batch("RELEASE SAVEPOINT member") {
                Ok(()) => Ok(v),
                Err(e) => {
                    tx.batch("ROLLBACK TO SAVEPOINT member; RELEASE SAVEPOINT member")?;
                    Err(e)
                }
            },
            Err(e) => {
                tx.batch("ROLLBACK TO SAVEPOINT member; RELEASE SAVEPOINT member")?;
                Err(e)
            }
        }
    })
}
