//! Organisation use cases: regions, sectors, departments.

use crate::{App, AppError, Caller, Result};
use anjian_domain::scope::Permission;
use anjian_domain::validation::required_text;
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use anjian_store::departments::{Department, DepartmentInput, SectorAssignment};
use anjian_store::regions::{Region, RegionInput, UpsertCounts};
use anjian_store::sectors::Sector;
use serde::{Deserialize, Serialize};

/// A department as a form or the API submits it: the store's [`DepartmentInput`], with each
/// sector assignment's decision date still text (checked by the use case, and shown again as
/// typed when a form is refused).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DepartmentDraft {
    pub region_code: String,
    pub name: String,
    pub short_name: String,
    pub is_member_unit: bool,
    pub has_supervision_duty: bool,
    pub is_industry_authority: bool,
    pub sort_order: i64,
    pub sectors: Vec<SectorDraft>,
}

/// A sector assignment as submitted: the decision date as text (`YYYY-MM-DD`, or empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SectorDraft {
    pub sector_code: String,
    #[serde(default)]
    pub decision_no: Option<String>,
    /// `YYYY-MM-DD`: the date of the assigning decision (e.g. a newly assigned industry).
    #[serde(default)]
    pub decided_on: Option<String>,
    #[serde(default)]
    pub note: String,
}

impl From<Department> for DepartmentDraft {
    /// A stored department as its edit form starts.
    fn from(d: Department) -> Self {
        Self {
            region_code: d.region_code,
            name: d.name,
            short_name: d.short_name,
            is_member_unit: d.is_member_unit,
            has_supervision_duty: d.has_supervision_duty,
            is_industry_authority: d.is_industry_authority,
            sort_order: d.sort_order,
            sectors: d
                .sectors
                .into_iter()
                .map(|s| SectorDraft {
                    sector_code: s.sector_code,
                    decision_no: s.decision_no,
                    decided_on: s.decided_on.map(|d| d.to_string()),
                    note: s.note,
                })
                .collect(),
        }
    }
}

/// A region as entered (API, CSV row).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub parent_code: Option<String>,
}

/// Validates region rows: codes, names, and that each parent is the structural parent
/// and exists in the store or among the rows. Errors are keyed `rows[i].field`.
pub fn validate_regions(
    app: &App,
    rows: &[RegionRow],
) -> Result<Vec<RegionInput>, Vec<(usize, ValidationErrors)>> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let codes: std::collections::HashSet<String> =
        rows.iter().map(|r| r.code.trim().to_string()).collect();
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        let mut e = ValidationErrors::new();
        let name = required_text(&mut e, "name", "区划名称", &r.name, 60);
        let code = e.check("code", RegionCode::parse(&r.code));
        if let Some(c) = &code
            && !seen.insert(c.as_str().to_string())
        {
            e.add("code", "区划代码在文件中重复");
        }
        let parent = match r
            .parent_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(p) => e.check(
                "parent_code",
                RegionCode::parse(p).map_err(|m| format!("上级区划：{m}")),
            ),
            None => None,
        };
        if let Some(c) = &code {
            let structural = c.parent();
            match (&parent, &structural) {
                // Province-administered and municipal codes may skip a level (e.g. 4190xx).
                (Some(p), Some(s)) if p != s && !p.contains(c) => {
                    e.add("parent_code", format!("上级区划应为 {s}"));
                }
                (None, Some(s)) if c.level() > anjian_domain::RegionLevel::County => {
                    e.add("parent_code", format!("请填写上级区划（应为 {s}）"));
                }
                _ => {}
            }
            if let Some(p) = &parent {
                let exists = codes.contains(p.as_str())
                    || app.store.region_exists(p.as_str()).unwrap_or(false);
                if !exists {
                    e.add("parent_code", format!("上级区划 {p} 不存在"));
                }
            }
        }
        match (e.is_empty(), code) {
            (true, Some(code)) => out.push(RegionInput {
                code,
                name,
                parent_code: parent,
            }),
            _ => bad.push((i, e)),
        }
    }
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

impl App {
    pub fn list_regions(
        &self,
        caller: &Caller,
        under: Option<&str>,
        level: Option<&str>,
    ) -> Result<Vec<Region>> {
        caller.require(Permission::ViewOrganisation)?;
        if let Some(l) = level
            && anjian_domain::RegionLevel::parse(l).is_none()
        {
            return Err(ValidationErrors::single(
                "level",
                "层级应为 province、city、county、township、village 或 grid",
            )
            .into());
        }
        if let Some(u) = under
            && RegionCode::parse(u).is_err()
        {
            return Err(ValidationErrors::single("under", "区划代码格式不正确").into());
        }
        Ok(self.store.list_regions(&caller.scope, under, level)?)
    }

