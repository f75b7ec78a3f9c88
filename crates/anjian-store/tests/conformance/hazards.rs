use crate::*;
use anjian_domain::calendar::{DayKind, SpecialDay};
use anjian_store::StoreError;
use anjian_store::hazards::{EventInput, HazardFields, HazardFilter};

fn fields(
    region: &str,
    enterprise: Option<i64>,
    sector: &str,
    deadline: Option<&str>,
) -> HazardFields {
    HazardFields {
        region_code: region.into(),
        enterprise_id: enterprise,
        department_id: None,
        sector: sector.into(),
        level: "general".into(),
        source: "inspection".into(),
        description: "配电箱未接地".into(),
        location: "一号车间".into(),
        found_on: "2022-06-01".into(),
        deadline: deadline.map(str::to_string),
        deadline_basis: deadline.map(|_| "date".to_string()),
        deadline_rule: String::new(),
        status: "registered".into(),
        responsible_unit: String::new(),
        responsible_person: String::new(),
        measures: String::new(),
        funds_planned: None,
        funds_spent: None,
        emergency_plan: String::new(),
        campaign: Some("百日攻坚".into()),
        closed_on: None,
    }
}

fn ev(action: &str) -> EventInput {
    EventInput {
        action: action.into(),
        note: String::new(),
        data: None,
    }
}

fn filter(today: &str) -> HazardFilter {
    HazardFilter {
        today: today.into(),
        limit: 50,
        ..Default::default()
    }
}

