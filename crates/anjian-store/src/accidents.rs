//! The accident register (生产安全事故, 火灾, 森林火灾) and its 补报 history.
//!
//! Visibility: a record with a region, a sector and an optional enterprise (as hazards): a
//! township sees those in it, a department's users those of its sectors, an enterprise its
//! own; out of scope answers like missing. The use case computes the level, the window and
//! the deadlines (anjian_domain::accident); the store writes what it is given, one change per
//! transaction with its audit entry, under the record's version.

use crate::paging::{Keyset, Page};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::accident::{Category, Level, Party, parse_time};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// An accident as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Accident {
    pub id: i64,
    pub county_code: String,
    /// The township (or the enterprise's region).
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    /// The sector's code (道路交通 is `road`).
    pub sector: String,
    pub category: Category,
    /// GB 6441 class for a production accident; the fire's or forest fire's type otherwise.
    pub type_code: String,
    #[schema(value_type = String, example = "2022-03-14 23:30")]
    pub occurred_at: NaiveDateTime,
    pub occurred_on: NaiveDate,
    pub place: String,
    /// 简要经过.
    pub account: String,
    pub deaths: i64,
    pub missing: i64,
    /// 重伤 (急性工业中毒 included).
    pub serious_injuries: i64,
    pub minor_injuries: i64,
    /// 直接经济损失 in 分.
    pub loss_fen: i64,
    /// Burned forest in hundredths of a 公顷.
    pub forest_area_centi_ha: i64,
    pub level: Level,
    #[schema(value_type = Option<String>)]
    pub unit_reported_at: Option<NaiveDateTime>,
    #[schema(value_type = Option<String>)]
    pub county_reported_at: Option<NaiveDateTime>,
    pub false_report: bool,
    pub false_report_reason: String,
    pub concealed: bool,
    pub concealed_reason: String,
    /// The 举报 that revealed the accident.
    pub report_id: Option<i64>,
    pub investigation_due: NaiveDate,
    pub extended_due: Option<NaiveDate>,
    pub extension_reason: String,
    pub closed_on: Option<NaiveDate>,
    pub findings: String,
    pub parties: Vec<Party>,
    pub accountability_ids: Vec<i64>,
    pub case_ids: Vec<i64>,
    /// Coordinates in micro-degrees (WGS-84), both or neither.
    pub lng_micro: Option<i64>,
    pub lat_micro: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "accidents", key id;
    fn row -> Accident {
        id: i64,
        county_code: text,
        region_code: text,
        enterprise_id: opt_i64,
        sector: text,
        category: code(Category::parse),
        type_code: text,
        occurred_at: code(parse_time),
        occurred_on: date,
        place: text,
        account: text,
        deaths: i64,
        missing: i64,
        serious_injuries: i64,
        minor_injuries: i64,
        loss_fen: i64,
        forest_area_centi_ha: i64,
        level: code(Level::parse),
        unit_reported_at: opt_code(parse_time),
        county_reported_at: opt_code(parse_time),
        false_report: bool,
        false_report_reason: text,
        concealed: bool,
        concealed_reason: text,
        report_id: opt_i64,
        investigation_due: date,
        extended_due: opt_date,
        extension_reason: text,
        closed_on: opt_date,
        findings: text,
        parties: json,
        accountability_ids: json,
        case_ids: json,
        lng_micro: opt_i64,
        lat_micro: opt_i64,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// The casualty and loss figures (as first reported or after a 补报).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = AccidentFigures)]
pub struct Figures {
    pub deaths: i64,
    pub missing: i64,
    pub serious_injuries: i64,
    pub minor_injuries: i64,
    pub loss_fen: i64,
    pub forest_area_centi_ha: i64,
}

impl Figures {
    /// What the level is read from.
    pub fn for_level(&self) -> anjian_domain::accident::Figures {
        anjian_domain::accident::Figures {
            deaths: self.deaths,
            serious_injuries: self.serious_injuries,
            loss_fen: self.loss_fen,
            forest_area_centi_ha: self.forest_area_centi_ha,
        }
    }
}

impl Accident {
    /// The counted figures.
    pub fn figures(&self) -> Figures {
        Figures {
            deaths: self.deaths,
            missing: self.missing,
            serious_injuries: self.serious_injuries,
            minor_injuries: self.minor_injuries,
            loss_fen: self.loss_fen,
            forest_area_centi_ha: self.forest_area_centi_ha,
        }
    }
}

/// A new accident (validated, its level and due day computed by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccidentInput {
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    pub sector: String,
    pub category: Category,
    pub type_code: String,
    pub occurred_at: NaiveDateTime,
    pub place: String,
    pub account: String,
    pub figures: Figures,
    pub level: Level,
    pub unit_reported_at: Option<NaiveDateTime>,
    pub county_reported_at: Option<NaiveDateTime>,
    pub investigation_due: NaiveDate,
    /// Coordinates (micro-degrees), if given.
    pub point: Option<(i64, i64)>,
}

