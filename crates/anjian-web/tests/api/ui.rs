//! UI flows: login, CSRF, forms with field messages, pages.

use crate::helpers::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn anonymous_pages_redirect_to_login() {
    let t = spawn();
    let r = t
        .send(
            Request::get("/enterprises?sector=fire")
                .body(Body::empty())
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(loc.starts_with("/login?next=%2Fenterprises"), "{loc}");
    let r = t
        .send(
            Request::get("/login")
                .body(Body::empty())
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("安全生产综合监管平台"));
}

#[tokio::test]
async fn login_form_needs_its_csrf_cookie_and_right_password() {
    let t = spawn();
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "_csrf=x&username=admin&password={PASSWORD}"
                )))
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("页面已过期"));
    assert!(set_cookie(&r.headers, "anjian_session").is_none());
    let page = t
        .send(
            Request::get("/login")
                .body(Body::empty())
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
    let cookie = set_cookie(&page.headers, "anjian_login_csrf").unwrap_or_default();
    let csrf = hidden(&page.text(), "_csrf");
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_login_csrf={cookie}"))
                .body(Body::from(format!(
                    "_csrf={csrf}&username=admin&password=wrong"
                )))
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("用户名或密码错误"));
    // A successful login sets an HttpOnly, SameSite session cookie.
    let (session, _) = t.web_login("admin").await;
    assert_eq!(session.len(), 64);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_logout_ends_it() {
    let t = spawn();
    let page = t
        .send(
            Request::get("/login")
                .body(Body::empty())
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
    let cookie = set_cookie(&page.headers, "anjian_login_csrf").unwrap_or_default();
    let csrf = hidden(&page.text(), "_csrf");
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_login_csrf={cookie}"))
                .body(Body::from(format!(
                    "_csrf={csrf}&next=%2F%2Fevil.example&username=admin&password={PASSWORD}"
                )))
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
    assert_eq!(
        r.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/"),
        "no open redirect"
    );
    let sc: Vec<String> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let s = sc
        .iter()
        .find(|c| c.starts_with("anjian_session="))
        .cloned()
        .unwrap_or_default();
    assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax"), "{s}");
    let (session, csrf) = t.web_login("leader").await;
    // Logout without the CSRF token is refused; with it, the session ends.
    let r = t.form("/logout", &session, &[("_csrf", "wrong")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.form("/logout", &session, &[("_csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.page("/", &session).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn enterprise_form_reports_fields_and_writes_nothing_on_error() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let form = t.page("/enterprises/new", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("统一社会信用代码"));
    let count = || {
        off_runtime(|| {
            t.app
                .store_for_tests()
                .count_enterprises(&anjian_domain::Scope::system(), &Default::default())
                .unwrap_or(-1)
        })
    };
    let before = count();
    let r = t
        .form(
            "/enterprises/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("name", "新企业"),
                ("uscc", "911100001000013410"),
                ("region_code", VILLAGE_A1),
                ("principal_id_no", "360982198506151230"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("校验位不符"), "uscc message");
    assert!(html.contains("身份证号码校验位不符"), "id message");
    assert!(html.contains("请至少选择一个行业领域"), "sector message");
    assert!(html.contains("value=\"新企业\""), "values kept");
    assert_eq!(count(), before);
    // Without the CSRF token nothing happens either.
    let r = t.form("/enterprises/new", &session, &[("name", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A correct form creates the enterprise and redirects to it.
    let u = uscc(900);
    let r = t
        .form(
            "/enterprises/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("name", "新企业有限公司"),
                ("uscc", &u),
                ("region_code", VILLAGE_A1),
                ("sectors", "fire"),
                ("sectors", "hazchem"),
                ("status", "operating"),
                ("licences[0].kind", "危险化学品经营许可证"),
                ("licences[0].number", "赣清危化经字〔2022〕0001号"),
                ("licences[0].valid_from", "2022-01-01"),
                ("licences[0].valid_to", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let detail = t.page(&loc, &session).await;
    assert_eq!(detail.status, StatusCode::OK);
    let html = detail.text();
    assert!(
        html.contains("新企业有限公司")
            && html.contains("危险化学品经营许可证")
            && html.contains("已保存")
    );
}

#[tokio::test]
async fn admin_pages_render_and_work() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    for p in [
        "/",
        "/enterprises",
        "/regions",
        "/departments",
        "/sectors",
        "/users",
        "/audit",
        "/audit?verify=1",
        "/departments/new",
    ] {
        let r = t.page(p, &session).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
    }
    assert!(
        t.page("/audit?verify=1", &session)
            .await
            .text()
            .contains("哈希链完整")
    );
    // Create a user through the form; a weak password is refused with a field message.
    let r = t
        .form(
            "/users",
            &session,
            &[
                ("_csrf", &csrf),
                ("username", "new.user"),
                ("role", "leader"),
                ("region_code", COUNTY),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("密码至少8位"));
    let r = t
        .form(
            "/users",
            &session,
            &[
                ("_csrf", &csrf),
                ("username", "new.user"),
                ("role", "leader"),
                ("region_code", COUNTY),
                ("password", "Secret2022"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Regions form with a bad code shows the rule.
    let r = t
        .form(
            "/regions",
            &session,
            &[
                ("_csrf", &csrf),
                ("code", "360982100700"),
                ("name", "x"),
                ("parent_code", TOWN_A),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("村级代码范围"));
    // Department form: assign a newly designated industry with its decision.
    let id = t.ids.dept_fire;
    let r = t
        .form(
            &format!("/departments/{id}/edit"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", "1"),
                ("name", "测试市消防救援大队"),
                ("is_member_unit", "on"),
                ("sector.fire", "on"),
                ("sector.e_salute", "on"),
                ("decision_no.e_salute", "测府办字〔2022〕18号"),
                ("decided_on.e_salute", "2022-03-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t.page("/departments", &session).await.text();
    assert!(html.contains("测府办字〔2022〕18号"));
}

#[tokio::test]
async fn hazard_pages_and_actions_through_forms() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let form = t.page("/hazards/new", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    // Missing description and a future date: field messages, nothing written.
    let r = t
        .form(
            "/hazards/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("level", "general"),
                ("source", "inspection"),
                ("region_code", VILLAGE_A1),
                ("sector", "hazchem"),
                ("found_on", "2030-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("隐患描述不能为空") && html.contains("发现日期不能晚于今天"),
        "{html}"
    );
    // The ledger's total, read before the hazard exists (and kept while nothing changes),
    // must count it as soon as it is written.
    let total = |html: String| -> Option<u64> {
        let at = html.find("共 ")? + "共 ".len();
        html[at..].split(' ').next()?.parse().ok()
    };
    let before = total(t.page("/hazards?sector=hazchem", &session).await.text());
    assert!(before.is_some());
    assert_eq!(
        before,
        total(t.page("/hazards?sector=hazchem", &session).await.text())
    );
    let ent = t.ids.a_haz.to_string();
    let r = t
        .form(
            "/hazards/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("level", "general"),
                ("source", "inspection"),
                ("region_code", VILLAGE_A1),
                ("sector", "hazchem"),
                ("found_on", "2022-05-30"),
                ("description", "消防通道堵塞"),
                ("enterprise_id", &ent),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let id = loc
        .trim_start_matches("/hazards/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("消防通道堵塞") && page.contains("责令限期整改"));
    // Order with 5 working days through the form.
    let r = t
        .form(
            &format!("/hazards/{id}/act"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "order"),
                ("deadline_days", "5"),
                ("deadline_basis", "working_days"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    assert!(
        page.contains("2022-06-09（按工作日计算）"),
        "deadline shown with its basis"
    );
    // A wrong action for the state shows a message, not an error page.
    let r = t
        .form(
            &format!("/hazards/{id}/act"),
            &session,
            &[("_csrf", &csrf), ("action", "pass")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("不能执行"));
    // The ledger lists it and exports it.
    let list = t.page("/hazards?sector=hazchem", &session).await.text();
    assert!(list.contains("消防通道堵塞"));
    assert_eq!(
        total(list),
        before.map(|n| n + 1),
        "the total counts the new hazard"
    );
    let x = t.page("/hazards/export?format=xlsx", &session).await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.body.starts_with(b"PK"), "an xlsx (zip) file");
    // Another township's user cannot open it.
    let (other, _) = t.web_login("paizhu").await;
    assert_eq!(
        t.page(&format!("/hazards/{id}"), &other).await.status,
        StatusCode::NOT_FOUND
    );
    let cal = t
        .page("/calendar?year=2022&from=2022-09-29&days=5", &session)
        .await
        .text();
    assert!(cal.contains("2022-10-11"));
}

#[tokio::test]
async fn major_hazard_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("yingji").await;
    let ent = t.ids.a_haz.to_string();
    let r = t
        .form(
            "/hazards/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("level", "major"),
                ("source", "inspection"),
                ("region_code", VILLAGE_A1),
                ("sector", "hazchem"),
                ("found_on", "2022-05-30"),
                ("description", "储罐区未设紧急切断"),
                ("enterprise_id", &ent),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let id = loc
        .trim_start_matches("/hazards/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let page = t.page(&format!("/hazards/{id}"), &session).await.text();
    assert!(
        page.contains("一单四制") && page.contains("认定并列入清单"),
        "case panel with its actions"
    );
    let r = t
        .form(
            &format!("/hazards/{id}/case"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "list"),
                ("basis_standard", ""),
                ("basis_clause", ""),
                ("determined_by", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写判定依据"));
    let r = t
        .form(
            &format!("/hazards/{id}/case"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "list"),
                ("basis_standard", "危化判定标准"),
                ("basis_clause", "第五条"),
                ("determined_by", "专题会议"),
                ("tier", "county"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = t.page("/major-hazards", &session).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("储罐区未设紧急切断") && list.text().contains("已列入清单"));
    let x = t.page("/major-hazards/export", &session).await;
    assert!(x.body.starts_with(b"PK"));
    let r = t
        .form("/major-hazards/bulletins", &session, &[("_csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        t.page("/major-hazards/bulletins", &session)
            .await
            .text()
            .contains("安委办通〔2022〕1号")
    );
}

#[tokio::test]
async fn listing_pages() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let body = serde_json::json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem", "level": "major", "source": "inspection",
        "description": "防火堤破损", "found_on": "2022-05-20"});
    let hid = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(body))
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    let (session, csrf) = t.web_login("admin").await;
    let r = t
        .form(
            "/listings",
            &session,
            &[
                ("_csrf", &csrf),
                ("hazard_id", "abc"),
                ("title", "x"),
                ("deadline", "2022-09-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .form(
            "/listings",
            &session,
            &[
                ("_csrf", &csrf),
                ("hazard_id", &hid),
                ("title", "防火堤破损挂牌督办"),
                ("deadline", "2022-09-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("批准挂牌") && page.contains("提请挂牌"));
    let r = t
        .form(
            &format!("{loc}/act"),
            &session,
            &[("_csrf", &csrf), ("action", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t
        .form(
            &format!("{loc}/act"),
            &session,
            &[("_csrf", &csrf), ("action", "list")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写挂牌督办通知书文号"));
    let list = t.page("/listings?year=2022", &session).await.text();
    assert!(list.contains("防火堤破损挂牌督办"));
    assert!(
        t.page("/listings/export?year=2022", &session)
            .await
            .body
            .starts_with(b"PK")
    );
}

#[tokio::test]
async fn inspection_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let tpl = off_runtime(|| {
        t.app
            .store_for_tests()
            .list_templates(Some("hazchem"))
            .unwrap_or_default()
    });
    let tid = tpl[0].id.to_string();
    let form = t
        .page(&format!("/inspections/new?template_id={tid}"), &session)
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("储罐区可燃有毒气体检测报警装置"));
    let ent = t.ids.a_haz.to_string();
    let r = t
        .form(
            "/inspections/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("template_id", &tid),
                ("enterprise_id", &ent),
                ("sector", "hazchem"),
                ("kind", "joint"),
                ("inspected_on", "2022-05-31"),
                ("inspectors", "杨帆"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("两名以上执法人员"));
    let r = t
        .form(
            "/inspections/new",
            &session,
            &[
                ("_csrf", &csrf),
                ("template_id", &tid),
                ("enterprise_id", &ent),
                ("sector", "hazchem"),
                ("kind", "joint"),
                ("inspected_on", "2022-05-31"),
                ("inspectors", "杨帆,刘芳"),
                ("result.1", "pass"),
                ("result.2", "fail"),
                ("note.2", "安全管理人员未考核"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("安全管理人员未考核") && page.contains("转为隐患"));
    assert!(
        t.page("/inspections", &session)
            .await
            .text()
            .contains("联合执法")
    );
    let doc = t.page(&format!("{loc}/record"), &session).await;
    assert!(doc.body.starts_with(b"PK"));
    assert!(
        t.page("/inspections/export", &session)
            .await
            .body
            .starts_with(b"PK")
    );
}

#[tokio::test]
async fn draw_pages() {
    let t = spawn();
    let admin = t.token("admin").await;
    for n in ["zhifa2", "zhifa3"] {
        let r = t
            .call(
                "POST",
                "/api/v1/users",
                Some(&admin),
                Some(serde_json::json!({"username": n, "display_name": format!("{n}执法"), "role": "inspector", "password": "abc12345678", "department_id": t.ids.dept_fire})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let (session, csrf) = t.web_login("admin").await;
    let r = t
        .form(
            "/draws",
            &session,
            &[
                ("_csrf", &csrf),
                ("title", ""),
                ("sector", "hazchem"),
                ("key_quota", ""),
                ("ratio_percent", "50"),
                ("team_size", "2"),
                ("exclude_inspected_days", "90"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请填写抽查名称"), "{}", r.text());
    let r = t
        .form(
            "/draws",
            &session,
            &[
                ("_csrf", &csrf),
                ("title", "危化企业随机抽查"),
                ("sector", "hazchem"),
                ("key_quota", ""),
                ("ratio_percent", "50"),
                ("team_size", "2"),
                ("exclude_inspected_days", "90"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("种子承诺值") && page.contains("公开随机数"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{loc}/draw"),
            &session,
            &[("_csrf", &csrf), ("entropy", "福彩3D 517")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("结果与记录一致"), "{page}");
    assert!(page.contains("测试企业"), "{page}");
    let r = t
        .form(
            &format!("{loc}/publish"),
            &session,
            &[
                ("_csrf", &csrf),
                ("published_on", "2022-06-01"),
                ("published_where", "政府网站"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = t.page("/draws", &session).await.text();
    assert!(
        list.contains("危化企业随机抽查") && list.contains("已公示"),
        "{list}"
    );
}

#[tokio::test]
async fn case_pages_with_documents() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let e = t.ids.a_haz.to_string();
    let base = [
        ("_csrf", csrf.as_str()),
        ("procedure", "simple"),
        ("party_kind", "organisation"),
        ("party_name", "测试企业1有限公司"),
        ("enterprise_id", e.as_str()),
        ("facts", "未按规定设置安全警示标志"),
        ("legal_basis", "《安全生产法》第九十九条"),
    ];
    let mut over = base.to_vec();
    over.push(("fine_yuan", "3000.01"));
    let r = t.form("/cases", &session, &over).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("3000元"), "{}", r.text());
    let mut general = base.to_vec();
    general[1] = ("procedure", "general");
    general.push(("fine_yuan", "20000"));
    let r = t.form("/cases", &session, &general).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("法定时限") && page.contains("调查取证"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{loc}/documents"),
            &session,
            &[
                ("_csrf", &csrf),
                ("doc_type", "case_register"),
                ("date", "2022-06-01"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&loc, &session).await.text();
    assert!(page.contains("测应急立〔2022〕1号"), "{page}");
    let r = t
        .form(
            &format!("{loc}/documents"),
            &session,
            &[
                ("_csrf", &csrf),
                ("doc_type", "recheck_opinion"),
                ("date", "2022-06-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = t.page("/cases", &session).await.text();
    assert!(
        list.contains("测试企业1有限公司") && list.contains("普通程序"),
        "{list}"
    );
    // A simple-procedure decision is due for publicity; record it from the page.
    let mut simple = base.to_vec();
    simple.push(("fine_yuan", "500"));
    let r = t.form("/cases", &session, &simple).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let sloc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&sloc, &session).await.text();
    assert!(
        page.contains("处罚决定公示") && page.contains("2022-06-13"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{sloc}/publicity"),
            &session,
            &[
                ("_csrf", &csrf),
                ("published_on", "2022-06-01"),
                ("channel", "测试市人民政府网站"),
                ("url", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(
        t.page(&sloc, &session)
            .await
            .text()
            .contains("测试市人民政府网站")
    );
    // An enterprise user sees its case but no handling forms.
    let (qs, _) = t.web_login("qiye").await;
    let page = t.page(&loc, &qs).await.text();
    assert!(
        page.contains("法定时限") && !page.contains("制发并编号"),
        "{page}"
    );
}

#[tokio::test]
async fn transfer_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let e = t.ids.a_haz.to_string();
    let mut f = vec![
        ("_csrf", csrf.as_str()),
        ("case_id", ""),
        ("enterprise_id", e.as_str()),
        ("subject", "测试企业1有限公司 王某"),
        ("crime_type", "dangerous_operation"),
        ("facts", "关闭报警装置继续生产"),
        ("officers", "杨帆"),
    ];
    let r = t.form("/transfers", &session, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("2名以上"), "{}", r.text());
    f[6] = ("officers", "杨帆、钟敏");
    let r = t.form("/transfers", &session, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("负责人作出是否移送决定") && page.contains("杨帆、钟敏"),
        "{page}"
    );
    assert!(!page.contains("批准移送"), "an inspector does not decide");
    let (ys, ycsrf) = t.web_login("yingji").await;
    let page = t.page(&loc, &ys).await.text();
    assert!(page.contains("批准移送") && page.contains("决定不移送"));
    let r = t
        .form(
            &format!("{loc}/act"),
            &ys,
            &[("_csrf", &ycsrf), ("action", "approve"), ("date", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = t.page("/transfers", &ys).await.text();
    assert!(list.contains("批准移送，待移送"), "{list}");
}

#[tokio::test]
async fn report_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("zhifa").await;
    let e = t.ids.a_haz.to_string();
    let mut f = vec![
        ("_csrf", csrf.as_str()),
        ("channel", "12350热线"),
        ("category", "major_hazard"),
        ("enterprise_id", e.as_str()),
        ("content", "储罐区报警器关闭"),
        ("reporter_name", "李某"),
        ("reporter_phone", ""),
    ];
    let r = t.form("/reports", &session, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    f[6] = ("reporter_phone", "13907951234");
    let r = t.form("/reports", &session, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("核查办结") && page.contains("登记为隐患"),
        "{page}"
    );
    let r = t
        .form(
            &format!("{loc}/act"),
            &session,
            &[
                ("_csrf", &csrf),
                ("action", "verify"),
                ("outcome", "verified"),
                ("note", "属实"),
                ("create_hazard", "1"),
                ("case_id", ""),
                ("date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&loc, &session).await.text();
    assert!(
        page.contains("查证属实") && page.contains("/hazards/"),
        "{page}"
    );
    let list = t.page("/reports", &session).await.text();
    assert!(list.contains("储罐区报警器关闭"));
}

#[tokio::test]
async fn plan_pages() {
    let t = spawn();
    let yj = t.token("yingji").await;
    let r = t
        .call(
            "POST",
            "/api/v1/plans",
            Some(&yj),
            Some(serde_json::json!({"year": 2022, "title": "2022年度监督检查计划", "random_share_percent": 70,
                "lines": [{"sector": "hazchem", "category": "key", "month": 6, "planned": 4}]})),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap_or_default();
    let (session, csrf) = t.web_login("admin").await;
    let list = t.page("/plans", &session).await.text();
    assert!(
        list.contains("2022年度监督检查计划") && list.contains("草稿"),
        "{list}"
    );
    let page = t.page(&format!("/plans/{id}"), &session).await.text();
    assert!(
        page.contains("按月进度") && page.contains("登记批准"),
        "{page}"
    );
    let r = t
        .form(
            &format!("/plans/{id}/approve"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", "1"),
                ("approved_by", ""),
                ("approved_on", "2022-06-01"),
                ("doc_no", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .form(
            &format!("/plans/{id}/approve"),
            &session,
            &[
                ("_csrf", &csrf),
                ("version", "1"),
                ("approved_by", "测试市人民政府"),
                ("approved_on", "2022-06-01"),
                ("doc_no", "测府字〔2022〕8号"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&format!("/plans/{id}"), &session).await.text();
    assert!(
        page.contains("测府字〔2022〕8号") && !page.contains("登记批准</button>"),
        "{page}"
    );
    // A department drafts its plan from the page.
    let (ys, ycsrf2) = t.web_login("yingji").await;
    let f = |lines: &'static str| {
        vec![
            ("_csrf", ycsrf2.clone()),
            ("year", "2023".to_string()),
            ("title", "2023年度计划".to_string()),
            ("random_share_percent", "60".to_string()),
            ("version", "1".to_string()),
            ("lines", lines.to_string()),
            ("key_enterprise_ids", String::new()),
        ]
    };
    let bad = f("fire|key|6|3");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/plans", &ys, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let good = f("hazchem|key|6|3\nhazchem|general|7|5");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/plans", &ys, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let page = t.page(&loc, &ys).await.text();
    assert!(
        page.contains("2023年度计划") && page.contains("8<small>次</small>"),
        "{page}"
    );
}

#[tokio::test]
async fn commission_pages() {
    let t = spawn();
    let (session, csrf) = t.web_login("admin").await;
    let mut f = vec![
        ("_csrf", csrf.as_str()),
        ("region_code", TOWN_A),
        ("agency", "测试市交通运输局"),
        ("agreement_no", "测交〔2022〕1号"),
        ("valid_from", "2022-01-01"),
        ("valid_to", "2022-12-31"),
        ("items", "YG-01|违规载客|《道路运输条例》|5000"),
    ];
    let r = t.form("/commissions", &session, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "cap above 3000");
    f[6] = (
        "items",
        "YG-01|违规载客|《道路运输条例》|2000\nYG-02|未随车携带证件||200",
    );
    let r = t.form("/commissions", &session, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page("/commissions", &session).await.text();
    assert!(
        page.contains("测交〔2022〕1号") && page.contains("YG-02 未随车携带证件（≤200元）"),
        "{page}"
    );
    let (ts, tcsrf) = t.web_login("town_a").await;
    let page = t.page("/commissions", &ts).await.text();
    assert!(page.contains("测交〔2022〕1号") && !page.contains("登记委托协议"));
    let r = t
        .form("/commissions", &ts, &[("_csrf", &tcsrf), ("agency", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
}

#[tokio::test]
async fn documents_from_inspection_and_hazard_pages() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call("POST", "/api/v1/inspections", Some(&insp), Some(serde_json::json!({"enterprise_id": t.ids.a_haz, "sector": "hazchem", "kind": "routine",
            "enforcement": true, "inspected_on": "2022-06-01", "inspectors": ["杨帆", "钟敏"], "findings": ["防火堤破损"]})))
        .await;
    let iid = r.json()["id"].as_i64().unwrap_or_default().to_string();
    let r = t
        .call("POST", "/api/v1/hazards", Some(&insp), Some(serde_json::json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1, "sector": "hazchem",
            "level": "general", "source": "inspection", "description": "防火堤破损", "found_on": "2022-06-01", "deadline": "2022-06-30"})))
        .await;
    let hid = r.json()["id"].as_i64().unwrap_or_default().to_string();
    let (session, csrf) = t.web_login("zhifa").await;
    let r = t
        .form(
            "/documents/issue",
            &session,
            &[
                ("_csrf", &csrf),
                ("entity", "inspection"),
                ("entity_id", &iid),
                ("doc_type", "inspection_record"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t
        .page(&format!("/inspections/{iid}"), &session)
        .await
        .text();
    assert!(page.contains("测应急检记〔2022〕1号"), "{page}");
    let r = t
        .form(
            "/documents/issue",
            &session,
            &[
                ("_csrf", &csrf),
                ("entity", "hazard"),
                ("entity_id", &hid),
                ("doc_type", "rectification_order"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = t.page(&format!("/hazards/{hid}"), &session).await.text();
    assert!(
        page.contains("测应急责改〔2022〕1号") && page.contains("整改复查意见书"),
        "{page}"
    );
    // A type that does not belong to the record is refused.
    let r = t
        .form(
            "/documents/issue",
            &session,
            &[
                ("_csrf", &csrf),
                ("entity", "hazard"),
                ("entity_id", &hid),
                ("doc_type", "penalty_decision"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The enterprise sees its documents but no issue form.
    let (qs, _) = t.web_login("qiye").await;
    let page = t.page(&format!("/hazards/{hid}"), &qs).await.text();
    assert!(
        page.contains("测应急责改〔2022〕1号") && !page.contains("制发并编号"),
        "{page}"
    );
}
