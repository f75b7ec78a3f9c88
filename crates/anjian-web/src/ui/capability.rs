//! 乡村应急能力创建: the list of assessments with the form that opens one, an assessment's
//! page (the self-assessment form, evidence per item, the 安委办's acceptance or return), and
//! the checklists page where the 安委办 edits the “六有”“三有”.

use super::hazards::attachments::{upload_errors, upload_refused};
use super::{Chrome, FieldErrors, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::capability::{
    AssessmentInput, AssessmentView, CapabilityActionInput, CapabilityItemInput, ItemAnswer,
};
use anjian_app::records::capability::CapabilityItem;
use anjian_domain::capability::{CAPABILITY_STATES, LEVELS};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capability", get(list).post(open))
        .route("/capability/items", get(items).post(save_item))
        .route(
            "/capability/self-assessments/import",
            post(import_self_assessments).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route(
            "/capability/acceptances/import",
            post(import_acceptances).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/capability/{id}", get(detail))
        .route("/capability/{id}/act", post(act))
        .route(
            "/capability/{id}/files",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// Places to open an assessment for: each township with its villages.
type PlaceGroups = Vec<(String, Vec<(String, String)>)>;

#[derive(Template)]
#[template(path = "capability.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<AssessmentView>,
    /// The places the caller may open an assessment for (empty: none).
    places: PlaceGroups,
    year: i32,
    levels: Vec<(&'static str, &'static str)>,
    states: Vec<(&'static str, &'static str)>,
    q_year: String,
    q_level: String,
    q_status: String,
    query: String,
    next: Option<String>,
    kept: Kept,
    /// The 安委办 records acceptances (and imports them).
    may_accept: bool,
    /// An import's refusal: which import, the message and the bad rows or columns.
    import_kind: &'static str,
    import_error: Option<String>,
    import_lines: Vec<String>,
    ignore_columns: bool,
}

/// An import refused on the list page: which (`self` or `accept`), why, the rows.
#[derive(Default)]
struct ImportRefusal {
    kind: &'static str,
    message: Option<String>,
    lines: Vec<String>,
    ignore_columns: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<crate::query::CapabilityQuery>,
) -> Result<Response, PageError> {
    list_page(&state, &pc, q, Kept::none()).await
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    q: crate::query::CapabilityQuery,
    kept: Kept,
) -> Result<Response, PageError> {
    list_page_with(state, pc, q, kept, ImportRefusal::default()).await
}

async fn list_page_with(
    state: &AppState,
    pc: &PageCaller,
    q: crate::query::CapabilityQuery,
    kept: Kept,
    import: ImportRefusal,
) -> Result<Response, PageError> {
    let (f, k) =
        crate::query::capability_filter_of(&q).map_err(|e| AppError::BadRequest(e.message))?;
    let caller = pc.caller.clone();
    let may_open = anjian_app::App::may_open_capability_assessments(&pc.caller);
    let (instance, page, places) = blocking(state, move |app| {
        let page = app.capability_assessments_page(&caller, &f, &k)?;
        let mut groups: PlaceGroups = Vec::new();
        if may_open {
            let all = app.list_regions(&caller, None, Some("village"))?;
            for t in all.iter().filter(|r| r.level == "township") {
                let mut opts = vec![(t.code.clone(), format!("{}（乡镇“六有”）", t.name))];
                opts.extend(
                    all.iter()
                        .filter(|r| r.parent_code.as_deref() == Some(t.code.as_str()))
                        .map(|r| (r.code.clone(), format!("{}（村“三有”）", r.name))),
                );
                groups.push((t.name.clone(), opts));
            }
        }
        Ok((app.instance_name()?, page, groups))
    })
    .await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default().trim().to_string();
    let (q_year, q_level, q_status) = (text(&q.year), text(&q.level), text(&q.status));
    let query = [
        ("year", &q_year),
        ("level", &q_level),
        ("status", &q_status),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let p = ListPage {
        chrome: Chrome::new(pc, instance, "乡村应急能力创建", "capability"),
        items: page.items,
        places,
        year: chrono::Datelike::year(&state.app.clock.today()),
        levels: LEVELS.iter().map(|l| (l.as_str(), l.label())).collect(),
        states: CAPABILITY_STATES
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        q_year,
        q_level,
        q_status,
        query,
        next: page.next,
        kept,
        may_accept: pc.caller.can(Permission::DecideAsCountyOffice) && pc.caller.scope.writable,
        import_kind: import.kind,
        import_error: import.message,
        import_lines: import.lines,
        ignore_columns: import.ignore_columns,
    };
    Ok(render_refused(
        &p,
        p.kept.is_refused() || p.import_error.is_some(),
    ))
}

async fn open(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = AssessmentInput {
        region_code: form.get("region_code"),
        year: form.get("year").trim().parse().unwrap_or(0),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.open_capability_assessment(&caller, &input)
    })
    .await
    {
        Ok(a) => Ok(see_other(&format!("/capability/{}", a.id))),
        Err(e) => {
            let kept = Kept::refused("open", &form, refusal(e)?);
            list_page(&state, &pc, Default::default(), kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "capability_detail.html")]
struct DetailPage {
    chrome: Chrome,
    v: AssessmentView,
    kept: Kept,
    today: String,
}

impl DetailPage {
    fn may(&self, action: &str) -> bool {
        self.v.allowed_actions.contains(&action)
    }

    /// The files of an item: (id, name).
    fn files_of(&self, code: &str) -> Vec<(i64, String)> {
        let ids: Vec<i64> = self
            .v
            .assessment
            .items
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.evidence.clone())
            .unwrap_or_default();
        self.v
            .files
            .iter()
            .filter(|f| ids.contains(&f.id))
            .map(|f| (f.id, f.file_name.clone()))
            .collect()
    }

    /// Radio `met_<code>`'s option `v` ("yes"/"no") is chosen: as typed, else as saved.
    fn met_is(&self, code: &str, v: &str) -> bool {
        let saved = self
            .v
            .assessment
            .items
            .iter()
            .find(|i| i.code == code)
            .and_then(|i| i.met)
            .map(|m| if m { "yes" } else { "no" })
            .unwrap_or("");
        self.kept.of("self").sel(&format!("met_{code}"), v, saved)
    }
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.capability_assessment(&caller, id)?,
        ))
    })
    .await?;
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "乡村应急能力创建", "capability"),
        v,
        kept,
        today: state.app.clock.today().to_string(),
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

