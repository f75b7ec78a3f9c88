//! Every acknowledged write survives `kill -9` of the server in the middle of a run of
//! concurrent writes (written in groups, each answered after its group's commit), on
//! SQLite and, with `ANJIAN_TEST_PG`, PostgreSQL.

use super::*;
use anjian_store::testing::TestStore;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One HTTP/1.1 request on a fresh connection: the status and the body.
fn call(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A county with its first administrator, served; 16 clients register hazards as fast as
/// they are answered; the server is killed (SIGKILL) a moment into the run. Every hazard
/// whose registration was answered 201 is then in the store, with its description.
fn acknowledged_writes_survive(t: &TempDir, db: &str, open: impl Fn() -> Store) {
    init_county(&t.0, db);
    ok(
        &t.0,
        &[
            "user",
            "add",
            "--role",
            "admin",
            "--username",
            "admin",
            "--display-name",
            "安委办管理员",
            "--password",
            "Liuyang2026!",
            "--db",
            db,
        ],
    );
    let village = a_village(&open());
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args([
            "serve",
            "--no-jobs",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--db",
            db,
        ])
        .current_dir(&t.0)
        .env_remove("ANJIAN_DB")
        .env("ANJIAN_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let login = r#"{"username":"admin","password":"Liuyang2026!"}"#;
    let first = loop {
        if let Some((200, body)) = call(port, "POST", "/api/v1/auth/login", None, login) {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            break v["token"].as_str().unwrap_or_default().to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // The first login must change the password before any work.
    let changed = call(
        port,
        "POST",
        "/api/v1/users/1/password",
        Some(&first),
        r#"{"password":"Liuyang2026!Anquan","current_password":"Liuyang2026!"}"#,
    );
    assert_eq!(changed.as_ref().map(|c| c.0), Some(204), "{changed:?}");
    let login = r#"{"username":"admin","password":"Liuyang2026!Anquan"}"#;
    let token = match call(port, "POST", "/api/v1/auth/login", None, login) {
        Some((200, body)) => {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            v["token"].as_str().unwrap_or_default().to_string()
        }
        other => panic!("login: {other:?}"),
    };
    let acknowledged: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let clients: Vec<_> = (0..16)
        .map(|c| {
            let (token, village, acknowledged) =
                (token.clone(), village.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    let description = format!("断电测试第{c}-{n}条：疏散通道堵塞");
                    let body = serde_json::json!({
                        "region_code": village,
                        "sector": "fire",
                        "level": "general",
                        "source": "inspection",
                        "description": description,
                        "found_on": "2026-12-01",
                        "deadline": "2026-12-31",
                        "confirm_past_deadline": true,
                    })
                    .to_string();
                    match call(port, "POST", "/api/v1/hazards", Some(&token), &body) {
                        Some((201, body)) => {
                            let v: serde_json::Value =
                                serde_json::from_str(&body).unwrap_or_default();
                            let id = v["id"]
                                .as_i64()
                                .unwrap_or_else(|| panic!("no id in {body}"));
                            acknowledged
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push((id, description));
                        }
                        Some((status, body)) => panic!("HTTP {status}: {body}"),
                        // The server is gone.
                        None => return,
                    }
                }
            })
        })
        .collect();
    // Into the run, then the power cut.
    while acknowledged.lock().map(|a| a.len()).unwrap_or(0) < 200
        && started.elapsed() < Duration::from_secs(120)
        && !clients.iter().any(|c| c.is_finished())
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = server.wait();
    for c in clients {
        c.join().unwrap_or_else(|_| panic!("a client failed"));
    }
    let acknowledged = acknowledged.lock().map(|a| a.clone()).unwrap_or_default();
    assert!(
        acknowledged.len() >= 200,
        "{} acknowledged",
        acknowledged.len()
    );
    let store = open();
    let max = store.max_hazard_id().unwrap_or(0);
    for (id, description) in &acknowledged {
        assert!(
            *id <= max,
            "hazard {id} acknowledged but not stored (max {max})"
        );
        let h = store
            .get_hazard(&Scope::system(), *id)
            .unwrap_or_else(|e| panic!("hazard {id} acknowledged but not readable: {e}"));
        assert_eq!(&h.description, description);
    }
}

#[test]
fn acknowledged_writes_survive_kill_9_on_sqlite() {
    let t = TempDir::new("kill9");
    let db = t.db();
    acknowledged_writes_survive(&t, &db, || store(&t));
}

#[test]
fn acknowledged_writes_survive_kill_9_on_postgres() {
    let Some(pg) = TestStore::postgres() else {
        eprintln!("ANJIAN_TEST_PG is not set: SQLite only");
        return;
    };
    let pg = pg.unwrap_or_else(|e| panic!("{e}"));
    let StoreUrl::Postgres(url) = pg.url() else {
        panic!("not a PostgreSQL store");
    };
    let t = TempDir::new("kill9-pg");
    acknowledged_writes_survive(&t, &url, || {
        Store::open(&StoreUrl::Postgres(url.clone())).unwrap_or_else(|e| panic!("{e}"))
    });
}
