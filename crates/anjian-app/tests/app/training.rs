//! 教育培训: two townships record their training (a class with attendees typed and a roster
//! imported, a 理论中心组学习 session); the report's training figures are computed from these
//! records, each in the caller's scope; a roster with bad rows is refused with each row's number
//! and nothing is written; certificates of enterprises' principals and safety managers are
//! recorded on the enterprise, and those expiring (or expired, unless renewed) come onto the
//! to-do list of the users whose scope covers the enterprise.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::import::{ImportOptions, read_table_bytes};
use anjian_app::training::certificates::{CertificateDraft, CertificateQuery};
use anjian_app::training::{AttendeeDraft, SessionDraft, SessionQuery};
use anjian_app::users::NewUser;
use anjian_app::{App, AppError, Caller, Keyset};
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::period::Period;
use anjian_domain::training::Standing;
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
use anjian_store::stats::StatFilter;
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

struct County {
    ts: TestStore,
    app: App,
    users: BTreeMap<&'static str, i64>,
    e1: i64,
    e2: i64,
}

impl County {
    /// 2022-12-01: certificates expiring in the next 60 days are owed a renewal.
    fn new() -> Self {
        let ts = TestStore::sqlite().unwrap();
        let clock = Arc::new(FixedClock::at_date(day("2022-12-01")));
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
            ("leader", "县领导", "leader", COUNTY),
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
            ts,
            app,
            users,
            e1,
            e2,
        }
    }

    fn caller(&self, username: &str) -> Caller {
        let u = self
            .ts
            .store
            .get_user(&Scope::system(), self.users[username])
            .unwrap();
        self.app.caller_for(u, "test", "127.0.0.1").unwrap()
    }
}

