//! 包片包线 through the API and the pages: dated handover, one answer per day, refusals
//! naming the field, the pages that show the responsible leader, the leader's dashboard.

use super::*;

async fn leader(t: &TestApp, admin: &str, name: &str, extra: Value) -> i64 {
    let mut b = json!({"name": name, "post": "副市长", "phone": "13800001111"});
    if let (Some(o), Some(x)) = (b.as_object_mut(), extra.as_object()) {
        o.extend(x.clone());
    }
    let r = t
        .call("POST", "/api/v1/leaders", Some(admin), Some(b))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

fn assignment(leader: i64, kind: &str, target: &str, from: &str) -> Value {
    json!({"leader_id": leader, "kind": kind, "target": target,
        "basis": "《测试市安全生产包片包线责任制》", "valid_from": from})
}

async fn responsible(t: &TestApp, token: &str, kind: &str, target: &str, on: &str) -> Value {
    let r = t
        .call(
            "GET",
            &format!("/api/v1/leader-assignments/responsible?kind={kind}&target={target}&on={on}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["assignment"].clone()
}

#[tokio::test]
async fn a_new_leader_takes_over_the_day_after_and_each_day_has_one_answer() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let lead = t.token("leader").await;
    // Only the 安委办 keeps the list; a bad field is named.
    let r = t
        .call(
            "POST",
            "/api/v1/leaders",
            Some(&town),
            Some(json!({"name": "李明", "post": "副市长"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "POST",
            "/api/v1/leaders",
            Some(&admin),
            Some(json!({"name": " ", "post": "副市长", "phone": "12"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["name"].is_array(), "{}", r.text());
    assert!(r.json()["fields"]["phone"].is_array(), "{}", r.text());
    let li = leader(&t, &admin, "李明", json!({})).await;
    let zh = leader(&t, &admin, "张华", json!({"post": "市委常委、常务副市长"})).await;
    let r = t
        .call(
            "POST",
            "/api/v1/leaders",
            Some(&admin),
            Some(json!({"name": "李明", "post": "副市长"})),
        )
        .await;
    assert!(r.json()["fields"]["name"].is_array(), "same name twice");

    let post = |body: Value| {
        let admin = admin.clone();
        let t = &t;
        async move {
            t.call(
                "POST",
                "/api/v1/leader-assignments",
                Some(&admin),
                Some(body),
            )
            .await
        }
    };
    let r = post(assignment(li, "township", TOWN_A, "2022-01-01")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let first = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["target_name"], "临江镇");
    assert_eq!(r.json()["kind_label"], "包片");
    let r = post(assignment(li, "sector", "mines", "2022-01-01")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = post(assignment(zh, "township", TOWN_A, "2022-07-01")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // Before and after the change: one answer each day; the old one ended the day before.
    let before = responsible(&t, &lead, "township", TOWN_A, "2022-06-30").await;
    assert_eq!(before["leader_name"], "李明");
    assert_eq!(before["id"], first);
    assert_eq!(before["valid_to"], "2022-06-30");
    let after = responsible(&t, &lead, "township", TOWN_A, "2022-07-01").await;
    assert_eq!(after["leader_name"], "张华");
    assert!(
        responsible(&t, &lead, "township", TOWN_A, "2021-12-31")
            .await
            .is_null()
    );
    assert_eq!(
        responsible(&t, &town, "sector", "mines", "2022-08-01").await["leader_name"],
        "李明",
        "a township reads its county's leaders"
    );
    // Refusals name the field: a start before the latest one, an unknown target or kind, a
    // reversed period.
    let r = post(assignment(li, "township", TOWN_A, "2022-03-01")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["valid_from"].is_array(), "{}", r.text());
    let r = post(assignment(li, "township", "360982999000", "2022-03-01")).await;
    assert!(r.json()["fields"]["target"].is_array(), "{}", r.text());
    let r = post(assignment(li, "county", TOWN_B, "2022-03-01")).await;
    assert!(r.json()["fields"]["kind"].is_array(), "{}", r.text());
    let mut reversed = assignment(li, "township", TOWN_B, "2022-03-01");
    reversed["valid_to"] = json!("2022-02-01");
    let r = post(reversed).await;
    assert!(r.json()["fields"]["valid_to"].is_array(), "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/leader-assignments?as_of=2022-13-01",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["as_of"].is_array());
    // The lists as of a day, and the whole history.
    let r = t
        .call(
            "GET",
            "/api/v1/leader-assignments?as_of=2022-06-30&kind=township",
            Some(&lead),
            None,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(1));
    let r = t
        .call("GET", "/api/v1/leader-assignments", Some(&lead), None)
        .await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(3));
    // Ending one; a leader's edit needs the version read.
    let r = t
        .call(
            "POST",
            &format!("/api/v1/leader-assignments/{first}/end"),
            Some(&admin),
            Some(json!({"valid_to": "2021-01-01"})),
        )
        .await;
    assert!(r.json()["fields"]["valid_to"].is_array(), "{}", r.text());
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/leaders/{li}"),
            Some(&admin),
            Some(json!({"name": "李明", "post": "副市长"})),
        )
        .await;
    assert!(r.json()["fields"]["version"].is_array(), "{}", r.text());
    let r = t
        .call("GET", &format!("/api/v1/leaders/{li}"), Some(&lead), None)
        .await;
    let version = r.json()["version"].as_i64().unwrap();
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/leaders/{li}"),
            Some(&admin),
            Some(json!({"name": "李明", "post": "市委常委、副市长", "version": version})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["post"], "市委常委、副市长");
    // Read-only for leaders, none for enterprises.
    let r = t
        .call(
            "POST",
            "/api/v1/leaders",
            Some(&lead),
            Some(json!({"name": "王五", "post": "副市长"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let qiye = t.token("qiye").await;
    let r = t.call("GET", "/api/v1/leaders", Some(&qiye), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .call(
            "GET",
            "/api/v1/leader-assignments/export",
            Some(&lead),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"), "an xlsx");
}

#[tokio::test]
async fn pages_show_each_townships_and_sectors_leader_and_a_leaders_own_areas() {
    let t = spawn();
    let admin = t.token("admin").await;
    let user = t.user("leader").id;
    let li = leader(&t, &admin, "李明", json!({"user_id": user})).await;
    for body in [
        assignment(li, "township", TOWN_A, "2022-01-01"),
        assignment(li, "sector", "hazchem", "2022-01-01"),
    ] {
        let r = t
            .call(
                "POST",
                "/api/v1/leader-assignments",
                Some(&admin),
                Some(body),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let (s, _) = t.web_login("leader").await;
    let home = t.page("/", &s).await.text();
    assert!(home.contains("我的包片包线"), "{home}");
    assert!(home.contains("包片：临江镇") && home.contains("包线：危险化学品"));
    let regions = t.page("/regions", &s).await.text();
    assert!(regions.contains("包片领导：") && regions.contains("李明（副市长）"));
    let sectors = t.page("/sectors", &s).await.text();
    assert!(sectors.contains("李明（副市长）"), "{sectors}");
    let by_town = t.page("/leaders?view=township", &s).await.text();
    assert!(
        by_town.contains("临江镇") && by_town.contains("永泰镇"),
        "uncovered listed"
    );
    let earlier = t
        .page("/leaders?view=township&as_of=2021-06-01", &s)
        .await
        .text();
    assert!(earlier.contains("该日无包保安排"), "{earlier}");
    let detail = t.page(&format!("/leaders/{li}"), &s).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        !detail.text().contains("终止</button>"),
        "leaders read only"
    );
    // The admin's forms keep what was typed when refused, and answer 422.
    let (s, csrf) = t.web_login("admin").await;
    let r = t
        .form(
            "/leaders/new",
            &s,
            &[
                ("_csrf", &csrf),
                ("name", ""),
                ("post", "副市长甲"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("副市长甲") && r.text().contains("姓名不能为空"));
    let r = t
        .form(
            "/leaders",
            &s,
            &[
                ("_csrf", &csrf),
                ("leader_id", &li.to_string()),
                ("kind", "township"),
                ("township", TOWN_A),
                ("basis", "第二版责任制"),
                ("valid_from", "2021-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("第二版责任制"), "kept");
    let r = t
        .form(
            "/leaders",
            &s,
            &[
                ("_csrf", &csrf),
                ("leader_id", &li.to_string()),
                ("kind", "township"),
                ("township", TOWN_B),
                ("basis", "第二版责任制"),
                ("valid_from", "2022-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let detail = t.page(&format!("/leaders/{li}"), &s).await.text();
    assert!(detail.contains("永泰镇") && detail.contains("终止</button>"));
}

#[tokio::test]
async fn the_ledger_imports_again_row_by_row() {
    let t = spawn();
    let admin = t.token("admin").await;
    let csv = format!(
        "领导姓名,职务,联系电话,类别,包保对象,依据文件,起始日期,终止日期\n\
         李明,副市长,13800001111,包片,临江镇,责任制,2022-01-01,\n\
         李明,副市长,13800001111,包线,消防,责任制,2022-01-01,\n\
         张华,副市长,,包片,{TOWN_A},责任制,2022-07-01,\n\
         王五,副市长,,包片,不存在镇,责任制,2022-01-01,\n\
         王五,副市长,,包片,永泰镇,责任制,2022-13-01,\n"
    );
    let (ct, body) = multipart(&[("file", Some("leaders.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/leader-assignments/import",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let lines: Vec<String> = serde_json::from_value(r.json()["lines"].clone()).unwrap_or_default();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("第5行") && lines[0].contains("包保对象"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("第6行") && lines[1].contains("起始日期"),
        "{lines:?}"
    );
    let (ct, body) = multipart(&[("file", Some("leaders.csv"), csv.as_bytes())]);
    let r = t
        .raw(
            "POST",
            "/api/v1/leader-assignments/import?skip_invalid=true",
            Some(&admin),
            &ct,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["report"]["written"], 3);
    let lead = t.token("leader").await;
    assert_eq!(
        responsible(&t, &lead, "township", TOWN_A, "2022-06-30").await["leader_name"],
        "李明"
    );
    assert_eq!(
        responsible(&t, &lead, "township", TOWN_A, "2022-07-01").await["leader_name"],
        "张华"
    );
    let r = t.call("GET", "/api/v1/leaders", Some(&lead), None).await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(2));
}
