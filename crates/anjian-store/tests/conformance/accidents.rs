//! The accident register: create, scope (township, department's sectors, enterprise none),
//! 补报 rows counted or not, the changes under versions, filters, audit.

use crate::*;
use anjian_domain::accident::{Category, Level, Party, parse_time};
use anjian_store::StoreError;
use anjian_store::accidents::{
    AccidentChange, AccidentFilter, AccidentInput, Figures, UpdateInput,
};
use anjian_store::paging::Keyset;

fn input(region: &str, sector: &str, category: Category, at: &str, deaths: i64) -> AccidentInput {
    AccidentInput {
        region_code: region.into(),
        enterprise_id: None,
        sector: sector.into(),
        category,
        type_code: "collapse".into(),
        occurred_at: parse_time(at).unwrap(),
        place: "枫林村采石场".into(),
        account: "边坡坍塌".into(),
        figures: Figures {
            deaths,
            loss_fen: 12_345_678,
            ..Figures::default()
        },
        level: Level::General,
        unit_reported_at: parse_time(at),
        county_reported_at: None,
        investigation_due: day("2022-06-30"),
        point: None,
    }
}

#[test]
fn accidents_are_scoped_and_keep_their_history() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let a = s
            .create_accident(
                &ch,
                &input(TOWN_A, "mines", Category::Production, "2022-05-01 23:30", 1),
            )
            .unwrap();
        assert_eq!(a.occurred_on, day("2022-05-01"));
        assert_eq!(a.loss_fen, 12_345_678);
        assert_eq!(a.county_code, COUNTY);
        assert_eq!(a.unit_reported_at, parse_time("2022-05-01 23:30"));
        s.create_accidents(
            &ch,
            &[
                input(TOWN_B, "fire", Category::Fire, "2022-05-02 10:00", 0),
                input(
                    TOWN_B,
                    "hazchem",
                    Category::Production,
                    "2021-05-02 10:00",
                    0,
                ),
            ],
        )
        .unwrap();

        let ids = |scope: &anjian_domain::Scope, f: &AccidentFilter| {
            s.list_accidents(scope, f, &Keyset::first(50))
                .unwrap()
                .items
                .into_iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        };
        let all = AccidentFilter::default();
        assert_eq!(ids(&county, &all).len(), 3);
        let fires = AccidentFilter {
            category: Some(Category::Fire),
            ..all.clone()
        };
        assert_eq!(ids(&county, &fires).len(), 1);
        let in_2022 = AccidentFilter {
            from: Some(day("2022-01-01")),
            to: Some(day("2022-12-31")),
            ..all.clone()
        };
        assert_eq!(ids(&county, &in_2022).len(), 2);

        // A township sees its own; another township's accident answers like missing.
        let town = anjian_domain::Scope::region(&rc(TOWN_A), true);
        assert_eq!(ids(&town, &all), vec![a.id]);
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), true);
        assert!(matches!(
            s.get_accident(&town_b, a.id),
            Err(StoreError::NotFound)
        ));
        // A department sees its sectors only.
        let dept = anjian_domain::Scope {
            sectors: Some(vec!["fire".into()]),
            ..county_scope()
        };
        assert_eq!(ids(&dept, &all).len(), 1);
        assert!(matches!(
            s.get_accident(&dept, a.id),
            Err(StoreError::NotFound)
        ));
        // An enterprise-bound scope sees none that is not its own.
        let ent = anjian_domain::Scope {
            enterprise_ids: Some(vec![999]),
            ..county_scope()
        };
        assert!(ids(&ent, &all).is_empty());
        // Writing outside the scope is refused.
        assert!(matches!(
            s.create_accident(
                &sys(&town),
                &input(TOWN_B, "mines", Category::Production, "2022-05-03 10:00", 0)
            ),
            Err(StoreError::Forbidden)
        ));

        // A counted 补报 changes the figures and the level; a late one only the history.
        let counted = UpdateInput {
            changed_on: day("2022-05-10"),
            figures: Figures {
                deaths: 3,
                ..a.figures()
            },
            reason: "两名重伤人员经抢救无效死亡".into(),
            counted: true,
            level: Level::Large,
        };
        let (b, u) = s
            .add_accident_update(&ch, a.id, a.version, &counted)
            .unwrap();
        assert_eq!(
            (b.deaths, b.level, b.version),
            (3, Level::Large, a.version + 1)
        );
        assert_eq!(u.previous.deaths, 1);
        assert!(matches!(
            s.add_accident_update(&ch, a.id, a.version, &counted),
            Err(StoreError::Conflict(_))
        ));
        let late = UpdateInput {
            changed_on: day("2022-06-20"),
            figures: Figures {
                deaths: 4,
                ..b.figures()
            },
            reason: "伤者转院后死亡".into(),
            counted: false,
            level: Level::Large,
        };
        let (c, _) = s.add_accident_update(&ch, a.id, b.version, &late).unwrap();
        assert_eq!((c.deaths, c.level), (3, Level::Large));
        let history = s.accident_updates(&county, a.id).unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(
            (
                history[0].figures.deaths,
                history[0].counted,
                history[1].figures.deaths,
                history[1].counted
            ),
            (3, true, 4, false)
        );
        assert_eq!(history[1].reason, "伤者转院后死亡");
        assert!(s.accident_updates(&town_b, a.id).is_err());

        // The changes: links, flags, extension, closing.
        let d = s
            .change_accident(
                &ch,
                a.id,
                c.version,
                &AccidentChange::Links {
                    unit: parse_time("2022-05-02 00:45"),
                    county: parse_time("2022-05-02 02:00"),
                },
            )
            .unwrap();
        assert_eq!(d.county_reported_at, parse_time("2022-05-02 02:00"));
        let d = s
            .change_accident(
                &ch,
                a.id,
                d.version,
                &AccidentChange::Flags {
                    false_report: true,
                    false_report_reason: "少报死亡人数".into(),
                    concealed: false,
                    concealed_reason: String::new(),
                },
            )
            .unwrap();
        assert!(d.false_report && !d.concealed);
        let d = s
            .change_accident(
                &ch,
                a.id,
                d.version,
                &AccidentChange::Extend {
                    due: day("2022-08-29"),
                    reason: "技术鉴定需要时间".into(),
                },
            )
            .unwrap();
        assert_eq!(d.extended_due, Some(day("2022-08-29")));
        let d = s
            .change_accident(
                &ch,
                a.id,
                d.version,
                &AccidentChange::Close {
                    closed_on: day("2022-08-01"),
                    findings: "违规开采".into(),
                    parties: vec![Party {
                        name: "张三".into(),
                        unit: false,
                        measure: "移送司法机关".into(),
                    }],
                    accountability_ids: vec![7],
                    case_ids: vec![],
                },
            )
            .unwrap();
        assert_eq!(d.parties[0].name, "张三");
        assert_eq!(d.accountability_ids, vec![7]);
        let open = AccidentFilter {
            open_only: true,
            ..all.clone()
        };
        assert_eq!(ids(&county, &open).len(), 2);
        assert!(matches!(
            s.change_accident(
                &ch,
                a.id,
                1,
                &AccidentChange::Extend {
                    due: day("2022-09-01"),
                    reason: "x".into()
                }
            ),
            Err(StoreError::Conflict(_))
        ));
        // A read-only scope writes nothing.
        let read_only = anjian_domain::Scope::region(&rc(COUNTY), false);
        assert!(
            s.change_accident(
                &sys(&read_only),
                a.id,
                d.version,
                &AccidentChange::Extend {
                    due: day("2022-09-01"),
                    reason: "x".into()
                }
            )
            .is_err()
        );
    });
}

