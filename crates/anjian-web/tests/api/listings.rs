//! 挂牌督办 through the API, across a year boundary.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn step(t: &TestApp, token: &str, id: i64, body: Value) -> crate::helpers::Resp {
    t.call(
        "POST",
        &format!("/api/v1/listings/{id}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn listing_to_delisting_carried_over_into_the_next_year() {
    let t = spawn();
    // Start in December 2021.
    t.clock.set(
        chrono::DateTime::parse_from_rfc3339("2021-12-01T02:00:00Z")
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_default(),
    );
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let admin = t.token("admin").await;
    let ent = t.token("qiye").await;
    let body = json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "major", "source": "inspection",
        "description": "储罐区防火堤破损", "found_on": "2021-11-20"});
    let hid = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body))
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    // A general hazard cannot be listed; enterprises cannot propose.
    let r = t
        .call(
            "POST",
            "/api/v1/listings",
            Some(&ent),
            Some(json!({"hazard_id": hid, "title": "x", "deadline": "2022-03-31"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.call("POST", "/api/v1/listings", Some(&yj), Some(json!({"hazard_id": hid, "title": "储罐区防火堤破损挂牌督办", "deadline": "2022-03-31"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    assert_eq!(r.json()["state"], "proposed");
    assert_eq!(r.json()["responsible_unit"], "测试企业1有限公司");
    // Only the 安委办 approves and lists; listing needs its document number and announcement.
    assert_eq!(
        step(&t, &yj, id, json!({"action": "approve"})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(&t, &admin, id, json!({"action": "approve"}))
            .await
            .json()["state"],
        "approved"
    );
    let r = step(&t, &admin, id, json!({"action": "list"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    assert!(
        f["doc_no"].is_array() && f["announced_on"].is_array() && f["channel"].is_array(),
        "{f}"
    );
    let r = step(&t, &admin, id, json!({"action": "list", "doc_no": "清安委督〔2021〕3号", "announced_on": "2021-12-03", "channel": "市政府网站"})).await;
    assert_eq!(r.json()["state"], "listed");
    // Into 2022: an extension, then de-listing.
    t.clock.set(
        chrono::DateTime::parse_from_rfc3339("2022-03-20T02:00:00Z")
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_default(),
    );
    let admin = t.token("admin").await;
    let ent = t.token("qiye").await;
    let yj = t.token("yingji").await;
    let r = step(
        &t,
        &admin,
        id,
        json!({"action": "extend", "deadline": "2022-05-31", "note": "设备供货周期长"}),
    )
    .await;
    assert_eq!(
        (
            r.json()["deadline"].as_str(),
            r.json()["extensions"].as_i64()
        ),
        (Some("2022-05-31"), Some(1))
    );
    assert_eq!(r.json()["carried_over"], true);
    assert_eq!(
        step(&t, &ent, id, json!({"action": "request_delist"}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        step(
            &t,
            &ent,
            id,
            json!({"action": "request_delist", "note": "整改完成，评估报告已提交"})
        )
        .await
        .json()["state"],
        "delist_requested"
    );
    assert_eq!(
        step(
            &t,
            &yj,
            id,
            json!({"action": "reject", "note": "防火堤高度不足"})
        )
        .await
        .json()["state"],
        "listed"
    );
    assert_eq!(
        step(
            &t,
            &ent,
            id,
            json!({"action": "request_delist", "note": "已加高"})
        )
        .await
        .json()["state"],
        "delist_requested"
    );
    assert_eq!(
        step(&t, &yj, id, json!({"action": "verify"})).await.json()["state"],
        "verified"
    );
    let r = step(
        &t,
        &admin,
        id,
        json!({"action": "delist", "announced_on": "2022-04-02", "channel": "市政府网站"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["state"], "delisted");
    // 2022: nothing listed, one de-listed, carried over from 2021; 2021: one listed, open at year end.
    let f = t
        .call(
            "GET",
            "/api/v1/listings/figures?year=2022",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(
        f["figures"],
        json!({"listed": 0, "delisted": 1, "delisted_carried_over": 1, "open_at_year_end": 0})
    );
    let f = t
        .call(
            "GET",
            "/api/v1/listings/figures?year=2021",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(
        f["figures"],
        json!({"listed": 1, "delisted": 0, "delisted_carried_over": 0, "open_at_year_end": 1})
    );
    let items = t
        .call("GET", "/api/v1/listings?year=2022", Some(&admin), None)
        .await
        .json();
    assert_eq!(items["items"].as_array().map(Vec::len), Some(1));
    let d = t
        .call("GET", &format!("/api/v1/listings/{id}"), Some(&admin), None)
        .await
        .json();
    assert_eq!(d["events"].as_array().map(Vec::len), Some(9));
    // Outside the scope it does not exist.
    let other = t.token("paizhu").await;
    assert_eq!(
        t.call("GET", &format!("/api/v1/listings/{id}"), Some(&other), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
