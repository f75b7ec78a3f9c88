//! Online monitoring end to end through the local Mosquitto (127.0.0.1:1883; `.ci/run`
//! starts it): readings published over MQTT open an alarm, raise its level and shorten its
//! acknowledgement limit; a malformed payload in the same stream is counted and the good
//! readings around it stored; a tailings pond's item is raised by the count of its points
//! (GB 50863-2013 5.5.4); the alarm is acknowledged and disposed of into a hazard, linked both
//! ways; hysteresis keeps it until the value is back past it; silent points raise 设备离线;
//! two instances on one store share the stream without storing a reading twice.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::monitoring::mqtt::{self, MqttConfig};
use anjian_app::monitoring::{AlarmQuery, DisposalInput, ObjectInput, PointInput};
use anjian_app::users::NewUser;
use anjian_app::{App, AppError, Caller};
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::monitoring::{AlarmTarget, Disposal, Level};
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rumqttc::{Client, MqttOptions, QoS};
use std::sync::Arc;
use std::time::Instant;

const COUNTY: &str = "360982000000";
const TOWN_A: &str = "360982100000";
const TOWN_B: &str = "360982101000";
const BROKER: &str = "mqtt://127.0.0.1:1883";

struct County {
    ts: TestStore,
    clock: Arc<FixedClock>,
    app: App,
    town: Caller,
    other_town: Caller,
    enterprise_id: i64,
}

fn start_of_test() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2022, 6, 21)
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap()
        .and_utc()
}

fn county(ts: TestStore) -> County {
    let clock = Arc::new(FixedClock::new(start_of_test()));
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
                    code: rc(TOWN_A),
                    name: "临江镇".into(),
                    parent_code: Some(rc(COUNTY)),
                },
                RegionInput {
                    code: rc(TOWN_B),
                    name: "永泰镇".into(),
                    parent_code: Some(rc(COUNTY)),
                },
            ],
        )
        .unwrap();
    ts.store
        .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
        .unwrap();
    let uscc = anjian_domain::uscc::Uscc::complete("91360982MA0000001")
        .unwrap()
        .to_string();
    let e = EnterpriseInput {
        name: "清江铜业有限公司".into(),
        uscc,
        region_code: TOWN_A.into(),
        address: "铜岭村".into(),
        sector: Some("mines".into()),
        ..Default::default()
    }
    .validate(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap())
    .unwrap();
    let enterprise_id = ts.store.create_enterprise(&ch, &e).unwrap();
    let mut ids = Vec::new();
    for (username, role, region) in [
        ("town_a", "township", TOWN_A),
        ("town_b", "township", TOWN_B),
    ] {
        ids.push(
            app.add_user_system(
                "test",
                &NewUser {
                    username: username.into(),
                    display_name: format!("{username}应急办"),
                    role: role.into(),
                    region_code: Some(region.into()),
                    password: Some("Passw0rd2022".into()),
                    active: true,
                    ..Default::default()
                },
            )
            .unwrap(),
        );
    }
    let caller = |id| {
        let u = ts.store.get_user(&Scope::system(), id).unwrap();
        app.caller_for(u, "test", "127.0.0.1").unwrap()
    };
    let (town, other_town) = (caller(ids[0]), caller(ids[1]));
    County {
        ts,
        clock,
        app,
        town,
        other_town,
        enterprise_id,
    }
}

fn point(kind: &str, name: &str, device: &str, direction: &str, t: [f64; 4], h: f64) -> PointInput {
    PointInput {
        kind: kind.into(),
        name: name.into(),
        device_id: device.into(),
        direction: direction.into(),
        blue: Some(t[0]),
        yellow: Some(t[1]),
        orange: Some(t[2]),
        red: Some(t[3]),
        hysteresis: Some(h),
        active: true,
        ..Default::default()
    }
}

