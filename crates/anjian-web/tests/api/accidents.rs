//! The accident register through the API: the level computed (never typed), 补报 inside and
//! outside the window, 迟报 in clock hours, flags and a linked 举报, the investigation's one
//! extension and closing, scope (another township's accident is 404), refusals naming the
//! field, the import with a bad row, and the report's opening statement changing.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn production(town: &str, sector: &str, at: &str, deaths: i64, loss: &str) -> Value {
    json!({"category": "生产安全事故", "occurred_at": at, "place": "采石场边坡", "township": town,
        "sector": sector, "accident_type": "坍塌", "deaths": deaths, "serious_injuries": 1,
        "direct_loss_yuan": loss, "account": "边坡失稳坍塌，两人被埋"})
}

async fn create(t: &TestApp, who: &str, body: Value) -> Value {
    let r = t
        .call("POST", "/api/v1/accidents", Some(who), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn the_level_is_computed_and_refusals_name_the_field() {
    let t = spawn();
    let admin = t.token("admin").await;
    // 2 deaths and 9,999,999.99元: 一般; one more 分 of loss makes it 较大 (493号令 第三条).
    let a = create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-01 08:00", 2, "9999999.99"),
    )
    .await;
    assert_eq!(a["level"], "general");
    assert_eq!(a["level_label"], "一般");
    assert_eq!(a["loss_fen"], 999_999_999);
    assert_eq!(a["loss_yuan"], "9999999.99");
    assert_eq!(a["investigation_due"], "2022-06-30");
    let b = create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-01 09:00", 2, "10000000"),
    )
    .await;
    assert_eq!(b["level_label"], "较大");
    // A forest fire of 1.00 公顷 is 较大 (森林防火条例 第四十条).
    let f = create(
        &t,
        &admin,
        json!({"category": "森林火灾", "occurred_at": "2022-03-05 14:00", "place": "石塘村后山",
            "township": "永泰镇", "accident_type": "祭祀用火", "forest_area_ha": "1.00"}),
    )
    .await;
    assert_eq!(
        (f["level"].as_str(), f["sector"].as_str()),
        (Some("large"), Some("forest_fire"))
    );
    // A level given in the body is no field of the register.
    let mut typed = production(TOWN_A, "mines", "2022-05-01 08:00", 0, "0");
    typed["level"] = json!("general");
    let r = t
        .call("POST", "/api/v1/accidents", Some(&admin), Some(typed))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    let bad = json!({"category": "交通", "occurred_at": "2022-06-02 08:00", "place": "",
        "township": TOWN_A, "sector": "mines", "accident_type": "坍塌", "deaths": "两人",
        "direct_loss_yuan": "1.234", "forest_area_ha": "2"});
    let r = t
        .call("POST", "/api/v1/accidents", Some(&admin), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    for field in [
        "category",
        "occurred_at",
        "place",
        "deaths",
        "direct_loss_yuan",
    ] {
        assert!(
            r.json()["fields"][field].is_array(),
            "{field}: {}",
            r.text()
        );
    }
    let bad = json!({"category": "生产安全事故", "occurred_at": "2022-05-01 08:00", "place": "厂区",
        "township": TOWN_A, "sector": "mines", "accident_type": "电气火灾", "forest_area_ha": "2",
        "unit_reported_at": "2022-05-01 07:00"});
    let r = t
        .call("POST", "/api/v1/accidents", Some(&admin), Some(bad))
        .await;
    for field in ["accident_type", "forest_area_ha", "unit_reported_at"] {
        assert!(
            r.json()["fields"][field].is_array(),
            "{field}: {}",
            r.text()
        );
    }
    let msg = r.json()["fields"]["accident_type"][0]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(msg.contains("事故类别"), "{msg}");
    // Enterprises and stationed supervisors register none.
    let qiye = t.token("qiye").await;
    let r = t
        .call(
            "POST",
            "/api/v1/accidents",
            Some(&qiye),
            Some(production(TOWN_A, "mines", "2022-05-01 08:00", 0, "0")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn casualty_updates_count_inside_the_window_only() {
    let t = spawn();
    let admin = t.token("admin").await;
    // Accident on 2022-04-20: its 30 days run to 2022-05-20 (the accident's day not counted).
    let a = create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-04-20 10:00", 1, "500000"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let update = |version: i64, day: &str, deaths: i64| json!({"version": version, "changed_on": day, "deaths": deaths, "reason": "重伤人员经抢救无效死亡"});
    // Day 30 (2022-05-20): inside, 3 deaths re-level it 较大.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/updates"),
            Some(&admin),
            Some(update(1, "2022-05-20", 3)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        (r.json()["deaths"].as_i64(), r.json()["level"].as_str()),
        (Some(3), Some("large"))
    );
    assert_eq!(r.json()["updates"][0]["counted"], true);
    assert_eq!(r.json()["updates"][0]["previous"]["deaths"], 1);
    // Day 31 (2022-05-21): recorded and marked, the figures and the level keep day 30's.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/updates"),
            Some(&admin),
            Some(update(2, "2022-05-21", 10)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        (r.json()["deaths"].as_i64(), r.json()["level"].as_str()),
        (Some(3), Some("large"))
    );
    assert_eq!(r.json()["updates"][1]["counted"], false);
    assert_eq!(r.json()["updates"][1]["deaths"], 10);
    // A stale version is a conflict.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/updates"),
            Some(&admin),
            Some(update(1, "2022-05-10", 4)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The figures count the 3 deaths, not the late 10.
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/accidents.production.deaths?period=2022",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 3, "{}", r.text());

    // Road traffic: 7 days (493号令 第十三条); day 7 inside, day 8 not.
    let road = create(
        &t,
        &admin,
        production(TOWN_A, "road", "2022-04-20 10:00", 0, "0"),
    )
    .await;
    let rid = road["id"].as_i64().unwrap();
    assert_eq!(road["window_days"], 7);
    assert_eq!(road["window_ends"], "2022-04-27");
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{rid}/updates"),
            Some(&admin),
            Some(update(1, "2022-04-27", 1)),
        )
        .await;
    assert_eq!(r.json()["updates"][0]["counted"], true, "{}", r.text());
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{rid}/updates"),
            Some(&admin),
            Some(update(2, "2022-04-28", 2)),
        )
        .await;
    assert_eq!(r.json()["updates"][1]["counted"], false);
    assert_eq!(r.json()["deaths"], 1);
    // A change before the accident or without a reason is refused by field.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{rid}/updates"),
            Some(&admin),
            Some(json!({"version": 3, "changed_on": "2022-04-19", "deaths": 5, "reason": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["changed_on", "reason"] {
        assert!(
            r.json()["fields"][field].is_array(),
            "{field}: {}",
            r.text()
        );
    }
}

#[tokio::test]
async fn late_reports_flags_reports_and_the_investigation() {
    let t = spawn();
    let admin = t.token("admin").await;
    let a = create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-01 23:30", 1, "0"),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    // Not reported a month on: the unit's link is missing past its hour.
    assert_eq!(a["unit_link"]["state"], "missing");
    assert_eq!(a["late"], true);
    // Reported at 00:31 the next day: 1 minute late across midnight; the county's 2 hours
    // from then end at 02:31.
    let r = t
        .call("PUT", &format!("/api/v1/accidents/{id}/links"), Some(&admin),
            Some(json!({"version": 1, "unit_reported_at": "2022-05-02 00:31", "county_reported_at": "2022-05-02 02:31"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json()["unit_link"],
        json!({"state": "late", "minutes": 1})
    );
    assert_eq!(r.json()["county_link"], json!({"state": "on_time"}));
    let r = t
        .call("PUT", &format!("/api/v1/accidents/{id}/links"), Some(&admin),
            Some(json!({"version": 2, "unit_reported_at": "2022-05-02 00:30", "county_reported_at": "2022-05-02 01:00"})))
        .await;
    assert_eq!(r.json()["late"], false, "{}", r.text());

    // 谎报 needs its reason; a township sets no flags.
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/accidents/{id}/flags"),
            Some(&admin),
            Some(json!({"version": 3, "false_report": true})),
        )
        .await;
    assert!(
        r.json()["fields"]["false_report_reason"].is_array(),
        "{}",
        r.text()
    );
    let town = t.token("town_a").await;
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/accidents/{id}/flags"),
            Some(&town),
            Some(json!({"version": 3, "false_report": true, "false_report_reason": "少报"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A concealed-accident 举报 linked: the accident is 瞒报 with the report as its basis.
    let r = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&admin),
            Some(
                json!({"channel": "12350热线", "anonymous": true, "category": "concealed_accident",
                "content": "采石场5月1日夜坍塌死亡一人未上报", "enterprise_id": t.ids.a_haz}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let report = r.json()["id"].as_i64().unwrap();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/report"),
            Some(&admin),
            Some(json!({"version": 3, "report_id": report})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["concealed"], true);
    assert!(
        r.json()["concealed_reason"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("第{report}号"))
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/accidents/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["report"]["id"], report);

    // The investigation: one extension of at most 60 days past 2022-06-30.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/extend"),
            Some(&admin),
            Some(json!({"version": 4, "due": "2022-08-30", "reason": "技术鉴定"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "61 days: {}",
        r.text()
    );
    assert!(r.json()["fields"]["due"].is_array());
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/extend"),
            Some(&admin),
            Some(json!({"version": 4, "due": "2022-08-29", "reason": "技术鉴定"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["due"], "2022-08-29");
    assert_eq!(r.json()["investigation_label"], "已延期");
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/extend"),
            Some(&admin),
            Some(json!({"version": 5, "due": "2022-08-20", "reason": "再延"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "once only: {}", r.text());
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/close"),
            Some(&admin),
            Some(
                json!({"version": 5, "closed_on": "2022-06-01", "findings": "违规开采导致边坡失稳",
                "parties": [{"name": "张某", "unit": false, "measure": "移送司法机关"}],
                "accountability_ids": [999]}),
            ),
        )
        .await;
    assert!(
        r.json()["fields"]["accountability_ids[0]"].is_array(),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "POST",
            &format!("/api/v1/accidents/{id}/close"),
            Some(&admin),
            Some(
                json!({"version": 5, "closed_on": "2022-06-01", "findings": "违规开采导致边坡失稳",
                "parties": [{"name": "张某", "unit": false, "measure": "移送司法机关"}]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["investigation_label"], "已结案");
    assert_eq!(
        r.json()["actions"],
        json!(["update", "links", "flags", "link_report"])
    );
}

#[tokio::test]
async fn each_scope_sees_its_own_accidents() {
    let t = spawn();
    let admin = t.token("admin").await;
    let a = create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-01 08:00", 0, "0"),
    )
    .await;
    let b = create(
        &t,
        &admin,
        production(TOWN_B, "hazchem", "2022-05-02 08:00", 0, "0"),
    )
    .await;
    let fire = create(
        &t,
        &admin,
        json!({"category": "火灾", "occurred_at": "2022-05-03 08:00", "place": "石塘村民房",
            "township": TOWN_B, "accident_type": "电气火灾", "direct_loss_yuan": "8000"}),
    )
    .await;
    let ids = |r: &Resp| -> Vec<i64> {
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect()
    };
    let town = t.token("town_a").await;
    let r = t.call("GET", "/api/v1/accidents", Some(&town), None).await;
    assert_eq!(ids(&r), vec![a["id"].as_i64().unwrap()]);
    let other = t
        .call(
            "GET",
            &format!("/api/v1/accidents/{}", b["id"]),
            Some(&town),
            None,
        )
        .await;
    let missing = t
        .call("GET", "/api/v1/accidents/999999", Some(&town), None)
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.text(),
        missing.text(),
        "out of scope answers like missing"
    );
    // The 应急管理局 sees its sectors (mines, hazchem), not the fire.
    let yj = t.token("yingji").await;
    let r = t.call("GET", "/api/v1/accidents", Some(&yj), None).await;
    assert_eq!(ids(&r).len(), 2);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/accidents/{}", fire["id"]),
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A township registers in its own township only.
    let r = t
        .call(
            "POST",
            "/api/v1/accidents",
            Some(&town),
            Some(production(TOWN_B, "mines", "2022-05-01 08:00", 0, "0")),
        )
        .await;
    assert!(r.json()["fields"]["township"].is_array(), "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/accidents?category=fire&year=2022",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(ids(&r), vec![fire["id"].as_i64().unwrap()]);
    let r = t
        .call("GET", "/api/v1/accidents?level=天大", Some(&admin), None)
        .await;
    assert!(r.json()["fields"]["level"].is_array(), "{}", r.text());
}

#[tokio::test]
async fn accidents_import_row_by_row_and_export() {
    let t = spawn();
    let admin = t.token("admin").await;
    let csv = "类别,发生时间,乡镇（街道）,事故地点,事故单位,行业领域,事故类型,死亡（人）,失踪（人）,重伤（人）,轻伤（人）,直接经济损失（元）,受害森林面积（公顷）,简要经过,单位报告时间,县级上报时间\n\
               生产安全事故,2022-03-01 10:00,临江镇,枫林村采石场,,非煤矿山,高处坠落,1,0,0,0,120000.50,,作业人员坠落,2022-03-01 10:40,2022-03-01 12:00\n\
               火灾,2022-03-02 20:00,永泰镇,石塘村民房,,,用火不慎,0,0,0,1,3000,,厨房起火,,\n\
               生产安全事故,2022-13-01 10:00,临江镇,厂区,,非煤矿山,打架,x,0,0,0,1.234,,,,\n";
    let (ct, body) = multipart(&[("file", Some("acc.csv"), csv.as_bytes())]);
    let r = t
        .raw("POST", "/api/v1/accidents/import", Some(&admin), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 1, "{lines:?} {}", r.text());
    for label in [
        "第4行",
        "发生时间",
        "事故类型",
        "死亡（人）",
        "直接经济损失（元）",
    ] {
        assert!(lines[0].contains(label), "{label}: {lines:?}");
    }
    let r = t.call("GET", "/api/v1/accidents", Some(&admin), None).await;
    assert_eq!(
        r.json()["items"].as_array().map(Vec::len),
        Some(0),
        "nothing written"
    );
    let (ct, body) = multipart(&[("file", Some("acc.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/accidents/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/accidents?category=production",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["items"][0]["loss_fen"], 12_000_050);
    let r = t
        .call(
            "GET",
            "/api/v1/accidents/export?year=2022",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"), "an xlsx");
}

#[tokio::test]
async fn the_reports_opening_statement_follows_the_register() {
    let t = spawn();
    let admin = t.token("admin").await;
    let text = |r: &Resp| r.text();
    let r = t
        .call(
            "GET",
            "/api/v1/statistics/report?period=2022&format=md",
            Some(&admin),
            None,
        )
        .await;
    assert!(
        text(&r)
            .contains("未发生较大及以上生产安全事故，未发生亡人火灾事故，未发生较大以上森林火灾"),
        "{}",
        text(&r)
    );
    create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-01 08:00", 3, "0"),
    )
    .await;
    create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-02 08:00", 1, "0"),
    )
    .await;
    create(
        &t,
        &admin,
        json!({"category": "火灾", "occurred_at": "2022-05-03 08:00", "place": "石塘村民房",
            "township": TOWN_B, "accident_type": "电气火灾", "deaths": 1}),
    )
    .await;
    let r = t
        .call(
            "GET",
            "/api/v1/statistics/report?period=2022&format=json",
            Some(&admin),
            None,
        )
        .await;
    let plain = r.json()["text"].as_str().unwrap_or_default().to_string();
    let md = t
        .call(
            "GET",
            "/api/v1/statistics/report?period=2022&format=md",
            Some(&admin),
            None,
        )
        .await
        .text();
    assert!(!md.contains("未发生较大及以上生产安全事故"), "{md}");
    assert!(md.contains("未发生较大以上森林火灾"), "{md}");
    assert!(md.contains("共发生生产安全事故[2]("), "{md} {plain}");
    assert!(md.contains("死亡[4]("), "{md}");
    assert!(md.contains("其中较大及以上事故[1]("), "{md}");
    assert!(md.contains("发生亡人火灾事故[1]("), "{md}");
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_show_the_level_and_the_timeline() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    assert_eq!(t.page("/accidents/new", &s).await.status, StatusCode::OK);
    let pairs = |deaths: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("category", "production".to_string()),
            ("occurred_at", "2022-05-01T23:30".to_string()),
            ("township", TOWN_A.to_string()),
            ("place", "枫林村采石场".to_string()),
            ("sector", "mines".to_string()),
            ("accident_type", "坍塌".to_string()),
            ("deaths", deaths.to_string()),
            ("direct_loss_yuan", "12000000".to_string()),
            ("account", "边坡坍塌掩埋两人".to_string()),
            ("unit_reported_at", "2022-05-02 00:45".to_string()),
        ]
    };
    let typed = pairs("两人");
    let refs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/accidents/new", &s, &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    for kept in ["两人", "边坡坍塌掩埋两人", "12000000", "死亡人数应为"] {
        assert!(html.contains(kept), "{kept} kept");
    }
    let typed = pairs("2");
    let refs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/accidents/new", &s, &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().unwrap().to_string();
    let detail = t.page(&to, &s).await.text();
    // 1,200万元 makes it 较大 whatever the deaths; reported 15 minutes after the hour.
    for words in [
        "较大",
        "迟报15分钟",
        "事故单位向县级报告",
        "2022-05-01 23:30",
        "12000000.00元",
    ] {
        assert!(detail.contains(words), "{words}: {detail}");
    }
    let list = t.page("/accidents?year=2022", &s).await.text();
    assert!(list.contains("枫林村采石场") && list.contains("迟报"));
    // A 补报 refused keeps what was typed in its own form.
    let r = t
        .form(
            &format!("{to}/update"),
            &s,
            &[
                ("_csrf", csrf.as_str()),
                ("version", "1"),
                ("changed_on", "2022-04-01"),
                ("deaths", "3"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("2022-04-01") && r.text().contains("补报原因"));
    let r = t
        .form(
            &format!("{to}/update"),
            &s,
            &[
                ("_csrf", csrf.as_str()),
                ("version", "1"),
                ("changed_on", "2022-05-20"),
                ("deaths", "3"),
                ("reason", "伤者死亡"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(t.page(&to, &s).await.text().contains("补报（计入统计）"));
    // The department of the sector reads it; a leader reads the register and registers none.
    let (s, _) = t.web_login("yingji").await;
    assert_eq!(
        t.page(&to, &s).await.status,
        StatusCode::OK,
        "mines is the 应急管理局's"
    );
    let (s, _) = t.web_login("leader").await;
    let home = t.page("/accidents", &s).await.text();
    assert!(home.contains("事故台账") && !home.contains("登记事故"));
}

/// 控制指标: the 安委办 sets the year's targets; each is tracked over the county's year like a
/// letter's indicator (a ceiling exceeded is 未达成 at once; 已达成 otherwise), drills down to
/// the register, and moves when an accident is recorded. Others read; bad rows are named.
#[tokio::test]
async fn control_targets_are_tracked_from_the_register() {
    let t = spawn();
    let admin = t.token("admin").await;
    let body = json!({"indicators": [
        {"text": "生产安全事故死亡人数控制在3人以内", "metric": "accidents.production.deaths", "comparator": "≤", "target": 3},
        {"text": "不发生较大及以上生产安全事故", "metric": "accidents.production.large_plus", "comparator": "le", "target": 0},
    ]});
    let r = t
        .call(
            "PUT",
            "/api/v1/accident-control-targets/2022",
            Some(&admin),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (v["met"].as_u64(), v["missed"].as_u64()),
        (Some(2), Some(0)),
        "{v}"
    );
    assert_eq!(v["all_met"], true);
    assert_eq!(v["year_over"], false, "the clock stands in June 2022");
    // Two deaths, 一般: the death ceiling still holds.
    create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-01 08:00", 2, "1000"),
    )
    .await;
    let get = |tok: String| {
        let t = &t;
        async move {
            t.call(
                "GET",
                "/api/v1/accident-control-targets/2022",
                Some(&tok),
                None,
            )
            .await
        }
    };
    let v = get(admin.clone()).await.json();
    assert_eq!(v["indicators"][0]["value"], 2.0, "{v}");
    assert_eq!(v["indicators"][0]["grade"], "met");
    // Three more: 较大 (493号令 第三条: 3 deaths) exceeds both ceilings at once.
    create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-05-02 08:00", 3, "1000"),
    )
    .await;
    let v = get(admin.clone()).await.json();
    assert_eq!(v["indicators"][0]["value"], 5.0, "{v}");
    assert_eq!(v["indicators"][0]["grade"], "missed");
    assert_eq!(v["indicators"][1]["value"], 1.0);
    assert_eq!(v["indicators"][1]["grade"], "missed");
    assert_eq!(v["all_met"], false);
    let drill = v["indicators"][1]["drill"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        drill.starts_with("/metrics/accidents.production.large_plus?"),
        "{drill}"
    );
    // The drill-down lists exactly the 较大 accident.
    let api = drill.replacen("/metrics/", "/api/v1/metrics/", 1);
    let r = t.call("GET", &api, Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{api}: {}", r.text());
    assert_eq!(
        r.json()["records"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.text()
    );
    // Another year has none set.
    let r = t
        .call(
            "GET",
            "/api/v1/accident-control-targets/2023",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["indicators"], json!([]));
    // A township reads; only the 安委办 sets.
    let town = t.token("town_a").await;
    assert_eq!(get(town.clone()).await.status, StatusCode::OK);
    let r = t
        .call(
            "PUT",
            "/api/v1/accident-control-targets/2022",
            Some(&town),
            Some(json!({"indicators": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // Bad rows are named, and nothing changes.
    let bad = json!({"indicators": [
        {"text": "不发生亡人火灾", "metric": "accidents.fire.no_such", "comparator": "≤", "target": 0},
        {"text": "只有文字的指标"},
        {"text": "事故起数", "metric": "accidents.production", "comparator": "约", "target": -1},
    ]});
    let r = t
        .call(
            "PUT",
            "/api/v1/accident-control-targets/2022",
            Some(&admin),
            Some(bad),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let fields = r.json()["fields"].clone();
    for f in [
        "indicators[0].metric",
        "indicators[1].metric",
        "indicators[2].comparator",
        "indicators[2].target",
    ] {
        assert!(fields[f].is_array(), "{f}: {fields}");
    }
    assert_eq!(
        get(admin.clone()).await.json()["indicators"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let r = t
        .call(
            "GET",
            "/api/v1/accident-control-targets/1999",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// The control-target page: the 安委办's form keeps the rows as typed when refused, saves,
/// and the page then shows each target's standing; a township sees the standing only.
#[tokio::test]
async fn the_control_target_page_keeps_rows_and_shows_standing() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let page = t.page("/accidents/targets?year=2022", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("name=\"ind_text\""), "{}", page.text());
    let mut pairs: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str()), ("year", "2022")];
    let rows: [[&str; 5]; 2] = [
        ["不发生亡人火灾事故", "accidents.fire.fatal", "le", "0", ""],
        ["生产安全事故起数", "", "le", "3", ""],
    ];
    for r in &rows {
        pairs.extend([
            ("ind_text", r[0]),
            ("ind_metric", r[1]),
            ("ind_comparator", r[2]),
            ("ind_target", r[3]),
            ("ind_per_metric", r[4]),
        ]);
    }
    let r = t.form("/accidents/targets", &session, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("第2项指标"), "{html}");
    assert!(html.contains("value=\"生产安全事故起数\""));
    assert!(html.contains("<option value=\"accidents.fire.fatal\" selected>"));
    pairs.truncate(7);
    let r = t.form("/accidents/targets", &session, &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page("/accidents/targets?year=2022", &session).await;
    let html = page.text();
    assert!(
        html.contains("不发生亡人火灾事故") && html.contains("已达成"),
        "{html}"
    );
    let (town, _) = t.web_login("town_a").await;
    let page = t.page("/accidents/targets?year=2022", &town).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("已达成") && !page.text().contains("name=\"ind_text\""));
}

/// The investigation's 60 days end on a working day (民法典 第二百零三条: a last day on a
/// holiday moves to the day after it), and an investigation past its day is on the to-do
/// list of those who extend and close it.
#[tokio::test]
async fn guowuyuanling_493_art_29_due_day_off_holidays_and_overdue_on_the_todo_list() {
    let t = spawn();
    let admin = t.token("admin").await;
    // 2022-03-01 + 60 = 04-30, in 2022's 劳动节 (4月30日至5月4日): due 05-05.
    let a = create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-03-01 08:00", 1, "0"),
    )
    .await;
    assert_eq!(a["investigation_due"], "2022-05-05", "{a}");
    // 2022-04-05 + 60 = 06-04, in 端午节 (6月3日至5日): due Monday 06-06.
    let b = create(
        &t,
        &admin,
        production(TOWN_A, "mines", "2022-04-05 08:00", 1, "0"),
    )
    .await;
    assert_eq!(b["investigation_due"], "2022-06-06", "{b}");
    let todos = |tok: String| {
        let t = &t;
        async move {
            let r = t.call("GET", "/api/v1/todos", Some(&tok), None).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            r.json()["investigations"].clone()
        }
    };
    // On 2022-06-01: the first is overdue; the second is not due within three days.
    let list = todos(admin.clone()).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["accident_id"], a["id"]);
    assert_eq!(list[0]["overdue"], true);
    assert_eq!(list[0]["due"], "2022-05-05");
    // Three days before the second's day it is due soon.
    t.clock.advance(chrono::Duration::days(2));
    let list = todos(admin.clone()).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    assert_eq!(
        (list[1]["accident_id"].clone(), list[1]["overdue"].clone()),
        (b["id"].clone(), json!(false))
    );
    // A township registers accidents but does not run investigations.
    let town = t.token("town_a").await;
    assert_eq!(todos(town).await, json!([]));
    // The page shows them.
    let (session, _) = t.web_login("admin").await;
    let html = t.page("/todos", &session).await.text();
    assert!(
        html.contains("事故调查期限") && html.contains("2022-05-05"),
        "{html}"
    );
}
