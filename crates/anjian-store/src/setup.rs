//! Starting a county on an empty store (`anjian init`, the first-run page): the regions, the
//! instance's settings and, from the browser, the first administrator, written in one
//! transaction that first checks, inside it, that nothing has been set up. Two starts racing
//! each other (two browsers, or the page and the CLI) queue on the writer, and the second
//! finds the first's county and is refused.

use crate::db::Tx;
use crate::regions::{RegionInput, UpsertCounts};
use crate::settings::{INSTANCE_NAME, ROOT_REGION};
use crate::users::UserInput;
use crate::{Change, Result, Store, StoreError, params};

/// What a county's start writes.
#[derive(Debug, Clone, Copy)]
pub struct CountyStart<'a> {
    /// The county (the root: no parent), its townships and villages.
    pub regions: &'a [RegionInput],
    /// The county's name, as the instance's name.
    pub name: &'a str,
    /// The first administrator and the hash of the password they chose (the first-run page;
    /// the CLI adds users with `anjian user add` afterwards).
    pub admin: Option<(&'a UserInput, &'a str)>,
}

/// What a start wrote.
#[derive(Debug, Clone, Default)]
pub struct Started {
    pub regions: UpsertCounts,
    pub admin_id: Option<i64>,
}

/// Whether nothing has been set up: no region, no root region, no user.
fn blank(tx: &mut dyn Tx) -> Result<bool> {
    Ok(tx
        .query_opt("SELECT 1 FROM regions LIMIT 1", &[])?
        .is_none()
        && tx.query_opt("SELECT 1 FROM users LIMIT 1", &[])?.is_none()
        && tx
            .query_opt(
                "SELECT 1 FROM settings WHERE key = ?",
                &params![ROOT_REGION],
            )?
            .is_none())
}

impl Store {
    /// Whether the store is blank: no county set up and no user (the first-run page shows).
    pub fn is_blank(&self) -> Result<bool> {
        self.db().read(blank)
    }

    /// Starts a county on a blank store: its regions, the root region and the instance's name
    /// (each audited), and the first administrator if given. Refused with
    /// [`StoreError::Conflict`] when the store is not blank, checked inside the transaction.
    pub fn start_county(&self, change: &Change<'_>, start: &CountyStart<'_>) -> Result<Started> {
        change.require_writable()?;
        let root = start
            .regions
            .iter()
            .find(|r| r.parent_code.is_none())
            .ok_or_else(|| {
                StoreError::Invalid("the county (a region without parent) is missing".into())
            })?;
        let admitted = start
            .regions
            .iter()
            .all(|r| change.scope.admits_region(r.code.as_str()))
            && start
                .admin
                .is_none_or(|(u, _)| change.scope.admits_region(&u.region_code));
        if !admitted {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            if !blank(tx)? {
                return Err(StoreError::Conflict("already set up".into()));
            }
            let regions = crate::regions::upsert_in(tx, change, start.regions)?;
            crate::settings::set_in(tx, change, ROOT_REGION, root.code.as_str())?;
            crate::settings::set_in(tx, change, INSTANCE_NAME, start.name)?;
            let admin_id = match start.admin {
                Some((u, hash)) => Some(crate::users::insert_in(tx, change, u, hash, false)?),
                None => None,
            };
            Ok(Started { regions, admin_id })
        })
    }
}
