//! Major hazards under 一单四制 through the API.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn case_act(t: &TestApp, token: &str, id: i64, body: Value) -> crate::helpers::Resp {
    t.call(
        "POST",
        &format!("/api/v1/major-hazards/{id}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

async fn new_major(t: &TestApp, token: &str) -> i64 {
    let body = json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "major", "source": "inspection",
        "description": "重点监管危险化工工艺未设紧急停车系统", "found_on": "2022-05-20"});
    let r = t
        .call("POST", "/api/v1/hazards", Some(token), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap_or_default()
}

pub(crate) fn multipart_pdf() -> (String, Vec<u8>) {
    let b = "Bnd7";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"验收报告.pdf\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(b"%PDF-1.4 report");
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

#[tokio::test]
async fn the_whole_one_list_four_systems_loop() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let yj = t.token("yingji").await;
    let ent = t.token("qiye").await;
    let id = new_major(&t, &insp).await;
    let v = t
        .call(
            "GET",
            &format!("/api/v1/major-hazards/{id}"),
            Some(&yj),
            None,
        )
        .await
        .json();
    assert_eq!(v["case"]["state"], "under_determination");
    assert_eq!(v["case"]["case_no"], "2022-0001");
    // The general loop is closed to a major hazard under 一单四制.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/hazards/{id}/actions"),
            Some(&insp),
            Some(json!({"action": "order", "deadline": "2022-07-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Determination needs its basis; inspectors and enterprises may not determine.
    assert_eq!(case_act(&t, &insp, id, json!({"action": "list", "basis_standard": "x", "basis_clause": "y", "determined_by": "z"})).await.status, StatusCode::FORBIDDEN);
    let r = case_act(&t, &yj, id, json!({"action": "list"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    assert!(
        f["basis_standard"].is_array()
            && f["basis_clause"].is_array()
            && f["determined_by"].is_array(),
        "{f}"
    );
    let r = case_act(&t, &yj, id, json!({"action": "list", "basis_standard": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）", "basis_clause": "第四条", "determined_by": "2022年第5次安委办专题会议"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["case"]["state"], "listed");
    // 交办 with letter, responsible unit, coordinating supervisor and deadline.
    let r = case_act(&t, &yj, id, json!({"action": "assign", "assignment_no": "樟安办交〔2022〕7号", "assigning_unit": "市安委办", "coordinating_supervisor": "市应急管理局", "responsible_unit": "测试企业1有限公司", "deadline": "2022-08-31"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (
            v["case"]["state"].as_str(),
            v["hazard"]["status"].as_str(),
            v["hazard"]["deadline"].as_str()
        ),
        (Some("assigned"), Some("ordered"), Some("2022-08-31"))
    );
    // No rectification without the 五落实: a clear 422 naming what is missing; nothing written.
    let r = case_act(
        &t,
        &ent,
        id,
        json!({"action": "start", "measures": "加装紧急停车系统"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let f = r.json()["fields"].clone();
    for k in ["responsible_person", "funds_planned", "emergency_plan"] {
        assert!(f[k].is_array(), "{k}: {f}");
    }
    let v = t
        .call(
            "GET",
            &format!("/api/v1/major-hazards/{id}"),
            Some(&ent),
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            v["case"]["state"].as_str(),
            v["hazard"]["measures"].as_str()
        ),
        (Some("assigned"), Some(""))
    );
    let r = case_act(&t, &ent, id, json!({"action": "start", "responsible_person": "张三", "measures": "加装紧急停车系统", "funds_planned": 800000, "emergency_plan": "危化品泄漏专项应急预案"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["hazard"]["status"], "rectifying");
    // Ledger entries, an extension request and its approval.
    assert_eq!(
        case_act(
            &t,
            &ent,
            id,
            json!({"action": "ledger", "progress": 40, "note": "设备已采购"})
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        case_act(
            &t,
            &ent,
            id,
            json!({"action": "ledger", "progress": 140, "note": "x"})
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = case_act(
        &t,
        &ent,
        id,
        json!({"action": "request_extension", "deadline": "2022-09-30", "note": "设备到货延迟"}),
    )
    .await;
    assert_eq!(r.json()["case"]["state"], "extension_requested");
    let r = case_act(
        &t,
        &yj,
        id,
        json!({"action": "approve_extension", "note": "同意"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (
            v["case"]["state"].as_str(),
            v["hazard"]["deadline"].as_str()
        ),
        (Some("in_remediation"), Some("2022-09-30"))
    );
    assert_eq!(v["extensions"][0]["status"], "approved");
    assert_eq!(v["ledger"][0]["progress"], 40);
    // Close-out needs evidence; acceptance fails once, then 销号.
    let r = case_act(
        &t,
        &ent,
        id,
        json!({"action": "request_closeout", "note": "已完成"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["file"].is_array());
    let (ct, body) = multipart_pdf();
    assert_eq!(
        t.raw(
            "POST",
            &format!("/api/v1/hazards/{id}/attachments"),
            Some(&ent),
            &ct,
            body
        )
        .await
        .status,
        StatusCode::CREATED
    );
    assert_eq!(
        case_act(
            &t,
            &ent,
            id,
            json!({"action": "request_closeout", "note": "已完成"})
        )
        .await
        .json()["case"]["state"],
        "closeout_requested"
    );
    let r = case_act(&t, &yj, id, json!({"action": "fail", "note": "联锁未投用"})).await;
    assert_eq!(r.json()["case"]["state"], "in_remediation");
    assert_eq!(
        case_act(
            &t,
            &ent,
            id,
            json!({"action": "request_closeout", "note": "联锁已投用"})
        )
        .await
        .status,
        StatusCode::OK
    );
    let r = case_act(&t, &yj, id, json!({"action": "accept", "version": 1})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "stale version");
    let r = case_act(&t, &yj, id, json!({"action": "accept"})).await;
    let v = r.json();
    assert_eq!(
        (
            v["case"]["state"].as_str(),
            v["hazard"]["status"].as_str(),
            v["case"]["closed_on"].as_str()
        ),
        (Some("closed"), Some("closed"), Some("2022-06-01"))
    );
    let h = t
        .call("GET", &format!("/api/v1/hazards/{id}"), Some(&yj), None)
        .await
        .json();
    let n = h["events"].as_array().map(Vec::len).unwrap_or(0);
    assert!(n >= 12, "every step is on the timeline: {n}");
    let admin = t.token("admin").await;
    assert_eq!(
        t.call("GET", "/api/v1/audit/verify", Some(&admin), None)
            .await
            .json()["ok"],
        true
    );
}

#[tokio::test]
async fn downgrade_and_the_bulletin_of_overdue_items() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let admin = t.token("admin").await;
    let a = new_major(&t, &insp).await;
    let b = new_major(&t, &insp).await;
    // Downgrade is a recorded decision with its reason; the hazard becomes general.
    assert_eq!(
        case_act(&t, &admin, a, json!({"action": "downgrade"}))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = case_act(
        &t,
        &admin,
        a,
        json!({"action": "downgrade", "note": "经专家论证不构成重大事故隐患"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        (
            r.json()["case"]["state"].as_str(),
            r.json()["hazard"]["level"].as_str()
        ),
        (Some("downgraded"), Some("general"))
    );
    // The general loop applies again to the downgraded hazard.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/hazards/{a}/actions"),
            Some(&insp),
            Some(json!({"action": "order", "deadline": "2022-06-20"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    for body in [
        json!({"action": "list", "basis_standard": "判定标准", "basis_clause": "第四条", "determined_by": "专题会议"}),
        json!({"action": "assign", "assignment_no": "交〔2022〕8号", "assigning_unit": "市安委办", "coordinating_supervisor": "市应急管理局", "responsible_unit": "测试企业1有限公司", "deadline": "2022-06-10"}),
    ] {
        assert_eq!(case_act(&t, &admin, b, body).await.status, StatusCode::OK);
    }
    let list = t
        .call("GET", "/api/v1/major-hazards?open=true", Some(&admin), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    // Half-monthly 通报: on 2022-06-16 case b is overdue; issuing twice gives one record.
    t.clock.advance(chrono::Duration::days(15));
    let admin = t.token("admin").await;
    let r = t
        .call(
            "POST",
            "/api/v1/major-hazards/bulletins",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let bul = r.json();
    assert_eq!(bul["cycle"], "2022年6月下半月");
    assert!(
        bul["items"]
            .as_str()
            .unwrap_or_default()
            .contains("交〔2022〕8号")
    );
    let again = t
        .call(
            "POST",
            "/api/v1/major-hazards/bulletins",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(again["id"], bul["id"]);
    let list = t
        .call("GET", "/api/v1/major-hazards/bulletins", Some(&admin), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let doc = t
        .call(
            "GET",
            &format!("/api/v1/major-hazards/bulletins/{}", bul["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body.starts_with(b"PK"), "a .docx file");
    let qiye = t.token("qiye").await;
    assert_eq!(
        t.call("POST", "/api/v1/major-hazards/bulletins", Some(&qiye), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_daily_job_issues_the_bulletin_at_the_start_of_each_cycle() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let admin = t.token("admin").await;
    let id = new_major(&t, &insp).await;
    for body in [
        json!({"action": "list", "basis_standard": "判定标准", "basis_clause": "第四条", "determined_by": "专题会议"}),
        json!({"action": "assign", "assignment_no": "交〔2022〕9号", "assigning_unit": "市安委办", "coordinating_supervisor": "市应急管理局", "responsible_unit": "测试企业1有限公司", "deadline": "2022-06-05"}),
    ] {
        assert_eq!(case_act(&t, &admin, id, body).await.status, StatusCode::OK);
    }
    // 2022-06-16 starts the second half of June: the job issues the 通报 by itself.
    t.clock.advance(chrono::Duration::days(15));
    let admin = t.token("admin").await;
    assert_eq!(
        t.call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&admin),
            None
        )
        .await
        .json()["ran"],
        true
    );
    let list = t
        .call("GET", "/api/v1/major-hazards/bulletins", Some(&admin), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    assert!(
        list["items"][0]["items"]
            .as_str()
            .unwrap_or_default()
            .contains("交〔2022〕9号")
    );
    // A monthly cycle: the next bulletin is for July, issued on 07-01.
    let r = t
        .call(
            "PUT",
            "/api/v1/settings/major_bulletin_cycle",
            Some(&admin),
            Some(json!({"value": "month"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        t.call(
            "PUT",
            "/api/v1/settings/major_bulletin_cycle",
            Some(&admin),
            Some(json!({"value": "daily"}))
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        t.call(
            "PUT",
            "/api/v1/settings/other",
            Some(&admin),
            Some(json!({"value": "x"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    t.clock.advance(chrono::Duration::days(15)); // 07-01
    let admin = t.token("admin").await;
    assert_eq!(
        t.call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&admin),
            None
        )
        .await
        .json()["ran"],
        true
    );
    let list = t
        .call("GET", "/api/v1/major-hazards/bulletins", Some(&admin), None)
        .await
        .json();
    let cycles: Vec<&str> = list["items"]
        .as_array()
        .map(|v| v.iter().filter_map(|b| b["cycle"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(cycles, vec!["2022年7月", "2022年6月下半月"]);
}
