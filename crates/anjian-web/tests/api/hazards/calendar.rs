//! The working-day calendar.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn calendar_contract() {
    let t = spawn();
    let token = t.token("leader").await;
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-09-29&days=5",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["date"], "2022-10-11");
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-calendar-days?from=2022-01-28&days=7",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.json()["date"], "2022-02-07");
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-02-30&days=5",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["from"].is_array());
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-09-29&days=-1",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Admins edit a year; others may not.
    let days = json!({"days": [{"date": "2022-10-03", "kind": "holiday", "name": "国庆节"}]});
    assert_eq!(
        t.call(
            "PUT",
            "/api/v1/calendar/2022",
            Some(&token),
            Some(days.clone())
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let admin = t.token("admin").await;
    let r = t
        .call("PUT", "/api/v1/calendar/2022", Some(&admin), Some(days))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // With only 10-03 off in 2022, 5 working days from 09-29 end on 10-07.
    let r = t
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?from=2022-09-29&days=5",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.json()["date"], "2022-10-07");
    let bad = json!({"days": [{"date": "2021-05-01", "kind": "holiday"}, {"date": "2022-10-01", "kind": "party"}]});
    let r = t
        .call("PUT", "/api/v1/calendar/2022", Some(&admin), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    assert!(
        f["days[0].date"].is_array() && f["days[1].kind"].is_array(),
        "{f}"
    );
}
