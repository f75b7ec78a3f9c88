//! One-key dispatch (一键调度): from a hazard, an accident, a disaster event or a place, a
//! dispatcher sends a message to the record's chain (see [`crate::emergency::chain`]) and any
//! added people through the county's notifiers; each recipient's delivery and confirmation is
//! recorded with times, and when the notified ones have not confirmed within the dispatch's
//! minutes the next level is notified.
//!
//! Sending never happens in the request: the dispatch, its recipients and the first level's
//! messages are written in one transaction (a durable outbox), and the job runner
//! ([`App::run_dispatch_jobs`], every minute in each `anjian serve`, or `anjian jobs
//! dispatch`) sends them with retries and backoff and escalates what is due. Messages are
//! claimed per instance (see `anjian_store::dispatch`), so with several instances each goes
//! out once.
//!
//! A recipient confirms by opening the link in the message (`/d/{token}`, no login: the
//! token is the credential), by an SMS reply the gateway reports to
//! `POST /api/v1/dispatch-channels/{id}/sms-replies` (signed with the channel's secret), or
//! the dispatcher records a confirmation taken by phone.

mod job;
pub mod notify;

pub use job::DispatchRun;

use crate::emergency::chain::{ChainContact, ChainQuery};
use crate::{App, AppError, Caller, Result};
use anjian_domain::dispatch::{
    self as rules, ChannelConfig, ChannelKind, ConfirmVia, DispatchEntity,
};
use anjian_domain::phone::parse_phone;
use anjian_domain::scope::Permission;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::dispatch::{
    Channel, Dispatch, DispatchDetail, DispatchFilter, NewDispatch, NewRecipient,
};
use serde::{Deserialize, Serialize};

/// The setting holding the address people open confirmation links at
/// (`http://10.1.2.3:8080`); without it messages ask for a reply instead.
pub const PUBLIC_URL: &str = "dispatch_public_url";

/// The setting holding the default minutes before escalation.
pub const ESCALATE_MINUTES: &str = "dispatch_escalate_minutes";

/// The county's dispatch settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DispatchSettings {
    /// The address people open confirmation links at (`http://10.1.2.3:8080`); empty: the
    /// messages ask for a reply instead.
    #[serde(default)]
    pub public_url: String,
    /// Minutes before the unconfirmed bring in the next level (1 to 1440).
    pub escalate_minutes: i64,
}

/// A channel as read back: its secrets masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChannelView {
    pub id: i64,
    pub kind: ChannelKind,
    pub kind_label: String,
    pub name: String,
    pub config: ChannelConfig,
    pub active: bool,
    pub version: i64,
}

/// A channel as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChannelDraft {
    /// webhook, wecom, dingtalk, smtp, sms (or their words).
    pub kind: String,
    pub name: String,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub config: ChannelConfig,
    /// The version read, when changing a channel.
    #[serde(default)]
    pub version: Option<i64>,
}

fn yes() -> bool {
    true
}

/// A person added to a dispatch by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecipientDraft {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// 1 (first) to 9; 1 when empty.
    #[serde(default)]
    pub level: Option<i64>,
}

/// A dispatch as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DispatchDraft {
    /// hazard, accident, disaster, place (or their words).
    pub entity: String,
    /// The record's id (none for a place).
    #[serde(default)]
    pub entity_id: Option<i64>,
    /// The place (a township's or a village's code): for a place, or a disaster event's
    /// township (the county's when empty).
    #[serde(default)]
    pub region: String,
    pub title: String,
    pub message: String,
    /// The channels to send through; every active one when empty.
    #[serde(default)]
    pub channel_ids: Vec<i64>,
    /// Minutes before the unconfirmed bring in the next level (the county's default, 15,
    /// when empty).
    #[serde(default)]
    pub escalate_minutes: Option<i64>,
    /// Notify the record's chain (default); positions in the chain as listed to leave out.
    #[serde(default = "yes")]
    pub chain: bool,
    #[serde(default)]
    pub skip: Vec<usize>,
    #[serde(default)]
    pub extra: Vec<RecipientDraft>,
}

