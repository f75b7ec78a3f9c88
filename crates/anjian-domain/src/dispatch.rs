//! One-key dispatch (一键调度): a message to the chain of a record (a hazard, an accident, a
//! disaster, an alarm) through the county's notifiers, each recipient's delivery and
//! confirmation recorded, and the next level brought in when the notified ones have not
//! confirmed in time.
//!
//! The rules here are pure: what a channel must be configured with, which recipients it
//! reaches, the retry backoff, and when a dispatch escalates.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

coded! {
    /// A notifier.
    #[schema(as = DispatchChannelKind)]
    ChannelKind {
        /// A JSON POST signed with HMAC-SHA256 (`X-Anjian-Signature`).
        Webhook = "webhook", "通用Webhook" | "Webhook" | "webhook接口";
        /// 企业微信 group robot (`qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`).
        Wecom = "wecom", "企业微信群机器人" | "企业微信";
        /// 钉钉 group robot (`oapi.dingtalk.com/robot/send?access_token=…`), signed when a
        /// secret is set.
        Dingtalk = "dingtalk", "钉钉群机器人" | "钉钉";
        /// E-mail over SMTP.
        Smtp = "smtp", "电子邮件" | "邮件" | "SMTP";
        /// An SMS gateway over HTTP, its body made from the county's template.
        Sms = "sms", "短信网关" | "短信";
    }
}

coded! {
    /// How a recipient confirmed.
    ConfirmVia {
        Link = "link", "点击链接确认";
        Sms = "sms", "短信回复确认" | "短信回复";
        Manual = "manual", "电话确认（人工登记）" | "人工登记";
    }
}

coded! {
    /// What a dispatch is about.
    DispatchEntity {
        Hazard = "hazard", "隐患";
        Accident = "accident", "事故";
        Disaster = "disaster", "灾害事件" | "灾害";
        Alarm = "alarm", "监测报警" | "报警";
        Place = "place", "区域" | "乡镇";
    }
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the county's own network).
    #[default]
    None,
    /// STARTTLS on the submission port.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// A channel's configuration, as stored (JSON). Fields a kind does not use stay empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DispatchChannelConfig)]
pub struct ChannelConfig {
    /// The webhook's, robot's or gateway's URL (http or https).
    #[serde(default)]
    pub url: String,
    /// The webhook's HMAC key, the 钉钉 robot's 加签 secret, the SMS gateway's callback key.
    #[serde(default)]
    pub secret: String,
    /// SMTP server and port.
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub port: u16,
    #[serde(default)]
    pub security: SmtpSecurity,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// The sender's address (`安监调度 <dispatch@example.gov.cn>`).
    #[serde(default)]
    pub from: String,
    /// The SMS gateway's request body with `{phone}`, `{text}`, `{name}`, `{link}` (each
    /// JSON-escaped when the content type is JSON, form-encoded otherwise).
    #[serde(default)]
    pub body: String,
    /// The SMS gateway's content type: `application/json` (default) or
    /// `application/x-www-form-urlencoded`.
    #[serde(default)]
    pub content_type: String,
}

impl ChannelConfig {
    /// The configuration with its secrets replaced by a mark (for reading back).
    pub fn masked(&self) -> Self {
        let mask = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                SECRET_MASK.to_string()
            }
        };
        Self {
            secret: mask(&self.secret),
            password: mask(&self.password),
            ..self.clone()
        }
    }

    /// `new` with masked secrets kept from `old` (an edit that did not retype them).
    pub fn keeping_secrets(mut self, old: &ChannelConfig) -> Self {
        if self.secret == SECRET_MASK {
            self.secret = old.secret.clone();
        }
        if self.password == SECRET_MASK {
            self.password = old.password.clone();
        }
        self
    }
}

/// What a masked secret reads as.
pub const SECRET_MASK: &str = "******";

/// An http(s) address without spaces (a webhook, a gateway, the links' public address).
pub fn is_http_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("http://") || s.starts_with("https://"))
        && s.len() > "https://".len()
        && !s.chars().any(char::is_whitespace)
}

/// What a channel of `kind` lacks, as (field, message).
pub fn check_channel(kind: ChannelKind, c: &ChannelConfig) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    match kind {
        ChannelKind::Webhook | ChannelKind::Wecom | ChannelKind::Dingtalk | ChannelKind::Sms => {
            if !is_http_url(&c.url) {
                out.push(("url", "请填写以 http:// 或 https:// 开头的接口地址"));
            }
        }
        ChannelKind::Smtp => {
            if c.host.trim().is_empty() {
                out.push(("host", "请填写邮件服务器地址"));
            }
            if c.port == 0 {
                out.push(("port", "请填写邮件服务器端口"));
            }
            if !c.from.contains('@') {
                out.push(("from", "请填写发件人邮箱"));
            }
            if c.username.is_empty() != c.password.is_empty() {
                out.push(("password", "用户名和密码应同时填写或同时留空"));
            }
        }
    }
    if kind == ChannelKind::Webhook && c.secret.trim().len() < 16 {
        out.push(("secret", "签名密钥至少16个字符，接收方用它验证消息"));
    }
    if kind == ChannelKind::Sms {
        if !c.body.contains("{phone}") || !c.body.contains("{text}") {
            out.push(("body", "短信模板须包含 {phone} 和 {text}"));
        }
        if !matches!(
            c.content_type.as_str(),
            "" | "application/json" | "application/x-www-form-urlencoded"
        ) {
            out.push((
                "content_type",
                "内容类型应为 application/json 或 application/x-www-form-urlencoded",
            ));
        }
    }
    out
}

