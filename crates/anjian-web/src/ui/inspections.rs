use super::{Chrome, render, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::inspections::{FindingToHazard, InspectionInput, ItemResult, KINDS};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::{BTreeMap, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(list))
        .route("/inspections/export", get(export))
        .route("/inspections/new", get(new_form).post(create))
        .route("/inspections/{id}", get(detail))
        .route("/inspections/{id}/record", get(record))
        .route("/inspections/{id}/findings/{fid}/hazard", post(convert))
}

fn kind_label(k: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(x, _)| *x == k)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub struct Row {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub enforcement: bool,
    pub unit: String,
    pub region: String,
    pub sector: String,
    pub inspectors: String,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct ListPage {
    chrome: Chrome,
    next: Option<String>,
    next_href: String,
    rows: Vec<Row>,
    can_record: bool,
}

fn names(json: &str) -> String {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .join("、")
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let (instance, items, sectors) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.inspections_page(
                &caller,
                None,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            app.list_sectors(&caller)?,
        ))
    })
    .await?;
    let sn: HashMap<String, String> = sectors.into_iter().map(|s| (s.code, s.name)).collect();
    let next = items.next;
    let rows = items
        .items
        .into_iter()
        .map(|i| Row {
            id: i.id,
            date: i.inspected_on.to_string(),
            kind: kind_label(&i.kind),
            enforcement: i.enforcement,
            unit: i.enterprise_name.unwrap_or(i.site),
            region: i.region_name,
            sector: sn.get(&i.sector).cloned().unwrap_or(i.sector),
            inspectors: names(&i.inspectors),
        })
        .collect();
    let can_record = pc.caller.can(anjian_domain::scope::Permission::Supervise);
    Ok(render(&ListPage {
        chrome: Chrome::new(&pc, instance, "监督检查", "inspections"),
        rows,
        next,
        next_href: "/inspections?".into(),
        can_record,
    }))
}

