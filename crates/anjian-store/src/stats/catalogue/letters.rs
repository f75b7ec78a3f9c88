//! Responsibility letters and grassroots capability acceptances (the catalogue's records of
//! the responsibility system): who the county signed 责任状 with, and which townships
//! passed the capability acceptance.
//!
//! The report states counterparts ("与N个乡镇签订"), not letters: a counterpart signed with
//! twice in a period counts once. Each metric counts the counterpart's first letter of the
//! period (its other letters are left out by the predicate), so the drill-down lists letters,
//! one per counterpart, and adds up to the figure. The acceptances count the same way: a
//! township's first 达标 acceptance in the period.

use super::*;

const LETTERS: Source = Source {
    key: "letters",
    from: "responsibility_letters t",
    entity: "letter",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: Some("t.department_id"),
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "t.counterpart_name || '：' || t.title",
    dates_indexed: false,
};

const ACCEPTANCES: Source = Source {
    key: "capability",
    from: "capability_assessments t",
    entity: "capability",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: None,
    campaign: None,
    agency: None,
    label: "COALESCE((SELECT r.name FROM regions r WHERE r.code = t.region_code), t.region_code) || ' ' || CAST(t.year AS TEXT) || '年度'",
    dates_indexed: false,
};

/// The counterpart's first letter of the period (see the module comment).
const FIRST_LETTER: &str = "t.id = (SELECT MIN(l2.id) FROM responsibility_letters l2 \
     WHERE l2.counterpart_key = t.counterpart_key AND l2.signed_on >= ? AND l2.signed_on <= ?)";

/// A place's first 达标 acceptance of the period.
const FIRST_PASS: &str = "t.status = 'accepted' AND t.result = 'pass' \
     AND t.id = (SELECT MIN(c2.id) FROM capability_assessments c2 \
     WHERE c2.region_code = t.region_code AND c2.status = 'accepted' AND c2.result = 'pass' \
     AND c2.accepted_on >= ? AND c2.accepted_on <= ?)";

fn period() -> Vec<Param> {
    vec![Param::PeriodFrom, Param::PeriodTo]
}

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    let letters = |id: &str, label: &str, unit: &str, kind: &str, whom: &str| {
        m(
            id,
            "责任体系",
            label,
            unit,
            &format!(
                "本期签订目标管理责任状的{whom}数（按签订日期计期；同一{whom}本期签订多份的计一个，列出其最早签订的一份）"
            ),
            &LETTERS,
            Day("t.signed_on"),
            &format!("t.counterpart_kind = '{kind}' AND {FIRST_LETTER}"),
            period(),
            Count,
            1,
        )
    };
    vec![
        letters(
            "letters.townships",
            "签订目标管理责任状的乡镇",
            "个",
            "township",
            "乡镇（街道）",
        ),
        letters(
            "letters.departments",
            "签订目标管理责任状的部门",
            "个",
            "department",
            "部门",
        ),
        letters(
            "letters.enterprises",
            "签订目标管理责任状的企业",
            "家",
            "enterprise",
            "企业",
        ),
        m(
            "capability.townships_accepted",
            "基层基础",
            "乡村应急管理能力创建验收达标的乡镇",
            "个",
            "本期通过县级验收、结果为达标的乡镇（街道）数（按验收日期计期，同一乡镇计一个）",
            &ACCEPTANCES,
            Day("t.accepted_on"),
            &format!("t.level = 'township' AND {FIRST_PASS}"),
            period(),
            Count,
            1,
        ),
        m(
            "capability.villages_accepted",
            "基层基础",
            "乡村应急管理能力创建验收达标的村（社区）",
            "个",
            "本期通过县级验收、结果为达标的村（社区）数（按验收日期计期，同一村计一个）",
            &ACCEPTANCES,
            Day("t.accepted_on"),
            &format!("t.level = 'village' AND {FIRST_PASS}"),
            period(),
            Count,
            1,
        ),
    ]
}
