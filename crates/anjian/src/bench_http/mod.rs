//! `anjian bench http`: a loopback load generator against a server process serving the
//! demo county grown to many hazards. The server is this same binary (`anjian serve`) in a
//! child process, so its resident memory is its own; the client is a small HTTP/1.1
//! keep-alive client on one thread of this process.

mod client;

use crate::bench::{emit, proc_mb};
use anjian_app::demo;
use anjian_store::Store;
use anjian_store::bulk::BulkHazard;
use client::{Conn, get};
use serde_json::json;
use std::io;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct HttpOpts {
    /// Hazards in the store when the load starts (the demo's own plus generated ones).
    pub hazards: usize,
    /// Seconds per timed phase.
    pub secs: f64,
    /// Timed runs of every phase (medians reported).
    pub runs: usize,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Reuse a store already in the folder if it has at least `hazards` hazards.
    pub reuse: bool,
}

/// Builds request `n` of a phase.
type MakeReq = Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>;

/// Requests per second and latencies of one timed phase.
#[derive(Debug, Clone, Copy)]
struct PhaseResult {
    per_s: f64,
    p99_ms: f64,
}

/// Runs `connections` clients for `secs`, each sending requests from `make` back to back.
async fn phase(
    addr: std::net::SocketAddr,
    connections: usize,
    secs: f64,
    make: MakeReq,
) -> Result<PhaseResult, String> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(secs);
    let mut tasks = Vec::new();
    for c in 0..connections {
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(addr).await.map_err(|e| e.to_string())?;
            let mut lat = Vec::new();
            let mut n = c as u64;
            while Instant::now() < deadline {
                let req = make(n);
                n += connections as u64;
                let t = Instant::now();
                let r = conn.send(&req).await.map_err(|e| e.to_string())?;
                lat.push(t.elapsed().as_secs_f64());
                if !(200..300).contains(&r.status) {
                    return Err(format!(
                        "HTTP {}: {}",
                        r.status,
                        String::from_utf8_lossy(&r.body)
                            .chars()
                            .take(300)
                            .collect::<String>()
                    ));
                }
            }
            Ok::<_, String>(lat)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.map_err(|e| e.to_string())??);
    }
    let took = started.elapsed().as_secs_f64();
    all.sort_by(|a, b| a.total_cmp(b));
    let p99 = all
        .get(((all.len() as f64) * 0.99) as usize)
        .or(all.last())
        .copied()
        .unwrap_or(0.0);
    Ok(PhaseResult {
        per_s: all.len() as f64 / took,
        p99_ms: p99 * 1000.0,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// A small deterministic generator (xorshift) for ids and rows.
struct Xs(u64);

impl Xs {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

const SECTORS: [&str; 6] = [
    "fire",
    "road",
    "construction",
    "commerce",
    "industry_trade",
    "gas",
];

const DESCRIPTIONS: [&str; 6] = [
    "疏散通道堆放杂物",
    "消防设施未定期维护保养",
    "临边洞口防护不到位",
    "燃气管道未安装泄漏报警装置",
    "特种作业人员未持证上岗",
    "安全警示标志缺失",
];

/// A generated hazard of the demo county, found between 2018 and 2022.
fn row(rng: &mut Xs, villages: &[String]) -> BulkHazard {
    let found = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap_or_default()
        + chrono::Duration::days(rng.below(5 * 365) as i64);
    let closed = rng.below(100) < 88;
    let closed_on = found + chrono::Duration::days(3 + rng.below(40) as i64);
    BulkHazard {
        region_code: villages[rng.below(villages.len())].clone(),
        enterprise_id: None,
        sector: SECTORS[rng.below(SECTORS.len())],
        level: "general",
        source: "inspection",
        description: DESCRIPTIONS[rng.below(DESCRIPTIONS.len())].to_string(),
        found_on: found,
        deadline: found + chrono::Duration::days(30),
        status: if closed { "closed" } else { "registered" },
        funds_spent: closed.then_some(500),
        campaign: None,
        closed_on: closed.then_some(closed_on),
    }
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The demo county grown to `opts.hazards` hazards, served by a child process, loaded by
/// this one.
pub fn http(dir: &std::path::Path, opts: HttpOpts) -> Result<(), String> {
    let e = |e: anjian_app::AppError| e.to_string();
    let path = dir.join("county.sqlite");
    let reused = opts.reuse && path.exists();
    if !reused {
        let _ = std::fs::remove_file(&path);
    }
    let url = format!("sqlite://{}", path.display());
    let store = Arc::new(
        Store::open(&anjian_store::StoreUrl::Sqlite(path.clone())).map_err(|e| e.to_string())?,
    );
    let app = demo::demo_app(store.clone(), 7);
    if !reused {
        eprintln!("bench http: creating the demo county …");
        demo::generate(&app, 7, &mut |_, _, _| {}).map_err(e)?;
    }
    let villages: Vec<String> = app
        .all_regions()
        .map_err(e)?
        .into_iter()
        .filter(|r| r.level == "village")
        .map(|r| r.code)
        .collect();
    if villages.is_empty() {
        return Err("demo county has no villages".into());
    }
    let have = store.max_hazard_id().map_err(|e| e.to_string())? as usize;
    let grow = opts.hazards.saturating_sub(have);
    let mut rng = Xs(0x9e37_79b9_7f4a_7c15);
    let scope = anjian_domain::Scope::system();
    let change = app.system_change(&scope, "bench");
    if grow > 0 {
        eprintln!("bench http: adding {grow} hazards to the demo's {have} …");
        let mut left = grow;
        store
            .bulk_load_hazards(
                &change,
                grow,
                50_000,
                || {
                    if left == 0 {
                        return None;
                    }
                    left -= 1;
                    Some(row(&mut rng, &villages))
                },
                |_| {},
            )
            .map_err(|e| e.to_string())?;
    }
    let max_id = store.max_hazard_id().map_err(|e| e.to_string())? as u64;

    // The server: this binary, on a free loopback port, its log quiet.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let child = Command::new(exe)
        .args(["serve", "--db", &url, "--listen", &addr.to_string()])
        .env("ANJIAN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let server = Server(child);
    let pid = server.0.id();
    let peak = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let kb = (proc_mb(&pid.to_string(), "VmRSS:") * 1024.0) as u64;
                peak.fetch_max(kb, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let result = rt.block_on(load(addr, opts, max_id, &villages, || {
        // The POST baseline runs in this process on the same store file while the server
        // is idle: single-row insert transactions.
        let n = ((opts.secs * 200.0) as usize).max(50);
        let rows: Vec<BulkHazard> = (0..n).map(|_| row(&mut rng, &villages)).collect();
        let s = Instant::now();
        store
            .insert_hazards_one_by_one(&change, rows)
            .map_err(|e| e.to_string())?;
        Ok(n as f64 / s.elapsed().as_secs_f64())
    }));
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let rss_peak = peak.load(Ordering::Relaxed) as f64 / 1024.0;
    let hwm = proc_mb(&pid.to_string(), "VmHWM:");
    drop(server);
    let r = result?;
    let line =
        |name: &str, base: f64, m: &[PhaseResult], base_p99: f64, target: serde_json::Value| {
            let per_s = median(m.iter().map(|x| x.per_s).collect());
            let p99 = median(m.iter().map(|x| x.p99_ms).collect());
            let v = json!({
                "bench": name,
                "baseline_per_s": base,
                "measured_per_s": per_s,
                "ratio": per_s / base.max(1e-12),
                "p99_ms": p99,
                "rss_mb": rss_peak.max(hwm),
                // The POST baseline is measured in-process: it has no request latency.
                "baseline_p99_ms": (base_p99 > 0.0).then_some(base_p99),
                "p99_ratio": (base_p99 > 0.0).then(|| p99 / base_p99),
                "hazards": max_id,
                "connections": opts.connections,
                "runs": opts.runs,
                "secs": opts.secs,
            });
            emit(v, target);
        };
    let triv = median(r.trivial.iter().map(|x| x.per_s).collect());
    let triv_p99 = median(r.trivial.iter().map(|x| x.p99_ms).collect());
    line(
        "http_trivial",
        triv,
        &r.trivial,
        triv_p99,
        json!({"route": "GET /api/v1/version"}),
    );
    line(
        "http_get_hazard",
        triv,
        &r.get,
        triv_p99,
        json!({"route": "GET /api/v1/hazards/{id}", "target_ratio": 0.6, "target_p99_ratio": 3.0}),
    );
    line(
        "http_list_page",
        triv,
        &r.list,
        triv_p99,
        json!({"route": LIST_PAGE, "target_ratio": 0.3}),
    );
    line(
        "http_post_hazard",
        median(r.insert_baseline.clone()),
        &r.post,
        0.0,
        json!({"route": "POST /api/v1/hazards", "baseline": "single-row insert transactions", "target_ratio": 0.5, "target_rss_mb": 150}),
    );
    Ok(())
}

/// The list page under load: 50 rows, two filters.
const LIST_PAGE: &str = "/hazards?sector=fire&status=registered";

struct LoadResult {
    trivial: Vec<PhaseResult>,
    get: Vec<PhaseResult>,
    list: Vec<PhaseResult>,
    post: Vec<PhaseResult>,
    insert_baseline: Vec<f64>,
}

async fn login(addr: std::net::SocketAddr) -> Result<(String, String), String> {
    let io = |e: io::Error| e.to_string();
    // Wait for the server to accept connections (it may be running its migrations).
    let mut conn = None;
    for _ in 0..600 {
        if let Ok(c) = Conn::open(addr).await {
            conn = Some(c);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut c = conn.ok_or("the server did not start within 60 s")?;
    let body = json!({"username": "admin", "password": demo::DEMO_PASSWORD}).to_string();
    let r = c
        .send(format!("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await
        .map_err(io)?;
    let v: serde_json::Value = serde_json::from_slice(&r.body).map_err(|e| e.to_string())?;
    let token = v["token"]
        .as_str()
        .ok_or_else(|| format!("API login failed: HTTP {}", r.status))?
        .to_string();
    // The web session: the login form's CSRF cookie, then the form.
    let r = c.send(&get("/login", "")).await.map_err(io)?;
    let csrf = r
        .header("set-cookie")
        .find_map(|v| v.strip_prefix("anjian_login_csrf="))
        .and_then(|v| v.split(';').next())
        .ok_or("no login CSRF cookie")?
        .to_string();
    let form = format!(
        "username=admin&password={}&_csrf={csrf}&next=%2F",
        demo::DEMO_PASSWORD
    );
    let r = c
        .send(format!("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: anjian_login_csrf={csrf}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}", form.len()).as_bytes())
        .await
        .map_err(io)?;
    let session = r
        .header("set-cookie")
        .find_map(|v| v.strip_prefix("anjian_session="))
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| format!("web login failed: HTTP {}", r.status))?
        .to_string();
    Ok((token, session))
}

async fn load(
    addr: std::net::SocketAddr,
    opts: HttpOpts,
    max_id: u64,
    villages: &[String],
    mut insert_baseline: impl FnMut() -> Result<f64, String>,
) -> Result<LoadResult, String> {
    let (token, session) = login(addr).await?;
    let bearer = format!("Authorization: Bearer {token}\r\n");
    let cookie = format!("Cookie: anjian_session={session}\r\n");
    let trivial: MakeReq = Arc::new(|_| get("/api/v1/version", ""));
    let by_id: MakeReq = {
        let bearer = bearer.clone();
        Arc::new(move |n| {
            let mut rng = Xs(n.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
            let id = 1 + rng.below(max_id as usize) as u64;
            get(&format!("/api/v1/hazards/{id}"), &bearer)
        })
    };
    let list: MakeReq = Arc::new(move |_| get(LIST_PAGE, &cookie));
    let post: MakeReq = {
        let villages: Vec<String> = villages.to_vec();
        Arc::new(move |n| {
            let body = json!({
                "region_code": villages[(n as usize) % villages.len()],
                "sector": SECTORS[(n as usize) % SECTORS.len()],
                "level": "general",
                "source": "inspection",
                "description": format!("压力测试登记的第{n}条隐患：疏散通道堆放杂物"),
                "found_on": "2022-06-01",
                "deadline": "2022-07-01",
            })
            .to_string();
            format!("POST /api/v1/hazards HTTP/1.1\r\nHost: 127.0.0.1\r\n{bearer}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
        })
    };
    // Warm-up, then the timed runs interleaved so drift hits every phase alike.
    let warm = (opts.secs / 4.0).max(0.2);
    for m in [&trivial, &by_id, &list] {
        phase(addr, opts.connections, warm, m.clone()).await?;
    }
    let mut r = LoadResult {
        trivial: vec![],
        get: vec![],
        list: vec![],
        post: vec![],
        insert_baseline: vec![],
    };
    for _ in 0..opts.runs.max(1) {
        r.trivial
            .push(phase(addr, opts.connections, opts.secs, trivial.clone()).await?);
        r.get
            .push(phase(addr, opts.connections, opts.secs, by_id.clone()).await?);
        r.list
            .push(phase(addr, opts.connections, opts.secs, list.clone()).await?);
        r.post
            .push(phase(addr, opts.connections, opts.secs, post.clone()).await?);
        r.insert_baseline.push(insert_baseline()?);
    }
    Ok(r)
}
