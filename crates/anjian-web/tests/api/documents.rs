//! Enforcement documents through the API: numbering, scope, service, Word output.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn documents_are_numbered_served_once_and_scoped() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let e = t.ids.a_haz;
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&insp),
            Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "organisation", "party_name": "测试企业1有限公司",
                        "enterprise_id": e, "fine_yuan": 1000.0, "facts": "未按规定设置安全警示标志",
                        "legal_basis": "《安全生产法》第九十九条"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let case_id = r.json()["id"].as_i64().unwrap_or_default();
    let issue = |body: serde_json::Value| {
        let insp = insp.clone();
        let t = &t;
        async move {
            t.call("POST", "/api/v1/documents", Some(&insp), Some(body))
                .await
        }
    };
    let r =
        issue(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let first = r.json();
    assert_eq!(first["doc_no"], "测应急当罚〔2022〕1号");
    assert_eq!(first["issued_on"], "2022-06-01");
    let r =
        issue(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})).await;
    assert_eq!(r.json()["doc_no"], "测应急当罚〔2022〕2号");

    // Only in the name of one's own department.
    let r = issue(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id, "department_id": t.ids.dept_fire})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

    // Wrong pairings and bad dates are field errors; nothing is numbered for them.
    let r =
        issue(json!({"doc_type": "recheck_opinion", "entity": "case", "entity_id": case_id})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["entity"].is_array(), "{}", r.text());
    let r = issue(json!({"doc_type": "nonsense", "entity": "case", "entity_id": case_id, "date": "2022-13-01"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let j = r.json();
    assert!(
        j["fields"]["doc_type"].is_array() && j["fields"]["date"].is_array(),
        "{j}"
    );
    let r =
        issue(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})).await;
    assert_eq!(
        r.json()["doc_no"],
        "测应急当罚〔2022〕3号",
        "no gap after refusals"
    );

    // A configured prefix is used from then on (admin only).
    let yj = t.token("yingji").await;
    let admin = t.token("admin").await;
    let dept = first["department_id"].as_i64().unwrap_or_default();
    let path = format!("/api/v1/departments/{dept}/document-prefix");
    let r = t
        .call("PUT", &path, Some(&yj), Some(json!({"prefix": "测应急罚"})))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"prefix": "测应〔"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call(
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"prefix": "测市应急"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r =
        issue(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})).await;
    assert_eq!(r.json()["doc_no"], "测市应急当罚〔2022〕4号");

    // Service: once, not before issue, with a lawful method.
    let id = first["id"].as_i64().unwrap_or_default();
    let serve = format!("/api/v1/documents/{id}/service");
    let r = t
        .call(
            "POST",
            &serve,
            Some(&insp),
            Some(json!({"served_on": "2022-05-31", "served_to": "张三", "method": "飞鸽传书"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let j = r.json();
    assert!(
        j["fields"]["served_on"].is_array() && j["fields"]["method"].is_array(),
        "{j}"
    );
    let r = t
        .call(
            "POST",
            &serve,
            Some(&insp),
            Some(json!({"served_on": "2022-06-01", "served_to": "张三", "method": "直接送达"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["served_to"], "张三");
    let r = t
        .call(
            "POST",
            &serve,
            Some(&insp),
            Some(json!({"served_on": "2022-06-01", "served_to": "李四", "method": "直接送达"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Word output.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/documents/{id}/docx"),
            Some(&insp),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));

    // Scope: the enterprise sees its own documents but cannot issue; the other township
    // sees none; a township cannot issue enforcement documents.
    let qiye = t.token("qiye").await;
    let r = t.call("GET", "/api/v1/documents", Some(&qiye), None).await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(4));
    let r = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&qiye),
            Some(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&town),
            Some(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let paizhu = t.token("paizhu").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/documents/{id}"),
            Some(&paizhu),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call(
            "GET",
            &format!("/api/v1/documents?entity=case&entity_id={case_id}"),
            Some(&insp),
            None,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(4));

    // Ledgers: documents and cases, in scope.
    let r = t
        .call("GET", "/api/v1/documents/export", Some(&insp), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(table.headers[0], "文号");
    assert_eq!(table.rows.len(), 4);
    assert!(
        table
            .rows
            .iter()
            .any(|(_, c)| c[0] == "测应急当罚〔2022〕1号"
                && c[7] == "2022-06-01"
                && c[8] == "张三")
    );
    let r = t
        .call("GET", "/api/v1/cases/export", Some(&insp), None)
        .await;
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].1[1], "简易程序");
    assert_eq!(table.rows[0].1[6], "1000.00");
    let r = t
        .call("GET", "/api/v1/documents/export", Some(&paizhu), None)
        .await;
    let table = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert!(table.rows.is_empty(), "out of scope");
}

#[tokio::test]
async fn county_templates_shape_the_document_body() {
    let t = spawn();
    let admin = t.token("admin").await;
    let insp = t.token("zhifa").await;
    let r = t
        .call("POST", "/api/v1/cases", Some(&insp), Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "organisation", "party_name": "测试企业1有限公司",
            "enterprise_id": t.ids.a_haz, "fine_yuan": 1500.0, "measures": ["fine"], "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条"})))
        .await;
    let case_id = r.json()["id"].as_i64().unwrap_or_default();
    let path = "/api/v1/document-templates/simple_decision";
    let r = t
        .call("PUT", path, Some(&insp), Some(json!({"text": "x"})))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "PUT",
            path,
            Some(&admin),
            Some(json!({"text": "{当事人}：{未知}"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["fields"]["text"][0]
            .as_str()
            .is_some_and(|m| m.contains("{未知}")),
        "{}",
        r.text()
    );
    let r = t
        .call(
            "PUT",
            "/api/v1/document-templates/no_such_type",
            Some(&admin),
            Some(json!({"text": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let tpl = "{当事人}：你单位{违法事实}，违反了{处罚依据}的规定。本机关决定给予{处罚种类}，罚款{罚款}。\n{部门} {日期}";
    let r = t
        .call("PUT", path, Some(&admin), Some(json!({"text": tpl})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&insp),
            Some(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})),
        )
        .await;
    assert_eq!(
        r.json()["body"],
        "测试企业1有限公司：你单位未按规定设置安全警示标志，违反了《安全生产法》第九十九条的规定。本机关决定给予罚款，罚款1500元。\n测试市应急管理局 2022年6月1日",
        "{}",
        r.text()
    );
    // Other types keep the built-in wording; an empty text restores it.
    let list = t
        .call("GET", "/api/v1/document-templates", Some(&admin), None)
        .await
        .json();
    assert_eq!(
        list["items"]
            .as_array()
            .map(|a| a.iter().filter(|x| !x["template"].is_null()).count()),
        Some(1)
    );
    t.call("PUT", path, Some(&admin), Some(json!({"text": ""})))
        .await;
    let r = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&insp),
            Some(json!({"doc_type": "simple_decision", "entity": "case", "entity_id": case_id})),
        )
        .await;
    assert!(
        r.json()["body"]
            .as_str()
            .is_some_and(|b| b.starts_with("违法事实和证据：")),
        "{}",
        r.text()
    );
}

/// 行政处罚法 art. 59 (what a 行政处罚决定书 states), art. 44 (what the 告知书 states), art. 61
/// (electronic service only with written consent): the built-in bodies carry what the law
/// requires, under the official names.
#[tokio::test]
async fn xingzheng_chufa_fa_arts_44_59_61_document_bodies_and_service() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&insp),
            Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation", "party_name": "测试企业1有限公司",
                        "enterprise_id": t.ids.a_haz, "fine_yuan": 20000.0, "facts": "未按规定设置安全警示标志。",
                        "legal_basis": "《安全生产法》第九十九条", "measures": ["fine"]})),
        )
        .await;
    let case_id = r.json()["id"].as_i64().unwrap_or_default();
    let issue = |doc_type: &str, entity: &str, id: i64| {
        t.call(
            "POST",
            "/api/v1/documents",
            Some(&insp),
            Some(json!({"doc_type": doc_type, "entity": entity, "entity_id": id})),
        )
    };
    let d = issue("penalty_decision", "case", case_id).await.json();
    let body = d["body"].as_str().unwrap_or_default().to_string();
    // The party, the agency and the date are in the Word layout around the body (see
    // `word_documents_follow_the_official_layout_and_carry_their_names`).
    for part in [
        "违法事实和证据：未按规定设置安全警示标志",
        "处罚依据：《安全生产法》第九十九条",
        "罚款20000元",
        "十五日内",
        "百分之三加处罚款",
        "六十日内依法向测试市人民政府申请行政复议",
        "六个月内依法向测试市人民法院提起行政诉讼",
        "依法申请人民法院强制执行",
    ] {
        assert!(body.contains(part), "decision lacks {part}: {body}");
    }
    let n = issue("penalty_notice", "case", case_id).await.json();
    let body = n["body"].as_str().unwrap_or_default().to_string();
    for part in ["拟对你（单位）作出如下行政处罚", "陈述和申辩", "要求听证"]
    {
        assert!(body.contains(part), "notice lacks {part}: {body}");
    }
    // Electronic service needs the party's written consent.
    let id = d["id"].as_i64().unwrap_or_default();
    let serve = format!("/api/v1/documents/{id}/service");
    let r = t
        .call(
            "POST",
            &serve,
            Some(&insp),
            Some(json!({"served_on": "2022-06-01", "served_to": "张三", "method": "电子送达"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = t
        .call("POST", &serve, Some(&insp), Some(json!({"served_on": "2022-06-01", "served_to": "张三", "method": "电子送达", "written_consent": true})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json()["service_method"],
        "电子送达（当事人书面同意）",
        "{}",
        r.text()
    );
    // The official names and the new types the flows need.
    let s = issue("simple_decision", "case", case_id).await.json();
    assert!(
        s["title"]
            .as_str()
            .is_some_and(|x| x.starts_with("行政（当场）处罚决定书")),
        "{s}"
    );
    for code in [
        "hearing_meeting_notice",
        "payment_reminder",
        "legal_review_opinion",
        "collective_discussion",
        "deferral_approval",
        "enforcement_application",
    ] {
        let r = issue(code, "case", case_id).await;
        assert_eq!(r.status, StatusCode::CREATED, "{code}: {}", r.text());
    }
}

/// 行政处罚法 art. 67: the 15 days for payment run from the day the decision was served; the
/// case's service step is the decision's service record, not the day someone clicked.
#[tokio::test]
async fn xingzheng_chufa_fa_art_67_payment_period_runs_from_the_recorded_service() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            "/api/v1/cases",
            Some(&insp),
            Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation", "party_name": "测试企业1有限公司",
                        "enterprise_id": t.ids.a_haz, "fine_yuan": 20000.0, "facts": "未按规定设置安全警示标志。",
                        "legal_basis": "《安全生产法》第九十九条", "measures": ["fine"]})),
        )
        .await;
    let case_id = r.json()["id"].as_i64().unwrap_or_default();
    let path = format!("/api/v1/cases/{case_id}/actions");
    for b in [
        json!({"action": "investigate"}),
        json!({"action": "examine", "note": "事实清楚"}),
        json!({"action": "notify"}),
    ] {
        let r = t.call("POST", &path, Some(&insp), Some(b)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    t.clock.advance(chrono::Duration::days(10)); // 2022-06-11
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            &format!("/api/v1/cases/{case_id}/actions"),
            Some(&insp),
            Some(json!({"action": "decide"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&insp),
            Some(json!({"doc_type": "penalty_decision", "entity": "case", "entity_id": case_id})),
        )
        .await
        .json();
    let id = d["id"].as_i64().unwrap_or_default();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/documents/{id}/service"),
            Some(&insp),
            Some(json!({"served_on": "2022-06-11", "served_to": "张三", "method": "直接送达"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let c = t
        .call(
            "GET",
            &format!("/api/v1/cases/{case_id}"),
            Some(&insp),
            None,
        )
        .await
        .json();
    assert_eq!(
        (&c["status"], &c["served_on"]),
        (&json!("served"), &json!("2022-06-11")),
        "{c}"
    );
    let pay = c["limits"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["step"] == "缴纳罚款").cloned())
        .unwrap_or_default();
    assert_eq!(
        pay["due"], "2022-06-27",
        "15 days from 06-11 is Sunday 06-26: {pay}"
    );
}

/// The document part of a Word file.
pub(crate) fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// A Word file whose text is the given paragraphs, the second word of the first split over
/// two runs as Word does.
fn docx_with(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut body = String::new();
    for p in paragraphs {
        let half = p.chars().count() / 2;
        let a: String = p.chars().take(half).collect();
        let b: String = p.chars().skip(half).collect();
        body.push_str(&format!(
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{a}</w:t></w:r><w:r><w:t>{b}</w:t></w:r></w:p>"
        ));
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (n, d) in [
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#)),
    ] {
        w.start_file(n, o).unwrap();
        w.write_all(d.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn multipart(name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let b = "XdocxBoundary";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// Every document is downloaded as its kind and number in Chinese with an ASCII fallback, made
/// from the shipped Word template: agency, title, number, party, body, dates in Chinese, the
/// seal place and a filled 送达回证.
#[tokio::test]
async fn word_documents_follow_the_official_layout_and_carry_their_names() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call("POST", "/api/v1/cases", Some(&insp), Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "general", "party_kind": "organisation", "party_name": "测试企业1有限公司",
            "enterprise_id": t.ids.a_haz, "fine_yuan": 20000.0, "measures": ["fine"], "facts": "未按规定设置安全警示标志 <A&B>", "legal_basis": "《安全生产法》第九十九条"})))
        .await;
    let case_id = r.json()["id"].as_i64().unwrap_or_default();
    let d = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&insp),
            Some(json!({"doc_type": "penalty_decision", "entity": "case", "entity_id": case_id})),
        )
        .await
        .json();
    let id = d["id"].as_i64().unwrap_or_default();
    let r = t
        .call("POST", &format!("/api/v1/documents/{id}/service"), Some(&insp),
            Some(json!({"served_on": "2022-06-01", "served_to": "张三", "method": "直接送达", "place": "当事人办公室"})))
        .await;
    assert_eq!(r.json()["service_place"], "当事人办公室", "{}", r.text());
    let r = t
        .call(
            "GET",
            &format!("/api/v1/documents/{id}/docx"),
            Some(&insp),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let encoded: String = "行政处罚决定书-测应急罚〔2022〕1号.docx"
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert_eq!(
        r.headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some(
            format!("attachment; filename=\"document-{id}.docx\"; filename*=UTF-8''{encoded}")
                .as_str()
        )
    );
    let xml = docx_text(&r.body);
    for part in [
        "测试市应急管理局",
        "行政处罚决定书",
        "测应急罚〔2022〕1号",
        "被处罚单位（人）：",
        "测试企业1有限公司",
        "未按规定设置安全警示标志 &lt;A&amp;B&gt;",
        "罚款20000元",
        "测试市人民政府",
        "（印章）",
        "2022年6月1日",
        "送 达 回 证",
        "当事人办公室",
        "直接送达",
        "张三",
    ] {
        assert!(xml.contains(part), "lacks {part}");
    }
    assert!(!xml.contains("2022-06-01") && !xml.contains('{'), "{xml}");
    // The body's lines are paragraphs of their own.
    assert!(
        xml.contains(">处罚依据：《安全生产法》第九十九条</w:t>"),
        "{xml}"
    );
}

/// A county uploads its own Word template per document type (admin), checked before it is
/// stored; downloads use it until it is reset to the shipped one.
#[tokio::test]
async fn county_word_templates_are_uploaded_checked_used_and_reset() {
    let t = spawn();
    let admin = t.token("admin").await;
    let insp = t.token("zhifa").await;
    let path = "/api/v1/document-templates/rectification_order/docx";
    // Anyone may download the current template: the shipped one at first.
    let r = t.call("GET", path, Some(&insp), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let cd = r
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        cd.starts_with(
            "attachment; filename=\"template-rectification_order.docx\"; filename*=UTF-8''"
        ),
        "{cd}"
    );
    let shipped = docx_text(&r.body);
    assert!(
        shipped.contains("{正文}") && shipped.contains("{文号}"),
        "{shipped}"
    );

    let (ct, body) = multipart("指令书.docx", &docx_with(&["本县指令 {当事人}", "{正文}"]));
    let r = t.raw("PUT", path, Some(&insp), &ct, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let (ct2, junk) = multipart("指令书.docx", b"not a word file");
    let r = t.raw("PUT", path, Some(&admin), &ct2, junk).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.json()["fields"]["file"][0]
            .as_str()
            .is_some_and(|m| m.contains("Word")),
        "{}",
        r.text()
    );
    let (ct3, unknown) = multipart("指令书.docx", &docx_with(&["{当事人}：{整改要求}{签发人}"]));
    let r = t.raw("PUT", path, Some(&admin), &ct3, unknown).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let m = r.json()["fields"]["file"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(m.contains("未知的占位符：{整改要求}、{签发人}"), "{m}");
    let r = t.raw("PUT", path, Some(&admin), &ct, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["docx"]["file_name"], "指令书.docx");

    // A hazard's 责令限期整改指令书 now comes from the county's template.
    let hid = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "general", "source": "inspection",
            "description": "储罐区防火堤破损", "found_on": "2022-05-20"})))
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let d = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&insp),
            Some(json!({"doc_type": "rectification_order", "entity": "hazard", "entity_id": hid})),
        )
        .await
        .json();
    let doc = format!("/api/v1/documents/{}/docx", d["id"]);
    let xml = docx_text(&t.call("GET", &doc, Some(&insp), None).await.body);
    assert!(
        xml.contains("<w:b/></w:rPr><w:t>本县指令 </w:t>") && xml.contains("测试企业1有限公司"),
        "{xml}"
    );
    assert!(
        xml.contains("经查，你单位存在下列问题：") && xml.contains("储罐区防火堤破损"),
        "{xml}"
    );
    let list = t
        .call("GET", "/api/v1/document-templates", Some(&admin), None)
        .await
        .json();
    assert!(
        list["docx_placeholders"]
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p == "正文"))
    );

    // Reset: the shipped layout again; both changes are audited.
    let r = t.call("DELETE", path, Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.json()["docx"].is_null());
    let xml = docx_text(&t.call("GET", &doc, Some(&insp), None).await.body);
    assert!(
        xml.contains("责令限期整改指令书") && xml.contains("送 达 回 证"),
        "{xml}"
    );
    let audit = t
        .call(
            "GET",
            "/api/v1/audit?entity=document_template",
            Some(&admin),
            None,
        )
        .await
        .text();
    assert!(
        audit.contains("document_template.upload") && audit.contains("document_template.reset"),
        "{audit}"
    );
}

