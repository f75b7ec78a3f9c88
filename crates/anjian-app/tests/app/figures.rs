//! The law as the officers apply it, and figures that mean what the report says (issue 14):
//! the review after a rectification report, money stated exactly, and the report's sentences
//! bound to the metrics that mean them. Test names cite the sentence or the rule.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_app::hazards::{ActionInput, HazardInput};
use anjian_domain::period::Period;
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
use anjian_store::stats::StatFilter;
use anjian_store::testing::TestStore;
use chrono::NaiveDate;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN: &str = "360982100000";
const VILLAGE: &str = "360982100200";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An app over an empty county (regions, default sectors and the shipped calendar), with a
/// clock the test moves.
fn setup(today: &str) -> (TestStore, App, Arc<FixedClock>) {
    let ts = TestStore::sqlite().unwrap();
    let clock = Arc::new(FixedClock::at_date(day(today)));
    let app = App::new(ts.store.clone(), clock.clone() as Arc<dyn Clock>);
    anjian_app::catalogue::ensure_defaults(&app).unwrap();
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    let rc = |s: &str| RegionCode::parse(s).unwrap();
    ts.store
        .upsert_regions(
            &ch,
            &[
                RegionInput {
                    code: rc(COUNTY),
                    name: "清江市".into(),
                    parent_code: None,
                },
                RegionInput {
                    code: rc(TOWN),
                    name: "临江镇".into(),
                    parent_code: Some(rc(COUNTY)),
                },
                RegionInput {
                    code: rc(VILLAGE),
                    name: "枫林村".into(),
                    parent_code: Some(rc(TOWN)),
                },
            ],
        )
        .unwrap();
    ts.store
        .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
        .unwrap();
    (ts, app, clock)
}

fn at(clock: &FixedClock, d: &str) {
    clock.set(FixedClock::at_date(day(d)).now());
}

fn act(action: &str) -> ActionInput {
    ActionInput {
        action: action.into(),
        ..Default::default()
    }
}

