//! Penalty cases: list with a form to open one, and a detail page with the legal time
//! limits, the timeline, only the currently allowed steps, and the case's documents
//! (issue, service, Word download).

use super::Kept;
use super::{Chrome, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::cases::{CaseInput, CaseStep};
use anjian_app::documents::{DOC_TYPES, IssueInput, SERVICE_METHODS, ServiceInput};
use anjian_domain::cases::{CaseAction, CaseStatus, OVERTURNS};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list).post(open))
        .route("/cases/{id}", get(detail))
        .route("/cases/{id}/act", post(act))
        .route("/cases/{id}/documents", post(issue))
        .route("/cases/{id}/documents/{doc}/service", post(serve))
        .route("/cases/{id}/publicity", post(publicity))
}

/// Documents and publicity of a case are the enforcers' work.
fn can_handle(pc: &PageCaller) -> bool {
    pc.caller.can(Permission::Enforce)
}

pub struct Row {
    pub id: i64,
    pub procedure: String,
    pub party: String,
    pub fine: String,
    pub registered_on: String,
    pub status: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct ListPage {
    chrome: Chrome,
    next: Option<String>,
    next_href: String,
    rows: Vec<Row>,
    procedure: String,
    can_open: bool,
    /// A township officer opens simple cases under a 委托执法 commission: the items to pick
    /// from ("id|code", label); empty for enforcers.
    commission_items: Vec<(String, String)>,
    /// Where the party was found and the sector (commissioned cases have no enterprise).
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    kept: Kept,
}

async fn list_page(
    state: &AppState,
    pc: &PageCaller,
    procedure: String,
    after: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let p = procedure.clone();
    let commissioned = caller.can(Permission::OpenCases) && !caller.can(Permission::Enforce);
    let (instance, items, (choices, regions, sectors)) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.cases_page(
                &caller,
                Some(p.as_str()).filter(|s| !s.is_empty()),
                None,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            if commissioned {
                (
                    app.commission_choices(&caller)?,
                    app.list_regions(&caller, None, None)?
                        .into_iter()
                        .map(|r| (r.code, r.name))
                        .collect(),
                    app.list_sectors(&caller)?
                        .into_iter()
                        .map(|s| (s.code, s.name))
                        .collect(),
                )
            } else {
                (Vec::new(), Vec::new(), Vec::new())
            },
        ))
    })
    .await?;
    let next = items.next;
    let rows = items
        .items
        .into_iter()
        .map(|v| Row {
            id: v.case.id,
            procedure: if v.case.procedure == "simple" {
                "简易程序"
            } else {
                "普通程序"
            }
            .into(),
            party: v.case.party_name.clone(),
            fine: format!("{:.2}", v.fine_yuan),
            registered_on: v.case.registered_on.to_string(),
            status: v.status_label.to_string(),
            overdue: v.limits.iter().any(|l| l.overdue),
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(pc, instance, "行政处罚", "cases"),
        rows,
        next_href: format!("/cases?procedure={}&", super::urlencode(&procedure)),
        next,
        procedure,
        // A township opens cases only under a commission valid today.
        can_open: pc.caller.can(Permission::Enforce)
            || (pc.caller.can(Permission::OpenCases) && !choices.is_empty()),
        commission_items: choices
            .into_iter()
            .map(|(id, code, label)| (format!("{id}|{code}"), label))
            .collect(),
        regions,
        sectors,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let p = q.get("procedure").cloned().unwrap_or_default();
    let after = crate::query::after_of(&q);
    list_page(&state, &pc, p, after, Kept::none()).await
}

async fn open(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::Numbers::new(&form);
    let fine = n.yuan("fine_yuan", "拟罚款");
    let enterprise_id = n.int("enterprise_id", "企业编号");
    let commission = form.opt("commission").and_then(|c| {
        c.split_once('|')
            .map(|(a, b)| (a.to_string(), b.to_string()))
    });
    let input = CaseInput {
        procedure: form.get("procedure"),
        party_kind: form.get("party_kind"),
        party_name: form.get("party_name"),
        enterprise_id,
        fine_yuan: fine.unwrap_or(0.0),
        facts: form.opt("facts"),
        legal_basis: form.opt("legal_basis"),
        measures: form.all("measures"),
        region_code: form.opt("region_code"),
        sector: form.opt("sector"),
        commission_id: commission.as_ref().and_then(|(id, _)| id.parse().ok()),
        commission_item: commission.map(|(_, code)| code),
        officers: form.all("officers"),
        complex: form.get("complex") == "on",
        public_interest: form.get("public_interest") == "on",
        ..Default::default()
    };
    let errors = if n.errors.is_empty() {
        let caller = pc.caller.clone();
        match blocking(&state, move |app| app.open_case(&caller, &input)).await {
            Ok(v) => return Ok(see_other(&format!("/cases/{}", v.case.id))),
            Err(e) => super::refusal(e)?,
        }
    } else {
        n.errors
    };
    let kept = Kept::refused("open", &form, errors);
    list_page(&state, &pc, String::new(), None, kept).await
}

#[derive(Template)]
#[template(path = "case_detail.html")]
struct DetailPage {
    chrome: Chrome,
    c: anjian_app::records::cases::Case,
    procedure: String,
    status: String,
    fine: String,
    surcharge: String,
    measures: String,
    limits: Vec<anjian_app::cases::Limit>,
    actions: Vec<(String, String)>,
    events: Vec<(String, String, String, String)>,
    docs: Vec<crate::ui::documents::PanelDoc>,
    doc_types: Vec<(String, String)>,
    methods: Vec<String>,
    today: String,
    publicity: Option<anjian_app::publicity::DecisionPublicity>,
    record: anjian_app::cases::CaseRecord,
    can_act: bool,
    officers: String,
    /// 案情疑难复杂 / 涉及重大公共利益, as officials say it.
    flags: String,
    hearing: String,
    overturn: String,
    /// (period, from, to, note).
    pauses: Vec<(String, String, String, String)>,
    open_pauses: Vec<(String, String)>,
    overturns: Vec<(String, String)>,
    kept: Kept,
}

async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, (v, events), docs, publicity, record) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.case(&caller, id)?,
            app.documents(&caller, Some(("case", id)))?,
            app.decision_publicity(&caller)?
                .into_iter()
                .find(|p| p.case_id == id),
            app.case_record(&caller, id)?,
        ))
    })
    .await?;
    let mut record = record;
    // Upload times in local time, as every page shows time.
    for f in &mut record.evidence {
        f.uploaded_at = anjian_app::auth::local_time(&f.uploaded_at);
    }
    let label = |s: &str| CaseStatus::parse(s).map(|x| x.label()).unwrap_or("");
    let measures: Vec<&str> = v
        .case
        .measures
        .split(',')
        .filter(|m| !m.is_empty())
        .map(|m| {
            anjian_app::cases::MEASURES
                .iter()
                .find(|(k, _)| *k == m)
                .map(|(_, l)| *l)
                .unwrap_or(m)
        })
        .collect();
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "行政处罚", "cases"),
        procedure: if v.case.procedure == "simple" {
            "简易程序"
        } else {
            "普通程序"
        }
        .into(),
        status: v.status_label.to_string(),
        fine: format!("{:.2}", v.fine_yuan),
        surcharge: format!("{:.2}", v.late_surcharge_yuan),
        measures: measures.join("、"),
        limits: v.limits.clone(),
        actions: v
            .allowed_actions
            .iter()
            .filter_map(|a| CaseAction::parse(a))
            .map(|a| (a.as_str().to_string(), a.label().to_string()))
            .collect(),
        events: events
            .into_iter()
            .map(|e| {
                (
                    anjian_app::auth::local_time(&e.at),
                    e.actor,
                    if e.from_status.as_deref() == Some(e.to_status.as_str()) {
                        CaseAction::parse(&e.action)
                            .map(|a| a.label().to_string())
                            .unwrap_or_else(|| e.action.clone())
                    } else {
                        format!(
                            "{} → {}",
                            e.from_status.as_deref().map(label).unwrap_or("立案"),
                            label(&e.to_status)
                        )
                    },
                    e.note,
                )
            })
            .collect(),
        docs: docs
            .into_iter()
            .map(|d| crate::ui::documents::PanelDoc::of(d, can_handle(pc)))
            .collect(),
        doc_types: DOC_TYPES
            .iter()
            .filter(|t| t.entities.contains(&"case"))
            .map(|t| (t.code.to_string(), t.title.to_string()))
            .collect(),
        methods: SERVICE_METHODS.iter().map(|m| m.to_string()).collect(),
        today: state.app.clock.today().format("%Y-%m-%d").to_string(),
        publicity,
        record,
        can_act: can_handle(pc),
        officers: v.case.officers.join("、"),
        flags: {
            let mut f = Vec::new();
            if v.case.major {
                f.push("重大执法决定");
            }
            if v.case.complex {
                f.push("案情疑难复杂");
            }
            if v.case.public_interest {
                f.push("涉及重大公共利益");
            }
            if f.is_empty() {
                "无".into()
            } else {
                f.join("、")
            }
        },
        hearing: hearing_text(&v.case),
        overturn: match v.case.overturned_on {
            Some(d) => format!("{d} {}", v.case.overturn.label()),
            None => String::new(),
        },
        pauses: v
            .case
            .pauses
            .iter()
            .map(|p| {
                (
                    p.kind.label().to_string(),
                    p.from.to_string(),
                    p.to.map(|d| d.to_string())
                        .unwrap_or_else(|| "（计算中）".into()),
                    p.note.clone(),
                )
            })
            .collect(),
        open_pauses: v
            .case
            .pauses
            .iter()
            .filter(|p| p.kind.manual() && p.to.is_none())
            .map(|p| (p.kind.as_str().to_string(), p.kind.label().to_string()))
            .collect(),
        overturns: OVERTURNS
            .iter()
            .map(|o| (o.as_str().to_string(), o.label().to_string()))
            .collect(),
        kept,
        c: v.case,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

