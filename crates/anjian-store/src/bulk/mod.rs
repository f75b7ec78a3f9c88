//! Bulk loading of hazards with their events (benchmark-scale stores): multi-row inserts
//! in large transactions, secondary indexes dropped before and rebuilt after a load into
//! empty tables, one audit entry for the whole load.

use crate::db::{Dialect, Tx, Value};
use crate::{Change, Result, Store, StoreError, params};
use chrono::NaiveDate;

mod baselines;
mod load;

/// One generated hazard, already in its final state.
#[derive(Debug, Clone)]
pub struct BulkHazard {
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    pub sector: &'static str,
    pub level: &'static str,
    pub source: &'static str,
    pub description: String,
    pub found_on: NaiveDate,
    pub deadline: NaiveDate,
    pub status: &'static str,
    pub funds_spent: Option<i64>,
    pub campaign: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

const HAZARD_COLS: [&str; 19] = [
    "id",
    "county_code",
    "region_code",
    "enterprise_id",
    "sector",
    "level",
    "source",
    "description",
    "found_on",
    "deadline",
    "deadline_basis",
    "status",
    "funds_spent",
    "campaign",
    "closed_on",
    "created_by",
    "created_at",
    "updated_at",
    "version",
];

const EVENT_COLS: [&str; 8] = [
    "hazard_id",
    "county_code",
    "at",
    "actor",
    "action",
    "from_status",
    "to_status",
    "note",
];

/// Rows per write: a multi-row INSERT on SQLite, a COPY on PostgreSQL (which takes any
/// number of rows; more to a COPY share its round trips).
fn per_write(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Sqlite => 64,
        Dialect::Postgres => 1024,
    }
}

fn insert_sql(table: &str, cols: &[&str], rows: usize) -> String {
    format!(
        "INSERT INTO {table} ({}) VALUES {}",
        cols.join(", "),
        crate::db::row_placeholders(cols.len(), rows)
    )
}

fn flush(tx: &mut dyn Tx, table: &str, cols: &[&str], rows: &mut Vec<Value>) -> Result<()> {
    if !rows.is_empty() {
        tx.insert_rows(table, &cols.join(", "), rows)?;
        rows.clear();
    }
    Ok(())
}

/// The secondary indexes of the tables (name, definition).
fn indexes(tx: &mut dyn Tx, dialect: Dialect, tables: &[&str]) -> Result<Vec<(String, String)>> {
    let list = tables
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = match dialect {
        Dialect::Sqlite => format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({list}) ORDER BY name"
        ),
        Dialect::Postgres => format!(
            "SELECT indexname::text, indexdef::text FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({list}) AND indexname NOT LIKE '%_pkey' ORDER BY indexname"
        ),
    };
    tx.query(&sql, &[])?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .collect()
}
