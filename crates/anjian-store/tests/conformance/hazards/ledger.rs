//! The ledger's totals follow writes made through any handle.

use super::*;

/// The ledger's totals follow every commit, whether made through the same store or
/// through another handle on the same database (another process); on SQLite they are
/// kept between unchanged reads on both backends (so this test exercises the kept path).
#[test]
fn ledger_totals_follow_writes_of_any_handle() {
    each_with_another_handle(|s, other| {
        let county = county_scope();
        let ch = sys(&county);
        let totals = || {
            s.count_hazards_and_overdue(&county, &filter("2022-06-11"))
                .unwrap()
        };
        let create = |store: &anjian_store::Store, deadline: Option<&str>| {
            store
                .create_hazard(
                    &ch,
                    &fields(VILLAGE_A1, None, "fire", deadline),
                    &ev("create"),
                )
                .unwrap()
        };
        assert_eq!(totals(), (0, 0));
        create(s, Some("2022-06-10"));
        // Asked repeatedly, as a page reloaded: the same answer, kept.
        for _ in 0..3 {
            assert_eq!(totals(), (1, 1));
        }
        assert!(s.kept_ledger_totals() > 0);
        // A commit by another handle is seen at once, and so is the next one of this
        // store, including an edit that moves only the overdue total.
        let h = create(other, None);
        assert_eq!(totals(), (2, 1));
        assert_eq!(totals(), (2, 1));
        create(s, Some("2022-06-30"));
        assert_eq!(totals(), (3, 1));
        let f = fields(VILLAGE_A1, None, "fire", Some("2022-06-01"));
        other
            .update_hazard(&ch, h.id, h.version, &f, &ev("edit"))
            .unwrap();
        assert_eq!(totals(), (3, 2));
        // Another day is another question.
        assert_eq!(
            s.count_hazards_and_overdue(&county, &filter("2022-07-01"))
                .ok(),
            Some((3, 3))
        );
        // Another scope is another question: a township sees its own hazards only.
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.count_hazards_and_overdue(&town_b, &filter("2022-06-11"))
                .ok(),
            Some((0, 0))
        );
    });
}
