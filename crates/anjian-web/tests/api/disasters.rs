//! 自然灾害应对 through the API and the pages: the 安委办 keeps events and rounds, a township
//! reports its own row (another's answering like a missing one), refusals naming the field,
//! checking, the figures hand-computed from the rows and drilling down to the events, the
//! ledger and the import with a bad row, the pages keeping what was typed.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn event(kind: &str, name: &str, start: &str, end: Option<&str>) -> Value {
    json!({"kind": kind, "name": name, "start_on": start, "end_on": end,
        "warning_level": "orange", "response_level": "iii", "summary": "全市启动应急响应"})
}

async fn create(t: &TestApp, admin: &str, body: Value) -> i64 {
    let r = t
        .call("POST", "/api/v1/disaster-events", Some(admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

async fn round(t: &TestApp, admin: &str, id: i64, start: &str, level: &str) -> Resp {
    t.call(
        "POST",
        &format!("/api/v1/disaster-events/{id}/rounds"),
        Some(admin),
        Some(json!({"started_at": start, "response_level": level, "account": "转移群众"})),
    )
    .await
}

async fn report(t: &TestApp, tk: &str, id: i64, town: &str, body: Value) -> Resp {
    t.call(
        "PUT",
        &format!("/api/v1/disaster-events/{id}/townships/{town}"),
        Some(tk),
        Some(body),
    )
    .await
}

async fn check(t: &TestApp, tk: &str, id: i64, town: &str, version: i64) -> Resp {
    t.call(
        "POST",
        &format!("/api/v1/disaster-events/{id}/townships/{town}/check"),
        Some(tk),
        Some(json!({ "version": version })),
    )
    .await
}

/// Two events of 2022 (a cold wave with one round, heavy rain with two) and one of 2021.
async fn seed(t: &TestApp, admin: &str) -> (i64, i64, i64) {
    let cold = create(
        t,
        admin,
        event(
            "cold_wave",
            "1月低温雨雪冰冻",
            "2022-01-20",
            Some("2022-01-28"),
        ),
    )
    .await;
    let rain = create(
        t,
        admin,
        event("强降雨", "5月强降雨", "2022-05-10", Some("2022-05-20")),
    )
    .await;
    let old = create(
        t,
        admin,
        event("heavy_rain", "去年强降雨", "2021-07-01", None),
    )
    .await;
    for (id, start, level) in [
        (cold, "2022-01-21 09:00", "iv"),
        (rain, "2022-05-10 20:00", "Ⅳ级"),
        (rain, "2022-05-12 08:00", "iii"),
        (old, "2021-07-01 08:00", "iv"),
    ] {
        let r = round(t, admin, id, start, level).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    (cold, rain, old)
}

#[tokio::test]
async fn townships_report_their_own_rows_and_the_office_checks_them() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    // The 安委办 keeps the events; a township cannot.
    let r = t
        .call(
            "POST",
            "/api/v1/disaster-events",
            Some(&town),
            Some(event("heat", "高温", "2022-05-01", None)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Refusals name the field: a kind not on the list, an end before the start, a warning
    // colour that is not one, a start after today (2022-06-01).
    let r = t
        .call(
            "POST",
            "/api/v1/disaster-events",
            Some(&admin),
            Some(
                json!({"kind": "雾霾", "name": "", "start_on": "2022-05-10", "end_on": "2022-05-01",
                "warning_level": "紫色"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["kind", "name", "end_on", "warning_level"] {
        assert!(r.json()["fields"][f].is_array(), "{f}: {}", r.text());
    }
    let r = t
        .call(
            "POST",
            "/api/v1/disaster-events",
            Some(&admin),
            Some(event("heat", "高温", "2022-07-01", None)),
        )
        .await;
    assert!(r.json()["fields"]["start_on"].is_array(), "{}", r.text());
    let (cold, rain, _) = seed(&t, &admin).await;
    // A round outside the event's period, or of no level, is refused by field.
    let r = round(&t, &admin, cold, "2022-02-10 08:00", "五级").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["started_at"].is_array(), "{}", r.text());
    assert!(r.json()["fields"]["response_level"].is_array());
    let r = round(&t, &town, cold, "2022-01-22 08:00", "iv").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A township writes its own row; another township's answers like a missing one.
    let figures =
        json!({"evacuated": 120, "relocated": "40", "houses_damaged": 2, "loss_yuan": "35000.5"});
    let foreign = report(&t, &town, rain, TOWN_B, figures.clone()).await;
    let missing = report(&t, &town, 987_654_321, TOWN_A, figures.clone()).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (foreign.status, foreign.body),
        (missing.status, missing.body)
    );
    let r = report(
        &t,
        &town,
        rain,
        TOWN_A,
        json!({"evacuated": -5, "relocated": "四十", "loss_yuan": "1.234"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["evacuated", "relocated", "loss_yuan"] {
        assert!(r.json()["fields"][f].is_array(), "{f}: {}", r.text());
    }
    let r = report(&t, &town, rain, TOWN_A, figures.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "reported");
    assert_eq!(r.json()["loss_fen"], 3_500_050);
    assert_eq!(r.json()["loss_yuan"], "35000.50");
    assert_eq!(r.json()["region_name"], "临江镇");
    let v = r.json()["version"].as_i64().unwrap();
    // A second first report is a conflict; checking is the office's.
    assert_eq!(
        report(&t, &town, rain, TOWN_A, figures.clone())
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        check(&t, &town, rain, TOWN_A, v).await.status,
        StatusCode::FORBIDDEN
    );
    let r = check(&t, &admin, rain, TOWN_A, v).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status_label"], "已核定");
    for (id, town_code, ev, rel) in [(rain, TOWN_B, 300, 95), (cold, TOWN_A, 60, 12)] {
        let r = report(
            &t,
            &admin,
            id,
            town_code,
            json!({"evacuated": ev, "relocated": rel}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let v = r.json()["version"].as_i64().unwrap();
        assert_eq!(
            check(&t, &admin, id, town_code, v).await.status,
            StatusCode::OK
        );
    }
    // Reported, not checked: not counted.
    let r = report(
        &t,
        &admin,
        cold,
        TOWN_B,
        json!({"evacuated": 999, "relocated": 999}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // The township sees its own row only; the office every township.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/disaster-events/{rain}"),
            Some(&town),
            None,
        )
        .await;
    let rows = r.json()["townships"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 1, "{}", r.text());
    assert_eq!(rows[0]["region_code"], TOWN_A);
    assert_eq!(rows[0]["may_report"], true);
    assert_eq!(r.json()["rounds"].as_array().unwrap().len(), 2);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/disaster-events/{rain}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["evacuated_checked"], 420, "120 + 300");
    assert_eq!(r.json()["relocated_checked"], 135, "40 + 95");
    // Figures: 3 rounds begun in 2022; checked rows of 2022's events only.
    let lead = t.token("leader").await;
    let metric = |id: &'static str, tk: String| {
        let t = &t;
        async move {
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/metrics/{id}?period=2022"),
                    Some(&tk),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            r.json()
        }
    };
    assert_eq!(
        metric("disasters.responses", lead.clone()).await["metric"]["raw"],
        3
    );
    let d = metric("disasters.people_evacuated", lead.clone()).await;
    assert_eq!(d["metric"]["raw"], 480, "120 + 300 + 60");
    let mut drill: Vec<(i64, i64)> = d["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["entity_id"].as_i64().unwrap(),
                r["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    drill.sort();
    let mut want = vec![(cold, 60), (rain, 120), (rain, 300)];
    want.sort();
    assert_eq!(drill, want);
    assert_eq!(
        metric("disasters.people_relocated", lead.clone()).await["metric"]["raw"],
        147,
        "40 + 95 + 12"
    );
    assert_eq!(
        metric("disasters.people_evacuated", town.clone()).await["metric"]["raw"],
        180,
        "临江镇: 120 + 60"
    );
    // A correction makes the row reported again, so it leaves the figures until checked.
    let r = report(
        &t,
        &town,
        rain,
        TOWN_A,
        json!({"evacuated": 150, "relocated": 40, "version": r_version(&t, &town, rain).await}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "reported");
    assert_eq!(
        metric("disasters.people_evacuated", lead.clone()).await["metric"]["raw"],
        360,
        "300 + 60"
    );
    // The drill-down page links to the event's page, which shows the rounds.
    let (s, _) = t.web_login("leader").await;
    let page = t
        .page("/metrics/disasters.people_evacuated?period=2022", &s)
        .await
        .text();
    assert!(page.contains(&format!("/disaster-events/{cold}")), "{page}");
    let page = t.page(&format!("/disaster-events/{rain}"), &s).await.text();
    assert!(page.contains("应急响应（2 轮）"), "{page}");
    assert!(page.contains("Ⅲ级应急响应"));
    // An event with figures is not deleted; the ledger is an Excel file.
    let r = t
        .call(
            "DELETE",
            &format!("/api/v1/disaster-events/{rain}?version=1"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/disaster-events/export?year=2022",
            Some(&lead),
            None,
        )
        .await;
    assert!(r.body.starts_with(b"PK"));
    for user in ["qiye", "paizhu"] {
        let tk = t.token(user).await;
        let r = t
            .call("GET", "/api/v1/disaster-events", Some(&tk), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
}

/// The version of 临江镇's row of an event, as the township reads it.
async fn r_version(t: &TestApp, tk: &str, id: i64) -> i64 {
    let r = t
        .call(
            "GET",
            &format!("/api/v1/disaster-events/{id}/townships"),
            Some(tk),
            None,
        )
        .await;
    r.json()["items"][0]["version"].as_i64().unwrap()
}

#[tokio::test]
async fn figures_import_row_by_row() {
    let t = spawn();
    let admin = t.token("admin").await;
    let (cold, rain, _) = seed(&t, &admin).await;
    let csv = format!(
        "灾害过程,乡镇（街道）,紧急避险转移（人）,紧急转移安置（人）,损坏房屋（间）,直接经济损失（元）,备注\n\
         5月强降雨,临江镇,120,40,2,35000.50,\n\
         #{cold},永泰镇,60,12,,,\n\
         5月强降雨,永泰镇,-3,10,,1.234,\n\
         不存在的过程,不存在镇,10,1,,,\n"
    );
    let (ct, body) = multipart(&[("file", Some("d.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/disaster-events/import",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("第4行")
            && lines[0].contains("紧急避险转移（人）")
            && lines[0].contains("直接经济损失（元）"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("第5行") && lines[1].contains("灾害过程") && lines[1].contains("乡镇"),
        "{lines:?}"
    );
    // Nothing was written.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/disaster-events/{rain}/townships"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);
    // A township imports its own rows only.
    let town = t.token("town_a").await;
    let (ct, body) = multipart(&[("file", Some("d.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/disaster-events/import?skip_invalid=true",
            Some(&town),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.json()["report"]["written"], 1, "{}", r.text());
    let (ct, body) = multipart(&[("file", Some("d.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/disaster-events/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let r = t
        .call(
            "GET",
            &format!("/api/v1/disaster-events/{rain}/townships"),
            Some(&admin),
            None,
        )
        .await;
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["evacuated"], 120);
    assert_eq!(items[0]["loss_fen"], 3_500_050);
    assert_eq!(items[0]["status"], "reported", "to be checked");
}

#[tokio::test]
async fn the_pages_keep_what_was_typed() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    assert_eq!(
        t.page("/disaster-events/new", &s).await.status,
        StatusCode::OK
    );
    let r = t
        .form(
            "/disaster-events/new",
            &s,
            &[
                ("_csrf", &csrf),
                ("kind", "heavy_rain"),
                ("name", "5月强降雨过程"),
                ("start_on", "2022-05-10"),
                ("end_on", "2022-05-01"),
                ("summary", "山洪内涝"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    for kept in [
        "5月强降雨过程",
        "2022-05-01",
        "山洪内涝",
        "结束日期不能早于开始日期",
    ] {
        assert!(html.contains(kept), "{kept} kept");
    }
    let r = t
        .form(
            "/disaster-events/new",
            &s,
            &[
                ("_csrf", &csrf),
                ("kind", "heavy_rain"),
                ("name", "5月强降雨过程"),
                ("start_on", "2022-05-10"),
                ("end_on", "2022-05-20"),
                ("warning_level", "orange"),
                ("response_level", "iii"),
                ("summary", "山洪内涝"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().unwrap().to_string();
    let r = t
        .form(
            &format!("{to}/rounds"),
            &s,
            &[
                ("_csrf", &csrf),
                ("started_at", "2022-05-10T20:00"),
                ("response_level", "iv"),
                ("account", "转移低洼地带群众"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&to, &s).await.text();
    assert!(page.contains("2022-05-10 20:00") && page.contains("转移低洼地带群众"));
    assert!(page.contains("橙色预警"));
    let list = t.page("/disaster-events?year=2022", &s).await.text();
    assert!(list.contains("5月强降雨过程") && list.contains("强降雨/暴雨洪涝"));
    // The township fills its own row; a refusal keeps what it typed.
    let (s, csrf) = t.web_login("town_a").await;
    let page = t.page(&to, &s).await.text();
    assert!(page.contains(&format!("{to}/townships/{TOWN_A}")), "{page}");
    assert!(!page.contains(&format!("{to}/townships/{TOWN_B}")));
    assert!(
        !page.contains(&format!("{to}/rounds")),
        "rounds are the office's"
    );
    let r = t
        .form(
            &format!("{to}/townships/{TOWN_A}"),
            &s,
            &[
                ("_csrf", &csrf),
                ("evacuated", "一百二"),
                ("relocated", "37"),
                ("note", "含敬老院老人"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    for kept in ["一百二", "37", "含敬老院老人", "人数应为整数"] {
        assert!(html.contains(kept), "{kept} kept");
    }
    let r = t
        .form(
            &format!("{to}/townships/{TOWN_A}"),
            &s,
            &[("_csrf", &csrf), ("evacuated", "120"), ("relocated", "37")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = t
        .form(
            &format!("{to}/townships/{TOWN_B}"),
            &s,
            &[("_csrf", &csrf), ("evacuated", "1"), ("relocated", "1")],
        )
        .await;
    // Another township's row: refused like a missing record, and not shown.
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("记录不存在或不在您的管辖范围内"), "{html}");
    assert!(!html.contains("永泰镇"), "{html}");
    assert_eq!(
        t.page("/disaster-events/new", &s).await.status,
        StatusCode::FORBIDDEN
    );
    // The office checks the row from the page.
    let (s, csrf) = t.web_login("admin").await;
    let page = t.page(&to, &s).await.text();
    assert!(page.contains(&format!("{to}/townships/{TOWN_A}/check")));
    let version = page
        .split(&format!("{to}/townships/{TOWN_A}/check"))
        .nth(1)
        .and_then(|rest| rest.split("name=\"version\" value=\"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap()
        .to_string();
    let r = t
        .form(
            &format!("{to}/townships/{TOWN_A}/check"),
            &s,
            &[("_csrf", &csrf), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(t.page(&to, &s).await.text().contains("已核定"));
}
