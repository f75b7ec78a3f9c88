//! Forms with tables of rows (a plan's lines and key enterprises, a commission's items) and
//! the numbers of the enforcement forms: a cell that does not read is refused with its row and
//! column named in words, every row comes back as typed, rows are added and removed without
//! script, and what is saved from the rows reads back the same.

use crate::helpers::*;
use axum::http::{StatusCode, header};

fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The pairs as `form` takes them.
fn pairs(v: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    v.to_vec()
}

fn refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    v.iter().map(|(k, x)| (*k, x.as_str())).collect()
}

/// A plan form: its header and rows (sector, category, month, planned), then key enterprises.
fn plan_form(
    csrf: &str,
    year: &str,
    lines: &[[&str; 4]],
    keys: &[&str],
) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("_csrf", csrf.to_string()),
        ("year", year.to_string()),
        ("title", format!("{year}年度监督检查计划")),
        ("random_share_percent", "60".to_string()),
    ];
    for l in lines {
        v.push(("lines.sector", l[0].to_string()));
        v.push(("lines.category", l[1].to_string()));
        v.push(("lines.month", l[2].to_string()));
        v.push(("lines.planned", l[3].to_string()));
    }
    for k in keys {
        v.push(("keys.enterprise", k.to_string()));
    }
    pairs(&v)
}

