//! The JSON API under `/api/v1`.

mod accidents;
mod accountability;
mod assessments;
mod attachments;
mod audit;
mod auth;
mod calendar;
mod campaigns;
mod capability;
mod cases;
mod commissions;
mod disasters;
mod dispatch;
mod documents;
mod draws;
mod duties;
mod emergency;
mod enterprises;
mod forest;
mod hazards;
mod inspections;
mod leaders;
mod letters;
mod listings;
mod major;
mod map;
mod monitoring;
mod openapi;
mod station;
pub use openapi::document as openapi_document;
mod organisation;
mod plans;
mod publicity;
mod reports;
mod risk;
mod risk_steering;
mod stats;
mod todos;
mod training;
mod transfers;
mod users;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every API route with its description: the feature routers register their handlers through
/// `routes!`, which takes each handler's `#[utoipa::path]`.
fn described() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(<openapi::ApiDoc as utoipa::OpenApi>::openapi())
        .merge(auth::router())
        .merge(organisation::router())
        .merge(leaders::router())
        .merge(duties::router())
        .merge(accountability::router())
        .merge(disasters::router())
        .merge(station::router())
        .merge(forest::router())
        .merge(emergency::router())
        .merge(dispatch::router())
        .merge(monitoring::router())
        .merge(map::router())
        .merge(training::router())
        .merge(campaigns::router())
        .merge(accidents::router())
        .merge(enterprises::router())
        .merge(hazards::router())
        .merge(calendar::router())
        .merge(todos::router())
        .merge(attachments::router())
        .merge(major::router())
        .merge(listings::router())
        .merge(inspections::router())
        .merge(cases::router())
        .merge(documents::router())
        .merge(draws::router())
        .merge(transfers::router())
        .merge(publicity::router())
        .merge(reports::router())
        .merge(commissions::router())
        .merge(plans::router())
        .merge(risk_steering::router())
        .merge(letters::router())
        .merge(capability::router())
        .merge(risk::router())
        .merge(assessments::router())
        .merge(stats::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(openapi::router())
        .routes(routes!(version))
}

pub fn router() -> Router<AppState> {
    let (api, _) = described().split_for_parts();
    Router::new().nest(
        "/api/v1",
        api.method_not_allowed_fallback(method_not_allowed),
    )
}

/// The server's name and version.
#[derive(Serialize, ToSchema)]
pub(crate) struct Version {
    name: &'static str,
    version: &'static str,
}

/// `GET /api/v1/version`: the server's name and version, without authentication or a store
/// read (also the HTTP benchmark's trivial baseline route).
#[utoipa::path(
    get,
    path = "/version",
    tag = "auth",
    summary = "服务名称与版本（无需登录）",
    security(()),
    responses((status = 200, description = "名称与版本", body = Version))
)]
async fn version() -> axum::Json<Version> {
    axum::Json(Version {
        name: "anjian",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// A list answered whole: `{items}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Items<T> {
    pub items: Vec<T>,
}

impl<T> Items<T> {
    pub fn of(items: Vec<T>) -> axum::Json<Self> {
        axum::Json(Self { items })
    }
}

/// The `{id}` of a record's path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by `ApiId`; this names it in the document
pub(crate) struct IdPath {
    /// 记录编号
    #[param(minimum = 1)]
    id: i64,
}

/// A new record's id: `{id}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Created {
    pub id: i64,
}

/// A change that answers only that it was made: `{ok: true}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Done {
    pub ok: bool,
}

/// A file download's body (the content type names the format).
pub(crate) struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Binary,
            )))
            .into()
    }
}

impl ToSchema for Binary {}

/// The content types of the downloads.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(crate) const CSV: &str = "text/csv";
pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "该接口不支持此请求方法",
    )
}

pub(crate) use crate::error::ApiResult;
pub(crate) use crate::query::{bool_param, int_param};

/// An Excel ledger as a download.
pub(crate) fn xlsx_file(bytes: Vec<u8>, filename: &str) -> axum::response::Response {
    crate::files::file_response(
        bytes,
        anjian_app::export::ExportFormat::Xlsx.content_type(),
        filename,
    )
}
