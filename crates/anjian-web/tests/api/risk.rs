//! Risk points (风险点) through the API: the enterprise registers and assesses its own, the
//! department reviews, the grade follows the accepted assessment, a re-assessment keeps its
//! history; a bad E value answers 422 naming the field; another enterprise's point answers
//! 404; the 安委办 reviews a township's public site; the cut-offs; import with a bad row.

use crate::hazards::multipart;
use crate::helpers::*;
use anjian_domain::Clock;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn point(place: &str, assessment: Option<Value>) -> Value {
    let mut v = json!({
        "place": place, "activity": "装卸作业", "hazard_factor": "液氯泄漏",
        "accident_types": ["中毒和窒息", "vessel_explosion"],
        "control_level": "公司级", "responsible_name": "王强", "responsible_phone": "13907970001",
        "controls": {"engineering": "泄漏报警", "emergency": "应急预案"}
    });
    if let Some(a) = assessment {
        v["assessment"] = a;
    }
    v
}

async fn act(t: &TestApp, token: &str, id: i64, action: &str, version: i64, reason: &str) -> Resp {
    t.call(
        "POST",
        &format!("/api/v1/risk-points/{id}/actions"),
        Some(token),
        Some(json!({"action": action, "version": version, "reason": reason})),
    )
    .await
}

