//! Evidence files attached to records, stored in the database (so every instance
//! sees them) with their SHA-256. Visibility follows the record they belong to.

use crate::db::Tx;
use crate::hazards::{
    EventInput, Hazard, HazardFields, add_event, get_in as get_hazard_in, update_in,
};
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub note: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: String,
}

/// A checked file to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
    pub note: String,
}

crate::table_row! {
    table "attachments", key id;
    fn row -> Attachment {
        id: i64,
        entity: text,
        entity_id: i64,
        file_name: text,
        content_type: text,
        size: i64,
        sha256: text,
        note: text,
        uploaded_by: opt_i64,
        uploaded_at: text,
    }
}

/// Writes a checked file for a record (`entity`, `entity_id`) in the transaction of the
/// change that attaches it.
pub(crate) fn insert(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    county_code: &str,
    entity: &str,
    entity_id: i64,
    a: &NewAttachment,
) -> Result<Attachment> {
    let id = tx.scalar_i64(
        "INSERT INTO attachments (county_code, entity, entity_id, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![
            county_code,
            entity,
            entity_id,
            a.file_name.as_str(),
            a.content_type.as_str(),
            a.data.len() as i64,
            a.sha256.as_str(),
            a.data.as_slice(),
            a.note.as_str(),
            change.actor_id,
            change.ts().as_str()
        ],
    )?;
    row(&tx.query_one(
        &format!("SELECT {COLS} FROM attachments WHERE id = ?"),
        &params![id],
    )?)
}

/// A file and its bytes, by id (the caller has checked the record it belongs to).
pub(crate) fn read_with_data(tx: &mut dyn Tx, id: i64) -> Result<(Attachment, Vec<u8>)> {
    let r = tx
        .query_opt(
            &format!("SELECT {COLS}, data FROM attachments WHERE id = ?"),
            &params![id],
        )?
        .ok_or(StoreError::NotFound)?;
    let a = row(&r)?;
    // The bytes follow the declared columns.
    let data = r.bytes(COLUMNS.len())?;
    Ok((a, data))
}

/// The files of a record, in upload order.
pub(crate) fn of_record(tx: &mut dyn Tx, entity: &str, entity_id: i64) -> Result<Vec<Attachment>> {
    tx.query(
        &format!("SELECT {COLS} FROM attachments WHERE entity = ? AND entity_id = ? ORDER BY id"),
        &params![entity, entity_id],
    )?
    .iter()
    .map(row)
    .collect()
}

impl Store {
    /// Attaches a file to a hazard in the caller's writable scope: file, timeline event and
    /// audit entry in one transaction.
    pub fn attach_to_hazard(
        &self,
        change: &Change<'_>,
        hazard_id: i64,
        a: &NewAttachment,
    ) -> Result<Attachment> {
        change.require_writable()?;
        self.write(|tx| attach_in(tx, change, hazard_id, a))
    }

    /// A change of a hazard with the evidence files it comes with (a rectification reported
    /// with its photos): the files, each with its event and audit entry, then the change
    /// ([`Store::update_hazard`]), in one transaction. A refused change (a stale `version`,
    /// out of scope) stores none of the files.
    pub fn update_hazard_with_files(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        f: &HazardFields,
        ev: &EventInput,
        files: &[NewAttachment],
    ) -> Result<(Hazard, Vec<Attachment>)> {
        self.write(|tx| {
            let saved = files
                .iter()
                .map(|a| attach_in(tx, change, id, a))
                .collect::<Result<Vec<_>>>()?;
            let h = update_in(tx, change, id, version, f, ev)?;
            Ok((h, saved))
        })
    }

    /// The files of a hazard visible in the scope.
    pub fn hazard_attachments(&self, scope: &Scope, hazard_id: i64) -> Result<Vec<Attachment>> {
        self.db().read(|tx| {
            get_hazard_in(tx, scope, hazard_id)?;
            of_record(tx, "hazard", hazard_id)
        })
    }

    /// A file and its bytes, if the record it belongs to is visible in the scope (a hazard
    /// or a capability assessment; a letter's scan is read through its letter,
    /// [`Store::letter_scan`], since letters are seen by whom they are signed with).
    pub fn attachment_data(&self, scope: &Scope, id: i64) -> Result<(Attachment, Vec<u8>)> {
        self.db().read(|tx| {
            let (a, data) = read_with_data(tx, id)?;
            match a.entity.as_str() {
                "hazard" => {
                    get_hazard_in(tx, scope, a.entity_id)?;
                }
                "capability" => {
                    crate::capability::get_in(tx, scope, a.entity_id)?;
                }
                "campaign_object" => {
                    crate::campaigns::get_object_in(tx, scope, a.entity_id)?;
                }
                "station_visit" => {
                    crate::station::visit_in(tx, scope, None, a.entity_id)?;
                }
                "training_session" => {
                    crate::training::session_in(tx, scope, None, a.entity_id)?;
                }
                _ => return Err(StoreError::NotFound),
            }
            Ok((a, data))
        })
    }
}

/// Stores a file of a hazard in the caller's writable scope, with its timeline event and
/// audit entry, inside the caller's transaction.
fn attach_in(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    hazard_id: i64,
    a: &NewAttachment,
) -> Result<Attachment> {
    let now = change.ts();
    let h = get_hazard_in(tx, change.scope, hazard_id)?;
    let id = tx.scalar_i64(
        "INSERT INTO attachments (county_code, entity, entity_id, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at) \
         VALUES (?, 'hazard', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![
            h.county_code.as_str(),
            hazard_id,
            a.file_name.as_str(),
            a.content_type.as_str(),
            a.data.len() as i64,
            a.sha256.as_str(),
            a.data.as_slice(),
            a.note.as_str(),
            change.actor_id,
            now.as_str()
        ],
    )?;
    let ev = EventInput {
        action: "attach".into(),
        note: a.file_name.clone(),
        data: Some(
            serde_json::json!({ "attachment_id": id, "sha256": a.sha256, "size": a.data.len() }),
        ),
    };
    add_event(tx, change, &h, Some(h.status.as_str()), &ev)?;
    let saved = row(&tx.query_one(
        &format!("SELECT {COLS} FROM attachments WHERE id = ?"),
        &params![id],
    )?)?;
    crate::audit::append_json(
        tx,
        change,
        "hazard.attach",
        "hazard",
        &hazard_id.to_string(),
        &h.region_code,
        None::<&()>,
        Some(&saved),
    )?;
    Ok(saved)
}
