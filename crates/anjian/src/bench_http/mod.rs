//! `anjian bench http`: a loopback load generator against a server process serving the
//! demo county grown to many hazards. The server is this same binary (`anjian serve`) in a
//! child process, so its resident memory is its own; the client is a small HTTP/1.1
//! keep-alive client on one thread of this process.

pub mod bombs;
mod client;
mod data;
mod timing;
mod traffic;
use data::{SECTORS, Xs, row};
use timing::{MakeReq, PhaseResult, median, phase};
use traffic::{LIST_PAGE, load};

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
        .args([
            "serve",
            "--no-jobs",
            "--db",
            &url,
            "--listen",
            &addr.to_string(),
        ])
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
