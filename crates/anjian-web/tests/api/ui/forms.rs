//! Refused forms come back as typed: every value still in its field, the refused field marked
//! (`invalid`) with its message in words; and the rules the forms enforce (every checklist item
//! answered, a past deadline confirmed, evidence before a report).

use crate::helpers::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A hazard registered and ordered through the API; its id.
pub(crate) async fn ordered_hazard(t: &TestApp) -> i64 {
    let insp = t.token("zhifa").await;
    let h = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem",
                "level": "general", "source": "inspection", "description": "储罐区报警器失效", "found_on": "2022-05-30"})),
        )
        .await;
    assert_eq!(h.status, StatusCode::CREATED, "{}", h.text());
    h.json()["id"].as_i64().unwrap_or_default()
}

/// A multipart upload from the page, with the session cookie.
pub(crate) async fn upload(
    t: &TestApp,
    path: &str,
    session: &str,
    parts: &[(&str, Option<&str>, &[u8])],
) -> Resp {
    let (ct, body) = crate::hazards::multipart(parts);
    t.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, ct)
            .header(header::COOKIE, format!("anjian_session={session}"))
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_checklist_starts_unanswered_and_a_refused_inspection_keeps_every_answer() {
    let t = spawn();
    // The registry knows the enterprise's licence expired before the inspection.
    let admin = t.token("admin").await;
    let e = t
        .call(
            "GET",
            &format!("/api/v1/enterprises/{}", t.ids.a_haz),
            Some(&admin),
            None,
        )
        .await
        .json();
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprises/{}", t.ids.a_haz),
            Some(&admin),
            Some(
                json!({"name": e["name"], "uscc": e["uscc"], "region_code": e["region_code"],
                "sectors": e["sectors"], "version": e["version"],
                "licences": [{"kind": "危险化学品经营许可证", "number": "赣危化经字〔2019〕0001号",
                              "valid_from": "2019-05-01", "valid_to": "2022-05-01"}]}),
            ),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let (session, csrf) = t.web_login("zhifa").await;
    let tpl = off_runtime(|| {
        t.app
            .store_for_tests()
            .list_templates(Some("hazchem"))
            .unwrap_or_default()
    });
    let tid = tpl[0].id.to_string();
    let ent = t.ids.a_haz.to_string();
    let zf = t.user("zhifa").id.to_string();
    let page = t
        .page(
            &format!("/inspections/new?template_id={tid}&enterprise_id={ent}"),
            &session,
        )
        .await
        .text();
    // Nothing is answered beforehand.
    assert!(!page.contains("checked"), "{page}");
    // The expired licence is shown at the top and beside the licence item.
    assert!(
        page.contains("登记信息提示") && page.contains("已于2022-05-01过期"),
        "{page}"
    );
    let beside = page
        .split("安全生产许可证、危险化学品经营许可证在有效期内")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_default();
    assert!(beside.contains("已于2022-05-01过期"), "{beside}");
    // Items 3–5 unanswered: refused, each named in words, everything typed kept.
    let r = t
        .form(
            "/inspections/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("template_id", &tid),
                ("enterprise_id", &ent),
                ("site", "一号储罐区"),
                ("sector", "hazchem"),
                ("kind", "special"),
                ("inspected_on", "2022-05-31"),
                ("officer_ids", &zf),
                ("inspectors", "杨帆,刘芳"),
                ("enforcement", "on"),
                ("result.1", "fail"),
                ("note.1", "许可证已过期"),
                ("result.2", "na"),
                ("findings", "消防通道堵塞\n应急预案未演练"),
                ("summary", "总体一般"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    for kept in [
        r#"value="一号储罐区""#,
        r#"value="special" selected"#,
        r#"value="2022-05-31""#,
        r#"value="杨帆,刘芳""#,
        r#"name="enforcement" checked"#,
        &format!(r#"name="officer_ids" value="{zf}" checked"#),
        r#"name="result.1" value="fail" checked"#,
        r#"name="result.2" value="na" checked"#,
        r#"value="许可证已过期""#,
        "消防通道堵塞\n应急预案未演练",
        "总体一般",
    ] {
        assert!(html.contains(kept), "{kept} lost: {html}");
    }
    assert!(
        html.contains("检查表第3项") && html.contains("尚未作答"),
        "{html}"
    );
    // One officer is not two: said beside the roster, in words.
    assert!(html.contains("两名以上持有效执法证的执法人员"), "{html}");
    assert!(!html.contains("检查表第1项"), "{html}");
    assert!(html.contains(r#"class="answers invalid""#), "{html}");
    assert!(!html.contains("results."), "{html}");
    // All answered: saved.
    let mut all = vec![
        ("_csrf", csrf.as_str()),
        ("template_id", tid.as_str()),
        ("enterprise_id", ent.as_str()),
        ("sector", "hazchem"),
        ("kind", "special"),
        ("inspected_on", "2022-05-31"),
        ("inspectors", "杨帆,刘芳"),
    ];
    let codes: Vec<String> = (1..=tpl_len(&tpl[0].items))
        .map(|n| format!("result.{n}"))
        .collect();
    for c in &codes {
        all.push((c.as_str(), "pass"));
    }
    let r = t.form("/inspections/new", &session, &all).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

fn tpl_len(items: &str) -> usize {
    serde_json::from_str::<Vec<serde_json::Value>>(items)
        .map(|v| v.len())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_refused_hazard_step_keeps_its_form_and_names_the_field_in_words() {
    let t = spawn();
    let id = ordered_hazard(&t).await;
    let (session, csrf) = t.web_login("zhifa").await;
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    let version = hidden(&page, "version");
    let r = t
        .form(
            &format!("/hazards/{id}/act"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", &version),
                ("action", "order"),
                ("deadline_days", "五天"),
                ("deadline_basis", "working_days"),
                ("note", "限期更换报警器"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("整改天数应为整数"), "{html}");
    assert!(!html.contains("deadline_days 应为"), "{html}");
    assert!(
        html.contains(r#"value="五天""#)
            && html.contains(r#"value="working_days" selected"#)
            && html.contains(r#"value="限期更换报警器""#),
        "{html}"
    );
    assert!(html.contains(r#"class=" invalid""#), "{html}");
    // An ordering deadline before today is refused, saying so.
    let r = t
        .form(
            &format!("/hazards/{id}/act"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", &version),
                ("action", "order"),
                ("deadline", "2022-05-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("整改期限不能早于今天"), "{}", r.text());
}

#[tokio::test]
async fn a_refused_upload_keeps_the_note_and_asks_for_the_file_again() {
    let t = spawn();
    let id = ordered_hazard(&t).await;
    let (session, csrf) = t.web_login("zhifa").await;
    let r = upload(
        &t,
        &format!("/hazards/{id}/upload"),
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("note", None, "整改前照片".as_bytes()),
            ("file", Some("说明.exe"), b"MZ\x90\x00not a photo"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains(r#"value="整改前照片""#), "{html}");
    assert!(html.contains("请重新选择文件"), "{html}");
    assert!(!html.contains("file："), "{html}");
    // No file chosen at all: the same.
    let r = upload(
        &t,
        &format!("/hazards/{id}/upload"),
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("note", None, "整改后照片".as_bytes()),
            ("file", Some(""), b""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains(r#"value="整改后照片""#) && html.contains("请选择要上传的文件"),
        "{html}"
    );
}

#[tokio::test]
async fn a_report_needs_evidence_unless_the_county_says_otherwise_and_times_read_local() {
    let t = spawn();
    let id = ordered_hazard(&t).await;
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            &format!("/api/v1/hazards/{id}/actions"),
            Some(&insp),
            Some(json!({"action": "order", "deadline": "2022-06-30"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let qiye = t.token("qiye").await;
    let r = t
        .call(
            "POST",
            &format!("/api/v1/hazards/{id}/actions"),
            Some(&qiye),
            Some(json!({"action": "start"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (session, csrf) = t.web_login("qiye").await;
    let report = |version: String| {
        vec![
            ("_csrf".to_string(), csrf.clone()),
            ("version".to_string(), version),
            ("action".to_string(), "report".to_string()),
            ("funds_spent".to_string(), "3500".to_string()),
            ("note".to_string(), "已更换报警器".to_string()),
        ]
    };
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    assert!(
        page.contains("须附照片，或先在下方“佐证材料”上传"),
        "{page}"
    );
    let pairs = report(hidden(&page, "version"));
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = t
        .form(&format!("/hazards/{id}/act"), &session, &pairs)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("报告整改完成须附整改佐证材料"), "{html}");
    assert!(
        html.contains(r#"value="3500""#) && html.contains(r#"value="已更换报警器""#),
        "{html}"
    );
    // Evidence uploaded at 09:00 China time (01:00 UTC): shown in local time.
    let jpeg: Vec<u8> = [b"\xFF\xD8\xFF\xE0".as_slice(), &[7u8; 500]].concat();
    let r = upload(
        &t,
        &format!("/hazards/{id}/upload"),
        &session,
        &[
            ("_csrf", None, csrf.as_bytes()),
            ("note", None, "整改后照片".as_bytes()),
            ("file", Some("整改后.jpg"), &jpeg),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    assert!(page.contains("<td>2022-06-01 09:00</td>"), "{page}");
    assert!(!page.contains("T01:00"), "{page}");
    let pairs = report(hidden(&page, "version"));
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = t
        .form(&format!("/hazards/{id}/act"), &session, &pairs)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // With the rule off, a report without evidence is taken (API too).
    let admin = t.token("admin").await;
    let r = t
        .call(
            "PUT",
            "/api/v1/settings/hazard_report_requires_evidence",
            Some(&admin),
            Some(json!({"value": "false"})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let other = ordered_hazard(&t).await;
    for a in [
        json!({"action": "order", "deadline": "2022-06-30"}),
        json!({"action": "start"}),
        json!({"action": "report"}),
    ] {
        let who = if a["action"] == "order" {
            &insp
        } else {
            &t.token("qiye").await
        };
        let r = t
            .call(
                "POST",
                &format!("/api/v1/hazards/{other}/actions"),
                Some(who),
                Some(a),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
}

#[tokio::test]
async fn a_past_deadline_at_registration_needs_confirmation() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let ent = t.ids.a_haz.to_string();
    let base = [
        ("_csrf", csrf.as_str()),
        ("level", "general"),
        ("source", "inspection"),
        ("region_code", VILLAGE_A1),
        ("sector", "hazchem"),
        ("found_on", "2022-05-20"),
        ("deadline", "2022-05-25"),
        ("description", "补录：5月20日检查发现的配电箱未接地"),
        ("location", "配电房"),
        ("enterprise_id", ent.as_str()),
    ];
    let r = t.form("/hazards/new", &session, &base).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("整改期限早于今天") && html.contains("确认整改期限早于今天"),
        "{html}"
    );
    assert!(
        html.contains("补录：5月20日检查发现的配电箱未接地")
            && html.contains(r#"value="配电房""#)
            && html.contains(r#"value="2022-05-25""#),
        "{html}"
    );
    let mut confirmed = base.to_vec();
    confirmed.push(("confirm_past_deadline", "1"));
    let r = t.form("/hazards/new", &session, &confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(location(&r).starts_with("/hazards/"));
}

/// One form: (user, path, the pairs sent with one bad field, what must still show).
type Row<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, Vec<&'a str>);

#[tokio::test]
async fn list_forms_keep_what_was_typed() {
    let t = spawn();
    let cases: Vec<Row> = vec![
        (
            "zhifa",
            "/transfers",
            vec![
                ("case_id", "第一号"),
                ("subject", "某化工公司张某"),
                ("facts", "无证经营危化品"),
                ("officers", "杨帆、刘芳"),
                ("persons", "2"),
            ],
            vec![
                r#"value="某化工公司张某""#,
                r#"value="无证经营危化品""#,
                r#"value="杨帆、刘芳""#,
                r#"value="2""#,
                "案件编号应为整数",
            ],
        ),
        (
            "zhifa",
            "/cases",
            vec![
                ("procedure", "general"),
                ("party_kind", "organisation"),
                ("party_name", "某某化工有限公司"),
                ("fine_yuan", "20000"),
                ("facts", "未按规定设置报警装置"),
                ("legal_basis", "《安全生产法》第九十九条"),
                ("officers", "杨帆"),
                ("complex", "on"),
            ],
            vec![
                r#"value="某某化工有限公司""#,
                r#"value="20000""#,
                r#"value="未按规定设置报警装置""#,
                r#"value="杨帆""#,
                r#"name="complex" checked"#,
            ],
        ),
        (
            "zhifa",
            "/reports",
            vec![
                ("channel", "信件"),
                ("category", "general"),
                ("content", ""),
                ("reporter_name", "王某某"),
                ("reporter_phone", "13800000000"),
                ("is_employee", "1"),
            ],
            vec![
                r#"value="王某某""#,
                r#"value="13800000000""#,
                r#"selected>信件"#,
                r#"name="is_employee" value="1" checked"#,
            ],
        ),
        (
            "zhifa",
            "/work-records",
            vec![
                ("done_on", "2022-05-30"),
                ("region_code", VILLAGE_A1),
                ("quantity", "三次"),
                ("place", "枫林村委会"),
                ("note", "夜查"),
            ],
            vec![
                r#"value="2022-05-30""#,
                r#"value="枫林村委会""#,
                r#"value="夜查""#,
                r#"value="三次""#,
                "数量应为整数",
            ],
        ),
        (
            "admin",
            "/sectors",
            vec![
                ("code", "Bad Code"),
                ("name", "测试领域"),
                ("description", "新设的行业领域"),
                ("sort_order", "50"),
                ("active", "off"),
            ],
            vec![
                r#"value="Bad Code""#,
                r#"value="测试领域""#,
                r#"value="新设的行业领域""#,
                r#"value="50""#,
                r#"value="off" selected"#,
            ],
        ),
        (
            "admin",
            "/campaigns",
            vec![
                ("code", ""),
                ("name", "百日攻坚行动"),
                ("starts_on", "2022-06-01"),
                ("ends_on", "2022-05-01"),
                ("units", "各乡镇"),
                ("description", "夏季专项"),
            ],
            vec![
                r#"value="百日攻坚行动""#,
                r#"value="2022-06-01""#,
                r#"value="2022-05-01""#,
                "各乡镇",
                "夏季专项",
            ],
        ),
        (
            "admin",
            "/commissions",
            vec![
                ("region_code", TOWN_A),
                ("agency", "某镇人民政府"),
                ("agreement_no", "委托〔2022〕1号"),
                ("items", ""),
                ("valid_from", "2022-01-01"),
                ("valid_to", "2022-12-31"),
            ],
            vec![
                r#"value="某镇人民政府""#,
                r#"value="委托〔2022〕1号""#,
                r#"value="2022-01-01""#,
                r#"value="2022-12-31""#,
            ],
        ),
    ];
    for (user, path, pairs, kept) in cases {
        let (session, csrf) = t.web_login(user).await;
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend(pairs.iter().copied());
        let r = t.form(path, &session, &all).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.text()
        );
        let html = r.text();
        for k in kept {
            assert!(html.contains(k), "{path}: {k} lost in {html}");
        }
        assert!(
            html.contains("invalid"),
            "{path}: no field marked in {html}"
        );
        // Field codes never reach the page as words.
        for code in ["case_id 应为", "quantity", "days[", "items[", "_yuan："] {
            assert!(
                !html.contains(&format!(">{code}")),
                "{path}: {code} in {html}"
            );
        }
    }
}
