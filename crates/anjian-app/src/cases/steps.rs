//! Reading cases and taking their steps.

use super::*;
use crate::step_day::day_of;
use anjian_domain::cases::pause::{self, Pause, PauseKind};
use anjian_domain::cases::{Overturn, RightsWaived};
use anjian_domain::decision_period::Level;

/// Ends the open hearing period (the hearing was held, withdrawn or not attended).
fn end_hearing(c: &mut Case, today: chrono::NaiveDate) {
    for p in c.pauses.iter_mut() {
        if p.kind == PauseKind::Hearing && p.to.is_none() {
            p.to = Some(today.max(p.from));
        }
    }
}

impl App {
    pub fn case(&self, caller: &Caller, id: i64) -> Result<(CaseView, Vec<CaseEvent>)> {
        let (c, ev) = self.store.get_case(&caller.scope, id)?;
        Ok((self.case_view(caller, c)?, ev))
    }

    /// Every case in scope (for ledgers and deadline scans).
    pub fn cases(
        &self,
        caller: &Caller,
        procedure: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<CaseView>> {
        crate::every(
            |k| self.store.list_cases(&caller.scope, procedure, status, k),
            |c| self.case_view(caller, c),
        )
    }

    /// One page of the cases in scope, newest first.
    pub fn cases_page(
        &self,
        caller: &Caller,
        procedure: Option<&str>,
        status: Option<&str>,
        k: &crate::Keyset,
    ) -> Result<crate::Page<CaseView>> {
        crate::page_of(
            self.store.list_cases(&caller.scope, procedure, status, k)?,
            |c| self.case_view(caller, c),
        )
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
        let status = c.status;
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
            workflow::transition::<cases::SimpleCase>(
                &self.simple_facts(&c, status)?,
                action,
                &who,
            )?
        } else {
            if action == CaseAction::Decide {
                let (notified_fine, notified_measures) = (c.fine_fen, c.measures.clone());
                if let Some(f) = step.fine_yuan {
                    c.fine_fen = e
                        .check("fine_yuan", cases::yuan_to_fen(f))
                        .unwrap_or(c.fine_fen);
                }
                if let Some(m) = &step.measures {
                    c.measures = Self::measures_of(&mut e, m);
                }
                // Once the party was told the proposed penalty (告知书), the decision may not
                // be heavier without a new notice and statement period (arts. 44, 45).
                if c.notified_on.is_some()
                    && cases::heavier_than_notified(
                        notified_fine,
                        &notified_measures,
                        c.fine_fen,
                        &c.measures,
                    )
                {
                    e.add(
                        "fine_yuan",
                        format!(
                            "处罚决定不得重于告知书告知的处罚（{}，{}）；如需加重，须重新告知并给予陈述、申辩期（《行政处罚法》第四十四条、第四十五条）",
                            cases::fen_text(notified_fine),
                            Self::measures_label(&notified_measures)
                        ),
                    );
                }
                c.major = self.is_major(&c.party_kind, c.fine_fen, &c.measures)?;
            }
            cases::transition(&self.general_facts(&c), action, &who)?
        };
        match action {
            CaseAction::Notify => c.notified_on = Some(today),
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
                c.legal_reviewed_on = Some(today);
            }
            CaseAction::Examine => {
                if note.is_empty() {
                    e.add("note", "请填写案件审理意见");
                }
                c.examined_on = Some(today);
            }
            CaseAction::Discuss => {
                if note.is_empty() {
                    e.add("note", "请填写参加集体讨论的负责人和讨论结论");
                }
                c.discussed_on = Some(today);
            }
            CaseAction::Extend => {
                let approver = step.approver.clone().unwrap_or_default().trim().to_string();
                if approver.is_empty() {
                    e.add(
                        "approver",
                        "延长办案期限须经行政机关负责人批准，请填写批准人",
                    );
                }
                let level = match step.level.as_deref().map(str::trim) {
                    None | Some("") => Some(Level::Head),
                    Some(l) => Level::parse(l),
                };
                let rule = self.decision_rule(&c)?;
                let already = u32::try_from(c.extension_days).unwrap_or(0);
                match (level, &rule, step.days) {
                    (None, ..) => e.add("level", "批准层级应为 head（本部门负责人）或 superior（上一级部门）"),
                    (Some(level), Some(rule), Some(d)) if rule.may_extend(already, d, level) => {
                        c.extension_days += i64::from(d);
                        note = format!("延长{d}日，批准人：{approver}（{}）。{note}", level.label());
                    }
                    (Some(level), Some(rule), _) => e.add(
                        "days",
                        format!(
                            "延长天数须为1日以上；经{}批准，办案期限合计不超过{}日（已延长{already}日）",
                            level.label(),
                            rule.cap(level)
                        ),
                    ),
                    (Some(_), None, _) => e.add("days", "立案日期不正确，无法计算办案期限"),
                }
            }
            CaseAction::Decide => c.decided_on = Some(today),
            CaseAction::Serve => {
                let decided = c.decided_on.map(|d| (d, "决定日期"));
                let on = day_of(
                    &mut e,
                    "served_on",
                    "送达日期",
                    step.served_on.as_deref(),
                    today,
                    decided,
                );
                c.served_on = on;
            }
            CaseAction::RequestHearing => c.pauses.push(Pause {
                kind: PauseKind::Hearing,
                from: today,
                to: None,
                note: String::new(),
            }),
            CaseAction::Hear => end_hearing(&mut c, today),
            CaseAction::ScheduleHearing => {
                let asked = c
                    .pauses
                    .iter()
                    .rev()
                    .find(|p| p.kind == PauseKind::Hearing)
                    .map(|p| p.from);
                let served = day_of(
                    &mut e,
                    "on",
                    "听证通知送达日期",
                    step.on.as_deref(),
                    today,
                    asked.map(|a| (a, "听证申请日期")),
                );
                let hearing = match step.hearing_on.as_deref().map(str::trim) {
                    None | Some("") => {
                        e.add("hearing_on", "请填写举行听证的日期");
                        None
                    }
                    Some(x) => e.check("hearing_on", parse_date(x)),
                };
                if let (Some(served), Some(hearing)) = (served, hearing) {
                    // 行政处罚法 art. 64(2): notified at least seven days before the hearing;
                    // art. 85: those seven days are working days.
                    match self.calendar()?.add_working_days(served, 7) {
                        Some(first) if hearing >= first => {
                            c.hearing_notified_on = Some(served);
                            c.hearing_on = Some(hearing);
                        }
                        Some(first) => e.add(
                            "hearing_on",
                            format!(
                                "应当在举行听证的七个工作日前通知当事人；{served}送达通知的，听证日期不得早于{first}（《行政处罚法》第六十四条第二项、第八十五条）"
                            ),
                        ),
                        None => e.add("hearing_on", "该年度节假日安排未维护，无法计算工作日"),
                    }
                }
            }
            CaseAction::Waive => {
                if note.is_empty() {
                    e.add("note", "请注明当事人放弃陈述申辩和听证的方式（如书面声明）");
                }
                c.rights_waived = RightsWaived::Waived;
            }
            CaseAction::WithdrawHearing | CaseAction::HearingAbsent => {
                c.rights_waived = if action == CaseAction::WithdrawHearing {
                    RightsWaived::Withdrawn
                } else {
                    RightsWaived::Absent
                };
                end_hearing(&mut c, today);
            }
            CaseAction::Suspend | CaseAction::Stay => {
                let before = action == CaseAction::Suspend;
                let kind = step
                    .kind
                    .as_deref()
                    .map(str::trim)
                    .and_then(PauseKind::parse)
                    .filter(|k| PauseKind::of_phase(before).any(|x| x == *k));
                let names: Vec<&str> = PauseKind::of_phase(before).map(PauseKind::label).collect();
                match kind {
                    None => e.add("kind", format!("期间类别应为：{}", names.join("、"))),
                    Some(k) if pause::open_of(&c.pauses, k).is_some() => {
                        e.add("kind", format!("{}期间已在计算中", k.label()))
                    }
                    Some(k) => {
                        let floor = if before {
                            Some((c.registered_on, "立案日期"))
                        } else {
                            c.decided_on.map(|d| (d, "决定日期"))
                        };
                        if let Some(from) =
                            day_of(&mut e, "on", "开始日期", step.on.as_deref(), today, floor)
                        {
                            c.pauses.push(Pause {
                                kind: k,
                                from,
                                to: None,
                                note: note.clone(),
                            });
                        }
                    }
                }
            }
            CaseAction::Resume => {
                let open: Vec<PauseKind> = c
                    .pauses
                    .iter()
                    .filter(|p| p.kind.manual() && p.to.is_none())
                    .map(|p| p.kind)
                    .collect();
                let kind = match step
                    .kind
                    .as_deref()
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                {
                    Some(k) => PauseKind::parse(k).filter(|k| open.contains(k)),
                    None if open.len() == 1 => open.first().copied(),
                    None => None,
                };
                match kind {
                    None => e.add(
                        "kind",
                        format!(
                            "请选择要结束的期间：{}",
                            open.iter()
                                .map(|k| k.label())
                                .collect::<Vec<_>>()
                                .join("、")
                        ),
                    ),
                    Some(k) => {
                        let from = pause::open_of(&c.pauses, k).map(|p| p.from);
                        if let Some(to) = day_of(
                            &mut e,
                            "on",
                            "结束日期",
                            step.on.as_deref(),
                            today,
                            from.map(|f| (f, "该期间开始日期")),
                        ) {
                            for p in c.pauses.iter_mut() {
                                if p.kind == k && p.to.is_none() {
                                    p.to = Some(to);
                                }
                            }
                        }
                    }
                }
            }
            CaseAction::Overturn => {
                let kind =
                    Overturn::of_step(step.kind.as_deref().map(str::trim).unwrap_or_default());
                if kind.is_none() {
                    e.add("kind", "请选择：依法变更、依法撤销、确认违法或确认无效");
                }
                if note.is_empty() {
                    e.add("note", "请填写作出变更、撤销或确认的机关和文书");
                }
                let decided = c.decided_on.map(|d| (d, "决定日期"));
                if let Some(on) = day_of(
                    &mut e,
                    "on",
                    "变更或撤销日期",
                    step.on.as_deref(),
                    today,
                    decided,
                ) && let Some(kind) = kind
                {
                    c.overturned_on = Some(on);
                    c.overturn = kind;
                }
            }
            CaseAction::Execute => c.executed_on = Some(today),
            CaseAction::Close => c.closed_on = Some(today),
            CaseAction::Terminate => {
                if note.is_empty() {
                    e.add("note", "请填写终止理由");
                }
            }
            CaseAction::Investigate => {}
        }
        e.into_result()?;
        c.status = next;
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
}