/// What a dispatch is about, for the form and the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DispatchSubject {
    pub entity: DispatchEntity,
    pub entity_id: Option<i64>,
    pub region_code: String,
    /// 隐患 12（…）, 事故 …, a place's name.
    pub label: String,
    /// A proposed title and message.
    pub title: String,
    pub message: String,
    pub chain: Vec<ChainContact>,
}

/// What a recipient sees when they open their link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfirmPage {
    pub title: String,
    pub message: String,
    pub name: String,
    pub sent_at: String,
    pub confirmed_at: Option<String>,
}

fn channel_view(c: Channel) -> ChannelView {
    let config = serde_json::from_str::<ChannelConfig>(&c.config)
        .unwrap_or_default()
        .masked();
    ChannelView {
        id: c.id,
        kind: c.kind,
        kind_label: c.kind.label().to_string(),
        name: c.name,
        config,
        active: c.active,
        version: c.version,
    }
}

fn store_words(err: anjian_store::StoreError) -> AppError {
    crate::error::refused_field(
        err,
        &[
            ("channel_ids", "", "所选通知渠道不存在或已停用"),
            ("recipient_id", "", "该接收人不存在或已确认"),
            ("recipients", "", "没有可通知的人员"),
        ],
    )
}

impl App {
    /// The county's channels (secrets masked).
    pub fn dispatch_channels(&self, caller: &Caller) -> Result<Vec<ChannelView>> {
        caller.require(Permission::ViewCountyWork)?;
        let county = crate::leaders::county_of(caller)?;
        Ok(self
            .store
            .dispatch_channels(&caller.scope, &county)?
            .into_iter()
            .map(channel_view)
            .collect())
    }

    fn check_channel_draft(d: &ChannelDraft) -> Result<(ChannelKind, String, ChannelConfig)> {
        let mut e = ValidationErrors::default();
        let kind = ChannelKind::from_words(&d.kind);
        if kind.is_none() {
            e.add(
                "kind",
                "渠道类型应为通用Webhook、企业微信群机器人、钉钉群机器人、电子邮件或短信网关",
            );
        }
        let name = d.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 50 {
            e.add("name", "请填写渠道名称（不超过50字）");
        }
        let mut cfg = d.config.clone();
        cfg.url = cfg.url.trim().to_string();
        cfg.host = cfg.host.trim().to_string();
        cfg.from = cfg.from.trim().to_string();
        if let Some(k) = kind {
            for (f, m) in rules::check_channel(k, &cfg) {
                e.add(&format!("config.{f}"), m);
            }
        }
        e.into_result()?;
        match kind {
            Some(k) => Ok((k, name, cfg)),
            None => Err(ValidationErrors::single("kind", "渠道类型无法识别").into()),
        }
    }

    /// Adds a notifier to the county (安委办).
    pub fn create_dispatch_channel(
        &self,
        caller: &Caller,
        d: &ChannelDraft,
    ) -> Result<ChannelView> {
        caller.require(Permission::ConfigureCounty)?;
        let (kind, name, cfg) = Self::check_channel_draft(d)?;
        if cfg.secret == rules::SECRET_MASK || cfg.password == rules::SECRET_MASK {
            return Err(ValidationErrors::single("config.secret", "请填写密钥").into());
        }
        let county = crate::leaders::county_of(caller)?;
        let json = serde_json::to_string(&cfg).map_err(|e| AppError::Internal(e.to_string()))?;
        let c = self.store.create_dispatch_channel(
            &caller.change(&caller.scope, self),
            &county,
            kind,
            &name,
            &json,
            d.active,
        )?;
        Ok(channel_view(c))
    }

