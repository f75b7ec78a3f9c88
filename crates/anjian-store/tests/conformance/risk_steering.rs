//! Risk steering: the enterprise's grade read from its points (retired and ungraded ones left
//! out), the override with its history and versions, scope, the settings, inspections.

use crate::*;
use anjian_domain::risk_grade::Grade;
use anjian_domain::risk_steering::{GradeCounts, GradeRule, Settings};
use anjian_store::StoreError;
use anjian_store::risk_steering::{EnterpriseRiskGradeChange, EnterpriseRiskGradeFilter};

/// A risk point inserted directly (the risk points feature writes them; only the contract
/// columns are used here).
pub fn point(s: &Store, enterprise: i64, region: &str, grade: Option<&str>, retired: bool) {
    s.raw_execute(
        "INSERT INTO risk_points (county_code, region_code, enterprise_id, grade, state, retired_at, created_at, updated_at, place, hazard_factor, accident_types, control_level, responsible_name, responsible_phone) VALUES (?, ?, ?, ?, ?, ?, '2022-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z', '储罐区', '易燃液体泄漏', 'fire', 'workshop', '张三', '13800000000')",
        &[
            COUNTY.into(),
            region.into(),
            enterprise.into(),
            grade.map(str::to_string).into(),
            (if grade.is_some() { "accepted" } else { "submitted" }).into(),
            retired
                .then(|| "2022-03-01T00:00:00.000Z".to_string())
                .into(),
        ],
    )
    .unwrap();
}

fn counts(major: u32, large: u32, general: u32, low: u32) -> GradeCounts {
    GradeCounts {
        major,
        large,
        general,
        low,
    }
}

