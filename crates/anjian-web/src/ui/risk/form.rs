//! The point's form: registration (an enterprise's own point, or a township's public site)
//! with its first assessment, and editing the description. The method's values are selects
//! showing their meanings; a refused form keeps what was typed.

use super::*;
use anjian_app::risk::{RiskAssessmentInput, RiskPointInput};
use anjian_domain::accident_type::AccidentType;
use anjian_domain::risk::method::{Factor, LEC_C, LEC_E, LEC_L, LS_L, LS_S};
use anjian_domain::risk::{ControlLevel, Controls};

/// One select of the method's table: its input name, caption and (value, "value — meaning").
pub struct FactorSelect {
    pub name: &'static str,
    pub caption: &'static str,
    pub options: Vec<(String, String)>,
}

fn select(name: &'static str, f: &Factor) -> FactorSelect {
    FactorSelect {
        name,
        caption: f.name,
        options: f
            .choices
            .iter()
            .map(|c| (c.text(), format!("{} — {}", c.text(), c.meaning)))
            .collect(),
    }
}

/// The selects of both methods, LEC's then LS's.
pub fn factor_selects() -> (Vec<FactorSelect>, Vec<FactorSelect>) {
    (
        vec![
            select("lec_l", &LEC_L),
            select("lec_e", &LEC_E),
            select("lec_c", &LEC_C),
        ],
        vec![select("ls_l", &LS_L), select("ls_s", &LS_S)],
    )
}

#[derive(Template)]
#[template(path = "risk_point_form.html")]
struct FormPage {
    chrome: Chrome,
    action: String,
    version: i64,
    kept: Kept,
    defaults: BTreeMap<&'static str, String>,
    types: Vec<&'static str>,
    all_types: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    /// The public site's places (a township registering), else empty.
    places: Vec<(String, String)>,
    lec: Vec<FactorSelect>,
    ls: Vec<FactorSelect>,
    /// Registration: the first assessment is on the form.
    with_assessment: bool,
    back: String,
}

impl FormPage {
    fn v(&self, k: &str) -> String {
        self.kept
            .val(k, self.defaults.get(k).map(String::as_str).unwrap_or(""))
    }

    fn sel(&self, k: &str, code: &str) -> bool {
        self.kept.sel(
            k,
            code,
            self.defaults.get(k).map(String::as_str).unwrap_or(""),
        )
    }

    /// Whether accident type `code` is ticked: as typed, else the record's.
    fn ticked(&self, code: &str) -> bool {
        if self.kept.submitted() {
            return (0..self.kept.nth_count("accident_types"))
                .any(|i| self.kept.nth("accident_types", i) == code);
        }
        self.types.contains(&code)
    }
}

async fn form_page(
    state: &AppState,
    pc: &PageCaller,
    id: Option<i64>,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, current, places) = blocking(state, move |app| {
        let current = match id {
            Some(id) => Some(app.risk_point(&caller, id)?),
            None => None,
        };
        let places = if caller.user.enterprise_id.is_none() {
            app.townships(&caller)?
        } else {
            Vec::new()
        };
        Ok((app.instance_name()?, current, places))
    })
    .await?;
    match &current {
        Some(d) if !d.view.allowed_actions.contains(&"edit") => {
            return Err(PageError::App(anjian_app::AppError::Forbidden(
                "该风险点当前不能修改".into(),
            )));
        }
        None if !anjian_app::App::may_register_risk_points(&pc.caller) => {
            return Err(PageError::App(anjian_app::AppError::Forbidden(
                "仅企业（本企业风险点）和乡镇（公共场所）可登记风险点".into(),
            )));
        }
        _ => {}
    }
    let (defaults, types, version) = match &current {
        Some(d) => {
            let p = &d.view.point;
            (
                BTreeMap::from([
                    ("place", p.place.clone()),
                    ("activity", p.activity.clone()),
                    ("hazard_factor", p.hazard_factor.clone()),
                    ("control_level", p.control_level.as_str().to_string()),
                    ("responsible_name", p.responsible_name.clone()),
                    ("responsible_phone", p.responsible_phone.clone()),
                    ("engineering", p.control_engineering.clone()),
                    ("management", p.control_management.clone()),
                    ("training", p.control_training.clone()),
                    ("ppe", p.control_ppe.clone()),
                    ("emergency", p.control_emergency.clone()),
                    ("region_code", p.region_code.clone()),
                ]),
                p.accident_types.iter().map(|t| t.as_str()).collect(),
                p.version,
            )
        }
        None => (
            BTreeMap::from([
                ("method", "lec".to_string()),
                ("region_code", pc.caller.user.region_code.clone()),
            ]),
            Vec::new(),
            0,
        ),
    };
    let (lec, ls) = factor_selects();
    let p = FormPage {
        chrome: Chrome::new(
            pc,
            instance,
            if id.is_some() {
                "修改风险点"
            } else {
                "登记风险点"
            },
            "risk_points",
        ),
        action: id
            .map(|i| format!("/risk-points/{i}/edit"))
            .unwrap_or_else(|| "/risk-points/new".into()),
        version,
        kept,
        defaults,
        types,
        all_types: AccidentType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label()))
            .collect(),
        levels: ControlLevel::ALL
            .iter()
            .map(|l| (l.as_str(), l.label()))
            .collect(),
        places: if current.is_none() {
            places
        } else {
            Vec::new()
        },
        lec,
        ls,
        with_assessment: id.is_none(),
        back: id
            .map(|i| format!("/risk-points/{i}"))
            .unwrap_or_else(|| "/risk-points".into()),
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn new(
    State(state): State<AppState>,
    pc: PageCaller,
) -> Result<Response, PageError> {
    form_page(&state, &pc, None, Kept::none()).await
}