#[test]
fn hazards_create_update_events_and_filters() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap_or_default();
        let h1 = s
            .create_hazard(
                &ch,
                &fields(VILLAGE_A1, Some(e), "hazchem", Some("2022-06-10")),
                &ev("create"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let h2 = s
            .create_hazard(&ch, &fields(VILLAGE_B1, None, "fire", None), &ev("create"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(h1.county_code, COUNTY);
        assert_eq!(h1.enterprise_name.as_deref(), Some("测试企业1有限公司"));
        assert_eq!(h1.region_name, "枫林村");
        // Overdue is derived from the deadline and the day asked about.
        let count = |f: HazardFilter| s.count_hazards(&county, &f).unwrap_or(-1);
        assert_eq!(
            count(HazardFilter {
                overdue: Some(true),
                ..filter("2022-06-10")
            }),
            0
        );
        assert_eq!(
            count(HazardFilter {
                overdue: Some(true),
                ..filter("2022-06-11")
            }),
            1
        );
        assert_eq!(
            count(HazardFilter {
                overdue: Some(false),
                ..filter("2022-06-11")
            }),
            1
        );
        // The ledger's two totals in one pass agree with the two counts.
        for (day, overdue) in [("2022-06-10", 0), ("2022-06-11", 1)] {
            assert_eq!(
                s.count_hazards_and_overdue(&county, &filter(day)).ok(),
                Some((2, overdue))
            );
        }
        let mut fire = county.clone();
        fire.sectors = Some(vec!["hazchem".into()]);
        assert_eq!(
            s.count_hazards_and_overdue(&fire, &filter("2022-06-11"))
                .ok(),
            Some((1, 1))
        );
        assert_eq!(
            count(HazardFilter {
                campaign: Some("百日攻坚".into()),
                ..filter("2022-06-11")
            }),
            2
        );
        assert_eq!(
            count(HazardFilter {
                region_prefix: Some("360982101".into()),
                ..filter("2022-06-11")
            }),
            1
        );
        assert_eq!(
            count(HazardFilter {
                q: Some("接地".into()),
                ..filter("2022-06-11")
            }),
            2
        );
        // Scope: township B sees only its hazard; the enterprise only its own.
        let town_b = Scope::region(&rc(TOWN_B), true);
        let ids: Vec<i64> = s
            .list_hazards(&town_b, &filter("2022-06-11"))
            .map(|p| p.items.iter().map(|h| h.id).collect())
            .unwrap_or_default();
        assert_eq!(ids, vec![h2.id]);
        assert_eq!(
            s.get_hazard(&town_b, h1.id).err(),
            Some(StoreError::NotFound)
        );
        let mut own = county.clone();
        own.enterprise_ids = Some(vec![e]);
        assert_eq!(s.count_hazards(&own, &filter("2022-06-11")).ok(), Some(1));
        let mut fire = county.clone();
        fire.sectors = Some(vec!["fire".into()]);
        assert_eq!(s.count_hazards(&fire, &filter("2022-06-11")).ok(), Some(1));
        // A transition: hazard, event and audit together; stale versions conflict.
        let mut f = h1.fields();
        f.status = "ordered".into();
        let after = s
            .update_hazard(&ch, h1.id, h1.version, &f, &ev("order"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((after.status.as_str(), after.version), ("ordered", 2));
        assert!(matches!(
            s.update_hazard(&ch, h1.id, h1.version, &f, &ev("order")),
            Err(StoreError::Conflict(_))
        ));
        // Township B cannot change township A's hazard, nor move its own into A.
        let chb = sys(&town_b);
        assert_eq!(
            s.update_hazard(&chb, h1.id, 2, &f, &ev("note")).err(),
            Some(StoreError::Forbidden)
        );
        let mut moved = h2.fields();
        moved.region_code = VILLAGE_A1.into();
        assert_eq!(
            s.update_hazard(&chb, h2.id, 1, &moved, &ev("note")).err(),
            Some(StoreError::Forbidden)
        );
        let events = s.hazard_events(&county, h1.id).unwrap_or_default();
        assert_eq!(
            events
                .iter()
                .map(|e| (e.action.as_str(), e.to_status.as_str()))
                .collect::<Vec<_>>(),
            vec![("create", "registered"), ("order", "ordered")]
        );
        assert_eq!(events[1].from_status.as_deref(), Some("registered"));
        assert_eq!(
            s.hazard_events(&town_b, h1.id).err(),
            Some(StoreError::NotFound)
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
        // Keyset pages.
        let p1 = s
            .list_hazards(
                &county,
                &HazardFilter {
                    limit: 1,
                    ..filter("2022-06-11")
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p1.items[0].id, h2.id);
        let after_id = p1.next.and_then(|n| n.parse().ok());
        let p2 = s
            .list_hazards(
                &county,
                &HazardFilter {
                    limit: 1,
                    after: after_id,
                    ..filter("2022-06-11")
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p2.items[0].id, p2.next), (h1.id, None));
    });
}

#[test]
fn calendar_years_are_replaced_whole() {
    each(|s| {
        let scope = Scope::system();
        let d = |x: &str| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap_or_default();
        let days = vec![
            SpecialDay {
                date: d("2022-10-03"),
                kind: DayKind::Holiday,
                name: "国庆节".into(),
            },
            SpecialDay {
                date: d("2022-10-08"),
                kind: DayKind::Workday,
                name: "国庆节调休上班".into(),
            },
        ];
        assert!(s.replace_calendar_year(&sys(&scope), 2022, &days).is_ok());
        assert_eq!(s.calendar_days(Some(2022)).ok(), Some(days.clone()));
        assert_eq!(s.calendar_years().ok(), Some(vec![2022]));
        let cal = s.calendar().unwrap_or_default();
        assert!(!cal.is_working_day(d("2022-10-03")) && cal.is_working_day(d("2022-10-08")));
        assert!(
            s.replace_calendar_year(&sys(&scope), 2022, &days[..1])
                .is_ok()
        );
        assert_eq!(s.calendar_days(None).map(|v| v.len()).ok(), Some(1));
        assert_eq!(
            s.replace_calendar_year(&sys(&scope.clone().read_only()), 2022, &days),
            Err(StoreError::Forbidden)
        );
    });
}

fn notice(id: i64) -> anjian_store::notices::NewNotice {
    anjian_store::notices::NewNotice {
        region_code: VILLAGE_A1.into(),
        sector: "fire".into(),
        enterprise_id: None,
        kind: "overdue".into(),
        entity: "hazard".into(),
        entity_id: id,
        message: format!("隐患 {id} 已逾期"),
    }
}

#[test]
fn a_job_cycle_runs_once_even_from_two_instances_at_once() {
    use anjian_store::notices::CycleOutcome;
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        seed_org(&ts.store);
        let scope = Scope::system();
        let notices: Vec<_> = (1..=20).map(notice).collect();
        // Two instances: two independent store handles on the same database.
        let other = Store::open(&ts.url()).unwrap_or_else(|e| panic!("{e}"));
        let stores = [ts.store.as_ref(), &other];
        let outcomes: Vec<CycleOutcome> = std::thread::scope(|s| {
            let handles: Vec<_> = stores
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    let n = &notices;
                    let sc = &scope;
                    s.spawn(move || {
                        st.run_notice_cycle(
                            &sys(sc),
                            "daily",
                            "2022-06-11",
                            &format!("instance-{i}"),
                            n,
                        )
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| panic!("thread"))
                        .unwrap_or_else(|e| panic!("{e}"))
                })
                .collect()
        });
        let ran: Vec<_> = outcomes
            .iter()
            .filter(|o| matches!(o, CycleOutcome::Ran(20)))
            .collect();
        assert_eq!(ran.len(), 1, "{outcomes:?}");
        assert!(outcomes.contains(&CycleOutcome::AlreadyDone));
        // Running again is a no-op; the notices are there once.
        assert_eq!(
            ts.store
                .run_notice_cycle(&sys(&scope), "daily", "2022-06-11", "again", &notices)
                .ok(),
            Some(CycleOutcome::AlreadyDone)
        );
        assert_eq!(ts.store.job_runs("daily", "2022-06-11").ok(), Some(1));
        assert_eq!(
            ts.store
                .list_notices(&county_scope(), Some("2022-06-11"), 100)
                .map(|v| v.len())
                .ok(),
            Some(20)
        );
        // Scoped: township B sees none, township A all; the fire sector only.
        assert_eq!(
            ts.store
                .list_notices(&Scope::region(&rc(TOWN_B), false), None, 100)
                .map(|v| v.len())
                .ok(),
            Some(0)
        );
        let mut mines = county_scope();
        mines.sectors = Some(vec!["mines".into()]);
        assert_eq!(
            ts.store
                .list_notices(&mines, None, 100)
                .map(|v| v.len())
                .ok(),
            Some(0)
        );
        // The next day is a new cycle; an already-noticed hazard of that day is not doubled.
        assert_eq!(
            ts.store
                .run_notice_cycle(&sys(&scope), "daily", "2022-06-12", "i", &notices[..2])
                .ok(),
            Some(CycleOutcome::Ran(2))
        );
        assert!(ts.store.verify_audit().map(|r| r.ok()).unwrap_or(false));
    }
}

#[test]
fn attachments_round_trip_with_scope() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let h = s
            .create_hazard(&ch, &fields(VILLAGE_A1, None, "fire", None), &ev("create"))
            .unwrap_or_else(|e| panic!("{e}"));
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let a = anjian_store::attachments::NewAttachment {
            file_name: "照片.png".into(),
            content_type: "image/png".into(),
            sha256: "ab".repeat(32),
            data: data.clone(),
            note: "整改后".into(),
        };
        let saved = s
            .attach_to_hazard(&ch, h.id, &a)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((saved.size, saved.file_name.as_str()), (5000, "照片.png"));
        let (meta, bytes) = s
            .attachment_data(&county, saved.id)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((meta, bytes), (saved.clone(), data));
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.attachment_data(&town_b, saved.id).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.attach_to_hazard(&sys(&town_b), h.id, &a).err(),
            Some(StoreError::NotFound)
        );
        assert_eq!(
            s.hazard_attachments(&county, h.id).map(|v| v.len()).ok(),
            Some(1)
        );
        assert_eq!(
            s.hazard_events(&county, h.id).map(|v| v.len()).ok(),
            Some(2)
        );
    });
}

