//! The notifiers: how one outbox message goes out through each kind of channel.
//!
//! - **Webhook**: `POST` the JSON [`WebhookBody`] with `X-Anjian-Delivery` (the outbox id: a
//!   receiver that sees it twice after a crash drops the second), `X-Anjian-Timestamp` (Unix
//!   seconds) and `X-Anjian-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
//!   Any 2xx is delivered.
//! - **企业微信 group robot**: `POST {url}` with `{"msgtype":"text","text":{"content":…,
//!   "mentioned_mobile_list":[phone]}}`; delivered when the answer's `errcode` is 0.
//! - **钉钉 group robot**: `POST {url}[&timestamp=<ms>&sign=<urlencoded base64
//!   HMAC-SHA256(secret, "<ms>\n<secret>")>]` with `{"msgtype":"text","text":{"content":…},
//!   "at":{"atMobiles":[phone],"isAtAll":false}}`; delivered when `errcode` is 0.
//! - **SMS gateway**: `POST {url}` with the county's body template, `{phone}`, `{text}`,
//!   `{name}` and `{link}` replaced (JSON-escaped, or form-encoded); any 2xx is delivered.
//! - **SMTP**: a plain-text UTF-8 mail to the recipient's address.
//!
//! Every call is bounded by a 10-second timeout, and an answer body is read to at most 64 KiB.

use anjian_domain::dispatch::{ChannelConfig, ChannelKind, SmtpSecurity};
use anjian_store::dispatch::OutboxItem;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);

/// What a generic webhook receives.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookBody {
    /// The outbox id: the same message delivered twice has the same id.
    pub delivery_id: i64,
    pub dispatch_id: i64,
    pub title: String,
    /// The text as sent to people (with the link).
    pub text: String,
    pub recipient: WebhookRecipient,
    /// The confirmation link, if the county set its public address.
    pub confirm_url: Option<String>,
    /// True when the recipient was brought in by escalation.
    pub escalated: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookRecipient {
    pub name: String,
    pub role: String,
    pub unit: String,
    pub phone: String,
    pub email: String,
    pub level: i64,
}

/// One message as it goes out.
pub struct Outgoing<'a> {
    pub item: &'a OutboxItem,
    /// The text people read.
    pub text: String,
    pub link: Option<String>,
    /// Unix seconds and milliseconds of the send (signatures).
    pub unix_ms: i64,
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length, so this cannot fail.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Whether `signature` (hex, optionally `sha256=`-prefixed) is the HMAC of `data` under
/// `key`, compared in constant time.
pub fn verify_hmac(key: &[u8], data: &[u8], signature: &str) -> bool {
    let sig = signature.trim();
    let sig = sig.strip_prefix("sha256=").unwrap_or(sig);
    let Ok(bytes) = hex::decode(sig) else {
        return false;
    };
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.verify_slice(&bytes).is_ok()
        }
        Err(_) => false,
    }
}

/// The webhook's signature header value for `body` sent at `unix` seconds.
pub fn webhook_signature(secret: &str, unix: i64, body: &[u8]) -> String {
    let mut data = format!("{unix}.").into_bytes();
    data.extend_from_slice(body);
    format!(
        "sha256={}",
        hex::encode(hmac_sha256(secret.as_bytes(), &data))
    )
}

/// The 钉钉 robot's `sign` parameter (already URL-encoded) for `ms`.
pub fn dingtalk_sign(secret: &str, ms: i64) -> String {
    let mac = hmac_sha256(secret.as_bytes(), format!("{ms}\n{secret}").as_bytes());
    let b64 = base64::engine::general_purpose::STANDARD.encode(mac);
    b64.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into()
}

fn post(
    url: &str,
    content_type: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> Result<String, String> {
    let mut req = agent().post(url).header("Content-Type", content_type);
    for (k, v) in headers {
        req = req.header(*k, v.as_str());
    }
    let mut resp = req.send(&body[..]).map_err(|e| format!("连接失败：{e}"))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
        .unwrap_or_default();
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(format!(
            "接收方返回 {status}：{}",
            text.chars().take(200).collect::<String>()
        ))
    }
}

/// A robot's answer: delivered when `errcode` is 0.
fn robot_answer(text: &str) -> Result<(), String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|_| {
        format!(
            "机器人应答无法识别：{}",
            text.chars().take(200).collect::<String>()
        )
    })?;
    match v.get("errcode").and_then(serde_json::Value::as_i64) {
        Some(0) => Ok(()),
        code => Err(format!(
            "机器人拒收（errcode {}）：{}",
            code.map_or("?".to_string(), |c| c.to_string()),
            v.get("errmsg")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
        )),
    }
}

