//! No existence leaks (issue 22): a reference to a record outside the caller's scope answers
//! exactly as a reference to a record that does not exist — the same status and the same
//! body — on every route that takes an id, in its path or in its body.

use crate::helpers::*;
use serde_json::{Value, json};

/// An id no record has.
const MISSING: i64 = 987_654_321;

/// One request with the foreign id in it.
type Build = Box<dyn Fn(i64) -> (&'static str, String, Option<Value>)>;

fn routes(sector: &'static str, region: &'static str) -> Vec<(&'static str, Build)> {
    vec![
        (
            "read an enterprise",
            Box::new(|id| ("GET", format!("/api/v1/enterprises/{id}"), None)),
        ),
        (
            "an enterprise's history",
            Box::new(|id| ("GET", format!("/api/v1/enterprises/{id}/history"), None)),
        ),
        (
            "register a hazard against an enterprise",
            Box::new(move |id| {
                (
                    "POST",
                    "/api/v1/hazards".into(),
                    Some(
                        json!({"enterprise_id": id, "region_code": region, "sector": sector, "level": "general", "source": "inspection",
                                "description": "储罐区可燃气体报警器失效", "found_on": "2022-05-20", "deadline": "2022-06-10"}),
                    ),
                )
            }),
        ),
        (
            "record an inspection of an enterprise",
            Box::new(move |id| {
                (
                    "POST",
                    "/api/v1/inspections".into(),
                    Some(
                        json!({"enterprise_id": id, "sector": sector, "kind": "routine", "inspected_on": "2022-05-31",
                                "inspectors": ["杨帆", "刘芳"], "findings": [], "summary": "检查"}),
                    ),
                )
            }),
        ),
        (
            "open a case against an enterprise",
            Box::new(|id| {
                (
                    "POST",
                    "/api/v1/cases".into(),
                    Some(
                        json!({"officers": ["执法员甲", "执法员乙"], "procedure": "simple", "party_kind": "organisation", "party_name": "当事人甲",
                                "enterprise_id": id, "fine_yuan": 100.0, "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条"}),
                    ),
                )
            }),
        ),
        (
            "report a transfer about an enterprise",
            Box::new(|id| {
                (
                    "POST",
                    "/api/v1/transfers".into(),
                    Some(
                        json!({"enterprise_id": id, "subject": "某人", "crime_type": "dangerous_operation", "facts": "事实", "officers": ["甲", "乙"]}),
                    ),
                )
            }),
        ),
    ]
}

fn hazard_routes() -> Vec<(&'static str, Build)> {
    vec![
        (
            "read a hazard",
            Box::new(|id| ("GET", format!("/api/v1/hazards/{id}"), None)),
        ),
        (
            "act on a hazard",
            Box::new(|id| {
                (
                    "POST",
                    format!("/api/v1/hazards/{id}/actions"),
                    Some(json!({"action": "assign"})),
                )
            }),
        ),
        (
            "issue a document from a hazard",
            Box::new(|id| {
                (
                    "POST",
                    "/api/v1/documents".into(),
                    Some(
                        json!({"doc_type": "rectification_order", "entity": "hazard", "entity_id": id}),
                    ),
                )
            }),
        ),
        (
            "a hazard's attachments",
            Box::new(|id| ("GET", format!("/api/v1/hazards/{id}/attachments"), None)),
        ),
    ]
}

/// The answer without what differs per request (its id).
fn answer(r: &Resp) -> (u16, Value) {
    let mut body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    if let Some(o) = body.as_object_mut() {
        o.remove("request_id");
    }
    (r.status.as_u16(), body)
}

async fn compare(t: &TestApp, user: &str, foreign: i64, routes: Vec<(&'static str, Build)>) {
    let token = t.token(user).await;
    for (what, build) in routes {
        let (m, p, b) = build(foreign);
        let out = answer(&t.call(m, &p, Some(&token), b).await);
        let (m, p, b) = build(MISSING);
        let none = answer(&t.call(m, &p, Some(&token), b).await);
        assert_eq!(
            out, none,
            "{user}: {what}: an out-of-scope id ({foreign}) and a missing one answer differently"
        );
        assert!(
            out.0 >= 400 && out.0 < 500,
            "{user}: {what} was not refused: {out:?}"
        );
    }
}

#[tokio::test]
async fn an_out_of_scope_reference_answers_as_a_missing_one() {
    let t = spawn();
    // A township officer and town B's enterprise; a department's officers and another
    // sector's enterprise.
    compare(&t, "town_a", t.ids.b_haz, routes("hazchem", VILLAGE_A1)).await;
    compare(&t, "yingji", t.ids.a_fire, routes("hazchem", VILLAGE_A1)).await;
    compare(&t, "zhifa", t.ids.a_fire, routes("hazchem", VILLAGE_A1)).await;
    // A hazard of town B, seen from town A; a fire hazard, seen from the 应急 department's
    // inspector.
    let admin = t.token("admin").await;
    let hazard = |enterprise: i64, region: &'static str, sector: &'static str| {
        let admin = admin.clone();
        let t = &t;
        async move {
            let r = t
                .call(
                    "POST",
                    "/api/v1/hazards",
                    Some(&admin),
                    Some(json!({"enterprise_id": enterprise, "region_code": region, "sector": sector, "level": "general", "source": "inspection",
                                "description": "安全出口堵塞", "found_on": "2022-05-20", "deadline": "2022-06-10"})),
                )
                .await;
            assert!(r.status.is_success(), "{}", r.text());
            r.json()["id"].as_i64().unwrap_or_default()
        }
    };
    let in_b = hazard(t.ids.b_haz, VILLAGE_B1, "hazchem").await;
    let fire = hazard(t.ids.a_fire, TOWN_A, "fire").await;
    compare(&t, "town_a", in_b, hazard_routes()).await;
    compare(&t, "zhifa", fire, hazard_routes()).await;
    compare(&t, "yingji", fire, hazard_routes()).await;
}