#[test]
fn listings_are_scoped_versioned_and_span_years() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let mut l = anjian_store::listings::Listing {
            id: 0,
            county_code: String::new(),
            region_code: VILLAGE_A1.into(),
            hazard_id: None,
            enterprise_id: None,
            sector: "fire".into(),
            title: "商场消防设施挂牌督办".into(),
            responsible_unit: "某商场".into(),
            state: "proposed".into(),
            proposed_on: "2021-11-01".into(),
            approved_on: None,
            doc_no: String::new(),
            listed_on: None,
            listing_announced_on: None,
            listing_channel: String::new(),
            deadline: "2022-03-31".into(),
            extensions: 0,
            verified_on: None,
            delisted_on: None,
            delisting_announced_on: None,
            delisting_channel: String::new(),
            version: 1,
        };
        let saved = s.create_listing(&ch, &l).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(saved.county_code, COUNTY);
        l.state = "listed".into();
        l.listed_on = Some("2021-12-01".into());
        l.doc_no = "督〔2021〕1号".into();
        let after = s
            .update_listing(&ch, saved.id, 1, &l, "list", "")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((after.version, after.state.as_str()), (2, "listed"));
        assert!(matches!(
            s.update_listing(&ch, saved.id, 1, &l, "list", ""),
            Err(StoreError::Conflict(_))
        ));
        l.state = "delisted".into();
        l.delisted_on = Some("2022-04-02".into());
        assert!(s.update_listing(&ch, saved.id, 2, &l, "delist", "").is_ok());
        assert_eq!(
            s.list_listings(&county, Some(2022)).map(|v| v.len()).ok(),
            Some(1),
            "carried over into 2022"
        );
        assert_eq!(
            s.list_listings(&county, Some(2023)).map(|v| v.len()).ok(),
            Some(0)
        );
        assert_eq!(
            s.list_listings(&Scope::region(&rc(TOWN_B), false), None)
                .map(|v| v.len())
                .ok(),
            Some(0)
        );
        let (_, events) = s
            .get_listing(&county, saved.id)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            vec!["propose", "list", "delist"]
        );
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.update_listing(&sys(&town_b), saved.id, 3, &l, "x", "")
                .err(),
            Some(StoreError::Forbidden)
        );
    });
}

