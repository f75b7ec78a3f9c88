use super::{Chrome, render, see_other, urlencode};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::query::{ListQuery, enterprise_filter_of as filter_of};
use crate::{AppState, PageError, blocking};
use anjian_app::enterprises::redact;
use anjian_app::export::ExportFormat;
use anjian_app::records::audit::AuditEntry;
use anjian_app::records::enterprises::Enterprise;
use anjian_app::{AppError, Caller};
use anjian_domain::enterprise::{EnterpriseInput, EnterpriseStatus, LicenceInput, RISK_GRADES};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::{BTreeMap, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list))
        .route("/enterprises/export", get(export))
        .route("/enterprises/new", get(new_form).post(create))
        .route("/enterprises/{id}", get(detail))
        .route("/enterprises/{id}/edit", get(edit_form).post(update))
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub region: String,
    pub sectors: Vec<String>,
    pub risk: String,
    pub risk_class: String,
    pub status: String,
    pub status_class: &'static str,
    pub is_key: bool,
    pub above_scale: bool,
}

#[derive(Template)]
#[template(path = "enterprises_list.html")]
struct ListPage {
    chrome: Chrome,
    total: i64,
    rows: Vec<Row>,
    next: Option<String>,
    first_page: bool,
    query: String,
    q: String,
    region_code: String,
    sector: String,
    status: String,
    is_key: String,
    above_scale: String,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    can_edit: bool,
    can_export: bool,
    error: Option<String>,
}

fn statuses() -> Vec<(String, String)> {
    [
        EnterpriseStatus::Operating,
        EnterpriseStatus::Suspended,
        EnterpriseStatus::Closed,
    ]
    .iter()
    .map(|s| (s.as_str().to_string(), s.label().to_string()))
    .collect()
}

fn status_class(s: &str) -> &'static str {
    match s {
        "operating" => "green",
        "suspended" => "orange",
        _ => "grey",
    }
}

fn risk_label(g: &Option<String>) -> (String, String) {
    match g
        .as_deref()
        .and_then(|g| RISK_GRADES.iter().find(|(k, _)| *k == g))
    {
        Some((k, l)) => (l.to_string(), k.to_string()),
        None => (String::new(), String::new()),
    }
}

/// Township and village options in the caller's scope, indented under their township.
fn region_options(
    app: &anjian_app::App,
    caller: &Caller,
    villages: bool,
) -> anjian_app::Result<Vec<(String, String)>> {
    let level = if villages { "village" } else { "township" };
    Ok(app
        .list_regions(caller, None, Some(level))?
        .into_iter()
        .filter(|r| r.level == "township" || r.level == "village")
        .map(|r| {
            let label = if r.level == "village" {
                format!("　└ {}", r.name)
            } else {
                r.name
            };
            (r.code, label)
        })
        .collect())
}

fn sector_names(
    app: &anjian_app::App,
    caller: &anjian_app::Caller,
) -> anjian_app::Result<HashMap<String, String>> {
    Ok(app
        .list_sectors(caller)?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect())
}

