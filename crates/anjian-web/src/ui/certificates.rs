//! 考核合格证 pages: the list (all, one enterprise's, or those expired and expiring) with its
//! ledger, and the form that records a certificate on an enterprise chosen with the picker.

use super::{Chrome, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::training::certificates::{CertificateDraft, CertificateQuery, CertificateView};
use anjian_domain::training::{HolderRole, Standing};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/certificates", get(list))
        .route("/certificates/new", get(new).post(create))
}

struct Row {
    enterprise_id: i64,
    enterprise: String,
    holder: String,
    role: String,
    cert_no: String,
    issued_on: String,
    expires_on: String,
    standing: String,
    /// The tag's colour: red expired, orange expiring.
    tone: &'static str,
}

impl From<CertificateView> for Row {
    fn from(v: CertificateView) -> Self {
        let c = v.certificate;
        Self {
            enterprise_id: c.enterprise_id,
            enterprise: c.enterprise_name,
            holder: c.holder_name,
            role: v.role_label,
            cert_no: c.cert_no,
            issued_on: c.issued_on.to_string(),
            expires_on: c.expires_on.to_string(),
            standing: v.standing_label,
            tone: match v.standing {
                Standing::Expired => "red",
                Standing::Expiring => "orange",
                Standing::Valid => "",
            },
        }
    }
}

#[derive(Template)]
#[template(path = "certificates.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    next: Option<String>,
    expiring: bool,
    enterprise: String,
    query: String,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let expiring = matches!(get("expiring").as_str(), "true" | "on" | "1");
    let enterprise_id = get("enterprise").trim().parse::<i64>().ok();
    let query = CertificateQuery {
        enterprise_id,
        role: None,
        expiring,
    };
    let after = crate::query::after_of(&q);
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| {
        Ok((
            app.instance_name()?,
            app.certificate_page(
                &caller,
                &query,
                &anjian_app::Keyset::after(after, anjian_app::PAGE_SIZE),
            )?,
            app.may_record_certificates(&caller),
        ))
    })
    .await;
    let (instance, page, can_write, notice) = match r {
        Ok((i, p, w)) => (i, p, w, None),
        Err(e) => {
            let msg = super::form_error(e)?;
            let i = blocking(&state, |app| app.instance_name()).await?;
            (i, anjian_app::Page::default(), false, Some(msg))
        }
    };
    let refused = notice.is_some();
    let mut pairs = Vec::new();
    if expiring {
        pairs.push("expiring=true".to_string());
    }
    if let Some(e) = enterprise_id {
        pairs.push(format!("enterprise_id={e}"));
    }
    let api_query = pairs.join("&");
    let query = api_query.replace("enterprise_id=", "enterprise=");
    let p = ListPage {
        chrome: Chrome::new(&pc, instance, "考核合格证", "certificates")
            .notice(notice)
            .flash(q.get("saved").map(|_| "已保存")),
        rows: page.items.into_iter().map(Row::from).collect(),
        next: page.next,
        expiring,
        enterprise: enterprise_id.map(|e| e.to_string()).unwrap_or_default(),
        query: if query.is_empty() { api_query } else { query },
        can_write,
    };
    Ok(render_refused(&p, refused))
}

#[derive(Template)]
#[template(path = "certificate_form.html")]
struct FormPage {
    chrome: Chrome,
    kept: Kept,
    roles: Vec<(&'static str, &'static str)>,
}

async fn form_page(state: &AppState, pc: &PageCaller, kept: Kept) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, may) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.may_record_certificates(&caller)))
    })
    .await?;
    if !may {
        return Err(PageError::App(AppError::Forbidden(
            "您当前的角色无权登记考核合格证".into(),
        )));
    }
    let p = FormPage {
        chrome: Chrome::new(pc, instance, "登记考核合格证", "certificates"),
        kept,
        roles: HolderRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

async fn new(State(state): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    form_page(&state, &pc, Kept::none()).await
}

async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let typed = form.get("enterprise");
    let caller = pc.caller.clone();
    let mut d = CertificateDraft {
        enterprise_id: String::new(),
        holder_name: form.get("holder_name"),
        role: form.get("role"),
        cert_no: form.get("cert_no"),
        issued_on: form.get("issued_on"),
        expires_on: form.get("expires_on"),
        issuer: form.get("issuer"),
        note: form.get("note"),
    };
    let r = blocking(&state, move |app| {
        // The enterprise as the picker sent it (名称（信用代码）, a code or a unique name).
        let picked = app.resolve_enterprise(&caller, &typed)?;
        let id = match picked {
            Ok(Some(id)) => id,
            Ok(None) => {
                return Err(
                    anjian_domain::ValidationErrors::single("enterprise_id", "请选择企业").into(),
                );
            }
            Err(m) => {
                return Err(anjian_domain::ValidationErrors::single("enterprise_id", m).into());
            }
        };
        d.enterprise_id = id.to_string();
        app.create_certificate(&caller, &d)
    })
    .await;
    match r {
        Ok(v) => Ok(see_other(&format!(
            "/certificates?enterprise={}&saved=1",
            v.certificate.enterprise_id
        ))),
        Err(e) => {
            let kept = Kept::refused("certificate", &form, refusal(e)?);
            form_page(&state, &pc, kept).await
        }
    }
}
