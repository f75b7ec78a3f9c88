//! County leaders and their dated areas (包片: a township, 包线: a sector). A new assignment of
//! a target ends the current one the day before, in the same transaction
//! ([`anjian_domain::leader::handover`]), so a target has one leader on any day.

use crate::db::Tx;
use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::leader::{AreaKind, Span, handover};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Leader {
    pub id: i64,
    pub county_code: String,
    pub name: String,
    /// 职务, e.g. 副市长.
    pub post: String,
    pub phone: Option<String>,
    /// The user account (role leader) this leader signs in with, if any.
    pub user_id: Option<i64>,
    pub sort_order: i64,
    pub active: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

crate::table_row! {
    table "leaders", key id;
    fn leader_row -> Leader {
        id: i64,
        county_code: text,
        name: text,
        post: text,
        phone: opt_text,
        user_id: opt_i64,
        sort_order: i64,
        active: bool,
        version: i64,
        created_at: text,
        updated_at: text,
    }
}

/// A leader to create or update (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LeaderInput {
    pub county_code: String,
    pub name: String,
    pub post: String,
    pub phone: Option<String>,
    pub user_id: Option<i64>,
    pub sort_order: i64,
    pub active: bool,
}

/// One leader's area for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LeaderAssignment {
    pub id: i64,
    pub county_code: String,
    pub leader_id: i64,
    pub kind: AreaKind,
    /// The township's region code (包片) or the sector's code (包线).
    pub target: String,
    /// The document that made the assignment, e.g. 《清江市安全生产包片包线责任制》.
    pub basis: String,
    pub valid_from: NaiveDate,
    /// The last day; absent while it lasts.
    pub valid_to: Option<NaiveDate>,
    pub created_at: String,
}

impl LeaderAssignment {
    pub fn span(&self) -> Span {
        Span {
            from: self.valid_from,
            to: self.valid_to,
        }
    }
}

crate::table_row! {
    table "leader_assignments", key id, cols ASSIGNMENT_COLS;
    fn assignment_row -> LeaderAssignment {
        id: i64,
        county_code: text,
        leader_id: i64,
        kind: code(AreaKind::parse),
        target: text,
        basis: text,
        valid_from: date,
        valid_to: opt_date,
        created_at: text,
    }
}

/// A new assignment (validated by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentInput {
    pub county_code: String,
    pub leader_id: i64,
    pub kind: AreaKind,
    pub target: String,
    pub basis: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// Which assignments to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignmentFilter {
    pub leader_id: Option<i64>,
    pub kind: Option<AreaKind>,
    pub target: Option<String>,
    /// Only those in force on this day.
    pub as_of: Option<NaiveDate>,
}

/// A row of an import: the leader (found by name in the county, or created) and an
/// assignment of theirs (its `leader_id` is filled in when written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAssignment {
    pub leader: LeaderInput,
    pub assignment: AssignmentInput,
}

/// The audit region of an assignment: the township it covers, or the county.
fn audit_region(a: &AssignmentInput) -> &str {
    match a.kind {
        AreaKind::Township => &a.target,
        AreaKind::Sector => &a.county_code,
    }
}

