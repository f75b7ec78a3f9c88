//! Risk points (风险分级管控): the graded points as they stand, in all and per grade.

use super::*;
use anjian_domain::risk_grade::Grade;

/// The risk points: an enterprise's or, with no enterprise, a township's public site. They
/// carry no sector (an enterprise may have several), department or campaign.
const RISK_POINTS: Source = Source {
    key: "risk_points",
    from: "risk_points t",
    entity: "risk_point",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "COALESCE((SELECT e.name FROM enterprises e WHERE e.id = t.enterprise_id), '公共场所') || '：' || t.place",
    dates_indexed: false,
};

const GRADED: &str = "t.retired_at IS NULL AND t.grade IS NOT NULL";

pub(super) fn metrics() -> Vec<Metric> {
    let count = |id: &str, label: String, definition: String, filter: String| {
        m(
            id,
            "风险分级管控",
            &label,
            "个",
            &definition,
            &RISK_POINTS,
            When::Now,
            &filter,
            none(),
            Agg::Count,
            1,
        )
    };
    let mut list = vec![count(
        "risk.points",
        "已定级风险点".into(),
        "现存（未注销）且风险等级经审核确认的风险点数（企业风险点和乡镇公共场所），按当前状态统计"
            .into(),
        GRADED.into(),
    )];
    for g in Grade::descending() {
        let (code, label) = (g.as_str(), g.label());
        list.push(
            count(
                &format!("risk.points.{code}"),
                format!("{label}点（{}）", g.colour_label()),
                format!("现存且经审核确认为{label}的风险点数，按当前状态统计"),
                format!("{GRADED} AND t.grade = '{code}'"),
            )
            .part_of("risk.points"),
        );
    }
    list
}