/// A 补报 as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccidentUpdate {
    pub id: i64,
    pub accident_id: i64,
    /// The day the casualties or the loss changed.
    pub changed_on: NaiveDate,
    pub recorded_at: String,
    pub recorded_by: String,
    #[serde(flatten)]
    pub figures: Figures,
    /// The figures before.
    pub previous: Figures,
    pub reason: String,
    /// Inside the 补报 window: counted in the figures and the level.
    pub counted: bool,
}

/// A stored 补报 row, read by column.
struct UpdateRow {
    id: i64,
    accident_id: i64,
    changed_on: NaiveDate,
    recorded_at: String,
    recorded_by: String,
    deaths: i64,
    missing: i64,
    serious_injuries: i64,
    minor_injuries: i64,
    loss_fen: i64,
    forest_area_centi_ha: i64,
    previous: Figures,
    reason: String,
    counted: bool,
}

crate::table_row! {
    table "accident_updates", key id, cols UPDATE_COLS;
    fn update_row -> UpdateRow {
        id: i64,
        accident_id: i64,
        changed_on: date,
        recorded_at: text,
        recorded_by: text,
        deaths: i64,
        missing: i64,
        serious_injuries: i64,
        minor_injuries: i64,
        loss_fen: i64,
        forest_area_centi_ha: i64,
        previous: json,
        reason: text,
        counted: bool,
    }
}

impl From<UpdateRow> for AccidentUpdate {
    fn from(r: UpdateRow) -> Self {
        Self {
            id: r.id,
            accident_id: r.accident_id,
            changed_on: r.changed_on,
            recorded_at: r.recorded_at,
            recorded_by: r.recorded_by,
            figures: Figures {
                deaths: r.deaths,
                missing: r.missing,
                serious_injuries: r.serious_injuries,
                minor_injuries: r.minor_injuries,
                loss_fen: r.loss_fen,
                forest_area_centi_ha: r.forest_area_centi_ha,
            },
            previous: r.previous,
            reason: r.reason,
            counted: r.counted,
        }
    }
}

/// A 补报 to write: the new figures, the day they changed, why, and whether it counts (with
/// the level it gives when it does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateInput {
    pub changed_on: NaiveDate,
    pub figures: Figures,
    pub reason: String,
    pub counted: bool,
    pub level: Level,
}

/// One of the register's changes after creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccidentChange {
    /// The times of the chain's links (both as they now stand).
    Links {
        unit: Option<NaiveDateTime>,
        county: Option<NaiveDateTime>,
    },
    /// The 谎报 / 瞒报 flags with their reasons.
    Flags {
        false_report: bool,
        false_report_reason: String,
        concealed: bool,
        concealed_reason: String,
    },
    /// A 举报 reveals the accident: linked and marked 瞒报 with the reason.
    Report { report_id: i64, reason: String },
    /// The investigation's one extension.
    Extend { due: NaiveDate, reason: String },
    /// The investigation closes (结案).
    Close {
        closed_on: NaiveDate,
        findings: String,
        parties: Vec<Party>,
        accountability_ids: Vec<i64>,
        case_ids: Vec<i64>,
    },
}

impl AccidentChange {
    fn action(&self) -> &'static str {
        match self {
            AccidentChange::Links { .. } => "accident.report_links",
            AccidentChange::Flags { .. } => "accident.flags",
            AccidentChange::Report { .. } => "accident.link_report",
            AccidentChange::Extend { .. } => "accident.extend",
            AccidentChange::Close { .. } => "accident.close",
        }
    }

    fn set(&self, p: &mut Vec<crate::Value>) -> Result<&'static str> {
        let t = |v: &Option<NaiveDateTime>| v.map(anjian_domain::accident::time_text);
        Ok(match self {
            AccidentChange::Links { unit, county } => {
                p.push(t(unit).into());
                p.push(t(county).into());
                "unit_reported_at = ?, county_reported_at = ?"
            }
            AccidentChange::Flags {
                false_report,
                false_report_reason,
                concealed,
                concealed_reason,
            } => {
                p.push((*false_report).into());
                p.push(false_report_reason.into());
                p.push((*concealed).into());
                p.push(concealed_reason.into());
                "false_report = ?, false_report_reason = ?, concealed = ?, concealed_reason = ?"
            }
            AccidentChange::Report { report_id, reason } => {
                p.push((*report_id).into());
                p.push(reason.into());
                "report_id = ?, concealed = TRUE, concealed_reason = ?"
            }
            AccidentChange::Extend { due, reason } => {
                p.push((*due).into());
                p.push(reason.into());
                "extended_due = ?, extension_reason = ?"
            }
            AccidentChange::Close {
                closed_on,
                findings,
                parties,
                accountability_ids,
                case_ids,
            } => {
                p.push((*closed_on).into());
                p.push(findings.into());
                p.push(json(parties)?.into());
                p.push(json(accountability_ids)?.into());
                p.push(json(case_ids)?.into());
                "closed_on = ?, findings = ?, parties = ?, accountability_ids = ?, case_ids = ?"
            }
        })
    }
}

