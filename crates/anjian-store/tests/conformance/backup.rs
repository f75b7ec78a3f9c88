//! Backups and restores, on every backend and across them: a backup taken while writers run is
//! one consistent snapshot, a restore reproduces it (digest, audit chain, id sequences), and a
//! store that is not empty or a damaged file is refused with nothing written.

use crate::*;
use anjian_store::backup::{BackupError, BackupReader, BackupSummary};
use std::sync::atomic::{AtomicBool, Ordering};

fn new_hazard(s: &Store, enterprise: i64) -> i64 {
    let county = county_scope();
    s.create_hazard(
        &sys(&county),
        &hazard_fields(
            VILLAGE_A1,
            Some(enterprise),
            "hazchem",
            "2022-06-01",
            Some("2022-06-10"),
        ),
        &event("create"),
    )
    .map(|h| h.id)
    .unwrap()
}

/// The organisation, an enterprise and `n` hazards; answers the enterprise's id.
fn county_with_hazards(s: &Store, n: usize) -> i64 {
    seed_org(s);
    let county = county_scope();
    let e = s
        .create_enterprise(&sys(&county), &enterprise(1, VILLAGE_A1, "hazchem"))
        .unwrap();
    let items: Vec<_> = (0..n)
        .map(|_| hazard_fields(VILLAGE_A1, Some(e), "hazchem", "2022-05-01", None))
        .collect();
    s.create_hazards(&sys(&county), &items, &event("import"), |_| {})
        .unwrap();
    e
}

fn backup(s: &Store) -> (Vec<u8>, BackupSummary) {
    let mut buf = Vec::new();
    let summary = s.backup(&mut buf, now(), 1).unwrap();
    (buf, summary)
}

fn rows(summary: &BackupSummary, table: &str) -> u64 {
    summary
        .trailer
        .tables
        .iter()
        .find(|t| t.name == table)
        .map(|t| t.rows)
        .unwrap_or_else(|| panic!("no table {table} in the backup"))
}

/// Writers keep registering hazards (each with its event and audit entry) while backups are
/// taken. Each backup restores, on every backend, to exactly the snapshot it was read in: the
/// restored digest is the one computed inside that snapshot, the audit chain verifies to its
/// head, and each hazard came with its audit entry (no half-written change).
#[test]
fn a_backup_taken_during_writes_restores_to_its_snapshot() {
    for source in TestStore::all() {
        let s = &source.store;
        let e = county_with_hazards(s, 400);
        let stop = AtomicBool::new(false);
        let backups = std::thread::scope(|scope| {
            let writers: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| {
                        let mut n = 0;
                        while !stop.load(Ordering::SeqCst) {
                            new_hazard(s, e);
                            n += 1;
                        }
                        n
                    })
                })
                .collect();
            let mut backups = Vec::new();
            for _ in 0..3 {
                std::thread::sleep(std::time::Duration::from_millis(60));
                backups.push(backup(s));
            }
            stop.store(true, Ordering::SeqCst);
            let written: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
            assert!(written > 0, "the writers wrote while the backups ran");
            backups
        });
        assert_ne!(
            backups[0].1.trailer.digest, backups[2].1.trailer.digest,
            "{}: the writers' records are in the later backup",
            source.name
        );
        let audit_minus_hazards: Vec<i64> = backups
            .iter()
            .map(|(_, b)| rows(b, "audit_log") as i64 - rows(b, "hazards") as i64)
            .collect();
        assert!(
            audit_minus_hazards.windows(2).all(|w| w[0] == w[1]),
            "{}: one audit entry per hazard written, in every snapshot: {audit_minus_hazards:?}",
            source.name
        );
        for (buf, summary) in &backups {
            for target in TestStore::all() {
                let t = &target.store;
                let restored = t.restore(BackupReader::open(&buf[..]).unwrap()).unwrap();
                let what = format!("{} → {}", source.name, target.name);
                assert_eq!(restored.digest, summary.trailer.digest, "{what}");
                assert_eq!(
                    t.content_digest().unwrap(),
                    summary.trailer.digest,
                    "{what}"
                );
                let audit = t.verify_audit().unwrap();
                assert!(audit.ok(), "{what}: {:?}", audit.problems);
                assert_eq!(audit.checked as u64, rows(summary, "audit_log"), "{what}");
                assert_eq!(audit.head_seq, audit.checked, "{what}");
            }
        }
    }
}

