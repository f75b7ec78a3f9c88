//! Stationed safety supervisors (派驻安全生产监督管理员): key places, assignments of
//! supervisors to sites, their check-ins (visits) with photos and the hazards registered from
//! them, their weekly confirmations, spot checks and monthly ratings.
//!
//! Visibility: a key place, an assignment, a visit and a spot check lie at their site
//! (`region_code`, `sector`, `enterprise_id`: `scope_sql::record`, like a hazard), and the
//! supervisor of an assignment also reads it and its visits (`own`, the supervisor's user id,
//! passed by the use case from the caller: a key place is not an enterprise, so a
//! supervisor's enterprise-bound scope alone would not admit it). Assignments, key places,
//! spot checks and ratings are written in a writable scope that admits the site; a visit and
//! a week's confirmation only by the assignment's supervisor. Every change is audited in its
//! transaction.

use crate::attachments::{Attachment, NewAttachment};
use crate::audit::append_record as audit;
use crate::db::Tx;
use crate::{Change, Result, Store, StoreError, params, scope_sql};
use anjian_domain::Scope;
use anjian_domain::minute::{parse as minute_of, text as minute_text};
use anjian_domain::station::{CheckAnswer, PlaceKind, Rating, Site, SpotResult};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A key place (重点地段).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = KeyPlace)]
pub struct KeyPlace {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub sector: Option<String>,
    pub name: String,
    pub kind: PlaceKind,
    pub location: String,
    pub note: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "key_places", key id, cols PLACE_COLS;
    fn place_row -> KeyPlace {
        id: i64,
        county_code: text,
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = key_places.region_code), key_places.region_code)",
        sector: opt_text,
        name: text,
        kind: code(PlaceKind::parse),
        location: text,
        note: text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A key place to write (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPlaceInput {
    pub region_code: String,
    pub sector: Option<String>,
    pub name: String,
    pub kind: PlaceKind,
    pub location: String,
    pub note: String,
}

/// A supervisor stationed at a site by a unit for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = StationAssignment)]
pub struct Assignment {
    pub id: i64,
    pub county_code: String,
    pub supervisor_id: i64,
    pub supervisor_name: String,
    /// The dispatching township, or
    pub unit_region_code: Option<String>,
    /// the dispatching department.
    pub unit_department_id: Option<i64>,
    pub unit_name: String,
    pub enterprise_id: Option<i64>,
    pub place_id: Option<i64>,
    /// The enterprise's or the key place's name.
    pub site_name: String,
    /// The site's place and sector.
    pub region_code: String,
    pub region_name: String,
    pub sector: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "station_assignments", key id, cols ASSIGNMENT_COLS;
    fn assignment_row -> Assignment {
        id: i64,
        county_code: text,
        supervisor_id: i64,
        supervisor_name: text = "COALESCE((SELECT u.display_name FROM users u WHERE u.id = station_assignments.supervisor_id), '')",
        unit_region_code: opt_text,
        unit_department_id: opt_i64,
        unit_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = station_assignments.unit_region_code), (SELECT d.name FROM departments d WHERE d.id = station_assignments.unit_department_id), '')",
        enterprise_id: opt_i64,
        place_id: opt_i64,
        site_name: text = "COALESCE((SELECT e.name FROM enterprises e WHERE e.id = station_assignments.enterprise_id), (SELECT k.name FROM key_places k WHERE k.id = station_assignments.place_id), '')",
        region_code: text,
        region_name: text = "COALESCE((SELECT r.name FROM regions r WHERE r.code = station_assignments.region_code), station_assignments.region_code)",
        sector: opt_text,
        starts_on: date,
        ends_on: opt_date,
        note: text,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

impl Assignment {
    pub fn site(&self) -> Option<Site> {
        Site::of(self.enterprise_id, self.place_id)
    }
}

/// The dispatching unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Township(String),
    Department(i64),
}

/// An assignment to write (validated by the use case; the site's place and sector are the
/// store's to read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentInput {
    pub supervisor_id: i64,
    pub unit: Unit,
    pub site: Site,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: String,
}