#[test]
fn grade_rows_count_live_graded_points_and_overrides_keep_history() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let e1 = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let e2 = s
            .create_enterprise(&ch, &enterprise(2, VILLAGE_B1, "mines"))
            .unwrap();
        point(s, e1, VILLAGE_A1, Some("large"), false);
        point(s, e1, VILLAGE_A1, Some("large"), false);
        point(s, e1, VILLAGE_A1, Some("general"), false);
        point(s, e1, VILLAGE_A1, Some("major"), true); // retired: not counted
        point(s, e1, VILLAGE_A1, None, false); // not yet accepted: not counted
        point(s, e2, VILLAGE_B1, Some("low"), false);
        s.raw_execute(
            "INSERT INTO inspections (county_code, region_code, enterprise_id, site, sector, kind, enforcement, inspected_on, inspectors, checklist, summary, created_at) \
             VALUES (?, ?, ?, '', 'hazchem', 'random', ?, '2022-03-05', '[]', '[]', '', '2022-03-05T02:00:00.000Z')",
            &[COUNTY.into(), VILLAGE_A1.into(), e1.into(), true.into()],
        )
        .unwrap();
        let all = s
            .enterprise_risk_grade_rows(&county, &EnterpriseRiskGradeFilter::default())
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].enterprise_id, e1);
        assert_eq!(all[0].counts, counts(0, 2, 1, 0));
        assert_eq!(all[0].last_inspected_on, Some(day("2022-03-05")));
        assert_eq!(all[0].sectors, vec!["hazchem".to_string()]);
        assert_eq!(all[0].region_name, "枫林村");
        assert_eq!(all[1].counts, counts(0, 0, 0, 1));
        assert_eq!(all[1].last_inspected_on, None);
        // Filters: township, sector; and a township's scope sees only its own.
        let town_b = s
            .enterprise_risk_grade_rows(
                &county,
                &EnterpriseRiskGradeFilter {
                    region_prefix: Some("360982101".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            town_b.iter().map(|r| r.enterprise_id).collect::<Vec<_>>(),
            vec![e2]
        );
        let mines = s
            .enterprise_risk_grade_rows(
                &county,
                &EnterpriseRiskGradeFilter {
                    sectors: Some(vec!["mines".into()]),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(mines.len(), 1);
        let town_a = Scope::region(&rc(TOWN_A), true);
        let seen = s
            .enterprise_risk_grade_rows(&town_a, &EnterpriseRiskGradeFilter::default())
            .unwrap();
        assert_eq!(seen.len(), 1);
        // Points of one enterprise; out of scope answers like missing.
        let pts = s.enterprise_risk_grade_points(&county, e1).unwrap();
        assert_eq!(pts.len(), 4);
        assert_eq!(pts[0].3, Some(Grade::Large));
        assert_eq!(pts[3].3, None);
        assert!(matches!(
            s.enterprise_risk_grade_points(&town_a, e2),
            Err(StoreError::NotFound)
        ));

        // Override: set, change (version), clear; each with a history row and an audit entry.
        let set = |grade, version, from, to| EnterpriseRiskGradeChange {
            enterprise_id: e1,
            grade,
            reason: "重大危险源未备案".into(),
            from_grade: from,
            to_grade: to,
            version,
        };
        let v1 = s
            .set_enterprise_risk_grade(
                &ch,
                &set(
                    Some(Grade::Major),
                    None,
                    Some(Grade::Large),
                    Some(Grade::Major),
                ),
            )
            .unwrap();
        assert_eq!(v1, Some(1));
        // A second "first" override loses the race.
        assert!(matches!(
            s.set_enterprise_risk_grade(&ch, &set(Some(Grade::Low), None, None, None)),
            Err(StoreError::Conflict(_))
        ));
        let row = &s
            .enterprise_risk_grade_rows(
                &county,
                &EnterpriseRiskGradeFilter {
                    enterprise_id: Some(e1),
                    ..Default::default()
                },
            )
            .unwrap()[0];
        assert_eq!(row.override_grade, Some(Grade::Major));
        assert_eq!(row.override_by.as_deref(), Some("test"));
        assert_eq!(row.override_version, Some(1));
        assert!(matches!(
            s.set_enterprise_risk_grade(&ch, &set(None, Some(7), None, None)),
            Err(StoreError::Conflict(_))
        ));
        let v2 = s
            .set_enterprise_risk_grade(
                &ch,
                &set(
                    Some(Grade::Large),
                    Some(1),
                    Some(Grade::Major),
                    Some(Grade::Large),
                ),
            )
            .unwrap();
        assert_eq!(v2, Some(2));
        let v3 = s
            .set_enterprise_risk_grade(
                &ch,
                &set(None, Some(2), Some(Grade::Large), Some(Grade::Large)),
            )
            .unwrap();
        assert_eq!(v3, None);
        let h = s.enterprise_risk_grade_history(&county, e1).unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(
            h.iter().map(|x| x.action.as_str()).collect::<Vec<_>>(),
            vec!["override", "override", "clear"]
        );
        assert_eq!(
            (h[0].from_grade, h[0].to_grade),
            (Some(Grade::Large), Some(Grade::Major))
        );
        assert_eq!(h[2].grade, None);
        assert_eq!(h[2].actor_name, "test");
        // Out of scope: a township cannot read or set another township's enterprise.
        assert!(matches!(
            s.enterprise_risk_grade_history(&town_a, e2),
            Err(StoreError::NotFound)
        ));
        let town_ch = sys(&town_a);
        assert!(matches!(
            s.set_enterprise_risk_grade(
                &town_ch,
                &EnterpriseRiskGradeChange {
                    enterprise_id: e2,
                    ..set(Some(Grade::Low), None, None, None)
                }
            ),
            Err(StoreError::NotFound)
        ));
        assert!(s.verify_audit().unwrap().ok());
    });
}

#[test]
fn settings_default_to_none_and_write_with_versions() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        assert_eq!(s.risk_steering_settings(COUNTY).unwrap(), None);
        let mut st = Settings {
            rule: GradeRule::Escalated,
            ..Settings::default()
        };
        st.frequency_months.low = 24;
        assert_eq!(
            s.set_risk_steering_settings(&ch, COUNTY, &st, None)
                .unwrap(),
            1
        );
        assert!(matches!(
            s.set_risk_steering_settings(&ch, COUNTY, &st, None),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.risk_steering_settings(COUNTY).unwrap(), Some((st, 1)));
        st.weights.major = 9;
        assert_eq!(
            s.set_risk_steering_settings(&ch, COUNTY, &st, Some(1))
                .unwrap(),
            2
        );
        assert!(matches!(
            s.set_risk_steering_settings(&ch, COUNTY, &st, Some(1)),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            s.risk_steering_settings(COUNTY)
                .unwrap()
                .map(|x| x.0.weights.major),
            Some(9)
        );
        // A township may not write the county's settings.
        let town = Scope::region(&rc(TOWN_A), true);
        assert!(matches!(
            s.set_risk_steering_settings(&sys(&town), COUNTY, &st, Some(2)),
            Err(StoreError::Forbidden)
        ));
        assert!(s.verify_audit().unwrap().ok());
    });
}
