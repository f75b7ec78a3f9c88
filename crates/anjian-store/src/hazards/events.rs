//! A hazard's timeline: one event row per change, and reading it.

use super::*;
use crate::db::Row;

/// One step of a hazard's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HazardEvent {
    pub id: i64,
    pub hazard_id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub data: Option<String>,
}

crate::table_row! {
    table "hazard_events", key id, cols EVENT_COLS;
    fn event_row(Row) -> HazardEvent {
        id: i64,
        hazard_id: i64,
        at: text,
        actor_id: opt_i64,
        actor: text,
        action: text,
        from_status: opt_text,
        to_status: text,
        note: text,
        data: opt_text,
    }
}

/// What happened, for the event row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub action: String,
    pub note: String,
    pub data: Option<serde_json::Value>,
}

pub(crate) fn add_event(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    h: &Hazard,
    from: Option<&str>,
    ev: &EventInput,
) -> Result<()> {
    tx.execute(
        "INSERT INTO hazard_events (hazard_id, county_code, at, actor_id, actor, action, from_status, to_status, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            h.id,
            h.county_code.as_str(),
            change.ts(),
            change.actor_id,
            change.actor.as_str(),
            ev.action.as_str(),
            from,
            h.status.as_str(),
            ev.note.as_str(),
            ev.data.as_ref().map(|d| d.to_string())
        ],
    )?;
    Ok(())
}

impl Store {
    /// The timeline of a hazard visible in the scope, oldest first.
    pub fn hazard_events(&self, scope: &Scope, id: i64) -> Result<Vec<HazardEvent>> {
        self.hazard_with_events(scope, id).map(|(_, events)| events)
    }

    /// A hazard visible in the scope and its timeline, oldest first, in one statement: the
    /// hazard's columns joined to each of its events (a GET by id is one round trip on
    /// PostgreSQL, where the hazard and then its events were two).
    pub fn hazard_with_events(&self, scope: &Scope, id: i64) -> Result<(Hazard, Vec<HazardEvent>)> {
        let mut p = Vec::new();
        let cond = crate::scope_sql::hazard(scope, "h", &mut p);
        p.push(id.into());
        let sql = format!(
            "SELECT {}, {} FROM {FROM} LEFT JOIN hazard_events ev ON ev.hazard_id = h.id WHERE {cond} AND h.id = ? ORDER BY ev.id",
            super::cols(),
            joined_event_cols()
        );
        let rows = self.db().read(|tx| tx.query(&sql, &p))?;
        let hazard_width = super::row::WIDTH;
        let mut hazard = None;
        let mut events = Vec::with_capacity(rows.len());
        for r in rows {
            let mut values = r.0;
            let event = Row(values.split_off(hazard_width.min(values.len())));
            // No event joined (a hazard always has its first, but the read does not rely
            // on it): the event's columns are all null.
            if !matches!(event.0.first(), None | Some(Value::Null)) {
                events.push(event_row(event)?);
            }
            if hazard.is_none() {
                hazard = Some(super::row(Row(values))?);
            }
        }
        Ok((hazard.ok_or(StoreError::NotFound)?, events))
    }
}

/// The event columns qualified by the joined table's alias `ev`, built once.
fn joined_event_cols() -> &'static str {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        EVENT_COLS
            .0
            .iter()
            .map(|c| format!("ev.{}", c.1))
            .collect::<Vec<_>>()
            .join(", ")
    });
    &TEXT
}
