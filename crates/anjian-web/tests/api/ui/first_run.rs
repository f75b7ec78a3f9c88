//! The first-run page: on a blank store the login page sends to it, the county is picked from
//! the shipped division codes and the first administrator created in one step; once anything
//! is set up the routes are gone.

use crate::helpers::*;
use anjian_app::testing::store::users::User;
use anjian_domain::Scope;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const STRONG: &str = "Liuyang#2026";

fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

impl TestApp {
    async fn get(&self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Posts the first-run form with the given token cookie.
    async fn setup_post(&self, cookie: &str, pairs: &[(&str, &str)]) -> Resp {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.send(
            Request::post("/setup")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_setup_csrf={cookie}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    fn users(&self) -> Vec<User> {
        off_runtime(|| {
            self.app
                .store_for_tests()
                .list_users(&Scope::system())
                .unwrap()
        })
    }
}

fn form<'a>(
    csrf: &'a str,
    username: &'a str,
    password: &'a str,
    confirm: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("county", "430181"),
        ("villages", "on"),
        ("username", username),
        ("display_name", "浏阳市安委办管理员"),
        ("password", password),
        ("confirm", confirm),
    ]
}

#[tokio::test]
async fn a_blank_store_starts_liuyang_and_its_first_admin_from_the_browser() {
    let t = spawn_blank();
    // The login page (where `/` sends a visitor) leads to the first-run page.
    let r = t.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login"), "{}", location(&r));
    let r = t.get("/login").await;
    assert_eq!(
        (r.status, location(&r).as_str()),
        (StatusCode::SEE_OTHER, "/setup")
    );

    // Province → city → county, or a search by name or code.
    let r = t.get("/setup").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("首次运行") && r.text().contains("href=\"/setup?under=43\">湖南省"));
    assert!(
        t.get("/setup?under=43")
            .await
            .text()
            .contains("href=\"/setup?under=4301\">长沙市")
    );
    assert!(
        t.get("/setup?under=4301")
            .await
            .text()
            .contains("href=\"/setup?county=430181\">浏阳市")
    );
    for q in ["%E6%B5%8F%E9%98%B3", "430181"] {
        let page = t.get(&format!("/setup?q={q}")).await.text();
        assert!(
            page.contains("href=\"/setup?county=430181\">湖南省长沙市浏阳市"),
            "{q}: {page}"
        );
    }
    let r = t.get("/setup?county=430181").await;
    let page = r.text();
    assert!(
        page.contains("湖南省长沙市浏阳市") && page.contains("乡镇（街道）32 个、村（社区）326 个"),
        "{page}"
    );
    let cookie = set_cookie(&r.headers, "anjian_setup_csrf").unwrap_or_default();
    let csrf = hidden(&page, "_csrf");
    assert!(!cookie.is_empty() && cookie == csrf);

    // Without the page's token nothing is written.
    let r = t
        .setup_post("forged", &form(&csrf, "liuyang", STRONG, STRONG))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = t
        .setup_post(&cookie, &form("forged", "liuyang", STRONG, STRONG))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(t.users().is_empty());
    // The password policy, and the confirmation: refused in words, what was typed kept (but
    // the passwords), nothing written.
    let r = t
        .setup_post(&cookie, &form(&csrf, "liuyang", "short", "short"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("密码至少8位") && r.text().contains("value=\"liuyang\""),
        "{}",
        r.text()
    );
    assert!(!r.text().contains("short"));
    let r = t
        .setup_post(&cookie, &form(&csrf, "liuyang", STRONG, "Liuyang#2027"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("两次输入的密码不一致"));
    let r = t
        .setup_post(&cookie, &form(&csrf, "有空 格", STRONG, STRONG))
        .await;
    assert!(r.text().contains("用户名须为2-40位字母、数字或 . _ -"));
    assert!(t.users().is_empty());
    assert!(off_runtime(|| t.app.needs_first_run().unwrap()));

    // Set up: signed in as the new administrator, on the county's dashboard.
    let r = t
        .setup_post(&cookie, &form(&csrf, "liuyang", STRONG, STRONG))
        .await;
    assert_eq!(
        (r.status, location(&r).as_str()),
        (StatusCode::SEE_OTHER, "/"),
        "{}",
        r.text()
    );
    let session = set_cookie(&r.headers, "anjian_session").unwrap_or_default();
    let home = t.page("/", &session).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("浏阳市") && home.text().contains("浏阳市安委办管理员"));

    let (townships, villages, root) = off_runtime(|| {
        let s = t.app.store_for_tests();
        let all = s.list_regions(&Scope::system(), None, None).unwrap();
        let count = |level: &str| all.iter().filter(|r| r.level == level).count();
        (
            count("township"),
            count("village"),
            s.setting(anjian_app::testing::store::settings::ROOT_REGION)
                .unwrap(),
        )
    });
    assert_eq!((townships, villages), (32, 326));
    assert_eq!(root.as_deref(), Some("430181000000"));
    let users = t.users();
    assert_eq!(users.len(), 1);
    let admin = &users[0];
    assert_eq!(
        (
            admin.username.as_str(),
            admin.role.as_str(),
            admin.region_code.as_str()
        ),
        ("liuyang", "admin", "430181000000")
    );
    // They chose the password themselves: no forced change at the next login.
    assert!(!admin.must_change_password);
    let r = t
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": "liuyang", "password": STRONG})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // Now the first-run routes are gone: no second administrator this way.
    let r = t.get("/setup").await;
    assert_eq!(
        (r.status, location(&r).as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert_eq!(t.get("/login").await.status, StatusCode::OK);
    let r = t
        .setup_post(&cookie, &form(&csrf, "second", STRONG, STRONG))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(t.users().len(), 1);
}

#[tokio::test]
async fn a_set_up_store_has_no_first_run_page() {
    let t = spawn();
    let r = t.get("/setup?county=430181").await;
    assert_eq!(
        (r.status, location(&r).as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    assert_eq!(t.get("/login").await.status, StatusCode::OK);
    let before = t.users().len();
    let r = t
        .setup_post("x", &form("x", "second", STRONG, STRONG))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The use case refuses too, whatever the page did.
    let e = off_runtime(|| {
        t.app.first_run(
            &anjian_app::divisions::FirstRun {
                county: "430181".into(),
                villages: false,
                username: "second".into(),
                display_name: String::new(),
                password: STRONG.into(),
            },
            "",
            "",
        )
    });
    assert!(matches!(e, Err(anjian_app::AppError::Conflict(_))), "{e:?}");
    assert_eq!(t.users().len(), before);
}
