//! Stationed supervisors through the API: a township stations the supervisor at its
//! enterprise, the supervisor sees today's site with its checklist, checks in with a photo
//! (a bad check-in refused with the fields named), turns the finding into a hazard; the
//! 安委办 sees the week's coverage and the figures; a spot check and a rating are recorded;
//! a missing visit answers 404 (scope itself is covered by the app and store tests).

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[tokio::test]
async fn a_supervisor_is_stationed_checks_in_and_turns_a_finding_into_a_hazard() {
    let t = spawn();
    let town = t.token("town_a").await;
    let admin = t.token("admin").await;
    let sup = t.token("paizhu").await;
    let me = t.call("GET", "/api/v1/me", Some(&sup), None).await.json();
    let sup_id = me["id"].as_i64().unwrap_or(0);

    // The township stations the supervisor at its enterprise from 2022-05-30.
    let body = json!({"supervisor_id": sup_id.to_string(), "site": format!("enterprise:{}", t.ids.a_haz), "starts_on": "2022-05-30"});
    let r = t
        .call(
            "POST",
            "/api/v1/station-assignments",
            Some(&town),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a = r.json();
    assert_eq!(a["unit_name"], "临江镇");
    let aid = a["id"].as_i64().unwrap_or(0);
    // Another township's enterprise answers like a missing one; a bad period names its field.
    let body = json!({"supervisor_id": sup_id.to_string(), "site": format!("enterprise:{}", t.ids.b_haz), "starts_on": "2022-05-30"});
    let r = t
        .call(
            "POST",
            "/api/v1/station-assignments",
            Some(&town),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let body = json!({"supervisor_id": sup_id.to_string(), "site": format!("enterprise:{}", t.ids.a_haz), "starts_on": "2022-05-30", "ends_on": "2022-05-01"});
    let r = t
        .call(
            "POST",
            "/api/v1/station-assignments",
            Some(&town),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("ends_on"), "{}", r.text());

    // The supervisor's day: the site, with the hazchem checklist.
    let r = t
        .call("GET", "/api/v1/station/today", Some(&sup), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    let site = items
        .iter()
        .find(|i| i["assignment"]["id"] == aid)
        .cloned()
        .unwrap_or_default();
    let keys: Vec<String> = site["checklist"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i["key"].as_str().map(str::to_string))
        .collect();
    assert_eq!(keys.len(), 7, "{site}");

    // A check-in with an item 有问题 and no findings is refused naming the field.
    let aid_s = aid.to_string();
    let mut parts: Vec<(String, Option<&str>, Vec<u8>)> = vec![
        ("assignment_id".into(), None, aid_s.as_bytes().to_vec()),
        ("visited_at".into(), None, b"2022-06-01 08:30".to_vec()),
    ];
    for (i, k) in keys.iter().enumerate() {
        let v: &[u8] = if i == 4 {
            "有问题".as_bytes()
        } else {
            "正常".as_bytes()
        };
        parts.push((format!("item.{k}"), None, v.to_vec()));
    }
    let send = |parts: &Vec<(String, Option<&'static str>, Vec<u8>)>| {
        let refs: Vec<(&str, Option<&str>, &[u8])> = parts
            .iter()
            .map(|(n, f, d)| (n.as_str(), *f, d.as_slice()))
            .collect();
        multipart(&refs)
    };
    let (ct, body) = send(&parts);
    let r = t
        .raw("POST", "/api/v1/station-visits", Some(&sup), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("findings"), "{}", r.text());
    parts.push((
        "findings".into(),
        None,
        "储罐区可燃气体报警器失效".as_bytes().to_vec(),
    ));
    parts.push(("photo".into(), Some("现场.png"), PNG.to_vec()));
    let (ct, body) = send(&parts);
    let r = t
        .raw("POST", "/api/v1/station-visits", Some(&sup), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (
            v["visit"]["problems"].as_i64(),
            v["photos"].as_array().map(Vec::len)
        ),
        (Some(1), Some(1))
    );
    let vid = v["visit"]["id"].as_i64().unwrap_or(0);
    // Someone else cannot check in on the posting.
    let (ct, body) = send(&parts);
    let r = t
        .raw("POST", "/api/v1/station-visits", Some(&town), &ct, body)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

    // The finding becomes a hazard at the enterprise.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/station-visits/{vid}/hazard"),
            Some(&sup),
            Some(json!({"level": "general", "deadline": "2022-06-15"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let h = r.json();
    assert_eq!(h["enterprise_id"], t.ids.a_haz);
    assert_eq!(h["description"], "储罐区可燃气体报警器失效");
    let r = t
        .call(
            "GET",
            &format!("/api/v1/station-visits/{vid}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["hazard_ids"][0], h["id"]);
    let qiye = t.token("qiye").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/station-visits/{vid}"),
            Some(&qiye),
            None,
        )
        .await;
    // The enterprise reads the supervision record made at its own site.
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // A visit that does not exist, or a number that is not one, answers 404.
    let r = t
        .call("GET", "/api/v1/station-visits/999999", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // The week: the posting was visited; the week is confirmed by the supervisor.
    let r = t
        .call(
            "GET",
            "/api/v1/station/coverage?week=2022-06-01",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = r.json();
    assert_eq!(
        (c["owed"].as_i64(), c["visited"].as_i64()),
        (Some(1), Some(1))
    );
    let r = t
        .call(
            "POST",
            "/api/v1/station/weeks",
            Some(&sup),
            Some(json!({"week": "2022-06-01", "note": "驻点一处"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["problems"], 1);

    // A spot check that fails states its follow-up; the rating follows.
    let r = t
        .call("POST", "/api/v1/station/spot-checks", Some(&town), Some(json!({"assignment_id": aid, "checked_on": "2022-06-01", "present": "否", "record_true": "是"})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("follow_up"), "{}", r.text());
    let r = t
        .call("POST", "/api/v1/station/spot-checks", Some(&town), Some(json!({"assignment_id": aid, "checked_on": "2022-06-01", "present": "是", "record_true": "是"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["result"], "pass");
    let r = t
        .call(
            "POST",
            "/api/v1/station/ratings",
            Some(&town),
            Some(json!({"supervisor_id": sup_id, "month": "2022-06", "rating": "优秀"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // The figures of June.
    let r = t
        .call(
            "GET",
            "/api/v1/station/figures?from=2022-06-01&to=2022-06-30",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let f = r.json();
    assert_eq!(
        (
            f["townships"].as_i64(),
            f["supervisors"].as_i64(),
            f["sites"].as_i64(),
            f["visits"].as_i64(),
            f["spot_checks"].as_i64()
        ),
        (Some(1), Some(1), Some(1), Some(1), Some(1))
    );
    let r = t
        .call(
            "GET",
            "/api/v1/station/figures?from=2022-06-30&to=2022-06-01",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
}

#[tokio::test]
async fn the_supervisors_pages_walk_the_day_and_keep_a_refused_check_in() {
    let t = spawn();
    let town = t.token("town_a").await;
    let sup = t.token("paizhu").await;
    let me = t.call("GET", "/api/v1/me", Some(&sup), None).await.json();
    let body = json!({"supervisor_id": me["id"].as_i64().unwrap_or(0).to_string(), "site": format!("enterprise:{}", t.ids.a_haz), "starts_on": "2022-05-30"});
    let r = t
        .call(
            "POST",
            "/api/v1/station-assignments",
            Some(&town),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let aid = r.json()["id"].as_i64().unwrap_or(0);

    let (session, csrf) = t.web_login("paizhu").await;
    let html = t.page("/station", &session).await.text();
    assert!(
        html.contains("今日驻点") && html.contains("今天未签到"),
        "{html}"
    );
    let link = format!("/station/visits/new?assignment={aid}");
    assert!(html.contains(&link), "{html}");
    let html = t.page(&link, &session).await.text();
    assert!(
        html.contains("可燃有毒气体报警") && html.contains(r#"capture="environment""#),
        "{html}"
    );
    // Refused: an item unanswered; what was chosen and typed is kept.
    let aid_s = aid.to_string();
    let r = crate::ui::forms::upload(
        &t,
        "/station/visits",
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("assignment_id", None, aid_s.as_bytes()),
            ("visited_at", None, b"2022-06-01 08:30"),
            ("item.duty", None, b"problem"),
            ("findings", None, "值班人员脱岗".as_bytes()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("请逐项填写检查情况") && html.contains("值班人员脱岗"),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="problem" selected>"#),
        "{html}"
    );
    // The 安委办's coverage page lists the posting as not yet visited this week.
    let (admin, _) = t.web_login("admin").await;
    let html = t
        .page("/station/coverage?week=2022-06-01", &admin)
        .await
        .text();
    assert!(
        html.contains("本周未签到的驻点") && html.contains("测试企业1有限公司"),
        "{html}"
    );
    // Someone who is not a supervisor has no check-in form.
    let r = t.page(&link, &admin).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
}

#[tokio::test]
async fn the_units_roster_page_stations_spot_checks_rates_and_exports() {
    let t = spawn();
    let sup = t.token("paizhu").await;
    let me = t.call("GET", "/api/v1/me", Some(&sup), None).await.json();
    let sup_id = me["id"].as_i64().unwrap_or(0).to_string();
    let (session, csrf) = t.web_login("town_a").await;
    let html = t
        .page("/station/roster?from=2022-05-01&to=2022-06-30", &session)
        .await
        .text();
    assert!(
        html.contains("派驻花名册") && html.contains("<strong>派驻监督员</strong>"),
        "{html}"
    );
    // Refused: no site; what was typed is kept.
    let r = t
        .form(
            "/station/roster/assignments",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("from", "2022-05-01"),
                ("to", "2022-06-30"),
                ("supervisor_id", sup_id.as_str()),
                ("enterprise", ""),
                ("place_id", ""),
                ("starts_on", "2022-05-30"),
                ("note", "汛期驻守"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("请选择驻守的企业或重点地段") && r.text().contains("汛期驻守"),
        "{}",
        r.text()
    );
    // The enterprise typed by its name stations the supervisor there.
    let r = t
        .form(
            "/station/roster/assignments",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("from", "2022-05-01"),
                ("to", "2022-06-30"),
                ("supervisor_id", sup_id.as_str()),
                ("enterprise", "测试企业1有限公司"),
                ("place_id", ""),
                ("starts_on", "2022-05-30"),
                ("note", "汛期驻守"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t
        .page("/station/roster?from=2022-05-01&to=2022-06-30", &session)
        .await
        .text();
    assert!(
        html.contains("测试企业1有限公司") && html.contains("2022-05-30 至 今"),
        "{html}"
    );
    let town = t.token("town_a").await;
    let list = t
        .call(
            "GET",
            "/api/v1/station-assignments?from=2022-05-01&to=2022-06-30",
            Some(&town),
            None,
        )
        .await
        .json();
    let aid = list["items"][0]["id"].as_i64().unwrap_or(0).to_string();
    // A failed spot check without its follow-up is refused and names the field.
    let r = t
        .form(
            "/station/roster/spot-checks",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("assignment_id", aid.as_str()),
                ("checked_on", "2022-06-01"),
                ("present", "否"),
                ("record_true", "是"),
                ("follow_up", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("抽查不合格，请填写处理意见"),
        "{}",
        r.text()
    );
    // A rating of a month to come names the month.
    let r = t
        .form(
            "/station/roster/ratings",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("supervisor_id", sup_id.as_str()),
                ("rate_month", "2022-08"),
                ("rating", "excellent"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("不能评价尚未开始的月份"), "{}", r.text());
    let r = t
        .form(
            "/station/roster/ratings",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("supervisor_id", sup_id.as_str()),
                ("rate_month", "2022-05"),
                ("rating", "excellent"),
                ("month", "2022-05"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t
        .page("/station/roster?month=2022-05", &session)
        .await
        .text();
    assert!(html.contains("优秀"), "{html}");
    // The roster as Excel.
    let r = t
        .call(
            "GET",
            "/api/v1/station-assignments/export?from=2022-05-01&to=2022-06-30",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let ct = r
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(ct.contains("spreadsheetml"), "{ct}");
    // The supervisor itself has no roster to manage.
    let (sup_session, _) = t.web_login("paizhu").await;
    let html = t.page("/station/roster", &sup_session).await.text();
    assert!(!html.contains("派驻监督员</strong>"), "{html}");
}

#[tokio::test]
async fn a_roster_sheet_is_checked_row_by_row_and_written_whole() {
    let t = spawn();
    let town = t.token("town_a").await;
    // Rows 3 and 4 are bad: another township's enterprise, a period that ends before it
    // starts and an unknown supervisor; nothing is written.
    let csv = "监督员,派出单位,驻守企业（重点地段）,开始日期,结束日期,备注\n\
               paizhu,,测试企业1有限公司,2022-05-30,,汛期驻守\n\
               paizhu,,测试企业3有限公司,2022-05-30,2022-05-01,\n\
               无此人,,测试企业1有限公司,2022-05-30,,\n";
    let (ct, body) = multipart(&[("file", Some("roster.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/station-assignments/import",
            Some(&town),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let text = r.text();
    assert!(
        text.contains("第3行") && text.contains("驻守企业（重点地段）"),
        "{text}"
    );
    assert!(text.contains("第4行") && text.contains("无此人"), "{text}");
    let list = t
        .call("GET", "/api/v1/station-assignments", Some(&town), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    // The good row alone is written.
    let csv = "监督员,派出单位,驻守企业（重点地段）,开始日期,结束日期,备注\n\
               paizhu,,测试企业1有限公司,2022-05-30,,汛期驻守\n";
    let (ct, body) = multipart(&[("file", Some("roster.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/station-assignments/import",
            Some(&town),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 1);
    let list = t
        .call("GET", "/api/v1/station-assignments", Some(&town), None)
        .await
        .json();
    assert_eq!(list["items"][0]["unit_name"], "临江镇");
    assert_eq!(list["items"][0]["note"], "汛期驻守");
}
