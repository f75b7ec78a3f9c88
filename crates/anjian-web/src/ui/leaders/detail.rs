//! A leader's page: his post and account, and every area he answered for, current first,
//! with the form that ends an assignment (安委办).

use super::*;
use anjian_app::records::leaders::Leader;

pub struct HistoryLine {
    pub line: Line,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "leader_detail.html")]
struct LeaderPage {
    chrome: Chrome,
    leader: Leader,
    account: String,
    history: Vec<HistoryLine>,
    can_manage: bool,
    kept: Kept,
    today: String,
}

async fn leader_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, leader, history, account) = blocking(state, move |app| {
        let leader = app.leader(&caller, id)?;
        let history = app.assignments(
            &caller,
            &AssignmentQuery {
                leader_id: Some(id),
                ..Default::default()
            },
        )?;
        let account = match leader.user_id {
            Some(u) => app.user_names(&caller)?.remove(&u).unwrap_or_default(),
            None => String::new(),
        };
        Ok((app.instance_name()?, leader, history, account))
    })
    .await?;
    let today = state.app.clock.today();
    let mut history: Vec<HistoryLine> = history
        .into_iter()
        .map(|v| HistoryLine {
            current: v.assignment.span().covers(today),
            line: v.into(),
        })
        .collect();
    history.sort_by_key(|h| std::cmp::Reverse(h.current));
    let p = LeaderPage {
        chrome: Chrome::new(pc, instance, &leader.name, "leaders"),
        leader,
        account,
        history,
        can_manage: pc.caller.can(Permission::ManageOrganisation),
        kept,
        today: today.to_string(),
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn leader(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    leader_page(&state, &pc, id, Kept::none()).await
}

/// Ends an assignment on the day typed; back to its leader's page.
pub(super) async fn end(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    let day = form.get("valid_to");
    let r = blocking(&state, move |app| app.end_assignment(&caller, id, &day)).await;
    match r {
        Ok(v) => Ok(see_other(&format!("/leaders/{}", v.assignment.leader_id))),
        Err(e) => {
            let errors = super::super::refusal(e)?;
            let caller = pc.caller.clone();
            let leader = blocking(&state, move |app| {
                app.assignments(&caller, &AssignmentQuery::default())
                    .map(|l| l.into_iter().find(|v| v.assignment.id == id))
            })
            .await?
            .map(|v| v.assignment.leader_id)
            .ok_or(PageError::App(AppError::NotFound))?;
            let kept = Kept::refused(&format!("end.{id}"), &form, errors);
            leader_page(&state, &pc, leader, kept).await
        }
    }
}
