//! Campaign ledgers (专项行动台账): loading a campaign's definition file, and the rows of its
//! ledgers (`rows`), their import and export (`ledger`).
//!
//! A campaign's definition (`anjian_domain::campaign`) is county configuration: the 安委办
//! loads it (`ConfigureCounty`), from the CLI (`anjian campaign load FILE`), the API or the
//! admin page; a file with errors is refused with each error's line. Rows are written by the
//! roles the object type names (`fill`; the 安委办 always) inside their writable scope, and
//! read by every scope that admits their place, sector and enterprise.

mod cadence;
mod history;
mod ledger;
mod resolve;
mod rows;

pub use cadence::{CampaignReportTodo, ReportStatus, UnitReport};
pub use history::RowChange;
pub use ledger::LedgerColumns;
pub use rows::{CampaignRowInput, CampaignRowView, FieldText, may_fill};

use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::campaign::Definition;
use anjian_domain::scope::Permission;
use anjian_store::campaigns::CampaignDefinitionRow;
use serde::Serialize;

/// The campaign definitions shipped with anjian (`data/campaigns/`, schema in
/// `docs/campaigns.md`), by file name: a county loads the ones it runs (`anjian campaign load`
/// or the admin page), and the demo county loads them all.
pub const SHIPPED: [(&str, &str); 6] = [
    (
        "zijianfang.toml",
        include_str!("../../data/campaigns/zijianfang.toml"),
    ),
    (
        "ranqi.toml",
        include_str!("../../data/campaigns/ranqi.toml"),
    ),
    (
        "yanhua.toml",
        include_str!("../../data/campaigns/yanhua.toml"),
    ),
    (
        "dafei.toml",
        include_str!("../../data/campaigns/dafei.toml"),
    ),
    (
        "chunji.toml",
        include_str!("../../data/campaigns/chunji.toml"),
    ),
    (
        "weikuangku.toml",
        include_str!("../../data/campaigns/weikuangku.toml"),
    ),
];

/// A loaded campaign: its latest definition and the stored version's record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignView {
    pub record: CampaignDefinitionRow,
    /// The checked definition (object types, fields, indicators).
    #[schema(value_type = Object)]
    pub definition: Definition,
}

/// The refusals of a definition file as validation errors of its `source`, each message
/// naming its line (第N行：…).
fn refused(errors: &[anjian_domain::campaign::DefinitionError]) -> AppError {
    let mut e = ValidationErrors::new();
    for x in errors {
        e.add("source", x.to_string());
    }
    AppError::Validation(e)
}

impl App {
    /// Every loaded campaign's latest definition, in every county (for the catalogue).
    pub(crate) fn loaded_campaigns(&self) -> Result<Vec<Definition>> {
        self.store
            .all_latest_campaign_definitions()?
            .iter()
            .map(|r| Ok(r.definition()?))
            .collect()
    }

    /// The county a caller configures (the instance's county, or the caller's own).
    fn campaign_county(&self, caller: &Caller) -> Result<String> {
        let root = self
            .root_region()?
            .and_then(|r| r.county())
            .map(|c| c.as_str().to_string());
        let own = anjian_domain::RegionCode::parse(&caller.user.region_code)
            .ok()
            .and_then(|r| r.county())
            .map(|c| c.as_str().to_string());
        own.or(root)
            .ok_or_else(|| AppError::BadRequest("尚未设置本县（区）的行政区划".into()))
    }

    /// Loads a campaign definition file (安委办): checked as a whole, then against the
    /// version loaded before it. Refused with every error's line.
    pub fn load_campaign(&self, caller: &Caller, source: &str) -> Result<CampaignView> {
        if !caller.can(Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以载入专项行动定义".into()));
        }
        let def = Definition::parse(source).map_err(|e| refused(&e))?;
        let county = self.campaign_county(caller)?;
        if let Some(sector) = &def.sector
            && !self.store.list_sectors()?.iter().any(|s| &s.code == sector)
        {
            return Err(refused(&[anjian_domain::campaign::DefinitionError {
                line: source
                    .lines()
                    .position(|l| l.trim_start().starts_with("sector"))
                    .map(|i| i + 1)
                    .unwrap_or(1),
                message: format!("行业领域“{sector}”不在本系统的行业领域目录中"),
            }]));
        }
        let versions = self
            .store
            .campaign_definition_versions(&caller.scope, &def.code)?;
        if let Some(prev) = versions.iter().rev().find(|v| v.county_code == county) {
            def.check_successor(&prev.definition()?)
                .map_err(|e| refused(&e))?;
        }
        let record = self
            .store
            .load_campaign_definition(&caller.change(&caller.scope, self), &county, &def, source)
            .map_err(|e| match e {
                anjian_store::StoreError::Conflict(_) => AppError::Conflict(format!(
                    "第{}版或更新的版本已经载入，请提高版本号",
                    def.version
                )),
                other => other.into(),
            })?;
        Ok(CampaignView {
            record,
            definition: def,
        })
    }

    /// The campaigns loaded in the caller's county, latest versions.
    pub fn campaigns_loaded(&self, caller: &Caller) -> Result<Vec<CampaignView>> {
        self.store
            .campaign_definitions(&caller.scope)?
            .into_iter()
            .map(|record| {
                let definition = record.definition()?;
                Ok(CampaignView { record, definition })
            })
            .collect()
    }

    /// One loaded campaign by code (its latest version, or `version`); NotFound otherwise.
    pub fn campaign(
        &self,
        caller: &Caller,
        code: &str,
        version: Option<i64>,
    ) -> Result<CampaignView> {
        let versions = self
            .store
            .campaign_definition_versions(&caller.scope, code)?;
        let record = match version {
            Some(v) => versions.into_iter().find(|r| r.version == v),
            None => versions.into_iter().last(),
        }
        .ok_or(AppError::NotFound)?;
        let definition = record.definition()?;
        Ok(CampaignView { record, definition })
    }

    /// Every loaded version of a campaign, oldest first.
    pub fn campaign_versions(
        &self,
        caller: &Caller,
        code: &str,
    ) -> Result<Vec<CampaignDefinitionRow>> {
        let v = self
            .store
            .campaign_definition_versions(&caller.scope, code)?;
        if v.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok(v)
    }
}
