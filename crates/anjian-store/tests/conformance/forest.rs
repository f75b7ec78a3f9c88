//! Forest-fire prevention on both backends: the season is the county's and read by its
//! townships; hills, persons, registers and patrols are written and read in their township's
//! scope (another township's answering like a missing one); a person's place is its hill's;
//! the duty of a day is replaced, not doubled; equipment never goes out beyond its stock,
//! and a township reads only the handovers it received; the metrics count the records.

use crate::*;
use anjian_domain::forest::{Acquisition, EquipmentKind, FarmKind, Finding, Level, WardenRole};
use anjian_store::StoreError;
use anjian_store::forest::{
    CheckpointInput, CheckpointLogInput, DutyInput, EquipmentInput, FarmInput, ForestFilter,
    HandoverInput, PatchInput, PatrolInput, Recipient, SeasonInput, WardenInput,
};
use anjian_store::stats::{StatFilter, catalogue};

#[test]
fn the_forest_grid_patrols_and_equipment_keep_their_scope_and_stock_on_both_backends() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let town_a = Scope::region(&rc(TOWN_A), true);
        let tch = sys(&town_a);
        let town_b = Scope::region(&rc(TOWN_B), true);
        let bch = sys(&town_b);

        let season_input = SeasonInput {
            region_code: COUNTY.into(),
            name: "2022—2023年度森林防火期".into(),
            starts_on: day("2022-09-12"),
            ends_on: day("2023-04-30"),
        };
        // A township does not set the county's season.
        assert!(matches!(
            s.create_forest_season(&tch, &season_input),
            Err(StoreError::Forbidden)
        ));
        let season = s.create_forest_season(&ch, &season_input).unwrap();
        assert_eq!(s.forest_seasons(&town_a).unwrap().len(), 1);
        let farm = s
            .create_forest_farm(
                &ch,
                &FarmInput {
                    region_code: TOWN_B.into(),
                    name: "洲上国有林场".into(),
                    kind: FarmKind::ForestFarm,
                    note: String::new(),
                },
            )
            .unwrap();

        let hill = |region: &str, name: &str| PatchInput {
            region_code: region.into(),
            name: name.into(),
            area_centi_mu: 35_050,
            species: "杉木".into(),
            farm_id: None,
            note: String::new(),
        };
        let h1 = s
            .create_forest_patch(&tch, &hill(VILLAGE_A1, "后龙山"))
            .unwrap();
        assert_eq!(
            (h1.region_name.as_str(), h1.area_centi_mu),
            ("枫林村", 35_050)
        );
        assert!(matches!(
            s.create_forest_patch(&tch, &hill(VILLAGE_A1, "后龙山")),
            Err(StoreError::Duplicate(_))
        ));
        assert!(matches!(
            s.create_forest_patch(&tch, &hill(VILLAGE_B1, "越界山")),
            Err(StoreError::Forbidden)
        ));
        // A farm's hill at the township (the farm is the county's, read by the township).
        let mut farm_hill = hill(TOWN_B, "洲上林场第1林班");
        farm_hill.farm_id = Some(farm.id);
        let h2 = s.create_forest_patch(&bch, &farm_hill).unwrap();
        assert_eq!(h2.farm_name, "洲上国有林场");
        assert_eq!(
            s.forest_patches(&town_b, &ForestFilter::default())
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            s.forest_patches(&county, &ForestFilter::default())
                .unwrap()
                .len(),
            2
        );

        // A hill's ranger lies at the hill; another township's hill is refused.
        let ranger = |patch: i64| WardenInput {
            season_id: season.id,
            level: Level::Patch,
            region_code: String::new(),
            patch_id: Some(patch),
            checkpoint_id: None,
            role: WardenRole::Ranger,
            name: "罗木根".into(),
            post: "生态护林员".into(),
            phone: "13807951234".into(),
        };
        let w = s.create_forest_warden(&tch, &ranger(h1.id)).unwrap();
        assert_eq!(
            (w.region_code.as_str(), w.patch_name.as_str()),
            (VILLAGE_A1, "后龙山")
        );
        assert!(matches!(
            s.create_forest_warden(&bch, &ranger(h1.id)),
            Err(StoreError::Invalid(f)) if f == "patch_id"
        ));
        assert_eq!(
            s.forest_wardens(&town_b, &ForestFilter::default())
                .unwrap()
                .len(),
            0
        );

        // Checkpoints and registers.
        let cp = s
            .create_forest_checkpoint(
                &tch,
                &CheckpointInput {
                    season_id: season.id,
                    region_code: TOWN_A.into(),
                    name: "临江进山路口防火检查站".into(),
                    location: "1号路口".into(),
                },
            )
            .unwrap();
        let log = CheckpointLogInput {
            checkpoint_id: cp.id,
            logged_on: day("2022-10-02"),
            people: 120,
            vehicles: 40,
            fire_sources: 6,
            on_duty: "张三、李四".into(),
            note: String::new(),
        };
        s.record_checkpoint_log(&tch, &log).unwrap();
        assert!(matches!(
            s.record_checkpoint_log(&bch, &log),
            Err(StoreError::NotFound)
        ));

        // Patrols at the hill's place.
        let p = s
            .record_patrol(
                &tch,
                &PatrolInput {
                    region_code: String::new(),
                    patch_id: Some(h1.id),
                    patroller: "罗木根".into(),
                    patrolled_on: day("2022-10-03"),
                    from_time: "08:00".into(),
                    to_time: "10:30".into(),
                    route: "后龙山山脚—山顶".into(),
                    finding: Finding::IllegalFire,
                    details: "焚烧田埂杂草，当场制止".into(),
                },
            )
            .unwrap();
        assert_eq!(p.region_code, VILLAGE_A1);
        let in_october = ForestFilter {
            from: Some(day("2022-10-01")),
            to: Some(day("2022-10-31")),
            ..Default::default()
        };
        assert_eq!(s.forest_patrols(&town_a, &in_october).unwrap().len(), 1);
        assert!(s.forest_patrols(&town_b, &in_october).unwrap().is_empty());

        // The duty of a day is replaced, with the change audited.
        let duty = |leader: &str| DutyInput {
            region_code: COUNTY.into(),
            duty_on: day("2022-10-01"),
            leader: leader.into(),
            leader_phone: "13807951234".into(),
            officer: "王五".into(),
            officer_phone: "13807951235".into(),
        };
        s.set_forest_duty(&ch, &duty("郑伟")).unwrap();
        s.set_forest_duty(&ch, &duty("李明")).unwrap();
        let duties = s.forest_duties(&county, &ForestFilter::default()).unwrap();
        assert_eq!(duties.len(), 1);
        assert_eq!(duties[0].leader, "李明");

        // Equipment: the stock bounds the handovers.
        let drones = s
            .create_forest_equipment(
                &ch,
                &EquipmentInput {
                    region_code: COUNTY.into(),
                    kind: EquipmentKind::Drone,
                    model: "M30T".into(),
                    quantity: 8,
                    acquisition: Acquisition::Purchased,
                    donor: String::new(),
                    cost_fen: 112_000_000,
                    acquired_on: day("2022-03-15"),
                    note: String::new(),
                },
            )
            .unwrap();
        let hand = |to: Recipient, n: i64| HandoverInput {
            equipment_id: drones.id,
            recipient: to,
            quantity: n,
            handed_on: day("2022-03-20"),
            received_by: "周国华".into(),
            note: String::new(),
        };
        s.hand_over_equipment(&ch, &hand(Recipient::Township(TOWN_A.into()), 5))
            .unwrap();
        assert!(matches!(
            s.hand_over_equipment(&ch, &hand(Recipient::Farm(farm.id), 4)),
            Err(StoreError::Invalid(f)) if f == "quantity"
        ));
        assert!(matches!(
            s.hand_over_equipment(&ch, &hand(Recipient::Township(VILLAGE_A1.into()), 1)),
            Err(StoreError::Invalid(f)) if f == "recipient"
        ));
        s.hand_over_equipment(&ch, &hand(Recipient::Farm(farm.id), 3))
            .unwrap();
        // A township does not hand out the county's equipment, and sees what it received.
        assert!(matches!(
            s.hand_over_equipment(&tch, &hand(Recipient::Township(TOWN_A.into()), 1)),
            Err(StoreError::NotFound)
        ));
        let got = s
            .forest_handovers(&town_a, &ForestFilter::default())
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].recipient.as_str(), got[0].quantity), ("临江镇", 5));
        assert_eq!(
            s.get_forest_equipment(&county, drones.id).unwrap().handed,
            8
        );

        // The metrics.
        let cat = catalogue(&[], &[]);
        let v = |id: &str| {
            let m = cat.iter().find(|m| m.id == id).unwrap();
            s.metric_value(
                m,
                &county,
                &StatFilter::default(),
                day("2022-01-01"),
                day("2022-12-31"),
            )
            .unwrap()
        };
        assert_eq!(v("forest.drones"), Some(8));
        assert_eq!(v("forest.funds"), Some(112_000_000));
        assert_eq!(v("forest.equipment.townships"), Some(1));
        assert_eq!(v("forest.equipment.farms"), Some(1));
        assert_eq!(v("forest.patrols.illegal_fire"), Some(1));
        assert_eq!(v("forest.checkpoints.people"), Some(120));
        assert_eq!(v("forest.wardens"), Some(1));
    });
}
