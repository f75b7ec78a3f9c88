//! The tamper-evident audit trail.
//!
//! Every change appends one entry in the same transaction as the record it
//! describes. Entries are numbered densely (`seq`) and hash-chained: each
//! entry's hash covers its own fields and the previous entry's hash, and
//! `audit_head` holds the last number and hash. Editing any entry breaks its
//! own hash; deleting one breaks the numbering and the next entry's link;
//! deleting the tail disagrees with the head. On PostgreSQL every store write
//! transaction locks the head row first (`Store::write`), which serialises
//! appenders in one lock order.

use crate::db::Tx;
use crate::scope_sql;
use crate::{Change, Result, Store, params};
use anjian_domain::Scope;
use serde::Serialize;
use sha2::{Digest, Sha256};

mod batch;
mod browse;
mod entry;
mod verify;
pub(crate) use batch::AppendBatch;
pub use browse::AuditFilter;
pub use entry::entry_hash;
use entry::{new_entry, row_values};
pub use verify::{AuditProblem, AuditReport};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub region_code: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: String,
    pub ip: String,
    pub prev_hash: String,
    pub hash: String,
}

// The declared columns are the table's own, so `COLS` is also the column list of the
// INSERT ([`row_values`] writes them in this order).
crate::table_row! {
    table "audit_log", key seq;
    fn row -> AuditEntry {
        seq: i64,
        at: text,
        actor_id: opt_i64,
        actor: text,
        action: text,
        entity: text,
        entity_id: text,
        region_code: text,
        before: opt_text = "before_json",
        after: opt_text = "after_json",
        request_id: text,
        ip: text,
        prev_hash: text,
        hash: text,
    }
}

/// Appends an entry inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    action: &str,
    entity: &str,
    entity_id: &str,
    region_code: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    let head = tx.query_one(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
        &[],
    )?;
    let e = new_entry(
        change,
        change.ts(),
        head.i64(0)?,
        head.text(1)?,
        [action, entity, entity_id, region_code],
        before,
        after,
    );
    tx.execute(
        &format!(
            "INSERT INTO audit_log ({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ),
        &row_values(e.clone()),
    )?;
    tx.execute(
        "UPDATE audit_head SET hash = ? WHERE id = 1",
        &params![e.hash.as_str()],
    )?;
    Ok(())
}

/// [`append_json`] about record `id` of the entity its action names (`entity.step`): the one
/// audit call of the record modules written in that shape (disasters, campaign ledgers).
pub(crate) fn append_record<T: Serialize>(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    action: &str,
    id: i64,
    region: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let entity = action.split('.').next().unwrap_or(action);
    append_json(
        tx,
        change,
        action,
        entity,
        &id.to_string(),
        region,
        before,
        after,
    )
}

/// [`append`] for serialisable before/after values.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append_json<B: Serialize, A: Serialize>(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    action: &str,
    entity: &str,
    entity_id: &str,
    region_code: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    let j = |v: Option<serde_json::Result<serde_json::Value>>| {
        v.transpose()
            .map_err(|e| crate::StoreError::Backend(e.to_string()))
    };
    let before = j(before.map(serde_json::to_value))?;
    let after = j(after.map(serde_json::to_value))?;
    append(
        tx,
        change,
        action,
        entity,
        entity_id,
        region_code,
        before,
        after,
    )
}

impl Store {}
