//! Emergency resources (应急资源): each kind states what it must, coordinates are read
//! exactly and checked, a township keeps its own and reads no other's, a check moves the last
//! check forward only, the county's cycle (a setting) decides when a check falls due and it
//! is then on the keeper's to-do list, and a sheet with a bad row writes nothing.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::emergency::{CheckDraft, ResourceDraft};
use anjian_app::import::{ImportOptions, read_ledger_bytes, read_table_bytes};
use anjian_app::users::NewUser;
use anjian_app::{App, AppError, Caller};
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

const COUNTY: &str = "360982000000";
const TOWN_A: &str = "360982100000";
const TOWN_B: &str = "360982101000";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct County {
    ts: TestStore,
    app: App,
    users: BTreeMap<&'static str, i64>,
}

impl County {
    /// 2022-12-01.
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
                ],
            )
            .unwrap();
        ts.store
            .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
            .unwrap();
        let mut users = BTreeMap::new();
        for (username, name, region) in [
            ("town_a", "临江镇应急办", TOWN_A),
            ("town_b", "永泰镇应急办", TOWN_B),
        ] {
            let id = app
                .add_user_system(
                    "test",
                    &NewUser {
                        username: username.into(),
                        display_name: name.into(),
                        role: "township".into(),
                        region_code: Some(region.into()),
                        password: Some("Passw0rd2022".into()),
                        active: true,
                        ..Default::default()
                    },
                )
                .unwrap();
            users.insert(username, id);
        }
        Self { ts, app, users }
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

fn team(name: &str, checked: &str) -> ResourceDraft {
    ResourceDraft {
        kind: "救援队伍".into(),
        name: name.into(),
        members: "30".into(),
        speciality: "防汛抢险".into(),
        phone: "13807951234".into(),
        lng: "115.54".into(),
        lat: "28.06".into(),
        last_checked_on: checked.into(),
        ..Default::default()
    }
}

