//! Evaluations (a rubric for the half-year or the year), their units, the hand scores and
//! the approval that freezes each unit's results.

use super::*;
use anjian_domain::assessment::{EvaluationState, Round};

/// An evaluation, with its rubric's year, kind and title.
#[derive(Debug, Clone, PartialEq, Default, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    pub id: i64,
    pub county_code: String,
    pub rubric_id: i64,
    pub year: i64,
    pub unit_kind: UnitKind,
    pub title: String,
    pub round: Round,
    pub status: EvaluationState,
    /// The rubric's items as approved (none while a draft: the rubric's current items apply).
    pub items: Option<Vec<RubricItem>>,
    pub approved_by: String,
    pub approved_at: Option<String>,
    pub created_at: String,
    pub version: i64,
}

crate::table_row! {
    table "assessments", key id, cols ASSESSMENT_COLS;
    fn assessment_row -> Assessment {
        id: i64 = "a.id",
        county_code: text = "a.county_code",
        rubric_id: i64 = "a.rubric_id",
        year: i64 = "r.year",
        unit_kind: code(UnitKind::parse) = "r.unit_kind",
        title: text = "r.title",
        round: code(Round::parse) = "a.round",
        status: code(EvaluationState::parse) = "a.status",
        items: opt_json = "a.items",
        approved_by: text = "a.approved_by",
        approved_at: opt_text = "a.approved_at",
        created_at: text = "a.created_at",
        version: i64 = "a.version",
    }
}

const ASSESSMENT_FROM: &str = "assessments a JOIN assessment_rubrics r ON r.id = a.rubric_id";

/// A unit of an evaluation: a township (its code) or a department (its id, under the
/// county's code).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct AssessmentUnit {
    pub id: i64,
    pub assessment_id: i64,
    pub county_code: String,
    /// The township's code, or `d` and the department's id.
    pub unit_key: String,
    pub region_code: String,
    pub department_id: Option<i64>,
    pub unit_name: String,
    /// Each item's results as approved (none while the evaluation is a draft).
    pub frozen: Option<Vec<FrozenItem>>,
}

crate::table_row! {
    table "assessment_units", key id, cols UNIT_COLS;
    fn unit_row -> AssessmentUnit {
        id: i64 = "u.id",
        assessment_id: i64 = "u.assessment_id",
        county_code: text = "u.county_code",
        unit_key: text = "u.unit_key",
        region_code: text = "u.region_code",
        department_id: opt_i64 = "u.department_id",
        unit_name: text = "u.unit_name",
        frozen: opt_json = "u.frozen",
    }
}

/// A unit to evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub region_code: String,
    pub department_id: Option<i64>,
    pub unit_name: String,
}

/// A hand score given by the 安委办 (hundredths of a point).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct HandScore {
    pub id: i64,
    pub unit_id: i64,
    pub item_no: i64,
    pub score: i64,
    pub note: String,
    pub scored_by: String,
    pub scored_at: String,
}

crate::table_row! {
    table "assessment_scores", key id, cols SCORE_COLS;
    fn score_row -> HandScore {
        id: i64 = "s.id",
        unit_id: i64 = "s.unit_id",
        item_no: i64 = "s.item_no",
        score: i64 = "s.score",
        note: text = "s.note",
        scored_by: text = "s.scored_by",
        scored_at: text = "s.scored_at",
    }
}

pub(super) fn get_assessment_in(tx: &mut dyn crate::db::Tx, id: i64) -> Result<Assessment> {
    assessment_row(
        &tx.query_opt(
            &format!("SELECT {ASSESSMENT_COLS} FROM {ASSESSMENT_FROM} WHERE a.id = ?"),
            &params![id],
        )?
        .ok_or(StoreError::NotFound)?,
    )
}

