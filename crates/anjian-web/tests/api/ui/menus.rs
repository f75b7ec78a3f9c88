//! Each role its own place: the sidebar lists what the role works in, and a refusal names
//! the caller's real role.

use crate::helpers::*;
use axum::http::StatusCode;

fn links(html: &str) -> Vec<String> {
    let Some(start) = html.find("<nav class=\"sidebar\"") else {
        return vec![];
    };
    let end = html[start..]
        .find("</nav>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn each_role_gets_its_own_menu_and_refusals_name_the_real_role() {
    let t = spawn();
    let (s, _) = t.web_login("qiye").await;
    let r = t.page("/", &s).await;
    let l = links(&r.text());
    assert!(
        l.contains(&format!("/enterprises/{}", t.ids.a_haz)),
        "{l:?}"
    );
    assert!(l.contains(&"/hazards/new".to_string()), "{l:?}");
    for dead_end in [
        "/plans",
        "/draws",
        "/metrics",
        "/regions",
        "/ranking",
        "/work-records",
    ] {
        assert!(
            !l.iter().any(|h| h == dead_end),
            "enterprise sees {dead_end}"
        );
    }
    let r = t.page("/ranking", &s).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.text().contains("您当前的角色是“企业用户”"),
        "{}",
        r.text()
    );

    let (s, _) = t.web_login("paizhu").await;
    let r = t.page("/", &s).await;
    let l = links(&r.text());
    assert!(l.contains(&"/enterprises".to_string()), "{l:?}");
    assert!(r.text().contains("驻守企业"), "supervisor's registry link");
    for dead_end in ["/plans", "/metrics", "/hazards/new", "/cases", "/users"] {
        assert!(
            !l.iter().any(|h| h == dead_end),
            "supervisor sees {dead_end}"
        );
    }
    let r = t.page("/ranking", &s).await;
    assert!(
        r.text().contains("您当前的角色是“派驻监督员”"),
        "{}",
        r.text()
    );

    let (s, _) = t.web_login("town_a").await;
    let l = links(&t.page("/", &s).await.text());
    assert!(l.contains(&"/commissions".to_string()) && l.contains(&"/metrics".to_string()));
    assert!(!l.contains(&"/plans".to_string()) && !l.contains(&"/users".to_string()));

    let (s, _) = t.web_login("admin").await;
    let l = links(&t.page("/", &s).await.text());
    for all in [
        "/users",
        "/audit",
        "/plans",
        "/metrics",
        "/regions",
        "/enterprises",
    ] {
        assert!(l.iter().any(|h| h == all), "admin lacks {all}");
    }
    // The menu opens from the top bar on a phone: the toggle and the narrow-screen styles.
    let html = t.page("/", &s).await.text();
    assert!(html.contains("id=\"navtoggle\"") && html.contains("for=\"navtoggle\""));
    let css = t.page("/static/app.css", &s).await.text();
    assert!(css.contains("@media (max-width: 760px)") && css.contains(".navtoggle:checked"));
}
