//! Penalty cases through the API.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn case(procedure: &str, party: &str, fine: f64, enterprise: i64) -> Value {
    json!({"officers": ["执法员甲", "执法员乙"], "procedure": procedure, "party_kind": party, "party_name": "当事人甲", "enterprise_id": enterprise, "fine_yuan": fine,
           "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条"})
}

#[tokio::test]
async fn simple_procedure_limits_per_article_51() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let e = t.ids.a_haz;
    for (party, fine, ok) in [
        ("person", 200.0, true),
        ("person", 200.01, false),
        ("organisation", 3000.0, true),
        ("organisation", 3000.01, false),
    ] {
        let r = t
            .call(
                "POST",
                "/api/v1/cases",
                Some(&insp),
                Some(case("simple", party, fine, e)),
            )
            .await;
        if ok {
            assert_eq!(
                r.status,
                StatusCode::CREATED,
                "{party} {fine}: {}",
                r.text()
            );
            assert_eq!(
                r.json()["status"],
                "served",
                "decided and handed over on the spot"
            );
        } else {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{party} {fine}");
            let m = r.json()["fields"]["fine_yuan"][0]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let limit = if party == "person" {
                "200元"
            } else {
                "3000元"
            };
            assert!(m.contains(limit) && m.contains("普通程序"), "{m}");
        }
    }
    // The same amounts are fine under the general procedure.
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&insp),
            Some(case("general", "organisation", 3000.01, e)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["status"], "registered");
    // Bad input is named; the enterprise and township users may not open cases.
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&insp),
            Some(
                json!({"procedure": "fast", "party_kind": "x", "party_name": "", "fine_yuan": -5}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    for k in ["procedure", "party_kind", "party_name", "fine_yuan"] {
        assert!(f[k].is_array(), "{k}: {f}");
    }
    // A township may act only under a 委托执法 agreement (see commissions.rs).
    let tok = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&tok),
            Some(case("simple", "person", 50.0, e)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["fields"]["commission_id"].is_array(),
        "{}",
        r.text()
    );
    for who in ["qiye", "leader"] {
        let tok = t.token(who).await;
        assert_eq!(
            t.call(
                "POST",
                "/api/v1/cases",
                Some(&tok),
                Some(case("simple", "person", 50.0, e))
            )
            .await
            .status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
}

pub(crate) async fn step(t: &TestApp, tok: &str, id: i64, body: Value) -> crate::helpers::Resp {
    t.call(
        "POST",
        &format!("/api/v1/cases/{id}/actions"),
        Some(tok),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_general_case_walks_every_step_with_its_time_limits() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let mut body = case("general", "organisation", 60000.0, t.ids.a_haz);
    body["measures"] = json!(["fine", "stop_production"]);
    let r = t
        .call("POST", "/api/v1/cases", Some(&insp), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let c = r.json();
    let id = c["id"].as_i64().unwrap_or_default();
    assert_eq!(c["major"], true);
    assert_eq!(
        c["limits"][0]["due"], "2022-07-01",
        "a work-safety case: decision within 30 days of 立案 (2022-06-01), 原总局令第15号"
    );
    assert_eq!(
        step(&t, &insp, id, json!({"action": "investigate"}))
            .await
            .json()["status"],
        "investigating"
    );
    // The notice comes only after the 案件审理.
    let r = step(&t, &insp, id, json!({"action": "notify"})).await;
    assert!(r.json()["fields"]["examination"].is_array(), "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "examine", "note": "事实清楚，证据确实充分，拟罚款6万元"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = step(&t, &insp, id, json!({"action": "notify"})).await;
    let limits = r.json()["limits"].clone();
    assert_eq!(
        limits[1]["due"], "2022-06-09",
        "hearing request: 5 working days (06-03 端午)"
    );
    // Deciding inside the notice period, or without legal review, is refused.
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    t.clock.advance(chrono::Duration::days(9)); // 2022-06-10
    let insp = t.token("zhifa").await;
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["legal_review"].is_array());
    let r = step(&t, &insp, id, json!({"action": "legal_review", "reviewer": "法制科 张律", "outcome": "pass", "note": "事实清楚，程序合法"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // A major decision also needs the heads' collective discussion (art. 57).
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["discussion"].is_array(), "{}", r.text());
    let r = step(&t, &insp, id, json!({"action": "discuss"})).await;
    assert!(
        r.json()["fields"]["note"].is_array(),
        "the participants and conclusion are recorded"
    );
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "discuss", "note": "局长、分管副局长参加，同意罚款6万元并责令停产整顿"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Extending the decision period needs the head's approval; it moves the limit.
    let r = step(&t, &insp, id, json!({"action": "extend", "days": 30})).await;
    assert!(r.json()["fields"]["approver"].is_array(), "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "extend", "days": 91, "approver": "局长"}),
    )
    .await;
    assert!(r.json()["fields"]["days"].is_array(), "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "extend", "days": 30, "approver": "局长 王某", "note": "案情复杂"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json()["limits"][0]["due"],
        "2022-08-01",
        "a work-safety case: 30 days (原总局令第15号) + 30 extended from 2022-06-01 = 07-31, a Sunday"
    );
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "decided");
    // Shutdown: the enterprise is now suspended.
    let e = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{}", t.ids.a_haz),
            Some(&insp),
            None,
        )
        .await
        .json();
    assert_eq!(e["status"], "suspended");
    // Service is due within 7 working days, and so is the decision's publicity (decided
    // 06-10, due 06-21); missing them puts the case on the to-do list.
    t.clock.advance(chrono::Duration::days(10)); // 2022-06-20: service due 06-21
    let insp = t.token("zhifa").await;
    let todo = t
        .call("GET", "/api/v1/todos", Some(&insp), None)
        .await
        .json();
    let soon: Vec<&str> = todo["due_soon_case_steps"]
        .as_array()
        .map(|v| v.iter().filter_map(|x| x[1].as_str()).collect())
        .unwrap_or_default();
    assert!(soon.contains(&"送达决定书"), "a to-do when due: {todo}");
    assert!(
        todo["overdue_case_steps"]
            .as_array()
            .is_some_and(|a| a.is_empty()),
        "{todo}"
    );
    t.clock.advance(chrono::Duration::days(2)); // 2022-06-22
    let insp = t.token("zhifa").await;
    let todo = t
        .call("GET", "/api/v1/todos", Some(&insp), None)
        .await
        .json();
    let steps: Vec<&str> = todo["overdue_case_steps"]
        .as_array()
        .map(|v| v.iter().filter_map(|x| x[1].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(steps, vec!["送达决定书", "处罚决定公示"], "{todo}");
    assert_eq!(
        step(&t, &insp, id, json!({"action": "serve"})).await.json()["status"],
        "served"
    );
    // Payment is due in 15 days; 3 days late costs 3 % a day.
    t.clock.advance(chrono::Duration::days(18)); // 2022-07-10, due 07-07
    let insp = t.token("zhifa").await;
    let v = t
        .call("GET", &format!("/api/v1/cases/{id}"), Some(&insp), None)
        .await
        .json();
    assert_eq!(v["late_surcharge_yuan"], 5400.0, "60,000 × 3 % × 3 days");
    let executed = step(&t, &insp, id, json!({"action": "execute"}))
        .await
        .json();
    assert_eq!(executed["status"], "executed");
    // 行政处罚法 art. 72: a surcharge that accrued stays on the record after payment.
    assert_eq!(executed["late_surcharge_yuan"], 5400.0, "{executed}");
    let r = step(&t, &insp, id, json!({"action": "close"})).await;
    // The full-process record lists every step in audit-chain order, each with its hash.
    let rec = t
        .call(
            "GET",
            &format!("/api/v1/cases/{id}/record"),
            Some(&insp),
            None,
        )
        .await
        .json();
    let whats: Vec<&str> = rec["entries"]
        .as_array()
        .map(|v| v.iter().filter_map(|e| e["what"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(whats.first().copied(), Some("立案/当场决定"), "{rec}");
    assert!(whats.len() >= 8, "{rec}");
    let seqs: Vec<i64> = rec["entries"]
        .as_array()
        .map(|v| v.iter().filter_map(|e| e["seq"].as_i64()).collect())
        .unwrap_or_default();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{rec}");
    assert!(
        rec["entries"][0]["hash"]
            .as_str()
            .is_some_and(|h| h.len() == 64)
    );
    assert_eq!(r.json()["status"], "closed");
    let v = t
        .call("GET", &format!("/api/v1/cases/{id}"), Some(&insp), None)
        .await
        .json();
    let actions: Vec<&str> = v["events"]
        .as_array()
        .map(|x| x.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        actions,
        vec![
            "register",
            "investigate",
            "examine",
            "notify",
            "legal_review",
            "discuss",
            "extend",
            "decide",
            "serve",
            "execute",
            "close"
        ]
    );
    let other = t.token("paizhu").await;
    assert_eq!(
        t.call("GET", &format!("/api/v1/cases/{id}"), Some(&other), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// 行政处罚法 art. 60 (90 days unless a rule provides otherwise) and 原国家安全监管总局令第15号
/// (30 days for work-safety cases): the rule is the county's dated setting, per department.
#[tokio::test]
async fn decision_period_is_the_agencys_dated_rule_xingzheng_chufa_fa_art_60() {
    let t = spawn();
    let admin = t.token("admin").await;
    let insp = t.token("zhifa").await;
    let policy = t
        .call("GET", "/api/v1/rules/decision-period", Some(&admin), None)
        .await
        .json();
    assert_eq!(
        policy["rules"].as_array().map(Vec::len),
        Some(3),
        "{policy}"
    );
    let body = json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation", "party_name": "测试企业1有限公司",
                      "enterprise_id": t.ids.a_haz, "fine_yuan": 20000.0, "facts": "未按规定设置安全警示标志",
                      "legal_basis": "《安全生产法》第九十九条", "measures": ["fine"]});
    let r = t
        .call("POST", "/api/v1/cases", Some(&insp), Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let limit = r.json()["limits"][0].clone();
    assert_eq!(
        limit["due"], "2022-07-01",
        "30 days from 2022-06-01: {limit}"
    );
    assert!(
        limit["rule"].as_str().is_some_and(|s| s.contains("第15号")),
        "{limit}"
    );
    // The head extends to 90 days in total; beyond, the superior department, up to 180.
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let extend = |days: u32, level: &str| json!({"action": "extend", "days": days, "approver": "局长 王某", "level": level});
    let r = step(&t, &insp, id, extend(61, "head")).await;
    assert!(r.json()["fields"]["days"].is_array(), "{}", r.text());
    let r = step(&t, &insp, id, extend(60, "head")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = step(&t, &insp, id, extend(91, "superior")).await;
    assert!(r.json()["fields"]["days"].is_array(), "{}", r.text());
    let r = step(&t, &insp, id, extend(90, "superior")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["extension_days"], 150);
    assert_eq!(
        r.json()["limits"][0]["due"],
        "2022-11-28",
        "180 days from 2022-06-01"
    );
    // The county says the department follows the statutory default: 90 days.
    let dept = r.json()["department_id"].as_i64().unwrap_or_default();
    let mut p = policy.clone();
    p["families"] = json!({ dept.to_string(): "default" });
    let r = t
        .call(
            "PUT",
            "/api/v1/rules/decision-period",
            Some(&insp),
            Some(p.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the administrator");
    let mut bad = p.clone();
    bad["rules"][0]["head_cap_days"] = json!(10);
    let r = t
        .call(
            "PUT",
            "/api/v1/rules/decision-period",
            Some(&admin),
            Some(bad),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = t
        .call(
            "PUT",
            "/api/v1/rules/decision-period",
            Some(&admin),
            Some(p),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call("POST", "/api/v1/cases", Some(&insp), Some(body))
        .await;
    assert_eq!(r.json()["limits"][0]["due"], "2022-08-30", "{}", r.text());
}

/// 行政处罚法 arts. 44–45: the decision may not be heavier than the notice (告知书) proposed —
/// neither a larger fine nor a measure it did not name — without a new notice.
#[tokio::test]
async fn xingzheng_chufa_fa_arts_44_45_decision_no_heavier_than_the_notice() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let body = json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation", "party_name": "测试企业1有限公司",
                      "enterprise_id": t.ids.a_haz, "fine_yuan": 20000.0, "facts": "未按规定设置安全警示标志",
                      "legal_basis": "《安全生产法》第九十九条", "measures": ["fine"]});
    let r = t
        .call("POST", "/api/v1/cases", Some(&insp), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    for b in [
        json!({"action": "investigate"}),
        json!({"action": "examine", "note": "事实清楚，拟罚款2万元"}),
        json!({"action": "notify"}),
    ] {
        let r = step(&t, &insp, id, b).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    t.clock.advance(chrono::Duration::days(10));
    let insp = t.token("zhifa").await;
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "decide", "fine_yuan": 30000.0}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["fine_yuan"][0]
            .as_str()
            .is_some_and(|m| m.contains("告知")),
        "{}",
        r.text()
    );
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "decide", "measures": ["fine", "suspend_licence"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "decide", "fine_yuan": 15000.0}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a lighter decision needs no new notice: {}",
        r.text()
    );
    assert_eq!(r.json()["fine_fen"], 1_500_000);
}
