//! The steps of a point after registration: (re-)assessment, submission, acceptance (the
//! point's grade becomes the assessment's), return with the reason, retirement.

use super::*;

/// An assessment of an existing point (a re-assessment names the reason): the point's
/// version and the assessment's own fields, flat (one object, so the published schema is
/// one object too rather than an `allOf` of two closed ones, which no client can satisfy).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RiskPointAssessInput)]
pub struct RiskAssessInput {
    pub version: i64,
    /// lec（作业条件危险性评价法）或 ls（风险矩阵法）
    pub method: String,
    /// L：LEC 取 10、6、3、1、0.5、0.2、0.1；LS 取 1～5
    #[serde(default)]
    pub l: Option<f64>,
    /// E（LEC）：10、6、3、2、1、0.5
    #[serde(default)]
    pub e: Option<f64>,
    /// C（LEC）：100、40、15、7、3、1
    #[serde(default)]
    pub c: Option<f64>,
    /// S（LS）：1～5
    #[serde(default)]
    pub s: Option<f64>,
    /// 重新评价的原因（必填）
    #[serde(default)]
    pub reason: String,
}

impl RiskAssessInput {
    /// The point's version and the assessment as the registration form types it.
    pub fn new(version: i64, a: RiskAssessmentInput) -> Self {
        RiskAssessInput {
            version,
            method: a.method,
            l: a.l,
            e: a.e,
            c: a.c,
            s: a.s,
            reason: a.reason,
        }
    }

    /// The assessment part.
    pub fn assessment(&self) -> RiskAssessmentInput {
        RiskAssessmentInput {
            method: self.method.clone(),
            l: self.l,
            e: self.e,
            c: self.c,
            s: self.s,
            reason: self.reason.clone(),
        }
    }
}

/// A review step: submit（提交审核）、accept（审核确认）、return（退回，须填原因）、
/// retire（注销，须填原因）.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RiskPointActionInput)]
pub struct RiskActionInput {
    /// submit、accept、return 或 retire
    pub action: String,
    pub version: i64,
    /// 退回或注销的原因；审核确认时的意见
    #[serde(default)]
    pub reason: String,
}

impl App {
    /// (Re-)assesses a point (its owner): the assessment is kept, the point waits to be
    /// submitted and keeps its accepted grade until the new one is accepted.
    pub fn assess_risk_point(
        &self,
        caller: &Caller,
        id: i64,
        input: &RiskAssessInput,
    ) -> Result<RiskPointDetail> {
        let before = self.store.get_risk_point(&caller.scope, id)?;
        Self::risk_step(caller, &before, RiskAction::Assess)?;
        let reassess = !self
            .store
            .risk_point_assessments(&caller.scope, id)?
            .is_empty();
        let a = self.check_risk_assessment(caller, &input.assessment(), reassess)??;
        let scope = caller.hazard_scope();
        self.store
            .assess_risk_point(&caller.change(&scope, self), id, input.version, &a)?;
        self.risk_point(caller, id)
    }

    /// Takes a review step (see [`RiskActionInput`]).
    pub fn risk_point_action(
        &self,
        caller: &Caller,
        id: i64,
        input: &RiskActionInput,
    ) -> Result<RiskPointDetail> {
        let action = match RiskAction::parse(input.action.trim()) {
            Some(
                a @ (RiskAction::Submit
                | RiskAction::Accept
                | RiskAction::Return
                | RiskAction::Retire),
            ) => a,
            _ => {
                return Err(ValidationErrors::single(
                    "action",
                    "操作应为 submit、accept、return 或 retire",
                )
                .into());
            }
        };
        let before = self.store.get_risk_point(&caller.scope, id)?;
        let next = Self::risk_step(caller, &before, action)?;
        let reason = input.reason.trim().to_string();
        let mut e = ValidationErrors::new();
        if matches!(action, RiskAction::Return | RiskAction::Retire) && reason.is_empty() {
            e.add(
                "reason",
                if action == RiskAction::Return {
                    "退回须填写原因"
                } else {
                    "注销须填写原因"
                },
            );
        }
        if reason.chars().count() > 300 {
            e.add("reason", "原因不能超过300个字");
        }
        e.into_result()?;
        let mut p = before.clone();
        p.version = input.version;
        p.state = next;
        let who = caller.user.display_name.as_str();
        let mark = match (action, before.pending_assessment_id) {
            (RiskAction::Submit, Some(a)) => {
                Some(Self::mark(a, AssessmentStatus::Submitted, None, ""))
            }
            (RiskAction::Accept, Some(a)) => {
                let grade = self
                    .store
                    .risk_point_assessments(&caller.scope, id)?
                    .into_iter()
                    .find(|x| x.id == a)
                    .map(|x| x.grade)
                    .ok_or(AppError::NotFound)?;
                p.grade = Some(grade);
                p.accepted_assessment_id = Some(a);
                p.pending_assessment_id = None;
                p.return_reason.clear();
                Some(Self::mark(
                    a,
                    AssessmentStatus::Accepted,
                    Some(who),
                    &reason,
                ))
            }
            (RiskAction::Return, Some(a)) => {
                p.return_reason = reason.clone();
                Some(Self::mark(
                    a,
                    AssessmentStatus::Returned,
                    Some(who),
                    &reason,
                ))
            }
            (RiskAction::Retire, _) => {
                p.retired_at = Some(anjian_store::ts(self.clock.now()));
                p.retire_reason = reason.clone();
                None
            }
            _ => None,
        };
        // A returned assessment is revised by a new one: the point waits for it again.
        if action == RiskAction::Return {
            p.pending_assessment_id = before.pending_assessment_id;
        }
        let scope = caller.hazard_scope();
        self.store.update_risk_point(
            &caller.change(&scope, self),
            &p,
            action.as_str(),
            mark.as_ref(),
        )?;
        self.risk_point(caller, id)
    }
}
