//! Risk steers supervision: the enterprise's grade (from its risk points by the county's rule,
//! or the regulator's override with its history), the county's settings per grade (inspection
//! frequency, 双随机 weights), the enforcement plan's proposal and the enterprises behind their
//! frequency, and the 四色图 (`picture`). The rules are `anjian_domain::risk_steering`.
//!
//! Reading grades needs [`Permission::ViewEnterprises`] and the enterprise in scope; an
//! override needs [`Permission::DecideAsAgency`] (the 安委办, or a department for the
//! enterprises of its sectors); the settings need [`Permission::ConfigureCounty`].

mod ledger;
mod picture;
mod plans;
pub use ledger::GRADE_LEDGER_COLUMNS;
pub use picture::{Tile, enterprise_svg, township_svg};
pub use plans::RiskSteeringPlanProposal;

use crate::{App, AppError, Caller, Keyset, Page, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::risk_grade::Grade;
use anjian_domain::risk_steering::{self as rules, GradeCounts, GradeRule, GradeSource, Settings};
use anjian_domain::scope::Permission;
use anjian_store::risk_steering::{
    EnterpriseRiskGradeChange, EnterpriseRiskGradeFilter, EnterpriseRiskGradeHistory,
    EnterpriseRiskGradeRow,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An enterprise's grade: effective, from its points, registered, overridden; and its
/// inspection frequency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EnterpriseRiskGrade {
    pub enterprise_id: i64,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    /// The grade supervision follows: the override, else from the points, else registered.
    pub effective: Option<Grade>,
    pub source: Option<GradeSource>,
    /// From the points by the county's rule.
    pub derived: Option<Grade>,
    /// Non-retired points per grade.
    pub counts: GradeCounts,
    /// The grade registered in the enterprise library.
    pub registered: Option<Grade>,
    pub override_grade: Option<Grade>,
    pub override_reason: Option<String>,
    pub override_by: Option<String>,
    pub override_at: Option<String>,
    /// The override's version, to send back when changing or clearing it (absent: none).
    pub override_version: Option<i64>,
    pub sectors: Vec<String>,
    pub last_inspected_on: Option<NaiveDate>,
    /// Months between inspections for the effective grade.
    pub frequency_months: Option<u32>,
    /// The next inspection is due by (absent: never inspected, or no grade).
    pub next_due: Option<NaiveDate>,
    /// Behind its frequency today (never inspected, or the last one older than the period).
    pub behind: bool,
}

/// An enterprise's grade with its history and whether the caller may override it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseRiskGradeDetail {
    pub grade: EnterpriseRiskGrade,
    pub history: Vec<EnterpriseRiskGradeHistory>,
    /// Who made each history entry, as pages name a person: 姓名（单位）(in the order of
    /// `history`).
    pub history_actors: Vec<String>,
    /// Who set the override in force, as a person (姓名（单位）).
    pub override_person: Option<String>,
    pub may_override: bool,
}

/// Set (a grade) or clear (no grade) the regulator's override.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseRiskGradeOverrideInput {
    /// major（重大）| large（较大）| general（一般）| low（低）; empty or absent clears the
    /// override.
    #[serde(default)]
    pub grade: Option<String>,
    pub reason: String,
    /// The override's version as read (absent when there is none).
    #[serde(default)]
    pub version: Option<i64>,
}

/// The county's settings as typed (numbers checked here so that each bad one is named).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskSteeringSettingsInput {
    /// highest（按最高风险点等级）| escalated（同级风险点达到规定数量的上调一级）
    pub rule: String,
    pub escalate_at: i64,
    pub frequency_months: RiskSteeringPerGradeInput,
    pub weights: RiskSteeringPerGradeInput,
    pub ungraded_weight: i64,
    /// The settings' version as read (absent while the defaults apply).
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskSteeringPerGradeInput {
    pub major: i64,
    pub large: i64,
    pub general: i64,
    pub low: i64,
}

/// The county's settings and their version (absent: the defaults, never saved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RiskSteeringSettingsView {
    pub settings: Settings,
    pub version: Option<i64>,
}

/// Which enterprises' grades to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnterpriseRiskGradeQuery {
    pub region_prefix: Option<String>,
    pub grade: Option<Grade>,
    pub behind_only: bool,
}

fn number(e: &mut ValidationErrors, field: &str, v: i64, what: &str) -> u32 {
    match u32::try_from(v) {
        Ok(n) => n,
        Err(_) => {
            e.add(field, format!("{what}须为正整数"));
            0
        }
    }
}

