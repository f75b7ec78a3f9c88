//! The officers' roster (执法人员 with their 执法证号) and the rule it serves: an enforcement
//! inspection names two or more officers of the caller's roster, each holding a certificate
//! valid on the inspection date, and keeps them as they were that day.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::inspections::InspectionInput;
use anjian_app::users::NewUser;
use anjian_app::{App, AppError, Caller};
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::departments::{DepartmentInput, SectorAssignment};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN: &str = "360982100000";

/// A `YYYY-MM-DD` date written in a test.
fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct Fixture {
    _ts: TestStore,
    app: App,
    /// 应急局: yj (department, certified), zf (inspector, certified), old (certificate ran
    /// out on 2022-03-31), none (no certificate); 消防大队: fire (certified).
    ids: std::collections::BTreeMap<&'static str, i64>,
}

impl Fixture {
    fn new() -> Self {
        let ts = TestStore::sqlite().unwrap();
        let clock = Arc::new(FixedClock::at_date(day("2022-06-10")));
        let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
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
                ],
            )
            .unwrap();
        ts.store
            .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
            .unwrap();
        let dep = |name: &str, sector: &str| DepartmentInput {
            region_code: COUNTY.into(),
            name: name.into(),
            short_name: name.into(),
            is_member_unit: true,
            has_supervision_duty: true,
            is_industry_authority: true,
            sort_order: 0,
            sectors: vec![SectorAssignment {
                sector_code: sector.into(),
                decision_no: None,
                decided_on: None,
                note: String::new(),
            }],
        };
        let yj = ts
            .store
            .create_department(&ch, &dep("应急管理局", "hazchem"))
            .unwrap();
        let fire = ts
            .store
            .create_department(&ch, &dep("消防救援大队", "fire"))
            .unwrap();
        let mut ids = std::collections::BTreeMap::new();
        for (username, name, role, dept, cert) in [
            ("admin", "王建国", "admin", None, None),
            (
                "yj",
                "刘芳",
                "department",
                Some(yj),
                Some(("赣001", "2026-12-31")),
            ),
            (
                "zf",
                "杨帆",
                "inspector",
                Some(yj),
                Some(("赣002", "2026-12-31")),
            ),
            (
                "old",
                "袁涛",
                "inspector",
                Some(yj),
                Some(("赣003", "2022-03-31")),
            ),
            ("none", "胡强", "inspector", Some(yj), None),
            (
                "fire",
                "聂红",
                "inspector",
                Some(fire),
                Some(("赣004", "2026-12-31")),
            ),
        ] {
            let id = app
                .add_user_system(
                    "test",
                    &NewUser {
                        username: username.into(),
                        display_name: name.into(),
                        role: role.into(),
                        password: Some("Passw0rd2022".into()),
                        department_id: dept,
                        active: true,
                        cert_no: cert.map(|c| c.0.to_string()),
                        cert_valid_until: cert.map(|c| c.1.to_string()),
                        ..Default::default()
                    },
                )
                .unwrap();
            ids.insert(username, id);
        }
        Self { _ts: ts, app, ids }
    }

    fn caller(&self, username: &str) -> Caller {
        let u = self
            ._ts
            .store
            .get_user(&Scope::system(), self.ids[username])
            .unwrap();
        self.app.caller_for(u, "test", "127.0.0.1").unwrap()
    }

    fn id(&self, username: &str) -> i64 {
        self.ids[username]
    }
}

