//! The responsibility rules as the use cases apply them: a leader's handover is dated (one
//! answer before and after the change), and "who supervises" combines the duty items with the
//! departments' sector assignments into one answer for any day.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_app::duties::DutyDraft;
use anjian_app::leaders::{AssignmentDraft, LeaderDraft};
use anjian_domain::leader::AreaKind;
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::departments::{DepartmentInput, SectorAssignment};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN: &str = "360982100000";

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A county with one township and two departments: 应急局 supervising fireworks by an undated
/// assignment, 市场监管局 supervising 电子礼炮 by the government's decision of 2022-03-15.
fn county() -> (TestStore, App, i64, i64) {
    let ts = TestStore::sqlite().unwrap();
    let app = App::new(
        ts.store.clone(),
        Arc::new(FixedClock::at_date(day("2022-06-01"))) as Arc<dyn Clock>,
    );
    anjian_app::catalogue::ensure_defaults(&app).unwrap();
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    let store = ts.store.clone();
    let rc = |s: &str| RegionCode::parse(s).unwrap();
    store
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
            ],
        )
        .unwrap();
    store
        .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
        .unwrap();
    let dep = |name: &str, order: i64, sectors: Vec<SectorAssignment>| DepartmentInput {
        region_code: COUNTY.into(),
        name: name.into(),
        short_name: name.into(),
        is_member_unit: true,
        has_supervision_duty: true,
        is_industry_authority: true,
        sort_order: order,
        sectors,
    };
    let assigned = |code: &str, decided: Option<&str>| SectorAssignment {
        sector_code: code.into(),
        decision_no: decided.map(|_| "清府办字〔2022〕18号".to_string()),
        decided_on: decided.map(day),
        note: String::new(),
    };
    let yj = store
        .create_department(
            &ch,
            &dep("应急管理局", 1, vec![assigned("fireworks", None)]),
        )
        .unwrap();
    let sj = store
        .create_department(
            &ch,
            &dep(
                "市场监督管理局",
                2,
                vec![assigned("e_salute", Some("2022-03-15"))],
            ),
        )
        .unwrap();
    (ts, app, yj, sj)
}

