//! Annual enforcement plans through the API: drafting, approval, progress per month.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn plan_draft_approve_and_progress() {
    let t = spawn();
    let yj = t.token("yingji").await;
    let admin = t.token("admin").await;
    let plan = |sector: &str, version: i64| {
        json!({"year": 2022, "title": "2022年度安全生产监督检查计划", "random_share_percent": 70, "version": version,
               "key_enterprise_ids": [t.ids.a_haz, t.ids.b_haz],
               "lines": [{"sector": sector, "category": "key", "month": 6, "planned": 3},
                         {"sector": sector, "category": "general", "month": 6, "planned": 2},
                         {"sector": sector, "category": "general", "month": 7, "planned": 4}]})
    };
    let r = t
        .call("POST", "/api/v1/plans", Some(&yj), Some(plan("fire", 1)))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not the department's sector"
    );
    assert!(
        r.json()["fields"]["lines[0].sector"].is_array(),
        "{}",
        r.text()
    );
    let r = t
        .call("POST", "/api/v1/plans", Some(&yj), Some(plan("hazchem", 1)))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    let id = p["id"].as_i64().unwrap_or_default();
    assert_eq!(p["status"], "draft");
    // The draft can be revised (with its version); approval is the admin's.
    let r = t
        .call("POST", "/api/v1/plans", Some(&yj), Some(plan("hazchem", 1)))
        .await;
    assert_eq!(r.json()["version"], 2, "{}", r.text());
    let approve = json!({"version": 2, "approved_by": "测试市人民政府", "approved_on": "2022-06-01", "doc_no": "测府字〔2022〕8号"});
    let r = t
        .call(
            "POST",
            &format!("/api/v1/plans/{id}/approve"),
            Some(&yj),
            Some(approve.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "POST",
            &format!("/api/v1/plans/{id}/approve"),
            Some(&admin),
            Some(approve),
        )
        .await;
    assert_eq!(r.json()["status"], "approved", "{}", r.text());
    let r = t
        .call("POST", "/api/v1/plans", Some(&yj), Some(plan("hazchem", 3)))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "an approved plan is fixed");

    // Progress comes from the inspections recorded by the department.
    let insp = t.token("zhifa").await;
    let officers = t.officer_ids();
    for (e, kind) in [(t.ids.a_haz, "random"), (t.ids.a_haz, "routine")] {
        let r = t
            .call("POST", "/api/v1/inspections", Some(&insp), Some(json!({"enterprise_id": e, "sector": "hazchem", "kind": kind, "enforcement": true,
                "inspected_on": "2022-06-01", "officer_ids": officers})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let r = t
        .call("GET", &format!("/api/v1/plans/{id}"), Some(&yj), None)
        .await;
    let v = r.json();
    assert_eq!(v["planned_total"], 9);
    assert_eq!(v["done_total"], 2);
    assert_eq!(
        v["months"][5],
        json!({"month": 6, "planned": 5, "done": 2, "random_done": 1})
    );
    assert_eq!(v["months"][6]["planned"], 4);
    assert_eq!(v["random_share_actual"], 50.0);
    assert_eq!(
        (v["key_total"].as_u64(), v["key_covered"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(v["key_uncovered"], json!([t.ids.b_haz]));
    // Enterprises see no plans.
    let qiye = t.token("qiye").await;
    let r = t
        .call("GET", &format!("/api/v1/plans/{id}"), Some(&qiye), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.call("GET", "/api/v1/plans/export", Some(&yj), None).await;
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(table.rows.len(), 12, "one row per month");
    assert_eq!(
        table.rows[5].1[5..8],
        ["5".to_string(), "2".to_string(), "1".to_string()]
    );
}
