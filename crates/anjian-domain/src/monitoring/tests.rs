use super::*;
use chrono::{TimeZone, Utc};

fn above(b: f64, y: f64, o: f64, r: f64, h: f64) -> Thresholds {
    Thresholds {
        direction: Direction::Above,
        blue: Some(b),
        yellow: Some(y),
        orange: Some(o),
        red: Some(r),
        hysteresis: h,
    }
}

use Level::{Blue as B, Orange as O, Red as R, Yellow as Y};

#[test]
fn threshold_levels_above_are_half_open_at_each_threshold() {
    let th = above(10.0, 20.0, 30.0, 40.0, 0.0);
    for (value, want) in [
        (9.99, None),
        (10.0, Some(B)),
        (19.99, Some(B)),
        (20.0, Some(Y)),
        (30.0, Some(O)),
        (39.9, Some(O)),
        (40.0, Some(R)),
        (1e9, Some(R)),
        (-5.0, None),
    ] {
        assert_eq!(level_of(&th, value, None), want, "value {value}");
    }
}

#[test]
fn threshold_levels_below_count_under_the_threshold() {
    // A dry beach's minimum length: blue under 120 m … red under 70 m.
    let th = Thresholds {
        direction: Direction::Below,
        blue: Some(120.0),
        yellow: Some(100.0),
        orange: Some(85.0),
        red: Some(70.0),
        hysteresis: 0.0,
    };
    for (value, want) in [
        (130.0, None),
        (120.0, None),
        (119.9, Some(B)),
        (100.0, Some(B)),
        (99.0, Some(Y)),
        (84.0, Some(O)),
        (69.0, Some(R)),
    ] {
        assert_eq!(level_of(&th, value, None), want, "value {value}");
    }
}

#[test]
fn hysteresis_keeps_a_level_until_the_value_is_back_past_it() {
    let th = above(10.0, 20.0, 30.0, 40.0, 1.0);
    // (value, level now, level after)
    for (value, now, want) in [
        (19.5, Some(Y), Some(Y)), // within 1.0 under yellow: kept
        (19.0, Some(Y), Some(Y)), // exactly at t - h: still kept (half-open)
        (18.9, Some(Y), Some(B)), // back past the hysteresis: down to blue
        (19.5, Some(B), Some(B)), // not yet at yellow: not entered from below
        (20.0, Some(B), Some(Y)),
        (9.5, Some(B), Some(B)),
        (8.9, Some(B), None),
        (9.5, None, None),        // never entered from normal within the slack
        (35.0, Some(R), Some(O)), // back past red's 39: orange, still above its 29
        (0.0, Some(R), None),
    ] {
        assert_eq!(
            level_of(&th, value, now),
            want,
            "value {value} from {now:?}"
        );
    }
}

#[test]
fn hysteresis_stops_a_value_hovering_at_a_threshold_from_flapping() {
    let th = above(10.0, 20.0, 30.0, 40.0, 0.5);
    let mut level = None;
    let mut changes = 0;
    for v in [19.8, 20.1, 19.9, 20.2, 19.7, 20.0, 19.6, 20.3] {
        let next = level_of(&th, v, level);
        if next != level {
            changes += 1;
        }
        level = next;
    }
    assert_eq!(level, Some(Y));
    assert_eq!(changes, 2, "normal → blue → yellow, then steady");
}

#[test]
fn unset_thresholds_are_skipped_and_non_finite_values_change_nothing() {
    let th = Thresholds {
        direction: Direction::Above,
        blue: None,
        yellow: None,
        orange: Some(5.0),
        red: Some(8.0),
        hysteresis: 0.0,
    };
    assert_eq!(level_of(&th, 6.0, None), Some(O));
    assert_eq!(level_of(&th, 4.0, None), None);
    assert_eq!(level_of(&th, f64::NAN, Some(R)), Some(R));
}

#[test]
fn thresholds_must_be_ordered_in_the_direction_of_danger() {
    assert!(above(1.0, 2.0, 3.0, 4.0, 0.5).check().is_ok());
    let e = above(1.0, 3.0, 2.0, 4.0, 0.0).check().unwrap_err();
    assert!(
        e.summary().contains("橙色预警值应高于黄色预警值"),
        "{}",
        e.summary()
    );
    let e = above(1.0, 2.0, 3.0, 4.0, 1.0).check().unwrap_err();
    assert!(e.summary().contains("回差"), "{}", e.summary());
    let mut below = above(4.0, 3.0, 2.0, 1.0, 0.0);
    below.direction = Direction::Below;
    assert!(below.check().is_ok());
    let none = Thresholds {
        direction: Direction::Above,
        blue: None,
        yellow: None,
        orange: None,
        red: None,
        hysteresis: 0.0,
    };
    assert!(none.check().is_err());
    assert!(above(1.0, 2.0, 3.0, f64::INFINITY, 0.0).check().is_err());
    assert!(above(1.0, 2.0, 3.0, 4.0, -0.1).check().is_err());
}

