//! The year's assessment on the demo county (issue 15): three townships' year-end scores
//! computed by hand here, from the hazard and inspection records read through the ordinary
//! lists and counted in this file, with the rubric's arithmetic written out again; every
//! deduction opens to exactly the records that caused it; one record change moves exactly
//! the affected unit's live score by the rubric's points, while the approved evaluation
//! stays and its recomputation shows the difference.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_app::assessments::{EvaluationView, UnitView};
use anjian_app::records::assessments::Assessment;
use anjian_domain::assessment::{Direction, EvaluationState, Method, Round, RubricItem, UnitKind};
use anjian_domain::{RegionCode, Scope};
use anjian_store::Store;
use anjian_store::hazards::{EventInput, Hazard, HazardFilter};
use anjian_store::inspections::Inspection;
use anjian_store::paging::all_pages;
use anjian_store::testing::TestStore;
use chrono::NaiveDate;
use std::collections::BTreeSet;

const SEED: u64 = 2022;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Hundredths, written out for the test: `v` × 100, rounded half up.
fn c(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

fn town_scope(code: &str) -> Scope {
    Scope::region(&RegionCode::parse(code).unwrap(), false)
}

fn hazards_of(s: &Store, code: &str) -> Vec<Hazard> {
    all_pages(|k| {
        s.list_hazards(
            &town_scope(code),
            &HazardFilter {
                after: k.after,
                limit: k.limit,
                today: day("2023-01-10"),
                ..Default::default()
            },
        )
    })
    .unwrap()
}

fn inspections_of(s: &Store, code: &str) -> Vec<Inspection> {
    all_pages(|k| s.list_inspections(&town_scope(code), None, k)).unwrap()
}

/// One computed item's deduction, in hundredths, by the rubric's words: "不高于/不低于
/// target，每差1个单位扣 per 分，最多扣 cap 分"; a rate's value is in percent rounded to
/// hundredths of a point (half up).
fn deduction(it: &RubricItem, count: i64, rate: Option<(i64, i64)>) -> i64 {
    let f = it.formula.as_ref().unwrap();
    let (value, target) = match rate {
        Some((_, 0)) => return 0,
        Some((part, whole)) => ((part * 10_000 * 2 + whole) / (2 * whole), c(f.target)),
        None => (count * 100, c(f.target)),
    };
    let short = match f.direction {
        Direction::AtLeast => (target - value).max(0),
        Direction::AtMost => (value - target).max(0),
    };
    let raw = (short * c(f.per) * 2 + 100) / 200;
    raw.min(c(f.cap))
}

struct Expected {
    /// Per computed item: the deduction and the ids of the records behind it.
    items: Vec<(i64, BTreeSet<i64>)>,
}

/// The year's items of a township, counted from its records.
fn by_hand(
    s: &Store,
    code: &str,
    items: &[RubricItem],
    from: NaiveDate,
    to: NaiveDate,
) -> Expected {
    let hz = hazards_of(s, code);
    let ins = inspections_of(s, code);
    let found: Vec<&Hazard> = hz
        .iter()
        .filter(|h| h.found_on >= from && h.found_on <= to)
        .collect();
    let open_at_end = |h: &Hazard| h.closed_on.is_none_or(|d| d > to);
    let overdue_at_end = |h: &Hazard| {
        open_at_end(h)
            && h.deadline
                .is_some_and(|d| d < to && h.reported_on.is_none_or(|r| r > d))
    };
    let ids = |v: Vec<&Hazard>| v.iter().map(|h| h.id).collect::<BTreeSet<_>>();
    let mut out = Vec::new();
    for it in items.iter().filter(|i| i.method == Method::Computed) {
        let f = it.formula.as_ref().unwrap();
        let (n, rate, records) = match f.metric.as_str() {
            "hazards.open_overdue" => {
                let v: Vec<&Hazard> = hz
                    .iter()
                    .filter(|h| h.found_on <= to && overdue_at_end(h))
                    .collect();
                (v.len() as i64, None, ids(v))
            }
            "major.overdue" => {
                let v: Vec<&Hazard> = found
                    .iter()
                    .copied()
                    .filter(|h| h.level.as_str() == "major" && overdue_at_end(h))
                    .collect();
                (v.len() as i64, None, ids(v))
            }
            "hazards.found_closed" => {
                let closed: Vec<&Hazard> = found
                    .iter()
                    .copied()
                    .filter(|h| {
                        h.status.as_str() == "closed" && h.closed_on.is_some_and(|d| d <= to)
                    })
                    .collect();
                let not: Vec<&Hazard> = found
                    .iter()
                    .copied()
                    .filter(|h| !closed.iter().any(|x| x.id == h.id))
                    .collect();
                (0, Some((closed.len() as i64, found.len() as i64)), ids(not))
            }
            "hazards.found" => (found.len() as i64, None, ids(found.clone())),
            "hazards.found_self_check" => {
                let v: Vec<&Hazard> = found
                    .iter()
                    .copied()
                    .filter(|h| h.source.as_str() == "self_check")
                    .collect();
                (v.len() as i64, None, ids(v))
            }
            "inspections.count" => {
                let v: BTreeSet<i64> = ins
                    .iter()
                    .filter(|i| i.inspected_on >= from && i.inspected_on <= to)
                    .map(|i| i.id)
                    .collect();
                (v.len() as i64, None, v)
            }
            other => panic!("the test counts no metric {other}"),
        };
        let d = deduction(it, n, rate);
        out.push((d, if d > 0 { records } else { BTreeSet::new() }));
    }
    Expected { items: out }
}

fn demo() -> (TestStore, App) {
    let ts = crate::demo_store(SEED);
    let app = anjian_app::demo::demo_app(ts.store.clone(), SEED);
    (ts, app)
}

fn township_round(app: &App, round: Round) -> Assessment {
    let office = app.system_caller("test").unwrap();
    app.assessments(&office, Some(2022))
        .unwrap()
        .into_iter()
        .find(|a| a.unit_kind == UnitKind::Township && a.round == round)
        .unwrap()
}

fn unit_named<'a>(v: &'a EvaluationView, name: &str) -> &'a anjian_app::assessments::UnitLine {
    v.units.iter().find(|u| u.unit_name == name).unwrap()
}

