//! Risk steering: what the enterprise's grade is read from (its risk points' grades, the grade
//! registered in the enterprise library, the regulator's override), the override and its
//! history, and the county's settings per grade.
//!
//! Reads take the caller's scope through the enterprise visibility predicate: an enterprise
//! outside it answers like a missing one. Points are read from `risk_points` (migration 0034's
//! contract columns only: `enterprise_id`, `grade`, `retired_at`).

use crate::scope_sql;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::risk_grade::Grade;
use anjian_domain::risk_steering::{GradeCounts, GradeRule, PerGrade, Settings};
use chrono::NaiveDate;
use serde::Serialize;

/// What the enterprise's grade is read from, for one enterprise in scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnterpriseRiskGradeRow {
    pub enterprise_id: i64,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    /// The grade registered in the enterprise library (red/orange/yellow/blue), if any.
    pub registered: Option<String>,
    /// Non-retired points per grade.
    pub counts: GradeCounts,
    pub override_grade: Option<Grade>,
    pub override_reason: Option<String>,
    pub override_by: Option<String>,
    pub override_at: Option<String>,
    /// The override row's version (for the next change), None when not overridden.
    pub override_version: Option<i64>,
    /// The latest inspection (by the filter's department, if given).
    pub last_inspected_on: Option<NaiveDate>,
    /// The enterprise's sectors (GB/T 4754 codes as registered).
    pub sectors: Vec<String>,
}

crate::table_row! {
    table "enterprises", key enterprise_id, cols GRADE_COLS;
    fn grade_row -> EnterpriseRiskGradeRow {
        enterprise_id: i64 = "e.id",
        name: text = "e.name",
        region_code: text = "e.region_code",
        region_name: text = "COALESCE(r.name, '')",
        registered: opt_text = "e.risk_grade",
        override_grade: opt_code(Grade::parse) = "o.grade",
        override_reason: opt_text = "o.reason",
        override_by: opt_text = "o.set_by_name",
        override_at: opt_text = "o.set_at",
        override_version: opt_i64 = "o.version",
    }
    rest { counts: GradeCounts::default(), last_inspected_on: None, sectors: Vec::new() }
}

/// Which enterprises to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnterpriseRiskGradeFilter {
    pub enterprise_id: Option<i64>,
    /// A region subtree (one township).
    pub region_prefix: Option<String>,
    /// Enterprises in any of these sectors.
    pub sectors: Option<Vec<String>>,
    /// Count only this department's inspections for `last_inspected_on`.
    pub inspections_by_department: Option<i64>,
}

/// One override or clearing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = EnterpriseRiskGradeHistoryEntry)]
pub struct EnterpriseRiskGradeHistory {
    pub id: i64,
    pub enterprise_id: i64,
    /// `override` or `clear`.
    pub action: String,
    /// The grade set (none when cleared).
    pub grade: Option<Grade>,
    /// The effective grade before and after.
    pub from_grade: Option<Grade>,
    pub to_grade: Option<Grade>,
    pub reason: String,
    pub actor_name: String,
    pub at: String,
}

crate::table_row! {
    table "enterprise_risk_grade_history", key id, cols HISTORY_COLS;
    fn history_row -> EnterpriseRiskGradeHistory {
        id: i64,
        enterprise_id: i64,
        action: checked(|s: &str| ["override", "clear"].contains(&s).then_some(())),
        grade: opt_code(Grade::parse),
        from_grade: opt_code(Grade::parse),
        to_grade: opt_code(Grade::parse),
        reason: text,
        actor_name: text,
        at: text,
    }
}

/// An override to set or clear, with the effective grades before and after (the use case
/// computes them by the county's rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseRiskGradeChange {
    pub enterprise_id: i64,
    /// The grade to set; None clears the override.
    pub grade: Option<Grade>,
    pub reason: String,
    pub from_grade: Option<Grade>,
    pub to_grade: Option<Grade>,
    /// The override row's version as read (None: there is none yet).
    pub version: Option<i64>,
}

const FROM: &str = "enterprises e LEFT JOIN regions r ON r.code = e.region_code \
     LEFT JOIN enterprise_risk_grade_overrides o ON o.enterprise_id = e.id";

