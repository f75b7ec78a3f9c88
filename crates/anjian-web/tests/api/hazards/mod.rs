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
