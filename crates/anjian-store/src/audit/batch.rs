//! Appending many entries at once (an import): the head read once, the entries hashed in
//! order and inserted 64 to a statement (512 to a COPY on PostgreSQL), the head written
//! once at the end.

use super::*;

/// Appends many entries inside the caller's transaction (an import): the head is read once
/// and written once, and the entries go in multi-row INSERTs. The entries are the same as
/// [`append_json`] would write one by one.
pub(crate) struct AppendBatch {
    /// The last change's time and its stored text, formatted once for all the entries of
    /// one change (an import's).
    at: Option<(chrono::DateTime<chrono::Utc>, String)>,
    seq: i64,
    hash: String,
    rows: Vec<crate::db::Value>,
    /// Entries written at a time.
    per_write: usize,
}

/// Entries per INSERT statement of a batch (14 columns each).
const BATCH_ROWS: usize = 64;
/// Entries per COPY on PostgreSQL (a COPY takes any number of rows).
const BATCH_COPY_ROWS: usize = 512;

impl AppendBatch {
    pub(crate) fn begin(tx: &mut dyn Tx) -> Result<Self> {
        let (seq, hash) = super::read_head(tx)?;
        let per_write = match tx.dialect() {
            crate::db::Dialect::Sqlite => BATCH_ROWS,
            crate::db::Dialect::Postgres => BATCH_COPY_ROWS,
        };
        Ok(Self {
            at: None,
            seq,
            hash,
            rows: Vec::with_capacity(per_write * 14),
            per_write,
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
            [action, entity, entity_id, region_code],
            None,
            Some(after),
        );
        self.hash = e.hash.clone();
        self.rows.extend(row_values(e));
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

    /// Writes the remaining entries and moves the head to the last one.
    pub(crate) fn finish(mut self, tx: &mut dyn Tx) -> Result<()> {
        self.flush(tx)?;
        tx.execute(
            "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
            &params![self.seq, self.hash.as_str()],
        )?;
        if let Some(kept) = tx.audit_kept() {
            kept.head = Some((self.seq, self.hash));
        }
        Ok(())
    }
}
