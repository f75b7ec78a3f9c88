//! Records around the hazards: the working-day calendar, the daily job cycle, evidence
//! files, 挂牌督办 listings and penalty cases.

use crate::hazards::{ev, fields};
use crate::*;
use anjian_domain::calendar::{DayKind, SpecialDay};
use anjian_store::StoreError;

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

/// One day set and cleared at a time: filed under its own year, or the year whose block it
/// already belongs to, and the calendar follows.
#[test]
fn calendar_days_are_set_one_at_a_time() {
    each(|s| {
        let scope = Scope::system();
        let d = |x: &str| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap_or_default();
        let yuandan = vec![SpecialDay {
            date: d("2022-12-31"),
            kind: DayKind::Holiday,
            name: "元旦".into(),
        }];
        assert!(
            s.replace_calendar_year(&sys(&scope), 2023, &yuandan)
                .is_ok()
        );
        // A Saturday made a working day: filed under its own year.
        assert_eq!(
            s.set_calendar_day(
                &sys(&scope),
                d("2022-10-08"),
                Some((DayKind::Workday, "国庆节调休上班"))
            ),
            Ok(2022)
        );
        let cal = s.calendar().unwrap_or_default();
        assert!(cal.is_working_day(d("2022-10-08")));
        assert_eq!(
            s.calendar_days(Some(2022)).ok(),
            Some(vec![SpecialDay {
                date: d("2022-10-08"),
                kind: DayKind::Workday,
                name: "国庆节调休上班".into()
            }])
        );
        // A day of next year's block stays filed there when it changes, and clears.
        assert_eq!(
            s.set_calendar_day(
                &sys(&scope),
                d("2022-12-31"),
                Some((DayKind::Holiday, "元旦假期"))
            ),
            Ok(2023)
        );
        assert_eq!(
            s.calendar_days(Some(2023)).map(|v| v[0].name.clone()).ok(),
            Some("元旦假期".to_string())
        );
        assert_eq!(
            s.set_calendar_day(&sys(&scope), d("2022-12-31"), None),
            Ok(2023)
        );
        assert_eq!(s.calendar_days(Some(2023)).map(|v| v.len()).ok(), Some(0));
        assert!(
            !s.calendar()
                .unwrap_or_default()
                .is_working_day(d("2022-12-31"))
        );
        assert_eq!(
            s.set_calendar_day(&sys(&scope.clone().read_only()), d("2022-10-09"), None),
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
        let other = Store::open(&ts.url()).unwrap();
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
                .map(|h| h.join().unwrap_or_else(|_| panic!("thread")).unwrap())
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
            .unwrap();
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let a = anjian_store::attachments::NewAttachment {
            file_name: "照片.png".into(),
            content_type: "image/png".into(),
            sha256: "ab".repeat(32),
            data: data.clone(),
            note: "整改后".into(),
        };
        let saved = s.attach_to_hazard(&ch, h.id, &a).unwrap();
        assert_eq!((saved.size, saved.file_name.as_str()), (5000, "照片.png"));
        let (meta, bytes) = s.attachment_data(&county, saved.id).unwrap();
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

/// A change with its evidence files (a rectification reported with its photos) is one
/// transaction: a refused change stores none of the files.
#[test]
fn a_change_with_its_files_is_stored_whole_or_not_at_all() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let h = s
            .create_hazard(&ch, &fields(VILLAGE_A1, None, "fire", None), &ev("create"))
            .unwrap();
        let photo = |name: &str| anjian_store::attachments::NewAttachment {
            file_name: name.into(),
            content_type: "image/jpeg".into(),
            sha256: "cd".repeat(32),
            data: vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
            note: String::new(),
        };
        let files = [photo("整改后一.jpg"), photo("整改后二.jpg")];
        let mut f = h.fields();
        f.status = anjian_domain::hazard::Status::parse("ordered").unwrap();
        // A stale version: refused, and no file is left behind.
        assert!(matches!(
            s.update_hazard_with_files(&ch, h.id, h.version + 1, &f, &ev("order"), &files),
            Err(StoreError::Conflict(_))
        ));
        // Out of the writer's scope: refused the same way.
        let town_b = Scope::region(&rc(TOWN_B), true);
        assert!(
            s.update_hazard_with_files(&sys(&town_b), h.id, h.version, &f, &ev("order"), &files)
                .is_err()
        );
        assert_eq!(s.hazard_attachments(&county, h.id).ok(), Some(vec![]));
        assert_eq!(
            s.hazard_events(&county, h.id).map(|v| v.len()).ok(),
            Some(1)
        );
        let (after, saved) = s
            .update_hazard_with_files(&ch, h.id, h.version, &f, &ev("order"), &files)
            .unwrap();
        assert_eq!((after.status.as_str(), after.version), ("ordered", 2));
        assert_eq!(
            saved
                .iter()
                .map(|a| a.file_name.as_str())
                .collect::<Vec<_>>(),
            ["整改后一.jpg", "整改后二.jpg"]
        );
        assert_eq!(s.hazard_attachments(&county, h.id).ok(), Some(saved));
        // The files come first on the timeline, then the change.
        let events = s.hazard_events(&county, h.id).unwrap_or_default();
        assert_eq!(
            events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["create", "attach", "attach", "order"]
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
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
            state: anjian_domain::listing::ListingState::parse("proposed").unwrap(),
            proposed_on: day("2021-11-01"),
            approved_on: None,
            doc_no: String::new(),
            listed_on: None,
            listing_announced_on: None,
            listing_channel: String::new(),
            deadline: day("2022-03-31"),
            extensions: 0,
            verified_on: None,
            delisted_on: None,
            delisting_announced_on: None,
            delisting_channel: String::new(),
            version: 1,
        };
        let saved = s.create_listing(&ch, &l).unwrap();
        assert_eq!(saved.county_code, COUNTY);
        l.state = anjian_domain::listing::ListingState::parse("listed").unwrap();
        l.listed_on = Some(day("2021-12-01"));
        l.doc_no = "督〔2021〕1号".into();
        let after = s.update_listing(&ch, saved.id, 1, &l, "list", "").unwrap();
        assert_eq!((after.version, after.state.as_str()), (2, "listed"));
        assert!(matches!(
            s.update_listing(&ch, saved.id, 1, &l, "list", ""),
            Err(StoreError::Conflict(_))
        ));
        l.state = anjian_domain::listing::ListingState::parse("delisted").unwrap();
        l.delisted_on = Some(day("2022-04-02"));
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
        let (_, events) = s.get_listing(&county, saved.id).unwrap();
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
            status: anjian_domain::cases::CaseStatus::parse("registered").unwrap(),
            registered_on: day("2022-06-01"),
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
            ..Default::default()
        };
        let saved = s.create_case(&ch, &c, "register").unwrap();
        assert_eq!((saved.fine_fen, saved.major), (6_000_000, true));
        c.status = anjian_domain::cases::CaseStatus::parse("decided").unwrap();
        c.decided_on = Some(day("2022-06-20"));
        let after = s.update_case(&ch, saved.id, 1, &c, "decide", "").unwrap();
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
            s.list_cases(
                &county,
                Some("general"),
                Some("decided"),
                &anjian_store::paging::Keyset::first(10)
            )
            .map(|p| p.items)
            .map(|v| v.len())
            .ok(),
            Some(1)
        );
        assert_eq!(
            s.list_cases(
                &Scope::region(&rc(TOWN_B), false),
                None,
                None,
                &anjian_store::paging::Keyset::first(10)
            )
            .map(|p| p.items)
            .map(|v| v.len())
            .ok(),
            Some(0)
        );
        let (_, ev) = s.get_case(&county, saved.id).unwrap();
        assert_eq!(ev.len(), 2);
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

/// The working-day calendar (kept between unchanged reads on SQLite) follows a year
/// replaced through another handle on the same database at once.
#[test]
fn the_calendar_follows_writes_of_any_handle() {
    for ts in TestStore::all() {
        eprintln!("backend: {}", ts.name);
        let s = &ts.store;
        let other = ts.second_handle().unwrap();
        let scope = Scope::system();
        let day = chrono::NaiveDate::from_ymd_opt(2022, 10, 3).unwrap_or_default();
        let works = || s.calendar().map(|c| c.is_working_day(day)).unwrap();
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

/// A stored state the domain cannot read is an error that names the table, the row and the
/// column, never a default (a hazard used to read as 已登记 when its status was unknown).
#[test]
fn an_unreadable_stored_state_is_an_error_naming_table_row_and_column() {
    each(|s| {
        let (_, _) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let h = s
            .create_hazard(
                &ch,
                &fields(VILLAGE_A1, None, "hazchem", None),
                &ev("register"),
            )
            .unwrap();
        // Only a damaged database holds such a value: the CHECK constraint is lifted to make one.
        let lift = match s.dialect() {
            anjian_store::db::Dialect::Sqlite => "PRAGMA ignore_check_constraints = ON",
            anjian_store::db::Dialect::Postgres => {
                "ALTER TABLE hazards DROP CONSTRAINT IF EXISTS hazards_status_check"
            }
        };
        s.raw_execute(lift, &[]).unwrap();
        s.raw_execute(
            "UPDATE hazards SET status = 'half_done' WHERE id = ?",
            &[h.id.into()],
        )
        .unwrap();
        if s.dialect() == anjian_store::db::Dialect::Sqlite {
            s.raw_execute("PRAGMA ignore_check_constraints = OFF", &[])
                .unwrap();
        }
        let err = s.get_hazard(&county, h.id).unwrap_err();
        assert_eq!(
            err,
            StoreError::Corrupt {
                table: "hazards",
                row: h.id,
                column: "status",
                value: "half_done".into()
            }
        );
        assert!(err.to_string().contains("hazards row"), "{err}");
        assert!(s.list_hazards(&county, &Default::default()).is_err());
    });
}
