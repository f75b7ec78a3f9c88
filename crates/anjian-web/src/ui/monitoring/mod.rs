//! 在线监测 pages: the monitored objects with their alarms pending and the year's figures, an
//! object's page (points against their thresholds, a tailings pond's items and level, a
//! point's chart over the last day or week, the alarm history, the forms that keep the
//! object and its points), the county's alarms by level, an alarm's page (its course, 签收,
//! the disposal: false alarm, on the spot, or a hazard), and the county's rules.

use super::{Chrome, Kept, Numbers, refusal, render, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::auth::local_time;
use anjian_app::monitoring::{
    AlarmDetail, AlarmQuery, AlarmView, DisposalInput, MonitoringSettings, ObjectDetail,
    ObjectInput, PointInput, PointView,
};
use anjian_app::records::monitoring::{AlarmFigures, MonitoredObject};
use anjian_domain::monitoring::{
    AckMinutes, Escalation, EscalationCounts, Level, ObjectKind, PointKind,
};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

mod alarms;
mod objects;

use alarms::{acknowledge, alarm, alarms, dispose};
use objects::{create_object, create_point, new_object, object, update_object, update_point};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring", get(list))
        .route("/monitoring/objects", post(create_object))
        .route("/monitoring/objects/new", get(new_object))
        .route("/monitoring/objects/{id}", get(object).post(update_object))
        .route("/monitoring/objects/{id}/points", post(create_point))
        .route("/monitoring/points/{id}", post(update_point))
        .route("/monitoring/alarms", get(alarms))
        .route("/monitoring/alarms/{id}", get(alarm))
        .route("/monitoring/alarms/{id}/acknowledge", post(acknowledge))
        .route("/monitoring/alarms/{id}/disposal", post(dispose))
        .route("/monitoring/settings", get(settings).post(save_settings))
}

/// A level's tag colour (`red` …) and label.
fn tag(l: Option<Level>) -> (&'static str, &'static str) {
    (
        match l {
            None => "green",
            Some(Level::Blue) => "blue",
            Some(Level::Yellow) => "yellow",
            Some(Level::Orange) => "orange",
            Some(Level::Red) => "red",
        },
        anjian_app::monitoring::level_label(l),
    )
}

fn number(v: Option<f64>) -> String {
    v.map(|x| {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    })
    .unwrap_or_default()
}

/// A reading's time (Unix ms) as the pages show times: `YYYY-MM-DD HH:MM`, China time.
fn ms_time(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| local_time(&t.to_rfc3339()))
        .unwrap_or_default()
}

/// What a form's write answers: on success a redirect to `to(written)`; on a refusal the
/// form's page again (`again`), with what was typed kept under `key` and the errors.
async fn after_write<T, Fut>(
    written: anjian_app::Result<T>,
    form: &FormPairs,
    key: &str,
    to: impl FnOnce(T) -> String,
    again: impl FnOnce(Kept) -> Fut,
) -> Result<Response, PageError>
where
    Fut: std::future::Future<Output = Result<Response, PageError>>,
{
    match written {
        Ok(v) => Ok(see_other(&to(v))),
        Err(e) => again(Kept::refused(key, form, refusal(e)?)).await,
    }
}

#[derive(Template)]
#[template(path = "monitoring.html")]
struct ListPage {
    chrome: Chrome,
    objects: Vec<MonitoredObject>,
    pending: [usize; 4],
    overdue: usize,
    figures: AlarmFigures,
    year: i32,
    may_configure: bool,
}

