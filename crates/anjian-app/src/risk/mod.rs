//! Risk points (风险点) of 风险分级管控: the enterprise registers and (re-)assesses its own
//! points by LEC or LS and submits them; the department supervising its sector (or the
//! 安委办) accepts, and the point's grade becomes the assessment's, or returns them with the
//! reason. A township does the same for its public sites, reviewed by the 安委办. The loop is
//! [`anjian_domain::risk::RiskFlow`]; the cut-offs are the county's (`risk_cutoffs`).

use crate::{App, AppError, Caller, Keyset, Page, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::accident_type::AccidentType;
use anjian_domain::risk::method::{score_text, tenths_text};
use anjian_domain::risk::{
    AssessmentStatus, Controls, Cutoffs, Inputs, Method, PointFields, PointText, RiskAction,
    RiskFacts, RiskFlow, RiskState, check_point, evaluate,
};
use anjian_domain::risk_grade::Grade;
use anjian_domain::workflow::{Actor, offered, transition};
use anjian_domain::{RegionCode, RegionLevel, Scope};
use anjian_store::risk::{
    AssessmentMark, NewAssessment, NewRiskPoint, RiskAssessment, RiskPoint, RiskPointFilter,
};
use serde::{Deserialize, Serialize};

mod flow;
mod ledger;
pub use flow::{RiskActionInput, RiskAssessInput};
pub use ledger::RISK_IMPORT;

/// The setting that holds the county's cut-offs (JSON of [`Cutoffs`]).
pub const CUTOFFS_SETTING: &str = "risk_cutoffs";

/// A point as typed (create and edit).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RiskPointInput)]
pub struct RiskPointInput {
    /// 企业（企业用户不填即本企业）；不填且填写 region_code 为乡镇的公共场所
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    /// 公共场所所在的乡镇（街道）或村（社区）区划代码（乡镇用户；不填为本乡镇）
    #[serde(default)]
    pub region_code: Option<String>,
    /// 风险点（部位/场所）
    pub place: String,
    /// 作业活动或设备设施
    #[serde(default)]
    pub activity: String,
    /// 危险有害因素
    pub hazard_factor: String,
    /// 可能导致的事故类型（GB 6441 代码或名称）
    #[serde(default)]
    pub accident_types: Vec<String>,
    /// 管控层级：company、workshop、team、post（或公司级、车间级、班组级、岗位级）
    pub control_level: String,
    pub responsible_name: String,
    pub responsible_phone: String,
    #[serde(default)]
    pub controls: Controls,
    /// 同时进行的首次风险评价
    #[serde(default)]
    pub assessment: Option<RiskAssessmentInput>,
    /// 修改时的版本号
    #[serde(default)]
    pub version: Option<i64>,
}

/// An assessment as typed: the method and its values (only the method's table values).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskAssessmentInput {
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
    /// 评价（重新评价）的原因；重新评价时必填
    #[serde(default)]
    pub reason: String,
}

/// An assessment with its words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = RiskPointAssessmentView)]
pub struct RiskAssessmentView {
    #[serde(flatten)]
    pub assessment: RiskAssessment,
    pub method_label: &'static str,
    /// The inputs as written: "L=6，E=6，C=7".
    pub inputs_text: String,
    /// D or R as written: "252".
    pub score_text: String,
    pub grade_label: &'static str,
    pub grade_colour: &'static str,
    pub status_label: &'static str,
}

/// A point with its words, its assessment under way and the steps the caller may take.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = RiskPointView)]
pub struct RiskPointView {
    #[serde(flatten)]
    pub point: RiskPoint,
    /// 重大风险 … 低风险, or 未定级.
    pub grade_label: &'static str,
    /// 红色 … 蓝色, or empty.
    pub grade_colour_label: &'static str,
    pub state_label: &'static str,
    pub control_level_label: &'static str,
    pub accident_types_text: String,
    /// The latest assessment not yet reviewed, if any.
    pub pending: Option<RiskAssessmentView>,
    /// `edit`, `assess`, `submit`, `accept`, `return`, `retire`.
    pub allowed_actions: Vec<&'static str>,
}

/// A point with its whole history of assessments, newest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = RiskPointDetail)]
pub struct RiskPointDetail {
    #[serde(flatten)]
    pub view: RiskPointView,
    pub history: Vec<RiskAssessmentView>,
}

/// The list's filters as typed in a query.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RiskPointQuery {
    /// 企业
    pub enterprise_id: Option<i64>,
    /// 乡镇（街道）区划代码
    pub township: Option<String>,
    /// 风险等级：major、large、general、low
    pub grade: Option<String>,
    /// 状态：draft、submitted、accepted、returned、retired
    pub state: Option<String>,
    /// 只看公共场所
    pub public_sites: Option<bool>,
}

