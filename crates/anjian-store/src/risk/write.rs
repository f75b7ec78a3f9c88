//! The writes of risk points: registration (one or a sheet of them, with their first
//! assessments), an assessment, and each other step of the loop, each with its audit entry in
//! the same transaction.

use super::{RiskAssessment, RiskPoint, assessment_row, get_in};
use crate::db::Tx;
use crate::{Change, Result, Store, StoreError, params};
use anjian_domain::accident_type::AccidentType;
use anjian_domain::risk::{AssessmentStatus, Evaluation, PointFields, RiskState};

/// A point to register: an enterprise's (placed in the enterprise's region) or, with no
/// enterprise, a township's public site in `region_code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRiskPoint {
    pub enterprise_id: Option<i64>,
    pub region_code: String,
    pub fields: PointFields,
}

/// An assessment to record: the evaluation, the cut-offs it was graded by, why and who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssessment {
    pub evaluation: Evaluation,
    pub cutoffs: String,
    pub reason: String,
    pub assessed_by: String,
}

/// What a step does to the point's assessment under review: its new status and, for a
/// review, who reviewed and the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentMark {
    pub id: i64,
    pub status: AssessmentStatus,
    pub reviewed_by: Option<String>,
    pub note: String,
}

/// The region and sectors of the point's enterprise, or the public site's region; refuses a
/// place outside the change's writable scope (as if it did not exist).
fn place_of(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    enterprise_id: Option<i64>,
    region_code: &str,
) -> Result<String> {
    change.require_writable()?;
    let (region, sectors) = match enterprise_id {
        Some(id) => {
            let region = tx
                .query_opt(
                    "SELECT region_code FROM enterprises WHERE id = ?",
                    &params![id],
                )?
                .ok_or(StoreError::NotFound)?
                .text(0)?;
            let sectors = tx
                .query(
                    "SELECT sector_code FROM enterprise_sectors WHERE enterprise_id = ?",
                    &params![id],
                )?
                .iter()
                .map(|r| r.text(0))
                .collect::<Result<Vec<String>>>()?;
            (region, sectors)
        }
        None => (region_code.to_string(), Vec::new()),
    };
    if !change.scope.admits(&region, &sectors, enterprise_id) {
        return Err(StoreError::NotFound);
    }
    Ok(region)
}

fn insert_point(tx: &mut dyn Tx, change: &Change<'_>, p: &NewRiskPoint) -> Result<i64> {
    let region = place_of(tx, change, p.enterprise_id, &p.region_code)?;
    let county = crate::county_of(&region)?;
    let f = &p.fields;
    let now = change.ts();
    tx.scalar_i64(
        "INSERT INTO risk_points (county_code, region_code, enterprise_id, state, created_at, updated_at, place, activity, hazard_factor, accident_types, \
         control_engineering, control_management, control_training, control_ppe, control_emergency, control_level, responsible_name, responsible_phone) \
         VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &params![
            county.as_str(),
            region.as_str(),
            p.enterprise_id,
            now.as_str(),
            now.as_str(),
            f.place.as_str(),
            f.activity.as_str(),
            f.hazard_factor.as_str(),
            AccidentType::join_codes(&f.accident_types).as_str(),
            f.controls.engineering.as_str(),
            f.controls.management.as_str(),
            f.controls.training.as_str(),
            f.controls.ppe.as_str(),
            f.controls.emergency.as_str(),
            f.control_level.as_str(),
            f.responsible_name.as_str(),
            f.responsible_phone.as_str()
        ],
    )
}

/// Records an assessment of a point (read in scope) as its pending one: an earlier pending
/// assessment is superseded, the point goes back to draft (its accepted grade stays).
fn insert_assessment(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    point: &RiskPoint,
    a: &NewAssessment,
) -> Result<RiskAssessment> {
    let ev = &a.evaluation;
    if let Some(old) = point.pending_assessment_id {
        tx.execute(
            "UPDATE risk_assessments SET status = 'superseded' WHERE id = ? AND status = 'pending'",
            &params![old],
        )?;
    }
    let id = tx.scalar_i64(
        "INSERT INTO risk_assessments (point_id, county_code, method, l_x10, e_x10, c_x10, s_x10, score_x100, grade, cutoffs, reason, status, assessed_by, assessed_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
        &params![
            point.id,
            point.county_code.as_str(),
            ev.method.as_str(),
            ev.l_x10,
            ev.e_x10,
            ev.c_x10,
            ev.s_x10,
            ev.score_x100,
            ev.grade.as_str(),
            a.cutoffs.as_str(),
            a.reason.as_str(),
            a.assessed_by.as_str(),
            change.ts().as_str()
        ],
    )?;
    let n = tx.execute(
        "UPDATE risk_points SET state = 'draft', pending_assessment_id = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
        &params![id, change.ts().as_str(), point.id, point.version],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict("stale version".into()));
    }
    assessment_row(&tx.query_one(
        &format!(
            "SELECT {} FROM risk_assessments WHERE id = ?",
            super::ASSESSMENT_COLS
        ),
        &params![id],
    )?)
}

fn audit(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    action: &str,
    before: Option<&RiskPoint>,
    after: &RiskPoint,
    assessment: Option<&RiskAssessment>,
) -> Result<()> {
    // The point, flat, with the assessment the step concerns beside it.
    let mut after_json =
        serde_json::to_value(after).map_err(|e| StoreError::Backend(e.to_string()))?;
    if let (Some(a), Some(map)) = (assessment, after_json.as_object_mut()) {
        map.insert("method".into(), a.method.as_str().into());
        map.insert(
            "score".into(),
            anjian_domain::risk::method::score_text(a.score_x100).into(),
        );
        map.insert("assessed_grade".into(), a.grade.as_str().into());
        map.insert("assessment_reason".into(), a.reason.clone().into());
        map.insert("assessment_status".into(), a.status.as_str().into());
    }
    crate::audit::append_json(
        tx,
        change,
        &format!("risk_point.{action}"),
        "risk_point",
        &after.id.to_string(),
        &after.region_code,
        before,
        Some(&after_json),
    )
}

