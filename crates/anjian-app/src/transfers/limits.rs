//! The time limits of a transfer, from its record: the agency's (decide in 3 days, transfer
//! within 24 hours), the police's (立案 within 3, 7 or 30 days of accepting; the written notice;
//! the answer to a reconsideration) and the agency's own windows after 不予立案.

use super::{TIME, TransferLimit};
use anjian_domain::calendar::Calendar;
use anjian_domain::transfer::{self, TransferState};
use anjian_store::transfers::Transfer;
use chrono::{NaiveDate, NaiveDateTime};

pub(super) fn local_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, TIME).ok()
}

/// When the head decided: the recorded time, or for records made before times were kept,
/// the end of the decision day (the most lenient reading).
pub(super) fn decided_at(t: &Transfer) -> Option<NaiveDateTime> {
    t.decided_at
        .as_deref()
        .and_then(local_time)
        .or_else(|| t.decided_on.and_then(|d| d.and_hms_opt(23, 59, 0)))
}

/// Limits in days, counted on the calendar (3日: the last day moves off a day off).
struct Days<'a> {
    cal: &'a Calendar,
    today: NaiveDate,
    out: Vec<TransferLimit>,
}

impl Days<'_> {
    /// A limit the other side must meet: overdue when undone past its day.
    fn owed(
        &mut self,
        step: &'static str,
        start: Option<NaiveDate>,
        days: u32,
        rule: &'static str,
        done: Option<NaiveDate>,
    ) {
        self.push(step, start, days, rule, done, true);
    }

    /// A right of the agency's that lapses: shown while open or once used, never overdue.
    fn window(
        &mut self,
        step: &'static str,
        start: Option<NaiveDate>,
        days: u32,
        rule: &'static str,
        done: Option<NaiveDate>,
        open: bool,
    ) {
        if open || done.is_some() {
            self.push(step, start, days, rule, done, false);
        }
    }

    fn push(
        &mut self,
        step: &'static str,
        start: Option<NaiveDate>,
        days: u32,
        rule: &'static str,
        done: Option<NaiveDate>,
        owed: bool,
    ) {
        let Some(start) = start else {
            return;
        };
        if let Some(due) = self.cal.add_calendar_days(start, days) {
            self.out.push(TransferLimit {
                step,
                due: due.format("%Y-%m-%d").to_string(),
                rule,
                met: done.is_some_and(|d| d <= due),
                overdue: owed && done.is_none() && self.today > due,
                calendar_gap: self.cal.gap(start, due),
            });
        }
    }
}

/// Every limit of the record, in the order of the steps.
pub(super) fn limits(
    t: &Transfer,
    cal: &Calendar,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Vec<TransferLimit> {
    let mut d = Days {
        cal,
        today,
        out: Vec::new(),
    };
    d.owed(
        "负责人作出是否移送决定",
        Some(t.report_on),
        transfer::DECIDE_WITHIN_DAYS,
        "收到移送报告之日起3日内",
        t.decided_on,
    );
    if !matches!(t.status, TransferState::Rejected | TransferState::Reported)
        && let Some(decided) = decided_at(t)
    {
        // Counted in hours from the recorded time of the decision (国务院令第310号 art. 5).
        let due = transfer::transfer_due(decided);
        let done = t
            .transferred_at
            .as_deref()
            .and_then(local_time)
            .or_else(|| t.transferred_on.and_then(|d| d.and_hms_opt(0, 0, 0)));
        d.out.push(TransferLimit {
            step: "移送公安机关",
            due: due.format(TIME).to_string(),
            rule: "国务院令第310号第五条：批准之时起24小时内（按小时计算）",
            met: done.is_some_and(|x| x <= due),
            overdue: done.is_none() && now > due,
            calendar_gap: None,
        });
    }
    d.owed(
        "公安机关决定是否立案",
        t.accepted_on,
        t.police_limit.days(),
        t.police_limit.rule(),
        t.police_decided_on,
    );
    if t.police_decided_on.is_some() {
        d.owed(
            "公安机关书面告知",
            t.police_decided_on,
            3,
            "公安机关作出决定之日起3日内",
            t.notified_on,
        );
    }
    let first_refusal = t.reconsider_on.is_some()
        || (t.status == TransferState::NotFiled && t.supervision_on.is_none());
    if t.police_decided_on.is_some() && first_refusal && t.reconsider_decided_on.is_none() {
        d.window(
            "提请公安机关复议",
            t.notified_on,
            transfer::RECONSIDER_WITHIN_DAYS,
            "国务院令第310号第九条：收到不予立案通知书之日起3日内",
            t.reconsider_on,
            t.status == TransferState::NotFiled,
        );
    }
    d.owed(
        "公安机关作出复议决定",
        t.reconsider_on,
        transfer::RECONSIDERATION_DECIDED_WITHIN_DAYS,
        "国务院令第310号第九条：收到提请复议文件之日起3日内",
        t.reconsider_decided_on,
    );
    if t.reconsider_decided_on.is_some() {
        d.window(
            "建议人民检察院立案监督",
            t.reconsider_decided_on,
            transfer::SUPERVISION_WITHIN_DAYS,
            "国务院令第310号第九条：收到复议决定通知书之日起3日内",
            t.supervision_on,
            t.status == TransferState::NotFiled,
        );
    }
    d.out
}
