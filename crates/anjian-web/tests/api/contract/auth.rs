//! Login, lockout, tokens and sessions, and password changes.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

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
        cert_no: u.cert_no.clone(),
        cert_valid_until: u.cert_valid_until,
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
        let other = anjian_app::testing::store::Store::open(&t.store_url()).unwrap();
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