fn admits_county(change: &Change<'_>, county: &str) -> Result<()> {
    change.require_writable()?;
    if change.scope.admits_region(county) && change.scope.enterprise_ids.is_none() {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

fn insert_leader(tx: &mut dyn Tx, change: &Change<'_>, l: &LeaderInput) -> Result<Leader> {
    let now = change.ts();
    let id = tx.scalar_i64(
        "INSERT INTO leaders (county_code, name, post, phone, user_id, sort_order, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![l.county_code.as_str(), l.name.as_str(), l.post.as_str(), l.phone.clone(), l.user_id, l.sort_order, l.active, now.as_str(), now.as_str()],
    )?;
    let saved = leader_row(&tx.query_one(
        &format!("SELECT {COLS} FROM leaders WHERE id = ?"),
        &params![id],
    )?)?;
    crate::audit::append_json(
        tx,
        change,
        "leader.create",
        "leader",
        &id.to_string(),
        &saved.county_code,
        None::<&()>,
        Some(&saved),
    )?;
    Ok(saved)
}

/// Writes an assignment with its handover (the current one of the target ends the day
/// before), each change with its audit entry.
fn insert_assignment(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    a: &AssignmentInput,
) -> Result<LeaderAssignment> {
    let existing = tx
        .query(
            &format!("SELECT {ASSIGNMENT_COLS} FROM leader_assignments WHERE county_code = ? AND kind = ? AND target = ? ORDER BY valid_from, id"),
            &params![a.county_code.as_str(), a.kind.as_str(), a.target.as_str()],
        )?
        .iter()
        .map(assignment_row)
        .collect::<Result<Vec<_>>>()?;
    let spans: Vec<(i64, Span)> = existing.iter().map(|x| (x.id, x.span())).collect();
    let ends = handover(
        &spans,
        Span {
            from: a.valid_from,
            to: a.valid_to,
        },
    )
    .map_err(|e| StoreError::Conflict(e.message().1))?;
    for (id, last) in ends {
        let Some(before) = existing.iter().find(|x| x.id == id) else {
            continue;
        };
        tx.execute(
            "UPDATE leader_assignments SET valid_to = ? WHERE id = ?",
            &params![last, id],
        )?;
        let after = LeaderAssignment {
            valid_to: Some(last),
            ..before.clone()
        };
        crate::audit::append_json(
            tx,
            change,
            "leader_assignment.end",
            "leader_assignment",
            &id.to_string(),
            audit_region(a),
            Some(before),
            Some(&after),
        )?;
    }
    let now = change.ts();
    let id = tx.scalar_i64(
        "INSERT INTO leader_assignments (county_code, leader_id, kind, target, basis, valid_from, valid_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![a.county_code.as_str(), a.leader_id, a.kind.as_str(), a.target.as_str(), a.basis.as_str(), a.valid_from, a.valid_to, now.as_str()],
    )?;
    let saved = assignment_row(&tx.query_one(
        &format!("SELECT {ASSIGNMENT_COLS} FROM leader_assignments WHERE id = ?"),
        &params![id],
    )?)?;
    crate::audit::append_json(
        tx,
        change,
        "leader_assignment.create",
        "leader_assignment",
        &id.to_string(),
        audit_region(a),
        None::<&()>,
        Some(&saved),
    )?;
    Ok(saved)
}

impl Store {
    /// The leaders of the counties in scope, in their order.
    pub fn list_leaders(&self, scope: &Scope) -> Result<Vec<Leader>> {
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(scope, "county_code", &mut p);
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {COLS} FROM leaders WHERE {cond} ORDER BY sort_order, id"),
                &p,
            )?
            .iter()
            .map(leader_row)
            .collect()
        })
    }

    pub fn get_leader(&self, scope: &Scope, id: i64) -> Result<Leader> {
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(scope, "county_code", &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            leader_row(
                &tx.query_opt(
                    &format!("SELECT {COLS} FROM leaders WHERE {cond} AND id = ?"),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?,
            )
        })
    }

    /// The leader a user account signs in as, if one is linked to it (in scope).
    pub fn leader_of_user(&self, scope: &Scope, user_id: i64) -> Result<Option<Leader>> {
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(scope, "county_code", &mut p);
        p.push(user_id.into());
        self.db().read(|tx| {
            tx.query_opt(
                &format!("SELECT {COLS} FROM leaders WHERE {cond} AND user_id = ? ORDER BY id"),
                &p,
            )?
            .as_ref()
            .map(leader_row)
            .transpose()
        })
    }

    pub fn create_leader(&self, change: &Change<'_>, l: &LeaderInput) -> Result<Leader> {
        admits_county(change, &l.county_code)?;
        self.write(|tx| insert_leader(tx, change, l))
    }

    /// Updates a leader if `version` still matches (409 otherwise); the county stays.
    pub fn update_leader(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        l: &LeaderInput,
    ) -> Result<Leader> {
        let before = self.get_leader(change.scope, id)?;
        admits_county(change, &before.county_code)?;
        let now = change.ts();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE leaders SET name = ?, post = ?, phone = ?, user_id = ?, sort_order = ?, active = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                &params![l.name.as_str(), l.post.as_str(), l.phone.clone(), l.user_id, l.sort_order, l.active, now.as_str(), id, version],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let after = leader_row(&tx.query_one(&format!("SELECT {COLS} FROM leaders WHERE id = ?"), &params![id])?)?;
            crate::audit::append_json(tx, change, "leader.update", "leader", &id.to_string(), &after.county_code, Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Assigns a leader to a township or a sector from a day: the target's current
    /// assignment ends the day before (kept as history). Refused (409) when the target
    /// already has an assignment starting on or after that day.
    pub fn assign_leader(
        &self,
        change: &Change<'_>,
        a: &AssignmentInput,
    ) -> Result<LeaderAssignment> {
        admits_county(change, &a.county_code)?;
        let leader = self.get_leader(change.scope, a.leader_id)?;
        if leader.county_code != a.county_code {
            return Err(StoreError::Forbidden);
        }
        self.write(|tx| insert_assignment(tx, change, a))
    }

    /// Ends an assignment on `last_day` (it answers for the target up to that day).
    pub fn end_assignment(
        &self,
        change: &Change<'_>,
        id: i64,
        last_day: NaiveDate,
    ) -> Result<LeaderAssignment> {
        let before = self.get_assignment(change.scope, id)?;
        admits_county(change, &before.county_code)?;
        if last_day < before.valid_from {
            return Err(StoreError::Invalid("valid_to".into()));
        }
        let region = match before.kind {
            AreaKind::Township => before.target.clone(),
            AreaKind::Sector => before.county_code.clone(),
        };
        self.write(|tx| {
            tx.execute(
                "UPDATE leader_assignments SET valid_to = ? WHERE id = ?",
                &params![last_day, id],
            )?;
            let after = LeaderAssignment {
                valid_to: Some(last_day),
                ..before.clone()
            };
            crate::audit::append_json(
                tx,
                change,
                "leader_assignment.end",
                "leader_assignment",
                &id.to_string(),
                &region,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    pub fn get_assignment(&self, scope: &Scope, id: i64) -> Result<LeaderAssignment> {
        let mut p = Vec::new();
        let cond = scope_sql::county_wide(scope, "county_code", &mut p);
        p.push(id.into());
        self.db().read(|tx| {
            assignment_row(
                &tx.query_opt(
                    &format!(
                        "SELECT {ASSIGNMENT_COLS} FROM leader_assignments WHERE {cond} AND id = ?"
                    ),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?,
            )
        })
    }

    /// The assignments of the counties in scope, by target and start.
    pub fn list_assignments(
        &self,
        scope: &Scope,
        f: &AssignmentFilter,
    ) -> Result<Vec<LeaderAssignment>> {
        let mut p = Vec::new();
        let mut cond = vec![scope_sql::county_wide(scope, "county_code", &mut p)];
        if let Some(l) = f.leader_id {
            cond.push("leader_id = ?".into());
            p.push(l.into());
        }
        if let Some(k) = f.kind {
            cond.push("kind = ?".into());
            p.push(k.as_str().into());
        }
        if let Some(t) = &f.target {
            cond.push("target = ?".into());
            p.push(t.as_str().into());
        }
        if let Some(d) = f.as_of {
            cond.push("valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)".into());
            p.push(d.into());
            p.push(d.into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {ASSIGNMENT_COLS} FROM leader_assignments WHERE {} ORDER BY kind, target, valid_from, id", cond.join(" AND ")),
                &p,
            )?
            .iter()
            .map(assignment_row)
            .collect()
        })
    }

    /// Imports assignments in one transaction, in the order given: each row's leader is found
    /// by name in its county or created, then assigned with the usual handover. Returns how
    /// many assignments were written; any refusal writes nothing.
    pub fn import_assignments(
        &self,
        change: &Change<'_>,
        rows: &[ImportedAssignment],
    ) -> Result<usize> {
        for r in rows {
            admits_county(change, &r.assignment.county_code)?;
        }
        self.write(|tx| {
            for r in rows {
                let found = tx.query_opt(
                    "SELECT id FROM leaders WHERE county_code = ? AND name = ? ORDER BY id",
                    &params![r.leader.county_code.as_str(), r.leader.name.as_str()],
                )?;
                let leader_id = match found {
                    Some(row) => row.i64(0)?,
                    None => insert_leader(tx, change, &r.leader)?.id,
                };
                insert_assignment(
                    tx,
                    change,
                    &AssignmentInput {
                        leader_id,
                        ..r.assignment.clone()
                    },
                )?;
            }
            Ok(rows.len())
        })
    }
}
