//! The rollups (decision 0007): every hazard figure read from the tallies equals the same
//! figure scanned from the hazard table, on every scope, filter and period kind, after
//! hazards were created, changed in every column the tallies read, moved and deleted;
//! `check_rollups` finds a tampered tally and `rebuild_rollups` mends it.

use crate::*;
use anjian_store::db::Value;
use anjian_store::stats::{StatFilter, catalogue};

const OTHER_COUNTY: &str = "360983000000";
const OTHER_TOWN: &str = "360983100000";
const OTHER_VILLAGE: &str = "360983100200";

/// A small deterministic generator (the same hazards on every backend and every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn plus(d: chrono::NaiveDate, days: u64) -> chrono::NaiveDate {
    d + chrono::Duration::days(days as i64)
}

/// Two counties of hazards of every kind, then changes through every path the triggers see.
fn seed(s: &Store) -> (i64, i64) {
    let (dep_a, dep_b) = seed_org(s);
    let county = county_scope();
    let other = Scope::region(&rc(OTHER_COUNTY), true);
    add_regions(
        s,
        &sys(&other),
        &[
            (OTHER_COUNTY, "高安市", None),
            (OTHER_TOWN, "筠阳街道", Some(OTHER_COUNTY)),
            (OTHER_VILLAGE, "城南村", Some(OTHER_TOWN)),
        ],
    );
    let mut g = Lcg(7);
    let regions = [VILLAGE_A1, VILLAGE_B1, TOWN_A, OTHER_VILLAGE];
    let sectors = ["mines", "hazchem", "fire"];
    let sources = [
        "inspection",
        "self_check",
        "public_report",
        "media",
        "transfer",
        "higher_assignment",
        "lower_report",
    ];
    let start = day("2021-01-01");
    let mut ids = Vec::new();
    for _ in 0..160 {
        let region = regions[g.next(4) as usize];
        let found = plus(start, g.next(900));
        let deadline = match g.next(5) {
            0 => None,
            1 => anjian_domain::period::last_of_month(found),
            _ => Some(plus(found, g.next(90))),
        };
        let mut f = hazard_fields(
            region,
            None,
            sectors[g.next(3) as usize],
            "2021-01-01",
            None,
        );
        f.found_on = found;
        f.deadline = deadline;
        f.deadline_basis = deadline.map(|_| "date".to_string());
        f.source = anjian_domain::hazard::Source::parse(sources[g.next(7) as usize]).unwrap();
        if g.next(3) == 0 {
            f.level = anjian_domain::hazard::Level::parse("major").unwrap();
        }
        let scope = if region == OTHER_VILLAGE {
            other.clone()
        } else {
            county.clone()
        };
        let h = s.create_hazard(&sys(&scope), &f, &event("create")).unwrap();
        ids.push((h.id, found, deadline));
    }
    // Changes in every column the tallies read, as any writer may make them.
    for &(id, found, deadline) in &ids {
        let closed = plus(found, g.next(240));
        let reported = match (g.next(3), deadline) {
            (0, _) | (_, None) => None,
            (1, Some(d)) => Some(plus(d, g.next(2))),
            (_, Some(d)) if d > found => Some(d.pred_opt().unwrap()),
            (_, Some(d)) => Some(d),
        };
        let dept = match g.next(3) {
            0 => Value::Null,
            1 => Value::from(dep_a),
            _ => Value::from(dep_b),
        };
        let campaign = match g.next(3) {
            0 => Value::Null,
            1 => Value::from("打非治违"),
            _ => Value::from("安全生产月"),
        };
        let (status, closed_on) = match g.next(6) {
            0 | 1 => ("closed", Value::from(closed)),
            2 => ("closed", Value::Null),
            3 => ("rectifying", Value::from(closed)),
            _ => ("rectifying", Value::Null),
        };
        s.raw_execute(
            "UPDATE hazards SET status = ?, closed_on = ?, reported_on = ?, department_id = ?, campaign = ?, funds_spent = ? WHERE id = ?",
            &[
                status.into(),
                closed_on,
                reported.into(),
                dept,
                campaign,
                Value::from(g.next(50_000) as i64),
                id.into(),
            ],
        )
        .unwrap();
    }
    // Moved between townships, another sector, another level, a later finding.
    for &(id, found, _) in ids.iter().step_by(11) {
        s.raw_execute(
            "UPDATE hazards SET region_code = ?, sector = ?, level = 'major', found_on = ? WHERE id = ? AND county_code = ?",
            &[
                VILLAGE_B1.into(),
                "fire".into(),
                plus(found, 20).into(),
                id.into(),
                COUNTY.into(),
            ],
        )
        .unwrap();
    }
    // An update of columns the tallies do not read changes nothing.
    s.raw_execute("UPDATE hazards SET description = description || '。'", &[])
        .unwrap();
    // Deleted (general hazards: a major one has its case).
    for &(id, _, _) in ids.iter().skip(3).step_by(13) {
        s.raw_execute(
            "DELETE FROM hazard_events WHERE hazard_id = ?",
            &[id.into()],
        )
        .unwrap();
        s.raw_execute(
            "DELETE FROM hazards WHERE id = ? AND level = 'general'",
            &[id.into()],
        )
        .unwrap();
    }
    (dep_a, dep_b)
}