/// How often `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[tokio::test]
async fn a_plan_is_drafted_from_rows_and_a_bad_cell_is_named_and_kept() {
    let t = spawn();
    let (s, csrf) = t.web_login("yingji").await;
    let page = t.page("/plans", &s).await.text();
    // Rows of labelled cells, sectors by name (only the department's own), no typed codes.
    assert!(
        page.contains(r#"<select name="lines.sector" aria-label="行业领域">"#)
            && page.contains(">危险化学品</option>")
            && page.contains(">非煤矿山</option>")
            && !page.contains(">消防</option>")
            && page.contains("添加一行")
            && !page.contains("hazchem|key"),
        "{page}"
    );
    assert_eq!(count(&page, r#"name="lines.month""#), 4, "four blank rows");

    // Row 2's month is none of the twelve: refused, named, and every row kept as typed.
    let bad = plan_form(
        &csrf,
        "2023",
        &[
            ["hazchem", "key", "6", "3"],
            ["mines", "general", "13", "5"],
            ["", "", "", ""],
        ],
        &[],
    );
    let r = t.form("/plans", &s, &refs(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("计划第2行的月份“13”不对，应为1至12月"),
        "{html}"
    );
    assert_eq!(
        count(&html, r#"<td class=" invalid"><select name="lines.month""#),
        1,
        "{html}"
    );
    for kept in [
        r#"<option value="hazchem" selected>"#,
        r#"<option value="mines" selected>"#,
        r#"<option value="key" selected>"#,
        r#"<option value="general" selected>"#,
        r#"<option value="6" selected>6月"#,
        r#"<option value="13" selected>13</option>"#,
        r#"aria-label="计划检查数" value="3""#,
        r#"aria-label="计划检查数" value="5""#,
        r#"value="2023年度监督检查计划""#,
    ] {
        assert!(html.contains(kept), "{kept} lost: {html}");
    }
    assert_eq!(
        count(&html, r#"name="lines.month""#),
        3,
        "the rows sent, blank one too"
    );

    // A count that is not a number is refused, never taken as 0.
    let bad = plan_form(&csrf, "2023", &[["hazchem", "key", "6", "abc"]], &[]);
    let r = t.form("/plans", &s, &refs(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("计划第1行的计划检查数“abc”不对")
            && html.contains(r#"aria-label="计划检查数" value="abc""#),
        "{html}"
    );

    // A key enterprise nobody can find is named by its row.
    let bad = plan_form(
        &csrf,
        "2023",
        &[["hazchem", "key", "6", "3"]],
        &["不存在的公司"],
    );
    let r = t.form("/plans", &s, &refs(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("重点企业第1行的企业：未找到名称含“不存在的公司”的企业")
            && html.contains(r#"value="不存在的公司""#),
        "{html}"
    );

    // 添加一行 and 删除 without script: the page again, the rows as typed, nothing saved.
    let mut more = plan_form(&csrf, "2023", &[["hazchem", "key", "6", "3"]], &[]);
    more.push(("_rows", "lines".into()));
    let r = t.form("/plans", &s, &refs(&more)).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert_eq!(count(&html, r#"name="lines.month""#), 2, "{html}");
    assert!(!html.contains("未办理"), "{html}");
    let mut fewer = plan_form(
        &csrf,
        "2023",
        &[["hazchem", "key", "6", "3"], ["mines", "general", "7", "9"]],
        &[],
    );
    fewer.push(("_drop", "lines.0".into()));
    let html = t.form("/plans", &s, &refs(&fewer)).await.text();
    assert_eq!(count(&html, r#"name="lines.month""#), 1);
    assert!(
        html.contains(r#"aria-label="计划检查数" value="9""#)
            && !html.contains(r#"aria-label="计划检查数" value="3""#),
        "{html}"
    );
    let api = t.token("yingji").await;
    let none = t
        .call("GET", "/api/v1/plans", Some(&api), None)
        .await
        .json();
    assert_eq!(
        none["items"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{none}"
    );

    // Saved from the rows (blank rows skipped, the enterprise picked by name), it reads back
    // the same through the API.
    let good = plan_form(
        &csrf,
        "2023",
        &[
            ["hazchem", "key", "6", "3"],
            ["", "", "", ""],
            ["mines", "general", "7", "5"],
        ],
        &["测试企业1有限公司"],
    );
    let r = t.form("/plans", &s, &refs(&good)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = location(&r);
    let id = loc.trim_start_matches("/plans/").to_string();
    let plan = t
        .call("GET", &format!("/api/v1/plans/{id}"), Some(&api), None)
        .await
        .json();
    assert_eq!(
        plan["lines"],
        serde_json::json!([
            {"sector": "hazchem", "category": "key", "month": 6, "planned": 3},
            {"sector": "mines", "category": "general", "month": 7, "planned": 5}
        ]),
        "{plan}"
    );
    assert_eq!(plan["key_enterprise_ids"], serde_json::json!([t.ids.a_haz]));
    // Its page lists the lines by name and offers the draft for revision, filled in.
    let page = t.page(&loc, &s).await.text();
    assert!(
        page.contains("<td>危险化学品</td><td>重点检查</td><td>6月</td>")
            && page.contains("8<small>次</small>")
            && page.contains("修改草稿")
            && page.contains(&format!(r#"value="测试企业1有限公司（{}）""#, uscc(1)))
            && page.contains(r#"<option value="mines" selected>"#),
        "{page}"
    );
    // A second plan for the same year is not taken as a revision of the first.
    let again = plan_form(&csrf, "2023", &[["hazchem", "key", "1", "1"]], &[]);
    let r = t.form("/plans", &s, &refs(&again)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("该部门2023年度的执法计划已经编制"));

    // Revised from its page: a bad cell is named there too, then the new rows are saved.
    let version = hidden(&page, "version");
    let mut revise = plan_form(&csrf, "2023", &[["hazchem", "key", "6", "-2"]], &[]);
    revise.push(("version", version.clone()));
    let r = t.form(&format!("{loc}/revise"), &s, &refs(&revise)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("计划第1行的计划检查数“-2”不对"));
    let mut revise = plan_form(&csrf, "2023", &[["hazchem", "key", "9", "4"]], &[]);
    revise.push(("version", version));
    let r = t.form(&format!("{loc}/revise"), &s, &refs(&revise)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let plan = t
        .call("GET", &format!("/api/v1/plans/{id}"), Some(&api), None)
        .await
        .json();
    assert_eq!(
        (
            plan["lines"].clone(),
            plan["key_enterprise_ids"].clone(),
            plan["version"].clone()
        ),
        (
            serde_json::json!([{"sector": "hazchem", "category": "key", "month": 9, "planned": 4}]),
            serde_json::json!([]),
            serde_json::json!(2)
        ),
        "{plan}"
    );
}

/// A commission form: header and items (code, name, basis, cap).
fn commission_form(csrf: &str, items: &[[&str; 4]]) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("_csrf", csrf.to_string()),
        ("region_code", TOWN_A.to_string()),
        ("agency", "测试市交通运输局".to_string()),
        ("agreement_no", "测交〔2022〕1号".to_string()),
        ("valid_from", "2022-01-01".to_string()),
        ("valid_to", "2022-12-31".to_string()),
    ];
    for i in items {
        v.push(("items.code", i[0].to_string()));
        v.push(("items.name", i[1].to_string()));
        v.push(("items.legal_basis", i[2].to_string()));
        v.push(("items.max_fine_yuan", i[3].to_string()));
    }
    v
}

#[tokio::test]
async fn commission_items_are_rows_named_when_refused() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    let page = t.page("/commissions", &s).await.text();
    assert!(
        page.contains(r#"name="items.max_fine_yuan""#)
            && page.contains(">临江镇</option>")
            && !page.contains("编码|名称"),
        "{page}"
    );
    // A cap that is no amount: refused with its row, the other rows kept.
    let bad = commission_form(
        &csrf,
        &[
            ["YG-01", "违规载客", "《道路运输条例》", "2000"],
            ["YG-02", "未随车携带证件", "", "两百"],
        ],
    );
    let r = t.form("/commissions", &s, &refs(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("委托事项第2行的罚款上限“两百”不对，应为金额（元）"),
        "{html}"
    );
    for kept in [
        r#"value="YG-01""#,
        r#"value="违规载客""#,
        r#"value="《道路运输条例》""#,
        r#"value="2000""#,
        r#"value="未随车携带证件""#,
        r#"value="两百""#,
        r#"value="测交〔2022〕1号""#,
    ] {
        assert!(html.contains(kept), "{kept} lost: {html}");
    }
    assert_eq!(
        count(
            &html,
            r#"<td class=" invalid"><input name="items.max_fine_yuan""#
        ),
        1
    );
    // The use case's refusal (a cap above 3000) lands on the row it concerns on the page.
    let over = commission_form(
        &csrf,
        &[["", "", "", ""], ["YG-01", "违规载客", "", "5000"]],
    );
    let r = t.form("/commissions", &s, &refs(&over)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("委托事项第2行：委托的简易程序罚款上限须在0至3000元之间")
            && !html.contains("items["),
        "{html}"
    );
    let good = commission_form(
        &csrf,
        &[
            ["YG-01", "违规载客", "《道路运输条例》", "2000"],
            ["YG-02", "未随车携带证件", "", "200"],
        ],
    );
    let r = t.form("/commissions", &s, &refs(&good)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page("/commissions", &s).await.text();
    assert!(
        page.contains("YG-02 未随车携带证件（≤200元）") && page.contains("<td>临江镇</td>"),
        "{page}"
    );
}

#[tokio::test]
async fn report_steps_refuse_numbers_that_do_not_read() {
    let t = spawn();
    let (s, csrf) = t.web_login("zhifa").await;
    // The enterprise is picked by name, as on the hazard form.
    let base = [
        ("_csrf", csrf.as_str()),
        ("channel", "12350热线"),
        ("category", "major_hazard"),
        ("content", "储罐区报警器关闭"),
        ("reporter_name", "李某"),
        ("reporter_phone", "13907951234"),
    ];
    let mut f = base.to_vec();
    f.push(("enterprise_id", "没有这家公司"));
    let r = t.form("/reports", &s, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("未找到名称含“没有这家公司”的企业") && html.contains(r#"value="李某""#),
        "{html}"
    );
    let mut f = base.to_vec();
    f.push(("enterprise_id", "测试企业1有限公司"));
    let r = t.form("/reports", &s, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = location(&r);
    let id = loc.trim_start_matches("/reports/");
    let api = t.token("zhifa").await;
    let rep = t
        .call("GET", &format!("/api/v1/reports/{id}"), Some(&api), None)
        .await
        .json();
    assert_eq!(
        rep["enterprise_id"],
        serde_json::json!(t.ids.a_haz),
        "{rep}"
    );
    // A case number that does not read is refused and named, not dropped (the reward would
    // have been reckoned from no fine); the rest of the step is kept.
    let r = t
        .form(
            &format!("{loc}/act"),
            &s,
            &[
                ("_csrf", &csrf),
                ("action", "verify"),
                ("outcome", "verified"),
                ("note", "现场核实属实"),
                ("case_id", "第3号"),
                ("date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("关联案件编号应为整数")
            && html.contains(r#"value="现场核实属实""#)
            && html.contains(r#"value="第3号""#),
        "{html}"
    );
    let rep = t
        .call("GET", &format!("/api/v1/reports/{id}"), Some(&api), None)
        .await
        .json();
    assert_eq!(rep["status"], "received", "nothing recorded: {rep}");
}

#[tokio::test]
async fn the_draw_form_refuses_counts_that_do_not_read() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    let r = t
        .form(
            "/draws",
            &s,
            &[
                ("_csrf", &csrf),
                ("title", "危化企业随机抽查"),
                ("sector", "hazchem"),
                ("key_quota", "两家"),
                ("ratio_percent", "5"),
                ("team_size", "2"),
                ("exclude_inspected_days", "90"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("重点企业抽取数应为整数")
            && html.contains(r#"value="两家""#)
            && html.contains(r#"value="危化企业随机抽查""#),
        "{html}"
    );
}