/// The hearing as the page says it: requested, noticed, held or ended, and the party's waiver.
fn hearing_text(c: &anjian_app::records::cases::Case) -> String {
    let mut parts = Vec::new();
    if let (Some(n), Some(h)) = (c.hearing_notified_on, c.hearing_on) {
        parts.push(format!("{n}送达听证通知，定于{h}举行"));
    }
    parts.push(c.rights_waived.label().to_string());
    parts.retain(|p| !p.is_empty());
    parts.join("；")
}

async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    detail_page(&state, &pc, id, Kept::none()).await
}

async fn act(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::Numbers::new(&form);
    let fine_yuan = n.yuan("fine_yuan", "决定罚款");
    let days = n.int("days", "延长天数");
    let s = CaseStep {
        action: form.get("action"),
        version: form.get("version").parse().ok(),
        note: form.opt("note"),
        reviewer: form.opt("reviewer"),
        outcome: form.opt("outcome"),
        fine_yuan,
        measures: None,
        days: days.map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
        approver: form.opt("approver"),
        level: form.opt("level"),
        served_on: form.opt("served_on"),
        kind: form.opt("kind"),
        on: form.opt("on"),
        hearing_on: form.opt("hearing_on"),
    };
    if !n.errors.is_empty() {
        let kept = Kept::refused(&format!("act.{}", form.get("action")), &form, n.errors);
        return detail_page(&state, &pc, id, kept).await;
    }
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.case_step(&caller, id, &s)).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused(
                    &format!("act.{}", form.get("action")),
                    &form,
                    super::refusal(e)?,
                ),
            )
            .await
        }
    }
}