#[test]
fn cases_round_trip_and_shutdowns_update_the_enterprise() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let eid = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap_or_default();
        let mut c = anjian_store::cases::Case {
            id: 0,
            county_code: COUNTY.into(),
            region_code: VILLAGE_A1.into(),
            department_id: None,
            enterprise_id: Some(eid),
            sector: "hazchem".into(),
            procedure: "general".into(),
            party_kind: "organisation".into(),
            party_name: "测试企业1有限公司".into(),
            facts: String::new(),
            legal_basis: String::new(),
            fine_fen: 6_000_000,
            measures: "fine,stop_production".into(),
            major: true,
            status: "registered".into(),
            registered_on: "2022-06-01".into(),
            notified_on: None,
            legal_review: String::new(),
            legal_reviewed_on: None,
            decided_on: None,
            served_on: None,
            executed_on: None,
            closed_on: None,
            hazard_id: None,
            inspection_id: None,
            campaign: Some("百日攻坚".into()),
            discussed_on: None,
            extension_days: 0,
            examined_on: None,
            version: 1,
        };
        let saved = s
            .create_case(&ch, &c, "register")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((saved.fine_fen, saved.major), (6_000_000, true));
        c.status = "decided".into();
        c.decided_on = Some("2022-06-20".into());
        let after = s
            .update_case(&ch, saved.id, 1, &c, "decide", "")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after.version, 2);
        assert!(matches!(
            s.update_case(&ch, saved.id, 1, &c, "decide", ""),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            s.get_enterprise(&county, eid)
                .map(|e| e.status)
                .ok()
                .as_deref(),
            Some("suspended")
        );
        assert_eq!(
            s.list_cases(&county, Some("general"), Some("decided"), 10)
                .map(|v| v.len())
                .ok(),
            Some(1)
        );
        assert_eq!(
            s.list_cases(&Scope::region(&rc(TOWN_B), false), None, None, 10)
                .map(|v| v.len())
                .ok(),
            Some(0)
        );
        let (_, ev) = s
            .get_case(&county, saved.id)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ev.len(), 2);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

