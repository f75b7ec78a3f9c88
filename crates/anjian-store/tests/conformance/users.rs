use crate::*;
use anjian_store::StoreError;
use anjian_store::sessions::Session;
use anjian_store::users::UserInput;

fn input(username: &str, role: &str, region: &str) -> UserInput {
    UserInput {
        username: username.into(),
        display_name: format!("{username}姓名"),
        role: role.into(),
        region_code: region.into(),
        department_id: None,
        enterprise_id: None,
        phone: None,
        active: true,
        site_ids: vec![],
        cert_no: None,
        cert_valid_until: None,
    }
}

#[test]
fn users_create_list_update() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let id = s
            .create_user(&ch, &input("admin", "admin", COUNTY), "hash1")
            .unwrap();
        let t = s
            .create_user(&ch, &input("town", "township", TOWN_A), "hash2")
            .unwrap_or_default();
        assert!(matches!(
            s.create_user(&ch, &input("admin", "admin", COUNTY), "x"),
            Err(StoreError::Duplicate(_))
        ));
        assert!(matches!(
            s.create_user(&ch, &input("bad", "superuser", COUNTY), "x"),
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(s.list_users(&county).map(|v| v.len()).ok(), Some(2));
        assert_eq!(
            s.list_users(&Scope::region(&rc(TOWN_A), false))
                .map(|v| v.len())
                .ok(),
            Some(1)
        );
        assert_eq!(
            s.get_user(&Scope::region(&rc(TOWN_B), false), t).err(),
            Some(StoreError::NotFound)
        );
        let (u, hash) = s
            .user_for_login("admin")
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("user"));
        assert_eq!((u.id, hash.as_str()), (id, "hash1"));
        let mut upd = input("town", "supervisor", TOWN_A);
        let e = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "fire"))
            .unwrap_or_default();
        upd.site_ids = vec![e];
        assert!(s.update_user(&ch, t, 1, &upd).is_ok());
        assert!(matches!(
            s.update_user(&ch, t, 1, &upd),
            Err(StoreError::Conflict(_))
        ));
        let u = s.get_user(&county, t).unwrap();
        assert_eq!(
            (u.role.as_str(), u.site_ids.clone()),
            ("supervisor", vec![e])
        );
        assert!(s.set_password(&ch, t, "hash3").is_ok());
        assert_eq!(
            s.user_for_login("town").ok().flatten().map(|(_, h)| h),
            Some("hash3".into())
        );
    });
}

#[test]
fn lockout_and_sessions() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let id = s
            .create_user(&ch, &input("u", "admin", COUNTY), "h")
            .unwrap_or_default();
        let now = "2022-06-01T02:00:00.000Z";
        assert_eq!(s.count_login_attempt(id, now).ok(), Some(1));
        assert!(s.record_login_failure(&ch, id, 1, None).is_ok());
        assert_eq!(s.count_login_attempt(id, now).ok(), Some(2));
        assert!(
            s.record_login_failure(&ch, id, 2, Some("2022-06-01T02:15:00.000Z"))
                .is_ok()
        );
        let (u, _) = s
            .user_for_login("u")
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("user"));
        assert_eq!(
            (u.failed_logins, u.locked_until.as_deref()),
            (2, Some("2022-06-01T02:15:00.000Z"))
        );
        // While locked the count grows; once the lock has expired it starts again at 1.
        assert_eq!(
            s.count_login_attempt(id, "2022-06-01T02:10:00.000Z").ok(),
            Some(3)
        );
        assert_eq!(
            s.count_login_attempt(id, "2022-06-01T02:16:00.000Z").ok(),
            Some(1)
        );
        let (u, _) = s
            .user_for_login("u")
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("user"));
        assert_eq!(u.locked_until, None);
        assert!(s.reset_login_failures(id).is_ok());
        assert!(
            s.record_login_failure(&ch, id, 1, Some("2022-06-01T02:15:00.000Z"))
                .is_ok()
        );
        let sess = Session {
            token_hash: "a".repeat(64),
            user_id: id,
            kind: "api".into(),
            csrf_token: "c".into(),
            created_at: "2022-06-01T02:00:00.000Z".into(),
            expires_at: "2022-06-02T02:00:00.000Z".into(),
            revoked_at: None,
            ip: "127.0.0.1".into(),
        };
        assert!(s.create_session(&ch, &sess).is_ok());
        let (u, _) = s
            .user_for_login("u")
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("user"));
        assert_eq!((u.failed_logins, u.locked_until), (0, None));
        assert!(
            s.session_user(&sess.token_hash, "2022-06-01T03:00:00.000Z")
                .ok()
                .flatten()
                .is_some()
        );
        assert!(
            s.session_user(&sess.token_hash, "2022-06-02T03:00:00.000Z")
                .ok()
                .flatten()
                .is_none()
        );
        assert!(s.revoke_session(&ch, &sess.token_hash).is_ok());
        assert!(
            s.session_user(&sess.token_hash, "2022-06-01T03:00:00.000Z")
                .ok()
                .flatten()
                .is_none()
        );
        assert_eq!(
            s.revoke_session(&ch, &sess.token_hash).err(),
            Some(StoreError::NotFound)
        );
        let s2 = Session {
            token_hash: "b".repeat(64),
            ..sess.clone()
        };
        assert!(s.create_session(&ch, &s2).is_ok());
        assert_eq!(s.revoke_user_sessions(&ch, id).ok(), Some(1));
        assert!(
            s.session_user(&s2.token_hash, "2022-06-01T03:00:00.000Z")
                .ok()
                .flatten()
                .is_none()
        );
        // Deactivated users have no live sessions.
        let s3 = Session {
            token_hash: "c".repeat(64),
            ..sess
        };
        assert!(s.create_session(&ch, &s3).is_ok());
        let mut upd = input("u", "admin", COUNTY);
        upd.active = false;
        let v = s
            .get_user(&county, id)
            .map(|u| u.version)
            .unwrap_or_default();
        assert!(s.update_user(&ch, id, v, &upd).is_ok());
        assert!(
            s.session_user(&s3.token_hash, "2022-06-01T03:00:00.000Z")
                .ok()
                .flatten()
                .is_none()
        );
    });
}

