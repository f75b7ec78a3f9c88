//! The server-rendered Chinese UI (askama templates, forms that work without JavaScript).

mod accidents;
mod account;
mod accountability;
mod assessments;
mod audit;
mod audit_words;
mod auth;
mod calendar;
mod campaigns;
mod capability;
mod cases;
mod certificates;
mod commissions;
mod dashboard;
mod disasters;
pub(crate) mod dispatch;
pub(crate) mod documents;
mod draws;
mod duties;
mod emergency;
mod enterprises;
mod forest;
pub(crate) mod hazards;
mod imports;
mod indicators;
pub(crate) mod inspections;
mod leaders;
mod letters;
mod listings;
mod major;
mod map;
pub(crate) mod menu;
mod monitoring;
mod organisation;
mod plans;
mod reports;
mod risk;
pub(crate) mod risk_steering;
pub(crate) mod rows;
mod settings;
mod setup;
mod station;
mod station_roster;
mod stats;
mod todos;
mod training;
pub(crate) mod transfers;
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
use std::borrow::Borrow;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .merge(auth::router())
        .merge(setup::router())
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
        .merge(risk_steering::router())
        .merge(letters::router())
        .merge(capability::router())
        .merge(assessments::router())
        .merge(documents::router())
        .merge(commissions::router())
        .merge(stats::router())
        .merge(inspections::router())
        .merge(organisation::router())
        .merge(leaders::router())
        .merge(duties::router())
        .merge(accountability::router())
        .merge(disasters::router())
        .merge(station::router())
        .merge(station_roster::router())
        .merge(forest::router())
        .merge(emergency::router())
        .merge(dispatch::router())
        .merge(monitoring::router())
        .merge(map::router())
        .merge(training::router())
        .merge(certificates::router())
        .merge(campaigns::router())
        .merge(risk::router())
        .merge(accidents::router())
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

