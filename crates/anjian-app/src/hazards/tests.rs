use super::*;

#[test]
fn five_in_place_needs_all_five() {
    let mut f = HazardFields {
        region_code: String::new(),
        enterprise_id: None,
        department_id: None,
        sector: String::new(),
        level: anjian_domain::hazard::Level::parse("major").unwrap(),
        source: anjian_domain::hazard::Source::parse("inspection").unwrap(),
        description: String::new(),
        location: String::new(),
        found_on: NaiveDate::from_ymd_opt(2022, 6, 1).unwrap(),
        deadline: NaiveDate::from_ymd_opt(2022, 7, 1),
        deadline_basis: None,
        deadline_rule: String::new(),
        status: anjian_domain::hazard::Status::parse("ordered").unwrap(),
        responsible_unit: "某公司".into(),
        responsible_person: "张三".into(),
        measures: "更换".into(),
        funds_planned: Some(0),
        funds_spent: None,
        emergency_plan: "预案".into(),
        campaign: None,
        closed_on: None,
        point: None,
    };
    assert!(five_of(&f).in_place());
    f.emergency_plan.clear();
    assert!(!five_of(&f).in_place());
}
