//! Stationed supervisors on both backends: key places and assignments written in their
//! scope (another township's site answering like a missing one), the site's place and
//! sector copied onto the assignment, a supervisor's visits (only its own assignments, only
//! within their days) with photos, a hazard registered from a visit and linked, the week
//! confirmed with its figures, spot checks and monthly ratings (one per month,
//! version-checked), the enterprises a supervisor is stationed at on a day, and the metrics.

use crate::*;
use anjian_domain::station::{CheckAnswer, PlaceKind, Rating, Site, SpotResult};
use anjian_store::StoreError;
use anjian_store::attachments::NewAttachment;
use anjian_store::station::{
    AssignmentFilter, AssignmentInput, KeyPlaceInput, SpotCheckInput, Unit, VisitInput,
};
use anjian_store::stats::{StatFilter, catalogue};
use anjian_store::users::UserInput;

fn supervisor(s: &Store, ch: &Change<'_>, username: &str) -> i64 {
    s.create_user_with(
        ch,
        &UserInput {
            username: username.into(),
            display_name: format!("派驻监督员 {username}"),
            role: "supervisor".into(),
            region_code: COUNTY.into(),
            department_id: None,
            enterprise_id: None,
            phone: None,
            active: true,
            site_ids: Vec::new(),
            cert_no: None,
            cert_valid_until: None,
        },
        "x",
        false,
    )
    .unwrap()
}

fn minute(s: &str) -> chrono::NaiveDateTime {
    anjian_domain::minute::parse(s).unwrap()
}

