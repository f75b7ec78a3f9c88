//! 目标管理责任状: the list with its filters, the form (a row per indicator, kept as typed
//! when refused), the letter's page with its indicators tracked, the signed scan, the ledger
//! and the import.

use super::hazards::attachments::{upload_errors, upload_refused};
use super::{Chrome, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::letters::{IndicatorInput, LetterInput, LetterListItem, LetterView};
use anjian_app::{App, AppError};
use anjian_domain::letter::COUNTERPART_KINDS;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    let upload = axum::extract::DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT);
    Router::new()
        .route("/letters", get(list).post(create))
        .route("/letters/new", get(new_form))
        .route("/letters/import", post(import).layer(upload))
        .route("/letters/{id}", get(detail).post(update))
        .route("/letters/{id}/edit", get(edit_form))
        .route("/letters/{id}/delete", post(delete))
        .route(
            "/letters/{id}/scan",
            get(scan).post(scan_upload).layer(upload),
        )
}

// ---- the list ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "letters.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<LetterListItem>,
    can_maintain: bool,
    kinds: Vec<(&'static str, &'static str)>,
    q_year: String,
    q_kind: String,
    q_text: String,
    /// The filters as a query string (for the ledger and the next page).
    query: String,
    next: Option<String>,
    /// An import's refusal: the message and the bad rows or columns.
    import_error: Option<String>,
    import_lines: Vec<String>,
    ignore_columns: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<crate::query::LetterQuery>,
) -> Result<Response, PageError> {
    list_page(&state, &pc, q, None, Vec::new(), false).await
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    q: crate::query::LetterQuery,
    import_error: Option<String>,
    import_lines: Vec<String>,
    ignore_columns: bool,
) -> Result<Response, PageError> {
    let (f, k) = crate::query::letter_filter_of(&q).map_err(|e| AppError::BadRequest(e.message))?;
    let caller = pc.caller.clone();
    let (instance, page) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.letters_page(&caller, &f, &k)?))
    })
    .await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default().trim().to_string();
    let (q_year, q_kind, q_text) = (text(&q.year), text(&q.kind), text(&q.q));
    let query = [("year", &q_year), ("kind", &q_kind), ("q", &q_text)]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let refused = import_error.is_some();
    let p = ListPage {
        chrome: Chrome::new(pc, instance, "目标管理责任状", "letters"),
        items: page.items,
        can_maintain: App::may_maintain_letters(&pc.caller),
        kinds: COUNTERPART_KINDS
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        q_year,
        q_kind,
        q_text,
        query,
        next: page.next,
        import_error,
        import_lines,
        ignore_columns,
    };
    Ok(render_refused(&p, refused))
}

// ---- the form ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "letter_form.html")]
struct FormPage {
    chrome: Chrome,
    /// (id, version) of the letter being revised; `None` for a new one.
    editing: Option<(i64, i64)>,
    kept: Kept,
    /// The fields' values on a fresh form.
    d: LetterInput,
    enterprise_default: String,
    rows: Vec<super::indicators::IndicatorRow>,
    issuers: &'static [&'static str],
    kinds: Vec<(&'static str, &'static str)>,
    comparators: Vec<(&'static str, &'static str)>,
    townships: Vec<(String, String)>,
    departments: Vec<(i64, String)>,
    /// (id, "section｜label（unit）")
    metrics: Vec<(String, String)>,
    /// The metric choice of a blank row.
    blank_metric: &'static str,
}