fn scopes() -> Vec<(&'static str, Scope)> {
    let mut sector = Scope::region(&rc("360000000000"), false);
    sector.sectors = Some(vec!["hazchem".into(), "fire".into()]);
    let mut enterprise = county_scope();
    enterprise.enterprise_ids = Some(vec![1]);
    vec![
        ("store", Scope::system()),
        ("province", Scope::region(&rc("360000000000"), false)),
        ("county", county_scope()),
        ("other county", Scope::region(&rc(OTHER_COUNTY), false)),
        (
            "two counties",
            Scope {
                region_prefixes: vec!["360982".into(), "360983".into()],
                sectors: None,
                enterprise_ids: None,
                writable: false,
            },
        ),
        ("township", Scope::region(&rc(TOWN_B), false)),
        ("village", Scope::region(&rc(VILLAGE_A1), false)),
        ("two sectors", sector),
        ("enterprise", enterprise),
    ]
}

fn filters(dep: i64) -> Vec<(&'static str, StatFilter)> {
    let f = StatFilter::default;
    vec![
        ("all", f()),
        (
            "township",
            StatFilter {
                region_prefix: Some("360982100".into()),
                ..f()
            },
        ),
        (
            "county",
            StatFilter {
                region_prefix: Some("360983".into()),
                ..f()
            },
        ),
        (
            "village",
            StatFilter {
                region_prefix: Some("360982101200".into()),
                ..f()
            },
        ),
        (
            "department",
            StatFilter {
                department_id: Some(dep),
                ..f()
            },
        ),
        (
            "sector",
            StatFilter {
                sector: Some("hazchem".into()),
                ..f()
            },
        ),
        (
            "campaign",
            StatFilter {
                campaign: Some("打非治违".into()),
                ..f()
            },
        ),
        (
            "campaign in a township",
            StatFilter {
                campaign: Some("安全生产月".into()),
                region_prefix: Some("360982101".into()),
                ..f()
            },
        ),
        (
            "no campaign",
            StatFilter {
                campaign: Some(String::new()),
                ..f()
            },
        ),
    ]
}

fn periods() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("year", "2022-01-01", "2022-12-31"),
        ("first half", "2022-01-01", "2022-06-30"),
        ("third quarter", "2022-07-01", "2022-09-30"),
        ("month", "2022-02-01", "2022-02-28"),
        ("last month", "2023-06-01", "2023-06-30"),
        ("three years", "2021-01-01", "2023-12-31"),
        ("mid-month", "2022-03-15", "2022-04-10"),
        ("to a mid-month day", "2022-01-01", "2022-05-20"),
    ]
}

