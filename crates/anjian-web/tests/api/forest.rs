//! Forest-fire prevention through the API and the pages: the county sets the season and
//! buys equipment, the township registers a hill and its ranger, a bad entry is refused with
//! its field named (422), the stock bounds a handover, the township sees its kit, the grid
//! sheet exports as Excel and a bad sheet is refused row by row; the pages show the chain,
//! and a refused patrol form keeps what was typed.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_grid_the_equipment_and_their_ledgers_through_the_api() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;

    let season =
        json!({"name": "2022年春季森林防火期", "starts_on": "2022-01-01", "ends_on": "2022-04-30"});
    let r = t
        .call(
            "POST",
            "/api/v1/forest/seasons",
            Some(&town),
            Some(season.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = t
        .call("POST", "/api/v1/forest/seasons", Some(&admin), Some(season))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let sid = r.json()["id"].as_i64().unwrap_or(0);

    // A hill: a bad area names its field; then it is registered in the village.
    let r = t
        .call(
            "POST",
            "/api/v1/forest/patches",
            Some(&town),
            Some(json!({"region_code": VILLAGE_A1, "name": "后龙山", "area_mu": "三百"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("area_mu"), "{}", r.text());
    let r = t
        .call("POST", "/api/v1/forest/patches", Some(&town), Some(json!({"region_code": VILLAGE_A1, "name": "后龙山", "area_mu": "350.5", "species": "杉木"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let hill = r.json()["id"].as_i64().unwrap_or(0);
    let ranger = |phone: &str| json!({"season_id": sid.to_string(), "level": "山头地块", "patch_id": hill.to_string(), "role": "护林员", "name": "罗木根", "phone": phone});
    let r = t
        .call(
            "POST",
            "/api/v1/forest/wardens",
            Some(&town),
            Some(ranger("12345")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("phone"), "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/forest/wardens",
            Some(&town),
            Some(ranger("13807951234")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call(
            "GET",
            &format!("/api/v1/forest/chain?season_id={sid}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let chain = r.json();
    assert_eq!(chain["townships"][0]["name"], "临江镇");
    assert_eq!(
        chain["townships"][0]["villages"][0]["patches"][0]["people"][0]["name"],
        "罗木根"
    );
    let r = t
        .call(
            "GET",
            "/api/v1/forest/chain?season_id=abc",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    // Equipment and a handover beyond the stock.
    let r = t
        .call("POST", "/api/v1/forest/equipment", Some(&admin), Some(json!({"kind": "防火勘察无人机", "quantity": "4", "acquisition": "购置", "cost_yuan": "560000", "acquired_on": "2022-03-15"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let q = r.json()["id"].as_i64().unwrap_or(0);
    let hand = |n: &str| json!({"equipment_id": q.to_string(), "recipient": format!("township:{TOWN_A}"), "quantity": n, "handed_on": "2022-03-20", "received_by": "周国华"});
    let r = t
        .call(
            "POST",
            "/api/v1/forest/handovers",
            Some(&admin),
            Some(hand("5")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("quantity") && r.text().contains("库存"),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "POST",
            "/api/v1/forest/handovers",
            Some(&admin),
            Some(hand("4")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call("GET", "/api/v1/forest/kits", Some(&town), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["items"][0]["items"][0]["quantity"], 4);

    // The ledgers are Excel.
    for path in [
        format!("/api/v1/forest/grid/export?season_id={sid}"),
        "/api/v1/forest/patrols/export".to_string(),
        "/api/v1/forest/handovers/export".to_string(),
    ] {
        let r = t.call("GET", &path, Some(&town), None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        let ct = r
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(ct.contains("spreadsheetml"), "{path}: {ct}");
    }

    // A sheet with a bad row is refused with the row, and nothing is written.
    let csv = "乡镇（街道）,村（社区）,山头（地块）名称,面积（亩）,主要树种,所属国有林场（农场）,网格员,网格员电话,护林员,护林员电话\n\
               临江镇,枫林村,松树岭,120,马尾松,,胡春生,13807951234,罗木根,13807951235\n\
               临江镇,无此村,大坳山,80,毛竹,,,,王五,13807951236\n";
    let (ct, body) = multipart(&[("file", Some("grid.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            &format!("/api/v1/forest/grid/import?season_id={sid}"),
            Some(&town),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("第3行") && r.text().contains("无此村"),
        "{}",
        r.text()
    );
    let r = t
        .call("GET", "/api/v1/forest/patches", Some(&town), None)
        .await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_forest_pages_show_the_chain_and_keep_a_refused_patrol() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let r = t
        .call("POST", "/api/v1/forest/seasons", Some(&admin), Some(json!({"name": "2022年春季森林防火期", "starts_on": "2022-01-01", "ends_on": "2022-06-30"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/forest/patches",
            Some(&town),
            Some(json!({"region_code": VILLAGE_A1, "name": "后龙山", "area_mu": "350.5"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    let (session, csrf) = t.web_login("town_a").await;
    let html = t.page("/forest", &session).await.text();
    assert!(
        html.contains("2022年春季森林防火期")
            && html.contains("后龙山")
            && html.contains("未落实护林员"),
        "{html}"
    );
    assert!(html.contains("350.50"), "{html}");
    // A patrol ending before it starts is refused; the route typed is kept.
    let r = t
        .form(
            "/forest/patrols",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("region_code", VILLAGE_A1),
                ("patroller", "罗木根"),
                ("patrolled_on", "2022-05-30"),
                ("from_time", "10:00"),
                ("to_time", "08:00"),
                ("route", "后龙山山脚至山顶"),
                ("finding", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("巡护结束时间应晚于开始时间") && html.contains("后龙山山脚至山顶"),
        "{html}"
    );
    let r = t
        .form(
            "/forest/patrols",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("region_code", VILLAGE_A1),
                ("patroller", "罗木根"),
                ("patrolled_on", "2022-05-30"),
                ("from_time", "08:00"),
                ("to_time", "10:00"),
                ("route", "后龙山山脚至山顶"),
                ("finding", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t.page("/forest/patrols", &session).await.text();
    assert!(
        html.contains("后龙山山脚至山顶") || html.contains("罗木根"),
        "{html}"
    );
    let (admin_session, _) = t.web_login("admin").await;
    let html = t.page("/forest/equipment", &admin_session).await.text();
    assert!(
        html.contains("登记装备") && html.contains("各乡镇、林场（农场）装备配备"),
        "{html}"
    );
}