async fn list(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, objects, pending, figures, year) = blocking(&state, move |app| {
        let year = app.data_year(&caller)?.year;
        Ok((
            app.instance_name()?,
            app.monitored_objects(&caller, None)?,
            app.monitoring_alarms(
                &caller,
                &AlarmQuery {
                    pending: Some(true),
                    ..Default::default()
                },
            )?,
            app.monitoring_figures(&caller, year)?,
            year,
        ))
    })
    .await?;
    let mut counts = [0usize; 4];
    for a in &pending {
        counts[a.alarm.level.rank()] += 1;
    }
    let chrome = Chrome::new(&pc, instance, "在线监测", "monitoring");
    Ok(render(&ListPage {
        chrome,
        objects,
        pending: counts,
        overdue: pending.iter().filter(|a| a.ack_overdue).count(),
        figures,
        year,
        may_configure: pc.caller.can(Permission::ConfigureMonitoring) && pc.caller.scope.writable,
    }))
}

#[derive(Template)]
#[template(path = "monitoring_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    s: MonitoringSettings,
    may_configure: bool,
    refused_today: i64,
    rejects: Vec<anjian_app::records::monitoring::Reject>,
    kept: Kept,
}

impl SettingsPage {
    fn at(&self, t: &str) -> String {
        local_time(t)
    }
    fn offline(&self) -> &'static str {
        self.s.offline_level.map_or("none", Level::as_str)
    }
    fn count(&self, group: &str, f: &str) -> String {
        let c = if group == "items" {
            self.s.escalation.items
        } else {
            self.s.escalation.points
        };
        match f {
            "to_yellow" => c.to_yellow,
            "to_orange" => c.to_orange,
            _ => c.to_red,
        }
        .to_string()
    }
}

async fn settings(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    settings_page(&state, &pc, Kept::none(), false).await
}

async fn settings_page(
    state: &AppState,
    pc: &PageCaller,
    kept: Kept,
    saved: bool,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, s, rejects) = blocking(state, move |app| {
        if !caller.can(Permission::ViewMonitoring) {
            return Err(caller.refuse("查看在线监测"));
        }
        let rejects = if caller.can(Permission::ConfigureCounty) {
            app.monitoring_rejects(&caller)?
        } else {
            (0, Vec::new())
        };
        Ok((app.instance_name()?, app.monitoring_settings()?, rejects))
    })
    .await?;
    let chrome = Chrome::new(pc, instance, "监测规则", "monitoring_settings")
        .flash(saved.then_some("已保存。"));
    let page = SettingsPage {
        chrome,
        s,
        may_configure: pc.caller.can(Permission::ConfigureCounty),
        refused_today: rejects.0,
        rejects: rejects.1,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn save_settings(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = Numbers::new(&form);
    let mut int = |k: &str, label: &str| n.int(k, label).unwrap_or(0);
    let ack = AckMinutes {
        blue: int("ack_minutes.blue", "蓝色签收时限"),
        yellow: int("ack_minutes.yellow", "黄色签收时限"),
        orange: int("ack_minutes.orange", "橙色签收时限"),
        red: int("ack_minutes.red", "红色签收时限"),
    };
    let counts = |g: &str, int: &mut dyn FnMut(&str, &str) -> i64| EscalationCounts {
        to_yellow: int(&format!("escalation.{g}.to_yellow"), "升级个数").max(0) as usize,
        to_orange: int(&format!("escalation.{g}.to_orange"), "升级个数").max(0) as usize,
        to_red: int(&format!("escalation.{g}.to_red"), "升级个数").max(0) as usize,
    };
    let escalation = Escalation {
        points: counts("points", &mut int),
        items: counts("items", &mut int),
    };
    let errors = n.errors;
    if !errors.is_empty() {
        return settings_page(&state, &pc, Kept::refused("settings", &form, errors), false).await;
    }
    let s = MonitoringSettings {
        ack_minutes: ack,
        escalation,
        offline_level: Level::parse(&form.get("offline_level")),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.set_monitoring_settings(&caller, &s)).await {
        Ok(_) => settings_page(&state, &pc, Kept::none(), true).await,
        Err(e) => {
            settings_page(
                &state,
                &pc,
                Kept::refused("settings", &form, refusal(e)?),
                false,
            )
            .await
        }
    }
}