/// Whether a channel reaches a recipient: SMS needs a phone, e-mail an address; the robots
/// and the webhook reach everyone (the robot names the person and @-mentions the phone).
pub fn reaches(kind: ChannelKind, phone: &str, email: &str) -> bool {
    match kind {
        ChannelKind::Sms => !phone.trim().is_empty(),
        ChannelKind::Smtp => email.contains('@'),
        ChannelKind::Webhook | ChannelKind::Wecom | ChannelKind::Dingtalk => true,
    }
}

/// Attempts before a message is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before attempt `attempts + 1` after `attempts` failed ones: 30 s doubling, at
/// most an hour (30 s, 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 1 h).
pub fn backoff(attempts: i64) -> Duration {
    let n = attempts.clamp(1, 20) - 1;
    let secs = 30i64.saturating_mul(1i64 << n.min(10));
    Duration::seconds(secs.min(3600))
}

/// The default minutes before unconfirmed recipients bring in the next level.
pub const DEFAULT_ESCALATE_MINUTES: i64 = 15;

/// Whether `m` is an allowed escalation time: a minute to a day.
pub fn escalate_minutes_ok(m: i64) -> bool {
    (1..=1440).contains(&m)
}

/// Whether `url` may be the address confirmation links start with: empty (no links), or an
/// http(s) address of at most 200 characters.
pub fn public_url_ok(url: &str) -> bool {
    url.is_empty() || (is_http_url(url) && url.chars().count() <= 200)
}

/// The level to notify next, if the dispatch escalates now: when the level reached was
/// notified `escalate_minutes` ago or more, someone notified so far has not confirmed, and a
/// higher level has recipients (the lowest such level; levels without anyone are skipped).
pub fn next_level(
    level_reached: i64,
    escalated_at: DateTime<Utc>,
    escalate_minutes: i64,
    now: DateTime<Utc>,
    unconfirmed_notified: usize,
    levels: &[i64],
) -> Option<i64> {
    if unconfirmed_notified == 0 || now < escalated_at + Duration::minutes(escalate_minutes) {
        return None;
    }
    levels.iter().copied().filter(|l| *l > level_reached).min()
}

/// A confirmation code (the link's token) is 32 hex digits.
pub fn is_token(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2022, 7, 12, h, m, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(0).num_seconds(), 30);
        assert_eq!(backoff(i64::MAX).num_seconds(), 3600);
    }

    #[test]
    fn escalation_waits_for_the_timeout_and_skips_empty_levels() {
        let levels = [1, 3];
        // Not yet: 14 minutes of 15.
        assert_eq!(next_level(1, at(8, 0), 15, at(8, 14), 2, &levels), None);
        // Time is up and two have not confirmed: level 2 is empty, level 3 is next.
        assert_eq!(next_level(1, at(8, 0), 15, at(8, 15), 2, &levels), Some(3));
        // Everyone confirmed: no escalation.
        assert_eq!(next_level(1, at(8, 0), 15, at(9, 0), 0, &levels), None);
        // The top level reached: nobody left to bring in.
        assert_eq!(next_level(3, at(8, 0), 15, at(9, 0), 1, &levels), None);
    }

    #[test]
    fn channels_state_what_they_need() {
        let fields = |k, c: &ChannelConfig| -> Vec<&str> {
            check_channel(k, c).into_iter().map(|(f, _)| f).collect()
        };
        assert_eq!(
            fields(ChannelKind::Webhook, &ChannelConfig::default()),
            ["url", "secret"]
        );
        let robot = ChannelConfig {
            url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc".into(),
            ..Default::default()
        };
        assert!(fields(ChannelKind::Wecom, &robot).is_empty());
        assert_eq!(
            fields(ChannelKind::Smtp, &ChannelConfig::default()),
            ["host", "port", "from"]
        );
        let sms = ChannelConfig {
            url: "http://10.1.1.1/sms".into(),
            body: r#"{"mobile":"{phone}"}"#.into(),
            ..Default::default()
        };
        assert_eq!(fields(ChannelKind::Sms, &sms), ["body"]);
        assert_eq!(
            fields(
                ChannelKind::Wecom,
                &ChannelConfig {
                    url: "ftp://x".into(),
                    ..Default::default()
                }
            ),
            ["url"]
        );
    }

    #[test]
    fn secrets_read_back_masked_and_survive_an_edit_that_keeps_the_mask() {
        let c = ChannelConfig {
            url: "https://x.example/hook".into(),
            secret: "0123456789abcdef".into(),
            ..Default::default()
        };
        let shown = c.masked();
        assert_eq!(shown.secret, SECRET_MASK);
        assert_eq!(shown.password, "");
        assert_eq!(shown.clone().keeping_secrets(&c), c);
    }

    #[test]
    fn sms_needs_a_phone_and_mail_an_address() {
        assert!(!reaches(ChannelKind::Sms, "", "a@b.cn"));
        assert!(reaches(ChannelKind::Sms, "13800000000", ""));
        assert!(!reaches(ChannelKind::Smtp, "13800000000", ""));
        assert!(reaches(ChannelKind::Wecom, "", ""));
    }
}
