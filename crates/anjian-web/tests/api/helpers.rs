use anjian_app::App;
use anjian_app::testing::store::departments::{DepartmentInput, SectorAssignment};
use anjian_app::testing::store::regions::RegionInput;
use anjian_app::testing::store::testing::TestStore;
use anjian_app::users::NewUser;
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::{Clock, FixedClock, Scope};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "Passw0rd2022";
pub const COUNTY: &str = "360982000000";
pub const TOWN_A: &str = "360982100000";
pub const TOWN_B: &str = "360982101000";
pub const VILLAGE_A1: &str = "360982100200";
pub const VILLAGE_B1: &str = "360982101200";

/// Enterprise ids of the fixture.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub a_haz: i64,
    pub a_fire: i64,
    pub b_haz: i64,
    pub b_fire: i64,
    pub dept_fire: i64,
}

pub struct TestApp {
    pub router: Router,
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub ids: Ids,
    store: Option<TestStore>,
}

/// Runs `f` on a plain thread: the synchronous PostgreSQL client may not block on a thread
/// that drives the test's async runtime (the server itself calls the store from tokio's
/// blocking pool, which may).
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(f)
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// PostgreSQL stores kept open until the process ends: their clients may not be dropped on the
/// async runtime either, and the database itself is dropped (FORCE) when the test ends.
static KEPT: std::sync::Mutex<Vec<Arc<anjian_app::testing::store::Store>>> =
    std::sync::Mutex::new(Vec::new());

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(ts) = self.store.take() {
            if ts.name == "postgres"
                && let Ok(mut kept) = KEPT.lock()
            {
                kept.push(ts.store.clone());
            }
            off_runtime(move || drop(ts));
        }
    }
}

impl TestApp {
    /// The URL of the store under this app (to open it again, as another process would).
    pub fn store_url(&self) -> anjian_app::testing::store::StoreUrl {
        self.store.as_ref().expect("store").url()
    }

    /// A seeded user as stored.
    pub fn user(&self, username: &str) -> anjian_app::testing::store::users::User {
        off_runtime(|| {
            self.app
                .store_for_tests()
                .user_for_login(username)
                .ok()
                .flatten()
                .map(|(u, _)| u)
                .unwrap_or_else(|| panic!("no user {username}"))
        })
    }
}

pub fn uscc(n: u32) -> String {
    anjian_domain::uscc::Uscc::complete(&format!("91360982MA{n:07}"))
        .map(|u| u.to_string())
        .unwrap_or_default()
}

pub fn enterprise_json(n: u32, region: &str, sector: &str) -> Value {
    serde_json::json!({"name": format!("测试企业{n}有限公司"), "uscc": uscc(n), "region_code": region, "sector": sector, "address": "测试路1号"})
}

pub fn spawn() -> TestApp {
    // The suite runs on SQLite, and on PostgreSQL when ANJIAN_WEB_TEST_BACKEND=postgres (with
    // ANJIAN_TEST_PG naming the server); .ci/run runs it both ways.
    let start = chrono::NaiveDate::from_ymd_opt(2022, 6, 1).unwrap_or_default();
    let clock = Arc::new(FixedClock::at_date(start));
    let (ts, app, ids) = off_runtime(|| {
        let ts = match std::env::var("ANJIAN_WEB_TEST_BACKEND").as_deref() {
            Ok("postgres") => TestStore::postgres()
                .expect("ANJIAN_WEB_TEST_BACKEND=postgres needs ANJIAN_TEST_PG")
                .expect("postgres test store"),
            _ => TestStore::sqlite().expect("sqlite test store"),
        };
        let app = App::new(ts.store.clone(), clock.clone() as Arc<dyn Clock>);
        let ids = seed(&app);
        (ts, app, ids)
    });
    let router = anjian_web::router(app.clone(), anjian_web::WebConfig::default());
    TestApp {
        router,
        app,
        clock,
        ids,
        store: Some(ts),
    }
}

