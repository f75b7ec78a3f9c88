//! Hazard use cases: registration, the closed loop of actions, lists and ledgers.

mod actions;
mod files;
mod import;
pub use import::HAZARD_IMPORT_COLUMNS;

use crate::{App, AppError, Caller, Result};
use anjian_domain::calendar::Basis;
use anjian_domain::hazard::{self, Action, Actor, Facts, Five, Level, Source, Status};
use anjian_domain::scope::Permission;
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{RegionCode, RegionLevel, Scope, ValidationErrors};
use anjian_store::enterprises::Page;
use anjian_store::hazards::{EventInput, Hazard, HazardEvent, HazardFields, HazardFilter};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A hazard as registered through the API or a form (product.md contract fields first).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HazardInput {
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    pub region_code: String,
    pub sector: String,
    pub level: String,
    pub source: String,
    pub description: String,
    pub found_on: String,
    /// The rectification deadline (`YYYY-MM-DD`); or give `deadline_days` and `deadline_basis`.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub deadline_basis: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub responsible_unit: Option<String>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds_planned: Option<i64>,
    #[serde(default)]
    pub emergency_plan: Option<String>,
    #[serde(default)]
    pub campaign: Option<String>,
}

/// An action on a hazard, with what that action needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub action: String,
    /// If given, the action applies only to this version (else 409).
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub deadline_basis: Option<String>,
    #[serde(default)]
    pub responsible_unit: Option<String>,
    #[serde(default)]
    pub responsible_person: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds_planned: Option<i64>,
    #[serde(default)]
    pub funds_spent: Option<i64>,
    #[serde(default)]
    pub emergency_plan: Option<String>,
}

/// Setting: working days after a rectification report within which the regulator re-inspects
/// (复查); 10 by default ([`hazard::REVIEW_WORKING_DAYS`], 安监总政法〔2016〕72号).
pub const REVIEW_WORKING_DAYS_SETTING: &str = "hazard_review_working_days";

/// A hazard with what the reader needs around it.
#[derive(Debug, Clone, Serialize)]
pub struct HazardView {
    #[serde(flatten)]
    pub hazard: Hazard,
    /// 逾期未整改: open past its deadline, not awaiting review after an in-time report.
    pub overdue: bool,
    /// Awaiting review (待复查): the last day for the 复查, counted in working days from the
    /// report (setting [`REVIEW_WORKING_DAYS_SETTING`]).
    pub review_due: Option<String>,
    /// 复查逾期: awaiting review past that day.
    pub review_overdue: bool,
    pub status_label: &'static str,
    pub level_label: &'static str,
    pub source_label: &'static str,
    pub allowed_actions: Vec<&'static str>,
}

const DEADLINE_RULE_ORDER: &str = "责令限期整改";

fn opt_text(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    max: usize,
) -> String {
    anjian_domain::validation::optional_text(e, field, label, v.as_deref(), max).unwrap_or_default()
}

fn money(e: &mut ValidationErrors, field: &str, v: Option<i64>) -> Option<i64> {
    match v {
        Some(n) if !(0..=10_000_000_000).contains(&n) => {
            e.add(field, "金额应为 0 到 100 亿元之间的整数（元）");
            None
        }
        other => other,
    }
}

/// Which of the 五落实 a hazard's fields record.
pub(crate) fn five_of(f: &HazardFields) -> Five {
    Five {
        responsible_unit: !f.responsible_unit.is_empty(),
        responsible_person: !f.responsible_person.is_empty(),
        measures: !f.measures.is_empty(),
        funds: f.funds_planned.is_some(),
        deadline: f.deadline.is_some(),
        emergency_plan: !f.emergency_plan.is_empty(),
    }
}

impl App {
    fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The filter with today's date from the clock, which decides what is overdue.
    fn as_of_today(&self, f: &HazardFilter) -> HazardFilter {
        HazardFilter {
            today: self.today(),
            ..f.clone()
        }
    }

    /// Working days for the 复查 after a rectification report (the county's setting, else
    /// 10: 安全生产执法程序规定, 安监总政法〔2016〕72号).
    pub fn review_working_days(&self) -> Result<u32> {
        Ok(self
            .store
            .setting(REVIEW_WORKING_DAYS_SETTING)?
            .and_then(|v| v.trim().parse().ok())
            .filter(|d| (1..=60).contains(d))
            .unwrap_or(hazard::REVIEW_WORKING_DAYS))
    }

    /// The last day of the review of a rectification reported on `reported_on`.
    pub(crate) fn review_due_of(&self, reported_on: NaiveDate, days: u32) -> Result<NaiveDate> {
        self.add_working_days(reported_on, days)
    }

