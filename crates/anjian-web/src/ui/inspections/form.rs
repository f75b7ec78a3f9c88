//! Recording an inspection: the form with the sector's checklist, and its submission.
//!
//! Every checklist item starts unanswered and must be answered; what the registry knows of
//! the enterprise (a licence expired on the inspection date, no licence on record where the
//! sector requires one) is shown next to the items it concerns. A refused submission comes
//! back with everything typed, the checklist answers included.

use super::*;
use crate::ui::{FieldErrors, Kept, refusal};

/// One checklist item as the form shows it.
pub struct Item {
    pub code: String,
    pub text: String,
    pub basis: String,
    /// The answer given (pass | fail | na), empty while unanswered.
    pub answer: String,
    pub note: String,
    /// What the registry knows that concerns this item.
    pub facts: Vec<String>,
    pub error: String,
}

#[derive(Template)]
#[template(path = "inspection_form.html")]
struct FormPage {
    chrome: Chrome,
    templates: Vec<(String, String)>,
    template_id: String,
    enterprise_id: String,
    items: Vec<Item>,
    regions: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    sector: String,
    kinds: Vec<(String, String)>,
    today: String,
    /// The caller's roster of certified officers, with whether each may act on the date.
    officers: Vec<anjian_app::inspections::RosterOfficer>,
    /// The other people's default on a fresh form: the caller, when not an officer.
    me: String,
    /// The registry's facts about the enterprise, above the checklist.
    warnings: Vec<String>,
    kept: Kept,
}

/// Sectors whose enterprises must hold a licence to operate.
const LICENSED_SECTORS: &[&str] = &["hazchem", "fireworks", "mines", "gas", "road"];

/// Whether a checklist item is about the enterprise's licences.
fn about_licences(text: &str) -> bool {
    text.contains("许可")
}

/// What the registry says about an enterprise's licences on `on`.
pub(crate) fn licence_facts(
    ent: &anjian_app::records::enterprises::Enterprise,
    on: chrono::NaiveDate,
) -> Vec<String> {
    let mut facts: Vec<String> = ent
        .licences
        .iter()
        .filter_map(|l| {
            let to = l.valid_to?;
            (l.state_on(on) == anjian_domain::enterprise::LicenceState::Expired).then(|| {
                let no = if l.number.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", l.number)
                };
                format!("{}{no}已于{to}过期", l.kind)
            })
        })
        .collect();
    if ent.licences.is_empty()
        && ent
            .sectors
            .iter()
            .any(|s| LICENSED_SECTORS.contains(&s.as_str()))
    {
        facts.push("企业登记信息中没有许可证记录".into());
    }
    facts
}

