//! Enterprises: identifiers, create/read/update with history, lists, sectors, exports.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

async fn count(t: &TestApp, token: &str) -> usize {
    t.call("GET", "/api/v1/enterprises?limit=500", Some(token), None)
        .await
        .json()["items"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

#[tokio::test]
async fn invalid_identifiers_are_422_and_nothing_is_written() {
    let t = spawn();
    let token = t.token("admin").await;
    let before = count(&t, &token).await;
    let cases = [
        ("uscc", json!("911100001000013410")),
        ("uscc", json!("91350100M000100Y4")),
        ("region_code", json!("360982999000")),
        ("region_code", json!("36098210020X")),
        ("principal_id_no", json!("360982198506151230")),
        ("principal_id_no", json!("110105194902300020")),
    ];
    for (field, value) in cases {
        let mut body = enterprise_json(60, VILLAGE_A1, "fire");
        body[field] = value.clone();
        let r = t
            .call("POST", "/api/v1/enterprises", Some(&token), Some(body))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}: {}",
            r.text()
        );
        let j = r.json();
        assert_eq!(j["error"], "validation_failed");
        let msgs = j["fields"][field].as_array().cloned().unwrap_or_default();
        assert!(!msgs.is_empty(), "{field} not named: {j}");
        assert!(
            msgs.iter().all(|m| m
                .as_str()
                .is_some_and(|s| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))),
            "not Chinese: {msgs:?}"
        );
    }
    assert_eq!(count(&t, &token).await, before);
    // A pilot-period code is accepted only with the explicit override, and the warning is kept.
    let mut body = enterprise_json(61, VILLAGE_A1, "fire");
    body["uscc"] = json!("911100001000013410");
    body["uscc_override"] = json!(true);
    let r = t
        .call("POST", "/api/v1/enterprises", Some(&token), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(
        r.json()["uscc_warning"]
            .as_str()
            .is_some_and(|w| w.contains('9'))
    );
    // Duplicate USCC is a field error too.
    let r = t
        .call(
            "POST",
            "/api/v1/enterprises",
            Some(&token),
            Some(enterprise_json(1, VILLAGE_A1, "fire")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["uscc"].is_array());
}

#[tokio::test]
async fn enterprise_create_read_update_and_history() {
    let t = spawn();
    let token = t.token("admin").await;
    let tk = Some(token.as_str());
    let r = t
        .call(
            "POST",
            "/api/v1/enterprises",
            tk,
            Some(enterprise_json(70, VILLAGE_B1, "hazchem")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let e = r.json();
    let id = e["id"].as_i64().unwrap_or_default();
    assert!(id > 0);
    assert_eq!(e["status"], "operating");
    let got = t
        .call("GET", &format!("/api/v1/enterprises/{id}"), tk, None)
        .await
        .json();
    assert_eq!(got["name"], "测试企业70有限公司");
    assert_eq!(got["region_name"], "石塘村");
    let mut upd = enterprise_json(70, VILLAGE_B1, "hazchem");
    upd["name"] = json!("改名后的企业");
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprises/{id}"),
            tk,
            Some(upd.clone()),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "version is required"
    );
    assert!(r.json()["fields"]["version"].is_array());
    upd["version"] = json!(1);
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprises/{id}"),
            tk,
            Some(upd.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["version"], 2);
    let r = t
        .call("PUT", &format!("/api/v1/enterprises/{id}"), tk, Some(upd))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "stale version");
    let h = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{id}/history"),
            tk,
            None,
        )
        .await
        .json();
    assert_eq!(h["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(h["items"][0]["action"], "enterprise.update");
    let v = t.call("GET", "/api/v1/audit/verify", tk, None).await.json();
    assert_eq!(v["ok"], true, "{v}");
}

#[tokio::test]
async fn list_filters_and_keyset_pages() {
    let t = spawn();
    let token = t.token("admin").await;
    let tk = Some(token.as_str());
    for n in 100..112u32 {
        let r = t
            .call(
                "POST",
                "/api/v1/enterprises",
                tk,
                Some(enterprise_json(n, VILLAGE_A1, "mines")),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut url = "/api/v1/enterprises?sector=mines&limit=5".to_string();
    loop {
        let j = t.call("GET", &url, tk, None).await.json();
        seen.extend(
            j["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e["id"].as_i64()),
        );
        match j["next"].as_str() {
            Some(n) => url = format!("/api/v1/enterprises?sector=mines&limit=5&after={n}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 12);
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);
    let j = t
        .call(
            "GET",
            &format!("/api/v1/enterprises?region_code={TOWN_B}"),
            tk,
            None,
        )
        .await
        .json();
    assert_eq!(j["items"].as_array().map(Vec::len), Some(2));
    let j = t
        .call(
            "GET",
            "/api/v1/enterprises?q=%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A3%E6%9C%89",
            tk,
            None,
        )
        .await
        .json();
    assert_eq!(j["items"].as_array().map(Vec::len), Some(1), "{j}");
    let r = t
        .call("GET", "/api/v1/enterprises?region_code=12345", tk, None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn departments_change_only_their_own_sectors() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yj = t.token("yingji").await;
    let id = t.ids.a_haz;
    let cur = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    let mut body = enterprise_json(1, VILLAGE_A1, "hazchem");
    body["sectors"] = json!(["fire"]);
    body["version"] = cur["version"].clone();
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprises/{id}"),
            Some(&admin),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["sectors"], json!(["hazchem", "fire"]));
    // The emergency bureau replaces hazchem by mines; fire (the fire brigade's) stays.
    let mut body = enterprise_json(1, VILLAGE_A1, "mines");
    body["version"] = json!(2);
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprises/{id}"),
            Some(&yj),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let mut sectors: Vec<String> = r.json()["sectors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    sectors.sort();
    assert_eq!(sectors, vec!["fire", "mines"]);
    // It may not add a sector it does not supervise.
    let mut body = enterprise_json(1, VILLAGE_A1, "mines");
    body["sectors"] = json!(["campus"]);
    body["version"] = json!(3);
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprises/{id}"),
            Some(&yj),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(
        r.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("campus"))
    );
}

#[tokio::test]
async fn exports_mask_id_numbers_for_read_only_roles() {
    let t = spawn();
    let admin = t.token("admin").await;
    let id = t.ids.a_haz;
    let mut body = enterprise_json(1, VILLAGE_A1, "hazchem");
    body["principal_id_no"] = json!("360982198506151239");
    body["principal"] = json!("=HYPERLINK(\"x\")");
    body["version"] = json!(1);
    assert_eq!(
        t.call(
            "PUT",
            &format!("/api/v1/enterprises/{id}"),
            Some(&admin),
            Some(body)
        )
        .await
        .status,
        StatusCode::OK
    );
    let full = t
        .call(
            "GET",
            "/api/v1/enterprises/export?format=csv",
            Some(&admin),
            None,
        )
        .await
        .text();
    assert!(full.contains("360982198506151239"));
    assert!(full.contains("'=HYPERLINK"), "formula neutralised");
    let leader = t.token("leader").await;
    let masked = t
        .call(
            "GET",
            "/api/v1/enterprises/export?format=csv",
            Some(&leader),
            None,
        )
        .await
        .text();
    assert!(!masked.contains("360982198506151239") && masked.contains("360982********1239"));
    // History for the enterprise user hides officials' addresses.
    let qiye = t.token("qiye").await;
    let h = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{id}/history"),
            Some(&qiye),
            None,
        )
        .await
        .json();
    assert!(
        h["items"].as_array().is_some_and(
            |v| !v.is_empty() && v.iter().all(|e| e["ip"] == "" && e["request_id"] == "")
        )
    );
}
