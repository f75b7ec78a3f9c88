//! 职责清单: dated duty items with their documents, scope, filters, versions; the departments'
//! sectors kept as such items (a handover edited on one day leaves no gap and no overlap);
//! and migration 0038, which turned the old sector assignments into items.

use crate::*;
use anjian_domain::duty::DocKind;
use anjian_store::audit::AuditFilter;
use anjian_store::departments::Department;
use anjian_store::duties::{DutyFilter, DutyInput, DutyItem};
use anjian_store::testing::TestStore;
use anjian_store::{StoreError, Value};

fn duty(department_id: i64, sector: Option<&str>, from: &str, to: Option<&str>) -> DutyInput {
    DutyInput {
        county_code: COUNTY.into(),
        department_id,
        content: "负责电子礼炮生产、经营、燃放环节的安全监管".into(),
        doc_kind: DocKind::Committee,
        doc_title: "关于明确新兴行业领域安全监管职责的通知".into(),
        doc_no: "樟安委〔2022〕3号".into(),
        decided_on: Some(day("2022-03-15")),
        sector_code: sector.map(str::to_string),
        valid_from: day(from),
        valid_to: to.map(day),
    }
}

#[test]
fn duty_items_are_dated_and_filtered_by_department_sector_and_day() {
    each(|s| {
        let (a, b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let first = s
            .create_duty(
                &ch,
                &duty(a, Some("fire"), "2021-01-01", Some("2022-03-14")),
            )
            .unwrap();
        assert_eq!(first.doc_kind, DocKind::Committee);
        s.create_duty(&ch, &duty(b, Some("fire"), "2022-03-15", None))
            .unwrap();
        assert_eq!(
            s.create_duties(
                &ch,
                &[
                    duty(b, None, "2020-01-01", None),
                    duty(a, None, "2020-01-01", None)
                ]
            )
            .unwrap(),
            2
        );
        let ids = |f: DutyFilter| {
            s.list_duties(&county, &f)
                .unwrap()
                .into_iter()
                .map(|d| (d.department_id, d.sector_code))
                .collect::<Vec<_>>()
        };
        let fire_on = |d: &str| {
            ids(DutyFilter {
                sector_code: Some("fire".into()),
                as_of: Some(day(d)),
                ..Default::default()
            })
        };
        assert_eq!(fire_on("2022-03-14"), vec![(a, Some("fire".into()))]);
        assert_eq!(fire_on("2022-03-15"), vec![(b, Some("fire".into()))]);
        // With the item its sector list started when it was created (2022-06-01).
        assert_eq!(
            ids(DutyFilter {
                department_id: Some(b),
                ..Default::default()
            })
            .len(),
            3
        );
        // An update with the version read; a stale one is refused.
        let upd = duty(a, Some("fire"), "2021-01-01", Some("2021-12-31"));
        let saved = s.update_duty(&ch, first.id, first.version, &upd).unwrap();
        assert_eq!(saved.valid_to, Some(day("2021-12-31")));
        assert!(matches!(
            s.update_duty(&ch, first.id, first.version, &upd),
            Err(StoreError::Conflict(_))
        ));
        // A township reads its county's duties; another county and enterprises none;
        // read-only scopes write nothing.
        let town = anjian_domain::Scope::region(&rc(TOWN_A), false);
        assert_eq!(
            s.list_duties(&town, &DutyFilter::default()).unwrap().len(),
            7,
            "four written here, three by the departments' sector lists"
        );
        assert!(matches!(
            s.create_duty(&sys(&town), &duty(a, None, "2022-01-01", None)),
            Err(StoreError::Forbidden)
        ));
        let other = anjian_domain::Scope::region(&rc("360983000000"), true);
        assert!(matches!(
            s.get_duty(&other, first.id),
            Err(StoreError::NotFound)
        ));
        assert!(
            s.list_duties(&other, &DutyFilter::default())
                .unwrap()
                .is_empty()
        );
        // An unknown sector is refused by the database.
        assert!(
            s.create_duty(&ch, &duty(a, Some("nope"), "2022-01-01", None))
                .is_err()
        );
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

#[test]
fn a_departments_duty_sectors_are_those_in_force_on_the_day() {
    each(|s| {
        let (a, b) = seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        s.create_duty(
            &ch,
            &duty(a, Some("fire"), "2022-03-15", Some("2022-06-30")),
        )
        .unwrap();
        s.create_duty(&ch, &duty(a, Some("hazchem"), "2022-05-01", None))
            .unwrap();
        // A duty naming no sector, and another department's, put nothing in a's.
        s.create_duty(&ch, &duty(a, None, "2020-01-01", None))
            .unwrap();
        s.create_duty(&ch, &duty(b, Some("mines"), "2020-01-01", None))
            .unwrap();
        let on = |d: &str| s.duty_sectors_in_force(a, day(d)).unwrap();
        assert!(on("2022-03-14").is_empty());
        assert_eq!(on("2022-03-15"), ["fire"]);
        assert_eq!(on("2022-05-01"), ["fire", "hazchem"]);
        // From 2022-06-01 its own sector list (mines, hazchem) too.
        assert_eq!(on("2022-06-30"), ["fire", "hazchem", "mines"]);
        assert_eq!(on("2022-07-01"), ["hazchem", "mines"]);
        // The department read on a day holds the same sectors, each once.
        let held = |d: &str| codes(&s.get_department(&county, a, day(d)).unwrap());
        assert_eq!(held("2022-05-01"), ["hazchem", "fire"]);
        assert_eq!(held("2022-06-30"), ["mines", "hazchem", "fire"]);
    });
}

fn codes(d: &Department) -> Vec<String> {
    d.sectors.iter().map(|a| a.sector_code.clone()).collect()
}

fn input_of(d: &Department, sectors: Vec<SectorAssignment>) -> DepartmentInput {
    DepartmentInput {
        region_code: d.region_code.clone(),
        name: d.name.clone(),
        short_name: d.short_name.clone(),
        is_member_unit: d.is_member_unit,
        has_supervision_duty: d.has_supervision_duty,
        is_industry_authority: d.is_industry_authority,
        sort_order: d.sort_order,
        sectors,
    }
}

fn plain(code: &str) -> SectorAssignment {
    SectorAssignment {
        sector_code: code.into(),
        decision_no: None,
        decided_on: None,
        note: String::new(),
    }
}

/// A change made on `d` (10:00 China time).
fn change_on<'a>(scope: &'a anjian_domain::Scope, d: &str) -> anjian_store::Change<'a> {
    let at = day(d).and_hms_opt(2, 0, 0).unwrap().and_utc();
    anjian_store::Change::system(scope, "test", at)
}

fn actions(s: &Store, entity_id: i64) -> Vec<String> {
    let mut v: Vec<String> = s
        .list_audit(
            &county_scope(),
            &AuditFilter {
                entity: Some("duty".into()),
                entity_id: Some(entity_id.to_string()),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    v.reverse();
    v
}

/// 危险化学品 handed from a (应急管理局) to b (消防救援大队) by two edits of their sector
/// lists on 2022-09-01: a's item ends on 2022-08-31, b's starts on 2022-09-01, so each day has
/// exactly one holder; each write is audited; a sector added and dropped on the same day
/// leaves nothing; an edited decision corrects the item in place; an unchanged save writes
/// nothing.
#[test]
fn a_handover_of_sector_lists_leaves_no_gap_and_no_overlap() {
    each(|s| {
        let (a, b) = seed_org(s);
        let county = county_scope();
        let ch = change_on(&county, "2022-09-01");
        let on = |id: i64, d: &str| s.get_department(&county, id, day(d)).unwrap();
        let da = on(a, "2022-09-01");
        s.update_department(&ch, a, da.version, &input_of(&da, vec![plain("mines")]))
            .unwrap();
        let db = on(b, "2022-09-01");
        let handed = SectorAssignment {
            sector_code: "hazchem".into(),
            decision_no: Some("樟安委〔2022〕9号".into()),
            decided_on: Some(day("2022-08-25")),
            note: String::new(),
        };
        s.update_department(
            &ch,
            b,
            db.version,
            &input_of(&db, vec![plain("fire"), handed.clone()]),
        )
        .unwrap();
        let hazchem = |f: DutyFilter| {
            s.list_duties(
                &county,
                &DutyFilter {
                    sector_code: Some("hazchem".into()),
                    ..f
                },
            )
            .unwrap()
        };
        let all = hazchem(DutyFilter::default());
        let periods: Vec<(i64, NaiveDate, Option<NaiveDate>)> = all
            .iter()
            .map(|i| (i.department_id, i.valid_from, i.valid_to))
            .collect();
        assert_eq!(
            periods,
            [
                (a, today(), Some(day("2022-08-31"))),
                (b, day("2022-09-01"), None)
            ]
        );
        let new: &DutyItem = &all[1];
        assert_eq!(new.doc_kind, DocKind::Other);
        assert_eq!(new.doc_title, anjian_store::duties::SECTOR_LIST_DOC_TITLE);
        assert_eq!(new.doc_no, "樟安委〔2022〕9号");
        assert_eq!(new.decided_on, Some(day("2022-08-25")));
        assert_eq!(new.content, "负责危险化学品行业领域安全生产监督管理");
        for (d, holder) in [("2022-08-31", a), ("2022-09-01", b)] {
            let holders: Vec<i64> = hazchem(DutyFilter {
                as_of: Some(day(d)),
                ..Default::default()
            })
            .iter()
            .map(|i| i.department_id)
            .collect();
            assert_eq!(holders, [holder], "{d}");
            assert!(
                s.duty_sectors_in_force(holder, day(d))
                    .unwrap()
                    .contains(&"hazchem".to_string())
            );
        }
        assert_eq!(codes(&on(a, "2022-08-31")), ["mines", "hazchem"]);
        assert_eq!(codes(&on(a, "2022-09-01")), ["mines"]);
        assert_eq!(codes(&on(b, "2022-08-31")), ["fire"]);
        assert_eq!(codes(&on(b, "2022-09-01")), ["hazchem", "fire"]);
        assert_eq!(on(b, "2022-09-01").sectors[0], handed);
        assert_eq!(actions(s, all[0].id), ["duty.create", "duty.update"]);
        assert_eq!(actions(s, all[1].id), ["duty.create"]);
        // Added and dropped again the same day: it never took effect, and is withdrawn.
        let db = on(b, "2022-09-01");
        let mut with_mines = db.sectors.clone();
        with_mines.push(plain("mines"));
        s.update_department(&ch, b, db.version, &input_of(&db, with_mines))
            .unwrap();
        let mines_of_b = |s: &Store| {
            s.list_duties(
                &county,
                &DutyFilter {
                    department_id: Some(b),
                    sector_code: Some("mines".into()),
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let added = mines_of_b(s);
        assert_eq!(added.len(), 1);
        let db = on(b, "2022-09-01");
        let without: Vec<SectorAssignment> = db
            .sectors
            .iter()
            .filter(|x| x.sector_code != "mines")
            .cloned()
            .collect();
        s.update_department(&ch, b, db.version, &input_of(&db, without.clone()))
            .unwrap();
        assert!(mines_of_b(s).is_empty());
        assert_eq!(actions(s, added[0].id), ["duty.create", "duty.delete"]);
        // A kept sector whose note is edited: the item is corrected, not replaced.
        let fire_item = |s: &Store| {
            s.list_duties(
                &county,
                &DutyFilter {
                    department_id: Some(b),
                    sector_code: Some("fire".into()),
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let before = fire_item(s);
        let db = on(b, "2022-09-01");
        let mut noted = without.clone();
        if let Some(f) = noted.iter_mut().find(|x| x.sector_code == "fire") {
            f.note = "负责消防安全综合监管".into();
        }
        s.update_department(&ch, b, db.version, &input_of(&db, noted.clone()))
            .unwrap();
        let after = fire_item(s);
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].id, before[0].id);
        assert_eq!(after[0].content, "负责消防安全综合监管");
        assert_eq!(after[0].version, before[0].version + 1);
        // Saved unchanged: no duty item is written.
        let count = |s: &Store| {
            s.list_audit(
                &county,
                &AuditFilter {
                    entity: Some("duty".into()),
                    limit: 1000,
                    ..Default::default()
                },
            )
            .unwrap()
            .len()
        };
        let n = count(s);
        let db = on(b, "2022-09-01");
        assert_eq!(db.sectors, noted);
        s.update_department(&ch, b, db.version, &input_of(&db, db.sectors.clone()))
            .unwrap();
        assert_eq!(count(s), n);
        // Outside its county a scope changes no department's sectors.
        let other = anjian_domain::Scope::region(&rc("360983000000"), true);
        let db = on(b, "2022-09-01");
        assert!(matches!(
            s.update_department(&sys(&other), b, db.version, &input_of(&db, vec![])),
            Err(StoreError::Forbidden)
        ));
        assert!(s.verify_audit().map(|r| r.ok()).unwrap_or(false));
    });
}

/// A converted item as the test reads it: department, sector, words, number, decision date,
/// first day, county.
type Converted<'a> = (
    i64,
    &'a str,
    &'a str,
    &'a str,
    Option<NaiveDate>,
    NaiveDate,
    &'a str,
);

/// Migration 0038 on rows of the old shape: each `department_sectors` row becomes a duty item
/// in force from its decision date (1900-01-01 without one), worded by its note or the plain
/// duty, numbered by its decision; the table is gone afterwards.
#[test]
fn migration_0038_turns_the_sector_assignments_into_duty_items() {
    for ts in TestStore::all_at_version(37) {
        eprintln!("backend: {}", ts.name);
        let s = &ts.store;
        let county = county_scope();
        let system = anjian_domain::Scope::system();
        let ch = sys(&system);
        add_regions(
            s,
            &ch,
            &[
                ("360900000000", "宜春市", None),
                (COUNTY, "樟树市", Some("360900000000")),
            ],
        );
        for (i, (code, name)) in [
            ("mines", "非煤矿山"),
            ("hazchem", "危险化学品"),
            ("fire", "消防"),
        ]
        .iter()
        .enumerate()
        {
            s.save_sector(
                &ch,
                &anjian_store::sectors::Sector {
                    code: code.to_string(),
                    name: name.to_string(),
                    description: String::new(),
                    sort_order: i as i64,
                    active: true,
                },
            )
            .unwrap();
        }
        let dep = |region: &str, name: &str| {
            s.create_department(
                &ch,
                &DepartmentInput {
                    region_code: region.into(),
                    name: name.into(),
                    short_name: name.into(),
                    is_member_unit: true,
                    has_supervision_duty: true,
                    is_industry_authority: true,
                    sort_order: 0,
                    sectors: vec![],
                },
            )
            .unwrap()
        };
        let (a, b, city) = (
            dep(COUNTY, "应急管理局"),
            dep(COUNTY, "消防救援大队"),
            dep("360900000000", "市应急管理局"),
        );
        let old = |d: i64, sector: &str, no: Option<&str>, on: Option<&str>, note: &str| {
            s.raw_execute(
                "INSERT INTO department_sectors (department_id, sector_code, decision_no, decided_on, note) VALUES (?, ?, ?, ?, ?)",
                &[
                    d.into(),
                    sector.into(),
                    no.map_or(Value::Null, Value::from),
                    on.map_or(Value::Null, Value::from),
                    note.into(),
                ],
            )
            .unwrap();
        };
        old(a, "mines", None, None, "");
        old(
            a,
            "hazchem",
            Some("樟府办字〔2022〕12号"),
            Some("2022-03-01"),
            "含加油站",
        );
        old(b, "fire", Some("  "), None, "  ");
        old(city, "mines", None, Some("2021-05-10"), "");
        assert!(
            s.list_duties(&system, &DutyFilter::default())
                .unwrap()
                .is_empty()
        );
        // 0038 and whatever came after it.
        assert_eq!(
            s.migrate().unwrap(),
            (38..=Store::latest_schema_version()).collect::<Vec<_>>()
        );
        assert_eq!(s.schema_version().unwrap(), Store::latest_schema_version());
        let items = s.list_duties(&system, &DutyFilter::default()).unwrap();
        let seen: Vec<Converted<'_>> = items
            .iter()
            .map(|i| {
                (
                    i.department_id,
                    i.sector_code.as_deref().unwrap_or_default(),
                    i.content.as_str(),
                    i.doc_no.as_str(),
                    i.decided_on,
                    i.valid_from,
                    i.county_code.as_str(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    a,
                    "mines",
                    "负责非煤矿山行业领域安全生产监督管理",
                    "",
                    None,
                    day("1900-01-01"),
                    COUNTY
                ),
                (
                    a,
                    "hazchem",
                    "含加油站",
                    "樟府办字〔2022〕12号",
                    Some(day("2022-03-01")),
                    day("2022-03-01"),
                    COUNTY
                ),
                (
                    b,
                    "fire",
                    "负责消防行业领域安全生产监督管理",
                    "",
                    None,
                    day("1900-01-01"),
                    COUNTY
                ),
                (
                    city,
                    "mines",
                    "负责非煤矿山行业领域安全生产监督管理",
                    "",
                    Some(day("2021-05-10")),
                    day("2021-05-10"),
                    "360900000000"
                ),
            ]
        );
        for i in &items {
            assert_eq!(i.doc_kind, DocKind::Other);
            assert_eq!(i.doc_title, "原行业领域分工");
            assert_eq!(i.valid_to, None);
            assert_eq!(i.version, 1);
        }
        // Past dates answer as before: undated assignments held on any day, dated ones from
        // their decision.
        assert_eq!(
            s.duty_sectors_in_force(b, day("1950-01-01")).unwrap(),
            ["fire"]
        );
        let held = |d: &str| codes(&s.get_department(&county, a, day(d)).unwrap());
        assert_eq!(held("2022-02-28"), ["mines"]);
        assert_eq!(held("2022-03-01"), ["mines", "hazchem"]);
        let read = s.get_department(&county, a, day("2022-06-01")).unwrap();
        assert_eq!(read.sectors[0], plain("mines"));
        assert_eq!(
            read.sectors[1],
            SectorAssignment {
                sector_code: "hazchem".into(),
                decision_no: Some("樟府办字〔2022〕12号".into()),
                decided_on: Some(day("2022-03-01")),
                note: "含加油站".into(),
            }
        );
        // The old table is gone.
        assert!(
            s.raw_execute("DELETE FROM department_sectors", &[])
                .is_err()
        );
        // Saving the department unchanged afterwards writes no item.
        let before = s.list_duties(&system, &DutyFilter::default()).unwrap();
        s.update_department(
            &sys(&county),
            a,
            read.version,
            &input_of(&read, read.sectors.clone()),
        )
        .unwrap();
        assert_eq!(
            s.list_duties(&system, &DutyFilter::default()).unwrap(),
            before
        );
    }
}
