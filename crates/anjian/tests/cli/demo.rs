//! The demo: the same seed gives the same store, on SQLite and on PostgreSQL.

use super::*;

#[test]
fn the_same_seed_gives_the_same_store() {
    let (a, b, c) = (
        TempDir::new("seed-a"),
        TempDir::new("seed-b"),
        TempDir::new("seed-c"),
    );
    // `a` is this process's own run of `demo --seed 7`, shared with other tests; `b` is a
    // second run.
    assert!(demo_in(&a, Some("7")).status.success());
    for (t, seed) in [(&b, "7"), (&c, "8")] {
        let o = anjian(&t.0, &["demo", "--seed", seed, "--db", &t.db()]);
        assert!(o.status.success(), "{}", out(&o));
    }
    let digest = |t: &TempDir| store(t).content_digest().unwrap();
    assert_eq!(digest(&a), digest(&b), "two runs of demo --seed 7");
    assert_ne!(digest(&a), digest(&c), "another seed, another county");
    // The digest sees every record: one changed character changes it.
    store(&b)
        .raw_execute(
            "UPDATE hazards SET description = description || '。' WHERE id = 1",
            &[],
        )
        .unwrap();
    assert_ne!(digest(&a), digest(&b));
    // The report of the seeded county is the same too.
    let report = |t: &TempDir| {
        let o = anjian(
            &t.0,
            &[
                "report",
                "annual",
                "--year",
                "2022",
                "--format",
                "md",
                "--db",
                &t.db(),
            ],
        );
        assert!(o.status.success(), "{}", out(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    assert_eq!(
        report(&a),
        report(&b),
        "a description change leaves the figures alone"
    );
    assert!(report(&a).contains("清江市2022年安全生产工作总结"));
}

/// Both stores, one behaviour: the seeded county written to PostgreSQL has the same content
/// digest as the one written to SQLite (every table, every row), and the same annual report.
#[test]
fn the_seeded_county_is_the_same_on_postgresql_as_on_sqlite() {
    let Some(pg) = anjian_store::testing::TestStore::postgres() else {
        eprintln!("ANJIAN_TEST_PG is not set: the PostgreSQL run is skipped");
        return;
    };
    let pg = pg.unwrap();
    let StoreUrl::Postgres(pg_url) = pg.url() else {
        panic!("not a PostgreSQL store");
    };
    let t = TempDir::new("seed-pg");
    let o = demo_in(&t, Some("7"));
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(&t.0, &["demo", "--seed", "7", "--db", &pg_url]);
    assert!(o.status.success(), "{}", out(&o));
    let lite = store(&t).content_digest().unwrap();
    let postgres = pg.store.content_digest().unwrap();
    assert_eq!(lite, postgres, "demo --seed 7 on SQLite and on PostgreSQL");
    let report = |db: &str| {
        let o = anjian(
            &t.0,
            &[
                "report", "annual", "--year", "2022", "--format", "md", "--db", db,
            ],
        );
        assert!(o.status.success(), "{}", out(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    assert_eq!(report(&t.db()), report(&pg_url));
}
