//! Importing hazards from the ledger page.

use super::uploaded_file;
use crate::extract::PageCaller;
use crate::ui::{Chrome, render_refused};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "import_result.html")]
struct ImportResultPage {
    chrome: Chrome,
    heading: String,
    message: String,
    ok: bool,
    lines: Vec<String>,
    back: String,
}

pub(super) async fn hazard_import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let instance = blocking(&state, |app| app.instance_name()).await?;
    let page = |message: String, ok: bool, lines: Vec<String>| {
        let p = ImportResultPage {
            chrome: Chrome::new(&pc, instance.clone(), "导入隐患", "hazards"),
            heading: "导入隐患".into(),
            message,
            ok,
            lines,
            back: "/hazards".into(),
        };
        render_refused(&p, !ok)
    };
    let (ext, data) = match uploaded_file(&pc, mp).await? {
        Ok(x) => x,
        Err(m) => return Ok(page(m, false, Vec::new())),
    };
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        let t = anjian_app::import::read_table_bytes(&ext, &data)?;
        app.import_hazards(&caller, &t, false, &mut |_, _| {})
    })
    .await;
    match r {
        Ok(rep) if rep.invalid.is_empty() => Ok(page(
            format!("已导入 {} 条隐患。", rep.written),
            true,
            Vec::new(),
        )),
        Ok(rep) => Ok(page(
            format!(
                "共 {} 行，其中 {} 行有误，未导入任何记录。请修正后重新导入。",
                rep.total,
                rep.invalid.len()
            ),
            false,
            rep.lines(),
        )),
        Err(AppError::BadRequest(m)) | Err(AppError::Forbidden(m)) => {
            Ok(page(m, false, Vec::new()))
        }
        Err(e) => Err(e.into()),
    }
}
