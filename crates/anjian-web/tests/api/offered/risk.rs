//! The risk point loop (风险点): at each state of its main path, for every role, each action
//! a view offers succeeds on a fresh point in that state and each one it hides is refused. The
//! point's steps carry its version, so the shared harness (one body per action) is not used:
//! each step here reads the fresh point's version first. Editing and assessing have routes of
//! their own.

use super::*;

struct RiskFlowCase {
    name: &'static str,
    owner: &'static str,
    reviewer: &'static str,
    region: Option<&'static str>,
}

fn point_body(region: Option<&str>) -> Value {
    let mut v = json!({
        "place": "液氯储罐区", "hazard_factor": "液氯泄漏", "accident_types": ["poisoning"],
        "control_level": "company", "responsible_name": "王强", "responsible_phone": "13907970001",
        "assessment": {"method": "lec", "l": 6, "e": 6, "c": 7}
    });
    if let Some(r) = region {
        v["region_code"] = json!(r);
    }
    v
}

async fn fresh_point(t: &TestApp, tokens: &mut Tokens, c: &RiskFlowCase, steps: usize) -> i64 {
    let r = t
        .call(
            "POST",
            "/api/v1/risk-points",
            Some(&tokens.get(t, c.owner).await),
            Some(point_body(c.region)),
        )
        .await;
    assert!(r.status.is_success(), "{}: create: {}", c.name, r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let path = [(c.owner, "submit"), (c.reviewer, "accept")];
    for (who, action) in &path[..steps] {
        let version = current_version(t, tokens, id).await;
        let r = t
            .call(
                "POST",
                &format!("/api/v1/risk-points/{id}/actions"),
                Some(&tokens.get(t, who).await),
                Some(json!({"action": action, "version": version, "reason": "同意"})),
            )
            .await;
        assert!(
            r.status.is_success(),
            "{}: {action} by {who}: {}",
            c.name,
            r.text()
        );
    }
    id
}

async fn current_version(t: &TestApp, tokens: &mut Tokens, id: i64) -> i64 {
    let r = t
        .call(
            "GET",
            &format!("/api/v1/risk-points/{id}"),
            Some(&tokens.get(t, "admin").await),
            None,
        )
        .await;
    r.json()["version"].as_i64().unwrap_or_default()
}

/// Takes `action` on the point as `user`, by the route the action has.
async fn take(
    t: &TestApp,
    tokens: &mut Tokens,
    id: i64,
    user: &'static str,
    action: &str,
    region: Option<&str>,
) -> u16 {
    let version = current_version(t, tokens, id).await;
    let token = tokens.get(t, user).await;
    let r = match action {
        "edit" => {
            let mut body = point_body(region);
            body["assessment"] = Value::Null;
            body["version"] = json!(version);
            t.call(
                "PUT",
                &format!("/api/v1/risk-points/{id}"),
                Some(&token),
                Some(body),
            )
            .await
        }
        "assess" => {
            let body =
                json!({"version": version, "method": "ls", "l": 3, "s": 4, "reason": "复评"});
            t.call(
                "POST",
                &format!("/api/v1/risk-points/{id}/assess"),
                Some(&token),
                Some(body),
            )
            .await
        }
        _ => {
            let body = json!({"action": action, "version": version, "reason": "办理原因"});
            t.call(
                "POST",
                &format!("/api/v1/risk-points/{id}/actions"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    r.status.as_u16()
}

async fn check_risk(t: &TestApp, c: &RiskFlowCase) {
    let mut tokens = Tokens::default();
    for steps in 0..=2 {
        for user in USERS {
            let id = fresh_point(t, &mut tokens, c, steps).await;
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/risk-points/{id}"),
                    Some(&tokens.get(t, user).await),
                    None,
                )
                .await;
            let offered: Vec<String> = if r.status.is_success() {
                serde_json::from_value(r.json()["allowed_actions"].clone()).unwrap_or_default()
            } else {
                Vec::new()
            };
            for action in ["edit", "assess", "submit", "accept", "return", "retire"] {
                let id = fresh_point(t, &mut tokens, c, steps).await;
                let code = take(t, &mut tokens, id, user, action, c.region).await;
                if offered.iter().any(|a| a == action) {
                    assert!(
                        (200..300).contains(&code),
                        "{}: after {steps} steps, {user} was offered {action} but got {code}",
                        c.name
                    );
                } else {
                    assert!(
                        matches!(code, 403 | 404 | 409 | 422),
                        "{}: after {steps} steps, {user} was not offered {action} but got {code}",
                        c.name
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn risk_point_offers_exactly_what_it_accepts() {
    let t = spawn();
    check_risk(
        &t,
        &RiskFlowCase {
            name: "风险点",
            owner: "qiye",
            reviewer: "yingji",
            region: None,
        },
    )
    .await;
    check_risk(
        &t,
        &RiskFlowCase {
            name: "公共场所风险点",
            owner: "town_a",
            reviewer: "admin",
            region: Some(VILLAGE_A1),
        },
    )
    .await;
}
