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

/// Bodies of a form that carries the evidence files of an action (a rectification reported
/// with its photos): the files together, plus multipart framing and the form's text.
pub const EVIDENCE_FORM_LIMIT: usize = anjian_app::hazards::MAX_EVIDENCE_BYTES + 256 * 1024;

/// Reads a multipart form whose text parts are ordinary fields and whose `file_field` parts
/// are files (any number, each possibly empty when none was chosen, which is skipped).
/// A malformed, truncated or oversized body is refused with the message under `file_field`,
/// and still gives back the fields read so far, so a page can show them again.
pub async fn read_form_with_files(
    mut mp: Multipart,
    file_field: &str,
) -> Result<
    (
        crate::extract::FormPairs,
        Vec<anjian_app::hazards::EvidenceFile>,
    ),
    (ApiError, crate::extract::FormPairs),
> {
    let mut pairs = Vec::new();
    let mut files = Vec::new();
    let refuse = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::field(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                file_field,
                format!(
                    "文件合计超过 {} MB 上限",
                    anjian_app::hazards::MAX_EVIDENCE_BYTES / 1024 / 1024
                ),
            )
        } else {
            ApiError::field(
                StatusCode::BAD_REQUEST,
                "bad_upload",
                file_field,
                format!("上传内容不完整或格式错误：{}", e.body_text()),
            )
        }
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err((refuse(e), crate::extract::FormPairs(pairs))),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            let file_name = field.file_name().unwrap_or_default().to_string();
            match field.bytes().await {
                // A form sent without a file chosen carries an empty part.
                Ok(d) if file_name.is_empty() && d.is_empty() => {}
                Ok(d) => files.push(anjian_app::hazards::EvidenceFile {
                    name: if file_name.is_empty() {
                        "file".into()
                    } else {
                        file_name
                    },
                    data: d.to_vec(),
                }),
                Err(e) => return Err((refuse(e), crate::extract::FormPairs(pairs))),
            }
        } else {
            match field.text().await {
                Ok(v) => pairs.push((name, v)),
                Err(e) => return Err((refuse(e), crate::extract::FormPairs(pairs))),
            }
        }
    }
    Ok((crate::extract::FormPairs(pairs), files))
}

/// `Content-Disposition` of a download (RFC 6266): an ASCII `filename` for old clients and the
/// real, possibly Chinese, name as `filename*` (RFC 5987, UTF-8, percent-encoded).
pub fn content_disposition(name: &str, fallback: &str) -> String {
    let ascii: String = fallback
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let ascii = if ascii.trim_matches('.').is_empty() {
        "download".to_string()
    } else {
        ascii
    };
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// An ASCII fallback for a file name: the name itself where it is plain ASCII, otherwise
/// `stem` with the name's extension.
pub fn ascii_fallback(name: &str, stem: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return name.to_string();
    }
    let ext = extension(name);
    if !ext.is_empty()
        && ext.len() <= 5
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && name.contains('.')
    {
        format!("{stem}.{ext}")
    } else {
        stem.to_string()
    }
}

pub fn file_download(att: &anjian_app::records::hazards::Attachment, data: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, att.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(
                    &att.file_name,
                    &ascii_fallback(&att.file_name, &format!("attachment-{}", att.id)),
                ),
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
                content_disposition(filename, &ascii_fallback(filename, "download")),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A Word file named `name` (Chinese as officials name it) with `fallback` as its ASCII name.
pub fn docx_response(name: &str, fallback: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(name, fallback),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_are_percent_encoded_with_an_ascii_fallback() {
        assert_eq!(
            content_disposition("行政处罚决定书-清应急罚〔2022〕4号.docx", "document-4.docx"),
            "attachment; filename=\"document-4.docx\"; filename*=UTF-8''%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A%E5%86%B3%E5%AE%9A%E4%B9%A6-%E6%B8%85%E5%BA%94%E6%80%A5%E7%BD%9A%E3%80%942022%E3%80%954%E5%8F%B7.docx"
        );
        // Spaces, quotes and separators never reach the header unencoded.
        let h = content_disposition("a b\"c/d;.docx", "a b\"c/d;.docx");
        assert_eq!(
            h,
            "attachment; filename=\"abcd.docx\"; filename*=UTF-8''a%20b%22c%2Fd%3B.docx"
        );
        assert!(content_disposition("x", "隐患").contains("filename=\"download\""));
        assert_eq!(ascii_fallback("report-2022.xlsx", "x"), "report-2022.xlsx");
        assert_eq!(
            ascii_fallback("现场照片.JPG", "attachment-7"),
            "attachment-7.jpg"
        );
        assert_eq!(ascii_fallback("说明", "attachment-7"), "attachment-7");
    }
}