impl FieldErrors {
    pub fn add(&mut self, f: &str, msg: impl Into<String>) {
        self.0.entry(f.to_string()).or_default().push(msg.into());
    }
    /// Every message, the whole form's first.
    pub fn all(&self) -> String {
        let general = self.0.get("_").into_iter().flatten();
        let fields = self
            .0
            .iter()
            .filter(|(k, _)| k.as_str() != "_")
            .flat_map(|(_, m)| m);
        general
            .chain(fields)
            .cloned()
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// A refused form brought back to its page: which form it was (a page may hold several, e.g.
/// one per allowed step), every pair the user typed, and the field messages. Templates ask it
/// for each field's value, so nothing typed is lost; on a fresh page it holds nothing and the
/// defaults show.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    form: String,
    pairs: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl Kept {
    /// A page shown fresh.
    pub fn none() -> Self {
        Self::default()
    }

    /// The form `form` refused with `errors`, as the user filled it in.
    pub fn refused(form: &str, typed: &crate::extract::FormPairs, errors: FieldErrors) -> Self {
        Self {
            form: form.to_string(),
            pairs: typed.0.clone(),
            errors,
        }
    }

    /// A form shown again as typed (or filled in from a record) with nothing refused, e.g.
    /// after a row was added or removed.
    pub fn again(form: &str, typed: &crate::extract::FormPairs) -> Self {
        Self {
            form: form.to_string(),
            pairs: typed.0.clone(),
            errors: FieldErrors::default(),
        }
    }

    /// A refusal before any form could be read (e.g. an unreadable upload).
    pub fn message(form: &str, msg: impl Into<String>) -> Self {
        Self {
            form: form.to_string(),
            pairs: Vec::new(),
            errors: FieldErrors::general(msg.into()),
        }
    }

    /// The same refusal, for the form it concerns; a fresh one for the page's other forms.
    pub fn of(&self, form: &str) -> Kept {
        if self.form == form {
            self.clone()
        } else {
            Kept::none()
        }
    }

    /// The step form `action` of a page with one form per allowed step (`act.<action>`).
    pub fn act(&self, action: &str) -> Kept {
        self.step("act", action)
    }

    /// Form `<kind>.<name>` of a page with several forms of a kind.
    pub fn step(&self, kind: &str, name: &str) -> Kept {
        self.of(&format!("{kind}.{name}"))
    }

    /// Whether this is the form the user submitted.
    pub fn submitted(&self) -> bool {
        !self.form.is_empty()
    }

    /// Whether the page shows a refusal.
    pub fn is_refused(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every message of the refusal in one line, for the top of the page.
    pub fn summary(&self) -> String {
        self.errors.all()
    }

    fn typed(&self, k: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }

    /// The field's value: what was typed, else (fresh form) `default`.
    pub fn val<D: std::fmt::Display + ?Sized>(&self, k: &str, default: &D) -> String {
        if self.submitted() {
            self.typed(k).unwrap_or_default().to_string()
        } else {
            default.to_string()
        }
    }

    /// The `i`-th of a repeated field (several inputs of one name).
    pub fn nth(&self, k: &str, i: impl Borrow<usize>) -> String {
        let i = *i.borrow();
        self.pairs
            .iter()
            .filter(|(key, _)| key == k)
            .nth(i)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The rows to show of a table form whose rows each have an input `k`: as many as were
    /// sent (at least one), else (fresh form) `fresh`.
    pub fn rows(&self, k: &str, fresh: usize) -> std::ops::Range<usize> {
        if self.submitted() {
            0..self.pairs.iter().filter(|(key, _)| key == k).count().max(1)
        } else {
            0..fresh
        }
    }

    /// Whether the `i`-th of a repeated field is `v` (an option of a row's select).
    pub fn nth_is<V: std::fmt::Display + ?Sized>(
        &self,
        k: &str,
        i: impl Borrow<usize>,
        v: &V,
    ) -> bool {
        self.nth(k, i) == v.to_string()
    }

    /// ` invalid` when cell (`i`, `col`) of table `table` was refused (see `rows`).
    pub fn cell_inv(&self, table: &str, i: impl Borrow<usize>, col: &str) -> &'static str {
        self.inv(&format!("{table}[{}].{col}", i.borrow()))
    }

    /// The message of cell (`i`, `col`) of table `table`, as markup (use with `|safe`).
    pub fn cell_err(&self, table: &str, i: impl Borrow<usize>, col: &str) -> String {
        self.err(&format!("{table}[{}].{col}", i.borrow()))
    }

    /// How many times field `k` was typed (the rows of a repeated group).
    pub fn count(&self, k: &str) -> usize {
        self.pairs.iter().filter(|(key, _)| key == k).count()
    }

    /// How many values of the repeated field `k` were sent.
    pub fn nth_count(&self, k: &str) -> usize {
        self.pairs.iter().filter(|(key, _)| key == k).count()
    }

    /// The `i`-th row's value of a table of repeated inputs: as typed, else (fresh form)
    /// `default`.
    pub fn row_val<D: std::fmt::Display + ?Sized>(
        &self,
        k: &str,
        i: &usize,
        default: &D,
    ) -> String {
        if self.submitted() {
            self.nth(k, *i)
        } else {
            default.to_string()
        }
    }

    /// Whether option `v` is chosen in the `i`-th row's select `k`: as typed, else `default`.
    pub fn row_sel(&self, k: &str, i: &usize, v: &str, default: &str) -> bool {
        if self.submitted() {
            self.nth(k, *i) == v
        } else {
            v == default
        }
    }

    /// ` invalid` when the `i`-th row's field `k` of list `list` was refused (messages
    /// under `list[i].k`).
    pub fn row_inv(&self, list: &str, i: &usize, k: &str) -> &'static str {
        self.inv(&format!("{list}[{i}].{k}"))
    }

    /// The `i`-th row's message for field `k` of list `list`, as markup (use with `|safe`).
    pub fn row_err(&self, list: &str, i: &usize, k: &str) -> String {
        self.err(&format!("{list}[{i}].{k}"))
    }

    /// Whether option `v` of select (or radio) `k` is chosen: as typed, else `default`.
    pub fn sel<V, D>(&self, k: &str, v: &V, default: &D) -> bool
    where
        V: std::fmt::Display + ?Sized,
        D: std::fmt::Display + ?Sized,
    {
        let v = v.to_string();
        if self.submitted() {
            self.pairs.iter().any(|(key, x)| key == k && *x == v)
        } else {
            v == default.to_string()
        }
    }

    /// Whether checkbox `k` is ticked: as typed, else `default`.
    pub fn chk(&self, k: &str, default: bool) -> bool {
        if self.submitted() {
            self.pairs.iter().any(|(key, x)| key == k && !x.is_empty())
        } else {
            default
        }
    }

    /// ` invalid` when the field was refused (for its `class`).
    pub fn inv(&self, k: &str) -> &'static str {
        if self.errors.has(k) { " invalid" } else { "" }
    }

    /// Whether the field was refused.
    pub fn bad(&self, k: &str) -> bool {
        self.errors.has(k)
    }

    /// The field's message.
    pub fn msg(&self, k: &str) -> String {
        self.errors.err(k)
    }

    /// The field's message as markup to put next to it (escaped here; use with `|safe`).
    pub fn err(&self, k: &str) -> String {
        if self.errors.has(k) {
            format!(
                "<span class=\"err\">{}</span>",
                escape_html(&self.errors.err(k))
            )
        } else {
            String::new()
        }
    }
}

/// Escapes text for an HTML element's content or a quoted attribute.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Numbers typed into a form: a value that does not read becomes a field message naming the
/// field in words, never silently nothing.
pub(crate) struct Numbers<'a> {
    form: &'a crate::extract::FormPairs,
    pub errors: FieldErrors,
}

