//! 教育培训 pages: 培训记录 (the list with its ledger), the form of a new session with its
//! sign-in rows, and a session's page (attendees, more attendees typed or a roster sheet
//! uploaded, files). A refused form keeps what was typed; a refused file asks for it again.

use super::{Chrome, FieldErrors, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::training::{AttendeeDraft, SessionDetail, SessionDraft, SessionQuery};
use anjian_domain::scope::Permission;
use anjian_domain::training::{SessionKind, hours_text};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

/// Sign-in rows a fresh form offers.
const ROWS: usize = 5;

pub fn router() -> Router<AppState> {
    let upload = axum::extract::DefaultBodyLimit::max(crate::files::UPLOAD_LIMIT);
    Router::new()
        .route("/training", get(list))
        .route("/training/new", get(new).post(create))
        .route("/training/{id}", get(detail))
        .route("/training/{id}/attendees", post(add_attendees))
        .route("/training/{id}/roster", post(roster).layer(upload))
        .route("/training/{id}/files", post(upload_file).layer(upload))
}

struct Row {
    id: i64,
    kind: &'static str,
    unit: String,
    topic: String,
    days: String,
    hours: String,
    attendees: i64,
}

#[derive(Template)]
#[template(path = "training.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    next: Option<String>,
    year: String,
    kind: String,
    query: String,
    kinds: Vec<(&'static str, &'static str)>,
    can_write: bool,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    SessionKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::ViewCountyWork) {
        return Err(PageError::App(AppError::Forbidden(
            "培训记录仅供县、乡镇和部门查看".into(),
        )));
    }
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let query = SessionQuery {
        year: Some(get("year")),
        kind: Some(get("kind")),
    };
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.training_page(
                &caller,
                &query,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            app.may_record_training(&caller),
        ))
    })
    .await;
    let (instance, page, can_write, notice) = match r {
        Ok((i, p, w)) => (i, p, w, None),
        Err(e) => {
            let msg = super::form_error(e)?;
            let i = blocking(&state, |app| app.instance_name()).await?;
            (i, anjian_app::Page::default(), false, Some(msg))
        }
    };
    let refused = notice.is_some();
    let query = [("year", get("year")), ("kind", get("kind"))]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let rows = page
        .items
        .into_iter()
        .map(|s| Row {
            id: s.id,
            kind: s.kind.label(),
            unit: s.unit_name,
            topic: s.topic,
            days: if s.starts_on == s.ends_on {
                s.starts_on.to_string()
            } else {
                format!("{}至{}", s.starts_on, s.ends_on)
            },
            hours: hours_text(s.hours_tenths),
            attendees: s.attendees,
        })
        .collect();
    let p = ListPage {
        chrome: Chrome::new(&pc, instance, "培训记录", "training")
            .notice(notice)
            .flash(q.get("saved").map(|_| "已保存")),
        rows,
        next: page.next,
        year: get("year"),
        kind: get("kind"),
        query,
        kinds: kinds(),
        can_write,
    };
    Ok(render_refused(&p, refused))
}

#[derive(Template)]
#[template(path = "training_form.html")]
struct FormPage {
    chrome: Chrome,
    kept: Kept,
    kinds: Vec<(&'static str, &'static str)>,
    /// (value, name) of the organisers the caller may name (the 安委办 names any).
    units: Vec<(String, String)>,
    today: String,
    rows: std::ops::Range<usize>,
}

