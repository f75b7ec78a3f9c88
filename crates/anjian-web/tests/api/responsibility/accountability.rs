//! 约谈问责 through the API and the pages: refusals naming the field, each township and
//! department seeing only the records about itself (out of scope answering like missing), the
//! report's figures drilling down to exactly the records, forms keeping what was typed, import.

use super::*;

fn interview(town: &str, names: &[&str], day: &str) -> Value {
    json!({"kind": "interview", "theme": "forest_fire", "target_kind": "township", "target": town,
        "persons": names.iter().map(|n| json!({"name": n, "post": "镇长", "unit": "镇人民政府"})).collect::<Vec<_>>(),
        "decided_by": "市森林防灭火指挥部", "decided_on": day, "reason": "野外火源管控不力，火警频发"})
}

fn decision(target_kind: &str, target: &str, theme: &str, day: &str) -> Value {
    json!({"kind": "accountability", "theme": theme, "target_kind": target_kind, "target": target,
        "measure": "全市通报批评", "decided_by": "市安委会", "decided_on": day,
        "reason": "森林防灭火工作落实不力", "refs": [{"kind": "考核", "reference": "2022年度半年考评"}]})
}

async fn create(t: &TestApp, admin: &str, body: Value) -> i64 {
    let r = t
        .call("POST", "/api/v1/accountability", Some(admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn records_are_refused_in_words_and_each_unit_sees_its_own() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let r = t
        .call(
            "POST",
            "/api/v1/accountability",
            Some(&town),
            Some(interview(TOWN_A, &["王强"], "2022-05-01")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the 安委办 keeps them");
    // An interview without persons, a decision without its measure, a target that is not
    // there, a day to come: each field named.
    let r = t
        .call(
            "POST",
            "/api/v1/accountability",
            Some(&admin),
            Some(interview(TOWN_A, &[], "2022-07-01")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["persons"].is_array(), "{}", r.text());
    assert!(
        r.json()["fields"]["decided_on"].is_array(),
        "after today (2022-06-01)"
    );
    let mut bad = decision("township", "360982999000", "nope", "2022-05-01");
    bad["measure"] = json!("");
    let r = t
        .call("POST", "/api/v1/accountability", Some(&admin), Some(bad))
        .await;
    for f in ["target", "theme", "measure"] {
        assert!(r.json()["fields"][f].is_array(), "{f}: {}", r.text());
    }
    let mut bad = decision("department", "测试市消防救援大队", "hazards", "2022-05-01");
    bad["refs"] = json!([{"kind": "隐患", "reference": "99999"}]);
    let r = t
        .call("POST", "/api/v1/accountability", Some(&admin), Some(bad))
        .await;
    assert!(r.json()["fields"]["refs[0]"].is_array(), "{}", r.text());

    let a = create(
        &t,
        &admin,
        interview(TOWN_A, &["王强", "李红"], "2022-05-10"),
    )
    .await;
    let b = create(
        &t,
        &admin,
        decision("township", "永泰镇", "forest_fire", "2022-05-11"),
    )
    .await;
    let fire = create(
        &t,
        &admin,
        decision("department", "测试市消防救援大队", "hazards", "2022-05-12"),
    )
    .await;
    let yj = create(
        &t,
        &admin,
        decision("department", "测试市应急管理局", "hazards", "2022-05-13"),
    )
    .await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/accountability/{a}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["person_count"], 2);
    assert_eq!(r.json()["target_name"], "临江镇");
    assert_eq!(r.json()["kind_label"], "警示约谈");
    // A township sees the records about itself; another's answers exactly like a missing one.
    let ids = |r: &Resp| -> Vec<i64> {
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect()
    };
    let r = t
        .call("GET", "/api/v1/accountability", Some(&town), None)
        .await;
    assert_eq!(ids(&r), vec![a]);
    let foreign = t
        .call(
            "GET",
            &format!("/api/v1/accountability/{b}"),
            Some(&town),
            None,
        )
        .await;
    let missing = t
        .call("GET", "/api/v1/accountability/987654321", Some(&town), None)
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        (foreign.status, foreign.body),
        (missing.status, missing.body)
    );
    // A department's users see the records about their department only.
    for user in ["yingji", "zhifa"] {
        let tk = t.token(user).await;
        let r = t
            .call("GET", "/api/v1/accountability", Some(&tk), None)
            .await;
        assert_eq!(ids(&r), vec![yj], "{user}");
        let r = t
            .call(
                "GET",
                &format!("/api/v1/accountability/{fire}"),
                Some(&tk),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{user}");
    }
    // Leaders read everything, change nothing; enterprises and supervisors see nothing.
    let lead = t.token("leader").await;
    let r = t
        .call("GET", "/api/v1/accountability?year=2022", Some(&lead), None)
        .await;
    assert_eq!(ids(&r).len(), 4);
    let r = t
        .call(
            "DELETE",
            &format!("/api/v1/accountability/{a}?version=1"),
            Some(&lead),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for user in ["qiye", "paizhu"] {
        let tk = t.token(user).await;
        let r = t
            .call("GET", "/api/v1/accountability", Some(&tk), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
    let r = t
        .call(
            "GET",
            "/api/v1/accountability?theme=森林",
            Some(&lead),
            None,
        )
        .await;
    assert!(r.json()["fields"]["theme"].is_array());
    // Correction with the version read; deletion keeps the audit trail.
    let mut edit = interview(TOWN_A, &["王强", "李红", "赵刚"], "2022-05-10");
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/accountability/{a}"),
            Some(&admin),
            Some(edit.clone()),
        )
        .await;
    assert!(r.json()["fields"]["version"].is_array());
    edit["version"] = json!(1);
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/accountability/{a}"),
            Some(&admin),
            Some(edit),
        )
        .await;
    assert_eq!(r.json()["person_count"], 3, "{}", r.text());
    let r = t
        .call(
            "DELETE",
            &format!("/api/v1/accountability/{yj}?version=1"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "GET",
            &format!("/api/v1/accountability/{yj}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call("GET", "/api/v1/accountability/export", Some(&lead), None)
        .await;
    assert!(r.body.starts_with(b"PK"));
}

#[tokio::test]
async fn the_report_figures_drill_down_to_exactly_the_records() {
    let t = spawn();
    let admin = t.token("admin").await;
    let a = create(
        &t,
        &admin,
        interview(TOWN_A, &["王强", "李红"], "2022-03-01"),
    )
    .await;
    let b = create(&t, &admin, interview(TOWN_B, &["张三"], "2022-04-01")).await;
    let mut hazards = interview(TOWN_B, &["赵六", "孙七"], "2022-04-02");
    hazards["theme"] = json!("hazards");
    create(&t, &admin, hazards).await;
    let mut last_year = interview(TOWN_A, &["钱八"], "2021-12-31");
    last_year["reason"] = json!("上年度");
    create(&t, &admin, last_year).await;
    let held_a = create(
        &t,
        &admin,
        decision("township", TOWN_A, "forest_fire", "2022-05-01"),
    )
    .await;
    create(
        &t,
        &admin,
        decision("township", TOWN_A, "forest_fire", "2022-05-20"),
    )
    .await;
    create(
        &t,
        &admin,
        decision("township", TOWN_B, "hazards", "2022-05-21"),
    )
    .await;
    create(
        &t,
        &admin,
        decision(
            "department",
            "测试市消防救援大队",
            "forest_fire",
            "2022-05-22",
        ),
    )
    .await;
    let lead = t.token("leader").await;
    let drill = |id: &str| {
        let t = &t;
        let tk = lead.clone();
        let id = id.to_string();
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
    let d = drill("accountability.interviewed.forest_fire").await;
    assert_eq!(d["metric"]["raw"], 3);
    let mut ids: Vec<i64> = d["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["entity_id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        vec![a, b],
        "exactly the forest-fire interviews of 2022"
    );
    assert_eq!(
        drill("accountability.interviewed").await["metric"]["raw"],
        5
    );
    let d = drill("accountability.townships.forest_fire").await;
    assert_eq!(
        d["metric"]["raw"], 1,
        "临江镇 once, the department not a township"
    );
    assert_eq!(d["records"][0]["key"], TOWN_A);
    assert_eq!(d["records"][0]["label"], "临江镇");
    assert_eq!(drill("accountability.townships").await["metric"]["raw"], 2);
    let d = drill("accountability.decisions").await;
    assert_eq!(d["metric"]["raw"], 4);
    assert!(
        d["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["entity_id"] == held_a)
    );
    // A township's scope counts its own.
    let town = t.token("town_a").await;
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/accountability.interviewed?period=2022",
            Some(&town),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 2);
    // The drill-down page links each record to its page.
    let (s, _) = t.web_login("leader").await;
    let page = t
        .page(
            "/metrics/accountability.interviewed.forest_fire?period=2022",
            &s,
        )
        .await
        .text();
    assert!(page.contains(&format!("/accountability/{a}")), "{page}");
}

#[tokio::test]
async fn the_form_keeps_what_was_typed_and_the_pages_show_the_record() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    let page = t.page("/accountability/new", &s).await;
    assert_eq!(page.status, StatusCode::OK);
    let pairs = |day: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("kind", "interview".to_string()),
            ("theme", "forest_fire".to_string()),
            ("target_kind", "township".to_string()),
            ("township", TOWN_A.to_string()),
            ("person_name", "王强".to_string()),
            ("person_post", "镇长".to_string()),
            ("person_unit", "临江镇人民政府".to_string()),
            ("person_name", "李红".to_string()),
            ("person_post", "分管副镇长".to_string()),
            ("person_unit", "临江镇人民政府".to_string()),
            ("decided_by", "市森林防灭火指挥部".to_string()),
            ("decided_on", day.to_string()),
            ("reason", "火源管控不力".to_string()),
            ("refs", "考核：半年考评".to_string()),
        ]
    };
    let typed = pairs("2022-13-40");
    let refs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/accountability/new", &s, &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    for kept in ["分管副镇长", "火源管控不力", "考核：半年考评", "2022-13-40"] {
        assert!(html.contains(kept), "{kept} kept");
    }
    let typed = pairs("2022-05-10");
    let refs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.form("/accountability/new", &s, &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().unwrap().to_string();
    let detail = t.page(&to, &s).await.text();
    assert!(
        detail.contains("李红") && detail.contains("涉及人员（2 人）"),
        "{detail}"
    );
    let list = t.page("/accountability?year=2022", &s).await.text();
    assert!(list.contains("王强（镇长）"));
    let (s, _) = t.web_login("town_a").await;
    assert_eq!(t.page(&to, &s).await.status, StatusCode::OK);
    let (s, _) = t.web_login("yingji").await;
    assert_eq!(t.page(&to, &s).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.page("/accountability/new", &s).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn records_import_row_by_row() {
    let t = spawn();
    let admin = t.token("admin").await;
    let csv = "类型,主题,对象类别,对象,涉及人员,处理措施,决定机关,日期,事由,关联记录,文号\n\
               警示约谈,森林防灭火,乡镇,临江镇,王强/镇长/临江镇人民政府；李红/分管副镇长/临江镇人民政府,,市森防指,2022-05-01,火警频发,考核：半年考评,\n\
               问责,森林防灭火,乡镇,永泰镇,,通报批评,市安委会,2022-05-02,落实不力,,测安委〔2022〕9号\n\
               问责,森林防灭火,乡镇,永泰镇,,,市安委会,2022-05-02,落实不力,,\n\
               约谈,天气,乡镇,不存在镇,/镇长/,,市安委会,2022-05-02,落实不力,,\n";
    let (ct, body) = multipart(&[("file", Some("acc.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/accountability/import",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("第4行") && lines[0].contains("处理措施"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("第5行")
            && lines[1].contains("主题")
            && lines[1].contains("对象")
            && lines[1].contains("涉及人员"),
        "{lines:?}"
    );
    let (ct, body) = multipart(&[("file", Some("acc.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/accountability/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.json()["report"]["written"], 2, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/metrics/accountability.interviewed.forest_fire?period=2022",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json()["metric"]["raw"], 2);
}
