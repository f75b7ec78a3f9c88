//! The period report and its template (安委办).

use crate::extract::{FormPairs, PageCaller};
use crate::query::{StatQuery, stat_of};
use crate::ui::{Chrome, render_refused, see_other};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

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

pub(super) async fn report(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<StatQuery>,
) -> Result<Response, PageError> {
    let (anchor, notice) = super::default_anchor(&state, &pc, super::given(&q.period)).await?;
    let (period, _) = stat_of(&q, anchor).map_err(|e| AppError::BadRequest(e.message))?;
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
        chrome: Chrome::new(&pc, instance, "统计报告", "stat_report").notice(notice),
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

pub(super) async fn template_page(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    template_page_with(&state, &pc, None, None).await
}

pub(super) async fn template_save(
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
            let m = crate::ui::form_error(e)?;
            template_page_with(&state, &pc, Some(text), Some(m)).await
        }
    }
}
