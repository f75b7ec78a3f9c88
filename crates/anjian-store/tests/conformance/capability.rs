use crate::*;
use anjian_domain::capability::{AcceptanceResult, CapabilityState, ItemCheck, Level};
use anjian_store::StoreError;
use anjian_store::attachments::NewAttachment;
use anjian_store::capability::{Assessment, AssessmentFilter, CapabilityItem};
use anjian_store::paging::Keyset;
use anjian_store::stats::{StatFilter, catalogue};

fn item(code: &str) -> ItemCheck {
    ItemCheck {
        code: code.into(),
        name: code.into(),
        ..Default::default()
    }
}

fn assessment(region: &str, level: Level) -> Assessment {
    Assessment {
        region_code: region.into(),
        township_code: format!("{}000", &region[..9]),
        level,
        year: 2022,
        items: vec![item("team"), item("drills")],
        ..Default::default()
    }
}

fn accepted(a: &Assessment, result: AcceptanceResult, on: &str) -> Assessment {
    Assessment {
        status: CapabilityState::Accepted,
        result: Some(result),
        accepted_on: Some(day(on)),
        submitted_on: Some(day("2022-09-01")),
        inspectors: "王建国、刘芳".into(),
        ..a.clone()
    }
}

#[test]
fn checklists_assessments_evidence_and_acceptance() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        // The checklist: added, then renamed.
        let mut it = CapabilityItem {
            level: Level::Township,
            code: "team".into(),
            name: "有队伍".into(),
            description: String::new(),
            sort_order: 10,
            active: true,
        };
        s.save_capability_item(&ch, &it).unwrap();
        it.name = "有应急队伍".into();
        s.save_capability_item(&ch, &it).unwrap();
        let items = s.list_capability_items().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].name, "有应急队伍");

        // One assessment per place and year.
        let a = s
            .create_capability_assessment(&ch, &assessment(TOWN_A, Level::Township))
            .unwrap();
        assert_eq!(a.status, CapabilityState::Draft);
        assert!(matches!(
            s.create_capability_assessment(&ch, &assessment(TOWN_A, Level::Township)),
            Err(StoreError::Duplicate(_))
        ));
        let v = s
            .create_capability_assessment(&ch, &assessment(VILLAGE_A1, Level::Village))
            .unwrap();
        assert_eq!(v.township_code, TOWN_A);
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.create_capability_assessment(&sys(&town_b), &assessment(TOWN_A, Level::Township)),
            Err(StoreError::Forbidden)
        ));
        // Visibility: the region; enterprise-bound scopes none.
        assert!(matches!(
            s.get_capability_assessment(&town_b, a.id),
            Err(StoreError::NotFound)
        ));
        let mut ent = county_scope().read_only();
        ent.enterprise_ids = Some(vec![1]);
        assert!(s.get_capability_assessment(&ent, a.id).is_err());
        let town_a = anjian_domain::Scope::region(&rc(TOWN_A), true);
        let page = s
            .list_capability_assessments(&town_a, &AssessmentFilter::default(), &Keyset::first(10))
            .unwrap();
        assert_eq!(page.items.len(), 2);
        let f = AssessmentFilter {
            level: Some(Level::Village),
            year: Some(2022),
            ..Default::default()
        };
        assert_eq!(
            s.list_capability_assessments(&county, &f, &Keyset::first(10))
                .unwrap()
                .items
                .len(),
            1
        );

        // Evidence goes with its item.
        let (with, file) = s
            .attach_capability_evidence(
                &sys(&town_a),
                a.id,
                "drills",
                &NewAttachment {
                    file_name: "演练记录.pdf".into(),
                    content_type: "application/pdf".into(),
                    sha256: "11".repeat(32),
                    data: b"%PDF-1.4 drill".to_vec(),
                    note: "有培训演练".into(),
                },
            )
            .unwrap();
        assert_eq!(with.items[1].evidence, vec![file.id]);
        assert_eq!(with.version, 2);
        assert!(matches!(
            s.attach_capability_evidence(
                &ch,
                a.id,
                "nope",
                &NewAttachment {
                    file_name: "x.pdf".into(),
                    content_type: "application/pdf".into(),
                    sha256: "22".repeat(32),
                    data: b"%PDF-".to_vec(),
                    note: String::new(),
                }
            ),
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(s.capability_files(&town_a, a.id).unwrap().len(), 1);
        let (_, data) = s.attachment_data(&town_a, file.id).unwrap();
        assert_eq!(data, b"%PDF-1.4 drill");
        assert!(s.attachment_data(&town_b, file.id).is_err());

        // The steps write state and fields; a stale version is refused.
        let done = s
            .update_assessment(
                &ch,
                &accepted(&with, AcceptanceResult::Pass, "2022-10-12"),
                "accept",
            )
            .unwrap();
        assert_eq!(
            (done.status, done.result, done.version),
            (CapabilityState::Accepted, Some(AcceptanceResult::Pass), 3)
        );
        assert_eq!(done.items[1].evidence, vec![file.id]);
        assert!(matches!(
            s.update_assessment(&ch, &with, "save"),
            Err(StoreError::Conflict(_))
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn townships_accepted_count_each_township_once_and_drill_to_the_acceptance() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let a = s
            .create_capability_assessment(&ch, &assessment(TOWN_A, Level::Township))
            .unwrap();
        let b = s
            .create_capability_assessment(&ch, &assessment(TOWN_B, Level::Township))
            .unwrap();
        let v = s
            .create_capability_assessment(&ch, &assessment(VILLAGE_A1, Level::Village))
            .unwrap();
        let a = s
            .update_assessment(
                &ch,
                &accepted(&a, AcceptanceResult::Pass, "2022-10-12"),
                "accept",
            )
            .unwrap();
        s.update_assessment(
            &ch,
            &accepted(&b, AcceptanceResult::Fail, "2022-11-02"),
            "accept",
        )
        .unwrap();
        s.update_assessment(
            &ch,
            &accepted(&v, AcceptanceResult::Pass, "2022-11-20"),
            "accept",
        )
        .unwrap();
        // Town A again next year (passes again): one township a year.
        let a23 = s
            .create_capability_assessment(
                &ch,
                &Assessment {
                    year: 2023,
                    ..assessment(TOWN_A, Level::Township)
                },
            )
            .unwrap();
        s.update_assessment(
            &ch,
            &accepted(&a23, AcceptanceResult::Pass, "2023-03-01"),
            "accept",
        )
        .unwrap();
        let cat = catalogue(&s.list_work_item_types().unwrap_or_default(), &[]);
        let get = |id: &str| cat.iter().find(|m| m.id == id).unwrap();
        let f = StatFilter::default();
        let drill = |id: &str, from: &str, to: &str| -> Vec<i64> {
            s.metric_records(get(id), &county, &f, day(from), day(to), 100)
                .unwrap()
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    assert_eq!(r.entity, "capability");
                    r.entity_id.unwrap()
                })
                .collect()
        };
        let val = |id: &str, from: &str, to: &str| {
            s.metric_value(get(id), &county, &f, day(from), day(to))
                .unwrap()
        };
        assert_eq!(
            val("capability.townships_accepted", "2022-01-01", "2022-12-31"),
            Some(1)
        );
        assert_eq!(
            drill("capability.townships_accepted", "2022-01-01", "2022-12-31"),
            vec![a.id]
        );
        assert_eq!(
            val("capability.villages_accepted", "2022-01-01", "2022-12-31"),
            Some(1)
        );
        // Over both years town A is one township, counted by its first acceptance.
        assert_eq!(
            val("capability.townships_accepted", "2022-01-01", "2023-12-31"),
            Some(1)
        );
        assert_eq!(
            drill("capability.townships_accepted", "2022-01-01", "2023-12-31"),
            vec![a.id]
        );
        assert_eq!(
            drill("capability.townships_accepted", "2023-01-01", "2023-12-31"),
            vec![a23.id]
        );
        let batch = s
            .metric_values(
                &[
                    get("capability.townships_accepted"),
                    get("capability.villages_accepted"),
                ],
                &county,
                &f,
                day("2022-01-01"),
                day("2023-12-31"),
            )
            .unwrap();
        assert_eq!(batch, vec![Some(1), Some(1)]);
    });
}

