//! 一张图: the county map drawn by the server, with the layers turned on and off by the form's
//! checkboxes (a GET form: every view is a shareable URL, `?layers=enterprises,hazards&
//! township=…&period=2022` works too), a township picker that zooms to its boundary, printing
//! on A4 or A3, and for the administrator the upload of township boundaries (GeoJSON).

use super::{Chrome, render_refused, see_other};
use crate::extract::PageCaller;
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::map::{CountyMap, MapAsk};
use anjian_domain::map::Layer;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new().route("/map", get(page)).route(
        "/map/boundaries",
        post(upload).layer(axum::extract::DefaultBodyLimit::max(
            anjian_domain::map::MAX_BOUNDARY_BYTES + 64 * 1024,
        )),
    )
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    chrome: Chrome,
    map: CountyMap,
    /// The query string of this view (for the SVG download).
    query: String,
    paper: String,
    may_import: bool,
    /// Messages of a refused boundary file.
    refused: Vec<String>,
}

/// The view asked for: `layers=a,b` or the form's `layer` checkboxes (`sent` marks a submitted
/// form, so that no box ticked means no layer rather than all of them).
fn ask_of(pairs: &[(String, String)]) -> (MapAsk, String) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let ticked: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "layer")
        .map(|(_, v)| v.as_str())
        .collect();
    let layers = get("layers")
        .or_else(|| (get("sent").is_some() || !ticked.is_empty()).then(|| ticked.join(",")));
    let paper = match get("paper").as_deref() {
        Some("a3") => "a3".to_string(),
        _ => "a4".to_string(),
    };
    (
        MapAsk {
            layers,
            township: get("township").filter(|t| !t.trim().is_empty()),
            period: get("period").filter(|p| !p.trim().is_empty()),
        },
        paper,
    )
}

fn query_of(ask: &MapAsk) -> String {
    let mut parts = Vec::new();
    if let Some(l) = &ask.layers {
        parts.push(format!("layers={}", super::urlencode(l)));
    }
    if let Some(t) = &ask.township {
        parts.push(format!("township={}", super::urlencode(t)));
    }
    if let Some(p) = &ask.period {
        parts.push(format!("period={}", super::urlencode(p)));
    }
    parts.join("&")
}

async fn page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (ask, paper) = ask_of(&pairs);
    let notice = pairs
        .iter()
        .find(|(k, _)| k == "imported")
        .map(|(_, n)| format!("已导入{n}个乡镇（街道）的边界。"));
    render_page(&state, &pc, ask, paper, notice, Vec::new()).await
}

async fn render_page(
    state: &AppState,
    pc: &PageCaller,
    ask: MapAsk,
    paper: String,
    notice: Option<String>,
    refused: Vec<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let query = query_of(&ask);
    // A view asked for with a bad layer, township or period shows the whole county with the
    // problem named, rather than an error page.
    let (instance, map, problem) = blocking(state, move |app| {
        let (map, problem) = match app.county_map(&caller, &ask) {
            Err(AppError::Validation(e)) => (
                app.county_map(&caller, &MapAsk::default())?,
                Some(
                    e.fields
                        .into_values()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            ),
            other => (other?, None),
        };
        Ok((app.instance_name()?, map, problem))
    })
    .await?;
    let mut chrome = Chrome::new(pc, instance, "一张图", "map");
    chrome.notice = match problem {
        Some(p) => Some(format!("查询条件有误，已显示全县：{p}")),
        None => notice,
    };
    let is_refused = !refused.is_empty();
    let page = MapPage {
        chrome,
        map,
        query,
        paper,
        may_import: pc.caller.scope.writable && pc.caller.can(Permission::ManageOrganisation),
        refused,
    };
    Ok(render_refused(&page, is_refused))
}

impl MapPage {
    fn layer_label(&self, code: &str) -> &'static str {
        Layer::parse(code).map_or("", Layer::label)
    }
}

async fn upload(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let bytes = match super::stats::uploaded_file(&pc, mp).await? {
        Ok((_, data, _)) => data,
        Err(m) => {
            return render_page(&state, &pc, MapAsk::default(), "a4".into(), None, vec![m]).await;
        }
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.import_boundaries(&caller, None, &bytes)
    })
    .await
    {
        Ok(r) => Ok(see_other(&format!("/map?imported={}", r.imported))),
        Err(AppError::Validation(e)) => {
            let msgs = e.fields.into_values().flatten().collect();
            render_page(&state, &pc, MapAsk::default(), "a4".into(), None, msgs).await
        }
        Err(e) => Err(e.into()),
    }
}