#[test]
fn the_figures_count_the_counted_values_by_category_and_level() {
    use anjian_store::stats::{StatFilter, catalogue};
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let mut large = input(TOWN_A, "mines", Category::Production, "2022-03-01 08:00", 3);
        large.level = Level::Large;
        let general = input(
            TOWN_B,
            "hazchem",
            Category::Production,
            "2022-04-01 08:00",
            1,
        );
        let fire = input(TOWN_B, "fire", Category::Fire, "2022-05-01 08:00", 0);
        let mut forest = input(TOWN_A, "fire", Category::ForestFire, "2022-02-01 08:00", 0);
        forest.figures.forest_area_centi_ha = 150;
        forest.level = Level::Large;
        let last_year = input(TOWN_A, "mines", Category::Production, "2021-03-01 08:00", 2);
        s.create_accidents(&ch, &[large, general, fire, forest, last_year])
            .unwrap();
        // A late 补报 of the general accident: recorded, not counted.
        let g = s
            .list_accidents(
                &county,
                &AccidentFilter {
                    region_prefix: Some("360982101".into()),
                    category: Some(Category::Production),
                    ..AccidentFilter::default()
                },
                &Keyset::first(10),
            )
            .unwrap()
            .items
            .remove(0);
        s.add_accident_update(
            &ch,
            g.id,
            g.version,
            &UpdateInput {
                changed_on: day("2022-06-01"),
                figures: Figures {
                    deaths: 2,
                    ..g.figures()
                },
                reason: "逾期补报".into(),
                counted: false,
                level: Level::General,
            },
        )
        .unwrap();

        let cat = catalogue(&[], &[]);
        let val = |id: &str, f: &StatFilter, from: &str, to: &str| {
            let m = cat
                .iter()
                .find(|m| m.id == id)
                .unwrap_or_else(|| panic!("{id}"));
            s.metric_value(m, &county, f, day(from), day(to)).unwrap()
        };
        let all = StatFilter::default();
        let y = |id: &str| val(id, &all, "2022-01-01", "2022-12-31");
        assert_eq!(y("accidents.production"), Some(2));
        assert_eq!(
            y("accidents.production.deaths"),
            Some(4),
            "3 + 1, the late 补报 not counted"
        );
        assert_eq!(y("accidents.production.large_plus"), Some(1));
        assert_eq!(y("accidents.production.level.general"), Some(1));
        assert_eq!(y("accidents.fire"), Some(1));
        assert_eq!(y("accidents.fire.fatal"), Some(0));
        assert_eq!(y("accidents.forest_fire.large_plus"), Some(1));
        // Two accidents of 123,456.78元: the raw sum in 分 (24.691356万元 as stated).
        assert_eq!(y("accidents.production.loss"), Some(24_691_356));
        assert_eq!(y("accidents.forest_fire.area"), Some(150));
        assert_eq!(
            val("accidents.production", &all, "2021-01-01", "2021-12-31"),
            Some(1)
        );
        let sector = StatFilter {
            sector: Some("mines".into()),
            ..Default::default()
        };
        assert_eq!(
            val("accidents.production", &sector, "2022-01-01", "2022-12-31"),
            Some(1)
        );
        let m = cat
            .iter()
            .find(|m| m.id == "accidents.production.large_plus")
            .unwrap();
        let rows = s
            .metric_records(m, &county, &all, day("2022-01-01"), day("2022-12-31"), 100)
            .unwrap()
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].label, "2022-03-01 08:00 枫林村采石场");
    });
}
