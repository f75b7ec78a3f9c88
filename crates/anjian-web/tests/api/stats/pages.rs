//! The statistics pages and the ranking API.

use super::*;

#[tokio::test]
async fn statistics_pages_render() {
    let t = spawn();
    let (session, _) = t.web_login("admin").await;
    for path in [
        "/metrics?period=2022",
        "/metrics/hazards.found?period=2022",
        "/statistics/report?period=2022",
        "/statistics/report-template",
        "/campaigns",
        "/work-records",
        "/ranking?period=2022-Q2",
        "/ranking?period=2022-05&by=department",
    ] {
        let r = t.page(path, &session).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        assert!(r.text().contains("统计分析"), "{path}");
    }
    let r = t.page("/", &session).await;
    assert!(
        r.text().contains("<svg") && r.text().contains("/metrics/hazards.found?period=2022"),
        "dashboard"
    );
    let r = t.page("/?year=abc", &session).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("年度“abc”不正确"));
    let (town, _) = t.web_login("town_a").await;
    let r = t.page("/statistics/report-template", &town).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn ranking_api() {
    let t = spawn();
    let admin = t.token("admin").await;
    let qiye = t.token("qiye").await;
    let r = t
        .call("GET", "/api/v1/ranking?period=2022-Q2", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["previous"], "2022-Q1");
    assert_eq!(
        r.json()["rows"].as_array().map(|a| a.len()),
        Some(2),
        "two townships"
    );
    let r = t
        .call("GET", "/api/v1/ranking?by=village", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call("GET", "/api/v1/ranking?period=2022-Q2", Some(&qiye), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "PUT",
            "/api/v1/ranking-rule",
            Some(&admin),
            Some(
                json!({"quantity_points": 60, "increase_points": 20, "quality_points": 20,
        "quantity": [{"metric": "hazards.found", "weight": 1}], "quality": []}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "PUT",
            "/api/v1/ranking-rule",
            Some(&admin),
            Some(
                json!({"quantity_points": 60, "increase_points": 20, "quality_points": 20,
        "quantity": [{"metric": "nope", "weight": 1}], "quality": []}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call("GET", "/api/v1/ranking-rule", Some(&admin), None)
        .await;
    assert_eq!(r.json()["quantity_points"], 60.0);
}
