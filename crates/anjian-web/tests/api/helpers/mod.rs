use anjian_app::App;
use anjian_app::testing::store::departments::DepartmentInput;
use anjian_app::testing::store::duties::DutyInput;
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

mod client;
mod fixture;
mod pages;
pub use client::*;
use fixture::seed;
pub use pages::*;

pub const PASSWORD: &str = "Passw0rd2022";
/// The last valid day of the fixture officers' certificates (yingji, zhifa, town_a).
pub const CERT_VALID_UNTIL: &str = "2027-12-31";
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

/// PostgreSQL stores whose test has ended but whose last handle may still be dropped on the
/// async runtime (the app and router of the test let go of theirs after this drop), where a
/// client may not be dropped. Each later drop releases, off the runtime, the stores only this
/// list still holds (their tests are over), so the suite's memory stays flat instead of
/// keeping every test's store to the end of the process. The database itself is dropped
/// (FORCE) when the test ends.
static KEPT: std::sync::Mutex<Vec<Arc<anjian_app::testing::store::Store>>> =
    std::sync::Mutex::new(Vec::new());

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(ts) = self.store.take() {
            let mut ended = Vec::new();
            if ts.name == "postgres"
                && let Ok(mut kept) = KEPT.lock()
            {
                let (free, held): (Vec<_>, Vec<_>) =
                    kept.drain(..).partition(|s| Arc::strong_count(s) == 1);
                *kept = held;
                kept.push(ts.store.clone());
                ended = free;
            }
            off_runtime(move || {
                drop(ended);
                drop(ts);
            });
        }
    }
}

impl TestApp {
    /// The fixture's two certified officers of the 应急局 (yingji, zhifa): the `officer_ids`
    /// of an enforcement inspection its users record.
    pub fn officer_ids(&self) -> Vec<i64> {
        vec![self.user("yingji").id, self.user("zhifa").id]
    }

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
    spawn_with(anjian_web::WebConfig::default())
}

/// A test app with its own web settings (secure cookies, trusted proxies).
pub fn spawn_with(config: anjian_web::WebConfig) -> TestApp {
    spawn_store(config, true)
}

/// A test app on a blank store: no county, no user (the first-run page).
pub fn spawn_blank() -> TestApp {
    spawn_store(anjian_web::WebConfig::default(), false)
}

fn spawn_store(config: anjian_web::WebConfig, seeded: bool) -> TestApp {
    // The suite runs on SQLite, and on PostgreSQL when ANJIAN_WEB_TEST_BACKEND=postgres (with
    // ANJIAN_TEST_PG naming the server); .ci/run runs it both ways.
    let start = chrono::NaiveDate::from_ymd_opt(2022, 6, 1).unwrap_or_default();
    let clock = Arc::new(FixedClock::at_date(start));
    let (ts, app, ids) = off_runtime(|| {
        let postgres = std::env::var("ANJIAN_WEB_TEST_BACKEND").as_deref() == Ok("postgres");
        let blank = Ids {
            a_haz: 0,
            a_fire: 0,
            b_haz: 0,
            b_fire: 0,
            dept_fire: 0,
        };
        let (ts, ids) = if seeded {
            // The county is seeded once per process (Argon2 hashes, the catalogue) and each
            // test starts from a copy of it; the seed runs at the tests' first day.
            static SEEDED: std::sync::OnceLock<Ids> = std::sync::OnceLock::new();
            let ts = TestStore::copy_of_fixture(postgres, "web_county", |store| {
                let seeding = Arc::new(FixedClock::at_date(start));
                let ids = seed(&App::new(store, seeding as Arc<dyn Clock>));
                let _ = SEEDED.set(ids);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("seeded test store: {e}"));
            (ts, *SEEDED.get().expect("the fixture's ids"))
        } else if postgres {
            let ts = TestStore::postgres()
                .expect("ANJIAN_WEB_TEST_BACKEND=postgres needs ANJIAN_TEST_PG")
                .expect("postgres test store");
            (ts, blank)
        } else {
            (TestStore::sqlite().expect("sqlite test store"), blank)
        };
        let app = App::new(ts.store.clone(), clock.clone() as Arc<dyn Clock>);
        (ts, app, ids)
    });
    let router = anjian_web::router(app.clone(), config);
    TestApp {
        router,
        app,
        clock,
        ids,
        store: Some(ts),
    }
}

impl TestApp {}
