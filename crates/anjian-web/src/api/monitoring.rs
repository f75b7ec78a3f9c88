//! Online monitoring (在线监测): monitored objects and their points, readings (the HTTP batch
//! endpoint for gateways that cannot speak MQTT, charts), alarms (list, ledger, acknowledge,
//! dispose of), the county's rules and the year's figures.

use super::ApiResult;
use super::{Binary, Items, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::monitoring::{
    AlarmDetail, AlarmQuery, AlarmView, DisposalInput, IngestReport, MonitoringSettings,
    ObjectDetail, ObjectInput, PointInput, PointView,
};
use anjian_app::records::monitoring::{AlarmFigures, MonitoredObject, PointReading};
use anjian_domain::scope::Permission;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(settings, set_settings))
        .routes(routes!(objects, create_object))
        .routes(routes!(object, update_object))
        .routes(routes!(create_point))
        .routes(routes!(update_point))
        .routes(routes!(readings))
        .routes(routes!(chart))
        .routes(routes!(post_readings).layer(DefaultBodyLimit::max(
            anjian_domain::monitoring::MAX_PAYLOAD,
        )))
        .routes(routes!(alarms))
        .routes(routes!(alarm_ledger))
        .routes(routes!(alarm))
        .routes(routes!(acknowledge))
        .routes(routes!(dispose))
        .routes(routes!(figures))
        .routes(routes!(run))
}

