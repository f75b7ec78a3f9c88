//! Major hazards under 一单四制: cases on the list, their ledger and extensions, and 通报.

use crate::db::{Tx, Value};
use crate::hazards::{EventInput, Hazard, HazardFields, add_event, get_in as get_hazard_in};
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MajorCase {
    pub hazard_id: i64,
    pub case_no: String,
    pub state: anjian_domain::major::CaseState,
    pub tier: String,
    pub basis_standard: String,
    pub basis_clause: String,
    pub determined_by: String,
    pub determined_on: Option<NaiveDate>,
    pub assignment_no: String,
    pub assigning_unit: String,
    pub coordinating_supervisor: String,
    pub assigned_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub downgrade_reason: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerEntry {
    pub id: i64,
    pub entry_date: NaiveDate,
    pub progress: i64,
    pub narrative: String,
    pub reporter: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extension {
    pub id: i64,
    pub requested_on: NaiveDate,
    pub requested_deadline: NaiveDate,
    pub reason: String,
    pub status: String,
    pub decided_on: Option<NaiveDate>,
    pub decision_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bulletin {
    pub id: i64,
    pub county_code: String,
    pub cycle: String,
    pub doc_no: String,
    pub issued_on: NaiveDate,
    pub items: String,
}

/// What one case action writes besides the case itself.
#[derive(Debug, Clone, Default)]
pub struct CaseChange {
    /// The underlying hazard's new fields (status, deadline, 五落实...), with its event.
    pub hazard: Option<HazardFields>,
    /// A ledger entry: its date, progress (%) and narrative.
    pub ledger: Option<(NaiveDate, i64, String)>,
    /// An extension request: the deadline asked for and the reason.
    pub extension_request: Option<(NaiveDate, String)>,
    /// Decide the pending extension: approved?, note.
    pub extension_decision: Option<(bool, String)>,
}

crate::table_row! {
    table "major_cases", key hazard_id;
    fn row -> MajorCase {
        hazard_id: i64 = "c.hazard_id",
        case_no: text = "c.case_no",
        state: code(anjian_domain::major::CaseState::parse) = "c.state",
        tier: text = "c.tier",
        basis_standard: text = "c.basis_standard",
        basis_clause: text = "c.basis_clause",
        determined_by: text = "c.determined_by",
        determined_on: opt_date = "c.determined_on",
        assignment_no: text = "c.assignment_no",
        assigning_unit: text = "c.assigning_unit",
        coordinating_supervisor: text = "c.coordinating_supervisor",
        assigned_on: opt_date = "c.assigned_on",
        closed_on: opt_date = "c.closed_on",
        downgrade_reason: text = "c.downgrade_reason",
        version: i64 = "c.version",
    }
}

crate::table_row! {
    table "major_ledger", key id, cols LEDGER_COLS;
    fn ledger_row(Row) -> LedgerEntry {
        id: i64,
        entry_date: date,
        progress: i64,
        narrative: text,
        reporter: text,
    }
}

crate::table_row! {
    table "major_extensions", key id, cols EXTENSION_COLS;
    fn extension_row(Row) -> Extension {
        id: i64,
        requested_on: date,
        requested_deadline: date,
        reason: text,
        status: text,
        decided_on: opt_date,
        decision_note: text,
    }
}

crate::table_row! {
    table "major_bulletins", key id, cols BULLETIN_COLS;
    fn bulletin_row(Row) -> Bulletin {
        id: i64,
        county_code: text,
        cycle: text,
        doc_no: text,
        issued_on: date,
        items: text,
    }
}

const WRITE_COLS: [&str; 13] = [
    "state",
    "tier",
    "basis_standard",
    "basis_clause",
    "determined_by",
    "determined_on",
    "assignment_no",
    "assigning_unit",
    "coordinating_supervisor",
    "assigned_on",
    "closed_on",
    "downgrade_reason",
    "region_code",
];

fn values(c: &MajorCase, region: &str) -> [Value; 13] {
    params![
        c.state.as_str(),
        c.tier.as_str(),
        c.basis_standard.as_str(),
        c.basis_clause.as_str(),
        c.determined_by.as_str(),
        c.determined_on,
        c.assignment_no.as_str(),
        c.assigning_unit.as_str(),
        c.coordinating_supervisor.as_str(),
        c.assigned_on,
        c.closed_on,
        c.downgrade_reason.as_str(),
        region
    ]
}

/// Opens a case for a newly registered major hazard (inside the caller's transaction).
pub(crate) fn open_case(
    tx: &mut dyn Tx,
    h: &Hazard,
    state: anjian_domain::major::CaseState,
    now: &str,
) -> Result<()> {
    let year = chrono::Datelike::year(&h.found_on).to_string();
    let n = tx.scalar_i64(
        "SELECT COUNT(*) FROM major_cases WHERE county_code = ? AND case_no LIKE ?",
        &params![h.county_code.as_str(), format!("{year}-%")],
    )?;
    let case_no = format!("{year}-{:04}", n + 1);
    tx.execute(
        "INSERT INTO major_cases (hazard_id, county_code, region_code, case_no, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &params![h.id, h.county_code.as_str(), h.region_code.as_str(), case_no, state.as_str(), now, now],
    )?;
    Ok(())
}

fn get_case(tx: &mut dyn Tx, scope: &Scope, hazard_id: i64) -> Result<(MajorCase, Hazard)> {
    let h = get_hazard_in(tx, scope, hazard_id)?;
    let c = row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM major_cases c WHERE c.hazard_id = ?"),
            &params![hazard_id],
        )?
        .ok_or(StoreError::NotFound)?)?;
    Ok((c, h))
}

/// Filters for the major-hazard list (清单).
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<String>,
    pub open_only: bool,
    pub overdue_on: Option<NaiveDate>,
    pub year: Option<String>,
    /// Keyset: cases of hazards with an id below this (the next page).
    pub after: Option<i64>,
    pub limit: i64,
}

