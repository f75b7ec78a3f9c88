//! Reports from the public (举报) and rewards (举报奖励): intake, assignment, verification
//! (a verified report can register a hazard and be linked to a penalty case), the reward by
//! the configured rule (only the first valid real-name reporter), approval and payment.

use crate::{App, AppError, Caller, Result};
use anjian_domain::report::ReportState;
use anjian_domain::report::{self, ReportAction, ReportFacts, ReportFlow};
use anjian_domain::reward::{self, Basis, RewardRule};
use anjian_domain::scope::Permission;
use anjian_domain::validation::parse_date;
use anjian_domain::workflow::offered;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::reports::Report;
use serde::{Deserialize, Serialize};

pub const CHANNELS: [&str; 6] = ["12350热线", "信件", "电子邮件", "传真", "来访", "网络平台"];
pub const CATEGORIES: [(&str, &str); 4] = [
    ("major_hazard", "重大事故隐患"),
    ("illegal", "安全生产非法违法行为"),
    ("concealed_accident", "瞒报谎报事故"),
    ("general", "一般事故隐患"),
];
/// Setting: the reward rule as JSON (see `anjian_domain::reward::RewardRule`).
pub const REWARD_RULE: &str = "reward_rule";

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    pub channel: String,
    #[serde(default)]
    pub received_on: Option<String>,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub reporter_name: Option<String>,
    #[serde(default)]
    pub reporter_phone: Option<String>,
    #[serde(default)]
    pub is_employee: bool,
    pub category: String,
    pub content: String,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportStep {
    /// assign | verify | reward | pay
    pub action: String,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// verify: "verified" | "unfounded"
    #[serde(default)]
    pub outcome: Option<String>,
    /// verify: register a hazard from the report.
    #[serde(default)]
    pub create_hazard: bool,
    #[serde(default)]
    pub case_id: Option<i64>,
    #[serde(default)]
    pub accident_level: Option<i64>,
    #[serde(default)]
    pub concealed_deaths: Option<i64>,
    /// verify (concealed accident): the day of the accident; with the enterprise (or the
    /// place) it keys the accident, so a second report of it is the same matter.
    #[serde(default)]
    pub accident_on: Option<String>,
    /// reward: who approved (the review committee).
    #[serde(default)]
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    #[serde(flatten)]
    pub report: Report,
    pub category_label: &'static str,
    pub status_label: &'static str,
    pub reward_yuan: Option<f64>,
    pub allowed_actions: Vec<&'static str>,
}

/// Whether a reward can be paid to the reporter: a real-name reporter, or an anonymous one
/// who left a phone where the county's rule allows it.
fn payable(rule: &RewardRule, r: &Report) -> bool {
    !r.anonymous || (rule.anonymous_with_contact && !r.reporter_phone.trim().is_empty())
}

impl App {
    /// What the report's rules look at; the earlier reports on its matter matter only once
    /// it is verified (before a reward).
    fn facts_of(&self, r: &Report) -> Result<ReportFacts> {
        let earlier_on_matter = if r.status == ReportState::Verified {
            self.store
                .earlier_report_on_matter(r)?
                .map(|(_, s)| matches!(s, ReportState::Received | ReportState::Assigned))
        } else {
            None
        };
        Ok(ReportFacts {
            state: r.status,
            anonymous: !payable(&self.reward_rule()?, r),
            earlier_on_matter,
        })
    }
}

