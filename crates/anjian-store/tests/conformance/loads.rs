use crate::*;
use anjian_store::StoreError;
use anjian_store::audit::AuditFilter;
use anjian_store::hazards::{HazardFields, HazardFilter, HazardHistory};

type Step = (String, String, Option<String>, String, String);

fn step(at: &str, action: &str, from: Option<&str>, to: &str, note: &str) -> Step {
    (
        at.into(),
        action.into(),
        from.map(str::to_string),
        to.into(),
        note.into(),
    )
}

fn history(fields: &HazardFields, events: Vec<Step>) -> HazardHistory {
    HazardHistory {
        fields: fields.clone(),
        events,
        case: None,
    }
}

fn count(s: &Store, scope: &Scope) -> i64 {
    let f = HazardFilter {
        today: day("2022-06-01"),
        limit: 50,
        ..Default::default()
    };
    s.count_hazards(scope, &f).unwrap_or(-1)
}

#[test]
fn hazard_histories_load_whole_or_not_at_all() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let mut open = hazard_fields(
            VILLAGE_A1,
            None,
            "hazchem",
            "2022-03-01",
            Some("2022-04-01"),
        );
        open.status = anjian_domain::hazard::Status::parse("rectifying").unwrap();
        let open_steps = vec![
            step(
                "2022-03-01T01:00:00.000Z",
                "create",
                None,
                "registered",
                "登记",
            ),
            step(
                "2022-03-02T01:00:00.000Z",
                "order",
                Some("registered"),
                "ordered",
                "",
            ),
            step(
                "2022-03-05T01:00:00.000Z",
                "start",
                Some("ordered"),
                "rectifying",
                "开始整改",
            ),
        ];
        let mut major = hazard_fields(VILLAGE_B1, None, "fire", "2022-04-10", Some("2022-08-01"));
        major.level = anjian_domain::hazard::Level::parse("major").unwrap();
        major.status = anjian_domain::hazard::Status::parse("rectifying").unwrap();
        let mut closed_major =
            hazard_fields(VILLAGE_B1, None, "fire", "2021-11-01", Some("2021-12-01"));
        closed_major.level = anjian_domain::hazard::Level::parse("major").unwrap();
        closed_major.status = anjian_domain::hazard::Status::parse("closed").unwrap();
        closed_major.closed_on = Some(day("2021-11-20"));
        let quiet = hazard_fields(VILLAGE_A1, None, "hazchem", "2022-01-15", None);
        let items = vec![
            history(&open, open_steps.clone()),
            HazardHistory {
                case: Some([
                    "GB 18218-2018".into(),
                    "4.1".into(),
                    "专家组".into(),
                    "樟安办督〔2022〕3号".into(),
                    "王五".into(),
                ]),
                ..history(
                    &major,
                    vec![step(
                        "2022-04-10T01:00:00.000Z",
                        "create",
                        None,
                        "registered",
                        "",
                    )],
                )
            },
            history(&closed_major, vec![]),
            history(&quiet, vec![]),
        ];

        // Refused as a whole: an item outside the scope, a read-only scope, a bad item.
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.load_hazards(&sys(&town_b), &items, |_| {}).err(),
            Some(StoreError::Forbidden)
        );
        let reader = county.clone().read_only();
        assert_eq!(
            s.load_hazards(&sys(&reader), &items, |_| {}).err(),
            Some(StoreError::Forbidden)
        );
        let mut bad = quiet.clone();
        bad.region_code = "bad".into();
        let system = Scope::system();
        let with_bad = [items[0].clone(), history(&bad, vec![])];
        assert!(s.load_hazards(&sys(&system), &with_bad, |_| {}).is_err());
        assert_eq!(count(s, &county), 0);
        assert_eq!(s.latest_hazard_date(&county).ok(), Some(None));

        let mut calls = Vec::new();
        let ids = s
            .load_hazards(&ch, &items, |done| calls.push(done))
            .unwrap();
        assert_eq!(calls, vec![4]);
        assert_eq!(ids.len(), 4);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(count(s, &county), 4);
        // Each hazard as given, dated by its timeline, which is kept as given.
        let get = |id: i64| s.get_hazard(&county, id).unwrap();
        let h = get(ids[0]);
        assert_eq!(h.fields(), open);
        assert_eq!(
            (h.created_at.as_str(), h.updated_at.as_str(), h.version),
            ("2022-03-01T01:00:00.000Z", "2022-03-05T01:00:00.000Z", 1)
        );
        let timeline = |id: i64| {
            s.hazard_events(&county, id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| {
                    assert_eq!(e.actor, "test");
                    (e.at, e.action, e.from_status, e.to_status, e.note)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(timeline(ids[0]), open_steps);
        let q = get(ids[3]);
        assert_eq!(q.fields(), quiet);
        let at = anjian_store::ts(now());
        assert_eq!(
            (q.created_at.as_str(), q.updated_at.as_str()),
            (at.as_str(), at.as_str())
        );
        assert_eq!(timeline(ids[3]), vec![]);
        // Major hazards come with their case, in the state their status implies.
        let (c, _) = s.get_major_case(&county, ids[1]).unwrap();
        assert_eq!(
            (
                c.case_no.as_str(),
                c.state.as_str(),
                c.basis_standard.as_str(),
                c.basis_clause.as_str(),
                c.determined_by.as_str(),
                c.determined_on,
                c.assignment_no.as_str(),
                c.assigning_unit.as_str(),
                c.coordinating_supervisor.as_str(),
                c.assigned_on,
                c.closed_on
            ),
            (
                "2022-0001",
                "in_remediation",
                "GB 18218-2018",
                "4.1",
                "专家组",
                Some(day("2022-04-10")),
                "樟安办督〔2022〕3号",
                "安委办",
                "王五",
                Some(day("2022-04-10")),
                None
            )
        );
        let (c, _) = s.get_major_case(&county, ids[2]).unwrap();
        assert_eq!(
            (c.case_no.as_str(), c.state.as_str()),
            ("2021-0001", "closed")
        );
        assert_eq!(
            s.get_major_case(&county, ids[0]).err(),
            Some(StoreError::NotFound)
        );
        // One audit entry per hazard.
        let f = AuditFilter {
            action_prefix: Some("hazard.load".into()),
            limit: 100,
            ..Default::default()
        };
        let mut audited: Vec<String> = s
            .list_audit(&county, &f)
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.entity_id)
            .collect();
        audited.reverse();
        assert_eq!(audited, ids.iter().map(i64::to_string).collect::<Vec<_>>());
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));

        // The latest finding date in the scope.
        let latest = |scope: &Scope| s.latest_hazard_date(scope).unwrap();
        assert_eq!(latest(&county), Some(day("2022-04-10")));
        assert_eq!(
            latest(&Scope::region(&rc(TOWN_A), false)),
            Some(day("2022-03-01"))
        );
        assert_eq!(latest(&town_b), Some(day("2022-04-10")));
        let hazchem = Scope {
            sectors: Some(vec!["hazchem".into()]),
            ..county_scope()
        };
        assert_eq!(latest(&hazchem), Some(day("2022-03-01")));
        let own = Scope {
            enterprise_ids: Some(vec![1]),
            ..county_scope()
        };
        assert_eq!(latest(&own), None);
        assert_eq!(latest(&Scope::nothing()), None);

        // Progress is told every 500 hazards and at the end.
        let many: Vec<HazardHistory> = (0..501).map(|_| history(&quiet, vec![])).collect();
        let mut calls = Vec::new();
        let loaded = s.load_hazards(&ch, &many, |done| calls.push(done)).unwrap();
        assert_eq!((loaded.len(), calls), (501, vec![500, 501]));
        assert_eq!(count(s, &county), 505);
    });
}
