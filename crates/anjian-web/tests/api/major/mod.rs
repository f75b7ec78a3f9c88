//! Major hazards under 一单四制 through the API.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

mod bulletin_job;
mod downgrade;
mod whole_loop;

async fn case_act(t: &TestApp, token: &str, id: i64, body: Value) -> crate::helpers::Resp {
    t.call(
        "POST",
        &format!("/api/v1/major-hazards/{id}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

async fn new_major(t: &TestApp, token: &str) -> i64 {
    let body = json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "major", "source": "inspection",
        "description": "重点监管危险化工工艺未设紧急停车系统", "found_on": "2022-05-20"});
    let r = t
        .call("POST", "/api/v1/hazards", Some(token), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap_or_default()
}

pub(crate) fn multipart_pdf() -> (String, Vec<u8>) {
    let b = "Bnd7";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"验收报告.pdf\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(b"%PDF-1.4 report");
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}
