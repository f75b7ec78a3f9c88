//! The campaign ledgers' indicators (专项行动台账): one metric per indicator of each loaded
//! campaign, summing the rows' tallies (`campaign_tallies`, written with the rows under the
//! campaign's latest definition), drilling down to the rows.

use super::super::{Agg, Metric, Param, Source, When};
use anjian_domain::campaign::{Definition, IndicatorAgg};

const TALLIES: Source = Source {
    key: "campaign_tallies",
    from: "campaign_tallies t JOIN campaign_objects o ON o.id = t.object_id",
    entity: "campaign_object",
    id: "o.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: Some("t.sector"),
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: Some("t.campaign"),
    agency: None,
    label: "o.title",
    dates_indexed: false,
};

/// `campaign.{code}.{indicator}` for every indicator, once per id (counties that loaded the
/// same campaign share its metrics; the first definition seen names them).
pub(super) fn metrics(defs: &[Definition]) -> Vec<Metric> {
    let mut out: Vec<Metric> = Vec::new();
    for d in defs {
        for i in &d.indicators {
            let id = format!("campaign.{}.{}", d.code, i.key);
            if out.iter().any(|m| m.id == id) {
                continue;
            }
            let object = d.object(&i.object).map(|o| o.name.as_str()).unwrap_or("");
            let what = match &i.agg {
                IndicatorAgg::Count => format!("“{object}”台账中符合条件的记录数"),
                IndicatorAgg::Sum(f) => {
                    let label = d
                        .object(&i.object)
                        .and_then(|o| o.field(f))
                        .map(|f| f.label.as_str())
                        .unwrap_or(f);
                    format!("“{object}”台账中符合条件的记录的“{label}”合计")
                }
            };
            let period = if i.stock {
                "，截至期末仍在册的"
            } else {
                "，按日期计入本期的"
            };
            let definition = if i.description.is_empty() {
                format!("{}：{what}{period}（{}）", d.name, i.unit)
            } else {
                format!("{}：{}", d.name, i.description)
            };
            out.push(Metric {
                id: id.clone(),
                section: "专项行动台账",
                label: i.label.clone(),
                unit: i.unit.clone(),
                definition,
                source: &TALLIES,
                when: if i.stock {
                    When::OpenAt {
                        since: "t.day",
                        closed: "t.until_day",
                    }
                } else {
                    When::Day("t.day")
                },
                filter: "t.metric = ?".into(),
                params: vec![Param::Text(id)],
                agg: Agg::Sum("t.amount"),
                scale: i.scale.max(1),
                part_of: None,
            });
        }
    }
    out
}