#[tokio::test]
async fn an_enterprise_grades_its_points_and_the_department_reviews_them() {
    let t = spawn();
    let qiye = t.token("qiye").await;
    let yingji = t.token("yingji").await;
    // A bad E value: 422 naming the field.
    let r = t
        .call(
            "POST",
            "/api/v1/risk-points",
            Some(&qiye),
            Some(point(
                "液氯储罐区",
                Some(json!({"method": "lec", "l": 6, "e": 4, "c": 7})),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let fields = r.json()["fields"].clone();
    assert!(
        fields["assessment.e"][0]
            .as_str()
            .unwrap()
            .contains("10、6、3、2、1、0.5"),
        "{fields}"
    );
    assert!(fields.get("assessment.l").is_none(), "{fields}");
    // L=6, E=6, C=7: D = 252, 较大.
    let r = t
        .call(
            "POST",
            "/api/v1/risk-points",
            Some(&qiye),
            Some(point(
                "液氯储罐区",
                Some(json!({"method": "lec", "l": 6, "e": 6, "c": 7})),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p = r.json();
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["enterprise_id"], t.ids.a_haz);
    assert_eq!(p["grade"], Value::Null);
    assert_eq!(p["grade_label"], "未定级");
    assert_eq!(p["pending"]["score_text"], "D=252");
    assert_eq!(p["pending"]["grade"], "large");
    assert_eq!(
        p["allowed_actions"],
        json!(["edit", "assess", "submit", "retire"])
    );
    // The department sees it but may not submit it; the enterprise submits.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/risk-points/{id}"),
            Some(&yingji),
            None,
        )
        .await;
    assert_eq!(r.json()["allowed_actions"], json!(["retire"]));
    // Created with its first assessment: version 2.
    assert_eq!(p["version"], 2);
    assert_eq!(
        act(&t, &yingji, id, "submit", 2, "").await.status,
        StatusCode::FORBIDDEN
    );
    let r = act(&t, &qiye, id, "submit", 2, "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["state"], "submitted");
    // The enterprise cannot accept its own; returning needs a reason.
    assert_eq!(
        act(&t, &qiye, id, "accept", 3, "").await.status,
        StatusCode::FORBIDDEN
    );
    let r = act(&t, &yingji, id, "return", 3, "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["reason"].is_array());
    let r = act(&t, &yingji, id, "return", 3, "C 值偏低，储量超过临界量").await;
    assert_eq!(r.json()["state"], "returned", "{}", r.text());
    assert_eq!(r.json()["return_reason"], "C 值偏低，储量超过临界量");
    // Re-assessment needs the reason; L=6, E=6, C=15: D = 540, 重大.
    let body = json!({"version": 4, "method": "lec", "l": 6, "e": 6, "c": 15});
    let r = t
        .call(
            "POST",
            &format!("/api/v1/risk-points/{id}/assess"),
            Some(&qiye),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["reason"].is_array());
    let body = json!({"version": 4, "method": "lec", "l": 6, "e": 6, "c": 15, "reason": "按退回意见重新评价"});
    let r = t
        .call(
            "POST",
            &format!("/api/v1/risk-points/{id}/assess"),
            Some(&qiye),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["pending"]["grade"], "major");
    assert_eq!(
        act(&t, &qiye, id, "submit", 5, "").await.status,
        StatusCode::OK
    );
    // A stale version is a conflict.
    assert_eq!(
        act(&t, &yingji, id, "accept", 5, "").await.status,
        StatusCode::CONFLICT
    );
    let r = act(&t, &yingji, id, "accept", 6, "同意").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(
        (p["state"].as_str(), p["grade"].as_str()),
        (Some("accepted"), Some("major"))
    );
    assert_eq!(p["grade_colour_label"], "红色");
    // History: newest first, the first one returned with the reason.
    let h = p["history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        (h[0]["status"].as_str(), h[0]["reason"].as_str()),
        (Some("accepted"), Some("按退回意见重新评价"))
    );
    assert_eq!(h[1]["status"], "returned");
    assert_eq!(h[1]["review_note"], "C 值偏低，储量超过临界量");
    assert_eq!(h[1]["inputs_text"], "L=6，E=6，C=7");
    // Re-assessed after acceptance (LS 3×3 = 9, 一般): the accepted grade stays until reviewed.
    let body = json!({"version": 7, "method": "ls", "l": 3, "s": 3, "reason": "增设自动切断装置"});
    let r = t
        .call(
            "POST",
            &format!("/api/v1/risk-points/{id}/assess"),
            Some(&qiye),
            Some(body),
        )
        .await;
    assert_eq!(r.json()["grade"], "major", "{}", r.text());
    assert_eq!(r.json()["pending"]["score_text"], "R=9");
    assert_eq!(r.json()["pending"]["grade"], "general");
    // Filters: by grade and state.
    let r = t
        .call(
            "GET",
            "/api/v1/risk-points?grade=major",
            Some(&yingji),
            None,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let r = t
        .call(
            "GET",
            "/api/v1/risk-points?state=accepted",
            Some(&yingji),
            None,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);
    let r = t
        .call(
            "GET",
            "/api/v1/risk-points?grade=purple",
            Some(&yingji),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["grade"].is_array());
    // Retiring needs a reason; a retired point is not deleted and takes no more steps.
    assert_eq!(
        act(&t, &qiye, id, "retire", 8, "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = act(&t, &qiye, id, "retire", 8, "储罐拆除").await;
    assert_eq!(r.json()["state"], "retired", "{}", r.text());
    assert!(r.json()["retired_at"].is_string());
    assert_eq!(r.json()["allowed_actions"], json!([]));
    assert_eq!(
        act(&t, &yingji, id, "retire", 9, "x").await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn another_enterprises_point_answers_like_a_missing_one() {
    let t = spawn();
    let qiye = t.token("qiye").await;
    let admin = t.token("admin").await;
    let zhifa = t.token("zhifa").await;
    // The 消防 department's enterprise: a point written through the app as that enterprise.
    let other = off_runtime(|| {
        let store = t.app.store_for_tests();
        let scope = anjian_domain::Scope::system();
        let ch = anjian_app::testing::store::Change::system(&scope, "test", t.clock.now());
        let f = anjian_domain::risk::check_point(&anjian_domain::risk::PointText {
            place: "厨房",
            hazard_factor: "燃气泄漏",
            accident_types: "火灾",
            control_level: "班组级",
            responsible_name: "李四",
            responsible_phone: "13907970002",
            ..Default::default()
        })
        .unwrap();
        let p = anjian_app::testing::store::risk::NewRiskPoint {
            enterprise_id: Some(t.ids.b_fire),
            region_code: String::new(),
            fields: f,
        };
        store.create_risk_point(&ch, &p, None).unwrap().0.id
    });
    let r = t
        .call(
            "GET",
            &format!("/api/v1/risk-points/{other}"),
            Some(&qiye),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let missing = t
        .call("GET", "/api/v1/risk-points/999999", Some(&qiye), None)
        .await;
    assert_eq!(r.json(), missing.json());
    assert_eq!(
        act(&t, &qiye, other, "submit", 1, "").await.status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .call("GET", "/api/v1/risk-points", Some(&qiye), None)
        .await;
    assert_eq!(r.json()["items"], json!([]));
    // Registering for another enterprise is refused.
    let mut body = point("仓库", None);
    body["enterprise_id"] = json!(t.ids.b_fire);
    let r = t
        .call("POST", "/api/v1/risk-points", Some(&qiye), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // The 安委办 sees it; the 应急局's inspector (hazchem, mines) does not.
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/risk-points/{other}"),
            Some(&admin),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/risk-points/{other}"),
            Some(&zhifa),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // The admin may not register an enterprise's point (the enterprise does).
    let r = t
        .call(
            "POST",
            "/api/v1/risk-points",
            Some(&admin),
            Some(body_for(t.ids.a_haz)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
}

fn body_for(enterprise: i64) -> Value {
    let mut b = point("仓库", None);
    b["enterprise_id"] = json!(enterprise);
    b
}

#[tokio::test]
async fn a_township_grades_its_public_sites_and_the_county_office_reviews() {
    let t = spawn();
    let town = t.token("town_a").await;
    let yingji = t.token("yingji").await;
    let admin = t.token("admin").await;
    let mut body = point(
        "临江集贸市场",
        Some(json!({"method": "ls", "l": 4, "s": 4})),
    );
    body["region_code"] = json!(VILLAGE_A1);
    let r = t
        .call(
            "POST",
            "/api/v1/risk-points",
            Some(&town),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["enterprise_id"], Value::Null);
    assert_eq!(r.json()["region_code"], VILLAGE_A1);
    // Another township's village is refused, naming the field.
    body["region_code"] = json!(VILLAGE_B1);
    let r = t
        .call("POST", "/api/v1/risk-points", Some(&town), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["region_code"].is_array());
    assert_eq!(
        act(&t, &town, id, "submit", 2, "").await.status,
        StatusCode::OK
    );
    // A department does not see public sites; the 安委办 reviews them.
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/risk-points/{id}"),
            Some(&yingji),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&t, &town, id, "accept", 3, "").await.status,
        StatusCode::FORBIDDEN
    );
    let r = act(&t, &admin, id, "accept", 3, "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["grade"], "large");
    // The figure counts it and drills down to it.
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/risk.points.large?period=2022",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 1, "{}", r.text());
}

#[tokio::test]
async fn the_county_sets_its_cutoffs_and_they_grade_new_assessments() {
    let t = spawn();
    let admin = t.token("admin").await;
    let qiye = t.token("qiye").await;
    let r = t
        .call("GET", "/api/v1/risk-points/cutoffs", Some(&qiye), None)
        .await;
    assert_eq!(r.json(), json!({"lec": "320,160,70", "ls": "20,15,9"}));
    let r = t
        .call(
            "PUT",
            "/api/v1/risk-points/cutoffs",
            Some(&qiye),
            Some(json!({"lec": "400,200,70", "ls": "20,9,4"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "PUT",
            "/api/v1/risk-points/cutoffs",
            Some(&admin),
            Some(json!({"lec": "160,320,70", "ls": "20,9,4"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["lec"].is_array(), "{}", r.text());
    let r = t
        .call(
            "PUT",
            "/api/v1/risk-points/cutoffs",
            Some(&admin),
            Some(json!({"lec": "400,200,70", "ls": "20,9,4"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // 10 × 6 × 3 = 180: 较大 by the defaults (> 160), 一般 under 400/200/70. LS 3 × 3 = 9:
    // 一般 by the defaults (≥ 9), 较大 under 20/9/4.
    let r = t
        .call(
            "POST",
            "/api/v1/risk-points",
            Some(&qiye),
            Some(point(
                "仓库",
                Some(json!({"method": "lec", "l": 10, "e": 6, "c": 3})),
            )),
        )
        .await;
    assert_eq!(r.json()["pending"]["grade"], "general", "{}", r.text());
    assert_eq!(r.json()["history"][0]["cutoffs"], "400,200,70");
    let r = t
        .call(
            "POST",
            "/api/v1/risk-points",
            Some(&qiye),
            Some(point("库房", Some(json!({"method": "ls", "l": 3, "s": 3})))),
        )
        .await;
    assert_eq!(r.json()["pending"]["grade"], "large", "{}", r.text());
}

#[tokio::test]
async fn risk_points_import_row_by_row_and_export_their_ledger() {
    let t = spawn();
    let qiye = t.token("qiye").await;
    let csv = "风险点,作业活动或设备设施,危险有害因素,事故类型,工程技术措施,管理措施,培训教育措施,个体防护措施,应急处置措施,管控层级,责任人,联系电话,评价方法,L,E,C,S\n\
               液氯储罐区,储存,液氯泄漏,中毒和窒息、容器爆炸,泄漏报警,巡检,,防毒面具,预案,公司级,王强,13907970001,LEC,6,6,7,\n\
               装卸区,装卸作业,槽车泄漏,中毒和窒息,,,,,,车间级,李红,13907970003,LS,3,,,4\n\
               配电室,设备设施,触电,触电,,,,,,班组级,赵六,13907970004,LEC,6,4,7,\n\
               ,动火作业,火灾,地震,,,,,,科室,孙七,12,,,,,\n";
    let (ct, body) = multipart(&[("file", Some("risk.csv"), csv.as_bytes())]);
    let r = t
        .raw("POST", "/api/v1/risk-points/import", Some(&qiye), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("第4行") && lines[0].contains("E"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("第5行")
            && lines[1].contains("风险点")
            && lines[1].contains("事故类型")
            && lines[1].contains("管控层级")
            && lines[1].contains("联系电话"),
        "{lines:?}"
    );
    // Nothing was written.
    let r = t
        .call("GET", "/api/v1/risk-points", Some(&qiye), None)
        .await;
    assert_eq!(r.json()["items"], json!([]));
    // Without the bad rows: both written with their assessments.
    let good: String = csv.lines().take(3).map(|l| format!("{l}\n")).collect();
    let (ct, body) = multipart(&[("file", Some("risk.csv"), good.as_bytes())]);
    let r = t
        .raw("POST", "/api/v1/risk-points/import", Some(&qiye), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let r = t
        .call("GET", "/api/v1/risk-points", Some(&qiye), None)
        .await;
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["place"], "装卸区");
    assert_eq!(items[0]["control_level"], "workshop");
    let id = items[0]["id"].as_i64().unwrap();
    let r = t
        .call(
            "GET",
            &format!("/api/v1/risk-points/{id}"),
            Some(&qiye),
            None,
        )
        .await;
    assert_eq!(r.json()["pending"]["score_text"], "R=12");
    // A department cannot import (it owns no points).
    let yingji = t.token("yingji").await;
    let (ct, body) = multipart(&[("file", Some("risk.csv"), good.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/risk-points/import",
            Some(&yingji),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The ledger: Excel with Chinese headers.
    let r = t
        .call("GET", "/api/v1/risk-points/export", Some(&yingji), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));
}

#[tokio::test]
async fn the_pages_register_assess_and_review_a_point_keeping_what_was_typed() {
    let t = spawn();
    let (s, csrf) = t.web_login("qiye").await;
    let menu = t.page("/risk-points", &s).await;
    assert_eq!(menu.status, StatusCode::OK);
    assert!(menu.text().contains("href=\"/risk-points\""), "menu entry");
    assert_eq!(t.page("/risk-points/new", &s).await.status, StatusCode::OK);
    let form = |e: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("place", "液氯储罐区".to_string()),
            ("activity", "储存".to_string()),
            ("hazard_factor", "液氯泄漏中毒".to_string()),
            ("accident_types", "poisoning".to_string()),
            ("accident_types", "vessel_explosion".to_string()),
            ("engineering", "泄漏报警联锁".to_string()),
            ("control_level", "company".to_string()),
            ("responsible_name", "王强".to_string()),
            ("responsible_phone", "13907970001".to_string()),
            ("method", "lec".to_string()),
            ("lec_l", "6".to_string()),
            ("lec_e", e.to_string()),
            ("lec_c", "7".to_string()),
        ]
    };
    // A value not in the table: refused, the field named, everything typed kept.
    let typed = form("4");
    let pairs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/risk-points/new", &s, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("只能取10、6、3、2、1、0.5之一"), "{html}");
    for kept in ["液氯储罐区", "液氯泄漏中毒", "泄漏报警联锁", "13907970001"] {
        assert!(html.contains(kept), "{kept} kept");
    }
    assert!(
        html.contains("value=\"vessel_explosion\" checked"),
        "ticked types kept"
    );
    let typed = form("6");
    let pairs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/risk-points/new", &s, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().unwrap().to_string();
    let detail = t.page(&to, &s).await.text();
    // The score and grade are shown after saving.
    assert!(
        detail.contains("D=252") && detail.contains("较大风险（橙色）"),
        "{detail}"
    );
    assert!(detail.contains("提交审核"), "{detail}");
    let id: i64 = to
        .trim_start_matches("/risk-points/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let r = t
        .form(
            &format!("/risk-points/{id}/act"),
            &s,
            &[("_csrf", &csrf), ("action", "submit"), ("version", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // The department: the page offers accept and return; returning without a reason is
    // refused on the page.
    let (ds, dcsrf) = t.web_login("yingji").await;
    let page = t.page(&format!("/risk-points/{id}"), &ds).await.text();
    assert!(
        page.contains("审核确认") && page.contains("退回原因"),
        "{page}"
    );
    assert!(!page.contains("保存评价"), "the department does not assess");
    let r = t
        .form(
            &format!("/risk-points/{id}/act"),
            &ds,
            &[
                ("_csrf", &dcsrf),
                ("action", "return"),
                ("version", "3"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("退回须填写原因"));
    let r = t
        .form(
            &format!("/risk-points/{id}/act"),
            &ds,
            &[
                ("_csrf", &dcsrf),
                ("action", "accept"),
                ("version", "3"),
                ("reason", "同意"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = t.page("/risk-points?grade=large", &ds).await.text();
    assert!(
        list.contains("液氯储罐区") && list.contains("较大风险"),
        "{list}"
    );
    // Re-assessment on the page without a reason is refused, the choice kept.
    let r = t
        .form(
            &format!("/risk-points/{id}/assess"),
            &s,
            &[
                ("_csrf", &csrf),
                ("version", "4"),
                ("method", "ls"),
                ("ls_l", "3"),
                ("ls_s", "5"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("重新评价须填写原因"));
    assert!(r.text().contains("value=\"5\" selected"), "the choice kept");
    // The cut-offs page (安委办): a rising list is refused and kept.
    let (as_, acsrf) = t.web_login("admin").await;
    assert_eq!(
        t.page("/risk-points/cutoffs", &s).await.status,
        StatusCode::FORBIDDEN
    );
    let r = t
        .form(
            "/risk-points/cutoffs",
            &as_,
            &[("_csrf", &acsrf), ("lec", "70,160,320"), ("ls", "20,15,9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("70,160,320") && r.text().contains("依次减小"));
}
