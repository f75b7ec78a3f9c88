//! 专项行动台账: the loaded campaigns (and the 安委办's form to load a definition), each
//! campaign's page (its ledgers and indicators), each ledger's list with its filters, export
//! and import, and a row's form and page. Every page is built from the definition: no
//! campaign has code of its own.

mod row;

use super::{Chrome, Kept, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::campaigns::{CampaignRowView, CampaignView};
use anjian_app::records::campaigns::CampaignObjectFilter;
use anjian_domain::campaign::{FieldKind, ObjectType};
use askama::Template;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaign-ledgers", get(list).post(load))
        .route("/campaign-ledgers/{code}", get(campaign))
        .route("/campaign-ledgers/{code}/{object}", get(ledger))
        .route(
            "/campaign-ledgers/{code}/{object}/new",
            get(row::new).post(row::create),
        )
        .route(
            "/campaign-ledgers/{code}/{object}/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/campaign-ledgers/{code}/{object}/report", post(report))
        .route("/campaign-rows/{id}", get(row::detail))
        .route("/campaign-rows/{id}/edit", get(row::edit).post(row::update))
        .route("/campaign-rows/{id}/delete", post(row::delete))
        .route("/campaign-rows/{id}/hazards", post(row::link_hazard))
        .route(
            "/campaign-rows/{id}/files/{field}",
            post(row::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

fn not_found() -> PageError {
    PageError::App(anjian_app::AppError::NotFound)
}

/// One loaded campaign as the list shows it.
pub struct CampaignLine {
    pub code: String,
    pub name: String,
    pub version: i64,
    pub period: String,
    pub objects: Vec<(String, String)>,
    pub indicators: usize,
    pub loaded: String,
}

impl From<&CampaignView> for CampaignLine {
    fn from(v: &CampaignView) -> Self {
        let d = &v.definition;
        let period = match (d.starts_on, d.ends_on) {
            (Some(a), Some(b)) => format!("{a} 至 {b}"),
            (Some(a), None) => format!("{a} 起"),
            (None, Some(b)) => format!("至 {b}"),
            (None, None) => "长期".into(),
        };
        Self {
            code: d.code.clone(),
            name: d.name.clone(),
            version: v.record.version,
            period,
            objects: d
                .objects
                .iter()
                .map(|o| (o.key.clone(), o.name.clone()))
                .collect(),
            indicators: d.indicators.len(),
            loaded: v.record.loaded_at.get(..10).unwrap_or("").to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "campaign_ledgers.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<CampaignLine>,
    can_load: bool,
    kept: Kept,
}

async fn list_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, loaded) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.campaigns_loaded(&caller)?))
    })
    .await?;
    let p = ListPage {
        chrome: Chrome::new(pc, instance, "专项行动台账", "campaign_ledgers"),
        lines: loaded.iter().map(CampaignLine::from).collect(),
        can_load: pc
            .caller
            .can(anjian_domain::scope::Permission::ConfigureCounty),
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn list(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    list_page(&state, &pc, Kept::none()).await
}

/// The 安委办 loads a definition: pasted into the form, or a file uploaded with it.
async fn load(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    // As pasted, untrimmed: the refusals name lines of the text as the user has it.
    let source = form
        .0
        .iter()
        .find(|(k, _)| k == "source")
        .map(|(_, v)| v.replace("\r\n", "\n"))
        .unwrap_or_default();
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| app.load_campaign(&caller, &source)).await;
    match r {
        Ok(v) => Ok(see_other(&format!(
            "/campaign-ledgers/{}?saved=1",
            super::urlencode(&v.definition.code)
        ))),
        Err(e) => {
            let kept = Kept::refused("load", &form, super::refusal(e)?);
            list_page(&state, &pc, kept).await
        }
    }
}

/// An indicator with its value for the year.
pub struct IndicatorLine {
    pub id: String,
    pub label: String,
    pub object: String,
    pub value: String,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "campaign_ledger_home.html")]
struct CampaignPage {
    chrome: Chrome,
    line: CampaignLine,
    description: String,
    year: i32,
    indicators: Vec<IndicatorLine>,
    versions: Vec<(i64, String, String)>,
}

