//! Health, the OpenAPI document, and the answers to malformed requests.

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
