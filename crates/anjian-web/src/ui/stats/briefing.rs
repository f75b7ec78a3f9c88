//! 领导简报: one printable page for a period: the headline figures beside last year's (同比)
//! and bar charts by township and by sector, every figure and bar opening its records.

use crate::extract::PageCaller;
use crate::query::StatQuery;
use crate::ui::{Chrome, render_refused};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::stats::{Bar, YearOnYear};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "stat_briefing.html")]
struct BriefingPage {
    chrome: Chrome,
    title: String,
    period: String,
    period_name: String,
    year_ago_name: String,
    headline: Vec<YearOnYear>,
    townships_svg: String,
    sectors_svg: String,
    overdue_svg: String,
    query: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal grouped bars: this period (blue) above the same period a year earlier (grey),
/// each pair a link to the records of its unit.
pub(crate) fn bars_svg(bars: &[Bar], metric: &str, now: &str, before: &str) -> String {
    if bars.is_empty() {
        return "<p class=\"muted\">本期没有记录</p>".into();
    }
    let (label_w, bar_w, row_h, top) = (124.0, 240.0, 22.0, 20.0);
    let max = bars
        .iter()
        .map(|b| b.now.max(b.before))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let height = top + row_h * bars.len() as f64 + 6.0;
    let width = label_w + bar_w + 40.0;
    let mut s = format!(
        r##"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" role="img">"##
    );
    s.push_str(&format!(
        r##"<rect x="{label_w}" y="4" width="10" height="10" fill="#2f6fd6"/><text x="{}" y="13" font-size="11" fill="#445">{}</text><rect x="{}" y="4" width="10" height="10" fill="#b8c4d2"/><text x="{}" y="13" font-size="11" fill="#445">{}</text>"##,
        label_w + 14.0,
        esc(now),
        label_w + 110.0,
        label_w + 124.0,
        esc(before)
    ));
    for (i, b) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let w_now = bar_w * b.now as f64 / max;
        let w_before = bar_w * b.before as f64 / max;
        s.push_str(&format!(
            r##"<a href="/metrics/{metric}?{q}"><title>{name}：本期 {n}，上年同期 {p}</title><text x="{tx}" y="{ty}" font-size="12" text-anchor="end" fill="#1f2d3d">{name}</text><rect x="{label_w}" y="{y1}" width="{w_now:.1}" height="11" fill="#2f6fd6"/><text x="{nx:.1}" y="{ny}" font-size="11" fill="#1f2d3d">{n}</text><rect x="{label_w}" y="{y2}" width="{w_before:.1}" height="8" fill="#b8c4d2"/><text x="{px:.1}" y="{py}" font-size="10" fill="#6b7785">{p}</text></a>"##,
            q = esc(&b.query),
            name = esc(&b.name),
            n = b.now,
            p = b.before,
            tx = label_w - 8.0,
            ty = y + 12.0,
            y1 = y + 2.0,
            nx = label_w + w_now + 4.0,
            ny = y + 11.0,
            y2 = y + 13.0,
            px = label_w + w_before + 4.0,
            py = y + 20.0,
        ));
    }
    s.push_str("</svg>");
    s
}

pub(super) async fn briefing(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<StatQuery>,
) -> Result<Response, PageError> {
    let (anchor, notice) = super::default_anchor(&state, &pc, super::given(&q.period)).await?;
    let (period, _) =
        crate::query::stat_of(&q, anchor).map_err(|e| AppError::BadRequest(e.message))?;
    let caller = pc.caller.clone();
    let p = period.clone();
    let (instance, b, area) = blocking(&state, move |app| {
        let area = app.region_name(&caller, caller.user.region_code.as_str())?;
        Ok((app.instance_name()?, app.briefing(&caller, &p)?, area))
    })
    .await?;
    let now = b.period.name();
    let before = b.year_ago.name();
    let area = if area.is_empty() || area == instance {
        instance.clone()
    } else {
        format!("{instance}{area}")
    };
    let page = BriefingPage {
        chrome: Chrome::new(&pc, instance, "领导简报", "briefing").notice(notice),
        title: format!("{area}{now}安全生产工作简报"),
        period: b.period.code.clone(),
        period_name: now.clone(),
        year_ago_name: before.clone(),
        townships_svg: bars_svg(&b.townships, "hazards.found", &now, &before),
        sectors_svg: bars_svg(&b.sectors, "hazards.found", &now, &before),
        overdue_svg: bars_svg(
            &b.overdue[..b.overdue.len().min(10)],
            "hazards.open_overdue",
            &now,
            &before,
        ),
        query: format!("period={}", b.period.code),
        headline: b.headline,
    };
    Ok(render_refused(&page, false))
}
