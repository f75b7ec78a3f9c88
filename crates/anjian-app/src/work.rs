//! Campaigns (专项行动) and work records (工作记录): the countable field actions the
//! annual report states (workers dispersed, boards displayed, people evacuated …),
//! recorded one by one with their place, unit and campaign, never typed in as totals.

use crate::import::{RowError, Table};
use crate::{App, AppError, Caller, Result};
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use anjian_store::work::{Campaign, WorkFilter, WorkItemType, WorkRecord};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The shipped catalogue of countable actions (`data/work_items.tsv`): code, name, unit,
/// sector, topic. A county adds or renames items on the 工作事项 page; units of used items
/// stay fixed.
pub fn default_work_items() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
)> {
    include_str!("../data/work_items.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (code, name, unit, sector, topic) =
                (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
            Some((code, name, unit, (sector != "-").then_some(sector), topic))
        })
        .collect()
}

/// Inserts any shipped item type missing from the store; keeps edited ones.
pub fn ensure_work_items(app: &App) -> Result<usize> {
    let existing = app.store.list_work_item_types()?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "system");
    let mut added = 0;
    for (i, (code, name, unit, sector, topic)) in default_work_items().into_iter().enumerate() {
        if existing.iter().any(|t| t.code == code) {
            continue;
        }
        app.store.save_work_item_type(
            &change,
            &WorkItemType {
                code: code.to_string(),
                name: name.to_string(),
                unit: unit.to_string(),
                sector: sector.map(str::to_string),
                topic: topic.to_string(),
                description: String::new(),
                sort_order: (i as i64 + 1) * 10,
                active: true,
            },
        )?;
        added += 1;
    }
    Ok(added)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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

/// The same check against a list of campaigns already loaded.
pub fn check_campaign_in(
    e: &mut ValidationErrors,
    region_code: &str,
    campaign: Option<&str>,
    all: &[Campaign],
) {
    let Some(code) = campaign.map(str::trim).filter(|c| !c.is_empty()) else {
        return;
    };
    let county = RegionCode::parse(region_code)
        .ok()
        .and_then(|r| r.county())
        .map(|c| c.as_str().to_string());
    if !all
        .iter()
        .any(|c| c.code == code && Some(&c.county_code) == county.as_ref())
    {
        e.add(
            "campaign",
            format!("专项行动“{code}”不存在，请先在“专项行动”中登记"),
        );
    }
}

impl App {
    /// Checks that a campaign tag names a campaign of the county the region lies in.
    pub fn check_campaign(
        &self,
        e: &mut ValidationErrors,
        region_code: &str,
        campaign: Option<&str>,
    ) -> Result<()> {
        if campaign.is_some_and(|c| !c.trim().is_empty()) {
            let all = self.store.list_campaigns(&Scope::system())?;
            check_campaign_in(e, region_code, campaign, &all);
        }
        Ok(())
    }

    pub fn campaigns(&self, caller: &Caller) -> Result<Vec<Campaign>> {
        Ok(self.store.list_campaigns(&caller.scope)?)
    }