impl FormPage {
    fn dept_selected(&self, id: &i64) -> bool {
        self.kept.sel(
            "department_id",
            id,
            &self
                .d
                .department_id
                .map(|d| d.to_string())
                .unwrap_or_default(),
        )
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    editing: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    if !App::may_maintain_letters(&pc.caller) {
        return Err(PageError::App(pc.caller.refuse("登记目标管理责任状")));
    }
    let caller = pc.caller.clone();
    let (instance, townships, departments, metrics, letter) = blocking(state, move |app| {
        let letter = editing.map(|id| app.letter(&caller, id)).transpose()?;
        let metrics = super::indicators::metric_choices(app)?;
        let departments = app
            .all_departments(&caller)?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        Ok((
            app.instance_name()?,
            app.townships(&caller)?,
            departments,
            metrics,
            letter,
        ))
    })
    .await?;
    let today = state.app.clock.today();
    let (d, enterprise_default) = match &letter {
        Some(l) => (
            LetterInput {
                year: l.year,
                issuer: l.issuer.clone(),
                counterpart_kind: l.counterpart_kind.as_str().into(),
                township_code: Some(l.region_code.clone()),
                department_id: l.department_id,
                enterprise_id: l.enterprise_id,
                title: l.title.clone(),
                signed_on: l.signed_on.to_string(),
                indicators: l
                    .indicators
                    .iter()
                    .map(|i| IndicatorInput {
                        text: i.text.clone(),
                        metric: i.metric.clone(),
                        comparator: i.comparator.map(|c| c.as_str().to_string()),
                        target: i.target,
                        per_metric: i.per_metric.clone(),
                    })
                    .collect(),
                note: l.note.clone(),
                version: Some(l.version),
            },
            l.enterprise_id
                .map(|_| l.counterpart_name.clone())
                .unwrap_or_default(),
        ),
        None => (
            LetterInput {
                year: i64::from(chrono::Datelike::year(&today)),
                issuer: "市人民政府".into(),
                counterpart_kind: "township".into(),
                signed_on: today.to_string(),
                ..LetterInput::default()
            },
            String::new(),
        ),
    };
    let page = FormPage {
        chrome: Chrome::new(pc, instance, "登记目标管理责任状", "letters"),
        editing: letter.as_ref().map(|l| (l.id, l.version)),
        rows: super::indicators::rows_of(&kept, &d.indicators),
        kept,
        d,
        enterprise_default,
        issuers: &anjian_app::letters::ISSUERS,
        kinds: COUNTERPART_KINDS
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        comparators: super::indicators::comparator_choices(),
        townships,
        departments,
        metrics,
        blank_metric: "（人工跟踪）",
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn new_form(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    form_page(&state, &pc, None, Kept::none()).await
}

async fn edit_form(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    form_page(&state, &pc, Some(id), Kept::none()).await
}

/// The letter as typed into the form, or the messages of what does not read.
fn input_of(form: &FormPairs) -> Result<LetterInput, super::FieldErrors> {
    let mut n = super::Numbers::new(form);
    let year = n.int("year", "责任年度");
    let department_id = n.int("department_id", "部门");
    let version = n.int("version", "版本号");
    let mut errors = n.errors;
    let indicators = super::indicators::indicators_of(form, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let kind = form.get("counterpart_kind");
    Ok(LetterInput {
        year: year.unwrap_or(0),
        issuer: form.get("issuer"),
        township_code: (kind == "township").then(|| form.get("township_code")),
        department_id: department_id.filter(|_| kind == "department"),
        enterprise_id: None,
        counterpart_kind: kind,
        title: form.get("title"),
        signed_on: form.get("signed_on"),
        indicators,
        note: form.get("note"),
        version,
    })
}

/// Registers (`id` none) or revises a letter from the form; a refusal shows the form again
/// with everything as typed.
async fn save(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut input = match input_of(&form) {
        Ok(i) => i,
        Err(errors) => {
            return form_page(state, pc, id, Kept::refused("letter", &form, errors)).await;
        }
    };
    let enterprise = form.get("enterprise_id");
    let caller = pc.caller.clone();
    let r = blocking(state, move |app| {
        if input.counterpart_kind == "enterprise" {
            match app.resolve_enterprise(&caller, &enterprise)? {
                Ok(found) => input.enterprise_id = found,
                Err(m) => {
                    return Err(anjian_domain::ValidationErrors::single("enterprise_id", m).into());
                }
            }
        }
        match id {
            Some(id) => app.update_letter(&caller, id, &input),
            None => app.create_letter(&caller, &input),
        }
    })
    .await;
    match r {
        Ok(l) => Ok(see_other(&format!("/letters/{}", l.id))),
        Err(e) => {
            let kept = Kept::refused("letter", &form, refusal(e)?);
            form_page(state, pc, id, kept).await
        }
    }
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(&state, &pc, None, form).await
}

async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(&state, &pc, Some(id), form).await
}

// ---- the letter's page --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "letter_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: LetterView,
    can_maintain: bool,
    /// The metric pages (with the records behind each value) are the county's statistics.
    can_drill: bool,
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.letter_view(&caller, id)?))
    })
    .await?;
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "目标管理责任状", "letters"),
        v,
        can_maintain: App::may_maintain_letters(&pc.caller),
        can_drill: pc.caller.can(Permission::ViewCountyWork),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    detail_page(&state, &pc, id, Kept::none()).await
}

async fn delete(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let version = form.get("version").trim().parse().unwrap_or(0);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.delete_letter(&caller, id, version)).await {
        Ok(()) => Ok(see_other("/letters")),
        Err(e) => {
            let kept = Kept::refused("delete", &form, refusal(e)?);
            detail_page(&state, &pc, id, kept).await
        }
    }
}

async fn scan(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (att, data) = blocking(&state, move |app| app.letter_scan(&caller, id)).await?;
    Ok(crate::files::file_download(&att, data))
}

async fn scan_upload(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        let kept = upload_refused(super::FieldErrors::default(), String::new());
        return detail_page(&state, &pc, id, kept).await;
    };
    let (name, data, csrf) = match crate::files::read_upload_keeping(mp).await {
        Ok((name, data, _, csrf, _)) => (name, data, csrf),
        Err((e, _)) => {
            let kept = upload_refused(upload_errors(&e), String::new());
            return detail_page(&state, &pc, id, kept).await;
        }
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(PageError::App(AppError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        )));
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.attach_letter_scan(&caller, id, &name, data)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/letters/{id}"))),
        Err(e) => {
            let kept = upload_refused(refusal(e)?, String::new());
            detail_page(&state, &pc, id, kept).await
        }
    }
}

async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let q = crate::query::LetterQuery::default();
    let (ext, data, ignore_columns) = match super::stats::uploaded_file(&pc, mp).await? {
        Ok(x) => x,
        Err(m) => return list_page(&state, &pc, q, Some(m), Vec::new(), false).await,
    };
    let caller = pc.caller.clone();
    let opts = anjian_app::import::ImportOptions {
        skip_invalid: false,
        ignore_columns,
    };
    let r = blocking(&state, move |app| {
        let t = app.read_import_table(&caller.user.username, &ext, &data)?;
        drop(data);
        app.import_letters(&caller, &t, opts)
    })
    .await;
    match r {
        Ok(rep) if rep.invalid_count == 0 => Ok(see_other("/letters")),
        Ok(rep) => {
            let msg = format!(
                "有 {} 行数据有误，未导入任何责任状。请修正后重新导入。",
                rep.invalid_count
            );
            list_page(&state, &pc, q, Some(msg), rep.lines(), ignore_columns).await
        }
        Err(e) => match super::stats::refusal_text(&e) {
            Some((m, columns)) => list_page(&state, &pc, q, Some(m), columns, ignore_columns).await,
            None => Err(e.into()),
        },
    }
}
