//! 等保 2.0 level 3, issue 22 item 8: password policy, forced change, security headers,
//! trusted proxies, audit retention and export.

use crate::helpers::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

pub(super) async fn login(t: &TestApp, username: &str, password: &str) -> Value {
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": username, "password": password})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.text());
    r.json()
}

pub(super) async fn set(t: &TestApp, admin: &str, key: &str, value: &str) -> StatusCode {
    t.call(
        "PUT",
        &format!("/api/v1/settings/{key}"),
        Some(admin),
        Some(json!({"value": value})),
    )
    .await
    .status
}

async fn new_leader(t: &TestApp, admin: &str, name: &str, password: &str) -> i64 {
    let r = t
        .call(
            "POST",
            "/api/v1/users",
            Some(admin),
            Some(json!({"username": name, "role": "leader", "password": password})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn password_policy_length_classes_history_and_expiry_are_settings() {
    let t = spawn();
    let admin = t.token("admin").await;
    // Defaults: 8 characters, 3 of the 4 classes; the message names the field.
    let r = t
        .call(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "weak", "role": "leader", "password": "abcdefg12"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = r.json()["fields"]["password"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("密码须包含") && msg.contains("至少3类"),
        "{msg}"
    );
    // A longer minimum, set by the administrator.
    assert_eq!(
        set(&t, &admin, "password_min_length", "12").await,
        StatusCode::OK
    );
    assert_eq!(
        set(&t, &admin, "password_min_length", "6").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = t
        .call(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "weak", "role": "leader", "password": "Abcdefg12"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["fields"]["password"][0], "密码至少12位");
    assert_eq!(
        set(&t, &admin, "password_min_length", "8").await,
        StatusCode::OK
    );

    // History: the user may not go back to one of the last 5 passwords (the current included).
    let leader = t.token("leader").await;
    let id = t.user("leader").id;
    let change = |token: String, from: &'static str, to: &'static str| {
        let t = &t;
        async move {
            t.call(
                "POST",
                &format!("/api/v1/users/{id}/password"),
                Some(&token),
                Some(json!({"password": to, "current_password": from})),
            )
            .await
        }
    };
    let r = change(leader, PASSWORD, PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(
        r.json()["fields"]["password"][0],
        "新密码不能与最近5次使用过的密码相同"
    );
    let r = change(t.token("leader").await, PASSWORD, "Second2022x").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let tok = login(&t, "leader", "Second2022x").await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = change(tok, "Second2022x", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    // The history is stored hashed, with the same scheme as the password.
    let history = off_runtime(|| t.app.store_for_tests().password_history(id, 10).unwrap());
    assert_eq!(history.len(), 2);
    assert!(
        history.iter().all(|h| h.starts_with("$argon2id$")),
        "{history:?}"
    );

    // Expiry: off by default; set to 30 days, a password older than that must be changed.
    t.clock.advance(chrono::Duration::days(40));
    let admin = t.token("admin").await;
    assert_eq!(
        login(&t, "yingji", PASSWORD).await["user"]["password_change_required"],
        false
    );
    assert_eq!(
        set(&t, &admin, "password_max_age_days", "30").await,
        StatusCode::OK
    );
    let r = login(&t, "yingji", PASSWORD).await;
    assert_eq!(r["user"]["password_change_required"], true);
    let tok = r["token"].as_str().unwrap();
    let r = t.call("GET", "/api/v1/hazards", Some(tok), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"], "password_change_required");
    // The password changed 40 days ago by the leader has expired too; a fresh one has not.
    assert_eq!(
        login(&t, "leader", "Second2022x").await["user"]["password_change_required"],
        true
    );
}

#[tokio::test]
async fn users_made_by_an_admin_or_the_cli_change_their_password_first() {
    let t = spawn();
    let admin = t.token("admin").await;
    // Seeded accounts (the demo's, the fixture's) are not forced.
    assert_eq!(
        login(&t, "leader", PASSWORD).await["user"]["password_change_required"],
        false
    );
    let id = new_leader(&t, &admin, "newbie", "Initial2022").await;
    let r = login(&t, "newbie", "Initial2022").await;
    assert_eq!(r["user"]["password_change_required"], true);
    let tok = r["token"].as_str().unwrap().to_string();
    // API: a stable 403 except for /me, the password change and logout.
    let r = t.call("GET", "/api/v1/enterprises", Some(&tok), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"], "password_change_required");
    assert_eq!(
        t.call("GET", "/api/v1/me", Some(&tok), None).await.status,
        StatusCode::OK
    );
    let r = t
        .call(
            "POST",
            &format!("/api/v1/users/{id}/password"),
            Some(&tok),
            Some(json!({"password": "Mine2022abc", "current_password": "Initial2022"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = login(&t, "newbie", "Mine2022abc").await;
    assert_eq!(r["user"]["password_change_required"], false);
    let tok = r["token"].as_str().unwrap().to_string();
    assert_eq!(
        t.call("GET", "/api/v1/enterprises", Some(&tok), None)
            .await
            .status,
        StatusCode::OK
    );
    // The change is audited.
    let a = t
        .call(
            "GET",
            &format!("/api/v1/audit?entity=user&entity_id={id}&action=user.password"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(a["items"].as_array().map(Vec::len), Some(1), "{a}");

    // `anjian user add` (the CLI's use case) forces the change as well.
    let u = anjian_app::users::NewUser {
        username: "cli.user".into(),
        role: "leader".into(),
        password: Some("Initial2022".into()),
        active: true,
        ..Default::default()
    };
    off_runtime(|| t.app.add_user_cli("cli", &u).unwrap());
    assert_eq!(
        login(&t, "cli.user", "Initial2022").await["user"]["password_change_required"],
        true
    );

    // UI: every page leads to the password form until the password is changed.
    new_leader(&t, &admin, "webbie", "Initial2022").await;
    let page = t
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    let login_cookie = set_cookie(&page.headers, "anjian_login_csrf").unwrap_or_default();
    let csrf = hidden(&page.text(), "_csrf");
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_login_csrf={login_cookie}"))
                .body(Body::from(format!(
                    "_csrf={csrf}&next=%2Fhazards&username=webbie&password=Initial2022"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/account/password");
    let session = set_cookie(&r.headers, "anjian_session").unwrap_or_default();
    let r = t.page("/hazards", &session).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/account/password");
    let form = t.page("/account/password", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("须先修改密码"));
    let csrf = hidden(&form.text(), "_csrf");
    let r = t
        .form(
            "/account/password",
            &session,
            &[
                ("_csrf", &csrf),
                ("current_password", "Initial2022"),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("密码至少8位"));
    let r = t
        .form(
            "/account/password",
            &session,
            &[
                ("_csrf", &csrf),
                ("current_password", "Initial2022"),
                ("password", "Webbie2022x"),
                ("confirm", "Webbie2022x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.headers[header::LOCATION], "/login");
    // The old session is gone; the new password works without detour.
    assert_eq!(
        t.page("/hazards", &session).await.headers[header::LOCATION],
        "/login?next=%2Fhazards"
    );
    assert_eq!(
        login(&t, "webbie", "Webbie2022x").await["user"]["password_change_required"],
        false
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_hsts_only_over_https() {
    let t = spawn();
    for path in ["/login", "/api/v1/version", "/api/v1/me", "/no-such-page"] {
        let r = t
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        let h = &r.headers;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert!(h.get("strict-transport-security").is_none());
    }
    let t = spawn_with(anjian_web::WebConfig {
        secure_cookies: true,
        ..Default::default()
    });
    let r = t
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert!(
        r.headers["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
}

/// A login from `peer` with the given forwarding header; returns the address the audit trail
/// recorded for it.
async fn audited_ip(t: &TestApp, peer: &str, forwarded: &str) -> String {
    let mut req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", forwarded)
        .body(Body::from(
            json!({"username": "leader", "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let admin = t.token("admin").await;
    let a = t
        .call(
            "GET",
            "/api/v1/audit?entity=user&actor=leader&action=auth.login&limit=1",
            Some(&admin),
            None,
        )
        .await
        .json();
    a["items"][0]["ip"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_a_trusted_proxy() {
    let t = spawn_with(anjian_web::WebConfig {
        trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
        ..Default::default()
    });
    assert_eq!(
        audited_ip(&t, "10.1.2.3", "6.6.6.6, 203.0.113.7").await,
        "203.0.113.7"
    );
    // From anyone else the header is the client's own claim and is ignored.
    assert_eq!(
        audited_ip(&t, "198.51.100.4", "203.0.113.7").await,
        "198.51.100.4"
    );
    // Without a trusted proxy the header is ignored whoever sends it.
    let t = spawn();
    assert_eq!(audited_ip(&t, "10.1.2.3", "203.0.113.7").await, "10.1.2.3");
}

#[tokio::test]
async fn the_audit_log_is_kept_at_least_180_days_and_exported_by_date_range() {
    let t = spawn();
    let admin = t.token("admin").await;
    assert_eq!(
        set(&t, &admin, "audit_retention_days", "90").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        set(&t, &admin, "audit_retention_days", "365").await,
        StatusCode::OK
    );
    let r = t
        .call(
            "GET",
            "/api/v1/audit/export?from=2022-06-01&to=2022-06-01",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text();
    assert!(
        csv.contains("序号,时间,操作人,操作"),
        "{}",
        &csv[..200.min(csv.len())]
    );
    assert!(
        csv.contains("auth.login") && csv.contains("setting.set"),
        "{csv}"
    );
    // Oldest first.
    let seqs: Vec<i64> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next()?.parse().ok())
        .collect();
    assert!(
        seqs.len() > 10 && seqs.windows(2).all(|w| w[0] < w[1]),
        "{seqs:?}"
    );
    // Nothing outside the range.
    let r = t
        .call(
            "GET",
            "/api/v1/audit/export?from=2022-05-01&to=2022-05-31",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.text().lines().count(), 1);
    let r = t
        .call(
            "GET",
            "/api/v1/audit/export?format=xlsx",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));
    let r = t
        .call("GET", "/api/v1/audit/export?format=pdf", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call(
            "GET",
            "/api/v1/audit/export?from=2022-06-02&to=2022-06-01",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Admin only.
    let leader = t.token("leader").await;
    let r = t
        .call("GET", "/api/v1/audit/export", Some(&leader), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // From the audit page.
    let (session, _) = t.web_login("admin").await;
    assert!(
        t.page("/audit", &session)
            .await
            .text()
            .contains("/audit/export?")
    );
    let r = t
        .page("/audit/export?from=2022-06-01&format=csv", &session)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("auth.login"));
}

#[test]
fn no_template_has_inline_script_or_event_handlers() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
        assert!(
            !text.contains("<script>") && !text.contains("javascript:"),
            "{}",
            path.display()
        );
        for handler in [
            " onclick=",
            " onchange=",
            " onsubmit=",
            " onload=",
            " oninput=",
        ] {
            assert!(!text.contains(handler), "{} has {handler}", path.display());
        }
    }
}
