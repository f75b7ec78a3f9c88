//! 派驻监督 pages: the supervisor's day on a phone (today's sites, the check-in form with the
//! site's checklist and photos from the camera, the visit's page where a finding becomes a
//! hazard, the week's confirmation) and the week's coverage for the units that station them.

use super::{Chrome, FieldErrors, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::records::station::{Assignment, Attachment, Visit};
use anjian_app::station::{Coverage, TodaySite, VisitDraft, VisitHazardDraft};
use anjian_domain::scope::Permission;
use anjian_domain::station::{CheckAnswer, CheckItem, week_label, week_of};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/station", get(today))
        .route("/station/weeks", post(confirm_week))
        .route(
            "/station/visits",
            post(check_in).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::EVIDENCE_FORM_LIMIT,
            )),
        )
        .route("/station/visits/new", get(new_visit))
        .route("/station/visits/{id}", get(visit))
        .route("/station/visits/{id}/hazard", post(visit_hazard))
        .route("/station/photos/{id}", get(photo))
        .route("/station/coverage", get(coverage))
}

/// The form field of a check-in's photos.
const PHOTO: &str = "photo";

#[derive(Template)]
#[template(path = "station_today.html")]
struct TodayPage {
    chrome: Chrome,
    today: String,
    week_start: String,
    week_label: String,
    sites: Vec<TodaySite>,
    week: Vec<Visit>,
    confirmed: Option<String>,
    kept: Kept,
}

async fn today(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::CheckInAtSites) {
        return Ok(see_other("/station/coverage"));
    }
    let notice = q
        .contains_key("confirmed")
        .then(|| "本周小结已确认。".to_string());
    today_page(&state, &pc, Kept::none(), notice).await
}

async fn today_page(
    state: &AppState,
    pc: &PageCaller,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, sites, week, confirmed, today) = blocking(state, move |app| {
        let today = app.clock.today();
        let (monday, sunday) = week_of(today);
        let sites = app.station_today(&caller)?;
        let week = app.visits(&caller, monday, sunday, None)?;
        let confirmed = app
            .confirmed_weeks(&caller, monday, monday)?
            .into_iter()
            .next()
            .map(|w| {
                // Stored in UTC; shown in China time.
                chrono::DateTime::parse_from_rfc3339(&w.confirmed_at)
                    .map(|t| {
                        t.with_timezone(&anjian_domain::clock::china_offset())
                            .format("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or(w.confirmed_at)
            });
        Ok((app.instance_name()?, sites, week, confirmed, today))
    })
    .await?;
    let (monday, _) = week_of(today);
    let mut chrome = Chrome::new(pc, instance, "今日驻点", "station");
    chrome.notice = notice;
    let page = TodayPage {
        chrome,
        today: today.to_string(),
        week_start: monday.to_string(),
        week_label: week_label(monday),
        sites,
        week,
        confirmed,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn confirm_week(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let (week, note) = (form.get("week"), form.get("note"));
    match blocking(&state, move |app| app.confirm_week(&caller, &week, &note)).await {
        Ok(_) => Ok(see_other("/station?confirmed=1")),
        Err(e) => {
            let kept = Kept::refused("week", &form, refusal(e)?);
            today_page(&state, &pc, kept, None).await
        }
    }
}

/// One checklist item on the form, with the answers it offers.
pub struct Item {
    pub key: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "station_visit_form.html")]
struct VisitForm {
    chrome: Chrome,
    assignment: Assignment,
    items: Vec<Item>,
    answers: Vec<(&'static str, &'static str)>,
    now: String,
    kept: Kept,
}

fn items_of(list: Vec<CheckItem>) -> Vec<Item> {
    list.into_iter()
        .map(|i| Item {
            key: format!("item.{}", i.key),
            text: i.text,
        })
        .collect()
}

async fn visit_form(
    state: &AppState,
    pc: &PageCaller,
    assignment_id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, assignment, items, now) = blocking(state, move |app| {
        let a = app.station_assignment(&caller, assignment_id)?;
        let items = anjian_app::station::checklist::items(a.sector.as_deref());
        let now = anjian_domain::minute::text(app.clock.local_now());
        Ok((app.instance_name()?, a, items, now))
    })
    .await?;
    let page = VisitForm {
        chrome: Chrome::new(pc, instance, "驻点签到检查", "station"),
        assignment,
        items: items_of(items),
        answers: CheckAnswer::ALL
            .iter()
            .map(|a| (a.as_str(), a.label()))
            .collect(),
        now,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn new_visit(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::CheckInAtSites) {
        return Err(PageError::App(pc.caller.refuse("驻点签到")));
    }
    let id = q
        .get("assignment")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or(PageError::App(anjian_app::AppError::NotFound))?;
    visit_form(&state, &pc, id, Kept::none()).await
}

async fn check_in(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        return Err(PageError::App(anjian_app::AppError::BadRequest(
            "请以页面上的表单提交".into(),
        )));
    };
    let (form, files) = match crate::files::read_form_with_files(mp, PHOTO).await {
        Ok(read) => read,
        Err((e, form)) => {
            pc.check_csrf(&form)?;
            let id = form.get("assignment_id").trim().parse::<i64>().unwrap_or(0);
            let errors = photos_again(super::hazards::upload_errors(&e));
            return visit_form(&state, &pc, id, Kept::refused("visit", &form, errors)).await;
        }
    };
    pc.check_csrf(&form)?;
    let Ok(assignment_id) = form.get("assignment_id").trim().parse::<i64>() else {
        return Err(PageError::App(anjian_app::AppError::NotFound));
    };
    let answers: BTreeMap<String, String> = form
        .0
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("item.")?.to_string(), v.clone())))
        .collect();
    let d = VisitDraft {
        assignment_id,
        visited_at: form.get("visited_at"),
        answers,
        findings: form.get("findings"),
    };
    let with_photos = !files.is_empty();
    let photos: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.name, f.data)).collect();
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.check_in(&caller, &d, photos)).await {
        Ok((v, _)) => Ok(see_other(&format!("/station/visits/{}?done=1", v.id))),
        Err(e) => {
            let mut errors = refusal(e)?;
            if with_photos {
                errors = photos_again(errors);
            }
            visit_form(
                &state,
                &pc,
                assignment_id,
                Kept::refused("visit", &form, errors),
            )
            .await
        }
    }
}

