//! Regions: the statistical-division tree served by this instance.

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::{RegionCode, Scope};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub kind: String,
}

/// A region to insert or update.
#[derive(Debug, Clone)]
pub struct RegionInput {
    pub code: RegionCode,
    pub name: String,
    pub parent_code: Option<RegionCode>,
}

crate::table_row! {
    table "regions";
    fn row -> Region {
        code: text,
        name: text,
        level: text,
        parent_code: opt_text,
        kind: text,
    }
}

/// Outcome of a bulk upsert.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UpsertCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Store {
    /// Regions visible in the scope, in code order (parents before children).
    pub fn list_regions(
        &self,
        scope: &Scope,
        under: Option<&str>,
        max_level: Option<&str>,
    ) -> Result<Vec<Region>> {
        let mut p = Vec::new();
        let mut wh = vec![scope_sql::regions(scope, "code", &mut p)];
        if let Some(u) = under {
            let prefix = RegionCode::parse(u)
                .map(|c| c.subtree_prefix().to_string())
                .map_err(StoreError::Invalid)?;
            wh.push(scope_sql::region_subtree("code", &prefix, &mut p));
        }
        if let Some(l) = max_level {
            let levels = ["province", "city", "county", "township", "village", "grid"];
            let upto: Vec<&str> = levels
                .iter()
                .take_while(|x| **x != l)
                .copied()
                .chain(std::iter::once(l))
                .collect();
            wh.push(scope_sql::in_list("level", &upto, &mut p));
        }
        let sql = format!(
            "SELECT {COLS} FROM regions WHERE {} ORDER BY code",
            wh.join(" AND ")
        );
        self.region_lists
            .read(self.db(), &sql, &p, |rows| rows.iter().map(row).collect())
    }

    /// The region with this code, if visible. Ancestors of the caller's root are visible too
    /// (a township user may read its county's name).
    pub fn get_region(&self, scope: &Scope, code: &str) -> Result<Region> {
        let parsed = RegionCode::parse(code).map_err(|_| StoreError::NotFound)?;
        let visible = scope.admits_region(code)
            || scope
                .region_prefixes
                .iter()
                .any(|p| p.starts_with(parsed.subtree_prefix()));
        if !visible {
            return Err(StoreError::NotFound);
        }
        self.db().read(|tx| {
            row(&tx.query_one(
                &format!("SELECT {COLS} FROM regions WHERE code = ?"),
                &params![code],
            )?)
        })
    }

    /// Every region code (region existence checks over a whole import).
    pub fn all_region_codes(&self) -> Result<Vec<String>> {
        self.db().read(|tx| {
            tx.query("SELECT code FROM regions", &[])?
                .iter()
                .map(|r| r.text(0))
                .collect()
        })
    }

    /// Whether the store holds any region (a county has been set up).
    pub fn has_regions(&self) -> Result<bool> {
        self.db().read(|tx| {
            Ok(tx
                .query_opt("SELECT 1 FROM regions LIMIT 1", &[])?
                .is_some())
        })
    }

    pub fn region_exists(&self, code: &str) -> Result<bool> {
        self.db().read(|tx| {
            Ok(tx
                .query_opt("SELECT 1 FROM regions WHERE code = ?", &params![code])?
                .is_some())
        })
    }

    /// Inserts or renames regions in one transaction, parents first. Each new or changed
    /// region is audited. Parents must exist in the store or earlier in `items`.
    pub fn upsert_regions(
        &self,
        change: &Change<'_>,
        items: &[RegionInput],
    ) -> Result<UpsertCounts> {
        change.require_writable()?;
        for it in items {
            if !change.scope.admits_region(it.code.as_str()) {
                return Err(StoreError::Forbidden);
            }
        }
        self.write(|tx| upsert_in(tx, change, items))
    }
}

/// Inserts or renames regions inside a write transaction, parents first (see
/// [`Store::upsert_regions`]).
pub(crate) fn upsert_in(
    tx: &mut dyn crate::db::Tx,
    change: &Change<'_>,
    items: &[RegionInput],
) -> Result<UpsertCounts> {
    let mut sorted: Vec<&RegionInput> = items.iter().collect();
    sorted
        .sort_by(|a, b| (a.code.level(), a.code.as_str()).cmp(&(b.code.level(), b.code.as_str())));
    let now = change.ts();
    let mut c = UpsertCounts::default();
    for it in sorted {
        let code = it.code.as_str();
        let parent = it.parent_code.as_ref().map(|p| p.as_str().to_string());
        let existing = tx.query_opt(
            &format!("SELECT {COLS} FROM regions WHERE code = ?"),
            &params![code],
        )?;
        match existing.map(|r| row(&r)).transpose()? {
            Some(old) if old.name == it.name && old.parent_code == parent => c.unchanged += 1,
            Some(old) => {
                tx.execute(
                    "UPDATE regions SET name = ?, parent_code = ?, updated_at = ? WHERE code = ?",
                    &params![it.name.as_str(), parent.clone(), now.as_str(), code],
                )?;
                let new = Region {
                    name: it.name.clone(),
                    parent_code: parent,
                    ..old.clone()
                };
                crate::audit::append_json(
                    tx,
                    change,
                    "region.update",
                    "region",
                    code,
                    code,
                    Some(&old),
                    Some(&new),
                )?;
                c.updated += 1;
            }
            None => {
                let level = it.code.level().as_str();
                let kind = it.code.kind_label();
                tx.execute(
                        "INSERT INTO regions (code, name, level, parent_code, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        &params![code, it.name.as_str(), level, parent.clone(), kind, now.as_str(), now.as_str()],
                    )?;
                let new = Region {
                    code: code.into(),
                    name: it.name.clone(),
                    level: level.into(),
                    parent_code: parent,
                    kind: kind.into(),
                };
                crate::audit::append_json(
                    tx,
                    change,
                    "region.create",
                    "region",
                    code,
                    code,
                    None::<&Region>,
                    Some(&new),
                )?;
                c.inserted += 1;
            }
        }
    }
    Ok(c)
}