    /// The latest report day whose review is overdue on `today` (its last day is before
    /// today): hazards awaiting review reported on or before it are 复查逾期.
    pub(crate) fn review_overdue_cutoff(&self, today: NaiveDate) -> Result<NaiveDate> {
        let days = self.review_working_days()?;
        let cal = self.calendar()?;
        let mut r = today - chrono::Duration::days(1);
        // Each step back moves the review's last day back; it is past `today` within a few
        // weeks whatever the holidays.
        for _ in 0..400 {
            match cal.add_working_days(r, days) {
                Some(due) if due < today => return Ok(r),
                _ => r -= chrono::Duration::days(1),
            }
        }
        Ok(r)
    }

    /// Resolves a deadline given as a date or as days on a basis, from `start`.
    fn resolve_deadline(
        &self,
        e: &mut ValidationErrors,
        start: NaiveDate,
        date: &Option<String>,
        days: Option<u32>,
        basis: &Option<String>,
        rule: &str,
    ) -> Result<Option<(NaiveDate, String, String)>> {
        if let Some(d) = date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let Some(d) = e.check("deadline", parse_date(d)) else {
                return Ok(None);
            };
            if d < start {
                e.add("deadline", "整改期限不能早于发现日期");
                return Ok(None);
            }
            return Ok(Some((d, "date".into(), rule.to_string())));
        }
        let Some(n) = days else { return Ok(None) };
        let Some(basis) = Basis::parse(basis.as_deref().unwrap_or("calendar_days")) else {
            e.add(
                "deadline_basis",
                "期限计算方式应为 calendar_days（日）或 working_days（工作日）",
            );
            return Ok(None);
        };
        match self.calendar()?.deadline(start, n, basis, rule) {
            Some(d) => Ok(Some((
                d.due,
                basis.as_str().into(),
                format!("{rule}：自{start}起{n}{}", basis.label()),
            ))),
            None => {
                e.add("deadline_days", "天数超出范围");
                Ok(None)
            }
        }
    }

    fn validate_hazard(&self, caller: &Caller, input: &HazardInput) -> Result<HazardFields> {
        let lk = self.hazard_lookups(false)?;
        self.validate_hazard_with(caller, input, &lk)
    }

    /// What validating a hazard looks up, loaded once (per registration, or per import
    /// for every row): sectors, campaigns and, for imports, every region code.
    pub(crate) fn hazard_lookups(&self, all_regions: bool) -> Result<HazardLookups> {
        Ok(HazardLookups {
            sectors: self.store.list_sectors()?,
            campaigns: self.store.list_campaigns(&Scope::system())?,
            regions: if all_regions {
                Some(self.store.all_region_codes()?.into_iter().collect())
            } else {
                None
            },
        })
    }

    fn validate_hazard_with(
        &self,
        caller: &Caller,
        input: &HazardInput,
        lk: &HazardLookups,
    ) -> Result<HazardFields> {
        let mut e = ValidationErrors::new();
        let region = e.check(
            "region_code",
            RegionCode::parse(&input.region_code).map_err(|m| format!("所在区划：{m}")),
        );
        if let Some(r) = &region {
            if r.level() < RegionLevel::Township {
                e.add("region_code", "所在区划应为乡镇（街道）或村（社区）、网格");
            } else if !match &lk.regions {
                Some(set) => set.contains(r.as_str()),
                None => self.store.region_exists(r.as_str())?,
            } {
                e.add("region_code", format!("区划 {r} 不存在"));
            }
        }
        let sector = input.sector.trim().to_string();
        if !lk.sectors.iter().any(|s| s.code == sector && s.active) {
            e.add("sector", format!("行业领域“{sector}”不存在"));
        }
        let level = Level::parse(input.level.trim());
        if level.is_none() {
            e.add("level", "隐患等级应为 general（一般）或 major（重大）");
        }
        let source = Source::parse(input.source.trim());
        if source.is_none() {
            e.add("source", "隐患来源应为 inspection、self_check、public_report、media、transfer、higher_assignment 或 lower_report");
        }
        let description =
            required_text(&mut e, "description", "隐患描述", &input.description, 2000);
        let found_on = e.check("found_on", parse_date(&input.found_on));
        if let Some(f) = found_on
            && f > self.today()
        {
            e.add("found_on", "发现日期不能晚于今天");
        }
        let deadline = match found_on {
            Some(start) => self.resolve_deadline(
                &mut e,
                start,
                &input.deadline,
                input.deadline_days,
                &input.deadline_basis,
                DEADLINE_RULE_ORDER,
            )?,
            None => None,
        };
        if let Some(eid) = input.enterprise_id {
            match self.store.get_enterprise(&Scope::system(), eid) {
                Ok(ent) => {
                    if let Some(r) = &region
                        && !r.contains(
                            &RegionCode::parse(&ent.region_code).map_err(AppError::Internal)?,
                        )
                        && r.as_str() != ent.region_code
                    {
                        e.add(
                            "region_code",
                            format!("与企业所在区划（{}）不一致", ent.region_name),
                        );
                    }
                }
                Err(_) => e.add("enterprise_id", "企业不存在"),
            }
        }
        if let Some(d) = input.department_id
            && self.store.get_department(&Scope::system(), d).is_err()
        {
            e.add("department_id", "部门不存在");
        }
        // Enterprises register their own self-check hazards only.
        if caller.can(Permission::RegisterOwnHazardsOnly) {
            if input.enterprise_id != caller.user.enterprise_id {
                e.add("enterprise_id", "企业用户只能登记本企业的隐患");
            }
            if source != Some(Source::SelfCheck) {
                e.add(
                    "source",
                    "企业用户登记的隐患来源应为 self_check（企业自查）",
                );
            }
        }
        let location = opt_text(&mut e, "location", "隐患部位", &input.location, 200);
        let responsible_unit = opt_text(
            &mut e,
            "responsible_unit",
            "整改责任单位",
            &input.responsible_unit,
            100,
        );
        let responsible_person = opt_text(
            &mut e,
            "responsible_person",
            "整改责任人",
            &input.responsible_person,
            30,
        );
        let measures = opt_text(&mut e, "measures", "整改措施", &input.measures, 2000);
        let emergency_plan = opt_text(
            &mut e,
            "emergency_plan",
            "应急预案",
            &input.emergency_plan,
            2000,
        );
        let funds_planned = money(&mut e, "funds_planned", input.funds_planned);
        let campaign = input
            .campaign
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(60).collect::<String>());
        crate::work::check_campaign_in(
            &mut e,
            &input.region_code,
            campaign.as_deref(),
            &lk.campaigns,
        );
        e.into_result()?;
        let (Some(region), Some(level), Some(source), Some(found_on)) =
            (region, level, source, found_on)
        else {
            return Err(ValidationErrors::single("_", "数据无效").into());
        };
        let (deadline, deadline_basis, deadline_rule) = match deadline {
            Some((d, b, r)) => (Some(d), Some(b), r),
            None => (None, None, String::new()),
        };
        Ok(HazardFields {
            region_code: region.as_str().to_string(),
            enterprise_id: input.enterprise_id,
            department_id: input.department_id.or(caller.user.department_id),
            sector,
            level,
            source,
            description,
            location,
            found_on,
            deadline,
            deadline_basis,
            deadline_rule,
            status: Status::Registered,
            responsible_unit,
            responsible_person,
            measures,
            funds_planned,
            funds_spent: None,
            emergency_plan,
            campaign,
            closed_on: None,
        })
    }

    fn require_hazard_writer(&self, caller: &Caller) -> Result<Scope> {
        let s = caller.hazard_scope();
        if s.writable {
            Ok(s)
        } else {
            Err(AppError::Forbidden("您的角色无权登记或处理隐患".into()))
        }
    }

    pub fn create_hazard(&self, caller: &Caller, input: &HazardInput) -> Result<HazardView> {
        let scope = self.require_hazard_writer(caller)?;
        let f = self.validate_hazard(caller, input)?;
        if !scope.admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id) {
            return Err(AppError::Forbidden(
                "该隐患的区划、行业领域或企业不在您的管辖范围内".into(),
            ));
        }
        let ev = EventInput {
            action: "create".into(),
            note: String::new(),
            data: None,
        };
        let h = self
            .store
            .create_hazard(&caller.change(&scope, self), &f, &ev)?;
        self.view(caller, h)
    }
}

