//! 一季一排名 with hand-computed scores: three townships over two quarters.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_app::ranking::{RankingRule, Ratio, Term};
use anjian_domain::period::Period;
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::hazards::{EventInput, HazardFields};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use anjian_store::work::WorkRecord;
use chrono::NaiveDate;
use std::sync::Arc;

/// A `YYYY-MM-DD` date written in a test.
fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const COUNTY: &str = "360982000000";
const TOWNS: [(&str, &str); 3] = [
    ("360982100000", "甲镇"),
    ("360982101000", "乙镇"),
    ("360982102000", "丙镇"),
];

fn hazard(region: &str, found: &str, closed: Option<&str>) -> HazardFields {
    HazardFields {
        region_code: region.into(),
        enterprise_id: None,
        department_id: None,
        sector: "fire".into(),
        level: anjian_domain::hazard::Level::parse("general").unwrap(),
        source: anjian_domain::hazard::Source::parse("inspection").unwrap(),
        description: "疏散通道堵塞".into(),
        location: String::new(),
        found_on: day(found),
        deadline: Some(day("2022-12-31")),
        deadline_basis: Some("date".into()),
        deadline_rule: String::new(),
        status: if closed.is_some() {
            anjian_domain::hazard::Status::parse("closed").unwrap()
        } else {
            anjian_domain::hazard::Status::parse("registered").unwrap()
        },
        responsible_unit: String::new(),
        responsible_person: String::new(),
        measures: String::new(),
        funds_planned: None,
        funds_spent: None,
        emergency_plan: String::new(),
        campaign: None,
        closed_on: closed.map(day),
        point: None,
    }
}

fn setup() -> (TestStore, App) {
    let ts = TestStore::sqlite().unwrap();
    let clock = Arc::new(FixedClock::at_date(
        chrono::NaiveDate::from_ymd_opt(2022, 7, 5).unwrap_or_default(),
    ));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    anjian_app::catalogue::ensure_defaults(&app).unwrap();
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    let rc = |s: &str| RegionCode::parse(s).unwrap();
    let mut regions = vec![RegionInput {
        code: rc(COUNTY),
        name: "清江市".into(),
        parent_code: None,
    }];
    for (c, n) in TOWNS {
        regions.push(RegionInput {
            code: rc(c),
            name: n.into(),
            parent_code: Some(rc(COUNTY)),
        });
    }
    ts.store.upsert_regions(&ch, &regions).unwrap();
    ts.store
        .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
        .unwrap();
    let boards = |town: usize, day: &str, q: i64| WorkRecord {
        region_code: TOWNS[town].0.into(),
        item_code: "boards".into(),
        done_on: self::day(day),
        quantity: q,
        ..Default::default()
    };
    ts.store
        .create_work_records(
            &ch,
            &[
                boards(0, "2022-02-10", 10),
                boards(0, "2022-05-10", 20),
                boards(1, "2022-04-10", 5),
                boards(2, "2022-03-10", 30),
                boards(2, "2022-06-10", 10),
            ],
        )
        .unwrap();
    let ev = EventInput {
        action: "create".into(),
        note: String::new(),
        data: None,
    };
    for f in [
        hazard(TOWNS[0].0, "2022-03-01", None),
        hazard(TOWNS[0].0, "2022-04-01", Some("2022-04-20")),
        hazard(TOWNS[0].0, "2022-05-01", Some("2022-05-20")),
        hazard(TOWNS[1].0, "2022-04-02", Some("2022-06-01")),
        hazard(TOWNS[1].0, "2022-04-03", None),
        hazard(TOWNS[1].0, "2022-05-03", None),
        hazard(TOWNS[1].0, "2022-06-03", None),
    ] {
        ts.store.create_hazard(&ch, &f, &ev).unwrap();
    }
    (ts, app)
}

