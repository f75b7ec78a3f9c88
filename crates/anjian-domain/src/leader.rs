//! 包片包线: county leaders answer for townships (包片) and for sectors (包线), each for a
//! dated period. A target has one responsible leader on any day: assigning a new one ends the
//! current assignment the day before the new one starts (the history is kept), and an
//! assignment may not start before one already recorded for a later day.

use chrono::NaiveDate;

coded! {
    /// What a leader answers for: a township (包片) or a sector (包线).
    AreaKind {
        /// 包片: a township (乡镇、街道).
        Township = "township", "包片" | "乡镇" | "乡镇（街道）" | "片";
        /// 包线: a sector (行业领域).
        Sector = "sector", "包线" | "行业" | "行业领域" | "线";
    }
}

impl AreaKind {
    /// What the target is called: 乡镇（街道） or 行业领域.
    pub fn target_label(self) -> &'static str {
        match self {
            AreaKind::Township => "乡镇（街道）",
            AreaKind::Sector => "行业领域",
        }
    }
}

/// A dated period `[from, to]`; `to` absent while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Span {
    /// Whether the period includes `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|t| day <= t)
    }

    /// Whether the period is still running on `day` or later (it has not ended before it).
    pub fn reaches(&self, day: NaiveDate) -> bool {
        self.to.is_none_or(|t| t >= day)
    }
}

/// Why an assignment cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoverError {
    /// The new period ends before it starts.
    EndsBeforeStart,
    /// An assignment of the target starts on or after the new one's first day (id, its
    /// first day): the new one would leave two answers for those days.
    LaterAssignment(i64, NaiveDate),
}

impl HandoverError {
    /// The refusal in words, and the field it concerns.
    pub fn message(&self) -> (&'static str, String) {
        match self {
            HandoverError::EndsBeforeStart => ("valid_to", "终止日期不能早于起始日期".into()),
            HandoverError::LaterAssignment(_, day) => (
                "valid_from",
                format!("该对象已有自{day}起的包保安排，新的安排须晚于该日期开始"),
            ),
        }
    }
}

/// The handover a new assignment of a target makes: the existing assignments of the same
/// target (id and period) that would overlap the new one are ended the day before it starts
/// (answered as (id, new last day)). Refused when the new period is reversed, or when an
/// existing assignment starts on or after the new first day.
pub fn handover(
    existing: &[(i64, Span)],
    new: Span,
) -> Result<Vec<(i64, NaiveDate)>, HandoverError> {
    if new.to.is_some_and(|t| t < new.from) {
        return Err(HandoverError::EndsBeforeStart);
    }
    if let Some((id, s)) = existing.iter().find(|(_, s)| s.from >= new.from) {
        return Err(HandoverError::LaterAssignment(*id, s.from));
    }
    let day_before = new.from.pred_opt().unwrap_or(new.from);
    Ok(existing
        .iter()
        .filter(|(_, s)| s.reaches(new.from))
        .map(|(id, _)| (*id, day_before))
        .collect())
}

/// The one assignment (id) covering `day`, among a target's assignments; the latest-starting
/// one if several were ever recorded overlapping.
pub fn responsible_on(assignments: &[(i64, Span)], day: NaiveDate) -> Option<i64> {
    assignments
        .iter()
        .filter(|(_, s)| s.covers(day))
        .max_by_key(|(id, s)| (s.from, *id))
        .map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn open(from: &str) -> Span {
        Span {
            from: d(from),
            to: None,
        }
    }

    #[test]
    fn a_new_leader_ends_the_current_assignment_the_day_before() {
        let existing = [
            (
                1,
                Span {
                    from: d("2020-01-01"),
                    to: Some(d("2021-03-31")),
                },
            ),
            (2, open("2021-04-01")),
        ];
        assert_eq!(
            handover(&existing, open("2022-07-01")),
            Ok(vec![(2, d("2022-06-30"))]),
            "the ended one stays as it was"
        );
        // Before and after the change, one answer each.
        let after = [
            existing[0],
            (
                2,
                Span {
                    from: d("2021-04-01"),
                    to: Some(d("2022-06-30")),
                },
            ),
            (3, open("2022-07-01")),
        ];
        assert_eq!(responsible_on(&after, d("2022-06-30")), Some(2));
        assert_eq!(responsible_on(&after, d("2022-07-01")), Some(3));
        assert_eq!(responsible_on(&after, d("2020-06-01")), Some(1));
        assert_eq!(responsible_on(&after, d("2019-12-31")), None);
    }

    #[test]
    fn an_assignment_may_not_start_before_a_later_one_or_end_before_it_starts() {
        let existing = [(7, open("2022-07-01"))];
        assert_eq!(
            handover(&existing, open("2022-07-01")),
            Err(HandoverError::LaterAssignment(7, d("2022-07-01")))
        );
        assert!(handover(&existing, open("2022-01-01")).is_err());
        assert_eq!(
            handover(
                &[],
                Span {
                    from: d("2022-02-01"),
                    to: Some(d("2022-01-31"))
                }
            ),
            Err(HandoverError::EndsBeforeStart)
        );
        assert_eq!(handover(&[], open("2022-02-01")), Ok(vec![]));
    }

    #[test]
    fn kinds_read_as_codes_or_words() {
        for &k in AreaKind::ALL {
            assert_eq!(AreaKind::parse(k.as_str()), Some(k));
            assert_eq!(AreaKind::from_words(k.label()), Some(k));
        }
        assert_eq!(AreaKind::from_words("乡镇"), Some(AreaKind::Township));
        assert_eq!(AreaKind::from_words("其他"), None);
    }
}
