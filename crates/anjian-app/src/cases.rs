//! Penalty cases: the simple procedure within its statutory limits, and the general
//! procedure with its steps, legal review gate and time limits on the right calendar.

use crate::{App, AppError, Caller, Result};
use anjian_domain::calendar::Basis;
use anjian_domain::penalty::{self, CaseAction, CaseFacts, CaseStatus, PartyKind, Procedure};
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

/// Setting keys for the fines above which a decision is major (法制审核 mandatory), in 元.
pub const REVIEW_FINE_ORGANISATION: &str = "legal_review_fine_organisation";
pub const REVIEW_FINE_PERSON: &str = "legal_review_fine_person";

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
    /// Extend: days added to the decision period, and who approved it.
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub approver: Option<String>,
}

/// A legal time limit of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limit {
    pub step: &'static str,
    pub due: String,
    pub basis: &'static str,
    pub rule: &'static str,
    pub met: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
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
            .check("fine_yuan", penalty::yuan_to_fen(input.fine_yuan))
            .unwrap_or(0);
        if let (Some(Procedure::Simple), Some(p)) = (procedure, party)
            && let Err(m) = penalty::check_simple(p, fine_fen)
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
                },
                &mut e,
            )?
        } else {
            None
        };
        self.check_campaign(&mut e, &region, input.campaign.as_deref())?;
        e.into_result()?;
        let (Some(procedure), Some(party), Some(date), Some(county)) =
            (procedure, party, date, county)
        else {
            return Err(ValidationErrors::single("_", "数据无效").into());
        };
        let simple = procedure == Procedure::Simple;
        let day = date.to_string();
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
            }
            .as_str()
            .into(),
            registered_on: day.clone(),
            notified_on: None,
            legal_review: String::new(),
            legal_reviewed_on: None,
            decided_on: simple.then(|| day.clone()),
            served_on: simple.then(|| day.clone()),
            executed_on: None,
            closed_on: None,
            hazard_id: input.hazard_id,
            inspection_id: None,
            campaign: input.campaign.clone().filter(|c| !c.trim().is_empty()),
            discussed_on: None,
            extension_days: 0,
            examined_on: None,
            version: 1,
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

    fn case_limits(&self, c: &Case) -> Result<Vec<Limit>> {
        let cal = self.calendar()?;
        let today = self.clock.today();
        let d = |s: &Option<String>| s.as_deref().and_then(|x| parse_date(x).ok());
        let mut out = Vec::new();
        let mut push = |step: &'static str,
                        start: Option<chrono::NaiveDate>,
                        n: u32,
                        basis: Basis,
                        rule: &'static str,
                        done: Option<chrono::NaiveDate>| {
            let Some(start) = start else { return };
            let due = match basis {
                Basis::WorkingDays => cal.add_working_days(start, n),
                Basis::CalendarDays => cal.add_calendar_days(start, n),
            };
            if let Some(due) = due {
                let met = done.is_some_and(|x| x <= due);
                out.push(Limit {
                    step,
                    due: due.to_string(),
                    basis: basis.label(),
                    rule,
                    met,
                    overdue: done.is_none() && today > due && c.status != "terminated",
                });
            }
        };
        if c.procedure == "general" {
            push(
                "作出处罚决定",
                d(&Some(c.registered_on.clone())),
                90 + u32::try_from(c.extension_days).unwrap_or(0),
                Basis::CalendarDays,
                "《行政处罚法》第六十条：自立案之日起九十日内",
                d(&c.decided_on),
            );
            push(
                "申请听证",
                d(&c.notified_on),
                5,
                Basis::WorkingDays,
                "《行政处罚法》第六十四条、第八十五条：告知后五个工作日内",
                d(&c.decided_on).or(if c.status == "hearing_requested" || c.status == "heard" {
                    Some(today)
                } else {
                    None
                }),
            );
            push(
                "送达决定书",
                d(&c.decided_on),
                7,
                Basis::WorkingDays,
                "《行政处罚法》第六十一条、第八十五条：七个工作日内送达",
                d(&c.served_on),
            );
        }
        push(
            "缴纳罚款",
            d(&c.served_on).filter(|_| c.fine_fen > 0),
            15,
            Basis::CalendarDays,
            "《行政处罚法》第六十七条：收到决定书之日起十五日内",
            d(&c.executed_on),
        );
        Ok(out)
    }

    /// The simple-procedure facts of a case: whether it was opened under a 委托执法
    /// commission (then the commissioned township's officers execute and close it too).
    fn simple_facts(&self, c: &Case, status: CaseStatus) -> Result<penalty::SimpleFacts> {
        Ok(penalty::SimpleFacts {
            status,
            commissioned: self.store.case_commission(c.id)?.is_some(),
        })
    }

    fn case_view(&self, caller: &Caller, c: Case) -> Result<CaseView> {
        let limits = self.case_limits(&c)?;
        let status = CaseStatus::parse(&c.status).unwrap_or(CaseStatus::Registered);
        let who = caller.actor(&c.region_code, &c.sector, c.enterprise_id);
        let allowed = if c.procedure == "simple" {
            offered::<penalty::SimpleCase>(&self.simple_facts(&c, status)?, &who)
        } else {
            // The gates (法制审核, 集体讨论 ...) are checked when the step is taken, with
            // a message naming what is missing; the page offers the step.
            let facts = CaseFacts {
                status,
                major: c.major,
                legal_review_passed: true,
                discussed: true,
                examined: true,
                notice_period_over: true,
            };
            offered::<penalty::GeneralCase>(&facts, &who)
        }
        .into_iter()
        .map(CaseAction::as_str)
        .collect();
        let payment_due = limits
            .iter()
            .find(|l| l.step == "缴纳罚款")
            .and_then(|l| parse_date(&l.due).ok());
        let days_late = match (payment_due, &c.executed_on) {
            (Some(due), None) => (self.clock.today() - due).num_days(),
            _ => 0,
        };
        Ok(CaseView {
            fine_yuan: c.fine_fen as f64 / 100.0,
            status_label: status.label(),
            late_surcharge_yuan: penalty::late_surcharge(c.fine_fen, days_late) as f64 / 100.0,
            limits,
            allowed_actions: allowed,
            case: c,
        })
    }

    /// The 委托执法 commission a case was opened under: (commission id, item code, agency).
    pub fn case_commission(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<Option<(i64, String, String)>> {
        self.store.get_case(&caller.scope, id)?;
        Ok(self.store.case_commission(id)?)
    }

    pub fn case(&self, caller: &Caller, id: i64) -> Result<(CaseView, Vec<CaseEvent>)> {
        let (c, ev) = self.store.get_case(&caller.scope, id)?;
        Ok((self.case_view(caller, c)?, ev))
    }

    pub fn cases(
        &self,
        caller: &Caller,
        procedure: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<CaseView>> {
        self.store
            .list_cases(&caller.scope, procedure, status, 500)?
            .into_iter()
            .map(|c| self.case_view(caller, c))
            .collect()
    }

    pub fn case_step(&self, caller: &Caller, id: i64, step: &CaseStep) -> Result<CaseView> {
        let action = CaseAction::parse(step.action.trim()).ok_or_else(|| {
            AppError::Validation(ValidationErrors::single("action", "操作不正确"))
        })?;
        let (mut c, _) = self.store.get_case(&caller.scope, id)?;
        if let Some(v) = step.version
            && v != c.version
        {
            return Err(AppError::Conflict(
                "该案件已被他人办理，请刷新后重试".into(),
            ));
        }
        let version = c.version;
        let today = self.clock.today();
        let status = CaseStatus::parse(&c.status)
            .ok_or_else(|| AppError::Internal(format!("case status {}", c.status)))?;
        let who = caller.actor(&c.region_code, &c.sector, c.enterprise_id);
        let mut note = step
            .note
            .clone()
            .unwrap_or_default()
            .trim()
            .chars()
            .take(2000)
            .collect::<String>();
        let mut e = ValidationErrors::new();
        let next = if c.procedure == "simple" {
            workflow::transition::<penalty::SimpleCase>(
                &self.simple_facts(&c, status)?,
                action,
                &who,
            )?
        } else {
            let notice_over = match &c.notified_on {
                Some(n) => {
                    parse_date(n)
                        .ok()
                        .and_then(|n| self.calendar().ok()?.add_working_days(n, 5))
                        .is_none_or(|due| today > due)
                        || status == CaseStatus::Heard
                }
                None => true,
            };
            if action == CaseAction::Decide {
                if let Some(f) = step.fine_yuan {
                    c.fine_fen = e
                        .check("fine_yuan", penalty::yuan_to_fen(f))
                        .unwrap_or(c.fine_fen);
                }
                if let Some(m) = &step.measures {
                    c.measures = Self::measures_of(&mut e, m);
                }
                c.major = self.is_major(&c.party_kind, c.fine_fen, &c.measures)?;
            }
            let facts = CaseFacts {
                status,
                major: c.major,
                legal_review_passed: c.legal_review.starts_with("pass"),
                discussed: c.discussed_on.is_some(),
                examined: c.examined_on.is_some(),
                notice_period_over: notice_over,
            };
            penalty::transition(&facts, action, &who)?
        };
        match action {
            CaseAction::Notify => c.notified_on = Some(today.to_string()),
            CaseAction::LegalReview => {
                let reviewer = step.reviewer.clone().unwrap_or_default().trim().to_string();
                let outcome = step.outcome.clone().unwrap_or_default();
                if reviewer.is_empty() {
                    e.add("reviewer", "请填写法制审核人员");
                }
                if !matches!(outcome.as_str(), "pass" | "revise") {
                    e.add("outcome", "审核结论应为 pass（同意）或 revise（退回修改）");
                }
                if note.is_empty() {
                    e.add("note", "请填写审核意见");
                }
                c.legal_review = format!("{outcome}|{reviewer}|{note}");
                c.legal_reviewed_on = Some(today.to_string());
            }
            CaseAction::Examine => {
                if note.is_empty() {
                    e.add("note", "请填写案件审理意见");
                }
                c.examined_on = Some(today.to_string());
            }
            CaseAction::Discuss => {
                if note.is_empty() {
                    e.add("note", "请填写参加集体讨论的负责人和讨论结论");
                }
                c.discussed_on = Some(today.to_string());
            }
            CaseAction::Extend => {
                let approver = step.approver.clone().unwrap_or_default().trim().to_string();
                if approver.is_empty() {
                    e.add(
                        "approver",
                        "延长办案期限须经行政机关负责人批准，请填写批准人",
                    );
                }
                match step.days {
                    Some(d) if d >= 1 && c.extension_days + i64::from(d) <= 90 => {
                        c.extension_days += i64::from(d);
                        note = format!("延长{d}日，批准人：{approver}。{note}");
                    }
                    _ => e.add("days", "延长天数须为1日以上，累计不超过90日"),
                }
            }
            CaseAction::Decide => c.decided_on = Some(today.to_string()),
            CaseAction::Serve => c.served_on = Some(today.to_string()),
            CaseAction::Execute => c.executed_on = Some(today.to_string()),
            CaseAction::Close => c.closed_on = Some(today.to_string()),
            CaseAction::Terminate | CaseAction::RequestHearing | CaseAction::Hear => {
                if note.is_empty() && action == CaseAction::Terminate {
                    e.add("note", "请填写终止理由");
                }
            }
            CaseAction::Investigate => {}
        }
        e.into_result()?;
        c.status = next.as_str().into();
        let scope = caller.hazard_scope();
        let saved = self.store.update_case(
            &caller.change(&scope, self),
            id,
            version,
            &c,
            action.as_str(),
            &note,
        )?;
        self.case_view(caller, saved)
    }

    /// Penalty-case steps not yet done whose legal time limit falls within `days` days.
    pub fn due_soon_case_steps(
        &self,
        caller: &Caller,
        days: i64,
    ) -> Result<Vec<(i64, String, String)>> {
        let today = self.clock.today();
        let until = (today + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string();
        let today = today.format("%Y-%m-%d").to_string();
        Ok(self
            .cases(caller, None, None)?
            .into_iter()
            .filter(|v| !matches!(v.case.status.as_str(), "closed" | "terminated"))
            .flat_map(|v| {
                v.limits
                    .iter()
                    .filter(|l| !l.met && !l.overdue && l.due >= today && l.due <= until)
                    .map(|l| (v.case.id, l.step.to_string(), l.due.clone()))
                    .collect::<Vec<_>>()
            })
            .collect())
    }

    /// Cases with a legal time limit missed, in the caller's scope (for to-dos), including
    /// decisions not published within their period.
    pub fn overdue_case_steps(&self, caller: &Caller) -> Result<Vec<(i64, String, String)>> {
        let mut out: Vec<(i64, String, String)> = self
            .cases(caller, None, None)?
            .into_iter()
            .flat_map(|v| {
                v.limits
                    .iter()
                    .filter(|l| l.overdue)
                    .map(|l| (v.case.id, l.step.to_string(), l.due.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        out.extend(
            self.decision_publicity(caller)?
                .into_iter()
                .filter(|p| p.overdue)
                .map(|p| (p.case_id, "处罚决定公示".to_string(), p.due)),
        );
        Ok(out)
    }

    pub fn all_cases_system(&self) -> Result<Vec<Case>> {
        Ok(self.store.list_cases(&Scope::system(), None, None, 5000)?)
    }
}

/// One line of a case's full-process record (执法全过程记录).
#[derive(Debug, Clone, Serialize)]
pub struct RecordEntry {
    pub at: String,
    pub actor: String,
    pub what: String,
    /// The audit entry's sequence number and hash (its place in the tamper-evident chain).
    pub seq: i64,
    pub hash: String,
}

/// The full-process record of a case: every step, document and evidence file, each tied to
/// its audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    pub case_id: i64,
    pub entries: Vec<RecordEntry>,
    pub documents: Vec<anjian_store::documents::Document>,
    pub evidence: Vec<anjian_store::attachments::Attachment>,
}

impl App {
    pub fn case_record(&self, caller: &Caller, id: i64) -> Result<CaseRecord> {
        let (c, _) = self.store.get_case(&caller.scope, id)?;
        let documents = self.documents(caller, Some(("case", id)))?;
        let evidence = match c.hazard_id {
            Some(h) => self
                .store
                .hazard_attachments(&caller.scope, h)
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let mut targets = vec![("case".to_string(), id.to_string())];
        targets.extend(
            documents
                .iter()
                .map(|d| ("document".to_string(), d.id.to_string())),
        );
        let mut entries = Vec::new();
        for (entity, entity_id) in targets {
            let f = anjian_store::audit::AuditFilter {
                entity: Some(entity),
                entity_id: Some(entity_id),
                limit: 500,
                ..Default::default()
            };
            for a in self.store.list_audit(&Scope::system(), &f)? {
                let what = match a.action.as_str() {
                    "case.create" => "立案/当场决定".to_string(),
                    "document.issue" => format!(
                        "制发文书 {}",
                        documents
                            .iter()
                            .find(|d| d.id.to_string() == a.entity_id)
                            .map(|d| d.doc_no.as_str())
                            .unwrap_or("")
                    ),
                    "document.serve" => "登记送达".to_string(),
                    "case.publicity" => "登记公示".to_string(),
                    "case.publicity_withdraw" => "撤下公示".to_string(),
                    other => other
                        .strip_prefix("case.")
                        .and_then(CaseAction::parse)
                        .map(|x| x.label().to_string())
                        .unwrap_or_else(|| other.to_string()),
                };
                entries.push(RecordEntry {
                    at: crate::auth::local_time(&a.at),
                    actor: a.actor,
                    what,
                    seq: a.seq,
                    hash: a.hash,
                });
            }
        }
        entries.sort_by_key(|e| e.seq);
        Ok(CaseRecord {
            case_id: id,
            entries,
            documents,
            evidence,
        })
    }
}
