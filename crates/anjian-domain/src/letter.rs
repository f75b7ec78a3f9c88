//! Target-responsibility letters (目标管理责任状): who signed with whom, the indicators the
//! counterpart answers for, and how an indicator is graded from its current value.
//!
//! A letter is signed by an issuer (市人民政府, 市安委会 …) with one counterpart: a township
//! (乡镇、街道), a department or an enterprise. Each indicator is a sentence, and where the
//! county can measure it, a metric of the statistics catalogue (optionally as a rate: the
//! metric as a percentage of another metric whose records include it) with a comparator and
//! a target. Its current value is the metric over the letter's year, for the counterpart.
//!
//! Grading ([`grade`]), with "the year is over" meaning today is after 31 December of the
//! letter's year:
//!
//! | comparator | value meets the target | value misses it, year running | year over |
//! |---|---|---|---|
//! | ≤ (at most) | 已达成 | 未达成 at once (an exceeded ceiling is missed) | 未达成 |
//! | ≥ (at least) | 已达成 | 有风险 (still reachable) | 未达成 |
//! | = (exactly) | 已达成 | 有风险 | 未达成 |
//!
//! An indicator whose value cannot be computed (the metric does not apply to the
//! counterpart, or a rate's base is zero) is 暂无数据; an indicator without a metric is
//! tracked by hand and has no grade.

use crate::scope::{Attachment, Role};
use serde::{Deserialize, Serialize};

coded! {
    /// Who a letter is signed with.
    #[derive(Default)]
    CounterpartKind {
        #[default]
        Township = "township", "乡镇（街道）" | "乡镇" | "街道" | "乡镇街道";
        Department = "department", "部门" | "市直部门" | "县直部门" | "成员单位";
        Enterprise = "enterprise", "企业" | "生产经营单位";
    }
}

/// Every kind of counterpart, in the order the pages list them.
pub const COUNTERPART_KINDS: &[CounterpartKind] = CounterpartKind::ALL;

/// How an indicator's value is compared with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// ≥: at least the target (执法计划完成率 ≥ 95 %).
    Ge,
    /// ≤: at most the target (较大及以上事故 ≤ 0).
    Le,
    /// =: exactly the target (重大隐患按期销号率 = 100 %).
    Eq,
}

pub const COMPARATORS: [Comparator; 3] = [Comparator::Ge, Comparator::Le, Comparator::Eq];

impl Comparator {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Ge => "ge",
            Comparator::Le => "le",
            Comparator::Eq => "eq",
        }
    }
    /// The code, or the sign as typed (≥, >=, ≤, <=, =).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        COMPARATORS
            .into_iter()
            .find(|c| c.as_str() == s || c.sign() == s)
            .or(match s {
                ">=" | "不少于" | "不低于" | "达到" => Some(Comparator::Ge),
                "<=" | "不超过" | "不高于" => Some(Comparator::Le),
                "==" | "等于" => Some(Comparator::Eq),
                _ => None,
            })
    }
    pub fn sign(self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Le => "≤",
            Comparator::Eq => "=",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Comparator::Ge => "不低于",
            Comparator::Le => "不超过",
            Comparator::Eq => "等于",
        }
    }
    /// Whether `value` meets `target` (values are compared to a millionth: a stated value is
    /// a quotient of integers).
    pub fn holds(self, value: f64, target: f64) -> bool {
        const EPS: f64 = 1e-6;
        match self {
            Comparator::Ge => value >= target - EPS,
            Comparator::Le => value <= target + EPS,
            Comparator::Eq => (value - target).abs() <= EPS,
        }
    }
}

/// One indicator of a letter, as stored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Indicator {
    /// The indicator as the letter words it.
    pub text: String,
    /// The metric that measures it (statistics catalogue id), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// For a rate: the metric whose records include `metric`'s; the value is then
    /// `metric ÷ per_metric × 100` in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_metric: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparator: Option<Comparator>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
}

impl Indicator {
    /// Whether the indicator is measured by a metric (and so graded).
    pub fn is_tracked(&self) -> bool {
        self.metric.is_some() && self.comparator.is_some() && self.target.is_some()
    }
}

/// An indicator's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = LetterGrade)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 已达成
    Met,
    /// 有风险: not met yet, the year still running.
    AtRisk,
    /// 未达成
    Missed,
    /// 暂无数据: the value cannot be computed for this counterpart.
    NoData,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Met => "met",
            Grade::AtRisk => "at_risk",
            Grade::Missed => "missed",
            Grade::NoData => "no_data",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Grade::Met => "已达成",
            Grade::AtRisk => "有风险",
            Grade::Missed => "未达成",
            Grade::NoData => "暂无数据",
        }
    }
}

