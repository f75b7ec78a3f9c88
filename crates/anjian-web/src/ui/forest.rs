//! 森林防灭火 pages: the season's chain of responsible persons down to every hill (with what
//! is still missing, the grid sheet's export and import, and forms for seasons, farms, hills,
//! persons and checkpoints); patrols, checkpoint registers and the duty roster; equipment,
//! its handovers and each township's kit.

use super::{Chrome, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::forest::{Chain, Kit};
use anjian_app::records::forest::{
    Checkpoint, CheckpointLog, Duty, Equipment, Farm, Patch, Patrol, Season,
};
use anjian_app::{App, Caller};
use anjian_domain::forest::{Acquisition, EquipmentKind, Finding, Level, WardenRole};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forest", get(chain_page))
        .route("/forest/seasons", post(create_season))
        .route("/forest/farms", post(create_farm))
        .route("/forest/patches", post(create_patch))
        .route("/forest/wardens", post(create_warden))
        .route("/forest/checkpoints", post(create_checkpoint))
        .route(
            "/forest/grid/import",
            post(grid_import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/forest/patrols", get(patrols_page).post(create_patrol))
        .route("/forest/checkpoint-logs", post(create_log))
        .route("/forest/duties", post(set_duty))
        .route(
            "/forest/equipment",
            get(equipment_page).post(create_equipment),
        )
        .route("/forest/handovers", post(create_handover))
}

/// A form's fields as a draft (`_csrf` and the like left out): every draft field is text, so
/// what was typed reaches the use case's checks unchanged.
fn draft<D: DeserializeOwned + Default>(form: &FormPairs) -> D {
    let map: serde_json::Map<String, serde_json::Value> = form
        .0
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

/// (code, label) of a coded list, for a select.
fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|x| (code(*x).to_string(), label(*x).to_string()))
        .collect()
}

#[derive(Template)]
#[template(path = "forest_chain.html")]
struct ChainPage {
    chrome: Chrome,
    seasons: Vec<Season>,
    chain: Option<Chain>,
    farms: Vec<Farm>,
    patches: Vec<Patch>,
    checkpoints: Vec<Checkpoint>,
    towns: Vec<(String, String)>,
    villages: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    season_id: String,
    may_write: bool,
    /// A county-level user sets the seasons.
    county_user: bool,
    kept: Kept,
}

/// Whether the caller belongs to its county itself (not a township).
fn county_user(caller: &Caller) -> bool {
    anjian_domain::RegionCode::parse(&caller.user.region_code)
        .ok()
        .and_then(|c| c.county())
        .is_some_and(|c| c.as_str() == caller.user.region_code)
}

/// A hill as a choice: its name, with its village's when the name does not carry it.
pub fn hill_label(p: &Patch) -> String {
    if p.name.starts_with(&p.region_name) {
        p.name.clone()
    } else {
        format!("{} {}", p.region_name, p.name)
    }
}

impl ChainPage {
    fn hill(&self, p: &Patch) -> String {
        hill_label(p)
    }

    /// 亩 with two places.
    fn mu(&self, centi: &i64) -> String {
        mu(centi)
    }
}

async fn chain_page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = q.get("saved").map(|_| "已保存。".to_string());
    let season = q.get("season").and_then(|s| s.parse::<i64>().ok());
    chain_view(&state, &pc, season, Kept::none(), notice).await
}