/// Lookups for validating hazards (see [`App::hazard_lookups`]).
pub(crate) struct HazardLookups {
    sectors: Vec<anjian_store::sectors::Sector>,
    campaigns: Vec<anjian_store::work::Campaign>,
    regions: Option<std::collections::HashSet<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_in_place_needs_all_five() {
        let mut f = HazardFields {
            region_code: String::new(),
            enterprise_id: None,
            department_id: None,
            sector: String::new(),
            level: anjian_domain::hazard::Level::parse("major").unwrap(),
            source: anjian_domain::hazard::Source::parse("inspection").unwrap(),
            description: String::new(),
            location: String::new(),
            found_on: NaiveDate::from_ymd_opt(2022, 6, 1).unwrap(),
            deadline: NaiveDate::from_ymd_opt(2022, 7, 1),
            deadline_basis: None,
            deadline_rule: String::new(),
            status: anjian_domain::hazard::Status::parse("ordered").unwrap(),
            responsible_unit: "某公司".into(),
            responsible_person: "张三".into(),
            measures: "更换".into(),
            funds_planned: Some(0),
            funds_spent: None,
            emergency_plan: "预案".into(),
            campaign: None,
            closed_on: None,
        };
        assert!(five_of(&f).in_place());
        f.emergency_plan.clear();
        assert!(!five_of(&f).in_place());
    }
}
