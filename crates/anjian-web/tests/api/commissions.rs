//! 委托执法 through the API: township officers open simple cases only for commissioned items.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn township_cases_only_under_a_commission_in_force_on_the_day_of_the_act_xingzheng_chufa_fa_art_20()
 {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let agreement = json!({"region_code": TOWN_A, "agency": "测试市公安局交通管理大队", "agreement_no": "测公交〔2022〕3号",
        "items": [{"code": "JT-01", "name": "农村道路违规载人", "legal_basis": "《道路交通安全法》第九十条", "max_fine_yuan": 200.0}],
        "valid_from": "2022-01-01", "valid_to": "2022-12-31"});
    let r = t
        .call(
            "POST",
            "/api/v1/commissions",
            Some(&town),
            Some(agreement.clone()),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only the admin records agreements"
    );
    let mut bad = agreement.clone();
    bad["items"][0]["max_fine_yuan"] = json!(5000.0);
    let r = t
        .call("POST", "/api/v1/commissions", Some(&admin), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call("POST", "/api/v1/commissions", Some(&admin), Some(agreement))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let cid = r.json()["id"].as_i64().unwrap_or_default();
    let case = |extra: serde_json::Value| {
        let mut b = json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "person", "party_name": "刘某", "region_code": VILLAGE_A1, "sector": "hazchem",
            "fine_yuan": 100.0, "facts": "驾驶三轮车违规载人", "legal_basis": "《道路交通安全法》第九十条"});
        if let (Some(o), Some(x)) = (b.as_object_mut(), extra.as_object()) {
            o.extend(x.clone());
        }
        b
    };
    // Without a commission, over the item's cap, for an unlisted item, or in the general
    // procedure: refused with the field named.
    let r = t
        .call("POST", "/api/v1/cases", Some(&town), Some(case(json!({}))))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["commission_id"].is_array());
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&town),
            Some(case(
                json!({"commission_id": cid, "commission_item": "JT-01", "fine_yuan": 200.01}),
            )),
        )
        .await;
    assert!(
        r.json()["fields"]["fine_yuan"][0]
            .as_str()
            .is_some_and(|m| m.contains("200")),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&town),
            Some(case(
                json!({"commission_id": cid, "commission_item": "JT-99"}),
            )),
        )
        .await;
    assert!(r.json()["fields"]["commission_item"].is_array());
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&town),
            Some(case(
                json!({"commission_id": cid, "commission_item": "JT-01", "procedure": "general"}),
            )),
        )
        .await;
    assert!(r.json()["fields"]["procedure"].is_array());
    let r = t.call("POST", "/api/v1/cases", Some(&town), Some(case(json!({"commission_id": cid, "commission_item": "JT-01", "region_code": VILLAGE_B1})))).await;
    assert_ne!(r.status, StatusCode::CREATED, "outside the township");
    // Within the commission: accepted, in the agency's name.
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&town),
            Some(case(
                json!({"commission_id": cid, "commission_item": "JT-01"}),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let r = t
        .call("GET", &format!("/api/v1/cases/{id}"), Some(&town), None)
        .await;
    assert_eq!(r.json()["commission"]["agency"], "测试市公安局交通管理大队");
    // The township officer also executes the commissioned case.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/cases/{id}/actions"),
            Some(&town),
            Some(json!({"action": "execute"})),
        )
        .await;
    assert_eq!(r.json()["status"], "executed", "{}", r.text());
    let r = t
        .call("GET", "/api/v1/commissions/figures", Some(&admin), None)
        .await;
    assert_eq!(
        r.json()["items"],
        json!([{"agency": "测试市公安局交通管理大队", "item_code": "JT-01", "item_name": "农村道路违规载人", "cases": 1}])
    );
    // Outside the validity period the commission no longer applies.
    t.clock.advance(chrono::Duration::days(230)); // 2023-01-17
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&town),
            Some(case(
                json!({"commission_id": cid, "commission_item": "JT-01"}),
            )),
        )
        .await;
    assert!(
        r.json()["fields"]["commission_id"][0]
            .as_str()
            .is_some_and(|m| m.contains("有效期")),
        "{}",
        r.text()
    );
    let admin = t.token("admin").await;
    let r = t
        .call("GET", "/api/v1/commissions/export", Some(&admin), None)
        .await;
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].1[3], "1");
    // 行政处罚法 art. 20: what counts is the agreement's validity on the day of the act, not
    // the day of entry: a decision made on 2022-12-30 and entered in January is accepted.
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&town),
            Some(case(
                json!({"commission_id": cid, "commission_item": "JT-01", "date": "2022-12-30"}),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

/// The township officer's commissioned simple case is opened and stepped through in the web
/// UI, as the app allows (the case pages used to hide the form and the steps from townships).
#[tokio::test]
async fn township_opens_and_steps_a_commissioned_case_in_the_web_ui() {
    let t = spawn();
    let (session, csrf) = t.web_login("town_a").await;
    // Without a commission the township has nothing to open: no form.
    let page = t.page("/cases", &session).await.text();
    assert!(
        !page.contains("立案 / 当场处罚"),
        "no form without a commission"
    );
    let admin = t.token("admin").await;
    let agreement = json!({"region_code": TOWN_A, "agency": "测试市农业农村局", "agreement_no": "测农〔2022〕5号",
        "items": [{"code": "NJ-02", "name": "拖拉机未按规定检验", "legal_basis": "《农业机械安全监督管理条例》", "max_fine_yuan": 100.0}],
        "valid_from": "2022-01-01", "valid_to": "2022-12-31"});
    let r = t
        .call("POST", "/api/v1/commissions", Some(&admin), Some(agreement))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let cid = r.json()["id"].as_i64().unwrap_or_default();
    let page = t.page("/cases", &session).await.text();
    assert!(page.contains("立案 / 当场处罚"), "the form is offered");
    assert!(
        page.contains("测试市农业农村局：拖拉机未按规定检验"),
        "{page}"
    );
    let choice = format!("{cid}|NJ-02");
    let r = t
        .form(
            "/cases",
            &session,
            &[
                ("_csrf", &csrf),
                ("procedure", "simple"),
                ("officers", "执法员甲"),
                ("officers", "执法员乙"),
                ("commission", &choice),
                ("region_code", VILLAGE_A1),
                ("sector", "hazchem"),
                ("party_kind", "person"),
                ("party_name", "王某"),
                ("fine_yuan", "50"),
                ("facts", "拖拉机未按规定检验上道路行驶"),
                ("legal_basis", "《农业机械安全监督管理条例》第五十条"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r
        .headers
        .get(axum::http::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(location.starts_with("/cases/"), "{location}");
    // The detail page offers exactly the step the app accepts: execute, then close.
    for (action, label, status) in [
        ("execute", "执行完毕", "已执行"),
        ("close", "结案", "已结案"),
    ] {
        let page = t.page(&location, &session).await.text();
        assert!(
            page.contains(&format!("name=\"action\" value=\"{action}\"")),
            "{action} offered: {page}"
        );
        let version = hidden(&page, "version");
        let r = t
            .form(
                &format!("{location}/act"),
                &session,
                &[("_csrf", &csrf), ("action", action), ("version", &version)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.text());
        let page = t.page(&location, &session).await.text();
        assert!(page.contains(status), "{status}");
    }
    let page = t.page(&location, &session).await.text();
    assert!(!page.contains("name=\"action\""), "nothing left to do");
}
