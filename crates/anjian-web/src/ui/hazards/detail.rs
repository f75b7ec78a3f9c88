//! A hazard's page: its record, timeline, files, documents and 一单四制 case panel.

use super::status_class;
use crate::extract::{PageCaller, PageId};
use crate::ui::{Chrome, Kept, render_refused};
use crate::{AppState, PageError, blocking};
use anjian_domain::hazard::{Action, Status};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::BTreeMap;

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
    /// Awaiting review: the rectification's report day and the review's last day.
    reported_on: String,
    review_due: String,
    review_overdue: bool,
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
    kept: Kept,
    attachments: Vec<anjian_app::records::hazards::Attachment>,
    can_upload: bool,
    /// Reporting completion still needs an evidence file (the county's setting).
    evidence_required: bool,
    case: Option<CasePanel>,
    docs: crate::ui::documents::DocPanel,
    /// Whom to notify about this hazard (regulators only).
    chain: Vec<anjian_app::emergency::chain::ChainContact>,
    /// Its dispatches (一键调度) and the link that sends one.
    dispatch: crate::ui::dispatch::DispatchPanel,
    /// Its point as shown (with 不在任何乡镇边界内 when so); empty when not recorded.
    point: String,
    /// The online-monitoring alarms it was registered from (在线监测报警转隐患).
    alarms: Vec<anjian_app::monitoring::AlarmView>,
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

pub(crate) async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let dispatch = crate::ui::dispatch::DispatchPanel::load(state, pc, "hazard", id).await?;
    let (
        instance,
        (v, events),
        sectors,
        mut attachments,
        case,
        docs,
        evidence,
        (chain, point, alarms),
    ) = blocking(state, move |app| {
        let hazard = app.get_hazard(&caller, id)?;
        let point = app.point_text(
            &caller,
            hazard.0.hazard.lng_micro,
            hazard.0.hazard.lat_micro,
        )?;
        let chain = if caller.can(anjian_domain::scope::Permission::ViewCountyWork) {
            let h = &hazard.0.hazard;
            app.notify_chain(
                &caller,
                &anjian_app::emergency::chain::ChainQuery {
                    region: h.region_code.clone(),
                    sector: h.sector.clone(),
                    enterprise_id: h.enterprise_id,
                },
            )?
        } else {
            Vec::new()
        };
        Ok((
            app.instance_name()?,
            hazard,
            app.list_sectors(&caller)?,
            app.hazard_attachments(&caller, id)?,
            app.major_case(&caller, id).ok(),
            app.documents(&caller, Some(("hazard", id)))?,
            app.report_requires_evidence()?,
            (chain, point, app.alarms_of_hazard(&caller, id)?),
        ))
    })
    .await?;
    // Upload times in local time, as every page shows time.
    for a in &mut attachments {
        a.uploaded_at = anjian_app::auth::local_time(&a.uploaded_at);
    }
    // The timeline names people as the county knows them (display names, not accounts).
    let caller = pc.caller.clone();
    let names = blocking(state, move |app| app.user_names(&caller)).await?;
    let h = v.hazard.clone();
    let status_label = |s: &str| {
        Status::parse(s)
            .map(|x| x.label())
            .unwrap_or("")
            .to_string()
    };
    let mut events: Vec<EventRow> = events
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
                actor: e
                    .actor_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or(e.actor),
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
    // Each dispatch is part of the hazard's timeline.
    for d in &dispatch.list {
        events.push(EventRow {
            at: anjian_app::auth::local_time(&d.created_at),
            actor: d.created_by_name.clone(),
            action: "一键调度".into(),
            status: format!("已确认 {}/{} 人", d.confirmed, d.notified),
            note: d.title.clone(),
        });
    }
    events.sort_by(|a, b| a.at.cmp(&b.at));
    let yuan = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let page = DetailPage {
        docs: crate::ui::documents::DocPanel::new(pc, "hazard", id, docs)
            .today(state.app.clock.today()),
        chrome: Chrome::new(pc, instance, "隐患详情", "hazards").flash(flash),
        major: h.level == anjian_domain::hazard::Level::Major,
        status: v.status_label.to_string(),
        status_class: status_class(h.status.as_str()),
        overdue: v.overdue,
        reported_on: h.reported_on.map(|d| d.to_string()).unwrap_or_default(),
        review_due: v.review_due.clone().unwrap_or_default(),
        review_overdue: v.review_overdue,
        enterprise: h.enterprise_name.clone().unwrap_or_default(),
        sector: sectors
            .iter()
            .find(|s| s.code == h.sector)
            .map(|s| s.name.clone())
            .unwrap_or(h.sector.clone()),
        source: v.source_label.to_string(),
        deadline: match (&h.deadline, h.deadline_basis.as_deref()) {
            (Some(d), Some("working_days")) => format!("{d}（按工作日计算）"),
            (Some(d), _) => d.to_string(),
            (None, _) => "未设置".into(),
        },
        funds_planned: yuan(h.funds_planned),
        funds_spent: yuan(h.funds_spent),
        campaign: h.campaign.clone().unwrap_or_default(),
        closed_on: h.closed_on.map(|d| d.to_string()).unwrap_or_default(),
        actions: v
            .allowed_actions
            .iter()
            .filter_map(|a| Action::parse(a))
            .map(|a| (a.as_str().to_string(), a.label().to_string()))
            .collect(),
        events,
        can_upload: v.allowed_actions.contains(&"note"),
        evidence_required: evidence && attachments.is_empty(),
        chain,
        dispatch,
        point,
        alarms,
        kept,
        attachments,
        case: case.map(|c| CasePanel {
            state: c.state_label.to_string(),
            state_class: crate::ui::major::state_class(c.case.state.as_str()),
            overdue: c.overdue,
            tier: crate::ui::major::tier_label(&c.case.tier),
            determined_on: c
                .case
                .determined_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            closed_on: c.case.closed_on.map(|d| d.to_string()).unwrap_or_default(),
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
    Ok(render_refused(&page, page.kept.is_refused()))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    detail_page(
        &state,
        &pc,
        id,
        Kept::none(),
        q.get("done").map(|_| "已办理"),
    )
    .await
}
