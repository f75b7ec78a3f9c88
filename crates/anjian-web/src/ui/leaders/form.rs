//! Adding and editing a leader (安委办): name, post, phone, the account he signs in with.

use super::*;
use anjian_app::leaders::LeaderDraft;

#[derive(Template)]
#[template(path = "leader_form.html")]
struct LeaderForm {
    chrome: Chrome,
    action: String,
    version: i64,
    kept: Kept,
    name: String,
    post: String,
    phone: String,
    user_id: String,
    sort_order: String,
    active: bool,
    accounts: Vec<(i64, String)>,
}

impl LeaderForm {
    /// The status select's default.
    fn active_code(&self) -> &'static str {
        if self.active { "on" } else { "off" }
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    require_manage(pc)?;
    let caller = pc.caller.clone();
    let (instance, accounts, current) = blocking(state, move |app| {
        let current = match id {
            Some(id) => Some(app.leader(&caller, id)?),
            None => None,
        };
        Ok((app.instance_name()?, app.leader_accounts(&caller)?, current))
    })
    .await?;
    let title = if id.is_some() {
        "编辑县领导"
    } else {
        "新增县领导"
    };
    let p = LeaderForm {
        chrome: Chrome::new(pc, instance, title, "leaders"),
        action: id
            .map(|i| format!("/leaders/{i}/edit"))
            .unwrap_or_else(|| "/leaders/new".into()),
        version: current.as_ref().map(|l| l.version).unwrap_or(0),
        kept,
        name: current.as_ref().map(|l| l.name.clone()).unwrap_or_default(),
        post: current.as_ref().map(|l| l.post.clone()).unwrap_or_default(),
        phone: current
            .as_ref()
            .and_then(|l| l.phone.clone())
            .unwrap_or_default(),
        user_id: current
            .as_ref()
            .and_then(|l| l.user_id)
            .map(|u| u.to_string())
            .unwrap_or_default(),
        sort_order: current
            .as_ref()
            .map(|l| l.sort_order)
            .unwrap_or(100)
            .to_string(),
        active: current.as_ref().is_none_or(|l| l.active),
        accounts,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn new_leader(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    form_page(&state, &pc, None, Kept::none()).await
}

pub(super) async fn edit_leader(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    form_page(&state, &pc, Some(id), Kept::none()).await
}

async fn save(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    require_manage(&pc)?;
    pc.check_csrf(&form)?;
    let mut n = super::super::Numbers::new(&form);
    let sort_order = n.int("sort_order", "排序");
    let user_id = n.int("user_id", "关联账号");
    let version = n.int("version", "版本").unwrap_or(0);
    let kept = if n.errors.is_empty() {
        let d = LeaderDraft {
            name: form.get("name"),
            post: form.get("post"),
            phone: form.opt("phone"),
            user_id,
            sort_order,
            active: Some(form.get("active") != "off"),
        };
        let caller = pc.caller.clone();
        let r = blocking(&state, move |app| match id {
            Some(id) => app.update_leader(&caller, id, version, &d),
            None => app.create_leader(&caller, &d),
        })
        .await;
        match r {
            Ok(l) => return Ok(see_other(&format!("/leaders/{}", l.id))),
            Err(e) => Kept::refused("leader", &form, super::super::refusal(e)?),
        }
    } else {
        Kept::refused("leader", &form, n.errors)
    };
    form_page(&state, &pc, id, kept).await
}

pub(super) async fn create_leader(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(state, pc, form, None).await
}

pub(super) async fn update_leader(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(state, pc, form, Some(id)).await
}
