//! The steps of a case, and the hazard status each moves the hazard to.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    /// 认定为重大隐患并列入清单 (basis standard and clause required).
    List,
    /// 认定为一般隐患 (reason required).
    Downgrade,
    /// 交办 (letter number, responsible unit, coordinating supervisor, deadline).
    Assign,
    /// 开始整改 (requires the 五落实).
    Start,
    /// 台账登记 (progress entry).
    Ledger,
    /// 申请延期.
    RequestExtension,
    /// 批准延期 (new deadline).
    ApproveExtension,
    /// 不予延期.
    DenyExtension,
    /// 申请销号.
    RequestCloseout,
    /// 验收合格，销号.
    Accept,
    /// 验收不合格，退回整改 (reason required).
    Fail,
}

pub const CASE_ACTIONS: [CaseAction; 11] = [
    CaseAction::List,
    CaseAction::Downgrade,
    CaseAction::Assign,
    CaseAction::Start,
    CaseAction::Ledger,
    CaseAction::RequestExtension,
    CaseAction::ApproveExtension,
    CaseAction::DenyExtension,
    CaseAction::RequestCloseout,
    CaseAction::Accept,
    CaseAction::Fail,
];

impl CaseAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::List => "list",
            CaseAction::Downgrade => "downgrade",
            CaseAction::Assign => "assign",
            CaseAction::Start => "start",
            CaseAction::Ledger => "ledger",
            CaseAction::RequestExtension => "request_extension",
            CaseAction::ApproveExtension => "approve_extension",
            CaseAction::DenyExtension => "deny_extension",
            CaseAction::RequestCloseout => "request_closeout",
            CaseAction::Accept => "accept",
            CaseAction::Fail => "fail",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        CASE_ACTIONS.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseAction::List => "认定并列入清单",
            CaseAction::Downgrade => "认定为一般隐患",
            CaseAction::Assign => "交办",
            CaseAction::Start => "落实五落实并开始整改",
            CaseAction::Ledger => "登记整改台账",
            CaseAction::RequestExtension => "申请延期",
            CaseAction::ApproveExtension => "批准延期",
            CaseAction::DenyExtension => "不予延期",
            CaseAction::RequestCloseout => "申请销号",
            CaseAction::Accept => "验收合格销号",
            CaseAction::Fail => "验收不合格退回",
        }
    }
    /// The general hazard status this action moves the underlying hazard to, if any.
    pub fn hazard_status(self) -> Option<Status> {
        match self {
            CaseAction::Assign => Some(Status::Ordered),
            CaseAction::Start | CaseAction::Fail => Some(Status::Rectifying),
            CaseAction::RequestCloseout => Some(Status::Reported),
            CaseAction::Accept => Some(Status::Closed),
            _ => None,
        }
    }
}