/// Whether the rollups are expected to answer: whole months, no village, no enterprise, no
/// "no campaign".
fn expected_to_answer(scope: &str, filter: &str, period: &str) -> bool {
    !matches!(scope, "village" | "enterprise")
        && !matches!(filter, "village" | "no campaign")
        && !matches!(period, "mid-month" | "to a mid-month day")
}

#[test]
fn every_hazard_figure_from_the_rollups_equals_the_scan() {
    each(|s| {
        let (dep_a, _) = seed(s);
        let cat = catalogue(&[], &[]);
        let metrics: Vec<_> = cat.iter().filter(|m| m.source.key == "hazards").collect();
        assert_eq!(metrics.len(), 15, "the hazard metrics decision 0007 covers");
        let mut compared = 0;
        let mut from_rollups = 0;
        let mut nonzero = 0;
        let filters = filters(dep_a);
        for (sn, scope) in scopes() {
            // Every figure under every filter in one batch, as the report asks: figures of
            // one tally under different sectors, departments and campaigns share a query.
            let mut mixed = std::collections::HashMap::new();
            for (pn, from, to) in periods() {
                let pairs: Vec<_> = filters
                    .iter()
                    .flat_map(|(fname, f)| metrics.iter().map(move |m| (*fname, *m, f)))
                    .collect();
                s.use_rollups(true);
                let values = s
                    .metric_values_multi(
                        &pairs.iter().map(|(_, m, f)| (*m, *f)).collect::<Vec<_>>(),
                        &scope,
                        day(from),
                        day(to),
                    )
                    .unwrap();
                for ((fname, m, _), v) in pairs.iter().zip(values) {
                    mixed.insert((*fname, m.id.clone(), pn), v);
                }
            }
            for (fname, f) in &filters {
                let (fname, f) = (*fname, f.clone());
                for (pn, from, to) in periods() {
                    let (from, to) = (day(from), day(to));
                    s.use_rollups(true);
                    let batch_r = s
                        .metric_values_multi(
                            &metrics.iter().map(|m| (*m, &f)).collect::<Vec<_>>(),
                            &scope,
                            from,
                            to,
                        )
                        .unwrap();
                    s.use_rollups(false);
                    let batch_s = s
                        .metric_values_multi(
                            &metrics.iter().map(|m| (*m, &f)).collect::<Vec<_>>(),
                            &scope,
                            from,
                            to,
                        )
                        .unwrap();
                    for (k, m) in metrics.iter().enumerate() {
                        s.use_rollups(true);
                        let answers = s.reads_rollups(m, &scope, &f, from, to);
                        assert_eq!(
                            answers,
                            expected_to_answer(sn, fname, pn),
                            "{} {sn} {fname} {pn}",
                            m.id
                        );
                        let rolled = s.metric_value(m, &scope, &f, from, to).unwrap();
                        s.use_rollups(false);
                        let scanned = s.metric_value(m, &scope, &f, from, to).unwrap();
                        assert_eq!(rolled, scanned, "{}: {sn}, {fname}, {pn}", m.id);
                        assert_eq!(batch_r[k], scanned, "batch {}: {sn}, {fname}, {pn}", m.id);
                        assert_eq!(
                            mixed.get(&(fname, m.id.clone(), pn)),
                            Some(&scanned),
                            "mixed batch {}: {sn}, {fname}, {pn}",
                            m.id
                        );
                        assert_eq!(
                            batch_s[k], scanned,
                            "scan batch {}: {sn}, {fname}, {pn}",
                            m.id
                        );
                        compared += 1;
                        if answers {
                            from_rollups += 1;
                            if scanned.unwrap_or(0) != 0 {
                                nonzero += 1;
                            }
                        }
                    }
                }
            }
        }
        s.use_rollups(true);
        assert_eq!(compared, 15 * 9 * 9 * 8);
        // The comparison is not vacuous: most answers came from the rollups, and were not 0.
        assert!(from_rollups > compared / 3, "{from_rollups} of {compared}");
        assert!(nonzero > from_rollups / 3, "{nonzero} of {from_rollups}");
        assert!(
            s.check_rollups().unwrap().iter().all(|c| c.differing == 0),
            "{:?}",
            s.check_rollups()
        );
    });
}

