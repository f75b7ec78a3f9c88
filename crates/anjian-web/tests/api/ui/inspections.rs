//! Inspection, random-draw and inspection-plan pages.

use crate::helpers::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn inspection_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let tpl = off_runtime(|| {
        t.app
            .store_for_tests()
            .list_templates(Some("hazchem"))
            .unwrap_or_default()
    });
    let tid = tpl[0].id.to_string();
    let form = t
        .page(&format!("/inspections/new?template_id={tid}"), &session)
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("储罐区可燃有毒气体检测报警装置"));
    let ent = t.ids.a_haz.to_string();
    let r = t
        .form(
            "/inspections/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("template_id", &tid),
                ("enterprise_id", &ent),
                ("sector", "hazchem"),
                ("kind", "joint"),
                ("inspected_on", "2022-05-31"),
                ("inspectors", "杨帆"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("两名以上持有效执法证的执法人员"));
    // The roster offers the department's certified officers with their numbers.
    let yj = t.user("yingji").id.to_string();
    let zf = t.user("zhifa").id.to_string();
    assert!(
        form.text()
            .contains(&format!(r#"name="officer_ids" value="{zf}""#))
            && form.text().contains("赣36098201002"),
        "{}",
        form.text()
    );
    let r = t
        .form(
            "/inspections/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("template_id", &tid),
                ("enterprise_id", &ent),
                ("sector", "hazchem"),
                ("kind", "joint"),
                ("inspected_on", "2022-05-31"),
                ("officer_ids", &yj),
                ("officer_ids", &zf),
                ("inspectors", "县应急管理局专家 刘芳"),
                ("result.1", "pass"),
                ("result.2", "fail"),
                ("note.2", "安全管理人员未考核"),
                ("result.3", "pass"),
                ("result.4", "na"),
                ("result.5", "pass"),
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
    assert!(page.contains("安全管理人员未考核") && page.contains("转为隐患"));
    assert!(
        page.contains("赣36098201001")
            && page.contains("赣36098201002")
            && page.contains("县应急管理局专家 刘芳"),
        "{page}"
    );
    assert!(
        t.page("/inspections", &session)
            .await
            .text()
            .contains("联合执法")
    );
    let doc = t.page(&format!("{loc}/record"), &session).await;
    assert!(doc.body.starts_with(b"PK"));
    assert!(
        t.page("/inspections/export", &session)
            .await
            .body
            .starts_with(b"PK")
    );
}

#[tokio::test]
async fn draw_pages() {
    let t = spawn();
    let admin = t.token("admin").await;
    for n in ["zhifa2", "zhifa3"] {
        let r = t
            .call(
                "POST",
                "/api/v1/users",
                Some(&admin),
                Some(serde_json::json!({"username": n, "display_name": format!("{n}执法"), "role": "inspector", "password": "Abc12345678", "department_id": t.ids.dept_fire})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let (session, csrf) = t.web_login("admin").await;
    let r = t
        .form(
            "/draws",
            &session,
            &[
                ("_csrf", &csrf),
                ("title", ""),
                ("sector", "hazchem"),
                ("key_quota", ""),
                ("ratio_percent", "50"),
                ("team_size", "2"),
                ("exclude_inspected_days", "90"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写抽查名称"), "{}", r.text());
    let r = t
        .form(
            "/draws",
            &session,
            &[
                ("_csrf", &csrf),
                ("title", "危化企业随机抽查"),
                ("sector", "hazchem"),
                ("key_quota", ""),
                ("ratio_percent", "50"),
                ("team_size", "2"),
                ("exclude_inspected_days", "90"),
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
    assert!(
        page.contains("种子承诺值") && page.contains("公开随机数"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{loc}/draw"),
            &session,
            &[("_csrf", &csrf), ("entropy", "福彩3D 517")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("结果与记录一致"), "{page}");
    assert!(page.contains("测试企业"), "{page}");
    let r = t
        .form(
            &format!("{loc}/publish"),
            &session,
            &[
                ("_csrf", &csrf),
                ("published_on", "2022-06-01"),
                ("published_where", "政府网站"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = t.page("/draws", &session).await.text();
    assert!(
        list.contains("危化企业随机抽查") && list.contains("已公示"),
        "{list}"
    );
}

#[tokio::test]
async fn plan_pages() {
    let t = spawn();
    let yj = t.token("yingji").await;
    let r = t
        .call(
            "POST",
            "/api/v1/plans",
            Some(&yj),
            Some(serde_json::json!({"year": 2022, "title": "2022年度监督检查计划", "random_share_percent": 70,
                "lines": [{"sector": "hazchem", "category": "key", "month": 6, "planned": 4}]})),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let (session, csrf) = t.web_login("admin").await;
    let list = t.page("/plans", &session).await.text();
    assert!(
        list.contains("2022年度监督检查计划") && list.contains("草稿"),
        "{list}"
    );
    let page = t.page(&format!("/plans/{id}"), &session).await.text();
    assert!(
        page.contains("按月进度") && page.contains("登记批准"),
        "{page}"
    );
    let r = t
        .form(
            &format!("/plans/{id}/approve"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", "1"),
                ("approved_by", ""),
                ("approved_on", "2022-06-01"),
                ("doc_no", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .form(
            &format!("/plans/{id}/approve"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", "1"),
                ("approved_by", "测试市人民政府"),
                ("approved_on", "2022-06-01"),
                ("doc_no", "测府字〔2022〕8号"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&format!("/plans/{id}"), &session).await.text();
    assert!(
        page.contains("测府字〔2022〕8号") && !page.contains("登记批准</button>"),
        "{page}"
    );
    // Drafting from the page's rows: ui::tables.
}
