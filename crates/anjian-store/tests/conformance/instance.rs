//! Store-wide methods: the backend, the content digest, the auth generation, region codes.

use crate::*;
use anjian_store::Value;
use anjian_store::sessions::Session;
use anjian_store::testing::TestStore;
use anjian_store::users::UserInput;

/// The same records written to a store: regions, sectors, departments, an enterprise, a hazard.
fn fill(s: &Store) -> i64 {
    seed_org(s);
    let county = county_scope();
    let ch = sys(&county);
    let e = s
        .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
        .unwrap();
    s.create_hazard(
        &ch,
        &hazard_fields(
            VILLAGE_A1,
            Some(e),
            "hazchem",
            "2022-06-01",
            Some("2022-06-10"),
        ),
        &event("create"),
    )
    .map(|h| h.id)
    .unwrap()
}

#[test]
fn reads_are_local_on_sqlite_only() {
    for ts in TestStore::all() {
        assert_eq!(
            ts.store.reads_are_local(),
            ts.name == "sqlite",
            "{}",
            ts.name
        );
    }
}

/// Equal records give equal digests, on every backend and in every store; any change of a
/// record changes the digest, and undoing it restores it.
#[test]
fn the_content_digest_follows_the_records() {
    let mut stores = TestStore::all();
    stores.push(TestStore::sqlite().unwrap());
    let mut seen = Vec::new();
    for ts in &stores {
        let s = &ts.store;
        let empty = s.content_digest().unwrap();
        assert_eq!(empty.len(), 64, "{}", ts.name);
        assert!(empty.chars().all(|c| c.is_ascii_hexdigit()));
        let id = fill(s);
        let full = s.content_digest().unwrap();
        assert_ne!(full, empty, "{}", ts.name);
        assert_eq!(s.content_digest().ok(), Some(full.clone()), "stable");
        let set = |d: &str| {
            s.raw_execute(
                "UPDATE hazards SET description = ? WHERE id = ?",
                &[Value::Text(d.into()), Value::Int(id)],
            )
            .unwrap()
        };
        assert_eq!(set("配电箱未接地。"), 1);
        assert_ne!(s.content_digest().ok(), Some(full.clone()), "{}", ts.name);
        set("配电箱未接地");
        assert_eq!(s.content_digest().ok(), Some(full.clone()), "{}", ts.name);
        seen.push((ts.name, empty, full));
    }
    for w in seen.windows(2) {
        assert_eq!(
            (w[0].1.as_str(), w[0].2.as_str()),
            (w[1].1.as_str(), w[1].2.as_str()),
            "{} and {}",
            w[0].0,
            w[1].0
        );
    }
}

#[test]
fn the_auth_generation_moves_after_every_write_that_touches_sessions_or_rights() {
    each(|s| {
        let (dep_a, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let input = UserInput {
            username: "u".into(),
            display_name: "用户".into(),
            role: "admin".into(),
            region_code: COUNTY.into(),
            department_id: None,
            enterprise_id: None,
            phone: None,
            active: true,
            site_ids: vec![],
            cert_no: None,
            cert_valid_until: None,
        };
        let id = s.create_user(&ch, &input, "h").unwrap();
        let session = |c: char| {
            let sess = Session {
                token_hash: c.to_string().repeat(64),
                user_id: id,
                kind: "web".into(),
                csrf_token: "c".into(),
                created_at: "2022-06-01T02:00:00.000Z".into(),
                expires_at: "2022-06-02T02:00:00.000Z".into(),
                revoked_at: None,
                ip: "127.0.0.1".into(),
            };
            s.create_session(&ch, &sess).unwrap();
            sess.token_hash
        };
        let a = session('a');
        let b = session('b');
        let g = s.auth_generation();
        // Reads leave it alone.
        assert!(
            s.session_user(&a, "2022-06-01T03:00:00.000Z")
                .ok()
                .flatten()
                .is_some()
        );
        assert!(s.get_user(&county, id).is_ok() && s.list_users(&county).is_ok());
        assert_eq!(s.auth_generation(), g);
        let moved = |before: u64, what: &str| {
            let now = s.auth_generation();
            assert!(now > before, "{what}: {before} -> {now}");
            now
        };
        s.revoke_session(&ch, &a).unwrap();
        let g = moved(g, "logout");
        s.revoke_user_sessions(&ch, id).unwrap();
        let g = moved(g, "revoke all");
        assert!(
            s.session_user(&b, "2022-06-01T03:00:00.000Z")
                .ok()
                .flatten()
                .is_none()
        );
        let v = s
            .get_user(&county, id)
            .map(|u| u.version)
            .unwrap_or_default();
        let upd = UserInput {
            display_name: "改名".into(),
            ..input
        };
        s.update_user(&ch, id, v, &upd).unwrap();
        let g = moved(g, "user update");
        s.set_password(&ch, id, "h2").unwrap();
        let g = moved(g, "password");
        let d = s.get_department(&county, dep_a, today()).unwrap();
        let input = anjian_store::departments::DepartmentInput {
            region_code: d.region_code,
            name: d.name,
            short_name: "应急局".into(),
            is_member_unit: d.is_member_unit,
            has_supervision_duty: d.has_supervision_duty,
            is_industry_authority: d.is_industry_authority,
            sort_order: d.sort_order,
            sectors: d.sectors,
        };
        s.update_department(&ch, dep_a, d.version, &input).unwrap();
        moved(g, "department update");
    });
}

#[test]
fn all_region_codes_lists_every_region_once() {
    each(|s| {
        assert_eq!(s.all_region_codes().ok(), Some(vec![]));
        seed_org(s);
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let mut expected: Vec<String> = [COUNTY, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_B1]
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            s.all_region_codes().map(sorted).ok(),
            Some(sorted(expected.clone()))
        );
        // Whatever the caller's scope would be: the codes are for existence checks.
        let county = county_scope();
        add_regions(
            s,
            &sys(&county),
            &[
                ("360982102000", "大桥街道", Some(COUNTY)),
                (TOWN_A, "临江镇", Some(COUNTY)),
            ],
        );
        expected.push("360982102000".into());
        assert_eq!(
            s.all_region_codes().map(sorted).ok(),
            Some(sorted(expected))
        );
    });
}
