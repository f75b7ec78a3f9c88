//! Update by import: an edited export imported again updates the importer's enterprises,
//! audited like an edit, with a report of the rows created, updated (field by field) and
//! unchanged; an enterprise outside the importer's scope answers as an unknown USCC.

use crate::hazards::multipart;
use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::Value;

/// The enterprise export as CSV, read into rows of cells (header first).
async fn export_rows(t: &TestApp, token: &str) -> Vec<Vec<String>> {
    let r = t
        .call(
            "GET",
            "/api/v1/enterprises/export?format=csv",
            Some(token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.text()
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| {
            l.split(',')
                .map(|c| c.trim_matches('"').to_string())
                .collect()
        })
        .collect()
}

/// The rows as an .xlsx made with the project's writer, every cell text.
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn import(
    t: &TestApp,
    token: &str,
    query: &str,
    name: &str,
    data: &[u8],
) -> (StatusCode, Value) {
    let (ct, body) = multipart(&[("file", Some(name), data)]);
    let r = t
        .raw(
            "POST",
            &format!("/api/v1/enterprises/import{query}"),
            Some(token),
            &ct,
            body,
        )
        .await;
    (r.status, r.json())
}

async fn history(t: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let r = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{id}/history"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["items"].as_array().cloned().unwrap_or_default()
}

fn col(rows: &[Vec<String>], label: &str) -> usize {
    rows[0].iter().position(|h| h == label).unwrap()
}

#[tokio::test]
async fn an_edited_export_imported_again_updates_exactly_the_changed_fields() {
    let t = spawn();
    let town = t.token("town_a").await;
    let mut rows = export_rows(&t, &town).await;
    assert_eq!(rows.len(), 3, "临江镇's two enterprises: {rows:?}");
    let uscc_col = col(&rows, "统一社会信用代码");
    let target = rows.iter().position(|r| r[uscc_col] == uscc(1)).unwrap();
    let before_audit = history(&t, &town, t.ids.a_haz).await.len();
    let other_audit = history(&t, &town, t.ids.a_fire).await.len();
    let (lr, phone) = (col(&rows, "法定代表人"), col(&rows, "法定代表人电话"));
    rows[target][lr] = "李四".into();
    rows[target][phone] = "13807950001".into();

    // The default mode registers new enterprises only: both rows are refused, as before.
    let file = xlsx(&rows);
    let (status, j) = import(&t, &town, "", "ledger.xlsx", &file).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert!(
        j["lines"].to_string().contains("该统一社会信用代码已登记"),
        "{j}"
    );

    let (status, j) = import(&t, &town, "?mode=upsert", "ledger.xlsx", &file).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    let c = &j["report"]["changes"];
    assert_eq!(
        (
            c["created_count"].as_i64(),
            c["updated_count"].as_i64(),
            c["unchanged_count"].as_i64()
        ),
        (Some(0), Some(1), Some(1)),
        "{j}"
    );
    assert_eq!(j["report"]["written"], 1, "{j}");
    assert_eq!(c["updated"][0]["row"], target + 1, "{j}");
    assert_eq!(
        c["updated"][0]["changes"],
        serde_json::json!([
            {"field": "法定代表人", "old": "", "new": "李四"},
            {"field": "法定代表人电话", "old": "", "new": "13807950001"},
        ]),
        "{j}"
    );
    assert!(
        j["lines"].to_string().contains("法定代表人：“”→“李四”"),
        "{j}"
    );
    let e = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{}", t.ids.a_haz),
            Some(&town),
            None,
        )
        .await
        .json();
    assert_eq!(
        (e["legal_rep"].as_str(), e["legal_rep_phone"].as_str()),
        (Some("李四"), Some("13807950001"))
    );
    assert_eq!(e["version"], 2, "{e}");
    // Audited as an edit in the form: one entry, by the importer, with before and after.
    let h = history(&t, &town, t.ids.a_haz).await;
    assert_eq!(h.len(), before_audit + 1);
    assert_eq!(h[0]["action"], "enterprise.update", "{:?}", h[0]);
    assert_eq!(h[0]["actor"], "town_a");
    let (b, a): (Value, Value) = (
        serde_json::from_str(h[0]["before"].as_str().unwrap()).unwrap(),
        serde_json::from_str(h[0]["after"].as_str().unwrap()).unwrap(),
    );
    assert_eq!(
        (b["legal_rep"].clone(), a["legal_rep"].clone()),
        (Value::Null, "李四".into())
    );
    assert_eq!(
        history(&t, &town, t.ids.a_fire).await.len(),
        other_audit,
        "the unchanged row is not written"
    );

    // The export of now, imported unchanged (the app's own .xlsx): every row unchanged,
    // nothing written, no audit entry.
    let r = t
        .call(
            "GET",
            "/api/v1/enterprises/export?format=xlsx",
            Some(&town),
            None,
        )
        .await;
    let (status, j) = import(&t, &town, "?mode=upsert", "ledger.xlsx", &r.body).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    let c = &j["report"]["changes"];
    assert_eq!(
        (
            c["created_count"].as_i64(),
            c["updated_count"].as_i64(),
            c["unchanged_count"].as_i64()
        ),
        (Some(0), Some(0), Some(2)),
        "{j}"
    );
    assert_eq!(j["report"]["written"], 0);
    assert_eq!(
        history(&t, &town, t.ids.a_haz).await.len(),
        before_audit + 1
    );
    assert_eq!(history(&t, &town, t.ids.a_fire).await.len(), other_audit);

    // A new row in upsert mode is registered, and listed as created.
    let mut new_row = rows[target].clone();
    new_row[uscc_col] = uscc(50);
    new_row[col(&rows, "企业名称")] = "新登记企业有限公司".into();
    let file = xlsx(&[rows[0].clone(), new_row]);
    let (status, j) = import(&t, &town, "?mode=upsert", "new.xlsx", &file).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(
        j["report"]["changes"]["created"][0]["uscc"],
        uscc(50),
        "{j}"
    );
}

