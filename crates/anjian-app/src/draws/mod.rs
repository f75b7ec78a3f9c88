//! 双随机 draws: pools from the enterprise library and the inspector roster, a committed
//! secret, the draw with public entropy, tasks, publicity within its time limit, and
//! verification by re-running the published inputs (see `anjian_domain::draw`).

use crate::{App, AppError, Caller, Result};
use anjian_domain::draw::{
    self, DrawAction, DrawFacts, DrawFlow, DrawInputs, DrawState, DrawTask, Stratum,
};
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::transition;
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use anjian_store::draws::{Draw, DrawOutcome, DrawTaskRow, NewDraw, PoolFilter};
use serde::{Deserialize, Serialize};

mod commit;
mod conflicts;
mod publicity;
mod steps;
mod verify;

/// Setting: working days from the draw within which results must be published (20 by 国发〔2019〕5号).
pub const PUBLICITY_WORKING_DAYS: &str = "draw_publicity_working_days";

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StratumSpec {
    pub name: String,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub risk_grades: Vec<String>,
    #[serde(default)]
    pub key_only: bool,
    /// How many to draw; or `ratio_percent` of the pool, rounded up.
    #[serde(default)]
    pub quota: Option<usize>,
    #[serde(default)]
    pub ratio_percent: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    pub title: String,
    #[serde(default)]
    pub department_id: Option<i64>,
    pub strata: Vec<StratumSpec>,
    #[serde(default)]
    pub team_size: Option<usize>,
    /// Leave out enterprises inspected within this many days (default 0: none left out).
    #[serde(default)]
    pub exclude_inspected_days: Option<u32>,
    /// Certified inspectors to draw from; default every active inspector of the department.
    #[serde(default)]
    pub inspector_ids: Option<Vec<i64>>,
    /// Weight the pool by each enterprise's effective risk grade (the county's 双随机 weights;
    /// the grades and the weight table are recorded with the inputs).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weighted_by_grade: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrawView {
    #[serde(flatten)]
    pub draw: Draw,
    pub tasks: Vec<DrawTaskRow>,
    pub publish_overdue: bool,
    pub algorithm: &'static str,
    pub status_label: &'static str,
    /// The steps the caller may take now (`draw`, `publish`), as the use cases accept them.
    pub allowed_actions: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub draw_id: i64,
    pub commitment_ok: bool,
    pub result_ok: bool,
    pub tasks_ok: bool,
    pub recomputed: Vec<DrawTask>,
    pub problems: Vec<String>,
}

impl Verification {
    pub fn matches(&self) -> bool {
        self.commitment_ok && self.result_ok && self.tasks_ok
    }
}

fn draw_error(e: draw::DrawError) -> AppError {
    let field = match e {
        draw::DrawError::TeamTooSmall => "team_size",
        draw::DrawError::NotEnoughInspectors(..) => "inspector_ids",
        _ => "strata",
    };
    ValidationErrors::single(field, e.to_string()).into()
}

fn facts(caller: &Caller, d: &Draw) -> DrawFacts {
    DrawFacts {
        state: d.status,
        actor_acts_for_organiser: caller.acts_for(d.department_id),
    }
}

impl App {
    fn ensure_draw_role(caller: &Caller) -> Result<()> {
        if caller.can(anjian_domain::scope::Permission::DecideAsAgency) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "仅管理员和负有监管职责的部门可以组织双随机抽查".into(),
            ))
        }
    }
}
