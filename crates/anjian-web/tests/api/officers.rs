//! The officers' roster (执法人员 with their 执法证号): kept on the users (API, pages), picked
//! on the inspection form, required two-strong for an enforcement inspection, and shown with
//! the numbers used that day on the record, its Word file and its documents.

use crate::documents::docx_text;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// A user created by the administrator through the API; its id.
async fn officer(t: &TestApp, username: &str, dept: i64, cert: Option<(&str, &str)>) -> i64 {
    let admin = t.token("admin").await;
    let mut body = json!({"username": username, "display_name": format!("{username}执法"), "role": "inspector",
        "password": "Abc12345678", "department_id": dept});
    if let Some((no, until)) = cert {
        body["cert_no"] = json!(no);
        body["cert_valid_until"] = json!(until);
    }
    let r = t
        .call("POST", "/api/v1/users", Some(&admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap_or_default()
}

/// A 双随机 inspection of the fixture's hazchem enterprise by the given officers.
fn random_check(officers: &[i64]) -> Value {
    json!({"enterprise_id": 0, "sector": "hazchem", "kind": "random", "inspected_on": "2022-05-31",
        "officer_ids": officers, "inspectors": ["县应急管理局专家 王工"], "findings": ["防火堤破损"]})
}

fn officer_messages(r: &Resp) -> String {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    r.json()["fields"]["officer_ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join("|")
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_enforcement_inspection_needs_two_officers_with_valid_certificates() {
    let t = spawn();
    let zhifa = t.token("zhifa").await;
    let dept = t.user("zhifa").department_id.unwrap_or_default();
    let post = |body: Value| {
        let mut body = body;
        body["enterprise_id"] = json!(t.ids.a_haz);
        t.call("POST", "/api/v1/inspections", Some(&zhifa), Some(body))
    };
    // Names typed in words are not officers.
    let mut typed = random_check(&[]);
    typed["inspectors"] = json!(["张三", "李四"]);
    let r = post(typed).await;
    assert_eq!(
        officer_messages(&r),
        "行政执法检查须有两名以上持有效执法证的执法人员"
    );
    // An expired certificate is refused, naming its holder and the day it ran out.
    let expired = officer(&t, "laozhang", dept, Some(("赣36098201009", "2022-04-30"))).await;
    let zf = t.user("zhifa").id;
    let m = officer_messages(&post(random_check(&[zf, expired])).await);
    assert!(
        m.contains("laozhang执法") && m.contains("2022-04-30") && m.contains("两名以上"),
        "{m}"
    );
    // No certificate on record: named too.
    let plain = officer(&t, "xiaoli", dept, None).await;
    let m = officer_messages(&post(random_check(&[zf, plain])).await);
    assert!(
        m.contains("xiaoli执法") && m.contains("未登记执法证"),
        "{m}"
    );
    // Another department's officer answers exactly like one that does not exist.
    let fire = officer(
        &t,
        "xiaofang",
        t.ids.dept_fire,
        Some(("赣36098202001", "2027-12-31")),
    )
    .await;
    let outside =
        officer_messages(&post(random_check(&[zf, fire])).await).replace(&fire.to_string(), "#");
    let missing =
        officer_messages(&post(random_check(&[zf, 999_999])).await).replace("999999", "#");
    assert_eq!(outside, missing);
    assert!(!outside.contains("xiaofang"), "{outside}");
    // Two valid officers: recorded with the numbers they held that day.
    let r = post(random_check(&t.officer_ids())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let i = r.json();
    assert_eq!(
        i["officers"]
            .as_array()
            .map(|a| a.iter().map(|o| o["cert_no"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("赣36098201001"), json!("赣36098201002")])
    );
    assert_eq!(i["inspectors"], "[\"县应急管理局专家 王工\"]");
    let id = i["id"].as_i64().unwrap_or_default();

    // The record's page names them with their numbers, and keeps them after a renewal.
    let admin = t.token("admin").await;
    let u = t.user("zhifa");
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/users/{}", u.id),
            Some(&admin),
            Some(json!({"username": "zhifa", "display_name": u.display_name, "role": "inspector", "department_id": dept,
                "cert_no": "赣36098201099", "cert_valid_until": "2030-12-31", "version": u.version})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    assert_eq!(t.user("zhifa").cert_no.as_deref(), Some("赣36098201099"));
    let (session, _) = t.web_login("yingji").await;
    let page = t.page(&format!("/inspections/{id}"), &session).await.text();
    assert!(
        page.contains("执法人员")
            && page.contains("yingji用户（执法证号：<span class=\"mono\">赣36098201001</span>）")
            && page.contains("zhifa用户（执法证号：<span class=\"mono\">赣36098201002</span>）")
            && page.contains("县应急管理局专家 王工"),
        "{page}"
    );
    assert!(!page.contains("赣36098201099"), "{page}");
    // The 现场检查记录 (Word) and the documents issued from the inspection name them.
    let doc = t.page(&format!("/inspections/{id}/record"), &session).await;
    let text = docx_text(&doc.body);
    assert!(
        text.contains(
            "执法人员：yingji用户（执法证号：赣36098201001）、zhifa用户（执法证号：赣36098201002）"
        ),
        "{text}"
    );
    assert!(
        text.contains("其他检查人员：县应急管理局专家 王工"),
        "{text}"
    );
    let yj = t.token("yingji").await;
    for doc_type in ["inspection_record", "rectification_order"] {
        let r = t
            .call(
                "POST",
                "/api/v1/documents",
                Some(&yj),
                Some(json!({"doc_type": doc_type, "entity": "inspection", "entity_id": id})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let did = r.json()["id"].as_i64().unwrap_or_default();
        let docx = t
            .call(
                "GET",
                &format!("/api/v1/documents/{did}/docx"),
                Some(&yj),
                None,
            )
            .await;
        let text = docx_text(&docx.body);
        assert!(
            text.contains("赣36098201001") && text.contains("赣36098201002"),
            "{doc_type}: {text}"
        );
    }
}

#[tokio::test]
async fn an_ordinary_inspection_still_takes_names_alone() {
    let t = spawn();
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/inspections",
            Some(&town),
            Some(json!({"region_code": VILLAGE_A1, "site": "枫林村集贸市场", "sector": "fire", "kind": "routine",
                "inspected_on": "2022-05-31", "inspectors": ["镇安监办 李四"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["officers"], json!([]));
}

#[tokio::test]
async fn the_roster_is_listed_for_those_who_inspect() {
    let t = spawn();
    let dept = t.user("zhifa").department_id.unwrap_or_default();
    officer(&t, "laozhang", dept, Some(("赣36098201009", "2022-04-30"))).await;
    officer(
        &t,
        "xiaofang",
        t.ids.dept_fire,
        Some(("赣36098202001", "2027-12-31")),
    )
    .await;
    // API: the department's officers, valid on the day asked about.
    let zhifa = t.token("zhifa").await;
    let r = t
        .call("GET", "/api/v1/officers?on=2022-04-30", Some(&zhifa), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    let names: Vec<(String, bool)> = items
        .iter()
        .map(|o| {
            (
                o["cert_no"].as_str().unwrap_or_default().to_string(),
                o["valid"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&("赣36098201009".into(), true)), "{names:?}");
    let r = t.call("GET", "/api/v1/officers", Some(&zhifa), None).await;
    assert!(r.text().contains("\"valid\":false"), "{}", r.text());
    let r = t
        .call("GET", "/api/v1/officers?on=2022-13-01", Some(&zhifa), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["on"].is_array());
    let leader = t.token("leader").await;
    let r = t.call("GET", "/api/v1/officers", Some(&leader), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The page: own department's, the expired one marked.
    let (session, _) = t.web_login("zhifa").await;
    let page = t.page("/officers", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(
        page.contains("赣36098201001")
            && page.contains("赣36098201009")
            && page.contains("执法证已过期"),
        "{page}"
    );
    assert!(!page.contains("赣36098202001"), "{page}");
    // The 安委办 sees every department's.
    let (session, _) = t.web_login("admin").await;
    let page = t.page("/officers", &session).await.text();
    assert!(
        page.contains("赣36098202001") && page.contains("用户与权限"),
        "{page}"
    );
    let users = t.page("/users?officers=1", &session).await.text();
    assert!(
        users.contains("赣36098201009")
            && users.contains("执法证已过期")
            && !users.contains(">qiye<"),
        "{users}"
    );
    // The OpenAPI document tells clients about the roster and the fields.
    let doc = t
        .call("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    assert!(doc["paths"].get("/officers").is_some());
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["NewUser"]["properties"].get("cert_no").is_some());
    assert!(
        schemas["InspectionInput"]["properties"]
            .get("officer_ids")
            .is_some()
    );
    assert!(
        schemas["User"]["properties"]
            .get("cert_valid_until")
            .is_some()
    );
}

#[tokio::test]
async fn the_form_offers_the_roster_and_keeps_the_ticks_on_refusal() {
    let t = spawn();
    let dept = t.user("zhifa").department_id.unwrap_or_default();
    let expired = officer(&t, "laozhang", dept, Some(("赣36098201009", "2022-04-30"))).await;
    let (session, csrf) = t.web_login("zhifa").await;
    let page = t.page("/inspections/new", &session).await.text();
    let zf = t.user("zhifa").id.to_string();
    let yj = t.user("yingji").id.to_string();
    assert!(
        page.contains(&format!(r#"name="officer_ids" value="{zf}">"#))
            && page.contains("赣36098201002"),
        "{page}"
    );
    // The expired certificate is offered disabled, in words.
    assert!(
        page.contains(&format!(
            r#"name="officer_ids" value="{expired}" disabled>"#
        )) && page.contains("执法证已过期"),
        "{page}"
    );
    let ent = t.ids.a_haz.to_string();
    let r = t
        .form(
            "/inspections/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("template_id", ""),
                ("enterprise_id", &ent),
                ("sector", "hazchem"),
                ("kind", "joint"),
                ("inspected_on", "2022-05-31"),
                ("officer_ids", &zf),
                ("inspectors", "县应急管理局专家 王工"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains(&format!(r#"name="officer_ids" value="{zf}" checked>"#))
            && !html.contains(&format!(r#"name="officer_ids" value="{yj}" checked>"#))
            && html.contains(r#"value="县应急管理局专家 王工""#)
            && html.contains("两名以上持有效执法证的执法人员"),
        "{html}"
    );
    let r = t
        .form(
            "/inspections/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("template_id", ""),
                ("enterprise_id", &ent),
                ("sector", "hazchem"),
                ("kind", "joint"),
                ("inspected_on", "2022-05-31"),
                ("officer_ids", &zf),
                ("officer_ids", &yj),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

#[tokio::test]
async fn the_user_pages_keep_the_certificate() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let dept = t
        .user("zhifa")
        .department_id
        .unwrap_or_default()
        .to_string();
    let mut pairs = vec![
        ("_csrf", csrf.as_str()),
        ("username", "xinren"),
        ("display_name", "新任执法人员"),
        ("role", "inspector"),
        ("region_code", COUNTY),
        ("department_id", dept.as_str()),
        ("password", "Abc12345678"),
        ("cert_no", "赣36098201020"),
        ("cert_valid_until", ""),
    ];
    // Half a certificate: refused, named, the number kept.
    let r = t.form("/users", &session, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("登记执法证号须同时填写执法证有效期至")
            && html.contains(r#"value="赣36098201020""#),
        "{html}"
    );
    pairs.retain(|(k, _)| *k != "cert_valid_until");
    pairs.push(("cert_valid_until", "2027-06-30"));
    let r = t.form("/users", &session, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let u = t.user("xinren");
    assert_eq!(u.cert_no.as_deref(), Some("赣36098201020"));
    let page = t.page(&format!("/users/{}", u.id), &session).await.text();
    assert!(
        page.contains(r#"value="赣36098201020""#) && page.contains(r#"value="2027-06-30""#),
        "{page}"
    );
    // Cleared on the user's page.
    let version = u.version.to_string();
    let r = t
        .form(
            &format!("/users/{}", u.id),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", &version),
                ("display_name", "新任执法人员"),
                ("role", "inspector"),
                ("region_code", COUNTY),
                ("department_id", &dept),
                ("cert_no", ""),
                ("cert_valid_until", ""),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(t.user("xinren").cert_no, None);
}
