//! 包片包线: the leaders' areas by leader, by township and by sector as of a day, the
//! assignment form (安委办), the leader pages, the ledger and its import.

mod detail;
mod form;

use super::{Chrome, Kept, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::leaders::{AssignmentDraft, AssignmentQuery, AssignmentView};
use anjian_domain::leader::AreaKind;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/leaders", get(list).post(assign))
        .route(
            "/leaders/new",
            get(form::new_leader).post(form::create_leader),
        )
        .route("/leaders/{id}", get(detail::leader))
        .route(
            "/leaders/{id}/edit",
            get(form::edit_leader).post(form::update_leader),
        )
        .route("/leader-assignments/{id}/end", post(detail::end))
        .route(
            "/leaders/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// One target and who answers for it.
pub struct Line {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub leader_id: i64,
    pub leader: String,
    pub basis: String,
    pub period: String,
}

impl From<AssignmentView> for Line {
    fn from(v: AssignmentView) -> Self {
        Self {
            period: v.period(),
            id: v.assignment.id,
            kind: v.kind_label,
            target: v.target_name,
            leader_id: v.assignment.leader_id,
            leader: format!("{}（{}）", v.leader_name, v.leader_post),
            basis: v.assignment.basis,
        }
    }
}

/// A leader and his areas on the day.
pub struct LeaderGroup {
    pub id: i64,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub active: bool,
    pub lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "leaders.html")]
struct LeadersPage {
    chrome: Chrome,
    view: String,
    as_of: String,
    groups: Vec<LeaderGroup>,
    lines: Vec<Line>,
    /// Targets of the view with nobody on the day.
    uncovered: Vec<String>,
    leaders: Vec<(i64, String)>,
    townships: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    can_manage: bool,
    kept: Kept,
    today: String,
}

/// The list page's query: `view` (leader, township, sector) and `as_of`.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct LeadersQuery {
    view: Option<String>,
    as_of: Option<String>,
    saved: Option<String>,
}

async fn page(
    state: &AppState,
    pc: &PageCaller,
    q: LeadersQuery,
    kept: Kept,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let today = state.app.clock.today().to_string();
    let view = match q.view.as_deref() {
        Some(v @ ("township" | "sector")) => v.to_string(),
        _ => "leader".to_string(),
    };
    let typed = q.as_of.clone().filter(|s| !s.trim().is_empty());
    let (as_of, bad_day) = match &typed {
        Some(d) if anjian_domain::validation::parse_date(d).is_ok() => (d.trim().to_string(), None),
        Some(d) => (
            today.clone(),
            Some(format!("日期“{d}”不正确，已显示今天的安排")),
        ),
        None => (today.clone(), None),
    };
    let caller = pc.caller.clone();
    let day = as_of.clone();
    let (instance, leaders, list, targets) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.leaders(&caller)?,
            app.assignments(
                &caller,
                &AssignmentQuery {
                    as_of: Some(day),
                    ..Default::default()
                },
            )?,
            app.assignment_targets(&caller)?,
        ))
    })
    .await?;
    let of_kind = |k: AreaKind| -> Vec<(String, String)> {
        targets
            .iter()
            .filter(|(kind, _, _)| *kind == k)
            .map(|(_, c, n)| (c.clone(), n.clone()))
            .collect()
    };
    let (townships, sectors) = (of_kind(AreaKind::Township), of_kind(AreaKind::Sector));
    let mut by_leader: BTreeMap<i64, Vec<Line>> = BTreeMap::new();
    let mut lines = Vec::new();
    let mut covered = Vec::new();
    let wanted = match view.as_str() {
        "township" => Some(AreaKind::Township),
        "sector" => Some(AreaKind::Sector),
        _ => None,
    };
    for v in list {
        covered.push((v.assignment.kind, v.assignment.target.clone()));
        if wanted.is_none() {
            by_leader
                .entry(v.assignment.leader_id)
                .or_default()
                .push(v.into());
        } else if Some(v.assignment.kind) == wanted {
            lines.push(Line::from(v));
        }
    }
    lines.sort_by(|a, b| a.target.cmp(&b.target));
    let uncovered = match wanted {
        Some(k) => (if k == AreaKind::Township {
            &townships
        } else {
            &sectors
        })
        .iter()
        .filter(|(c, _)| !covered.iter().any(|(kk, t)| *kk == k && t == c))
        .map(|(_, n)| n.clone())
        .collect(),
        None => townships
            .iter()
            .filter(|(c, _)| {
                !covered
                    .iter()
                    .any(|(k, t)| *k == AreaKind::Township && t == c)
            })
            .map(|(_, n)| n.clone())
            .collect(),
    };
    let groups = leaders
        .iter()
        .map(|l| LeaderGroup {
            id: l.id,
            name: l.name.clone(),
            post: l.post.clone(),
            phone: l.phone.clone().unwrap_or_default(),
            active: l.active,
            lines: by_leader.remove(&l.id).unwrap_or_default(),
        })
        .collect();
    let p = LeadersPage {
        chrome: Chrome::new(pc, instance, "包片包线", "leaders")
            .flash(flash)
            .notice(bad_day),
        view,
        as_of,
        groups,
        lines,
        uncovered,
        leaders: leaders
            .iter()
            .filter(|l| l.active)
            .map(|l| (l.id, format!("{}（{}）", l.name, l.post)))
            .collect(),
        townships,
        sectors,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
        kept,
        today,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<LeadersQuery>,
) -> Result<Response, PageError> {
    let flash = q.saved.as_ref().map(|_| "已保存");
    page(&state, &pc, q.clone(), Kept::none(), flash).await
}

/// Assigns a leader from the list page's form: the target is chosen by kind (包片: a
/// township, 包线: a sector).
async fn assign(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let kind = form.get("kind");
    let target = match kind.as_str() {
        "sector" => form.get("sector"),
        _ => form.get("township"),
    };
    let mut n = super::Numbers::new(&form);
    let leader_id = n.int("leader_id", "领导");
    if leader_id.is_none() && n.errors.is_empty() {
        n.errors.add("leader_id", "请选择领导");
    }
    let kept = if n.errors.is_empty() {
        let d = AssignmentDraft {
            leader_id: leader_id.unwrap_or_default(),
            kind,
            target,
            basis: form.get("basis"),
            valid_from: form.get("valid_from"),
            valid_to: form.opt("valid_to"),
        };
        let caller = pc.caller.clone();
        match blocking(&state, move |app| app.assign_leader(&caller, &d)).await {
            Ok(_) => return Ok(see_other("/leaders?saved=1")),
            Err(e) => Kept::refused("assign", &form, super::refusal(e)?),
        }
    } else {
        Kept::refused("assign", &form, n.errors)
    };
    page(&state, &pc, LeadersQuery::default(), kept, None).await
}

async fn import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    super::imports::import_page(
        &state,
        &pc,
        mp,
        super::imports::ImportPlace {
            title: "导入包片包线安排",
            nav: "leaders",
            back: "/leaders".into(),
            action: "/leaders/import".into(),
        },
        |app, caller, t, opts| app.import_leaders(caller, t, opts),
    )
    .await
}

fn require_manage(pc: &PageCaller) -> Result<(), PageError> {
    if pc.caller.can(Permission::ManageOrganisation) {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden(
            "仅安委办管理员可维护县领导名单和包片包线安排".into(),
        )))
    }
}
