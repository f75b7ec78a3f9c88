//! Campaign tags name registered campaigns.

use super::*;

#[tokio::test]
async fn campaign_tags_must_name_a_registered_campaign() {
    let t = spawn();
    let admin = t.token("admin").await;
    let h = json!({"region_code": VILLAGE_A1, "sector": "fire", "level": "general", "source": "inspection",
        "description": "疏散通道堵塞", "found_on": "2022-05-10", "deadline": "2022-05-20", "confirm_past_deadline": true,
        "campaign": "bairi"});
    let r = t
        .call("POST", "/api/v1/hazards", Some(&admin), Some(h.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["campaign"].is_array());
    let c = json!({"code": "bairi", "name": "百日攻坚", "starts_on": "2022-05-01", "ends_on": "2022-08-08"});
    assert_eq!(
        t.call("POST", "/api/v1/campaigns", Some(&admin), Some(c))
            .await
            .status,
        StatusCode::CREATED
    );
    let r = t
        .call("POST", "/api/v1/hazards", Some(&admin), Some(h))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/hazards.found?period=2022&campaign=bairi",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 1);
}
