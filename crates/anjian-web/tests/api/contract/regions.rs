//! Regions.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn regions_contract() {
    let t = spawn();
    let token = t.token("town_a").await;
    let j = t
        .call("GET", "/api/v1/regions", Some(&token), None)
        .await
        .json();
    let items = j["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    for k in ["code", "name", "level", "parent_code"] {
        assert!(items[0].get(k).is_some(), "missing {k}");
    }
    assert_eq!(items[0]["code"], TOWN_A);
    assert_eq!(items[0]["level"], "township");
    assert_eq!(items[0]["parent_code"], COUNTY);
    // Admin adds a village; a township user may not.
    let admin = t.token("admin").await;
    let body = json!({"items": [{"code": "360982100201", "name": "新村", "parent_code": TOWN_A}]});
    assert_eq!(
        t.call("POST", "/api/v1/regions", Some(&token), Some(body.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = t
        .call("POST", "/api/v1/regions", Some(&admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let bad = json!({"items": [{"code": "360982100999", "name": "x", "parent_code": TOWN_A}]});
    let r = t
        .call("POST", "/api/v1/regions", Some(&admin), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["fields"]["items[0].code"].is_array(),
        "{}",
        r.text()
    );
}