async fn campaign(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<String>, PathRejection>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let Ok(Path(code)) = p else {
        return Err(not_found());
    };
    let caller = pc.caller.clone();
    let year_asked = q.get("year").and_then(|y| y.parse::<i32>().ok());
    let (instance, view, versions, year, values) = blocking(&state, move |app| {
        let view = app.campaign(&caller, &code, None)?;
        let versions = app.campaign_versions(&caller, &code)?;
        let year = match year_asked {
            Some(y) => y,
            None => app.data_year(&caller)?.year,
        };
        let period = anjian_domain::period::Period::year(year)
            .ok_or_else(|| anjian_app::AppError::BadRequest("年度有误".into()))?;
        let ids: Vec<String> = view
            .definition
            .indicators
            .iter()
            .map(|i| format!("campaign.{}.{}", view.definition.code, i.key))
            .collect();
        let values = app.metric_values(
            &caller,
            &period,
            &anjian_app::records::stats::StatFilter::default(),
            Some(&ids),
        )?;
        Ok((app.instance_name()?, view, versions, year, values))
    })
    .await?;
    let d = &view.definition;
    let indicators = d
        .indicators
        .iter()
        .map(|i| {
            let id = format!("campaign.{}.{}", d.code, i.key);
            let value = values
                .iter()
                .find(|v| v.id == id)
                .map(|v| v.display.clone())
                .unwrap_or_else(|| "—".into());
            IndicatorLine {
                label: i.label.clone(),
                object: d
                    .object(&i.object)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                value,
                unit: i.unit.clone(),
                id,
            }
        })
        .collect();
    let p = CampaignPage {
        chrome: Chrome::new(&pc, instance, &d.name, "campaign_ledgers")
            .flash(q.get("saved").map(|_| "已载入")),
        line: CampaignLine::from(&view),
        description: d.description.clone(),
        year,
        indicators,
        versions: versions
            .iter()
            .map(|v| {
                (
                    v.version,
                    v.loaded_at.get(..10).unwrap_or("").to_string(),
                    v.loaded_by.clone(),
                )
            })
            .collect(),
    };
    Ok(render_refused(&p, false))
}

/// A list filter over a choice or yes/no field: its key, label, options and the one chosen.
pub struct FacetFilter {
    pub key: String,
    pub label: String,
    pub options: Vec<String>,
    pub chosen: String,
}

fn facet_filters(ot: &ObjectType, q: &BTreeMap<String, String>) -> Vec<FacetFilter> {
    ot.fields
        .iter()
        .filter_map(|f| {
            let options = match &f.kind {
                FieldKind::Choice { options } => options.clone(),
                FieldKind::YesNo => vec!["是".into(), "否".into()],
                _ => return None,
            };
            Some(FacetFilter {
                key: f.key.clone(),
                label: f.label.clone(),
                options,
                chosen: q.get(&format!("f.{}", f.key)).cloned().unwrap_or_default(),
            })
        })
        .take(6)
        .collect()
}

#[derive(Template)]
#[template(path = "campaign_ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    code: String,
    campaign_name: String,
    object: String,
    object_name: String,
    headers: Vec<String>,
    rows: Vec<CampaignRowView>,
    next: Option<String>,
    query: String,
    search: String,
    facets: Vec<FacetFilter>,
    can_fill: bool,
    columns: String,
    /// The periods the caller's unit owes (the form to report each).
    owed: Vec<anjian_app::campaigns::CampaignReportTodo>,
    /// For the 安委办: who has reported the latest ended period.
    status: Option<anjian_app::campaigns::ReportStatus>,
    kept: Kept,
}

impl LedgerPage {
    /// The first few fields' values of a row, in the list's columns.
    fn cells(&self, r: &CampaignRowView) -> Vec<String> {
        r.fields
            .iter()
            .filter(|f| f.kind != "attachment")
            .take(self.headers.len())
            .map(|f| {
                if f.text.is_empty() {
                    "—".to_string()
                } else if f.unit.is_empty() {
                    f.text.clone()
                } else {
                    format!("{}{}", f.text, f.unit)
                }
            })
            .collect()
    }
}

async fn ledger(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let Ok(Path((code, object))) = p else {
        return Err(not_found());
    };
    ledger_page(&state, &pc, code, object, q, Kept::none()).await
}

