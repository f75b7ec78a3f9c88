//! One-key dispatch (一键调度): the county's notifiers, dispatches with their recipients and
//! deliveries, confirmations (by the recipient's link, a gateway's signed SMS reply, or the
//! dispatcher), the ledger, and running the job by hand.

use super::ApiResult;
use super::{Binary, Items, XLSX};
use crate::extract::{ApiCaller, ApiId, AppJson, AppQuery};
use crate::{AppState, blocking};
use anjian_app::dispatch::{
    ChannelDraft, ChannelView, DispatchDraft, DispatchRun, DispatchSettings, DispatchSubject,
};
use anjian_app::records::dispatch::{Dispatch, DispatchDetail};
use anjian_domain::scope::Permission;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// A gateway's reply report is small.
const REPLY_LIMIT: usize = 16 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(channels, create_channel))
        .routes(routes!(update_channel))
        .routes(routes!(sms_reply).layer(DefaultBodyLimit::max(REPLY_LIMIT)))
        .routes(routes!(dispatches, create_dispatch))
        .routes(routes!(subject))
        .routes(routes!(export))
        .routes(routes!(dispatch))
        .routes(routes!(confirm))
        .routes(routes!(close))
        .routes(routes!(confirm_link))
        .routes(routes!(run))
        .routes(routes!(settings, set_settings))
}