impl RiskSteeringSettingsInput {
    /// The settings, or every bad field named.
    pub fn settings(&self) -> std::result::Result<Settings, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let rule = GradeRule::from_words(&self.rule).unwrap_or_else(|| {
            e.add("rule", "请选择企业风险等级的确定规则");
            GradeRule::Highest
        });
        let mut per = |name: &str, p: &RiskSteeringPerGradeInput, what: &str| rules::PerGrade {
            major: number(&mut e, &format!("{name}.major"), p.major, what),
            large: number(&mut e, &format!("{name}.large"), p.large, what),
            general: number(&mut e, &format!("{name}.general"), p.general, what),
            low: number(&mut e, &format!("{name}.low"), p.low, what),
        };
        let frequency_months = per("frequency_months", &self.frequency_months, "检查周期（月）");
        let weights = per("weights", &self.weights, "抽取权重");
        let s = Settings {
            rule,
            escalate_at: number(
                &mut e,
                "escalate_at",
                self.escalate_at,
                "上调一级所需的风险点数",
            ),
            frequency_months,
            weights,
            ungraded_weight: number(
                &mut e,
                "ungraded_weight",
                self.ungraded_weight,
                "未定级企业的抽取权重",
            ),
        };
        if let Err(more) = s.validate() {
            for (f, msgs) in more.fields {
                if !e.fields.contains_key(&f) {
                    for m in msgs {
                        e.add(&f, m);
                    }
                }
            }
        }
        e.into_result().map(|_| s)
    }
}

impl From<&Settings> for RiskSteeringSettingsInput {
    fn from(s: &Settings) -> Self {
        let per = |p: &rules::PerGrade| RiskSteeringPerGradeInput {
            major: p.major.into(),
            large: p.large.into(),
            general: p.general.into(),
            low: p.low.into(),
        };
        RiskSteeringSettingsInput {
            rule: s.rule.as_str().into(),
            escalate_at: s.escalate_at.into(),
            frequency_months: per(&s.frequency_months),
            weights: per(&s.weights),
            ungraded_weight: s.ungraded_weight.into(),
            version: None,
        }
    }
}

/// The grade as the rules read it from one row, on `today`.
pub(crate) fn grade_of(
    r: EnterpriseRiskGradeRow,
    s: &Settings,
    today: NaiveDate,
) -> EnterpriseRiskGrade {
    let derived = rules::derive(&r.counts, s.rule, s.escalate_at);
    let registered = r
        .registered
        .as_deref()
        .and_then(rules::grade_of_colour_code);
    let eff = rules::effective(r.override_grade, derived, registered);
    let frequency_months = eff.map(|(g, _)| s.frequency_months.get(g));
    EnterpriseRiskGrade {
        enterprise_id: r.enterprise_id,
        name: r.name,
        region_code: r.region_code,
        region_name: r.region_name,
        effective: eff.map(|x| x.0),
        source: eff.map(|x| x.1),
        derived,
        counts: r.counts,
        registered,
        override_grade: r.override_grade,
        override_reason: r.override_reason,
        override_by: r.override_by,
        override_at: r.override_at,
        override_version: r.override_version,
        sectors: r.sectors,
        last_inspected_on: r.last_inspected_on,
        frequency_months,
        next_due: frequency_months.and_then(|m| rules::next_due(r.last_inspected_on, m)),
        behind: frequency_months.is_some_and(|m| rules::is_behind(r.last_inspected_on, m, today)),
    }
}

impl App {
    fn risk_steering_county(&self, caller: &Caller) -> Result<String> {
        let root = self
            .root_region()?
            .map(|r| r.as_str().to_string())
            .unwrap_or_else(|| caller.user.region_code.clone());
        Ok(anjian_domain::RegionCode::parse(&root)
            .ok()
            .and_then(|c| c.county())
            .map(|c| c.as_str().to_string())
            .unwrap_or(root))
    }

    /// The county's risk steering settings (the defaults until saved).
    pub fn risk_steering_settings(&self, caller: &Caller) -> Result<RiskSteeringSettingsView> {
        let county = self.risk_steering_county(caller)?;
        Ok(match self.store.risk_steering_settings(&county)? {
            Some((settings, v)) => RiskSteeringSettingsView {
                settings,
                version: Some(v),
            },
            None => RiskSteeringSettingsView {
                settings: Settings::default(),
                version: None,
            },
        })
    }

    /// Saves the county's settings (安委办 / administrator), validated field by field.
    pub fn risk_steering_save_settings(
        &self,
        caller: &Caller,
        input: &RiskSteeringSettingsInput,
    ) -> Result<RiskSteeringSettingsView> {
        if !caller.can(Permission::ConfigureCounty) {
            return Err(AppError::Forbidden(
                "仅管理员和安委办可以设置风险分级监管参数".into(),
            ));
        }
        let settings = input.settings()?;
        let county = self.risk_steering_county(caller)?;
        let v = self.store.set_risk_steering_settings(
            &caller.change(&caller.scope, self),
            &county,
            &settings,
            input.version,
        )?;
        Ok(RiskSteeringSettingsView {
            settings,
            version: Some(v),
        })
    }

