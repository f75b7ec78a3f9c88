use crate::*;
use anjian_store::StoreError;
use anjian_store::hazards::{EventInput, HazardFields, HazardFilter};

mod import;
mod ledger;
mod registry;
mod scopes;

pub(crate) fn fields(
    region: &str,
    enterprise: Option<i64>,
    sector: &str,
    deadline: Option<&str>,
) -> HazardFields {
    HazardFields {
        region_code: region.into(),
        enterprise_id: enterprise,
        department_id: None,
        sector: sector.into(),
        level: anjian_domain::hazard::Level::parse("general").unwrap(),
        source: anjian_domain::hazard::Source::parse("inspection").unwrap(),
        description: "配电箱未接地".into(),
        location: "一号车间".into(),
        found_on: day("2022-06-01"),
        deadline: deadline.map(day),
        deadline_basis: deadline.map(|_| "date".to_string()),
        deadline_rule: String::new(),
        status: anjian_domain::hazard::Status::parse("registered").unwrap(),
        responsible_unit: String::new(),
        responsible_person: String::new(),
        measures: String::new(),
        funds_planned: None,
        funds_spent: None,
        emergency_plan: String::new(),
        campaign: Some("百日攻坚".into()),
        closed_on: None,
        point: None,
    }
}

pub(crate) fn ev(action: &str) -> EventInput {
    EventInput {
        action: action.into(),
        note: String::new(),
        data: None,
    }
}

pub(crate) fn filter(today: &str) -> HazardFilter {
    HazardFilter {
        today: day(today),
        limit: 50,
        ..Default::default()
    }
}
