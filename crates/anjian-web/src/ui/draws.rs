//! 双随机 draws: list with a form to set one up, and a detail page with the draw, the
//! publicity record and the verification view (re-run on every view once drawn).

use super::Kept;
use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::draws::{DrawRequest, StratumSpec, Verification};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/draws", get(list).post(create))
        .route("/draws/{id}", get(detail))
        .route("/draws/{id}/draw", post(run))
        .route("/draws/{id}/publish", post(publish))
}

pub struct Row {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub created: String,
    pub drawn_on: String,
    pub publish_due: String,
    pub published_on: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "draws.html")]
struct ListPage {
    chrome: Chrome,
    /// The cursor of the next page, if the list goes on.
    next: Option<String>,
    next_href: String,
    rows: Vec<Row>,
    sectors: Vec<(String, String)>,
    can_create: bool,
    kept: Kept,
}

fn can_organise(pc: &PageCaller) -> bool {
    pc.caller
        .can(anjian_domain::scope::Permission::DecideAsAgency)
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    after: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, items, sectors) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.draws_page(
                &caller,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            app.list_sectors(&caller)?,
        ))
    })
    .await?;
    let today = state.app.clock.today();
    let next = items.next;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = items
        .items
        .into_iter()
        .map(|d| Row {
            overdue: d.status == anjian_domain::draw::DrawState::Drawn
                && d.publish_due.is_some_and(|x| x < today),
            id: d.id,
            title: d.title,
            status: d.status.label().to_string(),
            created: anjian_app::auth::local_time(&d.created_at)
                .chars()
                .take(10)
                .collect(),
            drawn_on: day(d.drawn_on),
            publish_due: day(d.publish_due),
            published_on: day(d.published_on),
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "双随机抽查", "draws"),
        next,
        next_href: "/draws?".into(),
        rows,
        sectors: sectors.into_iter().map(|s| (s.code, s.name)).collect(),
        can_create: can_organise(pc),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let after = crate::query::after_of(&q);
    list_page(&state, &pc, after, Kept::none()).await
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let sector = form.opt("sector");
    // Numbers that do not read are refused with their field named, never skipped.
    let mut n = super::Numbers::new(&form);
    let key_quota = n.int("key_quota", "重点企业抽取数");
    let ratio = n.decimal("ratio_percent", "一般企业抽取比例");
    let team_size = n.int("team_size", "每组执法人员");
    let exclude = n.int("exclude_inspected_days", "排除近N天已检查的天数");
    let as_count = |v: Option<i64>, k: &str, label: &str, e: &mut super::FieldErrors| match v {
        Some(x) => match usize::try_from(x) {
            Ok(x) => Some(x),
            Err(_) => {
                e.add(k, format!("{label}不能为负数"));
                None
            }
        },
        None => None,
    };
    let mut errors = n.errors;
    let key_quota = as_count(key_quota, "key_quota", "重点企业抽取数", &mut errors);
    let team_size = as_count(team_size, "team_size", "每组执法人员", &mut errors);
    let exclude = match exclude.map(u32::try_from) {
        Some(Ok(x)) => Some(x),
        Some(Err(_)) => {
            errors.add("exclude_inspected_days", "排除近N天已检查的天数不能为负数");
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return list_page(&state, &pc, None, Kept::refused("draw", &form, errors)).await;
    }
    let mut strata = Vec::new();
    if let Some(q) = key_quota
        && q > 0
    {
        strata.push(StratumSpec {
            name: "重点企业".into(),
            sector: sector.clone(),
            key_only: true,
            quota: Some(q),
            ..Default::default()
        });
    }
    if let Some(ratio) = ratio {
        strata.push(StratumSpec {
            name: "一般企业".into(),
            sector,
            ratio_percent: Some(ratio),
            ..Default::default()
        });
    }
    let req = DrawRequest {
        title: form.get("title"),
        department_id: None,
        strata,
        team_size,
        exclude_inspected_days: exclude,
        inspector_ids: None,
        weighted_by_grade: form.get("weighted_by_grade") == "on",
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_draw(&caller, &req)).await {
        Ok(v) => Ok(see_other(&format!("/draws/{}", v.draw.id))),
        Err(e) => {
            list_page(
                &state,
                &pc,
                None,
                Kept::refused("draw", &form, super::refusal(e)?),
            )
            .await
        }
    }
}

pub struct TaskRow {
    pub n: usize,
    pub stratum: String,
    pub enterprise_id: i64,
    pub enterprise: String,
    pub inspectors: String,
}

#[derive(Template)]
#[template(path = "draw_detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: anjian_app::records::draws::Draw,
    created_at: String,
    status: String,
    algorithm: String,
    strata: Vec<(String, usize, usize)>,
    roster: String,
    conflicts: usize,
    team_size: u64,
    tasks: Vec<TaskRow>,
    overdue: bool,
    verification: Option<Verification>,
    can_draw: bool,
    can_publish: bool,
    drawn: bool,
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v, verification, users) = blocking(state, move |app| {
        let v = app.draw_view(&caller, id)?;
        let ver = if v.draw.status == anjian_domain::draw::DrawState::Committed {
            None
        } else {
            Some(app.verify_draw(&caller.scope, id)?)
        };
        Ok((app.instance_name()?, v, ver, app.user_names(&caller)?))
    })
    .await?;
    let name = |uid: i64| users.get(&uid).cloned().unwrap_or_else(|| uid.to_string());
    let inputs: serde_json::Value = serde_json::from_str(&v.draw.inputs).unwrap_or_default();
    let strata = inputs["strata"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    (
                        s["name"].as_str().unwrap_or_default().to_string(),
                        s["pool"].as_array().map(Vec::len).unwrap_or(0),
                        s["quota"].as_u64().unwrap_or(0) as usize,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let roster = inputs["inspectors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_i64())
                .map(name)
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default();
    let tasks = v
        .tasks
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let ids: Vec<i64> = serde_json::from_str(&t.inspectors).unwrap_or_default();
            TaskRow {
                n: k + 1,
                stratum: t.stratum.clone(),
                enterprise_id: t.enterprise_id,
                enterprise: t.enterprise_name.clone(),
                inspectors: ids.into_iter().map(name).collect::<Vec<_>>().join("、"),
            }
        })
        .collect();
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "双随机抽查", "draws"),
        status: v.status_label.to_string(),
        created_at: anjian_app::auth::local_time(&v.draw.created_at),
        algorithm: v.algorithm.to_string(),
        strata,
        roster,
        conflicts: inputs["conflicts"].as_array().map(Vec::len).unwrap_or(0),
        team_size: inputs["team_size"].as_u64().unwrap_or(0),
        tasks,
        overdue: v.publish_overdue,
        verification,
        can_draw: v.allowed_actions.contains(&"draw"),
        can_publish: v.allowed_actions.contains(&"publish"),
        drawn: v.draw.status != anjian_domain::draw::DrawState::Committed,
        kept,
        d: v.draw,
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

async fn run(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let entropy = form.get("entropy");
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.run_draw(&caller, id, &entropy)).await {
        Ok(_) => Ok(see_other(&format!("/draws/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused("run", &form, super::refusal(e)?),
            )
            .await
        }
    }
}

async fn publish(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (on, place) = (form.get("published_on"), form.get("published_where"));
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.publish_draw(&caller, id, &on, &place)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/draws/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused("publish", &form, super::refusal(e)?),
            )
            .await
        }
    }
}