impl Store {
    /// Registers a point, with its first assessment if given.
    pub fn create_risk_point(
        &self,
        change: &Change<'_>,
        p: &NewRiskPoint,
        first: Option<&NewAssessment>,
    ) -> Result<(RiskPoint, Option<RiskAssessment>)> {
        self.write(|tx| create_in(tx, change, p, first))
    }

    /// Registers a sheet of points with their first assessments in one transaction (an
    /// import): all or none.
    pub fn create_risk_points(
        &self,
        change: &Change<'_>,
        points: &[(NewRiskPoint, Option<NewAssessment>)],
    ) -> Result<Vec<i64>> {
        self.write(|tx| {
            points
                .iter()
                .map(|(p, a)| create_in(tx, change, p, a.as_ref()).map(|(x, _)| x.id))
                .collect()
        })
    }

    /// Records an assessment of point `id` at `version` (see [`insert_assessment`]).
    pub fn assess_risk_point(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        a: &NewAssessment,
    ) -> Result<(RiskPoint, RiskAssessment)> {
        self.write(|tx| {
            let mut before = get_in(tx, change.scope, id)?;
            place_of(tx, change, before.enterprise_id, &before.region_code)?;
            let snapshot = before.clone();
            before.version = version;
            let saved = insert_assessment(tx, change, &before, a)?;
            let after = get_in(tx, change.scope, id)?;
            audit(tx, change, "assess", Some(&snapshot), &after, Some(&saved))?;
            Ok((after, saved))
        })
    }

    /// Writes a step of the loop (`action`: edit, submit, accept, return, retire): the
    /// point's description, state, grade, assessment links, reasons and retirement, and the
    /// mark on the assessment it concerns; refuses a stale version.
    pub fn update_risk_point(
        &self,
        change: &Change<'_>,
        p: &RiskPoint,
        action: &str,
        mark: Option<&AssessmentMark>,
    ) -> Result<RiskPoint> {
        self.write(|tx| {
            let before = get_in(tx, change.scope, p.id)?;
            place_of(tx, change, before.enterprise_id, &before.region_code)?;
            let now = change.ts();
            let n = tx.execute(
                "UPDATE risk_points SET place = ?, activity = ?, hazard_factor = ?, accident_types = ?, control_engineering = ?, control_management = ?, \
                 control_training = ?, control_ppe = ?, control_emergency = ?, control_level = ?, responsible_name = ?, responsible_phone = ?, \
                 grade = ?, state = ?, retired_at = ?, pending_assessment_id = ?, accepted_assessment_id = ?, return_reason = ?, retire_reason = ?, \
                 updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                &params![
                    p.place.as_str(),
                    p.activity.as_str(),
                    p.hazard_factor.as_str(),
                    AccidentType::join_codes(&p.accident_types).as_str(),
                    p.control_engineering.as_str(),
                    p.control_management.as_str(),
                    p.control_training.as_str(),
                    p.control_ppe.as_str(),
                    p.control_emergency.as_str(),
                    p.control_level.as_str(),
                    p.responsible_name.as_str(),
                    p.responsible_phone.as_str(),
                    p.grade.map(|g| g.as_str()),
                    p.state.as_str(),
                    p.retired_at.as_deref(),
                    p.pending_assessment_id,
                    p.accepted_assessment_id,
                    p.return_reason.as_str(),
                    p.retire_reason.as_str(),
                    now.as_str(),
                    p.id,
                    p.version
                ],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("stale version".into()));
            }
            let mut marked = None;
            if let Some(m) = mark {
                let n = match &m.reviewed_by {
                    Some(by) => tx.execute(
                        "UPDATE risk_assessments SET status = ?, reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ? AND point_id = ?",
                        &params![m.status.as_str(), by.as_str(), now.as_str(), m.note.as_str(), m.id, p.id],
                    )?,
                    None => tx.execute(
                        "UPDATE risk_assessments SET status = ? WHERE id = ? AND point_id = ?",
                        &params![m.status.as_str(), m.id, p.id],
                    )?,
                };
                if n == 0 {
                    return Err(StoreError::Invalid("assessment".into()));
                }
                marked = Some(assessment_row(&tx.query_one(
                    &format!("SELECT {} FROM risk_assessments WHERE id = ?", super::ASSESSMENT_COLS),
                    &params![m.id],
                )?)?);
            }
            if p.state == RiskState::Retired && before.state == RiskState::Retired {
                return Err(StoreError::Conflict("already retired".into()));
            }
            let after = get_in(tx, change.scope, p.id)?;
            audit(tx, change, action, Some(&before), &after, marked.as_ref())?;
            Ok(after)
        })
    }
}

fn create_in(
    tx: &mut dyn Tx,
    change: &Change<'_>,
    p: &NewRiskPoint,
    first: Option<&NewAssessment>,
) -> Result<(RiskPoint, Option<RiskAssessment>)> {
    let id = insert_point(tx, change, p)?;
    let point = get_in(tx, change.scope, id)?;
    let saved = first
        .map(|a| insert_assessment(tx, change, &point, a))
        .transpose()?;
    let after = get_in(tx, change.scope, id)?;
    audit(tx, change, "create", None, &after, saved.as_ref())?;
    Ok((after, saved))
}
