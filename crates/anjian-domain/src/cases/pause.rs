//! Periods that do not count (期间不计入): a case's pauses and what each one stops.
//!
//! - Before the decision, hearings, 鉴定/检测 and 公告 suspend the decision period where the
//!   agency's rule says so (`decision_period::Rule::not_counted`, a setting).
//! - After the decision, the late-payment surcharge (加处罚款, art. 72) is not counted while
//!   行政复议 or 行政诉讼 is pending (行政处罚法 art. 73(3)) nor during an approved deferral or
//!   instalment plan (art. 66).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    /// 听证 (opened by the hearing request, closed by the hearing or its end).
    Hearing,
    /// 鉴定、检测、检验.
    Appraisal,
    /// 公告 (e.g. service by announcement).
    Announcement,
    /// 行政复议.
    Reconsideration,
    /// 行政诉讼.
    Litigation,
    /// 暂缓缴纳罚款（经批准）.
    Deferral,
    /// 分期缴纳罚款（经批准）.
    Instalment,
}

pub const PAUSE_KINDS: [PauseKind; 7] = [
    PauseKind::Hearing,
    PauseKind::Appraisal,
    PauseKind::Announcement,
    PauseKind::Reconsideration,
    PauseKind::Litigation,
    PauseKind::Deferral,
    PauseKind::Instalment,
];

impl PauseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PauseKind::Hearing => "hearing",
            PauseKind::Appraisal => "appraisal",
            PauseKind::Announcement => "announcement",
            PauseKind::Reconsideration => "reconsideration",
            PauseKind::Litigation => "litigation",
            PauseKind::Deferral => "deferral",
            PauseKind::Instalment => "instalment",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        PAUSE_KINDS.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            PauseKind::Hearing => "听证",
            PauseKind::Appraisal => "鉴定、检测",
            PauseKind::Announcement => "公告",
            PauseKind::Reconsideration => "行政复议",
            PauseKind::Litigation => "行政诉讼",
            PauseKind::Deferral => "暂缓缴纳罚款",
            PauseKind::Instalment => "分期缴纳罚款",
        }
    }
    /// Whether the kind is a period before the decision (else after it, against payment).
    pub fn before_decision(self) -> bool {
        matches!(
            self,
            PauseKind::Hearing | PauseKind::Appraisal | PauseKind::Announcement
        )
    }
    /// Whether the surcharge does not run during it (arts. 66, 73).
    pub fn stops_surcharge(self) -> bool {
        !self.before_decision()
    }
    /// Kinds an officer starts and ends by hand (the hearing's pause follows its steps).
    pub fn manual(self) -> bool {
        self != PauseKind::Hearing
    }
    /// The kinds started by `Suspend` (before the decision) or `Stay` (after it).
    pub fn of_phase(before_decision: bool) -> impl Iterator<Item = PauseKind> {
        PAUSE_KINDS
            .into_iter()
            .filter(move |k| k.manual() && k.before_decision() == before_decision)
    }
}

/// One period that does not count. `to` is the last day of the pause; open while `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Pause {
    pub kind: PauseKind,
    pub from: NaiveDate,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
}

/// The open pause of a kind, if any.
pub fn open_of(pauses: &[Pause], kind: PauseKind) -> Option<&Pause> {
    pauses.iter().find(|p| p.kind == kind && p.to.is_none())
}

/// Calendar days within `after+1 ..= until` covered by the pauses that `counts` selects (an
/// open pause runs to `until`); overlapping pauses count each day once.
pub fn days_paused(
    pauses: &[Pause],
    counts: impl Fn(PauseKind) -> bool,
    after: NaiveDate,
    until: NaiveDate,
) -> i64 {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = pauses
        .iter()
        .filter(|p| counts(p.kind))
        .filter_map(|p| {
            let first = p.from.max(after.succ_opt()?);
            let last = p.to.unwrap_or(until).min(until);
            (first <= last).then_some((first, last))
        })
        .collect();
    spans.sort();
    let mut days = 0;
    let mut covered_to: Option<NaiveDate> = None;
    for (first, last) in spans {
        let first = match covered_to {
            Some(c) if c >= first => match c.succ_opt() {
                Some(d) => d,
                None => continue,
            },
            _ => first,
        };
        if first <= last {
            days += (last - first).num_days() + 1;
            covered_to = Some(last);
        }
    }
    days
}