impl App {
    pub fn reward_rule(&self) -> Result<RewardRule> {
        Ok(self
            .store
            .setting(REWARD_RULE)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    pub fn set_reward_rule(&self, caller: &Caller, rule: &RewardRule) -> Result<RewardRule> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let mut e = ValidationErrors::new();
        if rule.fine_share_bp <= 0 || rule.fine_share_bp > 10_000 {
            e.add("fine_share_bp", "罚款比例须在0至100%之间（以万分之一计）");
        }
        if rule.min_fen < 0 || rule.max_fen < rule.min_fen {
            e.add("max_fen", "奖励上限不能低于下限");
        }
        if rule.per_death_fen.iter().any(|v| *v <= 0) || rule.concealed_max_fen <= 0 {
            e.add("per_death_fen", "瞒报事故奖励金额须大于0");
        }
        if rule.general_hazard_fen < 0 || !(0..=10_000).contains(&rule.employee_bonus_bp) {
            e.add("employee_bonus_bp", "本地上浮比例须在0至100%之间");
        }
        if rule.version.trim().is_empty() {
            e.add("version", "请填写规则依据（文号）");
        }
        e.into_result()?;
        let json = serde_json::to_string(rule).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .set_setting(&caller.change(&Scope::system(), self), REWARD_RULE, &json)?;
        Ok(rule.clone())
    }

    fn report_view(&self, caller: &Caller, r: Report) -> Result<ReportView> {
        let facts = self.facts_of(&r)?;
        let who = caller.actor(&r.region_code, &r.sector, r.enterprise_id);
        let mut allowed_actions: Vec<&'static str> = offered::<ReportFlow>(&facts, &who)
            .into_iter()
            .map(ReportAction::as_str)
            .collect();
        allowed_actions.dedup();
        Ok(ReportView {
            category_label: CATEGORIES
                .iter()
                .find(|(k, _)| *k == r.category)
                .map(|(_, l)| *l)
                .unwrap_or(""),
            status_label: facts.state.label(),
            reward_yuan: r.reward_fen.map(|f| f as f64 / 100.0),
            allowed_actions,
            report: r,
        })
    }

    pub fn receive_report(&self, caller: &Caller, input: &ReportInput) -> Result<ReportView> {
        if !caller.can(Permission::Supervise) {
            return Err(AppError::Forbidden(
                "仅安委办、监管部门和乡镇可以受理举报".into(),
            ));
        }
        let mut e = ValidationErrors::new();
        if !CHANNELS.contains(&input.channel.trim()) {
            e.add("channel", format!("举报渠道须为：{}", CHANNELS.join("、")));
        }
        if !CATEGORIES.iter().any(|(k, _)| *k == input.category) {
            e.add("category", "举报类别不正确");
        }
        let content = input.content.trim();
        if content.is_empty() || content.chars().count() > 5000 {
            e.add("content", "请填写举报内容（5000字以内）");
        }
        let name = input
            .reporter_name
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string();
        let mut phone = input
            .reporter_phone
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string();
        if !input.anonymous {
            if name.is_empty() {
                e.add("reporter_name", "实名举报须填写举报人姓名");
            }
            match anjian_domain::phone::parse_phone(&phone) {
                Ok(p) => phone = p,
                Err(m) => e.add("reporter_phone", m),
            }
        } else if !phone.is_empty() {
            // An anonymous reporter may leave a way to be reached (for the reward, where the
            // county's rule allows it).
            match anjian_domain::phone::parse_phone(&phone) {
                Ok(p) => phone = p,
                Err(m) => e.add("reporter_phone", m),
            }
        }
        let today = self.clock.today();
        let received = match input
            .received_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => today,
            Some(s) => match parse_date(s) {
                Ok(d) if d <= today => d,
                Ok(_) => {
                    e.add("received_on", "受理日期不能晚于今天");
                    today
                }
                Err(m) => {
                    e.add("received_on", m);
                    today
                }
            },
        };
        let (region, sector) = match input.enterprise_id {
            Some(eid) => match self.store.get_enterprise(&caller.scope, eid) {
                Ok(ent) => (
                    ent.region_code.to_string(),
                    input
                        .sector
                        .clone()
                        .or_else(|| ent.sectors.first().cloned())
                        .unwrap_or_default(),
                ),
                Err(_) => {
                    e.add("enterprise_id", "企业不存在或不在管辖范围内");
                    (String::new(), String::new())
                }
            },
            None => (
                input.region_code.clone().unwrap_or_default(),
                input.sector.clone().unwrap_or_default(),
            ),
        };
        if anjian_domain::RegionCode::parse(&region).is_err() {
            e.add("region_code", "请指定被举报企业或有效的区划");
        }
        if sector.is_empty() {
            e.add("sector", "请指定行业领域");
        }
        e.into_result()?;
        let r = Report {
            region_code: region,
            sector,
            enterprise_id: input.enterprise_id,
            channel: input.channel.trim().to_string(),
            received_on: received,
            anonymous: input.anonymous,
            reporter_name: if input.anonymous { String::new() } else { name },
            reporter_phone: phone,
            is_employee: input.is_employee,
            category: input.category.clone(),
            content: content.to_string(),
            ..Default::default()
        };
        let saved = self
            .store
            .create_report(&caller.change(&caller.hazard_scope(), self), &r)?;
        self.report_view(caller, saved)
    }

