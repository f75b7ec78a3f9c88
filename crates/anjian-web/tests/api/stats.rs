//! Statistics through the API and the UI: work records (validation, scope, import with
//! row-level errors), campaigns, metric values and drill-downs, reports.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

fn record(region: &str, item: &str, q: i64) -> serde_json::Value {
    json!({"item_code": item, "region_code": region, "done_on": "2022-05-20", "quantity": q, "place": "枫林村"})
}

#[tokio::test]
async fn work_records_are_validated_scoped_and_counted() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let qiye = t.token("qiye").await;
    // Bad input: every field named, nothing written.
    let r = t
        .call("POST", "/api/v1/work-records", Some(&admin),
              Some(json!({"item_code": "nope", "region_code": "123", "done_on": "2022-13-01", "quantity": -1})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let fields = r.json()["fields"].clone();
    for f in ["item_code", "region_code", "done_on", "quantity"] {
        assert!(fields.get(f).is_some(), "{f} in {fields}");
    }
    // A future date is refused (the clock says 2022-06-01).
    let mut future = record(VILLAGE_A1, "boards", 3);
    future["done_on"] = json!("2022-07-01");
    let r = t
        .call("POST", "/api/v1/work-records", Some(&admin), Some(future))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown campaign tag is refused.
    let mut tagged = record(VILLAGE_A1, "boards", 3);
    tagged["campaign"] = json!("bairi");
    let r = t
        .call(
            "POST",
            "/api/v1/work-records",
            Some(&admin),
            Some(tagged.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["campaign"].is_array());
    // Campaigns: the 安委办 registers them, nobody else.
    let c = json!({"code": "bairi", "name": "百日攻坚", "starts_on": "2022-05-01", "ends_on": "2022-08-08"});
    let r = t
        .call("POST", "/api/v1/campaigns", Some(&town), Some(c.clone()))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call("POST", "/api/v1/campaigns", Some(&admin), Some(c))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call("POST", "/api/v1/work-records", Some(&admin), Some(tagged))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // The township records in its own area only; enterprises record nothing.
    let r = t
        .call(
            "POST",
            "/api/v1/work-records",
            Some(&town),
            Some(record(VILLAGE_B1, "boards", 4)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call(
            "POST",
            "/api/v1/work-records",
            Some(&town),
            Some(record(VILLAGE_A1, "boards", 4)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = t
        .call(
            "POST",
            "/api/v1/work-records",
            Some(&qiye),
            Some(record(VILLAGE_A1, "boards", 4)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Import: rows 3 and 5 bad → both reported, nothing written.
    let csv = "工作事项,日期,区划代码,数量,单位\n摆放展板,2022-05-01,360982100200,10,块\n摆放展板,2022-05-02,360982100200,十,块\n发放宣传资料,2022-05-03,360982100200,500,份\n摆放展板,2022-05-04,999999999999,2,块\n";
    let (ct, body) = multipart(&[("file", Some("records.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/work-records/import",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("第3行") && lines[1].starts_with("第5行"),
        "{lines:?}"
    );
    // Values: 3 (campaign) + 4 (township) boards; the import wrote nothing.
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/values?period=2022&ids=work.boards,work.leaflets",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["items"][0]["raw"], 7);
    assert_eq!(r.json()["items"][1]["raw"], 0);
    // With skip_invalid the two good rows are written.
    let (ct, body) = multipart(&[("file", Some("records.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/work-records/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 2);
    // Drill-down: the records add up to the value; campaign and township dimensions apply.
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/work.boards?period=2022",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 17);
    let sum: i64 = r.json()["records"]
        .as_array()
        .map(|a| a.iter().map(|x| x["amount"].as_i64().unwrap_or(0)).sum())
        .unwrap_or(0);
    assert_eq!(sum, 17);
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/work.boards?period=2022-Q2&campaign=bairi",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 3);
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/work.boards?period=2022&region=360982101000",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 0);
    // The township sees only its own records.
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/values?period=2022&ids=work.boards",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.json()["items"][0]["raw"], 17);
    // Bad periods and unknown metrics are 4xx.
    for q in ["period=2022-Q5", "period=abc", "region=12", "department=x"] {
        let r = t
            .call(
                "GET",
                &format!("/api/v1/metrics/values?{q}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/nope?period=2022",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Reports in three formats; a broken template is refused and the old one kept.
    let r = t
        .call(
            "GET",
            "/api/v1/statistics/report?period=2022&format=json",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["figures"].as_array().is_some_and(|a| a.len() > 50));
    let r = t
        .call(
            "GET",
            "/api/v1/statistics/report?period=2022&format=md",
            Some(&admin),
            None,
        )
        .await;
    assert!(
        r.text()
            .contains("摆放展板[17](/metrics/work.boards?period=2022)块"),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "GET",
            "/api/v1/statistics/report?period=2022&format=docx",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .call(
            "PUT",
            "/api/v1/statistics/report-template",
            Some(&admin),
            Some(json!({"template": "# 报告\n共{{ m(\"no.such\") }}处"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = t
        .call(
            "PUT",
            "/api/v1/statistics/report-template",
            Some(&town),
            Some(json!({"template": "# 报告"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "PUT",
            "/api/v1/statistics/report-template",
            Some(&admin),
            Some(json!({"template": "# 报告\n展板{{ m(\"work.boards\") }}块"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/statistics/report?period=2022&format=md",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        r.text().trim(),
        "# 报告\n展板[17](/metrics/work.boards?period=2022)块"
    );
}

#[tokio::test]
async fn statistics_pages_render() {
    let t = spawn();
    let (session, _) = t.web_login("admin").await;
    for path in [
        "/metrics?period=2022",
        "/metrics/hazards.found?period=2022",
        "/statistics/report?period=2022",
        "/statistics/report-template",
        "/campaigns",
        "/work-records",
        "/ranking?period=2022-Q2",
        "/ranking?period=2022-05&by=department",
    ] {
        let r = t.page(path, &session).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
        assert!(r.text().contains("统计分析"), "{path}");
    }
    let r = t.page("/", &session).await;
    assert!(
        r.text().contains("<svg") && r.text().contains("/metrics/hazards.found?period=2022"),
        "dashboard"
    );
    let r = t.page("/?year=abc", &session).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("年度“abc”不正确"));
    let (town, _) = t.web_login("town_a").await;
    let r = t.page("/statistics/report-template", &town).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn ranking_api() {
    let t = spawn();
    let admin = t.token("admin").await;
    let qiye = t.token("qiye").await;
    let r = t
        .call("GET", "/api/v1/ranking?period=2022-Q2", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["previous"], "2022-Q1");
    assert_eq!(
        r.json()["rows"].as_array().map(|a| a.len()),
        Some(2),
        "two townships"
    );
    let r = t
        .call("GET", "/api/v1/ranking?by=village", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call("GET", "/api/v1/ranking?period=2022-Q2", Some(&qiye), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "PUT",
            "/api/v1/ranking-rule",
            Some(&admin),
            Some(
                json!({"quantity_points": 60, "increase_points": 20, "quality_points": 20,
        "quantity": [{"metric": "hazards.found", "weight": 1}], "quality": []}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "PUT",
            "/api/v1/ranking-rule",
            Some(&admin),
            Some(
                json!({"quantity_points": 60, "increase_points": 20, "quality_points": 20,
        "quantity": [{"metric": "nope", "weight": 1}], "quality": []}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call("GET", "/api/v1/ranking-rule", Some(&admin), None)
        .await;
    assert_eq!(r.json()["quantity_points"], 60.0);
}

#[tokio::test]
async fn hazard_import_validates_every_row_and_writes_all_or_nothing() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let csv = format!(
        "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期,整改期限,企业统一社会信用代码\n\
         {VILLAGE_A1},消防,一般隐患,监督检查,疏散通道堵塞,2022-05-10,2022-05-20,\n\
         {VILLAGE_A1},nope,一般,监督检查,配电箱未接地,2022-05-10,,\n\
         {VILLAGE_B1},危险化学品,重大隐患,上级交办,储罐区无可燃气体报警,2022-05-11,2022-08-11,{}\n\
         {VILLAGE_B1},消防,一般,监督检查,灭火器过期,2022-15-01,,\n\
         {VILLAGE_A1},消防,一般,监督检查,安全出口上锁,2022-05-12,,91360982MA0000000X\n",
        uscc(3)
    );
    let (ct, body) = multipart(&[("file", Some("hazards.csv"), csv.as_bytes())]);
    let r = t
        .raw("POST", "/api/v1/hazards/import", Some(&admin), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    let rows: Vec<&str> = lines
        .iter()
        .map(|l| l.split('：').next().unwrap_or_default())
        .collect();
    assert_eq!(rows, ["第3行", "第5行", "第6行"], "{lines:?}");
    let before = t
        .call(
            "GET",
            "/api/v1/metrics/values?period=2022&ids=hazards.found",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(before.json()["items"][0]["raw"], 0, "nothing written");
    // A township may import only in its own area: the 永泰镇 rows are refused for it.
    let (ct, body) = multipart(&[("file", Some("hazards.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/hazards/import?skip_invalid=true",
            Some(&town),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 1, "{}", r.text());
    // The admin writes the two valid rows; the major one opens its 一单四制 case.
    let (ct, body) = multipart(&[("file", Some("hazards.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/hazards/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let after = t
        .call(
            "GET",
            "/api/v1/metrics/values?period=2022&ids=hazards.found,hazards.found_major",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(after.json()["items"][0]["raw"], 3);
    assert_eq!(after.json()["items"][1]["raw"], 1);
    let list = t
        .call("GET", "/api/v1/major-hazards", Some(&admin), None)
        .await;
    assert!(
        list.text().contains("储罐区无可燃气体报警"),
        "{}",
        list.text()
    );
}

#[tokio::test]
async fn hazard_import_from_the_ledger_page() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let csv = format!(
        "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期\n{VILLAGE_A1},消防,一般,监督检查,疏散通道堵塞,2022-05-10\n{VILLAGE_A1},消防,一般,监督检查,,2022-05-10\n"
    );
    let send = |csrf: &str| {
        let (ct, body) = multipart(&[
            ("_csrf", None, csrf.as_bytes()),
            ("file", Some("h.csv"), csv.as_bytes()),
        ]);
        axum::http::Request::post("/hazards/import")
            .header(axum::http::header::CONTENT_TYPE, ct)
            .header(
                axum::http::header::COOKIE,
                format!("anjian_session={session}"),
            )
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let r = t.send(send(&csrf)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("第3行") && r.text().contains("未导入任何记录"),
        "{}",
        r.text()
    );
    let r = t.send(send("wrong")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.page("/hazards", &session).await;
    assert!(r.text().contains("批量导入隐患"));
}

#[tokio::test]
async fn campaign_tags_must_name_a_registered_campaign() {
    let t = spawn();
    let admin = t.token("admin").await;
    let h = json!({"region_code": VILLAGE_A1, "sector": "fire", "level": "general", "source": "inspection",
        "description": "疏散通道堵塞", "found_on": "2022-05-10", "deadline": "2022-05-20", "campaign": "bairi"});
    let r = t
        .call("POST", "/api/v1/hazards", Some(&admin), Some(h.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["campaign"].is_array());
    let c = json!({"code": "bairi", "name": "百日攻坚", "starts_on": "2022-05-01", "ends_on": "2022-08-08"});
    assert_eq!(
        t.call("POST", "/api/v1/campaigns", Some(&admin), Some(c))
            .await
            .status,
        StatusCode::CREATED
    );
    let r = t
        .call("POST", "/api/v1/hazards", Some(&admin), Some(h))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/hazards.found?period=2022&campaign=bairi",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 1);
}