#[test]
fn gb50863_5_5_4_points_raise_their_item() {
    let e = Escalation::default();
    // (points' levels, item's level)
    let table: &[(&[Option<Level>], Option<Level>)] = &[
        (&[], None),
        (&[None, None], None),
        (&[Some(B), Some(B), Some(B)], Some(B)),
        (&[Some(B), Some(B), Some(B), Some(B)], Some(Y)), // 4 blue → yellow
        (&[Some(B), Some(B), Some(Y), Some(B)], Some(Y)), // a yellow counts as blue or above
        (&[Some(Y), Some(Y)], Some(Y)),
        (&[Some(Y), Some(Y), Some(Y)], Some(O)), // 3 yellow → orange
        (&[Some(Y), Some(O), Some(Y)], Some(O)),
        (&[Some(O)], Some(O)),
        (&[Some(O), Some(O)], Some(R)), // 2 orange → red
        (&[Some(R), None], Some(R)),
        (&[Some(O), Some(R)], Some(R)),
        (&[Some(B), Some(B), Some(B), Some(B), Some(O)], Some(O)),
    ];
    for (points, want) in table {
        assert_eq!(item_level(points, &e), *want, "points {points:?}");
    }
}

#[test]
fn gb50863_5_5_4_items_raise_the_pond_with_configurable_counts() {
    let e = Escalation::default();
    assert_eq!(pond_level(&[Some(Y), None, Some(B)], &e), Some(Y));
    assert_eq!(pond_level(&[Some(B); 4], &e), Some(Y));
    assert_eq!(pond_level(&[Some(Y), Some(Y), Some(O)], &e), Some(O));
    assert_eq!(pond_level(&[Some(O), Some(O)], &e), Some(R));
    // A county that raises at 2 blues.
    let strict = Escalation {
        points: EscalationCounts {
            to_yellow: 2,
            to_orange: 2,
            to_red: 2,
        },
        items: EscalationCounts::default(),
    };
    assert_eq!(item_level(&[Some(B), Some(B)], &strict), Some(Y));
    assert_eq!(item_level(&[Some(B), Some(B)], &e), Some(B));
    let bad = Escalation {
        points: EscalationCounts {
            to_yellow: 0,
            to_orange: 3,
            to_red: 2,
        },
        items: EscalationCounts::default(),
    };
    assert!(bad.check().unwrap_err().summary().contains("升级个数"));
}

#[test]
fn acknowledgement_limits_shorten_with_the_level() {
    assert!(AckMinutes::default().check().is_ok());
    assert_eq!(AckMinutes::default().of(R), 15);
    let wrong = AckMinutes {
        blue: 60,
        yellow: 60,
        orange: 90,
        red: 15,
    };
    assert!(wrong.check().is_err());
    let zero = AckMinutes {
        red: 0,
        ..AckMinutes::default()
    };
    assert!(zero.check().is_err());
}

#[test]
fn disposals_need_their_reason_or_measures() {
    assert!(check_disposal(Disposal::FalseAlarm, "").is_err());
    assert!(check_disposal(Disposal::FalseAlarm, "传感器校准漂移").is_ok());
    assert!(check_disposal(Disposal::OnSite, "已开").is_err());
    assert!(check_disposal(Disposal::Hazard, "").is_ok());
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 6, 21, 4, 0, 0).unwrap()
}

#[test]
fn payloads_single_batch_and_array_are_read() {
    let (good, bad) = parse_payload(
        br#"{"device":"WK1-SW-01","ts":"2022-06-21T12:00:00+08:00","value":215.3}"#,
        now(),
    );
    assert!(bad.is_empty());
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].ts_ms, now().timestamp_millis());
    assert_eq!(good[0].quality, 0);
    let (good, bad) = parse_payload(
        br#"{"gateway":"g1","readings":[{"device":"a","ts":1655784000,"value":1},{"device":"b","ts":1655784000000,"value":2.5,"quality":1}]}"#,
        now(),
    );
    assert!(bad.is_empty());
    assert_eq!(good.len(), 2);
    assert_eq!(good[0].ts_ms, good[1].ts_ms);
    let (good, _) = parse_payload(br#"[{"device":"a","value":1}]"#, now());
    assert_eq!(
        good[0].ts_ms,
        now().timestamp_millis(),
        "no ts: time of receipt"
    );
}

#[test]
fn payloads_bad_elements_are_reported_and_the_good_kept() {
    let (good, bad) = parse_payload(
        br#"[{"device":"a","value":1},{"device":"b","value":"x"},{"value":3},{"device":"c d","value":1},{"device":"e","value":1,"ts":"2030-01-01T00:00:00Z"},{"device":"f","value":1,"quality":7},{"device":"g","value":2}]"#,
        now(),
    );
    assert_eq!(
        good.iter().map(|r| r.device.as_str()).collect::<Vec<_>>(),
        ["a", "g"]
    );
    let reasons: Vec<(Option<usize>, Option<&str>)> =
        bad.iter().map(|e| (e.index, e.device.as_deref())).collect();
    assert_eq!(
        reasons,
        [
            (Some(1), Some("b")),
            (Some(2), None),
            (Some(3), Some("c d")),
            (Some(4), Some("e")),
            (Some(5), Some("f")),
        ]
    );
    let (good, bad) = parse_payload(b"{not json", now());
    assert!(good.is_empty());
    assert_eq!(bad[0].index, None);
    let big = vec![b' '; MAX_PAYLOAD + 1];
    let (_, bad) = parse_payload(&big, now());
    assert!(bad[0].reason.contains("字节"));
}

#[test]
fn device_ids_are_plain() {
    assert!(is_device_id("WK1-SW-01"));
    assert!(is_device_id("gw/3:7"));
    assert!(!is_device_id(""));
    assert!(!is_device_id("a b"));
    assert!(!is_device_id(&"x".repeat(65)));
}