#[utoipa::path(
    get,
    path = "/dispatch-settings",
    tag = "dispatch",
    summary = "调度设置：确认链接的访问地址、默认升级时限",
    responses((status = 200, description = "调度设置", body = DispatchSettings))
)]
async fn settings(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<DispatchSettings>> {
    let v = blocking(&state, move |app| app.dispatch_settings(&a.caller)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    put,
    path = "/dispatch-settings",
    tag = "dispatch",
    summary = "修改调度设置（安委办）",
    request_body = DispatchSettings,
    responses((status = 200, description = "调度设置", body = DispatchSettings))
)]
async fn set_settings(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<DispatchSettings>,
) -> ApiResult<Json<DispatchSettings>> {
    let v = blocking(&state, move |app| app.set_dispatch_settings(&a.caller, &d)).await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/dispatch-channels",
    tag = "dispatch",
    summary = "本县的通知渠道（密钥以 ****** 显示）",
    responses((status = 200, description = "通知渠道", body = Items<ChannelView>))
)]
async fn channels(
    State(state): State<AppState>,
    a: ApiCaller,
) -> ApiResult<Json<Items<ChannelView>>> {
    let v = blocking(&state, move |app| app.dispatch_channels(&a.caller)).await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/dispatch-channels",
    tag = "dispatch",
    summary = "添加通知渠道（安委办）：通用Webhook、企业微信群机器人、钉钉群机器人、电子邮件、短信网关",
    request_body = ChannelDraft,
    responses((status = 201, description = "已添加", body = ChannelView))
)]
async fn create_channel(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<ChannelDraft>,
) -> ApiResult<(StatusCode, Json<ChannelView>)> {
    let v = blocking(&state, move |app| {
        app.create_dispatch_channel(&a.caller, &d)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    put,
    path = "/dispatch-channels/{id}",
    tag = "dispatch",
    summary = "修改通知渠道（安委办；密钥填 ****** 则保留原值；类型不可改）",
    params(("id" = i64, Path, description = "编号")),
    request_body = ChannelDraft,
    responses((status = 200, description = "修改后的渠道", body = ChannelView))
)]
async fn update_channel(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<ChannelDraft>,
) -> ApiResult<Json<ChannelView>> {
    let v = blocking(&state, move |app| {
        app.update_dispatch_channel(&a.caller, id, &d)
    })
    .await?;
    Ok(Json(v))
}

/// What the gateway reports.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
struct SmsReply {
    /// 回复人手机号
    phone: String,
    /// 回复内容
    text: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct SmsReplyAnswer {
    /// 回复是否确认了某条调度（该号码有未确认的通知）
    confirmed: bool,
}

#[utoipa::path(
    post,
    path = "/dispatch-channels/{id}/sms-replies",
    tag = "dispatch",
    summary = "短信网关回调：报告收到的回复（无需登录；X-Anjian-Signature 为请求体以渠道密钥计算的 HMAC-SHA256 十六进制值）",
    security(()),
    params(
        ("id" = i64, Path, description = "短信渠道编号"),
        ("X-Anjian-Signature" = String, Header, description = "HMAC-SHA256(渠道密钥, 请求体) 的十六进制值，可带 sha256= 前缀"),
    ),
    request_body = SmsReply,
    responses(
        (status = 200, description = "已处理", body = SmsReplyAnswer),
        (status = 401, description = "渠道不存在或签名无效", body = super::openapi::ErrorBody),
        (status = 413, description = "请求体过大", body = super::openapi::ErrorBody),
    )
)]
async fn sms_reply(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<SmsReplyAnswer>> {
    let unauthorized =
        || crate::error::ApiError::from(anjian_app::AppError::Unauthorized("签名无效".into()));
    let id: i64 = id.parse().map_err(|_| unauthorized())?;
    let body = body.map_err(|e| {
        crate::error::ApiError::from(anjian_app::AppError::BadRequest(format!(
            "请求体无法读取：{e}"
        )))
    })?;
    let sig = headers
        .get("x-anjian-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let confirmed = blocking(&state, move |app| app.dispatch_sms_reply(id, &body, &sig)).await?;
    Ok(Json(SmsReplyAnswer { confirmed }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DispatchQuery {
    /// 调度对象（hazard/accident/disaster/place 或 隐患、事故、灾害事件、区域）
    entity: Option<String>,
    /// 记录编号
    #[param(value_type = Option<i64>, minimum = 1)]
    entity_id: Option<String>,
    /// true：只列未结束的
    open: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/dispatches",
    tag = "dispatch",
    summary = "调度记录（本人范围内，新的在前）",
    params(DispatchQuery),
    responses((status = 200, description = "调度记录", body = Items<Dispatch>))
)]
async fn dispatches(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<DispatchQuery>,
) -> ApiResult<Json<Items<Dispatch>>> {
    let id = crate::query::int_param("entity_id", &q.entity_id, 1, i64::MAX)?;
    let v = blocking(&state, move |app| {
        app.dispatches(&a.caller, q.entity.as_deref(), id, q.open.unwrap_or(false))
    })
    .await?;
    Ok(Items::of(v))
}

#[utoipa::path(
    post,
    path = "/dispatches",
    tag = "dispatch",
    summary = "一键调度：向记录的通知链（及增派人员）发送消息；消息由后台任务经通知渠道发出，超时未确认自动升级",
    request_body = DispatchDraft,
    responses((status = 201, description = "已发起（消息在发件箱中）", body = DispatchDetail))
)]
async fn create_dispatch(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(d): AppJson<DispatchDraft>,
) -> ApiResult<(StatusCode, Json<DispatchDetail>)> {
    let v = blocking(&state, move |app| app.create_dispatch(&a.caller, &d)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SubjectQuery {
    /// 调度对象（hazard/accident/disaster/place 或 隐患、事故、灾害事件、区域）
    entity: String,
    /// 记录编号（区域时不填）
    #[param(value_type = Option<i64>, minimum = 1)]
    entity_id: Option<String>,
    /// 区划代码（区域，或灾害事件涉及的乡镇）
    #[param(value_type = Option<String>, pattern = "^[0-9]{12}$")]
    region: Option<String>,
}

#[utoipa::path(
    get,
    path = "/dispatches/subject",
    tag = "dispatch",
    summary = "调度对象及其通知链、建议的标题和内容（发起调度前查看）",
    params(SubjectQuery),
    responses((status = 200, description = "调度对象", body = DispatchSubject))
)]
async fn subject(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<SubjectQuery>,
) -> ApiResult<Json<DispatchSubject>> {
    let id = crate::query::int_param("entity_id", &q.entity_id, 1, i64::MAX)?;
    let region = q.region.unwrap_or_default();
    let v = blocking(&state, move |app| {
        app.dispatch_subject(&a.caller, &q.entity, id, &region)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    get,
    path = "/dispatches/export",
    tag = "dispatch",
    summary = "调度记录台账（Excel，每位接收人一行，含通知、送达、确认时间）",
    responses((status = 200, description = "台账", content_type = XLSX, body = Binary))
)]
async fn export(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Response> {
    let bytes = blocking(&state, move |app| app.dispatch_ledger(&a.caller)).await?;
    Ok(super::xlsx_file(bytes, "dispatches.xlsx"))
}

#[utoipa::path(
    get,
    path = "/dispatches/{id}",
    tag = "dispatch",
    summary = "调度详情：接收人（层级、通知、送达、确认）与每条消息的发送情况",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, description = "调度", body = DispatchDetail))
)]
async fn dispatch(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<DispatchDetail>> {
    let v = blocking(&state, move |app| app.dispatch(&a.caller, id)).await?;
    Ok(Json(v))
}

/// A confirmation taken by phone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ManualConfirm {
    recipient_id: i64,
    /// 说明（如“值班电话确认”）
    #[serde(default)]
    note: String,
}

