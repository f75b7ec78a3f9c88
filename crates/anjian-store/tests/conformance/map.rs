//! The one map on both backends: a county's boundaries replaced whole and read by everyone in
//! the county (not by enterprise accounts), the county's box, a township outside the county
//! refused, records placed in bulk, and the layers' points with a hazard placed at its
//! enterprise when it has no point of its own.

use crate::*;
use anjian_domain::map::{Extent, Layer};
use anjian_store::StoreError;
use anjian_store::map::{BoundaryInput, MapQuery, PointTable};

fn boundary(code: &str, x: i64) -> BoundaryInput {
    BoundaryInput {
        region_code: code.into(),
        geometry: format!(
            "{{\"type\":\"MultiPolygon\",\"coordinates\":[[[[{x},28],[{x}.1,28],[{x}.1,28.1],[{x},28]]]]}}"
        ),
        display_geometry: "{}".into(),
        extent: Extent {
            min_lng: x * 1_000_000,
            min_lat: 28_000_000,
            max_lng: x * 1_000_000 + 100_000,
            max_lat: 28_100_000,
        },
    }
}

#[test]
fn boundaries_and_map_points_on_both_backends() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        assert_eq!(s.county_extent(COUNTY).unwrap(), None);
        assert_eq!(
            s.replace_region_boundaries(
                &ch,
                COUNTY,
                &[boundary(TOWN_A, 115), boundary(TOWN_B, 116)]
            )
            .unwrap(),
            2
        );
        // A second import replaces the first.
        s.replace_region_boundaries(&ch, COUNTY, &[boundary(TOWN_A, 115)])
            .unwrap();
        let town_b = Scope::region(&rc(TOWN_B), false);
        let rows = s.region_boundaries(&town_b, COUNTY, true).unwrap();
        assert_eq!(rows.len(), 1, "a township reads the county's boundaries");
        assert_eq!(rows[0].region_name, "临江镇");
        assert!(rows[0].geometry.contains("MultiPolygon"));
        assert_eq!(
            s.region_boundaries(&town_b, COUNTY, false).unwrap()[0].geometry,
            "{}"
        );
        let mut ent_scope = Scope::region(&rc(VILLAGE_A1), false);
        ent_scope.enterprise_ids = Some(vec![1]);
        assert!(
            s.region_boundaries(&ent_scope, COUNTY, true)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.county_extent(COUNTY).unwrap().map(|e| e.max_lng),
            Some(115_100_000)
        );
        // A township of another county, or an unknown one, refuses the whole import.
        assert!(matches!(
            s.replace_region_boundaries(&ch, COUNTY, &[boundary("360983100000", 115)]),
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            s.replace_region_boundaries(
                &ch,
                COUNTY,
                &[boundary(TOWN_A, 115), boundary("360982199000", 115)]
            ),
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(s.region_boundaries(&county, COUNTY, true).unwrap().len(), 1);
        // A township cannot replace the county's boundaries.
        let town_a_w = Scope::region(&rc(TOWN_A), true);
        assert!(matches!(
            s.replace_region_boundaries(&sys(&town_a_w), COUNTY, &[]),
            Err(StoreError::Forbidden)
        ));

        // Points: an enterprise placed in bulk, its hazard placed at it.
        let e = s
            .create_enterprise(&ch, &enterprise(1, VILLAGE_A1, "hazchem"))
            .unwrap();
        let h = s
            .create_hazard(
                &ch,
                &hazard_fields(
                    VILLAGE_A1,
                    Some(e),
                    "hazchem",
                    "2022-06-01",
                    Some("2022-06-10"),
                ),
                &event("create"),
            )
            .unwrap();
        assert_eq!(h.lng_micro, None);
        let q = MapQuery {
            region: None,
            from: day("2022-01-01"),
            to: day("2022-12-31"),
        };
        let pts = s.map_points(&county, Layer::Hazards, &q).unwrap();
        assert_eq!(pts.len(), 1);
        assert_eq!(pts[0].point, None);
        assert_eq!(
            s.set_record_points(
                &ch,
                PointTable::Enterprises,
                &[(e, Some((115_050_000, 28_050_000)))]
            )
            .unwrap(),
            1
        );
        let pts = s.map_points(&county, Layer::Hazards, &q).unwrap();
        assert_eq!(pts[0].point, Some((115_050_000, 28_050_000)));
        assert_eq!(pts[0].tag, "general");
        assert_eq!(pts[0].region_name, "枫林村");
        let places = s.record_places(&county, PointTable::Hazards).unwrap();
        assert_eq!(places, vec![(h.id, VILLAGE_A1.to_string(), Some(e), None)]);
        // Out of scope: township B sees neither, and cannot place them.
        assert!(
            s.map_points(&town_b, Layer::Enterprises, &q)
                .unwrap()
                .is_empty()
        );
        let town_b_w = Scope::region(&rc(TOWN_B), true);
        assert_eq!(
            s.set_record_points(&sys(&town_b_w), PointTable::Enterprises, &[(e, None)])
                .unwrap(),
            0
        );
        let ents = s.map_points(&county, Layer::Enterprises, &q).unwrap();
        assert_eq!(ents[0].point, Some((115_050_000, 28_050_000)));
        // The region filter.
        let q_b = MapQuery {
            region: Some("360982101".into()),
            ..q.clone()
        };
        assert!(
            s.map_points(&county, Layer::Enterprises, &q_b)
                .unwrap()
                .is_empty()
        );
    });
}