    /// The townships (乡镇、街道) in the caller's scope: code and name, for pickers and rankings.
    pub fn townships(&self, caller: &Caller) -> Result<Vec<(String, String)>> {
        Ok(self
            .list_regions(caller, None, Some("township"))?
            .into_iter()
            .filter(|r| r.level == "township")
            .map(|r| (r.code, r.name))
            .collect())
    }

    /// Adds or renames regions (admin).
    pub fn save_regions(&self, caller: &Caller, rows: &[RegionRow]) -> Result<UpsertCounts> {
        caller.require(Permission::ManageOrganisation)?;
        let items = validate_regions(self, rows).map_err(|bad| {
            let mut all = ValidationErrors::new();
            for (i, e) in bad {
                for (f, msgs) in e.fields {
                    for m in msgs {
                        all.add(&format!("items[{i}].{f}"), m);
                    }
                }
            }
            AppError::Validation(all)
        })?;
        Ok(self
            .store
            .upsert_regions(&caller.change(&caller.scope, self), &items)?)
    }

    pub fn list_sectors(&self, caller: &Caller) -> Result<Vec<Sector>> {
        caller.require(Permission::ViewOrganisation)?;
        Ok(self.store.list_sectors()?)
    }

    pub fn save_sector(&self, caller: &Caller, s: &Sector) -> Result<()> {
        caller.require(Permission::ManageOrganisation)?;
        let mut e = ValidationErrors::new();
        let code = s.code.trim();
        if code.is_empty()
            || code.len() > 40
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add("code", "代码须为1-40位小写字母、数字或下划线");
        }
        let name = required_text(&mut e, "name", "行业领域名称", &s.name, 40);
        e.into_result()?;
        let s = Sector {
            code: code.to_string(),
            name,
            ..s.clone()
        };
        self.store
            .save_sector(&caller.change(&caller.scope, self), &s)
            .map_err(|e| match e {
                anjian_store::StoreError::Duplicate(_) => {
                    ValidationErrors::single("name", "行业领域名称已存在").into()
                }
                other => other.into(),
            })
    }

    pub fn list_departments(&self, caller: &Caller) -> Result<Vec<Department>> {
        caller.require(Permission::ViewOrganisation)?;
        Ok(self
            .store
            .list_departments(&caller.scope, self.clock.today())?)
    }

    pub fn get_department(&self, caller: &Caller, id: i64) -> Result<Department> {
        caller.require(Permission::ViewOrganisation)?;
        Ok(self
            .store
            .get_department(&caller.scope, id, self.clock.today())?)
    }

    fn validate_department(&self, d: &DepartmentDraft) -> Result<DepartmentInput> {
        let mut e = ValidationErrors::new();
        let name = required_text(&mut e, "name", "部门名称", &d.name, 60);
        let short_name = d.short_name.trim().to_string();
        if !self.store.region_exists(&d.region_code)? {
            e.add("region_code", "所属区划不存在");
        }
        let sectors = self.store.list_sectors()?;
        let mut seen = Vec::new();
        let mut decided = Vec::new();
        for (i, s) in d.sectors.iter().enumerate() {
            if !sectors.iter().any(|x| x.code == s.sector_code) {
                e.add(
                    &format!("sectors[{i}].sector_code"),
                    format!("行业领域“{}”不存在", s.sector_code),
                );
            }
            if seen.contains(&s.sector_code) {
                e.add(&format!("sectors[{i}].sector_code"), "行业领域重复");
            }
            seen.push(s.sector_code.clone());
            decided.push(
                match s.decided_on.as_deref().filter(|x| !x.trim().is_empty()) {
                    Some(date) => e.check(
                        &format!("sectors[{i}].decided_on"),
                        anjian_domain::validation::parse_date(date),
                    ),
                    None => None,
                },
            );
        }
        e.into_result()?;
        let sectors = d
            .sectors
            .iter()
            .zip(decided)
            .map(|(s, decided_on)| SectorAssignment {
                sector_code: s.sector_code.clone(),
                decision_no: s.decision_no.clone().filter(|x| !x.trim().is_empty()),
                decided_on,
                note: s.note.trim().to_string(),
            })
            .collect();
        Ok(DepartmentInput {
            region_code: d.region_code.clone(),
            name,
            short_name,
            is_member_unit: d.is_member_unit,
            has_supervision_duty: d.has_supervision_duty,
            is_industry_authority: d.is_industry_authority,
            sort_order: d.sort_order,
            sectors,
        })
    }

    pub fn create_department(&self, caller: &Caller, d: &DepartmentDraft) -> Result<i64> {
        caller.require(Permission::ManageOrganisation)?;
        let d = self.validate_department(d)?;
        self.store
            .create_department(&caller.change(&caller.scope, self), &d)
            .map_err(|e| match e {
                anjian_store::StoreError::Duplicate(_) => {
                    ValidationErrors::single("name", "同名部门已存在").into()
                }
                other => other.into(),
            })
    }

    pub fn update_department(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        d: &DepartmentDraft,
    ) -> Result<()> {
        caller.require(Permission::ManageOrganisation)?;
        let d = self.validate_department(d)?;
        Ok(self
            .store
            .update_department(&caller.change(&caller.scope, self), id, version, &d)?)
    }

    /// All regions (system use: CLI, demo).
    pub fn all_regions(&self) -> Result<Vec<Region>> {
        Ok(self.store.list_regions(&Scope::system(), None, None)?)
    }
}

