use crate::*;
use anjian_store::commissions::Commission;
use anjian_store::hazards::{EventInput, HazardFields};
use anjian_store::stats::{Agg, StatFilter, catalogue};
use anjian_store::work::{Campaign, WorkItemType, WorkRecord};

fn hazard(
    region: &str,
    sector: &str,
    level: &str,
    found: &str,
    closed: Option<&str>,
    campaign: Option<&str>,
) -> HazardFields {
    HazardFields {
        region_code: region.into(),
        enterprise_id: None,
        department_id: None,
        sector: sector.into(),
        level: anjian_domain::hazard::Level::parse(level).unwrap(),
        source: anjian_domain::hazard::Source::parse("inspection").unwrap(),
        description: "消防通道堵塞".into(),
        location: String::new(),
        found_on: day(found),
        deadline: Some(day("2022-07-01")),
        deadline_basis: Some("date".into()),
        deadline_rule: String::new(),
        status: if closed.is_some() {
            anjian_domain::hazard::Status::parse("closed").unwrap()
        } else {
            anjian_domain::hazard::Status::parse("registered").unwrap()
        },
        responsible_unit: String::new(),
        responsible_person: String::new(),
        measures: String::new(),
        funds_planned: None,
        funds_spent: Some(1500),
        emergency_plan: String::new(),
        campaign: campaign.map(str::to_string),
        closed_on: closed.map(day),
        point: None,
    }
}