    /// Changes a notifier; secrets left masked keep their stored value.
    pub fn update_dispatch_channel(
        &self,
        caller: &Caller,
        id: i64,
        d: &ChannelDraft,
    ) -> Result<ChannelView> {
        caller.require(Permission::ConfigureCounty)?;
        let county = crate::leaders::county_of(caller)?;
        let old = self
            .store
            .dispatch_channels(&caller.scope, &county)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(AppError::NotFound)?;
        let mut d = d.clone();
        d.kind = old.kind.as_str().to_string();
        let stored: ChannelConfig = serde_json::from_str(&old.config).unwrap_or_default();
        d.config = d.config.keeping_secrets(&stored);
        let (_, name, cfg) = Self::check_channel_draft(&d)?;
        let json = serde_json::to_string(&cfg).map_err(|e| AppError::Internal(e.to_string()))?;
        let c = self.store.update_dispatch_channel(
            &caller.change(&caller.scope, self),
            id,
            d.version.unwrap_or(old.version),
            &name,
            &json,
            d.active,
        )?;
        Ok(channel_view(c))
    }

    /// What a dispatch about `entity`/`id` (or a place) concerns, with its chain.
    pub fn dispatch_subject(
        &self,
        caller: &Caller,
        entity: &str,
        id: Option<i64>,
        region: &str,
    ) -> Result<DispatchSubject> {
        caller.require(Permission::Dispatch)?;
        let entity = DispatchEntity::from_words(entity).ok_or_else(|| {
            ValidationErrors::single("entity", "调度对象应为隐患、事故、灾害事件或区域")
        })?;
        let need_id = || ValidationErrors::single("entity_id", "请指定记录");
        let (q, label, title, message) = match entity {
            DispatchEntity::Hazard => {
                let (v, _) = self.get_hazard(caller, id.ok_or_else(need_id)?)?;
                let h = &v.hazard;
                let what: String = h.description.chars().take(40).collect();
                (
                    ChainQuery {
                        region: h.region_code.clone(),
                        sector: h.sector.clone(),
                        enterprise_id: h.enterprise_id,
                    },
                    format!("隐患 {}（{what}）", h.id),
                    format!("{}处置调度", v.level_label),
                    format!("{what}。请立即组织核查处置，并确认收到。"),
                )
            }
            DispatchEntity::Accident => {
                let a = self.accident(caller, id.ok_or_else(need_id)?)?;
                let r = &a.view.record;
                let when = r.occurred_at.format("%Y-%m-%d %H:%M");
                (
                    ChainQuery {
                        region: r.region_code.clone(),
                        sector: r.sector.clone(),
                        enterprise_id: r.enterprise_id,
                    },
                    format!("事故 {}（{}{}）", r.id, a.view.township_name, r.place),
                    format!("{}{}事故应急调度", a.view.township_name, a.view.type_label),
                    format!(
                        "{when}在{}{}发生{}，请立即赶赴现场、核实人员伤亡并按规定报告，确认收到。",
                        a.view.township_name, r.place, a.view.type_label
                    ),
                )
            }
            DispatchEntity::Disaster => {
                let v = self.disaster_event(caller, id.ok_or_else(need_id)?)?;
                let region = match region.trim() {
                    "" => v.event.county_code.clone(),
                    r => r.to_string(),
                };
                (
                    ChainQuery {
                        region,
                        sector: String::new(),
                        enterprise_id: None,
                    },
                    format!("{}（{}）", v.event.name, v.kind_label),
                    format!("{}防范应对调度", v.event.name),
                    format!(
                        "{}{}，请立即落实防范应对措施，做好人员转移避险，确认收到。",
                        v.event.name,
                        v.warning_label
                            .as_deref()
                            .map(|w| format!("（{w}）"))
                            .unwrap_or_default()
                    ),
                )
            }
            DispatchEntity::Alarm => {
                let d = self.monitoring_alarm(caller, id.ok_or_else(need_id)?)?;
                let a = &d.view.alarm;
                let sector = match a.enterprise_id {
                    Some(e) => self
                        .get_enterprise(caller, e)?
                        .sectors
                        .first()
                        .cloned()
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let what = match &a.point_name {
                    Some(p) => format!("{} {}", d.view.item_label, p),
                    None => d.view.target_label.clone(),
                };
                (
                    ChainQuery {
                        region: a.region_code.clone(),
                        sector,
                        enterprise_id: a.enterprise_id,
                    },
                    format!(
                        "监测报警 {}（{} {}）",
                        a.id, a.object_name, d.view.level_label
                    ),
                    format!("{}{}处置调度", a.object_name, d.view.level_label),
                    format!(
                        "{}{}出现{}，请立即到场核实处置，并确认收到。",
                        a.object_name, what, d.view.level_label
                    ),
                )
            }
            DispatchEntity::Place => {
                let region = region.trim().to_string();
                if region.is_empty() {
                    return Err(ValidationErrors::single("region", "请选择乡镇（街道）").into());
                }
                let name = self
                    .region_names(caller, [region.as_str()])?
                    .remove(&region)
                    .ok_or(AppError::NotFound)?;
                (
                    ChainQuery {
                        region: region.clone(),
                        sector: String::new(),
                        enterprise_id: None,
                    },
                    name.clone(),
                    format!("{name}应急调度"),
                    String::new(),
                )
            }
        };
        let chain = self.notify_chain(caller, &q)?;
        let region_code = match q.region.as_str() {
            "" => match q.enterprise_id {
                Some(e) => self.get_enterprise(caller, e)?.region_code,
                None => String::new(),
            },
            r => r.to_string(),
        };
        Ok(DispatchSubject {
            entity,
            entity_id: if entity == DispatchEntity::Place {
                None
            } else {
                id
            },
            region_code,
            label,
            title,
            message,
            chain,
        })
    }

    /// A confirmation link's secret: 16 random bytes as hex.
    pub(crate) fn dispatch_token(&self) -> Result<String> {
        let mut b = [0u8; 16];
        self.entropy
            .fill(&mut b)
            .map_err(|e| AppError::Internal(format!("entropy: {e}")))?;
        Ok(hex::encode(b))
    }

    /// The county's dispatch settings.
    pub fn dispatch_settings(&self, caller: &Caller) -> Result<DispatchSettings> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(DispatchSettings {
            public_url: self.store.setting(PUBLIC_URL)?.unwrap_or_default(),
            escalate_minutes: self.escalate_minutes_default()?,
        })
    }

