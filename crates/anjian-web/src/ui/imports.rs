//! An import form's answer page, shared by the record pages that take a spreadsheet: the
//! file is read within the import limits, every row checked, and the page says what was
//! written or shows the bad rows with a form to send the file again.

use super::stats::{refusal_text, uploaded_file};
use super::{Chrome, render_refused};
use crate::extract::PageCaller;
use crate::{AppState, PageError, blocking};
use anjian_app::import::{ImportOptions, ImportReport, ImportSource, Table};
use anjian_app::{App, Caller};
use askama::Template;
use axum::extract::Multipart;
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
    action: String,
    ignore_columns: bool,
    columns: Vec<String>,
}

/// Where an import page belongs: its title, the menu entry, the page to go back to and the
/// form's own address.
pub(crate) struct ImportPlace {
    pub title: &'static str,
    pub nav: &'static str,
    pub back: String,
    pub action: String,
}

/// Runs an upload through `run` (validate every row, write all or nothing) and answers the
/// result page: 200 with what was written, 422 with the bad rows or the refused file.
pub(crate) async fn import_page(
    state: &AppState,
    pc: &PageCaller,
    mp: Multipart,
    place: ImportPlace,
    run: impl FnOnce(&App, &Caller, &Table, ImportOptions) -> anjian_app::Result<ImportReport>
    + Send
    + 'static,
) -> Result<Response, PageError> {
    import_page_streaming(state, pc, mp, place, move |app, caller, source, opts| {
        let t = app.import_table(&caller.user.username, source)?;
        run(app, caller, &t, opts)
    })
    .await
}

/// [`import_page`] for an import that reads the file itself (row by row, keeping none).
pub(crate) async fn import_page_streaming(
    state: &AppState,
    pc: &PageCaller,
    mp: Multipart,
    place: ImportPlace,
    run: impl FnOnce(&App, &Caller, &ImportSource, ImportOptions) -> anjian_app::Result<ImportReport>
    + Send
    + 'static,
) -> Result<Response, PageError> {
    let instance = blocking(state, |app| app.instance_name()).await?;
    let page = |message: String, ok: bool, lines: Vec<String>, columns, ignore_columns| {
        let p = ImportResultPage {
            chrome: Chrome::new(pc, instance.clone(), place.title, place.nav),
            heading: place.title.into(),
            message,
            ok,
            lines,
            back: place.back.clone(),
            action: place.action.clone(),
            ignore_columns,
            columns,
        };
        render_refused(&p, !ok)
    };
    let (ext, data, ignore_columns) = match uploaded_file(pc, mp).await? {
        Ok(x) => x,
        Err(m) => return Ok(page(m, false, Vec::new(), Vec::new(), false)),
    };
    let caller = pc.caller.clone();
    let opts = ImportOptions {
        skip_invalid: false,
        ignore_columns,
    };
    let source = ImportSource::bytes(&ext, data);
    let r = blocking(state, move |app| run(app, &caller, &source, opts)).await;
    match r {
        Ok(rep) if rep.invalid_count == 0 => Ok(page(
            format!("已导入 {} 条。", rep.written),
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