impl Store {
    pub fn get_major_case(&self, scope: &Scope, hazard_id: i64) -> Result<(MajorCase, Hazard)> {
        self.db().read(|tx| get_case(tx, scope, hazard_id))
    }

    /// The list (清单) in the caller's scope, newest first.
    /// One page of the list (清单), newest hazard first, with the cursor of the next.
    pub fn major_cases_page(
        &self,
        scope: &Scope,
        f: &CaseFilter,
    ) -> Result<crate::paging::Page<(MajorCase, Hazard)>> {
        let limit = f.limit.clamp(1, crate::paging::Keyset::MAX);
        let mut items = self.list_major_cases(
            scope,
            &CaseFilter {
                limit: limit + 1,
                ..f.clone()
            },
        )?;
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        let next = if more {
            items.last().map(|(c, _)| c.hazard_id.to_string())
        } else {
            None
        };
        Ok(crate::paging::Page { items, next })
    }

    pub fn list_major_cases(
        &self,
        scope: &Scope,
        f: &CaseFilter,
    ) -> Result<Vec<(MajorCase, Hazard)>> {
        let mut p = Vec::new();
        let mut wh = vec![scope_sql::hazard(scope, "h", &mut p)];
        if let Some(s) = f.state.as_deref().filter(|s| !s.is_empty()) {
            wh.push("c.state = ?".into());
            p.push(s.into());
        }
        if f.open_only {
            wh.push("c.state NOT IN ('closed', 'downgraded')".into());
        }
        if let Some(d) = f.overdue_on {
            // Past the deadline, unless 申请销号 was made by it (the hazard then waits on
            // 验收, not on the enterprise).
            wh.push("(c.state NOT IN ('closed', 'downgraded', 'under_determination', 'listed') AND h.deadline IS NOT NULL AND h.deadline < ? AND (h.reported_on IS NULL OR h.reported_on > h.deadline))".into());
            p.push(d.into());
        }
        if let Some(y) = f.year.as_deref().filter(|s| !s.is_empty()) {
            wh.push("c.case_no LIKE ?".into());
            p.push(format!("{y}-%").into());
        }
        if let Some(after) = f.after {
            wh.push("c.hazard_id < ?".into());
            p.push(after.into());
        }
        let sql = format!(
            "SELECT c.hazard_id FROM major_cases c JOIN hazards h ON h.id = c.hazard_id WHERE {} ORDER BY c.hazard_id DESC {}",
            wh.join(" AND "),
            crate::db::limit(f.limit.clamp(1, 5000))
        );
        self.db().read(|tx| {
            let ids: Vec<i64> = tx
                .query(&sql, &p)?
                .iter()
                .map(|r| r.i64(0))
                .collect::<Result<_>>()?;
            ids.into_iter()
                .map(|id| get_case(tx, &Scope::system(), id))
                .collect()
        })
    }