    /// Changes the county's dispatch settings (安委办).
    pub fn set_dispatch_settings(
        &self,
        caller: &Caller,
        s: &DispatchSettings,
    ) -> Result<DispatchSettings> {
        caller.require(Permission::ConfigureCounty)?;
        let mut e = ValidationErrors::default();
        let url = s.public_url.trim().trim_end_matches('/').to_string();
        if !rules::public_url_ok(&url) {
            e.add(
                "public_url",
                "请填写以 http:// 或 https:// 开头的访问地址（不超过200字符）",
            );
        }
        if !rules::escalate_minutes_ok(s.escalate_minutes) {
            e.add("escalate_minutes", "升级时限应为1至1440分钟");
        }
        e.into_result()?;
        let scope = Scope::system();
        let change = caller.change(&scope, self);
        self.store.set_setting(&change, PUBLIC_URL, &url)?;
        self.store
            .set_setting(&change, ESCALATE_MINUTES, &s.escalate_minutes.to_string())?;
        self.dispatch_settings(caller)
    }

    /// The county's minutes before escalation (setting `dispatch_escalate_minutes`).
    pub fn dispatch_escalate_minutes(&self) -> Result<i64> {
        self.escalate_minutes_default()
    }

    fn escalate_minutes_default(&self) -> Result<i64> {
        Ok(self
            .store
            .setting(ESCALATE_MINUTES)?
            .and_then(|v| v.trim().parse().ok())
            .filter(|m| rules::escalate_minutes_ok(*m))
            .unwrap_or(rules::DEFAULT_ESCALATE_MINUTES))
    }

