//! One look at the data generation for many kept reads ([`one_look`]): which state a
//! thread's kept reads answer from, carried to the threads that do part of its work.

use crate::db::Db;
use std::cell::Cell;

thread_local! {
    /// This thread's look at the database at an address while [`one_look`] runs.
    pub(super) static PINNED: Cell<Option<Pin>> = const { Cell::new(None) };
}

/// A look at the data generation: taken by the first kept read under [`one_look`]
/// (`Lazy` until then, or again after a write), and moved forward by any later read of
/// the look that had to compute in a newer state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pin {
    Lazy(usize),
    At(usize, u64),
}

fn address(db: &Db) -> usize {
    std::ptr::from_ref(db) as usize
}

/// Runs `f` with every memo read of this thread on `db` answered from the database state
/// of one look: a page that reads thirty kept figures looks at the data generation once,
/// not thirty times (on PostgreSQL each look is a query, and was a read transaction of
/// three statements).
/// The look is taken by the first kept read, in its own read transaction, so a call that
/// reads nothing kept costs nothing more. A kept answer is then no older than the state
/// the look found (on PostgreSQL a result kept under a generation may include commits
/// made just after it, as any kept result may); one that is not kept is computed in its
/// own newer snapshot, and the look moves forward to that state. A write through
/// [`Db::write`] ends the look ([`relook`]): the next kept read looks again, so a
/// call that writes and then reads sees its own write. `f` alone sees the look; nested
/// looks keep the outer one.
pub fn one_look<T>(db: &Db, f: impl FnOnce() -> T) -> T {
    pinned_while(Pin::Lazy(address(db)), f)
}

/// Runs `f` with this thread's look at `pin` (unless it has one), and takes it away
/// however `f` ends.
fn pinned_while<T>(pin: Pin, f: impl FnOnce() -> T) -> T {
    if PINNED.with(Cell::get).is_some() {
        return f();
    }
    struct Unpin;
    impl Drop for Unpin {
        fn drop(&mut self) {
            PINNED.with(|p| p.set(None));
        }
    }
    PINNED.with(|p| p.set(Some(pin)));
    let _unpin = Unpin;
    f()
}

/// This thread's look, for work it hands to other threads ([`under_look`]).
#[derive(Clone, Copy, Debug)]
pub struct Look(Option<Pin>);

/// This thread's look at `db`, taken now if it has not been (so that the threads it is
/// handed to share one look rather than each taking its own).
pub(crate) fn look_now(db: &Db) -> crate::Result<Look> {
    if PINNED.with(Cell::get) == Some(Pin::Lazy(address(db)))
        && let Some(generation) = db.read(|tx| tx.data_generation())?
    {
        looked(db, generation);
    }
    Ok(Look(PINNED.with(Cell::get)))
}

/// Runs `f`, on a thread doing part of another thread's work, under that thread's `look`:
/// its kept reads answer from the same state (a thread's look is its own: without this, a
/// page's figures read on worker threads each looked at the generation again).
pub(crate) fn under_look<T>(look: Look, f: impl FnOnce() -> T) -> T {
    match look.0 {
        Some(pin) => pinned_while(pin, f),
        None => f(),
    }
}

/// This thread's look at `db`, if taken, is taken again by its next kept read: after every
/// write transaction on `db` (committed or not; `Db::write`), and after a read that saw
/// a commit it cannot name (SQLite's first look after one).
pub(crate) fn relook(db: &Db) {
    PINNED.with(|p| {
        if let Some(Pin::At(at, _)) = p.get()
            && at == address(db)
        {
            p.set(Some(Pin::Lazy(at)));
        }
    });
}

/// The generation this thread's look at `db` found, if it has looked.
pub(super) fn pinned(db: &Db) -> Option<u64> {
    match PINNED.with(Cell::get) {
        Some(Pin::At(at, g)) if at == address(db) => Some(g),
        _ => None,
    }
}

/// A read of a look at `db` ran in `generation`: the look is at it from now on.
pub(super) fn looked(db: &Db, generation: u64) {
    PINNED.with(|p| match p.get() {
        Some(Pin::Lazy(at)) if at == address(db) => p.set(Some(Pin::At(at, generation))),
        Some(Pin::At(at, g)) if at == address(db) && g < generation => {
            p.set(Some(Pin::At(at, generation)))
        }
        _ => {}
    });
}
