//! The accident register's steps (补报, the reporting chain, 谎报/瞒报 flags, a linked 举报, the
//! investigation's extension and closing): at each state of the investigation (open, extended,
//! closed), for every role, each step an accident's view offers succeeds on a fresh accident
//! in that state and each one it hides is refused. The steps carry the accident's version, so
//! each reads the fresh accident's version first, like the risk point loop.

use super::*;

const ACTIONS: [&str; 6] = ["update", "links", "flags", "link_report", "extend", "close"];

async fn version(t: &TestApp, tokens: &mut Tokens, id: i64) -> i64 {
    let r = t
        .call(
            "GET",
            &format!("/api/v1/accidents/{id}"),
            Some(&tokens.get(t, "admin").await),
            None,
        )
        .await;
    r.json()["version"].as_i64().unwrap_or_default()
}

/// A fresh accident, its investigation open (`steps` 0), extended (1) or closed (2).
async fn fresh(t: &TestApp, tokens: &mut Tokens, steps: usize) -> i64 {
    let admin = tokens.get(t, "admin").await;
    let r = t
        .call(
            "POST",
            "/api/v1/accidents",
            Some(&admin),
            Some(json!({"category": "生产安全事故", "occurred_at": "2022-05-01 08:00",
                "place": "采石场边坡", "township": TOWN_A, "sector": "mines", "accident_type": "坍塌",
                "deaths": 1, "serious_injuries": 1, "direct_loss_yuan": "1000",
                "account": "边坡失稳坍塌"})),
        )
        .await;
    assert!(r.status.is_success(), "create: {}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    if steps >= 1 {
        let v = version(t, tokens, id).await;
        let r = t
            .call(
                "POST",
                &format!("/api/v1/accidents/{id}/extend"),
                Some(&admin),
                Some(json!({"version": v, "due": "2022-07-20", "reason": "技术鉴定"})),
            )
            .await;
        assert!(r.status.is_success(), "extend: {}", r.text());
    }
    if steps >= 2 {
        let v = version(t, tokens, id).await;
        let r = t
            .call(
                "POST",
                &format!("/api/v1/accidents/{id}/close"),
                Some(&admin),
                Some(close_body(v)),
            )
            .await;
        assert!(r.status.is_success(), "close: {}", r.text());
    }
    id
}

fn close_body(version: i64) -> Value {
    json!({"version": version, "closed_on": "2022-06-01", "findings": "违规开采导致边坡失稳",
        "parties": [{"name": "张某", "unit": false, "measure": "移送司法机关"}]})
}

/// Takes `action` on the accident as `user`, with a complete body, by its route.
async fn take(t: &TestApp, tokens: &mut Tokens, id: i64, user: &'static str, action: &str) -> u16 {
    let v = version(t, tokens, id).await;
    let (method, path, body) = match action {
        "update" => (
            "POST",
            "updates",
            json!({"version": v, "changed_on": "2022-05-10", "deaths": "2", "serious_injuries": "0", "reason": "一名重伤人员死亡"}),
        ),
        "links" => (
            "PUT",
            "links",
            json!({"version": v, "unit_reported_at": "2022-05-01 08:30", "county_reported_at": "2022-05-01 09:30"}),
        ),
        "flags" => (
            "PUT",
            "flags",
            json!({"version": v, "false_report": true, "false_report_reason": "少报死亡人数"}),
        ),
        "link_report" => {
            let admin = tokens.get(t, "admin").await;
            let r = t
                .call(
                    "POST",
                    "/api/v1/reports",
                    Some(&admin),
                    Some(json!({"channel": "12350热线", "anonymous": true,
                        "category": "concealed_accident",
                        "content": "采石场5月1日坍塌死亡一人未如实上报",
                        "enterprise_id": t.ids.a_haz})),
                )
                .await;
            assert!(r.status.is_success(), "report: {}", r.text());
            let report = r.json()["id"].as_i64().unwrap_or_default();
            ("POST", "report", json!({"version": v, "report_id": report}))
        }
        "extend" => (
            "POST",
            "extend",
            json!({"version": v, "due": "2022-07-25", "reason": "补充技术鉴定"}),
        ),
        _ => ("POST", "close", close_body(v)),
    };
    let token = tokens.get(t, user).await;
    let r = t
        .call(
            method,
            &format!("/api/v1/accidents/{id}/{path}"),
            Some(&token),
            Some(body),
        )
        .await;
    r.status.as_u16()
}

#[tokio::test]
async fn accident_offers_exactly_what_it_accepts() {
    let t = spawn();
    let mut tokens = Tokens::default();
    for steps in 0..=2 {
        for user in USERS {
            let id = fresh(&t, &mut tokens, steps).await;
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/accidents/{id}"),
                    Some(&tokens.get(&t, user).await),
                    None,
                )
                .await;
            let offered: Vec<String> = if r.status.is_success() {
                serde_json::from_value(r.json()["actions"].clone()).unwrap_or_default()
            } else {
                Vec::new()
            };
            for action in ACTIONS {
                let id = fresh(&t, &mut tokens, steps).await;
                let code = take(&t, &mut tokens, id, user, action).await;
                if offered.iter().any(|a| a == action) {
                    assert!(
                        (200..300).contains(&code),
                        "after {steps} steps, {user} was offered {action} but got {code}"
                    );
                } else {
                    assert!(
                        matches!(code, 403 | 404 | 409 | 422),
                        "after {steps} steps, {user} was not offered {action} but got {code}"
                    );
                }
            }
        }
    }
    // The register's own offers are not empty: the 安委办 may extend an open investigation.
    let id = fresh(&t, &mut tokens, 0).await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/accidents/{id}"),
            Some(&tokens.get(&t, "admin").await),
            None,
        )
        .await;
    assert_eq!(
        r.json()["actions"],
        json!(["update", "links", "flags", "link_report", "extend", "close"])
    );
}
