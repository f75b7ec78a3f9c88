//! Emergency resources through the API and the pages: a bad team names its fields (422), a
//! team is registered with coordinates, a check is recorded, the ledger is Excel, a sheet with
//! a bad row is refused with the row, the pages list and show the resource, and a refused
//! form keeps what was typed.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn resources_through_the_api_and_the_pages() {
    let t = spawn();
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/emergency-resources",
            Some(&town),
            Some(json!({"kind": "救援队伍", "name": "临江镇防汛抢险队", "lng": "200"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    for f in ["members", "speciality", "phone", "lat"] {
        assert!(r.text().contains(f), "{f}: {}", r.text());
    }
    let r = t
        .call("POST", "/api/v1/emergency-resources", Some(&town), Some(json!({"kind": "救援队伍", "name": "临江镇防汛抢险队", "members": "30", "speciality": "防汛抢险", "phone": "13807951234", "lng": "115.54", "lat": "28.06", "last_checked_on": "2022-01-10"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let v = r.json();
    let id = v["id"].as_i64().unwrap_or(0);
    assert_eq!(v["kind_label"], "救援队伍");
    assert_eq!(v["check_due"], true);
    let r = t
        .call(
            "POST",
            &format!("/api/v1/emergency-resources/{id}/checks"),
            Some(&town),
            Some(json!({"checked_on": "2022-06-01", "ok": "正常", "note": "点验30人到位"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["check_due"], false);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/emergency-resources/{id}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.json()["checks"][0]["note"], "点验30人到位");
    let r = t
        .call(
            "GET",
            "/api/v1/emergency-resources/999999",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/emergency-resources/export",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let ct = r
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let csv = "类别,名称,所属乡镇（街道）,数量,单位\n装备物资,救生衣,临江镇,60,件\n装备物资,冲锋舟,临江镇,两艘,艘\n";
    let (ct, body) = multipart(&[("file", Some("res.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/emergency-resources/import",
            Some(&town),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("第3行") && r.text().contains("数量"),
        "{}",
        r.text()
    );

    let (session, csrf) = t.web_login("town_a").await;
    let html = t.page("/emergency-resources", &session).await.text();
    assert!(
        html.contains("临江镇防汛抢险队") && html.contains("30人，防汛抢险"),
        "{html}"
    );
    let html = t
        .page(&format!("/emergency-resources/{id}"), &session)
        .await
        .text();
    assert!(
        html.contains("东经 115.540000，北纬 28.060000") && html.contains("点验30人到位"),
        "{html}"
    );
    let r = t
        .form(
            "/emergency-resources",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("kind", "shelter"),
                ("name", "临江中心小学避难场所"),
                ("capacity", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("请填写可容纳人数") && r.text().contains("临江中心小学避难场所"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn the_chain_to_notify_runs_from_the_enterprise_to_the_county_office() {
    let t = spawn();
    let admin = t.token("admin").await;
    let mut e = enterprise_json(91, VILLAGE_A1, "hazchem");
    e["principal"] = json!("赵大海");
    e["principal_phone"] = json!("13807950001");
    let r = t
        .call("POST", "/api/v1/enterprises", Some(&admin), Some(e))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or(0);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/notify-chain?enterprise_id={id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    let roles: Vec<String> = items
        .iter()
        .map(|c| {
            format!(
                "{}:{}:{}",
                c["level"],
                c["role"].as_str().unwrap_or(""),
                c["name"].as_str().unwrap_or("")
            )
        })
        .collect();
    // The principal first, then the township's account, then the department that
    // supervises 危险化学品 and the 安委办.
    assert!(roles[0].starts_with("1:企业主要负责人:赵大海"), "{roles:?}");
    assert!(
        roles
            .iter()
            .any(|r| r.starts_with("1:乡镇（街道）安监（应急）")),
        "{roles:?}"
    );
    assert!(
        roles
            .iter()
            .any(|r| r.starts_with("2:行业主管部门（危险化学品）")),
        "{roles:?}"
    );
    assert!(roles.iter().any(|r| r.starts_with("3:安委办")), "{roles:?}");
    let levels: Vec<i64> = items
        .iter()
        .map(|c| c["level"].as_i64().unwrap_or(0))
        .collect();
    assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
    // The hazard's page shows the same chain, with the principal's phone to call.
    let body = json!({"enterprise_id": id, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "general",
        "source": "inspection", "description": "配电箱未接地", "found_on": "2022-05-20"});
    let zhifa = t.token("zhifa").await;
    let r = t
        .call("POST", "/api/v1/hazards", Some(&zhifa), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let hazard = r.json()["id"].as_i64().unwrap_or(0);
    let (session, _) = t.web_login("admin").await;
    let html = t.page(&format!("/hazards/{hazard}"), &session).await.text();
    assert!(
        html.contains("通知链")
            && html.contains("赵大海")
            && html.contains(r#"href="tel:13807950001""#),
        "{html}"
    );
    // A place is required; a place out of the caller's scope answers like a missing one.
    let r = t
        .call("GET", "/api/v1/notify-chain", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let town = t.token("town_a").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/notify-chain?region={VILLAGE_B1}&sector=hazchem"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
}