#[test]
fn stationed_supervisors_keep_their_postings_visits_checks_and_ratings_on_both_backends() {
    each(|s| {
        let (dept, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let e2 = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_B1, "hazchem"))
            .unwrap();
        let s1 = supervisor(s, &ch, "pz1");
        let s2 = supervisor(s, &ch, "pz2");

        // A township names a key place in its township; elsewhere it is refused.
        let town = Scope::region(&rc(TOWN_A), true);
        let tch = sys(&town);
        let place = |region: &str| KeyPlaceInput {
            region_code: region.into(),
            sector: Some("mines".into()),
            name: "采石场井口".into(),
            kind: PlaceKind::MineEntrance,
            location: "枫林村后山".into(),
            note: String::new(),
        };
        let p = s.create_key_place(&tch, &place(VILLAGE_A1)).unwrap();
        assert_eq!(p.region_name, "枫林村");
        assert!(matches!(
            s.create_key_place(&tch, &place(VILLAGE_B1)),
            Err(StoreError::Forbidden)
        ));
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert!(s.key_places(&town_b).unwrap().is_empty());
        assert_eq!(s.key_places(&county).unwrap().len(), 1);

        // Assignments: the site's place and sector are the assignment's.
        let assign =
            |ch: &Change<'_>, sup: i64, unit: Unit, site: Site, from: &str, to: Option<&str>| {
                s.create_station_assignment(
                    ch,
                    &AssignmentInput {
                        supervisor_id: sup,
                        unit,
                        site,
                        starts_on: day(from),
                        ends_on: to.map(day),
                        note: String::new(),
                    },
                )
            };
        let a1 = assign(
            &tch,
            s1,
            Unit::Township(TOWN_A.into()),
            Site::Enterprise(e1),
            "2022-09-22",
            None,
        )
        .unwrap();
        assert_eq!(
            (a1.region_code.as_str(), a1.sector.as_deref()),
            (VILLAGE_A1, Some("hazchem"))
        );
        assert_eq!(
            (a1.unit_name.as_str(), a1.site_name.as_str()),
            ("临江镇", "测试企业1有限公司")
        );
        let a2 = assign(
            &tch,
            s1,
            Unit::Township(TOWN_A.into()),
            Site::Place(p.id),
            "2022-09-22",
            Some("2022-10-31"),
        )
        .unwrap();
        assert_eq!(a2.sector.as_deref(), Some("mines"));
        assert!(matches!(
            assign(
                &tch,
                s2,
                Unit::Township(TOWN_A.into()),
                Site::Enterprise(e2),
                "2022-09-22",
                None
            ),
            Err(StoreError::NotFound)
        ));
        assert!(
            matches!(
                assign(
                    &tch,
                    99_999,
                    Unit::Township(TOWN_A.into()),
                    Site::Enterprise(e1),
                    "2022-09-22",
                    None
                ),
                Err(StoreError::Invalid(_))
            ),
            "only a supervisor is stationed"
        );
        let a3 = assign(
            &ch,
            s2,
            Unit::Department(dept),
            Site::Enterprise(e2),
            "2022-09-29",
            None,
        )
        .unwrap();
        assert_eq!(a3.unit_name, "应急管理局");
        let running = |from: &str, to: &str| AssignmentFilter {
            from: Some(day(from)),
            to: Some(day(to)),
            ..Default::default()
        };
        assert_eq!(
            s.station_assignments(&county, None, &running("2022-09-26", "2022-10-02"))
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            s.station_assignments(&county, None, &running("2022-09-01", "2022-09-21"))
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            s.station_assignments(&town, None, &running("2022-09-26", "2022-10-02"))
                .unwrap()
                .len(),
            2
        );
        // The supervisor reads its own (a key place through `own`), not another's.
        let sup_scope = Scope::of_role(
            anjian_domain::Role::Supervisor,
            &rc(COUNTY),
            vec![],
            None,
            &[],
        );
        assert_eq!(
            s.station_assignments(&sup_scope, Some(s1), &AssignmentFilter::default())
                .unwrap()
                .len(),
            2
        );
        assert!(matches!(
            s.get_station_assignment(&sup_scope, Some(s2), a1.id),
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.stationed_enterprises(s1, day("2022-09-30")).unwrap(),
            vec![e1]
        );
        assert!(
            s.stationed_enterprises(s2, day("2022-09-28"))
                .unwrap()
                .is_empty()
        );

        // Visits: by the assignment's supervisor, on its days.
        let as_sup = |id: i64| {
            let mut c = sys(&county);
            c.actor_id = Some(id);
            c
        };
        let visit = |a: i64, at: &str, problem: bool| VisitInput {
            assignment_id: a,
            visited_at: minute(at),
            checklist: vec![
                ("duty".into(), CheckAnswer::Normal),
                (
                    "exits".into(),
                    if problem {
                        CheckAnswer::Problem
                    } else {
                        CheckAnswer::Normal
                    },
                ),
            ],
            findings: if problem {
                "疏散通道堆放杂物".into()
            } else {
                String::new()
            },
        };
        let photo = NewAttachment {
            file_name: "现场.png".into(),
            content_type: "image/png".into(),
            sha256: "0".repeat(64),
            data: vec![1, 2, 3],
            note: String::new(),
        };
        let (v1, files) = s
            .record_visit(
                &as_sup(s1),
                &visit(a1.id, "2022-09-27 09:30", false),
                &[photo],
            )
            .unwrap();
        assert_eq!(
            (v1.problems, files.len(), v1.day),
            (0, 1, day("2022-09-27"))
        );
        assert_eq!(v1.checklist[1], ("exits".to_string(), CheckAnswer::Normal));
        let (v2, _) = s
            .record_visit(&as_sup(s1), &visit(a2.id, "2022-09-28 15:10", true), &[])
            .unwrap();
        assert_eq!(v2.problems, 1);
        assert!(matches!(
            s.record_visit(&as_sup(s2), &visit(a1.id, "2022-09-28 10:00", false), &[]),
            Err(StoreError::NotFound)
        ));
        assert!(
            matches!(
                s.record_visit(&as_sup(s2), &visit(a3.id, "2022-09-28 10:00", false), &[]),
                Err(StoreError::Invalid(_))
            ),
            "before the posting began"
        );
        assert_eq!(
            s.visits(&county, None, day("2022-09-26"), day("2022-10-02"), None)
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            s.visits(&town_b, None, day("2022-09-26"), day("2022-10-02"), None)
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            s.visit_photos(&sup_scope, Some(s1), v1.id).unwrap().len(),
            1
        );
        assert!(matches!(
            s.visit_photos(&sup_scope, Some(s2), v1.id),
            Err(StoreError::NotFound)
        ));
        let photo_id = files[0].id;
        assert_eq!(
            s.visit_photo(&sup_scope, Some(s1), photo_id).unwrap().1,
            vec![1, 2, 3]
        );
        assert!(s.attachment_data(&county, photo_id).is_ok());
        assert!(matches!(
            s.attachment_data(&town_b, photo_id),
            Err(StoreError::NotFound)
        ));

        // A hazard from a visit's findings, in the site's scope, linked to the visit.
        let mut site = Scope::region(&rc(VILLAGE_A1), true);
        site.sectors = Some(vec!["mines".into()]);
        let mut hch = sys(&site);
        hch.actor_id = Some(s1);
        let f = hazard_fields(VILLAGE_A1, None, "mines", "2022-09-28", Some("2022-10-08"));
        let ev = EventInput {
            action: "create".into(),
            note: String::new(),
            data: None,
        };
        let h = s.hazard_from_visit(&hch, v2.id, &f, &ev).unwrap();
        assert_eq!(s.visit_hazards(&county, None, v2.id).unwrap(), vec![h.id]);
        let mut other = sys(&site);
        other.actor_id = Some(s2);
        assert!(matches!(
            s.hazard_from_visit(&other, v2.id, &f, &ev),
            Err(StoreError::NotFound)
        ));

        // The week, confirmed with its figures; confirming again replaces it.
        let w = s
            .confirm_week(&as_sup(s1), day("2022-09-26"), "两处")
            .unwrap();
        assert_eq!((w.visits, w.problems), (2, 1));
        s.confirm_week(&as_sup(s1), day("2022-09-26"), "两处，已登记隐患")
            .unwrap();
        let weeks = s
            .confirmed_weeks(s1, day("2022-09-01"), day("2022-10-31"))
            .unwrap();
        assert_eq!(weeks.len(), 1);
        assert_eq!(weeks[0].note, "两处，已登记隐患");

        // Spot checks in the site's scope; a visit of another posting is refused.
        let spot = |a: i64, v: Option<i64>| SpotCheckInput {
            assignment_id: a,
            visit_id: v,
            checked_on: day("2022-09-29"),
            present: true,
            record_true: false,
            result: SpotResult::Fail,
            follow_up: "约谈".into(),
            note: String::new(),
        };
        let sc = s
            .create_spot_check(&tch, &spot(a1.id, Some(v1.id)))
            .unwrap();
        assert_eq!((sc.result, sc.supervisor_id), (SpotResult::Fail, s1));
        assert!(matches!(
            s.create_spot_check(&tch, &spot(a1.id, Some(v2.id))),
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            s.create_spot_check(&sys(&town_b), &spot(a1.id, None)),
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.spot_checks(&county, None, day("2022-09-01"), day("2022-10-31"))
                .unwrap()
                .len(),
            1
        );

        // Ratings: one per month, version-checked, by a scope that stationed the supervisor.
        let r = s
            .rate_supervisor(&tch, s1, day("2022-09-01"), Rating::Excellent, "", None)
            .unwrap();
        assert!(matches!(
            s.rate_supervisor(
                &tch,
                s1,
                day("2022-09-01"),
                Rating::Competent,
                "",
                Some(r.version + 1)
            ),
            Err(StoreError::Conflict(_))
        ));
        let r2 = s
            .rate_supervisor(
                &tch,
                s1,
                day("2022-09-01"),
                Rating::Competent,
                "",
                Some(r.version),
            )
            .unwrap();
        assert_eq!((r2.id, r2.rating), (r.id, Rating::Competent));
        assert!(matches!(
            s.rate_supervisor(
                &sys(&town_b),
                s1,
                day("2022-09-01"),
                Rating::Basic,
                "",
                None
            ),
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.ratings(&town, day("2022-09-01")).unwrap().len(), 1);

        // Ended, the posting no longer runs; an end before the start is refused.
        let ended = s
            .end_station_assignment(&tch, a1.id, a1.version, day("2022-09-29"))
            .unwrap();
        assert_eq!(ended.ends_on, Some(day("2022-09-29")));
        assert!(
            s.stationed_enterprises(s1, day("2022-09-30"))
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            s.end_station_assignment(&tch, a2.id, a2.version, day("2022-09-01")),
            Err(StoreError::Invalid(_))
        ));

        // The metrics of the 特护期.
        let cat = catalogue(&[], &[]);
        let value = |id: &str| {
            let m = cat.iter().find(|m| m.id == id).unwrap();
            s.metric_value(
                m,
                &county,
                &StatFilter::default(),
                day("2022-09-22"),
                day("2022-10-31"),
            )
            .unwrap()
            .unwrap_or(0)
        };
        assert_eq!(value("station.townships"), 1);
        assert_eq!(value("station.departments"), 1);
        assert_eq!(value("station.supervisors"), 2);
        assert_eq!(value("station.sites"), 3);
        assert_eq!(value("station.visits"), 2);
        assert_eq!(value("station.problems"), 1);
        assert_eq!(
            (
                value("station.spot_checks"),
                value("station.spot_checks_failed")
            ),
            (1, 1)
        );
    });
}