/// The list query without the cursor, for links that keep the filters.
fn keep_query(q: &ListQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("q", &q.q),
        ("region_code", &q.region_code),
        ("sector", &q.sector),
        ("status", &q.status),
        ("is_key", &q.is_key),
        ("above_scale", &q.above_scale),
    ] {
        if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    }
    parts.join("&")
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let filter = filter_of(&q);
    let (error, filter) = match filter {
        Ok(f) => (None, f),
        Err(e) => (
            Some(e.message),
            anjian_app::records::enterprises::EnterpriseFilter {
                limit: 50,
                ..Default::default()
            },
        ),
    };
    let (instance, total, page, regions, sectors) = blocking(&state, move |app| {
        let page = app.list_enterprises(&caller, &filter)?;
        let total = app.count_enterprises(&caller, &filter)?;
        Ok((
            app.instance_name()?,
            total,
            page,
            region_options(app, &caller, false)?,
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
        .map(|e| {
            let (risk, risk_class) = risk_label(&e.risk_grade);
            Row {
                id: e.id,
                region: e.region_name.clone(),
                sectors: e
                    .sectors
                    .iter()
                    .map(|s| names.get(s).cloned().unwrap_or(s.clone()))
                    .collect(),
                risk,
                risk_class,
                status: EnterpriseStatus::parse(&e.status)
                    .map(|s| s.label().to_string())
                    .unwrap_or(e.status.clone()),
                status_class: status_class(&e.status),
                is_key: e.is_key,
                above_scale: e.above_scale,
                name: e.name,
                uscc: e.uscc,
            }
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let page = ListPage {
        chrome: Chrome::new(&pc, instance, "企业信息库", "enterprises"),
        total,
        rows,
        next: page.next,
        first_page: q.after.as_deref().unwrap_or_default().is_empty(),
        query: keep_query(&q),
        q: s(&q.q),
        region_code: s(&q.region_code),
        sector: s(&q.sector),
        status: s(&q.status),
        is_key: s(&q.is_key),
        above_scale: s(&q.above_scale),
        regions,
        sectors: sectors.into_iter().map(|s| (s.code, s.name)).collect(),
        statuses: statuses(),
        can_edit: pc.caller.enterprise_write_scope().writable,
        can_export: pc.caller.can(Permission::ExportEnterprises),
        error,
    };
    Ok(render(&page))
}

async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let format = ExportFormat::parse(q.format.as_deref().unwrap_or("xlsx")).ok_or(
        PageError::App(AppError::BadRequest("导出格式应为 xlsx 或 csv".into())),
    )?;
    let f = filter_of(&q).map_err(|e| PageError::App(AppError::BadRequest(e.message)))?;
    let caller = pc.caller.clone();
    let bytes = blocking(&state, move |app| {
        app.export_enterprises(&caller, &f, format)
    })
    .await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("enterprises.{}", format.ext()),
    ))
}

pub struct LicenceView {
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub period: String,
    pub state: String,
    pub state_class: &'static str,
}

pub struct HistoryView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "enterprise_detail.html")]
struct DetailPage {
    chrome: Chrome,
    e: Enterprise,
    status: String,
    region_path: String,
    industry: String,
    sectors: Vec<String>,
    departments: Vec<String>,
    risk: String,
    legal_rep: String,
    principal: String,
    id_no: String,
    created: String,
    updated: String,
    licences: Vec<LicenceView>,
    history: Vec<HistoryView>,
    can_edit: bool,
}

const FIELD_LABELS: [(&str, &str); 20] = [
    ("name", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("uscc_warning", "校验位例外"),
    ("region_code", "所属区划"),
    ("region_name", "区划名称"),
    ("address", "地址"),
    ("industry_code", "行业代码"),
    ("above_scale", "规模以上"),
    ("is_key", "重点企业"),
    ("legal_rep", "法定代表人"),
    ("legal_rep_phone", "法定代表人电话"),
    ("principal", "主要负责人"),
    ("principal_phone", "主要负责人电话"),
    ("principal_id_no", "主要负责人身份证号"),
    ("status", "经营状态"),
    ("risk_grade", "风险等级"),
    ("sectors", "行业领域"),
    ("department_ids", "监管部门"),
    ("licences", "许可证照"),
    ("warning", "说明"),
];

fn show_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        serde_json::Value::Array(a) if a.iter().all(|x| x.is_string() || x.is_number()) => {
            a.iter().map(show_value).collect::<Vec<_>>().join("、")
        }
        other => other.to_string(),
    }
}

