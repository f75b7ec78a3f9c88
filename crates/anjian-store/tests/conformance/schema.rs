//! The two migration trees describe one schema: tables, columns (type family and
//! nullability), CHECK constraints, indexes and foreign keys, as each database reports them.

use anjian_store::schema::schema_differences;
use anjian_store::testing::TestStore;

#[test]
fn sqlite_and_postgresql_have_the_same_schema() {
    let lite = TestStore::sqlite().expect("sqlite");
    let a = lite.store.schema_description().expect("sqlite schema");
    // The description sees what the migrations made (and so can tell a difference).
    assert!(a.len() > 30, "{} tables", a.len());
    let hazards = a.get("hazards").expect("hazards");
    assert!(
        hazards
            .columns
            .get("status")
            .is_some_and(|c| c == "text, not null")
    );
    assert!(!hazards.checks.is_empty() && !hazards.indexes.is_empty());
    assert!(!hazards.foreign_keys.is_empty());
    let Some(pg) = TestStore::postgres() else {
        eprintln!("ANJIAN_TEST_PG is not set: the PostgreSQL side is not compared");
        return;
    };
    let pg = pg.expect("postgres");
    let b = pg.store.schema_description().expect("postgres schema");
    let diff = schema_differences("SQLite", &a, "PostgreSQL", &b);
    assert!(
        diff.is_empty(),
        "{} differences:\n{}",
        diff.len(),
        diff.join("\n")
    );
}
