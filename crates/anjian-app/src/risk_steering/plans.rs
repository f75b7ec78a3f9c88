//! The enforcement plan steered by risk: the proposal of key enterprises and monthly numbers
//! from the grades and frequencies, and the enterprises behind their frequency.

use super::*;
use anjian_domain::Scope;
use anjian_domain::risk_steering::Candidate;

/// What "按风险等级生成建议" fills into a plan form: the key enterprises (重大 and 较大 in the
/// department's sectors) and the lines (per sector, category and month).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskSteeringPlanProposal {
    pub department_id: i64,
    pub key_enterprise_ids: Vec<i64>,
    pub lines: Vec<crate::plans::PlanLine>,
    /// The graded enterprises the proposal counted.
    pub enterprises: Vec<EnterpriseRiskGrade>,
}

impl App {
    fn risk_steering_department_sectors(&self, department_id: i64) -> Result<Vec<String>> {
        let dep = self
            .store
            .get_department(&Scope::system(), department_id, self.clock.today())
            .map_err(|_| ValidationErrors::single("department_id", "部门不存在"))?;
        Ok(dep.sectors.into_iter().map(|s| s.sector_code).collect())
    }

    /// The proposal for a department's plan (the caller's own department by default).
    pub fn risk_steering_plan_proposal(
        &self,
        caller: &Caller,
        department_id: Option<i64>,
    ) -> Result<RiskSteeringPlanProposal> {
        if !caller.can(Permission::DecideAsAgency) {
            return Err(AppError::Forbidden(
                "仅管理员和负有监管职责的部门可以编制执法计划".into(),
            ));
        }
        let department_id = department_id
            .or(caller.user.department_id)
            .ok_or_else(|| ValidationErrors::single("department_id", "请选择编制计划的部门"))?;
        if caller
            .bound_department()
            .is_some_and(|own| own != department_id)
        {
            return Err(AppError::Forbidden("只能编制本部门的执法计划".into()));
        }
        let sectors = self.risk_steering_department_sectors(department_id)?;
        let settings = self.risk_steering_settings(caller)?.settings;
        let graded: Vec<EnterpriseRiskGrade> = self
            .enterprise_risk_grade_all(
                caller,
                &EnterpriseRiskGradeFilter {
                    sectors: Some(sectors.clone()),
                    inspections_by_department: Some(department_id),
                    ..Default::default()
                },
            )?
            .into_iter()
            .filter(|g| g.effective.is_some())
            .collect();
        // Each enterprise counts once, in the first of its sectors the department supervises.
        let candidates: Vec<Candidate> = graded
            .iter()
            .filter_map(|g| {
                let sector = g.sectors.iter().find(|s| sectors.contains(s))?;
                Some(Candidate {
                    enterprise_id: g.enterprise_id,
                    sector: sector.clone(),
                    grade: g.effective?,
                })
            })
            .collect();
        let p = rules::propose(&candidates, &settings);
        Ok(RiskSteeringPlanProposal {
            department_id,
            key_enterprise_ids: p.key_enterprise_ids,
            lines: p
                .lines
                .into_iter()
                .map(|l| crate::plans::PlanLine {
                    sector: l.sector,
                    category: l.category.as_str().to_string(),
                    month: l.month,
                    planned: l.planned,
                })
                .collect(),
            enterprises: graded,
        })
    }

    /// The graded enterprises of a plan's department's sectors that are behind their frequency
    /// today (counting that department's inspections), most overdue first (never inspected,
    /// then the oldest due date).
    pub fn risk_steering_plan_behind(
        &self,
        caller: &Caller,
        plan_id: i64,
    ) -> Result<Vec<EnterpriseRiskGrade>> {
        let plan = self.plan_progress(caller, plan_id)?.plan;
        let sectors = self.risk_steering_department_sectors(plan.department_id)?;
        let mut behind: Vec<EnterpriseRiskGrade> = self
            .enterprise_risk_grade_all(
                caller,
                &EnterpriseRiskGradeFilter {
                    sectors: Some(sectors),
                    inspections_by_department: Some(plan.department_id),
                    ..Default::default()
                },
            )?
            .into_iter()
            .filter(|g| g.behind)
            .collect();
        behind.sort_by(|a, b| {
            (a.next_due, std::cmp::Reverse(a.effective), a.enterprise_id).cmp(&(
                b.next_due,
                std::cmp::Reverse(b.effective),
                b.enterprise_id,
            ))
        });
        Ok(behind)
    }
}

impl App {
    /// The weights of a draw weighted by grade: the county's table and the effective grade of
    /// each graded pool member, as they stand now (recorded with the draw's inputs).
    pub(crate) fn risk_steering_draw_weights(
        &self,
        caller: &Caller,
        strata: &[anjian_domain::draw::Stratum],
    ) -> Result<anjian_domain::draw::DrawWeights> {
        let settings = self.risk_steering_settings(caller)?.settings;
        let members: std::collections::BTreeSet<i64> =
            strata.iter().flat_map(|s| s.pool.iter().copied()).collect();
        let grades = self
            .enterprise_risk_grade_all(caller, &EnterpriseRiskGradeFilter::default())?
            .into_iter()
            .filter(|g| members.contains(&g.enterprise_id))
            .filter_map(|g| Some((g.enterprise_id, g.effective?)))
            .collect();
        Ok(anjian_domain::draw::DrawWeights {
            table: settings.weights,
            ungraded: settings.ungraded_weight,
            grades,
        })
    }
}
