//! The responsibility records' loops: 乡村应急能力创建 (save, submit, accept, return), the
//! year's evaluation (approve, and the recomputation an approved one offers) and the
//! objection (accept, reject). For each role and state the API's `allowed_actions` and the
//! page's controls are exactly the steps the API accepts, each tried on a fresh record.

use super::*;
use axum::http::StatusCode;
use std::sync::atomic::{AtomicI64, Ordering};

/// A page's HTML for a user (signed in once per user).
struct Pages(HashMap<&'static str, String>);

impl Pages {
    async fn get(&mut self, t: &TestApp, user: &'static str, path: &str) -> String {
        if !self.0.contains_key(user) {
            let (session, _) = t.web_login(user).await;
            self.0.insert(user, session);
        }
        let session = self.0.get(user).cloned().unwrap_or_default();
        let r = t.page(path, &session).await;
        if r.status.is_success() {
            r.text()
        } else {
            String::new()
        }
    }
}

fn offered_of(v: &Value) -> Vec<String> {
    v["allowed_actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an answer is a refusal: not this actor's, not in this state, not visible, or a
/// precondition still missing.
fn refused(code: u16) -> bool {
    matches!(code, 403 | 404 | 409 | 422)
}

// ---- 乡村应急能力创建 ---------------------------------------------------------------------

/// The places the township assesses, with their checklist's item codes.
const PLACES: [(&str, &[&str]); 2] = [
    (
        TOWN_A,
        &[
            "organisation",
            "mechanism",
            "plans",
            "team",
            "supplies",
            "drills",
        ],
    ),
    (VILLAGE_A1, &["person", "plan", "equipment"]),
];

/// One assessment per place and year: each fresh record takes the next (place, year).
static NEXT_PLACE: AtomicI64 = AtomicI64::new(0);

fn capability_body(action: &str, items: &[&str], version: &Value) -> Value {
    match action {
        "save" => {
            json!({"action": "save", "version": version, "items": [{"code": items[0], "met": true}]})
        }
        "submit" => json!({"action": "submit", "version": version,
            "items": items.iter().map(|c| json!({"code": c, "met": true})).collect::<Vec<_>>()}),
        "accept" => json!({"action": "accept", "version": version, "result": "pass",
            "accepted_on": "2022-06-01", "inspectors": "王建国、刘芳"}),
        _ => json!({"action": "return", "version": version, "reason": "佐证材料不全"}),
    }
}

/// A fresh assessment after the path's steps (the township submits, the 安委办 accepts or
/// returns): its id, version and checklist.
async fn capability_record(
    t: &TestApp,
    tokens: &mut Tokens,
    path: &[&str],
) -> (i64, Value, &'static [&'static str]) {
    let n = NEXT_PLACE.fetch_add(1, Ordering::Relaxed);
    let (code, items) = PLACES[(n % 2) as usize];
    let year = 2000 + n / 2;
    let r = t
        .call(
            "POST",
            "/api/v1/capability",
            Some(&tokens.get(t, "town_a").await),
            Some(json!({"region_code": code, "year": year})),
        )
        .await;
    assert!(r.status.is_success(), "capability: create: {}", r.text());
    let mut v = r.json();
    let id = v["id"].as_i64().unwrap_or_default();
    for step in path {
        let who = if *step == "submit" { "town_a" } else { "admin" };
        let r = t
            .call(
                "POST",
                &format!("/api/v1/capability/{id}/actions"),
                Some(&tokens.get(t, who).await),
                Some(capability_body(step, items, &v["version"])),
            )
            .await;
        assert!(r.status.is_success(), "capability: {step}: {}", r.text());
        v = r.json();
    }
    (id, v["version"].clone(), items)
}

#[tokio::test]
async fn capability_offers_exactly_what_it_accepts() {
    let t = spawn();
    let mut tokens = Tokens::default();
    let mut pages = Pages(HashMap::new());
    let actions = ["save", "submit", "accept", "return"];
    let paths: [&[&str]; 4] = [
        &[],
        &["submit"],
        &["submit", "accept"],
        &["submit", "return"],
    ];
    // Who is offered what, per state (hand-written: the township and the 安委办 fill in the
    // self-assessment while it is open, the 安委办 alone accepts or returns a submitted one).
    let expected = |path: &[&str], user: &str| -> Vec<&'static str> {
        let open = path.is_empty() || path.last() == Some(&"return");
        match (user, open, path.last()) {
            ("town_a" | "admin", true, _) => vec!["save", "submit"],
            ("admin", false, Some(&"submit")) => vec!["accept", "return"],
            _ => vec![],
        }
    };
    for path in paths {
        for user in USERS {
            let (id, _, _) = capability_record(&t, &mut tokens, path).await;
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/capability/{id}"),
                    Some(&tokens.get(&t, user).await),
                    None,
                )
                .await;
            let offered = if r.status.is_success() {
                offered_of(&r.json())
            } else {
                Vec::new()
            };
            assert_eq!(offered, expected(path, user), "after {path:?}, {user}");
            let html = pages.get(&t, user, &format!("/capability/{id}")).await;
            for action in actions {
                let on_page = html.contains(&format!("name=\"action\" value=\"{action}\""));
                assert_eq!(
                    on_page,
                    offered.iter().any(|a| a == action),
                    "after {path:?}, {user}: the page and the API disagree on {action}"
                );
                let (id, version, items) = capability_record(&t, &mut tokens, path).await;
                let r = t
                    .call(
                        "POST",
                        &format!("/api/v1/capability/{id}/actions"),
                        Some(&tokens.get(&t, user).await),
                        Some(capability_body(action, items, &version)),
                    )
                    .await;
                if offered.iter().any(|a| a == action) {
                    assert!(
                        r.status.is_success(),
                        "after {path:?}, {user} was offered {action} but: {}",
                        r.text()
                    );
                } else {
                    assert!(
                        refused(r.status.as_u16()),
                        "after {path:?}, {user} was not offered {action} but got {}: {}",
                        r.status,
                        r.text()
                    );
                }
            }
        }
    }
}

