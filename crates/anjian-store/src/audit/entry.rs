//! Building an entry: its hash (over the previous entry's hash and its own fields) and the
//! values its row is written with.

use super::*;

/// The hash of an entry: SHA-256 over an unambiguous JSON array of its fields and the previous hash.
pub fn entry_hash(e: &AuditEntry) -> String {
    let canonical = serde_json::json!([
        e.prev_hash,
        e.seq,
        e.at,
        e.actor_id,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.region_code,
        e.before,
        e.after,
        e.request_id,
        e.ip
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// The entry numbered `seq` after `prev_hash`, with its hash; `what` is the action,
/// entity, entity id and region code.
pub(super) fn new_entry(
    change: &Change<'_>,
    seq: i64,
    prev_hash: String,
    what: [&str; 4],
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    let [action, entity, entity_id, region_code] = what;
    let mut e = AuditEntry {
        seq,
        at: change.ts(),
        actor_id: change.actor_id,
        actor: change.actor.clone(),
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
        region_code: region_code.to_string(),
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
        request_id: change.request_id.clone(),
        ip: change.ip.clone(),
        prev_hash,
        hash: String::new(),
    };
    e.hash = entry_hash(&e);
    e
}

/// An entry's values in `COLS` order.
pub(super) fn row_values(e: AuditEntry) -> [crate::db::Value; 14] {
    params![
        e.seq,
        e.at,
        e.actor_id,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.region_code,
        e.before,
        e.after,
        e.request_id,
        e.ip,
        e.prev_hash,
        e.hash
    ]
}
