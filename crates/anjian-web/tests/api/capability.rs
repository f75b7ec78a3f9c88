//! Grassroots capability (issue 15): a township assesses itself and its villages and submits,
//! the 安委办 accepts or returns; others see what their scope holds; the report's figure
//! drills down to the acceptances.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn act(t: &TestApp, token: &str, id: i64, body: Value) -> Resp {
    t.call(
        "POST",
        &format!("/api/v1/capability/{id}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_township_assesses_itself_and_the_county_accepts() {
    let t = spawn();
    let town = t.token("town_a").await;
    let admin = t.token("admin").await;
    // The township opens its own assessment, not another's; a department none.
    let r = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&town),
            Some(json!({"region_code": TOWN_A, "year": 2022})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a = r.json();
    let id = a["id"].as_i64().unwrap_or_default();
    let codes: Vec<String> = a["items"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|i| i["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(codes.len(), 6, "六有: {a}");
    let r = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&town),
            Some(json!({"region_code": TOWN_B, "year": 2022})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["region_code"].is_array());
    let yingji = t.token("yingji").await;
    let r = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&yingji),
            Some(json!({"region_code": TOWN_A, "year": 2022})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // Its village, against the “三有”.
    let r = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&town),
            Some(json!({"region_code": VILLAGE_A1, "year": 2022})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(3));

    // Half answered, it cannot go to the county.
    let half: Vec<Value> = codes
        .iter()
        .take(3)
        .map(|c| json!({"code": c, "met": true, "note": "已落实"}))
        .collect();
    let r = act(
        &t,
        &town,
        id,
        json!({"action": "submit", "version": 1, "items": half}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["items"].is_array());
    let r = act(
        &t,
        &town,
        id,
        json!({"action": "save", "version": 1, "items": half}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Evidence while drafting: a photograph is taken, an executable is not.
    let jpeg: Vec<u8> = [b"\xFF\xD8\xFF\xE0".as_slice(), &[5u8; 300]].concat();
    let url = format!("/api/v1/capability/{id}/files?item={}", codes[5]);
    let (ct, body) = crate::hazards::multipart(&[("file", Some("演练.jpg"), &jpeg)]);
    let r = t.raw("POST", &url, Some(&town), &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let file = r.json()["id"].as_i64().unwrap_or_default();
    let (ct, body) = crate::hazards::multipart(&[("file", Some("x.jpg"), b"MZ\x90\x00")]);
    let r = t.raw("POST", &url, Some(&town), &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let all: Vec<Value> = codes
        .iter()
        .map(|c| json!({"code": c, "met": c != &codes[5], "note": ""}))
        .collect();
    let v = t
        .call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&town),
            None,
        )
        .await
        .json();
    assert_eq!(v["allowed_actions"], json!(["save", "submit"]));
    assert_eq!(v["items"][5]["evidence"], json!([file]), "{v}");
    let version = v["version"].clone();
    let r = act(
        &t,
        &town,
        id,
        json!({"action": "submit", "version": version, "items": all}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "submitted");
    let version = r.json()["version"].clone();
    // Submitted: the township cannot accept, nor add evidence.
    let r = act(
        &t,
        &town,
        id,
        json!({"action": "accept", "version": version, "result": "pass", "accepted_on": "2022-06-01", "inspectors": "王建国"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let (ct, body) = crate::hazards::multipart(&[("file", Some("b.jpg"), &jpeg)]);
    assert_eq!(
        t.raw("POST", &url, Some(&town), &ct, body).await.status,
        StatusCode::FORBIDDEN
    );
    // The county: the inspectors are named, the result and the day given.
    let r = act(
        &t,
        &admin,
        id,
        json!({"action": "accept", "version": version, "result": "达标", "accepted_on": "2022-06-02"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let f = r.json()["fields"].clone();
    assert!(
        f["inspectors"].is_array() && f["accepted_on"].is_array(),
        "{f}"
    );
    let r = act(
        &t,
        &admin,
        id,
        json!({"action": "accept", "version": version, "result": "pass", "accepted_on": "2022-06-01", "inspectors": "王建国、刘芳"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["result"], "pass");
    // The figure and its records.
    let m = t
        .call(
            "GET",
            "/api/v1/metrics/capability.townships_accepted?period=2022",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(m["metric"]["raw"], 1, "{m}");
    assert_eq!(m["records"][0]["entity"], "capability");
    assert_eq!(m["records"][0]["entity_id"], id);
    // Who sees it: the county and its leaders, not an enterprise; the file goes with it.
    let leader = t.token("leader").await;
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&leader),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    let qiye = t.token("qiye").await;
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&qiye),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/attachments/{file}"),
            Some(&leader),
            None,
        )
        .await;
    assert_eq!((r.status, r.body), (StatusCode::OK, jpeg));
    assert_eq!(
        t.call(
            "GET",
            &format!("/api/v1/attachments/{file}"),
            Some(&qiye),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // The ledger and the pages.
    let r = t
        .call("GET", "/api/v1/capability/export", Some(&town), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let (session, _) = t.web_login("admin").await;
    for p in [
        "/capability",
        &format!("/capability/{id}"),
        "/capability/items",
    ] {
        let r = t.page(p, &session).await;
        assert_eq!(r.status, StatusCode::OK, "{p}: {}", r.text());
    }
    assert!(
        t.page("/capability/items", &session)
            .await
            .text()
            .contains("有培训演练")
    );
}

#[tokio::test]
async fn a_return_sends_it_back_with_the_reason_and_the_checklist_is_the_countys() {
    let t = spawn();
    let town = t.token("town_a").await;
    let admin = t.token("admin").await;
    let a = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&admin),
            Some(json!({"region_code": TOWN_A, "year": 2022})),
        )
        .await
        .json();
    let id = a["id"].as_i64().unwrap_or_default();
    let all: Vec<Value> = a["items"]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|i| json!({"code": i["code"], "met": true}))
                .collect()
        })
        .unwrap_or_default();
    let r = act(
        &t,
        &town,
        id,
        json!({"action": "submit", "version": 1, "items": all}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = act(&t, &admin, id, json!({"action": "return", "version": 2})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["reason"].is_array());
    let r = act(
        &t,
        &admin,
        id,
        json!({"action": "return", "version": 2, "reason": "演练记录不全"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "returned");
    let v = t
        .call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&town),
            None,
        )
        .await
        .json();
    assert_eq!(v["return_reason"], "演练记录不全");
    assert_eq!(v["allowed_actions"], json!(["save", "submit"]));
    // Only the 安委办 edits the checklist; a new item applies to assessments opened after.
    let item = json!({"level": "township", "code": "shelter", "name": "有场所", "description": "应急避难场所"});
    let r = t
        .call(
            "PUT",
            "/api/v1/capability/items",
            Some(&town),
            Some(item.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "PUT",
            "/api/v1/capability/items",
            Some(&admin),
            Some(json!({"level": "county", "code": "x y", "name": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    assert!(
        f["level"].is_array() && f["code"].is_array() && f["name"].is_array(),
        "{f}"
    );
    let r = t
        .call("PUT", "/api/v1/capability/items", Some(&admin), Some(item))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let b = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&admin),
            Some(json!({"region_code": TOWN_B, "year": 2022})),
        )
        .await
        .json();
    assert_eq!(b["items"].as_array().map(Vec::len), Some(7));
    let v = t
        .call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(v["items"].as_array().map(Vec::len), Some(6));
    // One assessment per place and year.
    let r = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&admin),
            Some(json!({"region_code": TOWN_B, "year": 2022})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_self_assessment_page_keeps_every_answer_when_refused() {
    let t = spawn();
    let admin = t.token("admin").await;
    let a = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&admin),
            Some(json!({"region_code": TOWN_A, "year": 2022})),
        )
        .await
        .json();
    let id = a["id"].as_i64().unwrap_or_default();
    let codes: Vec<String> = a["items"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|i| i["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let (session, csrf) = t.web_login("town_a").await;
    let page = t.page(&format!("/capability/{id}"), &session).await;
    assert!(page.text().contains("提交验收"), "{}", page.text());
    let mut pairs: Vec<(String, String)> = vec![
        ("_csrf".into(), csrf.clone()),
        ("version".into(), "1".into()),
        ("action".into(), "submit".into()),
    ];
    // Every item answered but the last.
    for (k, c) in codes.iter().enumerate() {
        pairs.push(("item".into(), c.clone()));
        if k + 1 < codes.len() {
            pairs.push((format!("met_{c}"), "yes".into()));
        }
        pairs.push((format!("note_{c}"), format!("第{k}项已落实")));
    }
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = t
        .form(&format!("/capability/{id}/act"), &session, &refs)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("还有1项未填写自评结果"), "{html}");
    assert!(html.contains("value=\"第0项已落实\"") && html.contains("value=\"第5项已落实\""));
    assert_eq!(
        html.matches("value=\"yes\" checked").count(),
        codes.len() - 1
    );
    // Answered in full, it goes.
    let last = codes.last().cloned().unwrap_or_default();
    pairs.push((format!("met_{last}"), "no".into()));
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = t
        .form(&format!("/capability/{id}/act"), &session, &refs)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let v = t
        .call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(v["status"], "submitted");
    assert_eq!(v["met"], 5);
}

/// Self-assessments and acceptances imported from a sheet: the template's Chinese headers
/// import back; every row is checked through the form's step, each bad row reported by row
/// and column with nothing written; a township imports for its own places only, the
/// acceptances are the 安委办's and need a submitted self-assessment.
#[tokio::test]
async fn self_assessments_and_acceptances_import_row_by_row() {
    use crate::hazards::multipart;
    let t = spawn();
    let town = t.token("town_a").await;
    let admin = t.token("admin").await;
    let import = |token: String, path: &'static str, name: &'static str, data: Vec<u8>| {
        let t = &t;
        async move {
            let (ct, body) = multipart(&[("file", Some(name), &data)]);
            t.raw("POST", path, Some(&token), &ct, body).await
        }
    };
    let selfs = "/api/v1/capability/self-assessments/import";
    let accepts = "/api/v1/capability/acceptances/import";
    let list = |token: String| {
        let t = &t;
        async move {
            t.call("GET", "/api/v1/capability?year=2022", Some(&token), None)
                .await
                .json()["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        }
    };

    // The template (the township's own township, its six items, this year) imports back.
    let sheet = t
        .call(
            "GET",
            "/api/v1/capability/self-assessments/template",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.text());
    let r = import(town.clone(), selfs, "自评.xlsx", sheet.body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 1, "{}", r.text());
    let opened = list(town.clone()).await;
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["region_code"], TOWN_A);
    assert_eq!(opened[0]["met"], 0);

    // Bad rows: an item not on the checklist, a township out of scope, a mark that is not
    // 是/否; the good rows of the same self-assessment are held back with them.
    let header = "年度,乡镇（街道）,村（社区）,创建项目,是否达到,自评说明\n";
    let bad = format!(
        "{header}2022,临江镇,,有机构,是,办公室已设立\n\
         2022,临江镇,,有预案,否,\n\
         2022,临江镇,枫林村,有人员,是,\n\
         2022,临江镇,枫林村,有飞机,是,\n\
         2022,永泰镇,,有机构,是,\n\
         2022,临江镇,,有队伍,也许,\n"
    );
    let r = import(town.clone(), selfs, "自评.csv", bad.clone().into_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["report"]["invalid"], 6, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    let line = |n: usize| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("第{n}行")))
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        line(5).contains("创建项目") && line(5).contains("有飞机"),
        "{lines:?}"
    );
    assert!(
        line(6).contains("乡镇（街道）") && line(6).contains("永泰镇"),
        "{lines:?}"
    );
    assert!(
        line(7).contains("是否达到") && line(7).contains("也许"),
        "{lines:?}"
    );
    assert!(line(2).contains("第7行有误"), "{lines:?}");
    assert!(line(4).contains("第5行有误"), "{lines:?}");
    let still = list(town.clone()).await;
    assert_eq!(
        (still.len(), still[0]["met"].clone()),
        (1, json!(0)),
        "nothing written"
    );
    // The page reports the same rows.
    let (session, csrf) = t.web_login("town_a").await;
    let page = t.page("/capability", &session).await.text();
    assert!(
        page.contains("下载自评导入表"),
        "the page offers the import"
    );
    assert!(
        !page.contains("下载验收导入表"),
        "acceptance is the 安委办's"
    );
    let (ct, body) = multipart(&[
        ("_csrf", None, csrf.as_bytes()),
        ("file", Some("自评.csv"), bad.as_bytes()),
    ]);
    let req = axum::http::Request::post("/capability/self-assessments/import")
        .header(axum::http::header::CONTENT_TYPE, ct)
        .header(
            axum::http::header::COOKIE,
            format!("anjian_session={session}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("有 6 行数据有误") && html.contains("第5行：创建项目"),
        "{html}"
    );

    // The good rows: the township's six items and a village's item.
    let good = format!(
        "{header}2022,临江镇,,有机构,是,办公室已设立\n\
         2022,临江镇,,有机制,是,\n\
         2022,临江镇,,有预案,否,预案待修订\n\
         2022,临江镇,,有队伍,是,\n\
         2022,临江镇,,有物资,是,\n\
         2022,临江镇,,有培训演练,是,\n\
         2022,临江镇,枫林村,有人员,是,\n"
    );
    let r = import(town.clone(), selfs, "自评.csv", good.into_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let now = list(town.clone()).await;
    let of = |code: &str| {
        now.iter()
            .find(|a| a["region_code"] == code)
            .cloned()
            .unwrap_or_default()
    };
    let township = of(TOWN_A);
    assert_eq!(
        (township["met"].clone(), township["version"].clone()),
        (json!(5), json!(2))
    );
    assert_eq!(township["items"][2]["met"], false, "{township}");
    assert_eq!(township["items"][2]["note"], "预案待修订");
    assert_eq!(of(VILLAGE_A1)["met"], 1);
    let id = township["id"].as_i64().unwrap_or_default();
    let r = act(
        &t,
        &town,
        id,
        json!({"action": "submit", "version": township["version"]}),
    )
    .await;
    assert_eq!(r.json()["status"], "submitted", "{}", r.text());

    // Acceptances: the 安委办's; the village's is not submitted, 永泰镇 has none.
    let header = "年度,乡镇（街道）,村（社区）,验收结果,验收日期,验收人员,验收意见\n";
    let rows = format!(
        "{header}2022,临江镇,,达标,2022-06-01,王建国、刘芳,六有齐全\n\
         2022,临江镇,枫林村,达标,2022-06-01,王建国,\n\
         2022,永泰镇,,合格吗,2022-06-01,,\n"
    );
    let r = import(town.clone(), accepts, "验收.csv", rows.clone().into_bytes()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = import(admin.clone(), accepts, "验收.csv", rows.into_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("第3行"), "{lines:?}");
    assert!(
        lines[1].starts_with("第4行")
            && lines[1].contains("验收结果")
            && lines[1].contains("没有自评记录"),
        "{lines:?}"
    );
    let v = t
        .call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(v["status"], "submitted", "nothing written");
    let sheet = t
        .call(
            "GET",
            "/api/v1/capability/acceptances/template",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    let rows = format!("{header}2022,临江镇,,达标,2022-06-01,王建国、刘芳,六有齐全\n");
    let r = import(admin.clone(), accepts, "验收.csv", rows.into_bytes()).await;
    assert_eq!(r.json()["report"]["written"], 1, "{}", r.text());
    let v = t
        .call(
            "GET",
            &format!("/api/v1/capability/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            v["status"].clone(),
            v["result"].clone(),
            v["inspectors"].clone()
        ),
        (json!("accepted"), json!("pass"), json!("王建国、刘芳")),
        "{v}"
    );
}
