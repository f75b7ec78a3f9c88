//! Annual enforcement plans (年度监督检查计划): each department with supervision duty
//! plans inspections by sector, enterprise category and month, names the key enterprises to
//! cover fully and the share to draw at random; the government's approval is recorded; and
//! progress is measured per month from the inspections actually recorded.

use crate::{App, AppError, Caller, Result};
use anjian_domain::plan::{PlanAction, PlanCategory, PlanFacts, PlanFlow};
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::transition;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::plans::Plan;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = PlanLineInput)]
#[serde(deny_unknown_fields)]
pub struct PlanLine {
    pub sector: String,
    /// "key" (重点检查) or "general" (一般检查, by 双随机).
    pub category: String,
    pub month: u32,
    pub planned: u32,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    #[serde(default)]
    pub department_id: Option<i64>,
    pub year: i64,
    pub title: String,
    pub lines: Vec<PlanLine>,
    #[serde(default)]
    pub key_enterprise_ids: Vec<i64>,
    pub random_share_percent: i64,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A new version of an existing draft (its department and year stay).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRevision {
    pub title: String,
    pub lines: Vec<PlanLine>,
    #[serde(default)]
    pub key_enterprise_ids: Vec<i64>,
    pub random_share_percent: i64,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct MonthProgress {
    pub month: u32,
    pub planned: u32,
    pub done: i64,
    pub random_done: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanProgress {
    #[serde(flatten)]
    pub plan: Plan,
    pub months: Vec<MonthProgress>,
    pub planned_total: u32,
    pub done_total: i64,
    /// Share of inspections done by 双随机, in percent (one decimal).
    pub random_share_actual: f64,
    pub key_total: usize,
    pub key_covered: usize,
    pub key_uncovered: Vec<i64>,
    pub status_label: &'static str,
    /// The steps the caller may take now (`revise`, `approve`), as the use cases accept them.
    pub allowed_actions: Vec<&'static str>,
}

/// A plan belongs to the department, not to one of its sectors: sector limits do not apply.
fn plan_scope(caller: &Caller) -> Scope {
    Scope {
        sectors: None,
        ..caller.scope.clone()
    }
}

fn facts(caller: &Caller, plan: &Plan) -> PlanFacts {
    PlanFacts {
        state: plan.status,
        actor_acts_for_department: caller.acts_for(Some(plan.department_id)),
    }
}

impl App {
    pub fn save_plan(&self, caller: &Caller, input: &PlanInput) -> Result<Plan> {
        if !caller.can(anjian_domain::scope::Permission::DecideAsAgency) {
            return Err(AppError::Forbidden(
                "仅管理员和负有监管职责的部门可以编制执法计划".into(),
            ));
        }
        let department_id = input
            .department_id
            .or(caller.user.department_id)
            .ok_or_else(|| ValidationErrors::single("department_id", "请选择编制计划的部门"))?;
        if caller
            .bound_department()
            .is_some_and(|own| own != department_id)
        {
            return Err(AppError::Forbidden("只能编制本部门的执法计划".into()));
        }
        let dep = self
            .store
            .get_department(&Scope::system(), department_id, self.clock.today())
            .map_err(|_| ValidationErrors::single("department_id", "部门不存在"))?;
        let mut e = ValidationErrors::new();
        if !dep.has_supervision_duty {
            e.add(
                "department_id",
                "该部门没有安全生产监管职责，无需编制执法计划",
            );
        }
        if !(2000..=2100).contains(&input.year) {
            e.add("year", "年度不正确");
        }
        if input.title.trim().is_empty() {
            e.add("title", "请填写计划名称");
        }
        if !(0..=100).contains(&input.random_share_percent) {
            e.add("random_share_percent", "随机抽查比例须在0至100之间");
        }
        let sectors: Vec<String> = dep.sectors.iter().map(|s| s.sector_code.clone()).collect();
        if input.lines.is_empty() {
            e.add("lines", "请按行业领域、企业类别和月份填写计划检查数");
        }
        let names = self.store.list_sectors()?;
        for (k, l) in input.lines.iter().enumerate() {
            if !sectors.contains(&l.sector) {
                let name = names
                    .iter()
                    .find(|s| s.code == l.sector)
                    .map_or(l.sector.as_str(), |s| s.name.as_str());
                e.add(
                    &format!("lines[{k}].sector"),
                    format!("“{name}”不是{}负责的行业领域", dep.name),
                );
            }
            if PlanCategory::parse(&l.category).is_none() {
                e.add(
                    &format!("lines[{k}].category"),
                    "企业类别须为重点（key）或一般（general）",
                );
            }
            if !(1..=12).contains(&l.month) {
                e.add(&format!("lines[{k}].month"), "月份须为1至12");
            }
        }
        for id in &input.key_enterprise_ids {
            if self.store.get_enterprise(&caller.scope, *id).is_err() {
                e.add(
                    "key_enterprise_ids",
                    format!("企业 {id} 不存在或不在管辖范围内"),
                );
            }
        }
        e.into_result()?;
        let mut keys = input.key_enterprise_ids.clone();
        keys.sort_unstable();
        keys.dedup();
        let scope = plan_scope(caller);
        // A plan already made for the department and year is revised, which only a draft allows.
        if let Some(existing) = self
            .store
            .list_plans(&scope, Some(input.year))?
            .into_iter()
            .find(|p| p.department_id == department_id)
        {
            transition::<PlanFlow>(
                &facts(caller, &existing),
                PlanAction::Revise,
                &caller.actor_in_region(&existing.region_code),
            )?;
        }
        let pl = Plan {
            region_code: dep.region_code.clone(),
            department_id,
            year: input.year,
            title: input.title.trim().to_string(),
            lines: input
                .lines
                .iter()
                .filter_map(|l| {
                    Some(anjian_domain::plan::PlanLine {
                        sector: l.sector.clone(),
                        category: PlanCategory::parse(&l.category)?,
                        month: l.month,
                        planned: l.planned,
                    })
                })
                .collect(),
            key_enterprise_ids: keys,
            random_share_percent: input.random_share_percent,
            version: input.version.unwrap_or(1),
            ..Default::default()
        };
        Ok(self.store.save_plan(&caller.change(&scope, self), &pl)?)
    }

    /// Saves a new version of the draft `id`.
    pub fn revise_plan(&self, caller: &Caller, id: i64, r: &PlanRevision) -> Result<Plan> {
        let plan = self.store.get_plan(&plan_scope(caller), id)?;
        transition::<PlanFlow>(
            &facts(caller, &plan),
            PlanAction::Revise,
            &caller.actor_in_region(&plan.region_code),
        )?;
        self.save_plan(
            caller,
            &PlanInput {
                department_id: Some(plan.department_id),
                year: plan.year,
                title: r.title.clone(),
                lines: r.lines.clone(),
                key_enterprise_ids: r.key_enterprise_ids.clone(),
                random_share_percent: r.random_share_percent,
                version: Some(r.version),
            },
        )
    }

    /// Records the government's approval of a plan (admin, for the 安委办).
    pub fn approve_plan(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        by: &str,
        on: &str,
        doc_no: &str,
    ) -> Result<Plan> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let plan = self.store.get_plan(&plan_scope(caller), id)?;
        let mut e = ValidationErrors::new();
        if by.trim().is_empty() {
            e.add("approved_by", "请填写批准机关");
        }
        let day = match parse_date(on.trim()) {
            Ok(d) if d > self.clock.today() => {
                e.add("approved_on", "批准日期不能晚于今天");
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                e.add("approved_on", m);
                None
            }
        };
        e.into_result()?;
        transition::<PlanFlow>(
            &facts(caller, &plan),
            PlanAction::Approve,
            &caller.actor_in_region(&plan.region_code),
        )?;
        let Some(day) = day else {
            return Err(ValidationErrors::single("approved_on", "请填写批准日期").into());
        };
        Ok(self.store.approve_plan(
            &caller.change(&caller.scope, self),
            id,
            version,
            by.trim(),
            day,
            doc_no.trim(),
        )?)
    }

    pub fn plans(&self, caller: &Caller, year: Option<i64>) -> Result<Vec<Plan>> {
        let scope = plan_scope(caller);
        Ok(self.store.list_plans(&scope, year)?)
    }

    pub fn plan_progress(&self, caller: &Caller, id: i64) -> Result<PlanProgress> {
        let scope = plan_scope(caller);
        let plan = self.store.get_plan(&scope, id)?;
        let lines = &plan.lines;
        let keys = plan.key_enterprise_ids.clone();
        let (done, covered) = self.store.plan_progress(plan.department_id, plan.year)?;
        let months: Vec<MonthProgress> = (1..=12u32)
            .map(|m| MonthProgress {
                month: m,
                planned: lines
                    .iter()
                    .filter(|l| l.month == m)
                    .map(|l| l.planned)
                    .sum(),
                done: done
                    .iter()
                    .filter(|d| d.0 == i64::from(m))
                    .map(|d| d.3)
                    .sum(),
                random_done: done
                    .iter()
                    .filter(|d| d.0 == i64::from(m) && d.2)
                    .map(|d| d.3)
                    .sum(),
            })
            .collect();
        let done_total: i64 = months.iter().map(|m| m.done).sum();
        let random: i64 = months.iter().map(|m| m.random_done).sum();
        let key_uncovered: Vec<i64> = keys
            .iter()
            .copied()
            .filter(|k| !covered.contains(k))
            .collect();
        let allowed_actions = anjian_domain::workflow::offered::<PlanFlow>(
            &facts(caller, &plan),
            &caller.actor_in_region(&plan.region_code),
        )
        .into_iter()
        .map(PlanAction::as_str)
        .collect();
        Ok(PlanProgress {
            status_label: plan.status.label(),
            allowed_actions,
            planned_total: months.iter().map(|m| m.planned).sum(),
            random_share_actual: if done_total > 0 {
                (random as f64 * 1000.0 / done_total as f64).round() / 10.0
            } else {
                0.0
            },
            key_total: keys.len(),
            key_covered: keys.len() - key_uncovered.len(),
            key_uncovered,
            done_total,
            months,
            plan,
        })
    }
}
