//! Forest-fire prevention (森林防灭火): the county sets the fire season (防火期) and keeps its
//! state forest farms and equipment; townships keep their chain of responsible persons down
//! to every hill (林长、监管员、网格员、护林员 with phones), their checkpoints and daily
//! registers, their rangers' patrols and the duty roster; equipment bought or donated is
//! handed to townships and farms as records, so the report's "添置无人机 N 架 … 发放到 N 个
//! 乡镇、N 个国有林场" and each township's kit come from them (`forest.*` metrics).

pub mod grid;

use crate::error::refused_field as field_error;
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::decimal::{DecimalError, parse_hundredths};
use anjian_domain::forest::{
    self as rules, Acquisition, EquipmentKind, FarmKind, Finding, Gaps, Level, PatchRef, WardenRef,
    WardenRole,
};
use anjian_domain::phone::parse_phone;
use anjian_domain::scope::Permission;
use anjian_domain::validation::parse_date;
use anjian_store::StoreError;
use anjian_store::forest::{
    Checkpoint, CheckpointInput, CheckpointLog, CheckpointLogInput, Duty, DutyInput, Equipment,
    EquipmentInput, Farm, FarmInput, ForestFilter, Handover, HandoverInput, Patch, PatchInput,
    Patrol, PatrolInput, Recipient, Season, SeasonInput, Warden, WardenInput,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A fire season as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SeasonDraft {
    /// e.g. 2022—2023年度森林防火期.
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FarmDraft {
    /// The township the farm lies in.
    pub region_code: String,
    pub name: String,
    /// 国有林场 / 国有农场.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PatchDraft {
    /// The village (or the township, for a farm's hill).
    pub region_code: String,
    pub name: String,
    /// 面积（亩）, up to two places.
    #[serde(default)]
    pub area_mu: String,
    #[serde(default)]
    pub species: String,
    /// The owning farm's id, if any.
    #[serde(default)]
    pub farm_id: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckpointDraft {
    pub season_id: String,
    pub region_code: String,
    pub name: String,
    #[serde(default)]
    pub location: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WardenDraft {
    pub season_id: String,
    /// 县级 / 乡镇级 / 村级 / 山头地块 / 防火检查站 (codes or words).
    pub level: String,
    /// The level's place (county, township or village); a hill's or a checkpoint's is theirs.
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub patch_id: String,
    #[serde(default)]
    pub checkpoint_id: String,
    /// 林长 / 监管员 / 网格员 / 护林员 / 检查站值守人员.
    pub role: String,
    pub name: String,
    #[serde(default)]
    pub post: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckpointLogDraft {
    pub checkpoint_id: String,
    pub logged_on: String,
    #[serde(default)]
    pub people: String,
    #[serde(default)]
    pub vehicles: String,
    #[serde(default)]
    pub fire_sources: String,
    #[serde(default)]
    pub on_duty: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PatrolDraft {
    /// The village or township patrolled (not needed when a hill is named).
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub patch_id: String,
    pub patroller: String,
    pub patrolled_on: String,
    /// `HH:MM`.
    pub from_time: String,
    pub to_time: String,
    #[serde(default)]
    pub route: String,
    /// 未发现问题 / 违规野外用火 / 火灾隐患 / 其他问题.
    #[serde(default)]
    pub finding: String,
    #[serde(default)]
    pub details: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DutyDraft {
    /// The county or a township; empty for the caller's own.
    #[serde(default)]
    pub region_code: String,
    pub duty_on: String,
    pub leader: String,
    pub leader_phone: String,
    pub officer: String,
    pub officer_phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EquipmentDraft {
    /// 防火勘察无人机 / 高扬程消防水泵 / 抽水泵 / 风力灭火机 / 其他装备.
    pub kind: String,
    #[serde(default)]
    pub model: String,
    pub quantity: String,
    /// 购置 / 受捐赠.
    pub acquisition: String,
    /// The donor (受捐赠 only).
    #[serde(default)]
    pub donor: String,
    /// 金额（元）, 购置 only.
    #[serde(default)]
    pub cost_yuan: String,
    pub acquired_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HandoverDraft {
    pub equipment_id: String,
    /// `township:{code}` or `farm:{id}`.
    pub recipient: String,
    pub quantity: String,
    pub handed_on: String,
    #[serde(default)]
    pub received_by: String,
    #[serde(default)]
    pub note: String,
}

/// A hill of a township's chain with its own persons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PatchChain {
    pub patch: Patch,
    pub people: Vec<Warden>,
    /// No ranger on the hill or for its village.
    pub without_ranger: bool,
}

/// A village of a township's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VillageChain {
    pub code: String,
    pub name: String,
    pub people: Vec<Warden>,
    pub patches: Vec<PatchChain>,
    /// Hills here but no 林长 or 网格员.
    pub without_person: bool,
}

/// A township's chain for a season: its own persons, its villages and hills, its
/// checkpoints with their staff, and what is still missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TownshipChain {
    pub code: String,
    pub name: String,
    pub people: Vec<Warden>,
    pub villages: Vec<VillageChain>,
    /// Hills recorded at the township itself (a farm's).
    pub patches: Vec<PatchChain>,
    pub checkpoints: Vec<CheckpointChain>,
    pub without_chief: bool,
    pub gaps: usize,
}

/// A checkpoint with its staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckpointChain {
    pub checkpoint: Checkpoint,
    pub staff: Vec<Warden>,
}

/// A kind of equipment and how many of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct KitItem {
    pub kind: String,
    pub quantity: i64,
}

/// A season's chain: the county's persons and each township's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Chain {
    pub season: Season,
    pub county: Vec<Warden>,
    pub townships: Vec<TownshipChain>,
}

/// What a township or farm received, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Kit {
    /// `township:{code}` or `farm:{id}`.
    pub recipient: String,
    pub name: String,
    pub items: Vec<KitItem>,
    pub handovers: Vec<Handover>,
}

/// A whole count typed in a form ("" is 0).
fn count(e: &mut ValidationErrors, field: &str, label: &str, s: &str) -> i64 {
    let t = s.trim();
    if t.is_empty() {
        return 0;
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=1_000_000).contains(&n) => n,
        _ => {
            e.add(field, format!("{label}应为不小于0的整数"));
            0
        }
    }
}

fn id_of(e: &mut ValidationErrors, field: &str, message: &str, s: &str) -> Option<i64> {
    match s.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                e.add(field, message);
                None
            }
        },
    }
}