async fn issue(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = IssueInput {
        doc_type: form.get("doc_type"),
        entity: "case".into(),
        entity_id: id,
        department_id: None,
        body: form.opt("body"),
        date: form.opt("date"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.issue_document(&caller, &input)).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused("doc", &form, super::refusal(e)?),
            )
            .await
        }
    }
}

async fn serve(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Path((id, doc)): axum::extract::Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let (Ok(id), Ok(doc)) = (id.parse::<i64>(), doc.parse::<i64>()) else {
        return Err(AppError::NotFound.into());
    };
    let input = ServiceInput {
        served_on: form.get("served_on"),
        served_to: form.get("served_to"),
        method: form.get("method"),
        written_consent: form.get("written_consent") == "on",
        place: form.opt("place"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.serve_document(&caller, doc, &input)).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused(&format!("serve.{doc}"), &form, super::refusal(e)?),
            )
            .await
        }
    }
}

async fn publicity(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = anjian_app::publicity::PublicityInput {
        published_on: form.get("published_on"),
        channel: form.get("channel"),
        url: form.opt("url"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.publish_decision(&caller, id, &input)).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
        Err(e) => {
            detail_page(
                &state,
                &pc,
                id,
                Kept::refused("publicity", &form, super::refusal(e)?),
            )
            .await
        }
    }
}