    /// The grades of the enterprises in scope (with the store filter), by the county's rule.
    pub(crate) fn enterprise_risk_grade_all(
        &self,
        caller: &Caller,
        f: &EnterpriseRiskGradeFilter,
    ) -> Result<Vec<EnterpriseRiskGrade>> {
        if !caller.can(Permission::ViewEnterprises) {
            return Err(AppError::Forbidden("无权查看企业风险等级".into()));
        }
        let s = self.risk_steering_settings(caller)?.settings;
        let today = self.clock.today();
        Ok(self
            .store
            .enterprise_risk_grade_rows(&caller.scope, f)?
            .into_iter()
            .map(|r| grade_of(r, &s, today))
            .collect())
    }

    /// Every enterprise's grade in scope matching the query, highest id first (for ledgers
    /// and pictures).
    pub fn enterprise_risk_grades(
        &self,
        caller: &Caller,
        q: &EnterpriseRiskGradeQuery,
    ) -> Result<Vec<EnterpriseRiskGrade>> {
        let mut all = self.enterprise_risk_grade_all(
            caller,
            &EnterpriseRiskGradeFilter {
                region_prefix: q.region_prefix.clone(),
                ..Default::default()
            },
        )?;
        all.retain(|g| {
            q.grade.is_none_or(|x| g.effective == Some(x)) && (!q.behind_only || g.behind)
        });
        all.reverse();
        Ok(all)
    }

    /// One page of [`App::enterprise_risk_grades`] (newest enterprise first).
    pub fn enterprise_risk_grades_page(
        &self,
        caller: &Caller,
        q: &EnterpriseRiskGradeQuery,
        k: &Keyset,
    ) -> Result<Page<EnterpriseRiskGrade>> {
        let all = self.enterprise_risk_grades(caller, q)?;
        let limit = usize::try_from(k.limit.clamp(1, Keyset::MAX)).unwrap_or(1);
        let mut items: Vec<EnterpriseRiskGrade> = all
            .into_iter()
            .filter(|g| k.after.is_none_or(|a| g.enterprise_id < a))
            .take(limit + 1)
            .collect();
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|g| g.enterprise_id.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// One enterprise's grade, history and whether the caller may override it.
    pub fn enterprise_risk_grade(
        &self,
        caller: &Caller,
        enterprise_id: i64,
    ) -> Result<EnterpriseRiskGradeDetail> {
        let grade = self
            .enterprise_risk_grade_all(
                caller,
                &EnterpriseRiskGradeFilter {
                    enterprise_id: Some(enterprise_id),
                    ..Default::default()
                },
            )?
            .pop()
            .ok_or(AppError::NotFound)?;
        let history = self
            .store
            .enterprise_risk_grade_history(&caller.scope, enterprise_id)?;
        let people = self.person_labels()?;
        Ok(EnterpriseRiskGradeDetail {
            may_override: Self::enterprise_risk_grade_may_override(caller),
            history_actors: history
                .iter()
                .map(|h| Self::person_of(&people, &h.actor_name))
                .collect(),
            override_person: grade
                .override_by
                .as_deref()
                .map(|u| Self::person_of(&people, u)),
            grade,
            history,
        })
    }

    /// Whether the caller may set or clear an override (on an enterprise in its scope).
    pub fn enterprise_risk_grade_may_override(caller: &Caller) -> bool {
        caller.can(Permission::DecideAsAgency) && caller.scope.writable
    }

    /// Sets (`grade`) or clears (no grade) the regulator's override, with the reason.
    pub fn enterprise_risk_grade_override(
        &self,
        caller: &Caller,
        enterprise_id: i64,
        input: &EnterpriseRiskGradeOverrideInput,
    ) -> Result<EnterpriseRiskGradeDetail> {
        let before = self.enterprise_risk_grade(caller, enterprise_id)?;
        if !before.may_override {
            return Err(AppError::Forbidden(
                "仅管理员和负有监管职责的部门可以认定企业风险等级".into(),
            ));
        }
        let mut e = ValidationErrors::new();
        let grade = match input
            .grade
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            None => None,
            Some(g) => match Grade::from_words(g) {
                Some(g) => Some(g),
                None => {
                    e.add("grade", "风险等级应为重大、较大、一般或低");
                    None
                }
            },
        };
        let reason = input.reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            e.add("reason", "请填写认定或取消的理由（500字以内）");
        }
        if grade.is_none()
            && input
                .grade
                .as_deref()
                .map(str::trim)
                .unwrap_or("")
                .is_empty()
            && before.grade.override_grade.is_none()
        {
            e.add("grade", "该企业没有人工认定的风险等级，无需取消");
        }
        e.into_result()?;
        let g = &before.grade;
        let to = grade.or(g.derived).or(g.registered);
        self.store.set_enterprise_risk_grade(
            &caller.change(&caller.scope, self),
            &EnterpriseRiskGradeChange {
                enterprise_id,
                grade,
                reason: reason.to_string(),
                from_grade: g.effective,
                to_grade: to,
                version: input.version,
            },
        )?;
        self.enterprise_risk_grade(caller, enterprise_id)
    }
}