/// The checklist items of a template.
fn template_items(t: &anjian_app::records::inspections::Template) -> Vec<(String, String, String)> {
    serde_json::from_str::<Vec<serde_json::Value>>(&t.items)
        .unwrap_or_default()
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
                v["basis"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    template_id: String,
    enterprise_id: String,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let tid = template_id.parse::<i64>().ok();
    let typed = enterprise_id.clone();
    let today = state.app.clock.today();
    let on = chrono::NaiveDate::parse_from_str(&kept.val("inspected_on", ""), "%Y-%m-%d")
        .unwrap_or(today);
    let (instance, templates, sectors, regions, ent, officers) = blocking(state, move |app| {
        let eid = app.resolve_enterprise(&caller, &typed)?.ok().flatten();
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
            eid.and_then(|e| app.get_enterprise(&caller, e).ok()),
            if caller.can(anjian_domain::scope::Permission::Supervise) {
                app.officer_roster(&caller, on)?
            } else {
                Vec::new()
            },
        ))
    })
    .await?;
    let facts = ent
        .as_ref()
        .map(|e| licence_facts(e, on))
        .unwrap_or_default();
    let warnings = match &ent {
        Some(e) if !facts.is_empty() => vec![format!("{}：{}", e.name, facts.join("；"))],
        _ => Vec::new(),
    };
    let chosen = tid.and_then(|t| templates.iter().find(|x| x.id == t));
    let items = chosen
        .map(template_items)
        .unwrap_or_default()
        .into_iter()
        .map(|(code, text, basis)| {
            let result = format!("result.{code}");
            let mut error = kept.msg(&result);
            let app_key = format!("results.{code}");
            if kept.bad(&app_key) {
                error = kept.msg(&app_key);
            }
            Item {
                answer: kept.val(&result, ""),
                note: kept.val(&format!("note.{code}"), ""),
                facts: if about_licences(&text) {
                    facts.clone()
                } else {
                    Vec::new()
                },
                error,
                code,
                text,
                basis,
            }
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
        enterprise_id,
        items,
        regions,
        sectors: sectors.into_iter().map(|s| (s.code, s.name)).collect(),
        kinds: KINDS
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
        today: today.to_string(),
        me: if officers.iter().any(|o| o.id == pc.caller.user.id) {
            String::new()
        } else {
            pc.caller.user.display_name.clone()
        },
        officers,
        warnings,
        kept,
    };
    Ok(render_refused(&page, page.kept.is_refused()))
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    form_page(
        &state,
        &pc,
        get("template_id"),
        get("enterprise_id"),
        Kept::none(),
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
    let mut errors = FieldErrors::default();
    let mut officer_ids = Vec::new();
    for v in form
        .0
        .iter()
        .filter(|(k, _)| k == "officer_ids")
        .map(|(_, v)| v)
    {
        match v.trim().parse::<i64>() {
            Ok(id) => officer_ids.push(id),
            Err(_) => errors.add("officer_ids", "请从执法人员名册中勾选执法人员"),
        }
    }
    let caller = pc.caller.clone();
    let typed = enterprise.clone();
    let enterprise_id =
        match blocking(&state, move |app| app.resolve_enterprise(&caller, &typed)).await? {
            Ok(id) => id,
            Err(m) => {
                errors.add("enterprise_id", m);
                None
            }
        };
    // Every checklist item must be answered: nothing is taken as compliant unasked. An
    // unanswered item goes to the use case as an invalid answer, so it refuses the whole
    // record (and reports every other mistake with it); its message is then the form's own.
    let mut unanswered: Vec<(String, String)> = Vec::new();
    if let Ok(tid) = template_id.parse::<i64>() {
        let templates = blocking(&state, |app| app.templates(None)).await?;
        if let Some(t) = templates.iter().find(|t| t.id == tid) {
            for (n, (code, text, _)) in template_items(t).iter().enumerate() {
                if form.get(&format!("result.{code}")).is_empty() {
                    unanswered.push((
                        code.clone(),
                        format!(
                            "检查表第{}项“{text}”尚未作答，请选择符合、不符合或不适用",
                            n + 1
                        ),
                    ));
                }
            }
        }
    }
    let mut results: Vec<ItemResult> = form
        .0
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(k, v)| {
            k.strip_prefix("result.").map(|code| ItemResult {
                code: code.to_string(),
                result: v.clone(),
                note: form.get(&format!("note.{code}")),
            })
        })
        .collect();
    results.extend(unanswered.iter().map(|(code, _)| ItemResult {
        code: code.clone(),
        result: String::new(),
        note: form.get(&format!("note.{code}")),
    }));
    let input = InspectionInput {
        enterprise_id,
        region_code: form.opt("region_code"),
        site: form.opt("site"),
        sector: form.get("sector"),
        kind: form.get("kind"),
        enforcement: form.flag("enforcement"),
        inspected_on: form.get("inspected_on"),
        officer_ids,
        inspectors: form
            .get("inspectors")
            .split([',', '，', '、', ';', '；'])
            .map(str::to_string)
            .collect(),
        template_id: template_id.parse().ok(),
        results,
        findings: form.get("findings").lines().map(str::to_string).collect(),
        summary: form.opt("summary"),
        campaign: None,
    };
    let caller = pc.caller.clone();
    let refused = if errors.is_empty() {
        match blocking(&state, move |app| app.record_inspection(&caller, &input)).await {
            Ok(i) if unanswered.is_empty() => {
                return Ok(see_other(&format!("/inspections/{}", i.id)));
            }
            Ok(_) => FieldErrors::default(),
            Err(e) => refusal(e)?,
        }
    } else {
        errors
    };
    let mut errors = refused;
    for (code, msg) in unanswered {
        errors.0.remove(&format!("results.{code}"));
        errors.add(&format!("result.{code}"), msg);
    }
    let kept = Kept::refused("inspection", &form, errors);
    form_page(&state, &pc, template_id, enterprise, kept).await
}
