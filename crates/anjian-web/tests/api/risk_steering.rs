//! Risk steering through the API: the enterprise's grade from its points and the regulator's
//! override with its history, the settings (422 naming the field), the plan's proposal and
//! the draw's weights following a grade change, weighted and old draws verifying, a tampered
//! weight failing, the behind-frequency list on the injected clock, and the 四色图.

use crate::helpers::*;
use anjian_app::testing::store::Value;
use axum::http::StatusCode;
use serde_json::{Value as Json, json};

/// Writes directly to the store (risk points belong to another feature; tampering).
fn sql(t: &TestApp, q: &str, p: Vec<Value>) {
    off_runtime(|| t.app.store_for_tests().raw_execute(q, &p).map(|_| ()))
        .unwrap_or_else(|e| panic!("{q}: {e:?}"));
}

/// An accepted risk point of an enterprise (only migration 0034's contract columns).
fn point(t: &TestApp, enterprise: i64, region: &str, grade: &str) {
    sql(
        t,
        "INSERT INTO risk_points (county_code, region_code, enterprise_id, grade, state, created_at, updated_at, place, hazard_factor, accident_types, control_level, responsible_name, responsible_phone) VALUES ('360982000000', ?, ?, ?, 'accepted', '2022-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z', '储罐区', '易燃液体泄漏', 'fire', 'workshop', '张三', '13800000000')",
        vec![region.into(), enterprise.into(), grade.into()],
    );
}

