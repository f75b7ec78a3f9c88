use super::{Chrome, render, urlencode};
use crate::extract::PageCaller;
use crate::query::{AuditQuery, audit_filter_of as filter_of};
use crate::{AppState, PageError, blocking};
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit))
        .route("/audit/export", get(export))
}

/// The audit page's export: the same filters, CSV or Excel.
async fn export(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<crate::query::AuditExportQuery>,
) -> Result<Response, PageError> {
    let (f, format) = crate::query::audit_export_of(&q)
        .map_err(|e| PageError::App(anjian_app::AppError::BadRequest(e.message)))?;
    let caller = pc.caller.clone();
    let bytes = blocking(&state, move |app| app.export_audit(&caller, &f, format)).await?;
    Ok(crate::files::file_response(
        bytes,
        format.content_type(),
        &format!("audit.{}", format.ext()),
    ))
}

pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub ip: String,
    pub request_id: String,
    pub hash: String,
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<AuditRow>,
    next: Option<String>,
    query: String,
    entities: Vec<(String, String)>,
    entity: String,
    entity_id: String,
    actor: String,
    action: String,
    from: String,
    to: String,
    verify: Option<String>,
    verify_ok: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
struct PageQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
    verify: Option<String>,
}

fn entity_label(e: &str) -> String {
    super::audit_words::entity(e)
}

fn action_label(a: &str) -> String {
    super::audit_words::action(a)
}

fn changes(before: &Option<String>, after: &Option<String>) -> Vec<(String, String, String)> {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
    };
    let (b, a) = (parse(before), parse(after));
    let show = |k: &str, v: Option<&serde_json::Value>| match v {
        None => String::new(),
        Some(v) => super::audit_words::value(k, v),
    };
    let mut keys: Vec<String> = Vec::new();
    for v in [&b, &a].into_iter().flatten() {
        if let Some(o) = v.as_object() {
            for k in o.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    keys.into_iter()
        .filter_map(|k| {
            let bv = b.as_ref().and_then(|x| x.get(&k));
            let av = a.as_ref().and_then(|x| x.get(&k));
            let (b, a) = (show(&k, bv), show(&k, av));
            (b != a).then(|| (super::audit_words::field(&k), b, a))
        })
        .take(10)
        .collect()
}

async fn audit(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    if !pc.caller.can(Permission::ViewAudit) {
        return Err(PageError::App(anjian_app::AppError::Forbidden(
            "仅安委办管理员可查看审计日志".into(),
        )));
    }
    let aq = AuditQuery {
        entity: q.entity.clone(),
        entity_id: q.entity_id.clone(),
        actor: q.actor.clone(),
        action: q.action.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        before: q.before.clone(),
        limit: Some("50".into()),
    };
    let (error, filter) = match filter_of(&aq) {
        Ok(f) => (None, f),
        Err(e) => (
            Some(e.message),
            anjian_app::records::audit::AuditFilter {
                limit: 50,
                ..Default::default()
            },
        ),
    };
    let caller = pc.caller.clone();
    let do_verify = q.verify.is_some();
    let (instance, items, report) = blocking(&state, move |app| {
        let report = if do_verify {
            Some(app.verify_audit(Some(&caller))?)
        } else {
            None
        };
        Ok((
            app.instance_name()?,
            app.list_audit(&caller, &filter)?,
            report,
        ))
    })
    .await?;
    let (verify, verify_ok) = match report {
        None => (None, false),
        Some(r) if r.ok() => (
            Some(format!(
                "哈希链完整：共校验 {} 条记录，未发现篡改或删除。",
                r.checked
            )),
            true,
        ),
        Some(r) => (
            Some(format!(
                "发现 {} 处异常：{}",
                r.problems.len(),
                r.problems
                    .iter()
                    .map(|p| format!("第 {} 条 {}", p.seq, p.problem))
                    .collect::<Vec<_>>()
                    .join("；")
            )),
            false,
        ),
    };
    let next = if items.len() == 50 {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    let rows = items
        .iter()
        .map(|e| AuditRow {
            seq: e.seq,
            at: anjian_app::auth::local_time(&e.at),
            actor: e.actor.clone(),
            action: action_label(&e.action),
            entity: format!("{} {}", entity_label(&e.entity), e.entity_id),
            ip: e.ip.clone(),
            request_id: e.request_id.clone(),
            hash: e.hash.chars().take(16).collect(),
            changes: changes(&e.before, &e.after),
        })
        .collect();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let query = [
        ("entity", &q.entity),
        ("entity_id", &q.entity_id),
        ("actor", &q.actor),
        ("action", &q.action),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|x| !x.is_empty())
            .map(|x| format!("{k}={}", urlencode(x)))
    })
    .collect::<Vec<_>>()
    .join("&");
    let page = AuditPage {
        chrome: Chrome::new(&pc, instance, "审计日志", "audit"),
        rows,
        next,
        query,
        entities: super::audit_words::ENTITIES
            .iter()
            .filter(|(k, _)| !k.is_empty())
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        entity: s(&q.entity),
        entity_id: s(&q.entity_id),
        actor: s(&q.actor),
        action: s(&q.action),
        from: s(&q.from),
        to: s(&q.to),
        verify,
        verify_ok,
        error,
    };
    Ok(render(&page))
}