async fn chain_view(
    state: &AppState,
    pc: &PageCaller,
    season: Option<i64>,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, seasons, chain, farms, patches, checkpoints, towns, villages) =
        blocking(state, move |app| {
            let chain = app.forest_chain(&caller, season)?;
            let season_id = chain.as_ref().map(|c| c.season.id);
            let villages = app
                .list_regions(&caller, None, Some("village"))?
                .into_iter()
                .filter(|r| r.level == "village")
                .map(|r| (r.code, r.name))
                .collect::<Vec<_>>();
            Ok((
                app.instance_name()?,
                app.forest_seasons(&caller)?,
                chain,
                app.forest_farms(&caller)?,
                app.forest_patches(&caller, None)?,
                app.forest_checkpoints(&caller, season_id)?,
                app.townships(&caller)?,
                villages,
            ))
        })
        .await?;
    let mut chrome = Chrome::new(pc, instance, "森林防灭火网格", "forest");
    chrome.notice = notice;
    let season_id = chain
        .as_ref()
        .map(|c| c.season.id.to_string())
        .unwrap_or_default();
    let page = ChainPage {
        chrome,
        seasons,
        chain,
        farms,
        patches,
        checkpoints,
        towns,
        villages,
        levels: options(Level::ALL, Level::as_str, Level::label),
        roles: options(WardenRole::ALL, WardenRole::as_str, WardenRole::label),
        season_id,
        may_write: pc.caller.scope.writable && pc.caller.can(Permission::ManageForestGrid),
        county_user: county_user(&pc.caller),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

/// Which page a form lives on, to show it again when refused.
#[derive(Clone, Copy)]
enum On {
    Chain,
    Patrols,
    Equipment,
}

/// Submits a form's draft to a use case: back to its page on success, the page again with
/// what was typed and the errors when refused.
async fn submit<D, T>(
    state: &AppState,
    pc: &PageCaller,
    form: FormPairs,
    key: &'static str,
    on: On,
    run: fn(&App, &Caller, &D) -> anjian_app::Result<T>,
) -> Result<Response, PageError>
where
    D: DeserializeOwned + Default + Send + 'static,
    T: Send + 'static,
{
    pc.check_csrf(&form)?;
    let d: D = draft(&form);
    let caller = pc.caller.clone();
    let season = form.get("season_id").parse::<i64>().ok();
    match blocking(state, move |app| run(app, &caller, &d)).await {
        Ok(_) => Ok(see_other(match on {
            On::Chain => "/forest?saved=1",
            On::Patrols => "/forest/patrols?saved=1",
            On::Equipment => "/forest/equipment?saved=1",
        })),
        Err(e) => {
            let kept = Kept::refused(key, &form, refusal(e)?);
            match on {
                On::Chain => chain_view(state, pc, season, kept, None).await,
                On::Patrols => patrols_view(state, pc, kept, None).await,
                On::Equipment => equipment_view(state, pc, kept, None).await,
            }
        }
    }
}

async fn create_season(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "season", On::Chain, |app, c, d| {
        app.create_forest_season(c, d)
    })
    .await
}

async fn create_farm(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "farm", On::Chain, |app, c, d| {
        app.create_forest_farm(c, d)
    })
    .await
}

async fn create_patch(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "patch", On::Chain, |app, c, d| {
        app.create_forest_patch(c, d)
    })
    .await
}

async fn create_warden(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "warden", On::Chain, |app, c, d| {
        app.create_forest_warden(c, d)
    })
    .await
}

async fn create_checkpoint(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "checkpoint", On::Chain, |app, c, d| {
        app.create_forest_checkpoint(c, d)
    })
    .await
}

async fn grid_import(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
    mp: Multipart,
) -> Result<Response, PageError> {
    let season = q
        .get("season")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    super::imports::import_page(
        &state,
        &pc,
        mp,
        super::imports::ImportPlace {
            title: "导入森林防灭火网格责任表",
            nav: "forest",
            back: format!("/forest?season={season}"),
            action: format!("/forest/grid/import?season={season}"),
        },
        move |app, caller, t, opts| app.import_forest_grid(caller, season, t, opts),
    )
    .await
}

impl PatrolsPage {
    fn hill(&self, p: &Patch) -> String {
        hill_label(p)
    }
}

#[derive(Template)]
#[template(path = "forest_patrols.html")]
struct PatrolsPage {
    chrome: Chrome,
    patrols: Vec<Patrol>,
    logs: Vec<CheckpointLog>,
    duties: Vec<Duty>,
    patches: Vec<Patch>,
    checkpoints: Vec<Checkpoint>,
    villages: Vec<(String, String)>,
    findings: Vec<(String, String)>,
    today: String,
    may_write: bool,
    kept: Kept,
}

async fn patrols_page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = q.get("saved").map(|_| "已保存。".to_string());
    patrols_view(&state, &pc, Kept::none(), notice).await
}

