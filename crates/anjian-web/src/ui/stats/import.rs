//! Importing hazards from the ledger page.

use super::{refusal_text, uploaded_file};
use crate::extract::PageCaller;
use crate::ui::{Chrome, render_refused};
use crate::{AppState, PageError, blocking};
use anjian_app::import::ImportOptions;
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
    /// The form to send the file again (kept as it was submitted), shown on refusal.
    action: String,
    ignore_columns: bool,
    /// Columns not imported, or the unrecognised columns that refused the file.
    columns: Vec<String>,
}

pub(super) async fn hazard_import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let instance = blocking(&state, |app| app.instance_name()).await?;
    let mut ignore_columns = false;
    let page = |message: String, ok: bool, lines: Vec<String>, columns, ignore_columns| {
        let p = ImportResultPage {
            chrome: Chrome::new(&pc, instance.clone(), "导入隐患", "hazards"),
            heading: "导入隐患".into(),
            message,
            ok,
            lines,
            back: "/hazards".into(),
            action: "/hazards/import".into(),
            ignore_columns,
            columns,
        };
        render_refused(&p, !ok)
    };
    let (ext, data) = match uploaded_file(&pc, mp).await? {
        Ok((ext, data, ignore)) => {
            ignore_columns = ignore;
            (ext, data)
        }
        Err(m) => return Ok(page(m, false, Vec::new(), Vec::new(), ignore_columns)),
    };
    let caller = pc.caller.clone();
    let opts = ImportOptions {
        skip_invalid: false,
        ignore_columns,
    };
    let r = blocking(&state, move |app| {
        let t = app.read_import_table(&caller.user.username, &ext, &data)?;
        drop(data);
        app.import_hazards(&caller, &t, opts, &mut |_, _| {})
    })
    .await;
    match r {
        Ok(rep) if rep.invalid_count == 0 => Ok(page(
            format!("已导入 {} 条隐患。", rep.written),
            true,
            Vec::new(),
            rep.ignored_columns,
            ignore_columns,
        )),
        Ok(rep) => Ok(page(
            format!(
                "共 {} 行，其中 {} 行有误，未导入任何记录。请修正后重新导入。",
                rep.total, rep.invalid_count
            ),
            false,
            rep.lines(),
            rep.ignored_columns.clone(),
            ignore_columns,
        )),
        Err(e) => match refusal_text(&e) {
            Some((m, columns)) => Ok(page(m, false, Vec::new(), columns, ignore_columns)),
            None => Err(e.into()),
        },
    }
}
