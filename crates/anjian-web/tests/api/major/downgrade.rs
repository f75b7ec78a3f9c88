//! A downgraded case, and the 通报 of overdue items.

use super::*;

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
