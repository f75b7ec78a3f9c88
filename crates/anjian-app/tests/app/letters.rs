//! Target-responsibility letters (issue 15): each indicator's current value is its metric over
//! the letter's year for the counterpart alone, graded 已达成 / 有风险 / 未达成 as the domain
//! says. The expectations are counted by hand from the hazards written below, not from the
//! code under test.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_app::letters::{IndicatorInput, LetterInput, LetterView};
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::hazard::{Level, Source, Status};
use anjian_domain::letter::Grade;
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::departments::DepartmentInput;
use anjian_store::hazards::{EventInput, HazardFields};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use chrono::NaiveDate;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN_A: &str = "360982100000";
const TOWN_B: &str = "360982101000";
const VILLAGE_A: &str = "360982100200";
const VILLAGE_B: &str = "360982101200";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct County {
    _ts: TestStore,
    app: App,
    clock: Arc<FixedClock>,
    dept: i64,
    e1: i64,
}

/// Two townships with a village each, a department, two enterprises and four hazards:
///
/// | hazard | place | enterprise | department | found | deadline | closed |
/// |---|---|---|---|---|---|---|
/// | H1 | village A | E1 | — | 03-01 | 03-31 | 03-20 |
/// | H2 | village A | — | D | 04-01 | 04-30 | 05-10 |
/// | H3 | village A | E1 | — | 05-01 | 05-20 | open |
/// | H4 | village B | E2 | — | 02-01 | 12-31 | open |
fn county(today: &str) -> County {
    let ts = TestStore::sqlite().unwrap();
    let clock = Arc::new(FixedClock::at_date(day(today)));
    let app = App::new(ts.store.clone(), clock.clone() as Arc<dyn Clock>);
    anjian_app::catalogue::ensure_defaults(&app).unwrap();
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    let rc = |s: &str| RegionCode::parse(s).unwrap();
    let region = |code: &str, name: &str, parent: Option<&str>| RegionInput {
        code: rc(code),
        name: name.into(),
        parent_code: parent.map(rc),
    };
    ts.store
        .upsert_regions(
            &ch,
            &[
                region(COUNTY, "清江市", None),
                region(TOWN_A, "临江镇", Some(COUNTY)),
                region(TOWN_B, "永泰镇", Some(COUNTY)),
                region(VILLAGE_A, "枫林村", Some(TOWN_A)),
                region(VILLAGE_B, "石塘村", Some(TOWN_B)),
            ],
        )
        .unwrap();
    ts.store
        .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
        .unwrap();
    let dept = ts
        .store
        .create_department(
            &ch,
            &DepartmentInput {
                region_code: COUNTY.into(),
                name: "清江市应急管理局".into(),
                short_name: "应急局".into(),
                is_member_unit: true,
                has_supervision_duty: true,
                is_industry_authority: true,
                sort_order: 1,
                sectors: Vec::new(),
            },
        )
        .unwrap();
    let enterprise = |n: u32, region: &str| {
        let uscc = anjian_domain::uscc::Uscc::complete(&format!("91360982MA{n:07}"))
            .unwrap()
            .to_string();
        let v = EnterpriseInput {
            name: format!("测试企业{n}有限公司"),
            uscc,
            region_code: region.into(),
            address: "某路1号".into(),
            sector: Some("hazchem".into()),
            ..Default::default()
        }
        .validate(day("2022-01-01"))
        .unwrap();
        ts.store.create_enterprise(&ch, &v).unwrap()
    };
    let e1 = enterprise(1, VILLAGE_A);
    let e2 = enterprise(2, VILLAGE_B);
    let hazard = |region: &str,
                  ent: Option<i64>,
                  dep: Option<i64>,
                  found: &str,
                  deadline: &str,
                  closed: Option<&str>| HazardFields {
        region_code: region.into(),
        enterprise_id: ent,
        department_id: dep,
        sector: "hazchem".into(),
        level: Level::parse("general").unwrap(),
        source: Source::parse("inspection").unwrap(),
        description: "配电箱未接地".into(),
        location: "一号车间".into(),
        found_on: day(found),
        deadline: Some(day(deadline)),
        deadline_basis: Some("date".into()),
        deadline_rule: String::new(),
        status: Status::parse(if closed.is_some() {
            "closed"
        } else {
            "registered"
        })
        .unwrap(),
        responsible_unit: String::new(),
        responsible_person: String::new(),
        measures: String::new(),
        funds_planned: None,
        funds_spent: None,
        emergency_plan: String::new(),
        campaign: None,
        closed_on: closed.map(day),
        point: None,
    };
    let items = [
        hazard(
            VILLAGE_A,
            Some(e1),
            None,
            "2022-03-01",
            "2022-03-31",
            Some("2022-03-20"),
        ),
        hazard(
            VILLAGE_A,
            None,
            Some(dept),
            "2022-04-01",
            "2022-04-30",
            Some("2022-05-10"),
        ),
        hazard(VILLAGE_A, Some(e1), None, "2022-05-01", "2022-05-20", None),
        hazard(VILLAGE_B, Some(e2), None, "2022-02-01", "2022-12-31", None),
    ];
    let ev = EventInput {
        action: "import".into(),
        note: String::new(),
        data: None,
    };
    ts.store.create_hazards(&ch, &items, &ev, |_| {}).unwrap();
    County {
        _ts: ts,
        app,
        clock,
        dept,
        e1,
    }
}

