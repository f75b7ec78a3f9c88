//! Uploads and downloads shared by the JSON API and the HTML pages: the multipart reader,
//! the upload limit, and file, Word and attachment responses.

use crate::error::ApiError;
use axum::extract::Multipart;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Upload bodies may be a little larger than the largest file (multipart framing).
pub const UPLOAD_LIMIT: usize = anjian_domain::files::MAX_FILE_BYTES + 256 * 1024;

/// The lower-case extension of an uploaded file's name (`csv`, `xlsx` …).
pub fn extension(name: &str) -> String {
    name.rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Reads a multipart body: the `file` part (name and bytes) and an optional `note`.
/// Every malformed, truncated or oversized body is a JSON 4xx.
pub async fn read_upload(
    mp: Multipart,
) -> Result<(String, Vec<u8>, String, Option<String>), ApiError> {
    let (name, data, note, csrf, _) = read_upload_flags(mp).await?;
    Ok((name, data, note, csrf))
}

/// Checkbox parts an upload form may carry besides the file.
pub const UPLOAD_FLAGS: [&str; 2] = ["ignore_columns", "upsert"];

/// [`read_upload`], with the names of the [`UPLOAD_FLAGS`] checked in the form.
pub async fn read_upload_flags(
    mp: Multipart,
) -> Result<(String, Vec<u8>, String, Option<String>, Vec<String>), ApiError> {
    read_upload_keeping(mp).await.map_err(|(e, _)| e)
}

/// [`read_upload_flags`] for a page: a refused upload still gives back the note typed with it
/// (as far as it was read), so the form can show it again.
pub async fn read_upload_keeping(
    mut mp: Multipart,
) -> Result<(String, Vec<u8>, String, Option<String>, Vec<String>), (ApiError, String)> {
    let mut flags = Vec::new();
    let bad = |m: String| ApiError::field(StatusCode::BAD_REQUEST, "bad_upload", "file", m);
    let mut file = None;
    let mut note = String::new();
    let mut csrf = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err((
                    ApiError::field(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        "file",
                        format!(
                            "文件超过 {} MB 上限",
                            anjian_domain::files::MAX_FILE_BYTES / 1024 / 1024
                        ),
                    ),
                    note,
                ));
            }
            Err(e) => {
                return Err((
                    bad(format!("上传内容不完整或格式错误：{}", e.body_text())),
                    note,
                ));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("file").to_string();
                let data = match field.bytes().await {
                    Ok(d) => d,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err((
                            ApiError::field(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                "payload_too_large",
                                "file",
                                format!(
                                    "文件超过 {} MB 上限",
                                    anjian_domain::files::MAX_FILE_BYTES / 1024 / 1024
                                ),
                            ),
                            note,
                        ));
                    }
                    Err(e) => {
                        return Err((bad(format!("上传内容不完整：{}", e.body_text())), note));
                    }
                };
                // A form sent without a file chosen carries an empty part.
                if !(file_name.is_empty() && data.is_empty()) {
                    file = Some((file_name, data.to_vec()));
                }
            }
            flag if UPLOAD_FLAGS.contains(&flag) => {
                let value = match field.text().await {
                    Ok(v) => v,
                    Err(e) => {
                        return Err((bad(format!("上传内容不完整：{}", e.body_text())), note));
                    }
                };
                if matches!(value.as_str(), "on" | "true" | "1") {
                    flags.push(name.clone());
                }
            }
            "note" | "_csrf" => {
                let text = match field.text().await {
                    Ok(v) => v,
                    Err(e) => {
                        return Err((bad(format!("上传内容不完整：{}", e.body_text())), note));
                    }
                };
                if name == "note" {
                    note = text;
                } else {
                    csrf = Some(text);
                }
            }
            _ => {}
        }
    }
    let Some((file_name, data)) = file else {
        return Err((
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "file",
                "请选择要上传的文件".to_string(),
            ),
            note,
        ));
    };
    Ok((file_name, data, note, csrf, flags))
}

pub fn file_download(att: &anjian_app::records::hazards::Attachment, data: Vec<u8>) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(att.file_name.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, att.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"file\"; filename*=UTF-8''{encoded}"),
            ),
            (
                header::HeaderName::from_static("x-content-sha256"),
                att.sha256.clone(),
            ),
        ],
        data,
    )
        .into_response()
}

pub fn file_response(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub fn docx_response(name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bulletin.docx\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}
