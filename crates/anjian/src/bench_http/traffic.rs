//! Logging in, and the mixed load of list pages and reads.

use super::*;

/// The list page under load: 50 rows, two filters.
pub(super) const LIST_PAGE: &str = "/hazards?sector=fire&status=registered";

/// The phases' results at one count of connections.
pub(super) struct LoadResult {
    pub(super) connections: usize,
    pub(super) trivial: Vec<PhaseResult>,
    pub(super) get: Vec<PhaseResult>,
    pub(super) list: Vec<PhaseResult>,
    pub(super) post: Vec<PhaseResult>,
    pub(super) insert_baseline: Vec<f64>,
}

/// A connection to `addr` once its server accepts them (it may be running its migrations).
pub(super) async fn when_up(addr: std::net::SocketAddr) -> Result<Conn, String> {
    for _ in 0..600 {
        if let Ok(c) = Conn::open(addr).await {
            return Ok(c);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("the server at {addr} did not start within 60 s"))
}

async fn login(addr: std::net::SocketAddr) -> Result<(String, String), String> {
    let mut c = when_up(addr).await?;
    let token = api_token(&mut c, "admin").await?;
    let session = web_session(&mut c, "admin").await?;
    Ok((token, session))
}

/// An API bearer token for `user` (the demo password), over `c`.
pub(super) async fn api_token(c: &mut Conn, user: &str) -> Result<String, String> {
    let body = json!({"username": user, "password": demo::DEMO_PASSWORD}).to_string();
    let r = c
        .send(format!("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_slice(&r.body).map_err(|e| e.to_string())?;
    Ok(v["token"]
        .as_str()
        .ok_or_else(|| format!("API login of {user} failed: HTTP {}", r.status))?
        .to_string())
}

/// A web session cookie's value for `user`: the login form's CSRF cookie, then the form.
pub(super) async fn web_session(c: &mut Conn, user: &str) -> Result<String, String> {
    let io = |e: io::Error| e.to_string();
    let r = c.send(&get("/login", "")).await.map_err(io)?;
    let csrf = r
        .header("set-cookie")
        .find_map(|v| v.strip_prefix("anjian_login_csrf="))
        .and_then(|v| v.split(';').next())
        .ok_or("no login CSRF cookie")?
        .to_string();
    let form = format!(
        "username={user}&password={}&_csrf={csrf}&next=%2F",
        demo::DEMO_PASSWORD
    );
    let r = c
        .send(format!("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: anjian_login_csrf={csrf}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}", form.len()).as_bytes())
        .await
        .map_err(io)?;
    Ok(r.header("set-cookie")
        .find_map(|v| v.strip_prefix("anjian_session="))
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| format!("web login of {user} failed: HTTP {}", r.status))?
        .to_string())
}

/// Every phase at every count of connections (`opts.connections`), spread over the servers
/// at `addrs` (the sessions live in the store, so any instance serves them).
pub(super) async fn load(
    addrs: &[std::net::SocketAddr],
    opts: &HttpOpts,
    max_id: u64,
    villages: &[String],
    mut insert_baseline: impl FnMut() -> Result<f64, String>,
) -> Result<Vec<LoadResult>, String> {
    let first = *addrs.first().ok_or("no server")?;
    for a in addrs {
        when_up(*a).await?;
    }
    let (token, session) = login(first).await?;
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
                // The demo county lives in 2022; the server's clock is today's.
                "confirm_past_deadline": true,
            })
            .to_string();
            format!("POST /api/v1/hazards HTTP/1.1\r\nHost: 127.0.0.1\r\n{bearer}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
        })
    };
    let mut all = Vec::new();
    for &connections in &opts.connections {
        // Warm-up, then the timed runs interleaved so drift hits every phase alike.
        let warm = (opts.secs / 4.0).max(0.2);
        for m in [&trivial, &by_id, &list] {
            phase(addrs, connections, warm, m.clone()).await?;
        }
        let mut r = LoadResult {
            connections,
            trivial: vec![],
            get: vec![],
            list: vec![],
            post: vec![],
            insert_baseline: vec![],
        };
        for _ in 0..opts.runs.max(1) {
            r.trivial
                .push(phase(addrs, connections, opts.secs, trivial.clone()).await?);
            r.get
                .push(phase(addrs, connections, opts.secs, by_id.clone()).await?);
            r.list
                .push(phase(addrs, connections, opts.secs, list.clone()).await?);
            r.post
                .push(phase(addrs, connections, opts.secs, post.clone()).await?);
            r.insert_baseline.push(insert_baseline()?);
        }
        all.push(r);
    }
    Ok(all)
}
