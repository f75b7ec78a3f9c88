//! Stationed supervisors (派驻监督员): two townships station two supervisors at an enterprise
//! and a key place; the supervisors check in with the site's checklist and photos and turn a
//! finding into a hazard; a week's coverage, a spot check, a monthly rating and the report's
//! figures are computed from these records, each read in the caller's scope.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::station::{
    AssignmentDraft, KeyPlaceDraft, SpotCheckDraft, VisitDraft, VisitHazardDraft,
};
use anjian_app::users::NewUser;
use anjian_app::{App, AppError, Caller};
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN_A: &str = "360982100000";
const VILLAGE_A: &str = "360982100201";
const TOWN_B: &str = "360982101000";
const VILLAGE_B: &str = "360982101201";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

struct County {
    _ts: TestStore,
    app: App,
    users: BTreeMap<&'static str, i64>,
    e1: i64,
    e2: i64,
}

impl County {
    /// Friday 2022-09-30, in the 2022 特护期 (9月22日—10月31日).
    fn new() -> Self {
        let ts = TestStore::sqlite().unwrap();
        let clock = Arc::new(FixedClock::at_date(day("2022-09-30")));
        let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
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
        let enterprise = |n: u32, region: &str| {
            let uscc = anjian_domain::uscc::Uscc::complete(&format!("91360982MA{n:07}"))
                .unwrap()
                .to_string();
            let v = EnterpriseInput {
                name: format!("测试化工{n}有限公司"),
                uscc,
                region_code: region.into(),
                address: "工业园1号".into(),
                sector: Some("hazchem".into()),
                ..Default::default()
            }
            .validate(day("2022-01-01"))
            .unwrap();
            ts.store.create_enterprise(&ch, &v).unwrap()
        };
        let e1 = enterprise(1, VILLAGE_A);
        let e2 = enterprise(2, VILLAGE_B);
        let mut users = BTreeMap::new();
        for (username, name, role, region) in [
            ("town_a", "临江镇安监办", "township", TOWN_A),
            ("town_b", "永泰镇安监办", "township", TOWN_B),
            ("sup1", "派驻监督员 王明", "supervisor", COUNTY),
            ("sup2", "派驻监督员 李强", "supervisor", COUNTY),
        ] {
            let id = app
                .add_user_system(
                    "test",
                    &NewUser {
                        username: username.into(),
                        display_name: name.into(),
                        role: role.into(),
                        region_code: Some(region.into()),
                        password: Some("Passw0rd2022".into()),
                        active: true,
                        ..Default::default()
                    },
                )
                .unwrap();
            users.insert(username, id);
        }
        Self {
            _ts: ts,
            app,
            users,
            e1,
            e2,
        }
    }

    /// The caller as a request would build it (its scope read today).
    fn caller(&self, username: &str) -> Caller {
        let u = self
            ._ts
            .store
            .get_user(&Scope::system(), self.users[username])
            .unwrap();
        self.app.caller_for(u, "test", "127.0.0.1").unwrap()
    }
}

fn assign(
    app: &App,
    c: &Caller,
    sup: i64,
    site: &str,
    from: &str,
    to: &str,
) -> Result<i64, AppError> {
    app.create_station_assignment(
        c,
        &AssignmentDraft {
            supervisor_id: sup.to_string(),
            site: site.into(),
            starts_on: from.into(),
            ends_on: to.into(),
            ..Default::default()
        },
    )
    .map(|a| a.id)
}

