//! The risk steering pages: the list in the menu, an enterprise's grade page with its 四色图
//! and override form (refused forms keep what was typed), the section on the enterprise's
//! page, the township picture, the settings form, the plan form's proposal button and the
//! plan page's behind-frequency list.

use crate::helpers::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

fn point(t: &TestApp, enterprise: i64, region: &str, grade: &str) {
    off_runtime(|| {
        t.app.store_for_tests().raw_execute(
            "INSERT INTO risk_points (county_code, region_code, enterprise_id, grade, state, created_at, updated_at, place, hazard_factor, accident_types, control_level, responsible_name, responsible_phone) VALUES ('360982000000', ?, ?, ?, 'accepted', '2022-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z', '储罐区', '易燃液体泄漏', 'fire', 'workshop', '张三', '13800000000')",
            &[region.into(), enterprise.into(), grade.into()],
        )
    })
    .unwrap();
}

#[tokio::test]
async fn grade_pages_override_form_and_pictures() {
    let t = spawn();
    let a = t.ids.a_haz;
    point(&t, a, VILLAGE_A1, "large");
    let (s, csrf) = t.web_login("yingji").await;
    let home = t.page("/", &s).await.text();
    assert!(home.contains("href=\"/risk-grades\""), "menu entry");
    let list = t.page("/risk-grades", &s).await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains("测试企业1有限公司") && html.contains("较大风险（橙色）"));
    assert!(html.contains("/risk-grades/township?region="));
    // The enterprise's grade page: picture inline, the form for the department.
    let page = t.page(&format!("/enterprises/{a}/risk"), &s).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<svg") && html.contains("data-grade=\"large\" data-count=\"1\""));
    assert!(html.contains("人工认定风险等级") && html.contains("下载四色图"));
    // Refused: no reason; the chosen grade is kept and the reason named in words.
    let r = t
        .form(
            &format!("/enterprises/{a}/risk"),
            &s,
            &[
                ("_csrf", &csrf),
                ("version", ""),
                ("grade", "major"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("请填写认定或取消的理由"), "{html}");
    assert!(
        html.contains("<option value=\"major\" selected>"),
        "kept the grade"
    );
    assert!(!html.contains(">reason<"), "no field names on screen");
    let r = t
        .form(
            &format!("/enterprises/{a}/risk"),
            &s,
            &[
                ("_csrf", &csrf),
                ("version", ""),
                ("grade", "major"),
                ("reason", "构成重大危险源"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = t
        .page(&format!("/enterprises/{a}/risk?saved=1"), &s)
        .await
        .text();
    assert!(html.contains("重大风险（红色）") && html.contains("构成重大危险源"));
    assert!(html.contains("取消人工认定"));
    // The enterprise's own page: the section with the colour and the latest override; the
    // change history reads in words.
    let html = t.page(&format!("/enterprises/{a}"), &s).await.text();
    assert!(
        html.contains("风险等级 <span class=\"tag\" style=\"background:#e02020"),
        "{html}"
    );
    assert!(html.contains("认定风险等级"));
    assert!(
        !html.contains("enterprise_risk_grade."),
        "no action codes on screen"
    );
    // Clearing from the enterprise's page.
    let r = t
        .form(
            &format!("/enterprises/{a}/risk"),
            &s,
            &[
                ("_csrf", &csrf),
                ("version", "1"),
                ("grade", ""),
                ("reason", "已备案"),
                ("_clear", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = t.page(&format!("/enterprises/{a}/risk"), &s).await.text();
    assert!(html.contains("取消人工认定") && html.contains("较大风险（橙色）"));

    // The township's picture, printable.
    let html = t
        .page(&format!("/risk-grades/township?region={TOWN_A}"), &s)
        .await
        .text();
    assert!(html.contains("临江镇企业安全风险四色分布图") && html.contains("four-colour-card"));
    assert!(html.contains("data-print"));
    let css = t
        .send(Request::get("/static/app.css").body(Body::empty()).unwrap())
        .await
        .text();
    assert!(css.contains(".four-colour-card svg { width: 100%; print-color-adjust: exact;"));

    // The enterprise itself sees no override form and no list.
    let (q, _) = t.web_login("qiye").await;
    let html = t.page(&format!("/enterprises/{a}"), &q).await.text();
    assert!(!html.contains("人工认定为"));
    assert!(
        !t.page("/", &q)
            .await
            .text()
            .contains("href=\"/risk-grades\"")
    );
}

#[tokio::test]
async fn settings_form_keeps_what_was_typed_and_the_plan_form_proposes() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    let page = t.page("/risk-steering/settings", &s).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains("name=\"frequency_months.major\" value=\"1\"")
    );
    let mut pairs = vec![
        ("_csrf", csrf.as_str()),
        ("version", ""),
        ("rule", "highest"),
        ("escalate_at", "3"),
        ("frequency_months.major", "1"),
        ("frequency_months.large", "3"),
        ("frequency_months.general", "2"),
        ("frequency_months.low", "12"),
        ("weights.major", "4"),
        ("weights.large", "三"),
        ("weights.general", "2"),
        ("weights.low", "1"),
        ("ungraded_weight", "1"),
    ];
    let r = t.form("/risk-steering/settings", &s, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("较大风险企业抽取权重"), "{html}");
    assert!(
        html.contains("name=\"weights.large\" value=\"三\""),
        "kept as typed"
    );
    pairs[9] = ("weights.large", "3");
    let r = t.form("/risk-steering/settings", &s, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("一般风险企业的检查周期不能短于较大风险企业"),
        "{html}"
    );
    pairs[6] = ("frequency_months.general", "6");
    let r = t.form("/risk-steering/settings", &s, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // The plan form: 按风险等级生成建议 fills the rows (nothing saved).
    point(&t, t.ids.a_haz, VILLAGE_A1, "major");
    let (y, ycsrf) = t.web_login("yingji").await;
    let plans = t.page("/plans", &y).await.text();
    assert!(
        plans.contains("按风险等级生成建议"),
        "the button on the form"
    );
    let r = t
        .form(
            "/plans",
            &y,
            &[
                ("_csrf", &ycsrf),
                ("year", "2022"),
                ("title", "2022年计划"),
                ("random_share_percent", "70"),
                ("_propose", "1"),
            ],
        )
        .await;
    let html = r.text();
    assert!(
        html.contains("测试企业1有限公司"),
        "key enterprise filled: {html}"
    );
    assert_eq!(
        html.matches("<option value=\"key\" selected>").count(),
        12,
        "monthly"
    );
    assert!(
        html.contains("value=\"2022年计划\""),
        "what was typed stays"
    );
    // Saved with the proposal, the plan's page lists the never-inspected graded enterprise
    // (the ungraded one has no frequency).
    let mut save: Vec<(String, String)> = vec![
        ("_csrf".into(), ycsrf.clone()),
        ("year".into(), "2022".into()),
        ("title".into(), "2022年计划".into()),
        ("random_share_percent".into(), "70".into()),
    ];
    for m in 1..=12 {
        for (k, v) in [
            ("lines.sector", "hazchem".to_string()),
            ("lines.category", "key".into()),
            ("lines.month", m.to_string()),
            ("lines.planned", "1".into()),
        ] {
            save.push((k.into(), v));
        }
    }
    let refs: Vec<(&str, &str)> = save.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = t.form("/plans", &y, &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let html = t.page(&to, &y).await.text();
    assert!(html.contains("超过检查周期未检查的企业（1家）"), "{html}");
    assert!(html.contains("重大风险（红色）"));
}

/// The township picture without a township: a township's own picture; the county's users are
/// sent to the list, whose chooser names each township (not a bare "1 error" page).
#[tokio::test]
async fn the_township_picture_without_a_township() {
    let t = spawn();
    let (s, _) = t.web_login("yingji").await;
    let r = t.page("/risk-grades/township", &s).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let (town, _) = t.web_login("town_a").await;
    let r = t.page("/risk-grades/township", &town).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("<svg"), "{}", r.text());
}
