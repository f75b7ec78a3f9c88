//! The steps of a transfer: the head's decision, the transfer with its letter and copy, the
//! police's decisions, and the agency's reconsideration request and supervision request.

use super::limits::local_time;
use super::{TIME, TransferStep, TransferView};
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::transfer::{self, Capacity, PoliceLimit, TransferAction, TransferState};
use chrono::{NaiveDate, NaiveDateTime};

/// The day of a step (given, or today), not before the step it follows.
fn day_of(
    e: &mut ValidationErrors,
    field: &str,
    v: Option<&str>,
    today: NaiveDate,
    floor: Option<NaiveDate>,
) -> Option<NaiveDate> {
    crate::step_day::day_of(e, field, "日期", v, today, floor.map(|f| (f, "上一环节")))
}

/// The time of day of a step whose limit is in hours: given, or now when recorded the same
/// day; a past day needs its time.
fn time_of(
    e: &mut ValidationErrors,
    given: Option<&str>,
    d: Option<NaiveDate>,
    now: NaiveDateTime,
) -> Option<String> {
    let d = d?;
    let t = match given.map(str::trim).filter(|x| !x.is_empty()) {
        Some(x) => match chrono::NaiveTime::parse_from_str(x, "%H:%M") {
            Ok(t) => t,
            Err(_) => {
                e.add("time", "时间格式应为 时:分，如 09:30");
                return None;
            }
        },
        None if d == now.date() => now.time(),
        None => {
            e.add("time", "请填写时间（时:分）：移送时限按小时计算");
            return None;
        }
    };
    let at = d.and_time(t);
    if at > now {
        e.add("time", "时间不能晚于现在");
    }
    Some(at.format(TIME).to_string())
}

fn required(
    e: &mut ValidationErrors,
    field: &str,
    v: Option<&String>,
    max: usize,
    msg: &str,
) -> String {
    let v = v.map(|x| x.trim().to_string()).unwrap_or_default();
    if v.is_empty() || v.chars().count() > max {
        e.add(field, msg);
    }
    v
}

/// The step's day falls after a window of `days` (日, on the calendar) opened on `from`.
fn late(
    cal: &anjian_domain::calendar::Calendar,
    day: Option<NaiveDate>,
    from: Option<NaiveDate>,
    days: u32,
) -> bool {
    match (day, from) {
        (Some(d), Some(from)) => cal.add_calendar_days(from, days).is_some_and(|due| d > due),
        _ => false,
    }
}

/// Adds a part to the running account of the police's answers.
fn note(outcome: &mut String, label: &str, text: Option<&String>) {
    let text = text.map(|x| x.trim()).unwrap_or_default();
    let part = if text.is_empty() {
        label.to_string()
    } else {
        format!("{label}：{text}")
    };
    if outcome.is_empty() {
        *outcome = part;
    } else {
        outcome.push('；');
        outcome.push_str(&part);
    }
}