    /// Sends a dispatch: written with its recipients and first messages in one transaction;
    /// the job runner sends them.
    pub fn create_dispatch(&self, caller: &Caller, d: &DispatchDraft) -> Result<DispatchDetail> {
        caller.require(Permission::Dispatch)?;
        let mut e = ValidationErrors::default();
        let title = d.title.trim().to_string();
        if title.is_empty() || title.chars().count() > 100 {
            e.add("title", "请填写调度标题（不超过100字）");
        }
        let message = d.message.trim().to_string();
        if message.is_empty() || message.chars().count() > 1000 {
            e.add("message", "请填写调度内容（不超过1000字）");
        }
        let minutes = match d.escalate_minutes {
            None => self.escalate_minutes_default()?,
            Some(m) if rules::escalate_minutes_ok(m) => m,
            Some(_) => {
                e.add("escalate_minutes", "升级时限应为1至1440分钟");
                0
            }
        };
        let mut recipients = Vec::new();
        for (i, x) in d.extra.iter().enumerate() {
            if x.name.trim().is_empty() && x.phone.trim().is_empty() && x.email.trim().is_empty() {
                continue;
            }
            let field = |f: &str| format!("extra[{i}].{f}");
            if x.name.trim().is_empty() {
                e.add(&field("name"), "请填写姓名");
            }
            let phone = match x.phone.trim() {
                "" => String::new(),
                p => match parse_phone(p) {
                    Ok(p) => p,
                    Err(m) => {
                        e.add(&field("phone"), m);
                        String::new()
                    }
                },
            };
            let email = x.email.trim().to_string();
            if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
                e.add(&field("email"), "邮箱地址无效");
            }
            let level = x.level.unwrap_or(1);
            if !(1..=9).contains(&level) {
                e.add(&field("level"), "通知层级应为1至9");
            }
            recipients.push(NewRecipient {
                level,
                role: match x.role.trim() {
                    "" => "增派人员".to_string(),
                    r => r.to_string(),
                },
                name: x.name.trim().to_string(),
                unit: x.unit.trim().to_string(),
                phone,
                email,
                token: String::new(),
            });
        }
        e.into_result()?;
        let subject = self.dispatch_subject(caller, &d.entity, d.entity_id, &d.region)?;
        if subject.region_code.is_empty() {
            return Err(ValidationErrors::single("region", "无法确定调度所在区划").into());
        }
        if d.chain {
            for (i, c) in subject.chain.iter().enumerate() {
                if d.skip.contains(&i) || c.name.trim().is_empty() {
                    continue;
                }
                recipients.push(NewRecipient {
                    level: i64::from(c.level),
                    role: c.role.clone(),
                    name: c.name.clone(),
                    unit: c.unit.clone(),
                    phone: c.phone.clone().unwrap_or_default(),
                    email: String::new(),
                    token: String::new(),
                });
            }
        }
        // One person once: the same name and phone keep their lowest level.
        recipients.sort_by_key(|r| r.level);
        let mut seen = std::collections::BTreeSet::new();
        recipients.retain(|r| seen.insert((r.name.clone(), r.phone.clone(), r.email.clone())));
        if recipients.is_empty() {
            return Err(ValidationErrors::single(
                "extra",
                "没有可通知的人员：通知链为空，请增派人员",
            )
            .into());
        }
        for r in &mut recipients {
            r.token = self.dispatch_token()?;
        }
        let county = crate::leaders::county_of(caller)?;
        let channels: Vec<Channel> = self
            .store
            .dispatch_channels(&caller.scope, &county)?
            .into_iter()
            .filter(|c| c.active)
            .collect();
        let channel_ids: Vec<i64> = if d.channel_ids.is_empty() {
            channels.iter().map(|c| c.id).collect()
        } else {
            let mut ids = d.channel_ids.clone();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        if channel_ids.is_empty() {
            return Err(ValidationErrors::single(
                "channel_ids",
                "本县尚未配置启用的通知渠道，请先由安委办在“通知渠道”中配置",
            )
            .into());
        }
        let detail = self
            .store
            .create_dispatch(
                &caller.change(&caller.scope, self),
                &NewDispatch {
                    region_code: subject.region_code,
                    entity: subject.entity,
                    entity_id: subject.entity_id,
                    title,
                    message,
                    channel_ids,
                    escalate_minutes: minutes,
                    recipients,
                    created_by_name: caller.user.display_name.clone(),
                },
            )
            .map_err(store_words)?;
        self.telemetry.job("dispatch_created", "ran");
        Ok(detail)
    }

