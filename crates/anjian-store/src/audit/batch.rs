//! Appending many entries at once (an import): the head read once, the entries hashed in
//! order and inserted 64 to a statement (512 to a COPY on PostgreSQL), the head written
//! once at the end.

use super::*;

/// Appends many entries inside the caller's transaction (an import): the head is read once
/// and written once, and the entries go in multi-row INSERTs. The entries are the same as
/// [`append_json`] would write one by one.
///
/// A batch is two halves: the [`Chain`] numbers and hashes entries without the
/// transaction, and the [`EntryRows`] write them. An import may run its chain on a thread
/// of its own beside its writes ([`AppendBatch::into_parts`], [`AppendBatch::from_parts`]).
pub(crate) struct AppendBatch {
    chain: Chain,
    rows: EntryRows,
}

/// The numbering and hash chain of a batch's entries, in order.
pub(crate) struct Chain {
    /// The last change's time and its stored text, formatted once for all the entries of
    /// one change (an import's).
    at: Option<(chrono::DateTime<chrono::Utc>, String)>,
    seq: i64,
    hash: String,
}

/// A batch's entries waiting for their multi-row INSERT (or COPY).
pub(crate) struct EntryRows {
    rows: Vec<crate::db::Value>,
    /// Entries written at a time.
    per_write: usize,
}

/// An entry as the values of its row (`COLS` order).
pub(crate) type EntryRow = [crate::db::Value; 14];

/// Entries per INSERT statement of a batch (14 columns each).
const BATCH_ROWS: usize = 64;
/// Entries per COPY on PostgreSQL (a COPY takes any number of rows).
const BATCH_COPY_ROWS: usize = 512;

impl Chain {
    /// The entry of a new record (no `before`), numbered and hashed after the last one.
    pub(crate) fn created<A: Serialize>(
        &mut self,
        change: &Change<'_>,
        what: [&str; 4],
        after: &A,
    ) -> Result<EntryRow> {
        let after =
            serde_json::to_value(after).map_err(|e| crate::StoreError::Backend(e.to_string()))?;
        self.seq += 1;
        let at = match &self.at {
            Some((t, text)) if *t == change.at => text.clone(),
            _ => {
                let text = change.ts();
                self.at = Some((change.at, text.clone()));
                text
            }
        };
        let e = new_entry(
            change,
            at,
            self.seq,
            std::mem::take(&mut self.hash),
            what,
            None,
            Some(after),
        );
        self.hash = e.hash.clone();
        Ok(row_values(e))
    }
}

impl EntryRows {
    /// Adds an entry's row, writing the rows kept when there are enough for a statement.
    pub(crate) fn push(&mut self, tx: &mut dyn Tx, row: EntryRow) -> Result<()> {
        self.rows.extend(row);
        if self.rows.len() >= self.per_write * 14 {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &mut dyn Tx) -> Result<()> {
        if !self.rows.is_empty() {
            tx.insert_rows("audit_log", &COLS.to_string(), &self.rows)?;
            self.rows.clear();
        }
        Ok(())
    }
}

impl AppendBatch {
    pub(crate) fn begin(tx: &mut dyn Tx) -> Result<Self> {
        let (seq, hash) = super::read_head(tx)?;
        let per_write = match tx.dialect() {
            crate::db::Dialect::Sqlite => BATCH_ROWS,
            crate::db::Dialect::Postgres => BATCH_COPY_ROWS,
        };
        Ok(Self {
            chain: Chain {
                at: None,
                seq,
                hash,
            },
            rows: EntryRows {
                rows: Vec::with_capacity(per_write * 14),
                per_write,
            },
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
        let row = self
            .chain
            .created(change, [action, entity, entity_id, region_code], after)?;
        self.rows.push(tx, row)
    }

    /// The batch's two halves, to number and hash entries apart from writing them; the
    /// rows must be pushed in the chain's order, and the halves put together again
    /// ([`AppendBatch::from_parts`]) before [`AppendBatch::finish`].
    pub(crate) fn into_parts(self) -> (Chain, EntryRows) {
        (self.chain, self.rows)
    }

    pub(crate) fn from_parts(chain: Chain, rows: EntryRows) -> Self {
        Self { chain, rows }
    }

    /// Writes the remaining entries and moves the head to the last one.
    pub(crate) fn finish(mut self, tx: &mut dyn Tx) -> Result<()> {
        self.rows.flush(tx)?;
        tx.execute(
            "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
            &params![self.chain.seq, self.chain.hash.as_str()],
        )?;
        if let Some(kept) = tx.audit_kept() {
            kept.head = Some((self.chain.seq, self.chain.hash));
        }
        Ok(())
    }
}
