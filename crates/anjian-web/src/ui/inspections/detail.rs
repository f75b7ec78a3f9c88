//! An inspection's page, its 现场检查记录, and a finding turned into a hazard.

use super::*;

#[derive(Template)]
#[template(path = "inspection_detail.html")]
struct DetailPage {
    chrome: Chrome,
    i: anjian_app::records::inspections::Inspection,
    unit: String,
    kind: &'static str,
    /// The officers as recorded that day: name and 执法证号.
    officers: Vec<(String, String)>,
    /// The other people (all of them for an inspection recorded before the roster).
    others: String,
    items: Vec<(String, String, String, String)>,
    findings: Vec<anjian_app::records::inspections::Finding>,
    can_convert: bool,
    docs: crate::ui::documents::DocPanel,
    kept: crate::ui::Kept,
}

pub(crate) async fn detail_page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: crate::ui::Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, (i, findings), docs) = blocking(state, move |app| {
        Ok((
            app.instance_name()?,
            app.inspection(&caller, id)?,
            app.documents(&caller, Some(("inspection", id)))?,
        ))
    })
    .await?;
    let items = serde_json::from_str::<Vec<serde_json::Value>>(&i.checklist)
        .unwrap_or_default()
        .iter()
        .map(|v| {
            let r = match v["result"].as_str() {
                Some("pass") => "符合",
                Some("fail") => "不符合",
                _ => "不适用",
            };
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
                r.to_string(),
                v["note"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let page = DetailPage {
        chrome: Chrome::new(pc, instance, "检查记录", "inspections"),
        unit: i
            .enterprise_name
            .clone()
            .unwrap_or_else(|| "（公共区域）".into()),
        kind: kind_label(&i.kind),
        officers: i
            .officers
            .iter()
            .map(|o| (o.name.clone(), o.cert_no.clone()))
            .collect(),
        others: anjian_app::inspections::accompanying(&i).join("、"),
        items,
        findings,
        can_convert: pc.caller.can(anjian_domain::scope::Permission::Supervise),
        docs: crate::ui::documents::DocPanel::new(pc, "inspection", id, docs)
            .today(state.app.clock.today()),
        kept,
        i,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    detail_page(&state, &pc, id, crate::ui::Kept::none()).await
}

pub(super) async fn record(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let doc = blocking(&state, move |app| app.inspection_record_docx(&caller, id)).await?;
    Ok(crate::files::docx_response(
        &format!("现场检查记录{id}.docx"),
        &format!("inspection-record-{id}.docx"),
        doc,
    ))
}

pub(super) async fn convert(
    State(state): State<AppState>,
    pc: PageCaller,
    p: Result<Path<(String, String)>, axum::extract::rejection::PathRejection>,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let Ok(Path((id, fid))) = p else {
        return Err(PageError::App(anjian_app::AppError::NotFound));
    };
    let id = crate::extract::parse_id(&id)?;
    let fid = crate::extract::parse_id(&fid)?;
    let input = FindingToHazard {
        level: form.get("level"),
        deadline: form.opt("deadline"),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.finding_to_hazard(&caller, id, fid, &input)
    })
    .await
    {
        Ok(h) => Ok(see_other(&format!("/hazards/{}?done=1", h.hazard.id))),
        Err(e) => {
            let kept =
                crate::ui::Kept::refused(&format!("finding.{fid}"), &form, crate::ui::refusal(e)?);
            detail_page(&state, &pc, id, kept).await
        }
    }
}
