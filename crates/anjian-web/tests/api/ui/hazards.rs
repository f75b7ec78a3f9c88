//! Hazard, major-hazard and listing (挂牌督办) pages.

use crate::helpers::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn hazard_pages_and_actions_through_forms() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let form = t.page("/hazards/new", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    // Missing description and a future date: field messages, nothing written.
    let r = t
        .form(
            "/hazards/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("level", "general"),
                ("source", "inspection"),
                ("region_code", VILLAGE_A1),
                ("sector", "hazchem"),
                ("found_on", "2030-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("隐患描述不能为空") && html.contains("发现日期不能晚于今天"),
        "{html}"
    );
    // The ledger's total, read before the hazard exists (and kept while nothing changes),
    // must count it as soon as it is written.
    let total = |html: String| -> Option<u64> {
        let at = html.find("共 ")? + "共 ".len();
        html[at..].split(' ').next()?.parse().ok()
    };
    let before = total(t.page("/hazards?sector=hazchem", &session).await.text());
    assert!(before.is_some());
    assert_eq!(
        before,
        total(t.page("/hazards?sector=hazchem", &session).await.text())
    );
    let ent = t.ids.a_haz.to_string();
    let r = t
        .form(
            "/hazards/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("level", "general"),
                ("source", "inspection"),
                ("region_code", VILLAGE_A1),
                ("sector", "hazchem"),
                ("found_on", "2022-05-30"),
                ("description", "消防通道堵塞"),
                ("enterprise_id", &ent),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let id = loc
        .trim_start_matches("/hazards/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("消防通道堵塞") && page.contains("责令限期整改"));
    // Order with 5 working days through the form.
    let r = t
        .form(
            &format!("/hazards/{id}/act"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "order"),
                ("deadline_days", "5"),
                ("deadline_basis", "working_days"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    assert!(
        page.contains("2022-06-09（按工作日计算）"),
        "deadline shown with its basis"
    );
    // A wrong action for the state shows a message, not an error page.
    let r = t
        .form(
            &format!("/hazards/{id}/act"),
            &session,
            &[("_csrf", &csrf), ("action", "pass")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("不能执行"));
    // The ledger lists it and exports it.
    let list = t.page("/hazards?sector=hazchem", &session).await.text();
    assert!(list.contains("消防通道堵塞"));
    assert_eq!(
        total(list),
        before.map(|n| n + 1),
        "the total counts the new hazard"
    );
    let x = t.page("/hazards/export?format=xlsx", &session).await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.body.starts_with(b"PK"), "an xlsx (zip) file");
    // Another township's user cannot open it.
    let (other, _) = t.web_login("paizhu").await;
    assert_eq!(
        t.page(&format!("/hazards/{id}"), &other).await.status,
        StatusCode::NOT_FOUND
    );
    let cal = t
        .page("/calendar?year=2022&from=2022-09-29&days=5", &session)
        .await
        .text();
    assert!(cal.contains("2022-10-11"));
}

#[tokio::test]
async fn major_hazard_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("yingji").await;
    let ent = t.ids.a_haz.to_string();
    let r = t
        .form(
            "/hazards/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("level", "major"),
                ("source", "inspection"),
                ("region_code", VILLAGE_A1),
                ("sector", "hazchem"),
                ("found_on", "2022-05-30"),
                ("description", "储罐区未设紧急切断"),
                ("enterprise_id", &ent),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let id = loc
        .trim_start_matches("/hazards/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    assert!(
        page.contains("一单四制") && page.contains("认定并列入清单"),
        "case panel with its actions"
    );
    let r = t
        .form(
            &format!("/hazards/{id}/case"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "list"),
                ("basis_standard", ""),
                ("basis_clause", ""),
                ("determined_by", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写判定依据"));
    let r = t
        .form(
            &format!("/hazards/{id}/case"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "list"),
                ("basis_standard", "危化判定标准"),
                ("basis_clause", "第五条"),
                ("determined_by", "专题会议"),
                ("tier", "county"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = t.page("/major-hazards", &session).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("储罐区未设紧急切断") && list.text().contains("已列入清单"));
    let x = t.page("/major-hazards/export", &session).await;
    assert!(x.body.starts_with(b"PK"));
    let r = t
        .form("/major-hazards/bulletins", &session, &[("_csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        t.page("/major-hazards/bulletins", &session)
            .await
            .text()
            .contains("安委办通〔2022〕1号")
    );
}

#[tokio::test]
async fn listing_pages() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let body = serde_json::json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "major", "source": "inspection",
        "description": "防火堤破损", "found_on": "2022-05-20"});
    let hid = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body))
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    let (session, csrf) = t.web_login("admin").await;
    let r = t
        .form(
            "/listings",
            &session,
            &[
                ("_csrf", &csrf),
                ("hazard_id", "abc"),
                ("title", "x"),
                ("deadline", "2022-09-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .form(
            "/listings",
            &session,
            &[
                ("_csrf", &csrf),
                ("hazard_id", &hid),
                ("title", "防火堤破损挂牌督办"),
                ("deadline", "2022-09-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("批准挂牌") && page.contains("提请挂牌"));
    let r = t
        .form(
            &format!("{loc}/act"),
            &session,
            &[("_csrf", &csrf), ("action", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t
        .form(
            &format!("{loc}/act"),
            &session,
            &[("_csrf", &csrf), ("action", "list")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写挂牌督办通知书文号"));
    let list = t.page("/listings?year=2022", &session).await.text();
    assert!(list.contains("防火堤破损挂牌督办"));
    assert!(
        t.page("/listings/export?year=2022", &session)
            .await
            .body
            .starts_with(b"PK")
    );
}

/// Pickers instead of numbers: the enterprise of a hazard is entered by name or code (the
/// picker offers "名称（信用代码）" from the caller's scope); a name matching several is
/// refused with the candidates named, one outside the scope reads as not found.
#[tokio::test]
async fn the_enterprise_is_picked_by_name_or_code_not_by_an_internal_number() {
    let t = spawn();
    let (s, csrf) = t.web_login("zhifa").await;
    let r = t.page("/enterprises/suggest?q=测试企业1", &s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let offered: Vec<String> = serde_json::from_str(&r.text()).unwrap_or_default();
    assert!(
        offered.iter().any(|o| o.starts_with("测试企业1有限公司（")),
        "{offered:?}"
    );
    let register = |ent: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("description", "消防通道堵塞".to_string()),
            ("level", "general".to_string()),
            ("source", "inspection".to_string()),
            ("region_code", VILLAGE_A1.to_string()),
            ("sector", "hazchem".to_string()),
            ("enterprise_id", ent.to_string()),
            ("found_on", "2022-06-01".to_string()),
        ]
    };
    let send = |pairs: Vec<(&'static str, String)>| {
        let t = &t;
        let s = s.clone();
        async move {
            let p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.form("/hazards/new", &s, &p).await
        }
    };
    // The picker's text: registered against that enterprise.
    let picked = offered
        .iter()
        .find(|o| o.starts_with("测试企业1有限公司（"))
        .cloned()
        .unwrap_or_default();
    let mut pairs = register("");
    pairs[6].1 = picked;
    let r = send(pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // A part of a name several enterprises share: refused, the candidates named, text kept.
    let r = send(register("测试企业")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("有多家"), "{}", r.text());
    assert!(r.text().contains("value=\"测试企业\""), "typed text kept");
    // Nothing matches: in words.
    let r = send(register("不存在的公司")).await;
    assert!(
        r.text().contains("未找到名称含“不存在的公司”的企业"),
        "{}",
        r.text()
    );
    // The township cannot pick another township's enterprise: not found, like a missing one.
    let (ts, tcsrf) = t.web_login("town_a").await;
    let r = t.page("/enterprises/suggest?q=测试企业3", &ts).await;
    assert_eq!(r.text(), "[]", "outside the township's scope");
    let _ = tcsrf;
}

/// The hazard's timeline names people by their names, not their accounts.
#[tokio::test]
async fn the_timeline_names_people_not_accounts() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(
                serde_json::json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1,
                "sector": "hazchem", "level": "general", "source": "inspection",
                "description": "安全出口锁闭", "found_on": "2022-06-01"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let (s, _) = t.web_login("admin").await;
    let html = t.page(&format!("/hazards/{id}"), &s).await.text();
    assert!(html.contains("<td>zhifa用户</td>"), "{html}");
    assert!(!html.contains("<td>zhifa</td>"), "{html}");
}
