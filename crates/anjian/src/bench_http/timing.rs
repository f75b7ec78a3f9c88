//! A timed phase: requests from many connections for a number of seconds, and medians.

use super::*;

/// Builds request `n` of a phase.
pub(super) type MakeReq = Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>;

/// Requests per second and latencies of one timed phase.
#[derive(Debug, Clone, Copy)]
pub(super) struct PhaseResult {
    pub(super) per_s: f64,
    pub(super) p99_ms: f64,
}

/// Runs `connections` clients for `secs`, each sending requests from `make` back to back;
/// client `c` talks to the server `addrs[c % addrs.len()]`.
pub(super) async fn phase(
    addrs: &[std::net::SocketAddr],
    connections: usize,
    secs: f64,
    make: MakeReq,
) -> Result<PhaseResult, String> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(secs);
    let mut tasks = Vec::new();
    for c in 0..connections {
        let make = make.clone();
        let addr = *addrs
            .get(c % addrs.len().max(1))
            .ok_or("no server to load")?;
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

pub(super) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}