fn by_id(page: &Json, id: i64) -> Json {
    page["items"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["enterprise_id"] == json!(id)))
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn grade_follows_points_and_the_override_keeps_its_history() {
    let t = spawn();
    let yj = t.token("yingji").await;
    let (a, b) = (t.ids.a_haz, t.ids.b_haz);
    point(&t, a, VILLAGE_A1, "large");
    point(&t, a, VILLAGE_A1, "large");
    point(&t, a, VILLAGE_A1, "general");
    point(&t, b, VILLAGE_B1, "low");

    let r = t
        .call("GET", "/api/v1/enterprise-risk-grades", Some(&yj), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.json();
    // The 应急局 sees its hazchem enterprises only (not the fire ones).
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    let ga = by_id(&page, a);
    assert_eq!(ga["effective"], "large");
    assert_eq!(ga["source"], "points");
    assert_eq!(
        ga["counts"],
        json!({"major": 0, "large": 2, "general": 1, "low": 0})
    );
    // 较大: every 3 months; never inspected, so behind.
    assert_eq!(ga["frequency_months"], 3);
    assert_eq!(ga["behind"], true);
    assert_eq!(by_id(&page, b)["effective"], "low");

    // Only regulators override; the grade and the reason are named when bad.
    let path = format!("/api/v1/enterprise-risk-grades/{a}/override");
    for who in ["qiye", "town_a", "zhifa"] {
        let tok = t.token(who).await;
        let r = t
            .call(
                "PUT",
                &path,
                Some(&tok),
                Some(json!({"grade": "major", "reason": "x"})),
            )
            .await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
            "{who}: {}",
            r.status
        );
    }
    let r = t
        .call(
            "PUT",
            &path,
            Some(&yj),
            Some(json!({"grade": "purple", "reason": " "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = &r.json()["fields"];
    assert!(f["grade"].is_array() && f["reason"].is_array(), "{f}");
    assert!(
        f["grade"][0]
            .as_str()
            .unwrap_or_default()
            .contains("风险等级"),
        "{f}"
    );

    let r = t
        .call(
            "PUT",
            &path,
            Some(&yj),
            Some(json!({"grade": "重大", "reason": "构成重大危险源且未备案"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = r.json();
    assert_eq!(d["grade"]["effective"], "major");
    assert_eq!(d["grade"]["source"], "override");
    assert_eq!(d["grade"]["derived"], "large");
    assert_eq!(d["grade"]["frequency_months"], 1);
    assert_eq!(d["grade"]["override_version"], 1);
    // A second "first" override is a lost race.
    let r = t
        .call(
            "PUT",
            &path,
            Some(&yj),
            Some(json!({"grade": "low", "reason": "再认定"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    t.clock.advance(chrono::Duration::days(2));
    let yj = t.token("yingji").await;
    let clear = format!("/api/v1/enterprise-risk-grades/{a}/override/clear");
    let r = t
        .call(
            "POST",
            &clear,
            Some(&yj),
            Some(json!({"reason": "已完成备案，按风险点确定", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = r.json();
    assert_eq!(d["grade"]["effective"], "large");
    assert!(d["grade"]["override_version"].is_null());
    let h = d["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(h.len(), 2);
    assert_eq!(
        (&h[0]["action"], &h[0]["from_grade"], &h[0]["to_grade"]),
        (&json!("override"), &json!("large"), &json!("major"))
    );
    assert_eq!(h[0]["reason"], "构成重大危险源且未备案");
    assert_eq!(h[0]["actor_name"], "yingji");
    // Pages name the person: 姓名（单位）.
    assert_eq!(d["history_actors"][0], "yingji用户（测试市应急管理局）");
    assert!(
        h[0]["at"]
            .as_str()
            .unwrap_or_default()
            .starts_with("2022-06-01")
    );
    assert_eq!(
        (&h[1]["action"], &h[1]["from_grade"], &h[1]["to_grade"]),
        (&json!("clear"), &json!("major"), &json!("large"))
    );
    assert!(
        h[1]["at"]
            .as_str()
            .unwrap_or_default()
            .starts_with("2022-06-03")
    );
    // Nothing to clear any more.
    let r = t
        .call(
            "POST",
            &clear,
            Some(&yj),
            Some(json!({"reason": "再取消", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another department's enterprise answers like a missing one.
    let r = t
        .call(
            "GET",
            &format!("/api/v1/enterprise-risk-grades/{}", t.ids.a_fire),
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Filters: grade and region.
    let admin = t.token("admin").await;
    let r = t
        .call(
            "GET",
            "/api/v1/enterprise-risk-grades?grade=low",
            Some(&admin),
            None,
        )
        .await;
    let ids: Vec<i64> = r.json()["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["enterprise_id"].as_i64())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(ids, vec![b]);
    let r = t
        .call(
            "GET",
            "/api/v1/enterprise-risk-grades?grade=purple",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["grade"].is_array());
}

/// Reads the SVG's legend counts and blocks per grade.
fn colours(svg: &str) -> Vec<(String, usize, usize)> {
    ["major", "large", "general", "low", "none"]
        .iter()
        .map(|g| {
            let legend = svg
                .split(&format!(
                    "class=\"legend\" data-grade=\"{g}\" data-count=\""
                ))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(usize::MAX);
            let blocks = svg
                .matches(&format!("<g class=\"block\" data-grade=\"{g}\">"))
                .count();
            (g.to_string(), legend, blocks)
        })
        .collect()
}

#[tokio::test]
async fn four_colour_pictures_count_each_colour() {
    let t = spawn();
    let admin = t.token("admin").await;
    let a = t.ids.a_haz;
    point(&t, a, VILLAGE_A1, "major");
    point(&t, a, VILLAGE_A1, "low");
    point(&t, a, VILLAGE_A1, "low");
    let r = t
        .call(
            "GET",
            &format!("/api/v1/enterprise-risk-grades/{a}/svg"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .starts_with("image/svg+xml")
    );
    let svg = r.text();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(svg.contains("Noto Sans CJK SC"));
    assert!(svg.contains("测试企业1有限公司安全风险四色分布图"));
    let c = colours(&svg);
    assert_eq!(c[0], ("major".into(), 1, 1));
    assert_eq!(c[1], ("large".into(), 0, 0));
    assert_eq!(c[3], ("low".into(), 2, 2));
    assert_eq!(c[4].2, 0, "no ungraded point");

    // 永泰镇: b_haz graded 较大 by override… no: by its registered grade; b_fire ungraded.
    sql(
        &t,
        "UPDATE enterprises SET risk_grade = 'orange' WHERE id = ?",
        vec![t.ids.b_haz.into()],
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/risk-steering/township-svg?region={TOWN_B}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let svg = r.text();
    assert!(svg.contains("永泰镇企业安全风险四色分布图"));
    let c = colours(&svg);
    assert_eq!(c[1], ("large".into(), 1, 1));
    assert_eq!(c[4], ("none".into(), 1, 1));
    assert_eq!(c[0], ("major".into(), 0, 0));
    // A township outside the caller's scope answers like a missing one; a bad code is named.
    let town_a = t.token("town_a").await;
    let r = t
        .call(
            "GET",
            &format!("/api/v1/risk-steering/township-svg?region={TOWN_B}"),
            Some(&town_a),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .call(
            "GET",
            "/api/v1/risk-steering/township-svg?region=12x",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["region_code"].is_array());
    // Escaping: an enterprise name with markup.
    sql(
        &t,
        "UPDATE enterprises SET name = '<b>&\"甲\"' WHERE id = ?",
        vec![t.ids.b_haz.into()],
    );
    let r = t
        .call(
            "GET",
            &format!("/api/v1/risk-steering/township-svg?region={TOWN_B}"),
            Some(&admin),
            None,
        )
        .await;
    let svg = r.text();
    assert!(!svg.contains("<b>") && svg.contains("&lt;b&gt;&amp;&quot;甲&quot;"));
}

#[tokio::test]
async fn settings_are_validated_and_steer_the_plan_and_the_behind_list() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yj = t.token("yingji").await;
    let r = t
        .call("GET", "/api/v1/risk-steering/settings", Some(&yj), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let d = r.json();
    assert_eq!(d["version"], Json::Null);
    assert_eq!(
        d["settings"]["frequency_months"],
        json!({"major": 1, "large": 3, "general": 6, "low": 12})
    );
    assert_eq!(
        d["settings"]["weights"],
        json!({"major": 4, "large": 3, "general": 2, "low": 1})
    );
    let good = json!({"rule": "highest", "escalate_at": 3, "frequency_months": {"major": 1, "large": 2, "general": 6, "low": 12}, "weights": {"major": 5, "large": 3, "general": 2, "low": 1}, "ungraded_weight": 1});
    // Departments do not set the county's settings.
    let r = t
        .call(
            "PUT",
            "/api/v1/risk-steering/settings",
            Some(&yj),
            Some(good.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let bad = json!({"rule": "lottery", "escalate_at": 1, "frequency_months": {"major": 0, "large": 3, "general": 2, "low": 12}, "weights": {"major": 4, "large": -1, "general": 2, "low": 3}, "ungraded_weight": 0});
    let r = t
        .call(
            "PUT",
            "/api/v1/risk-steering/settings",
            Some(&admin),
            Some(bad),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = r.json()["fields"].clone();
    for field in [
        "rule",
        "escalate_at",
        "frequency_months.major",
        "frequency_months.general",
        "weights.large",
        "weights.low",
        "ungraded_weight",
    ] {
        assert!(f[field].is_array(), "{field} not named: {f}");
    }
    assert!(
        f["frequency_months.general"][0]
            .as_str()
            .unwrap_or_default()
            .contains("一般风险")
    );
    let r = t
        .call(
            "PUT",
            "/api/v1/risk-steering/settings",
            Some(&admin),
            Some(good.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["version"], 1);
    let r = t
        .call(
            "PUT",
            "/api/v1/risk-steering/settings",
            Some(&admin),
            Some(good),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "no version: a lost race");

    // The proposal: a_haz 较大 (every 2 months now) is key; b_haz 低 (every 12) is general.
    let (a, b) = (t.ids.a_haz, t.ids.b_haz);
    point(&t, a, VILLAGE_A1, "large");
    point(&t, b, VILLAGE_B1, "low");
    let r = t
        .call(
            "GET",
            "/api/v1/risk-steering/plan-proposal",
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(p["key_enterprise_ids"], json!([a]));
    let planned = |p: &Json, cat: &str| -> Vec<(i64, i64)> {
        p["lines"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|x| x["category"] == cat)
                    .map(|x| {
                        (
                            x["month"].as_i64().unwrap_or(0),
                            x["planned"].as_i64().unwrap_or(0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        planned(&p, "key"),
        vec![(1, 1), (3, 1), (5, 1), (7, 1), (9, 1), (11, 1)]
    );
    assert_eq!(planned(&p, "general"), vec![(1, 1)]);
    assert!(p["lines"][0]["sector"] == "hazchem");
    // A grade change changes the proposal: b_haz found 重大 by the regulator.
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprise-risk-grades/{b}/override"),
            Some(&yj),
            Some(json!({"grade": "major", "reason": "液氨储量超过临界量"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = t
        .call(
            "GET",
            "/api/v1/risk-steering/plan-proposal",
            Some(&yj),
            None,
        )
        .await
        .json();
    let mut keys: Vec<i64> = p["key_enterprise_ids"]
        .as_array()
        .map(|a| a.iter().filter_map(Json::as_i64).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    assert_eq!(keys, vec![a, b]);
    let key = planned(&p, "key");
    assert_eq!(key.len(), 12, "b_haz every month: {key:?}");
    assert_eq!(key[0], (1, 2));
    assert_eq!(key[1], (2, 1));
    assert!(planned(&p, "general").is_empty());

    // Behind frequency on the plan page: a plan of the 应急局, inspections on the clock.
    let r = t
        .call("POST", "/api/v1/plans", Some(&yj), Some(json!({"year": 2022, "title": "2022年执法计划", "lines": [{"sector": "hazchem", "category": "key", "month": 6, "planned": 2}], "random_share_percent": 10})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let plan = r.json()["id"].as_i64().unwrap_or_default();
    let dept = crate::draws::me_dept(&t, &yj).await;
    let inspected = |e: i64, on: &str| {
        sql(
            &t,
            "INSERT INTO inspections (county_code, region_code, enterprise_id, department_id, site, sector, kind, enforcement, inspected_on, inspectors, checklist, summary, created_at) VALUES ('360982000000', ?, ?, ?, '', 'hazchem', 'routine', ?, ?, '[]', '[]', '', '2022-01-01T00:00:00.000Z')",
            vec![
                VILLAGE_A1.into(),
                e.into(),
                dept.into(),
                false.into(),
                on.into(),
            ],
        )
    };
    // a_haz (较大, every 2 months) last inspected 2022-04-01: due by 2022-06-01, in time today.
    inspected(a, "2022-04-01");
    // b_haz (重大, monthly) inspected 2022-05-15: due by 2022-06-15.
    inspected(b, "2022-05-15");
    assert_eq!(behind(&t, plan, &yj).await, Vec::<i64>::new());
    t.clock.advance(chrono::Duration::days(1)); // 2022-06-02: a_haz is behind
    assert_eq!(behind(&t, plan, &t.token("yingji").await).await, vec![a]);
    t.clock.advance(chrono::Duration::days(14)); // 2022-06-16: both
    let tok = t.token("yingji").await;
    assert_eq!(behind(&t, plan, &tok).await, vec![a, b]);
    let r = t
        .call(
            "GET",
            "/api/v1/enterprise-risk-grades?behind=true",
            Some(&tok),
            None,
        )
        .await;
    let got = by_id(&r.json(), a);
    assert_eq!(got["next_due"], "2022-06-01");
    assert_eq!(got["last_inspected_on"], "2022-04-01");
}

async fn behind(t: &TestApp, plan: i64, tok: &str) -> Vec<i64> {
    let path = format!("/api/v1/risk-steering/plans/{plan}/behind");
    let r = t.call("GET", &path, Some(tok), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["enterprise_id"].as_i64())
                .collect()
        })
        .unwrap_or_default()
}

fn draw_inputs(d: &Json) -> Json {
    serde_json::from_str(d["inputs"].as_str().unwrap_or("{}")).unwrap_or_default()
}

#[tokio::test]
async fn weighted_draws_record_the_weights_and_verify_and_old_draws_still_verify() {
    let t = spawn();
    let yj = t.token("yingji").await;
    let (a, b) = (t.ids.a_haz, t.ids.b_haz);
    point(&t, a, VILLAGE_A1, "general");
    // A second certified inspector, so that teams of two can be drawn.
    let admin = t.token("admin").await;
    let dept = crate::draws::me_dept(&t, &yj).await;
    let r = t
        .call(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "zhifa2", "display_name": "zhifa2", "role": "inspector", "password": "Abc12345678", "department_id": dept})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let request = json!({"title": "加权抽查", "strata": [{"name": "危化", "sector": "hazchem", "quota": 1}], "team_size": 2, "weighted_by_grade": true});
    let r = t
        .call("POST", "/api/v1/draws", Some(&yj), Some(request.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let first = r.json();
    let w = draw_inputs(&first)["weights"].clone();
    assert_eq!(
        w["table"],
        json!({"major": 4, "large": 3, "general": 2, "low": 1})
    );
    assert_eq!(w["ungraded"], 1);
    assert_eq!(
        w["grades"],
        json!({a.to_string(): "general"}),
        "b_haz has no grade"
    );
    // A grade change changes the next draw's pool weights.
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprise-risk-grades/{b}/override"),
            Some(&yj),
            Some(json!({"grade": "major", "reason": "重大危险源"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .call("POST", "/api/v1/draws", Some(&yj), Some(request))
        .await;
    let second = r.json();
    let w2 = draw_inputs(&second)["weights"].clone();
    assert_eq!(
        w2["grades"],
        json!({a.to_string(): "general", b.to_string(): "major"})
    );
    // The first draw keeps the weights it was committed with.
    let id = first["id"].as_i64().unwrap_or_default();
    let r = t
        .call(
            "POST",
            &format!("/api/v1/draws/{id}/draw"),
            Some(&yj),
            Some(json!({"entropy": "2022-06-01 福彩3D 517"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(draw_inputs(&r.json())["weights"], w);
    let drawn = r.json()["tasks"][0]["enterprise_id"]
        .as_i64()
        .unwrap_or_default();
    let verify = |id: i64| {
        let tok = yj.clone();
        let t = &t;
        async move {
            t.call(
                "GET",
                &format!("/api/v1/draws/{id}/verify"),
                Some(&tok),
                None,
            )
            .await
            .json()
        }
    };
    assert_eq!(verify(id).await["match"], true);
    // Tamper with a weight: the other enterprise made overwhelmingly heavy.
    let other = if drawn == a { b } else { a };
    let mut tampered = draw_inputs(&first);
    tampered["weights"]["grades"][other.to_string()] = json!("major");
    tampered["weights"]["table"]["major"] = json!(4_000_000_000u32);
    sql(
        &t,
        "UPDATE draws SET inputs = ? WHERE id = ?",
        vec![tampered.to_string().into(), id.into()],
    );
    let v = verify(id).await;
    assert_eq!(v["match"], false, "{v}");
    assert_eq!(v["result_ok"], false);

    // A draw recorded before weights existed (its inputs and result as the earlier code wrote
    // them; the result computed by scripts/draw_check.py: the second of the pool).
    let (ys, zs) = (t.user("yingji").id, t.user("zhifa").id);
    let mut team = [ys, zs];
    team.sort_unstable();
    let old_inputs = format!(
        r#"{{"strata":[{{"name":"危化","pool":[{a},{b}],"quota":1}}],"inspectors":[{},{}],"conflicts":[],"team_size":2}}"#,
        team[0], team[1]
    );
    let result = format!(
        r#"[{{"stratum":"危化","enterprise_id":{b},"inspectors":[{},{}]}}]"#,
        team[0], team[1]
    );
    sql(
        &t,
        "INSERT INTO draws (county_code, region_code, department_id, title, criteria, inputs, commitment, secret, status, entropy, result, drawn_on, publish_due, created_by, created_at) VALUES ('360982000000', '360982000000', ?, '旧批次', '{}', ?, 'f00c991d364890fa6dc10fe25d9c3c852b09be02213b004f2a04e918aa070788', '旧批次秘密', 'drawn', '2022-05-01 福彩3D 001', ?, '2022-05-01', '2022-05-30', 'yingji', '2022-05-01T02:00:00.000Z')",
        vec![
            crate::draws::me_dept(&t, &yj).await.into(),
            old_inputs.into(),
            result.into(),
        ],
    );
    let r = t.call("GET", "/api/v1/draws", Some(&yj), None).await;
    let old_id = r.json()["items"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["title"] == "旧批次"))
        .and_then(|d| d["id"].as_i64())
        .unwrap_or_default();
    assert!(old_id > 0);
    sql(
        &t,
        "INSERT INTO draw_tasks (draw_id, stratum, enterprise_id, region_code, inspectors) VALUES (?, '危化', ?, ?, ?)",
        vec![
            old_id.into(),
            b.into(),
            VILLAGE_B1.into(),
            format!("[{},{}]", team[0], team[1]).into(),
        ],
    );
    let v = verify(old_id).await;
    assert_eq!(v["match"], true, "{v}");
}

/// A stratum filtered by grade (红/橙 …) takes the enterprises by their effective grade (the
/// override, else the points, else the registration), not by the registered grade alone.
#[tokio::test]
async fn a_grade_filtered_pool_reads_the_effective_grade() {
    let t = spawn();
    let yj = t.token("yingji").await;
    let (a, b) = (t.ids.a_haz, t.ids.b_haz);
    // A second certified inspector, so that teams of two can be drawn.
    let admin = t.token("admin").await;
    let dept = crate::draws::me_dept(&t, &yj).await;
    let r = t
        .call(
            "POST",
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "zhifa2", "display_name": "zhifa2", "role": "inspector", "password": "Abc12345678", "department_id": dept})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // Registered 低 (blue) for both; a's points make it 较大, b is overridden to 重大.
    sql(
        &t,
        "UPDATE enterprises SET risk_grade = 'blue' WHERE id IN (?, ?)",
        vec![a.into(), b.into()],
    );
    point(&t, a, VILLAGE_A1, "large");
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprise-risk-grades/{b}/override"),
            Some(&yj),
            Some(json!({"grade": "major", "reason": "重大危险源"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let pool = |grades: Json| {
        let tok = yj.clone();
        let t = &t;
        async move {
            let request = json!({"title": "按等级抽查", "strata": [{"name": "危化", "sector": "hazchem", "risk_grades": grades, "ratio_percent": 100.0}], "team_size": 2});
            let r = t
                .call("POST", "/api/v1/draws", Some(&tok), Some(request))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            let mut ids: Vec<i64> = draw_inputs(&r.json())["strata"][0]["pool"]
                .as_array()
                .map(|a| a.iter().filter_map(Json::as_i64).collect())
                .unwrap_or_default();
            ids.sort_unstable();
            ids
        }
    };
    assert_eq!(pool(json!(["red"])).await, vec![b]);
    assert_eq!(pool(json!(["orange"])).await, vec![a]);
    let mut both = vec![a, b];
    both.sort_unstable();
    assert_eq!(pool(json!(["red", "orange"])).await, both);
    assert_eq!(
        pool(json!(["blue"])).await,
        Vec::<i64>::new(),
        "the registered grade is superseded"
    );
}

/// 企业风险等级台账: the Excel ledger of the list's query, with the effective grade, how it was
/// set and the override's reason; a bad filter is named.
#[tokio::test]
async fn the_grade_ledger_is_the_lists_query_in_excel() {
    let t = spawn();
    let yj = t.token("yingji").await;
    let b = t.ids.b_haz;
    let r = t
        .call(
            "PUT",
            &format!("/api/v1/enterprise-risk-grades/{b}/override"),
            Some(&yj),
            Some(json!({"grade": "major", "reason": "重大危险源未备案"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .call(
            "GET",
            "/api/v1/enterprise-risk-grades/export?grade=major",
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t2 = anjian_app::import::read_ledger_bytes("xlsx", &r.body).unwrap();
    assert_eq!(t2.headers[0], "企业名称");
    assert_eq!(t2.rows.len(), 1, "{:?}", t2.rows);
    let row = &t2.rows[0].1;
    assert_eq!(row[2], "重大风险");
    assert_eq!(row[3], "监管部门认定");
    assert_eq!(row[10], "重大危险源未备案");
    let r = t
        .call(
            "GET",
            "/api/v1/enterprise-risk-grades/export?grade=purple",
            Some(&yj),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["grade"].is_array());
}
