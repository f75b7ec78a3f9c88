//! The working-day calendar page: the year as month grids, each day marked, and a click by
//! the 安委办 that changes a day and with it the deadlines counted over it.

use crate::helpers::*;
use axum::http::{StatusCode, header};

/// What the API counts: one working day after `from`.
async fn next_working_day(t: &TestApp, token: &str, from: &str) -> String {
    t.call(
        "GET",
        &format!("/api/v1/calendar/add-working-days?from={from}&days=1"),
        Some(token),
        None,
    )
    .await
    .json()["date"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The cell of `day` on the page (from its `<td` to its `</td>`).
fn cell<'a>(html: &'a str, day: &str) -> &'a str {
    let at = html.find(&format!(r#"value="{day}""#)).unwrap_or(0);
    let start = html[..at].rfind("<td").unwrap_or(0);
    let end = html[at..].find("</td>").map_or(html.len(), |e| at + e);
    &html[start..end]
}

#[tokio::test]
async fn the_calendar_is_twelve_month_grids_and_a_click_changes_a_day() {
    let t = spawn();
    let (s, csrf) = t.web_login("admin").await;
    let html = t.page("/calendar?year=2022", &s).await.text();
    for m in 1..=12 {
        assert!(html.contains(&format!(r#"id="m{m}""#)), "month {m}: {html}");
    }
    assert_eq!(
        html.matches(r#"<abbr title="星期一">一</abbr>"#).count(),
        12
    );
    for legend in ["工作日", "休息日", "法定节假日", "调休上班"] {
        assert!(html.contains(legend), "{legend}");
    }
    // 2022: 国庆 from 10-01, 10-08 (a Saturday) worked, 10-10 an ordinary Monday.
    assert!(
        cell(&html, "2022-10-03").contains(r#"class="day holiday""#),
        "{}",
        cell(&html, "2022-10-03")
    );
    assert!(cell(&html, "2022-10-08").contains(r#"class="day workday""#));
    assert!(cell(&html, "2022-10-15").contains(r#"class="day rest""#));
    assert!(cell(&html, "2022-10-10").contains(r#"class="day work""#));
    assert!(cell(&html, "2022-10-03").contains("10月3日 星期一 法定节假日（国庆节）"));
    assert!(
        html.contains("按通知整体录入"),
        "the whole-year entry stays"
    );

    let admin = t.token("admin").await;
    // 端午 2022 was Friday 06-03: one working day after Thursday 06-02 is Monday 06-06.
    assert_eq!(
        next_working_day(&t, &admin, "2022-06-02").await,
        "2022-06-06"
    );
    // A click marks Monday 06-06 a holiday: the page comes back at June, the day marked, and
    // the working day after 06-02 moves to 06-07.
    let r = t
        .form(
            "/calendar/day",
            &s,
            &[
                ("_csrf", &csrf),
                ("year", "2022"),
                ("mark", "holiday"),
                ("name", "端午节"),
                ("day", "2022-06-06"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(to.ends_with("#m6") && to.contains("mark=holiday"), "{to}");
    let html = t.page(&to, &s).await.text();
    assert!(cell(&html, "2022-06-06").contains(r#"class="day holiday""#));
    assert!(
        html.contains("已将2022年6月6日（星期一）标为法定节假日（端午节）"),
        "{html}"
    );
    assert!(html.contains(r#"value="holiday" checked"#) && html.contains(r#"value="端午节""#));
    assert_eq!(
        next_working_day(&t, &admin, "2022-06-02").await,
        "2022-06-07"
    );
    // A weekday is a working day already: marking it 调休上班 is refused in words.
    let r = t
        .form(
            "/calendar/day",
            &s,
            &[
                ("_csrf", &csrf),
                ("year", "2022"),
                ("mark", "workday"),
                ("name", ""),
                ("day", "2022-06-08"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("本来就是工作日"));
    // Back to ordinary, and the count with it.
    let r = t
        .form(
            "/calendar/day",
            &s,
            &[
                ("_csrf", &csrf),
                ("year", "2022"),
                ("mark", "normal"),
                ("name", ""),
                ("day", "2022-06-06"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        next_working_day(&t, &admin, "2022-06-02").await,
        "2022-06-06"
    );

    // Who may not change the calendar sees it without buttons and cannot post a click.
    let (z, zcsrf) = t.web_login("zhifa").await;
    let html = t.page("/calendar?year=2022", &z).await.text();
    assert!(
        html.contains(r#"id="m12""#) && !html.contains(r#"name="day""#),
        "{html}"
    );
    let r = t
        .form(
            "/calendar/day",
            &z,
            &[
                ("_csrf", &zcsrf),
                ("year", "2022"),
                ("mark", "holiday"),
                ("day", "2022-06-06"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        next_working_day(&t, &admin, "2022-06-02").await,
        "2022-06-06"
    );
}
