//! Penalty cases: the simple procedure within its statutory limits, and the general
//! procedure with its steps, legal review gate and time limits on the right calendar.

mod deadlines;
mod period;
mod record;
mod steps;
mod view;
pub use deadlines::CaseStepTodos;
pub use period::DecisionPolicy;
pub use record::*;

use crate::{App, AppError, Caller, Result};
use anjian_domain::calendar::Basis;
use anjian_domain::cases::{self, CaseAction, CaseFacts, CaseStatus, PartyKind, Procedure};
use anjian_domain::scope::Permission;
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::workflow::{self, offered};
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::cases::{Case, CaseEvent};
use serde::{Deserialize, Serialize};

pub const MEASURES: [(&str, &str); 7] = [
    ("warning", "警告"),
    ("fine", "罚款"),
    ("confiscate", "没收违法所得、非法财物"),
    ("suspend_licence", "暂扣许可证照"),
    ("revoke_licence", "吊销许可证照"),
    ("stop_production", "责令停产停业"),
    ("close", "责令关闭（取缔）"),
];

/// The officers named on a case: trimmed, distinct, at least two (行政处罚法 art. 42:
/// 执法人员不得少于两人).
fn officers_of(e: &mut ValidationErrors, names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if n.chars().count() > 50 {
            e.add("officers", "执法人员姓名过长");
        } else if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    if out.len() < 2 {
        e.add(
            "officers",
            "行政处罚应由两名以上执法人员实施，请填写执法人员（《行政处罚法》第四十二条）",
        );
    } else if out.len() > 10 {
        e.add("officers", "执法人员最多填写10名");
    }
    out
}

/// Setting keys for the fines above which a decision is major (法制审核 mandatory), in 元.
pub const REVIEW_FINE_ORGANISATION: &str = "legal_review_fine_organisation";
pub const REVIEW_FINE_PERSON: &str = "legal_review_fine_person";

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    pub procedure: String,
    pub party_kind: String,
    pub party_name: String,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    pub fine_yuan: f64,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub facts: Option<String>,
    #[serde(default)]
    pub legal_basis: Option<String>,
    #[serde(default)]
    pub measures: Vec<String>,
    #[serde(default)]
    pub hazard_id: Option<i64>,
    #[serde(default)]
    pub campaign: Option<String>,
    /// Date of 立案 (general) or of the on-the-spot decision (simple); default today.
    #[serde(default)]
    pub date: Option<String>,
    /// 委托执法: the agreement and item a township officer acts under.
    #[serde(default)]
    pub commission_id: Option<i64>,
    #[serde(default)]
    pub commission_item: Option<String>,
    /// The enforcement officers on the case: at least two (行政处罚法 art. 42).
    #[serde(default)]
    pub officers: Vec<String>,
    /// 案情疑难复杂 (art. 58(3)) and 涉及重大公共利益 (art. 58(1)): 法制审核 before deciding.
    #[serde(default)]
    pub complex: bool,
    #[serde(default)]
    pub public_interest: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStep {
    pub action: String,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    /// 法制审核: reviewer and outcome ("pass" | "revise").
    #[serde(default)]
    pub reviewer: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    /// Decide: the final fine and measures (default: as proposed).
    #[serde(default)]
    pub fine_yuan: Option<f64>,
    #[serde(default)]
    pub measures: Option<Vec<String>>,
    /// Extend: days added to the decision period, who approved it, and at which level
    /// (`head`: 本部门负责人, default; `superior`: 上一级部门).
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub approver: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    /// Serve: the day the decision was served (default today); taken from the decision's
    /// service record when that is registered.
    #[serde(default)]
    pub served_on: Option<String>,
    /// Pause / resume: the kind of period (`appraisal`, `announcement`, `reconsideration`,
    /// `litigation`, `deferral`, `instalment`); overturn: how the decision was overturned
    /// (`changed`, `revoked`, `unlawful`, `void`).
    #[serde(default)]
    pub kind: Option<String>,
    /// The day of the step's event (default today): the period's first or last day, the
    /// overturning decision's day, the hearing notice's service.
    #[serde(default)]
    pub on: Option<String>,
    /// ScheduleHearing: the day of the hearing.
    #[serde(default)]
    pub hearing_on: Option<String>,
}