    /// The caller's dispatches, latest first (of a record when `entity`/`entity_id` given).
    pub fn dispatches(
        &self,
        caller: &Caller,
        entity: Option<&str>,
        entity_id: Option<i64>,
        open_only: bool,
    ) -> Result<Vec<Dispatch>> {
        caller.require(Permission::ViewCountyWork)?;
        let entity = match entity.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(w) => Some(
                DispatchEntity::from_words(w)
                    .ok_or_else(|| ValidationErrors::single("entity", "调度对象无法识别"))?,
            ),
        };
        Ok(self.store.dispatches(
            &caller.scope,
            &DispatchFilter {
                entity,
                entity_id,
                open_only,
                limit: 500,
            },
        )?)
    }

    pub fn dispatch(&self, caller: &Caller, id: i64) -> Result<DispatchDetail> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self.store.get_dispatch(&caller.scope, id)?)
    }

    /// Records a confirmation the dispatcher took by phone.
    pub fn confirm_dispatch_recipient(
        &self,
        caller: &Caller,
        id: i64,
        recipient_id: i64,
        note: &str,
    ) -> Result<DispatchDetail> {
        caller.require(Permission::Dispatch)?;
        let note: String = note.trim().chars().take(200).collect();
        self.store
            .confirm_dispatch_recipient(
                &caller.change(&caller.scope, self),
                id,
                recipient_id,
                if note.is_empty() {
                    "电话确认"
                } else {
                    &note
                },
            )
            .map_err(store_words)
    }

    /// Ends a dispatch.
    pub fn close_dispatch(&self, caller: &Caller, id: i64) -> Result<DispatchDetail> {
        caller.require(Permission::Dispatch)?;
        self.store
            .close_dispatch(&caller.change(&caller.scope, self), id)
            .map_err(|e| match e {
                anjian_store::StoreError::Invalid(k) if k == "closed" => {
                    AppError::Conflict("该调度已结束".into())
                }
                e => store_words(e),
            })
    }

    /// What the holder of a link sees; `NotFound` for an unknown token.
    pub fn dispatch_confirm_page(&self, token: &str) -> Result<ConfirmPage> {
        if !rules::is_token(token) {
            return Err(AppError::NotFound);
        }
        let (d, r) = self
            .store
            .dispatch_by_token(token)?
            .ok_or(AppError::NotFound)?;
        Ok(ConfirmPage {
            title: d.title,
            message: d.message,
            name: r.name,
            sent_at: r.notified_at.unwrap_or_default(),
            confirmed_at: r.confirmed_at,
        })
    }

    /// The holder of a link confirms (a second time changes nothing).
    pub fn confirm_dispatch_link(&self, token: &str) -> Result<ConfirmPage> {
        if !rules::is_token(token) {
            return Err(AppError::NotFound);
        }
        let scope = Scope::system();
        let change = self.system_change(&scope, "dispatch-link");
        self.store
            .confirm_dispatch_token(&change, token, ConfirmVia::Link, "")?
            .ok_or(AppError::NotFound)?;
        self.dispatch_confirm_page(token)
    }

    /// An SMS gateway reports a reply: `body` is JSON `{"phone": "…", "text": "…"}` signed
    /// with the channel's secret (`signature`: hex HMAC-SHA256 of the body). Returns whether
    /// the reply confirmed someone.
    pub fn dispatch_sms_reply(
        &self,
        channel_id: i64,
        body: &[u8],
        signature: &str,
    ) -> Result<bool> {
        let refuse = || AppError::Unauthorized("签名无效".into());
        let channel = self
            .store
            .dispatch_channel_for_callback(channel_id)?
            .filter(|c| c.kind == ChannelKind::Sms)
            .ok_or_else(refuse)?;
        let cfg: ChannelConfig = serde_json::from_str(&channel.config).unwrap_or_default();
        if cfg.secret.is_empty() || !notify::verify_hmac(cfg.secret.as_bytes(), body, signature) {
            return Err(refuse());
        }
        #[derive(Deserialize)]
        struct Reply {
            phone: String,
            #[serde(default)]
            text: String,
        }
        let reply: Reply = serde_json::from_slice(body).map_err(|_| {
            ValidationErrors::single("phone", "回复内容应为 JSON：{\"phone\":…,\"text\":…}")
        })?;
        let phone =
            parse_phone(reply.phone.trim()).map_err(|m| ValidationErrors::single("phone", m))?;
        let scope = Scope::system();
        let change = self.system_change(&scope, "dispatch-sms");
        Ok(self
            .store
            .confirm_dispatch_phone(&change, channel_id, &phone, reply.text.trim())?
            .is_some())
    }

    /// The text a recipient reads.
    pub(crate) fn dispatch_text(
        &self,
        item: &anjian_store::dispatch::OutboxItem,
        link: Option<&str>,
    ) -> String {
        let mut t = format!("【安全生产调度】{}\n", item.title);
        if item.level > item.first_level {
            t.push_str("（升级通知：前一级人员未在时限内确认）\n");
        }
        t.push_str(&item.message);
        t.push('\n');
        match link {
            Some(l) => t.push_str(&format!("{}，请点击确认收到：{l}", item.name)),
            None => t.push_str(&format!(
                "{}，请回复本消息或致电调度员确认收到。",
                item.name
            )),
        }
        t
    }
}

