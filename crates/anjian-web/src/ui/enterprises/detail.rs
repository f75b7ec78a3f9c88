//! An enterprise's page: its record, licences and change history.

use super::risk_label;
use crate::extract::{PageCaller, PageId};
use crate::ui::{Chrome, render};
use crate::{AppState, PageError, blocking};
use anjian_app::enterprises::redact;
use anjian_app::records::audit::AuditEntry;
use anjian_app::records::enterprises::Enterprise;
use anjian_domain::enterprise::{EnterpriseStatus, LicenceState, RISK_GRADES};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::{BTreeMap, HashMap};

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

pub struct LicenceView {
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub period: String,
    pub state: String,
    pub state_class: &'static str,
}

/// A row of the enterprise's hazards (一企一档).
pub struct HazardRow {
    pub id: i64,
    pub found_on: String,
    pub description: String,
    pub level: &'static str,
    pub status: &'static str,
    pub deadline: String,
    pub overdue: bool,
}

/// A row of the inspections of the enterprise.
pub struct InspectionRow {
    pub id: i64,
    pub on: String,
    pub kind: String,
    pub inspectors: String,
    pub summary: String,
}

/// A row of the enforcement documents addressed to the enterprise.
pub struct DocumentRow {
    pub id: i64,
    pub doc_no: String,
    pub title: String,
    pub issued_on: String,
    pub served_on: String,
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
    /// Licences past or near their expiry, as a warning line.
    licence_warnings: Vec<String>,
    hazards: Vec<HazardRow>,
    hazards_open: usize,
    hazards_overdue: usize,
    inspections: Vec<InspectionRow>,
    /// The documents addressed to the enterprise (shown to the enterprise itself, whose
    /// scope is its own records).
    documents: Option<Vec<DocumentRow>>,
    history: Vec<HistoryView>,
    can_edit: bool,
    /// The enterprise's risk grade (absent for a caller who may not read it).
    risk_grade: Option<crate::ui::risk_steering::Section>,
    /// 东经…，北纬… (and 不在任何乡镇边界内 when so); empty when not recorded.
    place: String,
}

/// How many of the latest hazards and inspections the record page lists.
const RECENT: i64 = 20;

const FIELD_LABELS: [(&str, &str); 22] = [
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
    ("lng_micro", "经度（百万分之一度）"),
    ("lat_micro", "纬度（百万分之一度）"),
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
        "enterprise_risk_grade.override" => "认定风险等级",
        "enterprise_risk_grade.clear" => "取消风险等级认定",
        other => other,
    };
    HistoryView {
        at: anjian_app::auth::local_time(&h.at),
        actor: h.actor.clone(),
        action: action.to_string(),
        changes,
    }
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(flash): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let own = pc.caller.user.enterprise_id == Some(id);
    let (instance, e, history, names, deps, region_path, place) = blocking(&state, move |app| {
        let e = app.get_enterprise(&caller, id)?;
        let place = app.point_text(&caller, e.lng_micro, e.lat_micro)?;
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
            place,
        ))
    })
    .await?;
    // 一企一档: the enterprise's hazards, inspections and (for the enterprise itself) the
    // documents addressed to it, each read in the caller's own scope.
    let caller = pc.caller.clone();
    let (recent, open, overdue, inspections, documents, risk_grade) =
        blocking(&state, move |app| {
            let f = |overdue: Option<bool>, open: bool, limit: i64| {
                anjian_app::records::hazards::HazardFilter {
                    enterprise_id: Some(id),
                    overdue,
                    statuses: if open {
                        ["registered", "ordered", "rectifying", "reported"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect()
                    } else {
                        vec![]
                    },
                    limit,
                    ..Default::default()
                }
            };
            let recent = app.list_hazards(&caller, &f(None, false, RECENT))?.items;
            let (open, overdue) = app.count_hazards_and_overdue(&caller, &f(None, true, 1))?;
            let mut inspections = app.inspections(&caller, Some(id))?;
            inspections.truncate(RECENT as usize);
            let documents = if own {
                Some(app.documents(&caller, None)?)
            } else {
                None
            };
            let risk = app
                .enterprise_risk_grade(&caller, id)
                .ok()
                .map(|d| crate::ui::risk_steering::section(&d));
            Ok((recent, open, overdue, inspections, documents, risk))
        })
        .await?;
    let hazards: Vec<HazardRow> = recent
        .into_iter()
        .map(|h| HazardRow {
            id: h.hazard.id,
            found_on: h.hazard.found_on.to_string(),
            description: h.hazard.description.chars().take(60).collect(),
            level: h.level_label,
            status: h.status_label,
            deadline: h.hazard.deadline.map(|d| d.to_string()).unwrap_or_default(),
            overdue: h.overdue,
        })
        .collect();
    let inspections: Vec<InspectionRow> = inspections
        .into_iter()
        .map(|i| InspectionRow {
            id: i.id,
            on: i.inspected_on.to_string(),
            kind: crate::ui::inspections::kind_label(&i.kind).to_string(),
            inspectors: crate::ui::inspections::people(&i),
            summary: i.summary.chars().take(60).collect(),
        })
        .collect();
    let documents = documents.map(|ds| {
        ds.into_iter()
            .filter(|d| d.enterprise_id == Some(id))
            .map(|d| DocumentRow {
                id: d.id,
                doc_no: d.doc_no,
                title: d.title,
                issued_on: d.issued_on.to_string(),
                served_on: d.served_on.map(|s| s.to_string()).unwrap_or_default(),
            })
            .collect()
    });
    let can_edit = pc.caller.enterprise_write_scope().writable
        && pc
            .caller
            .enterprise_write_scope()
            .admits(&e.region_code, &e.sectors, Some(e.id));
    let e = redact(e, can_edit);
    let today = state.app.clock.today();
    let licence_warnings: Vec<String> = e
        .licences
        .iter()
        .filter_map(|l| match (l.state_on(today), l.valid_to) {
            (LicenceState::Expired, Some(to)) => Some(format!(
                "{}（{}）已于 {to} 过期，请及时办理延续",
                l.kind, l.number
            )),
            (LicenceState::Expiring, Some(to)) => Some(format!(
                "{}（{}）将于 {to} 到期，请提前办理延续",
                l.kind, l.number
            )),
            _ => None,
        })
        .collect();
    let licences = e
        .licences
        .iter()
        .map(|l| {
            let (state_label, class) = match l.state_on(today) {
                LicenceState::Expired => ("已过期", "red"),
                LicenceState::Expiring => ("即将到期", "orange"),
                LicenceState::Valid => ("有效", "green"),
                LicenceState::Permanent => ("长期", "blue"),
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
        place,
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
        licence_warnings,
        hazards,
        hazards_open: usize::try_from(open).unwrap_or(0),
        hazards_overdue: usize::try_from(overdue).unwrap_or(0),
        inspections,
        documents,
        history: {
            let dep_names: HashMap<i64, String> =
                deps.iter().map(|d| (d.id, d.short_name.clone())).collect();
            history
                .iter()
                .map(|h| history_view(h, &names, &dep_names))
                .collect()
        },
        can_edit,
        risk_grade,
        e,
    };
    Ok(render(&page))
}