fn answers(items: &[(&str, &str)]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn fields_of(e: AppError) -> Vec<String> {
    match e {
        AppError::Validation(v) => v.fields.keys().cloned().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_week_of_stationed_supervisors_is_covered_spot_checked_rated_and_counted() {
    let c = County::new();
    let app = &c.app;
    let (town_a, town_b) = (c.caller("town_a"), c.caller("town_b"));
    let admin = app.system_caller("test").unwrap();
    let (s1, s2) = (c.users["sup1"], c.users["sup2"]);

    // 临江镇 names a key place and stations 王明 at its enterprise and at the place.
    let place = app
        .create_key_place(
            &town_a,
            &KeyPlaceDraft {
                region_code: VILLAGE_A.into(),
                sector: "construction".into(),
                name: "枫林安置小区二期工地".into(),
                kind: "建筑施工工地".into(),
                location: "枫林村村委会东侧".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let a1 = assign(
        app,
        &town_a,
        s1,
        &format!("enterprise:{}", c.e1),
        "2022-09-22",
        "",
    )
    .unwrap();
    let a2 = assign(
        app,
        &town_a,
        s1,
        &format!("place:{}", place.id),
        "2022-09-22",
        "2022-10-31",
    )
    .unwrap();
    // Another township's enterprise answers like a missing one; a bad period names its field.
    assert!(matches!(
        assign(
            app,
            &town_a,
            s2,
            &format!("enterprise:{}", c.e2),
            "2022-09-22",
            ""
        ),
        Err(AppError::NotFound)
    ));
    let e = assign(
        app,
        &town_a,
        s2,
        &format!("enterprise:{}", c.e1),
        "2022-09-22",
        "2022-09-01",
    )
    .unwrap_err();
    assert_eq!(fields_of(e), vec!["ends_on"]);
    // A user who is not a supervisor cannot be stationed.
    let e = assign(
        app,
        &town_a,
        c.users["town_b"],
        &format!("enterprise:{}", c.e1),
        "2022-09-22",
        "",
    )
    .unwrap_err();
    assert_eq!(fields_of(e), vec!["supervisor_id"]);
    // 永泰镇 stations 李强 at its enterprise from Thursday.
    let a3 = assign(
        app,
        &town_b,
        s2,
        &format!("enterprise:{}", c.e2),
        "2022-09-29",
        "",
    )
    .unwrap();

    // 王明's day: both sites, each with its sector's checklist; the enterprise is in its scope.
    let sup1 = c.caller("sup1");
    assert_eq!(sup1.scope.enterprise_ids, Some(vec![c.e1]));
    let today = app.station_today(&sup1).unwrap();
    assert_eq!(today.len(), 2);
    let chem = &today
        .iter()
        .find(|t| t.assignment.id == a1)
        .unwrap()
        .checklist;
    assert_eq!(chem.len(), 7, "the common items and the hazchem ones");
    let all_normal: Vec<(&str, &str)> = chem.iter().map(|i| (i.key.as_str(), "正常")).collect();

    // A check-in answers every item, states what it found, and its photos are photos.
    let draft = |assignment_id, at: &str, a: BTreeMap<String, String>, findings: &str| VisitDraft {
        assignment_id,
        visited_at: at.into(),
        answers: a,
        findings: findings.into(),
    };
    let e = app
        .check_in(
            &sup1,
            &draft(a1, "2022-09-27 09:30", answers(&[("duty", "正常")]), ""),
            vec![],
        )
        .unwrap_err();
    assert_eq!(fields_of(e), vec!["checklist"]);
    let e = app
        .check_in(
            &sup1,
            &draft(a1, "2022-09-27 09:30", answers(&all_normal), ""),
            vec![("现场.jpg".into(), b"not an image at all".to_vec())],
        )
        .unwrap_err();
    assert_eq!(fields_of(e), vec!["photos"]);
    let e = app
        .check_in(
            &sup1,
            &draft(a1, "2022-10-01 09:30", answers(&all_normal), ""),
            vec![],
        )
        .unwrap_err();
    assert_eq!(fields_of(e), vec!["visited_at"], "not in the future");
    let (v1, photos) = app
        .check_in(
            &sup1,
            &draft(a1, "2022-09-27 09:30", answers(&all_normal), ""),
            vec![("现场.png".into(), PNG.to_vec())],
        )
        .unwrap();
    assert_eq!((v1.problems, photos.len()), (0, 1));
    let site_items = &today
        .iter()
        .find(|t| t.assignment.id == a2)
        .unwrap()
        .checklist;
    let mut at_site: Vec<(&str, &str)> = site_items
        .iter()
        .map(|i| (i.key.as_str(), "正常"))
        .collect();
    at_site[2].1 = "有问题";
    let e = app
        .check_in(
            &sup1,
            &draft(a2, "2022-09-28 15:10", answers(&at_site), " "),
            vec![],
        )
        .unwrap_err();
    assert_eq!(fields_of(e), vec!["findings"]);
    let (v2, _) = app
        .check_in(
            &sup1,
            &draft(
                a2,
                "2022-09-28 15:10",
                answers(&at_site),
                "二期工地3号楼疏散通道堆放模板",
            ),
            vec![],
        )
        .unwrap();
    assert_eq!(v2.problems, 1);

    // The finding becomes a hazard at the place, linked to the visit.
    let h = app
        .visit_to_hazard(
            &sup1,
            v2.id,
            &VisitHazardDraft {
                level: "general".into(),
                deadline: "2022-10-08".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(h.hazard.region_code, VILLAGE_A);
    assert_eq!(h.hazard.sector, "construction");
    assert_eq!(h.hazard.description, "二期工地3号楼疏散通道堆放模板");
    let (_, _, linked) = app.visit(&town_a, v2.id).unwrap();
    assert_eq!(linked, vec![h.hazard.id]);
    // Another supervisor's visit, and another township's, answer like missing ones.
    let sup2 = c.caller("sup2");
    assert!(matches!(app.visit(&sup2, v2.id), Err(AppError::NotFound)));
    assert!(matches!(app.visit(&town_b, v2.id), Err(AppError::NotFound)));
    assert!(matches!(
        app.visit_to_hazard(
            &sup2,
            v2.id,
            &VisitHazardDraft {
                level: "general".into(),
                ..Default::default()
            }
        ),
        Err(AppError::NotFound)
    ));
    // 王明 confirms his week: two visits, one problem.
    let w = app
        .confirm_week(&sup1, "2022-09-28", "本周驻点两处，发现问题一处已登记隐患")
        .unwrap();
    assert_eq!(
        (w.week_start, w.visits, w.problems),
        (day("2022-09-26"), 2, 1)
    );

    // The week of 9月26日, worked by hand: 王明's two postings were visited; 李强's (from
    // Thursday) was not. The 安委办 sees all three; each township its own.
    let cov = app.station_coverage(&admin, day("2022-09-28")).unwrap();
    assert_eq!(cov.label, "2022年第39周（9月26日—10月2日）");
    assert_eq!((cov.owed, cov.visited), (3, 2));
    let missing: Vec<i64> = cov.unvisited.iter().map(|u| u.assignment.id).collect();
    assert_eq!(missing, vec![a3]);
    assert_eq!(
        (cov.unvisited[0].from, cov.unvisited[0].to),
        (day("2022-09-29"), day("2022-10-02"))
    );
    let cov = app.station_coverage(&town_a, day("2022-09-28")).unwrap();
    assert_eq!((cov.owed, cov.unvisited.len()), (2, 0));
    let cov = app.station_coverage(&town_b, day("2022-09-28")).unwrap();
    assert_eq!((cov.owed, cov.unvisited.len()), (1, 1));

    // A spot check: present but the record untrue fails, and a failure states its follow-up.
    let spot = |present: &str, record_true: &str, follow_up: &str| SpotCheckDraft {
        assignment_id: a1,
        visit_id: Some(v1.id),
        checked_on: "2022-09-29".into(),
        present: present.into(),
        record_true: record_true.into(),
        follow_up: follow_up.into(),
        ..Default::default()
    };
    let e = app
        .create_spot_check(&town_a, &spot("是", "否", ""))
        .unwrap_err();
    assert_eq!(fields_of(e), vec!["follow_up"]);
    let e = app
        .create_spot_check(&town_a, &spot("也许", "是", ""))
        .unwrap_err();
    assert_eq!(fields_of(e), vec!["present"]);
    let s = app
        .create_spot_check(
            &town_a,
            &spot("是", "否", "约谈监督员，重新核实9月27日记录"),
        )
        .unwrap();
    assert_eq!(s.result, anjian_domain::station::SpotResult::Fail);
    assert!(matches!(
        app.create_spot_check(&town_b, &spot("是", "是", "")),
        Err(AppError::NotFound)
    ));
    let mut other_visit = spot("是", "是", "");
    other_visit.assignment_id = a2;
    let e = app.create_spot_check(&town_a, &other_visit).unwrap_err();
    assert_eq!(fields_of(e), vec!["visit_id"]);

    // Monthly rating: by the township that stationed him, not by another.
    let r = app
        .rate_supervisor(&town_a, s1, "2022-09", "优秀", "驻点记录完整", None)
        .unwrap();
    assert_eq!(
        (r.month, r.rating),
        (day("2022-09-01"), anjian_domain::station::Rating::Excellent)
    );
    assert!(matches!(
        app.rate_supervisor(&town_b, s1, "2022-09", "称职", "", None),
        Err(AppError::NotFound)
    ));
    let r = app
        .rate_supervisor(&town_a, s1, "2022年9月", "称职", "", Some(r.version))
        .unwrap();
    assert_eq!(r.rating, anjian_domain::station::Rating::Competent);
    assert_eq!(app.station_ratings(&town_a, "2022-09").unwrap().len(), 1);
    assert!(app.station_ratings(&town_b, "2022-09").unwrap().is_empty());

    // The figures of the 特护期: 2 townships, 0 departments, 2 supervisors at 3 sites.
    let f = app
        .station_figures(&admin, day("2022-09-22"), day("2022-10-31"))
        .unwrap();
    assert_eq!(
        (f.townships, f.departments, f.supervisors, f.sites),
        (2, 0, 2, 3)
    );
    assert_eq!(
        (f.visits, f.problems, f.spot_checks, f.spot_checks_failed),
        (2, 1, 1, 1)
    );
    let f = app
        .station_figures(&town_b, day("2022-09-22"), day("2022-10-31"))
        .unwrap();
    assert_eq!(
        (f.townships, f.supervisors, f.sites, f.visits),
        (1, 1, 1, 0)
    );

    // Ended on Thursday, the posting owes nothing after it, and the enterprise leaves the
    // supervisor's scope once the end has passed.
    let a = app.station_assignment(&town_a, a1).unwrap();
    let ended = app
        .end_station_assignment(&town_a, a1, a.version, "2022-09-29")
        .unwrap();
    assert_eq!(ended.ends_on, Some(day("2022-09-29")));
    assert_eq!(c.caller("sup1").scope.enterprise_ids, Some(vec![]));
    let e = app
        .end_station_assignment(&town_a, a2, 1, "2022-09-01")
        .unwrap_err();
    assert_eq!(fields_of(e), vec!["ends_on"]);
}
