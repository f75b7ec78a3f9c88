//! 行刑衔接 transfers and the publicity of penalty decisions through the API.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

/// Issues the 涉嫌犯罪案件移送书 of a transfer.
pub async fn issue_letter(t: &TestApp, token: &str, id: i64) -> serde_json::Value {
    let r = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(token),
            Some(json!({"doc_type": "transfer_letter", "entity": "transfer", "entity_id": id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn transfer_walks_its_steps_with_time_limits() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let body = |officers: serde_json::Value| {
        json!({"enterprise_id": t.ids.a_haz, "subject": "测试企业1有限公司 负责人王某", "crime_type": "dangerous_operation",
               "facts": "关闭可燃气体报警装置后继续生产，具有发生重大伤亡事故的现实危险", "officers": officers})
    };
    let r = t
        .call(
            "POST",
            "/api/v1/transfers",
            Some(&insp),
            Some(body(json!(["杨帆"]))),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["officers"].is_array());
    let r = t.call("POST", "/api/v1/transfers", Some(&insp), Some(json!({"subject": "x", "crime_type": "murder", "facts": "x", "officers": ["a", "b"], "region_code": "360982100200", "sector": "hazchem"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["crime_type"].is_array());
    let r = t
        .call(
            "POST",
            "/api/v1/transfers",
            Some(&insp),
            Some(body(json!(["杨帆", "钟敏"]))),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let v = r.json();
    let id = v["id"].as_i64().unwrap_or_default();
    assert_eq!(v["status"], "reported");
    assert_eq!(v["crime_label"], "危险作业罪");
    assert_eq!(
        v["limits"][0]["due"], "2022-06-06",
        "3 days; the last day (Sat 06-04) moves to Monday"
    );
    let path = format!("/api/v1/transfers/{id}/actions");
    // The head of the department decides, not the inspector; rejection needs a reason.
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "approve"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "POST",
            &path,
            Some(&yj),
            Some(json!({"action": "reject", "approver": "王局长", "capacity": "principal"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // 国务院令第310号 art. 5: only the principal head or the deputy presiding decides, and the
    // record says who and in what capacity.
    let r = t
        .call(
            "POST",
            &path,
            Some(&yj),
            Some(json!({"action": "approve", "version": 1, "approver": "李副局长", "capacity": "deputy"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["capacity"].is_array(), "{}", r.text());
    let r = t
        .call(
            "POST",
            &path,
            Some(&yj),
            Some(json!({"action": "approve", "version": 1, "approver": "王局长", "capacity": "principal"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["limits"][0]["met"], true);
    assert_eq!(
        v["limits"][1]["due"], "2022-06-02 09:00",
        "transfer within 24 hours of the decision (recorded at 09:00), counted in hours"
    );
    assert_eq!(
        (&v["decided_by"], &v["decided_as"], &v["decided_at"]),
        (
            &json!("王局长"),
            &json!("principal"),
            &json!("2022-06-01 09:00")
        )
    );
    // 国务院令第310号 art. 6: the case goes with its 移送书, copied to the procuratorate.
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "transfer", "police_unit": "测试市公安局", "copied_to": "测试市人民检察院"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["letter"].is_array(), "{}", r.text());
    issue_letter(&t, &insp, id).await;
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "transfer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["police_unit"].is_array());
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "transfer", "police_unit": "测试市公安局"})),
        )
        .await;
    assert!(r.json()["fields"]["copied_to"].is_array(), "{}", r.text());
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"action": "transfer", "police_unit": "测试市公安局", "copied_to": "测试市人民检察院"})),
        )
        .await;
    assert_eq!(r.json()["status"], "transferred");
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "police_filed", "date": "2022-06-01", "notified_on": "2022-06-01", "outcome": "已立案侦查"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["status"], "filed");
    assert_eq!(v["allowed_actions"], json!([]));
    // The head's decision, the 24 hours, the police's 3 days to decide on 立案 and their
    // written notice: all met.
    assert!(
        v["limits"]
            .as_array()
            .is_some_and(|l| l.len() == 4 && l.iter().all(|x| x["met"] == true)),
        "{v}"
    );

    // An undecided report is overdue after its limit; scope hides it from others.
    let r = t
        .call(
            "POST",
            "/api/v1/transfers",
            Some(&insp),
            Some(body(json!(["杨帆", "钟敏"]))),
        )
        .await;
    let id2 = r.json()["id"].as_i64().unwrap_or_default();
    t.clock.advance(chrono::Duration::days(6)); // 2022-06-07
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/transfers/{id2}"),
            Some(&insp),
            None,
        )
        .await;
    assert_eq!(r.json()["limits"][0]["overdue"], true);
    let todo = t
        .call("GET", "/api/v1/todos", Some(&insp), None)
        .await
        .json();
    assert_eq!(
        todo["overdue_transfer_steps"],
        json!([[id2, "负责人作出是否移送决定", "2022-06-06"]]),
        "{todo}"
    );
    let paizhu = t.token("paizhu").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/transfers/{id2}"),
            Some(&paizhu),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call("GET", "/api/v1/transfers/export", Some(&insp), None)
        .await;
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(table.rows.len(), 2);
    assert!(
        table
            .rows
            .iter()
            .any(|(_, c)| c[10] == "负责人作出是否移送决定"),
        "{:?}",
        table.rows
    );
}

#[tokio::test]
async fn decision_publicity_is_due_within_seven_working_days() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&insp),
            Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "organisation", "party_name": "测试企业1有限公司", "enterprise_id": t.ids.a_haz,
                        "fine_yuan": 2000.0, "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条"})),
        )
        .await;
    let case_id = r.json()["id"].as_i64().unwrap_or_default();
    let r = t
        .call("GET", "/api/v1/publicity/decisions", Some(&insp), None)
        .await;
    let item = r.json()["items"][0].clone();
    assert_eq!(item["due"], "2022-06-13", "7 working days; 06-03 端午 off");
    assert_eq!(item["overdue"], false);
    t.clock.advance(chrono::Duration::days(13)); // 2022-06-14
    let insp = t.token("zhifa").await;
    let r = t
        .call("GET", "/api/v1/publicity/decisions", Some(&insp), None)
        .await;
    assert_eq!(r.json()["items"][0]["overdue"], true);
    let todo = t
        .call("GET", "/api/v1/todos", Some(&insp), None)
        .await
        .json();
    assert!(
        todo["overdue_case_steps"]
            .as_array()
            .is_some_and(|a| a.contains(&json!([case_id, "处罚决定公示", "2022-06-13"]))),
        "{todo}"
    );
    let path = format!("/api/v1/cases/{case_id}/publicity");
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"published_on": "2022-05-31", "channel": "政府网站"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.call("POST", &path, Some(&insp), Some(json!({"published_on": "2022-06-14", "channel": "测试市人民政府网站", "url": "https://example.gov.cn/gs/1"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call(
            "POST",
            &path,
            Some(&insp),
            Some(json!({"published_on": "2022-06-14", "channel": "政府网站"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .call("GET", "/api/v1/publicity/decisions", Some(&insp), None)
        .await;
    let item = r.json()["items"][0].clone();
    assert_eq!(item["overdue"], false);
    assert_eq!(item["publicity"]["channel"], "测试市人民政府网站");
    let w = format!("{path}/withdraw");
    let r = t
        .call(
            "POST",
            &w,
            Some(&insp),
            Some(json!({"withdrawn_on": "2022-06-14", "reason": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call(
            "POST",
            &w,
            Some(&insp),
            Some(json!({"withdrawn_on": "2022-06-14", "reason": "决定经复议变更"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "POST",
            &w,
            Some(&insp),
            Some(json!({"withdrawn_on": "2022-06-14", "reason": "再次"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The enterprise cannot record publicity.
    let qiye = t.token("qiye").await;
    let r = t
        .call(
            "POST",
            &path,
            Some(&qiye),
            Some(json!({"published_on": "2022-06-14", "channel": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The calendar's edge: a deadline counted into a year whose 国务院办公厅 holiday notice is not
/// entered is flagged on the record and on the administrator's to-do list.
#[tokio::test]
async fn deadline_in_a_year_without_holiday_data_is_flagged() {
    let t = spawn();
    t.clock.set(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 30)
            .and_then(|d| d.and_hms_opt(2, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default(),
    );
    let insp = t.token("zhifa").await;
    let admin = t.token("admin").await;
    let r = t
        .call(
            "POST",
            "/api/v1/transfers",
            Some(&insp),
            Some(json!({"enterprise_id": t.ids.a_haz, "subject": "测试企业1有限公司 负责人王某", "crime_type": "dangerous_operation",
                        "facts": "关闭可燃气体报警装置后继续生产", "officers": ["杨帆", "钟敏"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let limits = r.json()["limits"].clone();
    assert_eq!(limits[0]["due"], "2027-01-04", "{limits}");
    assert_eq!(
        limits[0]["calendar_gap"], "2027年该年度节假日安排未维护",
        "{limits}"
    );
    let todos = t
        .call("GET", "/api/v1/todos", Some(&admin), None)
        .await
        .json();
    assert_eq!(
        todos["calendar_gaps"],
        json!(["2027年该年度节假日安排未维护"]),
        "{todos}"
    );
    // Within maintained years there is no flag.
    t.clock.set(
        chrono::NaiveDate::from_ymd_opt(2022, 6, 1)
            .and_then(|d| d.and_hms_opt(2, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default(),
    );
    let todos = t
        .call("GET", "/api/v1/todos", Some(&admin), None)
        .await
        .json();
    assert_eq!(todos["calendar_gaps"], json!([]), "{todos}");
}

/// 国务院令第310号 art. 5: the 24 hours after the head's decision are hours, not days: a
/// decision recorded on a Friday at 15:30 is due at the police on Saturday at 15:30, and a
/// transfer on Monday is late.
#[tokio::test]
async fn guowuyuan_ling_310_art_5_transfer_within_24_hours_is_counted_in_hours() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let r = t
        .call(
            "POST",
            "/api/v1/transfers",
            Some(&insp),
            Some(json!({"enterprise_id": t.ids.a_haz, "subject": "测试企业1有限公司 负责人王某", "crime_type": "dangerous_operation",
                        "facts": "关闭可燃气体报警装置后继续生产", "officers": ["杨帆", "钟敏"], "report_on": "2022-05-27"})),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let path = format!("/api/v1/transfers/{id}/actions");
    // A past day needs its time of day.
    let r = t
        .call("POST", &path, Some(&yj), Some(json!({"action": "approve", "date": "2022-05-27", "approver": "王局长", "capacity": "principal"})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["time"].is_array(), "{}", r.text());
    let r = t
        .call("POST", &path, Some(&yj), Some(json!({"action": "approve", "date": "2022-05-27", "time": "15:30", "approver": "王局长", "capacity": "presiding"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["limits"][1]["due"], "2022-05-28 15:30");
    issue_letter(&t, &insp, id).await;
    let r = t
        .call("POST", &path, Some(&insp), Some(json!({"action": "transfer", "date": "2022-05-30", "time": "08:00", "police_unit": "测试市公安局", "copied_to": "测试市人民检察院"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let limit = r.json()["limits"][1].clone();
    assert_eq!(
        (&limit["met"], &limit["overdue"]),
        (&json!(false), &json!(false)),
        "{limit}"
    );
}
