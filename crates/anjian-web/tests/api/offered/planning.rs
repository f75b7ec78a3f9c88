//! 双随机 draws and enforcement plans.

use super::*;

#[tokio::test]
async fn draw_offers_exactly_what_it_accepts() {
    let t = spawn();
    let admin = t.token("admin").await;
    let yj = t.token("yingji").await;
    let dept = crate::draws::me_dept(&t, &yj).await;
    // Teams of two need two certified inspectors in the organising department.
    for n in ["zhifa2", "zhifa3"] {
        let r = t
            .call(
                "POST",
                "/api/v1/users",
                Some(&admin),
                Some(json!({"username": n, "display_name": n, "role": "inspector", "password": "Abc12345678", "department_id": dept})),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text());
    }
    let flow = Flow {
        name: "双随机抽查",
        create_at: None,
        base: "/api/v1/draws",
        create: (
            "yingji",
            json!({"title": "危化企业随机抽查", "strata": [{"name": "危化", "sector": "hazchem", "quota": 1}], "team_size": 2}),
        ),
        path: vec![
            ("yingji", json!({"action": "draw", "entropy": "20220601"})),
            (
                "yingji",
                json!({"action": "publish", "published_on": "2022-06-01", "published_where": "市政府网站"}),
            ),
        ],
        catalogue: vec![
            json!({"action": "draw", "entropy": "20220601"}),
            json!({"action": "publish", "published_on": "2022-06-01", "published_where": "市政府网站"}),
        ],
        evidence: false,
        unique_year: false,
    };
    check(&t, &flow).await;
}

#[tokio::test]
async fn plan_offers_exactly_what_it_accepts() {
    let t = spawn();
    let lines = json!([{"sector": "hazchem", "category": "key", "month": 6, "planned": 3}]);
    let flow = Flow {
        name: "执法计划",
        create_at: None,
        base: "/api/v1/plans",
        create: (
            "yingji",
            json!({"year": 2030, "title": "年度安全生产监督检查计划", "random_share_percent": 70, "version": 1,
                   "key_enterprise_ids": [], "lines": lines.clone()}),
        ),
        path: vec![(
            "admin",
            json!({"action": "approve", "version": 1, "approved_by": "清江市人民政府", "approved_on": "2022-06-01", "doc_no": "清府字〔2022〕9号"}),
        )],
        catalogue: vec![
            json!({"action": "revise", "title": "年度计划（修订）", "random_share_percent": 60, "version": 1,
                   "key_enterprise_ids": [], "lines": lines}),
            json!({"action": "approve", "version": 1, "approved_by": "清江市人民政府", "approved_on": "2022-06-01", "doc_no": "清府字〔2022〕9号"}),
        ],
        evidence: false,
        unique_year: true,
    };
    check(&t, &flow).await;
}
