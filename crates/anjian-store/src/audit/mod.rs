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

use crate::db::{Dialect, Tx};
use crate::scope_sql;
use crate::{Change, Result, Store, params};
use anjian_domain::Scope;
use serde::Serialize;
use sha2::{Digest, Sha256};

mod batch;
mod browse;
mod entry;
mod verify;
pub(crate) use batch::{AppendBatch, Chain, EntryRow, EntryRows};
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
    let what = [action, entity, entity_id, region_code];
    if tx.dialect() == Dialect::Postgres {
        return append_over_head(tx, change, what, before, after);
    }
    let head = tx.query_one(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
        &[],
    )?;
    let e = new_entry(
        change,
        change.ts(),
        head.i64(0)?,
        head.text(1)?,
        what,
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

/// [`append`] on PostgreSQL, where each statement is a round trip: the entry follows the
/// head its connection keeps (read with the head's lock, or written by the last entry), and
/// one statement writes it and moves the head, if the head is still the one it follows. A
/// stale head (another instance appended since; a savepoint undid an entry) is read again.
fn append_over_head(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    what: [&str; 4],
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    let (seq, prev) = match tx.audit_kept().and_then(|k| k.head.clone()) {
        Some(head) => head,
        None => read_head(tx)?,
    };
    let mut e = new_entry(change, change.ts(), seq + 1, prev, what, before, after);
    if !write_over(tx, &e, seq)? {
        let (seq, prev) = read_head(tx)?;
        e.seq = seq + 1;
        e.prev_hash = prev;
        e.hash = entry_hash(&e);
        if !write_over(tx, &e, seq)? {
            return Err(crate::StoreError::Conflict(
                "the audit chain's head moved while its entry was written".into(),
            ));
        }
    }
    if let Some(kept) = tx.audit_kept() {
        kept.head = Some((e.seq, e.hash));
    }
    Ok(())
}

/// The head as stored: its last number and hash.
pub(super) fn read_head(tx: &mut dyn Tx) -> Result<(i64, String)> {
    head_by(tx, "SELECT seq, hash FROM audit_head WHERE id = 1")
}

fn head_by(tx: &mut dyn Tx, sql: &str) -> Result<(i64, String)> {
    let head = tx.query_one(sql, &[])?;
    Ok((head.i64(0)?, head.text(1)?))
}

/// On PostgreSQL, takes the head's row lock unless this transaction holds it already, and
/// keeps the head read with it for the transaction's entries: every store write does this
/// first, so that writers of every instance queue in one lock order (`Store::write`).
pub(crate) fn lock_head(tx: &mut dyn Tx) -> Result<()> {
    if tx.dialect() != Dialect::Postgres || tx.audit_kept().is_some_and(|k| k.locked) {
        return Ok(());
    }
    let head = head_by(
        tx,
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
    )?;
    if let Some(kept) = tx.audit_kept() {
        kept.locked = true;
        kept.head = Some(head);
    }
    Ok(())
}

/// Writes entry `e` and moves the head to it, in one statement, if the head is the entry it
/// follows (number `prev_seq`, hash `e.prev_hash`: a head kept from a rolled-back entry
/// can have the right number and the wrong hash); PostgreSQL: a data-modifying `WITH`.
/// Whether it was; nothing is written if not.
fn write_over(tx: &mut dyn Tx, e: &AuditEntry, prev_seq: i64) -> Result<bool> {
    let mut values = params![e.seq, e.hash.as_str(), prev_seq, e.prev_hash.as_str()].to_vec();
    values.extend(row_values(e.clone()));
    let written = tx.execute(
        &format!(
            "WITH head AS (UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ? RETURNING id) \
             INSERT INTO audit_log ({COLS}) SELECT {} FROM head",
            crate::db::placeholders(14)
        ),
        &values,
    )?;
    Ok(written == 1)
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

#[cfg(test)]
mod tests;
