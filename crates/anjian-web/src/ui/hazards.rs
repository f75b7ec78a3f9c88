use super::{Chrome, FieldErrors, render, see_other, urlencode};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::query::{HazardQuery, hazard_filter_of as filter_of};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::export::ExportFormat;
use anjian_app::hazards::{ActionInput, HazardInput};
use anjian_domain::hazard::{Action, Level, SOURCES, STATUSES, Source, Status};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::{BTreeMap, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hazards", get(list))
        .route("/hazards/export", get(export))
        .route("/hazards/new", get(new_form).post(create))
        .route("/hazards/{id}", get(detail))
        .route("/hazards/{id}/act", post(act))
        .route("/hazards/{id}/case", post(case_act))
        .route(
            "/hazards/{id}/upload",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/attachments/{id}", get(download))
}

pub struct Row {
    pub id: i64,
    pub found_on: String,
    pub major: bool,
    pub description: String,
    pub source: String,
    pub campaign: String,
    pub region: String,
    pub enterprise: String,
    pub sector: String,
    pub deadline: String,
    pub overdue: bool,
    pub status: String,
    pub status_class: &'static str,
}

/// The filter values as typed, for re-rendering the form.
#[derive(Default)]
pub struct FilterForm {
    pub q: String,
    pub region_code: String,
    pub sector: String,
    pub level: String,
    pub status: String,
    pub source: String,
    pub overdue: String,
    pub campaign: String,
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "hazards_list.html")]
struct ListPage {
    chrome: Chrome,
    total: i64,
    overdue_total: i64,
    rows: Vec<Row>,
    next: Option<String>,
    first_page: bool,
    query: String,
    f: FilterForm,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    sources: Vec<(String, String)>,
    can_create: bool,
    error: Option<String>,
}

pub fn status_class(s: &str) -> &'static str {
    match s {
        "closed" => "green",
        "reported" => "blue",
        "rectifying" => "orange",
        "ordered" => "yellow",
        _ => "grey",
    }
}

fn levels() -> Vec<(String, String)> {
    [Level::General, Level::Major]
        .iter()
        .map(|l| (l.as_str().to_string(), l.label().to_string()))
        .collect()
}
fn statuses() -> Vec<(String, String)> {
    STATUSES
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect()
}
fn sources() -> Vec<(String, String)> {
    SOURCES
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect()
}

fn keep_query(q: &HazardQuery) -> String {
    [
        ("q", &q.q),
        ("region_code", &q.region_code),
        ("sector", &q.sector),
        ("level", &q.level),
        ("status", &q.status),
        ("source", &q.source),
        ("overdue", &q.overdue),
        ("campaign", &q.campaign),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|x| !x.is_empty())
            .map(|x| format!("{k}={}", urlencode(x)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<HazardQuery>,
) -> Result<Response, PageError> {
    let (error, filter) = match filter_of(&q) {
        Ok(f) => (None, f),
        Err(e) => (
            Some(e.message),
            anjian_app::records::hazards::HazardFilter {
                limit: 50,
                ..Default::default()
            },
        ),
    };
    let caller = pc.caller.clone();
    let (instance, total, overdue_total, page, regions, sectors) = blocking(&state, move |app| {
        let page = app.list_hazards(&caller, &filter)?;
        let (total, overdue) = app.count_hazards_and_overdue(&caller, &filter)?;
        let regions = app.townships(&caller)?;
        Ok((
            app.instance_name()?,
            total,
            overdue,
            page,
            regions,
            app.list_sectors(&caller)?,
        ))
    })
    .await?;
    let names: HashMap<String, String> = sectors
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let rows = page
        .items
        .into_iter()
        .map(|v| {
            let h = v.hazard;
            Row {
                id: h.id,
                found_on: h.found_on,
                major: h.level == "major",
                description: h.description.chars().take(60).collect(),
                source: v.source_label.to_string(),
                campaign: h.campaign.unwrap_or_default(),
                region: h.region_name,
                enterprise: h.enterprise_name.unwrap_or_default(),
                sector: names.get(&h.sector).cloned().unwrap_or(h.sector),
                deadline: h.deadline.unwrap_or_default(),
                overdue: v.overdue,
                status: v.status_label.to_string(),
                status_class: status_class(&h.status),
            }
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let nav = if q.overdue.as_deref() == Some("true") {
        "hazards_overdue"
    } else {
        "hazards"
    };
    let page = ListPage {
        chrome: Chrome::new(&pc, instance, "隐患台账", nav),
        total,
        overdue_total,
        rows,
        next: page.next,
        first_page: q.after.as_deref().unwrap_or_default().is_empty(),
        query: keep_query(&q),
        f: FilterForm {
            q: s(&q.q),
            region_code: s(&q.region_code),
            sector: s(&q.sector),
            level: s(&q.level),
            status: s(&q.status),
            source: s(&q.source),
            overdue: s(&q.overdue),
            campaign: s(&q.campaign),
            from: s(&q.from),
            to: s(&q.to),
        },
        regions,
        sectors: sectors.into_iter().map(|x| (x.code, x.name)).collect(),
        levels: levels(),
        statuses: statuses(),
        sources: sources(),
        can_create: pc.caller.hazard_scope().writable,
        error,
    };
    Ok(render(&page))
}

async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<HazardQuery>,
) -> Result<Response, PageError> {
    let format = ExportFormat::parse(q.format.as_deref().unwrap_or("xlsx")).ok_or(
        PageError::App(AppError::BadRequest("导出格式应为 xlsx 或 csv".into())),
    )?;
    let f = filter_of(&q).map_err(|e| PageError::App(AppError::BadRequest(e.message)))?;
    let caller = pc.caller.clone();
    let bytes = blocking(&state, move |app| app.export_hazards(&caller, &f, format)).await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("hazards.{}", format.ext()),
    ))
}

pub struct EventRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub status: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "hazard_detail.html")]
struct DetailPage {
    chrome: Chrome,
    h: anjian_app::records::hazards::Hazard,
    major: bool,
    status: String,
    status_class: &'static str,
    overdue: bool,
    enterprise: String,
    sector: String,
    source: String,
    deadline: String,
    funds_planned: String,
    funds_spent: String,
    campaign: String,
    closed_on: String,
    actions: Vec<(String, String)>,
    events: Vec<EventRow>,
    errors: FieldErrors,
    error_list: Vec<String>,
    attachments: Vec<anjian_app::records::hazards::Attachment>,
    can_upload: bool,
    case: Option<CasePanel>,
    docs: super::documents::DocPanel,
}

