//! 教育培训 through the API: a township records a class with its attendees (bad input refused
//! with the fields named), adds attendees, imports a roster (a bad row refused by its number,
//! nothing written; then the good sheet), attaches a sign-in sheet and downloads the ledger;
//! certificates are recorded on its enterprise (another township's refused, a duplicate number
//! named), listed as expiring, on its to-do list, and in their ledger; the OpenAPI document
//! carries the tag. Scope itself is covered by the app and store tests.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

fn fields(r: &Resp) -> Vec<String> {
    r.json()["fields"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_township_records_a_class_its_attendees_roster_and_files() {
    let t = spawn();
    let town = t.token("town_a").await;

    // Bad input: 422, each field named.
    let bad = json!({
        "kind": "开会", "topic": "", "starts_on": "2022-05-20", "ends_on": "2022-05-19",
        "hours": "3.25", "attendees": [{"name": "张伟", "phone": "123"}]
    });
    let r = t
        .call("POST", "/api/v1/training-sessions", Some(&town), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(
        fields(&r),
        ["attendees[0].phone", "ends_on", "hours", "kind", "topic"],
        "{}",
        r.text()
    );
    let body = json!({
        "kind": "培训班", "topic": "新《安全生产法》宣贯培训", "starts_on": "2022-05-20",
        "hours": "3.5", "trainers": "刘建华", "place": "镇政府会议室",
        "attendees": [{"name": "张伟", "unit": "测试企业1有限公司", "phone": "13907951234"}]
    });
    let r = t
        .call("POST", "/api/v1/training-sessions", Some(&town), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let s = r.json();
    assert_eq!(
        (s["kind"].as_str(), s["attendees"].as_i64()),
        (Some("class"), Some(1))
    );
    assert_eq!(s["unit_name"], "临江镇");
    let id = s["id"].as_i64().unwrap_or(0);

    // Attendees: a list all or nothing.
    let path = format!("/api/v1/training-sessions/{id}/attendees");
    let r = t
        .call(
            "POST",
            &path,
            Some(&town),
            Some(json!({"attendees": [{"name": "李芳"}, {"name": ""}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(fields(&r), ["attendees[1].name"]);
    let r = t
        .call(
            "POST",
            &path,
            Some(&town),
            Some(json!({"attendees": [{"name": "李芳", "unit": "枫林村委会"}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // A roster with a bad row: 422 naming row 3, nothing written.
    let roster_path = format!("/api/v1/training-sessions/{id}/roster");
    let sheet = "姓名,单位,联系电话\n王强,测试企业1有限公司,13807951111\n,测试企业1有限公司,\n";
    let (ct, body) = multipart(&[("file", Some("花名册.csv"), sheet.as_bytes())]);
    let r = t.raw("POST", &roster_path, Some(&town), &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("第3行"), "{}", r.text());
    let r = t.call("GET", &path, Some(&town), None).await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(2));
    let sheet =
        "序号,参训人员,工作单位,手机\n1,王强,测试企业1有限公司,13807951111\n2,赵敏,枫林村委会,\n";
    let (ct, body) = multipart(&[("file", Some("花名册.csv"), sheet.as_bytes())]);
    let r = t.raw("POST", &roster_path, Some(&town), &ct, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 2);

    // A sign-in sheet; a file whose content is not what its name says is refused.
    let files = format!("/api/v1/training-sessions/{id}/files");
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let (ct, body) = multipart(&[
        ("file", Some("签到表.pdf"), pdf),
        ("note", None, "签到表".as_bytes()),
    ]);
    let r = t.raw("POST", &files, Some(&town), &ct, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let file_id = r.json()["id"].as_i64().unwrap_or(0);
    let (ct, body) = multipart(&[("file", Some("照片.png"), b"not a png")]);
    let r = t.raw("POST", &files, Some(&town), &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = t
        .call(
            "GET",
            &format!("/api/v1/training-files/{file_id}"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"%PDF"));

    // The session, the list and the ledger.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/training-sessions/{id}"),
            Some(&town),
            None,
        )
        .await;
    let d = r.json();
    assert_eq!(d["attendees"].as_array().map(Vec::len), Some(4), "{d}");
    assert_eq!(
        (d["hours"].as_str(), d["editable"].as_bool()),
        (Some("3.5"), Some(true))
    );
    let r = t
        .call(
            "GET",
            "/api/v1/training-sessions?year=2022&kind=培训班",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(
        r.json()["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "GET",
            "/api/v1/training-sessions?year=22",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = t
        .call("GET", "/api/v1/training-sessions/export", Some(&town), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.body.starts_with(b"PK"), "an xlsx");
    let sheet = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap_or_default();
    assert_eq!(sheet.rows.len(), 1);
    assert!(
        sheet.rows[0].1.contains(&"4".to_string()),
        "{:?}",
        sheet.rows
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/training-sessions/{id}/roster.xlsx"),
            Some(&town),
            None,
        )
        .await;
    assert!(r.body.starts_with(b"PK"), "an xlsx");

    // An enterprise user has no training to see; the leader records none.
    let qiye = t.token("qiye").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/training-sessions/{id}"),
            Some(&qiye),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let leader = t.token("leader").await;
    let body = json!({"kind": "培训班", "topic": "x", "starts_on": "2022-05-20", "hours": "2"});
    let r = t
        .call(
            "POST",
            "/api/v1/training-sessions",
            Some(&leader),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/training-sessions/999999",
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // The OpenAPI document carries the paths under their tag.
    let doc = t
        .call("GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    assert_eq!(
        doc["paths"]["/training-sessions/{id}/roster"]["post"]["tags"][0],
        "training",
        "{}",
        doc["paths"].as_object().map(|o| o.len()).unwrap_or(0)
    );
    assert!(doc["paths"]["/certificates"]["get"].is_object());
}

#[tokio::test]
async fn certificates_are_recorded_on_the_enterprise_listed_and_owed_on_the_to_do_list() {
    let t = spawn();
    let town = t.token("town_a").await;
    let cert = |enterprise: i64, no: &str, issued: &str, expires: &str| {
        json!({
            "enterprise_id": enterprise.to_string(), "holder_name": "张伟", "role": "主要负责人",
            "cert_no": no, "issued_on": issued, "expires_on": expires, "issuer": "宜春市应急管理局"
        })
    };
    // Today is 2022-06-01: expiring in June.
    let r = t
        .call(
            "POST",
            "/api/v1/certificates",
            Some(&town),
            Some(cert(
                t.ids.a_haz,
                "36098120190001",
                "2019-06-20",
                "2022-06-19",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let c = r.json();
    assert_eq!(
        (c["standing"].as_str(), c["role_label"].as_str()),
        (Some("expiring"), Some("主要负责人"))
    );
    // Another township's enterprise, a number recorded before, bad dates: 422 naming each.
    let r = t
        .call(
            "POST",
            "/api/v1/certificates",
            Some(&town),
            Some(cert(
                t.ids.b_haz,
                "36098120190002",
                "2020-01-01",
                "2023-01-01",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(fields(&r), ["enterprise_id"]);
    let r = t
        .call(
            "POST",
            "/api/v1/certificates",
            Some(&town),
            Some(cert(
                t.ids.a_haz,
                "36098120190001",
                "2020-01-01",
                "2023-01-01",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(fields(&r), ["cert_no"]);
    let r = t
        .call(
            "POST",
            "/api/v1/certificates",
            Some(&town),
            Some(cert(
                t.ids.a_haz,
                "36098120190003",
                "2022-02-30",
                "2021-01-01",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(fields(&r), ["issued_on"]);

    let r = t
        .call(
            "GET",
            "/api/v1/certificates?expiring=true",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(
        r.json()["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/certificates?enterprise_id={}", t.ids.b_haz),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(0));
    let r = t.call("GET", "/api/v1/todos", Some(&town), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let todos = r.json()["certificates"].clone();
    assert_eq!(
        todos[0]["title"], "测试企业1有限公司 张伟（主要负责人）",
        "{todos}"
    );
    // The enterprise sees its own certificate and what it owes.
    let qiye = t.token("qiye").await;
    let r = t.call("GET", "/api/v1/todos", Some(&qiye), None).await;
    assert_eq!(r.json()["certificates"].as_array().map(Vec::len), Some(1));
    let r = t
        .call("GET", "/api/v1/certificates/export", Some(&town), None)
        .await;
    assert!(r.body.starts_with(b"PK"), "an xlsx");
    let sheet = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap_or_default();
    assert_eq!(sheet.rows.len(), 1);
    assert!(
        sheet.rows[0].1.contains(&"即将到期".to_string()),
        "{:?}",
        sheet.rows
    );
}

#[tokio::test]
async fn the_training_pages_record_a_class_keep_a_refused_form_and_list_certificates() {
    let t = spawn();
    let (session, csrf) = t.web_login("town_a").await;
    let html = t.page("/training", &session).await.text();
    assert!(
        html.contains("培训记录") && html.contains(r#"href="/training/new""#),
        "{html}"
    );
    assert!(html.contains(r#"href="/certificates""#), "the menu: {html}");
    let html = t.page("/training/new", &session).await.text();
    assert!(
        html.contains("理论中心组学习") && html.contains("参训人员"),
        "{html}"
    );

    // Refused: a bad phone on the second sign-in row; what was typed is kept, the message
    // stands at that row.
    let r = t
        .form(
            "/training/new",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("kind", "class"),
                ("topic", "醇基燃料餐饮从业人员安全培训"),
                ("starts_on", "2022-05-20"),
                ("hours", "3"),
                ("attendee_name", "张伟"),
                ("attendee_unit", "临江镇饭店"),
                ("attendee_phone", ""),
                ("attendee_name", ""),
                ("attendee_unit", ""),
                ("attendee_phone", ""),
                ("attendee_name", "李芳"),
                ("attendee_unit", "临江镇饭店"),
                ("attendee_phone", "123"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("醇基燃料餐饮从业人员安全培训") && html.contains("电话号码格式不正确"),
        "{html}"
    );
    assert!(
        !html.contains("attendees[2].phone"),
        "no field codes: {html}"
    );
    let r = t
        .form(
            "/training/new",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("kind", "class"),
                ("topic", "醇基燃料餐饮从业人员安全培训"),
                ("starts_on", "2022-05-20"),
                ("hours", "3"),
                ("attendee_name", "张伟"),
                ("attendee_unit", "临江镇饭店"),
                ("attendee_phone", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r
        .headers
        .get(axum::http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let html = t.page(&to, &session).await.text();
    assert!(
        html.contains("张伟") && html.contains("导入花名册") && html.contains("签到表"),
        "{html}"
    );
    let path = to.split('?').next().unwrap_or_default().to_string();
    let r = t
        .form(
            &format!("{path}/attendees"),
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("attendee_name", "王强"),
                ("attendee_unit", "枫林村"),
                ("attendee_phone", "13907951234"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(t.page(&path, &session).await.text().contains("王强"));

    // A certificate: refused for a missing holder (the enterprise kept), then saved.
    let picked = format!("测试企业1有限公司（{}）", uscc(1));
    let r = t
        .form(
            "/certificates/new",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("enterprise", picked.as_str()),
                ("holder_name", ""),
                ("role", "principal"),
                ("cert_no", "36098120190001"),
                ("issued_on", "2019-06-20"),
                ("expires_on", "2022-06-19"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("持证人姓名不能为空") && html.contains(&picked),
        "{html}"
    );
    let r = t
        .form(
            "/certificates/new",
            &session,
            &[
                ("_csrf", csrf.as_str()),
                ("enterprise", picked.as_str()),
                ("holder_name", "张伟"),
                ("role", "principal"),
                ("cert_no", "36098120190001"),
                ("issued_on", "2019-06-20"),
                ("expires_on", "2022-06-19"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t.page("/certificates?expiring=true", &session).await.text();
    assert!(
        html.contains("36098120190001") && html.contains("即将到期"),
        "{html}"
    );
    let html = t.page("/todos", &session).await.text();
    assert!(html.contains("考核合格证到期"), "{html}");

    // The enterprise sees its own certificates and no training records.
    let (qiye, _) = t.web_login("qiye").await;
    let html = t.page("/certificates", &qiye).await.text();
    assert!(html.contains("36098120190001"), "{html}");
    assert!(!html.contains(r#"href="/training""#), "{html}");
    let r = t.page("/training", &qiye).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
