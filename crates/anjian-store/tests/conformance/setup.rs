//! Starting a county on a blank store: one transaction, refused once anything is set up, and
//! exactly one of two starts racing each other succeeds.

use crate::*;
use anjian_store::StoreError;
use anjian_store::setup::CountyStart;
use anjian_store::users::UserInput;

fn regions() -> Vec<RegionInput> {
    vec![
        RegionInput {
            code: rc(COUNTY),
            name: "测试县".into(),
            parent_code: None,
        },
        RegionInput {
            code: rc(TOWN_A),
            name: "甲镇".into(),
            parent_code: Some(rc(COUNTY)),
        },
        RegionInput {
            code: rc(VILLAGE_A1),
            name: "甲村".into(),
            parent_code: Some(rc(TOWN_A)),
        },
    ]
}

fn admin(username: &str) -> UserInput {
    UserInput {
        username: username.into(),
        display_name: "安委办管理员".into(),
        role: "admin".into(),
        region_code: COUNTY.into(),
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
fn a_county_starts_once_on_a_blank_store() {
    each(|s| {
        let sys_scope = Scope::system();
        let ch = sys(&sys_scope);
        assert!(s.is_blank().unwrap());
        let rows = regions();
        let first = admin("admin");
        let start = CountyStart {
            regions: &rows,
            name: "测试县",
            admin: Some((&first, "hash1")),
        };
        let started = s.start_county(&ch, &start).unwrap();
        assert_eq!(started.regions.inserted, 3);
        assert!(!s.is_blank().unwrap());
        assert_eq!(
            s.setting(anjian_store::settings::ROOT_REGION)
                .unwrap()
                .as_deref(),
            Some(COUNTY)
        );
        assert_eq!(
            s.setting(anjian_store::settings::INSTANCE_NAME)
                .unwrap()
                .as_deref(),
            Some("测试县")
        );
        let users = s.list_users(&sys_scope).unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(Some(users[0].id), started.admin_id);
        assert_eq!(
            (users[0].role.as_str(), users[0].must_change_password),
            ("admin", false)
        );
        // Once set up, no second start, with or without an administrator.
        let second = admin("admin2");
        for admin in [Some((&second, "hash2")), None] {
            let again = CountyStart { admin, ..start };
            assert!(matches!(
                s.start_county(&ch, &again),
                Err(StoreError::Conflict(_))
            ));
        }
        assert_eq!(s.list_users(&sys_scope).unwrap().len(), 1);
        // A read-only scope writes nothing.
        let reader = Scope::system().read_only();
        assert_eq!(
            s.start_county(&sys(&reader), &start).err(),
            Some(StoreError::Forbidden)
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn a_store_with_regions_or_a_root_region_is_not_blank() {
    each(|s| {
        seed_org(s);
        assert!(!s.is_blank().unwrap());
    });
    each(|s| {
        let scope = Scope::system();
        s.set_setting(&sys(&scope), anjian_store::settings::ROOT_REGION, COUNTY)
            .unwrap();
        assert!(!s.is_blank().unwrap());
        let rows = regions();
        let start = CountyStart {
            regions: &rows,
            name: "测试县",
            admin: None,
        };
        assert!(matches!(
            s.start_county(&sys(&scope), &start),
            Err(StoreError::Conflict(_))
        ));
    });
}

/// Two starts at once on two handles of the same database (two browsers, or the page and
/// `anjian init`): one county, one administrator.
#[test]
fn of_two_starts_racing_one_succeeds() {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        let second = std::sync::Arc::new(ts.second_handle().unwrap());
        let handles = [ts.store.clone(), second];
        let joins: Vec<_> = (0..4)
            .map(|t| {
                let store = handles[t % 2].clone();
                std::thread::spawn(move || {
                    let scope = Scope::system();
                    let rows = regions();
                    let user = admin(&format!("admin{t}"));
                    let start = CountyStart {
                        regions: &rows,
                        name: "测试县",
                        admin: Some((&user, "hash")),
                    };
                    store.start_county(&sys(&scope), &start).map(|_| ())
                })
            })
            .collect();
        let results: Vec<_> = joins.into_iter().map(|j| j.join().unwrap()).collect();
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(
            results
                .iter()
                .all(|r| r.is_ok() || matches!(r, Err(StoreError::Conflict(_)))),
            "{results:?}"
        );
        assert_eq!(ts.store.list_users(&Scope::system()).unwrap().len(), 1);
        assert!(ts.store.verify_audit().map(|r| r.ok()).unwrap_or(false));
    }
}
