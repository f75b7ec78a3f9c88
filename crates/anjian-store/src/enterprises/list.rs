//! Lists and counts of enterprises: the filter and its SQL.

use super::*;

/// List filters; every field optional. `after` is the keyset cursor (ids below it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnterpriseFilter {
    pub region_prefix: Option<String>,
    pub sector: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub is_key: Option<bool>,
    pub above_scale: Option<bool>,
    pub department_id: Option<i64>,
    pub after: Option<i64>,
    pub limit: i64,
}

fn filter_sql(scope: &Scope, f: &EnterpriseFilter, p: &mut Vec<Value>) -> String {
    let mut wh = vec![scope_sql::enterprise(scope, "e", p)];
    if let Some(prefix) = f.region_prefix.as_deref().filter(|s| !s.is_empty()) {
        wh.push(scope_sql::region_subtree("e.region_code", prefix, p));
    }
    if let Some(s) = f.sector.as_deref().filter(|s| !s.is_empty()) {
        wh.push("EXISTS (SELECT 1 FROM enterprise_sectors fs WHERE fs.enterprise_id = e.id AND fs.sector_code = ?)".into());
        p.push(s.into());
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped = crate::scope_sql::like_escaped(q);
        wh.push("(LOWER(e.name) LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\' OR LOWER(e.address) LIKE ? ESCAPE '\\')".into());
        // Case-insensitive for ASCII on both backends (SQLite's LIKE already is; PostgreSQL's is not).
        let lower = escaped.to_lowercase();
        p.push(format!("%{lower}%").into());
        p.push(format!("{}%", escaped.to_uppercase()).into());
        p.push(format!("%{lower}%").into());
    }
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
        wh.push("e.status = ?".into());
        p.push(s.into());
    }
    if let Some(b) = f.is_key {
        wh.push("e.is_key = ?".into());
        p.push(b.into());
    }
    if let Some(b) = f.above_scale {
        wh.push("e.above_scale = ?".into());
        p.push(b.into());
    }
    if let Some(d) = f.department_id {
        wh.push("EXISTS (SELECT 1 FROM enterprise_departments fd WHERE fd.enterprise_id = e.id AND fd.department_id = ?)".into());
        p.push(d.into());
    }
    wh.join(" AND ")
}

impl Store {
    /// One page of enterprises in scope matching the filter, newest first.
    pub fn list_enterprises(
        &self,
        scope: &Scope,
        f: &EnterpriseFilter,
    ) -> Result<Page<Enterprise>> {
        let mut p = Vec::new();
        let mut cond = filter_sql(scope, f, &mut p);
        if let Some(after) = f.after {
            cond.push_str(" AND e.id < ?");
            p.push(after.into());
        }
        let limit = f.limit.clamp(1, 10_000);
        let sql = format!(
            "SELECT {COLS} FROM {FROM} WHERE {cond} ORDER BY e.id DESC {}",
            crate::db::limit(limit + 1)
        );
        self.db().read(|tx| {
            let mut items = tx
                .query(&sql, &p)?
                .iter()
                .map(row)
                .collect::<Result<Vec<_>>>()?;
            let more = items.len() as i64 > limit;
            items.truncate(limit as usize);
            load_children(tx, &mut items, false)?;
            let next = if more {
                items.last().map(|e| e.id.to_string())
            } else {
                None
            };
            Ok(Page { items, next })
        })
    }

    /// [`Store::count_enterprises`] under each filter, in one statement (a column per
    /// filter, each the same count): the home page's totals and its count per sector.
    pub fn count_enterprises_each(
        &self,
        scope: &Scope,
        filters: &[EnterpriseFilter],
    ) -> Result<Vec<i64>> {
        if filters.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = Vec::new();
        let columns: Vec<String> = filters
            .iter()
            .map(|f| {
                let cond = filter_sql(scope, f, &mut p);
                format!("(SELECT COUNT(*) FROM enterprises e WHERE {cond})")
            })
            .collect();
        let sql = format!("SELECT {}", columns.join(", "));
        self.db().read(|tx| {
            let row = tx.query_one(&sql, &p)?;
            (0..filters.len()).map(|i| row.i64(i)).collect()
        })
    }

    /// How many enterprises in scope match the filter (the cursor is ignored).
    pub fn count_enterprises(&self, scope: &Scope, f: &EnterpriseFilter) -> Result<i64> {
        let mut p = Vec::new();
        let cond = filter_sql(scope, f, &mut p);
        self.db().read(|tx| {
            tx.scalar_i64(
                &format!("SELECT COUNT(*) FROM enterprises e WHERE {cond}"),
                &p,
            )
        })
    }
}
