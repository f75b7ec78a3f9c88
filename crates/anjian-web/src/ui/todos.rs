use super::{Chrome, render};
use crate::extract::PageCaller;
use crate::{AppState, PageError, blocking};
use anjian_app::hazards::HazardView;
use anjian_app::records::todos::Notice;
use anjian_domain::hazard::Action;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/todos", get(page))
}

pub struct Item {
    pub id: i64,
    pub description: String,
    pub region: String,
    pub enterprise: String,
    pub deadline: String,
    pub overdue: bool,
    /// Awaiting review: the review's last day, and whether it has passed (复查逾期).
    pub review_due: String,
    pub review_overdue: bool,
    pub status: String,
    pub actions: String,
}

#[derive(Template)]
#[template(path = "todos.html")]
struct TodosPage {
    chrome: Chrome,
    within: i64,
    awaiting: Vec<Item>,
    due_soon: Vec<Item>,
    overdue: Vec<Item>,
    sections: Vec<(&'static str, Vec<Item>)>,
    notices: Vec<Notice>,
    case_steps: Vec<(i64, String, String)>,
    transfer_steps: Vec<(i64, String, String)>,
    calendar_gaps: Vec<String>,
    soon_steps: Vec<(i64, String, String)>,
    investigations: Vec<anjian_app::todos::InvestigationTodo>,
    campaign_reports: Vec<anjian_app::campaigns::CampaignReportTodo>,
    certificates: Vec<anjian_app::training::certificates::CertificateTodo>,
    resource_checks: Vec<anjian_app::emergency::ResourceCheckTodo>,
    alarms: Vec<anjian_app::monitoring::AlarmView>,
}

fn item(v: &HazardView) -> Item {
    let h = &v.hazard;
    Item {
        id: h.id,
        description: h.description.chars().take(50).collect(),
        region: h.region_name.clone(),
        enterprise: h.enterprise_name.clone().unwrap_or_default(),
        deadline: h.deadline.map(|d| d.to_string()).unwrap_or_default(),
        overdue: v.overdue,
        review_due: v.review_due.clone().unwrap_or_default(),
        review_overdue: v.review_overdue,
        status: v.status_label.to_string(),
        actions: v
            .allowed_actions
            .iter()
            .filter_map(|a| Action::parse(a))
            .filter(|a| !matches!(a, Action::Note))
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join("、"),
    }
}

async fn page(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let within = anjian_app::todos::DUE_SOON_DAYS;
    let (instance, t) = blocking(&state, move |app| {
        Ok((app.instance_name()?, app.todos(&caller, within)?))
    })
    .await?;
    let awaiting: Vec<Item> = t.awaiting.iter().map(item).collect();
    let due_soon: Vec<Item> = t.due_soon.iter().map(item).collect();
    let overdue: Vec<Item> = t.overdue.iter().map(item).collect();
    let sections = vec![
        ("待我办理", t.awaiting.iter().map(item).collect()),
        ("即将到期", t.due_soon.iter().map(item).collect()),
        ("已逾期", t.overdue.iter().map(item).collect()),
        ("复查逾期", t.review_overdue.iter().map(item).collect()),
    ];
    let page = TodosPage {
        chrome: Chrome::new(&pc, instance, "我的待办", "todos"),
        within,
        awaiting,
        due_soon,
        overdue,
        sections,
        notices: t.notices,
        case_steps: t.overdue_case_steps,
        transfer_steps: t.overdue_transfer_steps,
        soon_steps: t.due_soon_case_steps,
        calendar_gaps: t.calendar_gaps,
        investigations: t.investigations,
        campaign_reports: t.campaign_reports,
        certificates: t.certificates,
        resource_checks: t.resource_checks,
        alarms: t.alarms,
    };
    Ok(render(&page))
}
