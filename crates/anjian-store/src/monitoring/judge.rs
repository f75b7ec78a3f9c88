//! Judging: an alarm kept in step with its subject's level (opened, raised, lowered, folded,
//! cleared; a raise above anything acknowledged asks for a new acknowledgement), and a
//! tailings pond's items and the pond judged again from their points' levels by the counts of
//! GB 50863-2013 5.5.4.

use super::ingest::{IngestOutcome, IngestRules, Place, at_ms, china_day};
use crate::db::Tx;
use crate::{Result, params};
use anjian_domain::monitoring::{
    AckMinutes, AlarmTarget, Direction, Level, item_level, pond_level,
};
use std::collections::BTreeMap;

/// An alarm to keep in step with a level: its key, what it is about, where.
pub(super) struct Subject<'a> {
    pub(super) key: String,
    pub(super) target: AlarmTarget,
    pub(super) object_id: i64,
    pub(super) point_id: Option<i64>,
    pub(super) item: &'a str,
    pub(super) place: &'a Place,
    pub(super) direction: Direction,
}

/// Moves the alarm of `s` from `from` to `to` at `at` (Unix ms) with `value`; answers
/// whether it opened, rose or cleared (for the outcome).
#[allow(clippy::too_many_arguments)]
pub(super) fn step(
    tx: &mut dyn Tx,
    s: &Subject<'_>,
    from: Option<Level>,
    to: Option<Level>,
    at: i64,
    value: Option<f64>,
    ack: &AckMinutes,
    out: &mut IngestOutcome,
) -> Result<()> {
    let when = at_ms(at);
    let active = tx.query_opt(
        "SELECT id, level FROM monitoring_alarms WHERE active_key = ?",
        &params![s.key.as_str()],
    )?;
    let active = match active {
        Some(r) => Some((r.i64(0)?, Level::parse(&r.text(1)?).unwrap_or(Level::Red))),
        None => None,
    };
    match (active, to) {
        (None, None) => {}
        (None, Some(l)) => {
            let due = at_ms(at + ack.of(l) * 60_000);
            let id = tx.scalar_i64(
                "INSERT INTO monitoring_alarms (county_code, region_code, enterprise_id, object_id, point_id, target, item, level, first_level, current_level, active_key, opened_at, opened_on, last_at, last_value, peak_value, ack_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![s.place.county.as_str(), s.place.region.as_str(), s.place.enterprise, s.object_id, s.point_id, s.target.as_str(), s.item, l.as_str(), l.as_str(), l.as_str(), s.key.as_str(), when.as_str(), china_day(at).as_str(), when.as_str(), value, value, due.as_str()],
            )?;
            event(tx, id, &when, "opened", l, value)?;
            out.opened.push(id);
        }
        (Some((id, _)), None) => {
            tx.execute(
                "UPDATE monitoring_alarms SET active_key = NULL, current_level = NULL, cleared_at = ?, last_at = ?, last_value = COALESCE(?, last_value), version = version + 1 WHERE id = ?",
                &params![when.as_str(), when.as_str(), value, id],
            )?;
            event(tx, id, &when, "cleared", from.unwrap_or(Level::Blue), value)?;
            out.cleared.push(id);
        }
        (Some((id, peak)), Some(l)) => {
            let up = from.is_none_or(|f| l > f);
            if l > peak {
                // Above anything acknowledged so far: to be acknowledged again, sooner.
                let due = at_ms(at + ack.of(l) * 60_000);
                tx.execute(
                    "UPDATE monitoring_alarms SET level = ?, current_level = ?, acknowledged_at = NULL, acknowledged_by_name = '', ack_due_at = ?, last_at = ?, last_value = COALESCE(?, last_value), version = version + 1 WHERE id = ?",
                    &params![l.as_str(), l.as_str(), due.as_str(), when.as_str(), value, id],
                )?;
                out.raised.push(id);
            } else {
                tx.execute(
                    "UPDATE monitoring_alarms SET current_level = ?, last_at = ?, last_value = COALESCE(?, last_value), version = version + 1 WHERE id = ?",
                    &params![l.as_str(), when.as_str(), value, id],
                )?;
            }
            event(
                tx,
                id,
                &when,
                if up { "raised" } else { "lowered" },
                l,
                value,
            )?;
            if let Some(v) = value {
                peak_value(tx, id, s.direction, v)?;
            }
        }
    }
    Ok(())
}

pub(super) fn peak_value(tx: &mut dyn Tx, id: i64, d: Direction, v: f64) -> Result<()> {
    let sql = match d {
        Direction::Above => {
            "UPDATE monitoring_alarms SET peak_value = ? WHERE id = ? AND (peak_value IS NULL OR peak_value < ?)"
        }
        Direction::Below => {
            "UPDATE monitoring_alarms SET peak_value = ? WHERE id = ? AND (peak_value IS NULL OR peak_value > ?)"
        }
    };
    tx.execute(sql, &params![v, id, v])?;
    Ok(())
}

fn event(
    tx: &mut dyn Tx,
    alarm: i64,
    at: &str,
    kind: &str,
    l: Level,
    value: Option<f64>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO monitoring_alarm_events (alarm_id, at, kind, level, value) VALUES (?, ?, ?, ?, ?)",
        &params![alarm, at, kind, l.as_str(), value],
    )?;
    Ok(())
}

/// Judges a tailings pond's items and the pond again from its points' levels.
pub(super) fn judge_pond(
    tx: &mut dyn Tx,
    object_id: i64,
    place: &Place,
    at: i64,
    rules: &IngestRules,
    out: &mut IngestOutcome,
) -> Result<()> {
    let mut items: BTreeMap<String, Vec<Option<Level>>> = BTreeMap::new();
    for r in tx.query(
        "SELECT kind, level FROM monitoring_points WHERE object_id = ? AND active",
        &params![object_id],
    )? {
        let level = r.opt_text(1)?.and_then(|l| Level::parse(&l));
        items.entry(r.text(0)?).or_default().push(level);
    }
    let mut item_levels = Vec::new();
    for (kind, points) in &items {
        let level = item_level(points, &rules.escalation);
        let highest = points.iter().flatten().max().copied();
        item_levels.push(level);
        let s = Subject {
            key: format!("i:{object_id}:{kind}"),
            target: AlarmTarget::Item,
            object_id,
            point_id: None,
            item: kind,
            place,
            direction: Direction::Above,
        };
        let want = level.filter(|l| highest.is_none_or(|h| *l > h));
        let had = current(tx, &s.key)?;
        if want != had {
            step(tx, &s, had, want, at, None, &rules.ack, out)?;
        }
    }
    let pond = pond_level(&item_levels, &rules.escalation);
    let highest = item_levels.iter().flatten().max().copied();
    let s = Subject {
        key: format!("o:{object_id}"),
        target: AlarmTarget::Object,
        object_id,
        point_id: None,
        item: "",
        place,
        direction: Direction::Above,
    };
    let want = pond.filter(|l| highest.is_none_or(|h| *l > h));
    let had = current(tx, &s.key)?;
    if want != had {
        step(tx, &s, had, want, at, None, &rules.ack, out)?;
    }
    Ok(())
}

/// The present level of the active alarm under `key` (none: no active alarm).
fn current(tx: &mut dyn Tx, key: &str) -> Result<Option<Level>> {
    Ok(tx
        .query_opt(
            "SELECT current_level FROM monitoring_alarms WHERE active_key = ?",
            &params![key],
        )?
        .and_then(|r| r.opt_text(0).ok().flatten())
        .and_then(|l| Level::parse(&l)))
}
