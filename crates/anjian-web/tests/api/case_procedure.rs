//! The penalty procedure's rules beyond the main path (行政处罚法 2021): two officers, the
//! cases that need 法制审核, the party's waiver, the hearing's notice, periods that do not
//! count, and the publicity of an overturned decision.

use crate::cases::step;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn general(t: &TestApp) -> Value {
    json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation",
           "party_name": "测试企业1有限公司", "enterprise_id": t.ids.a_haz, "fine_yuan": 20000.0,
           "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条", "measures": ["fine"]})
}

async fn open(t: &TestApp, tok: &str, body: Value) -> Value {
    let r = t.call("POST", "/api/v1/cases", Some(tok), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

/// Opens a general case and takes it to the notice (告知) on the test clock's day.
async fn notified(t: &TestApp, tok: &str, body: Value) -> i64 {
    let id = open(t, tok, body).await["id"].as_i64().unwrap_or_default();
    for b in [
        json!({"action": "investigate"}),
        json!({"action": "examine", "note": "事实清楚"}),
        json!({"action": "notify"}),
    ] {
        let r = step(t, tok, id, b).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    id
}

#[tokio::test]
async fn xingzheng_chufa_fa_art_42_at_least_two_officers() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    for officers in [
        json!([]),
        json!(["执法员甲"]),
        json!(["执法员甲", " 执法员甲 "]),
    ] {
        let mut body = general(&t);
        body["officers"] = officers.clone();
        let r = t
            .call("POST", "/api/v1/cases", Some(&insp), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{officers}");
        assert!(
            r.json()["fields"]["officers"][0]
                .as_str()
                .is_some_and(|m| m.contains("第四十二条")),
            "{}",
            r.text()
        );
    }
    let c = open(&t, &insp, general(&t)).await;
    assert_eq!(c["officers"], json!(["执法员甲", "执法员乙"]));
}

#[tokio::test]
async fn xingzheng_chufa_fa_art_58_complex_and_public_interest_cases_are_reviewed() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let waive = json!({"action": "waive", "note": "当事人书面声明放弃陈述申辩和听证"});
    // A fine under the county's thresholds, but a complex case: review and discussion.
    let mut body = general(&t);
    body["complex"] = json!(true);
    let id = notified(&t, &insp, body).await;
    assert_eq!(
        step(&t, &insp, id, waive.clone()).await.status,
        StatusCode::OK
    );
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert!(
        r.json()["fields"]["legal_review"].is_array(),
        "{}",
        r.text()
    );
    let review =
        json!({"action": "legal_review", "reviewer": "法制员", "outcome": "pass", "note": "同意"});
    assert_eq!(
        step(&t, &insp, id, review.clone()).await.status,
        StatusCode::OK
    );
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert!(r.json()["fields"]["discussion"].is_array(), "{}", r.text());
    // Of major public interest: the review only.
    let mut body = general(&t);
    body["public_interest"] = json!(true);
    let id = notified(&t, &insp, body).await;
    assert_eq!(step(&t, &insp, id, waive).await.status, StatusCode::OK);
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert!(
        r.json()["fields"]["legal_review"].is_array(),
        "{}",
        r.text()
    );
    assert_eq!(step(&t, &insp, id, review).await.status, StatusCode::OK);
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn xingzheng_chufa_fa_art_64_8_waiver_withdrawal_and_absence() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    // Without a waiver the decision waits for the 5 working days after the notice.
    let id = notified(&t, &insp, general(&t)).await;
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = step(&t, &insp, id, json!({"action": "waive"})).await;
    assert!(
        r.json()["fields"]["note"].is_array(),
        "how the party waived"
    );
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "waive", "note": "书面声明"}),
    )
    .await;
    assert_eq!(r.json()["rights_waived"], "waived");
    assert!(
        !r.json()["allowed_actions"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("request_hearing"))),
        "a waived hearing is not offered"
    );
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // A withdrawn request: back to the notice, decided at once.
    let id = notified(&t, &insp, general(&t)).await;
    step(&t, &insp, id, json!({"action": "request_hearing"})).await;
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "withdraw_hearing", "note": "撤回"}),
    )
    .await;
    assert_eq!(r.json()["status"], "notified", "{}", r.text());
    assert_eq!(r.json()["rights_waived"], "withdrawn");
    let r = step(&t, &insp, id, json!({"action": "decide"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn xingzheng_chufa_fa_art_64_hearing_asked_in_5_days_noticed_7_working_days_before() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    // Asked after the 5 working days (06-02, 06-06..06-09; 06-03 端午): refused.
    let late = notified(&t, &insp, general(&t)).await;
    let id = notified(&t, &insp, general(&t)).await;
    let r = step(&t, &insp, id, json!({"action": "request_hearing"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // The hearing cannot be held before its notice is out and its day has come.
    let r = step(&t, &insp, id, json!({"action": "hear"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "schedule_hearing", "on": "2022-06-01", "hearing_on": "2022-06-10"}),
    )
    .await;
    assert!(
        r.json()["fields"]["hearing_on"][0]
            .as_str()
            .is_some_and(|m| m.contains("2022-06-13")),
        "seven working days after 06-01 is 06-13: {}",
        r.text()
    );
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "schedule_hearing", "on": "2022-06-01", "hearing_on": "2022-06-13"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["hearing_on"], "2022-06-13");
    t.clock.advance(chrono::Duration::days(12)); // 2022-06-13
    let insp = t.token("zhifa").await;
    let r = step(&t, &insp, late, json!({"action": "request_hearing"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("五个工作日"), "{}", r.text());
    let r = step(&t, &insp, id, json!({"action": "hear", "note": "听证"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // The work-safety rule does not count the hearing (06-02..06-13): 30 + 12 days.
    let limit = r.json()["limits"][0].clone();
    assert_eq!(limit["due"], "2022-07-13", "{limit}");
    assert!(
        limit["rule"].as_str().is_some_and(|s| s.contains("听证")),
        "{limit}"
    );
}

#[tokio::test]
async fn decision_period_does_not_count_an_appraisal_where_the_rule_says_so() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let id = open(&t, &insp, general(&t)).await["id"]
        .as_i64()
        .unwrap_or_default();
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "suspend", "kind": "litigation"}),
    )
    .await;
    assert!(
        r.json()["fields"]["kind"].is_array(),
        "not a period before the decision"
    );
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "suspend", "kind": "appraisal", "note": "委托检测机构检测"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    t.clock.advance(chrono::Duration::days(10)); // 2022-06-11
    let insp = t.token("zhifa").await;
    let r = step(&t, &insp, id, json!({"action": "resume"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["pauses"][0]["to"], "2022-06-11");
    assert_eq!(
        r.json()["limits"][0]["due"],
        "2022-07-11",
        "30 days from 06-01, plus 06-02..06-11 not counted"
    );
    assert!(
        !r.json()["allowed_actions"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("resume")))
    );
}

#[tokio::test]
async fn xingzheng_chufa_fa_arts_66_73_no_surcharge_while_review_is_pending() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let c = open(
        &t,
        &insp,
        json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "organisation",
               "party_name": "测试企业1有限公司", "enterprise_id": t.ids.a_haz, "fine_yuan": 2000.0,
               "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条"}),
    )
    .await;
    let id = c["id"].as_i64().unwrap_or_default();
    // Served 06-01: payment due 06-16. Review pending 06-20..06-29; paid 07-06.
    t.clock.advance(chrono::Duration::days(19)); // 06-20
    let insp = t.token("zhifa").await;
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "stay", "kind": "reconsideration", "note": "当事人申请行政复议"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    t.clock.advance(chrono::Duration::days(9)); // 06-29
    let insp = t.token("zhifa").await;
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "resume", "note": "复议维持"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    t.clock.advance(chrono::Duration::days(7)); // 07-06
    let insp = t.token("zhifa").await;
    let r = step(&t, &insp, id, json!({"action": "execute"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // 20 days late less 10 under review: 2000 × 3 % × 10 = 600 元, kept after payment.
    assert_eq!(r.json()["late_surcharge_yuan"], 600.0, "{}", r.text());
    t.clock.advance(chrono::Duration::days(30));
    let insp = t.token("zhifa").await;
    let r = t
        .call("GET", &format!("/api/v1/cases/{id}"), Some(&insp), None)
        .await;
    assert_eq!(r.json()["late_surcharge_yuan"], 600.0, "{}", r.text());
}

#[tokio::test]
async fn xingzheng_chufa_fa_art_48_overturned_decision_withdrawn_within_3_working_days() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let simple = json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "organisation",
                        "party_name": "测试企业1有限公司", "enterprise_id": t.ids.a_haz, "fine_yuan": 2000.0,
                        "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条"});
    let id = open(&t, &insp, simple.clone()).await["id"]
        .as_i64()
        .unwrap_or_default();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/cases/{id}/publicity"),
            Some(&insp),
            Some(json!({"published_on": "2022-06-01", "channel": "测试市人民政府网站"})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "overturn", "kind": "revoked"}),
    )
    .await;
    assert!(r.json()["fields"]["note"].is_array(), "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "overturn", "kind": "revoked", "note": "测试市人民政府行政复议决定书撤销"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let list = t
        .call("GET", "/api/v1/publicity/decisions", Some(&insp), None)
        .await
        .json();
    let item = list["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["case_id"] == id).cloned())
        .unwrap_or_default();
    assert_eq!(
        item["withdraw_due"], "2022-06-07",
        "3 working days; 06-03 端午: {item}"
    );
    t.clock.advance(chrono::Duration::days(7)); // 06-08
    let insp = t.token("zhifa").await;
    let admin = t.token("admin").await;
    let todo = t
        .call("GET", "/api/v1/todos", Some(&insp), None)
        .await
        .json();
    assert!(
        todo["overdue_case_steps"]
            .as_array()
            .is_some_and(|a| a.contains(&json!([
                id,
                "撤回已变更或撤销的处罚决定公示",
                "2022-06-07"
            ]))),
        "{todo}"
    );
    // Whether simple-procedure decisions are published at all is the county's setting.
    let r = t
        .call(
            "PUT",
            "/api/v1/settings/publish_simple_decisions",
            Some(&admin),
            Some(json!({"value": "false"})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    open(&t, &insp, simple).await;
    let list = t
        .call("GET", "/api/v1/publicity/decisions", Some(&insp), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{list}");
}

/// The case page names how the party's rights ended and how the decision was overturned in
/// Chinese, from the domain's labels, and offers the four ways of overturning.
#[tokio::test]
async fn the_case_page_says_the_waiver_and_the_overturn_in_chinese() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let id = notified(&t, &insp, general(&t)).await;
    step(&t, &insp, id, json!({"action": "request_hearing"})).await;
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "withdraw_hearing", "note": "撤回"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    for b in [json!({"action": "decide"}), json!({"action": "serve"})] {
        let r = step(&t, &insp, id, b).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    // A way of overturning that is not one of the four is refused by its field.
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "overturn", "kind": "reversed", "note": "x"}),
    )
    .await;
    assert!(r.json()["fields"]["kind"].is_array(), "{}", r.text());
    let r = step(
        &t,
        &insp,
        id,
        json!({"action": "overturn", "kind": "changed", "note": "复议决定书变更"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["overturn"], "changed");
    let (session, _) = t.web_login("zhifa").await;
    let page = t.page(&format!("/cases/{id}"), &session).await.text();
    assert!(page.contains("当事人撤回听证申请"), "{page}");
    assert!(page.contains("依法变更"), "{page}");
}