impl App {
    /// 调度记录台账: one row per recipient of each dispatch in the caller's scope, with the
    /// times it was notified, delivered and confirmed (China time).
    pub fn dispatch_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let list = self.dispatches(caller, None, None, false)?;
        let headers = [
            "调度编号",
            "发起时间",
            "发起人",
            "调度对象",
            "所在区划",
            "标题",
            "层级",
            "接收人",
            "身份",
            "单位",
            "电话",
            "通知时间",
            "送达时间",
            "确认时间",
            "确认方式",
            "回复",
        ];
        let widths = [
            8.0, 16.0, 12.0, 10.0, 12.0, 30.0, 6.0, 10.0, 18.0, 18.0, 14.0, 16.0, 16.0, 16.0, 14.0,
            20.0,
        ];
        let t = |s: &Option<String>| {
            s.as_deref()
                .map(crate::auth::local_time)
                .unwrap_or_default()
        };
        let mut rows = Vec::new();
        for d in list {
            let detail = self.dispatch(caller, d.id)?;
            for r in &detail.recipients {
                rows.push(vec![
                    d.id.to_string(),
                    crate::auth::local_time(&d.created_at),
                    d.created_by_name.clone(),
                    d.entity.label().to_string(),
                    d.region_name.clone(),
                    d.title.clone(),
                    r.level.to_string(),
                    r.name.clone(),
                    r.role.clone(),
                    r.unit.clone(),
                    r.phone.clone(),
                    t(&r.notified_at),
                    t(&r.delivered_at),
                    t(&r.confirmed_at),
                    r.confirmed_via
                        .map(|v| v.label().to_string())
                        .unwrap_or_default(),
                    r.reply.clone(),
                ]);
            }
        }
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "调度记录台账",
            &headers,
            &widths,
            &rows,
        )
    }
}
