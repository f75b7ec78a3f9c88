//! The year's assessment (考核) through the API and the pages: a rubric refused row by row
//! (422 naming each field), an evaluation computed from the records, each unit seeing its
//! own results only (another unit's answers as missing), hand scores, approval, an
//! objection accepted with a new score, the ledgers, and the rubric form kept on refusal.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn rubric(items: Value) -> Value {
    json!({"year": 2022, "unit_kind": "township", "title": "2022年度乡镇安全生产工作考核细则", "items": items})
}

fn good_items() -> Value {
    json!([
        {"title": "隐患排查登记", "points": 5, "method": "computed", "metric": "hazards.found",
         "direction": "at_least", "target": 4, "per": 1, "cap": 5},
        {"title": "森林防灭火责任落实", "points": 5, "method": "manual", "standard": "查阅资料"}
    ])
}

/// Units of an evaluation by name: (unit id, total).
fn units(v: &Value) -> Vec<(String, i64, f64)> {
    v["units"]
        .as_array()
        .map(|u| {
            u.iter()
                .map(|u| {
                    (
                        u["unit_name"].as_str().unwrap_or_default().to_string(),
                        u["unit_id"].as_i64().unwrap_or_default(),
                        u["total"].as_f64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn rubric_evaluation_scope_approval_and_objection() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let yj = t.token("yingji").await;
    let leader = t.token("leader").await;

    // A rubric is refused row by row, each field named.
    let bad = json!([
        {"title": "隐患排查登记", "points": 5, "method": "computed", "metric": "hazards.found",
         "direction": "at_least", "target": 4, "per": 1},
        {"title": "", "points": 5, "method": "computed", "metric": "没有这个指标",
         "direction": "sideways", "target": 1, "per": 1, "cap": 8}
    ]);
    let r = t
        .call(
            "POST",
            "/api/v1/assessment-rubrics",
            Some(&admin),
            Some(rubric(bad)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let f = &r.json()["fields"];
    for k in [
        "items[1].title",
        "items[1].metric",
        "items[1].direction",
        "items[1].cap",
    ] {
        assert!(f[k].is_array(), "{k}: {}", r.text());
    }
    assert!(
        f.as_object()
            .is_some_and(|o| !o.keys().any(|k| k.starts_with("items[0]"))),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "POST",
            "/api/v1/assessment-rubrics",
            Some(&town),
            Some(rubric(good_items())),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "POST",
            "/api/v1/assessment-rubrics",
            Some(&admin),
            Some(rubric(good_items())),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let rubric_id = r.json()["id"].as_i64().unwrap();
    let r = t
        .call(
            "POST",
            "/api/v1/assessments",
            Some(&admin),
            Some(json!({"rubric_id": rubric_id, "round": "quarter"})),
        )
        .await;
    assert!(r.json()["fields"]["round"].is_array(), "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/assessments",
            Some(&admin),
            Some(json!({"rubric_id": rubric_id, "round": "half"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();

    // One hazard found in 临江镇 in the half-year: 1 of 2 (the target halved) → −1 point;
    // 永泰镇 found none → −2.
    let body = json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "general",
        "source": "inspection", "description": "配电箱未接地", "found_on": "2022-05-20"});
    let zhifa = t.token("zhifa").await;
    let r = t
        .call("POST", "/api/v1/hazards", Some(&zhifa), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let hazard = r.json()["id"].as_i64().unwrap();
    let v = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    let all = units(&v);
    assert_eq!(all.len(), 2, "{v}");
    let unit_a = all.iter().find(|u| u.0 == "临江镇").unwrap().1;
    let unit_b = all.iter().find(|u| u.0 == "永泰镇").unwrap().1;
    let u = t
        .call(
            "GET",
            &format!("/api/v1/assessment-units/{unit_a}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(u["items"][0]["deduction"], 1.0, "{u}");
    assert_eq!(u["items"][0]["value_text"], "1处", "{u}");
    let u = t
        .call(
            "GET",
            &format!("/api/v1/assessment-units/{unit_b}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(u["items"][0]["deduction"], 2.0, "{u}");

    // A township sees its own unit only (ranked among all), another's answers as missing.
    let v = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&town),
            None,
        )
        .await
        .json();
    assert_eq!(
        units(&v).iter().map(|u| u.1).collect::<Vec<_>>(),
        vec![unit_a],
        "{v}"
    );
    assert_eq!(v["unit_count"], 2);
    for path in [
        format!("/api/v1/assessment-units/{unit_b}"),
        format!("/api/v1/assessment-units/{unit_b}/items/1/records"),
        "/api/v1/assessment-units/999999".to_string(),
    ] {
        let r = t.call("GET", &path, Some(&town), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    // A department sees no township's results.
    let v = t
        .call("GET", &format!("/api/v1/assessments/{id}"), Some(&yj), None)
        .await
        .json();
    assert!(units(&v).is_empty(), "{v}");
    let r = t
        .call(
            "GET",
            &format!("/api/v1/assessment-units/{unit_a}"),
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The deduction opens to the hazard counted.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/assessment-units/{unit_a}/items/1/records"),
            Some(&town),
            None,
        )
        .await
        .json();
    assert_eq!(r["records"][0]["entity_id"].as_i64(), Some(hazard), "{r}");
    assert_eq!(r["records"].as_array().map(Vec::len), Some(1));

    // Hand scores: the 安委办's, within the item's points.
    let score = |unit: i64, v: Value| {
        (
            format!("/api/v1/assessment-units/{unit}/items/2/score"),
            json!({"score": v, "note": "资料齐全"}),
        )
    };
    let (p, b) = score(unit_a, json!(6));
    let r = t.call("PUT", &p, Some(&admin), Some(b)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["score"].is_array(), "{}", r.text());
    let (p, b) = score(unit_a, json!(4.5));
    assert_eq!(
        t.call("PUT", &p, Some(&town), Some(b.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.call("PUT", &p, Some(&admin), Some(b)).await.status,
        StatusCode::OK
    );
    // Approval waits for every hand score.
    let v = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(v["allowed_actions"], json!([]), "{v}");
    let step = json!({"action": "approve", "version": v["version"]});
    let r = t
        .call(
            "POST",
            &format!("/api/v1/assessments/{id}/actions"),
            Some(&admin),
            Some(step.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["scores"].is_array(), "{}", r.text());
    let (p, b) = score(unit_b, json!(5));
    assert_eq!(
        t.call("PUT", &p, Some(&admin), Some(b)).await.status,
        StatusCode::OK
    );
    let r = t
        .call(
            "POST",
            &format!("/api/v1/assessments/{id}/actions"),
            Some(&leader),
            Some(step.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "POST",
            &format!("/api/v1/assessments/{id}/actions"),
            Some(&admin),
            Some(step),
        )
        .await;
    assert_eq!(r.json()["status"], "approved", "{}", r.text());
    let (p, b) = score(unit_a, json!(5));
    assert_eq!(
        t.call("PUT", &p, Some(&admin), Some(b)).await.status,
        StatusCode::CONFLICT,
        "frozen"
    );
    let v = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&leader),
            None,
        )
        .await
        .json();
    let before = units(&v);
    assert_eq!(
        before.iter().find(|u| u.1 == unit_a).map(|u| u.2),
        Some(8.5),
        "{v}"
    );
    assert_eq!(
        before.iter().find(|u| u.1 == unit_b).map(|u| u.2),
        Some(8.0),
        "{v}"
    );

    // A township objects to its own item only; the 安委办 accepts with a new score.
    let obj = |unit: i64, reason: &str| {
        (
            format!("/api/v1/assessment-units/{unit}/objections"),
            json!({"item": 2, "reason": reason}),
        )
    };
    let (p, b) = obj(unit_b, "别的乡镇的");
    assert_eq!(
        t.call("POST", &p, Some(&town), Some(b)).await.status,
        StatusCode::NOT_FOUND
    );
    let (p, b) = obj(unit_a, " ");
    let r = t.call("POST", &p, Some(&town), Some(b)).await;
    assert!(r.json()["fields"]["reason"].is_array(), "{}", r.text());
    let (p, b) = obj(unit_a, "巡查记录已补充上传");
    let r = t.call("POST", &p, Some(&town), Some(b)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let o = r.json();
    let oid = o["id"].as_i64().unwrap();
    let act = format!("/api/v1/assessment-objections/{oid}/actions");
    let r = t
        .call(
            "POST",
            &act,
            Some(&town),
            Some(json!({"action": "accept", "score": 5, "version": o["version"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "POST",
            &act,
            Some(&admin),
            Some(json!({"action": "accept", "version": o["version"]})),
        )
        .await;
    assert!(r.json()["fields"]["score"].is_array(), "{}", r.text());
    let r = t.call("POST", &act, Some(&admin), Some(json!({"action": "accept", "score": 5, "answer": "经核实采纳", "version": o["version"]}))).await;
    assert_eq!(r.json()["status"], "accepted", "{}", r.text());
    // Who scored, filed and answered reads as the person and the unit (the fixture's
    // accounts are named "<account>用户"), not as the account name.
    let item2 = |v: &Value| {
        v["items"]
            .as_array()
            .and_then(|i| i.iter().find(|i| i["item"] == 2))
            .map(|i| i["scored_by"].clone())
    };
    let ub = t
        .call(
            "GET",
            &format!("/api/v1/assessment-units/{unit_b}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(item2(&ub), Some(json!("admin用户（安委办）")), "{ub}");
    let ua = t
        .call(
            "GET",
            &format!("/api/v1/assessment-units/{unit_a}"),
            Some(&town),
            None,
        )
        .await
        .json();
    assert_eq!(
        item2(&ua),
        Some(json!("复核采纳（admin用户（安委办））")),
        "{ua}"
    );
    assert_eq!(
        ua["objections"][0]["filed_by_name"], "town_a用户（临江镇）",
        "{ua}"
    );
    assert_eq!(
        ua["objections"][0]["answered_by_name"], "admin用户（安委办）",
        "{ua}"
    );
    let (session, _) = t.web_login("town_a").await;
    let html = t
        .page(&format!("/assessment-units/{unit_a}"), &session)
        .await
        .text();
    assert!(
        html.contains("town_a用户（临江镇）"),
        "the page names the applicant"
    );
    assert!(!html.contains(">town_a<"), "not the account");
    let v = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(
        units(&v).iter().find(|u| u.1 == unit_a).map(|u| u.2),
        Some(9.0),
        "{v}"
    );
    let objections = t
        .call("GET", "/api/v1/assessment-objections", Some(&yj), None)
        .await
        .json();
    assert_eq!(
        objections["items"],
        json!([]),
        "a department sees no township's objection"
    );

    // The approved evaluation does not move with the records; the recomputation says so.
    let body = json!({"enterprise_id": t.ids.b_haz, "region_code": VILLAGE_B1, "sector": "hazchem", "level": "general",
        "source": "inspection", "description": "安全出口堵塞", "found_on": "2022-05-21"});
    assert_eq!(
        t.call("POST", "/api/v1/hazards", Some(&zhifa), Some(body))
            .await
            .status,
        StatusCode::CREATED
    );
    let v = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(
        units(&v).iter().find(|u| u.1 == unit_b).map(|u| u.2),
        Some(8.0)
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}/recompute"),
            Some(&admin),
            None,
        )
        .await
        .json();
    let b = r["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["unit_id"] == unit_b))
        .cloned()
        .unwrap();
    assert_eq!(b["difference"], 1.0, "{r}");

    // The ledgers.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}/xlsx"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}/docx"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/assessment-rubrics/{rubric_id}/xlsx"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = t
        .call("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    for p in [
        "/assessments/{id}",
        "/assessment-units/{id}/items/{item}/records",
        "/assessment-objections/{id}/actions",
    ] {
        assert!(doc["paths"].get(p).is_some(), "openapi lacks {p}");
    }
}

/// The rubric form keeps every row as typed when refused, and each row's message sits by
/// its field; a township's page shows its own unit.
#[tokio::test]
async fn rubric_form_keeps_rows_and_pages_follow_scope() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let row = |title: &'static str, points: &'static str, metric: &'static str| {
        vec![
            ("title", title),
            ("points", points),
            ("method", "computed"),
            ("metric", metric),
            ("of", ""),
            ("direction", "at_most"),
            ("target", "0"),
            ("per", "1"),
            ("cap", ""),
            ("standard", ""),
        ]
    };
    let mut pairs = vec![
        ("_csrf", csrf.as_str()),
        ("year", "2022"),
        ("unit_kind", "township"),
        ("rubric_title", "2022年度乡镇考核细则"),
    ];
    pairs.extend(row("逾期未整改隐患", "20", "截至期末仍逾期未整改隐患"));
    pairs.extend(row("", "", ""));
    pairs.extend(row("重大隐患", "十", "不存在的指标"));
    let r = t.form("/assessments/rubrics", &session, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    for typed in [
        "value=\"逾期未整改隐患\"",
        "value=\"不存在的指标\"",
        "value=\"十\"",
        "value=\"2022年度乡镇考核细则\"",
    ] {
        assert!(html.contains(typed), "{typed} not kept");
    }
    // The third row's messages (the second row was empty and not sent).
    assert!(html.contains("第2项：指标“不存在的指标”不存在"), "{html}");
    assert!(html.contains("第2项：分值应为"), "{html}");
    // With the row fixed the rubric is saved, the metric kept by its name.
    let mut pairs = vec![
        ("_csrf", csrf.as_str()),
        ("year", "2022"),
        ("unit_kind", "township"),
        ("rubric_title", "2022年度乡镇考核细则"),
    ];
    pairs.extend(row("逾期未整改隐患", "20", "截至期末仍逾期未整改隐患"));
    let r = t.form("/assessments/rubrics", &session, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let admin = t.token("admin").await;
    let rubrics = t
        .call(
            "GET",
            "/api/v1/assessment-rubrics?year=2022",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(
        rubrics["items"][0]["items"][0]["formula"]["metric"], "hazards.open_overdue",
        "{rubrics}"
    );
    let rubric_id = rubrics["items"][0]["id"].as_i64().unwrap();
    let r = t
        .form(
            "/assessments",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("rubric_id", &rubric_id.to_string()),
                ("round", "year"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let (town, _) = t.web_login("town_a").await;
    let page = t.page("/assessments", &town).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("年度考核"));
    let v = t
        .call("GET", "/api/v1/assessments", Some(&admin), None)
        .await
        .json();
    let id = v["items"][0]["id"].as_i64().unwrap();
    let all = units(
        &t.call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json(),
    );
    let own = all.iter().find(|u| u.0 == "临江镇").unwrap().1;
    let other = all.iter().find(|u| u.0 == "永泰镇").unwrap().1;
    let page = t.page(&format!("/assessments/{id}"), &town).await;
    assert!(page.text().contains("临江镇") && !page.text().contains("永泰镇"));
    assert_eq!(
        t.page(&format!("/assessment-units/{own}"), &town)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        t.page(&format!("/assessment-units/{other}"), &town)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .page(&format!("/assessment-units/{own}/items/1"), &town)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("扣分依据"));
}

/// A rubric's Excel sheet imports back as the same items (into another year); a bad row is
/// reported by its row and field and nothing is written; copying carries the items over;
/// evidence goes to the caller's own unit only.
#[tokio::test]
async fn rubric_sheet_round_trip_copy_and_evidence() {
    use crate::hazards::multipart;
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/assessment-rubrics",
            Some(&admin),
            Some(rubric(good_items())),
        )
        .await;
    let v = r.json();
    let id = v["id"].as_i64().unwrap();
    let sheet = t
        .call(
            "GET",
            &format!("/api/v1/assessment-rubrics/{id}/xlsx"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    let (ct, body) = multipart(&[("file", Some("考核细则.xlsx"), &sheet.body)]);
    let url = "/api/v1/assessment-rubrics/import?year=2023&unit_kind=township";
    let r = t.raw("POST", url, Some(&admin), &ct, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let y2023 = t
        .call(
            "GET",
            "/api/v1/assessment-rubrics?year=2023",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(y2023["items"][0]["items"], v["items"], "{y2023}");

    let csv = "考核内容,分值,评分方式,指标,目标方向,目标值,每差一个单位扣分\n隐患排查登记,10,按指标计算,发现安全隐患,不低于,200,0.1\n逾期隐患,20,按指标计算,没有的指标,不高于,0,1\n";
    let (ct, body) = multipart(&[("file", Some("细则.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/assessment-rubrics/import?year=2024&unit_kind=township",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines = r.json()["lines"].to_string();
    assert!(
        lines.contains("第3行") && lines.contains("指标：指标“没有的指标”不存在"),
        "{lines}"
    );
    let none = t
        .call(
            "GET",
            "/api/v1/assessment-rubrics?year=2024",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(none["items"], json!([]));

    let r = t
        .call(
            "POST",
            &format!("/api/v1/assessment-rubrics/{id}/copy"),
            Some(&admin),
            Some(json!({"year": 2024})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["title"], "2024年度乡镇安全生产工作考核细则");
    assert_eq!(r.json()["items"], v["items"]);

    let a = t
        .call(
            "POST",
            "/api/v1/assessments",
            Some(&admin),
            Some(json!({"rubric_id": id, "round": "year"})),
        )
        .await
        .json();
    let all = units(
        &t.call(
            "GET",
            &format!("/api/v1/assessments/{}", a["id"]),
            Some(&admin),
            None,
        )
        .await
        .json(),
    );
    let own = all.iter().find(|u| u.0 == "临江镇").unwrap().1;
    let other = all.iter().find(|u| u.0 == "永泰镇").unwrap().1;
    let jpeg: Vec<u8> = [b"\xFF\xD8\xFF\xE0".as_slice(), &[7u8; 500]].concat();
    let post = |unit: i64, data: &[u8], name: &str| {
        let (ct, body) = multipart(&[
            ("note", None, "巡查记录".as_bytes()),
            ("file", Some(name), data),
        ]);
        (
            format!("/api/v1/assessment-units/{unit}/items/2/evidence"),
            ct,
            body,
        )
    };
    let (url, ct, body) = post(other, &jpeg, "巡查.jpg");
    assert_eq!(
        t.raw("POST", &url, Some(&town), &ct, body).await.status,
        StatusCode::NOT_FOUND
    );
    let (url, ct, body) = post(own, b"not an image", "巡查.jpg");
    let r = t.raw("POST", &url, Some(&town), &ct, body).await;
    assert!(r.json()["fields"]["file"].is_array(), "{}", r.text());
    let (url, ct, body) = post(own, &jpeg, "巡查.jpg");
    let r = t.raw("POST", &url, Some(&town), &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let eid = r.json()["id"].as_i64().unwrap();
    let u = t
        .call(
            "GET",
            &format!("/api/v1/assessment-units/{own}"),
            Some(&town),
            None,
        )
        .await
        .json();
    assert_eq!(u["evidence"][0]["id"].as_i64(), Some(eid), "{u}");
    let f = t
        .call(
            "GET",
            &format!("/api/v1/assessment-evidence/{eid}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!((f.status, f.body.len()), (StatusCode::OK, jpeg.len()));
    let yj = t.token("yingji").await;
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/assessment-evidence/{eid}"),
            Some(&yj),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

/// The new-rubric page makes a year's rubric from a sheet: the blank sheet downloads with
/// the import's columns, a bad row is listed on the page by row and column with what was typed
/// kept and nothing written, a good sheet creates the rubric and a second one replaces the
/// draft's items; only the 安委办 does it.
#[tokio::test]
async fn a_new_years_rubric_from_a_sheet_on_the_page() {
    use crate::hazards::multipart;
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let r = t
        .call(
            "GET",
            "/api/v1/assessment-rubrics/template",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"), "an .xlsx");
    let r = t
        .call(
            "GET",
            "/api/v1/assessment-rubrics/template",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let (session, csrf) = t.web_login("admin").await;
    let page = t.page("/assessments/rubrics/new", &session).await.text();
    assert!(
        page.contains("从Excel制定考核细则")
            && page.contains("/api/v1/assessment-rubrics/template"),
        "the new-rubric page offers the sheet"
    );
    let upload = |session: String, csrf: String, year: &'static str, csv: &'static str| {
        let t = &t;
        async move {
            let (ct, body) = multipart(&[
                ("_csrf", None, csrf.as_bytes()),
                ("year", None, year.as_bytes()),
                ("unit_kind", None, b"township"),
                ("rubric_title", None, b""),
                ("file", Some("细则.csv"), csv.as_bytes()),
            ]);
            let req = axum::http::Request::post("/assessments/rubrics/import")
                .header(axum::http::header::CONTENT_TYPE, ct)
                .header(
                    axum::http::header::COOKIE,
                    format!("anjian_session={session}"),
                )
                .body(axum::body::Body::from(body))
                .unwrap();
            t.send(req).await
        }
    };
    let header = "考核内容,分值,评分方式,指标,目标方向,目标值,每差一个单位扣分,评分标准\n";
    let bad: &'static str = Box::leak(
        format!("{header}隐患排查登记,10,按指标计算,发现安全隐患,不低于,200,0.1,\n逾期隐患,20,按指标计算,没有的指标,不高于,0,1,\n")
            .into_boxed_str(),
    );
    let r = upload(session.clone(), csrf.clone(), "2025", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("第3行") && html.contains("指标：指标“没有的指标”不存在"),
        "the row and column: {html}"
    );
    assert!(html.contains("value=\"2025\""), "the year typed is kept");
    let list = |year: i64| {
        let (t, admin) = (&t, admin.clone());
        async move {
            t.call(
                "GET",
                &format!("/api/v1/assessment-rubrics?year={year}"),
                Some(&admin),
                None,
            )
            .await
            .json()["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        }
    };
    assert!(list(2025).await.is_empty(), "nothing written");

    let good: &'static str = Box::leak(
        format!("{header}隐患排查登记,10,按指标计算,发现安全隐患,不低于,200,0.1,\n森林防灭火责任落实,20,人工评分,,,,,查阅资料\n")
            .into_boxed_str(),
    );
    let r = upload(session.clone(), csrf.clone(), "2025", good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let made = list(2025).await;
    assert_eq!(made.len(), 1);
    let id = made[0]["id"].as_i64().unwrap_or_default();
    assert_eq!(
        r.headers
            .get(axum::http::header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some(format!("/assessments/rubrics/{id}").as_str())
    );
    assert_eq!(made[0]["title"], "2025年度乡镇（街道）安全生产工作考核细则");
    assert_eq!(made[0]["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(made[0]["items"][1]["points"], 20.0);

    // The draft's items replaced by a second sheet.
    let one: &'static str = Box::leak(
        format!("{header}隐患排查登记,30,按指标计算,发现安全隐患,不低于,100,0.5,\n")
            .into_boxed_str(),
    );
    let r = upload(session.clone(), csrf.clone(), "2025", one).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let again = list(2025).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["id"].as_i64(), Some(id));
    assert_eq!(again[0]["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(again[0]["items"][0]["points"], 30.0);

    let (tsession, tcsrf) = t.web_login("town_a").await;
    let r = upload(tsession, tcsrf, "2026", one).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("无权修改考核细则"), "{}", r.text());
    assert!(list(2026).await.is_empty());
}
