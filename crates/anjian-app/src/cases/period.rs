//! The decision period of a general-procedure case: the agency's rule in force on the day of
//! 立案 (see `anjian_domain::decision_period`), kept as a county setting.

use super::*;
use anjian_domain::decision_period::{self as period, Rule};
use std::collections::BTreeMap;

/// The county's decision-period policy: the dated rules, and which rule family each
/// department follows. A department not listed follows the work-safety rules when its name
/// says it is the 应急管理 department, and the statutory default otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionPolicy {
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub families: BTreeMap<i64, String>,
}

impl Default for DecisionPolicy {
    fn default() -> Self {
        Self {
            rules: period::shipped_rules(),
            families: BTreeMap::new(),
        }
    }
}

/// The policy held by the setting, or the shipped rules.
fn policy_of(inputs: &anjian_store::settings::DecisionInputs) -> Result<DecisionPolicy> {
    Ok(match &inputs.setting {
        Some(v) => serde_json::from_str(v).map_err(|e| {
            AppError::Internal(format!("setting decision_period does not parse: {e}"))
        })?,
        None => DecisionPolicy::default(),
    })
}

impl App {
    /// The policy in force: the county's setting, or the shipped rules.
    pub fn decision_policy(&self) -> Result<DecisionPolicy> {
        policy_of(self.store.decision_inputs()?.as_ref())
    }

    /// Replaces the policy (admin), after checking every rule.
    pub fn set_decision_policy(&self, caller: &Caller, p: &DecisionPolicy) -> Result<()> {
        caller.require(Permission::ConfigureCounty)?;
        let mut e = ValidationErrors::new();
        if p.rules.is_empty() {
            e.add("rules", "至少需要一条办案期限规则");
        }
        for (i, r) in p.rules.iter().enumerate() {
            if let Err(m) = r.check() {
                e.add(&format!("rules[{i}]"), m);
            }
        }
        if !p.rules.iter().any(|r| r.family == period::DEFAULT) {
            e.add("rules", "须保留一条适用于其他机关的通用规则（default）");
        }
        let deps = self.store.decision_inputs()?;
        for (id, f) in &p.families {
            if !deps.departments.iter().any(|(d, _)| d == id) {
                e.add("families", format!("部门 {id} 不存在"));
            }
            if ![period::WORK_SAFETY, period::DEFAULT].contains(&f.as_str()) {
                e.add("families", format!("适用机关类别“{f}”不正确"));
            }
        }
        e.into_result()?;
        let v = serde_json::to_string(p).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self.store.set_setting(
            &caller.change(&Scope::system(), self),
            anjian_store::settings::DECISION_PERIOD,
            &v,
        )?)
    }

    /// The rule a case's decision period follows.
    pub(crate) fn decision_rule(&self, c: &Case) -> Result<Option<Rule>> {
        let registered = c.registered_on;
        let inputs = self.store.decision_inputs()?;
        let policy = policy_of(&inputs)?;
        let family = c
            .department_id
            .and_then(|d| {
                policy.families.get(&d).map(String::as_str).or_else(|| {
                    inputs
                        .departments
                        .iter()
                        .find(|(id, _)| *id == d)
                        .map(|(_, name)| period::family_by_name(name))
                })
            })
            .unwrap_or(period::DEFAULT);
        Ok(period::rule_for(&policy.rules, family, registered).cloned())
    }
}