/// 安全生产执法程序规定 (安监总政法〔2016〕72号): the regulator re-inspects within 10 working
/// days of the report that rectification is done. Reported by its deadline, the hazard is
/// not 逾期未整改 (in its view, the to-do lists and the reminders); its review is due for
/// the reviewer, and past that day it is 复查逾期 on the reviewer's list. The number of days
/// is the county's setting.
#[test]
fn zhi_fa_cheng_xu_review_within_10_working_days_is_due_for_the_reviewer() {
    let (_ts, app, clock) = setup("2022-06-01");
    let admin = app.system_caller("test").unwrap();
    let new = |desc: &str| {
        app.create_hazard(
            &admin,
            &HazardInput {
                region_code: VILLAGE.into(),
                sector: "fire".into(),
                level: "general".into(),
                source: "inspection".into(),
                description: desc.into(),
                found_on: "2022-06-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .hazard
        .id
    };
    let in_time = new("疏散通道堵塞");
    let late = new("灭火器过期");
    for id in [in_time, late] {
        app.hazard_action(
            &admin,
            id,
            &ActionInput {
                deadline: Some("2022-06-10".into()),
                ..act("order")
            },
        )
        .unwrap();
        app.hazard_action(&admin, id, &act("start")).unwrap();
        // A report comes with evidence of the rectification (the county's default rule).
        let photo = [b"\xFF\xD8\xFF\xE0".as_slice(), &[7u8; 500]].concat();
        app.attach_hazard_file(&admin, id, "整改后.jpg", photo, "整改后照片")
            .unwrap();
    }
    at(&clock, "2022-06-09");
    let v = app.hazard_action(&admin, in_time, &act("report")).unwrap();
    assert_eq!(v.hazard.reported_on, Some(day("2022-06-09")));
    at(&clock, "2022-06-13");
    app.hazard_action(&admin, late, &act("report")).unwrap();
    // Past the deadline: the one reported in time waits on its review, not overdue.
    at(&clock, "2022-06-20");
    let (v, _) = app.get_hazard(&admin, in_time).unwrap();
    assert!(!v.overdue);
    // 10 working days from 2022-06-09 (no holiday after 端午 on 06-03): 06-23.
    assert_eq!(v.review_due.as_deref(), Some("2022-06-23"));
    assert!(!v.review_overdue);
    let (lv, _) = app.get_hazard(&admin, late).unwrap();
    assert!(lv.overdue, "reported after its deadline, it stays overdue");
    let t = app.todos(&admin, 3).unwrap();
    let ids = |v: &[anjian_app::hazards::HazardView]| -> Vec<i64> {
        v.iter().map(|h| h.hazard.id).collect()
    };
    assert_eq!(ids(&t.overdue), vec![late]);
    assert!(t.review_overdue.is_empty());
    // The review's last day passes: 复查逾期 for the reviewer.
    at(&clock, "2022-06-24");
    let (v, _) = app.get_hazard(&admin, in_time).unwrap();
    assert!(v.review_overdue && !v.overdue);
    let t = app.todos(&admin, 3).unwrap();
    assert_eq!(ids(&t.review_overdue), vec![in_time]);
    assert_eq!(ids(&t.overdue), vec![late]);
    // The reminder names the review.
    app.run_daily_reminders("test").unwrap();
    let notices = app
        .todos(&admin, 3)
        .unwrap()
        .notices
        .into_iter()
        .filter(|n| n.entity_id == in_time)
        .collect::<Vec<_>>();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].message.contains("复查逾期 1 天"), "{notices:?}");
    // The county gives its reviewers 15 working days: due 06-30, not yet overdue.
    app.set_setting(
        &admin,
        anjian_app::hazards::REVIEW_WORKING_DAYS_SETTING,
        "15",
    )
    .unwrap();
    let (v, _) = app.get_hazard(&admin, in_time).unwrap();
    assert_eq!(v.review_due.as_deref(), Some("2022-06-30"));
    assert!(!v.review_overdue);
    assert!(app.todos(&admin, 3).unwrap().review_overdue.is_empty());
    assert!(
        app.set_setting(
            &admin,
            anjian_app::hazards::REVIEW_WORKING_DAYS_SETTING,
            "0"
        )
        .is_err()
    );
    // Sent back by the review: no longer waiting, overdue again.
    app.hazard_action(
        &admin,
        in_time,
        &ActionInput {
            note: Some("仍有杂物".into()),
            ..act("reject")
        },
    )
    .unwrap();
    let (v, _) = app.get_hazard(&admin, in_time).unwrap();
    assert!(v.overdue && v.review_due.is_none());
}

/// "实施经济处罚N万元": fines are summed in fen and stated in 万元 rounded half up on the
/// exact decimal: 268,695,000 分 is 268.70 万元 (the f64 path printed 268.69), on the
/// statistics, the dashboard and the report; the records behind it are listed in 万元.
#[test]
fn report_2022_jing_ji_chu_fa_is_268_70_wan_yuan_and_drills_in_wan_yuan() {
    let (ts, app, _clock) = setup("2023-01-10");
    let admin = app.system_caller("test").unwrap();
    let system = Scope::system();
    let ch = app.system_change(&system, "test");
    for (fine, party) in [(268_000_000, "甲公司"), (695_000, "乙公司")] {
        ts.store
            .create_case(
                &ch,
                &anjian_store::cases::Case {
                    id: 0,
                    county_code: COUNTY.into(),
                    region_code: VILLAGE.into(),
                    department_id: None,
                    enterprise_id: None,
                    sector: "hazchem".into(),
                    procedure: "general".into(),
                    party_kind: "organisation".into(),
                    party_name: party.into(),
                    facts: String::new(),
                    legal_basis: String::new(),
                    fine_fen: fine,
                    measures: "fine".into(),
                    major: false,
                    status: anjian_domain::cases::CaseStatus::parse("decided").unwrap(),
                    registered_on: day("2022-05-01"),
                    notified_on: None,
                    legal_review: String::new(),
                    legal_reviewed_on: None,
                    decided_on: Some(day("2022-06-01")),
                    served_on: None,
                    executed_on: None,
                    closed_on: None,
                    hazard_id: None,
                    inspection_id: None,
                    campaign: None,
                    discussed_on: None,
                    extension_days: 0,
                    examined_on: None,
                    version: 1,
                    ..Default::default()
                },
                "register",
            )
            .unwrap();
    }
    let year = Period::year(2022).unwrap();
    let ids = vec!["cases.fines".to_string()];
    let v = app
        .metric_values(&admin, &year, &StatFilter::default(), Some(&ids))
        .unwrap();
    assert_eq!(v[0].raw, Some(268_695_000));
    assert_eq!(
        (v[0].display.as_str(), v[0].unit.as_str()),
        ("268.70", "万元")
    );
    let dash = app.dashboard(&admin, Some(2022)).unwrap();
    let fines = dash
        .headline
        .iter()
        .find(|m| m.id == "cases.fines")
        .unwrap();
    assert_eq!(fines.display, "268.70");
    let r = app.render_report(&admin, &year).unwrap();
    let in_report = r.metrics.iter().find(|m| m.id == "cases.fines").unwrap();
    assert_eq!(in_report.display, "268.70");
    // The drill-down: each record's amount in 元 (2,680,000.00 and 7,000.00), never in 分,
    // and the figure's records total in 元 beside its 万元.
    let (_, rows) = app
        .metric_drill(&admin, "cases.fines", &year, &StatFilter::default(), 100)
        .unwrap();
    let mut stated: Vec<String> = rows.unwrap().into_iter().map(|r| r.stated).collect();
    stated.sort();
    assert_eq!(stated, vec!["2680000.00", "6950.00"]);
    assert_eq!(v[0].record_display, "2686950.00");
    assert_eq!(v[0].record_unit, "元");
}

