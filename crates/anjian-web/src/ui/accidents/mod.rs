//! 事故台账: the list with its filters, ledger and import, the registration form (keeping
//! what was typed when refused) and the accident's page: its computed level, the timeline of
//! reports and 补报 with 迟报 marked, and the forms of the steps the caller may take.

mod detail;
mod targets;

use super::{Chrome, Kept, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::accidents::{AccidentDraft, AccidentQuery, AccidentView};
use anjian_domain::accident::{Category, Level, LinkState, type_choices};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/accidents", get(list))
        .route("/accidents/new", get(new).post(create))
        .route("/accidents/targets", get(targets::page).post(targets::save))
        .route("/accidents/{id}", get(detail::detail))
        .route("/accidents/{id}/update", post(detail::update))
        .route("/accidents/{id}/links", post(detail::links))
        .route("/accidents/{id}/flags", post(detail::flags))
        .route("/accidents/{id}/report", post(detail::report))
        .route("/accidents/{id}/extend", post(detail::extend))
        .route("/accidents/{id}/close", post(detail::close))
        .route(
            "/accidents/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// How a link of the reporting chain reads on a page.
pub(crate) fn link_words(s: LinkState) -> String {
    match s {
        LinkState::OnTime => "按时".into(),
        LinkState::Late { minutes } => format!("迟报{}", duration_words(minutes)),
        LinkState::Missing { minutes } => format!("未报告，已超时{}", duration_words(minutes)),
        LinkState::Pending => "未到时限".into(),
    }
}

fn duration_words(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}分钟"),
        (h, 0) if h >= 48 => format!("{}天{}小时", h / 24, h % 24),
        (h, 0) => format!("{h}小时"),
        (h, m) => format!("{h}小时{m}分钟"),
    }
}

pub struct Row {
    pub id: i64,
    pub occurred_at: String,
    pub category: String,
    pub level: String,
    pub township: String,
    pub place: String,
    pub kind: String,
    pub casualties: String,
    pub loss: String,
    pub late: bool,
    pub flags: String,
    pub investigation: String,
}

impl From<AccidentView> for Row {
    fn from(v: AccidentView) -> Self {
        let a = &v.record;
        let mut flags = Vec::new();
        if a.false_report {
            flags.push("谎报");
        }
        if a.concealed {
            flags.push("瞒报");
        }
        Self {
            id: a.id,
            occurred_at: anjian_domain::accident::time_text(a.occurred_at),
            category: v.category_label.clone(),
            level: v.level_label.clone(),
            township: v.township_name.clone(),
            place: a.place.clone(),
            kind: v.type_label.clone(),
            casualties: format!(
                "死亡{}、失踪{}、重伤{}、轻伤{}",
                a.deaths, a.missing, a.serious_injuries, a.minor_injuries
            ),
            loss: format!("{}元", v.loss_yuan),
            late: v.late,
            flags: flags.join("、"),
            investigation: v.investigation_label.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "accidents.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    next: Option<String>,
    year: String,
    category: String,
    level: String,
    open: bool,
    query: String,
    categories: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let open = get("open") == "true";
    let query = AccidentQuery {
        year: Some(get("year")),
        category: Some(get("category")),
        level: Some(get("level")),
        sector: None,
        region: Some(get("region")),
        open: Some(open),
    };
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.accident_page(
                &caller,
                &query,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
        ))
    })
    .await;
    let (instance, page, notice) = match r {
        Ok((i, p)) => (i, p, None),
        Err(e) => {
            let msg = super::form_error(e)?;
            let i = blocking(&state, |app| app.instance_name()).await?;
            (i, anjian_app::Page::default(), Some(msg))
        }
    };
    let refused = notice.is_some();
    let pairs = [
        ("year", get("year")),
        ("category", get("category")),
        ("level", get("level")),
        ("region", get("region")),
        ("open", if open { "true".into() } else { String::new() }),
    ];
    let query = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let p = ListPage {
        chrome: Chrome::new(&pc, instance, "事故台账", "accidents").notice(notice),
        rows: page.items.into_iter().map(Row::from).collect(),
        next: page.next,
        year: get("year"),
        category: get("category"),
        level: get("level"),
        open,
        query,
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
        levels: Level::ALL.iter().map(|l| (l.as_str(), l.label())).collect(),
        can_write: pc.caller.can(Permission::Supervise) && pc.caller.scope.writable,
    };
    Ok(render_refused(&p, refused))
}

#[derive(Template)]
#[template(path = "accident_form.html")]
struct FormPage {
    chrome: Chrome,
    kept: Kept,
    categories: Vec<(&'static str, &'static str)>,
    types: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
    townships: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
}

impl FormPage {
    fn v(&self, k: &str) -> String {
        self.kept.val(k, "")
    }

    fn sel(&self, k: &str, code: &str) -> bool {
        self.kept
            .sel(k, code, if k == "category" { "production" } else { "" })
    }
}

/// (code, name) pairs for a select.
type Choices = Vec<(String, String)>;

async fn form_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::Supervise) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "您当前的角色无权登记事故".into(),
        )));
    }
    let caller = pc.caller.clone();
    let (instance, townships, sectors): (String, Choices, Choices) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.townships(&caller)?,
            app.list_sectors(&caller)?
                .into_iter()
                .filter(|s| {
                    caller
                        .scope
                        .sectors
                        .as_ref()
                        .is_none_or(|own| own.contains(&s.code))
                })
                .map(|s| (s.code, s.name))
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let p = FormPage {
        chrome: Chrome::new(pc, instance, "登记事故", "accidents"),
        kept,
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
        types: Category::ALL
            .iter()
            .map(|c| (c.label(), type_choices(*c)))
            .collect(),
        townships,
        sectors,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn new(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    form_page(&state, &pc, Kept::none()).await
}

fn draft_of(form: &FormPairs) -> AccidentDraft {
    let time = |k: &str| form.get(k).replace('T', " ");
    AccidentDraft {
        category: form.get("category"),
        occurred_at: time("occurred_at"),
        place: form.get("place"),
        township: form.get("township"),
        enterprise: form.get("enterprise"),
        sector: form.get("sector"),
        accident_type: form.get("accident_type"),
        deaths: form.get("deaths"),
        missing: form.get("missing"),
        serious_injuries: form.get("serious_injuries"),
        minor_injuries: form.get("minor_injuries"),
        direct_loss_yuan: form.get("direct_loss_yuan"),
        forest_area_ha: form.get("forest_area_ha"),
        account: form.get("account"),
        unit_reported_at: time("unit_reported_at"),
        county_reported_at: time("county_reported_at"),
        lng: form.get("lng"),
        lat: form.get("lat"),
    }
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = draft_of(&form);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_accident(&caller, &d)).await {
        Ok(v) => Ok(see_other(&format!("/accidents/{}", v.record.id))),
        Err(e) => {
            let kept = Kept::refused("accident", &form, super::refusal(e)?);
            form_page(&state, &pc, kept).await
        }
    }
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
            title: "导入事故",
            nav: "accidents",
            back: "/accidents".into(),
            action: "/accidents/import".into(),
        },
        |app, caller, t, opts| app.import_accidents(caller, t, opts),
    )
    .await
}