/// An enforcement inspection (双随机) of a site in the township.
fn random_check(officers: &[i64], inspectors: &[&str]) -> InspectionInput {
    InspectionInput {
        region_code: Some(TOWN.into()),
        site: Some("临江镇加油站".into()),
        sector: "hazchem".into(),
        kind: "random".into(),
        inspected_on: "2022-06-01".into(),
        officer_ids: officers.to_vec(),
        inspectors: inspectors.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

/// The messages under `officer_ids` of a refusal.
fn officer_messages(r: Result<impl std::fmt::Debug, AppError>) -> Vec<String> {
    match r {
        Err(AppError::Validation(v)) => v.fields.get("officer_ids").cloned().unwrap_or_default(),
        other => panic!("expected a refusal naming officer_ids: {other:?}"),
    }
}

#[test]
fn free_text_alone_does_not_make_an_enforcement_inspection() {
    let f = Fixture::new();
    let zf = f.caller("zf");
    let m = officer_messages(
        f.app
            .record_inspection(&zf, &random_check(&[], &["张三", "李四"])),
    );
    assert_eq!(
        m,
        vec!["行政执法检查须有两名以上持有效执法证的执法人员".to_string()]
    );
    // One certified officer is not two.
    let m = officer_messages(
        f.app
            .record_inspection(&zf, &random_check(&[f.id("zf"), f.id("zf")], &["张三"])),
    );
    assert!(m.iter().any(|m| m.contains("两名以上")), "{m:?}");
}

#[test]
fn an_expired_or_missing_certificate_is_refused_naming_the_officer() {
    let f = Fixture::new();
    let zf = f.caller("zf");
    let m = officer_messages(
        f.app
            .record_inspection(&zf, &random_check(&[f.id("zf"), f.id("old")], &[])),
    );
    assert!(
        m.iter()
            .any(|m| m.contains("袁涛") && m.contains("2022-03-31")),
        "{m:?}"
    );
    assert!(m.iter().any(|m| m.contains("两名以上")), "{m:?}");
    let m = officer_messages(
        f.app
            .record_inspection(&zf, &random_check(&[f.id("zf"), f.id("none")], &[])),
    );
    assert!(
        m.iter()
            .any(|m| m.contains("胡强") && m.contains("未登记执法证")),
        "{m:?}"
    );
    // The certificate counts on the inspection date, not today: before it ran out, 袁涛 may.
    let mut earlier = random_check(&[f.id("zf"), f.id("old")], &[]);
    earlier.inspected_on = "2022-03-31".into();
    let i = f.app.record_inspection(&zf, &earlier).unwrap();
    assert_eq!(i.officers.len(), 2);
}

#[test]
fn an_officer_outside_the_roster_is_refused_like_one_that_does_not_exist() {
    let f = Fixture::new();
    let zf = f.caller("zf");
    let missing = 999_999;
    let outside = f.id("fire");
    let words = |other: i64| {
        officer_messages(
            f.app
                .record_inspection(&zf, &random_check(&[f.id("zf"), other], &[])),
        )
        .join("|")
        .replace(&other.to_string(), "#")
    };
    assert_eq!(words(outside), words(missing));
    assert!(!words(outside).contains("聂红"));
    // The 安委办 picks any department's officers.
    let admin = f.caller("admin");
    let i = f
        .app
        .record_inspection(&admin, &random_check(&[f.id("zf"), outside], &[]))
        .unwrap();
    assert_eq!(
        i.officers
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        vec!["杨帆", "聂红"]
    );
}

#[test]
fn two_certified_officers_pass_and_are_kept_as_they_were() {
    let f = Fixture::new();
    let zf = f.caller("zf");
    let i = f
        .app
        .record_inspection(
            &zf,
            &random_check(&[f.id("yj"), f.id("zf")], &["专家 王工"]),
        )
        .unwrap();
    assert!(i.enforcement);
    assert_eq!(
        i.officers
            .iter()
            .map(|o| (o.id, o.name.as_str(), o.cert_no.as_str()))
            .collect::<Vec<_>>(),
        vec![(f.id("yj"), "刘芳", "赣001"), (f.id("zf"), "杨帆", "赣002")]
    );
    assert_eq!(i.inspectors, "[\"专家 王工\"]");
    assert_eq!(
        anjian_app::inspections::people_line(&i),
        "刘芳（执法证号：赣001）、杨帆（执法证号：赣002）；其他人员：专家 王工"
    );
    // A new certificate later does not change what the record says was shown that day.
    let admin = f.caller("admin");
    let u = f.app.get_user(&admin, f.id("zf")).unwrap();
    let renewed = NewUser {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role.clone(),
        region_code: Some(u.region_code.clone()),
        department_id: u.department_id,
        active: true,
        cert_no: Some("赣102".into()),
        cert_valid_until: Some("2030-12-31".into()),
        ..Default::default()
    };
    f.app
        .update_user(&admin, u.id, u.version, &renewed)
        .unwrap();
    let (again, _) = f.app.inspection(&zf, i.id).unwrap();
    assert_eq!(again.officers[1].cert_no, "赣002");
    // The Word record names them with their numbers.
    let docx = f.app.inspection_record_docx(&zf, i.id).unwrap();
    assert!(!docx.is_empty());
}

#[test]
fn an_ordinary_inspection_may_name_its_people_in_words() {
    let f = Fixture::new();
    let zf = f.caller("zf");
    let mut routine = random_check(&[], &["杨帆", "镇安监办 李四"]);
    routine.kind = "routine".into();
    let i = f.app.record_inspection(&zf, &routine).unwrap();
    assert!(!i.enforcement && i.officers.is_empty());
    routine.inspectors = vec![];
    match f.app.record_inspection(&zf, &routine) {
        Err(AppError::Validation(v)) => assert!(v.fields.contains_key("inspectors"), "{v:?}"),
        other => panic!("{other:?}"),
    }
    // The officers it names still need valid certificates.
    routine.officer_ids = vec![f.id("old")];
    let m = officer_messages(f.app.record_inspection(&zf, &routine));
    assert!(m.iter().any(|m| m.contains("袁涛")), "{m:?}");
}

#[test]
fn the_roster_is_the_callers_department_and_shows_expired_certificates() {
    let f = Fixture::new();
    let roster = |who: &str| {
        f.app
            .officer_roster(&f.caller(who), day("2022-06-01"))
            .unwrap()
            .into_iter()
            .map(|o| (o.name, o.cert_no, o.valid))
            .collect::<Vec<_>>()
    };
    let own = roster("zf");
    assert_eq!(own.len(), 3, "{own:?}");
    assert!(own.contains(&("袁涛".into(), "赣003".into(), false)));
    assert!(own.contains(&("杨帆".into(), "赣002".into(), true)));
    assert!(!own.iter().any(|o| o.0 == "聂红" || o.0 == "胡强"));
    assert_eq!(roster("admin").len(), 4);
}

#[test]
fn certificates_are_checked_where_users_are_saved() {
    let f = Fixture::new();
    let admin = f.caller("admin");
    let user = |cert_no: Option<&str>, until: Option<&str>, role: &str| NewUser {
        username: "new.officer".into(),
        display_name: "新人".into(),
        role: role.into(),
        password: Some("Initial2022x".into()),
        department_id: Some(f.caller("zf").user.department_id.unwrap_or_default()),
        active: true,
        cert_no: cert_no.map(str::to_string),
        cert_valid_until: until.map(str::to_string),
        ..Default::default()
    };
    let refused = |u: NewUser| match f.app.create_user(&admin, &u) {
        Err(AppError::Validation(v)) => v.fields,
        other => panic!("{other:?}"),
    };
    let e = refused(user(Some("赣009"), None, "inspector"));
    assert!(e["cert_valid_until"][0].contains("有效期至"), "{e:?}");
    let e = refused(user(None, Some("2026-12-31"), "inspector"));
    assert!(e["cert_no"][0].contains("执法证号"), "{e:?}");
    let e = refused(user(Some("赣009"), Some("2026-02-30"), "inspector"));
    assert!(e["cert_valid_until"][0].contains("执法证有效期至"), "{e:?}");
    let e = refused(user(Some("赣\u{7}009"), Some("2026-12-31"), "inspector"));
    assert!(e["cert_no"][0].contains("控制字符"), "{e:?}");
    let e = refused(user(Some("赣"), Some("2026-12-31"), "inspector"));
    assert!(e["cert_no"][0].contains("执法证号应为"), "{e:?}");
    let e = refused(user(Some("赣009"), Some("2026-12-31"), "leader"));
    assert!(e["cert_no"][0].contains("只有"), "{e:?}");
    // One certificate, one account.
    let e = refused(user(Some("赣002"), Some("2026-12-31"), "inspector"));
    assert!(e["cert_no"][0].contains("其他用户"), "{e:?}");
    let id = f
        .app
        .create_user(
            &admin,
            &user(Some(" 赣009 "), Some("2026-12-31"), "inspector"),
        )
        .unwrap();
    let u = f.app.get_user(&admin, id).unwrap();
    assert_eq!(
        (u.cert_no.as_deref(), u.cert_valid_until),
        (Some("赣009"), Some(day("2026-12-31")))
    );
}

#[test]
fn the_demo_countys_enforcement_inspections_have_certified_officers() {
    let ts = crate::demo_store(7);
    let clock = Arc::new(FixedClock::at_date(day("2023-01-10")));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    let admin = app.system_caller("test").unwrap();
    let all = app.inspections(&admin, None).unwrap();
    let enforcement: Vec<_> = all.iter().filter(|i| i.enforcement).collect();
    assert!(enforcement.len() > 500, "{}", enforcement.len());
    for i in &enforcement {
        assert!(i.officers.len() >= 2, "inspection {}", i.id);
        for o in &i.officers {
            let u = ts.store.get_user(&Scope::system(), o.id).unwrap();
            assert_eq!(u.cert_no.as_deref(), Some(o.cert_no.as_str()));
            assert!(u.cert_valid_until.is_some_and(|d| d >= i.inspected_on));
            assert_eq!(u.department_id, i.department_id, "inspection {}", i.id);
        }
    }
    // The demo inspector's roster shows 钟敏's certificate as expired today.
    let zhifa = ts
        .store
        .user_for_login("zhifa")
        .unwrap()
        .map(|(u, _)| u)
        .unwrap();
    let zhifa = app.caller_for(zhifa, "test", "").unwrap();
    let roster = app.officer_roster(&zhifa, app.clock.today()).unwrap();
    assert!(roster.iter().any(|o| o.name.contains("钟敏") && !o.valid));
    assert!(roster.iter().filter(|o| o.valid).count() >= 4);
    // Its documents carry the standard wording made from their records, as issuing one through
    // the use case gives: a 责令限期整改指令书 names the problems and the officers with their
    // certificates, a 行政处罚决定书 its facts, basis and the routes of review and litigation.
    let docs = app.documents(&admin, None).unwrap();
    let order = docs
        .iter()
        .find(|d| d.doc_type == "rectification_order")
        .unwrap();
    assert!(
        order.body.contains("经查，你单位存在下列问题"),
        "{}",
        order.body
    );
    assert!(order.body.contains("1. "), "{}", order.body);
    let decision = docs
        .iter()
        .find(|d| d.doc_type == "penalty_decision")
        .unwrap();
    for part in [
        "违法事实和证据：",
        "处罚依据：",
        "申请行政复议",
        "提起行政诉讼",
    ] {
        assert!(decision.body.contains(part), "{part}: {}", decision.body);
    }
    assert!(docs.iter().all(|d| !d.body.trim().is_empty()));
}
