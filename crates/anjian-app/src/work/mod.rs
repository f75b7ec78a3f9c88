//! Campaigns (专项行动) and work records (工作记录): the countable field actions the
//! annual report states (workers dispersed, boards displayed, people evacuated …),
//! recorded one by one with their place, unit and campaign, never typed in as totals.

use crate::import::Table;
use crate::{App, AppError, Caller, Result};
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use anjian_store::work::{Campaign, WorkFilter, WorkItemType, WorkRecord};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod campaigns;
mod catalogue;
mod import;
mod ledger;
mod records;
pub use campaigns::check_campaign_in;
pub use catalogue::{default_work_items, ensure_work_items};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    pub code: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub units: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkRecordInput {
    pub item_code: String,
    pub region_code: String,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    pub done_on: String,
    pub quantity: i64,
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub note: String,
}

/// Column headers of the work-record ledger (export and import share them).
pub const WORK_COLUMNS: [(&str, &str); 9] = [
    ("item", "工作事项"),
    ("done_on", "日期"),
    ("region_code", "区划代码"),
    ("department", "部门"),
    ("quantity", "数量"),
    ("unit", "单位"),
    ("campaign", "专项行动"),
    ("place", "地点"),
    ("note", "备注"),
];

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl App {}