/// Settings an administrator may change, with their allowed values (the import limits'
/// defaults first, see [`crate::import::LIMIT_SETTINGS`]; the security settings, see
/// [`crate::security::SECURITY_SETTINGS`]).
pub const EDITABLE_SETTINGS: [(&str, &[&str]); 20] = [
    (
        crate::major::BULLETIN_CYCLE,
        &["half_month", "month", "week"],
    ),
    (
        crate::draws::PUBLICITY_WORKING_DAYS,
        &["20", "15", "10", "7", "5"],
    ),
    (
        crate::publicity::DECISION_PUBLICITY_WORKING_DAYS,
        &["7", "5", "3", "10", "15", "20"],
    ),
    (
        crate::hazards::REVIEW_WORKING_DAYS_SETTING,
        &["10", "5", "7", "15", "20"],
    ),
    (
        crate::hazards::REPORT_REQUIRES_EVIDENCE_SETTING,
        &["true", "false"],
    ),
    (
        crate::publicity::PUBLISH_SIMPLE_DECISIONS,
        &["true", "false"],
    ),
    crate::import::LIMIT_SETTINGS[0],
    crate::import::LIMIT_SETTINGS[1],
    crate::import::LIMIT_SETTINGS[2],
    crate::import::LIMIT_SETTINGS[3],
    crate::import::LIMIT_SETTINGS[4],
    crate::security::SECURITY_SETTINGS[0],
    crate::security::SECURITY_SETTINGS[1],
    crate::security::SECURITY_SETTINGS[2],
    crate::security::SECURITY_SETTINGS[3],
    crate::security::SECURITY_SETTINGS[4],
    crate::security::SECURITY_SETTINGS[5],
    crate::security::SECURITY_SETTINGS[6],
    crate::security::SECURITY_SETTINGS[7],
    crate::security::SECURITY_SETTINGS[8],
];

impl App {
    /// The [`EDITABLE_SETTINGS`] with their values in force (the default where unset or
    /// not an allowed value), in the catalogue's order (admin).
    pub fn editable_settings(&self, caller: &Caller) -> Result<Vec<(&'static str, String)>> {
        caller.require(Permission::ManageOrganisation)?;
        EDITABLE_SETTINGS
            .iter()
            .map(|(k, allowed)| {
                let v = self
                    .store
                    .setting(k)?
                    .filter(|v| allowed.contains(&v.as_str()))
                    .unwrap_or_else(|| allowed.first().copied().unwrap_or("").to_string());
                Ok((*k, v))
            })
            .collect()
    }

    /// Changes several of the [`EDITABLE_SETTINGS`] at once (admin): every value is checked
    /// before any is written, and only values that differ are written. Returns how many
    /// changed; a refused value names its key as the field.
    pub fn set_settings(&self, caller: &Caller, changes: &[(String, String)]) -> Result<usize> {
        let current = self.editable_settings(caller)?;
        for (k, v) in changes {
            let allowed = EDITABLE_SETTINGS
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, a)| *a)
                .unwrap_or(&[]);
            if !allowed.contains(&v.as_str()) {
                return Err(ValidationErrors::single(
                    k.as_str(),
                    format!("取值应为 {}", allowed.join("、")),
                )
                .into());
            }
        }
        let mut n = 0;
        for (k, v) in changes {
            if current.iter().any(|(key, cur)| key == k && cur != v) {
                self.set_setting(caller, k, v)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Changes one of the [`EDITABLE_SETTINGS`] (admin).
    pub fn set_setting(&self, caller: &Caller, key: &str, value: &str) -> Result<()> {
        caller.require(Permission::ManageOrganisation)?;
        let Some((_, allowed)) = EDITABLE_SETTINGS.iter().find(|(k, _)| *k == key) else {
            return Err(AppError::NotFound);
        };
        if !allowed.contains(&value) {
            return Err(ValidationErrors::single(
                "value",
                format!("取值应为 {}", allowed.join("、")),
            )
            .into());
        }
        Ok(self
            .store
            .set_setting(&caller.change(&Scope::system(), self), key, value)?)
    }
}
