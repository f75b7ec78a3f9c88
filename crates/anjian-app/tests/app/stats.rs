//! The statistics on the demo county: the 2022 report states a number for every figure of
//! the source report, each drilling down to records that add up to it; changing one record
//! changes exactly the figures that count it.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_app::App;
use anjian_domain::period::Period;
use anjian_domain::{Clock, FixedClock};
use anjian_store::stats::StatFilter;
use anjian_store::testing::TestStore;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A `YYYY-MM-DD` date written in a test.
fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn demo_app() -> (TestStore, App) {
    let ts = crate::demo_store(7);
    let clock = Arc::new(FixedClock::at_date(
        chrono::NaiveDate::from_ymd_opt(2023, 1, 10).unwrap_or_default(),
    ));
    let app = App::new(ts.store.clone(), clock as Arc<dyn Clock>);
    (ts, app)
}

fn year() -> Period {
    Period::year(2022).unwrap_or_else(|| panic!("year"))
}

#[test]
fn annual_report_states_every_figure_and_each_drills_down() {
    let (_ts, app) = demo_app();
    let caller = app.system_caller("test").unwrap();
    let r = app.render_report(&caller, &year()).unwrap();
    let text = r.plain();
    // The source report masks about a hundred figures; the template states each of them.
    assert!(r.figures.len() >= 100, "{} figures", r.figures.len());
    assert!(!text.contains('*') && !text.contains('—'), "{text}");
    for phrase in [
        "与20个乡镇、21个市直部门和30家企业签订了",
        "15个乡镇通过验收达标",
        "拆除工棚6座",
        "清理塌方12.56万方",
        "宣传资料5.64万份",
        "投入安全生产保障资金3865万元",
    ] {
        assert!(text.contains(phrase), "missing {phrase}");
    }
    // Each figure: the report's term, the number, the unit; and its records add up to it.
    let term = regex_lite(&text, "下达各类行政执法文书", "份");
    assert!(term.is_some(), "documents figure");
    for f in &r.figures {
        let (v, rows) = app
            .metric_drill(&caller, &f.metric, &year(), &f.filter, 1_000_000)
            .unwrap_or_else(|e| panic!("{}: {e}", f.metric));
        let rows = rows.unwrap_or_else(|| panic!("{} not applicable", f.metric));
        assert_eq!(v.raw, f.raw, "{}", f.metric);
        assert_eq!(
            Some(rows.iter().map(|r| r.amount).sum::<i64>()),
            f.raw,
            "{}",
            f.metric
        );
    }
    // Markdown links every figure; JSON lists every metric of the catalogue.
    let md = r.markdown("http://x");
    assert_eq!(md.matches("](http://x/metrics/").count(), r.figures.len());
    let json = r.json();
    let n = app.metric_catalogue().map(|c| c.len()).unwrap_or_default();
    assert_eq!(json["metrics"].as_array().map(|a| a.len()), Some(n));
    // The Word file is a package with one hyperlink per figure.
    let docx = r.docx("http://x").unwrap();
    assert!(docx.starts_with(b"PK"));
}

/// The number right after `before`, if the text reads `before<digits>unit`.
fn regex_lite(text: &str, before: &str, unit: &str) -> Option<String> {
    let i = text.find(before)? + before.len();
    let rest = &text[i..];
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    (!digits.is_empty() && rest[digits.len()..].starts_with(unit)).then_some(digits)
}

fn values(app: &App, caller: &anjian_app::Caller) -> BTreeMap<String, Option<i64>> {
    app.metric_values(caller, &year(), &StatFilter::default(), None)
        .unwrap()
        .into_iter()
        .map(|v| (v.id, v.raw))
        .collect()
}

