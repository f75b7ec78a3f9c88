//! The whole 一单四制 loop, from registration to 销号.

use super::*;

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