fn text(t: &str) -> IndicatorInput {
    IndicatorInput {
        text: t.into(),
        ..Default::default()
    }
}

fn measured(metric: &str, cmp: &str, target: f64, per: Option<&str>) -> IndicatorInput {
    IndicatorInput {
        text: format!("{metric} {cmp} {target}"),
        metric: Some(metric.into()),
        comparator: Some(cmp.into()),
        target: Some(target),
        per_metric: per.map(str::to_string),
    }
}

fn letter(kind: &str, indicators: Vec<IndicatorInput>) -> LetterInput {
    LetterInput {
        year: 2022,
        issuer: "市人民政府".into(),
        counterpart_kind: kind.into(),
        title: "2022年度安全生产目标管理责任状".into(),
        signed_on: "2022-02-15".into(),
        indicators,
        ..Default::default()
    }
}

fn grades(v: &LetterView) -> Vec<(Option<Grade>, Option<f64>)> {
    v.indicators
        .iter()
        .map(|i| (i.grade, i.value.map(|x| (x * 100.0).round() / 100.0)))
        .collect()
}

#[test]
fn indicators_are_graded_from_the_counterparts_own_records() {
    let c = county("2022-06-30");
    let admin = c.app.system_caller("test").unwrap();
    let township = c
        .app
        .create_letter(
            &admin,
            &LetterInput {
                township_code: Some(TOWN_A.into()),
                ..letter(
                    "township",
                    vec![
                        text("不发生较大及以上生产安全事故"),
                        measured("hazards.found", "ge", 5.0, None),
                        measured("hazards.found", "≥", 3.0, None),
                        measured("hazards.open_overdue", "le", 0.0, None),
                        measured("hazards.found_closed", "ge", 60.0, Some("hazards.found")),
                        measured("hazards.found_closed", "eq", 100.0, Some("hazards.found")),
                    ],
                )
            },
        )
        .unwrap();
    let enterprise = c
        .app
        .create_letter(
            &admin,
            &LetterInput {
                enterprise_id: Some(c.e1),
                ..letter(
                    "enterprise",
                    vec![
                        measured("hazards.found", "ge", 2.0, None),
                        measured("hazards.open_overdue", "le", 0.0, None),
                        measured("hazards.found_closed", "ge", 60.0, Some("hazards.found")),
                    ],
                )
            },
        )
        .unwrap();
    let department = c
        .app
        .create_letter(
            &admin,
            &LetterInput {
                department_id: Some(c.dept),
                ..letter(
                    "department",
                    vec![
                        measured("hazards.found_closed", "eq", 100.0, Some("hazards.found")),
                        measured("hazards.open_overdue", "le", 0.0, None),
                        // 委托执法 records carry no department: not computable for one.
                        measured("commissions.items", "ge", 1.0, None),
                    ],
                )
            },
        )
        .unwrap();
    let town_b = c
        .app
        .create_letter(
            &admin,
            &LetterInput {
                township_code: Some(TOWN_B.into()),
                ..letter(
                    "township",
                    vec![
                        measured("hazards.found", "ge", 1.0, None),
                        measured("hazards.open_overdue", "le", 0.0, None),
                    ],
                )
            },
        )
        .unwrap();

    use Grade::*;
    // 30 June: the year is running.
    let v = c.app.letter_view(&admin, township.id).unwrap();
    assert!(!v.year_over);
    assert_eq!(
        grades(&v),
        vec![
            (None, None),
            // H1, H2, H3 found in town A (H4 is town B's): 3 < 5, still reachable.
            (Some(AtRisk), Some(3.0)),
            (Some(Met), Some(3.0)),
            // H3 open past its deadline (05-20): a ceiling of 0 exceeded is missed at once.
            (Some(Missed), Some(1.0)),
            // H1 and H2 closed of the three: 66.67 %.
            (Some(Met), Some(66.67)),
            (Some(AtRisk), Some(66.67)),
        ]
    );
    assert_eq!((v.met, v.at_risk, v.missed), (2, 2, 1));
    assert_eq!(v.indicators[0].grade_label, "人工跟踪");
    assert_eq!(v.indicators[4].value_display, "66.67%");
    assert_eq!(v.indicators[4].target_display, "≥ 60%");
    assert!(
        v.indicators[1].drill.as_deref().is_some_and(|d| d
            .starts_with("/metrics/hazards.found?period=2022-01-01..2022-06-30")
            && d.contains("region=360982100")),
        "{:?}",
        v.indicators[1].drill
    );
    // E1's own hazards: H1 (closed) and H3 (open, overdue).
    let v = c.app.letter_view(&admin, enterprise.id).unwrap();
    assert_eq!(
        grades(&v),
        vec![
            (Some(Met), Some(2.0)),
            (Some(Missed), Some(1.0)),
            (Some(AtRisk), Some(50.0)),
        ]
    );
    // The department's: H2, closed (late, but closed).
    let v = c.app.letter_view(&admin, department.id).unwrap();
    assert_eq!(
        grades(&v),
        vec![
            (Some(Met), Some(100.0)),
            (Some(Met), Some(0.0)),
            (Some(NoData), None)
        ]
    );
    // Town B: H4, open but not yet due.
    let v = c.app.letter_view(&admin, town_b.id).unwrap();
    assert_eq!(
        grades(&v),
        vec![(Some(Met), Some(1.0)), (Some(Met), Some(0.0))]
    );

    // After the year: what was still reachable is missed; the rest stands.
    c.clock.set(FixedClock::at_date(day("2023-01-10")).now());
    let v = c.app.letter_view(&admin, township.id).unwrap();
    assert!(v.year_over);
    assert_eq!(
        grades(&v),
        vec![
            (None, None),
            (Some(Missed), Some(3.0)),
            (Some(Met), Some(3.0)),
            (Some(Missed), Some(1.0)),
            (Some(Met), Some(66.67)),
            (Some(Missed), Some(66.67)),
        ]
    );
    assert_eq!((v.met, v.at_risk, v.missed), (2, 0, 3));
    let v = c.app.letter_view(&admin, enterprise.id).unwrap();
    assert_eq!(
        grades(&v),
        vec![
            (Some(Met), Some(2.0)),
            (Some(Missed), Some(1.0)),
            (Some(Missed), Some(50.0)),
        ]
    );
    // H4's deadline (12-31) is not before the year's end: still not overdue.
    let v = c.app.letter_view(&admin, town_b.id).unwrap();
    assert_eq!(
        grades(&v),
        vec![(Some(Met), Some(1.0)), (Some(Met), Some(0.0))]
    );
}

