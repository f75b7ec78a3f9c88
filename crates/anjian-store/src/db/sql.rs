//! Portable SQL text: placeholders, their numbering for PostgreSQL, and literal limits.

/// `LIMIT n` written into the statement. A bound `LIMIT ?` makes SQLite's planner depend on
/// the bound value, so the statement is recompiled on every execution (checked with
/// `StatementStatus::RePrepare`: once per run, whatever the value); the page sizes are
/// clamped integers, so the literal is safe and a page size keeps one cached statement.
pub fn limit(n: i64) -> String {
    format!("LIMIT {n}")
}

/// Rewrites `?` placeholders to `$1, $2, ...`, leaving quoted text alone.
pub fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut in_str = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_str = !in_str;
                out.push(c);
            }
            '?' if !in_str => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// `(?, …), (?, …)`: the VALUES of a multi-row INSERT of `rows` rows of `cols` columns.
pub fn row_placeholders(cols: usize, rows: usize) -> String {
    vec![format!("({})", placeholders(cols)); rows].join(", ")
}

/// `?, ?, ?` for an `IN (...)` list of `n` items.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}
