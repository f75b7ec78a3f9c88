//! The county's risk steering settings (安委办): the rule for the enterprise's grade, the
//! inspection frequency and the 双随机 weight per grade.

use super::*;
use anjian_app::risk_steering::{
    RiskSteeringPerGradeInput, RiskSteeringSettingsInput, RiskSteeringSettingsView,
};
use anjian_domain::risk_steering::GradeRule;

#[derive(Template)]
#[template(path = "risk_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    v: RiskSteeringSettingsView,
    rules: Vec<(&'static str, &'static str)>,
    /// (grade code, label, colour) from the highest.
    grades: Vec<(&'static str, &'static str, &'static str)>,
    can_configure: bool,
    kept: Kept,
}

impl SettingsPage {
    /// The number shown in field `k` (`frequency_months.major` …): as typed, else as saved.
    fn num(&self, k: &str) -> String {
        let s = &self.v.settings;
        let saved = match k.split_once('.') {
            Some(("frequency_months", g)) => Grade::parse(g).map(|g| s.frequency_months.get(g)),
            Some(("weights", g)) => Grade::parse(g).map(|g| s.weights.get(g)),
            _ if k == "escalate_at" => Some(s.escalate_at),
            _ if k == "ungraded_weight" => Some(s.ungraded_weight),
            _ => None,
        };
        self.kept
            .of("settings")
            .val(k, &saved.map(|n| n.to_string()).unwrap_or_default())
    }
}

async fn render_page(
    state: &AppState,
    pc: &PageCaller,
    kept: Kept,
    flash: Option<&str>,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, v) = blocking(state, move |app| {
        Ok((app.instance_name()?, app.risk_steering_settings(&caller)?))
    })
    .await?;
    let p = SettingsPage {
        chrome: Chrome::new(pc, instance, "检查周期与抽取权重", "risk_grades").flash(flash),
        v,
        rules: GradeRule::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
        grades: Grade::descending()
            .into_iter()
            .map(|g| (g.as_str(), g.label(), g.colour()))
            .collect(),
        can_configure: pc.caller.can(Permission::ConfigureCounty),
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn page(
    State(state): State<AppState>,
    pc: PageCaller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    render_page(&state, &pc, Kept::none(), q.get("saved").map(|_| "已保存")).await
}

pub(super) async fn save(
    State(state): State<AppState>,
    pc: PageCaller,
    form: FormPairs,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let mut n = super::super::Numbers::new(&form);
    let mut num = |k: &str, label: &str| -> i64 {
        // A blank box: refused below by the use case's range check, named by its field.
        n.int(k, label).unwrap_or(0)
    };
    let per = |prefix: &str, num: &mut dyn FnMut(&str, &str) -> i64, what: &str| {
        let mut one = |g: Grade| {
            num(
                &format!("{prefix}.{}", g.as_str()),
                &format!("{}{what}", g.label()),
            )
        };
        RiskSteeringPerGradeInput {
            major: one(Grade::Major),
            large: one(Grade::Large),
            general: one(Grade::General),
            low: one(Grade::Low),
        }
    };
    let frequency_months = per("frequency_months", &mut num, "企业检查周期");
    let weights = per("weights", &mut num, "企业抽取权重");
    let escalate_at = num("escalate_at", "上调一级所需的风险点数");
    let ungraded_weight = num("ungraded_weight", "未定级企业的抽取权重");
    let errors = n.errors;
    if !errors.is_empty() {
        return render_page(&state, &pc, Kept::refused("settings", &form, errors), None).await;
    }
    let input = RiskSteeringSettingsInput {
        rule: form.get("rule"),
        escalate_at,
        frequency_months,
        weights,
        ungraded_weight,
        version: form.get("version").parse().ok(),
    };
    let caller = pc.caller.clone();
    match blocking(&state, move |app| {
        app.risk_steering_save_settings(&caller, &input)
    })
    .await
    {
        Ok(_) => Ok(see_other("/risk-steering/settings?saved=1")),
        Err(e) => {
            let kept = Kept::refused("settings", &form, super::super::refusal(e)?);
            render_page(&state, &pc, kept, None).await
        }
    }
}
