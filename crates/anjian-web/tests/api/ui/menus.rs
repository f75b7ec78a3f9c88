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
    // The enterprise's home is its own record.
    let r = t.page("/", &s).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.page(&format!("/enterprises/{}", t.ids.a_haz), &s).await;
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

/// 一企一档: the enterprise's own record shows its hazards (with the open and overdue counts),
/// the inspections it received and the documents addressed to it.
#[tokio::test]
async fn the_enterprise_home_is_its_record_with_hazards_inspections_and_documents() {
    let t = spawn();
    let insp = t.token("zhifa").await;
    let r = t
        .call(
            "POST",
            "/api/v1/hazards",
            Some(&insp),
            Some(
                serde_json::json!({"enterprise_id": t.ids.a_haz, "region_code": VILLAGE_A1,
                "sector": "hazchem", "level": "general", "source": "inspection",
                "description": "储罐区静电接地失效", "found_on": "2022-06-01"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (s, _) = t.web_login("qiye").await;
    let r = t.page("/", &s).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = t.page(&format!("/enterprises/{}", t.ids.a_haz), &s).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("储罐区静电接地失效"), "{html}");
    assert!(html.contains("未销号 1 处"), "{html}");
    assert!(
        html.contains("监督检查") && html.contains("执法文书"),
        "{html}"
    );
    // A regulator sees the hazards too, but not the enterprise's document panel.
    let (s, _) = t.web_login("zhifa").await;
    let html = t
        .page(&format!("/enterprises/{}", t.ids.a_haz), &s)
        .await
        .text();
    assert!(html.contains("储罐区静电接地失效"));
    assert!(!html.contains("<h2>执法文书</h2>"));
}