fn rule() -> RankingRule {
    RankingRule {
        quantity_points: 50.0,
        increase_points: 20.0,
        quality_points: 30.0,
        quantity: vec![
            Term {
                metric: "work.boards".into(),
                weight: 1.0,
            },
            Term {
                metric: "hazards.found".into(),
                weight: 2.0,
            },
        ],
        quality: vec![Ratio {
            label: "隐患整改率".into(),
            numerator: "hazards.found_closed".into(),
            denominator: "hazards.found".into(),
            weight: 1.0,
            definition: String::new(),
        }],
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.011
}

#[test]
fn quarterly_ranking_matches_hand_computed_scores() {
    let (_ts, app) = setup();
    let admin = app.system_caller("test").unwrap();
    app.set_ranking_rule(&admin, &rule()).unwrap();
    let q2 = Period::parse("2022-Q2").unwrap_or_else(|| panic!("q2"));
    let r = app.ranking(&admin, &q2, "township").unwrap();
    assert_eq!(r.previous, "2022-Q1");
    let names: Vec<&str> = r.rows.iter().map(|x| x.unit_name.as_str()).collect();
    assert_eq!(names, ["甲镇", "乙镇", "丙镇"]);
    // Q2 quantity: 甲 20 + 2×2 = 24, 乙 5 + 2×4 = 13, 丙 10. Q1: 甲 10 + 2×1 = 12, 乙 0, 丙 30.
    // Increase: 甲 12, 乙 13, 丙 −20 (counts 0). Quality: 甲 2/2, 乙 1/4, 丙 none.
    let expect = [
        (24.0, 12.0, 12.0, 1.0, 50.0, 20.0 * 12.0 / 13.0, 30.0),
        (13.0, 0.0, 13.0, 0.25, 50.0 * 13.0 / 24.0, 20.0, 7.5),
        (10.0, 30.0, -20.0, 0.0, 50.0 * 10.0 / 24.0, 0.0, 0.0),
    ];
    for (row, (q, pq, inc, ql, sq, si, sl)) in r.rows.iter().zip(expect) {
        assert!(
            close(row.quantity, q) && close(row.previous_quantity, pq) && close(row.increase, inc),
            "{row:?}"
        );
        assert!(close(row.quality, ql), "{row:?}");
        assert!(
            close(row.quantity_score, sq)
                && close(row.increase_score, si)
                && close(row.quality_score, sl),
            "{row:?}"
        );
        assert!(close(row.total, sq + si + sl), "{row:?}");
        // Every component opens to its metric's drill-down for the unit and the quarter.
        assert!(
            row.parts
                .iter()
                .all(|p| p.link.contains("period=2022-Q2") && p.link.contains("region="))
        );
    }
    // Q1: 丙 leads on quantity (30 vs 12) and increase; nobody closed anything.
    let q1 = Period::parse("2022-Q1").unwrap_or_else(|| panic!("q1"));
    let r1 = app.ranking(&admin, &q1, "township").unwrap();
    let got: Vec<(&str, f64)> = r1
        .rows
        .iter()
        .map(|x| (x.unit_name.as_str(), x.total))
        .collect();
    assert_eq!(
        got.iter().map(|g| g.0).collect::<Vec<_>>(),
        ["丙镇", "甲镇", "乙镇"]
    );
    assert!(
        close(got[0].1, 70.0) && close(got[1].1, 28.0) && close(got[2].1, 0.0),
        "{got:?}"
    );
    // A monthly 调度 uses the same mechanism: May against April.
    let may = Period::parse("2022-05").unwrap_or_else(|| panic!("may"));
    let m = app.ranking(&admin, &may, "township").unwrap();
    assert_eq!(m.previous, "2022-04");
    assert_eq!(m.rows[0].unit_name, "甲镇");
    // The Excel export has a row per township.
    let x = app.ranking_ledger(&admin, &q2, "township").unwrap();
    assert!(x.starts_with(b"PK"));
}

#[test]
fn ranking_rules_are_validated() {
    let (_ts, app) = setup();
    let admin = app.system_caller("test").unwrap();
    let mut bad = rule();
    bad.quantity[0].metric = "no.such".into();
    bad.quality_points = -1.0;
    match app.set_ranking_rule(&admin, &bad) {
        Err(anjian_app::AppError::Validation(v)) => {
            assert!(
                v.fields.contains_key("quantity") && v.fields.contains_key("quality_points"),
                "{v:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let q2 = Period::parse("2022-Q2").unwrap_or_else(|| panic!("q2"));
    assert!(app.ranking(&admin, &q2, "village").is_err());
}

/// The ranking's 隐患整改率 is a cohort rate: of the hazards found in the period, the share
/// closed by its end. The old ratio (closed in the period ÷ found in the period) passes 100 %
/// when earlier hazards are closed: 甲镇 closes in Q2 one hazard found in Q1 and both found in
/// Q2 (3 ÷ 2 = 150 % then; 2 ÷ 2 = 100 % now). The definition is shown beside the figure,
/// and a rule whose rate is not a share of one set of records is refused.
#[test]
fn report_2022_san_bi_zheng_gai_lv_is_a_cohort_rate_within_100_percent() {
    let (ts, app) = setup();
    let admin = app.system_caller("test").unwrap();
    // 甲镇's Q1 hazard (found 03-01) is closed in Q2.
    ts.store
        .raw_execute(
            "UPDATE hazards SET status = 'closed', closed_on = '2022-06-15' WHERE found_on = '2022-03-01'",
            &[],
        )
        .unwrap();
    let q2 = Period::parse("2022-Q2").unwrap_or_else(|| panic!("q2"));
    // The default rule.
    let r = app.ranking(&admin, &q2, "township").unwrap();
    let rate = &r.rule.quality[0];
    assert_eq!(rate.label, "隐患整改率");
    assert_eq!(
        (rate.numerator.as_str(), rate.denominator.as_str()),
        ("hazards.found_closed", "hazards.found")
    );
    assert!(rate.definition.contains("同一批") && rate.definition.contains("100%"));
    let jia = r.rows.iter().find(|x| x.unit_name == "甲镇").unwrap();
    let part = |metric: &str| {
        jia.parts
            .iter()
            .find(|p| p.component == "quality" && p.metric == metric)
            .unwrap_or_else(|| panic!("{metric}"))
    };
    let (n, d) = (part("hazards.found_closed"), part("hazards.found"));
    assert_eq!((n.value, d.value), (2.0, 2.0));
    assert!(n.definition.contains(&rate.definition));
    for row in &r.rows {
        assert!(row.quality <= 2.0 + 1e-9, "{row:?}");
    }
    // A rule saved before (closed in the period ÷ found in the period) reads the cohort.
    let legacy = serde_json::json!({
        "quantity_points": 40.0, "increase_points": 30.0, "quality_points": 30.0,
        "quantity": [{"metric": "hazards.found", "weight": 1.0}],
        "quality": [{"label": "隐患整改率", "numerator": "hazards.closed", "denominator": "hazards.found", "weight": 1.0}]
    });
    let system = Scope::system();
    let ch = app.system_change(&system, "test");
    ts.store
        .set_setting(&ch, anjian_app::ranking::RANKING_RULE, &legacy.to_string())
        .unwrap();
    let r = app.ranking(&admin, &q2, "township").unwrap();
    assert_eq!(r.rule.quality[0].numerator, "hazards.found_closed");
    let jia = r.rows.iter().find(|x| x.unit_name == "甲镇").unwrap();
    assert!((jia.quality - 1.0).abs() < 1e-9, "{jia:?}");
    // Saving a ratio that is not a share of one set of records is refused.
    let mut bad = rule();
    bad.quality[0].numerator = "hazards.closed".into();
    match app.set_ranking_rule(&admin, &bad) {
        Err(anjian_app::AppError::Validation(v)) => {
            assert!(v.fields.contains_key("quality"), "{v:?}")
        }
        other => panic!("{other:?}"),
    }
}
