//! Hazard import: every row validated, all or nothing, through the API and the ledger page.

use super::*;

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