#[test]
fn closing_one_major_hazard_changes_exactly_its_figures() {
    let (ts, app) = demo_app();
    let caller = app.system_caller("test").unwrap();
    let before = values(&app, &caller);
    let report_before = app.render_report(&caller, &year()).unwrap();
    let ranking = |app: &App| {
        app.ranking(&caller, &year(), "township")
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.unit.clone(), r))
            .collect::<BTreeMap<String, anjian_app::ranking::RankRow>>()
    };
    let ranking_before = ranking(&app);
    // An open major hazard found in 2022 whose deadline has passed by the year's end.
    let open = ts
        .store
        .list_hazards(
            &caller.scope,
            &anjian_store::hazards::HazardFilter {
                level: Some("major".into()),
                found_from: Some(day("2022-01-01")),
                found_to: Some(day("2022-12-31")),
                today: day("2023-01-10"),
                limit: 1000,
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .into_iter()
        .find(|h| {
            // Open and overdue: not one awaiting review after a report by its deadline.
            !matches!(
                h.status,
                anjian_domain::hazard::Status::Closed | anjian_domain::hazard::Status::Reported
            ) && h.deadline.is_some_and(|d| d < day("2022-12-30"))
        })
        .unwrap_or_else(|| panic!("the demo has an overdue major hazard"));
    let n = ts
        .store
        .raw_execute(
            "UPDATE hazards SET status = 'closed', closed_on = '2022-12-30' WHERE id = ?",
            &[open.id.into()],
        )
        .unwrap();
    assert_eq!(n, 1);
    let after = values(&app, &caller);
    let changed: BTreeMap<&String, (Option<i64>, Option<i64>)> = before
        .iter()
        .filter(|(k, v)| after.get(*k) != Some(v))
        .map(|(k, v)| (k, (*v, after.get(k).copied().flatten())))
        .collect();
    // Found in 2022 and now closed by its end: one more of the year's hazards closed (the
    // 隐患整改率's numerator).
    let mut expected = vec![
        "hazards.closed",
        "hazards.closed_major",
        "hazards.found_closed",
        "hazards.open_overdue",
        "major.overdue",
    ];
    if open.funds_spent.unwrap_or(0) > 0 {
        expected.push("hazards.funds_spent");
    }
    match open.source.as_str() {
        "inspection" => expected.push("hazards.closed_inspection"),
        "higher_assignment" => expected.push("hazards.closed_assigned"),
        _ => {}
    }
    expected.sort();
    let got: Vec<&str> = changed.keys().map(|k| k.as_str()).collect();
    assert_eq!(got, expected, "{changed:?}");
    let d = |id: &str| after[id].unwrap_or(0) - before[id].unwrap_or(0);
    assert_eq!(
        (
            d("hazards.closed"),
            d("hazards.closed_major"),
            d("hazards.open_overdue"),
            d("major.overdue")
        ),
        (1, 1, -1, -1)
    );
    // The ranking: the hazard's township gains in quality (one more hazard closed); every
    // other township's own components are unchanged (scores may move only through the
    // best unit's scaling).
    let ranking_after = ranking(&app);
    let town = format!("{}000", &open.region_code[..9]);
    for (unit, a) in &ranking_before {
        let b = &ranking_after[unit];
        let same = a.quantity == b.quantity
            && a.previous_quantity == b.previous_quantity
            && a.quality == b.quality;
        if *unit == town {
            assert!(
                b.quality > a.quality && a.quantity == b.quantity,
                "{unit}: {a:?} → {b:?}"
            );
        } else {
            assert!(same, "{unit} changed: {a:?} → {b:?}");
        }
    }
    // The report: the figures of those metrics changed (in every dimension that counts the
    // hazard), every other figure kept its value.
    let report_after = app.render_report(&caller, &year()).unwrap();
    assert_eq!(report_before.figures.len(), report_after.figures.len());
    for (a, b) in report_before.figures.iter().zip(&report_after.figures) {
        if a.raw != b.raw {
            assert!(
                expected.contains(&a.metric.as_str()),
                "{} changed",
                a.metric
            );
            let counts = a.filter.sector.as_ref().is_none_or(|s| *s == open.sector)
                && a.filter
                    .campaign
                    .as_ref()
                    .is_none_or(|c| Some(c) == open.campaign.as_ref());
            assert!(
                counts,
                "{} {:?} does not count the hazard",
                a.metric, a.filter
            );
        }
    }
}

/// The home page reads only the hazard to-dos it counts and the case steps it lists (not the
/// whole to-do page); what it shows equals the to-do page's lists.
#[test]
fn the_home_page_counts_the_same_to_dos_as_the_to_do_page() {
    let (_ts, app) = demo_app();
    let caller = app.system_caller("test").unwrap();
    let dash = app.dashboard(&caller, Some(2022)).unwrap();
    let todos = app
        .todos(&caller, anjian_app::todos::DUE_SOON_DAYS)
        .unwrap();
    assert_eq!(dash.awaiting, todos.awaiting.len());
    assert_eq!(dash.due_soon, todos.due_soon.len());
    assert_eq!(dash.overdue, todos.overdue.len());
    assert_eq!(dash.case_steps_due, todos.due_soon_case_steps);
    assert_eq!(dash.case_steps_overdue, todos.overdue_case_steps);
    assert!(
        dash.overdue > 0 && dash.awaiting > 0,
        "{} {}",
        dash.overdue,
        dash.awaiting
    );
}

/// A page of hazards asks once whether its major ones are under an open 一单四制 case; each
/// row's allowed steps equal those of the hazard read alone (which asks for itself).
#[test]
fn a_page_of_major_hazards_offers_the_steps_each_offers_alone() {
    let (_ts, app) = demo_app();
    let caller = app.system_caller("test").unwrap();
    let f = anjian_store::hazards::HazardFilter {
        level: Some("major".into()),
        limit: 500,
        ..Default::default()
    };
    let page = app.list_hazards(&caller, &f).unwrap();
    let (mut under_case, mut not_under) = (0, 0);
    for v in &page.items {
        let (alone, _) = app.get_hazard(&caller, v.hazard.id).unwrap();
        assert_eq!(v.allowed_actions, alone.allowed_actions, "{}", v.hazard.id);
        let open = app
            .major_case(&caller, v.hazard.id)
            .is_ok_and(|c| c.case.state.is_open());
        if open {
            under_case += 1;
            // Under an open case, the loop's own steps give way to the case's.
            assert!(
                v.allowed_actions.iter().all(|a| *a == "note"),
                "{:?}",
                v.allowed_actions
            );
        } else {
            not_under += 1;
        }
    }
    assert!(under_case > 0 && not_under > 0, "{under_case} {not_under}");
}

/// The home page's enterprise counts, read in one statement, equal each count on its own.
#[test]
fn the_home_page_counts_enterprises_as_the_enterprise_list_does() {
    use anjian_app::records::enterprises::EnterpriseFilter;
    let (_ts, app) = demo_app();
    let caller = app.system_caller("test").unwrap();
    let o = app.enterprise_overview(&caller).unwrap();
    let count = |f: EnterpriseFilter| app.count_enterprises(&caller, &f).unwrap();
    let all = EnterpriseFilter::default;
    assert_eq!(o.total, count(all()));
    assert_eq!(
        o.key,
        count(EnterpriseFilter {
            is_key: Some(true),
            ..all()
        })
    );
    assert_eq!(
        o.above_scale,
        count(EnterpriseFilter {
            above_scale: Some(true),
            ..all()
        })
    );
    for (code, _, n) in &o.by_sector {
        let f = EnterpriseFilter {
            sector: Some(code.clone()),
            ..all()
        };
        assert_eq!(*n, count(f), "{code}");
    }
    assert!(o.total > 0 && o.by_sector.len() > 1, "{o:?}");
}
