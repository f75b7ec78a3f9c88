//! The schema as the database reports it, in one form for both backends: tables, columns
//! (type family, nullability), CHECK constraints, indexes and foreign keys. The conformance
//! suite compares SQLite's description with PostgreSQL's, so the two migration trees cannot
//! drift apart unseen.

use crate::db::{Dialect, Tx};
use crate::{Result, Store};
use std::collections::{BTreeMap, BTreeSet};

/// One table, normalised so the same table on either backend reads the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableSchema {
    /// Column name → "type family, null|not null" (int, text, real, bool, bytes).
    pub columns: BTreeMap<String, String>,
    /// Each CHECK constraint, normalised (an IN list as a sorted set).
    pub checks: BTreeSet<String>,
    /// Index name → "unique? (columns) where?": explicit indexes only (not the primary key's
    /// or a UNIQUE constraint's own).
    pub indexes: BTreeMap<String, String>,
    /// "column → table.column" for each foreign key.
    pub foreign_keys: BTreeSet<String>,
}

fn family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") || t == "bigserial" || t == "serial" {
        "int"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") || t == "numeric" {
        "real"
    } else {
        "other"
    }
}

/// A CHECK's text in one form: PostgreSQL's `col = ANY (ARRAY['a'::text, ...])` as
/// `col in {a,b}`, casts, parentheses and white space dropped, lower case.
pub(crate) fn normalise_check(expr: &str) -> String {
    let mut s = expr.trim().to_string();
    if let Some(rest) = s.strip_prefix("CHECK") {
        s = rest.trim().to_string();
    }
    for cast in [
        "::text[]",
        "::text",
        "::character varying",
        "::bigint",
        "::integer",
    ] {
        s = s.replace(cast, "");
    }
    // `x = ANY (ARRAY[...])` (PostgreSQL) and `x IN (...)` (SQLite) → `x in {sorted}`.
    let lower = s.to_ascii_lowercase();
    let list_at = lower
        .find(" = any (array[")
        .map(|i| (i, " = any (array[".len(), ']'))
        .or_else(|| lower.find(" in (").map(|i| (i, " in (".len(), ')')));
    if let Some((i, skip, close)) = list_at {
        let col: String = s[..i]
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let rest = &s[i + skip..];
        let inner = rest.split(close).next().unwrap_or_default();
        let mut items: Vec<String> = inner
            .split(',')
            .map(|x| x.trim().trim_matches('\'').to_string())
            .filter(|x| !x.is_empty())
            .collect();
        items.sort();
        return format!("{} in {{{}}}", col.to_ascii_lowercase(), items.join(","));
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Every `CHECK (...)` in a CREATE TABLE statement, with balanced parentheses.
fn checks_in(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK") {
        let start = from + at;
        let word_before = upper[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let after = upper[start + 5..].trim_start();
        if word_before || !after.starts_with('(') {
            from = start + 5;
            continue;
        }
        let Some(open) = sql[start..].find('(').map(|o| start + o) else {
            break;
        };
        let mut depth = 0;
        let mut end = open;
        for (k, c) in sql[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(sql[open + 1..end].to_string());
        from = end.max(start + 5);
    }
    out
}

fn sqlite_schema(tx: &mut dyn Tx) -> Result<BTreeMap<String, TableSchema>> {
    let mut out = BTreeMap::new();
    let tables = tx.query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        &[],
    )?;
    for t in tables {
        let name = t.text(0)?;
        let mut s = TableSchema::default();
        for c in tx.query(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)",
            &crate::params![name.clone()],
        )? {
            let not_null = c.bool(2)? || c.i64(3)? > 0;
            s.columns.insert(
                c.text(0)?,
                format!(
                    "{}, {}",
                    family(&c.text(1)?),
                    if not_null { "not null" } else { "null" }
                ),
            );
        }
        for check in checks_in(&t.opt_text(1)?.unwrap_or_default()) {
            s.checks.insert(normalise_check(&check));
        }
        for i in tx.query(
            "SELECT name, \"unique\", partial FROM pragma_index_list(?) WHERE origin = 'c'",
            &crate::params![name.clone()],
        )? {
            let iname = i.text(0)?;
            let cols: Vec<String> = tx
                .query(
                    "SELECT name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
                    &crate::params![iname.clone()],
                )?
                .iter()
                .map(|c| {
                    Ok(format!(
                        "{}{}",
                        c.opt_text(0)?.unwrap_or_else(|| "expr".into()),
                        if c.bool(1)? { " desc" } else { "" }
                    ))
                })
                .collect::<Result<_>>()?;
            s.indexes.insert(
                iname,
                format!(
                    "{}({}){}",
                    if i.bool(1)? { "unique " } else { "" },
                    cols.join(", "),
                    if i.bool(2)? { " where" } else { "" }
                ),
            );
        }
        for f in tx.query(
            "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)",
            &crate::params![name.clone()],
        )? {
            s.foreign_keys.insert(format!(
                "{} → {}.{}",
                f.text(0)?,
                f.text(1)?,
                f.opt_text(2)?.unwrap_or_else(|| "id".into())
            ));
        }
        out.insert(name, s);
    }
    Ok(out)
}

fn postgres_schema(tx: &mut dyn Tx) -> Result<BTreeMap<String, TableSchema>> {
    let mut out: BTreeMap<String, TableSchema> = BTreeMap::new();
    for t in tx.query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        &[],
    )? {
        out.insert(t.text(0)?, TableSchema::default());
    }
    for c in tx.query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns WHERE table_schema = current_schema()",
        &[],
    )? {
        if let Some(s) = out.get_mut(&c.text(0)?) {
            s.columns.insert(
                c.text(1)?,
                format!(
                    "{}, {}",
                    family(&c.text(2)?),
                    if c.text(3)? == "NO" {
                        "not null"
                    } else {
                        "null"
                    }
                ),
            );
        }
    }
    for k in tx.query(
        "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c' AND connamespace = current_schema()::regnamespace",
        &[],
    )? {
        if let Some(s) = out.get_mut(&k.text(0)?) {
            let def = k.text(1)?;
            s.checks.insert(normalise_check(
                def.trim()
                    .strip_prefix("CHECK ")
                    .map(|d| d.trim().trim_start_matches('(').trim_end_matches(')'))
                    .unwrap_or(&def),
            ));
        }
    }
    for i in tx.query(
        "SELECT t.relname::text, c.relname::text, x.indisunique, x.indpred IS NOT NULL, \
                (SELECT string_agg(CASE WHEN x.indkey[k - 1] = 0 THEN 'expr' ELSE pg_get_indexdef(x.indexrelid, k, true) END || \
                        CASE WHEN (x.indoption[k - 1] & 1) = 1 THEN ' desc' ELSE '' END, ', ' ORDER BY k) \
                   FROM generate_series(1, x.indnkeyatts) AS k) \
           FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
          WHERE t.relnamespace = current_schema()::regnamespace \
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
        &[],
    )? {
        if let Some(s) = out.get_mut(&i.text(0)?) {
            s.indexes.insert(
                i.text(1)?,
                format!(
                    "{}({}){}",
                    if i.bool(2)? { "unique " } else { "" },
                    i.text(4)?,
                    if i.bool(3)? { " where" } else { "" }
                ),
            );
        }
    }
    for f in tx.query(
        "SELECT cl.relname::text, a.attname::text, rt.relname::text, ra.attname::text \
           FROM pg_constraint k \
           JOIN pg_class cl ON cl.oid = k.conrelid \
           JOIN pg_class rt ON rt.oid = k.confrelid \
           JOIN LATERAL unnest(k.conkey, k.confkey) AS u(col, refcol) ON true \
           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.col \
           JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = u.refcol \
          WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace",
        &[],
    )? {
        if let Some(s) = out.get_mut(&f.text(0)?) {
            s.foreign_keys
                .insert(format!("{} → {}.{}", f.text(1)?, f.text(2)?, f.text(3)?));
        }
    }
    Ok(out)
}

