//! Inspections through the API.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn inspection_with_checklist_findings_and_record() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let tpl = t
        .call(
            "GET",
            "/api/v1/checklist-templates?sector=hazchem",
            Some(&insp),
            None,
        )
        .await
        .json();
    let tid = tpl["items"][0]["id"].as_i64().unwrap_or_default();
    assert!(tid > 0, "a default hazchem template is shipped: {tpl}");
    let mut body = json!({
        "enterprise_id": t.ids.a_haz, "sector": "hazchem", "kind": "random", "inspected_on": "2022-05-31",
        "inspectors": ["杨帆"], "template_id": tid,
        "results": [{"code": "1", "result": "pass"}, {"code": "3", "result": "fail", "note": "2号储罐报警器失效"}],
        "findings": ["现场消防通道堆放杂物"], "summary": "对该企业开展双随机抽查"
    });
    // An enforcement inspection (双随机) needs two certified officers: names typed are not.
    let r = t
        .call(
            "POST",
            "/api/v1/inspections",
            Some(&insp),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["fields"]["officer_ids"],
        json!(["行政执法检查须有两名以上持有效执法证的执法人员"])
    );
    body["inspectors"] = json!(["杨帆", "刘芳"]);
    let r = t
        .call(
            "POST",
            "/api/v1/inspections",
            Some(&insp),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    body["officer_ids"] = json!(t.officer_ids());
    body["inspectors"] = json!(["县应急管理局专家 刘芳"]);
    let r = t
        .call("POST", "/api/v1/inspections", Some(&insp), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let i = r.json();
    let id = i["id"].as_i64().unwrap_or_default();
    assert_eq!(i["enforcement"], true);
    let findings = i["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 2, "the failed item and the free finding");
    assert!(
        findings[0]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("2号储罐报警器失效")
    );
    // A finding becomes a hazard in one step, once.
    let fid = findings[0]["id"].as_i64().unwrap_or_default();
    let url = format!("/api/v1/inspections/{id}/findings/{fid}/hazard");
    let r = t
        .call(
            "POST",
            &url,
            Some(&insp),
            Some(json!({"level": "general", "deadline": "2022-06-10"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let h = r.json();
    assert_eq!(
        (
            h["source"].as_str(),
            h["found_on"].as_str(),
            h["enterprise_id"].as_i64()
        ),
        (Some("inspection"), Some("2022-05-31"), Some(t.ids.a_haz))
    );
    assert_eq!(
        t.call("POST", &url, Some(&insp), Some(json!({})))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let i = t
        .call(
            "GET",
            &format!("/api/v1/inspections/{id}"),
            Some(&insp),
            None,
        )
        .await
        .json();
    assert_eq!(i["findings"][0]["hazard_id"], h["id"]);
    // The 现场检查记录 as Word; the enterprise sees its own inspection; others don't.
    let doc = t
        .call(
            "GET",
            &format!("/api/v1/inspections/{id}/record"),
            Some(&insp),
            None,
        )
        .await;
    assert!(doc.body.starts_with(b"PK"));
    let ent = t.token("qiye").await;
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/inspections/{id}"),
            Some(&ent),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    let r = t.call("POST", "/api/v1/inspections", Some(&ent), Some(json!({"enterprise_id": t.ids.a_haz, "sector": "hazchem", "kind": "routine", "inspected_on": "2022-05-31", "inspectors": ["a"]}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = t.token("paizhu").await;
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/inspections/{id}"),
            Some(&other),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.call(
            "POST",
            "/api/v1/inspections/x/findings/1/hazard",
            Some(&insp),
            Some(json!({}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Admins edit templates.
    let admin = t.token("admin").await;
    let r = t.call("PUT", "/api/v1/checklist-templates", Some(&admin), Some(json!({"sector": "fire", "name": "商场检查表", "items": [{"text": "安全出口畅通", "basis": "消防法"}]}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        t.call(
            "PUT",
            "/api/v1/checklist-templates",
            Some(&insp),
            Some(json!({"sector": "fire", "name": "x", "items": [{"text": "a"}]}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}
