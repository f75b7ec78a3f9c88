//! Hazards and the calendar through the API.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn hazard_json(
    enterprise: Option<i64>,
    region: &str,
    sector: &str,
    level: &str,
    source: &str,
) -> Value {
    json!({
        "enterprise_id": enterprise, "region_code": region, "sector": sector, "level": level, "source": source,
        "description": "储罐区可燃气体报警器失效", "found_on": "2022-05-20", "deadline": "2022-06-10"
    })
}

async fn act(t: &TestApp, token: &str, id: i64, body: Value) -> crate::helpers::Resp {
    t.call(
        "POST",
        &format!("/api/v1/hazards/{id}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn calendar_contract() {
    let t = spawn();
    let token = t.token("leader").await;
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-09-29&days=5",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["date"], "2022-10-11");
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-calendar-days?from=2022-01-28&days=7",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.json()["date"], "2022-02-07");
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-02-30&days=5",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["from"].is_array());
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-09-29&days=-1",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Admins edit a year; others may not.
    let days = json!({"days": [{"date": "2022-10-03", "kind": "holiday", "name": "国庆节"}]});
    assert_eq!(
        t.call(
            "PUT",
            "/api/v1/calendar/2022",
            Some(&token),
            Some(days.clone())
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let admin = t.token("admin").await;
    let r = t
        .call("PUT", "/api/v1/calendar/2022", Some(&admin), Some(days))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // With only 10-03 off in 2022, 5 working days from 09-29 end on 10-07.
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-09-29&days=5",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.json()["date"], "2022-10-07");
    let bad = json!({"days": [{"date": "2021-05-01", "kind": "holiday"}, {"date": "2022-10-01", "kind": "party"}]});
    let r = t
        .call("PUT", "/api/v1/calendar/2022", Some(&admin), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    assert!(
        f["days[0].date"].is_array() && f["days[1].kind"].is_array(),
        "{f}"
    );
}

#[tokio::test]
async fn hazard_contract_and_closed_loop() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let ent = t.token("qiye").await;
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(hazard_json(
                Some(t.ids.a_haz),
                VILLAGE_A1,
                "hazchem",
                "general",
                "inspection",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let h = r.json();
    let id = h["id"].as_i64().unwrap_or_default();
    assert_eq!(h["status"], "registered");
    assert_eq!(
        h["allowed_actions"],
        json!(["order", "fix_on_site", "note"])
    );
    // The enterprise cannot order; the inspector orders with a deadline in working days.
    assert_eq!(
        act(
            &t,
            &ent,
            id,
            json!({"action": "order", "deadline": "2022-06-20"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = act(
        &t,
        &insp,
        id,
        json!({"action": "order", "deadline_days": 5, "deadline_basis": "working_days"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "ordered");
    assert_eq!(r.json()["deadline"], "2022-06-09"); // 2022-06-01 (fixed clock) + 5 working days; 06-03 is 端午
    assert_eq!(r.json()["deadline_basis"], "working_days");
    // Wrong-state actions are 409 with a Chinese message.
    let r = act(&t, &insp, id, json!({"action": "pass"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("复查合格销号"))
    );
    assert_eq!(
        act(&t, &ent, id, json!({"action": "start"})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        act(
            &t,
            &ent,
            id,
            json!({"action": "report", "note": "已更换报警器", "funds_spent": 12000})
        )
        .await
        .status,
        StatusCode::OK
    );
    let r = act(&t, &insp, id, json!({"action": "reject"})).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    assert!(r.json()["fields"]["note"].is_array());
    assert_eq!(
        act(
            &t,
            &insp,
            id,
            json!({"action": "reject", "note": "报警器未联动"})
        )
        .await
        .json()["status"],
        "rectifying"
    );
    assert_eq!(
        act(&t, &ent, id, json!({"action": "report", "note": "已联动"}))
            .await
            .json()["status"],
        "reported"
    );
    let r = act(&t, &insp, id, json!({"action": "pass", "version": 1})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "stale version");
    let r = act(&t, &insp, id, json!({"action": "pass"})).await;
    assert_eq!(r.json()["status"], "closed");
    assert_eq!(r.json()["closed_on"], "2022-06-01");
    let d = t
        .call("GET", &format!("/api/v1/hazards/{id}"), Some(&insp), None)
        .await
        .json();
    let actions: Vec<&str> = d["events"]
        .as_array()
        .map(|v| v.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        actions,
        vec![
            "create", "order", "start", "report", "reject", "report", "pass"
        ]
    );
    assert_eq!(d["allowed_actions"], json!([]));
}

#[tokio::test]
async fn overdue_follows_the_clock_and_scope() {
    let t = spawn();
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&town),
            Some(hazard_json(
                None,
                VILLAGE_A1,
                "fire",
                "general",
                "public_report",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    // Township A may not register in township B.
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&town),
            Some(hazard_json(
                None,
                VILLAGE_B1,
                "fire",
                "general",
                "public_report",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let count = |v: Value| v["items"].as_array().map(Vec::len).unwrap_or(0);
    let admin = t.token("admin").await;
    assert_eq!(
        count(
            t.call("GET", "/api/v1/hazards?overdue=true", Some(&admin), None)
                .await
                .json()
        ),
        0
    );
    t.clock.advance(chrono::Duration::days(9)); // 2022-06-10: the deadline day itself
    assert_eq!(
        count(
            t.call("GET", "/api/v1/hazards?overdue=true", Some(&admin), None)
                .await
                .json()
        ),
        0
    );
    t.clock.advance(chrono::Duration::days(1)); // 2022-06-11 (API tokens last 7 days: log in again)
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let j = t
        .call("GET", "/api/v1/hazards?overdue=true", Some(&admin), None)
        .await
        .json();
    assert_eq!(count(j.clone()), 1);
    assert_eq!(j["items"][0]["overdue"], true);
    // Public hazard: the township rectifies and the loop closes; overdue disappears.
    for a in [
        json!({"action": "order", "deadline": "2022-06-30"}),
        json!({"action": "start"}),
        json!({"action": "report"}),
        json!({"action": "pass"}),
    ] {
        let r = act(&t, &town, id, a).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    assert_eq!(
        count(
            t.call("GET", "/api/v1/hazards?overdue=true", Some(&admin), None)
                .await
                .json()
        ),
        0
    );
    // Others do not see township A's hazard.
    let qiye = t.token("qiye").await;
    assert_eq!(
        t.call("GET", &format!("/api/v1/hazards/{id}"), Some(&qiye), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let csv = t
        .call(
            "GET",
            "/api/v1/hazards/export?format=csv",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().contains("储罐区可燃气体报警器失效") && csv.text().contains("已销号"));
}

#[tokio::test]
async fn hazard_input_errors_name_the_field() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let mut body = hazard_json(Some(t.ids.a_haz), VILLAGE_A1, "hazchem", "severe", "rumour");
    body["found_on"] = json!("2030-01-01");
    body["deadline"] = json!("2022-13-01");
    let r = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    for k in ["level", "source", "found_on"] {
        assert!(f[k].is_array(), "{k}: {f}");
    }
    // Enterprises register self-check hazards of their own enterprise only.
    let ent = t.token("qiye").await;
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&ent),
            Some(hazard_json(
                Some(t.ids.a_haz),
                VILLAGE_A1,
                "hazchem",
                "general",
                "inspection",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["source"].is_array());
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&ent),
            Some(hazard_json(
                Some(t.ids.a_haz),
                VILLAGE_A1,
                "hazchem",
                "general",
                "self_check",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // The leader is read-only.
    let leader = t.token("leader").await;
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&leader),
            Some(hazard_json(None, VILLAGE_A1, "fire", "general", "media")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn todos_and_the_daily_reminders() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let ent = t.token("qiye").await;
    let h = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(hazard_json(
                Some(t.ids.a_haz),
                VILLAGE_A1,
                "hazchem",
                "general",
                "inspection",
            )),
        )
        .await
        .json();
    let id = h["id"].as_i64().unwrap_or_default();
    // The inspector's to-do: order it. The enterprise has nothing to do yet.
    let todo = t
        .call("GET", "/api/v1/todos", Some(&insp), None)
        .await
        .json();
    assert_eq!(todo["awaiting"][0]["id"], id, "{todo}");
    let todo = t
        .call("GET", "/api/v1/todos", Some(&ent), None)
        .await
        .json();
    assert_eq!(todo["awaiting"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        act(
            &t,
            &insp,
            id,
            json!({"action": "order", "deadline": "2022-06-04"})
        )
        .await
        .status,
        StatusCode::OK
    );
    let todo = t
        .call("GET", "/api/v1/todos", Some(&ent), None)
        .await
        .json();
    assert_eq!(todo["awaiting"][0]["id"], id);
    assert_eq!(todo["due_soon"][0]["id"], id, "due within 3 days");
    // 2022-06-01 is 3 days before the deadline: one due-soon notice, written once.
    let admin = t.token("admin").await;
    let r = t
        .call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(r, json!({"ran": true, "notices": 1}));
    let r = t
        .call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(r, json!({"ran": false, "notices": 0}));
    assert_eq!(
        t.call("POST", "/api/v1/jobs/daily-reminders/run", Some(&ent), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The day after the deadline: overdue for everyone in scope, and an overdue notice.
    t.clock.advance(chrono::Duration::days(4));
    let ent = t.token("qiye").await;
    let admin = t.token("admin").await;
    let todo = t
        .call("GET", "/api/v1/todos", Some(&ent), None)
        .await
        .json();
    assert_eq!(todo["overdue"][0]["id"], id);
    assert_eq!(todo["overdue"][0]["overdue"], true);
    let r = t
        .call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(r, json!({"ran": true, "notices": 1}));
    let todo = t
        .call("GET", "/api/v1/todos", Some(&ent), None)
        .await
        .json();
    let kinds: Vec<&str> = todo["notices"]
        .as_array()
        .map(|v| v.iter().filter_map(|n| n["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, vec!["overdue", "due_soon"]);
    // Others' notices stay with them.
    let town_b_user = t.token("paizhu").await;
    let todo = t
        .call("GET", "/api/v1/todos", Some(&town_b_user), None)
        .await
        .json();
    assert_eq!(todo["notices"].as_array().map(Vec::len), Some(0));
}

pub(crate) fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "XyZanjianBoundary42";
    let mut body = Vec::new();
    for (name, file, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes()),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn evidence_files_are_checked_and_hashed() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let h = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(hazard_json(
                Some(t.ids.a_haz),
                VILLAGE_A1,
                "hazchem",
                "general",
                "inspection",
            )),
        )
        .await
        .json();
    let id = h["id"].as_i64().unwrap_or_default();
    let url = format!("/api/v1/hazards/{id}/attachments");
    let jpeg: Vec<u8> = [b"\xFF\xD8\xFF\xE0".as_slice(), &[7u8; 2000]].concat();
    let (ct, body) = multipart(&[
        ("note", None, "整改前照片".as_bytes()),
        ("file", Some("现场照片.jpg"), &jpeg),
    ]);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a = r.json();
    use sha2::Digest;
    assert_eq!(a["sha256"], hex::encode(sha2::Sha256::digest(&jpeg)));
    assert_eq!(
        (a["content_type"].as_str(), a["size"].as_i64()),
        (Some("image/jpeg"), Some(2004))
    );
    let before = t
        .call("GET", &format!("/api/v1/hazards/{id}"), Some(&insp), None)
        .await
        .json();
    // Wrong type (an executable called .jpg), oversized, truncated, or not multipart at all:
    // clear 4xx errors, and the hazard and its files stay as they were.
    let (ct, body) = multipart(&[("file", Some("x.jpg"), b"MZ\x90\x00\x03")]);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["file"].is_array(), "{}", r.text());
    let (ct, body) = multipart(&[("file", Some("x.exe"), b"MZ\x90\x00\x03")]);
    assert_eq!(
        t.raw("POST", &url, Some(&insp), &ct, body).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let big: Vec<u8> = [
        b"%PDF-".as_slice(),
        &vec![0u8; anjian_domain::files::MAX_FILE_BYTES + 300_000],
    ]
    .concat();
    let (ct, body) = multipart(&[("file", Some("big.pdf"), &big)]);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.json()["message"].is_string());
    let (ct, mut body) = multipart(&[("file", Some("cut.jpg"), &jpeg)]);
    body.truncate(body.len() / 2);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(r.json()["error"], "bad_upload");
    let r = t
        .raw("POST", &url, Some(&insp), "application/json", "{}")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let after = t
        .call("GET", &format!("/api/v1/hazards/{id}"), Some(&insp), None)
        .await
        .json();
    assert_eq!(before, after, "hazard unchanged");
    let list = t.call("GET", &url, Some(&insp), None).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    // Download returns the same bytes; others outside the scope cannot.
    let att = a["id"].as_i64().unwrap_or_default();
    let r = t
        .call(
            "GET",
            &format!("/api/v1/attachments/{att}"),
            Some(&insp),
            None,
        )
        .await;
    assert_eq!((r.status, r.body.clone()), (StatusCode::OK, jpeg.clone()));
    let other = t.token("paizhu").await;
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/attachments/{att}"),
            Some(&other),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let (ct, body) = multipart(&[("file", Some("p.jpg"), &jpeg)]);
    assert_eq!(
        t.raw("POST", &url, Some(&other), &ct, body).await.status,
        StatusCode::NOT_FOUND
    );
    // The timeline records the upload.
    let events: Vec<String> = after["events"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|e| e["action"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(events, vec!["create", "attach"]);
}