/// The decision period's last day: `days` calendar days from 立案 (base plus the approved
/// extension), moved on by every day of a pause the rule does not count that began on or
/// before the (moved) due date; an open pause counts up to the decision or today.
pub fn decision_due(
    registered: NaiveDate,
    days: u32,
    pauses: &[Pause],
    not_counted: &[PauseKind],
    decided: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    let end = decided.unwrap_or(today);
    let closed: Vec<Pause> = pauses
        .iter()
        .filter(|p| not_counted.contains(&p.kind))
        .map(|p| Pause {
            to: Some(p.to.unwrap_or(end)),
            ..p.clone()
        })
        .collect();
    let base = registered + chrono::Duration::days(i64::from(days));
    let mut due = base;
    // A pause moves the due date on, and the moved date may take in a later pause: settle.
    for _ in 0..closed.len() + 1 {
        let counted: Vec<Pause> = closed.iter().filter(|p| p.from <= due).cloned().collect();
        let next = base
            + chrono::Duration::days(days_paused(&counted, |_| true, registered, NaiveDate::MAX));
        if next == due {
            break;
        }
        due = next;
    }
    due
}

/// Days of late payment that carry the surcharge: from the day after `payment_due` up to
/// `paid_or_today`, less the days of review, litigation, deferral or instalment (arts. 66, 73).
pub fn surcharge_days(pauses: &[Pause], payment_due: NaiveDate, paid_or_today: NaiveDate) -> i64 {
    let late = (paid_or_today - payment_due).num_days();
    if late <= 0 {
        return 0;
    }
    let paused = days_paused(
        pauses,
        PauseKind::stops_surcharge,
        payment_due,
        paid_or_today,
    );
    (late - paused).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn pause(kind: PauseKind, from: &str, to: Option<&str>) -> Pause {
        Pause {
            kind,
            from: d(from),
            to: to.map(d),
            note: String::new(),
        }
    }

    #[test]
    fn overlapping_pauses_count_each_day_once() {
        let p = [
            pause(PauseKind::Appraisal, "2022-03-01", Some("2022-03-10")),
            pause(PauseKind::Announcement, "2022-03-05", Some("2022-03-12")),
        ];
        assert_eq!(
            days_paused(&p, |_| true, d("2022-02-28"), d("2022-12-31")),
            12
        );
        // Only the days after `after` count.
        assert_eq!(
            days_paused(&p, |_| true, d("2022-03-10"), d("2022-12-31")),
            2
        );
    }

    #[test]
    fn decision_period_suspended_by_appraisal_when_the_rule_says_so() {
        let p = [pause(
            PauseKind::Appraisal,
            "2022-03-10",
            Some("2022-03-19"),
        )];
        let due =
            |nc: &[PauseKind]| decision_due(d("2022-03-01"), 30, &p, nc, None, d("2022-03-05"));
        assert_eq!(due(&[PauseKind::Appraisal]), d("2022-04-10"));
        assert_eq!(due(&[]), d("2022-03-31"));
    }

    #[test]
    fn an_open_pause_keeps_moving_the_decision_period() {
        let p = [pause(PauseKind::Hearing, "2022-03-20", None)];
        let due = decision_due(
            d("2022-03-01"),
            30,
            &p,
            &[PauseKind::Hearing],
            None,
            d("2022-04-15"),
        );
        // 27 days paused so far (03-20..=04-15).
        assert_eq!(due, d("2022-04-27"));
    }

    #[test]
    fn xingzheng_chufa_fa_art_73_no_surcharge_while_review_is_pending() {
        let p = [pause(
            PauseKind::Reconsideration,
            "2022-05-01",
            Some("2022-05-20"),
        )];
        // Due 04-20, paid 05-30: 40 days late, 20 of them under review.
        assert_eq!(surcharge_days(&p, d("2022-04-20"), d("2022-05-30")), 20);
        assert_eq!(surcharge_days(&[], d("2022-04-20"), d("2022-05-30")), 40);
    }

    #[test]
    fn xingzheng_chufa_fa_art_66_no_surcharge_during_an_approved_deferral() {
        let p = [pause(PauseKind::Deferral, "2022-04-10", Some("2022-06-30"))];
        assert_eq!(surcharge_days(&p, d("2022-04-20"), d("2022-06-30")), 0);
        assert_eq!(surcharge_days(&p, d("2022-04-20"), d("2022-07-05")), 5);
    }

    #[test]
    fn pauses_before_the_decision_do_not_stop_the_surcharge() {
        let p = [pause(PauseKind::Appraisal, "2022-05-01", None)];
        assert_eq!(surcharge_days(&p, d("2022-04-20"), d("2022-04-30")), 10);
    }
}
