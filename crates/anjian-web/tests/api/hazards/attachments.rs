//! Evidence files.

use super::{hazard_json, multipart};
use crate::helpers::*;
use axum::http::StatusCode;

#[tokio::test]
async fn evidence_files_are_checked_and_hashed() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let h = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(hazard_json(
                Some(t.ids.a_haz),
                VILLAGE_A1,
                "hazchem",
                "general",
                "inspection",
            )),
        )
        .await
        .json();
    let id = h["id"].as_i64().unwrap_or_default();
    let url = format!("/api/v1/hazards/{id}/attachments");
    let jpeg: Vec<u8> = [b"\xFF\xD8\xFF\xE0".as_slice(), &[7u8; 2000]].concat();
    let (ct, body) = multipart(&[
        ("note", None, "整改前照片".as_bytes()),
        ("file", Some("现场照片.jpg"), &jpeg),
    ]);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a = r.json();
    use sha2::Digest;
    assert_eq!(a["sha256"], hex::encode(sha2::Sha256::digest(&jpeg)));
    assert_eq!(
        (a["content_type"].as_str(), a["size"].as_i64()),
        (Some("image/jpeg"), Some(2004))
    );
    let before = t
        .call("GET", &format!("/api/v1/hazards/{id}"), Some(&insp), None)
        .await
        .json();
    // Wrong type (an executable called .jpg), oversized, truncated, or not multipart at all:
    // clear 4xx errors, and the hazard and its files stay as they were.
    let (ct, body) = multipart(&[("file", Some("x.jpg"), b"MZ\x90\x00\x03")]);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["file"].is_array(), "{}", r.text());
    let (ct, body) = multipart(&[("file", Some("x.exe"), b"MZ\x90\x00\x03")]);
    assert_eq!(
        t.raw("POST", &url, Some(&insp), &ct, body).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let big: Vec<u8> = [
        b"%PDF-".as_slice(),
        &vec![0u8; anjian_domain::files::MAX_FILE_BYTES + 300_000],
    ]
    .concat();
    let (ct, body) = multipart(&[("file", Some("big.pdf"), &big)]);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.json()["message"].is_string());
    let (ct, mut body) = multipart(&[("file", Some("cut.jpg"), &jpeg)]);
    body.truncate(body.len() / 2);
    let r = t.raw("POST", &url, Some(&insp), &ct, body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(r.json()["error"], "bad_upload");
    let r = t
        .raw("POST", &url, Some(&insp), "application/json", "{}")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let after = t
        .call("GET", &format!("/api/v1/hazards/{id}"), Some(&insp), None)
        .await
        .json();
    assert_eq!(before, after, "hazard unchanged");
    let list = t.call("GET", &url, Some(&insp), None).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    // Download returns the same bytes; others outside the scope cannot.
    let att = a["id"].as_i64().unwrap_or_default();
    let r = t
        .call(
            "GET",
            &format!("/api/v1/attachments/{att}"),
            Some(&insp),
            None,
        )
        .await;
    assert_eq!((r.status, r.body.clone()), (StatusCode::OK, jpeg.clone()));
    let other = t.token("paizhu").await;
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/attachments/{att}"),
            Some(&other),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let (ct, body) = multipart(&[("file", Some("p.jpg"), &jpeg)]);
    assert_eq!(
        t.raw("POST", &url, Some(&other), &ct, body).await.status,
        StatusCode::NOT_FOUND
    );
    // The timeline records the upload.
    let events: Vec<String> = after["events"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|e| e["action"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(events, vec!["create", "attach"]);
}