/// The ledger's two totals (all hazards under the filter, and those overdue on a day): the
/// total from the found tally where the filter is a region, a sector or a campaign, equal
/// to the count over the hazard table on every scope, filter and day.
#[test]
fn the_ledger_totals_from_the_found_tally_equal_the_count() {
    use anjian_store::hazards::HazardFilter;
    each(|s| {
        seed(s);
        // Deadlines on a month's first and last days and the day before "today": the
        // overdue total's month boundary.
        let county = county_scope();
        let ch = sys(&county);
        for deadline in [
            "2022-10-31",
            "2022-11-01",
            "2022-11-01",
            "2022-11-29",
            "2022-11-30",
        ] {
            s.create_hazard(
                &ch,
                &crate::hazards::fields(VILLAGE_A1, None, "hazchem", Some(deadline)),
                &crate::hazards::ev("create"),
            )
            .unwrap();
        }
        let d = |x: &str| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
        let f = |today: &str| HazardFilter {
            today: d(today),
            limit: 50,
            ..HazardFilter::default()
        };
        let mut compared = 0;
        let mut tallied = 0;
        let mut nonzero = 0;
        for (sn, scope) in scopes() {
            for today in [
                "2022-03-15",
                "2022-11-01",
                "2022-11-02",
                "2022-11-30",
                "2024-01-01",
            ] {
                let filters: Vec<(&str, HazardFilter)> = vec![
                    ("all", f(today)),
                    (
                        "empty values",
                        HazardFilter {
                            sector: Some(String::new()),
                            campaign: Some(String::new()),
                            region_prefix: Some(String::new()),
                            ..f(today)
                        },
                    ),
                    (
                        "township",
                        HazardFilter {
                            region_prefix: Some("360982100".into()),
                            ..f(today)
                        },
                    ),
                    (
                        "county",
                        HazardFilter {
                            region_prefix: Some("360983".into()),
                            ..f(today)
                        },
                    ),
                    (
                        "village",
                        HazardFilter {
                            region_prefix: Some("360982101200".into()),
                            ..f(today)
                        },
                    ),
                    (
                        "sector",
                        HazardFilter {
                            sector: Some("hazchem".into()),
                            ..f(today)
                        },
                    ),
                    (
                        "campaign in a township",
                        HazardFilter {
                            campaign: Some("安全生产月".into()),
                            region_prefix: Some("360982101".into()),
                            ..f(today)
                        },
                    ),
                    (
                        "status",
                        HazardFilter {
                            status: Some("registered".into()),
                            ..f(today)
                        },
                    ),
                    (
                        "level",
                        HazardFilter {
                            level: Some("major".into()),
                            ..f(today)
                        },
                    ),
                ];
                for (fname, filter) in filters {
                    let from_tally = s.ledger_total_is_tallied(&scope, &filter);
                    let expected = !matches!(sn, "village" | "enterprise")
                        && !matches!(fname, "village" | "status" | "level");
                    assert_eq!(from_tally, expected, "{sn} / {fname}: tallied");
                    let with = s.count_hazards_and_overdue(&scope, &filter).unwrap();
                    s.use_rollups(false);
                    let counted = s.count_hazards_and_overdue(&scope, &filter);
                    s.use_rollups(true);
                    assert_eq!(with, counted.unwrap(), "{sn} / {fname} / {today}");
                    compared += 1;
                    if from_tally {
                        tallied += 1;
                        if with.0 > 0 && with.1 > 0 {
                            nonzero += 1;
                        }
                    }
                }
            }
        }
        assert!(
            tallied * 2 > compared,
            "{tallied} of {compared} from the tally"
        );
        assert!(nonzero * 2 > tallied, "{nonzero} of {tallied} not zero");
    });
}

