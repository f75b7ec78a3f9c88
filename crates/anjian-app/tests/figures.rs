//! The law as the officers apply it (issue 14): the review after a rectification report.
//! Test names cite the rule.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_app::hazards::{ActionInput, HazardInput};
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
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
    }
    at(&clock, "2022-06-09");
    let v = app.hazard_action(&admin, in_time, &act("report")).unwrap();
    assert_eq!(v.hazard.reported_on.as_deref(), Some("2022-06-09"));
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
