//! Case, transfer, report and commission pages, and documents issued from record pages.

use crate::helpers::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn case_pages_with_documents() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let e = t.ids.a_haz.to_string();
    let base = [
        ("_csrf", csrf.as_str()),
        ("procedure", "simple"),
        ("officers", "执法员甲"),
        ("officers", "执法员乙"),
        ("party_kind", "organisation"),
        ("party_name", "测试企业1有限公司"),
        ("enterprise_id", e.as_str()),
        ("facts", "未按规定设置安全警示标志"),
        ("legal_basis", "《安全生产法》第九十九条"),
    ];
    let mut over = base.to_vec();
    over.push(("fine_yuan", "3000.01"));
    let r = t.form("/cases", &session, &over).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("3000元"), "{}", r.text());
    let mut general = base.to_vec();
    general[1] = ("procedure", "general");
    general.push(("fine_yuan", "20000"));
    let r = t.form("/cases", &session, &general).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("法定时限") && page.contains("调查取证"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{loc}/documents"),
            &session,
            &[
                ("_csrf", &csrf),
                ("doc_type", "case_register"),
                ("date", "2022-06-01"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("测应急立〔2022〕1号"), "{page}");
    let r = t
        .form(
            &format!("{loc}/documents"),
            &session,
            &[
                ("_csrf", &csrf),
                ("doc_type", "recheck_opinion"),
                ("date", "2022-06-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = t.page("/cases", &session).await.text();
    assert!(
        list.contains("测试企业1有限公司") && list.contains("普通程序"),
        "{list}"
    );
    // A simple-procedure decision is due for publicity; record it from the page.
    let mut simple = base.to_vec();
    simple.push(("fine_yuan", "500"));
    let r = t.form("/cases", &session, &simple).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let sloc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&sloc, &session).await.text();
    assert!(
        page.contains("处罚决定公示") && page.contains("2022-06-13"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{sloc}/publicity"),
            &session,
            &[
                ("_csrf", &csrf),
                ("published_on", "2022-06-01"),
                ("channel", "测试市人民政府网站"),
                ("url", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(
        t.page(&sloc, &session)
            .await
            .text()
            .contains("测试市人民政府网站")
    );
    // An enterprise user sees its case but no handling forms.
    let (qs, _) = t.web_login("qiye").await;
    let page = t.page(&loc, &qs).await.text();
    assert!(
        page.contains("法定时限") && !page.contains("制发并编号"),
        "{page}"
    );
}

#[tokio::test]
async fn transfer_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let e = t.ids.a_haz.to_string();
    let mut f = vec![
        ("_csrf", csrf.as_str()),
        ("case_id", ""),
        ("enterprise_id", e.as_str()),
        ("subject", "测试企业1有限公司 王某"),
        ("crime_type", "dangerous_operation"),
        ("facts", "关闭报警装置继续生产"),
        ("officers", "杨帆"),
    ];
    let r = t.form("/transfers", &session, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("2名以上"), "{}", r.text());
    f[6] = ("officers", "杨帆、钟敏");
    let r = t.form("/transfers", &session, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("负责人作出是否移送决定") && page.contains("杨帆、钟敏"),
        "{page}"
    );
    assert!(!page.contains("批准移送"), "an inspector does not decide");
    let (ys, ycsrf) = t.web_login("yingji").await;
    let page = t.page(&loc, &ys).await.text();
    assert!(page.contains("批准移送") && page.contains("决定不移送"));
    let r = t
        .form(
            &format!("{loc}/act"),
            &ys,
            &[
                ("_csrf", &ycsrf),
                ("action", "approve"),
                ("date", ""),
                ("approver", "王局长"),
                ("capacity", "principal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = t.page("/transfers", &ys).await.text();
    assert!(list.contains("批准移送，待移送"), "{list}");
}

#[tokio::test]
async fn report_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let e = t.ids.a_haz.to_string();
    let mut f = vec![
        ("_csrf", csrf.as_str()),
        ("channel", "12350热线"),
        ("category", "major_hazard"),
        ("enterprise_id", e.as_str()),
        ("content", "储罐区报警器关闭"),
        ("reporter_name", "李某"),
        ("reporter_phone", ""),
    ];
    let r = t.form("/reports", &session, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    f[6] = ("reporter_phone", "13907951234");
    let r = t.form("/reports", &session, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("核查办结") && page.contains("登记为隐患"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{loc}/act"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "verify"),
                ("outcome", "verified"),
                ("note", "属实"),
                ("create_hazard", "1"),
                ("case_id", ""),
                ("date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("查证属实") && page.contains("/hazards/"),
        "{page}"
    );
    let list = t.page("/reports", &session).await.text();
    assert!(list.contains("储罐区报警器关闭"));
}

#[tokio::test]
async fn commission_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let mut f = vec![
        ("_csrf", csrf.as_str()),
        ("region_code", TOWN_A),
        ("agency", "测试市交通运输局"),
        ("agreement_no", "测交〔2022〕1号"),
        ("valid_from", "2022-01-01"),
        ("valid_to", "2022-12-31"),
        ("items.code", "YG-01"),
        ("items.name", "违规载客"),
        ("items.legal_basis", "《道路运输条例》"),
        ("items.max_fine_yuan", "5000"),
    ];
    let r = t.form("/commissions", &session, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "cap above 3000");
    f[9] = ("items.max_fine_yuan", "2000");
    f.extend([
        ("items.code", "YG-02"),
        ("items.name", "未随车携带证件"),
        ("items.legal_basis", ""),
        ("items.max_fine_yuan", "200"),
    ]);
    let r = t.form("/commissions", &session, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page("/commissions", &session).await.text();
    assert!(
        page.contains("测交〔2022〕1号") && page.contains("YG-02 未随车携带证件（≤200元）"),
        "{page}"
    );
    let (ts, tcsrf) = t.web_login("town_a").await;
    let page = t.page("/commissions", &ts).await.text();
    assert!(page.contains("测交〔2022〕1号") && !page.contains("登记委托协议"));
    let r = t
        .form("/commissions", &ts, &[("_csrf", &tcsrf), ("agency", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
}

#[tokio::test]
async fn documents_from_inspection_and_hazard_pages() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call("POST", "/api/v1/inspections", Some(&insp), Some(serde_json::json!({"enterprise_id": t.ids.a_haz, "sector": "hazchem", "kind": "routine",
            "enforcement": true, "inspected_on": "2022-06-01", "officer_ids": t.officer_ids(), "findings": ["防火堤破损"]})))
        .await;
    let iid = r.json()["id"].as_i64().unwrap_or_default().to_string();
    let r = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(serde_json::json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem",
            "level": "general", "source": "inspection", "description": "防火堤破损", "found_on": "2022-06-01", "deadline": "2022-06-30"})))
        .await;
    let hid = r.json()["id"].as_i64().unwrap_or_default().to_string();
    let (session, csrf) = t.web_login("zhifa").await;
    let r = t
        .form(
            "/documents/issue",
            &session,
            &[
                ("_csrf", &csrf),
                ("entity", "inspection"),
                ("entity_id", &iid),
                ("doc_type", "inspection_record"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t
        .page(&format!("/inspections/{iid}"), &session)
        .await
        .text();
    assert!(page.contains("测应急检记〔2022〕1号"), "{page}");
    let r = t
        .form(
            "/documents/issue",
            &session,
            &[
                ("_csrf", &csrf),
                ("entity", "hazard"),
                ("entity_id", &hid),
                ("doc_type", "rectification_order"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&format!("/hazards/{hid}"), &session).await.text();
    assert!(
        page.contains("测应急责改〔2022〕1号") && page.contains("整改复查意见书"),
        "{page}"
    );
    // A type that does not belong to the record is refused.
    let r = t
        .form(
            "/documents/issue",
            &session,
            &[
                ("_csrf", &csrf),
                ("entity", "hazard"),
                ("entity_id", &hid),
                ("doc_type", "penalty_decision"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The enterprise sees its documents but no issue form.
    let (qs, _) = t.web_login("qiye").await;
    let page = t.page(&format!("/hazards/{hid}"), &qs).await.text();
    assert!(
        page.contains("测应急责改〔2022〕1号") && !page.contains("制发并编号"),
        "{page}"
    );
}
