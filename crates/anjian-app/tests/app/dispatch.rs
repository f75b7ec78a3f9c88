//! One-key dispatch end to end against local receivers: a webhook (signature checked), the
//! 企业微信 and 钉钉 robot endpoints, an SMS gateway and an SMTP listener, all started here.
//! Two instances run the job at once and every message arrives once per recipient and
//! channel; a receiver error is retried after the backoff; confirmations by link, by SMS
//! reply and by phone are recorded with their times; unconfirmed recipients bring in the
//! next level after the dispatch's minutes under the injected clock, once.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::dispatch::notify::{verify_hmac, webhook_signature};
use anjian_app::dispatch::{ChannelDraft, DispatchDraft, RecipientDraft};
use anjian_app::users::NewUser;
use anjian_app::{App, AppError, Caller};
use anjian_domain::dispatch::{ChannelConfig, ConfirmVia, SmtpSecurity};
use anjian_domain::{Clock, FixedClock, RegionCode, Scope};
use anjian_store::regions::RegionInput;
use anjian_store::testing::TestStore;
use chrono::{Duration, NaiveDate};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const COUNTY: &str = "360982000000";
const TOWN_A: &str = "360982100000";
const SECRET: &str = "webhook-secret-0123456789";
const SMS_SECRET: &str = "sms-callback-secret-42";

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Got {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// A small HTTP/1.1 receiver: records every request; answers 500 to the first
/// `fail_first` requests on `/hook`, robots `{"errcode":0}`, everyone else 200.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Got>>>,
}

fn handle(mut s: TcpStream, got: &Mutex<Vec<Got>>, failures: &AtomicUsize) {
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap();
            }
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).unwrap();
    let body = String::from_utf8(body).unwrap();
    let (status, answer) = if path.starts_with("/hook")
        && failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    {
        ("500 Internal Server Error", "busy".to_string())
    } else if path.starts_with("/wecom") || path.starts_with("/dingtalk") {
        ("200 OK", r#"{"errcode":0,"errmsg":"ok"}"#.to_string())
    } else {
        ("200 OK", "{}".to_string())
    };
    got.lock().unwrap().push(Got {
        path,
        headers,
        body,
    });
    let _ = write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

impl Receiver {
    fn start(fail_first: usize) -> Self {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        let failures = Arc::new(AtomicUsize::new(fail_first));
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let (g, f) = (g.clone(), failures.clone());
                std::thread::spawn(move || handle(s, &g, &f));
            }
        });
        Self { port, got }
    }
    fn got(&self, prefix: &str) -> Vec<Got> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|g| g.path.starts_with(prefix))
            .cloned()
            .collect()
    }
}

/// A mail as received: its recipients and its data.
type Mail = (Vec<String>, String);

/// A small SMTP listener: records each mail's recipients and data.
struct Smtp {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl Smtp {
    fn start() -> Self {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let m = mails.clone();
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let m = m.clone();
                std::thread::spawn(move || {
                    let mut w = s.try_clone().unwrap();
                    let mut r = BufReader::new(s);
                    let _ = w.write_all(b"220 localhost ESMTP test\r\n");
                    let (mut rcpt, mut data, mut in_data) = (Vec::new(), String::new(), false);
                    loop {
                        let mut line = String::new();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            break;
                        }
                        if in_data {
                            if line == ".\r\n" {
                                in_data = false;
                                m.lock()
                                    .unwrap()
                                    .push((std::mem::take(&mut rcpt), std::mem::take(&mut data)));
                                let _ = w.write_all(b"250 OK queued\r\n");
                            } else {
                                data.push_str(&line);
                            }
                            continue;
                        }
                        let up = line.to_ascii_uppercase();
                        let answer: &[u8] = if up.starts_with("EHLO") {
                            b"250-localhost\r\n250 8BITMIME\r\n"
                        } else if up.starts_with("RCPT TO:") {
                            rcpt.push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        } else if up.starts_with("DATA") {
                            in_data = true;
                            b"354 go ahead\r\n"
                        } else if up.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n");
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        let _ = w.write_all(answer);
                    }
                });
            }
        });
        Self { port, mails }
    }
}

struct County {
    ts: TestStore,
    clock: Arc<FixedClock>,
    app: App,
    admin: Caller,
    town: Caller,
}

