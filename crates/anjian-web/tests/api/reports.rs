//! Reports from the public and rewards through the API.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn report_verify_reward_pay() {
    let t = spawn();
    let admin = t.token("admin").await;
    let insp = t.token("zhifa").await;
    let e = t.ids.a_haz;
    let report = |anonymous: bool, name: &str, phone: &str| {
        json!({"channel": "12350热线", "anonymous": anonymous, "reporter_name": name, "reporter_phone": phone,
               "category": "major_hazard", "content": "储罐区可燃气体报警器长期关闭", "enterprise_id": e})
    };
    let r = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(report(false, "", "123")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    assert!(
        f["reporter_name"].is_array() && f["reporter_phone"].is_array(),
        "{f}"
    );
    let r = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(report(false, "李某", "13907951234")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let anon = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(report(true, "", "")),
        )
        .await
        .json();
    // Enterprises never see reports (they name the reporter).
    let qiye = t.token("qiye").await;
    let r = t
        .call("GET", &format!("/api/v1/reports/{id}"), Some(&qiye), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&qiye),
            Some(report(true, "", "")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Verified: a major hazard is registered from it and the penalty case linked.
    let r = t
        .call("POST", "/api/v1/cases", Some(&insp), Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation", "party_name": "测试企业1有限公司",
            "enterprise_id": e, "fine_yuan": 100000.0, "facts": "关闭可燃气体报警装置", "legal_basis": "《安全生产法》第九十九条"})))
        .await;
    let case_id = r.json()["id"].as_i64().unwrap_or_default();
    let path = format!("/api/v1/reports/{id}/actions");
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "verify", "outcome": "verified"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a note is required"
    );
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "verify", "outcome": "verified", "note": "现场核查属实", "create_hazard": true, "case_id": case_id})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let hid = v["hazard_id"].as_i64().unwrap_or_default();
    let h = t
        .call("GET", &format!("/api/v1/hazards/{hid}"), Some(&insp), None)
        .await
        .json();
    assert_eq!(
        (h["source"].as_str(), h["level"].as_str()),
        (Some("public_report"), Some("major"))
    );
    // No reward before the fine is decided; the inspector cannot approve rewards.
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "reward", "approved_by": "评审委员会"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let yj = t.token("yingji").await;
    let r = t
        .call(
            "POST",
            &path,
            Some(&yj),
            Some(json!({"action": "reward", "approved_by": "评审委员会"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["fields"]["reward"][0]
            .as_str()
            .is_some_and(|m| m.contains("罚款决定"))
    );
    // Decide the case (legal review first: the fine is major), then reward = 15 % of 100,000.
    for s in [
        json!({"action": "investigate"}),
        json!({"action": "examine", "note": "审理同意"}),
        json!({"action": "notify"}),
    ] {
        t.call(
            "POST",
            &format!("/api/v1/cases/{case_id}/actions"),
            Some(&insp),
            Some(s),
        )
        .await;
    }
    t.clock.advance(chrono::Duration::days(10));
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let admin = t.token("admin").await;
    t.call(
        "POST",
        &format!("/api/v1/cases/{case_id}/actions"),
        Some(&insp),
        Some(json!({"action": "legal_review", "reviewer": "法制科", "outcome": "pass", "note": "事实清楚"})),
    )
    .await;
    t.call(
        "POST",
        &format!("/api/v1/cases/{case_id}/actions"),
        Some(&insp),
        Some(json!({"action": "discuss", "note": "集体讨论同意"})),
    )
    .await;
    let r = t
        .call(
            "POST",
            &format!("/api/v1/cases/{case_id}/actions"),
            Some(&insp),
            Some(json!({"action": "decide"})),
        )
        .await;
    assert_eq!(r.json()["status"], "decided", "{}", r.text());
    let r = t
        .call(
            "POST",
            &path,
            Some(&yj),
            Some(json!({"action": "reward", "approved_by": "县举报奖励评审委员会"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["reward_yuan"], 15000.0);
    assert!(
        v["reward_formula"]
            .as_str()
            .is_some_and(|f| f.contains("15%") && f.contains("安监总财〔2018〕19号")),
        "{v}"
    );
    let r = t
        .call(
            "POST",
            &path,
            Some(&yj),
            Some(json!({"action": "pay", "date": "2022-06-11"})),
        )
        .await;
    assert_eq!(r.json()["status"], "paid", "{}", r.text());

    // The anonymous report of the same case is verified but never rewarded.
    let aid = anon["id"].as_i64().unwrap_or_default();
    let ap = format!("/api/v1/reports/{aid}/actions");
    let r = t.call("POST", &ap, Some(&insp), Some(json!({"action": "verify", "outcome": "verified", "note": "同一事项", "case_id": case_id}))).await;
    assert_eq!(r.json()["allowed_actions"], json!([]), "{}", r.text());
    let r = t
        .call(
            "POST",
            &ap,
            Some(&yj),
            Some(json!({"action": "reward", "approved_by": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A later real-name report of the same case: only the first valid reporter is rewarded.
    let later = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(report(false, "张某", "13907955678")),
        )
        .await
        .json();
    let lid = later["id"].as_i64().unwrap_or_default();
    let lp = format!("/api/v1/reports/{lid}/actions");
    t.call("POST", &lp, Some(&insp), Some(json!({"action": "verify", "outcome": "verified", "note": "同一事项", "case_id": case_id}))).await;
    let r = t
        .call(
            "POST",
            &lp,
            Some(&yj),
            Some(json!({"action": "reward", "approved_by": "评审委员会"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // The rule is a county setting.
    let mut rule = t
        .call("GET", "/api/v1/reward-rule", Some(&admin), None)
        .await
        .json();
    rule["general_hazard_fen"] = json!(30000);
    let r = t
        .call("PUT", "/api/v1/reward-rule", Some(&yj), Some(rule.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call("PUT", "/api/v1/reward-rule", Some(&admin), Some(rule))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        t.call("GET", "/api/v1/reward-rule", Some(&admin), None)
            .await
            .json()["general_hazard_fen"],
        30000
    );
    let r = t
        .call("GET", "/api/v1/reports/export", Some(&admin), None)
        .await;
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(table.rows.len(), 3);
    assert!(
        table
            .rows
            .iter()
            .any(|(_, c)| c.get(8).is_some_and(|v| v == "15000.00")),
        "{:?}",
        table.rows
    );
    assert!(
        !table
            .rows
            .iter()
            .any(|(_, c)| c.iter().any(|x| x.contains("13907951234"))),
        "no phone numbers in the ledger"
    );
}

/// 安监总财〔2018〕19号: only the first valid reporter of a matter is rewarded, first by the time
/// the reports were received, whatever order they are verified in: while an earlier report on
/// the same matter is open, a later one is not rewarded; once the earlier proves unfounded, it
/// may be.
#[tokio::test]
async fn anjian_zongcai_2018_19_first_received_report_rewarded_whatever_the_verification_order() {
    let t = spawn();
    let admin = t.token("admin").await;
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let report = |name: &str, phone: &str, on: &str| {
        json!({"channel": "12350热线", "anonymous": false, "reporter_name": name, "reporter_phone": phone,
               "category": "general", "content": "车间安全出口堵塞", "enterprise_id": t.ids.a_haz, "received_on": on})
    };
    // Entered in the opposite order of receipt: the report received first is registered second.
    let later = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(report("张某", "13907955678", "2022-05-25")),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let first = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(report("李某", "13907951234", "2022-05-20")),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let act = |id: i64| format!("/api/v1/reports/{id}/actions");
    // The county rewards general hazards (a local rule).
    let mut rule = t
        .call("GET", "/api/v1/reward-rule", Some(&admin), None)
        .await
        .json();
    rule["general_hazard_fen"] = json!(30000);
    let r = t
        .call("PUT", "/api/v1/reward-rule", Some(&admin), Some(rule))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "POST",
            &act(later),
            Some(&insp),
            Some(json!({"action": "verify", "outcome": "verified", "note": "现场核查属实"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let reward = json!({"action": "reward", "approved_by": "举报奖励评审委员会"});
    let r = t
        .call("POST", &act(later), Some(&yj), Some(reward.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("受理在先"), "{}", r.text());
    // The earlier report proves unfounded: the later one is now the first valid report.
    let r = t
        .call(
            "POST",
            &act(first),
            Some(&insp),
            Some(json!({"action": "verify", "outcome": "unfounded", "note": "查无实据"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t.call("POST", &act(later), Some(&yj), Some(reward)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "approved");
}

/// 安监总财〔2018〕19号 rewards real-name reporters; whether an anonymous reporter who left a
/// phone may be rewarded is the county's rule (`anonymous_with_contact`, off by default).
#[tokio::test]
async fn anjian_zongcai_2018_19_anonymous_reporter_with_a_phone_is_rewarded_only_where_the_rule_allows()
 {
    let t = spawn();
    let admin = t.token("admin").await;
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let mut rule = t
        .call("GET", "/api/v1/reward-rule", Some(&admin), None)
        .await
        .json();
    rule["general_hazard_fen"] = json!(30000);
    t.call(
        "PUT",
        "/api/v1/reward-rule",
        Some(&admin),
        Some(rule.clone()),
    )
    .await;
    let r = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(json!({"channel": "12350热线", "anonymous": true, "reporter_phone": "13907951234",
                        "category": "general", "content": "车间安全出口堵塞", "region_code": VILLAGE_A1, "sector": "hazchem"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let act = format!("/api/v1/reports/{id}/actions");
    let r = t
        .call(
            "POST",
            &act,
            Some(&insp),
            Some(json!({"action": "verify", "outcome": "verified", "note": "属实"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let reward = json!({"action": "reward", "approved_by": "举报奖励评审委员会"});
    let r = t.call("POST", &act, Some(&yj), Some(reward.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    rule["anonymous_with_contact"] = json!(true);
    let r = t
        .call("PUT", "/api/v1/reward-rule", Some(&admin), Some(rule))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t.call("POST", &act, Some(&yj), Some(reward)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

/// 安监总财〔2018〕19号: two reports of one concealed accident are one matter (the accident's
/// key: the enterprise and the accident's day), so only the first received is rewarded; a
/// report of another accident at the same enterprise is a matter of its own.
#[tokio::test]
async fn anjian_zongcai_2018_19_concealed_accident_reports_keyed_by_the_accident() {
    let t = spawn();
    let admin = t.token("admin").await;
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let mut ids = Vec::new();
    for (name, on) in [
        ("张某", "2022-05-25"),
        ("李某", "2022-05-20"),
        ("王某", "2022-05-22"),
    ] {
        let r = t
            .call(
                "POST",
                "/api/v1/reports",
                Some(&admin),
                Some(json!({"channel": "12350热线", "anonymous": false, "reporter_name": name, "reporter_phone": "13907951234",
                            "category": "concealed_accident", "content": "企业发生事故后瞒报", "enterprise_id": t.ids.a_haz, "received_on": on})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.push(r.json()["id"].as_i64().unwrap_or_default());
    }
    let act = |id: i64| format!("/api/v1/reports/{id}/actions");
    let verify = |accident_on: Option<&str>| {
        let mut b = json!({"action": "verify", "outcome": "verified", "note": "核查属实",
                           "accident_level": 0, "concealed_deaths": 1});
        if let Some(d) = accident_on {
            b["accident_on"] = json!(d);
        }
        b
    };
    let r = t
        .call("POST", &act(ids[0]), Some(&insp), Some(verify(None)))
        .await;
    assert!(r.json()["fields"]["accident_on"].is_array(), "{}", r.text());
    // The later and the first report of the accident of 05-01; the third of another one.
    for (id, day) in [
        (ids[0], "2022-05-01"),
        (ids[1], "2022-05-01"),
        (ids[2], "2022-04-10"),
    ] {
        let r = t
            .call("POST", &act(id), Some(&insp), Some(verify(Some(day))))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let reward = json!({"action": "reward", "approved_by": "举报奖励评审委员会"});
    let r = t
        .call("POST", &act(ids[0]), Some(&yj), Some(reward.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("受理在先"), "{}", r.text());
    let r = t
        .call("POST", &act(ids[2]), Some(&yj), Some(reward.clone()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "another accident: {}", r.text());
    let r = t.call("POST", &act(ids[1]), Some(&yj), Some(reward)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}
