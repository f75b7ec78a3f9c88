//! The one map (一张图): the county map as SVG (and as JSON with its layers' counts), and the
//! administrator's upload of township boundaries (GeoJSON).

use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiCaller, AppQuery};
use crate::{AppState, blocking};
use anjian_app::map::{BoundaryReport, CountyMap, MapAsk};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(map_json))
        .routes(routes!(map_svg))
        .routes(routes!(upload_boundaries).layer(DefaultBodyLimit::max(
            anjian_domain::map::MAX_BOUNDARY_BYTES,
        )))
}

#[utoipa::path(
    get,
    path = "/map",
    tag = "map",
    summary = "一张图（SVG 与各图层数量：上图、无坐标、不在任何乡镇边界内）",
    params(MapAsk),
    responses((status = 200, description = "一张图", body = CountyMap))
)]
async fn map_json(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<MapAsk>,
) -> ApiResult<Json<CountyMap>> {
    let v = blocking(&state, move |app| app.county_map(&a.caller, &q)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/map/svg",
    tag = "map",
    summary = "一张图（SVG；图层 layers=enterprises,hazards,listings,accidents,resources；township 乡镇；period 事故期间）",
    params(MapAsk),
    responses((status = 200, description = "SVG 图", content_type = "image/svg+xml", body = String))
)]
async fn map_svg(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<MapAsk>,
) -> ApiResult<Response> {
    let v = blocking(&state, move |app| app.county_map(&a.caller, &q)).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "image/svg+xml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::files::content_disposition("一张图.svg", "county-map.svg"),
            ),
        ],
        v.svg,
    )
        .into_response())
}

#[utoipa::path(
    put,
    path = "/region-boundaries",
    tag = "map",
    summary = "导入本县乡镇边界（管理员；GeoJSON FeatureCollection，Polygon/MultiPolygon，属性 code/adcode/name/乡镇 等对应乡镇；全部正确才写入并替换原有边界）",
    request_body(content = String, content_type = "application/geo+json", description = "GeoJSON FeatureCollection（不超过16 MB）"),
    responses(
        (status = 200, description = "已导入", body = BoundaryReport),
        (status = 413, description = "文件过大", body = super::openapi::ErrorBody),
        (status = 422, description = "文件有误（fields.file 逐个要素列出问题），未写入", body = super::openapi::ErrorBody),
    )
)]
async fn upload_boundaries(
    State(state): State<AppState>,
    a: ApiCaller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<BoundaryReport>> {
    let body = body.map_err(|e| {
        ApiError::field(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "file",
            format!(
                "边界文件不超过{} MB（{e}）",
                anjian_domain::map::MAX_BOUNDARY_BYTES / (1024 * 1024)
            ),
        )
    })?;
    let v = blocking(&state, move |app| {
        app.import_boundaries(&a.caller, None, &body)
    })
    .await?;
    Ok(Json(v))
}