#[test]
fn certificates_are_kept_once_and_the_roster_follows_the_scope() {
    each(|s| {
        let (dep_a, dep_b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let officer = |name: &str, dep: Option<i64>, region: &str, cert: Option<&str>| {
            let mut u = input(
                name,
                if dep.is_some() {
                    "inspector"
                } else {
                    "township"
                },
                region,
            );
            u.department_id = dep;
            u.cert_no = cert.map(str::to_string);
            u.cert_valid_until = cert.map(|_| day("2024-12-31"));
            u
        };
        let a = s
            .create_user(&ch, &officer("a", Some(dep_a), COUNTY, Some("赣001")), "h")
            .unwrap();
        let b = s
            .create_user(&ch, &officer("b", Some(dep_a), COUNTY, None), "h")
            .unwrap();
        let c = s
            .create_user(&ch, &officer("c", Some(dep_b), COUNTY, Some("赣002")), "h")
            .unwrap();
        let t = s
            .create_user(&ch, &officer("t", None, TOWN_A, Some("赣003")), "h")
            .unwrap();
        let got = s.get_user(&county, a).unwrap();
        assert_eq!(
            (got.cert_no.as_deref(), got.cert_valid_until),
            (Some("赣001"), Some(day("2024-12-31")))
        );
        let got = s.get_user(&county, b).unwrap();
        assert_eq!((got.cert_no, got.cert_valid_until), (None, None));
        // One certificate, one account: the duplicate names the column.
        match s.create_user(&ch, &officer("d", Some(dep_b), COUNTY, Some("赣001")), "h") {
            Err(StoreError::Duplicate(what)) => assert!(what.contains("cert_no"), "{what}"),
            other => panic!("{other:?}"),
        }
        // An update sets, moves and clears the certificate.
        let mut upd = officer("b", Some(dep_a), COUNTY, Some("赣004"));
        upd.cert_valid_until = Some(day("2023-03-31"));
        let v = s.get_user(&county, b).map(|u| u.version).unwrap();
        s.update_user(&ch, b, v, &upd).unwrap();
        let got = s.get_user(&county, b).unwrap();
        assert_eq!(
            (got.cert_no.as_deref(), got.cert_valid_until),
            (Some("赣004"), Some(day("2023-03-31")))
        );
        let taken = officer("b", Some(dep_a), COUNTY, Some("赣002"));
        assert!(matches!(
            s.update_user(&ch, b, v + 1, &taken),
            Err(StoreError::Duplicate(_))
        ));
        let cleared = officer("c", Some(dep_b), COUNTY, None);
        let v = s.get_user(&county, c).map(|u| u.version).unwrap();
        s.update_user(&ch, c, v, &cleared).unwrap();
        assert_eq!(s.get_user(&county, c).unwrap().cert_no, None);
        // Cleared numbers are free again (NULLs never collide).
        let e = s
            .create_user(&ch, &officer("e", Some(dep_b), COUNTY, Some("赣002")), "h")
            .unwrap();

        // The roster: by region scope, then by department; by name.
        let ids = |scope: &Scope, dep: Option<i64>| {
            s.roster(scope, dep)
                .unwrap()
                .iter()
                .map(|u| u.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&county, Some(dep_a)), vec![a, b]);
        assert_eq!(ids(&county, Some(dep_b)), vec![c, e]);
        assert_eq!(ids(&county, None), vec![a, b, c, e, t]);
        let town_a = Scope::region(&rc(TOWN_A), true);
        assert_eq!(ids(&town_a, None), vec![t]);
        assert_eq!(ids(&town_a, Some(dep_a)), Vec::<i64>::new());
        assert_eq!(
            s.roster(&county, Some(dep_a)).unwrap()[0]
                .cert_no
                .as_deref(),
            Some("赣001")
        );
    });
}
