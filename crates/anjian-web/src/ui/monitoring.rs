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

fn ms_time(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| {
            t.with_timezone(&anjian_domain::clock::china_offset())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
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
#[template(path = "monitoring_object_form.html")]
struct ObjectFormPage {
    chrome: Chrome,
    towns: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    kept: Kept,
}

async fn new_object(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    object_form(&state, &pc, Kept::none()).await
}

async fn object_form(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, towns) = blocking(state, move |app| {
        caller.require(Permission::ConfigureMonitoring)?;
        Ok((app.instance_name()?, app.townships(&caller)?))
    })
    .await?;
    let chrome = Chrome::new(pc, instance, "添加监测对象", "monitoring");
    let page = ObjectFormPage {
        chrome,
        towns,
        kinds: ObjectKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

/// The object as typed; the enterprise typed in words is resolved first (a message when it
/// is not one).
async fn object_input(
    state: &AppState,
    pc: &PageCaller,
    form: &FormPairs,
) -> Result<Result<ObjectInput, super::FieldErrors>, PageError> {
    let mut n = Numbers::new(form);
    let offline = n.int("offline_minutes", "离线判定时间");
    let mut errors = n.errors;
    let typed = form.get("enterprise");
    let caller = pc.caller.clone();
    let enterprise =
        match blocking(state, move |app| app.resolve_enterprise(&caller, &typed)).await? {
            Ok(e) => e,
            Err(m) => {
                errors.add("enterprise_id", m);
                None
            }
        };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(ObjectInput {
        kind: form.get("kind"),
        name: form.get("name"),
        region_code: form.get("region_code"),
        enterprise_id: enterprise,
        offline_minutes: offline,
        lng: form.get("lng"),
        lat: form.get("lat"),
        note: form.get("note"),
        active: form.get("active") == "1" || form.get("version").is_empty(),
        version: form.get("version").parse().ok(),
    }))
}

async fn create_object(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = match object_input(&state, &pc, &form).await? {
        Ok(i) => i,
        Err(errors) => {
            return object_form(&state, &pc, Kept::refused("object", &form, errors)).await;
        }
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.create_monitored_object(&caller, &input)
    })
    .await
    {
        Ok(o) => Ok(see_other(&format!("/monitoring/objects/{}?saved=1", o.id))),
        Err(e) => object_form(&state, &pc, Kept::refused("object", &form, refusal(e)?)).await,
    }
}

#[derive(Template)]
#[template(path = "monitoring_object.html")]
struct ObjectPage {
    chrome: Chrome,
    d: ObjectDetail,
    towns: Vec<(String, String)>,
    point_kinds: Vec<(&'static str, &'static str)>,
    chart: Option<(PointView, String)>,
    days: i64,
    /// The chart's last day as asked (empty: up to the latest reading).
    until: String,
    point_text: String,
    kept: Kept,
}

impl ObjectPage {
    fn tag_of(&self, l: &Option<Level>) -> (&'static str, &'static str) {
        tag(*l)
    }
    fn n(&self, v: &Option<f64>) -> String {
        number(*v)
    }
    fn hy(&self, p: &PointView) -> String {
        number(Some(p.point.hysteresis))
    }
    fn tag_lv(&self, l: &Level) -> (&'static str, &'static str) {
        tag(Some(*l))
    }
    fn last(&self, p: &PointView) -> String {
        ms_time(p.point.last_ts)
    }
    fn at(&self, t: &str) -> String {
        local_time(t)
    }
    fn t(&self, t: &Option<String>) -> String {
        t.as_deref().map(local_time).unwrap_or_default()
    }
    fn lng(&self) -> String {
        self.d
            .object
            .lng_micro
            .map(anjian_domain::emergency::degrees_text)
            .unwrap_or_default()
    }
    fn lat(&self) -> String {
        self.d
            .object
            .lat_micro
            .map(anjian_domain::emergency::degrees_text)
            .unwrap_or_default()
    }
    fn item_of(&self, a: &anjian_app::records::monitoring::Alarm) -> String {
        PointKind::parse(&a.item)
            .map(|k| k.label().to_string())
            .unwrap_or_default()
    }
}

async fn object(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    object_page(&state, &pc, id, &q, Kept::none()).await
}

async fn object_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    q: &BTreeMap<String, String>,
    kept: Kept,
) -> Result<Response, PageError> {
    let days: i64 = if q.get("days").is_some_and(|d| d == "7") {
        7
    } else {
        1
    };
    let until = q
        .get("until")
        .and_then(|u| anjian_domain::validation::parse_date(u.trim()).ok());
    let want: Option<i64> = q.get("point").and_then(|p| p.parse().ok());
    let caller = pc.caller.clone();
    let (instance, d, towns, chart, point_text) = blocking(state, move |app| {
        let d = app.monitored_object(&caller, id)?;
        let chosen = want
            .filter(|w| d.points.iter().any(|p| p.point.id == *w))
            .or_else(|| d.points.first().map(|p| p.point.id));
        let chart = match chosen {
            Some(p) => {
                let (v, svg, _, _) = app.point_chart(&caller, p, days, until)?;
                Some((v, svg))
            }
            None => None,
        };
        let point_text = app.point_text(&caller, d.object.lng_micro, d.object.lat_micro)?;
        let towns = if d.can_configure {
            app.townships(&caller)?
        } else {
            Vec::new()
        };
        Ok((app.instance_name()?, d, towns, chart, point_text))
    })
    .await?;
    let title = d.object.name.clone();
    let chrome =
        Chrome::new(pc, instance, &title, "monitoring").flash(q.get("saved").map(|_| "已保存。"));
    let page = ObjectPage {
        chrome,
        d,
        towns,
        point_kinds: PointKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        chart,
        days,
        until: until.map(|d| d.to_string()).unwrap_or_default(),
        point_text,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn update_object(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let none = BTreeMap::new();
    let input = match object_input(&state, &pc, &form).await? {
        Ok(i) => i,
        Err(errors) => {
            return object_page(
                &state,
                &pc,
                id,
                &none,
                Kept::refused("object", &form, errors),
            )
            .await;
        }
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.update_monitored_object(&caller, id, &input)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/monitoring/objects/{id}?saved=1"))),
        Err(e) => {
            object_page(
                &state,
                &pc,
                id,
                &none,
                Kept::refused("object", &form, refusal(e)?),
            )
            .await
        }
    }
}

fn point_input(form: &FormPairs) -> Result<PointInput, super::FieldErrors> {
    let mut n = Numbers::new(form);
    let blue = n.decimal("blue", "蓝色预警值");
    let yellow = n.decimal("yellow", "黄色预警值");
    let orange = n.decimal("orange", "橙色预警值");
    let red = n.decimal("red", "红色预警值");
    let hysteresis = n.decimal("hysteresis", "回差");
    let retention = n.int("retention_days", "数据保存天数");
    if !n.errors.is_empty() {
        return Err(n.errors);
    }
    Ok(PointInput {
        kind: form.get("kind"),
        name: form.get("name"),
        unit: form.get("unit"),
        device_id: form.get("device_id"),
        direction: form.get("direction"),
        blue,
        yellow,
        orange,
        red,
        hysteresis,
        retention_days: retention,
        active: form.get("active") == "1" || form.get("version").is_empty(),
        version: form.get("version").parse().ok(),
    })
}

async fn create_point(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let none = BTreeMap::new();
    let input = match point_input(&form) {
        Ok(i) => i,
        Err(errors) => {
            return object_page(
                &state,
                &pc,
                id,
                &none,
                Kept::refused("point", &form, errors),
            )
            .await;
        }
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.create_monitoring_point(&caller, id, &input)
    })
    .await
    {
        Ok(p) => Ok(see_other(&format!(
            "/monitoring/objects/{id}?saved=1&point={}",
            p.point.id
        ))),
        Err(e) => {
            object_page(
                &state,
                &pc,
                id,
                &none,
                Kept::refused("point", &form, refusal(e)?),
            )
            .await
        }
    }
}

async fn update_point(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let object_id: i64 = form.get("object_id").parse().unwrap_or(0);
    let mut q = BTreeMap::new();
    q.insert("point".to_string(), id.to_string());
    let key = format!("point.{id}");
    let input = match point_input(&form) {
        Ok(i) => i,
        Err(errors) => {
            return object_page(
                &state,
                &pc,
                object_id,
                &q,
                Kept::refused(&key, &form, errors),
            )
            .await;
        }
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.update_monitoring_point(&caller, id, &input)
    })
    .await
    {
        Ok(p) => Ok(see_other(&format!(
            "/monitoring/objects/{}?saved=1&point={id}",
            p.point.object_id
        ))),
        Err(e) => {
            object_page(
                &state,
                &pc,
                object_id,
                &q,
                Kept::refused(&key, &form, refusal(e)?),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "monitoring_alarms.html")]
struct AlarmsPage {
    chrome: Chrome,
    list: Vec<AlarmView>,
    pending: bool,
    level: String,
    year: String,
}

impl AlarmsPage {
    fn tag_of(&self, l: &Level) -> (&'static str, &'static str) {
        tag(Some(*l))
    }
    fn at(&self, t: &str) -> String {
        local_time(t)
    }
    fn n(&self, v: &Option<f64>) -> String {
        number(*v)
    }
}

async fn alarms(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let pending = q.get("all").is_none_or(|v| v != "1");
    let level = q.get("level").cloned().unwrap_or_default();
    let year = q.get("year").cloned().unwrap_or_default();
    let query = AlarmQuery {
        pending: Some(pending),
        level: Some(level.clone()).filter(|l| !l.is_empty()),
        object_id: None,
        year: year.trim().parse().ok(),
    };
    let caller = pc.caller.clone();
    let (instance, list) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.monitoring_alarms(&caller, &query)?,
        ))
    })
    .await?;
    let chrome = Chrome::new(&pc, instance, "监测报警", "monitoring_alarms");
    Ok(render(&AlarmsPage {
        chrome,
        list,
        pending,
        level,
        year,
    }))
}

