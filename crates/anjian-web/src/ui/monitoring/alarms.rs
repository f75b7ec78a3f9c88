//! The alarms' pages: the list, one alarm's course, 签收 and the disposal.

use super::*;

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

pub(super) async fn alarms(
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

pub(super) async fn alarm(
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

pub(super) async fn acknowledge(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let version: i64 = form.get("version").parse().unwrap_or(0);
    let caller = pc.caller.clone();
    let written = blocking(&state, move |app| {
        app.acknowledge_alarm(&caller, id, version)
    })
    .await;
    after_write(
        written,
        &form,
        "ack",
        |_| format!("/monitoring/alarms/{id}?saved=1"),
        |kept| alarm_page(&state, &pc, id, false, kept),
    )
    .await
}

pub(super) async fn dispose(
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
    let written = blocking(&state, move |app| app.dispose_alarm(&caller, id, &d)).await;
    after_write(
        written,
        &form,
        "dispose",
        |v| match v.view.alarm.hazard_id {
            Some(h) => format!("/hazards/{h}"),
            None => format!("/monitoring/alarms/{id}?saved=1"),
        },
        |kept| alarm_page(&state, &pc, id, false, kept),
    )
    .await
}
