//! Hazard figures: awaiting review is not overdue, open at the period's end, the regulators'
//! hazards.

use super::*;

/// 安全生产执法程序规定 (安监总政法〔2016〕72号): a hazard whose rectification was reported
/// done by its deadline awaits the regulator's 复查 and is not 逾期未整改 in the lists; one
/// reported after its deadline, or sent back by the review, is.
#[test]
fn zhi_fa_cheng_xu_reported_in_time_is_not_overdue_in_lists() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let in_time = hazard(s, "2022-06-01", "2022-06-10");
        let late = hazard(s, "2022-06-01", "2022-06-10");
        let open = hazard(s, "2022-06-01", "2022-06-10");
        let in_time = step(s, &in_time, Status::Rectifying, "2022-06-02");
        let in_time = step(s, &in_time, Status::Reported, "2022-06-09");
        let late = step(s, &late, Status::Rectifying, "2022-06-02");
        let late = step(s, &late, Status::Reported, "2022-06-12");
        step(s, &open, Status::Rectifying, "2022-06-02");
        assert_eq!(in_time.reported_on, Some(day("2022-06-09")));
        assert_eq!(late.reported_on, Some(day("2022-06-12")));
        let f = |overdue: bool| HazardFilter {
            overdue: Some(overdue),
            today: day("2022-06-20"),
            limit: 50,
            ..Default::default()
        };
        let ids = |f: &HazardFilter| -> Vec<i64> {
            s.list_hazards(&county, f)
                .unwrap()
                .items
                .iter()
                .map(|h| h.id)
                .collect()
        };
        // Old rule (open past the deadline): all three.
        assert_eq!(ids(&f(true)), vec![open.id, late.id]);
        assert_eq!(ids(&f(false)), vec![in_time.id]);
        assert_eq!(s.count_hazards(&county, &f(true)).unwrap(), 2);
        assert_eq!(
            s.count_hazards_and_overdue(&county, &f(true)).unwrap(),
            (2, 2)
        );
        assert_eq!(
            s.count_hazards_and_overdue(
                &county,
                &HazardFilter {
                    today: day("2022-06-20"),
                    ..Default::default()
                }
            )
            .unwrap(),
            (3, 2)
        );
        // The reviewer's list: awaiting review, reported on or before a day.
        let reviews = |to: &str| {
            ids(&HazardFilter {
                reported_to: Some(day(to)),
                today: day("2022-06-20"),
                limit: 50,
                ..Default::default()
            })
        };
        assert_eq!(reviews("2022-06-09"), vec![in_time.id]);
        assert_eq!(reviews("2022-06-30"), vec![late.id, in_time.id]);
        // Due soon is for rectification: a hazard reported done is not.
        let soon = HazardFilter {
            due_from: Some(day("2022-06-05")),
            due_to: Some(day("2022-06-12")),
            today: day("2022-06-05"),
            limit: 50,
            ..Default::default()
        };
        assert_eq!(ids(&soon), vec![open.id]);
        // The review sends it back: no longer waiting, overdue again.
        let back = step(s, &in_time, Status::Rectifying, "2022-06-21");
        assert_eq!(back.reported_on, None);
        assert_eq!(ids(&f(true)), vec![open.id, late.id, in_time.id]);
        // Closed from 待复查, a hazard keeps its report day.
        let closed = step(s, &late, Status::Closed, "2022-06-22");
        assert_eq!(closed.reported_on, Some(day("2022-06-12")));
    });
}

/// "截至期末，仍有逾期未整改隐患N处": every hazard open at the period's end past its
/// deadline, whenever it was found (the old rule counted only those found in the period),
/// without those reported done by their deadline and awaiting review.
#[test]
fn report_2022_jie_zhi_qi_mo_reng_you_yu_qi_counts_every_open_hazard_whenever_found() {
    each(|s| {
        seed_org(s);
        // Found in 2021, still open: overdue at the end of 2022.
        let old = hazard(s, "2021-03-01", "2021-04-01");
        step(s, &old, Status::Ordered, "2021-03-02");
        // Found in 2022, closed in 2023 (after the period): open at its end.
        let later = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &later, Status::Closed, "2023-02-01");
        // Found and closed in 2022: not open at the end.
        let done = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &done, Status::Closed, "2022-07-01");
        // Reported done by its deadline, awaiting review: not overdue.
        let waiting = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &waiting, Status::Reported, "2022-05-30");
        // Reported after its deadline: overdue.
        let late = hazard(s, "2022-05-01", "2022-06-01");
        step(s, &late, Status::Reported, "2022-06-15");
        // Not yet due at the end of the period.
        hazard(s, "2022-12-20", "2023-01-15");
        // Found after the period: not counted.
        hazard(s, "2023-01-05", "2023-01-06");
        assert_eq!(year(s, "hazards.open_overdue"), Some(3));
        // The records behind the figure are those three.
        let cat = catalogue(&[], &[]);
        let m = cat.iter().find(|m| m.id == "hazards.open_overdue").unwrap();
        let rows = s
            .metric_records(
                m,
                &county_scope(),
                &StatFilter::default(),
                day("2022-01-01"),
                day("2022-12-31"),
                100,
            )
            .unwrap()
            .unwrap();
        let mut got: Vec<i64> = rows.iter().filter_map(|r| r.entity_id).collect();
        got.sort_unstable();
        assert_eq!(got, vec![old.id, later.id, late.id]);
        // At the end of 2021 only the 2021 hazard was open and overdue.
        assert_eq!(
            val(s, "hazards.open_overdue", "2021-01-01", "2021-12-31"),
            Some(1)
        );
    });
}

/// "全市各行业部门共发现安全隐患N处": hazards found by the regulators (监督检查, 举报, 媒体,
/// 移送, 交办, 报告), not the enterprises' own self-checks, which are a figure of their own.
#[test]
fn report_2022_ge_hang_ye_bu_men_fa_xian_excludes_self_check() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = on(&county, "2022-06-01");
        for (source, level) in [
            (Source::Inspection, Level::General),
            (Source::Inspection, Level::Major),
            (Source::PublicReport, Level::General),
            (Source::SelfCheck, Level::General),
            (Source::SelfCheck, Level::Major),
        ] {
            let mut f = hazard_fields(VILLAGE_A1, None, "fire", "2022-06-01", Some("2022-07-01"));
            f.source = source;
            f.level = level;
            s.create_hazard(&ch, &f, &ev("create")).unwrap();
        }
        assert_eq!(year(s, "hazards.found"), Some(5));
        assert_eq!(year(s, "hazards.found_by_regulators"), Some(3));
        assert_eq!(year(s, "hazards.found_major_by_regulators"), Some(1));
        assert_eq!(year(s, "hazards.found_self_check"), Some(2));
    });
}