fn county(ts: TestStore) -> County {
    let clock = Arc::new(FixedClock::new(
        NaiveDate::from_ymd_opt(2022, 7, 12)
            .unwrap()
            .and_hms_opt(0, 30, 0)
            .unwrap()
            .and_utc(),
    ));
    let app = App::new(ts.store.clone(), clock.clone() as Arc<dyn Clock>);
    anjian_app::catalogue::ensure_defaults(&app).unwrap();
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    let rc = |s: &str| RegionCode::parse(s).unwrap();
    ts.store
        .upsert_regions(
            &ch,
            &[
                RegionInput {
                    code: rc(COUNTY),
                    name: "清江市".into(),
                    parent_code: None,
                },
                RegionInput {
                    code: rc(TOWN_A),
                    name: "临江镇".into(),
                    parent_code: Some(rc(COUNTY)),
                },
            ],
        )
        .unwrap();
    ts.store
        .set_setting(&ch, anjian_store::settings::ROOT_REGION, COUNTY)
        .unwrap();
    ts.store
        .set_setting(
            &ch,
            anjian_app::dispatch::PUBLIC_URL,
            "http://anjian.example:8080/",
        )
        .unwrap();
    let mut ids = Vec::new();
    for (username, name, role, region, phone) in [
        ("admin", "县安委办值班员", "admin", COUNTY, "13907950001"),
        ("town_a", "临江镇应急办", "township", TOWN_A, "13907950002"),
    ] {
        ids.push(
            app.add_user_system(
                "test",
                &NewUser {
                    username: username.into(),
                    display_name: name.into(),
                    role: role.into(),
                    region_code: Some(region.into()),
                    phone: Some(phone.into()),
                    password: Some("Passw0rd2022".into()),
                    active: true,
                    ..Default::default()
                },
            )
            .unwrap(),
        );
    }
    let caller = |id| {
        let u = ts.store.get_user(&Scope::system(), id).unwrap();
        app.caller_for(u, "test", "127.0.0.1").unwrap()
    };
    let (admin, town) = (caller(ids[0]), caller(ids[1]));
    County {
        ts,
        clock,
        app,
        admin,
        town,
    }
}

fn channel(kind: &str, name: &str, config: ChannelConfig) -> ChannelDraft {
    ChannelDraft {
        kind: kind.into(),
        name: name.into(),
        active: true,
        config,
        version: None,
    }
}

