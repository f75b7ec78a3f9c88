//! Hostile imports: each bomb is refused with a stable code, a Chinese message and a small
//! answer; unrecognised columns need the user's confirmation; codes stored as numbers are
//! refused with their rows.

use super::*;
use anjian_app::import::bombs;

async fn upload(t: &TestApp, token: &str, query: &str, name: &str, data: &[u8]) -> Resp {
    let (ct, body) = multipart(&[("file", Some(name), data)]);
    t.raw(
        "POST",
        &format!("/api/v1/hazards/import{query}"),
        Some(token),
        &ct,
        body,
    )
    .await
}

#[tokio::test]
async fn each_import_bomb_is_refused_with_a_stable_code_and_a_small_answer() {
    let t = spawn();
    // An enterprise account may import its own hazards: the bombs come from it.
    let qiye = t.token("qiye").await;
    let admin = t.token("admin").await;
    // The zip bomb of the report: 2.35 million rows, some 110 MB of XML, a small file.
    let bomb = bombs::xlsx_bomb(2_350_000);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let cases: [(&str, Vec<u8>, &str, &str); 4] = [
        (
            "bomb.xlsx",
            bomb,
            "import_unzipped_too_large",
            "解压后超过 64 MB",
        ),
        (
            "junk.csv",
            bombs::junk_csv(400_000),
            "import_too_many_rows",
            "超过 50000 行",
        ),
        (
            "wide.csv",
            bombs::wide_csv(64),
            "import_too_many_columns",
            "第2行BM列",
        ),
        (
            "cell.csv",
            bombs::giant_cell_csv(1_000_000),
            "import_cell_too_large",
            "第2行E列",
        ),
    ];
    for (name, data, code, words) in cases {
        let r = upload(&t, &qiye, "", name, &data).await;
        assert_eq!(
            r.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{name}: {}",
            r.text()
        );
        assert_eq!(r.json()["error"], code, "{name}");
        let message = r.json()["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains(words), "{name}: {message}");
        assert!(r.body.len() < 2048, "{name}: {} bytes", r.body.len());
    }
    // Junk within the row limit: each bad row is validated, the first 100 are reported
    // once, the rest counted; the answer stays small.
    let r = upload(&t, &qiye, "", "junk.csv", &bombs::junk_csv(40_000)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.body.len() < 100 * 1024, "{} bytes", r.body.len());
    let v = r.json();
    assert_eq!(v["error"], "import_rejected");
    assert_eq!(v["report"]["invalid"], 40_000);
    let lines = v["lines"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 101);
    assert_eq!(lines[100], "……另有 39900 行存在错误");
    assert!(!r.text().contains("\"errors\""), "each error is sent once");
    // The limits are settings.
    let r = t
        .call(
            "PUT",
            "/api/v1/settings/import_max_rows",
            Some(&admin),
            Some(json!({"value": "10000"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = upload(&t, &qiye, "", "junk.csv", &bombs::junk_csv(10_001)).await;
    assert_eq!(r.json()["error"], "import_too_many_rows");
    assert!(r.text().contains("10000 行"), "{}", r.text());
    let r = t
        .call(
            "PUT",
            "/api/v1/settings/import_max_rows",
            Some(&admin),
            Some(json!({"value": "123"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The work-record import is held to the same limits.
    let (ct, body) = multipart(&[("file", Some("w.csv"), &bombs::wide_csv(100))]);
    let r = t
        .raw(
            "POST",
            "/api/v1/work-records/import",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.json()["error"], "import_too_many_columns", "{}", r.text());
}

#[tokio::test]
async fn unrecognised_columns_are_refused_until_confirmed_and_listed() {
    let t = spawn();
    let admin = t.token("admin").await;
    let csv = format!(
        "序号,所在区划代码,行业,隐患等级,隐患来源,隐患内容,检查日期,检查人员\n1,{VILLAGE_A1},消防,一般隐患,监督检查,疏散通道堵塞,2022-05-10,王五\n"
    );
    let r = upload(&t, &admin, "", "h.csv", csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["error"], "import_unmapped_columns");
    assert_eq!(r.json()["fields"]["columns"], json!(["检查人员（H列）"]));
    assert!(r.text().contains("ignore_columns=true"), "{}", r.text());
    let r = upload(&t, &admin, "?ignore_columns=true", "h.csv", csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 1);
    assert_eq!(
        r.json()["report"]["ignored_columns"],
        json!(["序号（A列）", "检查人员（H列）"])
    );
    // A two-level header is refused with what to do.
    let csv = "隐患信息,,,,,,\n所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期\n";
    let r = upload(&t, &admin, "", "h.csv", csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "a title row: {}", r.text());
    let csv = "隐患,,,信息,,\n所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期\n";
    let r = upload(&t, &admin, "", "h.csv", csv.as_bytes()).await;
    assert_eq!(r.json()["error"], "import_header_two_level", "{}", r.text());
    // The page: the refusal lists the columns and keeps the box as it was ticked.
    let (session, csrf) = t.web_login("admin").await;
    let csv = format!(
        "所在区划代码,行业领域,隐患等级,隐患来源,隐患描述,发现日期,检查人员\n{VILLAGE_A1},消防,一般隐患,监督检查,安全出口上锁,2022-05-10,王五\n"
    );
    let send = |ignore: bool| {
        let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("_csrf", None, csrf.as_bytes()),
            ("file", Some("h.csv"), csv.as_bytes()),
        ];
        if ignore {
            parts.push(("ignore_columns", None, b"on"));
        }
        let (ct, body) = multipart(&parts);
        axum::http::Request::post("/hazards/import")
            .header(axum::http::header::CONTENT_TYPE, ct)
            .header(
                axum::http::header::COOKIE,
                format!("anjian_session={session}"),
            )
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let r = t.send(send(false)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("检查人员（G列）"), "{}", r.text());
    assert!(r.text().contains("name=\"ignore_columns\" value=\"on\" >"));
    let r = t.send(send(true)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("已导入 1 条") && r.text().contains("检查人员（G列）"));
}

#[tokio::test]
async fn a_code_stored_as_a_number_is_refused_with_its_row() {
    let t = spawn();
    let admin = t.token("admin").await;
    let cell = |v: &str| format!("<c t=\"inlineStr\"><is><t>{v}</t></is></c>");
    let head: String = [
        "所在区划代码",
        "行业领域",
        "隐患等级",
        "隐患来源",
        "隐患描述",
        "发现日期",
        "企业统一社会信用代码",
    ]
    .iter()
    .map(|h| cell(h))
    .collect();
    let rest: String = ["消防", "一般隐患", "监督检查", "灭火器过期", "2022-05-10"]
        .iter()
        .map(|v| cell(v))
        .collect();
    // Row 2: the region code as a 12-digit number (exact: accepted). Row 3: the same, and
    // a USCC that a spreadsheet stored as a number.
    let row2 = format!("<row><c><v>{VILLAGE_A1}</v></c>{rest}</row>");
    let row3 = format!("<row><c><v>{VILLAGE_A1}</v></c>{rest}<c><v>9.13609821E+17</v></c></row>");
    let xlsx = bombs::xlsx_with_sheet(&format!("<row>{head}</row>{row2}"), 1, &row3);
    let r = upload(&t, &admin, "", "h.xlsx", &xlsx).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(
        r.json()["lines"],
        json!(["第3行：企业统一社会信用代码：该单元格为数值格式，请将该列设为文本后重新输入"])
    );
    let r = upload(&t, &admin, "?skip_invalid=true", "h.xlsx", &xlsx).await;
    assert_eq!(r.json()["report"]["written"], 1, "{}", r.text());
}
