//! Alarms as officials work them: listed, acknowledged, disposed of (a false alarm, handled
//! on the spot, or a hazard registered and linked in the same transaction).

use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::hazards::{EventInput, HazardFields};
use crate::{Change, Result, Store, StoreError, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::monitoring::{AlarmTarget, Disposal, Level, ObjectKind};
use serde::Serialize;

/// An alarm as shown.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = MonitoringAlarm)]
pub struct Alarm {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub object_id: i64,
    pub object_name: String,
    pub object_kind: ObjectKind,
    pub point_id: Option<i64>,
    pub point_name: Option<String>,
    pub unit: Option<String>,
    pub target: AlarmTarget,
    /// The item (a point's kind) of a point or item alarm.
    pub item: String,
    /// The highest level reached, and the first.
    pub level: Level,
    pub first_level: Level,
    /// Whether the condition still lasts.
    pub active: bool,
    pub opened_at: String,
    pub last_at: String,
    pub last_value: Option<f64>,
    pub peak_value: Option<f64>,
    /// Readings folded into it while its level held.
    pub repeats: i64,
    pub ack_due_at: String,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by_name: String,
    pub cleared_at: Option<String>,
    pub disposal: Option<Disposal>,
    pub disposal_note: String,
    pub disposed_at: Option<String>,
    pub disposed_by_name: String,
    pub hazard_id: Option<i64>,
    pub version: i64,
}

crate::table_row! {
    table "monitoring_alarms", key id, cols ALARM_COLS;
    fn alarm_row -> Alarm {
        id: i64,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = monitoring_alarms.region_code), monitoring_alarms.region_code)",
        enterprise_id: opt_i64,
        enterprise_name: opt_text = "(SELECT e.name FROM enterprises e WHERE e.id = monitoring_alarms.enterprise_id)",
        object_id: i64,
        object_name: text = "(SELECT o.name FROM monitored_objects o WHERE o.id = monitoring_alarms.object_id)",
        object_kind: code(ObjectKind::parse) = "(SELECT o.kind FROM monitored_objects o WHERE o.id = monitoring_alarms.object_id)",
        point_id: opt_i64,
        point_name: opt_text = "(SELECT p.name FROM monitoring_points p WHERE p.id = monitoring_alarms.point_id)",
        unit: opt_text = "(SELECT p.unit FROM monitoring_points p WHERE p.id = monitoring_alarms.point_id)",
        target: code(AlarmTarget::parse),
        item: text,
        level: code(Level::parse),
        first_level: code(Level::parse),
        active: bool = "(monitoring_alarms.active_key IS NOT NULL)",
        opened_at: text,
        last_at: text,
        last_value: opt_f64,
        peak_value: opt_f64,
        repeats: i64,
        ack_due_at: text,
        acknowledged_at: opt_text,
        acknowledged_by_name: text,
        cleared_at: opt_text,
        disposal: opt_code(Disposal::parse),
        disposal_note: text,
        disposed_at: opt_text,
        disposed_by_name: text,
        hazard_id: opt_i64,
        version: i64,
    }
}

/// One thing that happened to an alarm.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = MonitoringAlarmEvent)]
pub struct AlarmEvent {
    pub id: i64,
    pub at: String,
    /// opened, raised, lowered, cleared, acknowledged, disposed.
    pub kind: String,
    pub level: String,
    pub value: Option<f64>,
    pub actor_name: String,
    pub note: String,
}

crate::table_row! {
    table "monitoring_alarm_events", key id, cols EVENT_COLS;
    fn event_row -> AlarmEvent {
        id: i64,
        at: text,
        kind: text,
        level: text,
        value: opt_f64,
        actor_name: text,
        note: text,
    }
}

/// Which alarms to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlarmFilter {
    /// Not yet disposed of.
    pub pending_only: bool,
    pub level: Option<Level>,
    pub object_id: Option<i64>,
    /// Opened in `[from, to)` (timestamps).
    pub from: Option<String>,
    pub to: Option<String>,
    pub hazard_id: Option<i64>,
    pub limit: i64,
}

/// Figures over the alarms opened in a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = MonitoringFigures)]
pub struct AlarmFigures {
    /// Tailings ponds with an active monitoring point, and all monitored objects.
    pub ponds_monitored: i64,
    pub objects_monitored: i64,
    /// Alarms opened, by level (blue, yellow, orange, red).
    pub by_level: [i64; 4],
    pub offline: i64,
    /// Acknowledged, acknowledged late, and the mean minutes to acknowledge.
    pub acknowledged: i64,
    pub acknowledged_late: i64,
    pub mean_ack_minutes: Option<f64>,
    /// Disposed of: false alarms, on the spot, turned into hazards.
    pub false_alarms: i64,
    pub on_site: i64,
    pub to_hazard: i64,
}