/// The 执法文书 panel of a hazard's page offers the service form for each document served on
/// the party; a refused form keeps what was typed; the 文书模板 page is the admin's.
#[tokio::test]
async fn service_is_recorded_from_the_hazard_page_and_templates_from_the_admin_page() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let hid = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "general", "source": "inspection",
            "description": "储罐区防火堤破损", "found_on": "2022-05-20"})))
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default();
    let d = t
        .call(
            "POST",
            "/api/v1/documents",
            Some(&insp),
            Some(json!({"doc_type": "rectification_order", "entity": "hazard", "entity_id": hid})),
        )
        .await
        .json();
    let id = d["id"].as_i64().unwrap_or_default();
    let (session, csrf) = t.web_login("zhifa").await;
    let page = t.page(&format!("/hazards/{hid}"), &session).await.text();
    let action = format!("action=\"/documents/{id}/service\"");
    assert!(
        page.contains(&action) && page.contains("送达地点"),
        "{page}"
    );
    let serve = format!("/documents/{id}/service");
    let r = t
        .form(
            &serve,
            &session,
            &[
                ("_csrf", &csrf),
                ("served_on", "2022-06-01"),
                ("served_to", "李四"),
                ("method", "飞鸽传书"),
                ("place", "车间门口"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("送达方式须为")
            && html.contains("value=\"李四\"")
            && html.contains("value=\"车间门口\"")
            && html.contains("value=\"2022-06-01\""),
        "{html}"
    );
    let r = t
        .form(
            &serve,
            &session,
            &[
                ("_csrf", &csrf),
                ("served_on", "2022-06-01"),
                ("served_to", "李四"),
                ("method", "留置送达"),
                ("place", "车间门口"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/hazards/{hid}").as_str())
    );
    let page = t.page(&format!("/hazards/{hid}"), &session).await.text();
    assert!(
        !page.contains(&action)
            && page.contains("2022年6月1日 留置送达 受送达人：李四（车间门口）"),
        "{page}"
    );
    // Served once: a second form is refused with the reason, typed values kept.
    let r = t
        .form(
            &serve,
            &session,
            &[
                ("_csrf", &csrf),
                ("served_on", "2022-06-01"),
                ("served_to", "王五"),
                ("method", "直接送达"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("已登记送达") && r.text().contains("value=\"王五\""));

    // The templates page: administrators only.
    assert_eq!(
        t.page("/document-templates", &session).await.status,
        StatusCode::FORBIDDEN
    );
    let (admin, _) = t.web_login("admin").await;
    let r = t.page("/document-templates", &admin).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("责令限期整改指令书")
            && html.contains("/api/v1/document-templates/penalty_decision/docx")
            && html.contains("enctype=\"multipart/form-data\"")
            && html.contains("{正文}"),
        "{html}"
    );
}
