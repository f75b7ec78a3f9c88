//! The report of a period, and the county's report template.

use super::*;

/// The report as JSON (`format=json`): every metric's value and the figures the text states.
#[derive(ToSchema)]
#[allow(dead_code)] // describes `Rendered::json`
pub(super) struct ReportJson {
    title: String,
    period: String,
    period_name: String,
    #[schema(value_type = chrono::NaiveDate)]
    from: String,
    #[schema(value_type = chrono::NaiveDate)]
    to: String,
    metrics: Vec<anjian_app::stats::MetricValue>,
    figures: Vec<anjian_app::stats::Figure>,
}

/// The county's report template.
#[derive(Serialize, ToSchema)]
pub(super) struct ReportTemplate {
    template: String,
}

/// A template saved.
#[derive(Serialize, ToSchema)]
pub(super) struct Saved {
    saved: bool,
}

#[utoipa::path(
    get,
    path = "/statistics/report",
    tag = "statistics",
    summary = "统计报告（format=json|md|docx；period 同上）：每个数字链接到其明细",
    params(crate::query::StatQuery),
    responses((status = 200, description = "报告", content(
        (ReportJson = "application/json"),
        (String = "text/markdown"),
        (Binary = DOCX),
    )))
)]
/// The report for a period (`period=2022`, default this year) as `format=json|md|docx`.
pub(super) async fn report(
    State(state): State<AppState>,
    a: ApiCaller,
    AppQuery(q): AppQuery<crate::query::StatQuery>,
) -> ApiResult<Response> {
    let (period, _) = crate::query::stat_of(&q, state.app.clock.today())?;
    let format = q.format.clone().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "md" | "docx") {
        return Err(crate::query::bad("format", "格式应为 json、md 或 docx"));
    }
    let code = period.code.clone();
    let r = blocking(&state, move |app| app.render_report(&a.caller, &period)).await?;
    Ok(match format.as_str() {
        "md" => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            r.markdown(""),
        )
            .into_response(),
        "docx" => {
            let bytes = r.docx("").map_err(ApiError::from)?;
            crate::files::file_response(
                bytes,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                &format!("report-{code}.docx"),
            )
        }
        _ => Json(r.json()).into_response(),
    })
}
#[utoipa::path(
    get,
    path = "/statistics/report-template",
    tag = "statistics",
    summary = "报告模板（minijinja 文本，数字写作 m(\"指标代码\", 维度…)）",
    responses((status = 200, description = "模板", body = ReportTemplate))
)]

pub(super) async fn template_get(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<ReportTemplate>> {
    let t = blocking(&state, move |app| app.report_template()).await?;
    Ok(Json(ReportTemplate { template: t }))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = ReportTemplateInput)]
#[serde(deny_unknown_fields)]
pub(super) struct TemplateInput {
    template: String,
}
#[utoipa::path(
    put,
    path = "/statistics/report-template",
    tag = "statistics",
    summary = "修改报告模板（管理员；先试算，有误则 422 且不保存）：{template}",
    request_body = TemplateInput,
    responses((status = 200, description = "已保存", body = Saved))
)]

pub(super) async fn template_put(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<TemplateInput>,
) -> ApiResult<Json<Saved>> {
    blocking(&state, move |app| {
        app.set_report_template(&a.caller, &input.template)
    })
    .await?;
    Ok(Json(Saved { saved: true }))
}
