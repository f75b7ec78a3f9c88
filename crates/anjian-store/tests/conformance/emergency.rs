//! Emergency resources on both backends: written and read in their township's scope (another
//! township's answering like a missing one), a supply's depot must be a depot in scope, a
//! check moves the last check forward only and is kept in the history, and an import's
//! resources are written all or none.

use crate::*;
use anjian_domain::emergency::ResourceKind;
use anjian_store::StoreError;
use anjian_store::emergency::{ResourceFilter, ResourceInput};

fn input(region: &str, kind: ResourceKind, name: &str) -> ResourceInput {
    ResourceInput {
        region_code: region.into(),
        department_id: None,
        kind,
        name: name.into(),
        members: (kind == ResourceKind::Team).then_some(30),
        speciality: String::new(),
        quantity: (kind == ResourceKind::Supply).then_some(2),
        unit: String::new(),
        capacity: None,
        depot_id: None,
        contact: String::new(),
        phone: "13807951234".into(),
        address: String::new(),
        point: Some((115_540_000, 28_060_000)),
        last_checked_on: Some(day("2022-09-01")),
        note: String::new(),
    }
}

#[test]
fn emergency_resources_keep_their_scope_depots_and_checks_on_both_backends() {
    each(|s| {
        seed_org(s);
        let town_a = Scope::region(&rc(TOWN_A), true);
        let tch = sys(&town_a);
        let town_b = Scope::region(&rc(TOWN_B), true);
        let bch = sys(&town_b);
        let team = s
            .create_emergency_resource(&tch, &input(TOWN_A, ResourceKind::Team, "临江镇防汛抢险队"))
            .unwrap();
        assert_eq!(
            (team.lng_micro, team.members),
            (Some(115_540_000), Some(30))
        );
        assert!(matches!(
            s.create_emergency_resource(&tch, &input(TOWN_B, ResourceKind::Team, "越界")),
            Err(StoreError::Forbidden)
        ));
        let depot = s
            .create_emergency_resource(&tch, &input(TOWN_A, ResourceKind::Depot, "储备点"))
            .unwrap();
        let mut boats = input(TOWN_A, ResourceKind::Supply, "冲锋舟");
        boats.depot_id = Some(team.id);
        assert!(matches!(
            s.create_emergency_resource(&tch, &boats),
            Err(StoreError::Invalid(f)) if f == "depot_id"
        ));
        boats.depot_id = Some(depot.id);
        let mut theirs = boats.clone();
        theirs.region_code = TOWN_B.into();
        assert!(matches!(
            s.create_emergency_resource(&bch, &theirs),
            Err(StoreError::Invalid(f)) if f == "depot_id"
        ));
        let boats = s.create_emergency_resource(&tch, &boats).unwrap();
        assert_eq!(boats.depot_name, "储备点");
        assert!(
            s.emergency_resources(&town_b, &ResourceFilter::default())
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            s.get_emergency_resource(&town_b, team.id),
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.emergency_resources(
                &county_scope(),
                &ResourceFilter {
                    kind: Some(ResourceKind::Supply),
                    region: None
                }
            )
            .unwrap()
            .len(),
            1
        );

        // Checks: forward only, all kept.
        let after = s
            .check_emergency_resource(&tch, team.id, day("2022-12-01"), true, "点验")
            .unwrap();
        assert_eq!(after.last_checked_on, Some(day("2022-12-01")));
        let after = s
            .check_emergency_resource(&tch, team.id, day("2022-10-01"), false, "补录")
            .unwrap();
        assert_eq!(after.last_checked_on, Some(day("2022-12-01")));
        let checks = s.emergency_resource_checks(&town_a, team.id).unwrap();
        assert_eq!(checks.len(), 2);
        assert!(checks[0].ok && !checks[1].ok);
        assert!(matches!(
            s.check_emergency_resource(&bch, team.id, day("2022-12-01"), true, ""),
            Err(StoreError::NotFound)
        ));

        // All or none.
        let batch = vec![
            input(TOWN_A, ResourceKind::Shelter, "临江中心小学"),
            input(TOWN_B, ResourceKind::Shelter, "越界小学"),
        ];
        assert!(s.create_emergency_resources(&tch, &batch).is_err());
        assert_eq!(
            s.emergency_resources(
                &town_a,
                &ResourceFilter {
                    kind: Some(ResourceKind::Shelter),
                    region: None
                }
            )
            .unwrap()
            .len(),
            0
        );
    });
}
