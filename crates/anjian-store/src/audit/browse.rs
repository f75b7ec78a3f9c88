//! Browsing the trail in the caller's scope.

use super::*;

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
}