impl App {
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
                "操作应为 approve、reject、transfer、police_limit、police_filed、police_not_filed、reconsider 或 supervise",
            )));
        };
        let facts = self.transfer_facts(caller, &t)?;
        let next = transfer::transition(
            &facts,
            step,
            &caller.actor(&t.region_code, &t.sector, t.enterprise_id),
        )?;
        if let Some(v) = s.version
            && v != t.version
        {
            return Err(AppError::Conflict(
                "该事项已被他人办理，请刷新后重试".into(),
            ));
        }
        let cal = self.calendar()?;
        let mut t = t;
        let mut e = ValidationErrors::new();
        let today = self.clock.today();
        let now = self.clock.local_now();
        let date = s.date.as_deref();
        match step {
            TransferAction::Approve | TransferAction::Reject => {
                let d = day_of(&mut e, "date", date, today, Some(t.report_on));
                t.decided_at = time_of(&mut e, s.time.as_deref(), d, now);
                t.decided_on = d;
                t.decided_by = required(
                    &mut e,
                    "approver",
                    s.approver.as_ref(),
                    50,
                    "请填写作出决定的负责人姓名（本机关正职负责人或者主持工作的负责人）",
                );
                match s
                    .capacity
                    .as_deref()
                    .map(str::trim)
                    .and_then(Capacity::parse)
                {
                    Some(c) => t.decided_as = c.as_str().to_string(),
                    None => e.add(
                        "capacity",
                        "移送须由本机关正职负责人或者主持工作的负责人决定，请选择其身份",
                    ),
                }
                if step == TransferAction::Reject {
                    t.reject_reason = required(
                        &mut e,
                        "reason",
                        s.reason.as_ref(),
                        500,
                        "决定不移送的，须记录理由",
                    );
                }
            }
            TransferAction::Transfer => {
                let d = day_of(&mut e, "date", date, today, t.decided_on);
                t.transferred_at = time_of(&mut e, s.time.as_deref(), d, now);
                if let (Some(at), Some(decided)) = (
                    t.transferred_at.as_deref().and_then(local_time),
                    t.decided_at.as_deref().and_then(local_time),
                ) && at < decided
                {
                    e.add("time", "移送时间不能早于批准时间");
                }
                t.transferred_on = d;
                t.police_unit = required(
                    &mut e,
                    "police_unit",
                    s.police_unit.as_ref(),
                    100,
                    "请填写接受移送的公安机关",
                );
                // 应急〔2019〕54号: the 移送书 is copied to the procuratorate at the same level.
                t.copied_to = required(
                    &mut e,
                    "copied_to",
                    s.copied_to.as_ref(),
                    100,
                    "请填写抄送的同级人民检察院",
                );
                t.copied_on = d;
                t.accepted_on = match s.accepted_on.as_deref().filter(|x| !x.trim().is_empty()) {
                    Some(x) => day_of(&mut e, "accepted_on", Some(x), today, d),
                    None => d,
                };
            }
            TransferAction::PoliceLimit => {
                match s
                    .police_limit
                    .as_deref()
                    .map(str::trim)
                    .and_then(PoliceLimit::parse)
                {
                    Some(l) if l != PoliceLimit::Standard => t.police_limit = l,
                    _ => e.add(
                        "police_limit",
                        "请选择延长的情形：涉嫌犯罪线索需要查证（7日）或重大疑难复杂案件（30日）",
                    ),
                }
                t.police_limit_reason = required(
                    &mut e,
                    "reason",
                    s.reason.as_ref(),
                    500,
                    "请填写公安机关延长立案审查期限的理由和批准情况",
                );
            }
            TransferAction::PoliceFiled | TransferAction::PoliceNotFiled => {
                let filed = step == TransferAction::PoliceFiled;
                match t.status {
                    TransferState::Reconsidering => {
                        // The police's decision on reconsideration, by the day its notice came.
                        t.reconsider_decided_on =
                            day_of(&mut e, "date", date, today, t.reconsider_on);
                        note(
                            &mut t.outcome,
                            if filed {
                                "复议后立案"
                            } else {
                                "复议维持不予立案"
                            },
                            s.outcome.as_ref(),
                        );
                    }
                    TransferState::Supervising => {
                        t.supervision_decided_on =
                            day_of(&mut e, "date", date, today, t.supervision_on);
                        note(
                            &mut t.outcome,
                            if filed {
                                "经立案监督后立案"
                            } else {
                                "立案监督后仍不立案"
                            },
                            s.outcome.as_ref(),
                        );
                    }
                    _ => {
                        let floor = t.accepted_on.or(t.transferred_on);
                        let d = day_of(&mut e, "date", date, today, floor);
                        t.notified_on =
                            day_of(&mut e, "notified_on", s.notified_on.as_deref(), today, d);
                        t.police_decided_on = d;
                        t.outcome = s.outcome.clone().unwrap_or_default().trim().to_string();
                    }
                }
            }
            TransferAction::Reconsider => {
                let d = day_of(&mut e, "date", date, today, t.notified_on);
                if late(&cal, d, t.notified_on, transfer::RECONSIDER_WITHIN_DAYS) {
                    e.add(
                        "date",
                        "已超过提请复议的期限（收到不予立案通知书之日起3日内），可以建议人民检察院立案监督",
                    );
                }
                t.reconsider_on = d;
            }
            TransferAction::Supervise => {
                let d = day_of(
                    &mut e,
                    "date",
                    date,
                    today,
                    t.reconsider_decided_on.or(t.notified_on),
                );
                if late(
                    &cal,
                    d,
                    t.reconsider_decided_on,
                    transfer::SUPERVISION_WITHIN_DAYS,
                ) {
                    e.add(
                        "date",
                        "已超过建议立案监督的期限（收到复议决定通知书之日起3日内）",
                    );
                }
                t.supervision_on = d;
                t.procuratorate = required(
                    &mut e,
                    "procuratorate",
                    s.procuratorate.as_ref(),
                    100,
                    "请填写建议立案监督的人民检察院",
                );
            }
        }
        e.into_result()?;
        t.status = next;
        let scope = caller.hazard_scope();
        let saved = self
            .store
            .update_transfer(&caller.change(&scope, self), &t, step.as_str())?;
        self.transfer_view(caller, saved)
    }
}
