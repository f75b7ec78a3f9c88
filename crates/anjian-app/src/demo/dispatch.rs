//! The demo county's one-key dispatch: its two notifiers (the 防指 企业微信 group's robot and
//! the government SMS platform) and the dispatch of 2022-06-21 12:10, when the 6月强降雨过程
//! response was raised to Ⅲ级: every township's flood duty person and the water and natural
//! resources bureaus notified at once, most confirming by the link within minutes, one by
//! SMS reply, one not at all, so that after 15 minutes the 防指's deputy commanders were
//! brought in; the last township's confirmation was taken by phone and the dispatch ended at
//! 18:00. Written through the store at those times, so every receipt has its time.

use super::{Rng, Town};
use crate::{App, Result};
use anjian_domain::Scope;
use anjian_domain::dispatch::{ChannelConfig, ChannelKind, ConfirmVia, DispatchEntity};
use anjian_store::Change;
use anjian_store::dispatch::{NewDispatch, NewRecipient};
use chrono::{DateTime, Duration, TimeZone, Utc};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "胡", "朱", "林", "何", "罗",
];
const GIVEN: &[&str] = &[
    "建华", "志刚", "海燕", "晓东", "国强", "文斌", "立军", "卫平", "春生", "德明",
];

fn person(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        rng.pick(SURNAMES).copied().unwrap_or("王"),
        rng.pick(GIVEN).copied().unwrap_or("建华")
    )
}

fn phone(rng: &mut Rng) -> String {
    format!("13{}{:08}", 5 + rng.below(5), rng.below(100_000_000))
}

/// 2022-06-21 12:10 China time, plus `minutes`.
fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 6, 21, 4, 10, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minutes)
}

/// Writes the channels and the dispatch; returns the number of records written.
pub(super) fn generate(app: &App, seed: u64, towns: &[Town]) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0xD1_59_A7);
    let scope = Scope::system();
    let county = super::DEMO_COUNTY_CODE;
    let change = |t: DateTime<Utc>| Change::system(&scope, "demo", t);
    let config = |c: ChannelConfig| serde_json::to_string(&c).unwrap_or_default();
    let setup = Utc
        .with_ymd_and_hms(2022, 1, 5, 1, 0, 0)
        .single()
        .unwrap_or_default();
    // The address `anjian serve --demo` answers at, for the confirmation links.
    app.store.set_setting(
        &change(setup),
        crate::dispatch::PUBLIC_URL,
        "http://127.0.0.1:8080",
    )?;
    let wecom = app.store.create_dispatch_channel(
        &change(setup),
        county,
        ChannelKind::Wecom,
        "市防指工作群（企业微信）",
        &config(ChannelConfig {
            url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo-0000-0000".into(),
            ..Default::default()
        }),
        true,
    )?;
    let sms = app.store.create_dispatch_channel(
        &change(setup),
        county,
        ChannelKind::Sms,
        "政务短信平台",
        &config(ChannelConfig {
            url: "http://10.36.9.20:8080/sms/send".into(),
            secret: "demo-sms-callback-secret".into(),
            body: r#"{"mobile":"{phone}","content":"{text}"}"#.into(),
            content_type: "application/json".into(),
            ..Default::default()
        }),
        true,
    )?;
    let mut recipients = Vec::new();
    for (_, name, _) in towns {
        recipients.push(NewRecipient {
            level: 1,
            role: "乡镇（街道）防汛值班".into(),
            name: person(&mut rng),
            unit: name.clone(),
            phone: phone(&mut rng),
            email: String::new(),
            token: app.dispatch_token()?,
        });
    }
    for unit in ["市水利局", "市自然资源局"] {
        recipients.push(NewRecipient {
            level: 1,
            role: "行业主管部门值班".into(),
            name: person(&mut rng),
            unit: unit.into(),
            phone: phone(&mut rng),
            email: String::new(),
            token: app.dispatch_token()?,
        });
    }
    for post in [
        "市防指副指挥长（分管副市长）",
        "市防指副指挥长（应急管理局局长）",
    ] {
        recipients.push(NewRecipient {
            level: 2,
            role: "包片领导".into(),
            name: person(&mut rng),
            unit: post.into(),
            phone: phone(&mut rng),
            email: String::new(),
            token: app.dispatch_token()?,
        });
    }
    let event = app
        .store
        .list_disaster_events(
            &scope,
            &Default::default(),
            &anjian_store::paging::Keyset::first(100),
        )?
        .items
        .into_iter()
        .find(|e| e.name == "2022年6月强降雨过程");
    let d = app.store.create_dispatch(
        &change(at(0)),
        &NewDispatch {
            region_code: county.into(),
            entity: if event.is_some() {
                DispatchEntity::Disaster
            } else {
                DispatchEntity::Place
            },
            entity_id: event.map(|e| e.id),
            title: "防汛Ⅲ级应急响应：立即组织危险区域人员转移".into(),
            message: "市防指决定自6月21日12时起将防汛应急响应提升至Ⅲ级。请各乡镇（街道）立即组织山洪地质灾害隐患点、病险水库下游和低洼地带群众转移避险，落实库坝堤防24小时巡查，每日17时前报送转移安置人数。"
                .into(),
            channel_ids: vec![wecom.id, sms.id],
            escalate_minutes: 15,
            recipients: recipients.clone(),
            created_by_name: "市应急管理局值班室".into(),
        },
    )?;
    let id = d.dispatch.id;
    let send_all = |minute: i64| -> Result<()> {
        for item in app
            .store
            .claim_outbox("demo", at(minute), at(minute + 2), 500)?
        {
            app.store
                .outbox_sent(item.id, "demo", at(minute) + Duration::seconds(20))?;
        }
        Ok(())
    };
    send_all(1)?;
    // Level 1 confirms: most by the link in 3 to 14 minutes, the last but one township by
    // SMS reply, the last township not yet.
    let level1: Vec<&NewRecipient> = recipients.iter().filter(|r| r.level == 1).collect();
    let n = level1.len();
    for (i, r) in level1.iter().enumerate() {
        if i + 1 == n.min(towns.len()) {
            continue;
        }
        if i + 2 == n.min(towns.len()) {
            app.store.confirm_dispatch_phone(
                &change(at(9)),
                sms.id,
                &r.phone,
                "收到，已组织转移",
            )?;
            continue;
        }
        let minute = 3 + (i as i64 * 7) % 12;
        app.store
            .confirm_dispatch_token(&change(at(minute)), &r.token, ConfirmVia::Link, "")?;
    }
    // 15 minutes on, one township has not confirmed: the deputy commanders are notified.
    app.store.escalate_dispatch(&change(at(15)), id, 1, 2)?;
    send_all(16)?;
    for (i, r) in recipients.iter().filter(|r| r.level == 2).enumerate() {
        app.store.confirm_dispatch_token(
            &change(at(18 + i as i64 * 3)),
            &r.token,
            ConfirmVia::Link,
            "",
        )?;
    }
    if let Some(last) = level1.get(n.min(towns.len()).saturating_sub(1)) {
        let missing = app
            .store
            .get_dispatch(&scope, id)?
            .recipients
            .into_iter()
            .find(|x| x.token == last.token);
        if let Some(x) = missing {
            app.store.confirm_dispatch_recipient(
                &change(at(26)),
                id,
                x.id,
                "值班电话确认：镇长在转移现场",
            )?;
        }
    }
    app.store.close_dispatch(&change(at(350)), id)?;
    Ok(2 + 1 + recipients.len())
}
