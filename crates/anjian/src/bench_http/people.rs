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

/// What `bench view` runs.
#[derive(Debug, Clone)]
pub struct ViewOpts {
    /// Province users, each opening the ledger and the home page back to back.
    pub users: usize,
    /// Seconds per phase.
    pub secs: f64,
    /// Hazards a county user records per second in the second phase.
    pub writes_per_s: f64,
    pub instances: usize,
    /// Each user opens the ledger (`ledger`), the home page (`home`) or both in turn.
    pub pages: Pages,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Pages {
    Both,
    Ledger,
    Home,
}

/// The ledger's first page and the home page for province users of a province store
/// (`demo --scale province`), at `opts.users` concurrent users: a phase of reads alone,
/// then one while a county's user records hazards (each commit makes the ledger's totals
/// and the figures of every later request be read again).
pub fn view(url: &str, store: Arc<Store>, opts: &ViewOpts) -> Result<(), String> {
    let app = demo::demo_app(store.clone(), 7);
    let e = |e: anjian_app::AppError| e.to_string();
    if !app
        .all_regions()
        .map_err(e)?
        .iter()
        .any(|r| r.code == province::PROVINCE_CODE)
    {
        return Err(
            "bench view 需要基准省数据库：先运行 anjian demo --scale province --db URL".into(),
        );
    }
    let rows = store.max_hazard_id().map_err(|e| e.to_string())?;
    let users = accounts(&app, &store, "sheng", opts.users.max(1), "leader", |_| {
        province::PROVINCE_CODE.to_string()
    })?;
    let county = province::county_code(0);
    let writer = accounts(&app, &store, "xian", 1, "admin", |_| county.clone())?;
    let villages: Vec<String> = (0..10)
        .flat_map(|t| (0..5).map(move |v| (t, v)))
        .map(|(t, v)| format!("{}{}{}", &county[..6], 100 + t, 200 + v))
        .collect();
    let (servers, addrs) = servers(url, opts.instances)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let store_name = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let result = rt.block_on(async {
        for a in &addrs {
            when_up(*a).await?;
        }
        // Each user's own session on its own connection, spread over the instances.
        let mut conns = Vec::new();
        for (i, u) in users.iter().enumerate() {
            let mut c = Conn::open(addrs[i % addrs.len()])
                .await
                .map_err(|e| e.to_string())?;
            let session = web_session(&mut c, u).await?;
            conns.push((c, format!("Cookie: anjian_session={session}\r\n")));
        }
        let mut w = Conn::open(addrs[0]).await.map_err(|e| e.to_string())?;
        let token = api_token(&mut w, &writer[0]).await?;
        let bearer = format!("Authorization: Bearer {token}\r\n");
        let mut out = Vec::new();
        for (phase, writes) in [("reads", 0.0), ("writes", opts.writes_per_s)] {
            let end = Instant::now() + Duration::from_secs_f64(opts.secs);
            let mut tasks = Vec::new();
            let pages = opts.pages;
            for (c, cookie) in conns.drain(..) {
                tasks.push(tokio::spawn(async move {
                    let mut c = c;
                    let mut routes = Routes::new();
                    let mut first = None;
                    while Instant::now() < end {
                        if pages != Pages::Home {
                            let t = Instant::now();
                            timed(&mut routes, "ledger", &mut c, &get("/hazards", &cookie)).await;
                            first.get_or_insert(t.elapsed().as_secs_f64());
                        }
                        if pages != Pages::Ledger {
                            timed(&mut routes, "home", &mut c, &get("/", &cookie)).await;
                        }
                    }
                    (c, cookie, routes, first.unwrap_or(0.0))
                }));
            }
            // The county user's hazards, at an even pace.
            let mut written = 0u64;
            let mut wroutes = Routes::new();
            if writes > 0.0 {
                let gap = Duration::from_secs_f64(1.0 / writes);
                let mut next = Instant::now();
                while Instant::now() < end {
                    let body = json!({
                        "region_code": villages[written as usize % villages.len()],
                        "sector": SECTORS[written as usize % SECTORS.len()],
                        "level": "general",
                        "source": "inspection",
                        "description": format!("省级查看压力测试中登记的第{written}条隐患"),
                        "found_on": "2022-06-01",
                        "deadline": "2022-07-01",
                        "confirm_past_deadline": true,
                    })
                    .to_string();
                    if timed(
                        &mut wroutes,
                        "post",
                        &mut w,
                        &post_json("/api/v1/hazards", &bearer, &body),
                    )
                    .await
                    .is_some()
                    {
                        written += 1;
                    }
                    next += gap;
                    tokio::time::sleep_until(next.into()).await;
                }
            }
            let mut routes = Routes::new();
            let mut firsts = Vec::new();
            for t in tasks {
                let (c, cookie, r, first) = t.await.map_err(|e| e.to_string())?;
                conns.push((c, cookie));
                merge(&mut routes, r);
                firsts.push(first);
            }
            let werrors = wroutes.values().map(|r| r.errors).sum::<u64>();
            out.push((phase, routes, ms(&mut firsts, 1.0), written, werrors));
        }
        Ok::<_, String>(out)
    });
    drop(servers);
    for (phase, mut routes, first_max, written, write_errors) in result? {
        for (route, path) in [("ledger", "/hazards"), ("home", "/")] {
            let Some(r) = routes.get_mut(route) else {
                continue;
            };
            let n = r.lat.len();
            emit(
                json!({
                    "bench": format!("view_{route}"),
                    "store": store_name,
                    "route": path,
                    "phase": phase,
                    "users": users.len(),
                    "pages": format!("{:?}", opts.pages).to_lowercase(),
                    "instances": opts.instances,
                    "hazards": rows,
                    "requests": n as u64 + r.errors,
                    "per_s": n as f64 / opts.secs,
                    "errors": r.errors,
                    "first_error": r.first_error,
                    "p50_ms": ms(&mut r.lat, 0.5),
                    "p99_ms": ms(&mut r.lat, 0.99),
                    "max_ms": ms(&mut r.lat, 1.0),
                    "target_p99_ms": 100,
                }),
                json!({}),
            );
        }
        emit(
            json!({
                "bench": "view_phase",
                "store": store_name,
                "phase": phase,
                // The slowest first ledger page of a user in the phase (a cold read).
                "first_ledger_max_ms": first_max,
                "hazards_written": written,
                "write_errors": write_errors,
            }),
            json!({}),
        );
    }
    Ok(())
}

/// What `bench month-end` runs.
#[derive(Debug, Clone)]
pub struct MonthEndOpts {
    pub users: usize,
    /// The whole load's length in seconds (the logins are spread over its first tenth).
    pub secs: f64,
    /// Mean seconds a user waits between actions (each wait is 0.5 to 1.5 times it).
    pub think_secs: f64,
    pub instances: usize,
    pub hazards: usize,
    pub reuse: bool,
}

/// What one simulated user did: routes, and the ids of the writes the server acknowledged.
struct Person {
    routes: Routes,
    hazards: Vec<i64>,
    work: Vec<i64>,
}

/// The thousand users of a month-end on the demo county grown to `opts.hazards` hazards,
/// against `opts.instances` servers: township users log in over the first tenth of the run
/// and then, until its end, each records hazards and work and reads the ledgers with a
/// think time between actions. Errors and latencies per route are printed, and every write
/// the servers acknowledged is looked up in the store after they are killed.
pub fn month_end(target: &crate::bench_store::Target, opts: &MonthEndOpts) -> Result<(), String> {
    let County {
        scratch,
        app,
        max_id,
        ..
    } = county(target, opts.hazards, opts.reuse)?;
    let store = scratch.store.clone();
    let e = |e: anjian_app::AppError| e.to_string();
    let regions = app.all_regions().map_err(e)?;
    let townships: Vec<(String, Vec<String>)> = regions
        .iter()
        .filter(|r| r.level == "township")
        .map(|t| {
            let villages = regions
                .iter()
                .filter(|v| v.parent_code.as_deref() == Some(t.code.as_str()))
                .map(|v| v.code.clone())
                .collect::<Vec<_>>();
            (t.code.clone(), villages)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if townships.is_empty() {
        return Err("demo county has no townships with villages".into());
    }
    let item = store
        .list_work_item_types()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|t| t.active && t.sector.is_none())
        .ok_or("no work item for every sector")?
        .code;
    eprintln!("bench month-end: {} accounts …", opts.users);
    let users = accounts(&app, &store, "yd", opts.users.max(1), "township", |i| {
        townships[i % townships.len()].0.clone()
    })?;
    let (servers, addrs) = servers(&scratch.url, opts.instances)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let people = rt.block_on(async {
        for a in &addrs {
            when_up(*a).await?;
        }
        let end = Instant::now() + Duration::from_secs_f64(opts.secs);
        let arrive = opts.secs / 10.0;
        let mut tasks = Vec::new();
        for (i, user) in users.iter().enumerate() {
            let addr = addrs[i % addrs.len()];
            let (user, item) = (user.clone(), item.clone());
            let villages = townships[i % townships.len()].1.clone();
            let township = townships[i % townships.len()].0.clone();
            let think = opts.think_secs;
            tasks.push(tokio::spawn(async move {
                let mut rng = Xs(0x6d6f_6e74_6865_6e64 ^ ((i as u64 + 1) << 20));
                let mut p = Person {
                    routes: Routes::new(),
                    hazards: Vec::new(),
                    work: Vec::new(),
                };
                let wait = |rng: &mut Xs, mean: f64| {
                    Duration::from_secs_f64(mean * (0.5 + rng.below(1000) as f64 / 1000.0))
                };
                tokio::time::sleep(Duration::from_secs_f64(
                    arrive * rng.below(1000) as f64 / 1000.0,
                ))
                .await;
                let mut c = match Conn::open(addr).await {
                    Ok(c) => c,
                    Err(e) => {
                        p.routes.entry("login").or_default().fail(e.to_string());
                        return p;
                    }
                };
                let t = Instant::now();
                let token = match api_token(&mut c, &user).await {
                    Ok(t) => t,
                    Err(e) => {
                        p.routes.entry("login").or_default().fail(e);
                        return p;
                    }
                };
                p.routes
                    .entry("login")
                    .or_default()
                    .lat
                    .push(t.elapsed().as_secs_f64());
                let auth = format!("Authorization: Bearer {token}\r\n");
                let mut n = 0u64;
                loop {
                    tokio::time::sleep(wait(&mut rng, think)).await;
                    if Instant::now() >= end {
                        break;
                    }
                    n += 1;
                    let roll = rng.below(100);
                    if roll < 25 {
                        let description = format!(
                            "月末集中排查：{}登记的第{}条隐患，{}",
                            user,
                            n,
                            DESCRIPTIONS[rng.below(DESCRIPTIONS.len())]
                        );
                        let body = json!({
                            "region_code": villages[rng.below(villages.len())],
                            "sector": SECTORS[rng.below(SECTORS.len())],
                            "level": "general",
                            "source": "inspection",
                            "description": description,
                            "found_on": "2022-06-28",
                            "deadline": "2022-07-28",
                            "confirm_past_deadline": true,
                        })
                        .to_string();
                        let r = timed(
                            &mut p.routes,
                            "POST /api/v1/hazards",
                            &mut c,
                            &post_json("/api/v1/hazards", &auth, &body),
                        )
                        .await;
                        if let Some(id) = r.and_then(|r| created_id(&r.body)) {
                            p.hazards.push(id);
                        }
                    } else if roll < 45 {
                        let note = format!("月末集中登记：{}的第{}条", user, n);
                        let body = json!({
                            "item_code": item,
                            "region_code": township,
                            "done_on": "2022-06-28",
                            "quantity": 1 + rng.below(5),
                            "note": note,
                        })
                        .to_string();
                        let r = timed(
                            &mut p.routes,
                            "POST /api/v1/work-records",
                            &mut c,
                            &post_json("/api/v1/work-records", &auth, &body),
                        )
                        .await;
                        if let Some(id) = r.and_then(|r| created_id(&r.body)) {
                            p.work.push(id);
                        }
                    } else if roll < 75 {
                        timed(
                            &mut p.routes,
                            "GET /api/v1/hazards",
                            &mut c,
                            &get("/api/v1/hazards?limit=20", &auth),
                        )
                        .await;
                    } else if roll < 90 {
                        timed(
                            &mut p.routes,
                            "GET /api/v1/work-records",
                            &mut c,
                            &get("/api/v1/work-records?limit=20", &auth),
                        )
                        .await;
                    } else if let Some(id) = p.hazards.last().copied() {
                        timed(
                            &mut p.routes,
                            "GET /api/v1/hazards/{id}",
                            &mut c,
                            &get(&format!("/api/v1/hazards/{id}"), &auth),
                        )
                        .await;
                    }
                }
                p
            }));
        }
        let mut people = Vec::new();
        for t in tasks {
            people.push(t.await.map_err(|e| e.to_string())?);
        }
        Ok::<_, String>(people)
    })?;
    let took = started.elapsed().as_secs_f64();
    // Killed, not stopped: what was acknowledged must be in the store regardless.
    drop(servers);
    let mut routes = Routes::new();
    let (mut hazards, mut work) = (Vec::new(), Vec::new());
    for p in people {
        merge(&mut routes, p.routes);
        hazards.extend(p.hazards);
        work.extend(p.work);
    }
    let scope = Scope::system();
    let lost_hazards = hazards
        .iter()
        .filter(|id| store.get_hazard(&scope, **id).is_err())
        .count();
    let lost_work = work
        .iter()
        .filter(|id| store.get_work_record(&scope, **id).is_err())
        .count();
    let mut requests = 0;
    let mut errors = 0;
    for (route, r) in routes.iter_mut() {
        // Answered with a 2xx (timed), and failed (an error status or a broken connection).
        let n = r.lat.len() as u64 + r.errors;
        requests += n;
        errors += r.errors;
        emit(
            json!({
                "bench": "month_end_route",
                "store": target.name(),
                "route": route,
                "requests": n,
                "per_s": r.lat.len() as f64 / took,
                "errors": r.errors,
                "first_error": r.first_error,
                "p50_ms": ms(&mut r.lat, 0.5),
                "p99_ms": ms(&mut r.lat, 0.99),
                "max_ms": ms(&mut r.lat, 1.0),
            }),
            json!({}),
        );
    }
    emit(
        json!({
            "bench": "month_end",
            "store": target.name(),
            "users": users.len(),
            "instances": opts.instances,
            "hazards_before": max_id,
            "secs": took,
            "think_secs": opts.think_secs,
            "requests": requests,
            "per_s": requests as f64 / took,
            "errors": errors,
            "acknowledged_hazards": hazards.len(),
            "acknowledged_work_records": work.len(),
            "lost_writes": lost_hazards + lost_work,
            "target_errors": 0,
            "target_lost_writes": 0,
        }),
        json!({}),
    );
    if lost_hazards + lost_work > 0 {
        return Err(format!(
            "{} acknowledged writes are not in the store",
            lost_hazards + lost_work
        ));
    }
    if errors > 0 {
        return Err(format!("{errors} requests failed"));
    }
    Ok(())
}

/// The `id` of a created record's JSON.
fn created_id(body: &[u8]) -> Option<i64> {
    serde_json::from_slice::<serde_json::Value>(body).ok()?["id"].as_i64()
}