#[utoipa::path(
    get,
    path = "/monitoring-settings",
    tag = "monitoring",
    summary = "在线监测规则：各级报警的签收时限、尾矿库升级个数（GB 50863-2013 第5.5.4条）、设备离线报警级别",
    responses((status = 200, description = "规则", body = MonitoringSettings))
)]
async fn settings(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<MonitoringSettings>> {
    let v = blocking(&state, move |app| {
        if !a.caller.can(Permission::ViewMonitoring) {
            return Err(a.caller.refuse("查看在线监测"));
        }
        app.monitoring_settings()
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/monitoring-settings",
    tag = "monitoring",
    summary = "修改在线监测规则（安委办）",
    request_body = MonitoringSettings,
    responses((status = 200, description = "规则", body = MonitoringSettings))
)]
async fn set_settings(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<MonitoringSettings>,
) -> ApiResult<Json<MonitoringSettings>> {
    let v = blocking(&state, move |app| {
        app.set_monitoring_settings(&a.caller, &d)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ObjectQuery {
    /// 类型（tailings_pond/tank_farm/gas_user/other 或 尾矿库、储罐区、燃气用户、其他）
    kind: Option<String>,
}

#[utoipa::path(
    get,
    path = "/monitored-objects",
    tag = "monitoring",
    summary = "监测对象（尾矿库、危化品储罐区、燃气用户等），含测点数、报警中测点数、待处置报警数",
    params(ObjectQuery),
    responses((status = 200, description = "监测对象", body = Items<MonitoredObject>))
)]
async fn objects(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<ObjectQuery>,
) -> ApiResult<Json<Items<MonitoredObject>>> {
    let v = blocking(&state, move |app| {
        app.monitored_objects(&a.caller, q.kind.as_deref())
    })
    .await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/monitored-objects",
    tag = "monitoring",
    summary = "添加监测对象（安委办、部门、乡镇，在其辖区内）",
    request_body = ObjectInput,
    responses((status = 201, description = "已添加", body = MonitoredObject))
)]
async fn create_object(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<ObjectInput>,
) -> ApiResult<(StatusCode, Json<MonitoredObject>)> {
    let v = blocking(&state, move |app| {
        app.create_monitored_object(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/monitored-objects/{id}",
    tag = "monitoring",
    summary = "监测对象详情：测点的当前值与预警值、监测项目和尾矿库的预警级别、最近的报警",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, description = "监测对象", body = ObjectDetail))
)]
async fn object(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<ObjectDetail>> {
    let v = blocking(&state, move |app| app.monitored_object(&a.caller, id)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/monitored-objects/{id}",
    tag = "monitoring",
    summary = "修改监测对象（须带读取时的 version）",
    params(("id" = i64, Path, description = "编号")),
    request_body = ObjectInput,
    responses((status = 200, description = "监测对象", body = MonitoredObject))
)]
async fn update_object(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<ObjectInput>,
) -> ApiResult<Json<MonitoredObject>> {
    let v = blocking(&state, move |app| {
        app.update_monitored_object(&a.caller, id, &d)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/monitored-objects/{id}/points",
    tag = "monitoring",
    summary = "添加测点：监测项目、设备编号、蓝黄橙红四级预警值、报警方向与回差",
    params(("id" = i64, Path, description = "监测对象编号")),
    request_body = PointInput,
    responses((status = 201, description = "已添加", body = PointView))
)]
async fn create_point(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<PointInput>,
) -> ApiResult<(StatusCode, Json<PointView>)> {
    let v = blocking(&state, move |app| {
        app.create_monitoring_point(&a.caller, id, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    put,
    path = "/monitoring-points/{id}",
    tag = "monitoring",
    summary = "修改测点（新的预警值自下一条读数起生效；须带 version）",
    params(("id" = i64, Path, description = "测点编号")),
    request_body = PointInput,
    responses((status = 200, description = "测点", body = PointView))
)]
async fn update_point(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<PointInput>,
) -> ApiResult<Json<PointView>> {
    let v = blocking(&state, move |app| {
        app.update_monitoring_point(&a.caller, id, &d)
    })
    .await?;
    Ok(Json(v))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ReadingQuery {
    /// 开始时间（RFC 3339，如 2022-06-21T00:00:00+08:00）
    from: String,
    /// 结束时间（不含）
    to: String,
}

/// A point's readings.
#[derive(Debug, Serialize, ToSchema)]
struct Readings {
    point: PointView,
    /// 时间为 Unix 毫秒；quality 0 正常、1 可疑、2 无效
    readings: Vec<PointReading>,
}

fn instant(field: &str, s: &str) -> ApiResult<i64> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            anjian_app::AppError::from(anjian_domain::ValidationErrors::single(
                field,
                "时间应为 RFC 3339 格式，如 2022-06-21T00:00:00+08:00",
            ))
            .into()
        })
}

#[utoipa::path(
    get,
    path = "/monitoring-points/{id}/readings",
    tag = "monitoring",
    summary = "测点在某时段的读数（最多20000条，时间顺序）",
    params(("id" = i64, Path, description = "测点编号"), ReadingQuery),
    responses((status = 200, description = "读数", body = Readings))
)]
async fn readings(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<ReadingQuery>,
) -> ApiResult<Json<Readings>> {
    let (from, to) = (instant("from", &q.from)?, instant("to", &q.to)?);
    let (point, readings) = blocking(&state, move |app| {
        app.point_readings(&a.caller, id, from, to)
    })
    .await?;
    Ok(Json(Readings { point, readings }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ChartQuery {
    /// 天数（1 最近一天，7 最近一周）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 31)]
    days: Option<String>,
    /// 截至日期（YYYY-MM-DD，含当日；不填为截至该测点最新读数）
    #[param(value_type = Option<String>, format = Date)]
    until: Option<String>,
}

#[utoipa::path(
    get,
    path = "/monitoring-points/{id}/chart.svg",
    tag = "monitoring",
    summary = "测点曲线图（SVG，含四级预警线）",
    params(("id" = i64, Path, description = "测点编号"), ChartQuery),
    responses((status = 200, description = "SVG 图", content_type = "image/svg+xml", body = String))
)]
async fn chart(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppQuery(q): AppQuery<ChartQuery>,
) -> ApiResult<Response> {
    let days = crate::query::int_param("days", &q.days, 1, 31)?.unwrap_or(1);
    let until = match q.until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(anjian_domain::validation::parse_date(s).map_err(|m| {
            anjian_app::AppError::from(anjian_domain::ValidationErrors::single("until", m))
        })?),
    };
    let (_, svg, _, _) = blocking(&state, move |app| {
        app.point_chart(&a.caller, id, days, until)
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

#[utoipa::path(
    post,
    path = "/monitoring/readings",
    tag = "monitoring",
    summary = "网关批量上传读数（不能使用 MQTT 的网关用；JSON：单条 {device, ts, value, quality}、数组或 {gateway, readings:[…]}；只接受本账号范围内监测对象的设备；坏的读数逐条报告，不影响其余读数）",
    request_body(content = String, content_type = "application/json", description = "读数（不超过1 MB，一次最多10000条）"),
    responses(
        (status = 200, description = "处理结果（rejected 列出被拒的读数及原因）", body = IngestReport),
        (status = 413, description = "请求体过大", body = super::openapi::ErrorBody),
        (status = 422, description = "报文整体无法读取（不是 JSON 等）", body = super::openapi::ErrorBody),
    )
)]
async fn post_readings(
    State(state): State<AppState>,
    a: ApiCaller,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<IngestReport>> {
    let body = body.map_err(|e| {
        crate::error::ApiError::field(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "body",
            format!("请求体过大或无法读取（不超过1 MB）：{e}"),
        )
    })?;
    let report = blocking(&state, move |app| app.post_readings(&a.caller, &body)).await?;
    if let Some(whole) = report.rejected.iter().find(|r| r.index.is_none()) {
        return Err(
            anjian_app::AppError::from(anjian_domain::ValidationErrors::single(
                "body",
                whole.reason.clone(),
            ))
            .into(),
        );
    }
    Ok(Json(report))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AlarmParams {
    /// true：只列未处置的
    pending: Option<bool>,
    /// 级别（blue/yellow/orange/red 或 蓝色、黄色、橙色、红色）
    level: Option<String>,
    /// 监测对象编号
    #[param(value_type = Option<i64>, minimum = 1)]
    object_id: Option<String>,
    /// 报警年度
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    year: Option<String>,
}

impl AlarmParams {
    fn query(self) -> ApiResult<AlarmQuery> {
        Ok(AlarmQuery {
            pending: self.pending,
            level: self.level,
            object_id: crate::query::int_param("object_id", &self.object_id, 1, i64::MAX)?,
            year: crate::query::int_param("year", &self.year, 2000, 2100)?.map(|y| y as i32),
        })
    }
}

#[utoipa::path(
    get,
    path = "/monitoring-alarms",
    tag = "monitoring",
    summary = "监测报警（新的在前；含签收是否逾期、处置方式）",
    params(AlarmParams),
    responses((status = 200, description = "报警", body = Items<AlarmView>))
)]
async fn alarms(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<AlarmParams>,
) -> ApiResult<Json<Items<AlarmView>>> {
    let q = q.query()?;
    let v = blocking(&state, move |app| app.monitoring_alarms(&a.caller, &q)).await?;
    Ok(Items::of(v))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct YearQuery {
    /// 年度（默认今年）
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    year: Option<String>,
}

#[utoipa::path(
    get,
    path = "/monitoring-alarms/export",
    tag = "monitoring",
    summary = "在线监测报警台账（Excel，每条报警一行）",
    params(YearQuery),
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn alarm_ledger(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Response> {
    let year = crate::query::int_param("year", &q.year, 2000, 2100)?;
    let bytes = blocking(&state, move |app| {
        let y = match year {
            Some(y) => y as i32,
            None => app.data_year(&a.caller)?.year,
        };
        app.monitoring_alarm_ledger(&a.caller, y)
    })
    .await?;
    Ok(super::xlsx_file(bytes, "monitoring-alarms.xlsx"))
}

#[utoipa::path(
    get,
    path = "/monitoring-alarms/{id}",
    tag = "monitoring",
    summary = "报警详情与经过（报警、升级、回落、恢复、签收、处置）",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, description = "报警", body = AlarmDetail))
)]
async fn alarm(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<AlarmDetail>> {
    let v = blocking(&state, move |app| app.monitoring_alarm(&a.caller, id)).await?;
    Ok(Json(v))
}

/// The version read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Version {
    version: i64,
}

#[utoipa::path(
    post,
    path = "/monitoring-alarms/{id}/acknowledge",
    tag = "monitoring",
    summary = "签收报警",
    params(("id" = i64, Path, description = "编号")),
    request_body = Version,
    responses(
        (status = 200, description = "报警", body = AlarmDetail),
        (status = 409, description = "已签收或已被他人修改", body = super::openapi::ErrorBody),
    )
)]
async fn acknowledge(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<Version>,
) -> ApiResult<Json<AlarmDetail>> {
    let v = blocking(&state, move |app| {
        app.acknowledge_alarm(&a.caller, id, d.version)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/monitoring-alarms/{id}/disposal",
    tag = "monitoring",
    summary = "处置报警：误报（写明原因）、现场处置（写明措施）或转为隐患（一并登记隐患并互相关联）",
    params(("id" = i64, Path, description = "编号")),
    request_body = DisposalInput,
    responses(
        (status = 200, description = "报警", body = AlarmDetail),
        (status = 409, description = "已处置或已被他人修改", body = super::openapi::ErrorBody),
    )
)]
async fn dispose(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<DisposalInput>,
) -> ApiResult<Json<AlarmDetail>> {
    let v = blocking(&state, move |app| app.dispose_alarm(&a.caller, id, &d)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/monitoring-figures",
    tag = "monitoring",
    summary = "在线监测年度数字：在线监测的尾矿库、各级报警数、签收情况与平均签收用时、处置方式",
    params(YearQuery),
    responses((status = 200, description = "数字", body = AlarmFigures))
)]
async fn figures(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<YearQuery>,
) -> ApiResult<Json<AlarmFigures>> {
    let year = crate::query::int_param("year", &q.year, 2000, 2100)?;
    let v = blocking(&state, move |app| {
        let y = match year {
            Some(y) => y as i32,
            None => app.data_year(&a.caller)?.year,
        };
        app.monitoring_figures(&a.caller, y)
    })
    .await?;
    Ok(Json(v))
}

/// What the job did.
#[derive(Debug, Serialize, ToSchema)]
struct MonitoringRunView {
    /// 新产生的设备离线报警数
    offline_opened: usize,
}

#[utoipa::path(
    post,
    path = "/jobs/monitoring/run",
    tag = "monitoring",
    summary = "立即执行在线监测任务（设备离线判定；安委办；多实例安全）",
    responses((status = 200, description = "执行结果", body = MonitoringRunView))
)]
async fn run(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<MonitoringRunView>> {
    let v = blocking(&state, move |app| {
        a.caller.require(Permission::ConfigureCounty)?;
        app.run_monitoring_jobs(false)
    })
    .await?;
    Ok(Json(MonitoringRunView {
        offline_opened: v.offline_opened,
    }))
}
