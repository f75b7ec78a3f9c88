//! Scopes at every level, province to township, see exactly their subtree.

use super::*;

/// A scope's region prefix of up to six digits is evaluated on `county_code`, longer ones
/// on `region_code`: every level sees exactly the hazards below it, in lists, counts and
/// by id.
#[test]
fn hazard_scopes_at_every_level_see_exactly_their_subtree() {
    each(|s| {
        seed_org(s);
        let province = Scope::region(&rc("360000000000"), true);
        let ch = sys(&province);
        // A second county in another city, with a village.
        let more = [
            ("360000000000", "江西省", None),
            ("360900000000", "宜春市", Some("360000000000")),
            ("361000000000", "抚州市", Some("360000000000")),
            ("361021000000", "南城县", Some("361000000000")),
            ("361021100000", "建昌镇", Some("361021000000")),
            ("361021100200", "城东村", Some("361021100000")),
        ];
        add_regions(s, &ch, &more);
        let mut ids = std::collections::BTreeMap::new();
        for v in [VILLAGE_A1, VILLAGE_B1, "361021100200"] {
            let h = s
                .create_hazard(&ch, &fields(v, None, "fire", None), &ev("create"))
                .unwrap();
            ids.insert(v, h.id);
        }
        let cases: [(&str, Vec<&str>); 6] = [
            ("360000000000", vec![VILLAGE_A1, VILLAGE_B1, "361021100200"]),
            ("360900000000", vec![VILLAGE_A1, VILLAGE_B1]),
            ("361000000000", vec!["361021100200"]),
            (COUNTY, vec![VILLAGE_A1, VILLAGE_B1]),
            ("361021000000", vec!["361021100200"]),
            (TOWN_A, vec![VILLAGE_A1]),
        ];
        for (region, expect) in cases {
            let scope = Scope::region(&rc(region), false);
            let mut want: Vec<i64> = expect.iter().map(|v| ids[v]).collect();
            want.sort_unstable_by(|a, b| b.cmp(a));
            let got: Vec<i64> = s
                .list_hazards(&scope, &filter("2022-06-11"))
                .map(|p| p.items.iter().map(|h| h.id).collect())
                .unwrap();
            assert_eq!(got, want, "list in {region}");
            assert_eq!(
                s.count_hazards(&scope, &filter("2022-06-11")).ok(),
                Some(want.len() as i64),
                "count in {region}"
            );
            for (v, id) in &ids {
                assert_eq!(
                    s.get_hazard(&scope, *id).is_ok(),
                    expect.contains(v),
                    "hazard in {v} seen from {region}"
                );
            }
        }
    });
}
