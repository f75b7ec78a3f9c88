//! `draw verify` reproduces the demo draw and flags any changed input.

use super::*;

#[test]
fn draw_verify_reproduces_the_demo_draw_and_flags_any_changed_input() {
    let t = TempDir::new("draw");
    let db = t.db();
    let o = demo_in(&t, None);
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(&t.0, &["draw", "verify", "1", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("一致（match）"), "{}", out(&o));
    // Change one published input: the pool of the second stratum loses its first member.
    let s = store(&t);
    let inputs = s
        .get_draw(&anjian_domain::Scope::system(), 1)
        .map(|(d, _)| d.inputs)
        .unwrap_or_default();
    let mut v: serde_json::Value = serde_json::from_str(&inputs).unwrap_or_default();
    let removed = v["strata"][1]["pool"]
        .as_array_mut()
        .map(|p| p.remove(0))
        .is_some();
    assert!(removed, "{inputs}");
    assert_eq!(
        s.raw_execute(
            "UPDATE draws SET inputs = ? WHERE id = 1",
            &[v.to_string().into()]
        )
        .ok(),
        Some(1)
    );
    drop(s);
    let o = anjian(&t.0, &["draw", "verify", "1", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("不一致（mismatch）"), "{}", out(&o));
    // Restore the inputs but change the public entropy: also a mismatch.
    let s = store(&t);
    assert_eq!(
        s.raw_execute(
            "UPDATE draws SET inputs = ?, entropy = entropy || '1' WHERE id = 1",
            &[inputs.clone().into()]
        )
        .ok(),
        Some(1)
    );
    drop(s);
    let o = anjian(&t.0, &["draw", "verify", "1", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let o = anjian(&t.0, &["draw", "verify", "99", "--db", &db]);
    assert!(!o.status.success());
}