impl RiskPointQuery {
    /// The store's filter; a value that does not read is refused naming its field.
    pub fn filter(&self) -> Result<RiskPointFilter> {
        let mut e = ValidationErrors::new();
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let grade = blank(&self.grade).and_then(|g| {
            let p = Grade::from_words(&g);
            if p.is_none() {
                e.add("grade", "风险等级应为 major、large、general 或 low");
            }
            p
        });
        let state = blank(&self.state).and_then(|s| {
            let p = RiskState::from_words(&s);
            if p.is_none() {
                e.add(
                    "state",
                    "状态应为 draft、submitted、accepted、returned 或 retired",
                );
            }
            p
        });
        let region_prefix = blank(&self.township).and_then(|t| match RegionCode::parse(&t) {
            Ok(r) => Some(r.subtree_prefix().to_string()),
            Err(m) => {
                e.add("township", m);
                None
            }
        });
        e.into_result()?;
        Ok(RiskPointFilter {
            enterprise_id: self.enterprise_id,
            region_prefix,
            grade,
            state,
            public_sites: self.public_sites.unwrap_or(false),
        })
    }
}

pub(crate) fn assessment_view(a: RiskAssessment) -> RiskAssessmentView {
    let mut parts = vec![format!("L={}", tenths_text(a.l_x10))];
    for (k, v) in [("E", a.e_x10), ("C", a.c_x10), ("S", a.s_x10)] {
        if let Some(v) = v {
            parts.push(format!("{k}={}", tenths_text(v)));
        }
    }
    RiskAssessmentView {
        method_label: a.method.label(),
        inputs_text: parts.join("，"),
        score_text: format!("{}={}", a.method.score_letter(), score_text(a.score_x100)),
        grade_label: a.grade.label(),
        grade_colour: a.grade.colour_label(),
        status_label: a.status.label(),
        assessment: a,
    }
}

impl App {
    /// The county's cut-offs in force (the shipped defaults where unset or unreadable).
    pub fn risk_cutoffs(&self) -> Result<Cutoffs> {
        Ok(self
            .store
            .setting(CUTOFFS_SETTING)?
            .and_then(|s| serde_json::from_str::<Cutoffs>(&s).ok())
            .filter(|c| {
                Cutoffs::parse(Method::Lec, &c.text(Method::Lec)).is_ok()
                    && Cutoffs::parse(Method::Ls, &c.text(Method::Ls)).is_ok()
            })
            .unwrap_or_default())
    }