fn settings_of(r: &crate::db::Row) -> Result<(Settings, i64)> {
    let n = |i: usize| -> Result<u32> {
        u32::try_from(r.i64(i)?).map_err(|_| StoreError::Invalid("risk_steering_settings".into()))
    };
    let rule_text = r.text(0)?;
    let rule = GradeRule::parse(&rule_text).ok_or_else(|| StoreError::Corrupt {
        table: "risk_steering_settings",
        row: 0,
        column: "rule",
        value: rule_text.clone(),
    })?;
    Ok((
        Settings {
            rule,
            escalate_at: n(1)?,
            frequency_months: PerGrade {
                major: n(2)?,
                large: n(3)?,
                general: n(4)?,
                low: n(5)?,
            },
            weights: PerGrade {
                major: n(6)?,
                large: n(7)?,
                general: n(8)?,
                low: n(9)?,
            },
            ungraded_weight: n(10)?,
        },
        r.i64(11)?,
    ))
}

/// A risk point as the 四色图 draws it: id, place (部位/场所), the tile's words, grade.
pub type PointTile = (i64, String, String, Option<Grade>);

impl Store {
    /// Every open enterprise in scope matching the filter, with what its grade is read from,
    /// in id order.
    pub fn enterprise_risk_grade_rows(
        &self,
        scope: &Scope,
        f: &EnterpriseRiskGradeFilter,
    ) -> Result<Vec<EnterpriseRiskGradeRow>> {
        let mut p = Vec::new();
        let mut cond = scope_sql::enterprise(scope, "e", &mut p);
        cond.push_str(" AND e.status <> 'closed'");
        if let Some(id) = f.enterprise_id {
            cond.push_str(" AND e.id = ?");
            p.push(id.into());
        }
        if let Some(prefix) = &f.region_prefix {
            let c = scope_sql::region_subtree("e.region_code", prefix, &mut p);
            cond.push_str(&format!(" AND {c}"));
        }
        if let Some(sectors) = &f.sectors {
            let c = scope_sql::in_list("es_f.sector_code", sectors, &mut p);
            cond.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM enterprise_sectors es_f WHERE es_f.enterprise_id = e.id AND {c})"
            ));
        }
        self.db().read(|tx| {
            let mut rows: Vec<EnterpriseRiskGradeRow> = tx
                .query(
                    &format!("SELECT {GRADE_COLS} FROM {FROM} WHERE {cond} ORDER BY e.id"),
                    &p,
                )?
                .iter()
                .map(grade_row)
                .collect::<Result<_>>()?;
            let index: std::collections::HashMap<i64, usize> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.enterprise_id, i))
                .collect();
            // Points per enterprise and grade, inspections and sectors: one query each over
            // the same enterprises.
            let sub = format!("SELECT e.id FROM {FROM} WHERE {cond}");
            for r in tx.query(
                &format!("SELECT enterprise_id, grade, COUNT(*) FROM risk_points WHERE enterprise_id IN ({sub}) AND retired_at IS NULL AND grade IS NOT NULL GROUP BY enterprise_id, grade"),
                &p,
            )? {
                let (id, g, n) = (r.i64(0)?, r.text(1)?, r.i64(2)?);
                let grade = Grade::parse(&g).ok_or_else(|| StoreError::Corrupt {
                    table: "risk_points",
                    row: 0,
                    column: "grade",
                    value: g.clone(),
                })?;
                if let Some(i) = index.get(&id) {
                    rows[*i].counts.add(grade, u32::try_from(n).unwrap_or(u32::MAX));
                }
            }
            let mut ip = p.clone();
            let by_dept = match f.inspections_by_department {
                Some(d) => {
                    ip.push(d.into());
                    " AND department_id = ?"
                }
                None => "",
            };
            for r in tx.query(
                &format!("SELECT enterprise_id, MAX(inspected_on) FROM inspections WHERE enterprise_id IN ({sub}){by_dept} GROUP BY enterprise_id"),
                &ip,
            )? {
                let id = r.i64(0)?;
                let on = r.opt_text(1)?;
                if let (Some(i), Some(on)) = (index.get(&id), on) {
                    rows[*i].last_inspected_on =
                        NaiveDate::parse_from_str(on.get(..10).unwrap_or(&on), "%Y-%m-%d").ok();
                }
            }
            for r in tx.query(
                &format!("SELECT enterprise_id, sector_code FROM enterprise_sectors WHERE enterprise_id IN ({sub}) ORDER BY enterprise_id, sector_code"),
                &p,
            )? {
                let id = r.i64(0)?;
                if let Some(i) = index.get(&id) {
                    rows[*i].sectors.push(r.text(1)?);
                }
            }
            Ok(rows)
        })
    }

    /// The grades of an enterprise's non-retired points, in id order (point id, grade or None
    /// when not yet accepted). `NotFound` when the enterprise is outside the scope.
    pub fn enterprise_risk_grade_points(
        &self,
        scope: &Scope,
        enterprise_id: i64,
    ) -> Result<Vec<PointTile>> {
        self.get_enterprise(scope, enterprise_id)?;
        self.db().read(|tx| {
            tx.query(
                "SELECT id, place, activity, hazard_factor, grade FROM risk_points WHERE enterprise_id = ? AND retired_at IS NULL ORDER BY place, id",
                &params![enterprise_id],
            )?
            .iter()
            .map(|r| {
                let id = r.i64(0)?;
                let place = r.text(1)?;
                let activity = r.text(2)?;
                // The tile's words: the activity or equipment, else the hazard factor.
                let label = if activity.trim().is_empty() { r.text(3)? } else { activity };
                match r.opt_text(4)? {
                    None => Ok((id, place, label, None)),
                    Some(g) => Grade::parse(&g).map(|g| (id, place, label, Some(g))).ok_or_else(|| {
                        StoreError::Corrupt {
                            table: "risk_points",
                            row: id,
                            column: "grade",
                            value: g.clone(),
                        }
                    }),
                }
            })
            .collect()
        })
    }

    /// The overrides and clearings of an enterprise in scope, oldest first.
    pub fn enterprise_risk_grade_history(
        &self,
        scope: &Scope,
        enterprise_id: i64,
    ) -> Result<Vec<EnterpriseRiskGradeHistory>> {
        self.get_enterprise(scope, enterprise_id)?;
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {HISTORY_COLS} FROM enterprise_risk_grade_history WHERE enterprise_id = ? ORDER BY id"),
                &params![enterprise_id],
            )?
            .iter()
            .map(history_row)
            .collect()
        })
    }

    /// Sets or clears the regulator's grade for an enterprise in the writer's scope, with a
    /// history row and an audit entry, if the override's version still matches (409
    /// otherwise; setting a first override with `version` None).
    pub fn set_enterprise_risk_grade(
        &self,
        change: &Change<'_>,
        c: &EnterpriseRiskGradeChange,
    ) -> Result<Option<i64>> {
        change.require_writable()?;
        if change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let e = self.get_enterprise(change.scope, c.enterprise_id)?;
        let now = change.ts();
        self.write(|tx| {
            let before = tx
                .query_opt(
                    "SELECT grade, reason, version FROM enterprise_risk_grade_overrides WHERE enterprise_id = ?",
                    &params![c.enterprise_id],
                )?
                .map(|r| Ok::<_, StoreError>(serde_json::json!({"grade": r.text(0)?, "reason": r.text(1)?, "version": r.i64(2)?})))
                .transpose()?;
            let n = match (c.grade, c.version) {
                (Some(g), None) => tx.execute(
                    "INSERT INTO enterprise_risk_grade_overrides (enterprise_id, county_code, region_code, grade, reason, set_by, set_by_name, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (enterprise_id) DO NOTHING",
                    &params![c.enterprise_id, e.county_code.as_str(), e.region_code.as_str(), g.as_str(), c.reason.as_str(), change.actor_id, change.actor.as_str(), now.as_str()],
                )?,
                (Some(g), Some(v)) => tx.execute(
                    "UPDATE enterprise_risk_grade_overrides SET grade = ?, reason = ?, set_by = ?, set_by_name = ?, set_at = ?, version = version + 1 WHERE enterprise_id = ? AND version = ?",
                    &params![g.as_str(), c.reason.as_str(), change.actor_id, change.actor.as_str(), now.as_str(), c.enterprise_id, v],
                )?,
                (None, Some(v)) => tx.execute(
                    "DELETE FROM enterprise_risk_grade_overrides WHERE enterprise_id = ? AND version = ?",
                    &params![c.enterprise_id, v],
                )?,
                (None, None) => 0,
            };
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let version = tx
                .query_opt(
                    "SELECT version FROM enterprise_risk_grade_overrides WHERE enterprise_id = ?",
                    &params![c.enterprise_id],
                )?
                .map(|r| r.i64(0))
                .transpose()?;
            let action = if c.grade.is_some() { "override" } else { "clear" };
            tx.execute(
                "INSERT INTO enterprise_risk_grade_history (county_code, region_code, enterprise_id, action, grade, from_grade, to_grade, reason, actor_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &params![e.county_code.as_str(), e.region_code.as_str(), c.enterprise_id, action, c.grade.map(Grade::as_str), c.from_grade.map(Grade::as_str), c.to_grade.map(Grade::as_str), c.reason.as_str(), change.actor_id, change.actor.as_str(), now.as_str()],
            )?;
            let after = c.grade.map(|g| {
                serde_json::json!({"grade": g.as_str(), "reason": c.reason, "version": version})
            });
            crate::audit::append(
                tx,
                change,
                &format!("enterprise_risk_grade.{action}"),
                "enterprise",
                &c.enterprise_id.to_string(),
                &e.region_code,
                before,
                after.or(Some(serde_json::json!({"cleared": true, "reason": c.reason}))),
            )?;
            Ok(version)
        })
    }

    /// The county's risk steering settings and their version (None: the defaults apply).
    pub fn risk_steering_settings(&self, county_code: &str) -> Result<Option<(Settings, i64)>> {
        self.db().read(|tx| {
            tx.query_opt(
                &format!(
                    "SELECT {SETTINGS_COLS} FROM risk_steering_settings WHERE county_code = ?"
                ),
                &params![county_code],
            )?
            .map(|r| settings_of(&r))
            .transpose()
        })
    }

    /// Writes the county's settings (validated by the use case) if `version` still matches
    /// (None: none written yet), audited.
    pub fn set_risk_steering_settings(
        &self,
        change: &Change<'_>,
        county_code: &str,
        s: &Settings,
        version: Option<i64>,
    ) -> Result<i64> {
        change.require_writable()?;
        if !change.scope.admits_region(county_code) || change.scope.enterprise_ids.is_some() {
            return Err(StoreError::Forbidden);
        }
        let before = self.risk_steering_settings(county_code)?;
        let now = change.ts();
        let vals = params![
            s.rule.as_str(),
            i64::from(s.escalate_at),
            i64::from(s.frequency_months.major),
            i64::from(s.frequency_months.large),
            i64::from(s.frequency_months.general),
            i64::from(s.frequency_months.low),
            i64::from(s.weights.major),
            i64::from(s.weights.large),
            i64::from(s.weights.general),
            i64::from(s.weights.low),
            i64::from(s.ungraded_weight),
            now.as_str(),
            county_code
        ];
        self.write(|tx| {
            let n = match version {
                None => tx.execute(
                    &format!("INSERT INTO risk_steering_settings ({SETTINGS_WRITE}, updated_at, county_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (county_code) DO NOTHING"),
                    &vals,
                )?,
                Some(v) => {
                    let mut p = vals.to_vec();
                    p.push(v.into());
                    tx.execute(
                        "UPDATE risk_steering_settings SET rule = ?, escalate_at = ?, frequency_major = ?, frequency_large = ?, frequency_general = ?, frequency_low = ?, weight_major = ?, weight_large = ?, weight_general = ?, weight_low = ?, weight_ungraded = ?, updated_at = ?, version = version + 1 WHERE county_code = ? AND version = ?",
                        &p,
                    )?
                }
            };
            if n == 0 {
                return Err(StoreError::Conflict("version".into()));
            }
            let (after, v) = tx
                .query_opt(
                    &format!("SELECT {SETTINGS_COLS} FROM risk_steering_settings WHERE county_code = ?"),
                    &params![county_code],
                )?
                .ok_or(StoreError::NotFound)
                .and_then(|r| settings_of(&r))?;
            crate::audit::append_json(
                tx,
                change,
                "risk_steering.settings",
                "risk_steering",
                county_code,
                county_code,
                before.as_ref().map(|b| &b.0),
                Some(&after),
            )?;
            Ok(v)
        })
    }
}

const SETTINGS_WRITE: &str = "rule, escalate_at, frequency_major, frequency_large, frequency_general, frequency_low, weight_major, weight_large, weight_general, weight_low, weight_ungraded";
const SETTINGS_COLS: &str = "rule, escalate_at, frequency_major, frequency_large, frequency_general, frequency_low, weight_major, weight_large, weight_general, weight_low, weight_ungraded, version";
