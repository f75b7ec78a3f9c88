//! 一键调度 pages: the dispatches of the caller's scope, the form that sends one (from a
//! hazard, an accident, a disaster event or a township: its chain to tick, people to add, the
//! channels), a dispatch's page with each recipient's notification, delivery and
//! confirmation and each message's sending, the county's notifiers (安委办), and the public
//! page a recipient's link opens to confirm.

use super::{Chrome, Kept, refusal, render, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::auth::local_time;
use anjian_app::dispatch::{
    ChannelDraft, ChannelView, ConfirmPage, DispatchDraft, DispatchSettings, DispatchSubject,
    RecipientDraft,
};
use anjian_app::records::dispatch::{Dispatch, DispatchDetail};
use anjian_domain::dispatch::{ChannelConfig, ChannelKind, SmtpSecurity};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dispatches", get(list).post(create))
        .route("/dispatches/new", get(new_form))
        .route("/dispatches/run", post(run_now))
        .route("/dispatches/{id}", get(detail))
        .route("/dispatches/{id}/confirm", post(confirm))
        .route("/dispatches/{id}/close", post(close))
        .route("/dispatch-channels", get(channels).post(create_channel))
        .route("/dispatch-channels/{id}", post(update_channel))
        .route("/dispatch-settings", post(save_settings))
        .route("/d/{token}", get(link_page).post(link_confirm))
}

/// A record's dispatches on its page, with the link that sends one (empty when the caller
/// may not dispatch).
pub struct DispatchPanel {
    pub list: Vec<Dispatch>,
    pub href: String,
}

impl DispatchPanel {
    /// The dispatches of `entity` `id`, for a regulator (nothing for others).
    pub async fn load(
        state: &AppState,
        pc: &PageCaller,
        entity: &'static str,
        id: i64,
    ) -> Result<Self, PageError> {
        if !pc.caller.can(Permission::ViewCountyWork) {
            return Ok(Self {
                list: Vec::new(),
                href: String::new(),
            });
        }
        let caller = pc.caller.clone();
        let list = blocking(state, move |app| {
            app.dispatches(&caller, Some(entity), Some(id), false)
        })
        .await?;
        let href = if pc.caller.scope.writable && pc.caller.can(Permission::Dispatch) {
            format!("/dispatches/new?entity={entity}&id={id}")
        } else {
            String::new()
        };
        Ok(Self { list, href })
    }

    pub fn at(&self, d: &Dispatch) -> String {
        local_time(&d.created_at)
    }
}

/// A time stored in UTC, shown in China time (empty when absent).
fn shown(t: &Option<String>) -> String {
    t.as_deref().map(local_time).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "dispatches.html")]
struct ListPage {
    chrome: Chrome,
    list: Vec<Dispatch>,
    open_only: bool,
    towns: Vec<(String, String)>,
    may_dispatch: bool,
    may_configure: bool,
}

impl ListPage {
    fn at(&self, d: &Dispatch) -> String {
        local_time(&d.created_at)
    }
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let open_only = q.get("open").is_some_and(|v| v == "1");
    let entity = q.get("entity").cloned();
    let entity_id = q.get("entity_id").and_then(|v| v.parse().ok());
    let caller = pc.caller.clone();
    let (instance, list, towns) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.dispatches(&caller, entity.as_deref(), entity_id, open_only)?,
            app.townships(&caller)?,
        ))
    })
    .await?;
    let chrome = Chrome::new(&pc, instance, "一键调度", "dispatch");
    Ok(render(&ListPage {
        chrome,
        list,
        open_only,
        towns,
        may_dispatch: pc.caller.scope.writable && pc.caller.can(Permission::Dispatch),
        may_configure: pc.caller.can(Permission::ConfigureCounty),
    }))
}

/// Runs the dispatch job now (安委办): the page need not wait for the next minute.
async fn run_now(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    blocking(&state, move |app| {
        caller.require(Permission::ConfigureCounty)?;
        app.run_dispatch_jobs(&format!("page:{}", caller.user.username))
    })
    .await?;
    let back = form.get("back");
    Ok(see_other(if back.starts_with("/dispatches/") {
        back.as_str()
    } else {
        "/dispatches"
    }))
}

