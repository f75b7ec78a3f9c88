//! The responsibility rules as the use cases apply them: a leader's handover is dated (one
//! answer before and after the change), and "who supervises" has one answer for any day, read
//! from the duty items alone, a department's own sector list being kept as such items (so a
//! handover on the organisation page moves the answer and the department users' scope on its
//! day).

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

/// An app on the store whose clock reads `d`.
fn on(ts: &TestStore, d: &str) -> App {
    App::new(
        ts.store.clone(),
        Arc::new(FixedClock::at_date(day(d))) as Arc<dyn Clock>,
    )
}

/// A county with one township and two departments, set up on 2020-01-01: 应急局 supervising
/// fireworks (its sector list: a duty item from that day), 市场监管局 with no sector yet. The
/// app returned reads 2022-06-01.
fn county() -> (TestStore, App, i64, i64) {
    let ts = TestStore::sqlite().unwrap();
    let setup = on(&ts, "2020-01-01");
    anjian_app::catalogue::ensure_defaults(&setup).unwrap();
    let scope = Scope::system();
    let ch = setup.system_change(&scope, "test");
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
    let fireworks = SectorAssignment {
        sector_code: "fireworks".into(),
        decision_no: None,
        decided_on: None,
        note: String::new(),
    };
    let yj = store
        .create_department(&ch, &dep("应急管理局", 1, vec![fireworks]))
        .unwrap();
    let sj = store
        .create_department(&ch, &dep("市场监督管理局", 2, vec![]))
        .unwrap();
    let app = on(&ts, "2022-06-01");
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
fn who_supervises_reads_the_duty_items_alone() {
    let (ts, app, yj, sj) = county();
    let admin = app.system_caller("test").unwrap();
    let who = |sector: &str, d: &str| {
        app.who_supervises(&admin, sector, day(d))
            .unwrap()
            .map(|s| s.department_id)
    };
    // The department's sector list is a duty item from the day it was saved.
    assert_eq!(who("fireworks", "2019-12-31"), None);
    assert_eq!(who("fireworks", "2020-01-01"), Some(yj));
    let s = app
        .who_supervises(&admin, "fireworks", day("2021-01-01"))
        .unwrap()
        .unwrap();
    assert_eq!(s.basis, "其他文件 部门行业领域分工");
    let yj_lines = app.department_duties(&admin, yj, None).unwrap();
    assert_eq!(yj_lines.len(), 1, "{yj_lines:?}");
    assert_eq!(yj_lines[0].content, "负责烟花爆竹行业领域安全生产监督管理");
    assert_eq!(yj_lines[0].duty_id, s.duty_id);
    // 电子礼炮 by the government's decision of 2022-03-15: a dated item.
    let draft = |content: &str, sector: &str, from: &str, to: Option<&str>| DutyDraft {
        department_id: sj,
        content: content.into(),
        doc_kind: "安委会决定".into(),
        doc_title: "关于明确新兴行业领域安全监管职责的通知".into(),
        doc_no: "清府办字〔2022〕18号".into(),
        decided_on: Some(from.into()),
        sector_code: Some(sector.into()),
        valid_from: from.into(),
        valid_to: to.map(str::to_string),
    };
    app.create_duty(
        &admin,
        &draft("负责电子礼炮安全监管", "e_salute", "2022-03-15", None),
    )
    .unwrap();
    assert_eq!(who("e_salute", "2022-03-14"), None);
    assert_eq!(who("电子礼炮", "2022-03-15"), Some(sj));
    // An 安委会 decision moves fireworks retail to 市场监管局 from 2022-07-01 until the end of
    // 2022: the later decision answers in its period, the older item outside it.
    let d = app
        .create_duty(
            &admin,
            &draft(
                "负责烟花爆竹零售经营环节的安全监管",
                "fireworks",
                "2022-07-01",
                Some("2022-12-31"),
            ),
        )
        .unwrap();
    assert_eq!(who("fireworks", "2022-06-30"), Some(yj));
    assert_eq!(who("fireworks", "2022-07-01"), Some(sj));
    assert_eq!(who("fireworks", "2023-01-01"), Some(yj));
    let s = app
        .who_supervises(&admin, "fireworks", day("2022-08-01"))
        .unwrap()
        .unwrap();
    assert_eq!(s.duty_id, d.item.id);
    assert!(s.basis.contains("清府办字〔2022〕18号"), "{}", s.basis);
    assert_eq!(s.also, vec!["应急管理局".to_string()]);
    // The department's duty list: its items; as of 2021, none.
    let lines = app.department_duties(&admin, sj, None).unwrap();
    let sectors: Vec<Option<&str>> = lines.iter().map(|l| l.sector_code.as_deref()).collect();
    assert_eq!(sectors, [Some("e_salute"), Some("fireworks")]);
    assert!(lines[0].in_force && !lines[1].in_force, "{lines:?}");
    let in_2021 = app
        .department_duties(&admin, sj, Some("2021-06-01"))
        .unwrap();
    assert!(in_2021.is_empty(), "{in_2021:?}");
    // The department's sectors are those its items hold on the day read.
    let sectors_on = |d: &str, id: i64| {
        on(&ts, d)
            .get_department(&admin, id)
            .unwrap()
            .sectors
            .into_iter()
            .map(|a| a.sector_code)
            .collect::<Vec<_>>()
    };
    assert_eq!(sectors_on("2022-06-01", sj), ["e_salute"]);
    assert_eq!(sectors_on("2022-07-01", sj), ["fireworks", "e_salute"]);
    // Bad input is refused with the field named.
    match app.who_supervises(&admin, "nope", day("2022-01-01")) {
        Err(anjian_app::AppError::Validation(v)) => assert!(v.fields.contains_key("sector")),
        other => panic!("{other:?}"),
    }
}

/// A handover on the organisation page: on 2022-06-01 应急局's list drops fireworks and
/// 市场监管局's takes it. The 应急局 item ends on 2022-05-31 and the new one starts on
/// 2022-06-01: one supervisor each day, and each department user's scope follows.
#[test]
fn a_handover_of_sector_lists_moves_the_answer_and_the_scope_on_its_day() {
    let (ts, app, yj, sj) = county();
    let admin = app.system_caller("test").unwrap();
    let edit = |id: i64, sectors: &[&str]| {
        let d = app.get_department(&admin, id).unwrap();
        let version = d.version;
        let mut draft = anjian_app::organisation::DepartmentDraft::from(d);
        draft.sectors = sectors
            .iter()
            .map(|s| anjian_app::organisation::SectorDraft {
                sector_code: s.to_string(),
                decision_no: Some("清安委〔2022〕5号".into()),
                decided_on: Some("2022-05-20".into()),
                note: String::new(),
            })
            .collect();
        app.update_department(&admin, id, version, &draft).unwrap();
    };
    edit(yj, &[]);
    edit(sj, &["fireworks"]);
    for (d, holder) in [("2022-05-31", yj), ("2022-06-01", sj)] {
        let s = app
            .who_supervises(&admin, "fireworks", day(d))
            .unwrap()
            .unwrap();
        assert_eq!(s.department_id, holder, "{d}");
        assert!(s.also.is_empty(), "{d}: no overlap, {:?}", s.also);
    }
    let items = app
        .duties(
            &admin,
            &anjian_app::duties::DutyQuery {
                sector_code: Some("fireworks".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let periods: Vec<(i64, String, Option<String>)> = items
        .iter()
        .map(|v| {
            (
                v.item.department_id,
                v.item.valid_from.to_string(),
                v.item.valid_to.map(|t| t.to_string()),
            )
        })
        .collect();
    assert_eq!(
        periods,
        [
            (yj, "2020-01-01".to_string(), Some("2022-05-31".to_string())),
            (sj, "2022-06-01".to_string(), None),
        ]
    );
    assert_eq!(items[1].item.doc_no, "清安委〔2022〕5号");
    // A department user's scope, read on each day.
    let user_of = |dept: i64| {
        let mut u = admin.user.clone();
        u.role = "department".into();
        u.department_id = Some(dept);
        u
    };
    let sectors = |d: &str, dept: i64| {
        on(&ts, d)
            .scope_of(&user_of(dept))
            .unwrap()
            .1
            .sectors
            .unwrap_or_default()
    };
    assert_eq!(sectors("2022-05-31", yj), ["fireworks"]);
    assert!(sectors("2022-05-31", sj).is_empty());
    assert!(sectors("2022-06-01", yj).is_empty());
    assert_eq!(sectors("2022-06-01", sj), ["fireworks"]);
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
    // 电子礼炮 by the 安委会's decision; the other sectors by the 三定方案 of 2019.
    let s = app
        .who_supervises(&caller, "e_salute", day("2022-12-31"))
        .unwrap()
        .unwrap();
    assert!(s.basis.starts_with("安委会决定"), "{}", s.basis);
    let s = app
        .who_supervises(&caller, "hazchem", day("2022-01-01"))
        .unwrap()
        .unwrap();
    assert_eq!(s.department_name, "清江市应急管理局");
    assert!(s.basis.starts_with("三定方案"), "{}", s.basis);
    // Every department keeps its sectors, now as its duty items.
    let deps = app.list_departments(&caller).unwrap();
    for (d, (_, short, _, _, _, sectors)) in deps.iter().zip(anjian_app::demo::words::DEPARTMENTS) {
        assert_eq!(d.short_name, short);
        for s in sectors {
            assert!(
                d.sectors.iter().any(|a| a.sector_code == *s),
                "{}: {s}",
                d.name
            );
        }
    }
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
