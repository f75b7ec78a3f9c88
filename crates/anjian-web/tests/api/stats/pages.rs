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

/// A county whose records are all from an earlier year (the 2022 demo on today's clock, or
/// any county in early January) opens its statistics pages on that year and says so; a
/// township's report is titled and worded for the township, not the county.
#[tokio::test]
async fn statistics_pages_open_on_the_latest_year_with_records_and_speak_for_the_caller() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(hazard_json(
                Some(t.ids.a_haz),
                VILLAGE_A1,
                "hazchem",
                "general",
                "inspection",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // A year and a half later nothing has been recorded this year.
    t.clock.set(
        chrono::DateTime::parse_from_rfc3339("2023-11-20T02:00:00Z")
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_default(),
    );
    let (session, _) = t.web_login("admin").await;
    let notice = "本年度尚无记录，显示最近有记录的2022年度。";
    for (path, shows) in [
        ("/statistics/report", "测试市2022年安全生产工作总结"),
        ("/metrics", "2022年"),
        ("/ranking", "2022-Q4"),
        ("/listings", "2022"),
    ] {
        let r = t.page(path, &session).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        assert!(r.text().contains(notice), "{path} has no notice");
        assert!(r.text().contains(shows), "{path} does not show {shows}");
    }
    // An asked-for period is shown as asked, without the notice.
    let r = t.page("/statistics/report?period=2023", &session).await;
    assert!(r.text().contains("测试市2023年安全生产工作总结"));
    assert!(!r.text().contains(notice));
    // The township's report speaks for the township.
    let (town, _) = t.web_login("town_a").await;
    let r = t.page("/statistics/report?period=2022", &town).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    assert!(
        text.contains("测试市临江镇2022年安全生产工作总结"),
        "{text}"
    );
    assert!(text.contains("全镇"), "{text}");
    assert!(!text.contains("全市"), "{text}");
}

/// 领导简报: headline figures beside last year's, bars by township and sector that open their
/// records; for the government's roles only.
#[tokio::test]
async fn the_briefing_compares_with_last_year_and_every_bar_opens_its_records() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    for _ in 0..2 {
        let r = t
            .call(
                "POST",
                "/api/v1/hazards",
                Some(&insp),
                Some(hazard_json(
                    Some(t.ids.a_haz),
                    VILLAGE_A1,
                    "hazchem",
                    "general",
                    "inspection",
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let (s, _) = t.web_login("leader").await;
    let r = t.page("/statistics/briefing?period=2022", &s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("测试市2022年安全生产工作简报"), "{html}");
    assert!(
        html.contains("上年同期 0") && html.contains("同比"),
        "{html}"
    );
    assert!(
        html.contains("临江镇") && html.contains("危险化学品"),
        "{html}"
    );
    // The township's bar opens the township's records.
    assert!(
        html.contains("/metrics/hazards.found?period=2022&amp;region=360982100")
            || html.contains("/metrics/hazards.found?period=2022&region=360982100"),
        "{html}"
    );
    let (q, _) = t.web_login("qiye").await;
    assert_eq!(
        t.page("/statistics/briefing?period=2022", &q).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Work records pick their place from the region tree (township, then its villages), not a
/// typed 12-digit code.
#[tokio::test]
async fn work_records_pick_the_region_from_the_tree() {
    let t = spawn();
    let (s, _) = t.web_login("town_a").await;
    let html = t.page("/work-records", &s).await.text();
    assert!(html.contains("<optgroup label=\"临江镇\">"), "{html}");
    assert!(
        html.contains(&format!("<option value=\"{VILLAGE_A1}\">枫林村</option>")),
        "{html}"
    );
    assert!(
        !html.contains("永泰镇（全镇"),
        "another township is not offered"
    );
    assert!(!html.contains("区划代码<input"), "no typed code");
}
