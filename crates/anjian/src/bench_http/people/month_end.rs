//! `bench month-end`: a thousand township users at a human pace.

use super::*;

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