    /// Sets the county's cut-offs (安委办), each method's three values checked.
    pub fn set_risk_cutoffs(&self, caller: &Caller, lec: &str, ls: &str) -> Result<Cutoffs> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(caller.refuse("设置风险分级标准"));
        }
        let mut e = ValidationErrors::new();
        let lec = e.check("lec", Cutoffs::parse(Method::Lec, lec));
        let ls = e.check("ls", Cutoffs::parse(Method::Ls, ls));
        e.into_result()?;
        let (Some(lec), Some(ls)) = (lec, ls) else {
            return Err(ValidationErrors::single("lec", "分界值不正确").into());
        };
        let c = Cutoffs { lec, ls };
        let text = serde_json::to_string(&c).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store.set_setting(
            &caller.change(&Scope::system(), self),
            CUTOFFS_SETTING,
            &text,
        )?;
        Ok(c)
    }

    /// The caller as the actor on a point it can read: may change it if its role changes
    /// records in its scope (an enterprise its own).
    pub(crate) fn risk_actor(caller: &Caller, enterprise_id: Option<i64>) -> Actor {
        Actor::new(
            caller.role,
            caller.hazard_scope().writable,
            caller.user.enterprise_id,
            enterprise_id,
        )
    }

    pub(crate) fn risk_facts(caller: &Caller, p: &RiskPoint) -> RiskFacts {
        RiskFacts {
            state: p.state,
            public_site: p.enterprise_id.is_none(),
            actor_is_site_township: p.enterprise_id.is_none()
                && caller.role.belongs_to_township()
                && caller.scope.admits_region(&p.region_code),
            has_pending_assessment: p.pending_assessment_id.is_some(),
        }
    }

    /// Checks that the caller may take `action` on the point now; answers the next state.
    pub(crate) fn risk_step(
        caller: &Caller,
        p: &RiskPoint,
        action: RiskAction,
    ) -> Result<RiskState> {
        Ok(transition::<RiskFlow>(
            &Self::risk_facts(caller, p),
            action,
            &Self::risk_actor(caller, p.enterprise_id),
        )?)
    }

    /// Whether the caller registers points at all (an enterprise its own, a township its
    /// public sites), as the loop's owner would edit a new draft.
    pub fn may_register_risk_points(caller: &Caller) -> bool {
        let facts = |public_site| RiskFacts {
            state: RiskState::Draft,
            public_site,
            actor_is_site_township: public_site && caller.role.belongs_to_township(),
            has_pending_assessment: false,
        };
        let own = Self::risk_actor(caller, caller.user.enterprise_id);
        transition::<RiskFlow>(&facts(false), RiskAction::Edit, &own).is_ok()
            || transition::<RiskFlow>(
                &facts(true),
                RiskAction::Edit,
                &Self::risk_actor(caller, None),
            )
            .is_ok()
    }

    pub(crate) fn risk_view(
        &self,
        caller: &Caller,
        p: RiskPoint,
        pending: Option<RiskAssessment>,
    ) -> RiskPointView {
        let allowed_actions = offered::<RiskFlow>(
            &Self::risk_facts(caller, &p),
            &Self::risk_actor(caller, p.enterprise_id),
        )
        .into_iter()
        .map(RiskAction::as_str)
        .collect();
        RiskPointView {
            grade_label: p.grade.map(Grade::label).unwrap_or("未定级"),
            grade_colour_label: p.grade.map(Grade::colour_label).unwrap_or(""),
            state_label: p.state.label(),
            control_level_label: p.control_level.label(),
            accident_types_text: AccidentType::join_labels(&p.accident_types),
            pending: pending.map(assessment_view),
            allowed_actions,
            point: p,
        }
    }

    /// One page of the points in the caller's scope.
    pub fn risk_points_page(
        &self,
        caller: &Caller,
        q: &RiskPointQuery,
        k: &Keyset,
    ) -> Result<Page<RiskPointView>> {
        let f = q.filter()?;
        let page = self.store.list_risk_points(&caller.scope, &f, k)?;
        crate::page_of(page, |p| Ok(self.risk_view(caller, p, None)))
    }

    /// Every point in the caller's scope under the query.
    pub fn all_risk_points(&self, caller: &Caller, q: &RiskPointQuery) -> Result<Vec<RiskPoint>> {
        let f = q.filter()?;
        crate::every(|k| self.store.list_risk_points(&caller.scope, &f, k), Ok)
    }

    /// A point with its history and the steps the caller may take.
    pub fn risk_point(&self, caller: &Caller, id: i64) -> Result<RiskPointDetail> {
        let p = self.store.get_risk_point(&caller.scope, id)?;
        let history = self.store.risk_point_assessments(&caller.scope, id)?;
        let pending = p
            .pending_assessment_id
            .and_then(|pid| history.iter().find(|a| a.id == pid).cloned());
        Ok(RiskPointDetail {
            view: self.risk_view(caller, p, pending),
            history: history.into_iter().map(assessment_view).collect(),
        })
    }

    /// Checks a point as typed: the description and where it lies (the caller's enterprise,
    /// or for a township a public site in its township).
    pub(crate) fn check_risk_point(
        &self,
        caller: &Caller,
        input: &RiskPointInput,
    ) -> std::result::Result<NewRiskPoint, ValidationErrors> {
        let types = input.accident_types.join("、");
        let checked = check_point(&PointText {
            place: &input.place,
            activity: &input.activity,
            hazard_factor: &input.hazard_factor,
            accident_types: &types,
            control_level: &input.control_level,
            responsible_name: &input.responsible_name,
            responsible_phone: &input.responsible_phone,
            controls: input.controls.clone(),
        });
        let mut e = ValidationErrors::new();
        let mut region_code = String::new();
        let enterprise_id = input.enterprise_id.or(caller.user.enterprise_id);
        if enterprise_id.is_none() {
            let typed = input
                .region_code
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            let code = typed.unwrap_or(caller.user.region_code.as_str());
            match RegionCode::parse(code) {
                Ok(r)
                    if matches!(r.level(), RegionLevel::Township | RegionLevel::Village)
                        && caller.scope.admits_region(r.as_str()) =>
                {
                    region_code = r.as_str().to_string();
                }
                _ => e.add(
                    "region_code",
                    "请选择公共场所所在的乡镇（街道）或村（社区）",
                ),
            }
        }
        let fields: Option<PointFields> = match checked {
            Ok(f) => Some(f),
            Err(v) => {
                e.merge(v);
                None
            }
        };
        e.into_result()?;
        let Some(fields) = fields else {
            return Err(ValidationErrors::single("place", "风险点信息不完整"));
        };
        Ok(NewRiskPoint {
            enterprise_id,
            region_code,
            fields,
        })
    }

    /// Evaluates an assessment as typed under the county's cut-offs; `reassess` requires the
    /// reason.
    pub(crate) fn check_risk_assessment(
        &self,
        caller: &Caller,
        a: &RiskAssessmentInput,
        reassess: bool,
    ) -> Result<std::result::Result<NewAssessment, ValidationErrors>> {
        let cutoffs = self.risk_cutoffs()?;
        let mut e = ValidationErrors::new();
        let Some(method) = Method::from_words(&a.method) else {
            e.add("method", "请选择评价方法（LEC 或 LS）");
            return Ok(Err(e));
        };
        let reason = a.reason.trim().to_string();
        if reassess && reason.is_empty() {
            e.add("reason", "重新评价须填写原因");
        }
        if reason.chars().count() > 300 {
            e.add("reason", "原因不能超过300个字");
        }
        let inputs = Inputs {
            l: a.l,
            e: a.e,
            c: a.c,
            s: a.s,
        };
        let ev = match evaluate(method, inputs, &cutoffs) {
            Ok(ev) => Some(ev),
            Err(v) => {
                e.merge(v);
                None
            }
        };
        if let Err(v) = e.into_result() {
            return Ok(Err(v));
        }
        let Some(evaluation) = ev else {
            return Ok(Err(ValidationErrors::single("method", "评价数据不完整")));
        };
        Ok(Ok(NewAssessment {
            evaluation,
            cutoffs: cutoffs.text(method),
            reason,
            assessed_by: caller.user.display_name.clone(),
        }))
    }

    /// Registers a point (its owner), with its first assessment if given.
    pub fn create_risk_point(
        &self,
        caller: &Caller,
        input: &RiskPointInput,
    ) -> Result<RiskPointDetail> {
        let mut errors = ValidationErrors::new();
        let point = match self.check_risk_point(caller, input) {
            Ok(p) => Some(p),
            Err(v) => {
                errors.merge(v);
                None
            }
        };
        let first = match &input.assessment {
            None => None,
            Some(a) => match self.check_risk_assessment(caller, a, false)? {
                Ok(a) => Some(a),
                Err(v) => {
                    for (f, ms) in v.fields {
                        for m in ms {
                            errors.add(&format!("assessment.{f}"), m);
                        }
                    }
                    None
                }
            },
        };
        errors.into_result()?;
        let Some(point) = point else {
            return Err(ValidationErrors::single("place", "风险点信息不完整").into());
        };
        self.require_risk_owner(caller, &point)?;
        let scope = caller.hazard_scope();
        let (p, _) =
            self.store
                .create_risk_point(&caller.change(&scope, self), &point, first.as_ref())?;
        self.risk_point(caller, p.id)
    }

    /// Refuses a caller who would not own the new point (not the enterprise itself, not the
    /// township of the public site).
    pub(crate) fn require_risk_owner(&self, caller: &Caller, p: &NewRiskPoint) -> Result<()> {
        let facts = RiskFacts {
            state: RiskState::Draft,
            public_site: p.enterprise_id.is_none(),
            actor_is_site_township: p.enterprise_id.is_none()
                && caller.role.belongs_to_township()
                && caller.scope.admits_region(&p.region_code),
            has_pending_assessment: false,
        };
        transition::<RiskFlow>(
            &facts,
            RiskAction::Edit,
            &Self::risk_actor(caller, p.enterprise_id),
        )
        .map_err(|_| caller.refuse("登记该风险点"))?;
        Ok(())
    }

    /// Edits a point's description (its owner; an accepted point keeps its grade).
    pub fn update_risk_point(
        &self,
        caller: &Caller,
        id: i64,
        input: &RiskPointInput,
    ) -> Result<RiskPointDetail> {
        let before = self.store.get_risk_point(&caller.scope, id)?;
        let next = Self::risk_step(caller, &before, RiskAction::Edit)?;
        let mut typed = input.clone();
        typed.enterprise_id = before.enterprise_id;
        typed.region_code = Some(before.region_code.clone());
        if before.enterprise_id.is_some() {
            typed.region_code = None;
        }
        let checked = self.check_risk_point(caller, &typed)?;
        let Some(version) = input.version else {
            return Err(ValidationErrors::single("version", "缺少版本号").into());
        };
        let f = checked.fields;
        let mut p = before;
        p.version = version;
        p.state = next;
        p.place = f.place;
        p.activity = f.activity;
        p.hazard_factor = f.hazard_factor;
        p.accident_types = f.accident_types;
        p.control_engineering = f.controls.engineering;
        p.control_management = f.controls.management;
        p.control_training = f.controls.training;
        p.control_ppe = f.controls.ppe;
        p.control_emergency = f.controls.emergency;
        p.control_level = f.control_level;
        p.responsible_name = f.responsible_name;
        p.responsible_phone = f.responsible_phone;
        let scope = caller.hazard_scope();
        self.store
            .update_risk_point(&caller.change(&scope, self), &p, "edit", None)?;
        self.risk_point(caller, id)
    }

    pub(crate) fn mark(
        id: i64,
        status: AssessmentStatus,
        by: Option<&str>,
        note: &str,
    ) -> AssessmentMark {
        AssessmentMark {
            id,
            status,
            reviewed_by: by.map(str::to_string),
            note: note.to_string(),
        }
    }
}