#[derive(Template)]
#[template(path = "dispatch_new.html")]
struct NewPage {
    chrome: Chrome,
    subject: DispatchSubject,
    entity: String,
    entity_id: String,
    region: String,
    channels: Vec<ChannelView>,
    minutes: i64,
    kept: Kept,
}

impl NewPage {
    fn extra_bad(&self) -> bool {
        self.kept.errors.0.keys().any(|k| k.starts_with("extra"))
    }
}

async fn new_form(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    new_page(
        &state,
        &pc,
        get("entity"),
        get("id"),
        get("region"),
        Kept::none(),
    )
    .await
}

async fn new_page(
    state: &AppState,
    pc: &PageCaller,
    entity: String,
    entity_id: String,
    region: String,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (e, i, r) = (entity.clone(), entity_id.clone(), region.clone());
    let (instance, subject, channels, minutes) = blocking(state, move |app| {
        let id = match i.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| anjian_app::AppError::NotFound)?,
            ),
        };
        Ok((
            app.instance_name()?,
            app.dispatch_subject(&caller, &e, id, &r)?,
            app.dispatch_channels(&caller)?
                .into_iter()
                .filter(|c| c.active)
                .collect::<Vec<_>>(),
            app.dispatch_escalate_minutes()?,
        ))
    })
    .await?;
    let chrome = Chrome::new(pc, instance, "发起调度", "dispatch");
    let page = NewPage {
        chrome,
        subject,
        entity,
        entity_id,
        region,
        channels,
        minutes,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

/// 增派人员, one per line: a name, then a phone, an e-mail address and a unit in any order
/// (spaces or commas between).
fn extra_people(text: &str) -> Vec<RecipientDraft> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut r = RecipientDraft::default();
            let mut rest = Vec::new();
            for w in line
                .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
                .filter(|w| !w.is_empty())
            {
                if w.contains('@') && r.email.is_empty() {
                    r.email = w.to_string();
                } else if r.phone.is_empty() && w.chars().next().is_some_and(|c| c.is_ascii_digit())
                {
                    r.phone = w.to_string();
                } else if r.name.is_empty() {
                    r.name = w.to_string();
                } else {
                    rest.push(w);
                }
            }
            r.unit = rest.join(" ");
            r
        })
        .collect()
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let keep: Vec<usize> = form
        .all("keep")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let chain_len: usize = form.get("chain_len").parse().unwrap_or(0);
    let d = DispatchDraft {
        entity: form.get("entity"),
        entity_id: form.get("entity_id").trim().parse().ok(),
        region: form.get("region"),
        title: form.get("title"),
        message: form.get("message"),
        channel_ids: form
            .all("channel")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect(),
        escalate_minutes: match form.get("escalate_minutes").trim() {
            "" => None,
            m => Some(m.parse().unwrap_or(0)),
        },
        chain: true,
        skip: (0..chain_len).filter(|i| !keep.contains(i)).collect(),
        extra: extra_people(&form.get("extra")),
    };
    let no_channel = d.channel_ids.is_empty() && form.get("channels_shown") == "1";
    let caller = pc.caller.clone();
    let result = if no_channel {
        Err(anjian_app::AppError::Validation(
            anjian_domain::ValidationErrors::single("channel", "请至少选择一个通知渠道"),
        ))
    } else {
        blocking(&state, move |app| app.create_dispatch(&caller, &d)).await
    };
    match result {
        Ok(v) => Ok(see_other(&format!("/dispatches/{}?saved=1", v.dispatch.id))),
        Err(e) => {
            let kept = Kept::refused("dispatch", &form, refusal(e)?);
            new_page(
                &state,
                &pc,
                form.get("entity"),
                form.get("entity_id"),
                form.get("region"),
                kept,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "dispatch.html")]
struct DetailPage {
    chrome: Chrome,
    d: DispatchDetail,
    may_dispatch: bool,
    kept: Kept,
}

impl DetailPage {
    fn t(&self, v: &Option<String>) -> String {
        shown(v)
    }
    fn at(&self, v: &str) -> String {
        local_time(v)
    }
    fn via(&self, r: &anjian_app::records::dispatch::Recipient) -> String {
        r.confirmed_via
            .map(|v| v.label().to_string())
            .unwrap_or_default()
    }
    fn recipient_name(&self, id: &i64) -> String {
        self.d
            .recipients
            .iter()
            .find(|r| r.id == *id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    }
    fn subject_href(&self) -> String {
        let d = &self.d.dispatch;
        match (d.entity.as_str(), d.entity_id) {
            ("hazard", Some(id)) => format!("/hazards/{id}"),
            ("accident", Some(id)) => format!("/accidents/{id}"),
            ("disaster", Some(id)) => format!("/disaster-events/{id}"),
            _ => String::new(),
        }
    }
    fn count(&self, status: &str) -> usize {
        self.d
            .deliveries
            .iter()
            .filter(|m| m.status == status)
            .count()
    }
    fn pending_or_failed(&self) -> bool {
        self.d.deliveries.iter().any(|m| m.status != "sent")
    }
    fn status(&self, s: &str) -> &'static str {
        match s {
            "sent" => "已送达",
            "failed" => "发送失败",
            _ => "待发送",
        }
    }
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = q
        .get("saved")
        .map(|_| "已发起调度，消息由后台发出（每分钟一次），接收人确认后即显示。".to_string());
    detail_page(&state, &pc, id, Kept::none(), notice).await
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.dispatch(&caller, id)?))
    })
    .await?;
    let title = d.dispatch.title.clone();
    let mut chrome = Chrome::new(pc, instance, &title, "dispatch");
    chrome.notice = notice;
    let page = DetailPage {
        chrome,
        d,
        may_dispatch: pc.caller.scope.writable && pc.caller.can(Permission::Dispatch),
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn confirm(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let recipient: i64 = form.get("recipient_id").parse().unwrap_or(0);
    let note = form.get("note");
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.confirm_dispatch_recipient(&caller, id, recipient, &note)
    })
    .await
    {
        Ok(_) => Ok(see_other(&format!("/dispatches/{id}"))),
        Err(e) => {
            let kept = Kept::refused("confirm", &form, refusal(e)?);
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}

async fn close(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.close_dispatch(&caller, id)).await {
        Ok(_) => Ok(see_other(&format!("/dispatches/{id}"))),
        Err(e) => {
            let kept = Kept::refused("close", &form, refusal(e)?);
            detail_page(&state, &pc, id, kept, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "dispatch_channels.html")]
struct ChannelsPage {
    chrome: Chrome,
    list: Vec<ChannelView>,
    kinds: Vec<(String, String)>,
    may_configure: bool,
    settings: DispatchSettings,
    /// Which form was refused (`new`, `settings` or a channel's id).
    kept: Kept,
}

impl ChannelsPage {
    fn security(&self, c: &ChannelConfig) -> &'static str {
        match c.security {
            SmtpSecurity::None => "none",
            SmtpSecurity::Starttls => "starttls",
            SmtpSecurity::Tls => "tls",
        }
    }
    fn form_of(&self, id: &i64) -> Kept {
        self.kept.of(&format!("channel.{id}"))
    }
    fn uses(&self, k: &ChannelKind, field: &str) -> bool {
        match k {
            ChannelKind::Smtp => {
                matches!(
                    field,
                    "host" | "port" | "security" | "username" | "password" | "from"
                )
            }
            ChannelKind::Sms => matches!(field, "url" | "secret" | "body" | "content_type"),
            _ => matches!(field, "url" | "secret"),
        }
    }
}

async fn channels(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    channels_page(&state, &pc, Kept::none(), None).await
}

async fn channels_page(
    state: &AppState,
    pc: &PageCaller,
    kept: Kept,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, list, settings) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.dispatch_channels(&caller)?,
            app.dispatch_settings(&caller)?,
        ))
    })
    .await?;
    let mut chrome = Chrome::new(pc, instance, "通知渠道", "dispatch_channels");
    chrome.notice = notice;
    let page = ChannelsPage {
        chrome,
        list,
        kinds: ChannelKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label().to_string()))
            .collect(),
        may_configure: pc.caller.can(Permission::ConfigureCounty),
        settings,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn save_settings(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = DispatchSettings {
        public_url: form.get("public_url"),
        escalate_minutes: form.get("escalate_minutes").trim().parse().unwrap_or(0),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.set_dispatch_settings(&caller, &d)).await {
        Ok(_) => channels_page(&state, &pc, Kept::none(), Some("已保存调度设置。".into())).await,
        Err(e) => {
            let kept = Kept::refused("settings", &form, refusal(e)?);
            channels_page(&state, &pc, kept, None).await
        }
    }
}