/// A list by deadline or review over more than one county (the to-do lists of a province
/// or a city user) is read county by county and merged; every page, followed to the end,
/// equals the one query over the whole scope; each page's count from its ids alone (the
/// home page's) equals its length.
#[test]
fn lists_by_deadline_read_county_by_county_equal_the_one_query() {
    use anjian_store::hazards::HazardFilter;
    each(|s| {
        seed(s);
        let d = |x: &str| chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
        let mut compared = 0;
        let mut by_county = 0;
        let mut nonempty = 0;
        let mut several_pages = 0;
        let mut majors_found = 0;
        for (sn, scope) in scopes() {
            for today in ["2021-06-01", "2022-03-15", "2022-11-01", "2024-01-01"] {
                let t = d(today);
                let f = |limit: i64| HazardFilter {
                    today: t,
                    limit,
                    ..HazardFilter::default()
                };
                let filters: Vec<(&str, HazardFilter)> = vec![
                    (
                        "overdue",
                        HazardFilter {
                            overdue: Some(true),
                            ..f(7)
                        },
                    ),
                    (
                        "overdue major",
                        HazardFilter {
                            overdue: Some(true),
                            level: Some("major".into()),
                            ..f(3)
                        },
                    ),
                    (
                        "due within 60 days",
                        HazardFilter {
                            due_from: Some(t),
                            due_to: Some(t + chrono::Duration::days(60)),
                            ..f(4)
                        },
                    ),
                    (
                        "review overdue",
                        HazardFilter {
                            status: Some("rectifying".into()),
                            reported_to: Some(t),
                            ..f(5)
                        },
                    ),
                    (
                        "overdue in a county",
                        HazardFilter {
                            overdue: Some(true),
                            region_prefix: Some("360983".into()),
                            ..f(4)
                        },
                    ),
                    (
                        "overdue in a township",
                        HazardFilter {
                            overdue: Some(true),
                            region_prefix: Some("360982100".into()),
                            ..f(4)
                        },
                    ),
                    (
                        "overdue in a sector",
                        HazardFilter {
                            overdue: Some(true),
                            sector: Some("hazchem".into()),
                            ..f(100)
                        },
                    ),
                ];
                for (fname, filter) in filters {
                    let county_by_county = s.lists_county_by_county(&scope, &filter);
                    let expected = matches!(sn, "store" | "province" | "two sectors")
                        && !matches!(
                            fname,
                            "overdue in a county" | "overdue in a township" | "overdue major"
                        );
                    assert_eq!(
                        county_by_county, expected,
                        "{sn} / {fname}: county by county"
                    );
                    let all = |s: &Store| {
                        let mut ids = Vec::new();
                        let mut pages = 0;
                        let mut f = filter.clone();
                        loop {
                            let page = s.list_hazards(&scope, &f).unwrap();
                            assert!(page.items.len() as i64 <= f.limit);
                            // The home page's counts: the page's length from its ids.
                            assert_eq!(
                                s.count_hazards_upto(&scope, &f).unwrap(),
                                page.items.len() as i64,
                                "{sn} / {fname} / {today}: count of a page"
                            );
                            ids.extend(page.items.iter().map(|h| h.id));
                            pages += 1;
                            match page.next {
                                Some(next) => f.after = Some(next.parse().unwrap()),
                                None => break,
                            }
                        }
                        (ids, pages)
                    };
                    let (merged, pages) = all(s);
                    s.use_county_pages(false);
                    let (one_query, _) = all(s);
                    s.use_county_pages(true);
                    assert_eq!(merged, one_query, "{sn} / {fname} / {today}");
                    if fname == "overdue major" {
                        // The major ones' own index against the overdue list's path: the
                        // same hazards.
                        let mut f = HazardFilter {
                            level: None,
                            ..filter.clone()
                        };
                        let mut major = Vec::new();
                        loop {
                            let page = s.list_hazards(&scope, &f).unwrap();
                            major.extend(
                                page.items
                                    .iter()
                                    .filter(|h| h.level == anjian_domain::hazard::Level::Major)
                                    .map(|h| h.id),
                            );
                            match page.next {
                                Some(next) => f.after = Some(next.parse().unwrap()),
                                None => break,
                            }
                        }
                        assert_eq!(merged, major, "{sn} / overdue major by its own index");
                        if !major.is_empty() {
                            majors_found += 1;
                        }
                    }
                    assert!(merged.windows(2).all(|w| w[0] > w[1]), "newest first");
                    compared += 1;
                    if county_by_county {
                        by_county += 1;
                        if !merged.is_empty() {
                            nonempty += 1;
                        }
                        if pages > 2 {
                            several_pages += 1;
                        }
                    }
                }
            }
        }
        assert!(
            by_county * 6 > compared,
            "{by_county} of {compared} county by county"
        );
        assert!(
            nonempty * 2 > by_county,
            "{nonempty} of {by_county} not empty"
        );
        assert!(majors_found > 0, "no overdue major hazard compared");
        assert!(
            several_pages >= 10,
            "{several_pages} lists of several pages"
        );
    });
}

