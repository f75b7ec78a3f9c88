//! 派驻管理: the dispatching units' (townships', departments', the 安委办's) page for their
//! stationed supervisors: the roster of a period with each posting's end, a new posting (the
//! supervisor, the unit, an enterprise picked by name or a key place), a new key place, the
//! spot checks of the period with the form for one, and a month's ratings with the form.

use super::{Chrome, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::records::station::{
    Assignment, AssignmentFilter, KeyPlace, SpotCheck, StationRating,
};
use anjian_app::station::{AssignmentDraft, KeyPlaceDraft, SpotCheckDraft};
use anjian_domain::scope::Permission;
use anjian_domain::station::{PlaceKind, Rating};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/station/roster", get(roster))
        .route("/station/roster/assignments", post(create_assignment))
        .route("/station/roster/assignments/{id}/end", post(end_assignment))
        .route("/station/roster/places", post(create_place))
        .route(
            "/station/roster/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/station/roster/spot-checks", post(create_spot_check))
        .route("/station/roster/ratings", post(rate))
}

/// The period and month the page shows.
#[derive(Debug, Clone)]
struct View {
    from: NaiveDate,
    to: NaiveDate,
    month: String,
}

impl View {
    /// From the query: `from`, `to` (default the last 90 days) and `month` (default this
    /// month); what does not read falls back to the default.
    fn of(q: &BTreeMap<String, String>, today: NaiveDate) -> Self {
        let date = |k: &str| {
            q.get(k)
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        };
        let to = date("to").unwrap_or(today);
        let from = date("from")
            .filter(|f| *f <= to)
            .unwrap_or(to - chrono::Duration::days(90));
        let month = q
            .get("month")
            .filter(|m| anjian_domain::station::parse_month(m).is_ok())
            .cloned()
            .unwrap_or_else(|| format!("{}-{:02}", today.year(), today.month()));
        Self { from, to, month }
    }
}

#[derive(Template)]
#[template(path = "station_roster.html")]
struct RosterPage {
    chrome: Chrome,
    from: String,
    to: String,
    month: String,
    today: String,
    assignments: Vec<Assignment>,
    spot_checks: Vec<SpotCheck>,
    ratings: Vec<StationRating>,
    supervisors: Vec<(i64, String)>,
    places: Vec<KeyPlace>,
    /// The units the caller may name (the 安委办); empty when the unit is the caller's own.
    units: Vec<(String, String)>,
    towns: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    rating_words: Vec<(String, String)>,
    may_manage: bool,
    kept: Kept,
}

async fn roster(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = q.get("saved").map(|_| "已保存。".to_string());
    page(&state, &pc, q, Kept::none(), notice).await
}