#[test]
fn a_leaders_handover_is_dated_and_each_day_has_one_answer() {
    let (_ts, app, _, _) = county();
    let admin = app.system_caller("test").unwrap();
    let leader = |name: &str| {
        app.create_leader(
            &admin,
            &LeaderDraft {
                name: name.into(),
                post: "副市长".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let (li, zh) = (leader("李明"), leader("张华"));
    let assign = |id: i64, from: &str| {
        app.assign_leader(
            &admin,
            &AssignmentDraft {
                leader_id: id,
                kind: "包片".into(),
                target: "临江镇".into(),
                basis: "《清江市安全生产包片包线责任制》".into(),
                valid_from: from.into(),
                valid_to: None,
            },
        )
    };
    assign(li, "2022-01-01").unwrap();
    assign(zh, "2022-04-01").unwrap();
    let on = |d: &str| {
        app.responsible_leader(&admin, AreaKind::Township, TOWN, day(d))
            .unwrap()
            .map(|v| v.leader_name)
    };
    assert_eq!(on("2021-12-31"), None);
    assert_eq!(on("2022-03-31").as_deref(), Some("李明"));
    assert_eq!(on("2022-04-01").as_deref(), Some("张华"));
    assert_eq!(on("2023-01-01").as_deref(), Some("张华"));
    // A start before the latest one would leave two answers: refused, naming the field.
    match assign(li, "2022-02-01") {
        Err(anjian_app::AppError::Validation(v)) => assert!(v.fields.contains_key("valid_from")),
        other => panic!("{other:?}"),
    }
    // The day before a change is the old leader's last.
    let history = app
        .assignments(
            &admin,
            &anjian_app::leaders::AssignmentQuery {
                leader_id: Some(li),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(history[0].assignment.valid_to, Some(day("2022-03-31")));
}

#[test]
fn who_supervises_combines_duty_items_and_sector_assignments_into_one_answer() {
    let (_ts, app, yj, sj) = county();
    let admin = app.system_caller("test").unwrap();
    let who = |sector: &str, d: &str| {
        app.who_supervises(&admin, sector, day(d))
            .unwrap()
            .map(|s| (s.department_id, s.source))
    };
    // By assignment alone: undated holds on any day; a dated decision from its day.
    assert_eq!(
        who("fireworks", "2020-01-01"),
        Some((yj, "sector_assignment".into()))
    );
    assert_eq!(who("e_salute", "2022-03-14"), None);
    assert_eq!(
        who("电子礼炮", "2022-03-15"),
        Some((sj, "sector_assignment".into()))
    );
    // An 安委会 decision moves fireworks retail to 市场监管局 from 2022-07-01 until the end of
    // 2022: the later decision answers in its period, the assignment outside it.
    let d = app
        .create_duty(
            &admin,
            &DutyDraft {
                department_id: sj,
                content: "负责烟花爆竹零售经营环节的安全监管".into(),
                doc_kind: "安委会决定".into(),
                doc_title: "关于调整烟花爆竹零售监管职责的决定".into(),
                doc_no: "清安委〔2022〕7号".into(),
                decided_on: Some("2022-06-20".into()),
                sector_code: Some("fireworks".into()),
                valid_from: "2022-07-01".into(),
                valid_to: Some("2022-12-31".into()),
            },
        )
        .unwrap();
    assert_eq!(
        who("fireworks", "2022-06-30"),
        Some((yj, "sector_assignment".into()))
    );
    assert_eq!(who("fireworks", "2022-07-01"), Some((sj, "duty".into())));
    assert_eq!(
        who("fireworks", "2023-01-01"),
        Some((yj, "sector_assignment".into()))
    );
    let s = app
        .who_supervises(&admin, "fireworks", day("2022-08-01"))
        .unwrap()
        .unwrap();
    assert_eq!(s.duty_id, Some(d.item.id));
    assert!(s.basis.contains("清安委〔2022〕7号"), "{}", s.basis);
    assert_eq!(s.also, vec!["应急管理局".to_string()]);
    // The department's duty list holds both kinds of line.
    let lines = app.department_duties(&admin, sj, None).unwrap();
    let sources: Vec<&str> = lines.iter().map(|l| l.source.as_str()).collect();
    assert_eq!(sources, ["duty", "sector_assignment"]);
    let in_2021 = app
        .department_duties(&admin, sj, Some("2021-06-01"))
        .unwrap();
    assert!(in_2021.is_empty(), "{in_2021:?}");
    // Bad input is refused with the field named.
    match app.who_supervises(&admin, "nope", day("2022-01-01")) {
        Err(anjian_app::AppError::Validation(v)) => assert!(v.fields.contains_key("sector")),
        other => panic!("{other:?}"),
    }
}

/// The demo county's 2022: every township has its leader (金田镇 handed over on 1 September),
/// 电子礼炮 is supervised by the department the 安委会 decision named, and the report's
/// accountability figures come from the records and drill down to exactly them.
#[test]
fn the_demo_years_responsibility_records_make_the_reports_figures() {
    let ts = TestStore::sqlite().unwrap();
    let app = App::new(
        ts.store.clone(),
        Arc::new(FixedClock::at_date(day("2023-01-10"))) as Arc<dyn Clock>,
    );
    let summary = anjian_app::demo::generate(&app, 7, &mut |_, _, _| {}).unwrap();
    assert!(summary.responsibility_records > 40, "{summary:?}");
    let caller = app.system_caller("test").unwrap();
    // 包片: one leader per township at the year's end.
    let towns = app.townships(&caller).unwrap();
    let at_end = app
        .area_leaders(&caller, AreaKind::Township, day("2022-12-31"))
        .unwrap();
    assert_eq!(at_end.len(), towns.len());
    let jintian = towns.iter().find(|(_, n)| n == "金田镇").unwrap().0.clone();
    let on = |d: &str| {
        app.responsible_leader(&caller, AreaKind::Township, &jintian, day(d))
            .unwrap()
            .map(|v| v.leader_name)
    };
    assert_eq!(on("2022-08-31").as_deref(), Some("孙立新"));
    assert_eq!(on("2022-09-01").as_deref(), Some("黄国庆"));
    // The leader account's own areas.
    let leader = ts
        .store
        .list_users(&Scope::system())
        .unwrap()
        .into_iter()
        .find(|u| u.username == "leader")
        .unwrap();
    let me = app.caller_for(leader, "t", "").unwrap();
    let mine = app.my_areas(&me).unwrap().unwrap();
    assert_eq!(mine.leader.name, "李明");
    assert!(mine.areas.iter().any(|a| a.target_name == "危险化学品"));
    // 电子礼炮 by the 安委会's decision.
    let s = app
        .who_supervises(&caller, "e_salute", day("2022-12-31"))
        .unwrap()
        .unwrap();
    assert_eq!(s.source, "duty");
    assert!(s.basis.starts_with("安委会决定"), "{}", s.basis);
    // The figures, from the records, and the records behind them.
    let year = anjian_domain::period::Period::year(2022).unwrap();
    let f = anjian_store::stats::StatFilter::default();
    let (v, rows) = app
        .metric_drill(
            &caller,
            "accountability.townships.forest_fire",
            &year,
            &f,
            1000,
        )
        .unwrap();
    assert_eq!(v.raw, Some(3));
    let mut names: Vec<String> = rows.unwrap().into_iter().map(|r| r.label).collect();
    names.sort();
    assert_eq!(names, ["义成镇", "双金乡", "洲上乡"]);
    let (v, rows) = app
        .metric_drill(
            &caller,
            "accountability.interviewed.forest_fire",
            &year,
            &f,
            1000,
        )
        .unwrap();
    assert_eq!(v.raw, Some(6));
    let rows = rows.unwrap();
    let q = anjian_app::accountability::AccountabilityQuery {
        year: Some("2022".into()),
        kind: Some("interview".into()),
        theme: Some("forest_fire".into()),
        ..Default::default()
    };
    let mut expected: Vec<i64> = app
        .accountability_records(&caller, &q)
        .unwrap()
        .iter()
        .map(|a| a.record.id)
        .collect();
    let mut got: Vec<i64> = rows.iter().filter_map(|r| r.entity_id).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "exactly the interview records");
    assert!(
        rows.iter()
            .all(|r| r.entity == "accountability" && r.amount == 2)
    );
    let text = app.render_report(&caller, &year).unwrap().plain();
    assert!(
        text.contains("落实不力的3个乡镇进行了问责处理，警示约谈行政负责人、分管负责人6人次"),
        "{text}"
    );
    // The accident register: 4 production accidents (1 + 1 + 2 after the road 补报 + 0
    // deaths), 2 fires, a forest fire of 0.65 公顷, so the opening states none of the three.
    assert!(
        text.contains("未发生较大及以上生产安全事故，未发生亡人火灾事故，未发生较大以上森林火灾"),
        "{text}"
    );
    let f = anjian_store::stats::StatFilter::default();
    let raw = |id: &str| app.metric_drill(&caller, id, &year, &f, 100).unwrap().0.raw;
    assert_eq!(raw("accidents.production"), Some(4));
    assert_eq!(raw("accidents.production.deaths"), Some(4));
    assert_eq!(raw("accidents.fire"), Some(2));
    assert_eq!(raw("accidents.forest_fire.area"), Some(65));
}
