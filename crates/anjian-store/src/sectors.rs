//! Sectors (行业领域): a configurable catalogue.

use crate::{Change, Result, Store, params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Sector {
    pub code: String,
    pub name: String,
    pub description: String,
    pub sort_order: i64,
    pub active: bool,
}

crate::table_row! {
    table "sectors";
    fn row -> Sector {
        code: text,
        name: text,
        description: text,
        sort_order: i64,
        active: bool,
    }
}

impl Store {
    /// The whole catalogue (sectors are not scoped: everyone may read the list).
    pub fn list_sectors(&self) -> Result<Vec<Sector>> {
        let sql = format!("SELECT {COLS} FROM sectors ORDER BY sort_order, code");
        self.sector_list
            .read(self.db(), &sql, &[], |rows| rows.iter().map(row).collect())
    }

    /// Creates or updates a sector, audited.
    pub fn save_sector(&self, change: &Change<'_>, s: &Sector) -> Result<()> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let old = tx
                .query_opt(&format!("SELECT {COLS} FROM sectors WHERE code = ?"), &params![s.code.as_str()])?
                .map(|r| row(&r))
                .transpose()?;
            match &old {
                Some(o) if o == s => return Ok(()),
                Some(_) => tx.execute(
                    "UPDATE sectors SET name = ?, description = ?, sort_order = ?, active = ?, updated_at = ? WHERE code = ?",
                    &params![s.name.as_str(), s.description.as_str(), s.sort_order, s.active, now.as_str(), s.code.as_str()],
                )?,
                None => tx.execute(
                    "INSERT INTO sectors (code, name, description, sort_order, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &params![s.code.as_str(), s.name.as_str(), s.description.as_str(), s.sort_order, s.active, now.as_str(), now.as_str()],
                )?,
            };
            let action = if old.is_some() { "sector.update" } else { "sector.create" };
            crate::audit::append_json(tx, change, action, "sector", &s.code, "", old.as_ref(), Some(s))
        })
    }
}
