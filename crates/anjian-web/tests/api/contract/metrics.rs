//! `GET /metrics` (issue 22): off unless the server was started with `--metrics`; then the
//! requests by route pattern and status, their latency, store connection waits, job runs and
//! refused imports, in Prometheus' text format.

use crate::helpers::*;
use axum::http::StatusCode;

#[tokio::test]
async fn metrics_are_off_by_default_and_count_requests_by_route_when_on() {
    let mut t = spawn();
    // Off: /metrics is only the 统计指标 page, which wants a login.
    let r = t.call("GET", "/metrics", None, None).await;
    assert!(
        !r.text().contains("anjian_http_requests_total"),
        "{}",
        r.text()
    );
    assert_ne!(r.status, StatusCode::OK);
    t.router = anjian_web::router(
        t.app.clone(),
        anjian_web::WebConfig {
            metrics: true,
            ..Default::default()
        },
    );
    let token = t.token("admin").await;
    for id in [t.ids.a_haz, t.ids.b_haz, 987_654_321] {
        t.call(
            "GET",
            &format!("/api/v1/enterprises/{id}"),
            Some(&token),
            None,
        )
        .await;
    }
    let r = t
        .call(
            "POST",
            "/api/v1/jobs/daily-reminders/run",
            Some(&token),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let r = t.call("GET", "/metrics", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/plain")),
        "{:?}",
        r.headers
    );
    let text = r.text();
    for want in [
        // One series per route pattern, not per id.
        r#"anjian_http_requests_total{route="/api/v1/enterprises/{id}",method="GET",status="200"} 2"#,
        r#"anjian_http_requests_total{route="/api/v1/enterprises/{id}",method="GET",status="404"} 1"#,
        r#"anjian_http_request_duration_seconds_count{route="/api/v1/enterprises/{id}",method="GET"} 3"#,
        r#"anjian_job_runs_total{job="daily_reminders",outcome="ran"} 1"#,
        "# TYPE anjian_store_pool_waits counter",
        "# TYPE anjian_store_write_groups counter",
        "# TYPE anjian_store_grouped_writes counter",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
    // A browser asking for HTML at the same path still gets the page (here: the login).
    let r = t
        .send(
            axum::http::Request::get("/metrics")
                .header("accept", "text/html,application/xhtml+xml")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(!r.text().contains("anjian_http_requests_total"));
}