pub(super) async fn edit(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    form_page(&state, &pc, Some(id), Kept::none()).await
}

/// A value of a method's select: blank is none; anything else that does not read as a
/// number is kept as not-a-number, so the use case refuses it naming the field.
pub(super) fn factor(form: &FormPairs, k: &str) -> Option<f64> {
    let v = form.get(k);
    let v = v.trim();
    if v.is_empty() {
        None
    } else {
        Some(v.parse().unwrap_or(f64::NAN))
    }
}

/// The assessment a form holds, from the selects of its method.
pub(super) fn assessment_of(form: &FormPairs) -> RiskAssessmentInput {
    let method = form.get("method");
    let p = if Method::from_words(&method) == Some(Method::Ls) {
        "ls"
    } else {
        "lec"
    };
    RiskAssessmentInput {
        l: factor(form, &format!("{p}_l")),
        e: (p == "lec").then(|| factor(form, "lec_e")).flatten(),
        c: (p == "lec").then(|| factor(form, "lec_c")).flatten(),
        s: (p == "ls").then(|| factor(form, "ls_s")).flatten(),
        reason: form.get("reason"),
        method,
    }
}

/// The use case's messages moved to the form's inputs: a factor to its method's select, a
/// control kind to its box.
pub(super) fn form_errors(
    errors: super::super::FieldErrors,
    method: &str,
) -> super::super::FieldErrors {
    let p = if Method::from_words(method) == Some(Method::Ls) {
        "ls"
    } else {
        "lec"
    };
    let mut out = super::super::FieldErrors::default();
    for (k, msgs) in errors.0 {
        let k = k.strip_prefix("assessment.").unwrap_or(&k).to_string();
        let key = match k.as_str() {
            "l" | "e" | "c" | "s" => format!("{p}_{k}"),
            other => other.strip_prefix("controls.").unwrap_or(other).to_string(),
        };
        for m in msgs {
            out.add(&key, m);
        }
    }
    out
}

fn input_of(form: &FormPairs, with_assessment: bool) -> RiskPointInput {
    RiskPointInput {
        enterprise_id: None,
        region_code: Some(form.get("region_code")).filter(|s| !s.trim().is_empty()),
        place: form.get("place"),
        activity: form.get("activity"),
        hazard_factor: form.get("hazard_factor"),
        accident_types: form.all("accident_types"),
        control_level: form.get("control_level"),
        responsible_name: form.get("responsible_name"),
        responsible_phone: form.get("responsible_phone"),
        controls: Controls {
            engineering: form.get("engineering"),
            management: form.get("management"),
            training: form.get("training"),
            ppe: form.get("ppe"),
            emergency: form.get("emergency"),
        },
        assessment: (with_assessment
            && ["lec_l", "lec_e", "lec_c", "ls_l", "ls_s"]
                .iter()
                .any(|k| !form.get(k).trim().is_empty()))
        .then(|| assessment_of(form)),
        version: form.get("version").trim().parse().ok(),
    }
}

async fn save(
    state: AppState,
    pc: PageCaller,
    form: FormPairs,
    id: Option<i64>,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let input = input_of(&form, id.is_none());
    let caller = pc.caller.clone();
    let r = blocking(&state, move |app| match id {
        Some(id) => app.update_risk_point(&caller, id, &input),
        None => app.create_risk_point(&caller, &input),
    })
    .await;
    let kept = match r {
        Ok(v) => {
            return Ok(see_other(&format!(
                "/risk-points/{}?saved=1",
                v.view.point.id
            )));
        }
        Err(e) => Kept::refused(
            "risk_point",
            &form,
            form_errors(super::super::refusal(e)?, &form.get("method")),
        ),
    };
    form_page(&state, &pc, id, kept).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(state, pc, form, None).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
    form: FormPairs,
) -> Result<Response, PageError> {
    save(state, pc, form, Some(id)).await
}
