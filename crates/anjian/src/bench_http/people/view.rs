//! `bench view`: province users on the ledger and the home page.

use super::*;

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
/// (`demo --scale province`), at `opts.users` concurrent users: a warm-up, a phase of
/// reads alone, then one while a county's user records hazards (each commit makes the ledger's totals
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
        // A warm-up (a quarter of a phase, reported as its own phase): each server's first
        // pages fill its caches, and PostgreSQL plans a connection's statements for their
        // first five runs before it keeps a generic plan.
        let warm = (opts.secs / 4.0).max(0.2);
        for (phase, writes, secs) in [
            ("warm-up", 0.0, warm),
            ("reads", 0.0, opts.secs),
            ("writes", opts.writes_per_s, opts.secs),
        ] {
            let end = Instant::now() + Duration::from_secs_f64(secs);
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
            out.push((phase, secs, routes, ms(&mut firsts, 1.0), written, werrors));
        }
        Ok::<_, String>(out)
    });
    drop(servers);
    for (phase, secs, mut routes, first_max, written, write_errors) in result? {
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
                    "per_s": n as f64 / secs,
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
