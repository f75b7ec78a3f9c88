//! A hazard's closed loop, overdue hazards, and input errors.

use super::{act, hazard_json, upload_evidence};
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

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
    // Completion is reported with evidence (the county's default rule): refused without it.
    let r = act(
        &t,
        &ent,
        id,
        json!({"action": "report", "note": "已更换报警器"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["evidence"][0]
            .as_str()
            .is_some_and(|m| m.contains("佐证材料"))
    );
    upload_evidence(&t, &ent, id).await;
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
            "create", "order", "start", "attach", "report", "reject", "report", "pass"
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
        if a["action"] == "report" {
            upload_evidence(&t, &town, id).await;
        }
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

/// A deadline before today is refused through the API as on the form, unless the body says
/// `confirm_past_deadline: true` (a hazard recorded after the fact).
#[tokio::test]
async fn a_past_deadline_through_the_api_needs_confirmation() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let mut body = hazard_json(
        Some(t.ids.a_haz),
        VILLAGE_A1,
        "hazchem",
        "general",
        "inspection",
    );
    // The fixed clock says 2022-06-01; found 05-20, due 05-25.
    body["deadline"] = json!("2022-05-25");
    let r = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let m = r.json()["fields"]["deadline"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(m.contains("整改期限早于今天"), "{m}");
    // Nothing was registered.
    let list = t
        .call("GET", "/api/v1/hazards", Some(&insp), None)
        .await
        .json();
    assert!(
        list["items"]
            .as_array()
            .is_some_and(|l| l.iter().all(|h| h["deadline"] != "2022-05-25")),
        "{list}"
    );
    body["confirm_past_deadline"] = json!(false);
    let r = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    body["confirm_past_deadline"] = json!(true);
    let r = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["deadline"], "2022-05-25");
    assert_eq!(r.json()["overdue"], true);
    // Today's date and later need no confirmation.
    body["deadline"] = json!("2022-06-01");
    body["confirm_past_deadline"] = json!(false);
    let r = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

/// The confirmation is in the API's description of a registration.
#[tokio::test]
async fn the_confirmation_is_documented() {
    let t = spawn();
    let doc = t
        .call("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    let prop = &doc["components"]["schemas"]["HazardInput"]["properties"]["confirm_past_deadline"];
    assert_eq!(prop["type"], "boolean", "{prop}");
    assert!(
        prop["description"]
            .as_str()
            .is_some_and(|d| d.contains("before today")),
        "{prop}"
    );
}