/// A refused check-in that came with photos says to choose them again.
fn photos_again(errors: FieldErrors) -> FieldErrors {
    super::photos_again(errors, PHOTO)
}

#[derive(Template)]
#[template(path = "station_visit.html")]
struct VisitPage {
    chrome: Chrome,
    v: Visit,
    answers: Vec<(String, &'static str, bool)>,
    photos: Vec<Attachment>,
    hazards: Vec<i64>,
    may_register: bool,
    kept: Kept,
}

async fn visit_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, (v, photos, hazards), texts) = blocking(state, move |app| {
        let got = app.visit(&caller, id)?;
        let texts = anjian_app::station::checklist::items(got.0.sector.as_deref());
        Ok((app.instance_name()?, got, texts))
    })
    .await?;
    // In the checklist's order (the record keeps them by item key).
    let mut ordered: Vec<&(String, CheckAnswer)> = v.checklist.iter().collect();
    ordered.sort_by_key(|(k, _)| texts.iter().position(|i| &i.key == k).unwrap_or(usize::MAX));
    let answers = ordered
        .into_iter()
        .map(|(k, a)| {
            let text = texts
                .iter()
                .find(|i| &i.key == k)
                .map(|i| i.text.clone())
                .unwrap_or_else(|| k.clone());
            (text, a.label(), *a == CheckAnswer::Problem)
        })
        .collect();
    let may_register = pc.caller.can(Permission::CheckInAtSites)
        && v.supervisor_id == pc.caller.user.id
        && !v.findings.trim().is_empty()
        && hazards.is_empty();
    let mut chrome = Chrome::new(pc, instance, "签到记录", "station");
    chrome.notice = notice;
    let page = VisitPage {
        chrome,
        v,
        answers,
        photos,
        hazards,
        may_register,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn visit(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = if q.contains_key("done") {
        Some("已签到。".to_string())
    } else if q.contains_key("hazard") {
        Some("已登记为隐患，按隐患闭环整改。".to_string())
    } else {
        None
    };
    visit_page(&state, &pc, id, Kept::none(), notice).await
}

async fn visit_hazard(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = VisitHazardDraft {
        description: form.get("description"),
        level: form.get("level"),
        deadline: form.get("deadline"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.visit_to_hazard(&caller, id, &d)).await {
        Ok(_) => Ok(see_other(&format!("/station/visits/{id}?hazard=1"))),
        Err(e) => {
            let kept = Kept::refused("hazard", &form, refusal(e)?);
            visit_page(&state, &pc, id, kept, None).await
        }
    }
}

async fn photo(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (a, data) = blocking(&state, move |app| app.visit_photo(&caller, id)).await?;
    Ok(crate::files::file_response(
        data,
        &a.content_type,
        &a.file_name,
    ))
}

#[derive(Template)]
#[template(path = "station_coverage.html")]
struct CoveragePage {
    chrome: Chrome,
    c: Coverage,
    prev: String,
    next: String,
}

async fn coverage(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let day = q
        .get("week")
        .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok());
    let caller = pc.caller.clone();
    let (instance, c) = blocking(&state, move |app| {
        let day = day.unwrap_or_else(|| app.clock.today());
        Ok((app.instance_name()?, app.station_coverage(&caller, day)?))
    })
    .await?;
    let page = CoveragePage {
        chrome: Chrome::new(&pc, instance, "派驻监督：驻点覆盖", "station"),
        prev: (c.week_start - chrono::Duration::days(7)).to_string(),
        next: (c.week_start + chrono::Duration::days(7)).to_string(),
        c,
    };
    Ok(render_refused(&page, false))
}