fn region_of(s: &Store, name: &str) -> String {
    s.list_regions(&Scope::system(), None, Some("township"))
        .unwrap()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap()
        .code
}

/// The three townships: one with a major hazard overdue, the one with the lowest
/// rectification rate, and the demo township user's own.
const THREE: [&str; 3] = ["义成镇", "太平镇", "临江镇"];

#[test]
fn demo_township_scores_match_the_records_counted_by_hand() {
    let (ts, app) = demo();
    let office = app.system_caller("test").unwrap();
    let a = township_round(&app, Round::Year);
    assert_eq!(a.status, EvaluationState::Approved);
    let v = app.assessment(&office, a.id).unwrap();
    assert_eq!(v.unit_count, 20);
    let items = v.items.clone();
    assert_eq!(items.len(), 8);
    let mut totals = Vec::new();
    for name in THREE {
        let code = region_of(&ts.store, name);
        let line = unit_named(&v, name);
        let u: UnitView = app.assessment_unit(&office, line.unit_id).unwrap();
        let want = by_hand(
            &ts.store,
            &code,
            &items,
            day("2022-01-01"),
            day("2022-12-31"),
        );
        let mut total = 0;
        let mut computed = want.items.iter();
        for (no, it) in items.iter().enumerate() {
            let got = &u.items[no];
            let score = match it.method {
                Method::Computed => {
                    let (d, records) = computed.next().unwrap();
                    let s = c(it.points) - d;
                    assert_eq!(c(got.score.unwrap()), s, "{name} {}", it.title);
                    // Every deduction opens to exactly the records that caused it.
                    let r = app
                        .assessment_item_records(&office, line.unit_id, no as i64 + 1)
                        .unwrap();
                    let ids: BTreeSet<i64> = r.records.iter().filter_map(|x| x.entity_id).collect();
                    assert_eq!(&ids, records, "{name} {}", it.title);
                    assert_eq!(
                        r.records.len(),
                        records.len(),
                        "{name} {}: one row per record",
                        it.title
                    );
                    s
                }
                // Hand scores are the 安委办's input, read as given.
                Method::Manual => c(got.score.unwrap()),
            };
            total += score;
        }
        assert_eq!(c(line.total), total, "{name}");
        assert_eq!(c(u.total), total, "{name}");
        totals.push((name, total));
    }
    // The ranks agree with the totals of every unit.
    for u in &v.units {
        let better = v.units.iter().filter(|o| c(o.total) > c(u.total)).count();
        assert_eq!(u.rank, better + 1, "{}", u.unit_name);
    }
    // The three differ.
    assert!(totals.windows(2).all(|w| w[0].1 != w[1].1), "{totals:?}");
    // The report states the units assessed, from the approved evaluations, each figure
    // opening to its units.
    let departments = app
        .assessments(&office, Some(2022))
        .unwrap()
        .into_iter()
        .find(|a| a.unit_kind == UnitKind::Department && a.round == Round::Year)
        .map(|a| app.assessment(&office, a.id).unwrap().unit_count)
        .unwrap();
    let year = anjian_domain::period::Period::year(2022).unwrap();
    let md = app.render_report(&office, &year).unwrap().markdown("");
    let sentence = format!(
        "年终对[20](/metrics/assessment.townships?period=2022)个乡镇（街道）和[{departments}](/metrics/assessment.departments?period=2022)个市直部门"
    );
    assert!(md.contains(&sentence), "{sentence}");
    let (_, rows) = app
        .metric_drill(
            &office,
            "assessment.townships",
            &year,
            &Default::default(),
            100,
        )
        .unwrap();
    let mut names: Vec<String> = rows.unwrap().iter().map(|r| r.label.clone()).collect();
    names.sort();
    let mut want: Vec<String> = v
        .units
        .iter()
        .map(|u| format!("{}：{}", u.unit_name, a.title))
        .collect();
    want.sort();
    assert_eq!(names, want);
}