#[test]
fn a_tampered_tally_is_found_by_the_check_and_mended_by_the_rebuild() {
    each(|s| {
        seed(s);
        let cat = catalogue(&[], &[]);
        let found = cat.iter().find(|m| m.id == "hazards.found").unwrap();
        let county = county_scope();
        let f = StatFilter::default();
        let (from, to) = (day("2022-01-01"), day("2022-12-31"));
        let before = s.metric_value(found, &county, &f, from, to).unwrap();
        let checked = s.check_rollups().unwrap();
        assert_eq!(checked.len(), 6, "every tally checked");
        assert!(
            checked.iter().all(|c| c.differing == 0 && c.rows > 0),
            "{checked:?}"
        );

        // The county's tallies of its first month of 2022 found raised by 5 (and a stray row
        // of zeros, which is no difference): the figure reads them, the check finds them.
        let raised = s.raw_execute(
            "UPDATE hz_found SET n = n + 5 WHERE grain = 'c' AND county_code = ? AND found_month = (SELECT MIN(found_month) FROM hz_found WHERE grain = 'c' AND county_code = ? AND found_month >= '2022-01')",
            &[COUNTY.into(), COUNTY.into()],
        )
        .unwrap();
        s.raw_execute(
            "INSERT INTO hz_closed (grain, county_code, township, sector, department_id, campaign, closed_month) VALUES ('c', ?, '', 'fire', 0, '', '1999-01')",
            &[COUNTY.into()],
        )
        .unwrap();
        let tampered = s.metric_value(found, &county, &f, from, to).unwrap();
        assert!(raised > 0);
        let raised = raised as i64;
        assert_eq!(tampered.map(|n| n - 5 * raised), before);
        let checked = s.check_rollups().unwrap();
        let differing: Vec<_> = checked
            .iter()
            .map(|c| (c.table.as_str(), c.differing))
            .collect();
        assert_eq!(
            differing,
            vec![
                ("hz_found", 2 * raised),
                ("hz_closed", 0),
                ("hz_cohort", 0),
                ("hz_major", 0),
                ("hz_overdue", 0),
                ("hz_open_due", 0)
            ]
        );

        // Only an unrestricted scope rebuilds every county's tallies.
        assert_eq!(
            s.rebuild_rollups(&sys(&county)).err(),
            Some(anjian_store::StoreError::Forbidden)
        );
        let system = Scope::system();
        let rebuilt = s.rebuild_rollups(&sys(&system)).unwrap();
        assert_eq!(rebuilt.len(), 6, "every tally rebuilt");
        assert_eq!(
            s.metric_value(found, &county, &f, from, to).unwrap(),
            before
        );
        assert!(s.check_rollups().unwrap().iter().all(|c| c.differing == 0));
        // The triggers are back: a new hazard counts at once.
        s.create_hazard(
            &sys(&county),
            &hazard_fields(VILLAGE_A1, None, "fire", "2022-05-05", None),
            &event("create"),
        )
        .unwrap();
        assert_eq!(
            s.metric_value(found, &county, &f, from, to).unwrap(),
            before.map(|n| n + 1)
        );
        assert!(s.check_rollups().unwrap().iter().all(|c| c.differing == 0));
    });
}

