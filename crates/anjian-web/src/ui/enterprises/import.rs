//! Importing enterprises from the register's page: new ones registered, and with
//! “更新已登记的企业” checked an edited export updates the caller's enterprises, the result
//! page listing the rows created, updated (field by field) and unchanged.

use crate::extract::PageCaller;
use crate::ui::{Chrome, render_refused};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::import::{ChangeReport, ImportMode, ImportOptions};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "enterprise_import.html")]
struct ImportPage {
    chrome: Chrome,
    message: String,
    ok: bool,
    /// Bad rows, or a refused file's columns.
    lines: Vec<String>,
    columns: Vec<String>,
    changes: Option<ChangeReport>,
    ignore_columns: bool,
    upsert: bool,
}

pub(super) async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let instance = blocking(&state, |app| app.instance_name()).await?;
    let chrome = Chrome::new(&pc, instance, "导入企业", "enterprises");
    let mut page = ImportPage {
        chrome,
        message: String::new(),
        ok: false,
        lines: Vec::new(),
        columns: Vec::new(),
        changes: None,
        ignore_columns: false,
        upsert: false,
    };
    let (name, data, _, csrf, flags) = match crate::files::read_upload_flags(mp).await {
        Ok(x) => x,
        Err(e) => {
            page.message = e.message;
            return Ok(render_refused(&page, true));
        }
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(AppError::Forbidden("表单已过期，请刷新页面后重试".into()).into());
    }
    page.ignore_columns = flags.iter().any(|f| f == "ignore_columns");
    page.upsert = flags.iter().any(|f| f == "upsert");
    let mode = if page.upsert {
        ImportMode::Upsert
    } else {
        ImportMode::Create
    };
    let opts = ImportOptions {
        skip_invalid: false,
        ignore_columns: page.ignore_columns,
    };
    let ext = crate::files::extension(&name);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        let t = app.read_import_table(&caller.user.username, &ext, &data)?;
        drop(data);
        app.import_enterprises(Some(&caller), &t, opts, mode, &mut |_, _| {})
    })
    .await;
    match r {
        Ok(rep) if rep.invalid_count == 0 => {
            page.ok = true;
            page.message = match &rep.changes {
                Some(c) => format!(
                    "导入完成：新增 {} 家，更新 {} 家，未变 {} 家。",
                    c.created_count, c.updated_count, c.unchanged_count
                ),
                None => format!("已导入 {} 家企业。", rep.written),
            };
            page.columns = rep.ignored_columns;
            page.changes = rep.changes;
            Ok(render_refused(&page, false))
        }
        Ok(rep) => {
            page.message = format!(
                "共 {} 行，其中 {} 行有误，未导入任何记录。请修正后重新导入。",
                rep.total, rep.invalid_count
            );
            page.lines = rep.lines();
            page.columns = rep.ignored_columns;
            Ok(render_refused(&page, true))
        }
        Err(AppError::ImportRefused(r)) => {
            page.message = r.message;
            page.columns = r.columns;
            Ok(render_refused(&page, true))
        }
        Err(AppError::BadRequest(m) | AppError::Forbidden(m) | AppError::Conflict(m)) => {
            page.message = m;
            Ok(render_refused(&page, true))
        }
        Err(e) => Err(e.into()),
    }
}
