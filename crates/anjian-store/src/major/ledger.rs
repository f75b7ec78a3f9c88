//! A case's ledger (台账) entries and its extension requests.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub id: i64,
    pub entry_date: NaiveDate,
    pub progress: i64,
    pub narrative: String,
    pub reporter: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Extension {
    pub id: i64,
    pub requested_on: NaiveDate,
    pub requested_deadline: NaiveDate,
    pub reason: String,
    pub status: String,
    pub decided_on: Option<NaiveDate>,
    pub decision_note: String,
}

crate::table_row! {
    table "major_ledger", key id, cols LEDGER_COLS;
    fn ledger_row(Row) -> LedgerEntry {
        id: i64,
        entry_date: date,
        progress: i64,
        narrative: text,
        reporter: text,
    }
}

crate::table_row! {
    table "major_extensions", key id, cols EXTENSION_COLS;
    fn extension_row(Row) -> Extension {
        id: i64,
        requested_on: date,
        requested_deadline: date,
        reason: text,
        status: text,
        decided_on: opt_date,
        decision_note: text,
    }
}

impl Store {
    pub fn major_ledger(&self, scope: &Scope, hazard_id: i64) -> Result<Vec<LedgerEntry>> {
        self.db().read(|tx| {
            get_case(tx, scope, hazard_id)?;
            tx.query(
                &format!("SELECT {LEDGER_COLS} FROM major_ledger WHERE hazard_id = ? ORDER BY id"),
                &params![hazard_id],
            )?
            .into_iter()
            .map(ledger_row)
            .collect()
        })
    }

    pub fn major_extensions(&self, scope: &Scope, hazard_id: i64) -> Result<Vec<Extension>> {
        self.db().read(|tx| {
            get_case(tx, scope, hazard_id)?;
            tx.query(
                &format!(
                    "SELECT {EXTENSION_COLS} FROM major_extensions WHERE hazard_id = ? ORDER BY id"
                ),
                &params![hazard_id],
            )?
            .into_iter()
            .map(extension_row)
            .collect()
        })
    }
}