/// The last 30 days' patrols and registers, and the duty roster from a week ago to a week
/// ahead.
async fn patrols_view(
    state: &AppState,
    pc: &PageCaller,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, patrols, logs, duties, patches, checkpoints, villages, today) =
        blocking(state, move |app| {
            let today = app.clock.today();
            let from = today - chrono::Duration::days(30);
            let week = chrono::Duration::days(7);
            let season = app.forest_season(&caller, None)?.map(|s| s.id);
            let villages = app
                .list_regions(&caller, None, Some("village"))?
                .into_iter()
                .filter(|r| r.level != "county")
                .map(|r| (r.code, r.name))
                .collect::<Vec<_>>();
            Ok((
                app.instance_name()?,
                app.forest_patrols(&caller, Some(from), Some(today), None)?,
                app.checkpoint_logs(&caller, Some(from), Some(today))?,
                app.forest_duties(&caller, Some(today - week), Some(today + week))?,
                app.forest_patches(&caller, None)?,
                app.forest_checkpoints(&caller, season)?,
                villages,
                today,
            ))
        })
        .await?;
    let mut chrome = Chrome::new(pc, instance, "巡护与检查站", "forest_patrols");
    chrome.notice = notice;
    let page = PatrolsPage {
        chrome,
        patrols,
        logs,
        duties,
        patches,
        checkpoints,
        villages,
        findings: options(Finding::ALL, Finding::as_str, Finding::label),
        today: today.to_string(),
        may_write: pc.caller.scope.writable && pc.caller.can(Permission::ManageForestGrid),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn create_patrol(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "patrol", On::Patrols, |app, c, d| {
        app.record_patrol(c, d)
    })
    .await
}

async fn create_log(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "log", On::Patrols, |app, c, d| {
        app.record_checkpoint_log(c, d)
    })
    .await
}

async fn set_duty(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "duty", On::Patrols, |app, c, d| {
        app.set_forest_duty(c, d)
    })
    .await
}

#[derive(Template)]
#[template(path = "forest_equipment.html")]
struct EquipmentPage {
    chrome: Chrome,
    equipment: Vec<Equipment>,
    kits: Vec<Kit>,
    farms: Vec<Farm>,
    towns: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    acquisitions: Vec<(String, String)>,
    may_write: bool,
    kept: Kept,
}

impl EquipmentPage {
    /// 元 with two places.
    fn yuan(&self, fen: &i64) -> String {
        yuan(fen)
    }
}

async fn equipment_page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = q.get("saved").map(|_| "已保存。".to_string());
    equipment_view(&state, &pc, Kept::none(), notice).await
}

async fn equipment_view(
    state: &AppState,
    pc: &PageCaller,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, equipment, kits, farms, towns) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.forest_equipment(&caller)?,
            app.forest_kits(&caller)?,
            app.forest_farms(&caller)?,
            app.townships(&caller)?,
        ))
    })
    .await?;
    let mut chrome = Chrome::new(pc, instance, "防灭火装备", "forest_equipment");
    chrome.notice = notice;
    let page = EquipmentPage {
        chrome,
        equipment,
        kits,
        farms,
        towns,
        kinds: options(
            EquipmentKind::ALL,
            EquipmentKind::as_str,
            EquipmentKind::label,
        ),
        acquisitions: options(Acquisition::ALL, Acquisition::as_str, Acquisition::label),
        may_write: pc.caller.scope.writable && pc.caller.can(Permission::ManageForestGrid),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn create_equipment(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(
        &state,
        &pc,
        form,
        "equipment",
        On::Equipment,
        |app, c, d| app.create_forest_equipment(c, d),
    )
    .await
}

async fn create_handover(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    submit(&state, &pc, form, "handover", On::Equipment, |app, c, d| {
        app.hand_over_equipment(c, d)
    })
    .await
}

/// 元 from 分, two places.
pub fn yuan(fen: &i64) -> String {
    anjian_domain::decimal::hundredths_text(*fen)
}

/// 亩 from hundredths.
pub fn mu(centi: &i64) -> String {
    anjian_domain::decimal::hundredths_text(*centi)
}