#[derive(Template)]
#[template(path = "monitoring_alarm.html")]
struct AlarmPage {
    chrome: Chrome,
    d: AlarmDetail,
    may_dispatch: bool,
    kept: Kept,
}

impl AlarmPage {
    fn tag_of(&self, l: &Level) -> (&'static str, &'static str) {
        tag(Some(*l))
    }
    fn at(&self, t: &str) -> String {
        local_time(t)
    }
    fn t(&self, t: &Option<String>) -> String {
        t.as_deref().map(local_time).unwrap_or_default()
    }
    fn n(&self, v: &Option<f64>) -> String {
        number(*v)
    }
    fn event_word(&self, kind: &str) -> &'static str {
        match kind {
            "opened" => "报警",
            "raised" => "升级",
            "lowered" => "回落",
            "cleared" => "恢复正常",
            "acknowledged" => "签收",
            "disposed" => "处置",
            _ => "其他",
        }
    }
    fn level_word(&self, l: &str) -> &'static str {
        anjian_app::monitoring::level_label(Level::parse(l))
    }
}

async fn alarm(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    alarm_page(&state, &pc, id, q.contains_key("saved"), Kept::none()).await
}

async fn alarm_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    saved: bool,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.monitoring_alarm(&caller, id)?))
    })
    .await?;
    let title = format!("监测报警 {}", d.view.alarm.id);
    let chrome =
        Chrome::new(pc, instance, &title, "monitoring_alarms").flash(saved.then_some("已保存。"));
    let page = AlarmPage {
        chrome,
        may_dispatch: pc.caller.scope.writable && pc.caller.can(Permission::Dispatch),
        d,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn acknowledge(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let version: i64 = form.get("version").parse().unwrap_or(0);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.acknowledge_alarm(&caller, id, version)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/monitoring/alarms/{id}?saved=1"))),
        Err(e) => {
            alarm_page(
                &state,
                &pc,
                id,
                false,
                Kept::refused("ack", &form, refusal(e)?),
            )
            .await
        }
    }
}

async fn dispose(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = DisposalInput {
        disposal: form.get("disposal"),
        note: form.get("note"),
        version: form.get("version").parse().unwrap_or(0),
        description: form.get("description"),
        level: form.get("level"),
        sector: String::new(),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.dispose_alarm(&caller, id, &d)).await {
        Ok(v) => Ok(see_other(&match v.view.alarm.hazard_id {
            Some(h) => format!("/hazards/{h}"),
            None => format!("/monitoring/alarms/{id}?saved=1"),
        })),
        Err(e) => {
            alarm_page(
                &state,
                &pc,
                id,
                false,
                Kept::refused("dispose", &form, refusal(e)?),
            )
            .await
        }
    }
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
