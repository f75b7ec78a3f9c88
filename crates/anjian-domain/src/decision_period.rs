//! The decision period of a general-procedure penalty case: the agency's rule, in force from a
//! date, with its extensions by level.
//!
//! 行政处罚法 (2021) art. 60 gives 90 days from 立案 "unless laws, regulations or rules provide
//! otherwise". For work-safety cases the rule in force until 2026-01-31 was 原国家安全监管总局令
//! 第15号 (安全生产违法行为行政处罚办法, as amended by 令第77号, 2015): a decision within 30 days
//! of 立案; with the agency head's approval up to 90 days in total, and with the superior
//! department's approval up to 180. 应急管理部令第18号 (a new 安全生产违法行为行政处罚办法,
//! published 2025-11-27) replaces it from 2026-02-01; its text on the decision period could not
//! be confirmed here, so the shipped rule for it is the statutory 90 days with an extension by
//! the agency head to 180 days in total. Every rule is data (`Rule`), shipped in
//! [`SHIPPED_RULES`] and replaceable by the county (the setting `decision_period_rules`).

use crate::cases::pause::PauseKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which family of agencies a rule is for.
pub const WORK_SAFETY: &str = "work_safety";
/// Every other agency: the statutory default.
pub const DEFAULT: &str = "default";

/// One decision-period rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// [`WORK_SAFETY`] or [`DEFAULT`].
    pub family: String,
    /// In force for cases registered (立案) on or after this day.
    pub effective_from: NaiveDate,
    /// The text followed, cited on the case page.
    pub source: String,
    pub base_days: u32,
    /// The total period with the agency head's approval (`base_days` when none is allowed).
    pub head_cap_days: u32,
    /// The total period with the superior department's approval.
    pub superior_cap_days: u32,
    /// Periods that do not count towards the decision period (the rule's 期间不计入 clause).
    #[serde(default)]
    pub not_counted: Vec<PauseKind>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The rules anjian ships.
pub fn shipped_rules() -> Vec<Rule> {
    vec![
        Rule {
            family: DEFAULT.into(),
            effective_from: day(2021, 7, 15),
            source: "《行政处罚法》第六十条：自立案之日起九十日内".into(),
            base_days: 90,
            head_cap_days: 180,
            superior_cap_days: 180,
            // Art. 60 names no period that does not count.
            not_counted: Vec::new(),
        },
        Rule {
            family: WORK_SAFETY.into(),
            effective_from: day(2015, 5, 1),
            source: "原国家安全监管总局令第15号（第77号修正）：自立案之日起三十日内；经本部门负责人批准可延长至九十日，经上一级部门批准可延长至一百八十日".into(),
            base_days: 30,
            head_cap_days: 90,
            superior_cap_days: 180,
            // Unconfirmed here: the 听证、鉴定、检测 and 公告 periods are shipped as not counted,
            // as the work-safety enforcement rules are usually read; a setting.
            not_counted: SUSPENDING.to_vec(),
        },
        Rule {
            family: WORK_SAFETY.into(),
            effective_from: day(2026, 2, 1),
            source: "应急管理部令第18号（2026年2月1日起施行）；期限条文未经核实，按《行政处罚法》第六十条九十日，经本部门负责人批准可延长".into(),
            base_days: 90,
            head_cap_days: 180,
            superior_cap_days: 180,
            not_counted: SUSPENDING.to_vec(),
        },
    ]
}

/// The periods the shipped work-safety rules do not count (unconfirmed; see `shipped_rules`).
const SUSPENDING: [PauseKind; 3] = [
    PauseKind::Hearing,
    PauseKind::Appraisal,
    PauseKind::Announcement,
];

/// Who approved an extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 本部门负责人.
    Head,
    /// 上一级部门.
    Superior,
}

impl Level {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "head" => Some(Level::Head),
            "superior" => Some(Level::Superior),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Level::Head => "本部门负责人",
            Level::Superior => "上一级部门",
        }
    }
}

