//! 职责清单 through the API and the pages: duty items with their documents, a department's
//! sector list kept as its items (created with it, started and ended by its edits), and one
//! answer to "who supervises".

use super::*;

fn duty(department: i64, sector: Option<&str>, from: &str) -> Value {
    json!({"department_id": department, "content": "负责电子礼炮经营、燃放环节的安全监管",
        "doc_kind": "committee", "doc_title": "关于明确新兴行业领域安全监管职责的通知",
        "doc_no": "测安委〔2022〕3号", "decided_on": "2022-03-15", "sector_code": sector,
        "valid_from": from})
}

#[tokio::test]
async fn duty_items_with_the_departments_sector_lists_answer_who_supervises() {
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
    assert_eq!(s["duty_id"], id);
    // Fire by the 消防大队's old sector assignment, converted to an item (the fixture's).
    let r = t
        .call(
            "GET",
            "/api/v1/duties/supervisor?sector=fire",
            Some(&yingji),
            None,
        )
        .await;
    assert_eq!(r.json()["supervision"]["department_id"], fire);
    assert_eq!(r.json()["supervision"]["basis"], "其他文件 原行业领域分工");
    let r = t
        .call(
            "GET",
            "/api/v1/duties/supervisor?sector=fire&on=x",
            Some(&yingji),
            None,
        )
        .await;
    assert!(r.json()["fields"]["on"].is_array());
    // The department's list: its converted sector assignment and the item written here.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/departments/{fire}/duties"),
            Some(&yingji),
            None,
        )
        .await;
    let lines: Vec<(String, String)> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["sector_code"].as_str().unwrap_or_default().to_string(),
                l["content"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("fire".into(), "负责消防行业领域安全生产监督管理".into()),
            (
                "e_salute".into(),
                "负责电子礼炮经营、燃放环节的安全监管".into()
            )
        ]
    );
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
        page.text().contains("负责消防行业领域安全生产监督管理")
            && page.text().contains("其他文件 原行业领域分工"),
        "its converted sector assignment is a line"
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
        Some(3),
        "nothing written: the three items are the departments' sector lists"
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
    // An imported item naming a sector is one of the department's sectors from its day.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/departments/{}", t.ids.dept_fire),
            Some(&admin),
            None,
        )
        .await;
    let sectors = r.json()["sectors"].clone();
    assert!(
        sectors.as_array().is_some_and(|a| a
            .iter()
            .any(|x| x["sector_code"] == "e_salute" && x["decision_no"] == "测安委〔2022〕3号")),
        "{sectors}"
    );
}

/// A duty assigning a sector brings its enterprises and hazards into the department's scope
/// from its first day, "who supervises" answers with the department, and ending it takes them
/// out again (the 应急局's sector list holds 危化 and 非煤矿山; 消防 is the 消防大队's).
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

/// The departments' converted sector assignments are duty items on the list page, in the API
/// and on the department's page; a handover edited on one day (the API for the 应急局, the organisation
/// page for the 消防大队) ends the one item the day before and starts the other that day, and
/// the 应急局's users lose the sector's records from then.
#[tokio::test]
async fn a_handover_of_sector_lists_is_dated_on_the_pages_and_in_the_api() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yj = t.token("yingji").await;
    let dept = crate::draws::me_dept(&t, &yj).await;
    let fire = t.ids.dept_fire;
    let hazchem = |token: String| {
        let t = &t;
        async move {
            let r = t
                .call("GET", "/api/v1/duties?sector=hazchem", Some(&token), None)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            r.json()["items"].as_array().cloned().unwrap_or_default()
        }
    };
    let items = hazchem(admin.clone()).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["department_id"], dept);
    assert_eq!(items[0]["doc_title"], "原行业领域分工");
    assert_eq!(items[0]["valid_from"], "1900-01-01");
    let (s, _) = t.web_login("admin").await;
    let list = t.page("/duties", &s).await.text();
    assert!(
        list.contains("负责危险化学品行业领域安全生产监督管理")
            && list.contains("其他文件 原行业领域分工"),
        "{list}"
    );
    let page = t.page(&format!("/departments/{dept}"), &s).await.text();
    assert!(
        page.contains("负责非煤矿山行业领域安全生产监督管理"),
        "{page}"
    );
    // On 2022-06-10: the API takes 危化 off the 应急局's list …
    t.clock.set(
        chrono::DateTime::parse_from_rfc3339("2022-06-10T09:00:00+08:00")
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_default(),
    );
    let admin = t.token("admin").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/departments/{dept}"),
            Some(&admin),
            None,
        )
        .await;
    let d = r.json();
    assert_eq!(d["sectors"].as_array().map(Vec::len), Some(2));
    let body = json!({"name": d["name"], "short_name": d["short_name"],
        "is_member_unit": true, "has_supervision_duty": true, "is_industry_authority": true,
        "sectors": [{"sector_code": "mines"}], "version": d["version"]});
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/departments/{dept}"),
            Some(&admin),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let saved = r.json();
    let codes: Vec<&str> = saved["sectors"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["sector_code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(codes, ["mines"]);
    // … and the organisation page adds it to the 消防大队's.
    let (s, csrf) = t.web_login("admin").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/departments/{fire}"),
            Some(&admin),
            None,
        )
        .await;
    let version = r.json()["version"].to_string();
    let r = t
        .form(
            &format!("/departments/{fire}/edit"),
            &s,
            &[
                ("_csrf", &csrf),
                ("version", &version),
                ("name", "测试市消防救援大队"),
                ("short_name", "测试市消防救援大队"),
                ("sort_order", "0"),
                ("is_member_unit", "on"),
                ("has_supervision_duty", "on"),
                ("is_industry_authority", "on"),
                ("sector.fire", "on"),
                ("sector.hazchem", "on"),
                ("decision_no.hazchem", "测安委〔2022〕9号"),
                ("decided_on.hazchem", "2022-06-08"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let periods: Vec<(i64, String, String)> = hazchem(admin.clone())
        .await
        .iter()
        .map(|i| {
            (
                i["department_id"].as_i64().unwrap_or_default(),
                i["valid_from"].as_str().unwrap_or_default().to_string(),
                i["valid_to"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        periods,
        [
            (dept, "1900-01-01".into(), "2022-06-09".into()),
            (fire, "2022-06-10".into(), String::new())
        ]
    );
    for (on, holder) in [("2022-06-09", dept), ("2022-06-10", fire)] {
        let r = t
            .call(
                "GET",
                &format!("/api/v1/duties/supervisor?sector=hazchem&on={on}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(r.json()["supervision"]["department_id"], holder, "{on}");
        assert_eq!(r.json()["supervision"]["also"], json!([]), "{on}");
    }
    let page = t.page(&format!("/departments/{fire}"), &s).await.text();
    assert!(
        page.contains("其他文件 部门行业领域分工 测安委〔2022〕9号"),
        "{page}"
    );
    // The 应急局's users no longer see 危化 records.
    let yj = t.token("yingji").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{}", t.ids.a_haz),
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
