//! 职责清单: the duties of the Safety Committee's member units, each a dated text item with
//! the decision that set it (三定方案, an 安委会 decision, the 任务分工 …), some naming the
//! sector a department supervises. They are the one record of a department's sectors: the
//! sectors it holds on a day are those its items in force that day name, and "who supervises
//! sector S on day D" has one answer, [`supervisor_on`].

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

/// The duty a department holds for a sector when no document words it otherwise: what a
/// sector assignment without a note says (the organisation page, the converted assignments).
pub fn sector_duty_text(sector_name: &str) -> String {
    format!("负责{sector_name}行业领域安全生产监督管理")
}

/// The day a department's hold on a sector ends when its sectors are edited on `edit_day`:
/// the day before, so that a sector handed over by two edits on the same day passes from the
/// one department to the other with neither a day without a supervisor nor a day with two.
pub fn last_day_before(edit_day: NaiveDate) -> NaiveDate {
    edit_day.pred_opt().unwrap_or(edit_day)
}

/// One department's claim on a sector: a duty item naming the sector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub department_id: i64,
    /// The item's first day.
    pub from: NaiveDate,
    /// Its last day; none while in force.
    pub to: Option<NaiveDate>,
    /// The department's place in the county's order (ties).
    pub order: i64,
}

impl Claim {
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|t| day <= t)
    }
}

/// The claim that answers "who supervises" on `day`: among those in force, the latest to
/// start (a later decision supersedes an earlier one); on the same day, the department first
/// in the county's order. Answers the index into `claims`.
pub fn supervisor_on(claims: &[Claim], day: NaiveDate) -> Option<usize> {
    claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.in_force(day))
        .max_by(|(_, a), (_, b)| a.from.cmp(&b.from).then(b.order.cmp(&a.order)))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn claim(dept: i64, from: &str, to: Option<&str>) -> Claim {
        Claim {
            department_id: dept,
            from: d(from),
            to: to.map(d),
            order: dept,
        }
    }

    #[test]
    fn the_latest_decision_in_force_answers() {
        // 市场监管局 supervised it since the old division (converted with 1900-01-01); the
        // 安委会 gave it to 应急局 from 2022-03-15.
        let claims = [claim(5, "1900-01-01", None), claim(1, "2022-03-15", None)];
        assert_eq!(supervisor_on(&claims, d("2022-03-14")), Some(0));
        assert_eq!(supervisor_on(&claims, d("2022-03-15")), Some(1));
        // A duty that ended no longer answers.
        let ended = [
            claim(5, "1900-01-01", None),
            claim(1, "2021-01-01", Some("2021-12-31")),
        ];
        assert_eq!(supervisor_on(&ended, d("2022-06-01")), Some(0));
        assert_eq!(supervisor_on(&ended, d("2021-06-01")), Some(1));
        assert_eq!(supervisor_on(&[], d("2022-06-01")), None);
        assert_eq!(supervisor_on(&ended, d("1899-12-31")), None);
        // Same start: the department first in the county's order.
        let tie = [
            claim(3, "2022-01-01", None),
            claim(4, "2022-01-01", None),
            claim(2, "2022-01-01", None),
        ];
        assert_eq!(supervisor_on(&tie, d("2022-06-01")), Some(2));
    }

    #[test]
    fn a_handover_on_one_day_leaves_no_gap_and_no_overlap() {
        // Both edits on 2022-06-01: the old holder's last day is 2022-05-31.
        let edit = d("2022-06-01");
        let old = claim(1, "1900-01-01", Some(&last_day_before(edit).to_string()));
        let new = claim(2, &edit.to_string(), None);
        for (day, holder) in [("2022-05-31", 1), ("2022-06-01", 2)] {
            let held: Vec<i64> = [&old, &new]
                .iter()
                .filter(|c| c.in_force(d(day)))
                .map(|c| c.department_id)
                .collect();
            assert_eq!(held, [holder], "{day}");
        }
        assert_eq!(
            sector_duty_text("电子礼炮"),
            "负责电子礼炮行业领域安全生产监督管理"
        );
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