pub struct CasePanel {
    pub case: anjian_app::records::major::MajorCase,
    pub state: String,
    pub state_class: &'static str,
    pub overdue: bool,
    pub tier: &'static str,
    pub determined_on: String,
    pub closed_on: String,
    pub ledger: Vec<anjian_app::records::major::LedgerEntry>,
    pub extensions: Vec<anjian_app::records::major::Extension>,
    pub actions: Vec<(String, String)>,
}

fn action_label(a: &str) -> String {
    match a {
        "create" => "登记".into(),
        "attach" => "上传佐证材料".into(),
        other if other.starts_with("major_") => {
            anjian_domain::major::CaseAction::parse(&other[6..])
                .map(|a| format!("一单四制：{}", a.label()))
                .unwrap_or(other.to_string())
        }
        other => Action::parse(other)
            .map(|x| x.label().to_string())
            .unwrap_or(other.to_string()),
    }
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    errors: FieldErrors,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, (v, events), sectors, attachments, case, docs) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.get_hazard(&caller, id)?,
            app.list_sectors(&caller)?,
            app.hazard_attachments(&caller, id)?,
            app.major_case(&caller, id).ok(),
            app.documents(&caller, Some(("hazard", id)))?,
        ))
    })
    .await?;
    let h = v.hazard.clone();
    let status_label = |s: &str| {
        Status::parse(s)
            .map(|x| x.label())
            .unwrap_or("")
            .to_string()
    };
    let events = events
        .into_iter()
        .map(|e| {
            let data: serde_json::Value = e
                .data
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok())
                .unwrap_or_default();
            let mut note = e.note.clone();
            if let Some(d) = data.get("deadline").and_then(|d| d.as_str()) {
                let prev = data
                    .get("previous_deadline")
                    .and_then(|d| d.as_str())
                    .map(|p| format!("（原期限 {p}）"))
                    .unwrap_or_default();
                note = format!("整改期限 {d}{prev} {note}").trim().to_string();
            }
            EventRow {
                at: anjian_app::auth::local_time(&e.at),
                actor: e.actor,
                action: action_label(&e.action),
                status: match e.from_status.as_deref() {
                    Some(f) if f != e.to_status => {
                        format!("{} → {}", status_label(f), status_label(&e.to_status))
                    }
                    _ => status_label(&e.to_status),
                },
                note,
            }
        })
        .collect();
    let yuan = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let error_list = errors
        .0
        .iter()
        .filter(|(k, _)| k.as_str() != "_")
        .flat_map(|(_, m)| m.clone())
        .collect();
    let page = DetailPage {
        docs: super::documents::DocPanel::new(pc, "hazard", id, docs),
        chrome: Chrome::new(pc, instance, "隐患详情", "hazards").flash(flash),
        major: h.level == "major",
        status: v.status_label.to_string(),
        status_class: status_class(&h.status),
        overdue: v.overdue,
        enterprise: h.enterprise_name.clone().unwrap_or_default(),
        sector: sectors
            .iter()
            .find(|s| s.code == h.sector)
            .map(|s| s.name.clone())
            .unwrap_or(h.sector.clone()),
        source: v.source_label.to_string(),
        deadline: match (&h.deadline, h.deadline_basis.as_deref()) {
            (Some(d), Some("working_days")) => format!("{d}（按工作日计算）"),
            (Some(d), _) => d.clone(),
            (None, _) => "未设置".into(),
        },
        funds_planned: yuan(h.funds_planned),
        funds_spent: yuan(h.funds_spent),
        campaign: h.campaign.clone().unwrap_or_default(),
        closed_on: h.closed_on.clone().unwrap_or_default(),
        actions: v
            .allowed_actions
            .iter()
            .filter_map(|a| Action::parse(a))
            .map(|a| (a.as_str().to_string(), a.label().to_string()))
            .collect(),
        events,
        can_upload: v.allowed_actions.contains(&"note"),
        errors,
        error_list,
        attachments,
        case: case.map(|c| CasePanel {
            state: c.state_label.to_string(),
            state_class: super::major::state_class(&c.case.state),
            overdue: c.overdue,
            tier: super::major::tier_label(&c.case.tier),
            determined_on: c.case.determined_on.clone().unwrap_or_default(),
            closed_on: c.case.closed_on.clone().unwrap_or_default(),
            ledger: c.ledger,
            extensions: c
                .extensions
                .into_iter()
                .map(|mut x| {
                    x.status = match x.status.as_str() {
                        "approved" => "已批准".into(),
                        "denied" => "不予批准".into(),
                        _ => "待审批".into(),
                    };
                    x
                })
                .collect(),
            actions: c
                .allowed_actions
                .iter()
                .filter_map(|a| anjian_domain::major::CaseAction::parse(a))
                .map(|a| (a.as_str().to_string(), a.label().to_string()))
                .collect(),
            case: c.case,
        }),
        h,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    detail_page(
        &state,
        &pc,
        id,
        FieldErrors::default(),
        q.get("done").map(|_| "已办理"),
    )
    .await
}