fn channel_draft(form: &FormPairs) -> ChannelDraft {
    let c = |k: &str| form.get(&format!("config.{k}"));
    ChannelDraft {
        kind: form.get("kind"),
        name: form.get("name"),
        active: !form.get("active").is_empty(),
        config: ChannelConfig {
            url: c("url"),
            secret: c("secret"),
            host: c("host"),
            port: c("port").trim().parse().unwrap_or(0),
            security: match c("security").as_str() {
                "starttls" => SmtpSecurity::Starttls,
                "tls" => SmtpSecurity::Tls,
                _ => SmtpSecurity::None,
            },
            username: c("username"),
            password: c("password"),
            from: c("from"),
            body: c("body"),
            content_type: c("content_type"),
        },
        version: form.get("version").parse().ok(),
    }
}

async fn create_channel(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = channel_draft(&form);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_dispatch_channel(&caller, &d)).await {
        Ok(_) => channels_page(&state, &pc, Kept::none(), Some("已添加通知渠道。".into())).await,
        Err(e) => {
            let kept = Kept::refused("new", &form, refusal(e)?);
            channels_page(&state, &pc, kept, None).await
        }
    }
}

async fn update_channel(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let d = channel_draft(&form);
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.update_dispatch_channel(&caller, id, &d)
    })
    .await
    {
        Ok(_) => channels_page(&state, &pc, Kept::none(), Some("已保存。".into())).await,
        Err(e) => {
            let kept = Kept::refused(&format!("channel.{id}"), &form, refusal(e)?);
            channels_page(&state, &pc, kept, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "dispatch_confirm.html")]
struct LinkPage {
    p: Option<ConfirmPage>,
    token: String,
    just_confirmed: bool,
}

impl LinkPage {
    fn t(&self, v: &Option<String>) -> String {
        shown(v)
    }
    fn at(&self, v: &str) -> String {
        local_time(v)
    }
}

/// The confirmation page; 404 for a link that does not exist.
fn link_answer(page: LinkPage) -> Response {
    let missing = page.p.is_none();
    let mut r = render(&page);
    if missing {
        *r.status_mut() = axum::http::StatusCode::NOT_FOUND;
    }
    r
}

/// The page a recipient's link opens (no login: the token is the credential).
async fn link_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    link(&state, token, false).await
}

async fn link_confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    link(&state, token, true).await
}

/// The link's page, after confirming when `confirm`.
async fn link(state: &AppState, token: String, confirm: bool) -> Result<Response, PageError> {
    let t = token.clone();
    let p = match blocking(state, move |app| {
        if confirm {
            app.confirm_dispatch_link(&t)
        } else {
            app.dispatch_confirm_page(&t)
        }
    })
    .await
    {
        Ok(p) => Some(p),
        Err(anjian_app::AppError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(link_answer(LinkPage {
        p,
        token,
        just_confirmed: confirm,
    }))
}

#[cfg(test)]
mod tests {
    use super::extra_people;

    #[test]
    fn added_people_are_read_a_line_each_in_any_order() {
        let v = extra_people("张建国 13807951111 临江村\n\n李敏，li@example.cn，0795-1234567\n");
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].name.as_str(), v[0].phone.as_str(), v[0].unit.as_str()),
            ("张建国", "13807951111", "临江村")
        );
        assert_eq!(
            (v[1].name.as_str(), v[1].email.as_str(), v[1].phone.as_str()),
            ("李敏", "li@example.cn", "0795-1234567")
        );
    }
}
