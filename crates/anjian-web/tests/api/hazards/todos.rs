//! To-dos and the daily reminders.

use super::{act, hazard_json};
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

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