/// Which accidents to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccidentFilter {
    /// Occurred in `[from, to]`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub category: Option<Category>,
    pub level: Option<Level>,
    pub sector: Option<String>,
    /// A region subtree (e.g. one township).
    pub region_prefix: Option<String>,
    /// Investigations still open.
    pub open_only: bool,
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn visible(scope: &Scope, p: &mut Vec<crate::Value>) -> String {
    scope_sql::record(scope, "accidents", p)
}

fn select_one(tx: &mut dyn crate::db::Tx, id: i64) -> Result<Accident> {
    row(&tx.query_one(
        &format!("SELECT {COLS} FROM accidents WHERE id = ?"),
        &params![id],
    )?)
}

fn writable(change: &Change<'_>, a: &AccidentInput) -> Result<String> {
    change.require_writable()?;
    if !change.scope.admits_region(&a.region_code)
        || change.scope.enterprise_ids.is_some()
        || change
            .scope
            .sectors
            .as_ref()
            .is_some_and(|s| !s.contains(&a.sector))
    {
        return Err(StoreError::Forbidden);
    }
    crate::county_of(&a.region_code)
}

fn insert(tx: &mut dyn crate::db::Tx, change: &Change<'_>, a: &AccidentInput) -> Result<Accident> {
    let county = writable(change, a)?;
    let now = change.ts();
    let f = &a.figures;
    let t = |v: &Option<NaiveDateTime>| v.map(anjian_domain::accident::time_text);
    let id = tx.scalar_i64(
        "INSERT INTO accidents (county_code, region_code, enterprise_id, sector, category, type_code, occurred_at, occurred_on, place, account, deaths, missing, serious_injuries, minor_injuries, loss_fen, forest_area_centi_ha, level, unit_reported_at, county_reported_at, investigation_due, created_at, updated_at, lng_micro, lat_micro) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![county.as_str(), a.region_code.as_str(), a.enterprise_id, a.sector.as_str(), a.category.as_str(), a.type_code.as_str(), anjian_domain::accident::time_text(a.occurred_at), a.occurred_at.date(), a.place.as_str(), a.account.as_str(), f.deaths, f.missing, f.serious_injuries, f.minor_injuries, f.loss_fen, f.forest_area_centi_ha, a.level.as_str(), t(&a.unit_reported_at), t(&a.county_reported_at), a.investigation_due, now.as_str(), now.as_str(), a.point.map(|p| p.0), a.point.map(|p| p.1)],
    )?;
    let saved = select_one(tx, id)?;
    crate::audit::append_json(
        tx,
        change,
        "accident.create",
        "accident",
        &id.to_string(),
        &saved.region_code,
        None::<&()>,
        Some(&saved),
    )?;
    Ok(saved)
}

impl Store {
    pub fn create_accident(&self, change: &Change<'_>, a: &AccidentInput) -> Result<Accident> {
        writable(change, a)?;
        self.write(|tx| insert(tx, change, a))
    }

    /// Writes several accidents in one transaction (an import).
    pub fn create_accidents(&self, change: &Change<'_>, items: &[AccidentInput]) -> Result<usize> {
        for a in items {
            writable(change, a)?;
        }
        self.write(|tx| {
            for a in items {
                insert(tx, change, a)?;
            }
            Ok(items.len())
        })
    }

    /// An accident in the scope; out of scope answers like missing.
    pub fn get_accident(&self, scope: &Scope, id: i64) -> Result<Accident> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            row(&tx
                .query_opt(
                    &format!("SELECT {COLS} FROM accidents WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?)
        })
    }

