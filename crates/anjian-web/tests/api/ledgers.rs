//! Nothing is silently cut: lists page by keyset to the end, and every Excel ledger holds every
//! row, past the old caps (500 cases, 1,000 transfers, 2,000 reports).

use crate::helpers::*;
use anjian_app::testing::store::reports::Report;
use anjian_app::testing::store::transfers::Transfer;
use axum::http::StatusCode;
use serde_json::json;

async fn ledger_rows(t: &TestApp, token: &str, path: &str) -> usize {
    let r = t.call("GET", path, Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    anjian_app::import::read_ledger_bytes("xlsx", &r.body)
        .expect("an xlsx ledger")
        .rows
        .len()
}

/// Walks an API list by its `next` cursor; returns every id seen.
async fn walk(
    t: &TestApp,
    token: &str,
    path: &str,
    id: impl Fn(&serde_json::Value) -> i64,
) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut url = format!("{path}?limit=1000");
    loop {
        let r = t.call("GET", &url, Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.text());
        let j = r.json();
        ids.extend(j["items"].as_array().expect("items").iter().map(&id));
        match j["next"].as_str() {
            Some(n) => url = format!("{path}?limit=1000&after={n}"),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn ledgers_and_lists_hold_every_row_past_the_old_caps() {
    let t = spawn();
    let (reports, transfers, cases) = (2_001usize, 1_001usize, 501usize);
    off_runtime(|| {
        let store = t.app.store_for_tests();
        let scope = anjian_domain::Scope::system();
        let ch = t.app.system_change(&scope, "test");
        for n in 0..reports {
            let r = Report {
                region_code: VILLAGE_A1.into(),
                sector: "hazchem".into(),
                channel: "12350热线".into(),
                received_on: "2022-05-20".parse().unwrap(),
                anonymous: true,
                category: "general".into(),
                content: format!("举报 {n}"),
                ..Default::default()
            };
            store.create_report(&ch, &r).unwrap();
        }
        for n in 0..transfers {
            let tr = Transfer {
                region_code: VILLAGE_A1.into(),
                sector: "hazchem".into(),
                subject: format!("当事人 {n}"),
                crime_type: "dangerous_operation".into(),
                facts: "关闭报警装置后继续生产".into(),
                officers: "[\"杨帆\",\"钟敏\"]".into(),
                report_on: chrono::NaiveDate::from_ymd_opt(2022, 5, 20).unwrap_or_default(),
                persons: 1,
                ..Default::default()
            };
            store.create_transfer(&ch, &tr).unwrap();
        }
    });
    let yj = t.token("yingji").await;
    for n in 0..cases {
        let r = t
            .call(
                "POST",
                "/api/v1/cases",
                Some(&yj),
                Some(json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "person", "party_name": format!("刘某{n}"),
                    "enterprise_id": t.ids.a_haz, "fine_yuan": 50.0, "facts": "未佩戴防护用品", "legal_basis": "《安全生产法》"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let admin = t.token("admin").await;
    assert_eq!(
        ledger_rows(&t, &admin, "/api/v1/reports/export").await,
        reports
    );
    assert_eq!(
        ledger_rows(&t, &admin, "/api/v1/transfers/export").await,
        transfers
    );
    assert_eq!(ledger_rows(&t, &admin, "/api/v1/cases/export").await, cases);
    // The lists page to the end, each row once, newest first.
    let by_id = |v: &serde_json::Value| v["id"].as_i64().unwrap_or_default();
    let case_ids = |v: &serde_json::Value| {
        v["case"]["id"]
            .as_i64()
            .or(v["id"].as_i64())
            .unwrap_or_default()
    };
    for (path, n, id) in [
        (
            "/api/v1/reports",
            reports,
            &by_id as &dyn Fn(&serde_json::Value) -> i64,
        ),
        ("/api/v1/transfers", transfers, &by_id),
        ("/api/v1/cases", cases, &case_ids),
    ] {
        let ids = walk(&t, &admin, path, id).await;
        assert_eq!(ids.len(), n, "{path}");
        let mut sorted = ids.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(sorted, ids, "{path}: newest first, no row twice");
    }
    // The HTML list shows a page and a link to the next.
    let (session, _) = t.web_login("admin").await;
    let page = t.page("/reports", &session).await.text();
    assert!(
        page.contains("下一页"),
        "the reports page links to the next page"
    );
}