async fn form_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, may, units) = blocking(state, move |app| {
        let units = if caller.can(Permission::ActForAnyDepartment) {
            let mut u: Vec<(String, String)> = app
                .townships(&caller)?
                .into_iter()
                .map(|(c, n)| (format!("township:{c}"), n))
                .collect();
            u.extend(
                app.department_options(&caller)?
                    .into_iter()
                    .map(|(id, n)| (format!("department:{id}"), n)),
            );
            u
        } else {
            Vec::new()
        };
        Ok((
            app.instance_name()?,
            app.may_record_training(&caller),
            units,
        ))
    })
    .await?;
    if !may {
        return Err(PageError::App(AppError::Forbidden(
            "您当前的角色无权登记培训记录".into(),
        )));
    }
    let rows = kept.rows("attendee_name", ROWS);
    let p = FormPage {
        chrome: Chrome::new(pc, instance, "登记培训", "training"),
        kept,
        kinds: kinds(),
        units,
        today: state.app.clock.today().to_string(),
        rows,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn new(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    form_page(&state, &pc, Kept::none()).await
}

/// The attendee rows of a form (three inputs per row sharing their names); a blank row is
/// no row, and each row keeps its place for the messages.
fn attendees_of(form: &FormPairs) -> (Vec<AttendeeDraft>, Vec<usize>) {
    let all = |k: &str| -> Vec<String> {
        form.0
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    };
    let (names, units, phones) = (
        all("attendee_name"),
        all("attendee_unit"),
        all("attendee_phone"),
    );
    let n = names.len().max(units.len()).max(phones.len());
    let mut out = Vec::new();
    let mut places = Vec::new();
    for i in 0..n {
        let a = AttendeeDraft {
            name: names.get(i).cloned().unwrap_or_default(),
            unit: units.get(i).cloned().unwrap_or_default(),
            phone: phones.get(i).cloned().unwrap_or_default(),
        };
        if !(a.name.is_empty() && a.unit.is_empty() && a.phone.is_empty()) {
            out.push(a);
            places.push(i);
        }
    }
    (out, places)
}

/// The use case numbers the rows it was given; the page shows each message at the row's
/// place on the page.
fn at_places(errors: FieldErrors, places: &[usize]) -> FieldErrors {
    let mut out = FieldErrors::default();
    for (k, msgs) in errors.0 {
        let key = match k
            .strip_prefix("attendees[")
            .and_then(|r| r.split_once("]."))
            .and_then(|(i, col)| Some((places.get(i.parse::<usize>().ok()?)?, col)))
        {
            Some((place, col)) => format!("attendees[{place}].{col}"),
            None => k,
        };
        for m in msgs {
            out.add(&key, m);
        }
    }
    out
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (attendees, places) = attendees_of(&form);
    let d = SessionDraft {
        kind: form.get("kind"),
        unit: form.get("unit"),
        topic: form.get("topic"),
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        hours: form.get("hours"),
        trainers: form.get("trainers"),
        place: form.get("place"),
        note: form.get("note"),
        attendees,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_training_session(&caller, &d)).await {
        Ok(s) => Ok(see_other(&format!("/training/{}?saved=1", s.id))),
        Err(e) => {
            let kept = Kept::refused("session", &form, at_places(refusal(e)?, &places));
            form_page(&state, &pc, kept).await
        }
    }
}

#[derive(Template)]
#[template(path = "training_detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: SessionDetail,
    kept: Kept,
    rows: std::ops::Range<usize>,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.training_session(&caller, id)?))
    })
    .await?;
    let rows = kept.of("attendees").rows("attendee_name", 3);
    let p = DetailPage {
        chrome: Chrome::new(pc, instance, &d.session.topic, "training").flash(flash),
        d,
        kept,
        rows,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let flash = q.get("saved").map(|_| "已保存");
    detail_page(&state, &pc, id, Kept::none(), flash).await
}

async fn add_attendees(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (list, places) = attendees_of(&form);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.add_training_attendees(&caller, id, &list)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/training/{id}?saved=1"))),
        Err(e) => {
            let kept = Kept::refused("attendees", &form, at_places(refusal(e)?, &places));
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}

async fn roster(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Multipart,
) -> Result<Response, PageError> {
    super::imports::import_page(
        &state,
        &pc,
        mp,
        super::imports::ImportPlace {
            title: "导入参训人员花名册",
            nav: "training",
            back: format!("/training/{id}"),
            action: format!("/training/{id}/roster"),
        },
        move |app, caller, t, opts| app.import_training_roster(caller, id, t, opts),
    )
    .await
}

async fn upload_file(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    use super::hazards::attachments::{upload_errors, upload_refused};
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
        app.attach_training_file(&caller, id, &name, data, &note)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/training/{id}?saved=1"))),
        Err(e) => {
            let kept = upload_refused(refusal(e)?, typed);
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}