/// A scope's region prefix of up to six digits is evaluated on `county_code`, longer ones
/// on `region_code`: every level sees exactly the hazards below it, in lists, counts and
/// by id.
#[test]
fn hazard_scopes_at_every_level_see_exactly_their_subtree() {
    each(|s| {
        seed_org(s);
        let province = Scope::region(&rc("360000000000"), true);
        let ch = sys(&province);
        // A second county in another city, with a village.
        let more = [
            ("360000000000", "江西省", None),
            ("360900000000", "宜春市", Some("360000000000")),
            ("361000000000", "抚州市", Some("360000000000")),
            ("361021000000", "南城县", Some("361000000000")),
            ("361021100000", "建昌镇", Some("361021000000")),
            ("361021100200", "城东村", Some("361021100000")),
        ];
        add_regions(s, &ch, &more);
        let mut ids = std::collections::BTreeMap::new();
        for v in [VILLAGE_A1, VILLAGE_B1, "361021100200"] {
            let h = s
                .create_hazard(&ch, &fields(v, None, "fire", None), &ev("create"))
                .unwrap_or_else(|e| panic!("{e}"));
            ids.insert(v, h.id);
        }
        let cases: [(&str, Vec<&str>); 6] = [
            ("360000000000", vec![VILLAGE_A1, VILLAGE_B1, "361021100200"]),
            ("360900000000", vec![VILLAGE_A1, VILLAGE_B1]),
            ("361000000000", vec!["361021100200"]),
            (COUNTY, vec![VILLAGE_A1, VILLAGE_B1]),
            ("361021000000", vec!["361021100200"]),
            (TOWN_A, vec![VILLAGE_A1]),
        ];
        for (region, expect) in cases {
            let scope = Scope::region(&rc(region), false);
            let mut want: Vec<i64> = expect.iter().map(|v| ids[v]).collect();
            want.sort_unstable_by(|a, b| b.cmp(a));
            let got: Vec<i64> = s
                .list_hazards(&scope, &filter("2022-06-11"))
                .map(|p| p.items.iter().map(|h| h.id).collect())
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got, want, "list in {region}");
            assert_eq!(
                s.count_hazards(&scope, &filter("2022-06-11")).ok(),
                Some(want.len() as i64),
                "count in {region}"
            );
            for (v, id) in &ids {
                assert_eq!(
                    s.get_hazard(&scope, *id).is_ok(),
                    expect.contains(v),
                    "hazard in {v} seen from {region}"
                );
            }
        }
    });
}

/// An import writes its audit entries in one batch: one `hazard.create` entry per hazard,
/// numbered on from the head, the chain intact, and entries written before and after
/// (single registrations) chain on to them.
#[test]
fn an_import_audits_every_hazard_and_keeps_the_chain() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.create_hazard(&ch, &fields(VILLAGE_A1, None, "fire", None), &ev("create"))
            .unwrap_or_else(|e| panic!("{e}"));
        let before = s.verify_audit().map(|r| r.head_seq).unwrap_or(0);
        let mut items: Vec<HazardFields> = (0..150)
            .map(|i| {
                fields(
                    if i % 2 == 0 { VILLAGE_A1 } else { VILLAGE_B1 },
                    None,
                    "fire",
                    None,
                )
            })
            .collect();
        items[7].level = "major".into();
        let ids = s
            .create_hazards(&ch, &items, &ev("create"), |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ids.len(), 150);
        // Each entry records the hazard exactly as stored, and its first event is there;
        // the major one has its case.
        for id in [ids[0], ids[7], ids[149]] {
            let (h, events) = s
                .hazard_with_events(&county, id)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                h.region_name,
                if id == ids[0] {
                    "枫林村"
                } else {
                    "石塘村"
                }
            );
            let entries = s
                .list_audit(
                    &county,
                    &anjian_store::audit::AuditFilter {
                        entity: Some("hazard".into()),
                        entity_id: Some(id.to_string()),
                        limit: 10,
                        ..Default::default()
                    },
                )
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(entries.len(), 1);
            let after: serde_json::Value =
                serde_json::from_str(entries[0].after.as_deref().unwrap_or("null"))
                    .unwrap_or_default();
            assert_eq!(after, serde_json::to_value(&h).unwrap_or_default());
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].to_status, "registered");
        }
        assert!(s.get_major_case(&county, ids[7]).is_ok());
        s.create_hazard(&ch, &fields(VILLAGE_B1, None, "fire", None), &ev("create"))
            .unwrap_or_else(|e| panic!("{e}"));
        let r = s.verify_audit().unwrap_or_else(|e| panic!("{e}"));
        assert!(r.ok(), "{:?}", r.problems);
        assert_eq!(r.head_seq, before + 151);
        assert_eq!(r.checked, r.head_seq);
    });
}

