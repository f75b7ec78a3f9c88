//! 职责清单 through the API and the pages: duty items with their documents, a department's
//! list holding its sector assignments too, and one answer to "who supervises".

use super::*;

fn duty(department: i64, sector: Option<&str>, from: &str) -> Value {
    json!({"department_id": department, "content": "负责电子礼炮经营、燃放环节的安全监管",
        "doc_kind": "committee", "doc_title": "关于明确新兴行业领域安全监管职责的通知",
        "doc_no": "测安委〔2022〕3号", "decided_on": "2022-03-15", "sector_code": sector,
        "valid_from": from})
}

#[tokio::test]
async fn duty_items_join_the_sector_assignments_and_answer_who_supervises() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yingji = t.token("yingji").await;
    let fire = t.ids.dept_fire;
    let r = t
        .call(
            "POST",
            "/api/v1/duties",
            Some(&yingji),
            Some(duty(fire, None, "2022-01-01")),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only the 安委办 keeps the list"
    );
    let mut bad = duty(fire, Some("nope"), "2022-13-01");
    bad["doc_kind"] = json!("通知");
    bad["content"] = json!("");
    let r = t
        .call("POST", "/api/v1/duties", Some(&admin), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["content", "doc_kind", "sector_code", "valid_from"] {
        assert!(r.json()["fields"][f].is_array(), "{f}: {}", r.text());
    }
    let r = t
        .call(
            "POST",
            "/api/v1/duties",
            Some(&admin),
            Some(duty(fire, Some("e_salute"), "2022-03-15")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["doc_kind_label"], "安委会决定");
    assert_eq!(r.json()["sector_name"], "电子礼炮");
    let id = r.json()["id"].as_i64().unwrap();
    // Who supervises 电子礼炮: nobody before the decision, the 消防大队 from its day.
    let who = |on: &str| {
        let t = &t;
        let tk = yingji.clone();
        let on = on.to_string();
        async move {
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/duties/supervisor?sector=e_salute&on={on}"),
                    Some(&tk),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            r.json()["supervision"].clone()
        }
    };
    assert!(who("2022-03-14").await.is_null());
    let s = who("2022-03-15").await;
    assert_eq!(s["department_id"], fire);
    assert_eq!(s["source"], "duty");
    assert_eq!(s["duty_id"], id);
    // Fire by assignment.
    let r = t
        .call(
            "GET",
            "/api/v1/duties/supervisor?sector=fire",
            Some(&yingji),
            None,
        )
        .await;
    assert_eq!(r.json()["supervision"]["source"], "sector_assignment");
    let r = t
        .call(
            "GET",
            "/api/v1/duties/supervisor?sector=fire&on=x",
            Some(&yingji),
            None,
        )
        .await;
    assert!(r.json()["fields"]["on"].is_array());
    // The department's list: its item and its sector assignment.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/departments/{fire}/duties"),
            Some(&yingji),
            None,
        )
        .await;
    let sources: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["source"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(sources, ["duty", "sector_assignment"]);
    // Ending the item needs the version read.
    let r = t
        .call("GET", &format!("/api/v1/duties/{id}"), Some(&admin), None)
        .await;
    let mut edit = duty(fire, Some("e_salute"), "2022-03-15");
    edit["valid_to"] = json!("2022-03-01");
    edit["version"] = r.json()["version"].clone();
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/duties/{id}"),
            Some(&admin),
            Some(edit.clone()),
        )
        .await;
    assert!(r.json()["fields"]["valid_to"].is_array(), "{}", r.text());
    edit["valid_to"] = json!("2022-06-30");
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/duties/{id}"),
            Some(&admin),
            Some(edit),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(who("2022-07-01").await.is_null(), "ended");
    // Enterprises read no duty list; the ledger downloads.
    let qiye = t.token("qiye").await;
    let r = t.call("GET", "/api/v1/duties", Some(&qiye), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call("GET", "/api/v1/duties/export", Some(&yingji), None)
        .await;
    assert!(r.body.starts_with(b"PK"));
}

#[tokio::test]
async fn the_department_page_lists_its_duties_and_keeps_a_refused_form() {
    let t = spawn();
    let fire = t.ids.dept_fire;
    let (s, csrf) = t.web_login("admin").await;
    let page = t.page(&format!("/departments/{fire}"), &s).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("部门—行业分工"),
        "the assignment is a line"
    );
    let path = format!("/departments/{fire}");
    let r = t
        .form(
            &path,
            &s,
            &[
                ("_csrf", &csrf),
                ("content", "负责消防安全综合监管"),
                ("doc_kind", "sanding"),
                ("doc_no", "测编〔2019〕12号"),
                ("valid_from", "2019-13-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("负责消防安全综合监管") && r.text().contains("测编〔2019〕12号"));
    let r = t
        .form(
            &path,
            &s,
            &[
                ("_csrf", &csrf),
                ("content", "负责消防安全综合监管"),
                ("doc_kind", "sanding"),
                ("doc_no", "测编〔2019〕12号"),
                ("valid_from", "2019-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&path, &s).await.text();
    assert!(page.contains("负责消防安全综合监管") && page.contains("三定方案 测编〔2019〕12号"));
    let list = t.page("/duties?sector=fire&on=2022-06-01", &s).await.text();
    assert!(list.contains("测试市消防救援大队</b></a> 监管"), "{list}");
    // A township reads the lists.
    let (s, _) = t.web_login("town_a").await;
    assert_eq!(t.page(&path, &s).await.status, StatusCode::OK);
    assert_eq!(t.page("/duties", &s).await.status, StatusCode::OK);
}

#[tokio::test]
async fn duty_items_import_row_by_row() {
    let t = spawn();
    let admin = t.token("admin").await;
    let csv = "部门,职责内容,文件类别,文件名称,文号,决定日期,行业领域,起始日期,终止日期\n\
               测试市应急管理局,负责危化品安全监管,三定方案,,,,危险化学品,2019-03-01,\n\
               测试市消防救援大队,负责电子礼炮燃放安全监管,安委会决定,通知,测安委〔2022〕3号,2022-03-15,电子礼炮,2022-03-15,\n\
               不存在的局,负责某事,三定方案,,,,,2019-03-01,\n\
               测试市应急管理局,负责某事,通知,,,,,2019-03-01,\n";
    let (ct, body) = multipart(&[("file", Some("duties.csv"), csv.as_bytes())]);
    let r = t
        .raw("POST", "/api/v1/duties/import", Some(&admin), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("第4行") && lines[0].contains("不存在的局"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("第5行") && lines[1].contains("文件类别"),
        "{lines:?}"
    );
    let r = t.call("GET", "/api/v1/duties", Some(&admin), None).await;
    assert_eq!(
        r.json()["items"].as_array().map(Vec::len),
        Some(0),
        "nothing written"
    );
    let (ct, body) = multipart(&[("file", Some("duties.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/duties/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/duties/supervisor?sector=电子礼炮&on=2022-04-01",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["supervision"]["department_id"], t.ids.dept_fire);
}

/// A duty assigning a sector brings its enterprises and hazards into the department's scope
/// from its first day, "who supervises" answers with the department, and ending it takes them
/// out again (the 应急局 holds 危化 and 非煤矿山 by assignment; 消防 is the 消防大队's).
#[tokio::test]
async fn a_duty_naming_a_sector_puts_it_in_the_departments_scope_for_its_days() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yj = t.token("yingji").await;
    let dept = crate::draws::me_dept(&t, &yj).await;
    let a_fire = t.ids.a_fire;
    let sees = |day: &'static str| {
        let t = &t;
        async move {
            t.clock.set(
                chrono::DateTime::parse_from_rfc3339(&format!("{day}T09:00:00+08:00"))
                    .map(|d| d.with_timezone(&chrono::Utc))
                    .unwrap_or_default(),
            );
            let tk = t.token("yingji").await;
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/enterprises/{a_fire}"),
                    Some(&tk),
                    None,
                )
                .await;
            let hazards = t
                .call("GET", "/api/v1/hazards?sector=fire", Some(&tk), None)
                .await;
            (r.status, hazards.status)
        }
    };
    // Asked after the clock has moved (a token of its own each time).
    let who = |on: &'static str| {
        let t = &t;
        async move {
            let tk = t.token("admin").await;
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/duties/supervisor?sector=fire&on={on}"),
                    Some(&tk),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            r.json()["supervision"]["department_id"].clone()
        }
    };
    assert_eq!(sees("2022-06-01").await.0, StatusCode::NOT_FOUND);
    let mut item = json!({"department_id": dept, "content": "负责消防安全重点单位以外企业的消防安全监管",
        "doc_kind": "committee", "doc_title": "关于调整部分行业领域安全监管职责的决定",
        "doc_no": "测安委〔2022〕8号", "decided_on": "2022-06-01", "sector_code": "fire",
        "valid_from": "2022-06-10"});
    let r = t
        .call("POST", "/api/v1/duties", Some(&admin), Some(item.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    assert_eq!(sees("2022-06-09").await.0, StatusCode::NOT_FOUND, "not yet");
    assert_eq!(who("2022-06-09").await, json!(t.ids.dept_fire));
    let (enterprise, hazards) = sees("2022-06-10").await;
    assert_eq!(enterprise, StatusCode::OK, "from the duty's first day");
    assert_eq!(hazards, StatusCode::OK);
    assert_eq!(who("2022-06-10").await, json!(dept));
    // Ended on 2022-06-15: out of scope from the 16th; the 消防大队 answers again.
    let admin = t.token("admin").await;
    let r = t
        .call("GET", &format!("/api/v1/duties/{id}"), Some(&admin), None)
        .await;
    item["valid_to"] = json!("2022-06-15");
    item["version"] = r.json()["version"].clone();
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/duties/{id}"),
            Some(&admin),
            Some(item),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(sees("2022-06-15").await.0, StatusCode::OK, "its last day");
    assert_eq!(sees("2022-06-16").await.0, StatusCode::NOT_FOUND, "ended");
    assert_eq!(who("2022-06-16").await, json!(t.ids.dept_fire));
    // The department's own sectors stay in scope throughout.
    let tk = t.token("yingji").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{}", t.ids.a_haz),
            Some(&tk),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}