/// Ids already issued are never issued again after a restore: the id sequences move past the
/// highest id present and past the source's own sequence (here moved on to 1000 by hand, as
/// deleted records leave it), from either backend to either.
#[test]
fn new_records_after_a_restore_get_fresh_ids() {
    for source in TestStore::all() {
        let s = &source.store;
        let e = county_with_hazards(s, 3);
        let bump = match s.dialect() {
            anjian_store::db::Dialect::Sqlite => {
                "UPDATE sqlite_sequence SET seq = 1000 WHERE name = 'hazards'"
            }
            anjian_store::db::Dialect::Postgres => {
                "SELECT setval(pg_get_serial_sequence('hazards', 'id'), 1000)"
            }
        };
        s.raw_execute(bump, &[]).unwrap();
        let (buf, summary) = backup(s);
        assert_eq!(summary.trailer.sequences.get("hazards"), Some(&1000));
        for target in TestStore::all() {
            let t = &target.store;
            t.restore(BackupReader::open(&buf[..]).unwrap()).unwrap();
            let what = format!("{} → {}", source.name, target.name);
            assert_eq!(new_hazard(t, e), 1001, "{what}");
            let county = county_scope();
            let next = t
                .create_enterprise(&sys(&county), &enterprise(2, VILLAGE_A1, "hazchem"))
                .unwrap();
            assert_eq!(next, e + 1, "{what}");
            assert!(t.verify_audit().unwrap().ok(), "{what}");
        }
    }
}

/// A restore writes only into an empty store: one with records is refused, untouched, with a
/// message that says why.
#[test]
fn a_store_that_is_not_empty_is_refused() {
    let source = TestStore::sqlite().unwrap();
    county_with_hazards(&source.store, 2);
    let (buf, _) = backup(&source.store);
    for target in TestStore::all() {
        let t = &target.store;
        seed_org(t);
        let before = t.content_digest().unwrap();
        let err = t
            .restore(BackupReader::open(&buf[..]).unwrap())
            .unwrap_err();
        assert!(matches!(err, BackupError::NotEmpty(_)), "{err}");
        assert!(err.to_string().contains("不是空的"), "{err}");
        assert_eq!(t.content_digest().unwrap(), before, "{}", target.name);
    }
}

/// A cut or damaged file, or another file, is refused and leaves the target empty: the good
/// file then restores into it.
#[test]
fn a_damaged_backup_is_refused_and_nothing_is_written() {
    let source = TestStore::sqlite().unwrap();
    county_with_hazards(&source.store, 50);
    let (buf, summary) = backup(&source.store);
    for target in TestStore::all() {
        let t = &target.store;
        let empty = t.content_digest().unwrap();
        let cut = &buf[..buf.len() * 2 / 3];
        let err = BackupReader::open(cut)
            .and_then(|r| t.restore(r))
            .unwrap_err();
        assert!(matches!(err, BackupError::Corrupt(_)), "{err}");
        let mut flipped = buf.clone();
        let at = flipped.len() / 2;
        flipped[at] ^= 0x55;
        let err = BackupReader::open(&flipped[..])
            .and_then(|r| t.restore(r))
            .unwrap_err();
        assert!(
            matches!(
                err,
                BackupError::Corrupt(_) | BackupError::DigestMismatch { .. }
            ),
            "{err}"
        );
        assert!(matches!(
            BackupReader::open(&b"PK\x03\x04 not a backup at all"[..]),
            Err(BackupError::NotABackup)
        ));
        assert_eq!(t.content_digest().unwrap(), empty, "{}", target.name);
        let restored = t.restore(BackupReader::open(&buf[..]).unwrap()).unwrap();
        assert_eq!(restored.digest, summary.trailer.digest);
    }
}

/// `copy_store` moves a county between backends without a file, verified by the digest, and
/// refuses a target that is not empty.
#[test]
fn copy_store_moves_a_county_between_backends() {
    for source in TestStore::all() {
        county_with_hazards(&source.store, 20);
        let digest = source.store.content_digest().unwrap();
        for target in TestStore::all() {
            let copied =
                anjian_store::backup::copy_store(&source.store, &target.store, now()).unwrap();
            assert_eq!(copied.digest, digest);
            assert_eq!(target.store.content_digest().unwrap(), digest);
            let again =
                anjian_store::backup::copy_store(&source.store, &target.store, now()).unwrap_err();
            assert!(matches!(again, BackupError::NotEmpty(_)), "{again}");
        }
    }
}