/// A large import (over 1,000 rows) is tallied once at its end with the triggers put aside
/// (PostgreSQL's grew with the square of its rows): afterwards every tally equals its
/// recomputation, the triggers are back, and an import kept back leaves them in place too.
#[test]
fn a_large_import_is_tallied_at_its_end_and_the_triggers_come_back() {
    each(|s| {
        seed(s);
        let county = county_scope();
        let ch = sys(&county);
        let cat = catalogue(&[], &[]);
        let found = cat.iter().find(|m| m.id == "hazards.found").unwrap();
        let f = StatFilter::default();
        let (from, to) = (day("2022-01-01"), day("2022-12-31"));
        let before = s.metric_value(found, &county, &f, from, to).unwrap();
        let mut g = Lcg(11);
        let regions = [VILLAGE_A1, VILLAGE_B1, TOWN_A];
        let items: Vec<_> = (0..1_203)
            .map(|i| {
                let mut h = hazard_fields(
                    regions[g.next(3) as usize],
                    None,
                    ["mines", "hazchem", "fire"][g.next(3) as usize],
                    "2022-01-01",
                    None,
                );
                h.found_on = plus(day("2022-01-01"), g.next(330));
                h.deadline = Some(plus(h.found_on, g.next(60)));
                h.deadline_basis = Some("date".into());
                if i % 50 == 0 {
                    h.level = anjian_domain::hazard::Level::parse("major").unwrap();
                }
                h
            })
            .collect();
        let ids = s
            .create_hazards(&ch, &items, &event("create"), |_| {})
            .unwrap();
        assert_eq!(ids.len(), 1_203);
        assert_eq!(
            s.metric_value(found, &county, &f, from, to).unwrap(),
            before.map(|n| n + 1_203)
        );
        let checked = s.check_rollups().unwrap();
        assert!(
            checked.iter().all(|c| c.differing == 0 && c.rows > 0),
            "{checked:?}"
        );
        // An import kept back (its rows pushed, then not kept) changes nothing and leaves
        // the triggers in place.
        let kept_back = s.create_hazards_with(&ch, &event("create"), true, |imp| {
            for h in items.iter().take(40) {
                imp.push(h.clone())?;
            }
            Ok::<_, anjian_store::StoreError>(false)
        });
        assert_eq!(kept_back.ok(), Some(0..0));
        // The triggers are back: a single hazard counts at once, and a change too.
        let one = s
            .create_hazard(
                &ch,
                &hazard_fields(VILLAGE_A1, None, "fire", "2022-05-05", None),
                &event("create"),
            )
            .unwrap();
        assert_eq!(
            s.metric_value(found, &county, &f, from, to).unwrap(),
            before.map(|n| n + 1_204)
        );
        s.raw_execute(
            "UPDATE hazards SET found_on = '2021-05-05' WHERE id = ?",
            &[ids[0].into()],
        )
        .unwrap();
        s.raw_execute(
            "DELETE FROM hazard_events WHERE hazard_id = ?",
            &[one.id.into()],
        )
        .unwrap();
        s.raw_execute("DELETE FROM hazards WHERE id = ?", &[one.id.into()])
            .unwrap();
        assert_eq!(
            s.metric_value(found, &county, &f, from, to).unwrap(),
            before.map(|n| n + 1_202)
        );
        assert!(s.check_rollups().unwrap().iter().all(|c| c.differing == 0));
    });
}