/// A legal time limit of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Limit {
    pub step: &'static str,
    pub due: String,
    pub basis: &'static str,
    pub rule: String,
    pub met: bool,
    pub overdue: bool,
    /// Set when the period reaches a year without holiday data (the due date may be wrong).
    pub calendar_gap: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    pub fine_yuan: f64,
    pub status_label: &'static str,
    pub limits: Vec<Limit>,
    pub allowed_actions: Vec<&'static str>,
    pub late_surcharge_yuan: f64,
}

impl App {
    fn review_thresholds(&self) -> Result<(i64, i64)> {
        let get = |k: &str, d: i64| -> Result<i64> {
            Ok(self
                .store
                .setting(k)?
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(d)
                * 100)
        };
        Ok((
            get(REVIEW_FINE_ORGANISATION, 50_000)?,
            get(REVIEW_FINE_PERSON, 20_000)?,
        ))
    }

    fn is_major(&self, party: &str, fine_fen: i64, measures: &str) -> Result<bool> {
        let (org, person) = self.review_thresholds()?;
        let limit = if party == "person" { person } else { org };
        Ok(fine_fen >= limit
            || measures
                .split(',')
                .any(|m| matches!(m, "stop_production" | "revoke_licence" | "close")))
    }

    /// The measures of a case as officials name them (`罚款、责令停产停业`).
    pub(crate) fn measures_label(measures: &str) -> String {
        measures
            .split(',')
            .filter_map(|m| {
                MEASURES
                    .iter()
                    .find(|(k, _)| *k == m.trim())
                    .map(|(_, l)| *l)
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    fn measures_of(e: &mut ValidationErrors, list: &[String]) -> String {
        let mut out = Vec::new();
        for m in list.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
            if MEASURES.iter().any(|(k, _)| *k == m) {
                if !out.contains(&m) {
                    out.push(m);
                }
            } else {
                e.add("measures", format!("处罚种类“{m}”不正确"));
            }
        }
        out.join(",")
    }

    pub fn open_case(&self, caller: &Caller, input: &CaseInput) -> Result<CaseView> {
        if !caller.can(Permission::OpenCases) {
            return Err(AppError::Forbidden(
                "仅负有监管职责的部门和执法人员可以办理行政处罚案件".into(),
            ));
        }
        let mut e = ValidationErrors::new();
        let procedure = match input.procedure.trim() {
            "simple" => Some(Procedure::Simple),
            "general" => Some(Procedure::General),
            _ => {
                e.add(
                    "procedure",
                    "程序应为 simple（简易程序）或 general（普通程序）",
                );
                None
            }
        };
        let party = match input.party_kind.trim() {
            "person" => Some(PartyKind::Person),
            "organisation" => Some(PartyKind::Organisation),
            _ => {
                e.add(
                    "party_kind",
                    "当事人类型应为 person（公民）或 organisation（法人或其他组织）",
                );
                None
            }
        };
        let party_name = required_text(&mut e, "party_name", "当事人", &input.party_name, 100);
        let fine_fen = e
            .check("fine_yuan", cases::yuan_to_fen(input.fine_yuan))
            .unwrap_or(0);
        if let (Some(Procedure::Simple), Some(p)) = (procedure, party)
            && let Err(m) = cases::check_simple(p, fine_fen)
        {
            e.add("fine_yuan", m);
        }
        let mut measures = Self::measures_of(&mut e, &input.measures);
        if measures.is_empty() {
            measures = if fine_fen > 0 {
                "fine".into()
            } else {
                "warning".into()
            };
        }
        if procedure == Some(Procedure::Simple)
            && measures
                .split(',')
                .any(|m| !matches!(m, "warning" | "fine"))
        {
            e.add("measures", "简易程序只能给予警告或罚款");
        }
        let date = match input
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => e.check("date", parse_date(d)),
            None => Some(self.clock.today()),
        };
        if date.is_some_and(|d| d > self.clock.today()) {
            e.add("date", "日期不能晚于今天");
        }
        let (mut region, mut sector) = (
            input.region_code.clone().unwrap_or_default(),
            input.sector.clone().unwrap_or_default(),
        );
        if let Some(eid) = input.enterprise_id {
            match self.store.get_enterprise(&caller.scope, eid) {
                Ok(ent) => {
                    if region.is_empty() {
                        region = ent.region_code.clone();
                    }
                    if sector.is_empty() {
                        sector = ent.sectors.first().cloned().unwrap_or_default();
                    }
                }
                Err(_) => e.add("enterprise_id", "企业不存在或不在您的管辖范围内"),
            }
        }
        let county = anjian_domain::RegionCode::parse(&region)
            .ok()
            .and_then(|r| r.county());
        if county.is_none() || !self.store.region_exists(&region)? {
            e.add("region_code", "请指定企业或有效的区划");
        }
        if !self.store.list_sectors()?.iter().any(|s| s.code == sector) {
            e.add("sector", "请指定有效的行业领域");
        }
        let commission = if !caller.can(Permission::Enforce) {
            self.check_commission(
                caller,
                &crate::commissions::CommissionClaim {
                    commission_id: input.commission_id,
                    item: input.commission_item.as_deref(),
                    region: &region,
                    fine_fen,
                    simple: procedure == Some(Procedure::Simple),
                    on: date,
                },
                &mut e,
            )?
        } else {
            None
        };
        self.check_campaign(&mut e, &region, input.campaign.as_deref())?;
        let officers = officers_of(&mut e, &input.officers);
        e.into_result()?;
        let (Some(procedure), Some(party), Some(date), Some(county)) =
            (procedure, party, date, county)
        else {
            return Err(ValidationErrors::single("_", "数据无效").into());
        };
        let simple = procedure == Procedure::Simple;
        let party_kind = if party == PartyKind::Person {
            "person"
        } else {
            "organisation"
        };
        let c = Case {
            id: 0,
            county_code: county.as_str().into(),
            region_code: region,
            department_id: caller.user.department_id,
            enterprise_id: input.enterprise_id,
            sector,
            procedure: if simple { "simple" } else { "general" }.into(),
            party_kind: party_kind.into(),
            party_name,
            facts: input
                .facts
                .clone()
                .unwrap_or_default()
                .trim()
                .chars()
                .take(4000)
                .collect(),
            legal_basis: input
                .legal_basis
                .clone()
                .unwrap_or_default()
                .trim()
                .chars()
                .take(1000)
                .collect(),
            fine_fen,
            major: !simple && self.is_major(party_kind, fine_fen, &measures)?,
            measures,
            // The simple procedure decides and hands over the decision on the spot.
            status: if simple {
                CaseStatus::Served
            } else {
                CaseStatus::Registered
            },
            registered_on: date,
            notified_on: None,
            legal_review: String::new(),
            legal_reviewed_on: None,
            decided_on: simple.then_some(date),
            served_on: simple.then_some(date),
            executed_on: None,
            closed_on: None,
            hazard_id: input.hazard_id,
            inspection_id: None,
            campaign: input.campaign.clone().filter(|c| !c.trim().is_empty()),
            discussed_on: None,
            extension_days: 0,
            examined_on: None,
            officers,
            complex: !simple && input.complex,
            public_interest: !simple && input.public_interest,
            version: 1,
            ..Default::default()
        };
        let scope = caller.hazard_scope();
        let saved = self
            .store
            .create_case_with(
                &caller.change(&scope, self),
                &c,
                if simple {
                    "simple_decision"
                } else {
                    "register"
                },
                commission
                    .as_ref()
                    .map(|(id, item, agency)| (*id, item.as_str(), agency.as_str())),
            )
            .map_err(|e| match e {
                anjian_store::StoreError::Forbidden => {
                    AppError::Forbidden("当事人不在您的管辖范围内".into())
                }
                other => other.into(),
            })?;
        self.case_view(caller, saved)
    }
}
