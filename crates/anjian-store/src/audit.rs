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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
fn new_entry(
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

/// An entry's values in `COLS` order.
fn row_values(e: AuditEntry) -> [crate::db::Value; 14] {
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

/// Appends many entries inside the caller's transaction (an import): the head is read once
/// and written once, and the entries go in multi-row INSERTs. The entries are the same as
/// [`append_json`] would write one by one.
pub(crate) struct AppendBatch {
    seq: i64,
    hash: String,
    rows: Vec<crate::db::Value>,
}

/// Entries per INSERT statement of a batch (14 columns each).
const BATCH_ROWS: usize = 64;

impl AppendBatch {
    pub(crate) fn begin(tx: &mut dyn Tx) -> Result<Self> {
        let head = tx.query_one("SELECT seq, hash FROM audit_head WHERE id = 1", &[])?;
        Ok(Self {
            seq: head.i64(0)?,
            hash: head.text(1)?,
            rows: Vec::with_capacity(BATCH_ROWS * 14),
        })
    }

    /// Adds the entry of a new record (no `before`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_created<A: Serialize>(
        &mut self,
        tx: &mut dyn Tx,
        change: &Change<'_>,
        action: &str,
        entity: &str,
        entity_id: &str,
        region_code: &str,
        after: &A,
    ) -> Result<()> {
        let after =
            serde_json::to_value(after).map_err(|e| crate::StoreError::Backend(e.to_string()))?;
        self.seq += 1;
        let e = new_entry(
            change,
            self.seq,
            std::mem::take(&mut self.hash),
            [action, entity, entity_id, region_code],
            None,
            Some(after),
        );
        self.hash = e.hash.clone();
        self.rows.extend(row_values(e));
        if self.rows.len() >= BATCH_ROWS * 14 {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &mut dyn Tx) -> Result<()> {
        let n = self.rows.len() / 14;
        if n > 0 {
            tx.execute(
                &format!(
                    "INSERT INTO audit_log ({COLS}) VALUES {}",
                    crate::db::row_placeholders(14, n)
                ),
                &self.rows,
            )?;
            self.rows.clear();
        }
        Ok(())
    }

    /// Writes the remaining entries and moves the head to the last one.
    pub(crate) fn finish(mut self, tx: &mut dyn Tx) -> Result<()> {
        self.flush(tx)?;
        tx.execute(
            "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
            &params![self.seq, self.hash.as_str()],
        )?;
        Ok(())
    }
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

/// Filters for browsing the trail.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub action_prefix: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Keyset cursor: entries with `seq` below this.
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// One problem found by [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    pub seq: i64,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub checked: i64,
    pub head_seq: i64,
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// Browses the trail, newest first. Entries about regions outside the scope are hidden;
    /// entries with no region (users, settings) are visible only to a county-wide scope.
    pub fn list_audit(&self, scope: &Scope, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut p = Vec::new();
        let mut wh = vec![format!(
            "({} OR (region_code = '' AND {}))",
            scope_sql::regions(scope, "region_code", &mut p),
            if scope.region_prefixes.iter().any(|x| x.len() <= 6) {
                "1 = 1"
            } else {
                "1 = 0"
            }
        )];
        let mut eq = |col: &str, v: &Option<String>, p: &mut Vec<crate::Value>| {
            if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
                wh.push(format!("{col} = ?"));
                p.push(v.into());
            }
        };
        eq("entity", &f.entity, &mut p);
        eq("entity_id", &f.entity_id, &mut p);
        eq("actor", &f.actor, &mut p);
        if let Some(a) = f.action_prefix.as_deref().filter(|s| !s.is_empty()) {
            wh.push("action LIKE ?".into());
            p.push(format!("{a}%").into());
        }
        if let Some(d) = f.from.as_deref().filter(|s| !s.is_empty()) {
            wh.push("at >= ?".into());
            p.push(d.into());
        }
        if let Some(d) = f.to.as_deref().filter(|s| !s.is_empty()) {
            wh.push("at < ?".into());
            p.push(format!("{d}T99").into());
        }
        if let Some(s) = f.before_seq {
            wh.push("seq < ?".into());
            p.push(s.into());
        }
        let sql = format!(
            "SELECT {COLS} FROM audit_log WHERE {} ORDER BY seq DESC {}",
            wh.join(" AND "),
            crate::db::limit(f.limit.clamp(1, 1000))
        );
        self.db()
            .read(|tx| tx.query(&sql, &p)?.iter().map(row).collect())
    }

    /// Recomputes the whole chain and reports every broken entry.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        self.db().read(|tx| {
            let head = tx.query_one("SELECT seq, hash FROM audit_head WHERE id = 1", &[])?;
            let (head_seq, head_hash) = (head.i64(0)?, head.text(1)?);
            let mut problems = Vec::new();
            let mut prev_hash = "0".repeat(64);
            let mut expected_seq = 1;
            let mut checked = 0;
            let mut after = 0i64;
            loop {
                let rows = tx.query(
                    &format!("SELECT {COLS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000"),
                    &params![after],
                )?;
                if rows.is_empty() {
                    break;
                }
                for r in &rows {
                    let e = row(r)?;
                    checked += 1;
                    if e.seq != expected_seq {
                        let missing = if e.seq == expected_seq + 1 {
                            format!("第 {expected_seq} 条记录缺失（已被删除）")
                        } else {
                            format!("第 {expected_seq}–{} 条记录缺失（已被删除）", e.seq - 1)
                        };
                        problems.push(AuditProblem {
                            seq: expected_seq,
                            problem: missing,
                        });
                    }
                    if e.prev_hash != prev_hash {
                        problems.push(AuditProblem {
                            seq: e.seq,
                            problem: "与上一条记录的哈希链接不符".into(),
                        });
                    }
                    if entry_hash(&e) != e.hash {
                        problems.push(AuditProblem {
                            seq: e.seq,
                            problem: "记录内容与其哈希不符（已被修改）".into(),
                        });
                    }
                    prev_hash = e.hash.clone();
                    expected_seq = e.seq + 1;
                    after = e.seq;
                }
            }
            if expected_seq - 1 != head_seq {
                problems.push(AuditProblem {
                    seq: expected_seq,
                    problem: format!(
                        "链尾应为第 {head_seq} 条，实际止于第 {} 条（末尾记录被删除）",
                        expected_seq - 1
                    ),
                });
            } else if head_seq > 0 && prev_hash != head_hash {
                problems.push(AuditProblem {
                    seq: head_seq,
                    problem: "链尾哈希与记录不符".into(),
                });
            }
            Ok(AuditReport {
                checked,
                head_seq,
                problems,
            })
        })
    }
}