    /// The accident's 补报 history, oldest first.
    pub fn accident_updates(&self, scope: &Scope, id: i64) -> Result<Vec<AccidentUpdate>> {
        self.get_accident(scope, id)?;
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {UPDATE_COLS} FROM accident_updates WHERE accident_id = ? ORDER BY id"
                ),
                &params![id],
            )?
            .iter()
            .map(|r| update_row(r).map(AccidentUpdate::from))
            .collect()
        })
    }

    fn changeable(&self, change: &Change<'_>, id: i64) -> Result<Accident> {
        change.require_writable()?;
        let before = self.get_accident(change.scope, id)?;
        if change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        Ok(before)
    }

    /// Records a 补报: the history row always; the accident's figures and level only when it
    /// counts. Under the accident's version (409 when it moved).
    pub fn add_accident_update(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        u: &UpdateInput,
    ) -> Result<(Accident, AccidentUpdate)> {
        let before = self.changeable(change, id)?;
        let now = change.ts();
        self.write(|tx| {
            let f = &u.figures;
            let n = if u.counted {
                tx.execute(
                    "UPDATE accidents SET deaths = ?, missing = ?, serious_injuries = ?, minor_injuries = ?, loss_fen = ?, forest_area_centi_ha = ?, level = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    &params![f.deaths, f.missing, f.serious_injuries, f.minor_injuries, f.loss_fen, f.forest_area_centi_ha, u.level.as_str(), now.as_str(), id, version],
                )?
            } else {
                tx.execute(
                    "UPDATE accidents SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    &params![now.as_str(), id, version],
                )?
            };
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let uid = tx.scalar_i64(
                "INSERT INTO accident_updates (accident_id, changed_on, recorded_at, recorded_by, deaths, missing, serious_injuries, minor_injuries, loss_fen, forest_area_centi_ha, previous, reason, counted) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![id, u.changed_on, now.as_str(), change.actor.as_str(), f.deaths, f.missing, f.serious_injuries, f.minor_injuries, f.loss_fen, f.forest_area_centi_ha, json(&before.figures())?, u.reason.as_str(), u.counted],
            )?;
            let after = select_one(tx, id)?;
            let saved = AccidentUpdate {
                id: uid,
                accident_id: id,
                changed_on: u.changed_on,
                recorded_at: now.clone(),
                recorded_by: change.actor.clone(),
                figures: u.figures,
                previous: before.figures(),
                reason: u.reason.clone(),
                counted: u.counted,
            };
            crate::audit::append_json(tx, change, "accident.supplement", "accident", &id.to_string(), &after.region_code, Some(&before), Some(&saved))?;
            Ok((after, saved))
        })
    }

    /// Applies one change under the accident's version (409 when it moved).
    pub fn change_accident(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        c: &AccidentChange,
    ) -> Result<Accident> {
        let before = self.changeable(change, id)?;
        let now = change.ts();
        let mut p = Vec::new();
        let set = c.set(&mut p)?;
        p.push(now.as_str().into());
        p.push(id.into());
        p.push(version.into());
        self.write(|tx| {
            let n = tx.execute(
                &format!("UPDATE accidents SET {set}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?"),
                &p,
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = select_one(tx, id)?;
            crate::audit::append_json(tx, change, c.action(), "accident", &id.to_string(), &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// The accidents a 举报 is linked to (in the scope).
    pub fn accidents_of_report(&self, scope: &Scope, report_id: i64) -> Result<Vec<Accident>> {
        let mut p = Vec::new();
        let cond = visible(scope, &mut p);
        p.push(report_id.into());
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {COLS} FROM accidents WHERE {cond} AND report_id = ? ORDER BY id"),
                &p,
            )?
            .iter()
            .map(row)
            .collect()
        })
    }

    /// One page of the accidents in scope, newest first.
    pub fn list_accidents(
        &self,
        scope: &Scope,
        f: &AccidentFilter,
        k: &Keyset,
    ) -> Result<Page<Accident>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, &mut p);
        if let Some(d) = f.from {
            cond.push_str(" AND occurred_on >= ?");
            p.push(d.into());
        }
        if let Some(d) = f.to {
            cond.push_str(" AND occurred_on <= ?");
            p.push(d.into());
        }
        if let Some(c) = f.category {
            cond.push_str(" AND category = ?");
            p.push(c.as_str().into());
        }
        if let Some(l) = f.level {
            cond.push_str(" AND level = ?");
            p.push(l.as_str().into());
        }
        if let Some(s) = &f.sector {
            cond.push_str(" AND sector = ?");
            p.push(s.into());
        }
        if let Some(r) = &f.region_prefix {
            cond.push_str(&format!(
                " AND {}",
                scope_sql::region_subtree("region_code", r, &mut p)
            ));
        }
        if f.open_only {
            cond.push_str(" AND closed_on IS NULL");
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                "accidents",
                "id",
                &cond,
                p,
                k,
                row,
                |a| a.id,
            )
        })
    }
}