fn seed(app: &App) -> Ids {
    let p = |e: anjian_app::AppError| -> ! { panic!("seed: {e:?}") };
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    anjian_app::catalogue::ensure_defaults(app).unwrap_or_else(|e| p(e));
    let rc = |s: &str| anjian_domain::RegionCode::parse(s).unwrap();
    let regions = vec![
        RegionInput {
            code: rc(COUNTY),
            name: "测试市".into(),
            parent_code: None,
        },
        RegionInput {
            code: rc(TOWN_A),
            name: "临江镇".into(),
            parent_code: Some(rc(COUNTY)),
        },
        RegionInput {
            code: rc(TOWN_B),
            name: "永泰镇".into(),
            parent_code: Some(rc(COUNTY)),
        },
        RegionInput {
            code: rc(VILLAGE_A1),
            name: "枫林村".into(),
            parent_code: Some(rc(TOWN_A)),
        },
        RegionInput {
            code: rc(VILLAGE_B1),
            name: "石塘村".into(),
            parent_code: Some(rc(TOWN_B)),
        },
    ];
    app.store_for_tests().upsert_regions(&ch, &regions).unwrap();
    app.store_for_tests()
        .set_setting(
            &ch,
            anjian_app::testing::store::settings::ROOT_REGION,
            COUNTY,
        )
        .unwrap();
    let dep = |name: &str, sectors: &[&str]| DepartmentInput {
        region_code: COUNTY.into(),
        name: name.into(),
        short_name: name.into(),
        is_member_unit: true,
        has_supervision_duty: true,
        is_industry_authority: true,
        sort_order: 0,
        sectors: sectors
            .iter()
            .map(|s| SectorAssignment {
                sector_code: s.to_string(),
                decision_no: None,
                decided_on: None,
                note: String::new(),
            })
            .collect(),
    };
    let dept_yj = app
        .store_for_tests()
        .create_department(&ch, &dep("测试市应急管理局", &["hazchem", "mines"]))
        .unwrap();
    let dept_fire = app
        .store_for_tests()
        .create_department(&ch, &dep("测试市消防救援大队", &["fire"]))
        .unwrap();
    let mk = |n: u32, region: &str, sector: &str| {
        let input: EnterpriseInput =
            serde_json::from_value(enterprise_json(n, region, sector)).unwrap();
        let v = input.validate(app.clock.today()).unwrap();
        app.store_for_tests().create_enterprise(&ch, &v).unwrap()
    };
    let ids = Ids {
        a_haz: mk(1, VILLAGE_A1, "hazchem"),
        a_fire: mk(2, TOWN_A, "fire"),
        b_haz: mk(3, VILLAGE_B1, "hazchem"),
        b_fire: mk(4, VILLAGE_B1, "fire"),
        dept_fire,
    };
    let user = |username: &str,
                role: &str,
                region: Option<&str>,
                dept: Option<i64>,
                ent: Option<i64>,
                sites: Vec<i64>| NewUser {
        username: username.into(),
        display_name: format!("{username}用户"),
        role: role.into(),
        password: Some(PASSWORD.into()),
        region_code: region.map(str::to_string),
        department_id: dept,
        enterprise_id: ent,
        phone: None,
        active: true,
        site_ids: sites,
        version: None,
    };
    for u in [
        user("admin", "admin", None, None, None, vec![]),
        user("leader", "leader", None, None, None, vec![]),
        user("yingji", "department", None, Some(dept_yj), None, vec![]),
        user("zhifa", "inspector", None, Some(dept_yj), None, vec![]),
        user("town_a", "township", Some(TOWN_A), None, None, vec![]),
        user("qiye", "enterprise", None, None, Some(ids.a_haz), vec![]),
        user("paizhu", "supervisor", None, None, None, vec![ids.a_fire]),
    ] {
        app.add_user_system("test", &u).unwrap_or_else(|e| p(e));
    }
    ids
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| match e {});
        let status = res.status();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes().to_vec())
            .unwrap_or_default();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: impl Into<Body>,
    ) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(b.body(body.into()).unwrap()).await
    }

    pub async fn token(&self, username: &str) -> String {
        let r = self
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.text());
        r.json()["token"].as_str().unwrap_or_default().to_string()
    }

    /// Logs in through the UI form; returns the session cookie and the session's CSRF token.
    pub async fn web_login(&self, username: &str) -> (String, String) {
        let page = self
            .send(Request::get("/login").body(Body::empty()).unwrap())
            .await;
        let login_cookie = set_cookie(&page.headers, "anjian_login_csrf").unwrap_or_default();
        let csrf = hidden(&page.text(), "_csrf");
        let form = format!("_csrf={csrf}&next=%2F&username={username}&password={PASSWORD}");
        let r = self
            .send(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, format!("anjian_login_csrf={login_cookie}"))
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "web login {username}: {}",
            r.text()
        );
        let session = set_cookie(&r.headers, "anjian_session").unwrap_or_default();
        let home = self.page("/", &session).await;
        (session, hidden(&home.text(), "_csrf"))
    }

    pub async fn page(&self, path: &str, session: &str) -> Resp {
        self.send(
            Request::get(path)
                .header(header::COOKIE, format!("anjian_session={session}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn form(&self, path: &str, session: &str, pairs: &[(&str, &str)]) -> Resp {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_session={session}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

pub fn set_cookie(h: &axum::http::HeaderMap, name: &str) -> Option<String> {
    h.get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let first = v.split(';').next()?;
            let (k, val) = first.split_once('=')?;
            (k == name).then(|| val.to_string())
        })
}

pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle)
        .map(|i| {
            html[i + needle.len()..]
                .split('"')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_default()
}
