//! Campaign ledgers (专项行动台账): the definitions a county loaded, the rows of each ledger,
//! what each row contributes to the indicators, and the units' periodic reports.
//!
//! Visibility: a definition is a county record (`scope_sql::county_wide`, and an enterprise
//! user reads its county's definitions too, to fill what it may). A row lies in its place
//! (`region_code`), its campaign's sector and its enterprise: `scope_sql::record`, like a
//! hazard. Every write is audited in its transaction. The tallies of a row are written with
//! the row, under the campaign's latest definition; loading a new version re-tallies every
//! row of the campaign in the same transaction.

mod import;
mod objects;
mod reports;

pub use import::CampaignImport;
pub(crate) use objects::get_in as get_object_in;
pub use objects::{CampaignObject, CampaignObjectFilter, CampaignObjectInput};
pub use reports::{CampaignReport, CampaignReportInput};

pub(crate) use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::{Change, Result, Store, StoreError, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::campaign::Definition;
use serde::Serialize;

/// One loaded version of a campaign definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = CampaignDefinitionRecord)]
pub struct CampaignDefinitionRow {
    pub id: i64,
    pub county_code: String,
    pub code: String,
    pub version: i64,
    pub name: String,
    /// The file as loaded.
    pub source: String,
    pub loaded_by: String,
    pub loaded_at: String,
}

crate::table_row! {
    table "campaign_definitions", key id, cols DEF_COLS;
    fn def_row -> CampaignDefinitionRow {
        id: i64,
        county_code: text,
        code: text,
        version: i64,
        name: text,
        source: text,
        loaded_by: text,
        loaded_at: text,
    }
}

/// Definitions are read by every scope of their county (enterprises fill some ledgers).
fn def_visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    let mut s = scope.clone();
    s.enterprise_ids = None;
    scope_sql::county_wide(&s, "county_code", p)
}

/// Parses a stored definition (see [`CampaignDefinitionRow::definition`]).
pub(crate) fn parsed(row: &CampaignDefinitionRow) -> Result<Definition> {
    row.definition()
}

impl CampaignDefinitionRow {
    /// The stored file, read again (it was checked when loaded; a failure is corruption).
    pub fn definition(&self) -> Result<Definition> {
        Definition::parse(&self.source).map_err(|e| StoreError::Corrupt {
            table: "campaign_definitions",
            row: self.id,
            column: "source",
            value: e.first().map(|x| x.to_string()).unwrap_or_default(),
        })
    }
}

/// The latest version of a county's campaign, inside a transaction.
pub(crate) fn latest_in(
    tx: &mut dyn Tx,
    county: &str,
    code: &str,
) -> Result<Option<CampaignDefinitionRow>> {
    tx.query_opt(
        &format!(
            "SELECT {DEF_COLS} FROM campaign_definitions WHERE county_code = ? AND code = ? ORDER BY version DESC {}",
            crate::db::limit(1)
        ),
        &params![county, code],
    )?
    .map(|r| def_row(&r))
    .transpose()
}

impl Store {
    /// Loads a checked definition as the next version of its campaign in `county` (the
    /// caller has checked it against the previous version). Refused (409) when that version
    /// or a later one is already loaded. Every row of the campaign is re-tallied under it.
    pub fn load_campaign_definition(
        &self,
        change: &Change<'_>,
        county: &str,
        def: &Definition,
        source: &str,
    ) -> Result<CampaignDefinitionRow> {
        change.require_writable()?;
        if change.scope.enterprise_ids.is_some() || !change.scope.admits_region(county) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            if let Some(prev) = latest_in(tx, county, &def.code)?
                && prev.version >= i64::from(def.version)
            {
                return Err(StoreError::Conflict("version".into()));
            }
            let id = tx.scalar_i64(
                "INSERT INTO campaign_definitions (county_code, code, version, name, source, loaded_by, loaded_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county, def.code.as_str(), i64::from(def.version), def.name.as_str(), source, change.actor.as_str(), now.as_str()],
            )?;
            let saved = def_row(&tx.query_one(
                &format!("SELECT {DEF_COLS} FROM campaign_definitions WHERE id = ?"),
                &params![id],
            )?)?;
            objects::retally_campaign(tx, county, def)?;
            audit(tx, change, "campaign_definition.load", id, county, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// The latest version of each campaign the scope's counties loaded, by code.
    pub fn campaign_definitions(&self, scope: &Scope) -> Result<Vec<CampaignDefinitionRow>> {
        let mut p = Vec::new();
        let cond = def_visible(scope, &mut p);
        self.kept_rows(
            &format!(
                "SELECT {DEF_COLS} FROM campaign_definitions d WHERE {cond} AND version = \
                 (SELECT MAX(x.version) FROM campaign_definitions x WHERE x.county_code = d.county_code AND x.code = d.code) \
                 ORDER BY code, county_code"
            ),
            &p,
        )?
        .iter()
        .map(def_row)
        .collect()
    }

    /// Every version of a campaign in the scope, oldest first.
    pub fn campaign_definition_versions(
        &self,
        scope: &Scope,
        code: &str,
    ) -> Result<Vec<CampaignDefinitionRow>> {
        let mut p = Vec::new();
        let cond = def_visible(scope, &mut p);
        p.push(code.into());
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {DEF_COLS} FROM campaign_definitions WHERE {cond} AND code = ? ORDER BY county_code, version"
                ),
                &p,
            )?
            .iter()
            .map(def_row)
            .collect()
        })
    }

    /// A loaded version by id, if visible in the scope.
    pub fn campaign_definition_by_id(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<CampaignDefinitionRow> {
        let mut p = Vec::new();
        let cond = def_visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            def_row(
                &tx.query_opt(
                    &format!("SELECT {DEF_COLS} FROM campaign_definitions WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?,
            )
        })
    }

    /// The latest version of every campaign of every county (for the metric catalogue).
    pub fn all_latest_campaign_definitions(&self) -> Result<Vec<CampaignDefinitionRow>> {
        self.campaign_definitions(&Scope::system())
    }
}