    pub fn report(&self, caller: &Caller, id: i64) -> Result<ReportView> {
        let r = self.store.get_report(&caller.scope, id)?;
        self.report_view(caller, r)
    }

    /// Every report in scope (for the ledger).
    pub fn reports(&self, caller: &Caller) -> Result<Vec<ReportView>> {
        crate::every(
            |k| self.store.list_reports(&caller.scope, k),
            |r| self.report_view(caller, r),
        )
    }

    /// One page of the reports in scope, newest first.
    pub fn reports_page(
        &self,
        caller: &Caller,
        k: &crate::Keyset,
    ) -> Result<crate::Page<ReportView>> {
        crate::page_of(self.store.list_reports(&caller.scope, k)?, |r| {
            self.report_view(caller, r)
        })
    }

    pub fn report_step(&self, caller: &Caller, id: i64, s: &ReportStep) -> Result<ReportView> {
        let r = self.store.get_report(&caller.scope, id)?;
        let step = match (s.action.trim(), s.outcome.as_deref()) {
            ("assign", _) => ReportAction::Assign,
            ("verify", Some("unfounded")) => ReportAction::Dismiss,
            // A missing or wrong outcome is reported on its field below.
            ("verify", _) => ReportAction::Verify,
            ("reward", _) => ReportAction::Reward,
            ("pay", _) => ReportAction::Pay,
            _ => {
                return Err(AppError::Validation(ValidationErrors::single(
                    "action",
                    "操作应为 assign、verify、reward 或 pay",
                )));
            }
        };
        let next = report::transition(
            &self.facts_of(&r)?,
            step,
            &caller.actor(&r.region_code, &r.sector, r.enterprise_id),
        )?;
        let action = step.as_str();
        if let Some(v) = s.version
            && v != r.version
        {
            return Err(AppError::Conflict(
                "该举报已被他人办理，请刷新后重试".into(),
            ));
        }
        let mut r = r;
        let mut e = ValidationErrors::new();
        let today = self.clock.today();
        let day = match s.date.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            None => today,
            Some(x) => match parse_date(x) {
                Ok(d) if d <= today && d >= r.received_on => d,
                Ok(_) => {
                    e.add("date", "日期须在受理日期与今天之间");
                    today
                }
                Err(m) => {
                    e.add("date", m);
                    today
                }
            },
        };
        let mut new_hazard = None;
        match action {
            "assign" => match s.department_id {
                Some(d)
                    if self
                        .store
                        .get_department(&caller.scope, d, self.clock.today())
                        .is_ok() =>
                {
                    r.department_id = Some(d);
                }
                _ => e.add("department_id", "请选择承办核查的部门"),
            },
            "verify" => {
                let note = s.note.clone().unwrap_or_default();
                if note.trim().is_empty() {
                    e.add("note", "请填写核查情况");
                }
                r.verify_note = note.trim().to_string();
                r.verified_on = Some(day);
                match s.outcome.as_deref() {
                    Some("unfounded") => {}
                    Some("verified") => {
                        if let Some(cid) = s.case_id {
                            if self.store.get_case(&caller.scope, cid).is_err() {
                                e.add("case_id", "案件不存在或不在管辖范围内");
                            }
                            r.case_id = Some(cid);
                        }
                        if r.category == "concealed_accident" {
                            match (s.accident_level, s.concealed_deaths) {
                                (Some(l), Some(d)) if (0..=3).contains(&l) && d > 0 => {
                                    r.accident_level = Some(l);
                                    r.concealed_deaths = Some(d);
                                }
                                _ => e.add(
                                    "concealed_deaths",
                                    "请填写事故等级（0一般至3特别重大）和瞒报死亡人数",
                                ),
                            }
                            match s
                                .accident_on
                                .as_deref()
                                .map(str::trim)
                                .filter(|d| !d.is_empty())
                            {
                                None => e.add("accident_on", "请填写被瞒报事故的发生日期"),
                                Some(d) => match parse_date(d) {
                                    Ok(d) if d > self.clock.today() => {
                                        e.add("accident_on", "事故日期不能晚于今天")
                                    }
                                    Ok(d) => {
                                        r.accident_key = format!(
                                            "{}|{d}",
                                            r.enterprise_id
                                                .map(|id| id.to_string())
                                                .unwrap_or_else(|| r.region_code.clone())
                                        )
                                    }
                                    Err(m) => e.add("accident_on", m),
                                },
                            }
                        }
                        if s.create_hazard
                            && !matches!(r.category.as_str(), "major_hazard" | "general")
                        {
                            e.add("create_hazard", "只有隐患类举报可以登记为隐患");
                        }
                        new_hazard = s.create_hazard.then(|| crate::hazards::HazardInput {
                            enterprise_id: r.enterprise_id,
                            region_code: r.region_code.clone(),
                            sector: r.sector.clone(),
                            level: if r.category == "major_hazard" {
                                "major"
                            } else {
                                "general"
                            }
                            .into(),
                            source: "public_report".into(),
                            description: r.content.chars().take(500).collect(),
                            found_on: day.format("%Y-%m-%d").to_string(),
                            ..Default::default()
                        });
                    }
                    _ => e.add(
                        "outcome",
                        "核查结论须为查证属实（verified）或查无实据（unfounded）",
                    ),
                }
            }
            "reward" => {
                let rule = self.reward_rule()?;
                let basis = match r.category.as_str() {
                    "concealed_accident" => Basis::Concealed {
                        level: r
                            .accident_level
                            .unwrap_or(-1)
                            .try_into()
                            .unwrap_or(usize::MAX),
                        deaths: r.concealed_deaths.unwrap_or(0),
                    },
                    "general" => Basis::GeneralHazard,
                    _ => {
                        let fine = match r.case_id {
                            Some(cid) => self
                                .store
                                .get_case(&Scope::system(), cid)
                                .ok()
                                .filter(|c| c.0.decided_on.is_some())
                                .map(|c| c.0.fine_fen)
                                .unwrap_or(0),
                            None => 0,
                        };
                        Basis::Fine(fine)
                    }
                };
                match reward::compute(&rule, basis, !payable(&rule, &r), r.is_employee) {
                    Ok((fen, formula)) => {
                        r.reward_fen = Some(fen);
                        r.reward_formula = format!("{formula}（{}）", rule.version);
                    }
                    Err(err) => e.add("reward", err.to_string()),
                }
                let by = s.approved_by.clone().unwrap_or_default();
                if by.trim().is_empty() {
                    e.add("approved_by", "请填写评审批准人（举报奖励评审委员会）");
                }
                r.approved_by = by.trim().to_string();
                r.approved_on = Some(day);
            }
            _ => {
                r.paid_on = Some(day);
            }
        }
        e.into_result()?;
        r.status = next;
        if let Some(h) = new_hazard {
            let hv = self.create_hazard(caller, &h)?;
            r.hazard_id = Some(hv.hazard.id);
        }
        let saved =
            self.store
                .update_report(&caller.change(&caller.hazard_scope(), self), &r, action)?;
        self.report_view(caller, saved)
    }
}
