//! Forest-fire prevention (森林防灭火): fire seasons, state forest farms, hills and plots, the
//! season's chain of responsible persons, checkpoints and their daily registers, patrols, the
//! duty roster, and equipment with its handovers to townships and farms.
//!
//! Visibility: every record is a regulator's own (`scope_sql::regulator` on its
//! `region_code`): the county sees all, a township what lies in it (and the equipment handed
//! to it), enterprises nothing. Writes need a writable scope that admits the record's place;
//! a handover never gives out more than is left of its equipment (checked in the writing
//! transaction). Every change is audited in its transaction.

use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::{Change, Result, Store, StoreError, Value, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::forest::{Acquisition, EquipmentKind, FarmKind, Finding, Level, WardenRole};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A fire season (防火期).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestSeason)]
pub struct Season {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_at: String,
}

crate::table_row! {
    table "forest_seasons", key id, cols SEASON_COLS;
    fn season_row -> Season {
        id: i64,
        county_code: text,
        region_code: text,
        name: text,
        starts_on: date,
        ends_on: date,
        created_at: text,
    }
}

/// A state forest farm or farm (国有林场、国有农场).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestFarm)]
pub struct Farm {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub name: String,
    pub kind: FarmKind,
    pub note: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_farms", key id, cols FARM_COLS;
    fn farm_row -> Farm {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = forest_farms.region_code), forest_farms.region_code)",
        name: text,
        kind: code(FarmKind::parse),
        note: text,
        created_at: text,
    }
}

/// A hill or plot (山头地块).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestPatch)]
pub struct Patch {
    pub id: i64,
    pub county_code: String,
    /// The village (or township) it lies in.
    pub region_code: String,
    pub region_name: String,
    pub name: String,
    /// Area in hundredths of 亩.
    pub area_centi_mu: i64,
    pub species: String,
    pub farm_id: Option<i64>,
    pub farm_name: String,
    pub note: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_patches", key id, cols PATCH_COLS;
    fn patch_row -> Patch {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = forest_patches.region_code), forest_patches.region_code)",
        name: text,
        area_centi_mu: i64,
        species: text,
        farm_id: opt_i64,
        farm_name: text = "COALESCE((SELECT f.name FROM forest_farms f WHERE f.id = forest_patches.farm_id), '')",
        note: text,
        created_at: text,
    }
}

/// A fire checkpoint (防火检查站) of a season.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestCheckpoint)]
pub struct Checkpoint {
    pub id: i64,
    pub county_code: String,
    pub season_id: i64,
    pub region_code: String,
    pub region_name: String,
    pub name: String,
    pub location: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_checkpoints", key id, cols CHECKPOINT_COLS;
    fn checkpoint_row -> Checkpoint {
        id: i64,
        county_code: text,
        season_id: i64,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = forest_checkpoints.region_code), forest_checkpoints.region_code)",
        name: text,
        location: text,
        created_at: text,
    }
}

/// A responsible person of the season's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestWarden)]
pub struct Warden {
    pub id: i64,
    pub county_code: String,
    pub season_id: i64,
    pub level: Level,
    pub region_code: String,
    pub region_name: String,
    pub patch_id: Option<i64>,
    pub patch_name: String,
    pub checkpoint_id: Option<i64>,
    pub checkpoint_name: String,
    pub role: WardenRole,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_wardens", key id, cols WARDEN_COLS;
    fn warden_row -> Warden {
        id: i64,
        county_code: text,
        season_id: i64,
        level: code(Level::parse),
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = forest_wardens.region_code), forest_wardens.region_code)",
        patch_id: opt_i64,
        patch_name: text = "COALESCE((SELECT p.name FROM forest_patches p WHERE p.id = forest_wardens.patch_id), '')",
        checkpoint_id: opt_i64,
        checkpoint_name: text = "COALESCE((SELECT c.name FROM forest_checkpoints c WHERE c.id = forest_wardens.checkpoint_id), '')",
        role: code(WardenRole::parse),
        name: text,
        post: text,
        phone: text,
        created_at: text,
    }
}

