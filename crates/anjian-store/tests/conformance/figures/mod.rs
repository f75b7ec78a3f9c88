//! The figures of the source report as the report means them (issue 14): each test names
//! the report's sentence or the rule it follows, and would fail under the definition it
//! replaced. Both backends.

use crate::*;
use anjian_domain::hazard::{Level, Source, Status};
use anjian_store::cases::Case;
use anjian_store::documents::NewDocument;
use anjian_store::hazards::{EventInput, HazardFilter};
use anjian_store::stats::{StatFilter, catalogue};
use anjian_store::transfers::Transfer;
use chrono::{TimeZone, Utc};

mod cases;
mod enforcement;
mod hazards;
mod registry;

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

/// A metric's raw value over `[from, to]` for the whole county.
fn val(s: &Store, id: &str, from: &str, to: &str) -> Option<i64> {
    let cat = catalogue(&[], &[]);
    let m = cat
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("{id}"));
    s.metric_value(
        m,
        &county_scope(),
        &StatFilter::default(),
        day(from),
        day(to),
    )
    .unwrap()
}

fn year(s: &Store, id: &str) -> Option<i64> {
    val(s, id, "2022-01-01", "2022-12-31")
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
        f.closed_on = Some(crate::day(day));
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