fn fields_of(e: AppError) -> Vec<String> {
    match e {
        AppError::Validation(v) => v.fields.keys().cloned().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn class(topic: &str, on: &str, attendees: &[(&str, &str, &str)]) -> SessionDraft {
    SessionDraft {
        kind: "培训班".into(),
        topic: topic.into(),
        starts_on: on.into(),
        hours: "3.5".into(),
        trainers: "市应急管理局 刘建华".into(),
        place: "镇政府会议室".into(),
        attendees: attendees
            .iter()
            .map(|(n, u, p)| AttendeeDraft {
                name: n.to_string(),
                unit: u.to_string(),
                phone: p.to_string(),
            })
            .collect(),
        ..Default::default()
    }
}

fn figures(app: &App, c: &Caller) -> BTreeMap<String, Option<i64>> {
    let ids: Vec<String> = [
        "training.classes",
        "training.attendance",
        "training.study_sessions",
        "certificates.valid",
        "certificates.expiring",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    app.metric_values(
        c,
        &Period::year(2022).unwrap(),
        &StatFilter::default(),
        Some(&ids),
    )
    .unwrap()
    .into_iter()
    .map(|v| (v.id, v.raw))
    .collect()
}

#[test]
fn the_report_counts_classes_attendance_and_study_sessions_from_the_records() {
    let c = County::new();
    let app = &c.app;
    let (town_a, town_b) = (c.caller("town_a"), c.caller("town_b"));

    // A class with its sign-in sheet typed.
    let s1 = app
        .create_training_session(
            &town_a,
            &class(
                "新《安全生产法》宣贯培训",
                "2022-03-16",
                &[
                    ("张伟", "测试化工1有限公司", "13907951234"),
                    ("李芳", "测试化工1有限公司", ""),
                    ("王强", "枫林村委会", ""),
                ],
            ),
        )
        .unwrap();
    assert_eq!(s1.attendees, 3);
    assert_eq!(s1.unit_region_code.as_deref(), Some(TOWN_A));
    assert_eq!(s1.unit_name, "临江镇");
    assert_eq!(s1.hours_tenths, 35);
    // A second class whose attendees come from a roster.
    let s2 = app
        .create_training_session(
            &town_b,
            &class("醇基燃料餐饮从业人员安全培训", "2022-04-21", &[]),
        )
        .unwrap();
    let roster = "序号,姓名,工作单位,手机\n1,赵敏,永泰镇饭店,13807951111\n2,钱军,永泰镇饭店,\n3,孙丽,石塘村,0795-7123456\n";
    let t = read_table_bytes("csv", roster.as_bytes()).unwrap();
    let report = app
        .import_training_roster(&town_b, s2.id, &t, ImportOptions::default())
        .unwrap();
    assert_eq!(
        (report.total, report.written, report.invalid_count),
        (3, 3, 0)
    );
    // A 理论中心组学习 session, and a class of 2021 (outside the year).
    app.create_training_session(
        &town_b,
        &SessionDraft {
            kind: "理论中心组学习".into(),
            topic: "学习习近平总书记关于安全生产重要论述".into(),
            starts_on: "2022-06-28".into(),
            hours: "2".into(),
            ..Default::default()
        },
    )
    .unwrap();
    app.create_training_session(
        &town_a,
        &class("往年培训", "2021-12-20", &[("周杰", "", "")]),
    )
    .unwrap();

    let admin = app.system_caller("test").unwrap();
    let all = figures(app, &admin);
    assert_eq!(all["training.classes"], Some(2));
    assert_eq!(all["training.attendance"], Some(6));
    assert_eq!(all["training.study_sessions"], Some(1));
    // Each township counts its own.
    let a = figures(app, &town_a);
    assert_eq!(
        (
            a["training.classes"],
            a["training.attendance"],
            a["training.study_sessions"]
        ),
        (Some(1), Some(3), Some(0))
    );
    let b = figures(app, &town_b);
    assert_eq!(
        (
            b["training.classes"],
            b["training.attendance"],
            b["training.study_sessions"]
        ),
        (Some(1), Some(3), Some(1))
    );
    // The drill-down lists the records behind the figure.
    let (v, rows) = app
        .metric_drill(
            &admin,
            "training.attendance",
            &Period::year(2022).unwrap(),
            &StatFilter::default(),
            100,
        )
        .unwrap();
    assert_eq!(v.raw, Some(6));
    let rows = rows.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.entity == "training_session"));

    // A township sees its own sessions only; the other's reads as missing.
    let page = app
        .training_page(
            &town_a,
            &SessionQuery {
                year: Some("2022".into()),
                kind: None,
            },
            &Keyset::first(50),
        )
        .unwrap();
    assert_eq!(page.items.iter().map(|s| s.id).collect::<Vec<_>>(), [s1.id]);
    assert!(matches!(
        app.training_session(&town_a, s2.id),
        Err(AppError::NotFound)
    ));
    let d = app.training_session(&town_b, s2.id).unwrap();
    assert_eq!(
        d.attendees
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["赵敏", "钱军", "孙丽"]
    );
    assert_eq!(d.attendees[2].phone.as_deref(), Some("0795-7123456"));
    assert!(d.editable);
    // The county leader reads them all and records none.
    let leader = c.caller("leader");
    assert_eq!(
        app.training_sessions(&leader, &SessionQuery::default())
            .unwrap()
            .len(),
        4
    );
    assert!(matches!(
        app.create_training_session(&leader, &class("x", "2022-05-01", &[])),
        Err(AppError::Forbidden(_))
    ));
    // A township records its own training, not another's.
    let e = app
        .create_training_session(
            &town_a,
            &SessionDraft {
                unit: format!("township:{TOWN_B}"),
                ..class("代别人登记", "2022-05-01", &[])
            },
        )
        .unwrap_err();
    assert_eq!(fields_of(e), ["unit"]);
    // The ledger holds every session of the scope.
    let xlsx = app
        .training_ledger(&town_a, &SessionQuery::default())
        .unwrap();
    let t = anjian_app::import::read_ledger_bytes("xlsx", &xlsx).unwrap();
    assert_eq!(t.rows.len(), 2);
    assert!(
        t.rows
            .iter()
            .any(|(_, r)| r.contains(&"新《安全生产法》宣贯培训".to_string()))
    );
}

#[test]
fn bad_input_is_refused_field_by_field_and_a_bad_roster_writes_nothing() {
    let c = County::new();
    let app = &c.app;
    let town_a = c.caller("town_a");
    let e = app
        .create_training_session(
            &town_a,
            &SessionDraft {
                kind: "开会".into(),
                topic: " ".into(),
                starts_on: "2022-06-02".into(),
                ends_on: "2022-06-01".into(),
                hours: "3.25".into(),
                attendees: vec![AttendeeDraft {
                    name: String::new(),
                    unit: "某单位".into(),
                    phone: "123".into(),
                }],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(
        fields_of(e),
        [
            "attendees[0].name",
            "attendees[0].phone",
            "ends_on",
            "hours",
            "kind",
            "topic"
        ]
    );
    let s = app
        .create_training_session(
            &town_a,
            &class("执法人员业务培训", "2022-05-24", &[("张伟", "", "")]),
        )
        .unwrap();
    // Rows 3 and 5 of the sheet are bad: each is reported by its number, none is written.
    let roster = "姓名,单位,联系电话\n赵敏,临江镇饭店,13807951111\n,临江镇饭店,\n孙丽,枫林村,\n钱军,枫林村,12345\n";
    let t = read_table_bytes("csv", roster.as_bytes()).unwrap();
    let report = app
        .import_training_roster(&town_a, s.id, &t, ImportOptions::default())
        .unwrap();
    assert_eq!(
        (
            report.total,
            report.valid,
            report.invalid_count,
            report.written
        ),
        (4, 2, 2, 0)
    );
    let lines = report.lines();
    assert!(lines[0].starts_with("第3行：姓名："), "{lines:?}");
    assert!(lines[1].starts_with("第5行：联系电话："), "{lines:?}");
    assert_eq!(
        app.training_session(&town_a, s.id).unwrap().attendees.len(),
        1
    );
    // Skipping the bad rows writes the good ones.
    let report = app
        .import_training_roster(
            &town_a,
            s.id,
            &t,
            ImportOptions {
                skip_invalid: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(report.written, 2);
    assert_eq!(
        app.training_session(&town_a, s.id)
            .unwrap()
            .session
            .attendees,
        3
    );
    // A sheet without a 姓名 column is refused as a whole.
    let t = read_table_bytes("csv", "单位,电话\n某单位,13807951111\n".as_bytes()).unwrap();
    assert!(
        app.import_training_roster(&town_a, s.id, &t, ImportOptions::default())
            .is_err()
    );
    // A typed list is all or nothing too.
    let e = app
        .add_training_attendees(
            &town_a,
            s.id,
            &[
                AttendeeDraft {
                    name: "吴刚".into(),
                    ..Default::default()
                },
                AttendeeDraft {
                    name: "郑".repeat(31),
                    ..Default::default()
                },
            ],
        )
        .unwrap_err();
    assert_eq!(fields_of(e), ["attendees[1].name"]);
    assert_eq!(
        app.training_session(&town_a, s.id).unwrap().attendees.len(),
        3
    );
    // A file (a sign-in sheet scanned as PDF) goes onto the session; a fake one is refused.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let f = app
        .attach_training_file(&town_a, s.id, "签到表.pdf", pdf, "签到表")
        .unwrap();
    assert_eq!(f.entity, "training_session");
    let e = app
        .attach_training_file(&town_a, s.id, "照片.png", b"not a png".to_vec(), "")
        .unwrap_err();
    assert_eq!(fields_of(e), ["file"]);
    let (_, bytes) = app.training_file(&town_a, f.id).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(matches!(
        app.training_file(&c.caller("town_b"), f.id),
        Err(AppError::NotFound)
    ));
}

fn cert(
    enterprise: i64,
    holder: &str,
    role: &str,
    no: &str,
    issued: &str,
    expires: &str,
) -> CertificateDraft {
    CertificateDraft {
        enterprise_id: enterprise.to_string(),
        holder_name: holder.into(),
        role: role.into(),
        cert_no: no.into(),
        issued_on: issued.into(),
        expires_on: expires.into(),
        issuer: "宜春市应急管理局".into(),
        note: String::new(),
    }
}

#[test]
fn certificates_expiring_come_onto_the_to_do_list_of_those_who_cover_the_enterprise() {
    let c = County::new();
    let app = &c.app;
    let (town_a, town_b) = (c.caller("town_a"), c.caller("town_b"));
    // Today is 2022-12-01.
    let soon = app
        .create_certificate(
            &town_a,
            &cert(
                c.e1,
                "张伟",
                "主要负责人",
                "3609812019000101",
                "2019-12-21",
                "2022-12-20",
            ),
        )
        .unwrap();
    assert_eq!(soon.standing, Standing::Expiring);
    let expired = app
        .create_certificate(
            &town_a,
            &cert(
                c.e1,
                "李芳",
                "安全生产管理人员",
                "3609822019000102",
                "2019-11-10",
                "2022-11-09",
            ),
        )
        .unwrap();
    assert_eq!(expired.standing, Standing::Expired);
    let valid = app
        .create_certificate(
            &town_a,
            &cert(
                c.e1,
                "王强",
                "安全管理人员",
                "3609822021000103",
                "2021-06-01",
                "2024-05-31",
            ),
        )
        .unwrap();
    assert_eq!(valid.standing, Standing::Valid);
    let other = app
        .create_certificate(
            &town_b,
            &cert(
                c.e2,
                "赵敏",
                "主要负责人",
                "3609812020000104",
                "2020-01-05",
                "2023-01-04",
            ),
        )
        .unwrap();

    let todo_ids = |caller: &Caller| -> Vec<i64> {
        app.todos(caller, 30)
            .unwrap()
            .certificates
            .iter()
            .map(|t| t.certificate_id)
            .collect()
    };
    // Soonest first; the valid one is not owed anything; town b's is not town a's.
    assert_eq!(
        todo_ids(&town_a),
        [expired.certificate.id, soon.certificate.id]
    );
    assert_eq!(todo_ids(&town_b), [other.certificate.id]);
    let todos = app.todos(&town_a, 30).unwrap().certificates;
    assert!(todos[0].expired && !todos[1].expired);
    assert_eq!(todos[1].title, "测试化工1有限公司 张伟（主要负责人）");
    // Renewed: the expired one is no longer owed.
    app.create_certificate(
        &town_a,
        &cert(
            c.e1,
            "李芳",
            "安全生产管理人员",
            "3609822022000105",
            "2022-11-20",
            "2025-11-19",
        ),
    )
    .unwrap();
    assert_eq!(todo_ids(&town_a), [soon.certificate.id]);

    // Out of scope: another township's enterprise is refused and its certificate reads as
    // missing.
    let e = app
        .create_certificate(
            &town_b,
            &cert(
                c.e1,
                "钱军",
                "主要负责人",
                "3609812022000106",
                "2022-01-01",
                "2024-12-31",
            ),
        )
        .unwrap_err();
    assert_eq!(fields_of(e), ["enterprise_id"]);
    assert!(matches!(
        app.certificate(&town_b, soon.certificate.id),
        Err(AppError::NotFound)
    ));
    // Bad input: each field named; a number recorded twice.
    let e = app
        .create_certificate(
            &town_a,
            &cert(c.e1, "", "厂长", "1", "2022-13-01", "2022-01-01"),
        )
        .unwrap_err();
    assert_eq!(
        fields_of(e),
        ["cert_no", "holder_name", "issued_on", "role"]
    );
    let e = app
        .create_certificate(
            &town_a,
            &cert(
                c.e1,
                "孙丽",
                "主要负责人",
                "3609812022000107",
                "2022-06-01",
                "2022-06-01",
            ),
        )
        .unwrap_err();
    assert_eq!(fields_of(e), ["expires_on"]);
    let e = app
        .create_certificate(
            &town_a,
            &cert(
                c.e1,
                "孙丽",
                "主要负责人",
                "3609812019000101",
                "2022-06-01",
                "2025-05-31",
            ),
        )
        .unwrap_err();
    assert_eq!(fields_of(e), ["cert_no"]);

    // The lists and figures.
    let page = app
        .certificate_page(
            &town_a,
            &CertificateQuery {
                expiring: true,
                ..Default::default()
            },
            &Keyset::first(50),
        )
        .unwrap();
    assert_eq!(page.items.len(), 2);
    let admin = app.system_caller("test").unwrap();
    let f = figures(app, &admin);
    // In force at 2022-12-31: 王强's, the renewed 李芳's and 赵敏's.
    assert_eq!(f["certificates.valid"], Some(3));
    // Expiring in 2022: 张伟's and the first 李芳's.
    assert_eq!(f["certificates.expiring"], Some(2));
    let xlsx = app
        .certificate_ledger(&town_a, &CertificateQuery::default())
        .unwrap();
    let t = anjian_app::import::read_ledger_bytes("xlsx", &xlsx).unwrap();
    assert_eq!(t.rows.len(), 4);
}
