//! A rectification reported with its photos in one submission from the hazard's page: the
//! photos are checked like any evidence upload, stored with the report in one go, and a
//! refused report stores none of them and keeps what was typed.

use super::forms::{ordered_hazard, upload};
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// A hazard ordered by the inspector and started by the enterprise: ready to be reported.
async fn rectifying(t: &TestApp) -> i64 {
    let id = ordered_hazard(t).await;
    let steps = [
        (
            "zhifa",
            json!({"action": "order", "deadline": "2022-06-30"}),
        ),
        ("qiye", json!({"action": "start"})),
    ];
    for (who, step) in steps {
        let token = t.token(who).await;
        let r = t
            .call(
                "POST",
                &format!("/api/v1/hazards/{id}/actions"),
                Some(&token),
                Some(step),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    id
}

fn jpeg() -> Vec<u8> {
    [b"\xFF\xD8\xFF\xE0".as_slice(), &[7u8; 800]].concat()
}

fn png() -> Vec<u8> {
    [b"\x89PNG\r\n\x1a\n".as_slice(), &[1u8; 300]].concat()
}

async fn hazard(t: &TestApp, id: i64) -> (Value, Vec<Value>) {
    let token = t.token("zhifa").await;
    let h = t
        .call("GET", &format!("/api/v1/hazards/{id}"), Some(&token), None)
        .await
        .json();
    let files = t
        .call(
            "GET",
            &format!("/api/v1/hazards/{id}/attachments"),
            Some(&token),
            None,
        )
        .await
        .json();
    (h, files["items"].as_array().cloned().unwrap_or_default())
}

#[tokio::test]
async fn a_report_carries_its_photos_in_one_submission() {
    let t = spawn();
    let id = rectifying(&t).await;
    let (session, csrf) = t.web_login("qiye").await;
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    // The report's own form takes the photos (several, from the camera or the album).
    assert!(
        page.contains(&format!(
            r#"action="/hazards/{id}/act-with-evidence" enctype="multipart/form-data""#
        )) && page.contains(r#"name="evidence" accept="image/jpeg,image/png"#)
            && page.contains("multiple"),
        "{page}"
    );
    let version = hidden(&page, "version");
    let (jpeg, png) = (jpeg(), png());
    let r = upload(
        &t,
        &format!("/hazards/{id}/act-with-evidence"),
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("version", None, version.as_bytes()),
            ("action", None, b"report"),
            ("funds_spent", None, b"3500"),
            ("note", None, "已更换报警器并校验".as_bytes()),
            ("evidence", Some("整改后一.jpg"), &jpeg),
            ("evidence", Some("整改后二.png"), &png),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let (h, files) = hazard(&t, id).await;
    assert_eq!(h["status"], "reported", "{h}");
    assert_eq!(h["funds_spent"], 3500);
    assert_eq!(
        files
            .iter()
            .map(|f| (f["file_name"].clone(), f["content_type"].clone()))
            .collect::<Vec<_>>(),
        [
            (json!("整改后一.jpg"), json!("image/jpeg")),
            (json!("整改后二.png"), json!("image/png"))
        ]
    );
    use sha2::Digest;
    assert_eq!(files[0]["sha256"], hex::encode(sha2::Sha256::digest(&jpeg)));
    assert_eq!(files[0]["note"], "报告整改完成时提交");
    // The timeline: the photos, then the report.
    let actions: Vec<&str> = h["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions[actions.len() - 3..], ["attach", "attach", "report"]);
}

#[tokio::test]
async fn a_bad_photo_refuses_the_whole_report_and_keeps_the_text() {
    let t = spawn();
    let id = rectifying(&t).await;
    let (session, csrf) = t.web_login("qiye").await;
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    let version = hidden(&page, "version");
    let jpeg = jpeg();
    // A good photo and a program named as one: nothing is stored, the report is not made.
    let r = upload(
        &t,
        &format!("/hazards/{id}/act-with-evidence"),
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("version", None, version.as_bytes()),
            ("action", None, b"report"),
            ("funds_spent", None, b"3500"),
            ("note", None, "已更换报警器并校验".as_bytes()),
            ("evidence", Some("整改后.jpg"), &jpeg),
            ("evidence", Some("现场.jpg"), b"MZ\x90\x00\x03\x00"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains(r#"value="已更换报警器并校验""#) && html.contains(r#"value="3500""#),
        "{html}"
    );
    assert!(
        html.contains("现场.jpg：") && html.contains("请重新选择照片"),
        "{html}"
    );
    assert!(html.contains(r#"class="photos invalid""#), "{html}");
    let (h, files) = hazard(&t, id).await;
    assert_eq!(h["status"], "rectifying");
    assert_eq!(files, Vec::<Value>::new(), "no evidence left behind");

    // A refused report (the hazard changed since the page was read) stores none either.
    let r = upload(
        &t,
        &format!("/hazards/{id}/act-with-evidence"),
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("version", None, b"1"),
            ("action", None, b"report"),
            ("note", None, "已更换报警器并校验".as_bytes()),
            ("evidence", Some("整改后.jpg"), &jpeg),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("已被他人处理") && html.contains(r#"value="已更换报警器并校验""#),
        "{html}"
    );
    let (h, files) = hazard(&t, id).await;
    assert_eq!(h["status"], "rectifying");
    assert_eq!(files, Vec::<Value>::new(), "no evidence left behind");

    // Without any photo, the county's rule still asks for one, in words at the photo field.
    let r = upload(
        &t,
        &format!("/hazards/{id}/act-with-evidence"),
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("version", None, version.as_bytes()),
            ("action", None, b"report"),
            ("note", None, "已更换报警器并校验".as_bytes()),
            ("evidence", Some(""), b""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("报告整改完成须附整改佐证材料"));
}

/// The API's multipart variant of a step: the same rules, the same atomicity.
#[tokio::test]
async fn the_api_takes_a_report_with_its_photos_in_one_request() {
    let t = spawn();
    let id = rectifying(&t).await;
    let qiye = t.token("qiye").await;
    let url = format!("/api/v1/hazards/{id}/actions-with-evidence");
    let jpeg = jpeg();
    let (ct, body) = crate::hazards::multipart(&[
        ("action", None, b"report"),
        ("note", None, "已整改".as_bytes()),
        ("funds_spent", None, b"abc"),
        ("evidence", Some("整改后.jpg"), &jpeg),
    ]);
    let r = t.raw("POST", &url, Some(&qiye), &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["funds_spent"].is_array(), "{}", r.text());
    let (ct, body) = crate::hazards::multipart(&[
        ("action", None, b"report"),
        ("evidence", Some("整改后.jpg"), b"not a photo"),
    ]);
    let r = t.raw("POST", &url, Some(&qiye), &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["evidence"].is_array(), "{}", r.text());
    assert_eq!(hazard(&t, id).await.1, Vec::<Value>::new());
    let (ct, body) = crate::hazards::multipart(&[
        ("action", None, b"report"),
        ("note", None, "已整改".as_bytes()),
        ("funds_spent", None, b"1200"),
        ("evidence", Some("整改后.jpg"), &jpeg),
    ]);
    let r = t.raw("POST", &url, Some(&qiye), &ct, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "reported");
    let (h, files) = hazard(&t, id).await;
    assert_eq!((h["funds_spent"].clone(), files.len()), (json!(1200), 1));
    // Not multipart: 415.
    let r = t
        .raw("POST", &url, Some(&qiye), "application/json", "{}")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}
