//! Default catalogues seeded into every new store (editable afterwards).

use crate::{App, Result};
use anjian_domain::Scope;
use anjian_store::sectors::Sector;

/// The sectors of the source report (行业领域), in report order.
pub const DEFAULT_SECTORS: [(&str, &str); 20] = crate::demo::words::SECTORS;

/// Seeds what a new store needs: the sector catalogue and the shipped holiday calendar.
pub fn ensure_defaults(app: &App) -> Result<usize> {
    Ok(ensure_sectors(app)?
        + crate::calendar::ensure_shipped(app)?
        + crate::inspections::ensure_templates(app)?
        + crate::work::ensure_work_items(app)?
        + crate::capability::ensure_capability_items(app)?)
}

/// Inserts any default sector missing from the store; keeps edited ones.
pub fn ensure_sectors(app: &App) -> Result<usize> {
    let existing = app.store.list_sectors()?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "system");
    let mut added = 0;
    for (i, (code, name)) in DEFAULT_SECTORS.iter().enumerate() {
        if existing.iter().any(|s| s.code == *code) {
            continue;
        }
        let s = Sector {
            code: code.to_string(),
            name: name.to_string(),
            description: String::new(),
            sort_order: i as i64 + 1,
            active: true,
        };
        app.store.save_sector(&change, &s)?;
        added += 1;
    }
    Ok(added)
}
