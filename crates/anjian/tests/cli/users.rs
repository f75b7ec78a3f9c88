//! `anjian user add` with an officer's certificate (执法证).

use super::*;

#[test]
fn user_add_records_the_certificate_and_refuses_half_of_one() {
    let t = TempDir::new("user-cert");
    let db = t.db();
    let o = anjian(&t.0, &["init", "--county", "430181", "--db", &db]);
    assert!(o.status.success(), "{}", out(&o));
    let add = |username: &str, extra: &[&str]| {
        let mut args = vec![
            "user",
            "add",
            "--username",
            username,
            "--display-name",
            "安委办 执法人员",
            "--password",
            "Liuyang2026!",
            "--role",
            "admin",
            "--db",
            &db,
        ];
        args.extend_from_slice(extra);
        anjian(&t.0, &args)
    };
    let o = add(
        "officer",
        &[
            "--cert-no",
            "湘43018100001",
            "--cert-valid-until",
            "2027-12-31",
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = add("half", &["--cert-no", "湘43018100002"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("执法证有效期至"), "{}", out(&o));
    let o = add(
        "baddate",
        &[
            "--cert-no",
            "湘43018100003",
            "--cert-valid-until",
            "2027-02-30",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("执法证有效期至应为有效日期"),
        "{}",
        out(&o)
    );
    let o = add(
        "twice",
        &[
            "--cert-no",
            "湘43018100001",
            "--cert-valid-until",
            "2027-12-31",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("该执法证号已登记"), "{}", out(&o));
    let s = store(&t);
    let (u, _) = s
        .user_for_login("officer")
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("user"));
    assert_eq!(u.cert_no.as_deref(), Some("湘43018100001"));
    assert_eq!(
        u.cert_valid_until.map(|d| d.to_string()).as_deref(),
        Some("2027-12-31")
    );
    for refused in ["half", "baddate", "twice"] {
        assert!(s.user_for_login(refused).ok().flatten().is_none());
    }
}
