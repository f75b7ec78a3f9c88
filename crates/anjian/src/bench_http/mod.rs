//! `anjian bench http`: a loopback load generator against a server process serving the
//! demo county grown to many hazards. The server is this same binary (`anjian serve`) in a
//! child process, so its resident memory is its own; the client is a small HTTP/1.1
//! keep-alive client on one thread of this process.

pub mod bombs;
mod client;
mod data;
mod people;
mod timing;
mod traffic;
use data::{DESCRIPTIONS, SECTORS, Xs, row};
pub use people::{MonthEndOpts, Pages, ViewOpts, month_end, view};
use timing::{MakeReq, PhaseResult, median, phase};
use traffic::{LIST_PAGE, LoadResult, load};

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
#[derive(Debug, Clone)]
pub struct HttpOpts {
    /// Hazards in the store when the load starts (the demo's own plus generated ones).
    pub hazards: usize,
    /// Seconds per timed phase.
    pub secs: f64,
    /// Timed runs of every phase (medians reported).
    pub runs: usize,
    /// Concurrent keep-alive connections: every phase runs at each count.
    pub connections: Vec<usize>,
    /// Server processes on the one store; connection `c` goes to instance `c % instances`.
    pub instances: usize,
    /// Reuse a store already in the folder if it has at least `hazards` hazards.
    pub reuse: bool,
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The demo county grown to `opts.hazards` hazards in a fresh store of `target`, served by
/// `opts.instances` child processes, loaded by this one.
pub fn http(target: &crate::bench_store::Target, opts: &HttpOpts) -> Result<(), String> {
    let County {
        scratch,
        app,
        villages,
        max_id,
    } = county(target, opts.hazards, opts.reuse)?;
    let url = scratch.url.clone();
    let store: Arc<Store> = scratch.store.clone();
    let mut rng = Xs(0x9e37_79b9_7f4a_7c15);
    let scope = anjian_domain::Scope::system();
    let change = app.system_change(&scope, "bench");

    // The servers: this binary, each on a free loopback port, its log quiet.
    let mut servers = Vec::new();
    let mut addrs = Vec::new();
    for _ in 0..opts.instances.max(1) {
        let (server, addr) = start_server(&url)?;
        servers.push(server);
        addrs.push(addr);
    }
    let pids: Vec<String> = servers.iter().map(|s| s.0.id().to_string()).collect();
    // Peak resident memory of the largest instance, anonymous and file-backed apart.
    let peak = Arc::new(Peaks::default());
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop, pids) = (peak.clone(), stop.clone(), pids.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                for pid in &pids {
                    peak.sample(pid);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let result = rt.block_on(load(&addrs, opts, max_id, &villages, || {
        // The POST baseline runs in this process on the same store while the servers are
        // idle: single-row insert transactions. On a thread of its own: the PostgreSQL
        // client blocks, which the load's runtime thread must not.
        let n = ((opts.secs * 200.0) as usize).max(50);
        let rows: Vec<BulkHazard> = (0..n).map(|_| row(&mut rng, &villages)).collect();
        std::thread::scope(|t| {
            t.spawn(|| {
                let s = Instant::now();
                store
                    .insert_hazards_one_by_one(&change, rows)
                    .map_err(|e| e.to_string())?;
                Ok(n as f64 / s.elapsed().as_secs_f64())
            })
            .join()
            .unwrap_or_else(|_| Err("the insert baseline failed".into()))
        })
    }));
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    // How the servers' writes were grouped over the whole run (POST, and the logins).
    let (groups, writes) = addrs
        .iter()
        .map(|a| write_groups(*a))
        .fold((0, 0), |(g, w), (g2, w2)| (g + g2, w + w2));
    let hwm = pids
        .iter()
        .map(|p| proc_mb(p, "VmHWM:"))
        .fold(0.0, f64::max);
    let (rss_peak, anon_peak, file_peak) = peak.mb();
    drop(servers);
    let runs = result?;
    for r in &runs {
        lines(
            target.name(),
            opts,
            r,
            max_id,
            (rss_peak.max(hwm), anon_peak, file_peak),
        );
    }
    emit(
        json!({
            "bench": "http_write_groups",
            "store": target.name(),
            "instances": opts.instances,
            "groups": groups,
            "writes": writes,
            "writes_per_group": writes as f64 / groups.max(1) as f64,
        }),
        json!({}),
    );
    Ok(())
}

/// The demo county grown to a number of hazards, in a store of a benchmark's target.
pub(crate) struct County {
    pub(crate) scratch: crate::bench_store::Scratch,
    pub(crate) app: anjian_app::App,
    pub(crate) villages: Vec<String>,
    pub(crate) max_id: u64,
}

/// The demo county grown to `hazards` hazards in a fresh store of `target` (or the one kept
/// there with `reuse`).
pub(crate) fn county(
    target: &crate::bench_store::Target,
    hazards: usize,
    reuse: bool,
) -> Result<County, String> {
    let e = |e: anjian_app::AppError| e.to_string();
    let kept = if reuse { target.kept("county")? } else { None };
    let reused = kept.is_some();
    let scratch = match kept {
        Some(k) => k,
        None => target.fresh("county")?,
    };
    let store: Arc<Store> = scratch.store.clone();
    let app = demo::demo_app(store.clone(), 7);
    if !reused {
        match target {
            crate::bench_store::Target::Sqlite(_) => {
                eprintln!("bench http: creating the demo county …");
                demo::generate(&app, 7, &mut |_, _, _| {}).map_err(e)?;
            }
            // Generated on SQLite and copied through the backup stream (its content digest
            // checked): the same county in a fraction of the time the generator's many
            // small transactions take on PostgreSQL. The demo's parity on the two stores is
            // a test of its own (the CLI's `demo --seed 7` digests).
            crate::bench_store::Target::Postgres(_) => {
                eprintln!(
                    "bench http: creating the demo county (on SQLite, copied into PostgreSQL) …"
                );
                let dir = std::env::temp_dir()
                    .join(format!("anjian-bench-county-{}", std::process::id()));
                let copied = (|| {
                    let lite = crate::bench_store::Target::Sqlite(dir.clone()).fresh("county")?;
                    let lite_app = demo::demo_app(lite.store.clone(), 7);
                    demo::generate(&lite_app, 7, &mut |_, _, _| {}).map_err(e)?;
                    anjian_store::backup::copy_store(&lite.store, &store, app.clock.now())
                        .map_err(|e| e.to_string())
                })();
                let _ = std::fs::remove_dir_all(&dir);
                copied?;
            }
        }
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
    let grow = hazards.saturating_sub(have);
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
    Ok(County {
        scratch,
        app,
        villages,
        max_id,
    })
}

/// A server's write groups and grouped writes so far, from its Prometheus metrics
/// (`(0, 0)` if they cannot be read).
fn write_groups(addr: std::net::SocketAddr) -> (u64, u64) {
    use std::io::{Read, Write};
    let text = (|| -> std::io::Result<String> {
        let mut s = std::net::TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        s.write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        Ok(String::from_utf8_lossy(&raw).into_owned())
    })()
    .unwrap_or_default();
    let counter = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .map_or(0, |v| v as u64)
    };
    (
        counter("anjian_store_write_groups_total "),
        counter("anjian_store_grouped_writes_total "),
    )
}

/// One server process of the benchmark: this binary on a free loopback port.
fn start_server(url: &str) -> Result<(Server, std::net::SocketAddr), String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let child = Command::new(exe)
        .args([
            "serve",
            "--no-jobs",
            "--metrics",
            "--db",
            url,
            "--listen",
            &addr.to_string(),
        ])
        .env("ANJIAN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    Ok((Server(child), addr))
}

/// Peak resident memory over the servers, in kB: all, anonymous (`RssAnon`: the heap and
/// stacks) and file-backed (`RssFile`: the binary and memory-mapped store pages).
#[derive(Default)]
struct Peaks {
    rss: AtomicU64,
    anon: AtomicU64,
    file: AtomicU64,
}

impl Peaks {
    fn sample(&self, pid: &str) {
        let kb = |f: &str| (proc_mb(pid, f) * 1024.0) as u64;
        self.rss.fetch_max(kb("VmRSS:"), Ordering::Relaxed);
        self.anon.fetch_max(kb("RssAnon:"), Ordering::Relaxed);
        self.file.fetch_max(kb("RssFile:"), Ordering::Relaxed);
    }

    /// (all, anonymous, file-backed) in MB.
    fn mb(&self) -> (f64, f64, f64) {
        let mb = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64 / 1024.0;
        (mb(&self.rss), mb(&self.anon), mb(&self.file))
    }
}

/// The result lines of one connection count.
fn lines(
    store: &str,
    opts: &HttpOpts,
    r: &LoadResult,
    max_id: u64,
    (rss_peak, anon_peak, file_peak): (f64, f64, f64),
) {
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
                "rss_mb": rss_peak,
                "rss_anon_mb": anon_peak,
                "rss_file_mb": file_peak,
                "store": store,
                "instances": opts.instances,
                // The POST baseline is measured in-process: it has no request latency.
                "baseline_p99_ms": (base_p99 > 0.0).then_some(base_p99),
                "p99_ratio": (base_p99 > 0.0).then(|| p99 / base_p99),
                "hazards": max_id,
                "connections": r.connections,
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
        json!({"route": "POST /api/v1/hazards", "baseline": "single-row insert transactions", "target_ratio": 2.0, "target_rss_anon_mb": 150}),
    );
}
