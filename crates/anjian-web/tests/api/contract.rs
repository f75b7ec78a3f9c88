//! The API contract of product.md: auth, errors, enterprises, regions.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn health_and_openapi() {
    let t = spawn();
    let r = t.call("GET", "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for p in [
        "/auth/login",
        "/enterprises",
        "/enterprises/{id}",
        "/regions",
        "/users",
        "/audit/verify",
    ] {
        assert!(doc["paths"].get(p).is_some(), "openapi lacks {p}");
    }
}

#[tokio::test]
async fn login_errors_and_lockout() {
    let t = spawn();
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": "wrong-1"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthorized");
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "", "password": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["username"].is_array());
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["password"].is_array(), "{}", r.text());
    // Four more failures lock the account (5 in all); then even the right password is refused.
    for _ in 0..4 {
        t.call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": "wrong-2"})),
        )
        .await;
    }
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert_eq!(r.json()["error"], "account_locked");
    // After the lockout period it works again (the clock is injected; nobody sleeps).
    t.clock.advance(chrono::Duration::minutes(16));
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Lockout and logins are in the audit trail.
    let token = r.json()["token"].as_str().unwrap_or_default().to_string();
    let a = t
        .call(
            "GET",
            "/api/v1/audit?entity=user&action=auth.",
            Some(&token),
            None,
        )
        .await
        .json();
    let actions: Vec<&str> = a["items"]
        .as_array()
        .map(|v| v.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        actions.contains(&"auth.locked") && actions.contains(&"auth.login"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn tokens_expire_and_are_revoked() {
    let t = spawn();
    let token = t.token("leader").await;
    assert_eq!(
        t.call("GET", "/api/v1/me", Some(&token), None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.call("POST", "/api/v1/auth/logout", Some(&token), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let r = t.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthorized");
    let token = t.token("leader").await;
    t.clock.advance(chrono::Duration::days(8));
    assert_eq!(
        t.call("GET", "/api/v1/me", Some(&token), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Admin revokes all of a user's tokens.
    let admin = t.token("admin").await;
    let leader = t.token("leader").await;
    let me = t
        .call("GET", "/api/v1/me", Some(&leader), None)
        .await
        .json();
    let id = me["id"].as_i64().unwrap_or_default();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/users/{id}/revoke-tokens"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        t.call("GET", "/api/v1/me", Some(&leader), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_deactivated_user_is_refused_on_the_next_request() {
    let t = spawn();
    let token = t.token("leader").await;
    let me = || t.call("GET", "/api/v1/me", Some(&token), None);
    // Twice: the second request is answered from the verified-session cache.
    assert_eq!(me().await.status, StatusCode::OK);
    assert_eq!(me().await.status, StatusCode::OK);
    let u = t.user("leader");
    let input = anjian_app::testing::store::users::UserInput {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role.clone(),
        region_code: u.region_code.clone(),
        department_id: u.department_id,
        enterprise_id: u.enterprise_id,
        phone: u.phone.clone(),
        active: false,
        site_ids: u.site_ids.clone(),
    };
    let scope = anjian_domain::Scope::system();
    let change = t.app.system_change(&scope, "test");
    assert!(off_runtime(|| {
        t.app
            .store_for_tests()
            .update_user(&change, u.id, u.version, &input)
            .is_ok()
    }));
    // No time passes: the change itself invalidates the cached session.
    assert_eq!(me().await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revocation_by_another_process_is_seen_within_the_cache_lifetime() {
    let t = spawn();
    let token = t.token("leader").await;
    let me = || t.call("GET", "/api/v1/me", Some(&token), None);
    let id = me().await.json()["id"].as_i64().unwrap_or_default();
    // A second server on the same store: its own process, so its own change counter.
    let scope = anjian_domain::Scope::system();
    let change = t.app.system_change(&scope, "other-instance");
    let revoked = off_runtime(|| {
        let other = anjian_app::testing::store::Store::open(&t.store_url())
            .unwrap_or_else(|e| panic!("{e}"));
        other.revoke_user_sessions(&change, id).ok()
    });
    assert_eq!(revoked, Some(1));
    // This server has not seen it: for at most the cache's lifetime the verified
    // session is still used …
    assert_eq!(me().await.status, StatusCode::OK);
    // … and once the lifetime has passed, the store is asked again.
    let lifetime = t.app.auth.session_cache_secs;
    assert!(lifetime > 0);
    t.clock.advance(chrono::Duration::seconds(lifetime));
    assert_eq!(me().await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let t = spawn();
    let token = t.token("admin").await;
    let tk = Some(token.as_str());
    let r = t
        .raw(
            "POST",
            "/api/v1/enterprises",
            tk,
            "application/json",
            "{\"name\":",
        )
        .await;
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("malformed_json"))
    );
    let r = t
        .raw(
            "POST",
            "/api/v1/enterprises",
            tk,
            "application/json",
            "{\"name\": 5, \"uscc\": \"x\", \"region_code\": \"x\"}",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["name"].is_array(), "{}", r.text());
    let mut body = enterprise_json(50, VILLAGE_A1, "fire");
    body["colour"] = json!("red");
    let r = t.call("POST", "/api/v1/enterprises", tk, Some(body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["colour"].is_array(), "{}", r.text());
    let r = t
        .raw("POST", "/api/v1/enterprises", tk, "text/plain", "hello")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.json()["message"].is_string());
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let r = t
        .raw("POST", "/api/v1/enterprises", tk, "application/json", big)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"], "payload_too_large");
    let r = t
        .call("GET", "/api/v1/enterprises?limit=abc", tk, None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["limit"].is_array());
    let r = t.call("GET", "/api/v1/enterprises?bogus=1", tk, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.call("GET", "/api/v1/enterprises/abc", tk, None).await;
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let r = t.call("GET", "/api/v1/nope", tk, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"], "not_found");
    let r = t.call("DELETE", "/api/v1/enterprises", tk, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json()["error"], "method_not_allowed");
    let r = t.call("GET", "/api/v1/enterprises", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthorized");
    let r = t
        .call("GET", "/api/v1/enterprises", Some("not-a-token"), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

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

#[tokio::test]
async fn stricter_input_handling() {
    let t = spawn();
    let token = t.token("admin").await;
    let tk = Some(token.as_str());
    let r = t
        .raw(
            "POST",
            "/api/v1/auth/login",
            None,
            "application/json",
            "{\"username\":\"a\",\"password\":\"b\"}xyz",
        )
        .await;
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("malformed_json"))
    );
    let r = t.call("GET", "/api/v1/enterprises/%FF%FE", tk, None).await;
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    // PUT without the version the edit is based on is refused for users and departments too.
    let me = t.call("GET", "/api/v1/me", tk, None).await.json();
    let id = me["id"].as_i64().unwrap_or_default();
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/users/{id}"),
            tk,
            Some(json!({"username": "admin", "role": "admin"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["version"].is_array());
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/departments/{}", t.ids.dept_fire),
            tk,
            Some(json!({"name": "消防"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["version"].is_array());
}

#[tokio::test]
async fn attempts_in_flight_count_towards_the_lockout() {
    let t = spawn();
    let u = t.user("leader");
    let now = anjian_app::testing::store::ts(anjian_domain::Clock::now(t.clock.as_ref()));
    // Five guesses already counted (e.g. running in parallel): the sixth is refused unchecked.
    for _ in 0..5 {
        assert!(off_runtime(|| {
            t.app
                .store_for_tests()
                .count_login_attempt(u.id, &now)
                .is_ok()
        }));
    }
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "leader", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
}

#[tokio::test]
async fn own_password_change_checks_the_current_password_with_lockout() {
    let t = spawn();
    let token = t.token("leader").await;
    let me = t.call("GET", "/api/v1/me", Some(&token), None).await.json();
    let id = me["id"].as_i64().unwrap_or_default();
    for i in 0..5 {
        let r = t
            .call(
                "POST",
                &format!("/api/v1/users/{id}/password"),
                Some(&token),
                Some(json!({"password": "NewPass2022", "current_password": "wrong"})),
            )
            .await;
        if i < 4 {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            assert!(r.json()["fields"]["current_password"].is_array());
        } else {
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
        }
    }
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