    pub fn major_ledger(&self, scope: &Scope, hazard_id: i64) -> Result<Vec<LedgerEntry>> {
        self.db().read(|tx| {
            get_case(tx, scope, hazard_id)?;
            tx.query(
                &format!("SELECT {LEDGER_COLS} FROM major_ledger WHERE hazard_id = ? ORDER BY id"),
                &params![hazard_id],
            )?
            .into_iter()
            .map(ledger_row)
            .collect()
        })
    }

    pub fn major_extensions(&self, scope: &Scope, hazard_id: i64) -> Result<Vec<Extension>> {
        self.db().read(|tx| {
            get_case(tx, scope, hazard_id)?;
            tx.query(
                &format!(
                    "SELECT {EXTENSION_COLS} FROM major_extensions WHERE hazard_id = ? ORDER BY id"
                ),
                &params![hazard_id],
            )?
            .into_iter()
            .map(extension_row)
            .collect()
        })
    }

    /// Applies one case action: the case, and with it the hazard (fields + timeline event),
    /// a ledger entry or an extension request/decision, and the audit entry, in one
    /// transaction; a stale case `version` is a conflict.
    pub fn major_case_action(
        &self,
        change: &Change<'_>,
        hazard_id: i64,
        version: i64,
        case: &MajorCase,
        what: &CaseChange,
        ev: &EventInput,
    ) -> Result<MajorCase> {
        change.require_writable()?;
        let now = change.ts();
        let today = change.date();
        self.write(|tx| {
            let (before, h) = get_case(tx, change.scope, hazard_id)?;
            if before.version != version {
                return Err(StoreError::Conflict("version".into()));
            }
            let mut region = h.region_code.clone();
            let mut after_hazard = h.clone();
            if let Some(f) = &what.hazard {
                if !(change.scope.admits_region(&f.region_code) && change.scope.admits_sectors(&[f.sector.as_str()])) {
                    return Err(StoreError::Forbidden);
                }
                let reported_on = anjian_domain::hazard::reported_on_after(
                    h.status,
                    h.reported_on.as_ref(),
                    f.status,
                    &today,
                );
                let n = tx.execute(
                    "UPDATE hazards SET level = ?, status = ?, reported_on = ?, deadline = ?, deadline_basis = ?, deadline_rule = ?, responsible_unit = ?, responsible_person = ?, \
                         measures = ?, funds_planned = ?, funds_spent = ?, emergency_plan = ?, closed_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                    &params![
                        f.level.as_str(),
                        f.status.as_str(),
                        reported_on,
                        f.deadline,
                        f.deadline_basis.clone(),
                        f.deadline_rule.as_str(),
                        f.responsible_unit.as_str(),
                        f.responsible_person.as_str(),
                        f.measures.as_str(),
                        f.funds_planned,
                        f.funds_spent,
                        f.emergency_plan.as_str(),
                        f.closed_on,
                        now.as_str(),
                        hazard_id,
                        h.version
                    ],
                )?;
                if n == 0 {
                    return Err(StoreError::Conflict("hazard version".into()));
                }
                after_hazard = get_hazard_in(tx, &Scope::system(), hazard_id)?;
                region = after_hazard.region_code.clone();
            }
            add_event(tx, change, &after_hazard, Some(h.status.as_str()), ev)?;
            let n = tx.execute(
                &format!(
                    "UPDATE major_cases SET {}, version = version + 1, updated_at = ? WHERE hazard_id = ? AND version = ?",
                    WRITE_COLS.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ")
                ),
                &[&values(case, &region)[..], &params![now.as_str(), hazard_id, version]].concat(),
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            if let Some((date, progress, narrative)) = &what.ledger {
                tx.execute(
                    "INSERT INTO major_ledger (hazard_id, county_code, entry_date, progress, narrative, reporter, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &params![hazard_id, h.county_code.as_str(), *date, *progress, narrative.as_str(), change.actor.as_str(), now.as_str()],
                )?;
            }
            if let Some((deadline, reason)) = &what.extension_request {
                tx.execute(
                    "INSERT INTO major_extensions (hazard_id, county_code, requested_on, requested_deadline, reason, status) VALUES (?, ?, ?, ?, ?, 'pending')",
                    &params![hazard_id, h.county_code.as_str(), today, *deadline, reason.as_str()],
                )?;
            }
            if let Some((approved, note)) = &what.extension_decision {
                let n = tx.execute(
                    "UPDATE major_extensions SET status = ?, decided_on = ?, decision_note = ? WHERE hazard_id = ? AND status = 'pending'",
                    &params![if *approved { "approved" } else { "denied" }, today, note.as_str(), hazard_id],
                )?;
                if n == 0 {
                    return Err(StoreError::Conflict("no pending extension".into()));
                }
            }
            let after = get_case(tx, &Scope::system(), hazard_id)?.0;
            crate::audit::append_json(tx, change, &format!("major.{}", ev.action), "hazard", &hazard_id.to_string(), &region, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Records a 通报 once per county and cycle; returns `None` if it already exists.
    pub fn create_bulletin(
        &self,
        change: &Change<'_>,
        county_code: &str,
        cycle: &str,
        doc_no: &str,
        issued_on: NaiveDate,
        items: &serde_json::Value,
    ) -> Result<Option<Bulletin>> {
        change.require_writable()?;
        if !change.scope.admits_region(county_code) {
            return Err(StoreError::Forbidden);
        }
        let now = change.ts();
        self.write(|tx| {
            let id = tx.query_opt(
                "INSERT INTO major_bulletins (county_code, cycle, doc_no, issued_on, items, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (county_code, cycle) DO NOTHING RETURNING id",
                &params![county_code, cycle, doc_no, issued_on, items.to_string(), now.as_str()],
            )?;
            let Some(id) = id else { return Ok(None) };
            let id = id.i64(0)?;
            crate::audit::append(tx, change, "major.bulletin", "bulletin", &id.to_string(), county_code, None, Some(serde_json::json!({"cycle": cycle, "doc_no": doc_no})))?;
            Ok(Some(Bulletin { id, county_code: county_code.into(), cycle: cycle.into(), doc_no: doc_no.into(), issued_on, items: items.to_string() }))
        })
    }

    pub fn list_bulletins(&self, scope: &Scope) -> Result<Vec<Bulletin>> {
        let mut p = Vec::new();
        let cond = scope_sql::regions(scope, "county_code", &mut p);
        // A township user belongs to a county: it sees its county's 通报 too.
        let mut parts = vec![cond];
        for prefix in &scope.region_prefixes {
            if prefix.len() > 6 {
                parts.push("county_code = ?".into());
                p.push(format!("{}000000", &prefix[..6]).into());
            }
        }
        let sql = format!(
            "SELECT {BULLETIN_COLS} FROM major_bulletins WHERE {} ORDER BY id DESC",
            parts.join(" OR ")
        );
        self.db()
            .read(|tx| tx.query(&sql, &p)?.into_iter().map(bulletin_row).collect())
    }

    pub fn get_bulletin(&self, scope: &Scope, id: i64) -> Result<Bulletin> {
        self.list_bulletins(scope)?
            .into_iter()
            .find(|b| b.id == id)
            .ok_or(StoreError::NotFound)
    }
}
