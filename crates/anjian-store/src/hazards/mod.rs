//! Hazards (隐患) and their event timeline. Every change writes the hazard, one
//! event row and one audit entry in one transaction.

mod history;
pub use history::*;

use crate::db::{Tx, Value};
use crate::enterprises::Page;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::hazard::{Level, Source, Status};
use chrono::NaiveDate;
use serde::Serialize;

mod import;
mod row;
use row::{cols, row};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    pub id: i64,
    pub county_code: String,
    pub region_code: String,
    pub region_name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub department_id: Option<i64>,
    pub sector: String,
    pub level: Level,
    pub source: Source,
    pub description: String,
    pub location: String,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub deadline_basis: Option<String>,
    pub deadline_rule: String,
    pub status: Status,
    pub responsible_unit: String,
    pub responsible_person: String,
    pub measures: String,
    pub funds_planned: Option<i64>,
    pub funds_spent: Option<i64>,
    pub emergency_plan: String,
    pub campaign: Option<String>,
    pub closed_on: Option<NaiveDate>,
    /// The day the rectification was last reported done (报告整改完成, 当场整改, 申请销号),
    /// while the hazard awaits review and after it is closed; `None` otherwise (see
    /// [`anjian_domain::hazard::reported_on_after`]). Kept by the store on every change of
    /// status, never written by callers.
    pub reported_on: Option<NaiveDate>,
    pub created_by: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The writable fields of a hazard (validated by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HazardFields {
    pub region_code: String,
    pub enterprise_id: Option<i64>,
    pub department_id: Option<i64>,
    pub sector: String,
    pub level: Level,
    pub source: Source,
    pub description: String,
    pub location: String,
    pub found_on: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub deadline_basis: Option<String>,
    pub deadline_rule: String,
    pub status: Status,
    pub responsible_unit: String,
    pub responsible_person: String,
    pub measures: String,
    pub funds_planned: Option<i64>,
    pub funds_spent: Option<i64>,
    pub emergency_plan: String,
    pub campaign: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

impl Hazard {
    pub fn fields(&self) -> HazardFields {
        HazardFields {
            region_code: self.region_code.clone(),
            enterprise_id: self.enterprise_id,
            department_id: self.department_id,
            sector: self.sector.clone(),
            level: self.level,
            source: self.source,
            description: self.description.clone(),
            location: self.location.clone(),
            found_on: self.found_on,
            deadline: self.deadline,
            deadline_basis: self.deadline_basis.clone(),
            deadline_rule: self.deadline_rule.clone(),
            status: self.status,
            responsible_unit: self.responsible_unit.clone(),
            responsible_person: self.responsible_person.clone(),
            measures: self.measures.clone(),
            funds_planned: self.funds_planned,
            funds_spent: self.funds_spent,
            emergency_plan: self.emergency_plan.clone(),
            campaign: self.campaign.clone(),
            closed_on: self.closed_on,
        }
    }
}

/// One step of a hazard's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HazardEvent {
    pub id: i64,
    pub hazard_id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub data: Option<String>,
}

crate::table_row! {
    table "hazard_events", key id, cols EVENT_COLS;
    fn event_row(Row) -> HazardEvent {
        id: i64,
        hazard_id: i64,
        at: text,
        actor_id: opt_i64,
        actor: text,
        action: text,
        from_status: opt_text,
        to_status: text,
        note: text,
        data: opt_text,
    }
}

/// What happened, for the event row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub action: String,
    pub note: String,
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HazardFilter {
    pub region_prefix: Option<String>,
    pub sector: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub enterprise_id: Option<i64>,
    pub campaign: Option<String>,
    /// `Some(true)`: open with a deadline before `today`; `Some(false)`: not overdue.
    pub overdue: Option<bool>,
    pub today: NaiveDate,
    pub found_from: Option<NaiveDate>,
    pub found_to: Option<NaiveDate>,
    /// Any of these statuses (in addition to `status`).
    pub statuses: Vec<String>,
    /// Open hazards whose deadline falls within `[due_from, due_to]` (not those reported
    /// done, which wait on their review).
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    /// Hazards awaiting review whose rectification was reported on or before this day (the
    /// reviewer's list; with the latest report day whose review is past its limit, the
    /// reviews that are overdue).
    pub reported_to: Option<NaiveDate>,
    pub q: Option<String>,
    pub after: Option<i64>,
    pub limit: i64,
}

const WRITE_COLS: [&str; 22] = [
    "region_code",
    "enterprise_id",
    "department_id",
    "sector",
    "level",
    "source",
    "description",
    "location",
    "found_on",
    "deadline",
    "deadline_basis",
    "deadline_rule",
    "status",
    "responsible_unit",
    "responsible_person",
    "measures",
    "funds_planned",
    "funds_spent",
    "emergency_plan",
    "campaign",
    "closed_on",
    "reported_on",
];

/// The row's written values: the fields, and the report date the store keeps.
fn values(f: &HazardFields, reported_on: Option<NaiveDate>) -> [Value; 22] {
    params![
        f.region_code.as_str(),
        f.enterprise_id,
        f.department_id,
        f.sector.as_str(),
        f.level.as_str(),
        f.source.as_str(),
        f.description.as_str(),
        f.location.as_str(),
        f.found_on,
        f.deadline,
        f.deadline_basis.clone(),
        f.deadline_rule.as_str(),
        f.status.as_str(),
        f.responsible_unit.as_str(),
        f.responsible_person.as_str(),
        f.measures.as_str(),
        f.funds_planned,
        f.funds_spent,
        f.emergency_plan.as_str(),
        f.campaign.clone(),
        f.closed_on,
        reported_on
    ]
}

/// The report date of a hazard registered in `f.status` on `day` (one registered as fixed on
/// the spot or already reported awaits review from its registration day).
pub(crate) fn initial_reported_on(f: &HazardFields, day: NaiveDate) -> Option<NaiveDate> {
    anjian_domain::hazard::reported_on_after(Status::Registered, None, f.status, &day)
}

const FROM: &str = "hazards h LEFT JOIN regions r ON r.code = h.region_code LEFT JOIN enterprises e ON e.id = h.enterprise_id";

pub(crate) fn get_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<Hazard> {
    let mut p = Vec::new();
    let cond = scope_sql::hazard(scope, "h", &mut p);
    p.push(id.into());
    row(tx
        .query_opt(
            &format!("SELECT {} FROM {FROM} WHERE {cond} AND h.id = ?", cols()),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

fn admitted(scope: &Scope, f: &HazardFields) -> bool {
    scope.admits_region(&f.region_code)
        && scope.admits_sectors(&[f.sector.as_str()])
        && scope.admits_enterprise_id(f.enterprise_id)
}

pub(crate) fn add_event(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    h: &Hazard,
    from: Option<&str>,
    ev: &EventInput,
) -> Result<()> {
    tx.execute(
        "INSERT INTO hazard_events (hazard_id, county_code, at, actor_id, actor, action, from_status, to_status, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &params![
            h.id,
            h.county_code.as_str(),
            change.ts(),
            change.actor_id,
            change.actor.as_str(),
            ev.action.as_str(),
            from,
            h.status.as_str(),
            ev.note.as_str(),
            ev.data.as_ref().map(|d| d.to_string())
        ],
    )?;
    Ok(())
}

/// A hazard of alias `h` is overdue on the day bound to `?`: open past its deadline, and not
/// awaiting review after a rectification reported by the deadline (the report date is set
/// while it awaits review only, see [`Hazard::reported_on`]). Every column is in the
/// partial index `hazards_open_due` (migration 0024), so lists decide it from the index.
pub(crate) const OVERDUE: &str = "h.status <> 'closed' AND h.deadline IS NOT NULL AND h.deadline < ? AND (h.reported_on IS NULL OR h.reported_on > h.deadline)";

fn filter_sql(scope: &Scope, f: &HazardFilter, p: &mut Vec<Value>) -> String {
    let mut wh = vec![scope_sql::hazard(scope, "h", p)];
    if let Some(prefix) = f.region_prefix.as_deref().filter(|s| !s.is_empty()) {
        wh.push(scope_sql::region_subtree("h.region_code", prefix, p));
    }
    let mut eq = |col: &str, v: &Option<String>, p: &mut Vec<Value>| {
        if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
            wh.push(format!("{col} = ?"));
            p.push(v.into());
        }
    };
    eq("h.sector", &f.sector, p);
    eq("h.level", &f.level, p);
    eq("h.status", &f.status, p);
    eq("h.source", &f.source, p);
    eq("h.campaign", &f.campaign, p);
    if let Some(e) = f.enterprise_id {
        wh.push("h.enterprise_id = ?".into());
        p.push(e.into());
    }
    match f.overdue {
        Some(true) => {
            wh.push(format!("({OVERDUE})"));
            p.push(f.today.into());
        }
        Some(false) => {
            wh.push(format!("NOT ({OVERDUE})"));
            p.push(f.today.into());
        }
        None => {}
    }
    if let Some(d) = f.found_from {
        wh.push("h.found_on >= ?".into());
        p.push(d.into());
    }
    if let Some(d) = f.found_to {
        wh.push("h.found_on <= ?".into());
        p.push(d.into());
    }
    if !f.statuses.is_empty() {
        wh.push(scope_sql::in_list("h.status", &f.statuses, p));
    }
    if let (Some(a), Some(b)) = (f.due_from, f.due_to) {
        // Reported done, a hazard waits on its review, not on its deadline.
        wh.push(
            "(h.status <> 'closed' AND h.deadline >= ? AND h.deadline <= ? AND h.reported_on IS NULL)"
                .into(),
        );
        p.push(a.into());
        p.push(b.into());
    }
    if let Some(d) = f.reported_to {
        // Awaiting review (the report date is set on open hazards only while they wait).
        wh.push("(h.status <> 'closed' AND h.reported_on <= ?)".into());
        p.push(d.into());
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped = scope_sql::like_escaped(&q.to_lowercase());
        wh.push(
            "(LOWER(h.description) LIKE ? ESCAPE '\\' OR LOWER(h.location) LIKE ? ESCAPE '\\')"
                .into(),
        );
        p.push(format!("%{escaped}%").into());
        p.push(format!("%{escaped}%").into());
    }
    wh.join(" AND ")
}

/// Inserts a hazard, opens its major case if major, and writes its first event and audit entry.
pub(crate) fn insert_hazard(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    f: &HazardFields,
    ev: &EventInput,
) -> Result<Hazard> {
    let county = crate::county_of(&f.region_code)?;
    let now = change.ts();
    let reported_on = initial_reported_on(f, change.date());
    let id = tx.scalar_i64(
        &format!(
            "INSERT INTO hazards (county_code, {}, created_by, created_at, updated_at) VALUES (?, {}, ?, ?, ?) RETURNING id",
            WRITE_COLS.join(", "),
            crate::db::placeholders(WRITE_COLS.len())
        ),
        &[&params![county.as_str()][..], &values(f, reported_on), &params![change.actor_id, now.as_str(), now.as_str()]].concat(),
    )?;
    let h = get_in(tx, &Scope::system(), id)?;
    if anjian_domain::major::opens_case(h.level) {
        crate::major::open_case(
            tx,
            &h,
            anjian_domain::major::CaseState::UnderDetermination,
            &now,
        )?;
    }
    add_event(tx, change, &h, None, ev)?;
    crate::audit::append_json(
        tx,
        change,
        "hazard.create",
        "hazard",
        &id.to_string(),
        &h.region_code,
        None::<&()>,
        Some(&h),
    )?;
    Ok(h)
}

impl Store {
    /// Registers a hazard with its first event; it must lie in the caller's writable scope.
    pub fn create_hazard(
        &self,
        change: &Change<'_>,
        f: &HazardFields,
        ev: &EventInput,
    ) -> Result<Hazard> {
        change.require_writable()?;
        if !admitted(change.scope, f) {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| insert_hazard(tx, change, f, ev))
    }

    pub fn get_hazard(&self, scope: &Scope, id: i64) -> Result<Hazard> {
        self.db().read(|tx| get_in(tx, scope, id))
    }

    /// The timeline of a hazard visible in the scope, oldest first.
    pub fn hazard_events(&self, scope: &Scope, id: i64) -> Result<Vec<HazardEvent>> {
        self.hazard_with_events(scope, id).map(|(_, events)| events)
    }

    /// A hazard visible in the scope and its timeline, oldest first, in one read.
    pub fn hazard_with_events(&self, scope: &Scope, id: i64) -> Result<(Hazard, Vec<HazardEvent>)> {
        self.db().read(|tx| {
            let h = get_in(tx, scope, id)?;
            let events = tx
                .query(
                    &format!(
                        "SELECT {EVENT_COLS} FROM hazard_events WHERE hazard_id = ? ORDER BY id"
                    ),
                    &params![id],
                )?
                .into_iter()
                .map(event_row)
                .collect::<Result<Vec<_>>>()?;
            Ok((h, events))
        })
    }

    /// Applies a change of state or fields if `version` still matches: hazard, event and
    /// audit entry in one transaction. Before and after must both be in the writable scope.
    pub fn update_hazard(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        f: &HazardFields,
        ev: &EventInput,
    ) -> Result<Hazard> {
        change.require_writable()?;
        if !admitted(change.scope, f) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let before = get_in(tx, change.scope, id)?;
            if before.version != version {
                return Err(StoreError::Conflict("version".into()));
            }
            let reported_on = anjian_domain::hazard::reported_on_after(
                before.status,
                before.reported_on.as_ref(),
                f.status,
                &change.date(),
            );
            let n = tx.execute(
                &format!(
                    "UPDATE hazards SET {}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
                ),
                &[&values(f, reported_on)[..], &params![now.as_str(), id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = get_in(tx, &Scope::system(), id)?;
            add_event(tx, change, &after, Some(before.status.as_str()), ev)?;
            crate::audit::append_json(
                tx,
                change,
                &format!("hazard.{}", ev.action),
                "hazard",
                &id.to_string(),
                &after.region_code,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    /// One page of hazards in scope, newest first.
    pub fn list_hazards(&self, scope: &Scope, f: &HazardFilter) -> Result<Page<Hazard>> {
        let mut p = Vec::new();
        let mut cond = filter_sql(scope, f, &mut p);
        if let Some(after) = f.after {
            cond.push_str(" AND h.id < ?");
            p.push(after.into());
        }
        let limit = f.limit.clamp(1, 10_000);
        // The page's ids first, from whichever index serves the filters (counting rows off
        // an index needs no table read), then the page's rows by primary key.
        let sql = format!(
            "SELECT {} FROM {FROM} WHERE h.id IN (SELECT h.id FROM hazards h WHERE {cond} ORDER BY h.id DESC {}) ORDER BY h.id DESC",
            cols(),
            crate::db::limit(limit + 1)
        );
        self.db().read(|tx| {
            let mut items = tx
                .query(&sql, &p)?
                .into_iter()
                .map(row)
                .collect::<Result<Vec<_>>>()?;
            let more = items.len() as i64 > limit;
            items.truncate(limit as usize);
            let next = if more {
                items.last().map(|h| h.id.to_string())
            } else {
                None
            };
            Ok(Page { items, next })
        })
    }

    /// The number of hazards matching the filter and, of those, how many are overdue on
    /// `f.today`: one pass over the matching rows (the ledger page's two totals). On
    /// SQLite the pair is kept until anything is committed (see [`crate::memo`]): on a
    /// large county the pass reads tens of thousands of index entries per page view.
    pub fn count_hazards_and_overdue(&self, scope: &Scope, f: &HazardFilter) -> Result<(i64, i64)> {
        let mut p = vec![Value::from(f.today)];
        let cond = filter_sql(scope, f, &mut p);
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(*) FILTER (WHERE {OVERDUE}) AS BIGINT) FROM hazards h WHERE {cond}"
        );
        self.ledger_totals.read(self.db(), &sql, &p, |rows| {
            let r = rows.first().ok_or(StoreError::NotFound)?;
            Ok((r.i64(0)?, r.i64(1)?))
        })
    }

    /// Ledger totals kept by [`Store::count_hazards_and_overdue`] (for tests).
    pub fn kept_ledger_totals(&self) -> usize {
        self.ledger_totals.len()
    }

    pub fn count_hazards(&self, scope: &Scope, f: &HazardFilter) -> Result<i64> {
        let mut p = Vec::new();
        let cond = filter_sql(scope, f, &mut p);
        self.db()
            .read(|tx| tx.scalar_i64(&format!("SELECT COUNT(*) FROM hazards h WHERE {cond}"), &p))
    }
}
