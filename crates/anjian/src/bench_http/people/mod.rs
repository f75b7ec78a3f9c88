//! Many people at once, each with an account, a login and a connection of their own:
//! - `bench view` (issue 19, item 5): province users opening the hazard ledger and the home
//!   page of a province store, alone and while a county records hazards;
//! - `bench month-end` (item 6): a thousand township users logging in, recording hazards
//!   and work, and reading their lists at a human pace, compressed; every acknowledged write
//!   is looked up in the store afterwards.

use super::traffic::{api_token, web_session, when_up};
use super::*;
use anjian_app::App;
use anjian_app::demo::province;
use anjian_domain::Scope;
use std::collections::BTreeMap;

/// Latencies of one route (seconds) and its failures.
#[derive(Default)]
struct Route {
    lat: Vec<f64>,
    errors: u64,
    first_error: Option<String>,
}

type Routes = BTreeMap<&'static str, Route>;

impl Route {
    fn fail(&mut self, e: String) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(e.chars().take(300).collect());
        }
    }
}

fn merge(into: &mut Routes, from: Routes) {
    for (k, r) in from {
        let e = into.entry(k).or_default();
        e.lat.extend(r.lat);
        e.errors += r.errors;
        if e.first_error.is_none() {
            e.first_error = r.first_error;
        }
    }
}

/// The `q` quantile of `v` (sorted here), in milliseconds.
fn ms(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64) * q) as usize;
    v.get(i.min(v.len().saturating_sub(1)))
        .map_or(0.0, |x| x * 1000.0)
}

/// Sends `req` and times it into `routes[name]`: the response when it is a 2xx.
async fn timed(
    routes: &mut Routes,
    name: &'static str,
    conn: &mut Conn,
    req: &[u8],
) -> Option<client::Resp> {
    let t = Instant::now();
    let r = conn.send(req).await;
    let route = routes.entry(name).or_default();
    match r {
        Ok(r) if (200..300).contains(&r.status) => {
            route.lat.push(t.elapsed().as_secs_f64());
            Some(r)
        }
        Ok(r) => {
            route.fail(format!(
                "HTTP {}: {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            ));
            None
        }
        Err(e) => {
            route.fail(e.to_string());
            None
        }
    }
}

fn post_json(path: &str, auth: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Accounts `{prefix}{i}` for `i` in `0..n` with the demo password, each made by the
/// system without a forced change of password; those already there are kept.
fn accounts(
    app: &App,
    store: &Store,
    prefix: &str,
    n: usize,
    role: &str,
    region_of: impl Fn(usize) -> String,
) -> Result<Vec<String>, String> {
    let e = |e: anjian_store::StoreError| e.to_string();
    let scope = Scope::system();
    let have: std::collections::HashSet<String> = store
        .list_users(&scope)
        .map_err(e)?
        .into_iter()
        .map(|u| u.username)
        .collect();
    let change = app.system_change(&scope, "bench");
    let hash = anjian_app::auth::hash_password_with(demo::DEMO_PASSWORD, app.entropy.as_ref())
        .map_err(|e| e.to_string())?;
    let mut names = Vec::with_capacity(n);
    for i in 0..n {
        let username = format!("{prefix}{i:04}");
        if !have.contains(&username) {
            store
                .create_user_with(
                    &change,
                    &anjian_store::users::UserInput {
                        username: username.clone(),
                        display_name: format!("压力测试用户{i}"),
                        role: role.into(),
                        region_code: region_of(i),
                        department_id: None,
                        enterprise_id: None,
                        phone: None,
                        active: true,
                        site_ids: Vec::new(),
                        cert_no: None,
                        cert_valid_until: None,
                    },
                    &hash,
                    false,
                )
                .map_err(e)?;
        }
        names.push(username);
    }
    Ok(names)
}

fn servers(
    url: &str,
    instances: usize,
) -> Result<(Vec<Server>, Vec<std::net::SocketAddr>), String> {
    let mut servers = Vec::new();
    let mut addrs = Vec::new();
    for _ in 0..instances.max(1) {
        let (server, addr) = start_server(url)?;
        servers.push(server);
        addrs.push(addr);
    }
    Ok((servers, addrs))
}

mod month_end;
mod view;
pub use month_end::{MonthEndOpts, month_end};
pub use view::{Pages, ViewOpts, view};