fn json_escaped(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

fn form_escaped(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The SMS gateway's body from the county's template.
pub fn sms_body(
    template: &str,
    json: bool,
    phone: &str,
    text: &str,
    name: &str,
    link: &str,
) -> String {
    let esc = |s: &str| {
        if json {
            json_escaped(s)
        } else {
            form_escaped(s)
        }
    };
    template
        .replace("{phone}", &esc(phone))
        .replace("{text}", &esc(text))
        .replace("{name}", &esc(name))
        .replace("{link}", &esc(link))
}

/// Sends `out` through a channel of `kind` configured with `cfg`.
pub fn send(kind: ChannelKind, cfg: &ChannelConfig, out: &Outgoing<'_>) -> Result<(), String> {
    let it = out.item;
    match kind {
        ChannelKind::Webhook => {
            let body = serde_json::to_vec(&WebhookBody {
                delivery_id: it.id,
                dispatch_id: it.dispatch_id,
                title: it.title.clone(),
                text: out.text.clone(),
                recipient: WebhookRecipient {
                    name: it.name.clone(),
                    role: it.role.clone(),
                    unit: it.unit.clone(),
                    phone: it.phone.clone(),
                    email: it.email.clone(),
                    level: it.level,
                },
                confirm_url: out.link.clone(),
                escalated: it.level > it.first_level,
            })
            .map_err(|e| e.to_string())?;
            let unix = out.unix_ms.div_euclid(1000);
            let sig = webhook_signature(&cfg.secret, unix, &body);
            post(
                &cfg.url,
                "application/json",
                &[
                    ("X-Anjian-Delivery", it.id.to_string()),
                    ("X-Anjian-Timestamp", unix.to_string()),
                    ("X-Anjian-Signature", sig),
                ],
                body,
            )
            .map(|_| ())
        }
        ChannelKind::Wecom => {
            let mobiles: Vec<&str> = [it.phone.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect();
            let body = serde_json::json!({
                "msgtype": "text",
                "text": { "content": out.text, "mentioned_mobile_list": mobiles },
            });
            robot_answer(&post(
                &cfg.url,
                "application/json",
                &[],
                body.to_string().into_bytes(),
            )?)
        }
        ChannelKind::Dingtalk => {
            let mobiles: Vec<&str> = [it.phone.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect();
            let body = serde_json::json!({
                "msgtype": "text",
                "text": { "content": out.text },
                "at": { "atMobiles": mobiles, "isAtAll": false },
            });
            let url = if cfg.secret.is_empty() {
                cfg.url.clone()
            } else {
                let sep = if cfg.url.contains('?') { '&' } else { '?' };
                format!(
                    "{}{sep}timestamp={}&sign={}",
                    cfg.url,
                    out.unix_ms,
                    dingtalk_sign(&cfg.secret, out.unix_ms)
                )
            };
            robot_answer(&post(
                &url,
                "application/json",
                &[],
                body.to_string().into_bytes(),
            )?)
        }
        ChannelKind::Sms => {
            let form = cfg.content_type == "application/x-www-form-urlencoded";
            let body = sms_body(
                &cfg.body,
                !form,
                &it.phone,
                &out.text,
                &it.name,
                out.link.as_deref().unwrap_or(""),
            );
            let ct = if form {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            };
            post(&cfg.url, ct, &[], body.into_bytes()).map(|_| ())
        }
        ChannelKind::Smtp => send_mail(cfg, it, &out.text),
    }
}

fn send_mail(cfg: &ChannelConfig, it: &OutboxItem, text: &str) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{Message, SmtpTransport, Transport};
    let from = cfg
        .from
        .parse()
        .map_err(|e| format!("发件人地址无效：{e}"))?;
    let to = it
        .email
        .parse()
        .map_err(|e| format!("收件人地址无效：{e}"))?;
    let mail = Message::builder()
        .from(from)
        .to(to)
        .subject(format!("【安全生产调度】{}", it.title))
        .header(ContentType::TEXT_PLAIN)
        .body(text.to_string())
        .map_err(|e| format!("邮件无法生成：{e}"))?;
    let builder = match cfg.security {
        SmtpSecurity::None => SmtpTransport::builder_dangerous(cfg.host.as_str()),
        SmtpSecurity::Starttls => {
            SmtpTransport::starttls_relay(&cfg.host).map_err(|e| format!("邮件服务器无效：{e}"))?
        }
        SmtpSecurity::Tls => {
            SmtpTransport::relay(&cfg.host).map_err(|e| format!("邮件服务器无效：{e}"))?
        }
    };
    let mut builder = builder.port(cfg.port).timeout(Some(TIMEOUT));
    if !cfg.username.is_empty() {
        builder = builder.credentials(Credentials::new(cfg.username.clone(), cfg.password.clone()));
    }
    builder
        .build()
        .send(&mail)
        .map(|_| ())
        .map_err(|e| format!("邮件发送失败：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_signatures_verify_and_a_changed_body_does_not() {
        let sig = webhook_signature("0123456789abcdef", 1_657_584_000, b"{\"a\":1}");
        assert!(verify_hmac(
            b"0123456789abcdef",
            b"1657584000.{\"a\":1}",
            &sig
        ));
        assert!(!verify_hmac(
            b"0123456789abcdef",
            b"1657584000.{\"a\":2}",
            &sig
        ));
        assert!(!verify_hmac(b"k", b"x", "not hex"));
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn sms_bodies_escape_what_they_carry() {
        let t = r#"{"mobile":"{phone}","content":"{text}"}"#;
        let b = sms_body(
            t,
            true,
            "13800000000",
            "暴雨\"红色\"预警\n请确认",
            "张三",
            "",
        );
        let v: serde_json::Value = serde_json::from_str(&b).unwrap_or_default();
        assert_eq!(v["content"], "暴雨\"红色\"预警\n请确认");
        let f = sms_body("to={phone}&msg={text}", false, "138", "a&b=c", "", "");
        assert_eq!(f, "to=138&msg=a%26b%3Dc");
    }

    #[test]
    fn dingtalk_sign_is_url_safe() {
        let s = dingtalk_sign("SEC0123456789", 1_657_584_000_000);
        assert!(
            !s.contains('+') && !s.contains('/') && !s.contains('='),
            "{s}"
        );
    }
}