/// The grade of a value against a target (see the module's table). `year_over`: today is
/// after the letter's year.
pub fn grade(comparator: Comparator, target: f64, value: Option<f64>, year_over: bool) -> Grade {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return Grade::NoData;
    };
    if comparator.holds(v, target) {
        return Grade::Met;
    }
    match comparator {
        Comparator::Le => Grade::Missed,
        Comparator::Ge | Comparator::Eq if year_over => Grade::Missed,
        Comparator::Ge | Comparator::Eq => Grade::AtRisk,
    }
}

/// The key that says which counterpart a letter is signed with (one key per township,
/// department or enterprise): letters with one key count as one counterpart.
pub fn counterpart_key(
    kind: CounterpartKind,
    region_code: &str,
    department_id: Option<i64>,
    enterprise_id: Option<i64>,
) -> String {
    match kind {
        CounterpartKind::Township => format!("township:{region_code}"),
        CounterpartKind::Department => format!("department:{}", department_id.unwrap_or(0)),
        CounterpartKind::Enterprise => format!("enterprise:{}", enterprise_id.unwrap_or(0)),
    }
}

/// Whose letters a reader sees within its regions: the 安委办 and leaders every letter, a
/// township its own, a department's users their department's, an enterprise its own
/// (the enterprises of its scope); stationed supervisors none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    County,
    Township,
    Department(Option<i64>),
    Enterprise,
    Nobody,
}

impl Reader {
    /// The reader a user of `role`, attached to `department`, is.
    pub fn of(role: Role, department: Option<i64>) -> Self {
        match role.attachment() {
            Attachment::Region if role.belongs_to_township() => Reader::Township,
            Attachment::Region => Reader::County,
            Attachment::Department => Reader::Department(department),
            Attachment::Enterprise => Reader::Enterprise,
            Attachment::Sites => Reader::Nobody,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_table() {
        use Comparator::*;
        use Grade::*;
        let cases = [
            // ≤: an exceeded ceiling is missed at once.
            (Le, 0.0, Some(0.0), false, Met),
            (Le, 0.0, Some(1.0), false, Missed),
            (Le, 0.0, Some(1.0), true, Missed),
            (Le, 2.0, Some(1.0), true, Met),
            // ≥: below the target is at risk while the year runs, missed after it.
            (Ge, 95.0, Some(96.5), false, Met),
            (Ge, 95.0, Some(95.0), false, Met),
            (Ge, 95.0, Some(90.0), false, AtRisk),
            (Ge, 95.0, Some(90.0), true, Missed),
            // =: like ≥.
            (Eq, 100.0, Some(100.0), true, Met),
            (Eq, 100.0, Some(80.0), false, AtRisk),
            (Eq, 100.0, Some(80.0), true, Missed),
            // No value: no data, whatever the comparator.
            (Ge, 1.0, None, true, NoData),
            (Le, 1.0, Some(f64::NAN), false, NoData),
        ];
        for (c, t, v, over, want) in cases {
            assert_eq!(grade(c, t, v, over), want, "{c:?} {t} {v:?} {over}");
        }
        // A quotient of integers that should equal the target does.
        assert_eq!(grade(Eq, 100.0, Some(3.0 / 3.0 * 100.0), true), Met);
        assert_eq!(grade(Ge, 33.33, Some(100.0 / 3.0), true), Met);
    }

    #[test]
    fn codes_and_words_parse() {
        for &k in COUNTERPART_KINDS {
            assert_eq!(CounterpartKind::parse(k.as_str()), Some(k));
            assert_eq!(CounterpartKind::from_words(k.as_str()), Some(k));
        }
        assert_eq!(
            CounterpartKind::from_words("乡镇"),
            Some(CounterpartKind::Township)
        );
        assert_eq!(CounterpartKind::from_words("个人"), None);
        for c in COMPARATORS {
            assert_eq!(Comparator::parse(c.as_str()), Some(c));
            assert_eq!(Comparator::parse(c.sign()), Some(c));
        }
        assert_eq!(Comparator::parse(">="), Some(Comparator::Ge));
        assert_eq!(Comparator::parse("<"), None);
    }

    #[test]
    fn readers_follow_the_attachment() {
        assert_eq!(Reader::of(Role::Admin, None), Reader::County);
        assert_eq!(Reader::of(Role::Leader, None), Reader::County);
        assert_eq!(Reader::of(Role::Township, None), Reader::Township);
        assert_eq!(
            Reader::of(Role::Inspector, Some(3)),
            Reader::Department(Some(3))
        );
        assert_eq!(Reader::of(Role::Enterprise, None), Reader::Enterprise);
        assert_eq!(Reader::of(Role::Supervisor, None), Reader::Nobody);
        assert_eq!(
            counterpart_key(CounterpartKind::Department, "360982000000", Some(4), None),
            "department:4"
        );
    }
}