async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let num = |k: &str| -> Result<Option<i64>, String> {
        let v = form.get(k);
        if v.is_empty() {
            Ok(None)
        } else {
            v.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{k} 应为整数"))
        }
    };
    let parsed = (|| -> Result<ActionInput, String> {
        Ok(ActionInput {
            action: form.get("action"),
            version: num("version")?,
            note: form.opt("note"),
            deadline: form.opt("deadline"),
            deadline_days: num("deadline_days")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            deadline_basis: form.opt("deadline_basis"),
            responsible_unit: form
                .0
                .iter()
                .any(|(k, _)| k == "responsible_unit")
                .then(|| form.get("responsible_unit")),
            responsible_person: form
                .0
                .iter()
                .any(|(k, _)| k == "responsible_person")
                .then(|| form.get("responsible_person")),
            measures: form
                .0
                .iter()
                .any(|(k, _)| k == "measures")
                .then(|| form.get("measures")),
            funds_planned: num("funds_planned")?,
            funds_spent: num("funds_spent")?,
            emergency_plan: form
                .0
                .iter()
                .any(|(k, _)| k == "emergency_plan")
                .then(|| form.get("emergency_plan")),
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err(m) => return detail_page(&state, &pc, id, FieldErrors::general(m), None).await,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.hazard_action(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(AppError::Validation(v)) => detail_page(&state, &pc, id, v.fields.into(), None).await,
        Err(AppError::Conflict(m)) | Err(AppError::Forbidden(m)) => {
            detail_page(&state, &pc, id, FieldErrors::general(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "hazard_form.html")]
struct FormPage {
    chrome: Chrome,
    v: HazardInput,
    enterprise_id: String,
    errors: FieldErrors,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    sources: Vec<(String, String)>,
    campaigns: Vec<(String, String)>,
}

impl FormPage {
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    v: HazardInput,
    enterprise_id: String,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, regions, sectors, campaigns) = blocking(state, move |app| {
        let campaigns = app
            .campaigns(&caller)?
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect::<Vec<_>>();
        let regions = app
            .list_regions(&caller, None, Some("village"))?
            .into_iter()
            .filter(|r| r.level == "township" || r.level == "village")
            .map(|r| {
                (
                    r.code,
                    if r.level == "village" {
                        format!("　└ {}", r.name)
                    } else {
                        r.name
                    },
                )
            })
            .collect();
        let scope = caller.hazard_scope();
        let sectors = app
            .list_sectors(&caller)?
            .into_iter()
            .filter(|s| s.active && scope.admits_sectors(&[s.code.as_str()]))
            .map(|s| (s.code, s.name))
            .collect();
        Ok((app.instance_name()?, regions, sectors, campaigns))
    })
    .await?;
    let mut sources = sources();
    if pc
        .caller
        .can(anjian_domain::scope::Permission::RegisterOwnHazardsOnly)
    {
        sources.retain(|s| s.0 == Source::SelfCheck.as_str());
    }
    let page = FormPage {
        chrome: Chrome::new(pc, instance, "登记隐患", "hazards"),
        v,
        enterprise_id,
        errors,
        regions,
        sectors,
        levels: levels(),
        sources,
        campaigns,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn new_form(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    if !pc.caller.hazard_scope().writable {
        return Err(PageError::App(AppError::Forbidden(
            "您的角色无权登记隐患".into(),
        )));
    }
    let today = state.app.clock.today().to_string();
    let ent = pc
        .caller
        .user
        .enterprise_id
        .map(|e| e.to_string())
        .unwrap_or_default();
    let source = if pc
        .caller
        .can(anjian_domain::scope::Permission::RegisterOwnHazardsOnly)
    {
        "self_check"
    } else {
        "inspection"
    };
    let v = HazardInput {
        level: "general".into(),
        source: source.into(),
        found_on: today,
        ..Default::default()
    };
    form_page(&state, &pc, v, ent, FieldErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let enterprise_id = form.get("enterprise_id");
    let v = HazardInput {
        enterprise_id: None,
        region_code: form.get("region_code"),
        sector: form.get("sector"),
        level: form.get("level"),
        source: form.get("source"),
        description: form.get("description"),
        found_on: form.get("found_on"),
        deadline: form.opt("deadline"),
        location: form.opt("location"),
        campaign: form.opt("campaign"),
        ..Default::default()
    };
    let ent = if enterprise_id.is_empty() {
        None
    } else {
        match enterprise_id.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let mut e = BTreeMap::new();
                e.insert(
                    "enterprise_id".to_string(),
                    vec!["企业编号应为数字".to_string()],
                );
                return form_page(&state, &pc, v, enterprise_id, e.into()).await;
            }
        }
    };
    let input = HazardInput {
        enterprise_id: ent,
        ..v.clone()
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_hazard(&caller, &input)).await {
        Ok(h) => Ok(see_other(&format!("/hazards/{}?done=1", h.hazard.id))),
        Err(AppError::Validation(e)) => {
            form_page(&state, &pc, v, enterprise_id, e.fields.into()).await
        }
        Err(AppError::Forbidden(m)) => {
            form_page(&state, &pc, v, enterprise_id, FieldErrors::general(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn upload(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let Ok(mp) = mp else {
        return detail_page(
            &state,
            &pc,
            id,
            FieldErrors::general("请选择要上传的文件".into()),
            None,
        )
        .await;
    };
    let (name, data, note, csrf) = match crate::files::read_upload(mp).await {
        Ok(x) => x,
        Err(e) => return detail_page(&state, &pc, id, FieldErrors::general(e.message), None).await,
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(PageError::App(AppError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        )));
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.attach_hazard_file(&caller, id, &name, data, &note)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(AppError::Validation(v)) => detail_page(&state, &pc, id, v.fields.into(), None).await,
        Err(AppError::Forbidden(m)) => {
            detail_page(&state, &pc, id, FieldErrors::general(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn download(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (att, data) = blocking(&state, move |app| app.attachment(&caller, id)).await?;
    Ok(crate::files::file_download(&att, data))
}

async fn case_act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let num = |k: &str| -> Result<Option<i64>, String> {
        let v = form.get(k);
        if v.is_empty() {
            Ok(None)
        } else {
            v.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{k} 应为整数"))
        }
    };
    let has = |k: &str| form.0.iter().any(|(key, _)| key == k).then(|| form.get(k));
    let parsed = (|| -> Result<anjian_app::major::CaseInput, String> {
        Ok(anjian_app::major::CaseInput {
            action: form.get("action"),
            version: num("version")?,
            note: has("note"),
            basis_standard: has("basis_standard"),
            basis_clause: has("basis_clause"),
            determined_by: has("determined_by"),
            tier: has("tier"),
            assignment_no: has("assignment_no"),
            assigning_unit: has("assigning_unit"),
            coordinating_supervisor: has("coordinating_supervisor"),
            deadline: form.opt("deadline"),
            responsible_unit: has("responsible_unit"),
            responsible_person: has("responsible_person"),
            measures: has("measures"),
            funds_planned: num("funds_planned")?,
            emergency_plan: has("emergency_plan"),
            progress: num("progress")?,
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err(m) => return detail_page(&state, &pc, id, FieldErrors::general(m), None).await,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.major_action(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}?done=1"))),
        Err(AppError::Validation(v)) => detail_page(&state, &pc, id, v.fields.into(), None).await,
        Err(AppError::Conflict(m)) | Err(AppError::Forbidden(m)) => {
            detail_page(&state, &pc, id, FieldErrors::general(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}
