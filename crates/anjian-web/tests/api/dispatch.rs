//! One-key dispatch through the API and the pages: channels are the 安委办's (secrets read
//! back masked), a bad dispatch names its fields (422), a dispatch from a hazard reaches its
//! chain and is on the hazard's page and timeline, another township cannot see it (404 like
//! a missing one), the recipient's link confirms without a login (an unknown link is 404), an
//! unsigned SMS reply is refused (401), and a refused form keeps what was typed.

use crate::helpers::*;
use anjian_domain::Scope;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_dispatch_from_a_hazard_through_the_api_and_the_pages() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/dispatch-channels",
            Some(&admin),
            Some(
                json!({"kind": "webhook", "name": "县应急指挥平台", "config": {"url": "ftp://x"}}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("config.url") && r.text().contains("config.secret"),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "POST",
            "/api/v1/dispatch-channels",
            Some(&town),
            Some(json!({"kind": "wecom", "name": "群", "config": {"url": "http://127.0.0.1:9/x"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/dispatch-channels",
            Some(&admin),
            Some(json!({"kind": "企业微信", "name": "县安委办企业微信群", "config": {"url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/dispatch-channels",
            Some(&admin),
            Some(json!({"kind": "sms", "name": "政务短信平台", "config": {"url": "http://127.0.0.1:9/sms", "secret": "sms-secret-0123456789", "body": "{\"m\":\"{phone}\",\"c\":\"{text}\"}"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["config"]["secret"], "******");
    let sms = r.json()["id"].as_i64().unwrap_or(0);
    let r = t
        .call(
            "PUT",
            "/api/v1/dispatch-settings",
            Some(&admin),
            Some(json!({"public_url": "10.1.2.3:8080", "escalate_minutes": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("public_url") && r.text().contains("escalate_minutes"),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "PUT",
            "/api/v1/dispatch-settings",
            Some(&admin),
            Some(json!({"public_url": "http://10.1.2.3:8080/", "escalate_minutes": 20})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["public_url"], "http://10.1.2.3:8080");

    // A hazard at an enterprise whose principal is on record.
    let mut e = enterprise_json(92, VILLAGE_A1, "hazchem");
    e["principal"] = json!("赵大海");
    e["principal_phone"] = json!("13807950001");
    let r = t
        .call("POST", "/api/v1/enterprises", Some(&admin), Some(e))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let ent = r.json()["id"].as_i64().unwrap_or(0);
    let body = json!({"enterprise_id": ent, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "major",
        "source": "inspection", "description": "液氯储罐区泄漏报警装置失效", "found_on": "2022-05-20"});
    let r = t
        .call("POST", "/api/v1/hazards", Some(&admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let hazard = r.json()["id"].as_i64().unwrap_or(0);

    let r = t
        .call(
            "GET",
            &format!("/api/v1/dispatches/subject?entity=hazard&entity_id={hazard}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["chain"][0]["name"], "赵大海");
    let r = t
        .call(
            "POST",
            "/api/v1/dispatches",
            Some(&town),
            Some(
                json!({"entity": "hazard", "entity_id": hazard, "title": "", "message": "立即处置",
                "extra": [{"name": "钱工", "phone": "12345"}]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("\"title\"") && r.text().contains("extra[0].phone"),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "POST",
            "/api/v1/dispatches",
            Some(&town),
            Some(json!({"entity": "hazard", "entity_id": hazard, "title": "重大隐患处置调度",
                "message": "液氯储罐区泄漏报警装置失效，请立即停用储罐区并组织核查。", "escalate_minutes": 10})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let d = r.json();
    let id = d["dispatch"]["id"].as_i64().unwrap_or(0);
    assert_eq!(d["recipients"][0]["name"], "赵大海", "{d}");
    assert!(
        d["recipients"][0].get("token").is_none(),
        "tokens never leave the store"
    );
    // The principal's SMS and robot message wait in the outbox.
    assert!(
        d["deliveries"]
            .as_array()
            .is_some_and(|v| v.iter().all(|m| m["status"] == "pending") && v.len() >= 2),
        "{d}"
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/dispatches?entity=hazard&entity_id={hazard}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(1));
    off_runtime(|| {
        t.app
            .add_user_system(
                "test",
                &anjian_app::users::NewUser {
                    username: "town_b".into(),
                    display_name: "永泰镇应急办".into(),
                    role: "township".into(),
                    region_code: Some(TOWN_B.into()),
                    password: Some(PASSWORD.into()),
                    active: true,
                    ..Default::default()
                },
            )
            .unwrap()
    });
    let other = t.token("town_b").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/dispatches/{id}"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let r = t
        .call("GET", "/api/v1/dispatches/export", Some(&town), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // The recipient's link, without a login.
    let token = off_runtime(|| {
        t.app
            .store_for_tests()
            .get_dispatch(&Scope::system(), id)
            .unwrap()
            .recipients[0]
            .token
            .clone()
    });
    let r = t.page(&format!("/d/{token}"), "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("确认收到") && r.text().contains("赵大海"),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "POST",
            &format!("/api/v1/dispatch-confirmations/{token}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.json()["confirmed_at"]
            .as_str()
            .is_some_and(|s| s.starts_with("20"))
    );
    let r = t.page("/d/0123456789abcdef0123456789abcdef", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("链接无效"));
    let r = t
        .raw(
            "POST",
            &format!("/api/v1/dispatch-channels/{sms}/sms-replies"),
            None,
            "application/json",
            r#"{"phone":"13807950001","text":"收到"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());

    // The pages: the hazard shows the dispatch in its panel and its timeline; the dispatch's
    // page shows who confirmed how; a refused form keeps the message typed.
    let (session, csrf) = t.web_login("town_a").await;
    let html = t.page(&format!("/hazards/{hazard}"), &session).await.text();
    assert!(
        html.contains(&format!("/dispatches/new?entity=hazard&#38;id={hazard}\"")),
        "{html}"
    );
    assert!(
        html.matches("重大隐患处置调度").count() >= 2,
        "panel and timeline: {html}"
    );
    let html = t.page(&format!("/dispatches/{id}"), &session).await.text();
    assert!(
        html.contains("点击链接确认") && html.contains("1</strong> 人"),
        "{html}"
    );
    let html = t
        .page(
            &format!("/dispatches/new?entity=hazard&id={hazard}"),
            &session,
        )
        .await
        .text();
    assert!(
        html.contains("赵大海") && html.contains("政务短信平台"),
        "{html}"
    );
    let r = t
        .form(
            "/dispatches",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("entity", "hazard"),
                ("entity_id", &hazard.to_string()),
                ("chain_len", "1"),
                ("keep", "0"),
                ("channels_shown", "1"),
                ("channel", &sms.to_string()),
                ("title", ""),
                ("message", "请立即组织复查"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("请立即组织复查") && r.text().contains("请填写调度标题"),
        "{}",
        r.text()
    );
    let html = t.page("/dispatch-channels", &session).await.text();
    assert!(
        html.contains("政务短信平台") && !html.contains("sms-secret-0123456789"),
        "{html}"
    );
    let html = t.page("/dispatches", &session).await.text();
    assert!(html.contains("重大隐患处置调度"), "{html}");
}
