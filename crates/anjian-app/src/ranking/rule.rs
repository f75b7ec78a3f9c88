//! The county's ranking rule: read, checked against the metric catalogue, and saved.

use super::*;

/// Whether `part`'s records are some of `whole`'s (the catalogue's `part_of`, followed up).
pub(crate) fn is_part_of(cat: &[anjian_store::stats::Metric], part: &str, whole: &str) -> bool {
    let mut at = part;
    for _ in 0..cat.len() {
        match cat.iter().find(|m| m.id == at).and_then(|m| m.part_of) {
            Some(up) if up == whole => return true,
            Some(up) => at = up,
            None => return false,
        }
    }
    false
}

/// The rule as used: a 隐患整改率 saved before rates were cohort rates (本期销号 ÷ 本期发现,
/// which passes 100 % when earlier hazards are closed) reads the cohort's numerator; an
/// empty definition is filled from the two metrics.
fn as_used(mut rule: RankingRule, cat: &[anjian_store::stats::Metric]) -> RankingRule {
    for r in &mut rule.quality {
        if r.numerator == "hazards.closed" && r.denominator == "hazards.found" {
            r.numerator = "hazards.found_closed".into();
            if r.definition.is_empty() {
                r.definition = RECTIFICATION_RATE_DEFINITION.into();
            }
        }
        if r.definition.trim().is_empty() {
            let label = |id: &str| {
                cat.iter()
                    .find(|m| m.id == id)
                    .map(|m| m.label.clone())
                    .unwrap_or_else(|| id.to_string())
            };
            r.definition = format!(
                "{}占{}的比例（同一批记录，不超过100%）",
                label(&r.numerator),
                label(&r.denominator)
            );
        }
    }
    rule
}

impl App {
    pub fn ranking_rule(&self) -> Result<RankingRule> {
        let rule = self
            .store
            .setting(RANKING_RULE)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        Ok(as_used(rule, &self.metric_catalogue()?))
    }

    /// Sets the county's ranking rule (安委办 only): metrics must exist, weights and points
    /// must be finite and not negative.
    pub fn set_ranking_rule(&self, caller: &Caller, rule: &RankingRule) -> Result<RankingRule> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以修改排名规则".into()));
        }
        let cat = self.metric_catalogue()?;
        let known = |m: &str| cat.iter().any(|i| i.id == m);
        let ok = |w: f64| w.is_finite() && w >= 0.0;
        let mut e = ValidationErrors::new();
        for (f, v) in [
            ("quantity_points", rule.quantity_points),
            ("increase_points", rule.increase_points),
            ("quality_points", rule.quality_points),
        ] {
            if !ok(v) {
                e.add(f, "分值须为不小于0的数");
            }
        }
        if rule.quantity.is_empty() {
            e.add("quantity", "请至少设置一项数量指标");
        }
        for t in &rule.quantity {
            if !known(&t.metric) {
                e.add("quantity", format!("指标“{}”不存在", t.metric));
            }
            if !ok(t.weight) {
                e.add(
                    "quantity",
                    format!("指标“{}”的权重须为不小于0的数", t.metric),
                );
            }
        }
        for r in &rule.quality {
            for m in [&r.numerator, &r.denominator] {
                if !known(m) {
                    e.add("quality", format!("指标“{m}”不存在"));
                }
            }
            if !ok(r.weight) {
                e.add("quality", format!("“{}”的权重须为不小于0的数", r.label));
            }
            // A rate is a share of one set of records: the numerator counts some of the
            // denominator's records, so it never passes 100 %.
            if known(&r.numerator)
                && known(&r.denominator)
                && !is_part_of(&cat, &r.numerator, &r.denominator)
            {
                e.add(
                    "quality",
                    format!(
                        "“{}”须为同一批记录中的占比：指标“{}”不是“{}”的一部分（例如隐患整改率为 hazards.found_closed ÷ hazards.found）",
                        r.label, r.numerator, r.denominator
                    ),
                );
            }
            if r.label.trim().is_empty() {
                e.add("quality", "请填写质量指标名称");
            }
        }
        e.into_result()?;
        let rule = as_used(rule.clone(), &cat);
        let json = serde_json::to_string(&rule).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .set_setting(&caller.change(&Scope::system(), self), RANKING_RULE, &json)?;
        Ok(rule)
    }
}