fn alarm_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Alarm> {
    let mut p = Vec::new();
    let cond = scope_sql::monitored(scope, "monitoring_alarms", &mut p);
    p.push(id.into());
    alarm_row(
        &tx.query_opt(
            &format!("SELECT {ALARM_COLS} FROM monitoring_alarms WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?,
    )
}

fn note_event(
    tx: &mut dyn Tx,
    a: &Alarm,
    change: &Change<'_>,
    kind: &str,
    note: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO monitoring_alarm_events (alarm_id, at, kind, level, actor_name, note) VALUES (?, ?, ?, ?, ?, ?)",
        &params![a.id, change.ts().as_str(), kind, a.level.as_str(), change.actor.as_str(), note],
    )?;
    Ok(())
}

fn minutes_between(a: &str, b: &str) -> Option<f64> {
    let a = chrono::DateTime::parse_from_rfc3339(a).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(b).ok()?;
    Some((b - a).num_seconds() as f64 / 60.0)
}

impl Store {
    /// The alarms the scope sees, newest first.
    pub fn monitoring_alarms(&self, scope: &Scope, f: &AlarmFilter) -> Result<Vec<Alarm>> {
        self.db().read(|tx| {
            let mut p = Vec::new();
            let mut cond = scope_sql::monitored(scope, "monitoring_alarms", &mut p);
            if f.pending_only {
                cond.push_str(" AND disposed_at IS NULL");
            }
            if let Some(l) = f.level {
                cond.push_str(" AND level = ?");
                p.push(l.as_str().into());
            }
            if let Some(o) = f.object_id {
                cond.push_str(" AND object_id = ?");
                p.push(o.into());
            }
            if let Some(h) = f.hazard_id {
                cond.push_str(" AND hazard_id = ?");
                p.push(h.into());
            }
            if let Some(from) = &f.from {
                cond.push_str(" AND opened_at >= ?");
                p.push(from.as_str().into());
            }
            if let Some(to) = &f.to {
                cond.push_str(" AND opened_at < ?");
                p.push(to.as_str().into());
            }
            let limit = crate::db::limit(f.limit.clamp(1, 100_000));
            tx.query(
                &format!(
                    "SELECT {ALARM_COLS} FROM monitoring_alarms WHERE {cond} ORDER BY monitoring_alarms.opened_at DESC, monitoring_alarms.id DESC {limit}"
                ),
                &p,
            )?
            .iter()
            .map(alarm_row)
            .collect()
        })
    }

    /// One alarm the scope sees, with what happened to it.
    pub fn monitoring_alarm(&self, scope: &Scope, id: i64) -> Result<(Alarm, Vec<AlarmEvent>)> {
        self.db().read(|tx| {
            let a = alarm_in(tx, scope, id)?;
            let events = tx
                .query(
                    &format!("SELECT {EVENT_COLS} FROM monitoring_alarm_events WHERE alarm_id = ? ORDER BY at, id"),
                    &params![id],
                )?
                .iter()
                .map(event_row)
                .collect::<Result<Vec<_>>>()?;
            Ok((a, events))
        })
    }

    /// Acknowledges an alarm (optimistic on `version`); one already acknowledged is a
    /// `Conflict("acknowledged")`.
    pub fn acknowledge_alarm(&self, change: &Change<'_>, id: i64, version: i64) -> Result<Alarm> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = alarm_in(tx, change.scope, id)?;
            if before.acknowledged_at.is_some() {
                return Err(StoreError::Conflict("acknowledged".into()));
            }
            let n = tx.execute(
                "UPDATE monitoring_alarms SET acknowledged_at = ?, acknowledged_by_name = ?, version = version + 1 WHERE id = ? AND version = ?",
                &params![now.as_str(), change.actor.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = alarm_in(tx, &Scope::system(), id)?;
            note_event(tx, &after, change, "acknowledged", "")?;
            audit(tx, change, "monitoring_alarm.acknowledge", id, &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Disposes of an alarm as a false alarm or handled on the spot (an unacknowledged one is
    /// acknowledged by it); one already disposed of is a `Conflict("disposed")`.
    pub fn dispose_alarm(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        disposal: Disposal,
        note: &str,
    ) -> Result<Alarm> {
        change.require_writable()?;
        if disposal == Disposal::Hazard {
            return Err(StoreError::Invalid("disposal".into()));
        }
        self.write(|tx| dispose(tx, change, id, version, disposal, note, None))
    }

    /// Registers a hazard from an alarm and disposes of the alarm into it, in one
    /// transaction: the hazard must lie in the caller's writable scope.
    pub fn dispose_alarm_as_hazard(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        f: &HazardFields,
        note: &str,
    ) -> Result<(Alarm, i64)> {
        change.require_writable()?;
        if !crate::hazards::admitted(change.scope, f) {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            alarm_in(tx, change.scope, id)?;
            let ev = EventInput {
                action: "create".into(),
                note: format!("由在线监测报警（编号{id}）转为隐患"),
                data: Some(serde_json::json!({ "alarm_id": id })),
            };
            let h = crate::hazards::insert_hazard(tx, change, f, &ev)?;
            let a = dispose(tx, change, id, version, Disposal::Hazard, note, Some(h.id))?;
            Ok((a, h.id))
        })
    }

    /// Figures over the alarms the scope sees opened in `[from, to)`.
    pub fn monitoring_figures(&self, scope: &Scope, from: &str, to: &str) -> Result<AlarmFigures> {
        self.db().read(|tx| {
            let mut out = AlarmFigures::default();
            let mut p = Vec::new();
            let cond = scope_sql::monitored(scope, "o", &mut p);
            let r = tx.query_one(
                &format!("SELECT COUNT(*), COUNT(CASE WHEN o.kind = 'tailings_pond' THEN 1 END) FROM monitored_objects o WHERE {cond} AND o.active AND EXISTS (SELECT 1 FROM monitoring_points p WHERE p.object_id = o.id AND p.active)"),
                &p,
            )?;
            out.objects_monitored = r.i64(0)?;
            out.ponds_monitored = r.i64(1)?;
            let mut p = Vec::new();
            let cond = scope_sql::monitored(scope, "monitoring_alarms", &mut p);
            p.push(from.into());
            p.push(to.into());
            for r in tx.query(
                &format!("SELECT target, level, opened_at, ack_due_at, acknowledged_at, disposal FROM monitoring_alarms WHERE {cond} AND opened_at >= ? AND opened_at < ?"),
                &p,
            )? {
                let (target, level) = (r.text(0)?, r.text(1)?);
                if target == AlarmTarget::Offline.as_str() {
                    out.offline += 1;
                } else if let Some(l) = Level::parse(&level) {
                    out.by_level[l.rank()] += 1;
                }
                if let Some(ack) = r.opt_text(4)? {
                    out.acknowledged += 1;
                    if ack > r.text(3)? {
                        out.acknowledged_late += 1;
                    }
                    if let Some(m) = minutes_between(&r.text(2)?, &ack) {
                        out.mean_ack_minutes = Some(out.mean_ack_minutes.unwrap_or(0.0) + m);
                    }
                }
                match r.opt_text(5)?.as_deref().and_then(Disposal::parse) {
                    Some(Disposal::FalseAlarm) => out.false_alarms += 1,
                    Some(Disposal::OnSite) => out.on_site += 1,
                    Some(Disposal::Hazard) => out.to_hazard += 1,
                    None => {}
                }
            }
            if out.acknowledged > 0 {
                out.mean_ack_minutes = out.mean_ack_minutes.map(|s| s / out.acknowledged as f64);
            }
            Ok(out)
        })
    }
}

fn dispose(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    id: i64,
    version: i64,
    disposal: Disposal,
    note: &str,
    hazard: Option<i64>,
) -> Result<Alarm> {
    let now = change.ts();
    let before = alarm_in(tx, change.scope, id)?;
    if before.disposed_at.is_some() {
        return Err(StoreError::Conflict("disposed".into()));
    }
    let n = tx.execute(
        "UPDATE monitoring_alarms SET acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by_name = CASE WHEN acknowledged_at IS NULL THEN ? ELSE acknowledged_by_name END, disposal = ?, disposal_note = ?, disposed_at = ?, disposed_by_name = ?, hazard_id = ?, version = version + 1 WHERE id = ? AND version = ?",
        &params![now.as_str(), change.actor.as_str(), disposal.as_str(), note, now.as_str(), change.actor.as_str(), hazard, id, version],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict("version".into()));
    }
    let after = alarm_in(tx, &Scope::system(), id)?;
    if before.acknowledged_at.is_none() {
        note_event(tx, &after, change, "acknowledged", "")?;
    }
    note_event(
        tx,
        &after,
        change,
        "disposed",
        &format!("{}：{}", disposal.label(), note),
    )?;
    audit(
        tx,
        change,
        "monitoring_alarm.dispose",
        id,
        &after.region_code,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}