impl Store {
    /// The schema as this database reports it, normalised (see [`TableSchema`]).
    pub fn schema_description(&self) -> Result<BTreeMap<String, TableSchema>> {
        let dialect = self.dialect();
        self.db.read(|tx| match dialect {
            Dialect::Sqlite => sqlite_schema(tx),
            Dialect::Postgres => postgres_schema(tx),
        })
    }
}

/// The differences between two descriptions, one line each ("" when equal).
pub fn schema_differences(
    a_name: &str,
    a: &BTreeMap<String, TableSchema>,
    b_name: &str,
    b: &BTreeMap<String, TableSchema>,
) -> Vec<String> {
    let mut out = Vec::new();
    let tables: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for t in tables {
        match (a.get(t), b.get(t)) {
            (Some(_), None) => out.push(format!("table {t}: only on {a_name}")),
            (None, Some(_)) => out.push(format!("table {t}: only on {b_name}")),
            (Some(x), Some(y)) => {
                let maps = [
                    ("column", &x.columns, &y.columns),
                    ("index", &x.indexes, &y.indexes),
                ];
                for (what, mx, my) in maps {
                    let keys: BTreeSet<&String> = mx.keys().chain(my.keys()).collect();
                    for k in keys {
                        match (mx.get(k), my.get(k)) {
                            (Some(v), Some(w)) if v == w => {}
                            (v, w) => out.push(format!(
                                "{t}: {what} {k}: {a_name} {}, {b_name} {}",
                                v.map(String::as_str).unwrap_or("absent"),
                                w.map(String::as_str).unwrap_or("absent")
                            )),
                        }
                    }
                }
                let sets = [
                    ("check", &x.checks, &y.checks),
                    ("foreign key", &x.foreign_keys, &y.foreign_keys),
                ];
                for (what, sx, sy) in sets {
                    for v in sx.difference(sy) {
                        out.push(format!("{t}: {what} {v}: only on {a_name}"));
                    }
                    for v in sy.difference(sx) {
                        out.push(format!("{t}: {what} {v}: only on {b_name}"));
                    }
                }
            }
            (None, None) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_read_the_same_from_both_dialects() {
        assert_eq!(
            normalise_check("status IN ('b', 'a')"),
            normalise_check("(status = ANY (ARRAY['a'::text, 'b'::text]))")
        );
        assert_eq!(
            normalise_check("progress >= 0 AND progress <= 100"),
            normalise_check("((progress >= 0) AND (progress <= 100))")
        );
        assert_ne!(
            normalise_check("status IN ('a', 'b')"),
            normalise_check("status IN ('a', 'c')")
        );
        assert_eq!(
            checks_in("CREATE TABLE t (a TEXT CHECK (a IN ('x')), b INT, CHECK ((b) > 0))"),
            vec!["a IN ('x')".to_string(), "(b) > 0".to_string()]
        );
    }
}