/// The family a department follows when the county has not said: the 应急管理 department's
/// cases are work-safety cases, every other agency's follow the statutory default.
pub fn family_by_name(department_name: &str) -> &'static str {
    if department_name.contains("应急管理") {
        WORK_SAFETY
    } else {
        DEFAULT
    }
}

/// The rule of `family` in force for a case registered on `registered`: the latest that took
/// effect on or before that day (a family without one falls back to [`DEFAULT`]).
pub fn rule_for<'a>(rules: &'a [Rule], family: &str, registered: NaiveDate) -> Option<&'a Rule> {
    let pick = |f: &str| {
        rules
            .iter()
            .filter(|r| r.family == f && r.effective_from <= registered)
            .max_by_key(|r| r.effective_from)
    };
    pick(family).or_else(|| pick(DEFAULT))
}

impl Rule {
    /// The cap an approval at `level` may extend the period to.
    pub fn cap(&self, level: Level) -> u32 {
        match level {
            Level::Head => self.head_cap_days,
            Level::Superior => self.superior_cap_days.max(self.head_cap_days),
        }
    }

    /// Whether `more` days on top of `already` extended days stay within the cap of `level`.
    pub fn may_extend(&self, already: u32, more: u32, level: Level) -> bool {
        more >= 1 && self.base_days + already + more <= self.cap(level)
    }

    /// A rule set is usable when each rule's numbers are in order.
    pub fn check(&self) -> Result<(), String> {
        if ![WORK_SAFETY, DEFAULT].contains(&self.family.as_str()) {
            return Err(format!("适用机关类别“{}”不正确", self.family));
        }
        if self.base_days == 0 || self.base_days > 3650 {
            return Err("办案期限天数不正确".into());
        }
        if self.head_cap_days < self.base_days || self.superior_cap_days < self.head_cap_days {
            return Err(
                "延长上限须不小于基本期限，上一级批准的上限须不小于本部门负责人批准的上限".into(),
            );
        }
        if self.source.trim().is_empty() {
            return Err("请填写依据".into());
        }
        if let Some(k) = self.not_counted.iter().find(|k| !k.before_decision()) {
            return Err(format!(
                "“{}”发生在作出决定之后，不能列为办案期限不计入的期间",
                k.label()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zongju_ling_15_thirty_days_then_ninety_by_the_head_and_180_by_the_superior() {
        let rules = shipped_rules();
        let r = rule_for(&rules, WORK_SAFETY, day(2022, 6, 1)).map(|r| r.base_days);
        assert_eq!(r, Some(30));
        let r = rule_for(&rules, WORK_SAFETY, day(2022, 6, 1))
            .cloned()
            .unwrap_or_else(|| rules[0].clone());
        assert!(r.may_extend(0, 60, Level::Head));
        assert!(
            !r.may_extend(0, 61, Level::Head),
            "the head's cap is 90 days in total"
        );
        assert!(r.may_extend(60, 90, Level::Superior));
        assert!(!r.may_extend(60, 91, Level::Superior), "180 days in total");
        assert!(!r.may_extend(0, 0, Level::Head));
    }

    #[test]
    fn yingji_ling_18_from_2026_02_01_and_xingzheng_chufa_fa_art_60_for_other_agencies() {
        let rules = shipped_rules();
        let on = |y, m, d| rule_for(&rules, WORK_SAFETY, day(y, m, d)).map(|r| r.base_days);
        assert_eq!(on(2026, 1, 31), Some(30), "registered before: the old rule");
        assert_eq!(on(2026, 2, 1), Some(90));
        let other = rule_for(&rules, DEFAULT, day(2022, 6, 1)).map(|r| r.base_days);
        assert_eq!(other, Some(90));
        // An unknown family falls back to the statutory default.
        let x = rule_for(&rules, "transport", day(2022, 6, 1)).map(|r| r.base_days);
        assert_eq!(x, Some(90));
        assert!(rules.iter().all(|r| r.check().is_ok()));
        let mut bad = rules[1].clone();
        bad.head_cap_days = 20;
        assert!(bad.check().is_err());
    }
}
