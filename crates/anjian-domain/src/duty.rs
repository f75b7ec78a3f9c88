//! 职责清单: the duties of the Safety Committee's member units, each a dated text item with
//! the decision that set it (三定方案, an 安委会 decision, the 任务分工 …), some naming the
//! sector a department supervises. Together with the departments' sector assignments they
//! answer "who supervises sector S on day D" with one department.

use chrono::NaiveDate;

/// The kind of document that set a duty.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 三定方案 (the department's mandate: functions, bodies, staffing).
    Sanding,
    /// A decision of the 安委会 (or the government on its proposal).
    Committee,
    /// 《安委会成员单位安全生产任务分工》.
    Division,
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 4] = [
        DocKind::Sanding,
        DocKind::Committee,
        DocKind::Division,
        DocKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Sanding => "sanding",
            DocKind::Committee => "committee",
            DocKind::Division => "division",
            DocKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocKind::Sanding => "三定方案",
            DocKind::Committee => "安委会决定",
            DocKind::Division => "任务分工",
            DocKind::Other => "其他文件",
        }
    }

    /// A kind as typed: its code or its label (or a common short form).
    pub fn from_words(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::parse(s)
            .or_else(|| Self::ALL.into_iter().find(|k| k.label() == s))
            .or(match s {
                "三定" => Some(DocKind::Sanding),
                "安委会" | "安委会文件" | "政府决定" => Some(DocKind::Committee),
                "任务分工" | "分工" | "成员单位任务分工" => Some(DocKind::Division),
                "其他" => Some(DocKind::Other),
                _ => None,
            })
    }
}

/// One department's claim on a sector: a duty item naming the sector, or the department's
/// sector assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub department_id: i64,
    /// The first day (a duty's `valid_from`; an assignment's decision date, none when the
    /// assignment records no decision).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A duty item (rather than an assignment without dates).
    pub is_duty: bool,
    /// The department's place in the county's order (ties).
    pub order: i64,
}

impl Claim {
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }
}

/// The claim that answers "who supervises" on `day`: among those in force, the latest to
/// start (a later decision supersedes an earlier one); on the same day a duty item before an
/// assignment, then the department's order. Answers the index into `claims`.
pub fn supervisor_on(claims: &[Claim], day: NaiveDate) -> Option<usize> {
    claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.in_force(day))
        .max_by(|(_, a), (_, b)| {
            a.from
                .cmp(&b.from)
                .then(a.is_duty.cmp(&b.is_duty))
                .then(b.order.cmp(&a.order))
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn claim(dept: i64, from: Option<&str>, to: Option<&str>, is_duty: bool) -> Claim {
        Claim {
            department_id: dept,
            from: from.map(d),
            to: to.map(d),
            is_duty,
            order: dept,
        }
    }

    #[test]
    fn the_latest_decision_in_force_answers() {
        // 市场监管局 supervised it by assignment; the 安委会 gave it to 应急局 from 2022-03-15.
        let claims = [
            claim(5, None, None, false),
            claim(1, Some("2022-03-15"), None, true),
        ];
        assert_eq!(supervisor_on(&claims, d("2022-03-14")), Some(0));
        assert_eq!(supervisor_on(&claims, d("2022-03-15")), Some(1));
        // A duty that ended no longer answers.
        let ended = [
            claim(5, None, None, false),
            claim(1, Some("2021-01-01"), Some("2021-12-31"), true),
        ];
        assert_eq!(supervisor_on(&ended, d("2022-06-01")), Some(0));
        assert_eq!(supervisor_on(&ended, d("2021-06-01")), Some(1));
        assert_eq!(supervisor_on(&[], d("2022-06-01")), None);
        // Same start: the duty item, then the department's order.
        let tie = [
            claim(3, Some("2022-01-01"), None, false),
            claim(4, Some("2022-01-01"), None, true),
            claim(2, Some("2022-01-01"), None, true),
        ];
        assert_eq!(supervisor_on(&tie, d("2022-06-01")), Some(2));
    }

    #[test]
    fn kinds_read_as_codes_or_words() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
            assert_eq!(DocKind::from_words(k.label()), Some(k));
        }
        assert_eq!(DocKind::from_words("三定"), Some(DocKind::Sanding));
        assert_eq!(DocKind::from_words("通知"), None);
    }
}
