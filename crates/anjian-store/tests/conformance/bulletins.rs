use crate::*;
use anjian_store::StoreError;

#[test]
fn bulletins_once_per_county_and_cycle_seen_county_wide() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let other = "360983000000";
        let items = serde_json::json!([{"case_no": "2022-0001", "hazard_id": 1}]);
        let b1 = s
            .create_bulletin(
                &ch,
                COUNTY,
                "2022年6月上半月",
                "安委办通〔2022〕1号",
                day("2022-06-01"),
                &items,
            )
            .unwrap()
            .expect("a new bulletin");
        assert_eq!(
            (
                b1.county_code.as_str(),
                b1.cycle.as_str(),
                b1.doc_no.as_str(),
                b1.issued_on
            ),
            (
                COUNTY,
                "2022年6月上半月",
                "安委办通〔2022〕1号",
                day("2022-06-01")
            )
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&b1.items).ok(),
            Some(items.clone())
        );
        // Once per county and cycle: a second one is not recorded.
        let empty = serde_json::json!([]);
        assert_eq!(
            s.create_bulletin(
                &ch,
                COUNTY,
                "2022年6月上半月",
                "安委办通〔2022〕2号",
                day("2022-06-02"),
                &empty
            ),
            Ok(None)
        );
        let b2 = s
            .create_bulletin(
                &ch,
                COUNTY,
                "2022年6月下半月",
                "安委办通〔2022〕2号",
                day("2022-06-16"),
                &empty,
            )
            .unwrap()
            .expect("next cycle");
        let system = Scope::system();
        let b3 = s
            .create_bulletin(
                &sys(&system),
                other,
                "2022年6月上半月",
                "高安通〔2022〕1号",
                day("2022-06-01"),
                &empty,
            )
            .unwrap()
            .expect("another county, same cycle");

        // Newest first; townships and villages see their county's; other counties do not.
        let list = |scope: &Scope| s.list_bulletins(scope).unwrap();
        assert_eq!(list(&county), vec![b2.clone(), b1.clone()]);
        assert_eq!(
            list(&Scope::region(&rc(TOWN_A), false)),
            vec![b2.clone(), b1.clone()]
        );
        assert_eq!(
            list(&Scope::region(&rc(VILLAGE_B1), false)),
            vec![b2.clone(), b1.clone()]
        );
        let other_scope = Scope::region(&rc(other), false);
        assert_eq!(list(&other_scope), vec![b3.clone()]);
        assert_eq!(list(&system), vec![b3.clone(), b2.clone(), b1.clone()]);
        assert!(list(&Scope::nothing()).is_empty());
        assert_eq!(
            s.get_bulletin(&Scope::region(&rc(TOWN_A), false), b1.id)
                .ok(),
            Some(b1.clone())
        );
        assert_eq!(
            s.get_bulletin(&other_scope, b1.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.get_bulletin(&county, 999_999).err(),
            Some(StoreError::NotFound)
        );

        // Only a writable scope reaching the county issues its bulletin.
        let issue = |scope: &Scope, code: &str| {
            s.create_bulletin(
                &sys(scope),
                code,
                "2022年7月上半月",
                "x",
                day("2022-07-01"),
                &empty,
            )
        };
        assert_eq!(
            issue(&Scope::region(&rc(TOWN_A), true), COUNTY),
            Err(StoreError::Forbidden)
        );
        assert_eq!(
            issue(&county.clone().read_only(), COUNTY),
            Err(StoreError::Forbidden)
        );
        assert_eq!(issue(&county, other), Err(StoreError::Forbidden));
        assert_eq!(list(&system).len(), 3);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
