//! Work records: validation, scope, import with row-level errors, and what they count.

use super::*;

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
