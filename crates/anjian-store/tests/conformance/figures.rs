//! The law as the officers must apply it (issue 14): what is overdue. Both backends.

use crate::*;
use anjian_domain::hazard::Status;
use anjian_store::hazards::{EventInput, HazardFilter};
use chrono::{TimeZone, Utc};

/// A change made at 10:00 China time on `day`.
fn on<'a>(scope: &'a Scope, day: &str) -> Change<'a> {
    let d = crate::day(day);
    let at = Utc
        .from_utc_datetime(&d.and_hms_opt(2, 0, 0).unwrap_or_default())
        .to_utc();
    Change::system(scope, "test", at)
}

fn ev(action: &str) -> EventInput {
    EventInput {
        action: action.into(),
        note: String::new(),
        data: None,
    }
}

/// A hazard found on `found` with a deadline, registered on its finding day.
fn hazard(s: &Store, found: &str, deadline: &str) -> anjian_store::hazards::Hazard {
    let county = county_scope();
    s.create_hazard(
        &on(&county, found),
        &hazard_fields(VILLAGE_A1, None, "fire", found, Some(deadline)),
        &ev("create"),
    )
    .unwrap()
}

/// Moves a hazard to `status` on `day` (closing it that day when closed).
fn step(
    s: &Store,
    h: &anjian_store::hazards::Hazard,
    status: Status,
    day: &str,
) -> anjian_store::hazards::Hazard {
    let county = county_scope();
    let now = s.get_hazard(&county, h.id).unwrap();
    let mut f = now.fields();
    f.status = status;
    if status == Status::Closed {
        f.closed_on = Some(day.into());
    }
    s.update_hazard(
        &on(&county, day),
        h.id,
        now.version,
        &f,
        &ev(status.as_str()),
    )
    .unwrap()
}

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
        assert_eq!(in_time.reported_on.as_deref(), Some("2022-06-09"));
        assert_eq!(late.reported_on.as_deref(), Some("2022-06-12"));
        let f = |overdue: bool| HazardFilter {
            overdue: Some(overdue),
            today: "2022-06-20".into(),
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
                    today: "2022-06-20".into(),
                    ..Default::default()
                }
            )
            .unwrap(),
            (3, 2)
        );
        // The reviewer's list: awaiting review, reported on or before a day.
        let reviews = |to: &str| {
            ids(&HazardFilter {
                reported_to: Some(to.into()),
                today: "2022-06-20".into(),
                limit: 50,
                ..Default::default()
            })
        };
        assert_eq!(reviews("2022-06-09"), vec![in_time.id]);
        assert_eq!(reviews("2022-06-30"), vec![late.id, in_time.id]);
        // Due soon is for rectification: a hazard reported done is not.
        let soon = HazardFilter {
            due_from: Some("2022-06-05".into()),
            due_to: Some("2022-06-12".into()),
            today: "2022-06-05".into(),
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
        assert_eq!(closed.reported_on.as_deref(), Some("2022-06-12"));
    });
}