/// A step posted from the page: `save`/`submit` carry the self-assessment (`met_<code>` yes
/// or no, `note_<code>`), `accept` and `return` their fields.
async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let action = form.get("action");
    let items: Vec<ItemAnswer> = form
        .all("item")
        .into_iter()
        .map(|code| ItemAnswer {
            met: match form.get(&format!("met_{code}")).as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            note: form.get(&format!("note_{code}")),
            code,
        })
        .collect();
    let input = CapabilityActionInput {
        action: action.clone(),
        version: form.get("version").trim().parse().unwrap_or(0),
        items,
        result: form.opt("result"),
        accepted_on: form.opt("accepted_on"),
        inspectors: form.opt("inspectors"),
        remarks: form.opt("remarks"),
        reason: form.opt("reason"),
    };
    // The self-assessment form posts both save and submit.
    let tag = if matches!(action.as_str(), "save" | "submit") {
        "self".to_string()
    } else {
        format!("act.{action}")
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.capability_action(&caller, id, &input)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/capability/{id}"))),
        Err(e) => {
            let kept = Kept::refused(&tag, &form, refusal(e)?);
            detail_page(&state, &pc, id, kept).await
        }
    }
}

async fn upload(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<std::collections::HashMap<String, String>>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        let kept = upload_refused(FieldErrors::default(), String::new());
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
    let item = q.get("item").cloned().unwrap_or_default();
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.attach_capability_file(&caller, id, &item, &name, data)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/capability/{id}"))),
        Err(e) => {
            let kept = upload_refused(refusal(e)?, String::new());
            detail_page(&state, &pc, id, kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "capability_items.html")]
struct ItemsPage {
    chrome: Chrome,
    items: Vec<CapabilityItem>,
    can_edit: bool,
    levels: Vec<(&'static str, &'static str)>,
    kept: Kept,
}

async fn items_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let (instance, items) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.capability_items()?))
    })
    .await?;
    let p = ItemsPage {
        chrome: Chrome::new(pc, instance, "能力创建标准", "capability"),
        items,
        can_edit: pc.caller.can(Permission::ConfigureCounty),
        levels: LEVELS.iter().map(|l| (l.as_str(), l.label())).collect(),
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn items(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    items_page(&state, &pc, Kept::none()).await
}

async fn save_item(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::Numbers::new(&form);
    let sort_order = n.int("sort_order", "排序");
    let tag = format!("item.{}", form.get("form"));
    if !n.errors.is_empty() {
        let kept = Kept::refused(&tag, &form, n.errors);
        return items_page(&state, &pc, kept).await;
    }
    let input = CapabilityItemInput {
        level: form.get("level"),
        code: form.get("code"),
        name: form.get("name"),
        description: form.get("description"),
        sort_order: sort_order.unwrap_or(0),
        active: form.flag("active"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.save_capability_item(&caller, &input)).await {
        Ok(()) => Ok(see_other("/capability/items")),
        Err(e) => {
            let kept = Kept::refused(&tag, &form, refusal(e)?);
            items_page(&state, &pc, kept).await
        }
    }
}

async fn import_self_assessments(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    import_sheet(state, pc, mp, "self").await
}

async fn import_acceptances(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    import_sheet(state, pc, mp, "accept").await
}

/// Imports a sheet of self-assessments (`self`) or acceptances (`accept`): written whole, or
/// the list page again with the bad rows by number and column.
async fn import_sheet(
    state: AppState,
    pc: PageCaller,
    mp: Multipart,
    kind: &'static str,
) -> Result<Response, PageError> {
    let q = crate::query::CapabilityQuery::default();
    let refused = |message: String, lines: Vec<String>, ignore_columns: bool| ImportRefusal {
        kind,
        message: Some(message),
        lines,
        ignore_columns,
    };
    let (ext, data, ignore_columns) = match super::stats::uploaded_file(&pc, mp).await? {
        Ok(x) => x,
        Err(m) => {
            return list_page_with(&state, &pc, q, Kept::none(), refused(m, Vec::new(), false))
                .await;
        }
    };
    let caller = pc.caller.clone();
    let opts = anjian_app::import::ImportOptions {
        skip_invalid: false,
        ignore_columns,
    };
    let r = blocking(&state, move |app| {
        let t = app.read_import_table(&caller.user.username, &ext, &data)?;
        drop(data);
        if kind == "self" {
            app.import_capability_self_assessments(&caller, &t, opts)
        } else {
            app.import_capability_acceptances(&caller, &t, opts)
        }
    })
    .await;
    let what = if kind == "self" {
        "自评"
    } else {
        "验收结果"
    };
    match r {
        Ok(rep) if rep.invalid_count == 0 => Ok(see_other("/capability")),
        Ok(rep) => {
            let msg = format!(
                "有 {} 行数据有误，未导入任何{what}。请修正后重新导入。",
                rep.invalid_count
            );
            list_page_with(
                &state,
                &pc,
                q,
                Kept::none(),
                refused(msg, rep.lines(), ignore_columns),
            )
            .await
        }
        Err(e) => match super::stats::refusal_text(&e) {
            Some((m, columns)) => {
                list_page_with(
                    &state,
                    &pc,
                    q,
                    Kept::none(),
                    refused(m, columns, ignore_columns),
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}