#[utoipa::path(
    post,
    path = "/dispatches/{id}/confirmations",
    tag = "dispatch",
    summary = "登记电话确认（调度员代为登记某接收人已确认）",
    params(("id" = i64, Path, description = "编号")),
    request_body = ManualConfirm,
    responses((status = 200, description = "调度", body = DispatchDetail))
)]
async fn confirm(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
    AppJson(d): AppJson<ManualConfirm>,
) -> ApiResult<Json<DispatchDetail>> {
    let v = blocking(&state, move |app| {
        app.confirm_dispatch_recipient(&a.caller, id, d.recipient_id, &d.note)
    })
    .await?;
    Ok(Json(v))
}

#[utoipa::path(
    post,
    path = "/dispatches/{id}/close",
    tag = "dispatch",
    summary = "结束调度（不再升级；之后到达的确认仍会记录）",
    params(("id" = i64, Path, description = "编号")),
    responses(
        (status = 200, description = "调度", body = DispatchDetail),
        (status = 409, description = "该调度已结束", body = super::openapi::ErrorBody),
    )
)]
async fn close(
    State(state): State<AppState>,
    a: ApiCaller,
    ApiId(id): ApiId,
) -> ApiResult<Json<DispatchDetail>> {
    let v = blocking(&state, move |app| app.close_dispatch(&a.caller, id)).await?;
    Ok(Json(v))
}

#[derive(Debug, Serialize, ToSchema)]
struct LinkConfirmed {
    title: String,
    name: String,
    /// 确认时间（北京时间）
    confirmed_at: String,
}

#[utoipa::path(
    post,
    path = "/dispatch-confirmations/{token}",
    tag = "dispatch",
    summary = "接收人确认收到（消息中的链接；无需登录，链接中的确认码即凭证；重复确认不改变首次确认时间）",
    security(()),
    params(("token" = String, Path, description = "确认码（32位十六进制）")),
    responses((status = 200, description = "已确认", body = LinkConfirmed))
)]
async fn confirm_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<LinkConfirmed>> {
    let p = blocking(&state, move |app| app.confirm_dispatch_link(&token)).await?;
    Ok(Json(LinkConfirmed {
        title: p.title,
        name: p.name,
        confirmed_at: p
            .confirmed_at
            .as_deref()
            .map(anjian_app::auth::local_time)
            .unwrap_or_default(),
    }))
}

#[utoipa::path(
    post,
    path = "/jobs/dispatch/run",
    tag = "dispatch",
    summary = "立即执行调度任务（升级到期的调度、发送发件箱中的消息；安委办；多实例安全）",
    responses((status = 200, description = "执行结果", body = DispatchRun))
)]
async fn run(State(state): State<AppState>, a: ApiCaller) -> ApiResult<Json<DispatchRun>> {
    let v = blocking(&state, move |app| {
        a.caller.require(Permission::ConfigureCounty)?;
        app.run_dispatch_jobs(&format!("api:{}", a.caller.user.username))
    })
    .await?;
    Ok(Json(v))
}