/// A unit in the reader's scope, or not found.
pub(super) fn get_unit_in(
    tx: &mut dyn crate::db::Tx,
    us: &UnitScope<'_>,
    id: i64,
) -> Result<AssessmentUnit> {
    let mut p = Vec::new();
    let cond = us.sql(&mut p);
    p.push(id.into());
    unit_row(
        &tx.query_opt(
            &format!("SELECT {UNIT_COLS} FROM assessment_units u WHERE {cond} AND u.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?,
    )
}

impl Store {
    /// Starts an evaluation of a rubric for a round, with its units: one per township or
    /// department, in one transaction with its audit entry. A second one of the same rubric
    /// and round is a duplicate.
    pub fn create_assessment(
        &self,
        change: &Change<'_>,
        rubric_id: i64,
        round: Round,
        units: &[NewUnit],
    ) -> Result<Assessment> {
        change.require_writable()?;
        let now = change.ts();
        self.write(|tx| {
            let r = rubric_row(
                &tx.query_opt(
                    &format!("SELECT {RUBRIC_COLS} FROM assessment_rubrics WHERE id = ?"),
                    &params![rubric_id],
                )?
                .ok_or(StoreError::NotFound)?,
            )?;
            if !change.scope.admits_region(&r.county_code) || change.scope.enterprise_ids.is_some() {
                return Err(StoreError::Forbidden);
            }
            let exists = tx.scalar_i64(
                "SELECT COUNT(*) FROM assessments WHERE rubric_id = ? AND round = ?",
                &params![rubric_id, round.as_str()],
            )?;
            if exists > 0 {
                return Err(StoreError::Duplicate("assessments(rubric_id, round)".into()));
            }
            let id = tx.scalar_i64(
                "INSERT INTO assessments (county_code, rubric_id, round, status, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                &params![r.county_code.as_str(), rubric_id, round.as_str(), EvaluationState::Draft.as_str(), now.as_str()],
            )?;
            for u in units {
                if crate::county_of(&u.region_code)? != r.county_code {
                    return Err(StoreError::Invalid("region_code".into()));
                }
                let key = match u.department_id {
                    Some(d) => format!("d{d}"),
                    None => u.region_code.clone(),
                };
                tx.execute(
                    "INSERT INTO assessment_units (assessment_id, county_code, unit_key, region_code, department_id, unit_name) VALUES (?, ?, ?, ?, ?, ?)",
                    &params![id, r.county_code.as_str(), key.as_str(), u.region_code.as_str(), u.department_id, u.unit_name.as_str()],
                )?;
            }
            let after = get_assessment_in(tx, id)?;
            let names: Vec<&str> = units.iter().map(|u| u.unit_name.as_str()).collect();
            crate::audit::append_json(
                tx,
                change,
                "assessment.create",
                "assessment",
                &id.to_string(),
                &r.county_code,
                None::<&()>,
                Some(&serde_json::json!({ "assessment": &after, "units": names })),
            )?;
            Ok(after)
        })
    }

    pub fn get_assessment(&self, county: &str, id: i64) -> Result<Assessment> {
        let a = self.db().read(|tx| get_assessment_in(tx, id))?;
        if a.county_code != county {
            return Err(StoreError::NotFound);
        }
        Ok(a)
    }

    /// The county's evaluations, the latest year first.
    pub fn list_assessments(&self, county: &str, year: Option<i64>) -> Result<Vec<Assessment>> {
        let mut p: Vec<crate::Value> = vec![county.into()];
        let mut cond = "a.county_code = ?".to_string();
        if let Some(y) = year {
            cond.push_str(" AND r.year = ?");
            p.push(y.into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {ASSESSMENT_COLS} FROM {ASSESSMENT_FROM} WHERE {cond} ORDER BY r.year DESC, r.unit_kind DESC, a.round DESC, a.id"
                ),
                &p,
            )?
            .iter()
            .map(assessment_row)
            .collect()
        })
    }

    /// The units of an evaluation the reader sees, in the order they were listed.
    pub fn assessment_units(
        &self,
        us: &UnitScope<'_>,
        assessment_id: i64,
    ) -> Result<Vec<AssessmentUnit>> {
        let mut p = Vec::new();
        let cond = us.sql(&mut p);
        p.push(assessment_id.into());
        self.db().read(|tx| {
            tx.query(
                &format!("SELECT {UNIT_COLS} FROM assessment_units u WHERE {cond} AND u.assessment_id = ? ORDER BY u.id"),
                &p,
            )?
            .iter()
            .map(unit_row)
            .collect()
        })
    }

    pub fn get_assessment_unit(&self, us: &UnitScope<'_>, id: i64) -> Result<AssessmentUnit> {
        self.db().read(|tx| get_unit_in(tx, us, id))
    }

    /// The hand scores of the units of an evaluation the reader sees.
    pub fn hand_scores(&self, us: &UnitScope<'_>, assessment_id: i64) -> Result<Vec<HandScore>> {
        let mut p = Vec::new();
        let cond = us.sql(&mut p);
        p.push(assessment_id.into());
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {SCORE_COLS} FROM assessment_scores s JOIN assessment_units u ON u.id = s.unit_id \
                     WHERE {cond} AND u.assessment_id = ? ORDER BY s.unit_id, s.item_no"
                ),
                &p,
            )?
            .iter()
            .map(score_row)
            .collect()
        })
    }

    /// Gives (or changes) a hand score of a unit's item while its evaluation is a draft.
    pub fn set_hand_score(
        &self,
        change: &Change<'_>,
        unit_id: i64,
        item_no: i64,
        score: i64,
        note: &str,
    ) -> Result<HandScore> {
        change.require_writable()?;
        let us = UnitScope {
            scope: change.scope,
            department: None,
        };
        let now = change.ts();
        self.write(|tx| {
            let u = get_unit_in(tx, &us, unit_id)?;
            let a = get_assessment_in(tx, u.assessment_id)?;
            if a.status != EvaluationState::Draft {
                return Err(StoreError::Conflict("approved".into()));
            }
            let before = tx
                .query_opt(
                    &format!("SELECT {SCORE_COLS} FROM assessment_scores s WHERE s.unit_id = ? AND s.item_no = ?"),
                    &params![unit_id, item_no],
                )?
                .as_ref()
                .map(score_row)
                .transpose()?;
            match &before {
                Some(b) => tx.execute(
                    "UPDATE assessment_scores SET score = ?, note = ?, scored_by = ?, scored_at = ? WHERE id = ?",
                    &params![score, note, change.actor.as_str(), now.as_str(), b.id],
                )?,
                None => tx.execute(
                    "INSERT INTO assessment_scores (unit_id, item_no, score, note, scored_by, scored_at) VALUES (?, ?, ?, ?, ?, ?)",
                    &params![unit_id, item_no, score, note, change.actor.as_str(), now.as_str()],
                )?,
            };
            let after = score_row(&tx.query_one(
                &format!("SELECT {SCORE_COLS} FROM assessment_scores s WHERE s.unit_id = ? AND s.item_no = ?"),
                &params![unit_id, item_no],
            )?)?;
            crate::audit::append_json(
                tx,
                change,
                "assessment.score",
                "assessment_unit",
                &unit_id.to_string(),
                &u.region_code,
                before.as_ref(),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    /// Approves a draft evaluation: the rubric's items as used and each unit's results are
    /// written once, with the approval's audit entry, in one transaction. Every unit of the
    /// evaluation must be given.
    pub fn approve_assessment(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        items: &[RubricItem],
        frozen: &[(i64, Vec<FrozenItem>)],
    ) -> Result<Assessment> {
        change.require_writable()?;
        let items_json = to_json(&items)?;
        let now = change.ts();
        self.write(|tx| {
            let before = get_assessment_in(tx, id)?;
            if !change.scope.admits_region(&before.county_code) {
                return Err(StoreError::Forbidden);
            }
            let n = tx.execute(
                "UPDATE assessments SET status = ?, items = ?, approved_by = ?, approved_at = ?, version = version + 1 WHERE id = ? AND version = ? AND status = ?",
                &params![EvaluationState::Approved.as_str(), items_json.as_str(), change.actor.as_str(), now.as_str(), id, version, EvaluationState::Draft.as_str()],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("not a current draft".into()));
            }
            let units = tx.scalar_i64(
                "SELECT COUNT(*) FROM assessment_units WHERE assessment_id = ?",
                &params![id],
            )?;
            if units != frozen.len() as i64 {
                return Err(StoreError::Invalid("frozen".into()));
            }
            let mut totals = Vec::new();
            for (unit_id, items) in frozen {
                let json = to_json(items)?;
                let n = tx.execute(
                    "UPDATE assessment_units SET frozen = ? WHERE id = ? AND assessment_id = ?",
                    &params![json.as_str(), *unit_id, id],
                )?;
                if n == 0 {
                    return Err(StoreError::Invalid("frozen".into()));
                }
                totals.push(serde_json::json!({
                    "unit_id": unit_id,
                    "scores": items.iter().map(|i| i.score).collect::<Vec<_>>(),
                }));
            }
            let after = get_assessment_in(tx, id)?;
            crate::audit::append_json(
                tx,
                change,
                "assessment.approve",
                "assessment",
                &id.to_string(),
                &after.county_code,
                Some(&before),
                Some(&serde_json::json!({ "assessment": &after, "units": totals })),
            )?;
            Ok(after)
        })
    }
}
