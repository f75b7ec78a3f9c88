//! Recording an inspection: the form with the sector's checklist, and its submission.

use super::*;

#[derive(Template)]
#[template(path = "inspection_form.html")]
struct FormPage {
    chrome: Chrome,
    templates: Vec<(String, String)>,
    template_id: String,
    items: Vec<(String, String, String)>,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    sector: String,
    kinds: Vec<(String, String)>,
    today: String,
    me: String,
    error: Option<String>,
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    template_id: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let tid = template_id.parse::<i64>().ok();
    let (instance, templates, sectors, regions) = blocking(state, move |app| {
        let regions = app
            .list_regions(&caller, None, Some("village"))?
            .into_iter()
            .filter(|r| r.level != "county")
            .map(|r| (r.code, r.name))
            .collect::<Vec<_>>();
        Ok((
            app.instance_name()?,
            app.templates(None)?,
            app.list_sectors(&caller)?,
            regions,
        ))
    })
    .await?;
    let chosen = tid.and_then(|t| templates.iter().find(|x| x.id == t));
    let items = chosen
        .and_then(|t| serde_json::from_str::<Vec<serde_json::Value>>(&t.items).ok())
        .unwrap_or_default()
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
                v["basis"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let sn: HashMap<String, String> = sectors
        .iter()
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    let page = FormPage {
        chrome: Chrome::new(pc, instance, "记录监督检查", "inspections"),
        templates: templates
            .iter()
            .map(|t| {
                (
                    t.id.to_string(),
                    format!(
                        "{} · {}",
                        sn.get(&t.sector).cloned().unwrap_or(t.sector.clone()),
                        t.name
                    ),
                )
            })
            .collect(),
        sector: chosen.map(|t| t.sector.clone()).unwrap_or_default(),
        template_id,
        items,
        regions,
        sectors: sectors.into_iter().map(|s| (s.code, s.name)).collect(),
        kinds: KINDS
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        today: state.app.clock.today().to_string(),
        me: pc.caller.user.display_name.clone(),
        error,
    };
    Ok(render_refused(&page, page.error.is_some()))
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    form_page(
        &state,
        &pc,
        q.get("template_id").cloned().unwrap_or_default(),
        None,
    )
    .await
}

pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let template_id = form.get("template_id");
    let enterprise = form.get("enterprise_id");
    let enterprise_id = if enterprise.is_empty() {
        None
    } else {
        match enterprise.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return form_page(&state, &pc, template_id, Some("企业编号应为数字".into())).await;
            }
        }
    };
    let results = form
        .0
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("result.").map(|code| ItemResult {
                code: code.to_string(),
                result: v.clone(),
                note: form.get(&format!("note.{code}")),
            })
        })
        .collect();
    let input = InspectionInput {
        enterprise_id,
        region_code: form.opt("region_code"),
        site: form.opt("site"),
        sector: form.get("sector"),
        kind: form.get("kind"),
        enforcement: form.flag("enforcement"),
        inspected_on: form.get("inspected_on"),
        inspectors: form
            .get("inspectors")
            .split([',', '，', '、', ' '])
            .map(str::to_string)
            .collect(),
        template_id: template_id.parse().ok(),
        results,
        findings: form.get("findings").lines().map(str::to_string).collect(),
        summary: form.opt("summary"),
        campaign: None,
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| app.record_inspection(&caller, &input)).await {
        Ok(i) => Ok(see_other(&format!("/inspections/{}", i.id))),
        Err(AppError::Validation(v)) => {
            form_page(
                &state,
                &pc,
                template_id,
                Some(
                    v.fields
                        .into_values()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            )
            .await
        }
        Err(AppError::Forbidden(m)) => form_page(&state, &pc, template_id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}