/// The ledger's totals follow every commit, whether made through the same store or
/// through another handle on the same database (another process); on SQLite they are
/// kept between unchanged reads (so this test exercises the kept path), on PostgreSQL
/// never.
#[test]
fn ledger_totals_follow_writes_of_any_handle() {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        let s = &ts.store;
        seed_org(s);
        let other = ts.second_handle().unwrap_or_else(|e| panic!("{e}"));
        let county = county_scope();
        let ch = sys(&county);
        let totals = || {
            s.count_hazards_and_overdue(&county, &filter("2022-06-11"))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let create = |store: &anjian_store::Store, deadline: Option<&str>| {
            store
                .create_hazard(
                    &ch,
                    &fields(VILLAGE_A1, None, "fire", deadline),
                    &ev("create"),
                )
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(totals(), (0, 0));
        create(s, Some("2022-06-10"));
        // Asked repeatedly, as a page reloaded: the same answer, kept on SQLite.
        for _ in 0..3 {
            assert_eq!(totals(), (1, 1));
        }
        let kept = s.kept_ledger_totals();
        match s.dialect() {
            anjian_store::db::Dialect::Sqlite => assert!(kept > 0),
            anjian_store::db::Dialect::Postgres => assert_eq!(kept, 0),
        }
        // A commit by another handle is seen at once, and so is the next one of this
        // store, including an edit that moves only the overdue total.
        let h = create(&other, None);
        assert_eq!(totals(), (2, 1));
        assert_eq!(totals(), (2, 1));
        create(s, Some("2022-06-30"));
        assert_eq!(totals(), (3, 1));
        let f = fields(VILLAGE_A1, None, "fire", Some("2022-06-01"));
        other
            .update_hazard(&ch, h.id, h.version, &f, &ev("edit"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(totals(), (3, 2));
        // Another day is another question.
        assert_eq!(
            s.count_hazards_and_overdue(&county, &filter("2022-07-01"))
                .ok(),
            Some((3, 3))
        );
        // Another scope is another question: a township sees its own hazards only.
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.count_hazards_and_overdue(&town_b, &filter("2022-06-11"))
                .ok(),
            Some((0, 0))
        );
    }
}

/// The working-day calendar (kept between unchanged reads on SQLite) follows a year
/// replaced through another handle on the same database at once.
#[test]
fn the_calendar_follows_writes_of_any_handle() {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        let s = &ts.store;
        let other = ts.second_handle().unwrap_or_else(|e| panic!("{e}"));
        let scope = Scope::system();
        let day = chrono::NaiveDate::from_ymd_opt(2022, 10, 3).unwrap_or_default();
        let works = || {
            s.calendar()
                .map(|c| c.is_working_day(day))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        // A Monday: a working day until it is declared a holiday.
        assert!(works());
        assert!(works());
        let holiday = SpecialDay {
            date: day,
            kind: DayKind::Holiday,
            name: "国庆节".into(),
        };
        assert!(
            other
                .replace_calendar_year(&sys(&scope), 2022, &[holiday])
                .is_ok()
        );
        assert!(!works());
        assert!(other.replace_calendar_year(&sys(&scope), 2022, &[]).is_ok());
        assert!(works());
    }
}
