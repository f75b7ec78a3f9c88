//! 行刑衔接 (应急〔2019〕54号): transfers of suspected crimes to public security with their
//! time limits.

use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::transfer::{self, TransferAction, TransferFlow, TransferState};
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::offered;
use anjian_store::transfers::Transfer;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
    #[serde(default)]
    pub report_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransferStep {
    /// approve | reject | transfer | police_filed | police_not_filed
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferLimit {
    pub step: &'static str,
    pub due: String,
    pub rule: &'static str,
    pub met: bool,
    pub overdue: bool,
    /// Set when the period reaches a year without holiday data (the due date may be wrong).
    pub calendar_gap: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransferView {
    #[serde(flatten)]
    pub transfer: Transfer,
    pub crime_label: &'static str,
    pub status_label: &'static str,
    pub limits: Vec<TransferLimit>,
    pub allowed_actions: Vec<&'static str>,
}

fn date(s: &str) -> Option<NaiveDate> {
    parse_date(s).ok()
}

/// Local times are kept as `YYYY-MM-DD HH:MM`.
const TIME: &str = "%Y-%m-%d %H:%M";

fn local_time(s: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s, TIME).ok()
}

/// When the head decided: the recorded time, or for records made before times were kept,
/// the end of the decision day (the most lenient reading).
fn decided_at(t: &Transfer) -> Option<chrono::NaiveDateTime> {
    t.decided_at.as_deref().and_then(local_time).or_else(|| {
        t.decided_on
            .as_deref()
            .and_then(date)
            .and_then(|d| d.and_hms_opt(23, 59, 0))
    })
}

impl App {
    fn transfer_view(&self, caller: &Caller, t: Transfer) -> Result<TransferView> {
        let cal = self.calendar()?;
        let today = self.clock.today();
        let mut limits = Vec::new();
        let mut hours_limit = None;
        if !matches!(t.status, TransferState::Rejected | TransferState::Reported)
            && let Some(decided) = decided_at(&t)
        {
            // Counted in hours from the recorded time of the decision (国务院令第310号 art. 5).
            let due = transfer::transfer_due(decided);
            let done = t
                .transferred_at
                .as_deref()
                .and_then(local_time)
                .or_else(|| {
                    t.transferred_on
                        .as_deref()
                        .and_then(date)
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                });
            let now = self.clock.local_now();
            hours_limit = Some(TransferLimit {
                step: "移送公安机关",
                due: due.format(TIME).to_string(),
                rule: "国务院令第310号第五条：批准之时起24小时内（按小时计算）",
                met: done.is_some_and(|d| d <= due),
                overdue: done.is_none() && now > due,
                calendar_gap: None,
            });
        }
        let mut push = |step, start: Option<&String>, days: u32, rule, done: Option<&String>| {
            let Some(start) = start.and_then(|s| date(s)) else {
                return;
            };
            if let Some(due) = cal.add_calendar_days(start, days) {
                let done = done.and_then(|d| date(d));
                limits.push(TransferLimit {
                    step,
                    due: due.format("%Y-%m-%d").to_string(),
                    rule,
                    met: done.is_some_and(|d| d <= due),
                    overdue: done.is_none() && today > due,
                    calendar_gap: cal.gap(start, due),
                });
            }
        };
        push(
            "负责人作出是否移送决定",
            Some(&t.report_on),
            3,
            "收到移送报告之日起3日内",
            t.decided_on.as_ref(),
        );

        if t.police_decided_on.is_some() {
            push(
                "公安机关书面告知",
                t.police_decided_on.as_ref(),
                3,
                "公安机关作出决定之日起3日内",
                t.notified_on.as_ref(),
            );
        }
        if let Some(l) = hours_limit {
            // After the decision's limit, in the order of the steps.
            limits.insert(limits.len().min(1), l);
        }
        let state = t.status;
        let who = caller.actor(&t.region_code, &t.sector, t.enterprise_id);
        let allowed_actions = offered::<TransferFlow>(&state, &who)
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
            report_on: report_on.format("%Y-%m-%d").to_string(),
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

    pub fn transfer_step(
        &self,
        caller: &Caller,
        id: i64,
        s: &TransferStep,
    ) -> Result<TransferView> {
        let t = self.store.get_transfer(&caller.scope, id)?;
        let Some(step) = TransferAction::parse(s.action.trim()) else {
            return Err(AppError::Validation(ValidationErrors::single(
                "action",
                "操作应为 approve、reject、transfer、police_filed 或 police_not_filed",
            )));
        };
        let next = transfer::transition(
            &t.status,
            step,
            &caller.actor(&t.region_code, &t.sector, t.enterprise_id),
        )?;
        let action = step.as_str();
        if let Some(v) = s.version
            && v != t.version
        {
            return Err(AppError::Conflict(
                "该事项已被他人办理，请刷新后重试".into(),
            ));
        }
        let mut t = t;
        let mut e = ValidationErrors::new();
        let today = self.clock.today();
        let mut day = |field: &str, v: Option<&str>, not_before: Option<&String>| -> String {
            let d = match v.map(str::trim).filter(|x| !x.is_empty()) {
                None => today,
                Some(x) => match parse_date(x) {
                    Ok(d) => d,
                    Err(m) => {
                        e.add(field, m);
                        return String::new();
                    }
                },
            };
            if d > today {
                e.add(field, "日期不能晚于今天");
            }
            if not_before.and_then(|n| date(n)).is_some_and(|n| d < n) {
                e.add(field, "日期不能早于上一环节");
            }
            d.format("%Y-%m-%d").to_string()
        };
        let now = self.clock.local_now();
        // The time of day of a step whose limit is in hours: given, or now when recorded the
        // same day; a past day needs its time.
        let time_of = |e: &mut ValidationErrors, d: &str| -> Option<String> {
            let t = match s.time.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                Some(x) => match chrono::NaiveTime::parse_from_str(x, "%H:%M") {
                    Ok(t) => t,
                    Err(_) => {
                        e.add("time", "时间格式应为 时:分，如 09:30");
                        return None;
                    }
                },
                None if d == now.date().format("%Y-%m-%d").to_string() => now.time(),
                None => {
                    e.add("time", "请填写时间（时:分）：移送时限按小时计算");
                    return None;
                }
            };
            let at = date(d)?.and_time(t);
            if at > now {
                e.add("time", "时间不能晚于现在");
            }
            Some(at.format(TIME).to_string())
        };
        match action {
            "approve" | "reject" => {
                let d = day("date", s.date.as_deref(), Some(&t.report_on));
                t.decided_at = time_of(&mut e, &d);
                t.decided_on = Some(d);
                let approver = s.approver.clone().unwrap_or_default();
                if approver.trim().is_empty() || approver.chars().count() > 50 {
                    e.add(
                        "approver",
                        "请填写作出决定的负责人姓名（本机关正职负责人或者主持工作的负责人）",
                    );
                }
                match s
                    .capacity
                    .as_deref()
                    .map(str::trim)
                    .and_then(transfer::Capacity::parse)
                {
                    Some(c) => t.decided_as = c.as_str().to_string(),
                    None => e.add(
                        "capacity",
                        "移送须由本机关正职负责人或者主持工作的负责人决定，请选择其身份",
                    ),
                }
                t.decided_by = approver.trim().to_string();
                if action == "reject" {
                    let reason = s.reason.clone().unwrap_or_default();
                    if reason.trim().is_empty() {
                        e.add("reason", "决定不移送的，须记录理由");
                    }
                    t.reject_reason = reason.trim().to_string();
                }
            }
            "transfer" => {
                let d = day("date", s.date.as_deref(), t.decided_on.as_ref());
                t.transferred_at = time_of(&mut e, &d);
                if let (Some(at), Some(decided)) = (
                    t.transferred_at.as_deref().and_then(local_time),
                    t.decided_at.as_deref().and_then(local_time),
                ) && at < decided
                {
                    e.add("time", "移送时间不能早于批准时间");
                }
                t.transferred_on = Some(d);
                let unit = s.police_unit.clone().unwrap_or_default();
                if unit.trim().is_empty() {
                    e.add("police_unit", "请填写接受移送的公安机关");
                }
                t.police_unit = unit.trim().to_string();
            }
            _ => {
                let d = day("date", s.date.as_deref(), t.transferred_on.as_ref());
                let n = day("notified_on", s.notified_on.as_deref(), Some(&d));
                t.police_decided_on = Some(d);
                t.notified_on = Some(n);
                t.outcome = s.outcome.clone().unwrap_or_default().trim().to_string();
            }
        }
        e.into_result()?;
        t.status = next;
        let scope = caller.hazard_scope();
        let saved = self
            .store
            .update_transfer(&caller.change(&scope, self), &t, action)?;
        self.transfer_view(caller, saved)
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
