//! The server-rendered Chinese UI (askama templates, forms that work without JavaScript).

mod account;
mod audit;
mod audit_words;
mod auth;
mod calendar;
mod cases;
mod commissions;
mod dashboard;
pub(crate) mod documents;
mod draws;
mod enterprises;
mod hazards;
mod inspections;
mod listings;
mod major;
pub(crate) mod menu;
mod organisation;
mod plans;
mod reports;
mod settings;
mod stats;
mod todos;
mod transfers;
mod users;

use crate::AppState;
use crate::extract::PageCaller;
use anjian_app::Caller;
use anjian_domain::scope::Permission;
use askama::Template;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .merge(auth::router())
        .merge(account::router())
        .merge(dashboard::router())
        .merge(enterprises::router())
        .merge(hazards::router())
        .merge(calendar::router())
        .merge(todos::router())
        .merge(major::router())
        .merge(listings::router())
        .merge(draws::router())
        .merge(cases::router())
        .merge(transfers::router())
        .merge(reports::router())
        .merge(plans::router())
        .merge(documents::router())
        .merge(commissions::router())
        .merge(stats::router())
        .merge(inspections::router())
        .merge(organisation::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(settings::router())
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.js"),
    )
        .into_response()
}

/// What every page's frame shows.
pub struct Chrome {
    pub title: String,
    pub instance: String,
    pub user: String,
    pub role: String,
    pub nav: &'static str,
    pub csrf: String,
    pub is_admin: bool,
    pub flash: Option<String>,
    /// A neutral note above the content (e.g. which year a statistics page fell back to).
    pub notice: Option<String>,
    /// The sidebar for the caller's role.
    pub menu: Vec<menu::MenuGroup>,
}

impl Chrome {
    pub fn new(pc: &PageCaller, instance: String, title: &str, nav: &'static str) -> Self {
        Self {
            title: title.to_string(),
            instance,
            user: pc.caller.user.display_name.clone(),
            role: pc.caller.role.label().to_string(),
            nav,
            csrf: pc.csrf.clone(),
            is_admin: pc.caller.can(Permission::ManageUsers),
            flash: None,
            notice: None,
            menu: menu::menu(&pc.caller),
        }
    }

    pub fn notice(mut self, msg: Option<String>) -> Self {
        self.notice = msg;
        self
    }

    pub fn flash(mut self, msg: Option<&str>) -> Self {
        self.flash = msg.map(str::to_string);
        self
    }
}

/// Field-level messages of a form, keyed like the API's `fields` (`_` for the whole form).
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(pub std::collections::BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn has(&self, f: &str) -> bool {
        self.0.contains_key(f)
    }
    pub fn err(&self, f: &str) -> String {
        self.0.get(f).map(|v| v.join("；")).unwrap_or_default()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// One line for the top of the form.
    pub fn summary(&self) -> String {
        match self.0.get("_") {
            Some(m) => m.join("；"),
            None => format!(
                "有{}处需要修改，请查看标红的字段",
                self.0.values().map(Vec::len).sum::<usize>()
            ),
        }
    }
    /// A message about the whole form.
    pub fn general(msg: String) -> Self {
        Self(std::iter::once(("_".to_string(), vec![msg])).collect())
    }
}

impl From<std::collections::BTreeMap<String, Vec<String>>> for FieldErrors {
    fn from(m: std::collections::BTreeMap<String, Vec<String>>) -> Self {
        Self(m)
    }
}

/// Renders a template, turning a rendering failure into an error page.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                Html(error_page(
                    "页面生成失败",
                    "系统内部错误，请稍后重试或联系管理员",
                )),
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

pub fn error_page(title: &str, message: &str) -> String {
    ErrorPage { title, message }
        .render()
        .unwrap_or_else(|_| format!("<h1>{title}</h1>"))
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A redirect after a successful POST.
pub fn see_other(to: &str) -> Response {
    (
        axum::http::StatusCode::SEE_OTHER,
        [(header::LOCATION, to.to_string())],
    )
        .into_response()
}

/// Human description of a caller's scope.
pub fn scope_text(c: &Caller, region_name: &str) -> String {
    let mut parts = vec![format!("{region_name}及下辖区域")];
    if let Some(s) = &c.scope.sectors {
        parts.push(format!("本部门监管的 {} 个行业领域", s.len()));
    }
    if let Some(ids) = &c.scope.enterprise_ids {
        parts.push(format!("限定 {} 家企业", ids.len()));
    }
    parts.push(if c.scope.writable {
        "可编辑".into()
    } else {
        "只读".into()
    });
    parts.join("，")
}

/// What a form page shows for a refused action: field messages, or the refusal's text; other
/// errors propagate (to the error page).
pub(crate) fn form_error(e: anjian_app::AppError) -> Result<String, anjian_app::AppError> {
    use anjian_app::AppError;
    match e {
        AppError::Validation(v) => Ok(v
            .fields
            .into_values()
            .flatten()
            .collect::<Vec<_>>()
            .join("；")),
        AppError::Forbidden(m) | AppError::Conflict(m) => Ok(m),
        AppError::NotFound => Ok("记录不存在或不在您的管辖范围内".into()),
        other => Err(other),
    }
}

/// Renders a page; a page showing a refused submission answers 422.
pub fn render_refused<T: Template>(t: &T, refused: bool) -> Response {
    let mut res = render(t);
    if refused {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}