    /// Registers a campaign (安委办 only).
    pub fn create_campaign(&self, caller: &Caller, input: &CampaignInput) -> Result<Campaign> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以登记专项行动".into()));
        }
        let mut e = ValidationErrors::new();
        let code = input.code.trim();
        if code.is_empty() || code.chars().count() > 40 || code.contains(char::is_whitespace) {
            e.add("code", "请填写专项行动代码（不含空格，40字以内）");
        }
        if input.name.trim().is_empty() {
            e.add("name", "请填写专项行动名称");
        }
        let (from, to) = (day(&input.starts_on), day(&input.ends_on));
        if from.is_none() {
            e.add("starts_on", "开始日期格式应为 YYYY-MM-DD");
        }
        if to.is_none() {
            e.add("ends_on", "结束日期格式应为 YYYY-MM-DD");
        }
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            e.add("ends_on", "结束日期不能早于开始日期");
        }
        let county = self
            .root_region()?
            .and_then(|r| r.county())
            .or_else(|| {
                caller
                    .scope
                    .region_prefixes
                    .first()
                    .and_then(|p| RegionCode::parse(&format!("{p:0<12}")).ok())
                    .and_then(|r| r.county())
            })
            .ok_or_else(|| AppError::BadRequest("尚未设置本级区划".into()))?;
        if self
            .store
            .list_campaigns(&Scope::system())?
            .iter()
            .any(|c| c.code == code && c.county_code == county.as_str())
        {
            e.add("code", "专项行动代码已存在");
        }
        e.into_result().map_err(AppError::Validation)?;
        let (Some(starts_on), Some(ends_on)) = (from, to) else {
            return Err(
                ValidationErrors::single("starts_on", "开始日期格式应为 YYYY-MM-DD").into(),
            );
        };
        let c = Campaign {
            county_code: county.as_str().to_string(),
            code: code.to_string(),
            name: input.name.trim().to_string(),
            starts_on,
            ends_on,
            units: input.units.trim().to_string(),
            description: input.description.trim().to_string(),
            ..Campaign::default()
        };
        Ok(self
            .store
            .create_campaign(&caller.change(&caller.scope, self), &c)?)
    }

    pub fn work_item_types(&self) -> Result<Vec<WorkItemType>> {
        Ok(self.store.list_work_item_types()?)
    }

    /// Adds or edits a work item type (安委办 only): the catalogue is county configuration.
    pub fn save_work_item_type(&self, caller: &Caller, t: &WorkItemType) -> Result<()> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以维护工作事项目录".into()));
        }
        let mut e = ValidationErrors::new();
        if t.code.is_empty()
            || t.code.len() > 40
            || !t
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add(
                "code",
                "事项代码只能由小写字母、数字和下划线组成（40字以内）",
            );
        }
        if t.name.trim().is_empty() {
            e.add("name", "请填写事项名称");
        }
        if t.unit.trim().is_empty() {
            e.add("unit", "请填写计量单位");
        }
        if let Some(s) = &t.sector
            && !self.store.list_sectors()?.iter().any(|x| &x.code == s)
        {
            e.add("sector", "行业领域不存在");
        }
        e.into_result().map_err(AppError::Validation)?;
        let scope = caller.scope.clone();
        self.store
            .save_work_item_type(&caller.change(&scope, self), t)
            .map_err(|err| match err {
                anjian_store::StoreError::Conflict(_) => AppError::Validation(
                    ValidationErrors::single("unit", "该事项已有工作记录，计量单位不能修改"),
                ),
                other => other.into(),
            })
    }

    /// Who may record work: 安委办, departments, inspectors and townships, in their scope.
    fn work_scope(&self, caller: &Caller) -> Result<Scope> {
        if !caller.can(anjian_domain::scope::Permission::Supervise) {
            return Err(AppError::Forbidden("您的角色无权登记工作记录".into()));
        }
        let mut s = caller.scope.clone();
        s.writable = true;
        Ok(s)
    }

    /// Validates one record against the catalogue and the caller; `Err` lists every problem.
    fn validate_work(
        &self,
        caller: &Caller,
        items: &[WorkItemType],
        input: &WorkRecordInput,
    ) -> Result<std::result::Result<WorkRecord, ValidationErrors>> {
        let mut e = ValidationErrors::new();
        let item = items.iter().find(|t| t.code == input.item_code.trim());
        match item {
            None => e.add(
                "item_code",
                format!("工作事项“{}”不存在", input.item_code.trim()),
            ),
            Some(t) if !t.active => e.add("item_code", format!("工作事项“{}”已停用", t.name)),
            _ => {}
        }
        let region = RegionCode::parse(input.region_code.trim());
        match &region {
            Err(m) => e.add("region_code", m.clone()),
            Ok(r) => {
                if self.store.get_region(&Scope::system(), r.as_str()).is_err() {
                    e.add("region_code", "区划不存在");
                } else if !caller.scope.admits_region(r.as_str()) {
                    e.add("region_code", "该区划不在您的管辖范围内");
                }
            }
        }
        let done_on = day(&input.done_on);
        match done_on {
            None => e.add("done_on", "日期格式应为 YYYY-MM-DD"),
            Some(d) if d > self.clock.today() => e.add("done_on", "日期不能晚于今天"),
            _ => {}
        }
        if input.quantity < 0 {
            e.add("quantity", "数量不能为负数");
        } else if input.quantity > 1_000_000_000 {
            e.add("quantity", "数量过大，请核对单位");
        }
        // A department officer records in their own department's name.
        let department_id = match caller.bound_department() {
            Some(d) => {
                if input.department_id.is_some_and(|x| x != d) {
                    e.add("department_id", "只能以本部门名义登记");
                }
                Some(d)
            }
            _ => input.department_id,
        };
        if let Some(d) = department_id
            && self.store.get_department(&Scope::system(), d).is_err()
        {
            e.add("department_id", "部门不存在");
        }
        let sector = input
            .sector
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| item.and_then(|t| t.sector.clone()));
        if let Some(s) = &sector {
            if !self.store.list_sectors()?.iter().any(|x| &x.code == s) {
                e.add("sector", "行业领域不存在");
            } else if !caller.scope.admits_sectors(&[s.as_str()]) {
                e.add("sector", "该行业领域不在您的职责范围内");
            }
        } else if caller.scope.sectors.is_some() {
            e.add("sector", "请选择本部门负责的行业领域");
        }
        let campaign = input
            .campaign
            .clone()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        self.check_campaign(&mut e, input.region_code.trim(), campaign.as_deref())?;
        let Some(done_on) = done_on.filter(|_| e.is_empty()) else {
            return Ok(Err(e));
        };
        Ok(Ok(WorkRecord {
            region_code: input.region_code.trim().to_string(),
            department_id,
            sector,
            enterprise_id: input.enterprise_id,
            item_code: input.item_code.trim().to_string(),
            done_on,
            quantity: input.quantity,
            campaign,
            place: input.place.trim().chars().take(200).collect(),
            note: input.note.trim().chars().take(500).collect(),
            ..WorkRecord::default()
        }))
    }

    pub fn create_work_record(
        &self,
        caller: &Caller,
        input: &WorkRecordInput,
    ) -> Result<WorkRecord> {
        let scope = self.work_scope(caller)?;
        let items = self.store.list_work_item_types()?;
        let w = self
            .validate_work(caller, &items, input)?
            .map_err(AppError::Validation)?;
        Ok(self
            .store
            .create_work_record(&caller.change(&scope, self), &w)?)
    }

    pub fn work_record(&self, caller: &Caller, id: i64) -> Result<WorkRecord> {
        Ok(self.store.get_work_record(&caller.scope, id)?)
    }

    pub fn work_records(
        &self,
        caller: &Caller,
        f: &WorkFilter,
    ) -> Result<anjian_store::enterprises::Page<WorkRecord>> {
        Ok(self.store.list_work_records(&caller.scope, f)?)
    }

    /// Imports work records from a table (columns of [`WORK_COLUMNS`]; the item by code or
    /// name, the department by name). Every row is validated first; with any bad row
    /// nothing is written unless `skip_invalid`.
    pub fn import_work_records(
        &self,
        caller: &Caller,
        t: &Table,
        skip_invalid: bool,
    ) -> Result<crate::import::ImportReport> {
        let scope = self.work_scope(caller)?;
        let items = self.store.list_work_item_types()?;
        let departments = self.store.list_departments(&Scope::system())?;
        let col = |k: &str| {
            let label = WORK_COLUMNS
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, l)| *l)
                .unwrap_or(k);
            t.col(&[k, label])
        };
        let missing: Vec<&str> = ["item", "done_on", "region_code", "quantity"]
            .into_iter()
            .filter(|k| col(k).is_none())
            .map(|k| {
                WORK_COLUMNS
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, l)| *l)
                    .unwrap_or(k)
            })
            .collect();
        if !missing.is_empty() {
            return Err(AppError::BadRequest(format!(
                "缺少必填列：{}",
                missing.join("、")
            )));
        }
        let cell = |cells: &[String], k: &str| -> String {
            col(k)
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for (rownum, cells) in &t.rows {
            let mut pre = ValidationErrors::new();
            let item = cell(cells, "item");
            let item_code = items
                .iter()
                .find(|x| x.code == item || x.name == item)
                .map(|x| x.code.clone())
                .unwrap_or(item);
            let quantity_text = cell(cells, "quantity").replace(',', "");
            let quantity = match quantity_text.parse::<f64>() {
                Ok(q) if q.fract() == 0.0 && q.is_finite() => q as i64,
                _ => {
                    pre.add("quantity", format!("数量应为整数，实为“{quantity_text}”"));
                    0
                }
            };
            if let Some(unit) = Some(cell(cells, "unit")).filter(|u| !u.is_empty())
                && let Some(x) = items.iter().find(|x| x.code == item_code)
                && x.unit != unit
            {
                pre.add("unit", format!("单位应为“{}”，实为“{unit}”", x.unit));
            }
            let dept = cell(cells, "department");
            let department_id = if dept.is_empty() {
                None
            } else {
                match departments
                    .iter()
                    .find(|d| d.name == dept || d.short_name == dept)
                {
                    Some(d) => Some(d.id),
                    None => {
                        pre.add("department", format!("部门“{dept}”不存在"));
                        None
                    }
                }
            };
            let input = WorkRecordInput {
                item_code,
                region_code: cell(cells, "region_code"),
                department_id,
                sector: None,
                enterprise_id: None,
                done_on: cell(cells, "done_on"),
                quantity,
                campaign: Some(cell(cells, "campaign")),
                place: cell(cells, "place"),
                note: cell(cells, "note"),
            };
            let mut errors = match self.validate_work(caller, &items, &input)? {
                Ok(w) if pre.is_empty() => {
                    ok.push(w);
                    continue;
                }
                Ok(_) => ValidationErrors::new(),
                Err(e) => e,
            };
            for (f, m) in pre.fields {
                for msg in m {
                    errors.add(&f, msg);
                }
            }
            bad.push(RowError {
                row: *rownum,
                errors: errors
                    .fields
                    .iter()
                    .flat_map(|(f, m)| {
                        let label = match f.as_str() {
                            "item_code" => "工作事项",
                            "department_id" => "部门",
                            other => WORK_COLUMNS
                                .iter()
                                .find(|(k, _)| *k == other)
                                .map(|(_, l)| *l)
                                .unwrap_or("其他"),
                        };
                        m.iter().map(move |m| format!("{label}：{m}"))
                    })
                    .collect(),
            });
        }
        crate::import::ImportReport::finish(t.rows.len(), ok, bad, skip_invalid, |ok| {
            Ok(self
                .store
                .create_work_records(&caller.change(&scope, self), &ok)?)
        })
    }
}