#[test]
fn a_letter_is_refused_field_by_field_and_a_rate_must_be_a_share() {
    let c = county("2022-06-30");
    let admin = c.app.system_caller("test").unwrap();
    let bad = LetterInput {
        township_code: Some(TOWN_A.into()),
        signed_on: "2022-07-01".into(),
        ..letter(
            "township",
            vec![
                text("不发生较大事故"),
                IndicatorInput {
                    target: Some(95.0),
                    ..measured("hazards.nonexistent", "ge", 95.0, None)
                },
                IndicatorInput {
                    target: None,
                    ..measured("hazards.found", "ge", 1.0, None)
                },
                measured("hazards.found", "ge", 50.0, Some("hazards.closed")),
            ],
        )
    };
    let e = c.app.create_letter(&admin, &bad).unwrap_err();
    let anjian_app::AppError::Validation(v) = e else {
        panic!("{e:?}")
    };
    let fields: Vec<&str> = v.fields.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        vec![
            "indicators[1].metric",
            "indicators[2].target",
            "indicators[3].per_metric",
            "signed_on",
        ],
        "{v:?}"
    );
}

#[test]
fn the_ledger_lists_each_indicator_with_its_grade_and_imports_back() {
    let c = county("2023-01-10");
    let admin = c.app.system_caller("test").unwrap();
    c.app
        .create_letter(
            &admin,
            &LetterInput {
                township_code: Some(TOWN_A.into()),
                ..letter(
                    "township",
                    vec![
                        text("不发生较大及以上生产安全事故"),
                        measured("hazards.found", "ge", 5.0, None),
                    ],
                )
            },
        )
        .unwrap();
    let f = anjian_store::letters::LetterFilter::default();
    let bytes = c.app.letters_ledger(&admin, &f).unwrap();
    let t = c.app.read_import_table("test", "xlsx", &bytes).unwrap();
    let map =
        anjian_app::import::map_columns(&t, &anjian_app::letters::LETTER_IMPORT, false).unwrap();
    let rows: Vec<&Vec<String>> = map.rows(&t).map(|(_, r)| r).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(map.get(rows[0], "grade"), "人工跟踪");
    assert_eq!(map.get(rows[1], "counterpart"), "临江镇");
    assert_eq!(map.get(rows[1], "current"), "3处");
    assert_eq!(map.get(rows[1], "grade"), "未达成");
    // The ledger imports back as it is: one letter with its two indicators.
    let rep = c
        .app
        .import_letters(&admin, &t, anjian_app::import::ImportOptions::default())
        .unwrap();
    assert_eq!(
        (rep.invalid_count, rep.written),
        (0, 1),
        "{:?}",
        rep.lines()
    );
    let page = c
        .app
        .letters_page(&admin, &f, &anjian_app::Keyset::first(50))
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].letter.indicators.len(), 2);
    assert_eq!(
        page.items[0].letter.indicators[1].metric.as_deref(),
        Some("hazards.found")
    );
}
