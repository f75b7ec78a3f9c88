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