// ---- the year's evaluation and its objections --------------------------------------------

/// One evaluation per year and round: each fresh one takes a rubric of a year of its own.
static NEXT_RUBRIC_YEAR: AtomicI64 = AtomicI64::new(2030);

/// A rubric with one computed item (5 points), so an evaluation is approved without hand
/// scores.
async fn rubric(t: &TestApp, admin: &str) -> i64 {
    let year = NEXT_RUBRIC_YEAR.fetch_add(1, Ordering::Relaxed);
    let r = t
        .call(
            "POST",
            "/api/v1/assessment-rubrics",
            Some(admin),
            Some(json!({"year": year, "unit_kind": "township", "title": format!("{year}年度乡镇安全生产工作考核细则"),
                "items": [{"title": "隐患排查登记", "points": 5, "method": "computed", "metric": "hazards.found",
                           "direction": "at_least", "target": 4, "per": 1, "cap": 5}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_i64().unwrap_or_default()
}

/// A fresh evaluation (of a rubric of its own), approved or not: its id and version.
async fn evaluation(t: &TestApp, admin: &str, approved: bool) -> (i64, Value) {
    let rubric = rubric(t, admin).await;
    let r = t
        .call(
            "POST",
            "/api/v1/assessments",
            Some(admin),
            Some(json!({"rubric_id": rubric, "round": "year"})),
        )
        .await;
    assert!(r.status.is_success(), "evaluation: {}", r.text());
    let mut v = r.json();
    let id = v["id"].as_i64().unwrap_or_default();
    if approved {
        let r = t
            .call(
                "POST",
                &format!("/api/v1/assessments/{id}/actions"),
                Some(admin),
                Some(json!({"action": "approve", "version": v["version"]})),
            )
            .await;
        assert!(r.status.is_success(), "approve: {}", r.text());
        v = r.json();
    }
    (id, v["version"].clone())
}

#[tokio::test]
async fn evaluation_offers_exactly_what_it_accepts() {
    let t = spawn();
    let admin = t.token("admin").await;
    let mut tokens = Tokens::default();
    let mut pages = Pages(HashMap::new());
    for approved in [false, true] {
        for user in USERS {
            let (id, version) = evaluation(&t, &admin, approved).await;
            let token = tokens.get(&t, user).await;
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/assessments/{id}"),
                    Some(&token),
                    None,
                )
                .await;
            let offered = if r.status.is_success() {
                offered_of(&r.json())
            } else {
                Vec::new()
            };
            let expect: Vec<String> = if user == "admin" && !approved {
                vec!["approve".into()]
            } else {
                vec![]
            };
            assert_eq!(offered, expect, "approved {approved}, {user}");
            let html = pages.get(&t, user, &format!("/assessments/{id}")).await;
            assert_eq!(
                html.contains(&format!("action=\"/assessments/{id}/approve\"")),
                !offered.is_empty(),
                "approved {approved}, {user}: the page's 审定"
            );
            // The recomputation: offered on the page exactly when the API answers it.
            let link = html.contains(&format!("href=\"/assessments/{id}/recompute\""));
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/assessments/{id}/recompute"),
                    Some(&token),
                    None,
                )
                .await;
            assert_eq!(
                link,
                r.status.is_success(),
                "approved {approved}, {user}: recompute link {link}, API {}",
                r.status
            );
            if r.status.is_success() {
                assert!(approved, "only an approved evaluation recomputes");
            } else {
                assert!(refused(r.status.as_u16()), "{}", r.text());
            }
            let r = t
                .call(
                    "POST",
                    &format!("/api/v1/assessments/{id}/actions"),
                    Some(&token),
                    Some(json!({"action": "approve", "version": version})),
                )
                .await;
            if offered.is_empty() {
                assert!(refused(r.status.as_u16()), "{user}: {}", r.text());
            } else {
                assert!(r.status.is_success(), "{user}: {}", r.text());
            }
        }
    }
}

#[tokio::test]
async fn objection_offers_exactly_what_it_accepts() {
    let t = spawn();
    let admin = t.token("admin").await;
    let town = t.token("town_a").await;
    let (id, _) = evaluation(&t, &admin, true).await;
    let v = t
        .call(
            "GET",
            &format!("/api/v1/assessments/{id}"),
            Some(&town),
            None,
        )
        .await
        .json();
    let unit = v["units"][0]["unit_id"].as_i64().unwrap_or_default();
    let mut tokens = Tokens::default();
    let mut pages = Pages(HashMap::new());
    let body = |action: &str, version: &Value| match action {
        "accept" => {
            json!({"action": "accept", "score": 4, "answer": "经核实采纳", "version": version})
        }
        _ => json!({"action": "reject", "answer": "经核实不予采纳", "version": version}),
    };
    // A fresh objection (the previous one answered, so the item takes a new one) after the
    // path (nothing, or the 安委办's answer).
    let fresh = |path: Option<&'static str>| {
        let (t, admin, town) = (&t, admin.clone(), town.clone());
        async move {
            let r = t
                .call(
                    "POST",
                    &format!("/api/v1/assessment-units/{unit}/objections"),
                    Some(&town),
                    Some(json!({"item": 1, "reason": "隐患登记数量统计有遗漏"})),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            let mut o = r.json();
            let oid = o["id"].as_i64().unwrap_or_default();
            if let Some(a) = path {
                let r = t
                    .call(
                        "POST",
                        &format!("/api/v1/assessment-objections/{oid}/actions"),
                        Some(&admin),
                        Some(body(a, &o["version"])),
                    )
                    .await;
                assert!(r.status.is_success(), "{a}: {}", r.text());
                o = r.json();
            }
            (oid, o["version"].clone())
        }
    };
    // Leaves no objection pending (the next fresh one may be filed).
    let close = |oid: i64| {
        let (t, admin) = (&t, admin.clone());
        async move {
            let o = t
                .call(
                    "GET",
                    &format!("/api/v1/assessment-objections/{oid}"),
                    Some(&admin),
                    None,
                )
                .await
                .json();
            if o["status"] == "filed" {
                let r = t
                    .call(
                        "POST",
                        &format!("/api/v1/assessment-objections/{oid}/actions"),
                        Some(&admin),
                        Some(body("reject", &o["version"])),
                    )
                    .await;
                assert!(r.status.is_success(), "close: {}", r.text());
            }
        }
    };
    for path in [None, Some("accept"), Some("reject")] {
        for user in USERS {
            let (oid, _) = fresh(path).await;
            let token = tokens.get(&t, user).await;
            let r = t
                .call(
                    "GET",
                    &format!("/api/v1/assessment-objections/{oid}"),
                    Some(&token),
                    None,
                )
                .await;
            let offered = if r.status.is_success() {
                offered_of(&r.json())
            } else {
                Vec::new()
            };
            let expect: Vec<String> = if user == "admin" && path.is_none() {
                vec!["accept".into(), "reject".into()]
            } else {
                vec![]
            };
            assert_eq!(offered, expect, "after {path:?}, {user}");
            let html = pages
                .get(&t, user, &format!("/assessment-units/{unit}"))
                .await;
            assert_eq!(
                html.contains(&format!("action=\"/assessment-objections/{oid}/answer\"")),
                !offered.is_empty(),
                "after {path:?}, {user}: the unit page's answer form"
            );
            close(oid).await;
            for action in ["accept", "reject"] {
                let (oid, version) = fresh(path).await;
                let r = t
                    .call(
                        "POST",
                        &format!("/api/v1/assessment-objections/{oid}/actions"),
                        Some(&token),
                        Some(body(action, &version)),
                    )
                    .await;
                if offered.iter().any(|a| a == action) {
                    assert!(r.status.is_success(), "{user} {action}: {}", r.text());
                } else {
                    assert!(
                        refused(r.status.as_u16()),
                        "after {path:?}, {user} was not offered {action} but got {}: {}",
                        r.status,
                        r.text()
                    );
                }
                close(oid).await;
            }
        }
    }
}
