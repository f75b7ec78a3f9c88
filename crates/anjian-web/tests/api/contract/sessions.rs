//! 等保 2.0 level 3, issue 22 item 8: session idle timeout and absolute lifetime, and the
//! sessions page with revocation.

use super::security::{login, set};
use crate::helpers::*;
use axum::http::{StatusCode, header};
use chrono::Duration;

#[tokio::test]
async fn web_sessions_end_after_30_idle_minutes_and_12_hours_in_all() {
    let t = spawn();
    let (session, _) = t.web_login("leader").await;
    let ok = |r: &Resp| r.status == StatusCode::OK;
    // Used every 20 minutes, the session lives on …
    for _ in 0..3 {
        t.clock.advance(Duration::minutes(20));
        assert!(ok(&t.page("/hazards", &session).await));
    }
    // … but not past 30 minutes of idleness.
    t.clock.advance(Duration::minutes(31));
    let r = t.page("/hazards", &session).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    // Kept busy, it still ends 12 hours after login.
    let (session, _) = t.web_login("leader").await;
    for _ in 0..35 {
        t.clock.advance(Duration::minutes(20));
        assert!(ok(&t.page("/", &session).await));
    }
    t.clock.advance(Duration::minutes(20)); // 12 hours since login
    assert_eq!(t.page("/", &session).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn api_token_limits_are_settings() {
    let t = spawn();
    let admin = t.token("admin").await;
    assert_eq!(
        set(&t, &admin, "api_token_idle_hours", "1").await,
        StatusCode::OK
    );
    assert_eq!(
        set(&t, &admin, "api_token_max_hours", "8").await,
        StatusCode::OK
    );
    let r = login(&t, "leader", PASSWORD).await;
    // The token's announced expiry follows the lifetime setting.
    assert_eq!(r["expires_at"], "2022-06-01T09:00:00.000Z");
    let tok = r["token"].as_str().unwrap().to_string();
    let me = || t.call("GET", "/api/v1/me", Some(&tok), None);
    t.clock.advance(Duration::minutes(59));
    assert_eq!(me().await.status, StatusCode::OK);
    t.clock.advance(Duration::minutes(61));
    let r = me().await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("长时间未操作")
    );
    let admin = t.token("admin").await;
    assert_eq!(
        set(&t, &admin, "api_token_idle_hours", "5").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_at_once() {
    let t = spawn();
    let admin = t.token("admin").await;
    let first = t.token("leader").await;
    let second = t.token("leader").await;
    let id = t.user("leader").id;
    // The user sees his own sessions, the current one marked.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/users/{id}/sessions"),
            Some(&first),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(
        items
            .iter()
            .all(|s| s["kind"] == "api" && s["id"].as_str().unwrap().len() == 16)
    );
    // Another user's sessions: admin only.
    let other = t.user("yingji").id;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/users/{other}/sessions"),
            Some(&first),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The admin revokes the second token: refused at once, the first still works.
    let current = |tok: &str| {
        items
            .iter()
            .find(|s| (s["current"] == true) == (tok == first))
            .and_then(|s| s["id"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let sid = current(&second);
    let t = &t;
    let me =
        |tok: String| async move { t.call("GET", "/api/v1/me", Some(&tok), None).await.status };
    assert_eq!(me(second.clone()).await, StatusCode::OK);
    let r = t
        .call(
            "POST",
            &format!("/api/v1/users/{id}/sessions/{sid}/revoke"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(me(second.clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(first.clone()).await, StatusCode::OK);
    // Twice, or an unknown handle: 404.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/users/{id}/sessions/{sid}/revoke"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call(
            "POST",
            &format!("/api/v1/users/{id}/sessions/x'--/revoke"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Audited.
    let a = t
        .call(
            "GET",
            "/api/v1/audit?entity=user&action=auth.revoke_session",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(a["items"].as_array().map(Vec::len), Some(1), "{a}");

    // UI: the admin's page of the user's sessions, with a revoke button that works.
    let (session, csrf) = t.web_login("admin").await;
    assert!(
        t.page(&format!("/users/{id}"), &session)
            .await
            .text()
            .contains(&format!("/users/{id}/sessions"))
    );
    let page = t.page(&format!("/users/{id}/sessions"), &session).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("吊销") && html.contains("API 令牌"), "{html}");
    let sid = current(&first);
    assert!(html.contains(&sid));
    let r = t
        .form(
            &format!("/users/{id}/sessions/{sid}/revoke"),
            &session,
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(me(first.clone()).await, StatusCode::UNAUTHORIZED);
    // A user's own page: the web session itself is listed as current.
    let (mine, _) = t.web_login("leader").await;
    let html = t.page("/account/sessions", &mine).await.text();
    assert!(html.contains("网页会话") && html.contains("当前"), "{html}");
}