impl App {
    /// 工作记录台账: the filtered list as Excel, in the import's columns (so an exported
    /// ledger can be edited and imported elsewhere).
    pub fn work_records_ledger(&self, caller: &Caller, f: &WorkFilter) -> Result<Vec<u8>> {
        let mut f = f.clone();
        f.limit = 100_000;
        let items = self.store.list_work_records(&caller.scope, &f)?.items;
        let types = self.store.list_work_item_types()?;
        let departments = self.store.list_departments(&Scope::system())?;
        let headers: Vec<&str> = WORK_COLUMNS.iter().map(|(_, l)| *l).collect();
        let widths = [30.0, 12.0, 16.0, 24.0, 12.0, 8.0, 14.0, 30.0, 30.0];
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|w| {
                let t = types.iter().find(|t| t.code == w.item_code);
                vec![
                    t.map(|t| t.name.clone())
                        .unwrap_or_else(|| w.item_code.clone()),
                    w.done_on.to_string(),
                    w.region_code.clone(),
                    w.department_id
                        .and_then(|d| departments.iter().find(|x| x.id == d))
                        .map(|d| d.name.clone())
                        .unwrap_or_default(),
                    w.quantity.to_string(),
                    t.map(|t| t.unit.clone()).unwrap_or_default(),
                    w.campaign.clone().unwrap_or_default(),
                    w.place.clone(),
                    w.note.clone(),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "工作记录台账",
            &headers,
            &widths,
            &rows,
        )
    }
}

#[cfg(test)]
mod catalogue_tests {
    #[test]
    fn the_shipped_work_items_parse_and_are_unique() {
        let items = super::default_work_items();
        let lines = include_str!("../data/work_items.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(items.len(), lines, "every line is an item with five fields");
        assert!(items.len() > 50);
        let mut codes: Vec<_> = items.iter().map(|i| i.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), items.len(), "codes are unique");
        assert!(
            items
                .iter()
                .all(|i| !i.1.is_empty() && !i.2.is_empty() && !i.4.is_empty())
        );
    }
}
