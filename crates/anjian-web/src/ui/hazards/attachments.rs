//! Evidence files: the upload from a hazard's page and the download.

use super::detail::detail_page;
use crate::extract::{PageCaller, PageId};
use crate::ui::{FieldErrors, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use axum::extract::State;
use axum::response::Response;

pub(super) async fn upload(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        return detail_page(
            &state,
            &pc,
            id,
            FieldErrors::general("请选择要上传的文件".into()),
            None,
        )
        .await;
    };
    let (name, data, note, csrf) = match crate::files::read_upload(mp).await {
        Ok(x) => x,
        Err(e) => return detail_page(&state, &pc, id, FieldErrors::general(e.message), None).await,
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(PageError::App(AppError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        )));
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.attach_hazard_file(&caller, id, &name, data, &note)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(AppError::Validation(v)) => detail_page(&state, &pc, id, v.fields.into(), None).await,
        Err(AppError::Forbidden(m)) => {
            detail_page(&state, &pc, id, FieldErrors::general(m), None).await
        }
        Err(e) => Err(e.into()),
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