/// A check-in at a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = StationVisit)]
pub struct Visit {
    pub id: i64,
    pub county_code: String,
    pub assignment_id: i64,
    pub supervisor_id: i64,
    pub supervisor_name: String,
    pub region_code: String,
    pub sector: Option<String>,
    pub enterprise_id: Option<i64>,
    pub place_id: Option<i64>,
    pub site_name: String,
    /// Local time.
    #[schema(value_type = String, example = "2022-09-28T09:30:00")]
    pub visited_at: NaiveDateTime,
    pub day: NaiveDate,
    /// (item, answer) for each item of the site's checklist.
    #[schema(value_type = Vec<Vec<String>>)]
    pub checklist: Vec<(String, CheckAnswer)>,
    pub findings: String,
    /// Items answered 有问题.
    pub problems: i64,
    pub created_at: String,
}

crate::table_row! {
    table "station_visits", key id, cols VISIT_COLS;
    fn visit_row -> Visit {
        id: i64,
        county_code: text,
        assignment_id: i64,
        supervisor_id: i64,
        supervisor_name: text = "COALESCE((SELECT u.display_name FROM users u WHERE u.id = station_visits.supervisor_id), '')",
        region_code: text,
        sector: opt_text,
        enterprise_id: opt_i64,
        place_id: opt_i64,
        site_name: text = "COALESCE((SELECT e.name FROM enterprises e WHERE e.id = station_visits.enterprise_id), (SELECT k.name FROM key_places k WHERE k.id = station_visits.place_id), '')",
        visited_at: code(minute_of),
        day: date,
        checklist: json,
        findings: text,
        problems: i64,
        created_at: text,
    }
}

/// A visit to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitInput {
    pub assignment_id: i64,
    pub visited_at: NaiveDateTime,
    pub checklist: Vec<(String, CheckAnswer)>,
    pub findings: String,
}

/// A supervisor's confirmed week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = StationWeek)]
pub struct Week {
    pub id: i64,
    pub supervisor_id: i64,
    pub week_start: NaiveDate,
    pub visits: i64,
    pub problems: i64,
    pub note: String,
    pub confirmed_at: String,
}

crate::table_row! {
    table "station_weeks", key id, cols WEEK_COLS;
    fn week_row -> Week {
        id: i64,
        supervisor_id: i64,
        week_start: date,
        visits: i64,
        problems: i64,
        note: text,
        confirmed_at: text,
    }
}

/// A spot check (抽查).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = StationSpotCheck)]
pub struct SpotCheck {
    pub id: i64,
    pub county_code: String,
    pub assignment_id: i64,
    pub visit_id: Option<i64>,
    pub supervisor_id: i64,
    pub supervisor_name: String,
    pub region_code: String,
    pub sector: Option<String>,
    pub enterprise_id: Option<i64>,
    pub checked_on: NaiveDate,
    pub checked_by: Option<i64>,
    pub checked_by_name: String,
    pub present: bool,
    pub record_true: bool,
    pub result: SpotResult,
    pub follow_up: String,
    pub note: String,
    pub created_at: String,
}

crate::table_row! {
    table "station_spot_checks", key id, cols SPOT_COLS;
    fn spot_row -> SpotCheck {
        id: i64,
        county_code: text,
        assignment_id: i64,
        visit_id: opt_i64,
        supervisor_id: i64,
        supervisor_name: text = "COALESCE((SELECT u.display_name FROM users u WHERE u.id = station_spot_checks.supervisor_id), '')",
        region_code: text,
        sector: opt_text,
        enterprise_id: opt_i64,
        checked_on: date,
        checked_by: opt_i64,
        checked_by_name: text = "COALESCE((SELECT u.display_name FROM users u WHERE u.id = station_spot_checks.checked_by), '')",
        present: bool,
        record_true: bool,
        result: code(SpotResult::parse),
        follow_up: text,
        note: text,
        created_at: text,
    }
}

/// A spot check to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotCheckInput {
    pub assignment_id: i64,
    pub visit_id: Option<i64>,
    pub checked_on: NaiveDate,
    pub present: bool,
    pub record_true: bool,
    pub result: SpotResult,
    pub follow_up: String,
    pub note: String,
}

