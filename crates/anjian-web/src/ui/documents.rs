//! Enforcement documents on the pages: issuing from an inspection, hazard or transfer page,
//! recording the service (送达) of any document served on a party, and the county's Word
//! templates (文书模板, admin).

use super::{Chrome, FieldErrors, Kept, refusal, render_refused, see_other};
use crate::extract::{FormPairs, PageCaller, PageId};
use crate::{AppState, PageError, blocking};
use anjian_app::AppError;
use anjian_app::documents::{
    DOC_TYPES, DOCX_ONLY_PLACEHOLDERS, IssueInput, PLACEHOLDERS, SERVICE_METHODS, ServiceInput,
    TemplateView, doc_type,
};
use anjian_app::records::documents::Document;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/documents/issue", post(issue))
        .route("/documents/{id}/service", get(service_page).post(serve))
        .route("/document-templates", get(templates_page))
        .route(
            "/document-templates/{code}/docx",
            post(upload_template).layer(axum::extract::DefaultBodyLimit::max(
                crate::files::UPLOAD_LIMIT,
            )),
        )
        .route("/document-templates/{code}/reset", post(reset_template))
}

/// A document as a panel lists it.
pub struct PanelDoc {
    pub id: i64,
    pub doc_no: String,
    pub title: String,
    pub issued_on: String,
    /// The service record in words; empty when not served.
    pub served: String,
    /// Served on a party and not yet served: the panel offers the service form.
    pub servable: bool,
}

impl PanelDoc {
    pub fn of(d: Document, can_serve: bool) -> Self {
        let to_party = doc_type(&d.doc_type).is_some_and(|t| t.to_party);
        let served = match d.served_on {
            Some(on) => {
                let mut s = format!(
                    "{} {} 受送达人：{}",
                    anjian_app::docx::chinese_date(on),
                    d.service_method,
                    d.served_to
                );
                if !d.service_place.is_empty() {
                    s.push_str(&format!("（{}）", d.service_place));
                }
                s
            }
            None => String::new(),
        };
        Self {
            servable: can_serve && to_party && d.served_on.is_none(),
            id: d.id,
            doc_no: d.doc_no,
            title: d.title,
            issued_on: anjian_app::docx::chinese_date(d.issued_on),
            served,
        }
    }
}

/// The documents panel of a record's page.
pub struct DocPanel {
    pub entity: &'static str,
    pub entity_id: i64,
    pub docs: Vec<PanelDoc>,
    pub types: Vec<(String, String)>,
    pub can_issue: bool,
    pub methods: Vec<&'static str>,
    pub today: String,
}

impl DocPanel {
    pub fn new(pc: &PageCaller, entity: &'static str, entity_id: i64, docs: Vec<Document>) -> Self {
        let can_issue = pc.caller.can(Permission::Enforce);
        Self {
            entity,
            entity_id,
            docs: docs
                .into_iter()
                .map(|d| PanelDoc::of(d, can_issue))
                .collect(),
            types: DOC_TYPES
                .iter()
                .filter(|t| t.entities.contains(&entity))
                .map(|t| (t.code.to_string(), t.title.to_string()))
                .collect(),
            can_issue,
            methods: SERVICE_METHODS.to_vec(),
            today: String::new(),
        }
    }

    /// The default service date of the forms.
    pub fn today(mut self, today: chrono::NaiveDate) -> Self {
        self.today = today.format("%Y-%m-%d").to_string();
        self
    }
}

/// The page of the record a document belongs to.
fn record_url(entity: &str, id: i64) -> String {
    let list = match entity {
        "inspection" => "inspections",
        "transfer" => "transfers",
        "case" => "cases",
        _ => "hazards",
    };
    format!("/{list}/{id}")
}

async fn issue(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let entity = match form.get("entity").as_str() {
        "inspection" => "inspection",
        "hazard" => "hazard",
        "transfer" => "transfer",
        _ => return Err(anjian_app::AppError::NotFound.into()),
    };
    let entity_id: i64 = form
        .get("entity_id")
        .parse()
        .map_err(|_| PageError::from(anjian_app::AppError::NotFound))?;
    let input = IssueInput {
        doc_type: form.get("doc_type"),
        entity: entity.into(),
        entity_id,
        department_id: None,
        body: form.opt("body"),
        date: None,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.issue_document(&caller, &input)).await {
        Ok(_) => Ok(see_other(&record_url(entity, entity_id))),
        // Refused: the record's page again, with the form as filled in.
        Err(e) => {
            let kept = Kept::refused("doc", &form, refusal(e)?);
            match entity {
                "inspection" => {
                    crate::ui::inspections::detail_page(&state, &pc, entity_id, kept).await
                }
                "transfer" => crate::ui::transfers::detail_page(&state, &pc, entity_id, kept).await,
                _ => crate::ui::hazards::detail_page(&state, &pc, entity_id, kept, None).await,
            }
        }
    }
}

/// What was typed into a service form.
#[derive(Default)]
struct ServiceTyped {
    served_on: String,
    served_to: String,
    method: String,
    place: String,
    written_consent: bool,
}

#[derive(Template)]
#[template(path = "document_service.html")]
struct ServicePage {
    chrome: Chrome,
    doc: PanelDoc,
    back: String,
    typed: ServiceTyped,
    errors: FieldErrors,
    methods: Vec<&'static str>,
}

