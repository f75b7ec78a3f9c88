//! Online monitoring through the API and the pages: objects and points are kept by
//! regulators (422 naming the fields, 403 for an enterprise), a gateway's HTTP batch stores
//! the good readings and reports each bad one (a payload that is not JSON is 422, one over
//! 1 MB 413), an enterprise sees and acknowledges its own alarm and not another's (404 like a
//! missing one), a township disposes of it into a hazard whose page links back, the chart is
//! an SVG with its thresholds, and the pages show objects, alarms, the to-do and a refused
//! point form with what was typed.

use crate::helpers::*;
use anjian_domain::Clock;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn monitoring_objects_readings_and_alarms_through_the_api_and_the_pages() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let qiye = t.token("qiye").await;
    let r = t
        .call(
            "POST",
            "/api/v1/monitored-objects",
            Some(&admin),
            Some(json!({"kind": "水塔", "name": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("\"kind\"") && r.text().contains("\"name\""),
        "{}",
        r.text()
    );
    let body = json!({"kind": "储罐区", "name": "一号罐区", "enterprise_id": t.ids.a_haz});
    let r = t
        .call(
            "POST",
            "/api/v1/monitored-objects",
            Some(&qiye),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/monitored-objects",
            Some(&admin),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let object = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        r.json()["region_code"],
        VILLAGE_A1,
        "the enterprise's place"
    );
    let point = |device: &str, t: [f64; 4]| {
        json!({"kind": "可燃气体浓度", "name": format!("探头{device}"), "device_id": device,
               "direction": "超上限", "blue": t[0], "yellow": t[1], "orange": t[2], "red": t[3], "hysteresis": 1})
    };
    let r = t
        .call(
            "POST",
            &format!("/api/v1/monitored-objects/{object}/points"),
            Some(&admin),
            Some(point("G-1", [10.0, 25.0, 20.0, 50.0])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("\"orange\""), "{}", r.text());
    let r = t
        .call(
            "POST",
            &format!("/api/v1/monitored-objects/{object}/points"),
            Some(&admin),
            Some(point("G-1", [10.0, 20.0, 25.0, 50.0])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let point_id = r.json()["point"]["id"].as_i64().unwrap();
    assert_eq!(r.json()["point"]["unit"], "%LEL", "the kind's unit");
    // Another enterprise's object, in the other township.
    let r = t
        .call(
            "POST",
            "/api/v1/monitored-objects",
            Some(&admin),
            Some(json!({"kind": "tank_farm", "name": "永泰罐区", "enterprise_id": t.ids.b_haz})),
        )
        .await;
    let other = r.json()["id"].as_i64().unwrap();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/monitored-objects/{other}/points"),
            Some(&admin),
            Some(point("G-B", [10.0, 20.0, 25.0, 50.0])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // The gateway's batch, as the enterprise's account: a good reading past yellow, a bad
    // one, and another enterprise's device (unknown to it).
    let now = t.clock.now();
    let ts = |m: i64| (now - chrono::Duration::minutes(m)).to_rfc3339();
    let batch = json!({"gateway": "gw-1", "readings": [
        {"device": "G-1", "ts": ts(10), "value": 3.0},
        {"device": "G-1", "ts": ts(9), "value": "high"},
        {"device": "G-B", "ts": ts(9), "value": 30.0},
        {"device": "G-1", "ts": ts(8), "value": 21.5},
    ]});
    let r = t
        .raw(
            "POST",
            "/api/v1/monitoring/readings",
            Some(&qiye),
            "application/json",
            batch.to_string().into_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let rep = r.json();
    assert_eq!(rep["received"], 4);
    assert_eq!(rep["stored"], 2);
    let rejected: Vec<i64> = rep["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["index"].as_i64().unwrap())
        .collect();
    assert_eq!(rejected, [1, 2]);
    assert_eq!(rep["alarms_opened"].as_array().unwrap().len(), 1);
    let alarm = rep["alarms_opened"][0].as_i64().unwrap();
    let r = t
        .raw(
            "POST",
            "/api/v1/monitoring/readings",
            Some(&qiye),
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = t
        .raw(
            "POST",
            "/api/v1/monitoring/readings",
            Some(&qiye),
            "application/json",
            vec![b' '; (1 << 20) + 10],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());

    // The enterprise sees its alarm and not the other's object.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/monitoring-alarms/{alarm}"),
            Some(&qiye),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["view"]["alarm"]["level"], "yellow");
    assert_eq!(r.json()["view"]["level_label"], "黄色预警");
    let version = r.json()["view"]["alarm"]["version"].as_i64().unwrap();
    let r = t
        .call(
            "GET",
            &format!("/api/v1/monitored-objects/{other}"),
            Some(&qiye),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    // The township's to-do list has it until it is acknowledged.
    let (session, _) = t.web_login("town_a").await;
    let html = t.page("/todos", &session).await.text();
    assert!(
        html.contains("监测报警待签收") && html.contains(&format!("/monitoring/alarms/{alarm}")),
        "{html}"
    );
    let r = t
        .call(
            "POST",
            &format!("/api/v1/monitoring-alarms/{alarm}/acknowledge"),
            Some(&qiye),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let version = r.json()["view"]["alarm"]["version"].as_i64().unwrap();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/monitoring-alarms/{alarm}/acknowledge"),
            Some(&qiye),
            Some(json!({"version": version})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let html = t.page("/todos", &session).await.text();
    assert!(
        !html.contains("监测报警待签收"),
        "acknowledged: off the list"
    );

    // A false alarm needs its reason; the township turns it into a hazard instead.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/monitoring-alarms/{alarm}/disposal"),
            Some(&town),
            Some(json!({"disposal": "false_alarm", "note": "", "version": version})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("\"note\""), "{}", r.text());
    let r = t
        .call(
            "POST",
            &format!("/api/v1/monitoring-alarms/{alarm}/disposal"),
            Some(&town),
            Some(json!({"disposal": "转为隐患", "note": "罐区法兰泄漏", "version": version})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let hazard = r.json()["view"]["alarm"]["hazard_id"].as_i64().unwrap();
    let r = t
        .call(
            "GET",
            &format!("/api/v1/hazards/{hazard}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("一号罐区"), "{}", r.text());
    let html = t.page(&format!("/hazards/{hazard}"), &session).await.text();
    assert!(
        html.contains("来自在线监测报警") && html.contains(&format!("/monitoring/alarms/{alarm}")),
        "{html}"
    );

    // The chart.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/monitoring-points/{point_id}/chart.svg?days=1"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let svg = r.text();
    assert!(
        svg.starts_with("<svg") && svg.contains("class=\"series\""),
        "{svg}"
    );
    assert_eq!(svg.matches("class=\"threshold").count(), 4);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/monitoring-points/{point_id}/chart.svg?days=0"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    // Pages.
    let html = t.page("/monitoring", &session).await.text();
    assert!(
        html.contains("一号罐区") && !html.contains("永泰罐区"),
        "{html}"
    );
    let html = t
        .page(&format!("/monitoring/objects/{object}"), &session)
        .await
        .text();
    assert!(
        html.contains("<svg") && html.contains("探头G-1") && html.contains("转为隐患"),
        "{html}"
    );
    let html = t.page("/monitoring/alarms?all=1", &session).await.text();
    assert!(
        html.contains(&format!("/monitoring/alarms/{alarm}")),
        "{html}"
    );
    let html = t
        .page(&format!("/monitoring/alarms/{alarm}"), &session)
        .await
        .text();
    assert!(
        html.contains("经过")
            && html.contains("签收")
            && html.contains(&format!("/hazards/{hazard}")),
        "{html}"
    );
    // A refused point form comes back with what was typed.
    let (admin_session, csrf) = t.web_login("admin").await;
    let r = t
        .form(
            &format!("/monitoring/objects/{object}/points"),
            &admin_session,
            &[
                ("_csrf", csrf.as_str()),
                ("kind", "temperature"),
                ("name", "罐顶温度计"),
                ("device_id", "T-9"),
                ("direction", "above"),
                ("blue", "40"),
                ("yellow", "abc"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("黄色预警值应为数字")
            && html.contains("罐顶温度计")
            && html.contains("value=\"abc\""),
        "{html}"
    );

    // The rules: the 安委办's, checked.
    let r = t
        .call(
            "PUT",
            "/api/v1/monitoring-settings",
            Some(&town),
            Some(json!({"ack_minutes": {"blue": 240, "yellow": 60, "orange": 30, "red": 15},
                        "escalation": {"points": {"to_yellow": 4, "to_orange": 3, "to_red": 2}, "items": {"to_yellow": 4, "to_orange": 3, "to_red": 2}},
                        "offline_level": "yellow"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = t
        .call(
            "PUT",
            "/api/v1/monitoring-settings",
            Some(&admin),
            Some(json!({"ack_minutes": {"blue": 240, "yellow": 60, "orange": 30, "red": 45},
                        "escalation": {"points": {"to_yellow": 0, "to_orange": 3, "to_red": 2}, "items": {"to_yellow": 4, "to_orange": 3, "to_red": 2}},
                        "offline_level": null})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("ack_minutes.red") && r.text().contains("escalation.points.to_yellow"),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "GET",
            "/api/v1/monitoring-figures?year=2022",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}
