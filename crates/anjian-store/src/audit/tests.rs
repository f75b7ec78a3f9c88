//! The chain under concurrent writers: two instances appending at once, and group members
//! rolled back after appending. PostgreSQL's connections keep the head between statements
//! (`db::AuditKept`), so a head kept too long must never fork or break the chain.

use super::*;
use crate::StoreError;
use crate::testing::TestStore;
use chrono::TimeZone;

/// The changes' time: a fixed instant (no clock is read).
fn at() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2022, 6, 1, 9, 0, 0)
        .single()
        .unwrap_or_else(|| panic!("time"))
}

/// Appends entry `id` in `tx`, then fails the write if `fails` (after its entry).
fn append_then(tx: &mut dyn Tx, change: &Change<'_>, id: &str, fails: bool) -> Result<()> {
    append(tx, change, "test.append", "test", id, "", None, None)?;
    if fails {
        return Err(StoreError::Invalid("refused".into()));
    }
    Ok(())
}

/// The chain verifies with no problem.
fn assert_whole(store: &Store, name: &str) {
    let report = store
        .verify_audit()
        .unwrap_or_else(|e| panic!("verify: {e}"));
    assert!(report.ok(), "{name}: {:?}", report.problems);
}

fn audit_count(store: &Store) -> i64 {
    store
        .db()
        .read(|tx| tx.scalar_i64("SELECT COUNT(*) FROM audit_log", &[]))
        .unwrap_or_else(|e| panic!("count: {e}"))
}

#[test]
fn the_chain_stays_whole_when_two_instances_append_and_members_roll_back() {
    for t in TestStore::all() {
        let other = t.second_handle().unwrap_or_else(|e| panic!("{e}"));
        let scope = Scope::system();
        let at = at();
        let before = audit_count(&t.store);
        let stores = [t.store.as_ref(), &other];
        // 8 writers, 4 on each instance, 25 writes each: one in five appends its entry and
        // then fails (rolled back alone when it was a group's member).
        let kept: i64 = std::thread::scope(|s| {
            let writers: Vec<_> = (0..8)
                .map(|i| {
                    let store = stores[i % 2];
                    let scope = &scope;
                    s.spawn(move || {
                        let change = Change::system(scope, "测试", at);
                        let mut kept = 0;
                        for j in 0..25 {
                            let fails = (i + j) % 5 == 0;
                            let id = format!("{i}-{j}");
                            let out = store.write(|tx| append_then(tx, &change, &id, fails));
                            match (out, fails) {
                                (Ok(()), false) => kept += 1,
                                (Err(StoreError::Invalid(_)), true) => {}
                                (other, _) => panic!("write {i}-{j}: {other:?}"),
                            }
                        }
                        kept
                    })
                })
                .collect();
            writers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|_| panic!("writer")))
                .sum()
        });
        assert_eq!(kept, 160, "{}", t.name);
        assert_eq!(audit_count(&t.store) - before, kept, "{}", t.name);
        assert_whole(&t.store, t.name);
        // Both handles append on after the others' entries.
        for store in stores {
            let change = Change::system(&scope, "测试", at);
            store
                .write(|tx| append_then(tx, &change, "last", false))
                .unwrap_or_else(|e| panic!("append: {e}"));
        }
        assert_whole(&other, t.name);
        assert_eq!(audit_count(&other) - before, kept + 2, "{}", t.name);
    }
}

/// A connection keeps the head it last wrote, also after its transaction rolled back; when
/// another connection has since written its own entry under the same number, an append
/// that follows the kept head must not link to the rolled-back entry (the statement checks
/// the head's hash, not only its number). The appends here bypass `Store::write`'s lock,
/// which would read the head afresh.
#[test]
fn a_head_kept_from_a_rolled_back_entry_is_never_followed() {
    for t in TestStore::all() {
        let other = t.second_handle().unwrap_or_else(|e| panic!("{e}"));
        let scope = Scope::system();
        let change = Change::system(&scope, "测试", at());
        let append_as = |store: &Store, id: &str, fails: bool| {
            store.db().write(|tx| append_then(tx, &change, id, fails))
        };
        let before = audit_count(&t.store);
        assert!(matches!(
            append_as(&t.store, "rolled-back", true),
            Err(StoreError::Invalid(_))
        ));
        append_as(&other, "other", false).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        append_as(&t.store, "after", false).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert_eq!(audit_count(&t.store) - before, 2, "{}", t.name);
        assert_whole(&t.store, t.name);
    }
}