/// Codes in a history value shown as the names a user knows.
fn translate(
    key: &str,
    v: &serde_json::Value,
    sectors: &HashMap<String, String>,
    deps: &HashMap<i64, String>,
) -> String {
    match (key, v) {
        ("status", serde_json::Value::String(s)) => EnterpriseStatus::parse(s)
            .map(|x| x.label().to_string())
            .unwrap_or(s.clone()),
        ("risk_grade", serde_json::Value::String(s)) => RISK_GRADES
            .iter()
            .find(|(k, _)| k == s)
            .map(|(_, l)| l.to_string())
            .unwrap_or(s.clone()),
        ("sectors", serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(|c| sectors.get(c).cloned().unwrap_or(c.to_string()))
            .collect::<Vec<_>>()
            .join("、"),
        ("department_ids", serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_i64())
            .map(|d| deps.get(&d).cloned().unwrap_or(d.to_string()))
            .collect::<Vec<_>>()
            .join("、"),
        ("licences", serde_json::Value::Array(a)) => a
            .iter()
            .map(|l| {
                format!(
                    "{} {}",
                    l["kind"].as_str().unwrap_or_default(),
                    l["number"].as_str().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("、"),
        _ => show_value(v),
    }
}

pub fn history_view(
    h: &AuditEntry,
    sectors: &HashMap<String, String>,
    deps: &HashMap<i64, String>,
) -> HistoryView {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .unwrap_or(serde_json::Value::Null)
    };
    let before = parse(&h.before);
    let after = parse(&h.after);
    let mut changes = Vec::new();
    for (key, label) in FIELD_LABELS {
        let b = before.get(key).cloned().unwrap_or(serde_json::Value::Null);
        let a = after.get(key).cloned().unwrap_or(serde_json::Value::Null);
        if a != b && !(h.action == "enterprise.create" && a.is_null()) && key != "region_name" {
            changes.push((
                label.to_string(),
                translate(key, &b, sectors, deps),
                translate(key, &a, sectors, deps),
            ));
        }
    }
    let action = match h.action.as_str() {
        "enterprise.create" => "登记",
        "enterprise.update" => "修改",
        "enterprise.uscc_override" => "校验位例外",
        other => other,
    };
    HistoryView {
        at: anjian_app::auth::local_time(&h.at),
        actor: h.actor.clone(),
        action: action.to_string(),
        changes,
    }
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(flash): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, e, history, names, deps, region_path) = blocking(&state, move |app| {
        let e = app.get_enterprise(&caller, id)?;
        let history = app.enterprise_history(&caller, id)?;
        let deps = app.all_departments(&caller)?;
        let path = app.region_path(&caller, &e.region_code)?;
        Ok((
            app.instance_name()?,
            e,
            history,
            sector_names(app, &caller)?,
            deps,
            path.join(" / "),
        ))
    })
    .await?;
    let can_edit = pc.caller.enterprise_write_scope().writable
        && pc
            .caller
            .enterprise_write_scope()
            .admits(&e.region_code, &e.sectors, Some(e.id));
    let e = redact(e, can_edit);
    let today = state.app.clock.today();
    let licences = e
        .licences
        .iter()
        .map(|l| {
            let (state_label, class) = match l.valid_to {
                Some(to) if to < today => ("已过期", "red"),
                Some(to) if to < today + chrono::Duration::days(90) => ("即将到期", "orange"),
                Some(_) => ("有效", "green"),
                None => ("长期", "blue"),
            };
            LicenceView {
                kind: l.kind.clone(),
                number: l.number.clone(),
                issuer: l.issuer.clone().unwrap_or_default(),
                period: format!(
                    "{} 至 {}",
                    l.valid_from.map(|d| d.to_string()).unwrap_or_default(),
                    l.valid_to.map(|d| d.to_string()).unwrap_or("长期".into())
                ),
                state: state_label.into(),
                state_class: class,
            }
        })
        .collect();
    let with_phone = |n: &Option<String>, p: &Option<String>| match (n, p) {
        (Some(n), Some(p)) => format!("{n}（{p}）"),
        (Some(n), None) => n.clone(),
        _ => String::new(),
    };
    let flash = flash.get("saved").map(|_| "已保存");
    let page = DetailPage {
        chrome: Chrome::new(&pc, instance, "企业详情", "enterprises").flash(flash),
        status: EnterpriseStatus::parse(&e.status)
            .map(|s| s.label().to_string())
            .unwrap_or(e.status.clone()),
        region_path,
        industry: e
            .industry_code
            .as_deref()
            .map(|c| {
                format!(
                    "{c} {}",
                    c.chars()
                        .next()
                        .and_then(anjian_domain::industry::section)
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        sectors: e
            .sectors
            .iter()
            .map(|s| names.get(s).cloned().unwrap_or(s.clone()))
            .collect(),
        departments: e
            .department_ids
            .iter()
            .filter_map(|d| deps.iter().find(|x| x.id == *d))
            .map(|d| d.name.clone())
            .collect(),
        risk: risk_label(&e.risk_grade).0,
        legal_rep: with_phone(&e.legal_rep, &e.legal_rep_phone),
        principal: with_phone(&e.principal, &e.principal_phone),
        id_no: e.principal_id_no.clone().unwrap_or_default(),
        created: anjian_app::auth::local_time(&e.created_at),
        updated: anjian_app::auth::local_time(&e.updated_at),
        licences,
        history: {
            let dep_names: HashMap<i64, String> =
                deps.iter().map(|d| (d.id, d.short_name.clone())).collect();
            history
                .iter()
                .map(|h| history_view(h, &names, &dep_names))
                .collect()
        },
        can_edit,
        e,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "enterprise_form.html")]
struct FormPage {
    chrome: Chrome,
    action: String,
    cancel: String,
    version: String,
    v: EnterpriseInput,
    errors: super::FieldErrors,
    summary: String,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    departments: Vec<(i64, String)>,
    statuses: Vec<(String, String)>,
    grades: Vec<(String, String)>,
    licence_rows: Vec<(usize, LicenceInput, String, String, String, String)>,
}

impl FormPage {
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    v: EnterpriseInput,
    errors: super::FieldErrors,
    id: Option<i64>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, regions, sectors, departments) = blocking(state, move |app| {
        let sectors: Vec<(String, String)> = app
            .list_sectors(&caller)?
            .into_iter()
            .filter(|s| {
                s.active
                    && caller
                        .enterprise_write_scope()
                        .admits_sectors(&[s.code.as_str()])
            })
            .map(|s| (s.code, s.name))
            .collect();
        let deps = app
            .list_departments(&caller)?
            .into_iter()
            .filter(|d| d.has_supervision_duty)
            .map(|d| (d.id, d.short_name))
            .collect();
        Ok((
            app.instance_name()?,
            region_options(app, &caller, true)?,
            sectors,
            deps,
        ))
    })
    .await?;
    let mut licences = v.licences.clone();
    licences.push(LicenceInput::default());
    let licence_rows = licences
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            (
                i,
                l,
                format!("licences[{i}].kind"),
                format!("licences[{i}].number"),
                format!("licences[{i}].valid_from"),
                format!("licences[{i}].valid_to"),
            )
        })
        .collect();
    let title = if id.is_some() {
        "编辑企业信息"
    } else {
        "登记企业"
    };
    let page = FormPage {
        chrome: Chrome::new(pc, instance, title, "enterprises"),
        action: id
            .map(|i| format!("/enterprises/{i}/edit"))
            .unwrap_or("/enterprises/new".into()),
        cancel: id
            .map(|i| format!("/enterprises/{i}"))
            .unwrap_or("/enterprises".into()),
        version: v.version.map(|x| x.to_string()).unwrap_or_default(),
        summary: errors.summary(),
        v,
        errors,
        regions,
        sectors,
        departments,
        statuses: statuses(),
        grades: RISK_GRADES
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        licence_rows,
    };
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

fn require_edit(pc: &PageCaller) -> Result<(), PageError> {
    if pc.caller.enterprise_write_scope().writable {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden(
            "您的角色无权登记或修改企业信息".into(),
        )))
    }
}

async fn new_form(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    require_edit(&pc)?;
    form_page(
        &state,
        &pc,
        EnterpriseInput {
            status: Some("operating".into()),
            ..Default::default()
        },
        Default::default(),
        None,
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    require_edit(&pc)?;
    let caller = pc.caller.clone();
    let e = blocking(&state, move |app| app.get_enterprise(&caller, id)).await?;
    form_page(
        &state,
        &pc,
        anjian_app::enterprises::to_input(&e),
        Default::default(),
        Some(id),
    )
    .await
}

fn input_from_form(f: &FormPairs) -> EnterpriseInput {
    let mut licences = Vec::new();
    for i in 0..50 {
        let g = |k: &str| f.get(&format!("licences[{i}].{k}"));
        if !f
            .0
            .iter()
            .any(|(k, _)| k.starts_with(&format!("licences[{i}].")))
        {
            break;
        }
        let l = LicenceInput {
            kind: g("kind"),
            number: g("number"),
            issuer: Some(g("issuer")),
            valid_from: Some(g("valid_from")),
            valid_to: Some(g("valid_to")),
        };
        if !(l.kind.is_empty() && l.number.is_empty()) {
            licences.push(l);
        }
    }
    EnterpriseInput {
        name: f.get("name"),
        uscc: f.get("uscc"),
        uscc_override: f.flag("uscc_override"),
        region_code: f.get("region_code"),
        address: f.get("address"),
        sector: None,
        sectors: f.all("sectors"),
        industry_code: f.opt("industry_code"),
        department_ids: f
            .all("department_ids")
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect(),
        above_scale: f.flag("above_scale"),
        is_key: f.flag("is_key"),
        legal_rep: f.opt("legal_rep"),
        legal_rep_phone: f.opt("legal_rep_phone"),
        principal: f.opt("principal"),
        principal_phone: f.opt("principal_phone"),
        principal_id_no: f.opt("principal_id_no"),
        status: f.opt("status"),
        risk_grade: f.opt("risk_grade"),
        licences,
        version: f.get("version").parse().ok(),
    }
}

async fn save(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = input_from_form(&form);
    if form
        .all("department_ids")
        .iter()
        .any(|d| d.parse::<i64>().is_err())
    {
        return form_page(
            &state,
            &pc,
            input,
            super::FieldErrors::general("监管部门参数无效，请刷新页面后重试".into()),
            id,
        )
        .await;
    }
    let caller = pc.caller.clone();
    let i2 = input.clone();
    let result = blocking(&state, move |app| match id {
        Some(id) => app.update_enterprise(&caller, id, &i2),
        None => app.create_enterprise(&caller, &i2),
    })
    .await;
    match result {
        Ok(e) => Ok(see_other(&format!("/enterprises/{}?saved=1", e.id))),
        Err(AppError::Validation(v)) => form_page(&state, &pc, input, v.fields.into(), id).await,
        Err(AppError::Forbidden(m)) => {
            let mut errors = BTreeMap::new();
            errors.insert("_".to_string(), vec![m]);
            let mut res = form_page(&state, &pc, input, errors.into(), id).await?;
            *res.status_mut() = axum::http::StatusCode::FORBIDDEN;
            Ok(res)
        }
        Err(AppError::Conflict(m)) => {
            let mut errors = BTreeMap::new();
            errors.insert("_".to_string(), vec![m]);
            let mut res = form_page(&state, &pc, input, errors.into(), id).await?;
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_edit(&pc)?;
    save(state, pc, form, None).await
}

async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    require_edit(&pc)?;
    save(state, pc, form, Some(id))
        .await
        .map(IntoResponse::into_response)
}
