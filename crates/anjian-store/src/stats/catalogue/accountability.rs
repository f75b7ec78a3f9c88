//! Accountability (约谈、通报批评、问责): the townships held accountable and the persons
//! interviewed, in all and per theme (the catalogue's fourth part).

use super::*;
use anjian_domain::accountability::Theme;

/// The accountability records: one row per 警示约谈, 通报批评 or 问责 decision. Enterprise-bound
/// scopes count none (they see none), and the records carry no sector or campaign.
const ACCOUNTABILITY: Source = Source {
    key: "accountability",
    from: "accountability_records t",
    entity: "accountability",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: Some("t.department_id"),
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.target_name || '：' || t.reason",
    dates_indexed: false,
};

const TOWNSHIPS_HELD: &str = "t.kind = 'accountability' AND t.target_kind = 'township'";
const INTERVIEWS: &str = "t.kind = 'interview'";

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    let townships = |id: &str, label: String, definition: String, filter: String| {
        m(
            id,
            "责任体系",
            &label,
            "个",
            &definition,
            &ACCOUNTABILITY,
            Day("t.decided_on"),
            &filter,
            none(),
            Distinct {
                key: TOWNSHIP_KEY,
                label: TOWNSHIP_LABEL,
                entity: "region",
            },
            1,
        )
    };
    let interviewed = |id: &str, label: String, definition: String, filter: String| {
        m(
            id,
            "责任体系",
            &label,
            "人次",
            &definition,
            &ACCOUNTABILITY,
            Day("t.decided_on"),
            &filter,
            none(),
            Sum("t.person_count"),
            1,
        )
    };
    let mut list = vec![
        townships(
            "accountability.townships",
            "问责处理的乡镇".into(),
            "本期作出问责决定（按决定日期计期）的对象为乡镇（街道）的，按乡镇去重计数".into(),
            TOWNSHIPS_HELD.into(),
        ),
        interviewed(
            "accountability.interviewed",
            "警示约谈".into(),
            "本期警示约谈记录（按约谈日期计期）所列被约谈人数之和（人次）".into(),
            INTERVIEWS.into(),
        ),
        m(
            "accountability.decisions",
            "责任体系",
            "问责决定",
            "件",
            "本期作出的问责决定数（按决定日期计期），对象为乡镇、部门、企业或个人",
            &ACCOUNTABILITY,
            Day("t.decided_on"),
            "t.kind = 'accountability'",
            none(),
            Count,
            1,
        ),
        m(
            "accountability.criticisms",
            "责任体系",
            "通报批评",
            "次",
            "本期通报批评的记录数（按决定日期计期）",
            &ACCOUNTABILITY,
            Day("t.decided_on"),
            "t.kind = 'criticism'",
            none(),
            Count,
            1,
        ),
    ];
    for t in Theme::ALL {
        let (code, theme) = (t.as_str(), t.label());
        list.push(
            townships(
                &format!("accountability.townships.{code}"),
                format!("问责处理的乡镇（{theme}）"),
                format!("本期因{theme}工作作出问责决定的乡镇（街道），按乡镇去重计数"),
                format!("{TOWNSHIPS_HELD} AND t.theme = '{code}'"),
            )
            .part_of("accountability.townships"),
        );
        list.push(
            interviewed(
                &format!("accountability.interviewed.{code}"),
                format!("警示约谈（{theme}）"),
                format!("本期因{theme}工作警示约谈的人数之和（人次）"),
                format!("{INTERVIEWS} AND t.theme = '{code}'"),
            )
            .part_of("accountability.interviewed"),
        );
    }
    list
}