impl<'a> Numbers<'a> {
    pub fn new(form: &'a crate::extract::FormPairs) -> Self {
        Self {
            form,
            errors: FieldErrors::default(),
        }
    }

    /// An integer, or nothing when left empty.
    pub fn int(&mut self, k: &str, label: &str) -> Option<i64> {
        let v = self.form.get(k);
        if v.is_empty() {
            return None;
        }
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.add(k, format!("{label}应为整数"));
                None
            }
        }
    }

    /// A number that may have decimals (a percentage), or nothing when left empty.
    pub fn decimal(&mut self, k: &str, label: &str) -> Option<f64> {
        let v = self.form.get(k);
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                self.errors.add(k, format!("{label}应为数字"));
                None
            }
        }
    }

    /// An amount in 元 (up to two decimals), or nothing when left empty.
    pub fn yuan(&mut self, k: &str, label: &str) -> Option<f64> {
        let v = self.form.get(k);
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                self.errors.add(k, format!("{label}应为数字（单位：元）"));
                None
            }
        }
    }
}

/// A refused action as field messages (the whole form's under `_`); other errors propagate.
pub(crate) fn refusal(e: anjian_app::AppError) -> Result<FieldErrors, anjian_app::AppError> {
    use anjian_app::AppError;
    match e {
        AppError::Validation(v) => Ok(v.fields.into()),
        AppError::Forbidden(m) | AppError::Conflict(m) | AppError::BadRequest(m) => {
            Ok(FieldErrors::general(m))
        }
        AppError::NotFound => Ok(FieldErrors::general(
            "记录不存在或不在您的管辖范围内".into(),
        )),
        other => Err(other),
    }
}

impl From<std::collections::BTreeMap<String, Vec<String>>> for FieldErrors {
    fn from(m: std::collections::BTreeMap<String, Vec<String>>) -> Self {
        Self(m)
    }
}

/// Renders a template, turning a rendering failure into an error page.
/// A form refused after it came with files: the browser cannot keep the files chosen, so
/// `field` says to choose them again.
pub(crate) fn photos_again(mut errors: FieldErrors, field: &str) -> FieldErrors {
    errors.add(
        field,
        "照片未保存：请重新选择照片后再提交（浏览器不能保留已选的文件）",
    );
    errors
}

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