#[test]
fn an_import_writes_all_its_assessments_or_none() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let a = s
            .create_capability_assessment(&ch, &assessment(TOWN_A, Level::Township))
            .unwrap();
        let mut answered = a.clone();
        answered.items[0].met = Some(true);
        // A stale version in the batch: the new village's assessment is not written either.
        let stale = Assessment {
            version: a.version + 5,
            ..answered.clone()
        };
        let village = assessment(VILLAGE_A1, Level::Village);
        assert!(matches!(
            s.import_capability_assessments(&ch, &[(village.clone(), "save"), (stale, "save")]),
            Err(StoreError::Conflict(_))
        ));
        let all = |scope: &anjian_domain::Scope| {
            s.list_capability_assessments(scope, &AssessmentFilter::default(), &Keyset::first(10))
                .unwrap()
                .items
        };
        assert_eq!(all(&county).len(), 1, "nothing written");
        assert_eq!(
            s.get_capability_assessment(&county, a.id).unwrap().version,
            1
        );
        // Out of the change's scope: refused before anything is written.
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.import_capability_assessments(&sys(&town_b), &[(village.clone(), "save")]),
            Err(StoreError::Forbidden)
        ));
        // Both good: one opened, one updated, each audited.
        let n = s
            .import_capability_assessments(&ch, &[(village, "save"), (answered, "save")])
            .unwrap();
        assert_eq!(n, 2);
        let list = all(&county);
        assert_eq!(list.len(), 2);
        let town = s.get_capability_assessment(&county, a.id).unwrap();
        assert_eq!((town.version, town.items[0].met), (2, Some(true)));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}