#[derive(Template)]
#[template(path = "inspection_form.html")]
struct FormPage {
    chrome: Chrome,
    templates: Vec<(String, String)>,
    template_id: String,
    items: Vec<(String, String, String)>,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    sector: String,
    kinds: Vec<(String, String)>,
    today: String,
    me: String,
    error: Option<String>,
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    template_id: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let tid = template_id.parse::<i64>().ok();
    let (instance, templates, sectors, regions) = blocking(state, move |app| {
        let regions = app
            .list_regions(&caller, None, Some("village"))?
            .into_iter()
            .filter(|r| r.level != "county")
            .map(|r| (r.code, r.name))
            .collect::<Vec<_>>();
        Ok((
            app.instance_name()?,
            app.templates(None)?,
            app.list_sectors(&caller)?,
            regions,
        ))
    })
    .await?;
    let chosen = tid.and_then(|t| templates.iter().find(|x| x.id == t));
    let items = chosen
        .and_then(|t| serde_json::from_str::<Vec<serde_json::Value>>(&t.items).ok())
        .unwrap_or_default()
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
                v["basis"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let sn: HashMap<String, String> = sectors
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let page = FormPage {
        chrome: Chrome::new(pc, instance, "记录监督检查", "inspections"),
        templates: templates
            .iter()
            .map(|t| {
                (
                    t.id.to_string(),
                    format!(
                        "{} · {}",
                        sn.get(&t.sector).cloned().unwrap_or(t.sector.clone()),
                        t.name
                    ),
                )
            })
            .collect(),
        sector: chosen.map(|t| t.sector.clone()).unwrap_or_default(),
        template_id,
        items,
        regions,
        sectors: sectors.into_iter().map(|s| (s.code, s.name)).collect(),
        kinds: KINDS
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        today: state.app.clock.today().to_string(),
        me: pc.caller.user.display_name.clone(),
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

async fn new_form(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    form_page(
        &state,
        &pc,
        q.get("template_id").cloned().unwrap_or_default(),
        None,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let template_id = form.get("template_id");
    let enterprise = form.get("enterprise_id");
    let enterprise_id = if enterprise.is_empty() {
        None
    } else {
        match enterprise.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return form_page(&state, &pc, template_id, Some("企业编号应为数字".into())).await;
            }
        }
    };
    let results = form
        .0
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("result.").map(|code| ItemResult {
                code: code.to_string(),
                result: v.clone(),
                note: form.get(&format!("note.{code}")),
            })
        })
        .collect();
    let input = InspectionInput {
        enterprise_id,
        region_code: form.opt("region_code"),
        site: form.opt("site"),
        sector: form.get("sector"),
        kind: form.get("kind"),
        enforcement: form.flag("enforcement"),
        inspected_on: form.get("inspected_on"),
        inspectors: form
            .get("inspectors")
            .split([',', '，', '、', ' '])
            .map(str::to_string)
            .collect(),
        template_id: template_id.parse().ok(),
        results,
        findings: form.get("findings").lines().map(str::to_string).collect(),
        summary: form.opt("summary"),
        campaign: None,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.record_inspection(&caller, &input)).await {
        Ok(i) => Ok(see_other(&format!("/inspections/{}", i.id))),
        Err(AppError::Validation(v)) => {
            form_page(
                &state,
                &pc,
                template_id,
                Some(
                    v.fields
                        .into_values()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            )
            .await
        }
        Err(AppError::Forbidden(m)) => form_page(&state, &pc, template_id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "inspection_detail.html")]
struct DetailPage {
    chrome: Chrome,
    i: anjian_app::records::inspections::Inspection,
    unit: String,
    kind: &'static str,
    inspectors: String,
    items: Vec<(String, String, String, String)>,
    findings: Vec<anjian_app::records::inspections::Finding>,
    can_convert: bool,
    docs: super::documents::DocPanel,
    error: Option<String>,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, (i, findings), docs) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.inspection(&caller, id)?,
            app.documents(&caller, Some(("inspection", id)))?,
        ))
    })
    .await?;
    let items = serde_json::from_str::<Vec<serde_json::Value>>(&i.checklist)
        .unwrap_or_default()
        .iter()
        .map(|v| {
            let r = match v["result"].as_str() {
                Some("pass") => "符合",
                Some("fail") => "不符合",
                _ => "不适用",
            };
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
                r.to_string(),
                v["note"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "检查记录", "inspections"),
        unit: i
            .enterprise_name
            .clone()
            .unwrap_or_else(|| "（公共区域）".into()),
        kind: kind_label(&i.kind),
        inspectors: names(&i.inspectors),
        items,
        findings,
        can_convert: pc.caller.can(anjian_domain::scope::Permission::Supervise),
        docs: super::documents::DocPanel::new(pc, "inspection", id, docs),
        error,
        i,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    detail_page(&state, &pc, id, None).await
}

async fn record(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let doc = blocking(&state, move |app| app.inspection_record_docx(&caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("现场检查记录{id}.docx"),
        doc,
    ))
}

async fn convert(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let Ok(Path((id, fid))) = p else {
        return Err(PageError::App(AppError::NotFound));
    };
    let id = crate::extract::parse_id(&id)?;
    let fid = crate::extract::parse_id(&fid)?;
    let input = FindingToHazard {
        level: form.get("level"),
        deadline: form.opt("deadline"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.finding_to_hazard(&caller, id, fid, &input)
    })
    .await
    {
        Ok(h) => Ok(see_other(&format!("/hazards/{}?done=1", h.hazard.id))),
        Err(AppError::Validation(v)) => {
            detail_page(
                &state,
                &pc,
                id,
                Some(
                    v.fields
                        .into_values()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            )
            .await
        }
        Err(AppError::Conflict(m)) | Err(AppError::Forbidden(m)) => {
            detail_page(&state, &pc, id, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn export(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (items, sectors) = blocking(&state, move |app| {
        Ok((app.inspections(&caller, None)?, app.list_sectors(&caller)?))
    })
    .await?;
    let sn: HashMap<String, String> = sectors.into_iter().map(|s| (s.code, s.name)).collect();
    let headers = [
        "编号",
        "检查日期",
        "检查类型",
        "行政执法检查",
        "被检查单位",
        "检查场所",
        "所在区划",
        "行业领域",
        "检查人员",
        "检查情况",
    ];
    let widths = [8.0, 12.0, 12.0, 12.0, 30.0, 30.0, 12.0, 14.0, 20.0, 40.0];
    let rows: Vec<Vec<String>> = items
        .into_iter()
        .map(|i| {
            vec![
                i.id.to_string(),
                i.inspected_on.to_string(),
                kind_label(&i.kind).to_string(),
                if i.enforcement {
                    "是".into()
                } else {
                    "否".into()
                },
                i.enterprise_name.clone().unwrap_or_default(),
                i.site.clone(),
                i.region_name.clone(),
                sn.get(&i.sector).cloned().unwrap_or(i.sector.clone()),
                names(&i.inspectors),
                i.summary.clone(),
            ]
        })
        .collect();
    let bytes = anjian_app::export::render(
        anjian_app::export::ExportFormat::Xlsx,
        "监督检查台账",
        &headers,
        &widths,
        &rows,
    )?;
    Ok(crate::files::file_response(
        bytes,
        anjian_app::export::ExportFormat::Xlsx.content_type(),
        "inspections.xlsx",
    ))
}