/// A checkpoint's register of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestCheckpointLog)]
pub struct CheckpointLog {
    pub id: i64,
    pub county_code: String,
    pub checkpoint_id: i64,
    pub checkpoint_name: String,
    pub region_code: String,
    pub logged_on: NaiveDate,
    pub people: i64,
    pub vehicles: i64,
    pub fire_sources: i64,
    pub on_duty: String,
    pub note: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_checkpoint_logs", key id, cols LOG_COLS;
    fn log_row -> CheckpointLog {
        id: i64,
        county_code: text,
        checkpoint_id: i64,
        checkpoint_name: text = "COALESCE((SELECT c.name FROM forest_checkpoints c WHERE c.id = forest_checkpoint_logs.checkpoint_id), '')",
        region_code: text,
        logged_on: date,
        people: i64,
        vehicles: i64,
        fire_sources: i64,
        on_duty: text,
        note: text,
        created_at: text,
    }
}

/// A patrol (巡护).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestPatrol)]
pub struct Patrol {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub patch_id: Option<i64>,
    pub patch_name: String,
    pub patroller: String,
    pub patrolled_on: NaiveDate,
    /// `HH:MM`.
    pub from_time: String,
    pub to_time: String,
    pub route: String,
    pub finding: Finding,
    pub details: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_patrols", key id, cols PATROL_COLS;
    fn patrol_row -> Patrol {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = forest_patrols.region_code), forest_patrols.region_code)",
        patch_id: opt_i64,
        patch_name: text = "COALESCE((SELECT p.name FROM forest_patches p WHERE p.id = forest_patrols.patch_id), '')",
        patroller: text,
        patrolled_on: date,
        from_time: text,
        to_time: text,
        route: text,
        finding: code(Finding::parse),
        details: text,
        created_at: text,
    }
}

/// A day of the duty roster (防火期值班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestDuty)]
pub struct Duty {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub duty_on: NaiveDate,
    pub leader: String,
    pub leader_phone: String,
    pub officer: String,
    pub officer_phone: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_duties", key id, cols DUTY_COLS;
    fn duty_row -> Duty {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = forest_duties.region_code), forest_duties.region_code)",
        duty_on: date,
        leader: text,
        leader_phone: text,
        officer: text,
        officer_phone: text,
        created_at: text,
    }
}

/// Equipment bought or donated, with how much of it was handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestEquipment)]
pub struct Equipment {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub kind: EquipmentKind,
    pub model: String,
    pub quantity: i64,
    /// Handed over so far.
    pub handed: i64,
    pub acquisition: Acquisition,
    pub donor: String,
    pub cost_fen: i64,
    pub acquired_on: NaiveDate,
    pub note: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_equipment", key id, cols EQUIPMENT_COLS;
    fn equipment_row -> Equipment {
        id: i64,
        county_code: text,
        region_code: text,
        kind: code(EquipmentKind::parse),
        model: text,
        quantity: i64,
        handed: i64 = "CAST(COALESCE((SELECT SUM(h.quantity) FROM forest_handovers h WHERE h.equipment_id = forest_equipment.id), 0) AS BIGINT)",
        acquisition: code(Acquisition::parse),
        donor: text,
        cost_fen: i64,
        acquired_on: date,
        note: text,
        created_at: text,
    }
}

/// Equipment handed to a township or a farm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestHandover)]
pub struct Handover {
    pub id: i64,
    pub county_code: String,
    pub equipment_id: i64,
    pub kind: EquipmentKind,
    pub model: String,
    pub region_code: String,
    pub township_code: Option<String>,
    pub farm_id: Option<i64>,
    /// The township's or the farm's name.
    pub recipient: String,
    pub quantity: i64,
    pub handed_on: NaiveDate,
    pub received_by: String,
    pub note: String,
    pub created_at: String,
}

crate::table_row! {
    table "forest_handovers", key id, cols HANDOVER_COLS;
    fn handover_row -> Handover {
        id: i64,
        county_code: text,
        equipment_id: i64,
        kind: code(EquipmentKind::parse) = "(SELECT q.kind FROM forest_equipment q WHERE q.id = forest_handovers.equipment_id)",
        model: text = "COALESCE((SELECT q.model FROM forest_equipment q WHERE q.id = forest_handovers.equipment_id), '')",
        region_code: text,
        township_code: opt_text,
        farm_id: opt_i64,
        recipient: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = forest_handovers.township_code), (SELECT f.name FROM forest_farms f WHERE f.id = forest_handovers.farm_id), '')",
        quantity: i64,
        handed_on: date,
        received_by: text,
        note: text,
        created_at: text,
    }
}

