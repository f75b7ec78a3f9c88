//! 统计分析: metric values with their drill-downs, the period report, the report
//! template (安委办), campaigns and work records.

use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::query::{RankQuery, StatQuery, WorkQuery, rank_of, stat_of, work_filter_of};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::records::stats::StatFilter;
use anjian_app::records::work::{Campaign, WorkItemType};
use anjian_app::stats::{MetricValue, entity_label};
use anjian_app::work::{CampaignInput, WorkRecordInput};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/metrics/{id}", get(metric))
        .route("/statistics/report", get(report))
        .route(
            "/statistics/report-template",
            get(template_page).post(template_save),
        )
        .route("/campaigns", get(campaigns).post(campaign_create))
        .route("/ranking", get(ranking))
        .route(
            "/hazards/import",
            post(hazard_import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/work-records", get(work_list).post(work_create))
        .route(
            "/work-records/import",
            post(work_import).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
}

/// Options of the statistical filter bar.
pub struct FilterBar {
    pub period: String,
    pub region: String,
    pub department: String,
    pub sector: String,
    pub campaign: String,
    pub towns: Vec<(String, String)>,
    pub departments: Vec<(String, String)>,
    pub sectors: Vec<(String, String)>,
    pub campaigns: Vec<(String, String)>,
    /// The query string that reproduces this filter.
    pub query: String,
}

async fn filter_bar(
    state: &AppState,
    pc: &PageCaller,
    q: &StatQuery,
    query: String,
) -> Result<FilterBar, PageError> {
    let caller = pc.caller.clone();
    let (towns, departments, sectors, campaigns) = blocking(state, move |app| {
        Ok((
            app.townships(&caller)?,
            app.department_options(&caller)?,
            app.list_sectors(&caller)?
                .into_iter()
                .map(|s| (s.code, s.name))
                .collect::<Vec<_>>(),
            app.campaigns(&caller)?
                .into_iter()
                .map(|c| (c.code, c.name))
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(FilterBar {
        period: s(&q.period),
        region: s(&q.region),
        department: s(&q.department),
        sector: s(&q.sector),
        campaign: s(&q.campaign),
        towns,
        departments,
        sectors,
        campaigns,
        query,
    })
}

pub struct Section {
    pub name: String,
    pub items: Vec<MetricValue>,
}

#[derive(Template)]
#[template(path = "metrics.html")]
struct MetricsPage {
    chrome: Chrome,
    bar: FilterBar,
    period_name: String,
    sections: Vec<Section>,
    error: Option<String>,
}

async fn metrics(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<StatQuery>,
) -> Result<Response, PageError> {
    let today = state.app.clock.today();
    let (error, period, f) = match stat_of(&q, today) {
        Ok((p, f)) => (None, p, f),
        Err(e) => (
            Some(e.message),
            anjian_domain::period::Period::year(chrono::Datelike::year(&today))
                .ok_or_else(|| AppError::Internal("year".into()))?,
            StatFilter::default(),
        ),
    };
    let query = anjian_app::stats::drill_query(&period, &f);
    let bar = filter_bar(&state, &pc, &q, query).await?;
    let caller = pc.caller.clone();
    let p = period.clone();
    let (instance, values) = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.metric_values(&caller, &p, &f, None)?,
        ))
    })
    .await?;
    let mut sections: Vec<Section> = Vec::new();
    for v in values {
        match sections.iter_mut().find(|s| s.name == v.section) {
            Some(s) => s.items.push(v),
            None => sections.push(Section {
                name: v.section.clone(),
                items: vec![v],
            }),
        }
    }
    let page = MetricsPage {
        chrome: Chrome::new(&pc, instance, "统计指标", "metrics"),
        bar,
        period_name: period.name(),
        sections,
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

pub struct DrillLine {
    pub kind: String,
    pub id: String,
    pub href: String,
    pub date: String,
    pub label: String,
    pub amount: i64,
}

#[derive(Template)]
#[template(path = "metric_detail.html")]
struct MetricPage {
    chrome: Chrome,
    metric: MetricValue,
    period_name: String,
    scope_note: String,
    applicable: bool,
    lines: Vec<DrillLine>,
    total: i64,
    shown_all: bool,
    query: String,
}

fn href_of(entity: &str, id: Option<i64>) -> String {
    let Some(id) = id else { return String::new() };
    match entity {
        "hazard" => format!("/hazards/{id}"),
        "inspection" => format!("/inspections/{id}"),
        "case" => format!("/cases/{id}"),
        "transfer" => format!("/transfers/{id}"),
        "report" => format!("/reports/{id}"),
        "listing" => format!("/listings/{id}"),
        "plan" => format!("/plans/{id}"),
        "enterprise" => format!("/enterprises/{id}"),
        "document" => format!("/api/v1/documents/{id}/docx"),
        "department" => "/departments".into(),
        "work_record" => format!("/work-records?after={}", id + 1),
        _ => String::new(),
    }
}

async fn metric(
    State(state): State<AppState>,
    pc: PageCaller,
    Path(id): Path<String>,
    Query(q): Query<StatQuery>,
) -> Result<Response, PageError> {
    let (period, f) =
        stat_of(&q, state.app.clock.today()).map_err(|e| AppError::BadRequest(e.message))?;
    let query = anjian_app::stats::drill_query(&period, &f);
    let mut notes = Vec::new();
    if let Some(r) = &f.region_prefix {
        notes.push(format!("区划 {r}"));
    }
    if let Some(d) = f.department_id {
        notes.push(format!("部门 {d}"));
    }
    if let Some(s) = &f.sector {
        notes.push(format!("行业 {s}"));
    }
    if let Some(c) = &f.campaign {
        notes.push(format!("专项行动 {c}"));
    }
    if let Some(a) = &f.agency {
        notes.push(format!("委托机关 {a}"));
    }
    let caller = pc.caller.clone();
    let p = period.clone();
    const LIMIT: i64 = 2000;
    let (instance, (metric, rows), total) = blocking(&state, move |app| {
        let (m, rows) = app.metric_drill(&caller, &id, &p, &f, LIMIT)?;
        Ok((app.instance_name()?, (m.clone(), rows), m.raw))
    })
    .await?;
    let applicable = rows.is_some();
    let rows = rows.unwrap_or_default();
    let shown: i64 = rows.iter().map(|r| r.amount).sum();
    let lines = rows
        .into_iter()
        .map(|r| DrillLine {
            kind: entity_label(&r.entity).to_string(),
            href: href_of(&r.entity, r.entity_id),
            id: r.entity_id.map(|i| i.to_string()).unwrap_or(r.key),
            date: r.date.unwrap_or_default(),
            label: r.label.chars().take(80).collect(),
            amount: r.amount,
        })
        .collect();
    let page = MetricPage {
        chrome: Chrome::new(&pc, instance, &metric.label, "metrics"),
        period_name: period.name(),
        scope_note: if notes.is_empty() {
            "全部（您的权限范围内）".into()
        } else {
            notes.join("，")
        },
        applicable,
        lines,
        total: total.unwrap_or(0),
        shown_all: Some(shown) == total,
        metric,
        query,
    };
    Ok(render_refused(&page, false))
}

pub struct Span {
    pub text: String,
    pub href: String,
}

pub struct ReportBlock {
    pub tag: &'static str,
    pub spans: Vec<Span>,
}

#[derive(Template)]
#[template(path = "stat_report.html")]
struct ReportPage {
    chrome: Chrome,
    period: String,
    blocks: Vec<ReportBlock>,
    figures: usize,
    is_admin: bool,
    error: Option<String>,
}

async fn report(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<StatQuery>,
) -> Result<Response, PageError> {
    let (period, _) =
        stat_of(&q, state.app.clock.today()).map_err(|e| AppError::BadRequest(e.message))?;
    let caller = pc.caller.clone();
    let p = period.clone();
    let (instance, rendered) = blocking(&state, move |app| {
        Ok((app.instance_name()?, app.render_report(&caller, &p)))
    })
    .await?;
    let (blocks, figures, error) = match rendered {
        Ok(r) => {
            use anjian_app::docx::{Block, Span as S};
            let blocks = r
                .blocks("")
                .into_iter()
                .map(|b| match b {
                    Block::Title(t) => ReportBlock {
                        tag: "h1",
                        spans: vec![Span {
                            text: t,
                            href: String::new(),
                        }],
                    },
                    Block::Heading(t) => ReportBlock {
                        tag: "h2",
                        spans: vec![Span {
                            text: t,
                            href: String::new(),
                        }],
                    },
                    Block::Para(spans) => ReportBlock {
                        tag: "p",
                        spans: spans
                            .into_iter()
                            .map(|s| match s {
                                S::Text(text) => Span {
                                    text,
                                    href: String::new(),
                                },
                                S::Link { text, url } => Span { text, href: url },
                            })
                            .collect(),
                    },
                })
                .collect();
            (blocks, r.figures.len(), None)
        }
        Err(AppError::BadRequest(m)) => (Vec::new(), 0, Some(m)),
        Err(e) => return Err(e.into()),
    };
    let page = ReportPage {
        chrome: Chrome::new(&pc, instance, "统计报告", "stat_report"),
        period: period.code,
        blocks,
        figures,
        is_admin: pc
            .caller
            .can(anjian_domain::scope::Permission::ConfigureCounty),
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

#[derive(Template)]
#[template(path = "report_template.html")]
struct TemplatePage {
    chrome: Chrome,
    template: String,
    metrics: Vec<(String, String, String)>,
    error: Option<String>,
}

async fn template_page_with(
    state: &AppState,
    pc: &PageCaller,
    text: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    if !pc
        .caller
        .can(anjian_domain::scope::Permission::ConfigureCounty)
    {
        return Err(AppError::Forbidden("只有安委办可以修改报告模板".into()).into());
    }
    let (instance, current, cat) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.report_template()?,
            app.metric_catalogue()?
                .into_iter()
                .map(|m| (m.id, m.label, m.unit))
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let page = TemplatePage {
        chrome: Chrome::new(pc, instance, "报告模板", "stat_report"),
        template: text.unwrap_or(current),
        metrics: cat,
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

async fn template_page(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    template_page_with(&state, &pc, None, None).await
}

async fn template_save(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let text = form.get("template");
    let caller = pc.caller.clone();
    let t = text.clone();
    match blocking(&state, move |app| app.set_report_template(&caller, &t)).await {
        Ok(()) => Ok(see_other("/statistics/report")),
        Err(e) => {
            let m = super::form_error(e)?;
            template_page_with(&state, &pc, Some(text), Some(m)).await
        }
    }
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct CampaignsPage {
    chrome: Chrome,
    items: Vec<Campaign>,
    is_admin: bool,
    error: Option<String>,
}

async fn campaigns_page(
    state: &AppState,
    pc: &PageCaller,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, items) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.campaigns(&caller)?))
    })
    .await?;
    let page = CampaignsPage {
        chrome: Chrome::new(pc, instance, "专项行动", "campaigns"),
        items,
        is_admin: pc
            .caller
            .can(anjian_domain::scope::Permission::ConfigureCounty),
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

async fn campaigns(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    campaigns_page(&state, &pc, None).await
}

async fn campaign_create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = CampaignInput {
        code: form.get("code"),
        name: form.get("name"),
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        units: form.get("units"),
        description: form.get("description"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_campaign(&caller, &input)).await {
        Ok(_) => Ok(see_other("/campaigns")),
        Err(e) => {
            let m = super::form_error(e)?;
            campaigns_page(&state, &pc, Some(m)).await
        }
    }
}

pub struct WorkLine {
    pub id: i64,
    pub item: String,
    pub done_on: String,
    pub region: String,
    pub department: String,
    pub quantity: i64,
    pub unit: String,
    pub campaign: String,
    pub place: String,
}

#[derive(Template)]
#[template(path = "work_records.html")]
struct WorkPage {
    chrome: Chrome,
    lines: Vec<WorkLine>,
    next: Option<String>,
    items: Vec<WorkItemType>,
    campaigns: Vec<(String, String)>,
    towns: Vec<(String, String)>,
    q_item: String,
    q_region: String,
    q_campaign: String,
    q_from: String,
    q_to: String,
    query: String,
    can_write: bool,
    error: Option<String>,
    report_lines: Vec<String>,
}

async fn work_page(
    state: &AppState,
    pc: &PageCaller,
    q: WorkQuery,
    error: Option<String>,
    report_lines: Vec<String>,
) -> Result<Response, PageError> {
    let (error, f) = match work_filter_of(&q) {
        Ok(f) => (error, f),
        Err(e) => (
            Some(e.message),
            anjian_app::records::work::WorkFilter {
                limit: 50,
                ..Default::default()
            },
        ),
    };
    let caller = pc.caller.clone();
    let (instance, page, items, campaigns, towns, departments, regions) =
        blocking(state, move |app| {
            let page = app.work_records(&caller, &f)?;
            let towns: Vec<(String, String)> = app.townships(&caller)?;
            let names =
                app.region_names(&caller, page.items.iter().map(|w| w.region_code.as_str()))?;
            Ok((
                app.instance_name()?,
                page,
                app.work_item_types()?,
                app.campaigns(&caller)?
                    .into_iter()
                    .map(|c| (c.code, c.name))
                    .collect::<Vec<_>>(),
                towns,
                app.all_departments(&caller)?,
                names,
            ))
        })
        .await?;
    let lines = page
        .items
        .iter()
        .map(|w| {
            let t = items.iter().find(|t| t.code == w.item_code);
            WorkLine {
                id: w.id,
                item: t
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| w.item_code.clone()),
                done_on: w.done_on.clone(),
                region: regions
                    .get(&w.region_code)
                    .cloned()
                    .unwrap_or_else(|| w.region_code.clone()),
                department: w
                    .department_id
                    .and_then(|d| departments.iter().find(|x| x.id == d))
                    .map(|d| d.short_name.clone())
                    .unwrap_or_default(),
                quantity: w.quantity,
                unit: t.map(|t| t.unit.clone()).unwrap_or_default(),
                campaign: w.campaign.clone().unwrap_or_default(),
                place: w.place.clone(),
            }
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let query = [
        ("item_code", &q.item_code),
        ("region_code", &q.region_code),
        ("campaign", &q.campaign),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_ref()
            .filter(|x| !x.is_empty())
            .map(|x| format!("{k}={}", super::urlencode(x)))
    })
    .collect::<Vec<_>>()
    .join("&");
    let p = WorkPage {
        chrome: Chrome::new(pc, instance, "工作记录", "work_records"),
        lines,
        next: page.next,
        items,
        campaigns,
        towns,
        q_item: s(&q.item_code),
        q_region: s(&q.region_code),
        q_campaign: s(&q.campaign),
        q_from: s(&q.from),
        q_to: s(&q.to),
        query,
        can_write: pc.caller.can(anjian_domain::scope::Permission::Supervise),
        error,
        report_lines,
    };
    Ok(render_refused(&p, p.error.is_some()))
}

async fn work_list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<WorkQuery>,
) -> Result<Response, PageError> {
    work_page(&state, &pc, q, None, Vec::new()).await
}

async fn work_create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let quantity = form.get("quantity");
    let input = WorkRecordInput {
        item_code: form.get("item_code"),
        region_code: form.get("region_code"),
        department_id: None,
        sector: None,
        enterprise_id: None,
        done_on: form.get("done_on"),
        quantity: quantity.parse().unwrap_or(-1),
        campaign: Some(form.get("campaign")),
        place: form.get("place"),
        note: form.get("note"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.create_work_record(&caller, &input)).await {
        Ok(_) => Ok(see_other("/work-records")),
        Err(e) => {
            let m = super::form_error(e)?;
            let m = if quantity.parse::<i64>().is_err() {
                format!("数量应为整数；{m}")
            } else {
                m
            };
            work_page(&state, &pc, WorkQuery::default(), Some(m), Vec::new()).await
        }
    }
}

/// An import form's file: its extension and bytes once the form's CSRF token checks out,
/// or the message to show for a malformed upload.
async fn uploaded_file(
    pc: &PageCaller,
    mp: Multipart,
) -> Result<Result<(String, Vec<u8>), String>, PageError> {
    let (name, data, _, csrf) = match crate::files::read_upload(mp).await {
        Ok(x) => x,
        Err(e) => return Ok(Err(e.message)),
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(AppError::Forbidden("表单已过期，请刷新页面后重试".into()).into());
    }
    Ok(Ok((crate::files::extension(&name), data)))
}

async fn work_import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let (ext, data) = match uploaded_file(&pc, mp).await? {
        Ok(x) => x,
        Err(m) => return work_page(&state, &pc, WorkQuery::default(), Some(m), Vec::new()).await,
    };
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        let t = anjian_app::import::read_table_bytes(&ext, &data)?;
        app.import_work_records(&caller, &t, false)
    })
    .await;
    match r {
        Ok(rep) if rep.invalid.is_empty() => Ok(see_other("/work-records")),
        Ok(rep) => {
            let msg = format!("有 {} 行数据有误，未导入任何记录", rep.invalid.len());
            work_page(&state, &pc, WorkQuery::default(), Some(msg), rep.lines()).await
        }
        Err(AppError::BadRequest(m)) | Err(AppError::Forbidden(m)) => {
            work_page(&state, &pc, WorkQuery::default(), Some(m), Vec::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "ranking.html")]
struct RankingPage {
    chrome: Chrome,
    period: String,
    by: String,
    ranking: anjian_app::ranking::Ranking,
}

async fn ranking(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<RankQuery>,
) -> Result<Response, PageError> {
    let (period, by) =
        rank_of(&q, state.app.clock.today()).map_err(|e| AppError::BadRequest(e.message))?;
    let caller = pc.caller.clone();
    let p = period.clone();
    let b = by.clone();
    let (instance, ranking) = blocking(&state, move |app| {
        Ok((app.instance_name()?, app.ranking(&caller, &p, &b)?))
    })
    .await?;
    let page = RankingPage {
        chrome: Chrome::new(&pc, instance, "调度排名", "ranking"),
        period: period.code,
        by,
        ranking,
    };
    Ok(render_refused(&page, false))
}

#[derive(Template)]
#[template(path = "import_result.html")]
struct ImportResultPage {
    chrome: Chrome,
    heading: String,
    message: String,
    ok: bool,
    lines: Vec<String>,
    back: String,
}

async fn hazard_import(
    State(state): State<AppState>,
    pc: PageCaller,
    mp: Multipart,
) -> Result<Response, PageError> {
    let instance = blocking(&state, |app| app.instance_name()).await?;
    let page = |message: String, ok: bool, lines: Vec<String>| {
        let p = ImportResultPage {
            chrome: Chrome::new(&pc, instance.clone(), "导入隐患", "hazards"),
            heading: "导入隐患".into(),
            message,
            ok,
            lines,
            back: "/hazards".into(),
        };
        render_refused(&p, !ok)
    };
    let (ext, data) = match uploaded_file(&pc, mp).await? {
        Ok(x) => x,
        Err(m) => return Ok(page(m, false, Vec::new())),
    };
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        let t = anjian_app::import::read_table_bytes(&ext, &data)?;
        app.import_hazards(&caller, &t, false, &mut |_, _| {})
    })
    .await;
    match r {
        Ok(rep) if rep.invalid.is_empty() => Ok(page(
            format!("已导入 {} 条隐患。", rep.written),
            true,
            Vec::new(),
        )),
        Ok(rep) => Ok(page(
            format!(
                "共 {} 行，其中 {} 行有误，未导入任何记录。请修正后重新导入。",
                rep.total,
                rep.invalid.len()
            ),
            false,
            rep.lines(),
        )),
        Err(AppError::BadRequest(m)) | Err(AppError::Forbidden(m)) => {
            Ok(page(m, false, Vec::new()))
        }
        Err(e) => Err(e.into()),
    }
}