async fn render_service(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    typed: Option<ServiceTyped>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.document(&caller, id)?))
    })
    .await?;
    let back = record_url(&d.entity, d.entity_id);
    let typed = typed.unwrap_or_else(|| ServiceTyped {
        served_on: state.app.clock.today().format("%Y-%m-%d").to_string(),
        ..Default::default()
    });
    let refused = !errors.is_empty();
    let page = ServicePage {
        chrome: Chrome::new(pc, instance, "登记送达", "documents"),
        doc: PanelDoc::of(d, pc.caller.can(Permission::Enforce)),
        back,
        typed,
        errors,
        methods: SERVICE_METHODS.to_vec(),
    };
    Ok(render_refused(&page, refused))
}

async fn service_page(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    render_service(&state, &pc, id, None, FieldErrors::default()).await
}

async fn serve(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let typed = ServiceTyped {
        served_on: form.get("served_on"),
        served_to: form.get("served_to"),
        method: form.get("method"),
        place: form.get("place"),
        written_consent: form.get("written_consent") == "on",
    };
    let input = ServiceInput {
        served_on: typed.served_on.clone(),
        served_to: typed.served_to.clone(),
        method: typed.method.clone(),
        written_consent: typed.written_consent,
        place: Some(typed.place.clone()),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.serve_document(&caller, id, &input)).await {
        Ok(d) => Ok(see_other(&record_url(&d.entity, d.entity_id))),
        Err(AppError::Validation(v)) => {
            render_service(&state, &pc, id, Some(typed), v.fields.into()).await
        }
        Err(AppError::Conflict(m) | AppError::Forbidden(m)) => {
            render_service(&state, &pc, id, Some(typed), FieldErrors::general(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One document type on the templates page.
struct TemplateRow {
    code: &'static str,
    title: &'static str,
    text: &'static str,
    /// The county's Word template: "file name（uploaded at）"; empty for the shipped one.
    docx: String,
    error: String,
}

#[derive(Template)]
#[template(path = "document_templates.html")]
struct TemplatesPage {
    chrome: Chrome,
    rows: Vec<TemplateRow>,
    placeholders: String,
    docx_placeholders: String,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
struct TemplatesQuery {
    done: Option<String>,
}

async fn render_templates(
    state: &AppState,
    pc: &PageCaller,
    failed: Option<(String, String)>,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    pc.caller.require(Permission::ManageOrganisation)?;
    let (instance, views) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.document_templates()?))
    })
    .await?;
    let rows = views
        .into_iter()
        .map(|v: TemplateView| TemplateRow {
            code: v.doc_type,
            title: v.title,
            text: if v.template.is_some() {
                "本县模板"
            } else {
                "内置文本"
            },
            docx: v
                .docx
                .map(|d| format!("{}（{}上传）", d.file_name, d.uploaded_at))
                .unwrap_or_default(),
            error: failed
                .as_ref()
                .filter(|(c, _)| c == v.doc_type)
                .map(|(_, m)| m.clone())
                .unwrap_or_default(),
        })
        .collect();
    let braces = |xs: &[&str]| {
        xs.iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let page = TemplatesPage {
        chrome: Chrome::new(pc, instance, "文书模板", "document_templates").flash(flash),
        rows,
        placeholders: braces(&PLACEHOLDERS),
        docx_placeholders: braces(&DOCX_ONLY_PLACEHOLDERS),
        error: failed.as_ref().map(|(_, m)| m.clone()),
    };
    Ok(render_refused(&page, failed.is_some()))
}

async fn templates_page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<TemplatesQuery>,
) -> Result<Response, PageError> {
    let flash = match q.done.as_deref() {
        Some("upload") => Some("Word 模板已保存，此后下载的该类文书按新模板生成"),
        Some("reset") => Some("已恢复内置默认 Word 模板"),
        _ => None,
    };
    render_templates(&state, &pc, None, flash).await
}

async fn upload_template(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Path(code): axum::extract::Path<String>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let refuse = |m: String| Some((code.clone(), m));
    let Ok(mp) = mp else {
        return render_templates(&state, &pc, refuse("请选择要上传的 Word 文件".into()), None)
            .await;
    };
    let (name, data, _, csrf) = match crate::files::read_upload(mp).await {
        Ok(x) => x,
        Err(e) => return render_templates(&state, &pc, refuse(e.message), None).await,
    };
    if csrf.as_deref() != Some(pc.csrf.as_str()) {
        return Err(PageError::App(AppError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试".into(),
        )));
    }
    let caller = pc.caller.clone();
    let c = code.clone();
    match blocking(&state, move |app| {
        app.set_document_template_docx(&caller, &c, &name, &data)
    })
    .await
    {
        Ok(_) => Ok(see_other("/document-templates?done=upload")),
        Err(e) => {
            let m = super::form_error(e)?;
            render_templates(&state, &pc, refuse(m), None).await
        }
    }
}

async fn reset_template(
    State(state): State<AppState>,
    pc: PageCaller,
    axum::extract::Path(code): axum::extract::Path<String>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let caller = pc.caller.clone();
    blocking(&state, move |app| {
        app.reset_document_template_docx(&caller, &code)
    })
    .await?;
    Ok(see_other("/document-templates?done=reset"))
}