/// A season to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeasonInput {
    /// The county's region code.
    pub region_code: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FarmInput {
    pub region_code: String,
    pub name: String,
    pub kind: FarmKind,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchInput {
    pub region_code: String,
    pub name: String,
    pub area_centi_mu: i64,
    pub species: String,
    pub farm_id: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointInput {
    pub season_id: i64,
    pub region_code: String,
    pub name: String,
    pub location: String,
}

/// A responsible person to write; the place of a hill's or a checkpoint's person is the
/// hill's or the checkpoint's (the store reads it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WardenInput {
    pub season_id: i64,
    pub level: Level,
    pub region_code: String,
    pub patch_id: Option<i64>,
    pub checkpoint_id: Option<i64>,
    pub role: WardenRole,
    pub name: String,
    pub post: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointLogInput {
    pub checkpoint_id: i64,
    pub logged_on: NaiveDate,
    pub people: i64,
    pub vehicles: i64,
    pub fire_sources: i64,
    pub on_duty: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatrolInput {
    /// The place patrolled; a hill's patrol lies at the hill's place.
    pub region_code: String,
    pub patch_id: Option<i64>,
    pub patroller: String,
    pub patrolled_on: NaiveDate,
    pub from_time: String,
    pub to_time: String,
    pub route: String,
    pub finding: Finding,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyInput {
    pub region_code: String,
    pub duty_on: NaiveDate,
    pub leader: String,
    pub leader_phone: String,
    pub officer: String,
    pub officer_phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentInput {
    /// The county's region code (the county holds its equipment until handed over).
    pub region_code: String,
    pub kind: EquipmentKind,
    pub model: String,
    pub quantity: i64,
    pub acquisition: Acquisition,
    pub donor: String,
    pub cost_fen: i64,
    pub acquired_on: NaiveDate,
    pub note: String,
}

/// Who receives a handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipient {
    Township(String),
    Farm(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverInput {
    pub equipment_id: i64,
    pub recipient: Recipient,
    pub quantity: i64,
    pub handed_on: NaiveDate,
    pub received_by: String,
    pub note: String,
}

/// A hill with its own responsible persons, as a grid import writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    pub patch: PatchInput,
    /// Persons of the hill (level patch) or of its village (level village).
    pub wardens: Vec<WardenInput>,
}

/// Which records of a period and place to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForestFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A region prefix (a township's nine digits, a village's twelve).
    pub region: Option<String>,
    pub season_id: Option<i64>,
}

/// `t.col` within `[from, to]` and `t.region_code` under the prefix.
fn filtered(f: &ForestFilter, t: &str, day: &str, cond: &mut String, p: &mut Vec<Value>) {
    if let Some(from) = f.from {
        cond.push_str(&format!(" AND {t}.{day} >= ?"));
        p.push(from.into());
    }
    if let Some(to) = f.to {
        cond.push_str(&format!(" AND {t}.{day} <= ?"));
        p.push(to.into());
    }
    if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
        cond.push_str(" AND ");
        cond.push_str(&scope_sql::region_subtree(
            &format!("{t}.region_code"),
            r,
            p,
        ));
    }
}

/// Reads one row of `table` visible in the scope, or NotFound.
fn one_in<T>(
    tx: &mut dyn Tx,
    scope: &Scope,
    table: &str,
    cols: impl std::fmt::Display,
    id: i64,
    read: fn(&crate::db::Row) -> Result<T>,
) -> Result<T> {
    let mut p = Vec::new();
    let cond = scope_sql::regulator(scope, &format!("{table}.region_code"), &mut p);
    p.push(id.into());
    let r = tx
        .query_opt(
            &format!("SELECT {cols} FROM {table} WHERE {cond} AND {table}.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    read(&r)
}

/// Every row of `table` visible in the scope and matching `extra`, in `order`.
fn list_in<T>(
    store: &Store,
    scope: &Scope,
    table: &str,
    cols: impl std::fmt::Display,
    extra: (&str, Vec<Value>),
    order: &str,
    read: fn(&crate::db::Row) -> Result<T>,
) -> Result<Vec<T>> {
    let mut p = Vec::new();
    let mut cond = scope_sql::regulator(scope, &format!("{table}.region_code"), &mut p);
    cond.push_str(extra.0);
    p.extend(extra.1);
    store.db().read(|tx| {
        tx.query(
            &format!("SELECT {cols} FROM {table} WHERE {cond} ORDER BY {order}"),
            &p,
        )?
        .iter()
        .map(read)
        .collect()
    })
}

fn read_by_id<T>(
    tx: &mut dyn Tx,
    table: &str,
    cols: impl std::fmt::Display,
    id: i64,
    read: fn(&crate::db::Row) -> Result<T>,
) -> Result<T> {
    read(&tx.query_one(
        &format!("SELECT {cols} FROM {table} WHERE id = ?"),
        &params![id],
    )?)
}

/// The region code (stored) of a township or village: it must exist under the county.
fn region_exists(tx: &mut dyn Tx, code: &str) -> Result<()> {
    tx.query_opt("SELECT 1 FROM regions WHERE code = ?", &params![code])?
        .map(|_| ())
        .ok_or_else(|| StoreError::Invalid("region_code".into()))
}

/// A season of the scope's county (a township reads its county's seasons), or Invalid.
fn season_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Season> {
    let mut p = Vec::new();
    let cond = scope_sql::county_wide(scope, "forest_seasons.county_code", &mut p);
    p.push(id.into());
    tx.query_opt(
        &format!("SELECT {SEASON_COLS} FROM forest_seasons WHERE {cond} AND id = ?"),
        &p,
    )?
    .map(|r| season_row(&r))
    .transpose()?
    .ok_or_else(|| StoreError::Invalid("season_id".into()))
}

/// A farm of the scope's county, or Invalid.
fn farm_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Farm> {
    let mut p = Vec::new();
    let cond = scope_sql::county_wide(scope, "forest_farms.county_code", &mut p);
    p.push(id.into());
    tx.query_opt(
        &format!("SELECT {FARM_COLS} FROM forest_farms WHERE {cond} AND id = ?"),
        &p,
    )?
    .map(|r| farm_row(&r))
    .transpose()?
    .ok_or_else(|| StoreError::Invalid("farm_id".into()))
}

fn insert_warden(tx: &mut dyn Tx, change: &Change<'_>, w: &WardenInput) -> Result<Warden> {
    let season = season_in(tx, change.scope, w.season_id)?;
    let region = match (w.level, w.patch_id, w.checkpoint_id) {
        (Level::Patch, Some(p), None) => {
            one_in(tx, change.scope, "forest_patches", PATCH_COLS, p, patch_row)
                .map_err(|_| StoreError::Invalid("patch_id".into()))?
                .region_code
        }
        (Level::Checkpoint, None, Some(c)) => {
            let cp = one_in(
                tx,
                change.scope,
                "forest_checkpoints",
                CHECKPOINT_COLS,
                c,
                checkpoint_row,
            )
            .map_err(|_| StoreError::Invalid("checkpoint_id".into()))?;
            if cp.season_id != w.season_id {
                return Err(StoreError::Invalid("checkpoint_id".into()));
            }
            cp.region_code
        }
        (Level::Patch, ..) => return Err(StoreError::Invalid("patch_id".into())),
        (Level::Checkpoint, ..) => return Err(StoreError::Invalid("checkpoint_id".into())),
        (_, None, None) => {
            region_exists(tx, &w.region_code)?;
            w.region_code.clone()
        }
        _ => return Err(StoreError::Invalid("level".into())),
    };
    change.require_regulator_at(&region)?;
    if crate::county_of(&region)? != season.county_code {
        return Err(StoreError::Invalid("season_id".into()));
    }
    let now = change.ts();
    let id = tx.scalar_i64(
        "INSERT INTO forest_wardens (county_code, season_id, level, region_code, patch_id, checkpoint_id, role, name, post, phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![season.county_code.as_str(), w.season_id, w.level.as_str(), region.as_str(), w.patch_id, w.checkpoint_id, w.role.as_str(), w.name.as_str(), w.post.as_str(), w.phone.as_str(), now.as_str()],
    )?;
    let saved = read_by_id(tx, "forest_wardens", WARDEN_COLS, id, warden_row)?;
    audit(
        tx,
        change,
        "forest_warden.create",
        id,
        &saved.region_code,
        None,
        Some(&saved),
    )?;
    Ok(saved)
}

fn insert_patch(tx: &mut dyn Tx, change: &Change<'_>, k: &PatchInput) -> Result<Patch> {
    change.require_regulator_at(&k.region_code)?;
    region_exists(tx, &k.region_code)?;
    let county = crate::county_of(&k.region_code)?;
    if let Some(f) = k.farm_id {
        let farm = farm_in(tx, change.scope, f)?;
        if farm.county_code != county {
            return Err(StoreError::Invalid("farm_id".into()));
        }
    }
    let now = change.ts();
    let id = tx.scalar_i64(
        "INSERT INTO forest_patches (county_code, region_code, name, area_centi_mu, species, farm_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![county.as_str(), k.region_code.as_str(), k.name.as_str(), k.area_centi_mu, k.species.as_str(), k.farm_id, k.note.as_str(), now.as_str()],
    )?;
    let saved = read_by_id(tx, "forest_patches", PATCH_COLS, id, patch_row)?;
    audit(
        tx,
        change,
        "forest_patch.create",
        id,
        &saved.region_code,
        None,
        Some(&saved),
    )?;
    Ok(saved)
}

impl Store {
    pub fn create_forest_season(&self, change: &Change<'_>, s: &SeasonInput) -> Result<Season> {
        change.require_regulator_at(&s.region_code)?;
        let county = crate::county_of(&s.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO forest_seasons (county_code, region_code, name, starts_on, ends_on, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), county.as_str(), s.name.as_str(), s.starts_on, s.ends_on, now.as_str()],
            )?;
            let saved = read_by_id(tx, "forest_seasons", SEASON_COLS, id, season_row)?;
            audit(tx, change, "forest_season.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// The seasons of the scope's counties, latest first. A township sees its county's
    /// seasons (they are the county's own).
    pub fn forest_seasons(&self, scope: &Scope) -> Result<Vec<Season>> {
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(scope, "forest_seasons.county_code", &mut p);
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {SEASON_COLS} FROM forest_seasons WHERE {cond} ORDER BY starts_on DESC, id DESC"),
                &p,
            )?
            .iter()
            .map(season_row)
            .collect()
        })
    }

    pub fn create_forest_farm(&self, change: &Change<'_>, f: &FarmInput) -> Result<Farm> {
        change.require_regulator_at(&f.region_code)?;
        let county = crate::county_of(&f.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            region_exists(tx, &f.region_code)?;
            let id = tx.scalar_i64(
                "INSERT INTO forest_farms (county_code, region_code, name, kind, note, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), f.region_code.as_str(), f.name.as_str(), f.kind.as_str(), f.note.as_str(), now.as_str()],
            )?;
            let saved = read_by_id(tx, "forest_farms", FARM_COLS, id, farm_row)?;
            audit(tx, change, "forest_farm.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// The farms of the scope's counties (a township sees its county's farms: it may hold
    /// hills of theirs).
    pub fn forest_farms(&self, scope: &Scope) -> Result<Vec<Farm>> {
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(scope, "forest_farms.county_code", &mut p);
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {FARM_COLS} FROM forest_farms WHERE {cond} ORDER BY name, id"),
                &p,
            )?
            .iter()
            .map(farm_row)
            .collect()
        })
    }

    pub fn create_forest_patch(&self, change: &Change<'_>, k: &PatchInput) -> Result<Patch> {
        self.write(|tx| insert_patch(tx, change, k))
    }

    pub fn forest_patches(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<Patch>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        let region_only = ForestFilter {
            region: f.region.clone(),
            ..Default::default()
        };
        filtered(
            &region_only,
            "forest_patches",
            "created_at",
            &mut cond,
            &mut p,
        );
        list_in(
            self,
            scope,
            "forest_patches",
            PATCH_COLS,
            (&cond, p),
            "region_code, name, id",
            patch_row,
        )
    }

    pub fn create_forest_checkpoint(
        &self,
        change: &Change<'_>,
        c: &CheckpointInput,
    ) -> Result<Checkpoint> {
        change.require_regulator_at(&c.region_code)?;
        let county = crate::county_of(&c.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            region_exists(tx, &c.region_code)?;
            let season = season_in(tx, change.scope, c.season_id)?;
            if season.county_code != county {
                return Err(StoreError::Invalid("season_id".into()));
            }
            let id = tx.scalar_i64(
                "INSERT INTO forest_checkpoints (county_code, season_id, region_code, name, location, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), c.season_id, c.region_code.as_str(), c.name.as_str(), c.location.as_str(), now.as_str()],
            )?;
            let saved = read_by_id(tx, "forest_checkpoints", CHECKPOINT_COLS, id, checkpoint_row)?;
            audit(tx, change, "forest_checkpoint.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn forest_checkpoints(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<Checkpoint>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        if let Some(s) = f.season_id {
            cond.push_str(" AND forest_checkpoints.season_id = ?");
            p.push(s.into());
        }
        let region_only = ForestFilter {
            region: f.region.clone(),
            ..Default::default()
        };
        filtered(
            &region_only,
            "forest_checkpoints",
            "created_at",
            &mut cond,
            &mut p,
        );
        list_in(
            self,
            scope,
            "forest_checkpoints",
            CHECKPOINT_COLS,
            (&cond, p),
            "region_code, name, id",
            checkpoint_row,
        )
    }

    pub fn create_forest_warden(&self, change: &Change<'_>, w: &WardenInput) -> Result<Warden> {
        self.write(|tx| insert_warden(tx, change, w))
    }

    /// The chain of a season (or of every season), by level then place.
    pub fn forest_wardens(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<Warden>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        if let Some(s) = f.season_id {
            cond.push_str(" AND forest_wardens.season_id = ?");
            p.push(s.into());
        }
        let region_only = ForestFilter {
            region: f.region.clone(),
            ..Default::default()
        };
        filtered(
            &region_only,
            "forest_wardens",
            "created_at",
            &mut cond,
            &mut p,
        );
        // The county's own persons (its 林长) head every township's chain: a township reads
        // them as it reads its county's season.
        let mut v = Vec::new();
        let own = scope_sql::regulator(scope, "forest_wardens.region_code", &mut v);
        let county = scope_sql::county_wide(scope, "forest_wardens.county_code", &mut v);
        v.extend(p);
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {WARDEN_COLS} FROM forest_wardens WHERE (({own}) OR (forest_wardens.level = 'county' AND {county})){cond} ORDER BY region_code, CASE level WHEN 'county' THEN 0 WHEN 'township' THEN 1 WHEN 'village' THEN 2 WHEN 'checkpoint' THEN 3 ELSE 4 END, patch_id, id"
                ),
                &v,
            )?
            .iter()
            .map(warden_row)
            .collect()
        })
    }

    /// Writes a grid import's hills and persons in one transaction: all or nothing.
    pub fn import_forest_grid(&self, change: &Change<'_>, rows: &[GridRow]) -> Result<usize> {
        change.require_writable()?;
        self.write(|tx| {
            for row in rows {
                let patch = insert_patch(tx, change, &row.patch)?;
                for w in &row.wardens {
                    let mut w = w.clone();
                    if w.level == Level::Patch {
                        w.patch_id = Some(patch.id);
                    }
                    // A village's person named on several rows is one person.
                    if w.level == Level::Village {
                        let known = tx.query_opt(
                            "SELECT 1 FROM forest_wardens WHERE season_id = ? AND level = 'village' AND region_code = ? AND role = ? AND name = ?",
                            &params![w.season_id, w.region_code.as_str(), w.role.as_str(), w.name.as_str()],
                        )?;
                        if known.is_some() {
                            continue;
                        }
                    }
                    insert_warden(tx, change, &w)?;
                }
            }
            Ok(rows.len())
        })
    }

    pub fn record_checkpoint_log(
        &self,
        change: &Change<'_>,
        l: &CheckpointLogInput,
    ) -> Result<CheckpointLog> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let cp = one_in(tx, change.scope, "forest_checkpoints", CHECKPOINT_COLS, l.checkpoint_id, checkpoint_row)?;
            change.require_regulator_at(&cp.region_code)?;
            let id = tx.scalar_i64(
                "INSERT INTO forest_checkpoint_logs (county_code, checkpoint_id, region_code, logged_on, people, vehicles, fire_sources, on_duty, note, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![cp.county_code.as_str(), cp.id, cp.region_code.as_str(), l.logged_on, l.people, l.vehicles, l.fire_sources, l.on_duty.as_str(), l.note.as_str(), change.actor_id, now.as_str()],
            )?;
            let saved = read_by_id(tx, "forest_checkpoint_logs", LOG_COLS, id, log_row)?;
            audit(tx, change, "forest_checkpoint_log.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn checkpoint_logs(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<CheckpointLog>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        filtered(f, "forest_checkpoint_logs", "logged_on", &mut cond, &mut p);
        list_in(
            self,
            scope,
            "forest_checkpoint_logs",
            LOG_COLS,
            (&cond, p),
            "logged_on DESC, id DESC",
            log_row,
        )
    }

    pub fn record_patrol(&self, change: &Change<'_>, r: &PatrolInput) -> Result<Patrol> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let region = match r.patch_id {
                Some(id) => one_in(tx, change.scope, "forest_patches", PATCH_COLS, id, patch_row)
                    .map_err(|_| StoreError::Invalid("patch_id".into()))?
                    .region_code,
                None => {
                    region_exists(tx, &r.region_code)?;
                    r.region_code.clone()
                }
            };
            change.require_regulator_at(&region)?;
            let county = crate::county_of(&region)?;
            let id = tx.scalar_i64(
                "INSERT INTO forest_patrols (county_code, region_code, patch_id, patroller, patrolled_on, from_time, to_time, route, finding, details, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), region.as_str(), r.patch_id, r.patroller.as_str(), r.patrolled_on, r.from_time.as_str(), r.to_time.as_str(), r.route.as_str(), r.finding.as_str(), r.details.as_str(), change.actor_id, now.as_str()],
            )?;
            let saved = read_by_id(tx, "forest_patrols", PATROL_COLS, id, patrol_row)?;
            audit(tx, change, "forest_patrol.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn forest_patrols(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<Patrol>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        filtered(f, "forest_patrols", "patrolled_on", &mut cond, &mut p);
        list_in(
            self,
            scope,
            "forest_patrols",
            PATROL_COLS,
            (&cond, p),
            "patrolled_on DESC, from_time DESC, id DESC",
            patrol_row,
        )
    }

    /// Sets the duty of a day at a place (the county or a township): a second entry for the
    /// same day and place replaces the first.
    pub fn set_forest_duty(&self, change: &Change<'_>, d: &DutyInput) -> Result<Duty> {
        change.require_regulator_at(&d.region_code)?;
        let county = crate::county_of(&d.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            region_exists(tx, &d.region_code)?;
            let before = tx
                .query_opt(
                    &format!("SELECT {DUTY_COLS} FROM forest_duties WHERE region_code = ? AND duty_on = ?"),
                    &params![d.region_code.as_str(), d.duty_on],
                )?
                .map(|r| duty_row(&r))
                .transpose()?;
            let id = match &before {
                Some(b) => {
                    tx.execute(
                        "UPDATE forest_duties SET leader = ?, leader_phone = ?, officer = ?, officer_phone = ? WHERE id = ?",
                        &params![d.leader.as_str(), d.leader_phone.as_str(), d.officer.as_str(), d.officer_phone.as_str(), b.id],
                    )?;
                    b.id
                }
                None => tx.scalar_i64(
                    "INSERT INTO forest_duties (county_code, region_code, duty_on, leader, leader_phone, officer, officer_phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &params![county.as_str(), d.region_code.as_str(), d.duty_on, d.leader.as_str(), d.leader_phone.as_str(), d.officer.as_str(), d.officer_phone.as_str(), now.as_str()],
                )?,
            };
            let saved = read_by_id(tx, "forest_duties", DUTY_COLS, id, duty_row)?;
            let action = if before.is_some() { "forest_duty.update" } else { "forest_duty.create" };
            audit(tx, change, action, id, &saved.region_code, before.as_ref(), Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn forest_duties(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<Duty>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        filtered(f, "forest_duties", "duty_on", &mut cond, &mut p);
        list_in(
            self,
            scope,
            "forest_duties",
            DUTY_COLS,
            (&cond, p),
            "duty_on, region_code, id",
            duty_row,
        )
    }

    pub fn create_forest_equipment(
        &self,
        change: &Change<'_>,
        q: &EquipmentInput,
    ) -> Result<Equipment> {
        change.require_regulator_at(&q.region_code)?;
        let county = crate::county_of(&q.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO forest_equipment (county_code, region_code, kind, model, quantity, acquisition, donor, cost_fen, acquired_on, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), q.region_code.as_str(), q.kind.as_str(), q.model.as_str(), q.quantity, q.acquisition.as_str(), q.donor.as_str(), q.cost_fen, q.acquired_on, q.note.as_str(), now.as_str()],
            )?;
            let saved = read_by_id(tx, "forest_equipment", EQUIPMENT_COLS, id, equipment_row)?;
            audit(tx, change, "forest_equipment.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    pub fn forest_equipment(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<Equipment>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        filtered(f, "forest_equipment", "acquired_on", &mut cond, &mut p);
        list_in(
            self,
            scope,
            "forest_equipment",
            EQUIPMENT_COLS,
            (&cond, p),
            "acquired_on, id",
            equipment_row,
        )
    }

    pub fn get_forest_equipment(&self, scope: &Scope, id: i64) -> Result<Equipment> {
        self.db().read(|tx| {
            one_in(
                tx,
                scope,
                "forest_equipment",
                EQUIPMENT_COLS,
                id,
                equipment_row,
            )
        })
    }

    /// Hands equipment to a township or a farm of its county. Refused (Invalid
    /// `quantity`) when more than is left would go out.
    pub fn hand_over_equipment(&self, change: &Change<'_>, h: &HandoverInput) -> Result<Handover> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let q = one_in(tx, change.scope, "forest_equipment", EQUIPMENT_COLS, h.equipment_id, equipment_row)?;
            change.require_regulator_at(&q.region_code)?;
            let (region, township, farm) = match &h.recipient {
                Recipient::Township(code) => {
                    let level = tx
                        .query_opt("SELECT level FROM regions WHERE code = ?", &params![code.as_str()])?
                        .map(|r| r.text(0))
                        .transpose()?;
                    if level.as_deref() != Some("township") || crate::county_of(code)? != q.county_code {
                        return Err(StoreError::Invalid("recipient".into()));
                    }
                    (code.clone(), Some(code.as_str()), None)
                }
                Recipient::Farm(id) => {
                    let farm = tx
                        .query_opt(&format!("SELECT {FARM_COLS} FROM forest_farms WHERE id = ?"), &params![*id])?
                        .map(|r| farm_row(&r))
                        .transpose()?
                        .filter(|f| f.county_code == q.county_code)
                        .ok_or_else(|| StoreError::Invalid("recipient".into()))?;
                    (farm.region_code, None, Some(*id))
                }
            };
            // Read the handovers inside the writing transaction: two concurrent handovers
            // cannot both take the last units.
            let handed: Vec<i64> = tx
                .query("SELECT quantity FROM forest_handovers WHERE equipment_id = ?", &params![q.id])?
                .iter()
                .map(|r| r.i64(0))
                .collect::<Result<_>>()?;
            anjian_domain::forest::remaining(q.quantity, &handed, h.quantity)
                .map_err(|_| StoreError::Invalid("quantity".into()))?;
            let id = tx.scalar_i64(
                "INSERT INTO forest_handovers (county_code, equipment_id, region_code, township_code, farm_id, quantity, handed_on, received_by, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![q.county_code.as_str(), q.id, region.as_str(), township, farm, h.quantity, h.handed_on, h.received_by.as_str(), h.note.as_str(), now.as_str()],
            )?;
            let saved = read_by_id(tx, "forest_handovers", HANDOVER_COLS, id, handover_row)?;
            audit(tx, change, "forest_handover.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Handovers visible in the scope (a township sees what it received), by day.
    pub fn forest_handovers(&self, scope: &Scope, f: &ForestFilter) -> Result<Vec<Handover>> {
        let mut cond = String::new();
        let mut p = Vec::new();
        filtered(f, "forest_handovers", "handed_on", &mut cond, &mut p);
        list_in(
            self,
            scope,
            "forest_handovers",
            HANDOVER_COLS,
            (&cond, p),
            "handed_on, id",
            handover_row,
        )
    }
}
