//! Evidence files: the upload from a hazard's page and the download.
//!
//! A refused upload keeps its note; the file itself must be chosen again (a browser cannot
//! fill a file input), and the message says so.

use super::detail::detail_page;
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::ui::{FieldErrors, Kept, refusal, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use axum::extract::State;
use axum::response::Response;

/// What a page shows for a refused upload: the messages, and that the file must be chosen
/// again.
pub(crate) fn upload_refused(mut errors: FieldErrors, note: String) -> Kept {
    let again = "请重新选择文件后再上传（浏览器不能保留已选的文件）";
    let file = errors.0.entry("file".into()).or_default();
    if file.is_empty() {
        // A refusal about the whole form still concerns the file.
        if let Some(general) = errors.0.remove("_") {
            errors.0.insert("file".into(), general);
        }
    }
    errors.add("file", again);
    Kept::refused("upload", &FormPairs(vec![("note".into(), note)]), errors)
}

/// The field messages of a refused upload (never the field's code).
pub(crate) fn upload_errors(e: &crate::ApiError) -> FieldErrors {
    if e.fields.is_empty() {
        FieldErrors::general(e.message.clone())
    } else {
        e.fields.clone().into()
    }
}

pub(super) async fn upload(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        let kept = upload_refused(FieldErrors::default(), String::new());
        return detail_page(&state, &pc, id, kept, None).await;
    };
    let (name, data, note, csrf) = match crate::files::read_upload_keeping(mp).await {
        Ok((name, data, note, csrf, _)) => (name, data, note, csrf),
        Err((e, note)) => {
            let kept = upload_refused(upload_errors(&e), note);
            return detail_page(&state, &pc, id, kept, None).await;
        }
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(PageError::App(AppError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        )));
    }
    let caller = pc.caller.clone();
    let typed = note.clone();
    match blocking(&state, move |app| {
        app.attach_hazard_file(&caller, id, &name, data, &note)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(e) => {
            let kept = upload_refused(refusal(e)?, typed);
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}

pub(super) async fn download(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (att, data) = blocking(&state, move |app| app.attachment(&caller, id)).await?;
    Ok(crate::files::file_download(&att, data))
}