/// The report's sentences are bound to the metrics that mean them: 立案调查/立案查处 to the
/// general-procedure cases, 各行业部门发现 to the regulators' hazards, 移交涉嫌犯罪案件…起 to
/// transfers counted as cases and 移送司法机关处理…人 to people.
#[test]
fn report_2022_sentences_use_the_metrics_that_mean_them() {
    let t = anjian_app::stats::DEFAULT_ANNUAL_TEMPLATE;
    for (sentence, metric) in [
        ("立案调查{{ m(\"", "cases.investigated"),
        ("立案查处非法违法案件{{ m(\"", "cases.investigated"),
        ("立案查处违法行为{{ m(\"", "cases.investigated"),
        (
            "{{ whole }}各行业部门共发现安全隐患{{ m(\"",
            "hazards.found_by_regulators",
        ),
        (
            "（其中：重大隐患{{ m(\"",
            "hazards.found_major_by_regulators",
        ),
        ("移交涉嫌犯罪案件{{ m(\"", "transfers.cases"),
        ("移送司法机关处理{{ m(\"", "transfers.transferred"),
        ("仍有逾期未整改隐患{{ m(\"", "hazards.open_overdue"),
        ("下达各类行政执法文书{{ m(\"", "documents.issued"),
    ] {
        let at = t
            .find(sentence)
            .unwrap_or_else(|| panic!("the template states {sentence}"));
        let rest = &t[at + sentence.len()..];
        assert!(
            rest.starts_with(&format!("{metric}\"")),
            "{sentence} → {}",
            &rest[..rest.find('"').unwrap_or(0)]
        );
    }
}

/// "下达各类行政执法文书N份": the figure counts exactly the document types served on the
/// party (`to_party`), every other type (approval forms, records, letters to a court or the
/// police) is left out.
#[test]
fn report_2022_xia_da_wen_shu_counts_the_types_served_on_the_party() {
    use anjian_store::stats::{INTERNAL_DOC_TYPES, SERVED_DOC_TYPES};
    for t in anjian_app::documents::DOC_TYPES.iter() {
        let counted = SERVED_DOC_TYPES.contains(&t.code);
        assert_eq!(counted, t.to_party, "{} ({})", t.code, t.title);
        assert_eq!(
            INTERNAL_DOC_TYPES.contains(&t.code),
            !t.to_party,
            "{}",
            t.code
        );
    }
    assert_eq!(
        SERVED_DOC_TYPES.len() + INTERNAL_DOC_TYPES.len(),
        anjian_app::documents::DOC_TYPES.len()
    );
    for t in ["case_register", "case_close"] {
        assert!(!SERVED_DOC_TYPES.contains(&t), "{t} is an approval form");
    }
}
