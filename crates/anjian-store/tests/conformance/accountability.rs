//! Accountability records: JSON persons and references, scope (townships, a department's own,
//! enterprise-bound none), paging and filters, versions, the metrics counting them.

use crate::*;
use anjian_domain::accountability::{Kind, Person, RefKind, Reference, TargetKind, Theme};
use anjian_store::StoreError;
use anjian_store::accountability::{AccountabilityFilter, AccountabilityInput};
use anjian_store::paging::Keyset;
use anjian_store::stats::{StatFilter, catalogue};

fn person(name: &str) -> Person {
    Person {
        name: name.into(),
        post: "镇长".into(),
        unit: "临江镇人民政府".into(),
    }
}

fn record(
    kind: Kind,
    theme: Theme,
    region: &str,
    department: Option<i64>,
    persons: &[&str],
    on: &str,
) -> AccountabilityInput {
    AccountabilityInput {
        region_code: region.into(),
        kind,
        theme,
        target_kind: if department.is_some() {
            TargetKind::Department
        } else {
            TargetKind::Township
        },
        department_id: department,
        enterprise_id: None,
        target_name: "临江镇".into(),
        persons: persons.iter().map(|n| person(n)).collect(),
        measure: "通报批评".into(),
        decided_by: "市安委会".into(),
        decided_on: day(on),
        reason: "森林防灭火工作落实不力".into(),
        refs: vec![Reference {
            kind: RefKind::Assessment,
            id: None,
            text: "半年考评".into(),
        }],
        doc_no: String::new(),
    }
}

