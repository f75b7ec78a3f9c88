//! 行刑衔接 after the case leaves the agency: the 移送书 and its copy, the police's limit to
//! decide on 立案, and the agency's reconsideration and supervision requests
//! (国务院令第310号 as revised 2020, arts. 6, 8, 9; 应急〔2019〕54号).

use crate::helpers::*;
use crate::transfers::issue_letter;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// A transfer reported, approved and handed to the police on 2022-06-01 (a Wednesday).
async fn transferred(t: &TestApp, persons: i64) -> (i64, String) {
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let r = t
        .call(
            "POST",
            "/api/v1/transfers",
            Some(&insp),
            Some(json!({"enterprise_id": t.ids.a_haz, "subject": "测试企业1有限公司 负责人王某、李某", "crime_type": "dangerous_operation",
                        "facts": "关闭可燃气体报警装置后继续生产", "officers": ["杨帆", "钟敏"], "persons": persons})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let path = format!("/api/v1/transfers/{id}/actions");
    let r = t
        .call(
            "POST",
            &path,
            Some(&yj),
            Some(json!({"action": "approve", "approver": "王局长", "capacity": "principal"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    issue_letter(t, &insp, id).await;
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "transfer", "police_unit": "测试市公安局", "copied_to": "测试市人民检察院"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    (id, path)
}

fn limit<'a>(v: &'a Value, step: &str) -> &'a Value {
    v["limits"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["step"] == step))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn guowuyuan_ling_310_art_6_letter_is_a_numbered_document_copied_to_the_procuratorate() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let (id, _) = transferred(&t, 2).await;
    let r = t
        .call("GET", &format!("/api/v1/transfers/{id}"), Some(&insp), None)
        .await;
    let v = r.json();
    assert_eq!(
        (
            &v["copied_to"],
            &v["copied_on"],
            &v["accepted_on"],
            &v["persons"]
        ),
        (
            &json!("测试市人民检察院"),
            &json!("2022-06-01"),
            &json!("2022-06-01"),
            &json!(2)
        ),
        "{v}"
    );
    let docs = t
        .call(
            "GET",
            &format!("/api/v1/documents?entity=transfer&entity_id={id}"),
            Some(&insp),
            None,
        )
        .await
        .json();
    let doc = &docs["items"][0];
    assert_eq!(doc["doc_type"], "transfer_letter", "{docs}");
    assert!(
        doc["doc_no"]
            .as_str()
            .is_some_and(|n| n.contains("移〔2022〕1号")),
        "{doc}"
    );
    let body = doc["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("涉嫌危险作业罪")
            && body.contains("涉嫌犯罪人员2人")
            && body.contains("抄送"),
        "{body}"
    );
    // The transfer page lists the letter and the copy.
    let (session, _) = t.web_login("zhifa").await;
    let page = t.page(&format!("/transfers/{id}"), &session).await.text();
    assert!(page.contains("涉嫌犯罪案件移送书"), "{page}");
    assert!(page.contains("测试市人民检察院"), "{page}");
}

#[tokio::test]
async fn yingji_2019_54_police_decide_on_li_an_within_3_days_or_7_or_30_with_reason() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let (id, path) = transferred(&t, 1).await;
    let r = t
        .call("GET", &format!("/api/v1/transfers/{id}"), Some(&insp), None)
        .await;
    let v = r.json();
    assert_eq!(
        limit(&v, "公安机关决定是否立案")["due"],
        "2022-06-06",
        "3 days from acceptance on 06-01; 06-04 is a Saturday, so the last day moves to Monday: {v}"
    );
    // A longer limit needs its ground and reason.
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "police_limit", "police_limit": "verify"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["reason"].is_array(), "{}", r.text());
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "police_limit", "police_limit": "complex", "reason": "重大疑难复杂，经县公安局负责人批准"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["status"], "transferred");
    assert_eq!(v["police_limit"], "complex");
    assert_eq!(limit(&v, "公安机关决定是否立案")["due"], "2022-07-01");
    // Past the limit without a decision, the step is overdue on the officer's to-do list.
    t.clock.advance(chrono::Duration::days(31)); // 2022-07-02
    let insp = t.token("zhifa").await;
    let v = t
        .call("GET", &format!("/api/v1/transfers/{id}"), Some(&insp), None)
        .await
        .json();
    assert_eq!(limit(&v, "公安机关决定是否立案")["overdue"], true, "{v}");
    let todo = t
        .call("GET", "/api/v1/todos", Some(&insp), None)
        .await
        .json();
    assert!(
        todo["overdue_transfer_steps"]
            .as_array()
            .is_some_and(|a| a.contains(&json!([id, "公安机关决定是否立案", "2022-07-01"]))),
        "{todo}"
    );
}

#[tokio::test]
async fn guowuyuan_ling_310_art_9_reconsideration_within_3_days_then_procuratorate_supervision() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let (_, path) = transferred(&t, 1).await;
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "police_not_filed", "notified_on": "2022-06-01", "outcome": "认为情节显著轻微"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["status"], "not_filed");
    assert_eq!(
        v["allowed_actions"],
        json!(["reconsider", "supervise"]),
        "{v}"
    );
    assert_eq!(limit(&v, "提请公安机关复议")["due"], "2022-06-06", "{v}");
    // The window lapses after 3 days (06-04 Sat → Mon 06-06): a request on 06-07 is refused.
    t.clock.advance(chrono::Duration::days(6)); // 2022-06-07
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "reconsider", "date": "2022-06-07"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["date"].is_array(), "{}", r.text());
    // In time, the police owe their answer within 3 days of receiving the request.
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "reconsider", "date": "2022-06-06"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["status"], "reconsidering");
    assert_eq!(
        (
            &limit(&v, "公安机关作出复议决定")["due"],
            &limit(&v, "公安机关作出复议决定")["overdue"]
        ),
        (&json!("2022-06-09"), &json!(false)),
        "{v}"
    );
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "police_not_filed", "date": "2022-06-07", "outcome": "维持"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["status"], "not_filed");
    // Reconsideration is asked once; supervision remains, within 3 days of the answer.
    assert_eq!(v["allowed_actions"], json!(["supervise"]), "{v}");
    assert!(
        v["outcome"].as_str().is_some_and(|o| o.contains("认为情节显著轻微")
            && o.contains("复议维持不予立案：维持")),
        "{v}"
    );
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "supervise", "date": "2022-06-07"})),
        )
        .await;
    assert!(
        r.json()["fields"]["procuratorate"].is_array(),
        "{}",
        r.text()
    );
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "supervise", "date": "2022-06-07", "procuratorate": "测试市人民检察院"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["status"], "supervising");
    assert_eq!(limit(&v, "建议人民检察院立案监督")["met"], true, "{v}");
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "police_filed", "date": "2022-06-07", "outcome": "检察院通知立案后已立案"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (&v["status"], &v["supervision_decided_on"]),
        (&json!("filed"), &json!("2022-06-07"))
    );
    assert_eq!(v["allowed_actions"], json!([]));
}

/// "移送司法机关处理N人": people are counted from each transfer's persons, not one per record.
#[tokio::test]
async fn report_2022_yi_song_si_fa_counts_the_persons_of_each_transfer() {
    let t = spawn();
    transferred(&t, 3).await;
    transferred(&t, 0).await;
    let admin = t.token("admin").await;
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/values?period=2022&ids=transfers.transferred,transfers.cases",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (&v["items"][0]["raw"], &v["items"][1]["raw"]),
        (&json!(3), &json!(2)),
        "{v}"
    );
}
