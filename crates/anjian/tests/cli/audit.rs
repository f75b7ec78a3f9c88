//! `audit verify` names an edited or a deleted row.

use super::*;

#[test]
fn audit_verify_names_an_edited_or_deleted_row() {
    let t = TempDir::new("audit");
    let db = t.db();
    let o = demo_in(&t, None);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("admin"), "demo prints the accounts");
    let o = anjian(&t.0, &["audit", "verify", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    let s = store(&t);
    assert_eq!(
        s.raw_execute(
            "UPDATE audit_log SET after_json = '{\"name\":\"篡改\"}' WHERE seq = 1234",
            &[]
        )
        .ok(),
        Some(1)
    );
    drop(s);
    let o = anjian(&t.0, &["audit", "verify", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("第 1234 条审计记录"), "{text}");
    assert_eq!(
        text.matches("条审计记录：").count(),
        1,
        "only the edited row is named: {text}"
    );
    let s = store(&t);
    assert_eq!(
        s.raw_execute("DELETE FROM audit_log WHERE seq = 77", &[])
            .ok(),
        Some(1)
    );
    drop(s);
    let text = out(&anjian(&t.0, &["audit", "verify", "--db", &db]));
    assert!(
        text.contains("第 77 条审计记录") && text.contains("第 1234 条审计记录"),
        "{text}"
    );
}
