use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn counts(major: u32, large: u32, general: u32, low: u32) -> GradeCounts {
    GradeCounts {
        major,
        large,
        general,
        low,
    }
}

/// 《企业安全生产风险分级管控体系通则》: the enterprise takes the highest grade of its points.
#[test]
fn highest_rule_takes_the_highest_point() {
    let r = GradeRule::Highest;
    assert_eq!(derive(&counts(0, 0, 0, 0), r, 3), None);
    assert_eq!(derive(&counts(0, 0, 0, 5), r, 3), Some(Grade::Low));
    assert_eq!(derive(&counts(0, 1, 9, 9), r, 3), Some(Grade::Large));
    assert_eq!(derive(&counts(1, 0, 0, 0), r, 3), Some(Grade::Major));
    // Several points at the highest grade do not raise it under this rule.
    assert_eq!(derive(&counts(0, 4, 0, 0), r, 3), Some(Grade::Large));
}

/// A county's 分级分类监管 rule: the highest, raised one grade at `escalate_at` points of it.
#[test]
fn escalated_rule_raises_one_grade_at_the_count() {
    let r = GradeRule::Escalated;
    assert_eq!(derive(&counts(0, 2, 0, 0), r, 3), Some(Grade::Large));
    assert_eq!(derive(&counts(0, 3, 0, 0), r, 3), Some(Grade::Major));
    assert_eq!(derive(&counts(0, 0, 3, 0), r, 3), Some(Grade::Large));
    assert_eq!(derive(&counts(0, 0, 0, 3), r, 3), Some(Grade::General));
    // Lower points do not count toward the highest grade's number.
    assert_eq!(derive(&counts(0, 1, 5, 5), r, 3), Some(Grade::Large));
    // 重大 stays 重大.
    assert_eq!(derive(&counts(4, 0, 0, 0), r, 3), Some(Grade::Major));
    assert_eq!(derive(&counts(0, 0, 0, 0), r, 3), None);
}

#[test]
fn effective_grade_is_override_then_points_then_registered() {
    use GradeSource::*;
    assert_eq!(
        effective(Some(Grade::Low), Some(Grade::Major), Some(Grade::Large)),
        Some((Grade::Low, Override))
    );
    assert_eq!(
        effective(None, Some(Grade::Major), Some(Grade::Low)),
        Some((Grade::Major, Points))
    );
    assert_eq!(
        effective(None, None, Some(Grade::Low)),
        Some((Grade::Low, Registered))
    );
    assert_eq!(effective(None, None, None), None);
    assert_eq!(grade_of_colour_code("orange"), Some(Grade::Large));
    assert_eq!(grade_of_colour_code("purple"), None);
}

#[test]
fn behind_frequency_counts_calendar_months() {
    // Monthly: inspected 2022-01-15, due by 2022-02-15.
    assert!(!is_behind(Some(d("2022-01-15")), 1, d("2022-02-15")));
    assert!(is_behind(Some(d("2022-01-15")), 1, d("2022-02-16")));
    // Quarterly from 2021-11-30: due by 2022-02-28 (the month's last day).
    assert_eq!(next_due(Some(d("2021-11-30")), 3), Some(d("2022-02-28")));
    assert!(is_behind(Some(d("2021-11-30")), 3, d("2022-03-01")));
    // Never inspected: behind.
    assert!(is_behind(None, 12, d("2022-01-01")));
}

#[test]
fn default_settings_are_valid_and_bad_ones_name_their_field() {
    assert_eq!(Settings::default().validate(), Ok(()));
    let mut s = Settings::default();
    s.frequency_months.large = 0;
    s.weights.low = 0;
    s.escalate_at = 1;
    let e = s.validate().err().unwrap_or_default();
    let fields: Vec<&str> = e.fields.keys().map(String::as_str).collect();
    assert!(fields.contains(&"frequency_months.large"), "{fields:?}");
    assert!(fields.contains(&"weights.low"), "{fields:?}");
    assert!(fields.contains(&"escalate_at"), "{fields:?}");
    // 一般 inspected more often than 较大: refused on the lower grade.
    let mut s = Settings::default();
    s.frequency_months.general = 2;
    let e = s.validate().err().unwrap_or_default();
    assert!(e.fields.contains_key("frequency_months.general"));
    // A lower grade weighted above a higher one.
    let mut s = Settings::default();
    s.weights.general = 5;
    let e = s.validate().err().unwrap_or_default();
    assert!(e.fields.contains_key("weights.general"));
    assert_eq!(Settings::default().weight(None), 1);
    assert_eq!(Settings::default().weight(Some(Grade::Major)), 4);
}

#[test]
fn months_spread_by_offset() {
    assert_eq!(months_inspected(1, 0), (1..=12).collect::<Vec<_>>());
    assert_eq!(months_inspected(3, 0), vec![1, 4, 7, 10]);
    assert_eq!(months_inspected(3, 1), vec![2, 5, 8, 11]);
    assert_eq!(months_inspected(3, 5), vec![3, 6, 9, 12]);
    assert_eq!(months_inspected(12, 3), vec![4]);
    assert_eq!(months_inspected(24, 0), vec![1]);
}

#[test]
fn proposal_makes_red_and_orange_key_and_counts_months() {
    let c = |id, sector: &str, grade| Candidate {
        enterprise_id: id,
        sector: sector.into(),
        grade,
    };
    let p = propose(
        &[
            c(7, "C26", Grade::Major),
            c(3, "C26", Grade::Large),
            c(9, "C26", Grade::Large),
            c(5, "C26", Grade::General),
        ],
        &Settings::default(),
    );
    assert_eq!(p.key_enterprise_ids, vec![3, 7, 9]);
    // Key, C26: 7 monthly (12), 3 in 1/4/7/10, 9 in 2/5/8/11 → January 2, February 2, March 1.
    let key = |m| {
        p.lines
            .iter()
            .find(|l| l.category == PlanCategory::Key && l.month == m)
            .map_or(0, |l| l.planned)
    };
    assert_eq!((key(1), key(2), key(3), key(4)), (2, 2, 1, 2));
    let total_key: u32 = p
        .lines
        .iter()
        .filter(|l| l.category == PlanCategory::Key)
        .map(|l| l.planned)
        .sum();
    assert_eq!(total_key, 12 + 4 + 4);
    // General: 5 every half year, in January and July.
    let general: Vec<(u32, u32)> = p
        .lines
        .iter()
        .filter(|l| l.category == PlanCategory::General)
        .map(|l| (l.month, l.planned))
        .collect();
    assert_eq!(general, vec![(1, 1), (7, 1)]);
    // A grade change changes the proposal: 5 becomes 较大, so key and quarterly.
    let q = propose(
        &[
            c(7, "C26", Grade::Major),
            c(3, "C26", Grade::Large),
            c(9, "C26", Grade::Large),
            c(5, "C26", Grade::Large),
        ],
        &Settings::default(),
    );
    assert_eq!(q.key_enterprise_ids, vec![3, 5, 7, 9]);
    assert!(q.lines.iter().all(|l| l.category == PlanCategory::Key));
}