#[test]
fn resources_are_kept_checked_and_fall_due_on_the_countys_cycle() {
    let county = County::new();
    let app = &county.app;
    let (town_a, town_b) = (county.caller("town_a"), county.caller("town_b"));

    // Each kind names what it lacks; coordinates are checked.
    let bad = app
        .create_emergency_resource(
            &town_a,
            &ResourceDraft {
                kind: "救援队伍".into(),
                name: "临江镇防汛抢险队".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(fields_of(bad), vec!["members", "phone", "speciality"]);
    let mut swapped = team("临江镇防汛抢险队", "");
    (swapped.lng, swapped.lat) = ("28.06".into(), "115.54".into());
    assert_eq!(
        fields_of(
            app.create_emergency_resource(&town_a, &swapped)
                .unwrap_err()
        ),
        vec!["lng"]
    );
    let mut half = team("临江镇防汛抢险队", "");
    half.lat = String::new();
    assert_eq!(
        fields_of(app.create_emergency_resource(&town_a, &half).unwrap_err()),
        vec!["lat"]
    );
    let mut later = team("临江镇防汛抢险队", "2022-12-05");
    later.phone = "13807951234".into();
    assert_eq!(
        fields_of(app.create_emergency_resource(&town_a, &later).unwrap_err()),
        vec!["last_checked_on"]
    );

    // Checked 2022-09-01: a team's 90-day cycle makes it due 2022-11-30, overdue today.
    let t = app
        .create_emergency_resource(&town_a, &team("临江镇防汛抢险队", "2022-09-01"))
        .unwrap();
    assert_eq!(t.record.region_code, TOWN_A);
    assert_eq!(
        (t.record.lng_micro, t.record.lat_micro),
        (Some(115_540_000), Some(28_060_000))
    );
    assert_eq!(t.next_check, day("2022-11-30"));
    assert!(t.check_due);
    // A depot and a supply in it; a supply cannot lie in a team.
    let depot = app
        .create_emergency_resource(
            &town_a,
            &ResourceDraft {
                kind: "物资储备库".into(),
                name: "临江镇应急物资储备点".into(),
                last_checked_on: "2022-11-01".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let supply = |depot: i64| ResourceDraft {
        kind: "装备物资".into(),
        name: "冲锋舟".into(),
        quantity: "2".into(),
        unit: "艘".into(),
        depot_id: depot.to_string(),
        last_checked_on: "2022-11-20".into(),
        ..Default::default()
    };
    assert_eq!(
        fields_of(
            app.create_emergency_resource(&town_a, &supply(t.record.id))
                .unwrap_err()
        ),
        vec!["depot_id"]
    );
    let boats = app
        .create_emergency_resource(&town_a, &supply(depot.record.id))
        .unwrap();
    assert_eq!(boats.record.depot_name, "临江镇应急物资储备点");

    // 永泰镇 reads none of them, cannot check them, cannot store in 临江镇's depot.
    assert!(
        app.emergency_resources(&town_b, None, None)
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        app.check_emergency_resource(
            &town_b,
            t.record.id,
            &CheckDraft {
                checked_on: "2022-12-01".into(),
                ..Default::default()
            }
        ),
        Err(AppError::NotFound)
    ));
    assert_eq!(
        fields_of(
            app.create_emergency_resource(&town_b, &supply(depot.record.id))
                .unwrap_err()
        ),
        vec!["depot_id"]
    );
    // A township does not keep another's resources.
    let mut elsewhere = team("越界队伍", "");
    elsewhere.region_code = TOWN_B.into();
    assert!(matches!(
        app.create_emergency_resource(&town_a, &elsewhere),
        Err(AppError::Forbidden(_))
    ));

    // The to-do list: the team is overdue; within 30 days the supply's check (2023-02-18) is
    // not due, the depot's (2023-04-30) neither.
    let todos = app.todos(&town_a, 30).unwrap();
    assert_eq!(todos.resource_checks.len(), 1);
    assert!(todos.resource_checks[0].overdue);
    assert!(todos.resource_checks[0].title.contains("临江镇防汛抢险队"));
    // The county shortens the supply cycle to 10 days: the boats fall due too.
    let admin = app.system_caller("test").unwrap();
    let scope = Scope::system();
    county
        .ts
        .store
        .set_setting(
            &app.system_change(&scope, "test"),
            "emergency_check_days.supply",
            "10",
        )
        .unwrap();
    assert_eq!(app.todos(&town_a, 0).unwrap().resource_checks.len(), 2);
    assert!(app.todos(&town_b, 30).unwrap().resource_checks.is_empty());

    // A check: a problem needs its account; an older check does not move the last one back.
    let problem = CheckDraft {
        checked_on: "2022-12-01".into(),
        ok: "有问题".into(),
        note: String::new(),
    };
    assert_eq!(
        fields_of(
            app.check_emergency_resource(&town_a, t.record.id, &problem)
                .unwrap_err()
        ),
        vec!["note"]
    );
    let after = app
        .check_emergency_resource(
            &town_a,
            t.record.id,
            &CheckDraft {
                checked_on: "2022-12-01".into(),
                ok: "正常".into(),
                note: "点验30人到位".into(),
            },
        )
        .unwrap();
    assert_eq!(after.record.last_checked_on, Some(day("2022-12-01")));
    assert!(!after.check_due);
    let older = app
        .check_emergency_resource(
            &town_a,
            t.record.id,
            &CheckDraft {
                checked_on: "2022-10-01".into(),
                ok: "正常".into(),
                note: "补录".into(),
            },
        )
        .unwrap();
    assert_eq!(older.record.last_checked_on, Some(day("2022-12-01")));
    let (_, checks) = app.emergency_resource(&admin, t.record.id).unwrap();
    assert_eq!(checks.len(), 2);
    assert_eq!(app.todos(&town_a, 0).unwrap().resource_checks.len(), 1);

    // The ledger reads back with its coordinates and next check.
    let bytes = app.emergency_resource_ledger(&town_a).unwrap();
    let back = read_ledger_bytes("xlsx", &bytes).unwrap();
    assert_eq!(back.rows.len(), 3);
    assert!(
        back.rows
            .iter()
            .any(|(_, r)| r.contains(&"115.540000".to_string()))
    );
}

#[test]
fn a_resource_sheet_with_a_bad_row_writes_nothing() {
    let county = County::new();
    let app = &county.app;
    let town_a = county.caller("town_a");
    app.create_emergency_resource(
        &town_a,
        &ResourceDraft {
            kind: "储备库".into(),
            name: "临江镇应急物资储备点".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let sheet = |rows: &str| {
        let csv = format!(
            "类别,名称,所属乡镇（街道）,人数,专长（专业领域）,数量,单位,存放储备库,联系电话,经度,纬度\n{rows}"
        );
        read_table_bytes("csv", csv.as_bytes()).unwrap()
    };
    let bad = sheet(
        "救援队伍,临江镇防汛抢险队,临江镇,30,防汛抢险,,,,13807951234,115.5,28.1\n\
         装备物资,救生衣,临江镇,,,60,件,无此库,,,\n\
         避难场所,临江中心小学,永泰镇,,,,,,,,\n\
         冲锋舟,冲锋舟,临江镇,,,2,艘,,,,\n",
    );
    let report = app
        .import_emergency_resources(&town_a, &bad, ImportOptions::default())
        .unwrap();
    assert_eq!((report.total, report.valid, report.written), (4, 1, 0));
    let lines = report.lines().join("\n");
    assert!(
        lines.contains("第3行") && lines.contains("无此库"),
        "{lines}"
    );
    assert!(
        lines.contains("第4行") && lines.contains("永泰镇"),
        "{lines}"
    );
    assert!(lines.contains("第5行") && lines.contains("类别"), "{lines}");
    assert_eq!(
        app.emergency_resources(&town_a, None, None).unwrap().len(),
        1
    );
    let good = sheet(
        "救援队伍,临江镇防汛抢险队,临江镇,30,防汛抢险,,,,13807951234,115.5,28.1\n\
         装备物资,救生衣,临江镇,,,60,件,临江镇应急物资储备点,,,\n",
    );
    let report = app
        .import_emergency_resources(&town_a, &good, ImportOptions::default())
        .unwrap();
    assert_eq!(report.written, 2);
    let supplies = app
        .emergency_resources(&town_a, Some("物资"), None)
        .unwrap();
    assert_eq!(supplies[0].record.depot_name, "临江镇应急物资储备点");
}
