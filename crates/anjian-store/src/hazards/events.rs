//! A hazard's timeline: one event row per change, and reading it.

use super::*;

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

    /// A hazard visible in the scope and its timeline, oldest first, in one read.
    pub fn hazard_with_events(&self, scope: &Scope, id: i64) -> Result<(Hazard, Vec<HazardEvent>)> {
        self.db().read(|tx| {
            let h = get_in(tx, scope, id)?;
            let events = tx
                .query(
                    &format!(
                        "SELECT {EVENT_COLS} FROM hazard_events WHERE hazard_id = ? ORDER BY id"
                    ),
                    &params![id],
                )?
                .into_iter()
                .map(event_row)
                .collect::<Result<Vec<_>>>()?;
            Ok((h, events))
        })
    }
}
