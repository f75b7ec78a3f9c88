//! Keyset pages: every list is read a page at a time, newest first, and a caller that wants
//! everything (a ledger, a scan for deadlines) walks the pages to the end: nothing is cut.

use crate::Result;
use crate::db::{Row, Tx, Value};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Cursor for the next page (`after=`), absent on the last page.
    pub next: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next: None,
        }
    }
}

/// Which page: the rows with an id below `after` (none: the newest), at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyset {
    pub after: Option<i64>,
    pub limit: i64,
}

impl Keyset {
    /// The largest page a caller may ask for.
    pub const MAX: i64 = 1000;

    pub fn first(limit: i64) -> Self {
        Self { after: None, limit }
    }

    pub fn after(after: Option<i64>, limit: i64) -> Self {
        Self { after, limit }
    }

    fn limit(&self) -> i64 {
        self.limit.clamp(1, Self::MAX)
    }
}

/// One page of `SELECT {cols} FROM {from} WHERE {cond}`, newest `id_col` first.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_page<T>(
    tx: &mut dyn Tx,
    cols: &str,
    from: &str,
    id_col: &str,
    cond: &str,
    mut p: Vec<Value>,
    k: &Keyset,
    row: impl Fn(&Row) -> Result<T>,
    id_of: impl Fn(&T) -> i64,
) -> Result<Page<T>> {
    let mut cond = cond.to_string();
    if let Some(after) = k.after {
        cond.push_str(&format!(" AND {id_col} < ?"));
        p.push(after.into());
    }
    let limit = k.limit();
    let sql = format!(
        "SELECT {cols} FROM {from} WHERE {cond} ORDER BY {id_col} DESC {}",
        crate::db::limit(limit + 1)
    );
    let mut items = tx
        .query(&sql, &p)?
        .iter()
        .map(row)
        .collect::<Result<Vec<T>>>()?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next = if more {
        items.last().map(|t| id_of(t).to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// Every row, page after page (for ledgers and scans that must see everything).
pub fn all_pages<T, E>(mut page: impl FnMut(&Keyset) -> Result<Page<T>, E>) -> Result<Vec<T>, E> {
    let mut out = Vec::new();
    let mut k = Keyset::first(Keyset::MAX);
    loop {
        let p = page(&k)?;
        out.extend(p.items);
        match p.next.and_then(|n| n.parse().ok()) {
            Some(after) => k.after = Some(after),
            None => return Ok(out),
        }
    }
}