/// A publisher to the local broker.
fn publisher(id: &str) -> Client {
    let mut o = MqttOptions::new(id, "127.0.0.1", 1883);
    o.set_keep_alive(std::time::Duration::from_secs(10));
    let (client, mut conn) = Client::new(o, 100);
    std::thread::spawn(move || for _ in conn.iter() {});
    client
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + std::time::Duration::from_secs(20);
    while Instant::now() < until {
        if done() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

fn reading(device: &str, at: DateTime<Utc>, value: f64) -> serde_json::Value {
    serde_json::json!({"device": device, "ts": at.to_rfc3339(), "value": value})
}

fn alarms(c: &County, object: i64) -> Vec<anjian_app::monitoring::AlarmView> {
    c.app
        .monitoring_alarms(
            &c.town,
            &AlarmQuery {
                object_id: Some(object),
                ..Default::default()
            },
        )
        .unwrap()
}

#[test]
fn readings_over_mqtt_open_raise_and_clear_alarms_that_become_hazards() {
    for ts in TestStore::all() {
        let backend = ts.name;
        let c = county(ts);
        let nonce = format!(
            "{}-{}-{backend}",
            std::process::id(),
            start_of_test().timestamp()
        );
        let pond = c
            .app
            .create_monitored_object(
                &c.town,
                &ObjectInput {
                    kind: "尾矿库".into(),
                    name: "铜岭尾矿库".into(),
                    enterprise_id: Some(c.enterprise_id),
                    offline_minutes: Some(30),
                    active: true,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(pond.region_code, TOWN_A, "the enterprise's place");
        let dev = |n: &str| format!("{nonce}-{n}");
        // A dry beach under its minimum, and the reservoir's level over its maximum.
        c.app
            .create_monitoring_point(
                &c.town,
                pond.id,
                &point(
                    "库水位",
                    "库水位计W1",
                    &dev("W1"),
                    "超上限",
                    [100.0, 101.0, 102.0, 103.0],
                    0.2,
                ),
            )
            .unwrap();
        for i in 1..=4 {
            c.app
                .create_monitoring_point(
                    &c.town,
                    pond.id,
                    &point(
                        "浸润线",
                        &format!("浸润线孔J{i}"),
                        &dev(&format!("J{i}")),
                        "低于下限",
                        [10.0, 8.0, 6.0, 4.0],
                        0.1,
                    ),
                )
                .unwrap();
        }
        // A device id already in use is refused on the field.
        let e = c
            .app
            .create_monitoring_point(
                &c.town,
                pond.id,
                &point(
                    "库水位",
                    "重复",
                    &dev("W1"),
                    "above",
                    [1.0, 2.0, 3.0, 4.0],
                    0.0,
                ),
            )
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Validation(v) if v.fields.contains_key("device_id")),
            "{e:?}"
        );
        // Thresholds out of order are refused naming the field.
        let e = c
            .app
            .create_monitoring_point(
                &c.town,
                pond.id,
                &point(
                    "库水位",
                    "乱序",
                    &dev("X"),
                    "above",
                    [1.0, 3.0, 2.0, 4.0],
                    0.0,
                ),
            )
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Validation(v) if v.fields.contains_key("orange")),
            "{e:?}"
        );

        let mut cfg = MqttConfig::new(BROKER, &format!("anjian-test-{nonce}"));
        cfg.topic = format!("t{nonce}/+/readings");
        cfg.group = Some(format!("g{nonce}"));
        let sub = mqtt::start(c.app.clone(), &cfg).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        let publ = publisher(&format!("pub-{nonce}"));
        let topic = format!("t{nonce}/gw1/readings");
        let t0 = start_of_test();
        let send = |body: String| {
            publ.publish(topic.clone(), QoS::AtLeastOnce, false, body.into_bytes())
                .unwrap();
        };
        // Normal values first, then a broken payload, then a batch with one bad element and
        // the water level at yellow, then orange.
        let normal: Vec<_> = ["W1", "J1", "J2", "J3", "J4"]
            .iter()
            .map(|d| reading(&dev(d), t0, if d.starts_with('W') { 99.0 } else { 12.0 }))
            .collect();
        send(serde_json::json!({ "gateway": "gw1", "readings": normal }).to_string());
        send("{not json".into());
        send(
            serde_json::json!([
                {"device": dev("J1"), "ts": (t0 + Duration::minutes(1)).to_rfc3339(), "value": "x"},
                reading(&dev("W1"), t0 + Duration::minutes(1), 101.5),
            ])
            .to_string(),
        );
        wait_for("the yellow alarm", || {
            alarms(&c, pond.id)
                .iter()
                .any(|a| a.alarm.target == AlarmTarget::Point && a.alarm.level == Level::Yellow)
        });
        let yellow = alarms(&c, pond.id).remove(0);
        assert_eq!(
            yellow.alarm.ack_due_at,
            anjian_store::ts(t0 + Duration::minutes(61)),
            "yellow: acknowledged within 60 minutes of the reading"
        );
        send(reading(&dev("W1"), t0 + Duration::minutes(2), 102.4).to_string());
        wait_for("the raise to orange", || {
            alarms(&c, pond.id)
                .iter()
                .any(|a| a.alarm.id == yellow.alarm.id && a.alarm.level == Level::Orange)
        });
        let d = c.app.monitoring_alarm(&c.town, yellow.alarm.id).unwrap();
        let kinds: Vec<_> = d
            .events
            .iter()
            .map(|e| (e.kind.as_str(), e.level.as_str()))
            .collect();
        assert_eq!(kinds, [("opened", "yellow"), ("raised", "orange")]);
        assert_eq!(d.view.alarm.first_level, Level::Yellow);
        assert_eq!(
            d.view.alarm.ack_due_at,
            anjian_store::ts(t0 + Duration::minutes(32)),
            "orange: 30 minutes from the raise"
        );
        assert_eq!(d.view.alarm.peak_value, Some(102.4));
        // The malformed payload and the bad element were counted; the good readings around
        // them are stored.
        let (refused, latest) = c.app.monitoring_rejects(&admin(&c)).unwrap();
        assert_eq!(refused, 2, "{latest:?}");
        assert!(
            latest
                .iter()
                .any(|r| r.device == dev("J1") && r.reason.contains("value")),
            "{latest:?}"
        );
        assert!(
            latest
                .iter()
                .any(|r| r.device.is_empty() && r.reason.contains("JSON")),
            "{latest:?}"
        );
        let detail = c.app.monitored_object(&c.town, pond.id).unwrap();
        let w1 = detail
            .points
            .iter()
            .find(|p| p.point.device_id == dev("W1"))
            .unwrap();
        let (_, rows) = c
            .app
            .point_readings(
                &c.town,
                w1.point.id,
                t0.timestamp_millis(),
                (t0 + Duration::hours(1)).timestamp_millis(),
            )
            .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.value).collect::<Vec<_>>(),
            [99.0, 101.5, 102.4]
        );
        assert_eq!(w1.level_label, "橙色预警");

        // Past its limit unacknowledged: overdue.
        c.clock.set(t0 + Duration::minutes(33));
        let v = c.app.monitoring_alarm(&c.town, yellow.alarm.id).unwrap();
        assert!(v.view.ack_overdue);
        // Another township sees nothing of it, as if it did not exist.
        assert!(matches!(
            c.app.monitoring_alarm(&c.other_town, yellow.alarm.id),
            Err(AppError::NotFound)
        ));
        let acked = c
            .app
            .acknowledge_alarm(&c.town, yellow.alarm.id, v.view.alarm.version)
            .unwrap();
        assert!(acked.view.alarm.acknowledged_at.is_some());
        assert!(!acked.view.ack_overdue);

        // GB 50863-2013 5.5.4: four phreatic-line points at blue make the item yellow.
        let blues: Vec<_> = (1..=4)
            .map(|i| reading(&dev(&format!("J{i}")), t0 + Duration::minutes(3), 9.5))
            .collect();
        send(serde_json::Value::Array(blues).to_string());
        wait_for("the item's escalation", || {
            alarms(&c, pond.id)
                .iter()
                .any(|a| a.alarm.target == AlarmTarget::Item && a.alarm.level == Level::Yellow)
        });
        let detail = c.app.monitored_object(&c.town, pond.id).unwrap();
        assert!(
            detail
                .items
                .contains(&("浸润线埋深".to_string(), "黄色预警".to_string())),
            "{:?}",
            detail.items
        );
        // A fifth blue: no new alarms (repeats fold into the open ones).
        let before = alarms(&c, pond.id).len();
        send(reading(&dev("J1"), t0 + Duration::minutes(4), 9.4).to_string());
        wait_for("the repeat to fold", || {
            alarms(&c, pond.id).iter().any(|a| {
                a.alarm.point_name.as_deref() == Some("浸润线孔J1") && a.alarm.repeats == 1
            })
        });
        assert_eq!(alarms(&c, pond.id).len(), before);

        // Disposed of into a hazard in one step, linked both ways.
        let v = c.app.monitoring_alarm(&c.town, yellow.alarm.id).unwrap();
        let e = c
            .app
            .dispose_alarm(
                &c.town,
                yellow.alarm.id,
                &DisposalInput {
                    disposal: "误报".into(),
                    note: "".into(),
                    version: v.view.alarm.version,
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Validation(x) if x.fields.contains_key("note")),
            "{e:?}"
        );
        let done = c
            .app
            .dispose_alarm(
                &c.town,
                yellow.alarm.id,
                &DisposalInput {
                    disposal: "转为隐患".into(),
                    note: "库水位超汛限，需降低库水位".into(),
                    version: v.view.alarm.version,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(done.view.alarm.disposal, Some(Disposal::Hazard));
        let hazard_id = done.view.alarm.hazard_id.unwrap();
        let (h, _) = c.app.get_hazard(&c.town, hazard_id).unwrap();
        assert!(
            h.hazard.description.contains("铜岭尾矿库"),
            "{}",
            h.hazard.description
        );
        assert_eq!(h.hazard.enterprise_id, Some(c.enterprise_id));
        assert_eq!(h.hazard.sector, "mines");
        let linked = c.app.alarms_of_hazard(&c.town, hazard_id).unwrap();
        assert_eq!(linked.len(), 1);
        assert_eq!(linked[0].alarm.id, yellow.alarm.id);
        let again = c.app.dispose_alarm(
            &c.town,
            yellow.alarm.id,
            &DisposalInput {
                disposal: "on_site".into(),
                note: "已开启排洪设施".into(),
                version: done.view.alarm.version,
                ..Default::default()
            },
        );
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");

        // Hysteresis: 99.9 is under blue (100) but within 0.2 of it: the alarm holds; 99.7
        // clears it.
        send(reading(&dev("W1"), t0 + Duration::minutes(5), 99.9).to_string());
        send(reading(&dev("W1"), t0 + Duration::minutes(6), 99.95).to_string());
        wait_for("the hovering readings", || {
            let (_, rows) = c
                .app
                .point_readings(&c.town, w1.point.id, 0, i64::MAX)
                .unwrap();
            rows.len() == 5
        });
        assert!(
            c.app
                .monitoring_alarm(&c.town, yellow.alarm.id)
                .unwrap()
                .view
                .alarm
                .active
        );
        send(reading(&dev("W1"), t0 + Duration::minutes(7), 99.7).to_string());
        wait_for("the clearing", || {
            !c.app
                .monitoring_alarm(&c.town, yellow.alarm.id)
                .unwrap()
                .view
                .alarm
                .active
        });
        let d = c.app.monitoring_alarm(&c.town, yellow.alarm.id).unwrap();
        assert_eq!(
            d.events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            // In time order: the readings of minutes 5 to 7 came before the acknowledgement
            // and the disposal at minute 33.
            [
                "opened",
                "raised",
                "lowered",
                "cleared",
                "acknowledged",
                "disposed"
            ]
        );

        // Silent for the object's 30 minutes: 设备离线, cleared by the next reading.
        c.clock.set(t0 + Duration::minutes(45));
        let run = c.app.run_monitoring_jobs(false).unwrap();
        assert_eq!(
            run.offline_opened, 5,
            "every point has been silent since t0+7 at most"
        );
        let run = c.app.run_monitoring_jobs(false).unwrap();
        assert_eq!(run.offline_opened, 0, "once");
        send(reading(&dev("W1"), t0 + Duration::minutes(46), 99.0).to_string());
        wait_for("the offline alarm to clear", || {
            alarms(&c, pond.id)
                .iter()
                .filter(|a| a.alarm.target == AlarmTarget::Offline && a.alarm.active)
                .count()
                == 4
        });

        // A gateway posting over HTTP as another township: its devices are unknown to it.
        let body = reading(&dev("W1"), t0 + Duration::minutes(47), 150.0).to_string();
        let r = c.app.post_readings(&c.other_town, body.as_bytes()).unwrap();
        assert_eq!(r.stored, 0);
        assert_eq!(r.rejected.len(), 1);
        let r = c.app.post_readings(&c.town, body.as_bytes()).unwrap();
        assert_eq!(
            (r.stored, r.alarms_opened.len()),
            (1, 1),
            "red, a new alarm"
        );
        let r = c.app.post_readings(&c.town, body.as_bytes()).unwrap();
        assert_eq!(
            (r.stored, r.duplicates, r.alarms_opened.len()),
            (0, 1, 0),
            "a repeat is a no-op"
        );

        // Two instances in one group share the stream: every reading stored once.
        let second = App::new(c.ts.store.clone(), c.clock.clone() as Arc<dyn Clock>);
        let mut cfg2 = cfg.clone();
        cfg2.client_id = format!("anjian-test-{nonce}-b");
        let sub2 = mqtt::start(second, &cfg2).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        for i in 0..60 {
            send(
                reading(
                    &dev("J2"),
                    t0 + Duration::minutes(50) + Duration::seconds(i),
                    12.0,
                )
                .to_string(),
            );
        }
        let j2 = detail
            .points
            .iter()
            .find(|p| p.point.device_id == dev("J2"))
            .unwrap()
            .point
            .id;
        let from = (t0 + Duration::minutes(50)).timestamp_millis();
        wait_for("the shared stream", || {
            c.app
                .point_readings(&c.town, j2, from, i64::MAX)
                .unwrap()
                .1
                .len()
                == 60
        });
        sub.stop();
        sub2.stop();
        let figures = c.app.monitoring_figures(&c.town, 2022).unwrap();
        assert_eq!(figures.ponds_monitored, 1);
        assert_eq!(figures.to_hazard, 1);
        assert_eq!(figures.offline, 5);
        assert!(figures.by_level[Level::Red.rank()] >= 1);
    }
}

fn admin(c: &County) -> Caller {
    let id = c
        .app
        .add_user_system(
            "test",
            &NewUser {
                username: format!("admin{}", c.clock.now().timestamp()),
                display_name: "安委办".into(),
                role: "admin".into(),
                region_code: Some(COUNTY.into()),
                password: Some("Passw0rd2022".into()),
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let u = c.ts.store.get_user(&Scope::system(), id).unwrap();
    c.app.caller_for(u, "test", "127.0.0.1").unwrap()
}
