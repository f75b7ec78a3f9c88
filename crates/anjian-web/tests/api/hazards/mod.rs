//! Hazards and the calendar through the API.

mod attachments;
mod calendar;
mod lifecycle;
mod todos;

use crate::helpers::*;
use serde_json::{Value, json};

pub(crate) fn hazard_json(
    enterprise: Option<i64>,
    region: &str,
    sector: &str,
    level: &str,
    source: &str,
) -> Value {
    json!({
        "enterprise_id": enterprise, "region_code": region, "sector": sector, "level": level, "source": source,
        "description": "储罐区可燃气体报警器失效", "found_on": "2022-05-20", "deadline": "2022-06-10"
    })
}

async fn act(t: &TestApp, token: &str, id: i64, body: Value) -> crate::helpers::Resp {
    t.call(
        "POST",
        &format!("/api/v1/hazards/{id}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

/// Uploads a photo of the rectification to hazard `id` (a report needs evidence).
pub(crate) async fn upload_evidence(t: &TestApp, token: &str, id: i64) {
    let jpeg: Vec<u8> = [b"\xFF\xD8\xFF\xE0".as_slice(), &[7u8; 500]].concat();
    let (ct, body) = multipart(&[
        ("note", None, "整改后照片".as_bytes()),
        ("file", Some("整改后.jpg"), &jpeg),
    ]);
    let url = format!("/api/v1/hazards/{id}/attachments");
    let r = t.raw("POST", &url, Some(token), &ct, body).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text());
}

pub(crate) fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "XyZanjianBoundary42";
    let mut body = Vec::new();
    for (name, file, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes()),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