/// A supervisor's monthly rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = StationRating)]
pub struct StationRating {
    pub id: i64,
    pub county_code: String,
    pub supervisor_id: i64,
    pub supervisor_name: String,
    /// The month's first day.
    pub month: NaiveDate,
    pub rating: Rating,
    pub remarks: String,
    pub rated_by: Option<i64>,
    pub rated_at: String,
    pub version: i64,
}

crate::table_row! {
    table "station_ratings", key id, cols RATING_COLS;
    fn rating_row -> StationRating {
        id: i64,
        county_code: text,
        supervisor_id: i64,
        supervisor_name: text = "COALESCE((SELECT u.display_name FROM users u WHERE u.id = station_ratings.supervisor_id), '')",
        month: date,
        rating: code(Rating::parse),
        remarks: text,
        rated_by: opt_i64,
        rated_at: text,
        version: i64,
    }
}

/// Which assignments to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignmentFilter {
    /// Running on some day of `[from, to]`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub supervisor_id: Option<i64>,
    /// Dispatched by this township (or this department).
    pub unit_region_code: Option<String>,
    pub unit_department_id: Option<i64>,
}

/// Assignments, visits and spot checks are visible at their site, and to their supervisor.
fn visible(scope: &Scope, own: Option<i64>, t: &str, p: &mut Vec<crate::Value>) -> String {
    let site = scope_sql::record(scope, t, p);
    match own {
        Some(id) => {
            p.push(id.into());
            format!("(({site}) OR {t}.supervisor_id = ?)")
        }
        None => format!("({site})"),
    }
}

