//! 双随机 draws through the API: commit, draw, verify, publicity and its time limit, recusal.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

pub async fn me_dept(t: &TestApp, token: &str) -> i64 {
    t.call("GET", "/api/v1/me", Some(token), None).await.json()["department_id"]
        .as_i64()
        .unwrap_or_default()
}

#[tokio::test]
async fn draw_commit_reveal_verify_publish() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yj = t.token("yingji").await;
    let dept = me_dept(&t, &yj).await;
    assert!(dept > 0);
    // Two more certified inspectors, so teams of two can be formed around a recusal.
    let mut ids = Vec::new();
    for n in ["zhifa2", "zhifa3"] {
        let r = t
            .call(
                "POST",
                "/api/v1/users",
                Some(&admin),
                Some(json!({"username": n, "display_name": n, "role": "inspector", "password": "Abc12345678", "department_id": dept})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.push(r.json()["id"].as_i64().unwrap_or_default());
    }
    let e = t.ids.a_haz;
    let r = t
        .call(
            "POST",
            "/api/v1/inspector-conflicts",
            Some(&yj),
            Some(json!({"user_id": ids[0], "enterprise_id": e, "reason": "近亲属在该企业任职"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    let request = json!({"title": "危化企业随机抽查", "strata": [{"name": "危化", "sector": "hazchem", "quota": 2}], "team_size": 2});
    // Inspectors and townships do not organise draws; bad input names its fields.
    let zhifa = t.token("zhifa").await;
    let r = t
        .call("POST", "/api/v1/draws", Some(&zhifa), Some(request.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "POST",
            "/api/v1/draws",
            Some(&yj),
            Some(json!({"title": "", "strata": [{"name": "危化", "sector": "hazchem", "quota": 5, "risk_grades": ["purple"]}], "team_size": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = &r.json()["fields"];
    assert!(
        f["title"].is_array() && f["team_size"].is_array() && f["strata[0].risk_grades"].is_array(),
        "{f}"
    );
    let r = t
        .call("POST", "/api/v1/draws", Some(&yj), Some(json!({"title": "x", "strata": [{"name": "危化", "sector": "hazchem", "quota": 3}]})))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only two hazchem enterprises: {}",
        r.text()
    );

    let r = t
        .call("POST", "/api/v1/draws", Some(&yj), Some(request))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let d = r.json();
    let id = d["id"].as_i64().unwrap_or_default();
    assert_eq!(d["status"], "committed");
    assert!(
        d["secret"].is_null(),
        "the secret stays hidden until the draw"
    );
    assert_eq!(d["commitment"].as_str().map(str::len), Some(64));
    let inputs: Value =
        serde_json::from_str(d["inputs"].as_str().unwrap_or("{}")).unwrap_or_default();
    assert_eq!(
        inputs["strata"][0]["pool"],
        json!([t.ids.a_haz, t.ids.b_haz])
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/draws/{id}/verify"),
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "nothing to verify before the draw"
    );

    let r = t
        .call(
            "POST",
            &format!("/api/v1/draws/{id}/draw"),
            Some(&yj),
            Some(json!({"entropy": "2022-06-01 福彩3D 517"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = r.json();
    assert_eq!(d["status"], "drawn");
    assert_eq!(
        d["publish_due"], "2022-06-30",
        "20 working days (端午 2022-06-03 off)"
    );
    let secret = d["secret"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        anjian_domain::draw::commitment(&secret),
        d["commitment"].as_str().unwrap_or_default()
    );
    let tasks = d["tasks"].as_array().cloned().unwrap_or_default();
    assert_eq!(tasks.len(), 2);
    for task in &tasks {
        let team: Vec<i64> =
            serde_json::from_str(task["inspectors"].as_str().unwrap_or("[]")).unwrap_or_default();
        assert_eq!(team.len(), 2);
        if task["enterprise_id"] == json!(e) {
            assert!(!team.contains(&ids[0]), "recused inspector drawn: {task}");
        }
    }
    let r = t
        .call(
            "POST",
            &format!("/api/v1/draws/{id}/draw"),
            Some(&yj),
            Some(json!({"entropy": "再抽一次"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "no re-draw");
    let r = t
        .call(
            "GET",
            &format!("/api/v1/draws/{id}/verify"),
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.json()["match"], true, "{}", r.text());

    // Publicity: overdue once the due day has passed without it.
    t.clock.advance(chrono::Duration::days(30));
    let yj = t.token("yingji").await; // sessions expire meanwhile
    let r = t
        .call("GET", &format!("/api/v1/draws/{id}"), Some(&yj), None)
        .await;
    assert_eq!(r.json()["publish_overdue"], true);
    let r = t
        .call(
            "POST",
            &format!("/api/v1/draws/{id}/publish"),
            Some(&yj),
            Some(json!({"published_on": "2022-05-31", "published_where": "政府网站"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call("POST", &format!("/api/v1/draws/{id}/publish"), Some(&yj), Some(json!({"published_on": "2022-06-20", "published_where": "国家企业信用信息公示系统"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["publish_overdue"], false);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/draws/{id}/publicity"),
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));

    // Enterprises and other townships see no draws.
    let qiye = t.token("qiye").await;
    let r = t
        .call("GET", &format!("/api/v1/draws/{id}"), Some(&qiye), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.call("GET", "/api/v1/draws", Some(&qiye), None).await;
    assert_eq!(r.json()["items"], json!([]));

    let r = t.call("GET", "/api/v1/draws/export", Some(&yj), None).await;
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(table.rows.len(), 2, "one row per task");
    assert!(
        table
            .rows
            .iter()
            .all(|(_, c)| c[4] == "2022-06-20" && !c[8].is_empty())
    );
}
