//! Major hazards under "一单四制" (domain.md 1.2–1.3): determination (研究认定), the
//! list (清单) per tier, 交办 (assignment letter), remediation with the 五落实, ledger
//! entries (台账), extensions, close-out request → acceptance → 销号 (or back to
//! remediation), and downgrade to a general hazard as a recorded decision. Overdue
//! items are reported in periodic 通报.

use crate::hazard::Status;
use crate::scope::Permission;
use crate::workflow::{self, Workflow};
use serde::{Deserialize, Serialize};

mod actions;
mod flow;
pub use actions::*;
pub use flow::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 研究认定中.
    UnderDetermination,
    /// 列入清单.
    Listed,
    /// 已交办.
    Assigned,
    /// 整改中 (the 五落实 are in place).
    InRemediation,
    /// 申请延期.
    ExtensionRequested,
    /// 申请销号 (evidence attached), awaiting acceptance.
    CloseoutRequested,
    /// 已销号.
    Closed,
    /// 经认定降为一般隐患.
    Downgraded,
}

pub const CASE_STATES: [CaseState; 8] = [
    CaseState::UnderDetermination,
    CaseState::Listed,
    CaseState::Assigned,
    CaseState::InRemediation,
    CaseState::ExtensionRequested,
    CaseState::CloseoutRequested,
    CaseState::Closed,
    CaseState::Downgraded,
];

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::UnderDetermination => "under_determination",
            CaseState::Listed => "listed",
            CaseState::Assigned => "assigned",
            CaseState::InRemediation => "in_remediation",
            CaseState::ExtensionRequested => "extension_requested",
            CaseState::CloseoutRequested => "closeout_requested",
            CaseState::Closed => "closed",
            CaseState::Downgraded => "downgraded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CASE_STATES.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseState::UnderDetermination => "研究认定中",
            CaseState::Listed => "已列入清单",
            CaseState::Assigned => "已交办",
            CaseState::InRemediation => "整改中",
            CaseState::ExtensionRequested => "申请延期",
            CaseState::CloseoutRequested => "申请销号",
            CaseState::Closed => "已销号",
            CaseState::Downgraded => "已降为一般隐患",
        }
    }
    /// Still on the list and not finished.
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::Closed | CaseState::Downgraded)
    }
}

/// A major hazard is handled under 一单四制: registering one opens its case (研究认定).
pub fn opens_case(level: crate::hazard::Level) -> bool {
    level == crate::hazard::Level::Major
}

impl CaseState {
    /// The state of the case of a major hazard brought in with its history (an import of
    /// earlier years' records): the case stands where the hazard's own loop stands.
    pub fn of_loaded_hazard(status: Status) -> CaseState {
        match status {
            Status::Registered => CaseState::Listed,
            Status::Ordered => CaseState::Assigned,
            Status::Rectifying => CaseState::InRemediation,
            Status::Reported => CaseState::CloseoutRequested,
            Status::Closed => CaseState::Closed,
        }
    }
}

#[cfg(test)]
mod tests;