fn seed(s: &anjian_store::Store) -> (i64, i64) {
    let (a, b) = seed_org(s);
    let county = county_scope();
    let ch = sys(&county);
    s.create_campaign(
        &ch,
        &Campaign {
            county_code: COUNTY.into(),
            code: "bairi".into(),
            name: "百日攻坚".into(),
            starts_on: day("2022-06-01"),
            ends_on: day("2022-09-08"),
            ..Default::default()
        },
    )
    .unwrap();
    for (code, unit) in [("boards", "块"), ("stationed_supervisors", "人")] {
        s.save_work_item_type(
            &ch,
            &WorkItemType {
                code: code.into(),
                name: code.into(),
                unit: unit.into(),
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    }
    let w =
        |region: &str, dept: Option<i64>, item: &str, day: &str, q: i64, campaign: Option<&str>| {
            WorkRecord {
                region_code: region.into(),
                department_id: dept,
                item_code: item.into(),
                done_on: crate::day(day),
                quantity: q,
                campaign: campaign.map(str::to_string),
                ..Default::default()
            }
        };
    s.create_work_records(
        &ch,
        &[
            w(VILLAGE_A1, None, "boards", "2022-03-01", 12, None),
            w(TOWN_A, None, "boards", "2022-07-01", 8, Some("bairi")),
            w(VILLAGE_B1, None, "boards", "2023-01-02", 5, None),
            w(TOWN_A, None, "stationed_supervisors", "2022-09-22", 6, None),
            w(
                VILLAGE_A1,
                None,
                "stationed_supervisors",
                "2022-09-23",
                2,
                None,
            ),
            w(TOWN_B, None, "stationed_supervisors", "2022-09-22", 4, None),
            w(
                COUNTY,
                Some(a),
                "stationed_supervisors",
                "2022-09-22",
                3,
                None,
            ),
            w(
                COUNTY,
                Some(b),
                "stationed_supervisors",
                "2022-09-22",
                3,
                None,
            ),
        ],
    )
    .unwrap();
    let ev = EventInput {
        action: "create".into(),
        note: String::new(),
        data: None,
    };
    for f in [
        hazard(
            VILLAGE_A1,
            "fire",
            "general",
            "2022-06-02",
            Some("2022-06-20"),
            Some("bairi"),
        ),
        hazard(
            VILLAGE_A1,
            "fire",
            "major",
            "2022-06-05",
            Some("2022-06-30"),
            Some("bairi"),
        ),
        hazard(VILLAGE_B1, "mines", "major", "2022-10-05", None, None),
        hazard(
            VILLAGE_B1,
            "hazchem",
            "general",
            "2021-12-05",
            Some("2022-01-10"),
            None,
        ),
    ] {
        s.create_hazard(&ch, &f, &ev).unwrap();
    }
    (a, b)
}

fn filters(a: i64) -> Vec<StatFilter> {
    vec![
        StatFilter::default(),
        StatFilter {
            region_prefix: Some("360982100".into()),
            ..Default::default()
        },
        StatFilter {
            sector: Some("fire".into()),
            ..Default::default()
        },
        StatFilter {
            campaign: Some("bairi".into()),
            ..Default::default()
        },
        StatFilter {
            department_id: Some(a),
            ..Default::default()
        },
        StatFilter {
            agency: Some("交警".into()),
            ..Default::default()
        },
    ]
}

/// Every metric, under every dimension, on both backends: the drill-down's amounts add up
/// to the value (one row per key for distinct counts), and the SQL runs on each backend.
#[test]
fn every_metric_drills_down_to_its_value() {
    each(|s| {
        let (a, _) = seed(s);
        let county = county_scope();
        let cat = catalogue(&s.list_work_item_types().unwrap_or_default(), &[]);
        assert!(cat.len() > 40);
        // The batched evaluation agrees with the one-by-one values.
        let all: Vec<&anjian_store::stats::Metric> = cat.iter().collect();
        for f in filters(a) {
            let batch = s
                .metric_values(&all, &county, &f, day("2022-01-01"), day("2022-12-31"))
                .unwrap_or_else(|e| panic!("batch: {e}"));
            for (m, b) in cat.iter().zip(batch) {
                let one = s
                    .metric_value(m, &county, &f, day("2022-01-01"), day("2022-12-31"))
                    .unwrap_or_else(|e| panic!("{}: {e}", m.id));
                assert_eq!(b, one, "{} {f:?}", m.id);
            }
        }
        // Every (metric, statistical scope) pair in one call, the dimensions mixed in
        // each query, agrees with the one-by-one values too.
        let fs = filters(a);
        let pairs: Vec<(&anjian_store::stats::Metric, &StatFilter)> = cat
            .iter()
            .flat_map(|m| fs.iter().map(move |f| (m, f)))
            .collect();
        let mixed = s
            .metric_values_multi(&pairs, &county, day("2022-01-01"), day("2022-12-31"))
            .unwrap_or_else(|e| panic!("multi: {e}"));
        for ((m, f), v) in pairs.iter().zip(mixed) {
            let one = s
                .metric_value(m, &county, f, day("2022-01-01"), day("2022-12-31"))
                .unwrap_or_else(|e| panic!("{}: {e}", m.id));
            assert_eq!(v, one, "multi {} {f:?}", m.id);
        }
        for m in &cat {
            for f in filters(a) {
                let v = s
                    .metric_value(m, &county, &f, day("2022-01-01"), day("2022-12-31"))
                    .unwrap_or_else(|e| panic!("{}: {e}", m.id));
                let rows = s
                    .metric_records(
                        m,
                        &county,
                        &f,
                        day("2022-01-01"),
                        day("2022-12-31"),
                        100_000,
                    )
                    .unwrap_or_else(|e| panic!("{}: {e}", m.id));
                assert_eq!(v.is_some(), rows.is_some(), "{} {f:?}", m.id);
                if let (Some(v), Some(rows)) = (v, rows) {
                    let sum: i64 = rows.iter().map(|r| r.amount).sum();
                    assert_eq!(sum, v, "{} {f:?}", m.id);
                    if let Agg::Distinct { .. } = m.agg {
                        assert_eq!(rows.len() as i64, v, "{}", m.id);
                    }
                }
            }
        }
    });
}

#[test]
fn metric_values_follow_period_scope_and_dimensions() {
    each(|s| {
        let (a, _) = seed(s);
        let county = county_scope();
        let cat = catalogue(&s.list_work_item_types().unwrap_or_default(), &[]);
        let get = |id: &str| {
            cat.iter()
                .find(|m| m.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        let val = |id: &str, scope: &anjian_domain::Scope, f: &StatFilter| {
            s.metric_value(get(id), scope, f, day("2022-01-01"), day("2022-12-31"))
                .unwrap()
        };
        let all = StatFilter::default();
        assert_eq!(val("hazards.found", &county, &all), Some(3));
        assert_eq!(val("hazards.found_major", &county, &all), Some(2));
        assert_eq!(
            val("hazards.closed", &county, &all),
            Some(3),
            "includes the one found in 2021"
        );
        let bairi = StatFilter {
            campaign: Some("bairi".into()),
            ..Default::default()
        };
        assert_eq!(val("hazards.found", &county, &bairi), Some(2));
        // Money is summed in fen: 3 × 1,500 元 = 450,000 分 (stated 0.45 万元).
        assert_eq!(val("hazards.funds_spent", &county, &all), Some(450_000));
        assert_eq!(
            val("work.boards", &county, &all),
            Some(20),
            "2023 record outside the year"
        );
        assert_eq!(val("work.boards", &county, &bairi), Some(8));
        assert_eq!(val("work.boards.townships", &county, &all), Some(1));
        assert_eq!(val("work.stationed_supervisors", &county, &all), Some(18));
        // The department dimension: only department a's record (the 派驻 figures themselves
        // are read from the assignments, see `station.rs`).
        let dept = StatFilter {
            department_id: Some(a),
            ..Default::default()
        };
        assert_eq!(val("work.stationed_supervisors", &county, &dept), Some(3));
        // Not-applicable dimensions are None, not zero.
        assert_eq!(val("commissions.items", &county, &dept), None);
        // A township's scope sees only its own records.
        let town_b = anjian_domain::Scope::region(&rc(TOWN_B), false);
        assert_eq!(val("hazards.found", &town_b, &all), Some(1));
        assert_eq!(val("work.stationed_supervisors", &town_b, &all), Some(4));
        // A sector-bound scope counts only its sectors.
        let fire_only = anjian_domain::Scope {
            sectors: Some(vec!["fire".into()]),
            ..county_scope()
        };
        assert_eq!(val("hazards.found", &fire_only, &all), Some(2));
        // Major hazards at the period's end: the open mines one is not yet due? Its
        // deadline 2022-07-01 passed, so it is overdue, not "not yet due".
        assert_eq!(val("major.not_due", &county, &all), Some(0));
        assert_eq!(val("major.closed_in_time", &county, &all), Some(1));
        // 录入 = 时限内销号 + 未到期限 + 逾期: the open mines one is the overdue one.
        assert_eq!(val("major.overdue", &county, &all), Some(1));
        assert_eq!(val("hazards.open_overdue", &county, &all), Some(1));
    });
}

/// "下放简易程序执法权限N项（交警N项…）": the items an agency delegated, each once however many
/// townships its agreements commission, from the agreements in force in the period (the
/// JSON list expanded on each backend).
#[test]
fn commission_items_count_each_delegated_item_once() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let items = |list: &[(&str, &str)]| {
            serde_json::Value::Array(
                list.iter()
                    .map(|(c, n)| serde_json::json!({"code": c, "name": n, "legal_basis": "", "max_fine_yuan": 200.0}))
                    .collect(),
            )
            .to_string()
        };
        let traffic = items(&[("JT-01", "农村道路违规载人"), ("JT-02", "驾驶无牌车辆")]);
        for (town, agency, list, from, to) in [
            (
                TOWN_A,
                "清江市公安局交通管理大队（交警）",
                traffic.clone(),
                "2022-01-01",
                "2022-12-31",
            ),
            (
                TOWN_B,
                "清江市公安局交通管理大队（交警）",
                traffic.clone(),
                "2022-03-01",
                "2023-02-28",
            ),
            (
                TOWN_A,
                "清江市农业农村局（农机）",
                items(&[("NJ-01", "拖拉机违规载人")]),
                "2022-01-01",
                "2022-12-31",
            ),
            (
                TOWN_B,
                "清江市交通运输局（运管）",
                items(&[("YG-01", "非法营运")]),
                "2021-01-01",
                "2021-12-31",
            ),
        ] {
            s.create_commission(
                &ch,
                &Commission {
                    region_code: town.into(),
                    agency: agency.into(),
                    agreement_no: format!("{agency}{town}"),
                    items: list,
                    valid_from: day(from),
                    valid_to: day(to),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        let cat = catalogue(&[], &[]);
        let m = cat.iter().find(|m| m.id == "commissions.items").unwrap();
        let val = |f: &StatFilter| {
            s.metric_value(
                m,
                &county,
                f,
                crate::day("2022-01-01"),
                crate::day("2022-12-31"),
            )
            .unwrap()
        };
        let agency = |a: &str| StatFilter {
            agency: Some(a.into()),
            ..Default::default()
        };
        assert_eq!(
            val(&StatFilter::default()),
            Some(3),
            "two traffic items, one farm-machinery item"
        );
        assert_eq!(val(&agency("交警")), Some(2));
        assert_eq!(val(&agency("运管")), Some(0), "its agreement ended in 2021");
        let rows = s
            .metric_records(
                m,
                &county,
                &StatFilter::default(),
                crate::day("2022-01-01"),
                crate::day("2022-12-31"),
                100,
            )
            .unwrap()
            .unwrap();
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "清江市公安局交通管理大队（交警）：JT-01 农村道路违规载人",
                "清江市公安局交通管理大队（交警）：JT-02 驾驶无牌车辆",
                "清江市农业农村局（农机）：NJ-01 拖拉机违规载人",
            ]
        );
    });
}
