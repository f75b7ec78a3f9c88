//! Target-responsibility letters (issue 15): the 安委办 registers them, each counterpart reads
//! its own (others answer 404), a refused letter names the field (an indicator's by its row),
//! the signed scan is checked by content and size, and the report's figures drill down to
//! exactly the letters.

use crate::helpers::*;
use axum::http::{StatusCode, header};
use serde_json::{Value, json};

fn letter(kind: &str, extra: Value, signed: &str) -> Value {
    let mut v = json!({
        "year": 2022,
        "issuer": "市人民政府",
        "counterpart_kind": kind,
        "title": "2022年度安全生产目标管理责任状",
        "signed_on": signed,
        "indicators": [
            {"text": "不发生较大及以上生产安全事故"},
            {"text": "全年排查隐患不少于5条", "metric": "hazards.found", "comparator": "ge", "target": 5},
        ]
    });
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        for (k, x) in e {
            o.insert(k.clone(), x.clone());
        }
    }
    v
}

async fn create(t: &TestApp, admin: &str, body: Value) -> i64 {
    let r = t
        .call("POST", "/api/v1/letters", Some(admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap_or_default()
}

async fn ids(t: &TestApp, token: &str, path: &str) -> Vec<i64> {
    let r = t.call("GET", path, Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// Letters with town A (twice), town B, the 应急局 and enterprise a_haz: their ids.
async fn five_letters(t: &TestApp, admin: &str) -> [i64; 5] {
    let dept = t.user("yingji").department_id.unwrap_or_default();
    [
        create(
            t,
            admin,
            letter("township", json!({"township_code": TOWN_A}), "2022-02-10"),
        )
        .await,
        create(
            t,
            admin,
            letter("township", json!({"township_code": TOWN_B}), "2022-02-11"),
        )
        .await,
        create(
            t,
            admin,
            letter("department", json!({"department_id": dept}), "2022-02-12"),
        )
        .await,
        create(
            t,
            admin,
            letter(
                "enterprise",
                json!({"enterprise_id": t.ids.a_haz}),
                "2022-03-01",
            ),
        )
        .await,
        create(
            t,
            admin,
            letter("township", json!({"township_code": TOWN_A}), "2022-05-01"),
        )
        .await,
    ]
}

#[tokio::test]
async fn a_refused_letter_names_the_field_and_the_indicator_row() {
    let t = spawn();
    let admin = t.token("admin").await;
    let mut bad = letter("township", json!({}), "2022-02-10");
    bad["indicators"][1]["target"] = Value::Null;
    bad["indicators"].as_array_mut().unwrap().push(
        json!({"text": "隐患整改率", "metric": "hazards.no_such", "comparator": ">", "target": 90}),
    );
    let r = t
        .call("POST", "/api/v1/letters", Some(&admin), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let fields = r.json()["fields"].clone();
    for f in [
        "township_code",
        "indicators[1].target",
        "indicators[2].metric",
        "indicators[2].comparator",
    ] {
        assert!(fields[f].is_array(), "{f}: {fields}");
    }
    assert!(
        fields["indicators[1].target"][0]
            .as_str()
            .is_some_and(|m| m.contains("第2项指标")),
        "{fields}"
    );
    // Nothing was written.
    assert!(ids(&t, &admin, "/api/v1/letters").await.is_empty());
    // Only the 安委办 registers letters.
    for who in ["leader", "town_a", "yingji"] {
        let tok = t.token(who).await;
        let r = t
            .call(
                "POST",
                "/api/v1/letters",
                Some(&tok),
                Some(letter(
                    "township",
                    json!({"township_code": TOWN_A}),
                    "2022-02-10",
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.text());
    }
}

#[tokio::test]
async fn each_counterpart_reads_its_own_letters_and_the_figures_drill_to_them() {
    let t = spawn();
    let admin = t.token("admin").await;
    let [ta, tb, d, ent, ta2] = five_letters(&t, &admin).await;
    let all = ids(&t, &admin, "/api/v1/letters").await;
    assert_eq!(all, vec![ta2, ent, d, tb, ta]);
    let leader = t.token("leader").await;
    assert_eq!(ids(&t, &leader, "/api/v1/letters").await, all);
    // A township: its own two, and the others answer as missing.
    let town = t.token("town_a").await;
    assert_eq!(ids(&t, &town, "/api/v1/letters").await, vec![ta2, ta]);
    for other in [tb, d, ent] {
        let r = t
            .call(
                "GET",
                &format!("/api/v1/letters/{other}"),
                Some(&town),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{other}");
    }
    // A department's users: their department's; an enterprise: its own; a stationed
    // supervisor: none.
    for who in ["yingji", "zhifa"] {
        let tok = t.token(who).await;
        assert_eq!(ids(&t, &tok, "/api/v1/letters").await, vec![d], "{who}");
    }
    let qiye = t.token("qiye").await;
    assert_eq!(ids(&t, &qiye, "/api/v1/letters").await, vec![ent]);
    let r = t
        .call("GET", &format!("/api/v1/letters/{ta}"), Some(&qiye), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let paizhu = t.token("paizhu").await;
    assert!(ids(&t, &paizhu, "/api/v1/letters").await.is_empty());
    // Filters.
    assert_eq!(
        ids(&t, &admin, "/api/v1/letters?kind=township&year=2022").await,
        vec![ta2, tb, ta]
    );
    let r = t
        .call("GET", "/api/v1/letters?kind=person", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["kind"].is_array());
    // The letter's page tracks its indicators.
    let v = t
        .call("GET", &format!("/api/v1/letters/{ta}"), Some(&town), None)
        .await
        .json();
    assert_eq!(v["indicators"][0]["grade_label"], "人工跟踪");
    assert_eq!(v["indicators"][1]["grade"], "at_risk", "{v}");
    assert_eq!(v["indicators"][1]["value"], 0.0);
    // The report's figures: counterparts, each by its first letter.
    let drill = |id: &'static str| {
        let t = &t;
        let admin = admin.clone();
        async move {
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/metrics/{id}?period=2022"),
                    Some(&admin),
                    None,
                )
                .await
                .json();
            let mut rows: Vec<i64> = r["records"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .inspect(|x| assert_eq!(x["entity"], "letter"))
                        .filter_map(|x| x["entity_id"].as_i64())
                        .collect()
                })
                .unwrap_or_default();
            rows.sort_unstable();
            (r["metric"]["raw"].as_i64(), rows)
        }
    };
    assert_eq!(drill("letters.townships").await, (Some(2), vec![ta, tb]));
    assert_eq!(drill("letters.departments").await, (Some(1), vec![d]));
    assert_eq!(drill("letters.enterprises").await, (Some(1), vec![ent]));
    // The ledger.
    let r = t
        .call(
            "GET",
            "/api/v1/letters/export?kind=township",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));
    // Revise and delete: versions checked; only the 安委办.
    let l = t
        .call("GET", &format!("/api/v1/letters/{tb}"), Some(&admin), None)
        .await
        .json();
    let mut again = letter("township", json!({"township_code": TOWN_B}), "2022-02-11");
    again["title"] = json!("修订后的责任状");
    again["version"] = l["version"].clone();
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/letters/{tb}"),
            Some(&admin),
            Some(again.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/letters/{tb}"),
            Some(&admin),
            Some(again),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .call(
            "DELETE",
            &format!("/api/v1/letters/{tb}?version=2"),
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "DELETE",
            &format!("/api/v1/letters/{tb}?version=2"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(drill("letters.townships").await, (Some(1), vec![ta]));
}

#[tokio::test]
async fn the_signed_scan_is_a_pdf_or_an_image_within_the_limit() {
    let t = spawn();
    let admin = t.token("admin").await;
    let id = create(
        &t,
        &admin,
        letter("township", json!({"township_code": TOWN_A}), "2022-02-10"),
    )
    .await;
    let url = format!("/api/v1/letters/{id}/scan");
    let up = |name: &'static str, data: Vec<u8>| {
        let t = &t;
        let url = url.clone();
        let admin = admin.clone();
        async move {
            let (ct, body) = crate::hazards::multipart(&[("file", Some(name), &data)]);
            t.raw("POST", &url, Some(&admin), &ct, body).await
        }
    };
    // A Word document is evidence elsewhere, not a signed scan; an executable is nothing.
    let r = up("责任状.docx", b"PK\x03\x04rest".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["file"].is_array());
    let r = up("责任状.pdf", b"MZ\x90\x00\x03".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["fields"]["file"].is_array());
    let big: Vec<u8> = [
        b"%PDF-".as_slice(),
        &vec![0u8; anjian_domain::files::MAX_FILE_BYTES + 300_000],
    ]
    .concat();
    let r = up("big.pdf", big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    // None of them stuck.
    let town = t.token("town_a").await;
    let r = t.call("GET", &url, Some(&town), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A photograph of the signed page does.
    let jpeg: Vec<u8> = [b"\xFF\xD8\xFF\xE0".as_slice(), &[9u8; 500]].concat();
    let r = up("签字页.jpg", jpeg.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["content_type"], "image/jpeg");
    // The township reads its scan; the enterprise user cannot; the township cannot upload.
    let r = t.call("GET", &url, Some(&town), None).await;
    assert_eq!((r.status, r.body), (StatusCode::OK, jpeg.clone()));
    let qiye = t.token("qiye").await;
    assert_eq!(
        t.call("GET", &url, Some(&qiye), None).await.status,
        StatusCode::NOT_FOUND
    );
    let (ct, body) = crate::hazards::multipart(&[("file", Some("a.jpg"), &jpeg)]);
    assert_eq!(
        t.raw("POST", &url, Some(&town), &ct, body).await.status,
        StatusCode::FORBIDDEN
    );
}

fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_letter_form_keeps_every_indicator_row_when_refused() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let page = t.page("/letters/new", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("name=\"ind_text\""));
    let mut pairs: Vec<(&str, &str)> = vec![
        ("_csrf", csrf.as_str()),
        ("year", "2022"),
        ("issuer", "市人民政府"),
        ("counterpart_kind", "township"),
        ("township_code", TOWN_A),
        ("department_id", ""),
        ("enterprise_id", ""),
        ("title", "2022年度安全生产目标管理责任状"),
        ("signed_on", "2022-02-10"),
        ("note", ""),
    ];
    let rows: [[&str; 5]; 3] = [
        ["不发生较大及以上生产安全事故", "", "", "", ""],
        ["全年排查隐患不少于五条", "hazards.found", "ge", "", ""],
        ["", "", "", "", ""],
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
    // The use case refuses row 2 (no target): the page comes back with every row as typed.
    let r = t.form("/letters", &session, &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("第2项指标：请填写目标值"), "{html}");
    assert!(html.contains("value=\"不发生较大及以上生产安全事故\""));
    assert!(html.contains("value=\"全年排查隐患不少于五条\""));
    assert!(html.contains("<option value=\"hazards.found\" selected>"));
    assert!(html.contains("value=\"2022年度安全生产目标管理责任状\""));
    // A target that is not a number is refused by the page itself, naming the row.
    let mut typed = pairs.clone();
    let at = typed
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| *k == "ind_target")
        .map(|(i, _)| i)
        .nth(1)
        .unwrap();
    typed[at].1 = "五";
    let r = t.form("/letters", &session, &typed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("第2项指标：目标值应为数字"));
    assert!(r.text().contains("value=\"五\""));
    // Filled in, it is registered and its page shows the tracking.
    typed[at].1 = "5";
    let r = t.form("/letters", &session, &typed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = location(&r);
    assert!(to.starts_with("/letters/"), "{to}");
    let page = t.page(&to, &session).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("人工跟踪") && html.contains("有风险"),
        "{html}"
    );
    // The list, the edit form and a township's view of it.
    assert_eq!(t.page("/letters", &session).await.status, StatusCode::OK);
    assert_eq!(
        t.page(&format!("{to}/edit"), &session).await.status,
        StatusCode::OK
    );
    let (town, _) = t.web_login("town_a").await;
    let r = t.page("/letters", &town).await;
    assert!(r.text().contains("临江镇"));
    assert_eq!(t.page(&to, &town).await.status, StatusCode::OK);
    assert_eq!(
        t.page("/letters/new", &town).await.status,
        StatusCode::FORBIDDEN
    );
    // Every role whose menu has the list reads it (an enterprise its own, from its menu).
    for (who, sees_it) in [
        ("leader", true),
        ("yingji", false),
        ("zhifa", false),
        ("qiye", false),
    ] {
        let (s, _) = t.web_login(who).await;
        let r = t.page("/letters", &s).await;
        assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
        assert!(r.text().contains("临江镇") == sees_it, "{who}");
    }
}