#[tokio::test]
async fn an_enterprise_outside_the_scope_answers_as_an_unknown_uscc() {
    let t = spawn();
    let town = t.token("town_a").await;
    let rows = export_rows(&t, &town).await;
    let uscc_col = col(&rows, "统一社会信用代码");
    // The same row under 永泰镇's enterprise's USCC, and under a USCC registered nowhere.
    let mut foreign = rows[1].clone();
    foreign[uscc_col] = uscc(3);
    let mut unknown = rows[1].clone();
    unknown[uscc_col] = uscc(77);
    let answer = |j: &Value| -> String {
        let lines = j["lines"].as_array().cloned().unwrap_or_default();
        assert_eq!(lines.len(), 1, "{j}");
        lines[0].as_str().unwrap_or_default().to_string()
    };
    let (s1, j1) = import(
        &t,
        &town,
        "?mode=update",
        "f.xlsx",
        &xlsx(&[rows[0].clone(), foreign.clone()]),
    )
    .await;
    let (s2, j2) = import(
        &t,
        &town,
        "?mode=update",
        "f.xlsx",
        &xlsx(&[rows[0].clone(), unknown]),
    )
    .await;
    assert_eq!(
        (s1, s2),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::UNPROCESSABLE_ENTITY
        )
    );
    assert_eq!(answer(&j1), answer(&j2), "out of scope reads as unknown");
    assert_eq!(
        answer(&j1),
        "第2行：统一社会信用代码：您管辖范围内没有该统一社会信用代码的企业"
    );
    // In upsert mode the row goes the way of a new one, and is refused as the registration
    // form refuses a registered USCC: nothing of the other enterprise shows.
    let (s, j) = import(
        &t,
        &town,
        "?mode=upsert",
        "f.xlsx",
        &xlsx(&[rows[0].clone(), foreign]),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert_eq!(
        answer(&j),
        "第2行：统一社会信用代码：该统一社会信用代码已登记"
    );
    assert!(
        !j.to_string().contains("测试企业3") && !j.to_string().contains("石塘村"),
        "{j}"
    );
    assert!(j["report"].get("changes").is_none(), "{j}");
    // 永泰镇's enterprise is as it was.
    let admin = t.token("admin").await;
    let e = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{}", t.ids.b_haz),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(e["version"], 1, "{e}");
    // A mode that does not exist is a 422 naming the parameter.
    let (s, j) = import(&t, &town, "?mode=replace", "f.xlsx", &xlsx(&rows)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{j}");
    assert!(j["fields"]["mode"].is_array(), "{j}");
}

#[tokio::test]
async fn the_import_page_shows_the_change_report() {
    let t = spawn();
    let town = t.token("town_a").await;
    let mut rows = export_rows(&t, &town).await;
    let lr = col(&rows, "法定代表人");
    rows[1][lr] = "王五".into();
    let file = xlsx(&rows);
    let (session, csrf) = t.web_login("town_a").await;
    let page = t.page("/enterprises", &session).await;
    assert!(
        page.text().contains("更新已登记的企业"),
        "the list offers the import"
    );
    let (ct, body) = multipart(&[
        ("_csrf", None, csrf.as_bytes()),
        ("upsert", None, b"on"),
        ("file", Some("ledger.xlsx"), &file),
    ]);
    let req = axum::http::Request::post("/enterprises/import")
        .header(axum::http::header::CONTENT_TYPE, ct)
        .header(
            axum::http::header::COOKIE,
            format!("anjian_session={session}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("新增 <b>0</b> 家，更新 <b>1</b> 家，未变 <b>1</b> 家"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"field\">法定代表人</span>：") && html.contains("→ 王五"),
        "{html}"
    );
}
