//! 一张图 through the API and the page: only the administrator imports boundaries; a broken
//! file is refused whole with a message per feature (422) and writes nothing; a real-shaped
//! FeatureCollection (a MultiPolygon with an island, a Polygon with a hole, the township named
//! by adcode or by NAME) is imported; the map draws every township's path and one marker per
//! open hazard with coordinates, flags a point outside every boundary, counts the ones without
//! coordinates, zooms to a township, and refuses an unknown layer (422).

use crate::helpers::*;
use anjian_app::testing::store::map::PointTable;
use axum::http::StatusCode;
use serde_json::json;

fn square(x: f64, y: f64, d: f64) -> String {
    format!(
        "[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]",
        x + d,
        x + d,
        y + d,
        y + d
    )
}

/// 临江镇 by adcode as a MultiPolygon (with an island), 永泰镇 by NAME as a Polygon with a hole.
fn real_shaped() -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[
  {{"type":"Feature","properties":{{"adcode":360982100,"name":"临江镇"}},"geometry":{{"type":"MultiPolygon","coordinates":[[{a}],[{island}]]}}}},
  {{"type":"Feature","properties":{{"NAME":"永泰镇"}},"geometry":{{"type":"Polygon","coordinates":[{b},{hole}]}}}}
]}}"#,
        a = square(115.4, 28.0, 0.1),
        island = square(115.4, 28.2, 0.02),
        b = square(115.5, 28.0, 0.1),
        hole = square(115.54, 28.04, 0.01),
    )
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[tokio::test]
async fn boundaries_are_imported_whole_and_the_map_draws_townships_and_layers() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let geo = "application/geo+json";
    let r = t
        .raw(
            "PUT",
            "/api/v1/region-boundaries",
            Some(&town),
            geo,
            real_shaped(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

    // A broken file: an unclosed ring, an unknown township, a feature without geometry.
    let broken = format!(
        r#"{{"type":"FeatureCollection","features":[
  {{"type":"Feature","properties":{{"name":"临江镇"}},"geometry":{{"type":"MultiPolygon","coordinates":[[[[115.4,28.0],[115.5,28.0],[115.5,28.1],[115.4,28.1]]]]}}}},
  {{"type":"Feature","properties":{{"name":"白沙乡"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}},
  {{"type":"Feature","properties":{{"name":"永泰镇"}}}}
]}}"#,
        square(115.5, 28.0, 0.1)
    );
    let r = t
        .raw(
            "PUT",
            "/api/v1/region-boundaries",
            Some(&admin),
            geo,
            broken,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let msgs = r.json()["fields"]["file"].clone();
    let msgs: Vec<&str> = msgs
        .as_array()
        .map(|a| a.iter().filter_map(|m| m.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert!(msgs[0].starts_with("第1个要素（临江镇）") && msgs[0].contains("未闭合"));
    assert!(msgs[1].contains("白沙乡") && msgs[1].contains("不是本县的乡镇"));
    assert!(msgs[2].contains("没有几何"));
    let r = t
        .raw(
            "PUT",
            "/api/v1/region-boundaries",
            Some(&admin),
            geo,
            "{not json",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("不是有效的JSON"), "{}", r.text());
    // Nothing was written.
    let r = t.call("GET", "/api/v1/map", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        !r.json()["svg"]
            .as_str()
            .unwrap_or("")
            .contains("data-region=")
    );

    let r = t
        .raw(
            "PUT",
            "/api/v1/region-boundaries",
            Some(&admin),
            geo,
            real_shaped(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["imported"], 2);
    assert_eq!(r.json()["missing"], json!([]));

    // Three open hazards: two at an enterprise inside 临江镇 (one major), one at an enterprise
    // placed in the gap between the townships; one hazard of an enterprise without
    // coordinates.
    let hazard = |enterprise: i64, region: &str, sector: &str, level: &str| {
        json!({"enterprise_id": enterprise, "region_code": region, "sector": sector, "level": level,
            "source": "inspection", "description": "储罐区防火堤破损", "found_on": "2022-05-20", "deadline": "2022-07-01"})
    };
    let mut hazard_ids = Vec::new();
    for body in [
        hazard(t.ids.a_haz, VILLAGE_A1, "hazchem", "major"),
        hazard(t.ids.a_haz, VILLAGE_A1, "hazchem", "general"),
        hazard(t.ids.b_haz, VILLAGE_B1, "hazchem", "general"),
        hazard(t.ids.a_fire, TOWN_A, "fire", "general"),
    ] {
        let r = t
            .call("POST", "/api/v1/hazards", Some(&admin), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        hazard_ids.push(r.json()["id"].as_i64().unwrap_or(0));
    }
    let store = t.app.store_for_tests().clone();
    let (a, b) = (t.ids.a_haz, t.ids.b_haz);
    let now = anjian_domain::Clock::now(&*t.clock);
    off_runtime(move || {
        let scope = anjian_domain::Scope::system();
        let ch = anjian_app::testing::store::Change::system(&scope, "test", now);
        store
            .set_record_points(
                &ch,
                PointTable::Enterprises,
                &[
                    (a, Some((115_450_000, 28_050_000))),
                    (b, Some((115_650_000, 28_050_000))),
                ],
            )
            .unwrap();
    });

    let r = t
        .call("GET", "/api/v1/map/svg?layers=hazards", Some(&town), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let svg = r.text();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    // Every township's path, seen by a township user too (boundaries are geography).
    assert!(svg.contains(r#"data-region="360982100000""#), "{svg}");
    assert!(svg.contains(r#"data-region="360982101000""#), "{svg}");
    assert_eq!(count(&svg, "<path data-region="), 2);
    // town_a sees its two placed hazards (the other township's are outside its scope).
    assert_eq!(count(&svg, r#"data-layer="hazards" data-id"#), 2, "{svg}");
    assert_eq!(count(&svg, r#"data-tag="major""#), 1);
    assert!(svg.contains(r#"data-layer="hazards" data-count="2""#));
    assert_eq!(count(&svg, r#"data-layer="enterprises""#), 0);

    let r = t
        .call(
            "GET",
            "/api/v1/map?layers=hazards,enterprises",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let svg = v["svg"].as_str().unwrap_or("").to_string();
    assert_eq!(count(&svg, r#"data-layer="hazards" data-id"#), 3, "{svg}");
    assert_eq!(
        count(&svg, r#"data-outside="true""#),
        2,
        "b_haz and its hazard"
    );
    assert!(svg.contains("不在任何乡镇边界内"));
    let hazards = &v["layers"][1];
    assert_eq!(hazards["layer"], "hazards");
    assert_eq!(hazards["shown"], 3);
    assert_eq!(hazards["without_point"], 1);
    assert_eq!(hazards["outside"], 1);
    assert_eq!(v["layers"][4]["on"], false);

    // A hazard's own point outside every township is flagged on its page.
    let store = t.app.store_for_tests().clone();
    let outside = hazard_ids[2];
    off_runtime(move || {
        let scope = anjian_domain::Scope::system();
        let ch = anjian_app::testing::store::Change::system(&scope, "test", now);
        store
            .set_record_points(
                &ch,
                PointTable::Hazards,
                &[(outside, Some((115_650_000, 28_050_000)))],
            )
            .unwrap();
    });
    let (session, _) = t.web_login("admin").await;
    let html = t
        .page(&format!("/hazards/{outside}"), &session)
        .await
        .text();
    assert!(
        html.contains("东经 115.650000，北纬 28.050000（不在任何乡镇边界内）"),
        "{html}"
    );

    // A township's view zooms to it and shows its records only.
    let r = t
        .call(
            "GET",
            "/api/v1/map/svg?layers=hazards&township=360982101000",
            Some(&admin),
            None,
        )
        .await;
    let svg = r.text();
    assert_eq!(count(&svg, r#"data-layer="hazards" data-id"#), 1, "{svg}");
    assert!(svg.contains("永泰镇安全生产一张图"));

    // The online-monitoring layer is one of them (nothing pending in this county).
    let r = t
        .call("GET", "/api/v1/map?layers=alarms", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text()
            .contains(r#"data-layer=\"alarms\" data-count=\"0\""#),
        "{}",
        r.text()
    );
    let r = t
        .call("GET", "/api/v1/map?layers=weather", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("layers"), "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/map?township=360982999000",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    // The page: the menu entry, the checkboxes (no JS) and the SVG inline.
    let (session, _) = t.web_login("admin").await;
    let html = t
        .page("/map?sent=1&layer=hazards&paper=a3", &session)
        .await
        .text();
    assert!(
        html.contains(r#"href="/map""#) && html.contains("一张图"),
        "{html}"
    );
    assert!(html.contains("print-map-a3"));
    assert!(html.contains(r#"value="hazards" checked"#));
    assert!(html.contains(r#"value="enterprises">"#));
    assert!(html.contains("<svg") && html.contains(r#"data-region="360982100000""#));
    assert!(html.contains("导入乡镇边界"));
    // A bad view shows the county with the problem named.
    let html = t.page("/map?township=360982999000", &session).await.text();
    assert!(
        html.contains("查询条件有误") && html.contains("请选择本县的乡镇"),
        "{html}"
    );
}

/// Coordinates on enterprises, hazards and accidents: optional, both or neither, plausible,
/// inside the county's box once it has boundaries; a bad one is a 422 naming 经度 or 纬度's
/// field, and a refused form keeps what was typed.
#[tokio::test]
async fn coordinates_are_checked_on_enterprises_hazards_and_accidents() {
    let t = spawn();
    let admin = t.token("admin").await;
    // Before boundaries: plausibility only.
    let mut e = enterprise_json(71, VILLAGE_A1, "hazchem");
    e["lng"] = json!("200");
    e["lat"] = json!("28.05");
    let r = t
        .call("POST", "/api/v1/enterprises", Some(&admin), Some(e.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["lng"][0]
            .as_str()
            .unwrap_or("")
            .contains("经度")
    );
    e["lng"] = json!("115.45");
    e["lat"] = json!("");
    let r = t
        .call("POST", "/api/v1/enterprises", Some(&admin), Some(e.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["lat"][0]
            .as_str()
            .unwrap_or("")
            .contains("纬度")
    );
    e["lat"] = json!("28.05");
    let r = t
        .call("POST", "/api/v1/enterprises", Some(&admin), Some(e.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let ent = r.json();
    assert_eq!(ent["lng_micro"], 115_450_000);
    assert_eq!(ent["lat_micro"], 28_050_000);

    // With boundaries, a point outside the county's box is refused.
    let r = t
        .raw(
            "PUT",
            "/api/v1/region-boundaries",
            Some(&admin),
            "application/geo+json",
            real_shaped(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let body = json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "general",
        "source": "inspection", "description": "消防通道堵塞", "found_on": "2022-05-20", "deadline": "2022-07-01",
        "lng": "116.5", "lat": "28.05"});
    let r = t
        .call("POST", "/api/v1/hazards", Some(&admin), Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["lng"][0]
            .as_str()
            .unwrap_or("")
            .contains("不在本县范围内"),
        "{}",
        r.text()
    );
    let mut body = body;
    body["lng"] = json!("115.42");
    let r = t
        .call("POST", "/api/v1/hazards", Some(&admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["lng_micro"], 115_420_000);
    let hazard_id = r.json()["id"].as_i64().unwrap_or(0);

    let accident = |lng: &str| {
        json!({"category": "生产安全事故", "occurred_at": "2022-05-10 09:30", "place": "采石场边坡", "township": TOWN_A,
            "sector": "mines", "accident_type": "坍塌", "deaths": 1, "direct_loss_yuan": "100000",
            "account": "边坡失稳坍塌", "lng": lng, "lat": "27.0"})
    };
    let r = t
        .call(
            "POST",
            "/api/v1/accidents",
            Some(&admin),
            Some(accident("115.45")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"].get("lng").is_some(), "{}", r.text());
    let mut ok = accident("115.45");
    ok["lat"] = json!("28.05");
    let r = t
        .call("POST", "/api/v1/accidents", Some(&admin), Some(ok))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // The enterprise's page shows the point; a refused form keeps what was typed.
    let (session, csrf) = t.web_login("admin").await;
    let id = ent["id"].as_i64().unwrap_or(0);
    let html = t.page(&format!("/enterprises/{id}"), &session).await.text();
    assert!(html.contains("东经 115.450000，北纬 28.050000"), "{html}");
    let html = t
        .page(&format!("/hazards/{hazard_id}"), &session)
        .await
        .text();
    assert!(html.contains("东经 115.420000，北纬 28.050000"), "{html}");
    let r = t
        .form(
            "/enterprises/new",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("name", "清江市某化工有限公司"),
                ("lng", "115.4x"),
                ("lat", "28.05"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains(r#"value="115.4x""#) && html.contains("经度应为十进制度数"),
        "{html}"
    );
}
