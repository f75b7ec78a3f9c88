//! The report of a period, and the county's report template.

use super::*;

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

pub(super) async fn template_get(
    State(state): State<AppState>,
    _a: ApiCaller,
) -> ApiResult<Json<Value>> {
    let t = blocking(&state, move |app| app.report_template()).await?;
    Ok(Json(json!({ "template": t })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TemplateInput {
    template: String,
}

pub(super) async fn template_put(
    State(state): State<AppState>,
    a: ApiCaller,
    AppJson(input): AppJson<TemplateInput>,
) -> ApiResult<Json<Value>> {
    blocking(&state, move |app| {
        app.set_report_template(&a.caller, &input.template)
    })
    .await?;
    Ok(Json(json!({ "saved": true })))
}
