//! `rollups check` compares the hazard tallies with the hazards; `rollups rebuild` mends
//! what it finds.

use super::*;

#[test]
fn rollups_check_finds_a_tampered_tally_and_rebuild_mends_it() {
    let t = TempDir::new("rollups");
    let db = t.db();
    assert!(demo_in(&t, None).status.success());
    let o = anjian(&t.0, &["rollups", "check", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("隐患汇总表与隐患记录一致"), "{}", out(&o));
    let s = store(&t);
    let raised = s
        .raw_execute(
            "UPDATE hz_closed SET n = n + 1 WHERE grain = 't' AND n > 0",
            &[],
        )
        .unwrap();
    assert!(raised > 0, "the demo county has closed hazards");
    drop(s);
    let o = anjian(&t.0, &["rollups", "check", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains(&format!("与重算不一致 {} 行", 2 * raised)),
        "{text}"
    );
    assert!(text.contains("anjian rollups rebuild"), "{text}");
    let o = anjian(&t.0, &["rollups", "rebuild", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("已按隐患记录重建"), "{}", out(&o));
    ok(&t.0, &["rollups", "check", "--db", &db]);
    // The rebuild is on the record, and the chain still verifies.
    ok(&t.0, &["audit", "verify", "--db", &db]);
}