#[test]
fn records_keep_their_persons_and_each_scope_sees_its_own() {
    each(|s| {
        let (a, b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let first = s
            .create_accountability(
                &ch,
                &record(
                    Kind::Interview,
                    Theme::ForestFire,
                    TOWN_A,
                    None,
                    &["王强", "李红"],
                    "2022-05-01",
                ),
            )
            .unwrap();
        assert_eq!(first.person_count, 2);
        assert_eq!(first.persons[1].name, "李红");
        assert_eq!(first.refs[0].kind, RefKind::Assessment);
        assert_eq!(first.county_code, COUNTY);
        assert_eq!(
            s.create_accountability_records(
                &ch,
                &[
                    record(
                        Kind::Accountability,
                        Theme::ForestFire,
                        TOWN_B,
                        None,
                        &[],
                        "2022-05-02"
                    ),
                    record(
                        Kind::Criticism,
                        Theme::Hazards,
                        COUNTY,
                        Some(a),
                        &[],
                        "2022-05-03"
                    ),
                    record(
                        Kind::Criticism,
                        Theme::Hazards,
                        COUNTY,
                        Some(b),
                        &[],
                        "2021-05-03"
                    ),
                ],
            )
            .unwrap(),
            3
        );
        let ids = |scope: &anjian_domain::Scope, dept: Option<i64>, f: &AccountabilityFilter| {
            s.list_accountability(scope, dept, f, &Keyset::first(50))
                .unwrap()
                .items
                .into_iter()
                .map(|r| r.decided_on.to_string())
                .collect::<Vec<_>>()
        };
        let all = AccountabilityFilter::default();
        assert_eq!(ids(&county, None, &all).len(), 4);
        let in_2022 = AccountabilityFilter {
            from: Some(day("2022-01-01")),
            to: Some(day("2022-12-31")),
            theme: Some(Theme::ForestFire),
            ..Default::default()
        };
        assert_eq!(
            ids(&county, None, &in_2022),
            vec!["2022-05-02", "2022-05-01"]
        );
        let town = anjian_domain::Scope::region(&rc(TOWN_A), true);
        assert_eq!(ids(&town, None, &all), vec!["2022-05-01"]);
        // A department's scope: the records about its own department only.
        let dept = anjian_domain::Scope {
            sectors: Some(vec!["mines".into()]),
            ..county_scope()
        };
        assert_eq!(ids(&dept, Some(a), &all), vec!["2022-05-03"]);
        assert!(ids(&dept, None, &all).is_empty());
        assert!(matches!(
            s.get_accountability(&dept, Some(b), first.id),
            Err(StoreError::NotFound)
        ));
        let enterprise = anjian_domain::Scope {
            enterprise_ids: Some(vec![1]),
            ..county_scope()
        };
        assert!(ids(&enterprise, None, &all).is_empty());
        // Paging: newest id first, nothing cut.
        let p = s
            .list_accountability(&county, None, &all, &Keyset::first(3))
            .unwrap();
        assert_eq!(p.items.len(), 3);
        assert!(p.next.is_some());
        // Versions, writes in scope only.
        let mut upd = record(
            Kind::Interview,
            Theme::ForestFire,
            TOWN_A,
            None,
            &["王强"],
            "2022-05-01",
        );
        upd.reason = "更正".into();
        let saved = s
            .update_accountability(&ch, first.id, first.version, &upd)
            .unwrap();
        assert_eq!(saved.person_count, 1);
        assert!(matches!(
            s.update_accountability(&ch, first.id, first.version, &upd),
            Err(StoreError::Conflict(_))
        ));
        let read_only = anjian_domain::Scope::region(&rc(COUNTY), false);
        assert!(matches!(
            s.create_accountability(&sys(&read_only), &upd),
            Err(StoreError::Forbidden)
        ));
        assert!(matches!(
            s.create_accountability(
                &sys(&town),
                &record(
                    Kind::Interview,
                    Theme::ForestFire,
                    TOWN_B,
                    None,
                    &["甲"],
                    "2022-05-01"
                )
            ),
            Err(StoreError::Forbidden)
        ));
        assert!(matches!(
            s.delete_accountability(&ch, first.id, 1),
            Err(StoreError::Conflict(_))
        ));
        s.delete_accountability(&ch, first.id, saved.version)
            .unwrap();
        assert!(matches!(
            s.get_accountability(&county, None, first.id),
            Err(StoreError::NotFound)
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn the_metrics_count_townships_once_and_persons_per_theme() {
    each(|s| {
        let (a, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.create_accountability_records(
            &ch,
            &[
                record(
                    Kind::Interview,
                    Theme::ForestFire,
                    TOWN_A,
                    None,
                    &["王强", "李红"],
                    "2022-05-01",
                ),
                record(
                    Kind::Interview,
                    Theme::ForestFire,
                    VILLAGE_B1,
                    None,
                    &["张三"],
                    "2022-06-01",
                ),
                record(
                    Kind::Interview,
                    Theme::Hazards,
                    TOWN_B,
                    None,
                    &["赵六"],
                    "2022-06-02",
                ),
                record(
                    Kind::Interview,
                    Theme::ForestFire,
                    TOWN_A,
                    None,
                    &["钱八"],
                    "2021-06-02",
                ),
                record(
                    Kind::Accountability,
                    Theme::ForestFire,
                    TOWN_A,
                    None,
                    &[],
                    "2022-05-01",
                ),
                record(
                    Kind::Accountability,
                    Theme::ForestFire,
                    TOWN_A,
                    None,
                    &[],
                    "2022-07-01",
                ),
                record(
                    Kind::Accountability,
                    Theme::Hazards,
                    TOWN_B,
                    None,
                    &[],
                    "2022-07-01",
                ),
                record(
                    Kind::Accountability,
                    Theme::ForestFire,
                    COUNTY,
                    Some(a),
                    &[],
                    "2022-07-02",
                ),
            ],
        )
        .unwrap();
        let cat = catalogue(&[], &[]);
        let val = |id: &str, f: &StatFilter| {
            let m = cat
                .iter()
                .find(|m| m.id == id)
                .unwrap_or_else(|| panic!("{id}"));
            s.metric_value(m, &county, f, day("2022-01-01"), day("2022-12-31"))
                .unwrap()
        };
        let all = StatFilter::default();
        assert_eq!(val("accountability.interviewed.forest_fire", &all), Some(3));
        assert_eq!(val("accountability.interviewed", &all), Some(4));
        assert_eq!(val("accountability.townships.forest_fire", &all), Some(1));
        assert_eq!(val("accountability.townships", &all), Some(2));
        assert_eq!(val("accountability.decisions", &all), Some(4));
        let dept = StatFilter {
            department_id: Some(a),
            ..Default::default()
        };
        assert_eq!(val("accountability.decisions", &dept), Some(1));
        let sector = StatFilter {
            sector: Some("fire".into()),
            ..Default::default()
        };
        assert_eq!(
            val("accountability.decisions", &sector),
            None,
            "not applicable"
        );
        let m = cat
            .iter()
            .find(|m| m.id == "accountability.townships.forest_fire")
            .unwrap();
        let rows = s
            .metric_records(m, &county, &all, day("2022-01-01"), day("2022-12-31"), 100)
            .unwrap()
            .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            vec![TOWN_A]
        );
        assert_eq!(rows[0].label, "临江镇");
    });
}