/// A site's place and sector, if it is visible in the scope (else NotFound).
fn site_of(tx: &mut dyn Tx, scope: &Scope, site: Site) -> Result<(String, Option<String>)> {
    match site {
        Site::Enterprise(id) => {
            let region = tx
                .query_opt(
                    "SELECT region_code FROM enterprises WHERE id = ?",
                    &params![id],
                )?
                .ok_or(StoreError::NotFound)?
                .text(0)?;
            // An enterprise of several sectors is posted under the first the scope admits.
            let sectors: Vec<String> = tx
                .query(
                    "SELECT sector_code FROM enterprise_sectors WHERE enterprise_id = ? ORDER BY sector_code",
                    &params![id],
                )?
                .iter()
                .map(|r| r.text(0))
                .collect::<Result<_>>()?;
            if sectors.is_empty() {
                return if scope.admits::<&str>(&region, &[], Some(id)) {
                    Ok((region, None))
                } else {
                    Err(StoreError::NotFound)
                };
            }
            sectors
                .into_iter()
                .find(|s| scope.admits(&region, &[s.as_str()], Some(id)))
                .map(|s| (region.clone(), Some(s)))
                .ok_or(StoreError::NotFound)
        }
        Site::Place(id) => {
            let mut p = Vec::new();
            let cond = scope_sql::record(&without_enterprises(scope), "key_places", &mut p);
            p.push(id.into());
            let r = tx
                .query_opt(
                    &format!("SELECT region_code, sector FROM key_places WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?;
            Ok((r.text(0)?, r.opt_text(1)?))
        }
    }
}

/// Key places have no enterprise: an enterprise-bound scope sees none of them, any other
/// scope reads them by place and sector.
fn without_enterprises(scope: &Scope) -> Scope {
    let mut s = scope.clone();
    if s.enterprise_ids.is_some() {
        s.region_prefixes = Vec::new();
    }
    s.enterprise_ids = None;
    s
}

fn read_place(tx: &mut dyn Tx, id: i64) -> Result<KeyPlace> {
    place_row(&tx.query_one(
        &format!("SELECT {PLACE_COLS} FROM key_places WHERE id = ?"),
        &params![id],
    )?)
}

fn read_assignment(tx: &mut dyn Tx, id: i64) -> Result<Assignment> {
    assignment_row(&tx.query_one(
        &format!("SELECT {ASSIGNMENT_COLS} FROM station_assignments WHERE id = ?"),
        &params![id],
    )?)
}

fn read_visit(tx: &mut dyn Tx, id: i64) -> Result<Visit> {
    visit_row(&tx.query_one(
        &format!("SELECT {VISIT_COLS} FROM station_visits WHERE id = ?"),
        &params![id],
    )?)
}

/// An assignment visible in the scope (or to its supervisor `own`).
pub(crate) fn assignment_in(
    tx: &mut dyn Tx,
    scope: &Scope,
    own: Option<i64>,
    id: i64,
) -> Result<Assignment> {
    let mut p = Vec::new();
    let cond = visible(scope, own, "station_assignments", &mut p);
    p.push(id.into());
    let r = tx
        .query_opt(
            &format!("SELECT {ASSIGNMENT_COLS} FROM station_assignments WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    assignment_row(&r)
}

/// A visit visible in the scope (or to its supervisor `own`).
pub(crate) fn visit_in(tx: &mut dyn Tx, scope: &Scope, own: Option<i64>, id: i64) -> Result<Visit> {
    let mut p = Vec::new();
    let cond = visible(scope, own, "station_visits", &mut p);
    p.push(id.into());
    let r = tx
        .query_opt(
            &format!("SELECT {VISIT_COLS} FROM station_visits WHERE {cond} AND id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?;
    visit_row(&r)
}

fn writable_site(
    change: &Change<'_>,
    region: &str,
    sector: Option<&str>,
    enterprise: Option<i64>,
) -> Result<()> {
    change.require_writable()?;
    let sectors: Vec<&str> = sector.into_iter().collect();
    let scope = if enterprise.is_none() {
        without_enterprises(change.scope)
    } else {
        change.scope.clone()
    };
    if !scope.admits(region, &sectors, enterprise) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

/// Writes one assignment in the transaction (the site visible and writable in the scope, the
/// supervisor an active 派驻监督员 of the site's county).
fn insert_assignment(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    a: &AssignmentInput,
) -> Result<Assignment> {
    let now = change.ts();
    let (region, sector) = site_of(tx, change.scope, a.site)?;
    writable_site(change, &region, sector.as_deref(), a.site.enterprise_id())?;
    let county = crate::county_of(&region)?;
    let sup = tx.query_opt(
        "SELECT region_code FROM users WHERE id = ? AND role = 'supervisor' AND active",
        &params![a.supervisor_id],
    )?;
    match sup {
        Some(r) if crate::county_of(&r.text(0)?).ok().as_deref() == Some(county.as_str()) => {}
        _ => return Err(StoreError::Invalid("supervisor_id".into())),
    }
    let (unit_region, unit_department) = match &a.unit {
        Unit::Township(code) => (Some(code.as_str()), None),
        Unit::Department(id) => (None, Some(*id)),
    };
    let id = tx.scalar_i64(
        "INSERT INTO station_assignments (county_code, supervisor_id, unit_region_code, unit_department_id, enterprise_id, place_id, region_code, sector, starts_on, ends_on, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![county.as_str(), a.supervisor_id, unit_region, unit_department, a.site.enterprise_id(), a.site.place_id(), region.as_str(), sector.as_deref(), a.starts_on, a.ends_on, a.note.as_str(), now.as_str(), now.as_str()],
    )?;
    let saved = read_assignment(tx, id)?;
    audit(
        tx,
        change,
        "station_assignment.create",
        id,
        &saved.region_code,
        None,
        Some(&saved),
    )?;
    Ok(saved)
}

impl Store {
    pub fn create_key_place(&self, change: &Change<'_>, k: &KeyPlaceInput) -> Result<KeyPlace> {
        writable_site(change, &k.region_code, k.sector.as_deref(), None)?;
        let county = crate::county_of(&k.region_code)?;
        let now = change.ts();
        self.write(|tx| {
            let id = tx.scalar_i64(
                "INSERT INTO key_places (county_code, region_code, sector, name, kind, location, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), k.region_code.as_str(), k.sector.as_deref(), k.name.as_str(), k.kind.as_str(), k.location.as_str(), k.note.as_str(), now.as_str(), now.as_str()],
            )?;
            let saved = read_place(tx, id)?;
            audit(tx, change, "key_place.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// The key places of the scope, by name.
    pub fn key_places(&self, scope: &Scope) -> Result<Vec<KeyPlace>> {
        let mut p = Vec::new();
        let cond = scope_sql::record(&without_enterprises(scope), "key_places", &mut p);
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {PLACE_COLS} FROM key_places WHERE {cond} ORDER BY name, id"),
                &p,
            )?
            .iter()
            .map(place_row)
            .collect()
        })
    }

    pub fn get_key_place(&self, scope: &Scope, id: i64) -> Result<KeyPlace> {
        self.db().read(|tx| {
            site_of(tx, scope, Site::Place(id))?;
            read_place(tx, id)
        })
    }

    /// Stations a supervisor at a site (in the caller's writable scope). The supervisor must
    /// be an active user of the role 派驻监督员 in the site's county.
    pub fn create_station_assignment(
        &self,
        change: &Change<'_>,
        a: &AssignmentInput,
    ) -> Result<Assignment> {
        change.require_writable()?;
        self.write(|tx| insert_assignment(tx, change, a))
    }

    /// Writes a roster's assignments in one transaction: all or none.
    pub fn create_station_assignments(
        &self,
        change: &Change<'_>,
        list: &[AssignmentInput],
    ) -> Result<usize> {
        change.require_writable()?;
        self.write(|tx| {
            for a in list {
                insert_assignment(tx, change, a)?;
            }
            Ok(list.len())
        })
    }

    /// Ends an assignment on `ends_on` (version-checked): a change of site or unit is an end
    /// and a new assignment.
    pub fn end_station_assignment(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        ends_on: NaiveDate,
    ) -> Result<Assignment> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let before = assignment_in(tx, change.scope, None, id)?;
            writable_site(change, &before.region_code, before.sector.as_deref(), before.enterprise_id)?;
            if ends_on < before.starts_on {
                return Err(StoreError::Invalid("ends_on".into()));
            }
            let n = tx.execute(
                "UPDATE station_assignments SET ends_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![ends_on, now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = read_assignment(tx, id)?;
            audit(tx, change, "station_assignment.end", id, &after.region_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// The enterprises a supervisor is stationed at on `day` (its scope's sites, with those
    /// an administrator assigned on the user).
    pub fn stationed_enterprises(&self, supervisor_id: i64, day: NaiveDate) -> Result<Vec<i64>> {
        self.db().read(|tx| {
            tx.query(
                "SELECT DISTINCT enterprise_id FROM station_assignments WHERE supervisor_id = ? AND enterprise_id IS NOT NULL AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?) ORDER BY enterprise_id",
                &params![supervisor_id, day, day],
            )?
            .iter()
            .map(|r| r.i64(0))
            .collect()
        })
    }

    pub fn get_station_assignment(
        &self,
        scope: &Scope,
        own: Option<i64>,
        id: i64,
    ) -> Result<Assignment> {
        self.db().read(|tx| assignment_in(tx, scope, own, id))
    }

    /// Assignments visible in the scope (or to `own`), by start day then id.
    pub fn station_assignments(
        &self,
        scope: &Scope,
        own: Option<i64>,
        f: &AssignmentFilter,
    ) -> Result<Vec<Assignment>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, own, "station_assignments", &mut p);
        if let Some(to) = f.to {
            cond.push_str(" AND starts_on <= ?");
            p.push(to.into());
        }
        if let Some(from) = f.from {
            cond.push_str(" AND (ends_on IS NULL OR ends_on >= ?)");
            p.push(from.into());
        }
        if let Some(s) = f.supervisor_id {
            cond.push_str(" AND supervisor_id = ?");
            p.push(s.into());
        }
        if let Some(r) = &f.unit_region_code {
            cond.push_str(" AND unit_region_code = ?");
            p.push(r.as_str().into());
        }
        if let Some(d) = f.unit_department_id {
            cond.push_str(" AND unit_department_id = ?");
            p.push(d.into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {ASSIGNMENT_COLS} FROM station_assignments WHERE {cond} ORDER BY starts_on, id"
                ),
                &p,
            )?
            .iter()
            .map(assignment_row)
            .collect()
        })
    }

    /// Records a check-in by the assignment's supervisor (`change.actor_id`), with its photos
    /// (checked by the caller), in one transaction. The visit's day must be one of the
    /// assignment's days.
    pub fn record_visit(
        &self,
        change: &Change<'_>,
        v: &VisitInput,
        photos: &[NewAttachment],
    ) -> Result<(Visit, Vec<Attachment>)> {
        let me = change.actor_id.ok_or(StoreError::Forbidden)?;
        let now = change.ts();
        self.write(|tx| {
            let a = assignment_in(tx, &Scope::nothing(), Some(me), v.assignment_id)?;
            let day = v.visited_at.date();
            if day < a.starts_on || a.ends_on.is_some_and(|e| day > e) {
                return Err(StoreError::Invalid("visited_at".into()));
            }
            let problems = v
                .checklist
                .iter()
                .filter(|(_, ans)| *ans == CheckAnswer::Problem)
                .count() as i64;
            let checklist = serde_json::to_string(&v.checklist)
                .map_err(|e| StoreError::Backend(e.to_string()))?;
            let id = tx.scalar_i64(
                "INSERT INTO station_visits (county_code, assignment_id, supervisor_id, region_code, sector, enterprise_id, place_id, visited_at, day, checklist, findings, problems, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![a.county_code.as_str(), a.id, me, a.region_code.as_str(), a.sector.as_deref(), a.enterprise_id, a.place_id, minute_text(v.visited_at), day, checklist, v.findings.as_str(), problems, now.as_str()],
            )?;
            let saved = read_visit(tx, id)?;
            let mut files = Vec::with_capacity(photos.len());
            for ph in photos {
                files.push(crate::attachments::insert(
                    tx,
                    change,
                    &a.county_code,
                    "station_visit",
                    id,
                    ph,
                )?);
            }
            audit(tx, change, "station_visit.create", id, &saved.region_code, None, Some(&saved))?;
            Ok((saved, files))
        })
    }

    pub fn get_visit(&self, scope: &Scope, own: Option<i64>, id: i64) -> Result<Visit> {
        self.db().read(|tx| visit_in(tx, scope, own, id))
    }

    /// Visits visible in the scope (or to `own`) on the days `[from, to]`, by time.
    pub fn visits(
        &self,
        scope: &Scope,
        own: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
        assignment_id: Option<i64>,
    ) -> Result<Vec<Visit>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, own, "station_visits", &mut p);
        cond.push_str(" AND day >= ? AND day <= ?");
        p.push(from.into());
        p.push(to.into());
        if let Some(a) = assignment_id {
            cond.push_str(" AND assignment_id = ?");
            p.push(a.into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {VISIT_COLS} FROM station_visits WHERE {cond} ORDER BY visited_at, id"
                ),
                &p,
            )?
            .iter()
            .map(visit_row)
            .collect()
        })
    }

    /// The photos of a visit visible in the scope (or to `own`).
    pub fn visit_photos(
        &self,
        scope: &Scope,
        own: Option<i64>,
        id: i64,
    ) -> Result<Vec<Attachment>> {
        self.db().read(|tx| {
            visit_in(tx, scope, own, id)?;
            crate::attachments::of_record(tx, "station_visit", id)
        })
    }

    /// A photo of a visit and its bytes.
    pub fn visit_photo(
        &self,
        scope: &Scope,
        own: Option<i64>,
        attachment_id: i64,
    ) -> Result<(Attachment, Vec<u8>)> {
        self.db().read(|tx| {
            let (a, data) = crate::attachments::read_with_data(tx, attachment_id)?;
            if a.entity != "station_visit" {
                return Err(StoreError::NotFound);
            }
            visit_in(tx, scope, own, a.entity_id)?;
            Ok((a, data))
        })
    }

    /// Registers a hazard from a visit's findings, in the scope the use case gives (the
    /// visit's site), and links it to the visit. Only the visit's supervisor may.
    pub fn hazard_from_visit(
        &self,
        change: &Change<'_>,
        visit_id: i64,
        f: &crate::hazards::HazardFields,
        ev: &crate::hazards::EventInput,
    ) -> Result<crate::hazards::Hazard> {
        let me = change.actor_id.ok_or(StoreError::Forbidden)?;
        change.require_writable()?;
        if !change
            .scope
            .admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id)
        {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| {
            let v = visit_in(tx, &Scope::nothing(), Some(me), visit_id)?;
            if f.region_code != v.region_code || f.enterprise_id != v.enterprise_id {
                return Err(StoreError::Invalid("region_code".into()));
            }
            let h = crate::hazards::insert_hazard(tx, change, f, ev)?;
            tx.execute(
                "INSERT INTO station_visit_hazards (visit_id, hazard_id) VALUES (?, ?)",
                &params![visit_id, h.id],
            )?;
            let link = serde_json::json!({ "visit_id": visit_id, "hazard_id": h.id });
            audit(
                tx,
                change,
                "station_visit.hazard",
                visit_id,
                &v.region_code,
                None,
                Some(&link),
            )?;
            Ok(h)
        })
    }

    /// The hazards registered from a visit (ids).
    pub fn visit_hazards(
        &self,
        scope: &Scope,
        own: Option<i64>,
        visit_id: i64,
    ) -> Result<Vec<i64>> {
        self.db().read(|tx| {
            visit_in(tx, scope, own, visit_id)?;
            tx.query(
                "SELECT hazard_id FROM station_visit_hazards WHERE visit_id = ? ORDER BY hazard_id",
                &params![visit_id],
            )?
            .iter()
            .map(|r| r.i64(0))
            .collect()
        })
    }

    /// The supervisor (`change.actor_id`) confirms a week's summary: the figures are the
    /// week's visits as they stand. Confirming again replaces the note and figures.
    pub fn confirm_week(&self, change: &Change<'_>, monday: NaiveDate, note: &str) -> Result<Week> {
        let me = change.actor_id.ok_or(StoreError::Forbidden)?;
        let sunday = monday + chrono::Duration::days(6);
        let now = change.ts();
        self.write(|tx| {
            let r = tx.query_one(
                "SELECT COUNT(*), CAST(COALESCE(SUM(problems), 0) AS BIGINT), MIN(county_code), MIN(region_code) FROM station_visits WHERE supervisor_id = ? AND day >= ? AND day <= ?",
                &params![me, monday, sunday],
            )?;
            let (visits, problems) = (r.i64(0)?, r.i64(1)?);
            let (county, region) = match (r.opt_text(2)?, r.opt_text(3)?) {
                (Some(c), Some(rg)) => (c, rg),
                _ => {
                    let u = tx.query_one("SELECT region_code FROM users WHERE id = ?", &params![me])?;
                    let rg = u.text(0)?;
                    (crate::county_of(&rg)?, rg)
                }
            };
            tx.execute(
                "DELETE FROM station_weeks WHERE supervisor_id = ? AND week_start = ?",
                &params![me, monday],
            )?;
            let id = tx.scalar_i64(
                "INSERT INTO station_weeks (county_code, supervisor_id, week_start, visits, problems, note, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![county.as_str(), me, monday, visits, problems, note, now.as_str()],
            )?;
            let saved = week_row(&tx.query_one(
                &format!("SELECT {WEEK_COLS} FROM station_weeks WHERE id = ?"),
                &params![id],
            )?)?;
            audit(tx, change, "station_week.confirm", id, &region, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// A supervisor's confirmed weeks in `[from, to]` (by week start).
    pub fn confirmed_weeks(
        &self,
        supervisor_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Week>> {
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {WEEK_COLS} FROM station_weeks WHERE supervisor_id = ? AND week_start >= ? AND week_start <= ? ORDER BY week_start"),
                &params![supervisor_id, from, to],
            )?
            .iter()
            .map(week_row)
            .collect()
        })
    }

    /// Records a spot check of an assignment (in the caller's writable scope).
    pub fn create_spot_check(&self, change: &Change<'_>, s: &SpotCheckInput) -> Result<SpotCheck> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let a = assignment_in(tx, change.scope, None, s.assignment_id)?;
            writable_site(change, &a.region_code, a.sector.as_deref(), a.enterprise_id)?;
            if let Some(v) = s.visit_id {
                let visit = read_visit(tx, v).map_err(|_| StoreError::Invalid("visit_id".into()))?;
                if visit.assignment_id != a.id {
                    return Err(StoreError::Invalid("visit_id".into()));
                }
            }
            let id = tx.scalar_i64(
                "INSERT INTO station_spot_checks (county_code, assignment_id, visit_id, supervisor_id, region_code, sector, enterprise_id, checked_on, checked_by, present, record_true, result, follow_up, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![a.county_code.as_str(), a.id, s.visit_id, a.supervisor_id, a.region_code.as_str(), a.sector.as_deref(), a.enterprise_id, s.checked_on, change.actor_id, s.present, s.record_true, s.result.as_str(), s.follow_up.as_str(), s.note.as_str(), now.as_str()],
            )?;
            let saved = spot_row(&tx.query_one(
                &format!("SELECT {SPOT_COLS} FROM station_spot_checks WHERE id = ?"),
                &params![id],
            )?)?;
            audit(tx, change, "station_spot_check.create", id, &saved.region_code, None, Some(&saved))?;
            Ok(saved)
        })
    }

    /// Spot checks visible in the scope (or to `own`) made on the days `[from, to]`.
    pub fn spot_checks(
        &self,
        scope: &Scope,
        own: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpotCheck>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, own, "station_spot_checks", &mut p);
        cond.push_str(" AND checked_on >= ? AND checked_on <= ?");
        p.push(from.into());
        p.push(to.into());
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {SPOT_COLS} FROM station_spot_checks WHERE {cond} ORDER BY checked_on, id"),
                &p,
            )?
            .iter()
            .map(spot_row)
            .collect()
        })
    }

    /// Rates a supervisor for a month (one rating per month: a second replaces the first if
    /// `version` matches). The caller's writable scope must admit one of the supervisor's
    /// assignments running in that month.
    pub fn rate_supervisor(
        &self,
        change: &Change<'_>,
        supervisor_id: i64,
        month: NaiveDate,
        rating: Rating,
        remarks: &str,
        version: Option<i64>,
    ) -> Result<StationRating> {
        change.require_writable()?;
        let now = change.ts();
        let month_end = month
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .ok_or(StoreError::Invalid("month".into()))?;
        self.write(|tx| {
            let mut p = Vec::new();
            let cond = scope_sql::record(change.scope, "station_assignments", &mut p);
            p.extend(params![supervisor_id, month_end, month]);
            let a = tx
                .query_opt(
                    &format!("SELECT region_code, county_code FROM station_assignments WHERE {cond} AND supervisor_id = ? AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?) ORDER BY id LIMIT 1"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?;
            let (region, county) = (a.text(0)?, a.text(1)?);
            let before = tx
                .query_opt(
                    &format!("SELECT {RATING_COLS} FROM station_ratings WHERE supervisor_id = ? AND month = ?"),
                    &params![supervisor_id, month],
                )?
                .map(|r| rating_row(&r))
                .transpose()?;
            let id = match &before {
                Some(b) => {
                    let n = tx.execute(
                        "UPDATE station_ratings SET rating = ?, remarks = ?, rated_by = ?, rated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                        &params![rating.as_str(), remarks, change.actor_id, now.as_str(), b.id, version.unwrap_or(b.version)],
                    )?;
                    if n == 0 {
                        return Err(StoreError::Conflict("version".into()));
                    }
                    b.id
                }
                None => tx.scalar_i64(
                    "INSERT INTO station_ratings (county_code, supervisor_id, month, rating, remarks, rated_by, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &params![county.as_str(), supervisor_id, month, rating.as_str(), remarks, change.actor_id, now.as_str()],
                )?,
            };
            let after = rating_row(&tx.query_one(
                &format!("SELECT {RATING_COLS} FROM station_ratings WHERE id = ?"),
                &params![id],
            )?)?;
            audit(tx, change, "station_rating.rate", id, &region, before.as_ref(), Some(&after))?;
            Ok(after)
        })
    }

    /// The ratings of a month for the supervisors with an assignment visible in the scope.
    pub fn ratings(&self, scope: &Scope, month: NaiveDate) -> Result<Vec<StationRating>> {
        let mut p = Vec::new();
        let cond = scope_sql::record(scope, "a", &mut p);
        p.push(month.into());
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {RATING_COLS} FROM station_ratings WHERE supervisor_id IN (SELECT a.supervisor_id FROM station_assignments a WHERE {cond}) AND month = ? ORDER BY supervisor_id"),
                &p,
            )?
            .iter()
            .map(rating_row)
            .collect()
        })
    }
}
