//! The enterprise form and the administration pages.

use crate::helpers::*;
use axum::http::{StatusCode, header};

#[tokio::test]
async fn enterprise_form_reports_fields_and_writes_nothing_on_error() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let form = t.page("/enterprises/new", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("统一社会信用代码"));
    let count = || {
        off_runtime(|| {
            t.app
                .store_for_tests()
                .count_enterprises(&anjian_domain::Scope::system(), &Default::default())
                .unwrap_or(-1)
        })
    };
    let before = count();
    let r = t
        .form(
            "/enterprises/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("name", "新企业"),
                ("uscc", "911100001000013410"),
                ("region_code", VILLAGE_A1),
                ("principal_id_no", "360982198506151230"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("校验位不符"), "uscc message");
    assert!(html.contains("身份证号码校验位不符"), "id message");
    assert!(html.contains("请至少选择一个行业领域"), "sector message");
    assert!(html.contains("value=\"新企业\""), "values kept");
    assert_eq!(count(), before);
    // Without the CSRF token nothing happens either.
    let r = t.form("/enterprises/new", &session, &[("name", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A correct form creates the enterprise and redirects to it.
    let u = uscc(900);
    let r = t
        .form(
            "/enterprises/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("name", "新企业有限公司"),
                ("uscc", &u),
                ("region_code", VILLAGE_A1),
                ("sectors", "fire"),
                ("sectors", "hazchem"),
                ("status", "operating"),
                ("licences[0].kind", "危险化学品经营许可证"),
                ("licences[0].number", "赣清危化经字〔2022〕0001号"),
                ("licences[0].valid_from", "2022-01-01"),
                ("licences[0].valid_to", "2025-01-01"),
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
    let detail = t.page(&loc, &session).await;
    assert_eq!(detail.status, StatusCode::OK);
    let html = detail.text();
    assert!(
        html.contains("新企业有限公司")
            && html.contains("危险化学品经营许可证")
            && html.contains("已保存")
    );
}

#[tokio::test]
async fn admin_pages_render_and_work() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    for p in [
        "/",
        "/enterprises",
        "/regions",
        "/departments",
        "/sectors",
        "/users",
        "/audit",
        "/audit?verify=1",
        "/departments/new",
    ] {
        let r = t.page(p, &session).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
    }
    assert!(
        t.page("/audit?verify=1", &session)
            .await
            .text()
            .contains("哈希链完整")
    );
    // Create a user through the form; a weak password is refused with a field message.
    let r = t
        .form(
            "/users",
            &session,
            &[
                ("_csrf", &csrf),
                ("username", "new.user"),
                ("role", "leader"),
                ("region_code", COUNTY),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("密码至少8位"));
    let r = t
        .form(
            "/users",
            &session,
            &[
                ("_csrf", &csrf),
                ("username", "new.user"),
                ("role", "leader"),
                ("region_code", COUNTY),
                ("password", "Secret2022"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Regions form with a bad code shows the rule.
    let r = t
        .form(
            "/regions",
            &session,
            &[
                ("_csrf", &csrf),
                ("code", "360982100700"),
                ("name", "x"),
                ("parent_code", TOWN_A),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("村级代码范围"));
    // Department form: assign a newly designated industry with its decision.
    let id = t.ids.dept_fire;
    let r = t
        .form(
            &format!("/departments/{id}/edit"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", "1"),
                ("name", "测试市消防救援大队"),
                ("is_member_unit", "on"),
                ("sector.fire", "on"),
                ("sector.e_salute", "on"),
                ("decision_no.e_salute", "测府办字〔2022〕18号"),
                ("decided_on.e_salute", "2022-03-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t.page("/departments", &session).await.text();
    assert!(html.contains("测府办字〔2022〕18号"));
}

/// 系统设置: the security and local settings as a form in officials' words; a change takes
/// effect at once (the password policy refuses a password it accepted before), a value
/// outside the choices is refused with the typed values kept, and only the 安委办 gets it.
#[tokio::test]
async fn settings_page_sets_the_security_policy_in_words() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    let r = t.page("/settings", &s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    for words in [
        "密码最短长度",
        "审计日志至少保留",
        "永久保留",
        "不过期",
        "30 分钟（默认）",
    ] {
        assert!(html.contains(words), "{words}");
    }
    assert!(
        !html.contains(">password_min_length<"),
        "no codes on screen"
    );
    let r = t
        .form(
            "/settings",
            &s,
            &[
                ("_csrf", &csrf),
                ("password_min_length", "12"),
                ("session_idle_minutes", "15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t.page("/settings?saved=1", &s).await.text();
    assert!(html.contains("设置已保存"));
    assert!(html.contains("<option value=\"12\" selected>"), "{html}");
    // In force at once: a 10-character password no longer passes.
    let admin = t.token("admin").await;
    let r = t
        .call(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(
                serde_json::json!({"username": "xinren", "display_name": "新人", "role": "leader",
                "password": "Abc1234567"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    // A value outside the choices: refused, nothing written, the typed values kept.
    let r = t
        .form(
            "/settings",
            &s,
            &[
                ("_csrf", &csrf),
                ("password_min_length", "14"),
                ("audit_retention_days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("审计日志至少保留"), "{}", r.text());
    assert!(
        r.text().contains("<option value=\"14\" selected>"),
        "typed value kept"
    );
    let html = t.page("/settings", &s).await.text();
    assert!(
        html.contains("<option value=\"12\" selected>"),
        "nothing written"
    );
    let (town, _) = t.web_login("town_a").await;
    assert_eq!(
        t.page("/settings", &town).await.status,
        StatusCode::FORBIDDEN
    );
}

/// The audit log reads in words: actions, field labels and old → new values, not codes.
#[tokio::test]
async fn the_audit_log_shows_field_labels_and_old_and_new_values_in_words() {
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
                "description": "配电箱未接地", "found_on": "2022-06-01"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/hazards/{id}/actions"),
            Some(&insp),
            Some(serde_json::json!({"action": "order", "deadline_days": 5, "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (s, _) = t.web_login("admin").await;
    let html = t.page("/audit?entity=hazard", &s).await.text();
    assert!(html.contains("隐患：责令限期整改"), "{html}");
    assert!(
        html.contains("<b>状态</b>") || html.contains("状态"),
        "{html}"
    );
    assert!(
        html.contains("已登记") && html.contains("已责令整改"),
        "{html}"
    );
    assert!(html.contains("整改期限"), "{html}");
    for code in [">status<", ">deadline<", "hazard.order", ">registered<"] {
        assert!(!html.contains(code), "{code} shown raw");
    }
}