fn fields_of(e: AppError) -> Vec<String> {
    match e {
        AppError::Validation(v) => v.fields.keys().cloned().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn run_two(a: &App, b: &App) -> (usize, usize, usize) {
    let (ra, rb) = std::thread::scope(|s| {
        let ha = s.spawn(|| a.run_dispatch_jobs("instance-a").unwrap());
        let hb = s.spawn(|| b.run_dispatch_jobs("instance-b").unwrap());
        (ha.join().unwrap(), hb.join().unwrap())
    });
    (
        ra.escalated + rb.escalated,
        ra.sent + rb.sent,
        ra.retried + rb.retried,
    )
}

#[test]
fn a_dispatch_reaches_each_recipient_once_is_confirmed_and_escalates_on_time() {
    for ts in TestStore::all() {
        let name = ts.name;
        let c = county(ts);
        let second = App::new(
            Arc::new(c.ts.second_handle().unwrap()),
            c.clock.clone() as Arc<dyn Clock>,
        );
        let http = Receiver::start(1);
        let smtp = Smtp::start();
        let url = |p: &str| format!("http://127.0.0.1:{}{p}", http.port);

        // Channels are the 安委办's configuration, checked field by field.
        let bad = c
            .app
            .create_dispatch_channel(
                &c.admin,
                &channel("webhook", "值班系统", ChannelConfig::default()),
            )
            .unwrap_err();
        assert_eq!(fields_of(bad), ["config.secret", "config.url"], "{name}");
        assert!(matches!(
            c.app.create_dispatch_channel(
                &c.town,
                &channel("wecom", "群", ChannelConfig::default())
            ),
            Err(AppError::Forbidden(_))
        ));
        let webhook = c
            .app
            .create_dispatch_channel(
                &c.admin,
                &channel(
                    "webhook",
                    "县应急指挥平台",
                    ChannelConfig {
                        url: url("/hook"),
                        secret: SECRET.into(),
                        ..Default::default()
                    },
                ),
            )
            .unwrap();
        assert_eq!(webhook.config.secret, "******", "{name}: read back masked");
        for (kind, label, cfg) in [
            (
                "企业微信",
                "县安委办企业微信群",
                ChannelConfig {
                    url: url("/wecom?key=k1"),
                    ..Default::default()
                },
            ),
            (
                "钉钉",
                "防汛钉钉群",
                ChannelConfig {
                    url: url("/dingtalk?access_token=t1"),
                    secret: "SECdingtalk".into(),
                    ..Default::default()
                },
            ),
            (
                "短信",
                "政务短信平台",
                ChannelConfig {
                    url: url("/sms"),
                    secret: SMS_SECRET.into(),
                    body: r#"{"mobile":"{phone}","content":"{text}"}"#.into(),
                    ..Default::default()
                },
            ),
            (
                "邮件",
                "政务邮箱",
                ChannelConfig {
                    host: "127.0.0.1".into(),
                    port: smtp.port,
                    security: SmtpSecurity::None,
                    from: "调度 <dispatch@anjian.example>".into(),
                    ..Default::default()
                },
            ),
        ] {
            c.app
                .create_dispatch_channel(&c.admin, &channel(kind, label, cfg))
                .unwrap();
        }
        let sms_channel = c
            .app
            .dispatch_channels(&c.admin)
            .unwrap()
            .into_iter()
            .find(|ch| ch.name == "政务短信平台")
            .unwrap();

        // The township dispatches to its own place: its own account (level 1), the added
        // person (level 1) and the 安委办 (level 3).
        let draft = DispatchDraft {
            entity: "区域".into(),
            region: TOWN_A.into(),
            title: "暴雨红色预警：立即组织人员转移".into(),
            message: "7月12日夜间有大暴雨，请立即组织山洪地质灾害危险区人员转移。".into(),
            escalate_minutes: Some(15),
            chain: true,
            extra: vec![RecipientDraft {
                name: "张建国".into(),
                role: "村防汛责任人".into(),
                unit: "临江村".into(),
                phone: "13807951111".into(),
                email: "zhang@anjian.example".into(),
                level: Some(1),
            }],
            ..Default::default()
        };
        let refused = c
            .app
            .create_dispatch(
                &c.town,
                &DispatchDraft {
                    title: String::new(),
                    extra: vec![RecipientDraft {
                        name: "李".into(),
                        phone: "12345".into(),
                        ..Default::default()
                    }],
                    ..draft.clone()
                },
            )
            .unwrap_err();
        assert_eq!(fields_of(refused), ["extra[0].phone", "title"], "{name}");
        let d = c.app.create_dispatch(&c.town, &draft).unwrap();
        let id = d.dispatch.id;
        let names: Vec<(i64, &str)> = d
            .recipients
            .iter()
            .map(|r| (r.level, r.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [(1, "张建国"), (1, "临江镇应急办"), (3, "县安委办值班员")],
            "{name}"
        );
        assert_eq!(d.dispatch.level_reached, 1);
        // Level 1: two people; webhook, 企业微信, 钉钉 and SMS reach both, e-mail one.
        assert_eq!(d.deliveries.len(), 9, "{name}");

        // Two instances run the job at once: each message goes out once; the webhook's
        // first message met a 500 and waits for its retry.
        let (escalated, sent, retried) = run_two(&c.app, &second);
        assert_eq!((escalated, sent, retried), (0, 8, 1), "{name}");
        assert_eq!(
            http.got("/hook").len(),
            2,
            "{name}: one failed, one delivered"
        );
        assert_eq!(http.got("/wecom").len(), 2, "{name}");
        assert_eq!(http.got("/dingtalk").len(), 2, "{name}");
        assert_eq!(http.got("/sms").len(), 2, "{name}");
        assert_eq!(smtp.mails.lock().unwrap().len(), 1, "{name}");
        // Nothing is due again before the backoff.
        assert_eq!(run_two(&c.app, &second), (0, 0, 0), "{name}");
        c.clock.advance(Duration::seconds(30));
        assert_eq!(run_two(&c.app, &second), (0, 1, 0), "{name}: retried");
        let hooks = http.got("/hook");
        assert_eq!(hooks.len(), 3, "{name}");
        let delivered: Vec<i64> = {
            let mut v: Vec<i64> = hooks
                .iter()
                .map(|g| g.header("X-Anjian-Delivery").unwrap().parse().unwrap())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        assert_eq!(delivered.len(), 2, "{name}: two recipients, one id each");

        // The webhook is signed: the receiver verifies it with the shared secret.
        for g in &hooks {
            let ts = g.header("X-Anjian-Timestamp").unwrap();
            let sig = g.header("X-Anjian-Signature").unwrap();
            assert!(verify_hmac(
                SECRET.as_bytes(),
                format!("{ts}.{}", g.body).as_bytes(),
                sig
            ));
            assert_eq!(
                webhook_signature(SECRET, ts.parse().unwrap(), g.body.as_bytes()),
                sig
            );
        }
        // The robots @ the phone; 钉钉 is signed; SMS follows the template; mail is UTF-8.
        let wecom = http.got("/wecom");
        assert!(
            wecom
                .iter()
                .any(|g| g.json()["text"]["mentioned_mobile_list"][0] == "13807951111")
        );
        assert!(
            http.got("/dingtalk")
                .iter()
                .all(|g| g.path.contains("&timestamp=")
                    && g.path.contains("&sign=")
                    && g.json()["at"]["atMobiles"].as_array().unwrap().len() == 1)
        );
        let sms = http.got("/sms");
        assert!(sms.iter().any(|g| {
            g.json()["mobile"] == "13907950002"
                && g.json()["content"]
                    .as_str()
                    .unwrap()
                    .contains("http://anjian.example:8080/d/")
        }));
        let (rcpt, data) = smtp.mails.lock().unwrap()[0].clone();
        assert_eq!(rcpt, ["<zhang@anjian.example>"], "{name}");
        assert!(data.contains("Subject:"), "{name}");

        // 张建国 opens his link; the township's account replies by SMS (a badly signed
        // reply is refused and changes nothing).
        let body = hooks
            .iter()
            .map(Got::json)
            .find(|b| b["recipient"]["name"] == "张建国")
            .unwrap();
        let link = body["confirm_url"].as_str().unwrap().to_string();
        let token = link.rsplit('/').next().unwrap();
        let page = c.app.confirm_dispatch_link(token).unwrap();
        assert_eq!(page.name, "张建国");
        assert!(page.confirmed_at.is_some());
        assert!(matches!(
            c.app
                .confirm_dispatch_link("0123456789abcdef0123456789abcdef"),
            Err(AppError::NotFound)
        ));
        let reply = r#"{"phone":"13907950002","text":"1 收到"}"#.as_bytes();
        assert!(matches!(
            c.app.dispatch_sms_reply(sms_channel.id, reply, "sha256=00"),
            Err(AppError::Unauthorized(_))
        ));
        let d = c.app.dispatch(&c.town, id).unwrap();
        assert_eq!(d.dispatch.confirmed, 1, "{name}");

        // 15 minutes pass with the township unconfirmed: the 安委办 (level 3; level 2 has
        // nobody) is notified, once although both instances run.
        c.clock.advance(Duration::minutes(15));
        let (escalated, sent, _) = run_two(&c.app, &second);
        assert_eq!(
            (escalated, sent),
            (1, 4),
            "{name}: webhook, robots and SMS to the 安委办"
        );
        let d = c.app.dispatch(&c.town, id).unwrap();
        assert_eq!(d.dispatch.level_reached, 3, "{name}");
        let top = d.recipients.iter().find(|r| r.level == 3).unwrap();
        assert!(top.notified_at.is_some() && top.delivered_at.is_some());
        let escalated_text = http
            .got("/sms")
            .into_iter()
            .find(|g| g.json()["mobile"] == "13907950001")
            .unwrap();
        assert!(
            escalated_text.json()["content"]
                .as_str()
                .unwrap()
                .contains("升级通知")
        );
        // Nothing more to bring in.
        c.clock.advance(Duration::minutes(30));
        assert_eq!(run_two(&c.app, &second).0, 0, "{name}");

        // The late SMS reply confirms the township; the 安委办's confirmation is taken by
        // phone; every confirmation has its time and way.
        let sig = webhook_signature_plain(SMS_SECRET, reply);
        assert!(
            c.app
                .dispatch_sms_reply(sms_channel.id, reply, &sig)
                .unwrap()
        );
        c.app
            .confirm_dispatch_recipient(&c.admin, id, top.id, "值班电话确认")
            .unwrap();
        let d = c.app.close_dispatch(&c.town, id).unwrap();
        let via: Vec<(&str, Option<ConfirmVia>, bool)> = d
            .recipients
            .iter()
            .map(|r| (r.name.as_str(), r.confirmed_via, r.confirmed_at.is_some()))
            .collect();
        assert_eq!(
            via,
            [
                ("张建国", Some(ConfirmVia::Link), true),
                ("临江镇应急办", Some(ConfirmVia::Sms), true),
                ("县安委办值班员", Some(ConfirmVia::Manual), true),
            ],
            "{name}"
        );
        assert!(d.dispatch.closed_at.is_some());
        // The audit chain holds the dispatch, its escalation, confirmations and end.
        let actions: Vec<String> =
            c.ts.store
                .list_audit(
                    &Scope::system(),
                    &anjian_store::audit::AuditFilter {
                        entity: Some("dispatch".into()),
                        entity_id: Some(id.to_string()),
                        limit: 100,
                        ..Default::default()
                    },
                )
                .unwrap()
                .into_iter()
                .map(|e| e.action)
                .collect();
        for a in [
            "dispatch.create",
            "dispatch.escalate",
            "dispatch.confirm",
            "dispatch.close",
        ] {
            assert!(actions.iter().any(|x| x == a), "{name}: {a} in {actions:?}");
        }
    }
}

/// The gateway's signature of a reply: hex HMAC-SHA256 of the body.
fn webhook_signature_plain(secret: &str, body: &[u8]) -> String {
    hex::encode(anjian_app::dispatch::notify::hmac_sha256(
        secret.as_bytes(),
        body,
    ))
}
