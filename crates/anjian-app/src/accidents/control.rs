//! 控制指标: the county's yearly accident control targets (较大及以上事故 ≤ 0, 生产安全事故死亡
//! 人数 ≤ N, 亡人火灾 ≤ 0 …), each a metric of the catalogue with a comparator and a target,
//! tracked over the county's year exactly like a responsibility letter's indicators (same
//! grades: 已达成 / 有风险 / 未达成 / 暂无数据, same values, same drill-down). Kept per county
//! and year in the settings (`accident_control_targets.{county}.{year}`), set by the 安委办.

use super::*;
use crate::AppError;
use crate::letters::{
    IndicatorInput, IndicatorList, IndicatorSet, IndicatorStatus, check_indicators,
};
use anjian_domain::Scope;
use anjian_domain::letter::Indicator;

/// The settings key of a county's targets for a year.
pub fn control_targets_key(county: &str, year: i64) -> String {
    format!("accident_control_targets.{county}.{year}")
}

/// The targets as set (for the form and the API).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[schema(as = AccidentControlTargetsInput)]
#[serde(deny_unknown_fields)]
pub struct ControlTargetsInput {
    /// 控制指标（每项须选择统计指标、比较方式和目标值；空列表为清除）
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// A year's targets with each one's current value and standing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = AccidentControlTargets)]
pub struct ControlTargetsView {
    pub year: i64,
    /// The days the values cover: the year, or its days up to today.
    pub period_name: String,
    pub year_over: bool,
    pub indicators: Vec<IndicatorStatus>,
    pub met: usize,
    pub at_risk: usize,
    pub missed: usize,
    /// Every target met (and at least one set): "完成年度控制指标".
    pub all_met: bool,
}

fn year_of(year: i64) -> Result<i64> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(ValidationErrors::single("year", "年度应为2000～2100之间的年份").into())
    }
}

impl App {
    /// The county's targets for `year` as stored (none set: empty).
    fn control_targets_stored(&self, county: &str, year: i64) -> Result<Vec<Indicator>> {
        Ok(self
            .store
            .setting(&control_targets_key(county, year))?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// The targets as the form shows them.
    pub fn accident_control_target_inputs(
        &self,
        caller: &Caller,
        year: i64,
    ) -> Result<Vec<IndicatorInput>> {
        caller.require(Permission::ViewCountyWork)?;
        let county = crate::leaders::county_of(caller)?;
        Ok(self
            .control_targets_stored(&county, year_of(year)?)?
            .into_iter()
            .map(|i| IndicatorInput {
                text: i.text,
                metric: i.metric,
                comparator: i.comparator.map(|c| c.as_str().to_string()),
                target: i.target,
                per_metric: i.per_metric,
            })
            .collect())
    }

    /// The caller's county's targets for `year`, tracked over the whole county.
    pub fn accident_control_targets(
        &self,
        caller: &Caller,
        year: i64,
    ) -> Result<ControlTargetsView> {
        caller.require(Permission::ViewCountyWork)?;
        let county = crate::leaders::county_of(caller)?;
        let year = year_of(year)?;
        let indicators = self.control_targets_stored(&county, year)?;
        let mut tracked = self.track_sets(&[IndicatorSet {
            county_code: &county,
            year,
            filter: Default::default(),
            indicators: &indicators,
        }])?;
        let t = tracked.pop().ok_or(AppError::NotFound)?;
        Ok(ControlTargetsView {
            year,
            all_met: !t.indicators.is_empty() && t.met == t.indicators.len(),
            period_name: t.period_name,
            year_over: t.year_over,
            met: t.met,
            at_risk: t.at_risk,
            missed: t.missed,
            indicators: t.indicators,
        })
    }

    /// Whether the caller may set the county's targets (the 安委办).
    pub fn may_set_control_targets(caller: &Caller) -> bool {
        caller.can(Permission::ConfigureCounty)
    }

    /// Sets the county's targets for `year` (replacing them); every target needs a metric,
    /// a comparator and a value. Audited as a settings change.
    pub fn set_accident_control_targets(
        &self,
        caller: &Caller,
        year: i64,
        input: &ControlTargetsInput,
    ) -> Result<ControlTargetsView> {
        if !Self::may_set_control_targets(caller) {
            return Err(caller.refuse("设定事故控制指标"));
        }
        let county = crate::leaders::county_of(caller)?;
        let year = year_of(year)?;
        let cat = self.metric_catalogue()?;
        let mut e = ValidationErrors::new();
        let list = check_indicators(
            &input.indicators,
            &cat,
            &IndicatorList {
                required: false,
                noun: "控制指标",
                whole: "一年的控制指标",
            },
            &mut e,
        );
        for (k, i) in input.indicators.iter().enumerate() {
            let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
            if !i.text.trim().is_empty() && blank(&i.metric) {
                e.add(
                    &format!("indicators[{k}].metric"),
                    format!("第{}项指标：控制指标须选择统计指标", k + 1),
                );
            }
        }
        e.into_result()?;
        let text = serde_json::to_string(&list).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store.set_setting(
            &caller.change(&Scope::system(), self),
            &control_targets_key(&county, year),
            &text,
        )?;
        self.accident_control_targets(caller, year)
    }
}