async fn ledger_page(
    state: &AppState,
    pc: &PageCaller,
    code: String,
    object: String,
    q: BTreeMap<String, String>,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let after = crate::query::after_of(&q);
    let q2 = q.clone();
    let (c2, o2) = (code.clone(), object.clone());
    let (instance, view, page, owed, status) = blocking(state, move |app| {
        let view = app.campaign(&caller, &c2, None)?;
        let ot = view
            .definition
            .object(&o2)
            .ok_or(anjian_app::AppError::NotFound)?;
        let facets = facet_filters(ot, &q2)
            .into_iter()
            .filter(|f| !f.chosen.is_empty())
            .map(|f| ObjectType::facet(&f.key, &f.chosen))
            .collect();
        let f = CampaignObjectFilter {
            campaign: c2.clone(),
            object_type: o2.clone(),
            search: q2.get("q").cloned(),
            facets,
            ..Default::default()
        };
        let page = app.campaign_rows_page(
            &caller,
            &f,
            &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
        )?;
        let owed: Vec<_> = app
            .campaign_report_todos(&caller)?
            .into_iter()
            .filter(|t| t.campaign == c2 && t.object_type == o2)
            .collect();
        let status = if caller.can(anjian_domain::scope::Permission::ViewOrganisation)
            && caller.scope.enterprise_ids.is_none()
        {
            app.campaign_report_status(&caller, &c2, &o2, None)?
        } else {
            None
        };
        Ok((app.instance_name()?, view, page, owed, status))
    })
    .await?;
    let ot = view.definition.object(&object).ok_or_else(not_found)?;
    let headers: Vec<String> = ot
        .fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldKind::Attachment))
        .take(6)
        .map(|f| f.label.clone())
        .collect();
    let query = q
        .iter()
        .filter(|(k, v)| k.as_str() != "after" && !v.is_empty())
        .map(|(k, v)| format!("{}={}", super::urlencode(k), super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let facets = facet_filters(ot, &q);
    let api_facets = facets
        .iter()
        .filter(|f| !f.chosen.is_empty())
        .map(|f| format!("{}={}", f.key, f.chosen))
        .collect::<Vec<_>>()
        .join(",");
    let columns = ot
        .fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldKind::Attachment))
        .map(|f| f.label.as_str())
        .chain(std::iter::once("登记日期"))
        .collect::<Vec<_>>()
        .join("、");
    let p = LedgerPage {
        chrome: Chrome::new(pc, instance, &ot.name, "campaign_ledgers").flash(
            q.get("saved")
                .map(|_| "已保存")
                .or(q.get("reported").map(|_| "已报送")),
        ),
        code: code.clone(),
        campaign_name: view.definition.name.clone(),
        object: object.clone(),
        object_name: ot.name.clone(),
        headers,
        rows: page.items,
        next: page.next,
        query: format!(
            "{query}{}facet={}",
            if query.is_empty() { "" } else { "&" },
            super::urlencode(&api_facets)
        ),
        search: q.get("q").cloned().unwrap_or_default(),
        facets,
        can_fill: row::fills(pc, ot),
        columns,
        owed,
        status,
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

/// A unit reports a period of the ledger: its rows are in, or nothing changed.
async fn report(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    let Ok(Path((code, object))) = p else {
        return Err(not_found());
    };
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let (c2, o2) = (code.clone(), object.clone());
    let (period, note) = (form.get("period_start"), form.get("note"));
    let no_change = form.get("no_change") == "on";
    let r = blocking(&state, move |app| {
        app.submit_campaign_report(&caller, &c2, &o2, &period, no_change, &note)
    })
    .await;
    match r {
        Ok(_) => Ok(see_other(&format!(
            "/campaign-ledgers/{code}/{object}?reported=1"
        ))),
        Err(e) => {
            let kept = Kept::refused("report", &form, super::refusal(e)?);
            ledger_page(&state, &pc, code, object, BTreeMap::new(), kept).await
        }
    }
}

async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, PathRejection>,
    mp: Multipart,
) -> Result<Response, PageError> {
    let Ok(Path((code, object))) = p else {
        return Err(not_found());
    };
    let back = format!("/campaign-ledgers/{code}/{object}");
    let action = format!("{back}/import");
    super::imports::import_page_streaming(
        &state,
        &pc,
        mp,
        super::imports::ImportPlace {
            title: "导入台账记录",
            nav: "campaign_ledgers",
            back,
            action,
        },
        move |app, caller, source, opts| {
            app.import_campaign_rows(caller, &code, &object, source, opts)
        },
    )
    .await
}