async fn page(
    state: &AppState,
    pc: &PageCaller,
    q: BTreeMap<String, String>,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let may_manage = caller.scope.writable && caller.can(Permission::DirectRemediation);
    let (instance, view, data) = blocking(state, move |app| {
        let view = View::of(&q, app.clock.today());
        let f = AssignmentFilter {
            from: Some(view.from),
            to: Some(view.to),
            ..Default::default()
        };
        let assignments = app.station_assignments(&caller, &f)?;
        let spot_checks = app.spot_checks(&caller, view.from, view.to)?;
        let ratings = app.station_ratings(&caller, &view.month)?;
        let places = app.key_places(&caller)?;
        let towns = app.townships(&caller)?;
        let (supervisors, units) = if may_manage {
            let own_unit = caller.user.department_id.is_some()
                || caller.role == anjian_domain::scope::Role::Township;
            let units = if own_unit {
                Vec::new()
            } else {
                let mut u: Vec<(String, String)> = towns
                    .iter()
                    .map(|(c, n)| (format!("township:{c}"), n.clone()))
                    .collect();
                u.extend(
                    app.list_departments(&caller)?
                        .into_iter()
                        .map(|d| (format!("department:{}", d.id), d.name)),
                );
                u
            };
            (app.station_supervisors(&caller)?, units)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok((
            app.instance_name()?,
            view,
            (
                assignments,
                spot_checks,
                ratings,
                supervisors,
                places,
                units,
                towns,
                app.clock.today(),
            ),
        ))
    })
    .await?;
    let (assignments, spot_checks, ratings, supervisors, places, units, towns, today) = data;
    let mut chrome = Chrome::new(pc, instance, "派驻管理", "station_roster");
    chrome.notice = notice;
    let p = RosterPage {
        chrome,
        from: view.from.to_string(),
        to: view.to.to_string(),
        month: view.month,
        today: today.to_string(),
        assignments,
        spot_checks,
        ratings,
        supervisors,
        places,
        units,
        towns,
        kinds: PlaceKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label().to_string()))
            .collect(),
        rating_words: Rating::ALL
            .iter()
            .map(|r| (r.as_str().to_string(), r.label().to_string()))
            .collect(),
        may_manage,
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

/// The query of the page a form came from (its hidden `from`, `to`, `month`).
fn back_query(form: &FormPairs) -> BTreeMap<String, String> {
    ["from", "to", "month"]
        .iter()
        .filter_map(|k| form.opt(k).map(|v| (k.to_string(), v)))
        .collect()
}

fn back_url(form: &FormPairs) -> String {
    let q: Vec<String> = back_query(form)
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if q.is_empty() {
        "/station/roster?saved=1".into()
    } else {
        format!("/station/roster?saved=1&{}", q.join("&"))
    }
}

/// Answers a form: back to the page on success, the page again with what was typed when
/// refused.
async fn answer<T>(
    state: &AppState,
    pc: &PageCaller,
    form: FormPairs,
    key: &str,
    r: anjian_app::Result<T>,
) -> Result<Response, PageError> {
    match r {
        Ok(_) => Ok(see_other(&back_url(&form))),
        Err(e) => {
            let kept = Kept::refused(key, &form, refusal(e)?);
            page(state, pc, back_query(&form), kept, None).await
        }
    }
}

async fn create_assignment(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let (typed, place) = (form.get("enterprise"), form.get("place_id"));
    let mut d = AssignmentDraft {
        supervisor_id: form.get("supervisor_id"),
        unit: form.get("unit"),
        site: String::new(),
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        note: form.get("note"),
    };
    let r = blocking(&state, move |app| {
        // A key place chosen decides; else the enterprise as the picker sent it.
        if !place.trim().is_empty() {
            d.site = format!("place:{}", place.trim());
        } else {
            match app.resolve_enterprise(&caller, &typed)? {
                Ok(Some(id)) => d.site = format!("enterprise:{id}"),
                Ok(None) => {
                    return Err(anjian_domain::ValidationErrors::single(
                        "site",
                        "请选择驻守的企业或重点地段",
                    )
                    .into());
                }
                Err(m) => {
                    return Err(anjian_domain::ValidationErrors::single("site", m).into());
                }
            }
        }
        app.create_station_assignment(&caller, &d)
    })
    .await;
    answer(&state, &pc, form, "assignment", r).await
}

async fn end_assignment(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let (version, ends_on) = (form.get("version"), form.get("ends_on"));
    let r = blocking(&state, move |app| {
        let version = version.trim().parse::<i64>().unwrap_or(0);
        app.end_station_assignment(&caller, id, version, &ends_on)
    })
    .await;
    answer(&state, &pc, form, &format!("end{id}"), r).await
}

async fn create_place(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let d = KeyPlaceDraft {
        region_code: form.get("region_code"),
        sector: form.get("sector"),
        name: form.get("name"),
        kind: form.get("kind"),
        location: form.get("location"),
        note: form.get("note"),
    };
    let r = blocking(&state, move |app| app.create_key_place(&caller, &d)).await;
    answer(&state, &pc, form, "place", r).await
}

async fn create_spot_check(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let assignment = form.get("assignment_id").trim().parse::<i64>().ok();
    let d = SpotCheckDraft {
        assignment_id: assignment.unwrap_or(0),
        visit_id: None,
        checked_on: form.get("checked_on"),
        present: form.get("present"),
        record_true: form.get("record_true"),
        follow_up: form.get("follow_up"),
        note: form.get("note"),
    };
    let r = blocking(&state, move |app| {
        if assignment.is_none() {
            return Err(anjian_domain::ValidationErrors::single(
                "assignment_id",
                "请选择抽查的派驻",
            )
            .into());
        }
        app.create_spot_check(&caller, &d)
    })
    .await;
    answer(&state, &pc, form, "spot", r).await
}

async fn rate(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let supervisor = form.get("supervisor_id").trim().parse::<i64>().ok();
    let (month, rating, remarks) = (
        form.get("rate_month"),
        form.get("rating"),
        form.get("remarks"),
    );
    let r = blocking(&state, move |app| {
        let Some(supervisor) = supervisor else {
            return Err(
                anjian_domain::ValidationErrors::single("supervisor_id", "请选择监督员").into(),
            );
        };
        // A second rating of the month replaces the first (its version read here).
        let version = app
            .station_ratings(&caller, &month)
            .ok()
            .and_then(|list| list.into_iter().find(|r| r.supervisor_id == supervisor))
            .map(|r| r.version);
        app.rate_supervisor(&caller, supervisor, &month, &rating, &remarks, version)
            .map_err(|e| match e {
                anjian_app::AppError::Validation(mut v) => {
                    if let Some(m) = v.fields.remove("month") {
                        v.fields.insert("rate_month".into(), m);
                    }
                    anjian_app::AppError::Validation(v)
                }
                other => other,
            })
    })
    .await;
    answer(&state, &pc, form, "rating", r).await
}

async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    super::imports::import_page(
        &state,
        &pc,
        mp,
        super::imports::ImportPlace {
            title: "导入派驻花名册",
            nav: "station_roster",
            back: "/station/roster".into(),
            action: "/station/roster/import".into(),
        },
        |app, caller, t, opts| app.import_station_roster(caller, t, opts),
    )
    .await
}