#[test]
fn a_late_hazard_moves_only_its_township_and_not_the_approved_year() {
    let (ts, app) = demo();
    let office = app.system_caller("test").unwrap();
    let year = township_round(&app, Round::Year);
    let half = township_round(&app, Round::Half);
    assert_eq!(half.status, EvaluationState::Draft);
    let year_before = app.assessment(&office, year.id).unwrap();
    let half_before = app.assessment(&office, half.id).unwrap();
    let items = half_before.items.clone();
    let per = c(items[0].formula.as_ref().unwrap().per);
    assert_eq!(
        items[0].formula.as_ref().unwrap().metric,
        "hazards.open_overdue"
    );

    // A hazard found in December 2021 in 永泰镇, due by the end of that year and never
    // rectified: overdue at the end of each period of 2022, found in none of them.
    let town = region_of(&ts.store, "永泰镇");
    let village = ts
        .store
        .list_regions(&Scope::system(), Some(&town), None)
        .unwrap()
        .into_iter()
        .find(|r| r.code != town)
        .unwrap()
        .code;
    let scope = Scope::system();
    let ch = app.system_change(&scope, "test");
    let mut f = hazards_of(&ts.store, &town)[0].fields();
    f.region_code = village;
    f.found_on = day("2021-12-01");
    f.deadline = Some(day("2021-12-31"));
    f.deadline_basis = Some("date".into());
    f.status = anjian_domain::hazard::Status::parse("registered").unwrap();
    f.closed_on = None;
    f.level = anjian_domain::hazard::Level::parse("general").unwrap();
    f.description = "消防通道被占用（上年度遗留）".into();
    let h = ts
        .store
        .create_hazard(
            &ch,
            &f,
            &EventInput {
                action: "register".into(),
                note: String::new(),
                data: None,
            },
        )
        .unwrap();

    // The half-year is a draft: computed from the records as they stand.
    let half_after = app.assessment(&office, half.id).unwrap();
    for b in &half_before.units {
        let a = half_after
            .units
            .iter()
            .find(|x| x.unit_id == b.unit_id)
            .unwrap();
        let want = if b.unit_name == "永泰镇" {
            c(b.total) - per
        } else {
            c(b.total)
        };
        assert_eq!(c(a.total), want, "{}", b.unit_name);
    }
    // The year is approved: nothing moves.
    let year_after = app.assessment(&office, year.id).unwrap();
    assert_eq!(year_before.units, year_after.units);
    // Its recomputation shows the difference: that township, that item, that hazard.
    let r = app.recompute_assessment(&office, year.id).unwrap();
    for u in &r.units {
        if u.unit_name == "永泰镇" {
            assert_eq!(c(u.difference), -per);
            assert_eq!(u.items.len(), 1);
            assert_eq!(u.items[0].item, 1);
            let added: Vec<Option<i64>> = u.items[0].added.iter().map(|r| r.entity_id).collect();
            assert_eq!(added, vec![Some(h.id)]);
            assert!(u.items[0].removed.is_empty());
        } else {
            assert_eq!(c(u.difference), 0, "{}", u.unit_name);
            assert!(u.items.is_empty(), "{}", u.unit_name);
        }
    }
}
