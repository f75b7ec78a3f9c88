//! The pages and the API offer exactly what the use case accepts: for every workflow, at every
//! state along its main path, for every role, each offered action succeeds and each hidden one
//! is refused (403, 404, 409, or 422 naming a precondition still missing), on a fresh record in
//! that state.

use crate::helpers::*;
use serde_json::{Value, json};
use std::collections::HashMap;

mod accidents;
mod enforcement;
mod planning;
mod responsibility;
mod risk;
mod supervision;

const USERS: [&str; 7] = [
    "admin", "leader", "yingji", "zhifa", "town_a", "qiye", "paizhu",
];

struct Flow {
    name: &'static str,
    /// Where the record is created (`None`: `base`).
    create_at: Option<&'static str>,
    base: &'static str,
    /// Who creates the record, and the body.
    create: (&'static str, Value),
    /// The main path: who takes each step, with its body (it names the action). A step by
    /// `"clock"` moves the clock on by its `days` (each fresh record starts at the same time).
    path: Vec<(&'static str, Value)>,
    /// One complete body per action of the catalogue.
    catalogue: Vec<Value>,
    /// Evidence files are attached to the record (a hazard) by its creator before the path:
    /// close-out needs them.
    evidence: bool,
    /// Each record gets a year of its own (a plan is one per department and year).
    unique_year: bool,
}

/// The test clock's start (every fresh record is made then).
fn start_of(_t: &TestApp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2022-06-01T09:00:00+08:00")
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

static NEXT_YEAR: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(2030);

/// Sign-ins per user and clock offset (a session signed in at the start has expired by the
/// time a path's clock step has moved the clock on).
#[derive(Default)]
struct Tokens(HashMap<(i64, &'static str), String>);

impl Tokens {
    async fn get(&mut self, t: &TestApp, user: &'static str) -> String {
        let offset = (anjian_domain::clock::Clock::now(&*t.clock) - start_of(t)).num_days();
        if let Some(tok) = self.0.get(&(offset, user)) {
            return tok.clone();
        }
        let tok = t.token(user).await;
        self.0.insert((offset, user), tok.clone());
        tok
    }
}

async fn fresh(t: &TestApp, tokens: &mut Tokens, f: &Flow, steps: usize) -> i64 {
    t.clock.set(start_of(t));
    let (who, body) = &f.create;
    let mut body = body.clone();
    if f.unique_year {
        body["year"] = json!(NEXT_YEAR.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    }
    let r = t
        .call(
            "POST",
            f.create_at.unwrap_or(f.base),
            Some(&tokens.get(t, who).await),
            Some(body),
        )
        .await;
    assert!(r.status.is_success(), "{}: create: {}", f.name, r.text());
    let id = r.json()["id"].as_i64().unwrap_or_default();
    if f.evidence {
        let (ct, body) = crate::major::multipart_pdf();
        let r = t
            .raw(
                "POST",
                &format!("/api/v1/hazards/{id}/attachments"),
                Some(&tokens.get(t, who).await),
                &ct,
                body,
            )
            .await;
        assert!(r.status.is_success(), "{}: evidence: {}", f.name, r.text());
    }
    for (who, body) in &f.path[..steps] {
        if *who == "clock" {
            let days = body["days"].as_i64().unwrap_or_default();
            t.clock.advance(chrono::Duration::days(days));
            continue;
        }
        if *who == "document" {
            // A document the next step needs, issued from the record by the officer.
            let mut doc = body.clone();
            doc["entity_id"] = json!(id);
            let r = t
                .call(
                    "POST",
                    "/api/v1/documents",
                    Some(&tokens.get(t, "zhifa").await),
                    Some(doc),
                )
                .await;
            assert!(r.status.is_success(), "{}: document: {}", f.name, r.text());
            continue;
        }
        let r = t
            .call(
                "POST",
                &format!("{}/{id}/actions", f.base),
                Some(&tokens.get(t, who).await),
                Some(body.clone()),
            )
            .await;
        assert!(
            r.status.is_success(),
            "{}: path step {body} by {who}: {}",
            f.name,
            r.text()
        );
    }
    id
}

async fn check(t: &TestApp, f: &Flow) {
    let mut tokens = Tokens::default();
    for steps in 0..=f.path.len() {
        for user in USERS {
            let id = fresh(t, &mut tokens, f, steps).await;
            let r = t
                .call(
                    "GET",
                    &format!("{}/{id}", f.base),
                    Some(&tokens.get(t, user).await),
                    None,
                )
                .await;
            let offered: Vec<String> = if r.status.is_success() {
                r.json()["allowed_actions"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            for body in &f.catalogue {
                let action = body["action"].as_str().unwrap_or_default().to_string();
                let id = fresh(t, &mut tokens, f, steps).await;
                let r = t
                    .call(
                        "POST",
                        &format!("{}/{id}/actions", f.base),
                        Some(&tokens.get(t, user).await),
                        Some(body.clone()),
                    )
                    .await;
                let code = r.status.as_u16();
                if offered.contains(&action) {
                    assert!(
                        r.status.is_success(),
                        "{}: after {steps} steps, {user} was offered {body} but: {}",
                        f.name,
                        r.text()
                    );
                } else {
                    assert!(
                        // Refused: not this actor's (403), not in this state (409), not visible
                        // (404), or a legal precondition still missing (422, naming it).
                        matches!(code, 403 | 404 | 409 | 422),
                        "{}: after {steps} steps, {user} was not offered {body} but got {code}: {}",
                        f.name,
                        r.text()
                    );
                }
            }
        }
    }
}