fn text(e: &mut ValidationErrors, field: &str, label: &str, s: &str, max: usize) -> String {
    anjian_domain::validation::required_text(e, field, label, s, max)
}

fn phone(e: &mut ValidationErrors, field: &str, s: &str) -> String {
    match parse_phone(s) {
        Ok(p) => p,
        Err(m) => {
            e.add(field, m);
            String::new()
        }
    }
}

fn date(e: &mut ValidationErrors, field: &str, s: &str) -> Option<NaiveDate> {
    e.check(field, parse_date(s))
}

fn optional(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// The words a coded field accepts, for its error message.
fn one_of(labels: impl Iterator<Item = &'static str>) -> String {
    labels.collect::<Vec<_>>().join("、")
}

impl App {
    fn require_forest_writer(&self, caller: &Caller) -> Result<()> {
        if caller.scope.writable && caller.can(Permission::ManageForestGrid) {
            Ok(())
        } else {
            Err(caller.refuse("登记森林防灭火网格、巡护和装备"))
        }
    }

    fn require_forest_reader(&self, caller: &Caller) -> Result<()> {
        caller.require(Permission::ViewCountyWork)
    }

    pub fn create_forest_season(&self, caller: &Caller, d: &SeasonDraft) -> Result<Season> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let name = text(&mut e, "name", "防火期名称", &d.name, 60);
        let starts_on = date(&mut e, "starts_on", &d.starts_on);
        let ends_on = date(&mut e, "ends_on", &d.ends_on);
        if let (Some(s), Some(t)) = (starts_on, ends_on)
            && let Err(m) = rules::check_season(s, t)
        {
            e.add("ends_on", m);
        }
        e.into_result()?;
        let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) else {
            return Err(AppError::BadRequest("防火期信息不完整".into()));
        };
        let input = SeasonInput {
            region_code: crate::leaders::county_of(caller)?,
            name,
            starts_on,
            ends_on,
        };
        self.store
            .create_forest_season(&caller.change(&caller.scope, self), &input)
            .map_err(|err| match err {
                StoreError::Forbidden => {
                    AppError::Forbidden("防火期由县（市、区）统一设定，乡镇不能新增".into())
                }
                StoreError::Duplicate(_) => {
                    ValidationErrors::single("starts_on", "已有同一天开始的防火期").into()
                }
                other => other.into(),
            })
    }

    pub fn forest_seasons(&self, caller: &Caller) -> Result<Vec<Season>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.forest_seasons(&caller.scope)?)
    }

    /// The season of `id`, or the one running today, or the latest.
    pub fn forest_season(&self, caller: &Caller, id: Option<i64>) -> Result<Option<Season>> {
        let all = self.forest_seasons(caller)?;
        if let Some(id) = id {
            return all
                .into_iter()
                .find(|s| s.id == id)
                .map(Some)
                .ok_or(AppError::NotFound);
        }
        let today = self.clock.today();
        Ok(all
            .iter()
            .find(|s| s.starts_on <= today && today <= s.ends_on)
            .or_else(|| all.first())
            .cloned())
    }

    pub fn create_forest_farm(&self, caller: &Caller, d: &FarmDraft) -> Result<Farm> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let name = text(&mut e, "name", "林场（农场）名称", &d.name, 60);
        let kind = match d.kind.trim() {
            "" => Some(FarmKind::ForestFarm),
            k => FarmKind::from_words(k),
        };
        if kind.is_none() {
            e.add(
                "kind",
                format!(
                    "类别应为：{}",
                    one_of(FarmKind::ALL.iter().map(|k| k.label()))
                ),
            );
        }
        let region = d.region_code.trim();
        if anjian_domain::RegionCode::parse(region).is_err() {
            e.add("region_code", "请选择所在乡镇");
        }
        e.into_result()?;
        let input = FarmInput {
            region_code: region.to_string(),
            name,
            kind: kind.unwrap_or(FarmKind::ForestFarm),
            note: optional(&d.note, 500),
        };
        self.store
            .create_forest_farm(&caller.change(&caller.scope, self), &input)
            .map_err(|err| {
                field_error(
                    err,
                    &[
                        ("region_code", "", "所在乡镇不存在"),
                        ("duplicate", "name", "已有同名的林场（农场）"),
                    ],
                )
            })
    }

    pub fn forest_farms(&self, caller: &Caller) -> Result<Vec<Farm>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.forest_farms(&caller.scope)?)
    }

    /// Checks a hill as typed.
    pub(crate) fn validate_patch(
        &self,
        d: &PatchDraft,
    ) -> std::result::Result<PatchInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let name = text(&mut e, "name", "山头（地块）名称", &d.name, 60);
        let region = d.region_code.trim();
        if anjian_domain::RegionCode::parse(region).is_err() {
            e.add("region_code", "请选择所在村（社区）");
        }
        let area = match d.area_mu.trim() {
            "" => 0,
            s => match parse_hundredths(s) {
                Ok(v) => v,
                Err(DecimalError::TooFine) => {
                    e.add("area_mu", "面积最多保留两位小数");
                    0
                }
                Err(_) => {
                    e.add("area_mu", "面积应为不小于0的数（亩）");
                    0
                }
            },
        };
        let farm_id = id_of(&mut e, "farm_id", "所属林场无法识别", &d.farm_id);
        e.into_result()?;
        Ok(PatchInput {
            region_code: region.to_string(),
            name,
            area_centi_mu: area,
            species: optional(&d.species, 60),
            farm_id,
            note: optional(&d.note, 500),
        })
    }

    pub fn create_forest_patch(&self, caller: &Caller, d: &PatchDraft) -> Result<Patch> {
        self.require_forest_writer(caller)?;
        let input = self.validate_patch(d)?;
        self.store
            .create_forest_patch(&caller.change(&caller.scope, self), &input)
            .map_err(|err| {
                field_error(
                    err,
                    &[
                        ("region_code", "", "所在村（社区）不存在"),
                        ("farm_id", "", "所属林场不存在"),
                        ("duplicate", "name", "该村已有同名的山头（地块）"),
                    ],
                )
            })
    }

    pub fn forest_patches(&self, caller: &Caller, region: Option<&str>) -> Result<Vec<Patch>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.forest_patches(
            &caller.scope,
            &ForestFilter {
                region: region.map(str::to_string),
                ..Default::default()
            },
        )?)
    }

    pub fn create_forest_checkpoint(
        &self,
        caller: &Caller,
        d: &CheckpointDraft,
    ) -> Result<Checkpoint> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let season_id = id_of(&mut e, "season_id", "请选择防火期", &d.season_id);
        if d.season_id.trim().is_empty() {
            e.add("season_id", "请选择防火期");
        }
        let name = text(&mut e, "name", "检查站名称", &d.name, 60);
        let region = d.region_code.trim();
        if anjian_domain::RegionCode::parse(region).is_err() {
            e.add("region_code", "请选择所在乡镇（村）");
        }
        e.into_result()?;
        let input = CheckpointInput {
            season_id: season_id.unwrap_or_default(),
            region_code: region.to_string(),
            name,
            location: optional(&d.location, 200),
        };
        self.store
            .create_forest_checkpoint(&caller.change(&caller.scope, self), &input)
            .map_err(|err| {
                field_error(
                    err,
                    &[
                        ("season_id", "", "防火期不存在或不属于本县"),
                        ("region_code", "", "所在地不存在"),
                        ("duplicate", "name", "本防火期已有同名的检查站"),
                    ],
                )
            })
    }

    pub fn forest_checkpoints(
        &self,
        caller: &Caller,
        season_id: Option<i64>,
    ) -> Result<Vec<Checkpoint>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.forest_checkpoints(
            &caller.scope,
            &ForestFilter {
                season_id,
                ..Default::default()
            },
        )?)
    }

    /// Checks a responsible person as typed (`patch_id` may be left for the import to fill).
    pub(crate) fn validate_warden(
        &self,
        d: &WardenDraft,
        patch_later: bool,
    ) -> std::result::Result<WardenInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let season_id = id_of(&mut e, "season_id", "请选择防火期", &d.season_id);
        if d.season_id.trim().is_empty() {
            e.add("season_id", "请选择防火期");
        }
        let level = Level::from_words(&d.level);
        if level.is_none() {
            e.add(
                "level",
                format!("层级应为：{}", one_of(Level::ALL.iter().map(|l| l.label()))),
            );
        }
        let role = WardenRole::from_words(&d.role);
        if role.is_none() {
            e.add(
                "role",
                format!(
                    "职责应为：{}",
                    one_of(WardenRole::ALL.iter().map(|r| r.label()))
                ),
            );
        }
        if let (Some(l), Some(r)) = (level, role)
            && !r.allowed_at(l)
        {
            e.add("role", format!("{}不设{}", l.label(), r.label()));
        }
        let name = text(&mut e, "name", "姓名", &d.name, 30);
        let phone = phone(&mut e, "phone", &d.phone);
        let patch_id = id_of(&mut e, "patch_id", "请选择山头（地块）", &d.patch_id);
        let checkpoint_id = id_of(&mut e, "checkpoint_id", "请选择检查站", &d.checkpoint_id);
        let region = d.region_code.trim();
        match level {
            Some(Level::Patch) if patch_id.is_none() && !patch_later => {
                e.add("patch_id", "请选择山头（地块）")
            }
            Some(Level::Checkpoint) if checkpoint_id.is_none() => {
                e.add("checkpoint_id", "请选择检查站")
            }
            Some(Level::County | Level::Township | Level::Village)
                if anjian_domain::RegionCode::parse(region).is_err() =>
            {
                e.add("region_code", "请选择所在县、乡镇或村")
            }
            _ => {}
        }
        e.into_result()?;
        let level = level.unwrap_or(Level::Village);
        Ok(WardenInput {
            season_id: season_id.unwrap_or_default(),
            level,
            region_code: region.to_string(),
            patch_id: (level == Level::Patch).then_some(patch_id).flatten(),
            checkpoint_id: (level == Level::Checkpoint)
                .then_some(checkpoint_id)
                .flatten(),
            role: role.unwrap_or(WardenRole::Ranger),
            name,
            post: optional(&d.post, 60),
            phone,
        })
    }

    pub fn create_forest_warden(&self, caller: &Caller, d: &WardenDraft) -> Result<Warden> {
        self.require_forest_writer(caller)?;
        let input = self.validate_warden(d, false)?;
        self.store
            .create_forest_warden(&caller.change(&caller.scope, self), &input)
            .map_err(|err| {
                field_error(
                    err,
                    &[
                        ("season_id", "", "防火期不存在或不属于本县"),
                        ("patch_id", "", "山头（地块）不存在"),
                        ("checkpoint_id", "", "检查站不存在或不属于该防火期"),
                        ("region_code", "", "所在地不存在"),
                    ],
                )
            })
    }

    pub fn forest_wardens(&self, caller: &Caller, season_id: Option<i64>) -> Result<Vec<Warden>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.forest_wardens(
            &caller.scope,
            &ForestFilter {
                season_id,
                ..Default::default()
            },
        )?)
    }

    /// A season's chain, from the county down to every hill and person, with its gaps.
    pub fn forest_chain(&self, caller: &Caller, season_id: Option<i64>) -> Result<Option<Chain>> {
        let Some(season) = self.forest_season(caller, season_id)? else {
            return Ok(None);
        };
        let wardens = self.forest_wardens(caller, Some(season.id))?;
        let patches = self.forest_patches(caller, None)?;
        let checkpoints = self.forest_checkpoints(caller, Some(season.id))?;
        let regions = self
            .store
            .list_regions(&caller.scope, None, Some("village"))?;
        let names: BTreeMap<&str, &str> = regions
            .iter()
            .map(|r| (r.code.as_str(), r.name.as_str()))
            .collect();
        let refs: Vec<WardenRef> = wardens
            .iter()
            .map(|w| WardenRef {
                level: w.level,
                role: w.role,
                region_code: w.region_code.clone(),
                patch_id: w.patch_id,
            })
            .collect();
        let patch_refs: Vec<PatchRef> = patches
            .iter()
            .map(|p| PatchRef {
                id: p.id,
                region_code: p.region_code.clone(),
            })
            .collect();
        let county: Vec<Warden> = wardens
            .iter()
            .filter(|w| w.level == Level::County)
            .cloned()
            .collect();
        let mut townships = Vec::new();
        for t in regions.iter().filter(|r| r.level == "township") {
            let prefix = t.code.get(..9).unwrap_or(&t.code);
            let gaps: Gaps = rules::chain_gaps(&t.code, &patch_refs, &refs);
            let chain_of = |p: &Patch| PatchChain {
                patch: p.clone(),
                people: wardens
                    .iter()
                    .filter(|w| w.patch_id == Some(p.id))
                    .cloned()
                    .collect(),
                without_ranger: gaps.patches_without_ranger.contains(&p.id),
            };
            let mut villages: BTreeMap<String, VillageChain> = BTreeMap::new();
            for w in wardens
                .iter()
                .filter(|w| w.level == Level::Village && w.region_code.starts_with(prefix))
            {
                villages
                    .entry(w.region_code.clone())
                    .or_insert_with(|| village(&w.region_code, &names))
                    .people
                    .push(w.clone());
            }
            let mut own_patches = Vec::new();
            for p in patches.iter().filter(|p| p.region_code.starts_with(prefix)) {
                if p.region_code == t.code {
                    own_patches.push(chain_of(p));
                } else {
                    villages
                        .entry(p.region_code.clone())
                        .or_insert_with(|| village(&p.region_code, &names))
                        .patches
                        .push(chain_of(p));
                }
            }
            for v in villages.values_mut() {
                v.without_person = gaps.villages_without_person.contains(&v.code);
            }
            let cps = checkpoints
                .iter()
                .filter(|c| c.region_code.starts_with(prefix))
                .map(|c| CheckpointChain {
                    checkpoint: c.clone(),
                    staff: wardens
                        .iter()
                        .filter(|w| w.checkpoint_id == Some(c.id))
                        .cloned()
                        .collect(),
                })
                .collect();
            let people: Vec<Warden> = wardens
                .iter()
                .filter(|w| w.level == Level::Township && w.region_code.starts_with(prefix))
                .cloned()
                .collect();
            if people.is_empty() && villages.is_empty() && own_patches.is_empty() {
                // A township with no forest recorded shows only if it is the caller's own.
                if !caller.user.region_code.starts_with(prefix) {
                    continue;
                }
            }
            townships.push(TownshipChain {
                code: t.code.clone(),
                name: t.name.clone(),
                people,
                villages: villages.into_values().collect(),
                patches: own_patches,
                checkpoints: cps,
                without_chief: gaps.township_without_chief,
                gaps: usize::from(gaps.township_without_chief)
                    + gaps.villages_without_person.len()
                    + gaps.patches_without_ranger.len(),
            });
        }
        Ok(Some(Chain {
            season,
            county,
            townships,
        }))
    }

    pub fn record_checkpoint_log(
        &self,
        caller: &Caller,
        d: &CheckpointLogDraft,
    ) -> Result<CheckpointLog> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let checkpoint_id = id_of(&mut e, "checkpoint_id", "请选择检查站", &d.checkpoint_id);
        if d.checkpoint_id.trim().is_empty() {
            e.add("checkpoint_id", "请选择检查站");
        }
        let logged_on = date(&mut e, "logged_on", &d.logged_on);
        if let Some(day) = logged_on
            && day > self.clock.today()
        {
            e.add("logged_on", "登记日期不能晚于今天");
        }
        let people = count(&mut e, "people", "登记人员", &d.people);
        let vehicles = count(&mut e, "vehicles", "登记车辆", &d.vehicles);
        let fire_sources = count(&mut e, "fire_sources", "收缴火种", &d.fire_sources);
        e.into_result()?;
        let (Some(checkpoint_id), Some(logged_on)) = (checkpoint_id, logged_on) else {
            return Err(AppError::BadRequest("登记信息不完整".into()));
        };
        let input = CheckpointLogInput {
            checkpoint_id,
            logged_on,
            people,
            vehicles,
            fire_sources,
            on_duty: optional(&d.on_duty, 100),
            note: optional(&d.note, 500),
        };
        Ok(self
            .store
            .record_checkpoint_log(&caller.change(&caller.scope, self), &input)?)
    }

    pub fn checkpoint_logs(
        &self,
        caller: &Caller,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<CheckpointLog>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.checkpoint_logs(
            &caller.scope,
            &ForestFilter {
                from,
                to,
                ..Default::default()
            },
        )?)
    }

    pub fn record_patrol(&self, caller: &Caller, d: &PatrolDraft) -> Result<Patrol> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let patroller = text(&mut e, "patroller", "巡护人员", &d.patroller, 60);
        let patrolled_on = date(&mut e, "patrolled_on", &d.patrolled_on);
        if let Some(day) = patrolled_on
            && day > self.clock.today()
        {
            e.add("patrolled_on", "巡护日期不能晚于今天");
        }
        if let Err(m) = rules::check_patrol_times(&d.from_time, &d.to_time) {
            e.add("to_time", m);
        }
        let patch_id = id_of(&mut e, "patch_id", "请选择山头（地块）", &d.patch_id);
        let region = d.region_code.trim();
        if patch_id.is_none() && anjian_domain::RegionCode::parse(region).is_err() {
            e.add("region_code", "请选择巡护的村（社区）或山头");
        }
        let finding = match d.finding.trim() {
            "" => Some(Finding::None),
            f => Finding::from_words(f),
        };
        if finding.is_none() {
            e.add(
                "finding",
                format!(
                    "发现情况应为：{}",
                    one_of(Finding::ALL.iter().map(|f| f.label()))
                ),
            );
        }
        let details = optional(&d.details, 1000);
        if finding.is_some_and(|f| f != Finding::None) && details.is_empty() {
            e.add("details", "发现问题时请写明情况和处置");
        }
        e.into_result()?;
        let Some(patrolled_on) = patrolled_on else {
            return Err(AppError::BadRequest("巡护信息不完整".into()));
        };
        let input = PatrolInput {
            region_code: region.to_string(),
            patch_id,
            patroller,
            patrolled_on,
            from_time: d.from_time.trim().to_string(),
            to_time: d.to_time.trim().to_string(),
            route: optional(&d.route, 200),
            finding: finding.unwrap_or(Finding::None),
            details,
        };
        self.store
            .record_patrol(&caller.change(&caller.scope, self), &input)
            .map_err(|err| {
                field_error(
                    err,
                    &[
                        ("patch_id", "", "山头（地块）不存在"),
                        ("region_code", "", "巡护地点不存在"),
                    ],
                )
            })
    }

    pub fn forest_patrols(
        &self,
        caller: &Caller,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        region: Option<&str>,
    ) -> Result<Vec<Patrol>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.forest_patrols(
            &caller.scope,
            &ForestFilter {
                from,
                to,
                region: region.map(str::to_string),
                ..Default::default()
            },
        )?)
    }

    pub fn set_forest_duty(&self, caller: &Caller, d: &DutyDraft) -> Result<Duty> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let region = match d.region_code.trim() {
            "" => caller.user.region_code.clone(),
            r => r.to_string(),
        };
        if anjian_domain::RegionCode::parse(&region).is_err() {
            e.add("region_code", "请选择值班的县或乡镇");
        }
        let duty_on = date(&mut e, "duty_on", &d.duty_on);
        let leader = text(&mut e, "leader", "带班领导", &d.leader, 30);
        let leader_phone = phone(&mut e, "leader_phone", &d.leader_phone);
        let officer = text(&mut e, "officer", "值班人员", &d.officer, 30);
        let officer_phone = phone(&mut e, "officer_phone", &d.officer_phone);
        e.into_result()?;
        let Some(duty_on) = duty_on else {
            return Err(AppError::BadRequest("值班信息不完整".into()));
        };
        let input = DutyInput {
            region_code: region,
            duty_on,
            leader,
            leader_phone,
            officer,
            officer_phone,
        };
        self.store
            .set_forest_duty(&caller.change(&caller.scope, self), &input)
            .map_err(|err| field_error(err, &[("region_code", "", "值班地点不存在")]))
    }

    pub fn forest_duties(
        &self,
        caller: &Caller,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Duty>> {
        self.require_forest_reader(caller)?;
        Ok(self.store.forest_duties(
            &caller.scope,
            &ForestFilter {
                from,
                to,
                ..Default::default()
            },
        )?)
    }

    pub fn create_forest_equipment(
        &self,
        caller: &Caller,
        d: &EquipmentDraft,
    ) -> Result<Equipment> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let kind = EquipmentKind::from_words(&d.kind);
        if kind.is_none() {
            e.add(
                "kind",
                format!(
                    "装备类别应为：{}",
                    one_of(EquipmentKind::ALL.iter().map(|k| k.label()))
                ),
            );
        }
        let quantity = match d.quantity.trim().parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => n,
            _ => {
                e.add("quantity", "数量应为正整数");
                0
            }
        };
        let acquisition = Acquisition::from_words(&d.acquisition);
        if acquisition.is_none() {
            e.add("acquisition", "来源应为“购置”或“受捐赠”");
        }
        let cost_fen = match d.cost_yuan.trim() {
            "" => 0,
            s => match parse_hundredths(s) {
                Ok(v) => v,
                Err(_) => {
                    e.add("cost_yuan", "金额应为不小于0的数（元），最多两位小数");
                    0
                }
            },
        };
        let donor = optional(&d.donor, 100);
        match acquisition {
            Some(Acquisition::Purchased) if cost_fen == 0 => {
                e.add("cost_yuan", "购置的装备请填写金额（元）")
            }
            Some(Acquisition::Donated) if donor.is_empty() => {
                e.add("donor", "受捐赠的装备请填写捐赠单位")
            }
            Some(Acquisition::Donated) if cost_fen > 0 => {
                e.add("cost_yuan", "受捐赠的装备不计投入资金，请不填金额")
            }
            _ => {}
        }
        let acquired_on = date(&mut e, "acquired_on", &d.acquired_on);
        e.into_result()?;
        let (Some(kind), Some(acquisition), Some(acquired_on)) = (kind, acquisition, acquired_on)
        else {
            return Err(AppError::BadRequest("装备信息不完整".into()));
        };
        let input = EquipmentInput {
            region_code: crate::leaders::county_of(caller)?,
            kind,
            model: optional(&d.model, 100),
            quantity,
            acquisition,
            donor,
            cost_fen,
            acquired_on,
            note: optional(&d.note, 500),
        };
        self.store
            .create_forest_equipment(&caller.change(&caller.scope, self), &input)
            .map_err(|err| match err {
                StoreError::Forbidden => {
                    AppError::Forbidden("装备由县（市、区）统一登记和发放".into())
                }
                other => other.into(),
            })
    }

    pub fn forest_equipment(&self, caller: &Caller) -> Result<Vec<Equipment>> {
        self.require_forest_reader(caller)?;
        Ok(self
            .store
            .forest_equipment(&caller.scope, &ForestFilter::default())?)
    }

    pub fn hand_over_equipment(&self, caller: &Caller, d: &HandoverDraft) -> Result<Handover> {
        self.require_forest_writer(caller)?;
        let mut e = ValidationErrors::new();
        let equipment_id = id_of(&mut e, "equipment_id", "请选择装备", &d.equipment_id);
        if d.equipment_id.trim().is_empty() {
            e.add("equipment_id", "请选择装备");
        }
        let recipient = match d.recipient.trim().split_once(':') {
            Some(("township", code)) if anjian_domain::RegionCode::parse(code).is_ok() => {
                Some(Recipient::Township(code.to_string()))
            }
            Some(("farm", id)) => id.parse::<i64>().ok().map(Recipient::Farm),
            _ => None,
        };
        if recipient.is_none() {
            e.add("recipient", "请选择领取的乡镇或国有林场（农场）");
        }
        let quantity = match d.quantity.trim().parse::<i64>() {
            Ok(n) if n > 0 => n,
            _ => {
                e.add("quantity", "发放数量应为正整数");
                0
            }
        };
        let handed_on = date(&mut e, "handed_on", &d.handed_on);
        e.into_result()?;
        let (Some(equipment_id), Some(recipient), Some(handed_on)) =
            (equipment_id, recipient, handed_on)
        else {
            return Err(AppError::BadRequest("发放信息不完整".into()));
        };
        let equipment = self
            .store
            .get_forest_equipment(&caller.scope, equipment_id)?;
        if handed_on < equipment.acquired_on {
            return Err(
                ValidationErrors::single("handed_on", "发放日期不能早于购置（受赠）日期").into(),
            );
        }
        let input = HandoverInput {
            equipment_id,
            recipient,
            quantity,
            handed_on,
            received_by: optional(&d.received_by, 30),
            note: optional(&d.note, 500),
        };
        self.store
            .hand_over_equipment(&caller.change(&caller.scope, self), &input)
            .map_err(|err| match err {
                StoreError::Invalid(f) if f == "quantity" => ValidationErrors::single(
                    "quantity",
                    format!(
                        "发放数量超过库存：共{}，已发放{}",
                        equipment.quantity, equipment.handed
                    ),
                )
                .into(),
                StoreError::Invalid(f) if f == "recipient" => {
                    ValidationErrors::single("recipient", "领取单位不是本县的乡镇或林场（农场）")
                        .into()
                }
                other => other.into(),
            })
    }

    pub fn forest_handovers(&self, caller: &Caller) -> Result<Vec<Handover>> {
        self.require_forest_reader(caller)?;
        Ok(self
            .store
            .forest_handovers(&caller.scope, &ForestFilter::default())?)
    }

    /// Each township's and farm's kit: what it received, by kind.
    pub fn forest_kits(&self, caller: &Caller) -> Result<Vec<Kit>> {
        let handovers = self.forest_handovers(caller)?;
        let mut kits: BTreeMap<String, Kit> = BTreeMap::new();
        for h in handovers {
            let key = match (&h.township_code, h.farm_id) {
                (Some(t), _) => format!("township:{t}"),
                (None, Some(f)) => format!("farm:{f}"),
                (None, None) => continue,
            };
            let kit = kits.entry(key.clone()).or_insert_with(|| Kit {
                recipient: key,
                name: h.recipient.clone(),
                items: Vec::new(),
                handovers: Vec::new(),
            });
            let label = h.kind.label().to_string();
            match kit.items.iter_mut().find(|i| i.kind == label) {
                Some(i) => i.quantity += h.quantity,
                None => kit.items.push(KitItem {
                    kind: label,
                    quantity: h.quantity,
                }),
            }
            kit.handovers.push(h);
        }
        let mut list: Vec<Kit> = kits.into_values().collect();
        // Townships first (by code), then farms.
        list.sort_by(|a, b| {
            (a.recipient.starts_with("farm:"), &a.recipient)
                .cmp(&(b.recipient.starts_with("farm:"), &b.recipient))
        });
        Ok(list)
    }
}

fn village(code: &str, names: &BTreeMap<&str, &str>) -> VillageChain {
    VillageChain {
        code: code.to_string(),
        name: names.get(code).map(|n| n.to_string()).unwrap_or_default(),
        people: Vec::new(),
        patches: Vec::new(),
        without_person: false,
    }
}

/// Area in 亩 with two places, as typed back.
pub fn mu_text(centi_mu: i64) -> String {
    anjian_domain::decimal::hundredths_text(centi_mu)
}
