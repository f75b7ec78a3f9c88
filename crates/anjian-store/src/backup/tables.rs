//! What a backup needs to know of the tables, on either backend: columns, primary keys, the
//! order foreign keys impose, and the id sequences.

use crate::db::{Dialect, Tx};
use crate::{Result, StoreError, params};
use std::collections::{BTreeMap, BTreeSet};

/// The table's columns in their declared order (the order `SELECT *` returns).
pub(super) fn columns(tx: &mut dyn Tx, table: &str) -> Result<Vec<String>> {
    let sql = match tx.dialect() {
        Dialect::Sqlite => "SELECT name FROM pragma_table_info(?) ORDER BY cid",
        Dialect::Postgres => {
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
        }
    };
    tx.query(sql, &params![table])?
        .iter()
        .map(|r| r.text(0))
        .collect()
}

/// The primary key's columns, in key order.
pub(super) fn primary_key(tx: &mut dyn Tx, table: &str) -> Result<Vec<String>> {
    let sql = match tx.dialect() {
        Dialect::Sqlite => "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
        Dialect::Postgres => {
            "SELECT a.attname::text FROM pg_index i \
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
              WHERE i.indrelid = CAST(? AS TEXT)::regclass AND i.indisprimary \
              ORDER BY array_position(i.indkey::int2[], a.attnum)"
        }
    };
    tx.query(sql, &params![table])?
        .iter()
        .map(|r| r.text(0))
        .collect()
}

/// The tables in an order where every table comes after the tables its foreign keys refer
/// to (name order among equals), so rows can be inserted with the keys checked as they go.
/// A table's references to itself (a region's parent) are met by writing its rows in
/// primary-key order.
pub(super) fn dependency_order(tx: &mut dyn Tx, tables: &[String]) -> Result<Vec<String>> {
    let mut refers: BTreeMap<String, BTreeSet<String>> = tables
        .iter()
        .map(|t| (t.clone(), BTreeSet::new()))
        .collect();
    match tx.dialect() {
        Dialect::Sqlite => {
            for t in tables {
                for r in tx.query(
                    "SELECT \"table\" FROM pragma_foreign_key_list(?)",
                    &params![t.as_str()],
                )? {
                    let to = r.text(0)?;
                    if let Some(set) = refers.get_mut(t) {
                        set.insert(to);
                    }
                }
            }
        }
        Dialect::Postgres => {
            for r in tx.query(
                "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint \
                  WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
                &[],
            )? {
                let (from, to) = (r.text(0)?, r.text(1)?);
                if let Some(set) = refers.get_mut(&from) {
                    set.insert(to);
                }
            }
        }
    }
    for (t, set) in refers.iter_mut() {
        set.remove(t);
        set.retain(|to| tables.contains(to));
    }
    let mut order = Vec::with_capacity(tables.len());
    let mut placed = BTreeSet::new();
    while order.len() < tables.len() {
        let ready: Vec<String> = refers
            .iter()
            .filter(|(t, to)| !placed.contains(*t) && to.iter().all(|x| placed.contains(x)))
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            let left: Vec<&String> = tables.iter().filter(|t| !placed.contains(*t)).collect();
            return Err(StoreError::Backend(format!(
                "foreign keys form a cycle among {left:?}"
            )));
        }
        for t in ready {
            placed.insert(t.clone());
            order.push(t);
        }
    }
    Ok(order)
}

/// The id sequences: for each table with one, its table, id column and the sequence's name
/// (PostgreSQL) or `None` (SQLite, where `sqlite_sequence` holds them by table).
fn sequence_columns(tx: &mut dyn Tx) -> Result<Vec<(String, String, Option<String>)>> {
    match tx.dialect() {
        Dialect::Sqlite => tx
            .query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'",
                &[],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, "id".to_string(), None)))
            .collect(),
        Dialect::Postgres => tx
            .query(
                "SELECT t, c, s FROM (SELECT c.relname::text AS t, a.attname::text AS c, \
                        pg_get_serial_sequence(quote_ident(c.relname), a.attname)::text AS s \
                   FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid \
                  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
                    AND a.attnum > 0 AND NOT a.attisdropped) x WHERE s IS NOT NULL ORDER BY t",
                &[],
            )?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?, Some(r.text(2)?))))
            .collect(),
    }
}

/// The last id each sequence issued, by table (tables whose sequence never issued one are
/// left out).
pub(super) fn sequences(tx: &mut dyn Tx) -> Result<BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    match tx.dialect() {
        Dialect::Sqlite => {
            for r in tx.query("SELECT name, seq FROM sqlite_sequence", &[])? {
                out.insert(r.text(0)?, r.i64(1)?);
            }
        }
        Dialect::Postgres => {
            for (table, _, seq) in sequence_columns(tx)? {
                let last = tx.query_one(
                    "SELECT COALESCE(last_value, 0) FROM pg_sequences WHERE format('%I.%I', schemaname, sequencename) = ?",
                    &params![seq],
                )?;
                let last = last.i64(0)?;
                if last > 0 {
                    out.insert(table, last);
                }
            }
        }
    }
    Ok(out)
}

/// After explicit ids were written: every sequence moves past both the highest id present and
/// the source's last issued id, so the next record gets a fresh id.
pub(super) fn advance_sequences(
    tx: &mut dyn Tx,
    from_backup: &BTreeMap<String, i64>,
) -> Result<()> {
    for (table, column, seq) in sequence_columns(tx)? {
        let max = tx.scalar_i64(
            &format!("SELECT COALESCE(MAX(\"{column}\"), 0) FROM \"{table}\""),
            &[],
        )?;
        let last = max.max(from_backup.get(&table).copied().unwrap_or(0));
        match seq {
            Some(seq) => {
                // setval(…, 1, false): the next id is 1 (a sequence cannot be set to 0).
                let (value, called) = if last > 0 { (last, true) } else { (1, false) };
                tx.query(
                    "SELECT setval(CAST(? AS TEXT)::regclass, ?, ?)",
                    &params![seq, value, called],
                )?;
            }
            None => {
                let current = tx
                    .query_opt(
                        "SELECT seq FROM sqlite_sequence WHERE name = ?",
                        &params![table.as_str()],
                    )?
                    .map(|r| r.i64(0))
                    .transpose()?;
                match current {
                    Some(c) if c >= last => {}
                    Some(_) => {
                        tx.execute(
                            "UPDATE sqlite_sequence SET seq = ? WHERE name = ?",
                            &params![last, table.as_str()],
                        )?;
                    }
                    None if last > 0 => {
                        tx.execute(
                            "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                            &params![table.as_str(), last],
                        )?;
                    }
                    None => {}
                }
            }
        }
    }
    Ok(())
}
