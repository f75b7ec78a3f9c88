//! 行刑衔接 (国务院令第310号, 应急〔2019〕54号): transfers of suspected crimes to public
//! security with their time limits (`limits`) and steps (`steps`).

use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::transfer::{TransferAction, TransferFacts, TransferFlow};
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::offered;
use anjian_store::transfers::Transfer;
use serde::{Deserialize, Serialize};

mod limits;
mod steps;

/// The document the case goes to the police with (国务院令第310号 art. 6).
pub const TRANSFER_LETTER: &str = "transfer_letter";

pub const CRIME_TYPES: [(&str, &str); 8] = [
    ("major_liability", "重大责任事故罪"),
    ("forced_risk", "强令、组织他人违章冒险作业罪"),
    ("labour_safety", "重大劳动安全事故罪"),
    ("dangerous_goods", "危险物品肇事罪"),
    ("fire_liability", "消防责任事故罪"),
    ("not_reporting", "不报、谎报安全事故罪"),
    ("dangerous_operation", "危险作业罪"),
    ("other", "其他涉嫌犯罪（非法采矿、非法制造爆炸物等）"),
];

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferInput {
    #[serde(default)]
    pub case_id: Option<i64>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    pub subject: String,
    pub crime_type: String,
    pub facts: String,
    /// The officers who verified the case and wrote the transfer report (two or more).
    pub officers: Vec<String>,
    /// Natural persons suspected and transferred (人); default 1, 0 when only a unit is.
    #[serde(default)]
    pub persons: Option<i64>,
    #[serde(default)]
    pub report_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferStep {
    /// approve | reject | transfer | police_limit | police_filed | police_not_filed |
    /// reconsider | supervise
    pub action: String,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub police_unit: Option<String>,
    /// Day the written notice of the police decision was received.
    #[serde(default)]
    pub notified_on: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    /// Time of day of the decision or the transfer, `HH:MM` (China Standard Time); defaults
    /// to now when the step is recorded the same day. Limits in hours count from it.
    #[serde(default)]
    pub time: Option<String>,
    /// Who approved or refused (the agency's head), and in what capacity
    /// (`principal` 正职负责人 or `presiding` 主持工作的负责人).
    #[serde(default)]
    pub approver: Option<String>,
    #[serde(default)]
    pub capacity: Option<String>,
    /// At the transfer: the procuratorate the 移送书 is copied to, and the day the police
    /// accepted the case (their receipt; default the day of the transfer).
    #[serde(default)]
    pub copied_to: Option<String>,
    #[serde(default)]
    pub accepted_on: Option<String>,
    /// The police's longer limit to decide on 立案: `verify` (7 days) or `complex` (30 days).
    #[serde(default)]
    pub police_limit: Option<String>,
    /// The procuratorate asked to supervise (立案监督).
    #[serde(default)]
    pub procuratorate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TransferLimit {
    pub step: &'static str,
    pub due: String,
    pub rule: &'static str,
    pub met: bool,
    pub overdue: bool,
    /// Set when the period reaches a year without holiday data (the due date may be wrong).
    pub calendar_gap: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransferView {
    #[serde(flatten)]
    pub transfer: Transfer,
    pub crime_label: &'static str,
    pub status_label: &'static str,
    pub limits: Vec<TransferLimit>,
    pub allowed_actions: Vec<&'static str>,
}

/// Local times are kept as `YYYY-MM-DD HH:MM`.
const TIME: &str = "%Y-%m-%d %H:%M";

impl App {
    fn transfer_view(&self, caller: &Caller, t: Transfer) -> Result<TransferView> {
        let cal = self.calendar()?;
        let limits = limits::limits(&t, &cal, self.clock.today(), self.clock.local_now());
        let facts = self.transfer_facts(caller, &t)?;
        let state = t.status;
        let who = caller.actor(&t.region_code, &t.sector, t.enterprise_id);
        let allowed_actions = offered::<TransferFlow>(&facts, &who)
            .into_iter()
            .map(TransferAction::as_str)
            .collect();
        Ok(TransferView {
            crime_label: CRIME_TYPES
                .iter()
                .find(|(k, _)| *k == t.crime_type)
                .map(|(_, l)| *l)
                .unwrap_or(""),
            status_label: state.label(),
            limits,
            allowed_actions,
            transfer: t,
        })
    }

    /// What the loop's rules look at: the state, whether the 移送书 exists, and what was done
    /// after 不予立案.
    fn transfer_facts(&self, caller: &Caller, t: &Transfer) -> Result<TransferFacts> {
        let has_letter = t.status == anjian_domain::transfer::TransferState::Approved
            && self
                .documents(caller, Some(("transfer", t.id)))?
                .iter()
                .any(|d| d.doc_type == TRANSFER_LETTER);
        Ok(TransferFacts {
            state: t.status,
            has_letter,
            reconsidered: t.reconsider_decided_on.is_some(),
            supervised: t.supervision_on.is_some(),
        })
    }

    pub fn report_transfer(&self, caller: &Caller, input: &TransferInput) -> Result<TransferView> {
        caller.require_enforcer()?;
        let mut e = ValidationErrors::new();
        let subject = input.subject.trim();
        if subject.is_empty() || subject.chars().count() > 100 {
            e.add("subject", "请填写涉嫌犯罪的单位或人员（100字以内）");
        }
        if !CRIME_TYPES.iter().any(|(k, _)| *k == input.crime_type) {
            e.add("crime_type", "涉嫌罪名类型不正确");
        }
        if input.facts.trim().is_empty() {
            e.add("facts", "请填写涉嫌犯罪的事实");
        }
        let officers: Vec<String> = input
            .officers
            .iter()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if officers.len() < 2 {
            e.add("officers", "须指定2名以上执法人员核实并提出移送报告");
        }
        let persons = input.persons.unwrap_or(1);
        if !(0..=999).contains(&persons) {
            e.add("persons", "移送人数应为0至999的整数（仅移送单位的填0）");
        }
        let today = self.clock.today();
        let report_on = match input
            .report_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => today,
            Some(s) => match parse_date(s) {
                Ok(d) if d > today => {
                    e.add("report_on", "报告日期不能晚于今天");
                    today
                }
                Ok(d) => d,
                Err(m) => {
                    e.add("report_on", m);
                    today
                }
            },
        };
        let (region, sector, enterprise_id) = match input.case_id {
            Some(cid) => {
                let (c, _) = self.store.get_case(&caller.scope, cid)?;
                (c.region_code, c.sector, c.enterprise_id)
            }
            None => match input.enterprise_id {
                Some(eid) => {
                    let ent = self.store.get_enterprise(&caller.scope, eid)?;
                    let sector = input
                        .sector
                        .clone()
                        .or_else(|| ent.sectors.first().cloned())
                        .unwrap_or_default();
                    (ent.region_code.to_string(), sector, Some(eid))
                }
                None => {
                    let r = input.region_code.clone().unwrap_or_default();
                    let s = input.sector.clone().unwrap_or_default();
                    if anjian_domain::RegionCode::parse(&r).is_err() {
                        e.add("region_code", "请指定案件、企业或有效的区划");
                    }
                    if s.is_empty() {
                        e.add("sector", "请指定行业领域");
                    }
                    (r, s, None)
                }
            },
        };
        e.into_result()?;
        let t = Transfer {
            region_code: region,
            sector,
            enterprise_id,
            case_id: input.case_id,
            subject: subject.to_string(),
            crime_type: input.crime_type.clone(),
            facts: input.facts.trim().to_string(),
            officers: serde_json::to_string(&officers)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            persons,
            report_on,
            ..Default::default()
        };
        let scope = caller.hazard_scope();
        let saved = self
            .store
            .create_transfer(&caller.change(&scope, self), &t)?;
        self.transfer_view(caller, saved)
    }

    pub fn transfer(&self, caller: &Caller, id: i64) -> Result<TransferView> {
        let t = self.store.get_transfer(&caller.scope, id)?;
        self.transfer_view(caller, t)
    }

    /// Every transfer in scope (for the ledger and the deadline scan).
    pub fn transfers(&self, caller: &Caller) -> Result<Vec<TransferView>> {
        crate::every(
            |k| self.store.list_transfers(&caller.scope, k),
            |t| self.transfer_view(caller, t),
        )
    }

    /// One page of the transfers in scope, newest first.
    pub fn transfers_page(
        &self,
        caller: &Caller,
        k: &crate::Keyset,
    ) -> Result<crate::Page<TransferView>> {
        crate::page_of(self.store.list_transfers(&caller.scope, k)?, |t| {
            self.transfer_view(caller, t)
        })
    }

    /// Transfer steps past their time limit, in the caller's scope (for to-dos).
    pub fn overdue_transfer_steps(&self, caller: &Caller) -> Result<Vec<(i64, String, String)>> {
        Ok(self
            .transfers(caller)?
            .into_iter()
            .flat_map(|v| {
                v.limits
                    .iter()
                    .filter(|l| l.overdue)
                    .map(|l| (v.transfer.id, l.step.to_string(), l.due.clone()))
                    .collect::<Vec<_>>()
            })
            .collect())
    }
}
