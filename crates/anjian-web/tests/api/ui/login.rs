//! Login, its CSRF cookie, the session cookie and logout.

use crate::helpers::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn anonymous_pages_redirect_to_login() {
    let t = spawn();
    let r = t
        .send(
            Request::get("/enterprises?sector=fire")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(loc.starts_with("/login?next=%2Fenterprises"), "{loc}");
    let r = t
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("安全生产综合监管平台"));
}

#[tokio::test]
async fn login_form_needs_its_csrf_cookie_and_right_password() {
    let t = spawn();
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "_csrf=x&username=admin&password={PASSWORD}"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("页面已过期"));
    assert!(set_cookie(&r.headers, "anjian_session").is_none());
    let page = t
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    let cookie = set_cookie(&page.headers, "anjian_login_csrf").unwrap_or_default();
    let csrf = hidden(&page.text(), "_csrf");
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_login_csrf={cookie}"))
                .body(Body::from(format!(
                    "_csrf={csrf}&username=admin&password=wrong"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("用户名或密码错误"));
    // A successful login sets an HttpOnly, SameSite session cookie.
    let (session, _) = t.web_login("admin").await;
    assert_eq!(session.len(), 64);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_logout_ends_it() {
    let t = spawn();
    let page = t
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    let cookie = set_cookie(&page.headers, "anjian_login_csrf").unwrap_or_default();
    let csrf = hidden(&page.text(), "_csrf");
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_login_csrf={cookie}"))
                .body(Body::from(format!(
                    "_csrf={csrf}&next=%2F%2Fevil.example&username=admin&password={PASSWORD}"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/"),
        "no open redirect"
    );
    let sc: Vec<String> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let s = sc
        .iter()
        .find(|c| c.starts_with("anjian_session="))
        .cloned()
        .unwrap_or_default();
    assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax"), "{s}");
    let (session, csrf) = t.web_login("leader").await;
    // Logout without the CSRF token is refused; with it, the session ends.
    let r = t.form("/logout", &session, &[("_csrf", "wrong")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.form("/logout", &session, &[("_csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.page("/", &session).await.status, StatusCode::SEE_OTHER);
}
