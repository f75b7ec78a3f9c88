use super::{Chrome, render, scope_text};
use crate::extract::PageCaller;
use crate::{AppState, PageError, blocking};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

pub struct SectorCount {
    pub code: String,
    pub name: String,
    pub count: i64,
    pub percent: i64,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    total: i64,
    key_count: i64,
    above_count: i64,
    suspended: i64,
    closed: i64,
    sectors: Vec<SectorCount>,
    username: String,
    region_name: String,
    scope_text: String,
    dash: anjian_app::dashboard::Dashboard,
    year_error: Option<String>,
    /// A leader's own areas (包片包线), when his account is linked to a leader.
    my_areas: Option<anjian_app::leaders::MyAreas>,
}

#[derive(Debug, Default, Deserialize)]
pub struct HomeQuery {
    year: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<HomeQuery>,
) -> Result<Response, PageError> {
    // An enterprise's home is its own record (一企一档): licences, hazards, inspections and
    // the documents addressed to it.
    if pc
        .caller
        .can(anjian_domain::scope::Permission::RegisterOwnHazardsOnly)
        && let Some(id) = pc.caller.user.enterprise_id
    {
        return Ok(super::see_other(&format!("/enterprises/{id}")));
    }
    let (year, year_error) = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, None),
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => (Some(y), None),
            _ => (None, Some(format!("年度“{y}”不正确，已显示默认年度"))),
        },
    };
    let caller = pc.caller.clone();
    // One call, so that its kept figures share one look at the data generation.
    let (dash, my_areas, o, region_name, instance) = blocking(&state, move |app| {
        Ok((
            app.dashboard(&caller, year)?,
            app.my_areas(&caller)?,
            app.enterprise_overview(&caller)?,
            app.region_name(&caller, &caller.user.region_code)?,
            app.instance_name()?,
        ))
    })
    .await?;
    let mut sectors: Vec<SectorCount> = o
        .by_sector
        .into_iter()
        .map(|(code, name, count)| SectorCount {
            code,
            name,
            count,
            percent: 0,
        })
        .collect();
    let max = sectors.iter().map(|s| s.count).max().unwrap_or(1).max(1);
    for s in &mut sectors {
        s.percent = s.count * 100 / max;
    }
    let scope_text = scope_text(&pc.caller, &region_name);
    let page = Home {
        chrome: Chrome::new(&pc, instance, "工作台", "home"),
        total: o.total,
        key_count: o.key,
        above_count: o.above_scale,
        suspended: o.suspended,
        closed: o.closed,
        sectors,
        username: pc.caller.user.username.clone(),
        region_name,
        scope_text,
        dash,
        year_error,
        my_areas,
    };
    Ok(render(&page))
}
