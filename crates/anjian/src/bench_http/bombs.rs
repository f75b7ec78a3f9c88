//! `anjian bench import-bombs`: each hostile import posted to a fresh server process (this
//! binary, or `--server-exe`) serving the demo county, as its enterprise user would; one
//! JSON line per bomb with the answer's status, code and size and the server's peak
//! resident memory (`VmHWM`, and `VmRSS` sampled every 20 ms; the server is stopped if it
//! passes `cap_mb`, so a build without limits cannot take the machine down).

use super::Server;
use crate::bench::{emit, proc_mb};
use anjian_app::{demo, import::bombs};
use serde_json::json;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// An HTTP/1.1 request on a fresh connection: the status, the answer's size and its first
/// 2 KB (a large answer is counted, not kept).
fn request(addr: SocketAddr, head: &str, body: &[u8]) -> io::Result<(u16, usize, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(900)))?;
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut first = Vec::new();
    let mut total = 0usize;
    loop {
        let n = match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if total > 0 && e.kind() == io::ErrorKind::ConnectionReset => break,
            Err(e) => return Err(e),
        };
        total += n;
        if first.len() < 4096 {
            first.extend_from_slice(buf.get(..n.min(4096)).unwrap_or_default());
        }
    }
    let text = String::from_utf8_lossy(&first).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let head_len = text.find("\r\n\r\n").map(|i| i + 4).unwrap_or(0);
    let body: String = text
        .get(head_len..)
        .unwrap_or_default()
        .chars()
        .take(600)
        .collect();
    Ok((status, total.saturating_sub(head_len), body))
}

fn login(addr: SocketAddr, user: &str) -> Result<String, String> {
    let body = json!({"username": user, "password": demo::DEMO_PASSWORD}).to_string();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let started = Instant::now();
    loop {
        match request(addr, &head, body.as_bytes()) {
            Ok((200, _, text)) => {
                let v: serde_json::Value =
                    serde_json::from_str(&text).map_err(|e| e.to_string())?;
                return v["token"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "no token".to_string());
            }
            Ok((status, _, text)) => return Err(format!("login: HTTP {status} {text}")),
            Err(_) if started.elapsed() < Duration::from_secs(60) => {
                std::thread::sleep(Duration::from_millis(100))
            }
            Err(e) => return Err(format!("the server did not start within 60 s: {e}")),
        }
    }
}

/// Posts each bomb to a fresh server and prints what it answered and what it cost.
pub fn import_bombs(
    dir: &std::path::Path,
    quick: bool,
    server_exe: Option<std::path::PathBuf>,
    cap_mb: f64,
) -> Result<(), String> {
    let exe = match server_exe {
        Some(p) => p,
        None => std::env::current_exe().map_err(|e| e.to_string())?,
    };
    let path = dir.join("bombs.sqlite");
    let url = format!("sqlite://{}", path.display());
    // The demo county, made by the server's own binary (its own migrations).
    let made = Command::new(&exe)
        .args(["demo", "--db", &url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !made.success() {
        return Err(format!("{} demo failed", exe.display()));
    }
    let scale = if quick { 10 } else { 1 };
    let cases: [(&str, &str, Vec<u8>); 4] = [
        (
            "xlsx_zip_bomb",
            "bomb.xlsx",
            bombs::xlsx_bomb(2_350_000 / scale),
        ),
        (
            "csv_junk_rows",
            "junk.csv",
            bombs::junk_csv(400_000 / scale),
        ),
        (
            "csv_too_many_columns",
            "wide.csv",
            bombs::wide_csv(4_000_000 / scale),
        ),
        (
            "csv_giant_cell",
            "cell.csv",
            bombs::giant_cell_csv(9_000_000 / scale),
        ),
    ];
    for (name, file, data) in cases {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let child = Command::new(&exe)
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
        let pid = server.0.id().to_string();
        let token = login(addr, "qiye")?;
        let before = proc_mb(&pid, "VmHWM:");
        let peak = Arc::new(AtomicU64::new(0));
        let (stop, killed) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
        );
        let sampler = {
            let (peak, stop, killed, pid) =
                (peak.clone(), stop.clone(), killed.clone(), pid.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let mb = proc_mb(&pid, "VmRSS:");
                    peak.fetch_max(mb as u64, Ordering::Relaxed);
                    if mb > cap_mb && !killed.swap(true, Ordering::Relaxed) {
                        let _ = Command::new("kill").args(["-9", &pid]).status();
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        let boundary = "anjianBombBoundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let head = format!(
            "POST /api/v1/hazards/import HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let started = Instant::now();
        let answer = request(addr, &head, &body);
        let secs = started.elapsed().as_secs_f64();
        let hwm = proc_mb(&pid, "VmHWM:");
        stop.store(true, Ordering::Relaxed);
        let _ = sampler.join();
        let killed = killed.load(Ordering::Relaxed);
        let peak_mb = hwm.max(peak.load(Ordering::Relaxed) as f64);
        let (status, bytes, text) = answer.unwrap_or((0, 0, String::new()));
        let code = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or_default();
        emit(
            json!({"bench": "import_bombs", "bomb": name}),
            json!({
                "file_bytes": data.len(),
                "status": status,
                "error": code,
                "response_bytes": bytes,
                "secs": (secs * 1000.0).round() / 1000.0,
                "server_rss_before_mb": before.round(),
                "server_peak_rss_mb": peak_mb.round(),
                "stopped_at_cap_mb": if killed { json!(cap_mb) } else { json!(null) },
                "target_rss_mb": 200,
            }),
        );
        drop(server);
    }
    Ok(())
}
