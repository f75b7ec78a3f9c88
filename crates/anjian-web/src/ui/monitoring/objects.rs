//! An object's pages: the form that adds one, its page (points, items, chart, alarms) and the
//! forms that keep it and its points.

use super::*;

#[derive(Template)]
#[template(path = "monitoring_object_form.html")]
struct ObjectFormPage {
    chrome: Chrome,
    towns: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    kept: Kept,
}

pub(super) async fn new_object(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
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
) -> Result<Result<ObjectInput, crate::ui::FieldErrors>, PageError> {
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

pub(super) async fn create_object(
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
    let written = blocking(&state, move |app| {
        app.create_monitored_object(&caller, &input)
    })
    .await;
    after_write(
        written,
        &form,
        "object",
        |o| format!("/monitoring/objects/{}?saved=1", o.id),
        |kept| object_form(&state, &pc, kept),
    )
    .await
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

pub(super) async fn object(
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

pub(super) async fn update_object(
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
    let written = blocking(&state, move |app| {
        app.update_monitored_object(&caller, id, &input)
    })
    .await;
    after_write(
        written,
        &form,
        "object",
        |_| format!("/monitoring/objects/{id}?saved=1"),
        |kept| object_page(&state, &pc, id, &none, kept),
    )
    .await
}

fn point_input(form: &FormPairs) -> Result<PointInput, crate::ui::FieldErrors> {
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

pub(super) async fn create_point(
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
    let written = blocking(&state, move |app| {
        app.create_monitoring_point(&caller, id, &input)
    })
    .await;
    after_write(
        written,
        &form,
        "point",
        |p| format!("/monitoring/objects/{id}?saved=1&point={}", p.point.id),
        |kept| object_page(&state, &pc, id, &none, kept),
    )
    .await
}

pub(super) async fn update_point(
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
    let written = blocking(&state, move |app| {
        app.update_monitoring_point(&caller, id, &input)
    })
    .await;
    after_write(
        written,
        &form,
        &key,
        |p| {
            format!(
                "/monitoring/objects/{}?saved=1&point={id}",
                p.point.object_id
            )
        },
        |kept| object_page(&state, &pc, object_id, &q, kept),
    )
    .await
}
