//! A unit's evidence for its hand-scored items and its objections (复核申请) with the
//! 安委办's answers.

use super::evaluations::get_unit_in;
use super::*;
use crate::attachments::NewAttachment;
use anjian_domain::assessment::ObjectionState;

/// An evidence file of a unit's item (its content is read separately).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub id: i64,
    pub unit_id: i64,
    pub item_no: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub note: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: String,
}

crate::table_row! {
    table "assessment_evidence", key id, cols EVIDENCE_COLS;
    fn evidence_row -> Evidence {
        id: i64 = "e.id",
        unit_id: i64 = "e.unit_id",
        item_no: i64 = "e.item_no",
        file_name: text = "e.file_name",
        content_type: text = "e.content_type",
        size: i64 = "e.size",
        sha256: text = "e.sha256",
        note: text = "e.note",
        uploaded_by: opt_i64 = "e.uploaded_by",
        uploaded_at: text = "e.uploaded_at",
    }
}

/// A unit's objection to the score of an item, and the answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Objection {
    pub id: i64,
    pub assessment_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub region_code: String,
    pub department_id: Option<i64>,
    pub item_no: i64,
    pub reason: String,
    pub status: ObjectionState,
    /// The item's new score when accepted (hundredths of a point).
    pub score: Option<i64>,
    pub answer: String,
    pub filed_by: String,
    pub filed_at: String,
    pub answered_by: String,
    pub answered_at: Option<String>,
    pub version: i64,
}

crate::table_row! {
    table "assessment_objections", key id, cols OBJECTION_COLS;
    fn objection_row -> Objection {
        id: i64 = "o.id",
        assessment_id: i64 = "u.assessment_id",
        unit_id: i64 = "o.unit_id",
        unit_name: text = "u.unit_name",
        region_code: text = "u.region_code",
        department_id: opt_i64 = "u.department_id",
        item_no: i64 = "o.item_no",
        reason: text = "o.reason",
        status: code(ObjectionState::parse) = "o.status",
        score: opt_i64 = "o.score",
        answer: text = "o.answer",
        filed_by: text = "o.filed_by",
        filed_at: text = "o.filed_at",
        answered_by: text = "o.answered_by",
        answered_at: opt_text = "o.answered_at",
        version: i64 = "o.version",
    }
}

const OBJECTION_FROM: &str = "assessment_objections o JOIN assessment_units u ON u.id = o.unit_id";

fn get_objection_in(tx: &mut dyn crate::db::Tx, us: &UnitScope<'_>, id: i64) -> Result<Objection> {
    let mut p = Vec::new();
    let cond = us.sql(&mut p);
    p.push(id.into());
    objection_row(
        &tx.query_opt(
            &format!("SELECT {OBJECTION_COLS} FROM {OBJECTION_FROM} WHERE {cond} AND o.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?,
    )
}

impl Store {
    /// Attaches an evidence file to a unit's item (a unit in the writer's scope).
    pub fn add_assessment_evidence(
        &self,
        change: &Change<'_>,
        department: Option<i64>,
        unit_id: i64,
        item_no: i64,
        a: &NewAttachment,
    ) -> Result<Evidence> {
        change.require_writable()?;
        let us = UnitScope {
            scope: change.scope,
            department,
        };
        let now = change.ts();
        self.write(|tx| {
            let u = get_unit_in(tx, &us, unit_id)?;
            let id = tx.scalar_i64(
                "INSERT INTO assessment_evidence (county_code, unit_id, item_no, file_name, content_type, size, sha256, data, note, uploaded_by, uploaded_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![
                    u.county_code.as_str(),
                    unit_id,
                    item_no,
                    a.file_name.as_str(),
                    a.content_type.as_str(),
                    a.data.len() as i64,
                    a.sha256.as_str(),
                    a.data.as_slice(),
                    a.note.as_str(),
                    change.actor_id,
                    now.as_str()
                ],
            )?;
            let after = evidence_row(&tx.query_one(
                &format!("SELECT {EVIDENCE_COLS} FROM assessment_evidence e WHERE e.id = ?"),
                &params![id],
            )?)?;
            crate::audit::append_json(
                tx,
                change,
                "assessment.evidence",
                "assessment_unit",
                &unit_id.to_string(),
                &u.region_code,
                None::<&()>,
                Some(&after),
            )?;
            Ok(after)
        })
    }

    /// The evidence of the units of an evaluation the reader sees.
    pub fn assessment_evidence(
        &self,
        us: &UnitScope<'_>,
        assessment_id: i64,
    ) -> Result<Vec<Evidence>> {
        let mut p = Vec::new();
        let cond = us.sql(&mut p);
        p.push(assessment_id.into());
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {EVIDENCE_COLS} FROM assessment_evidence e JOIN assessment_units u ON u.id = e.unit_id \
                     WHERE {cond} AND u.assessment_id = ? ORDER BY e.unit_id, e.item_no, e.id"
                ),
                &p,
            )?
            .iter()
            .map(evidence_row)
            .collect()
        })
    }

    /// An evidence file with its content, if its unit is the reader's to see.
    pub fn assessment_evidence_data(
        &self,
        us: &UnitScope<'_>,
        id: i64,
    ) -> Result<(Evidence, Vec<u8>)> {
        let mut p = Vec::new();
        let cond = us.sql(&mut p);
        p.push(id.into());
        self.db().read(|tx| {
            let r = tx
                .query_opt(
                    &format!(
                        "SELECT {EVIDENCE_COLS}, e.data FROM assessment_evidence e JOIN assessment_units u ON u.id = e.unit_id \
                         WHERE {cond} AND e.id = ?"
                    ),
                    &p,
                )?
                .ok_or(StoreError::NotFound)?;
            let data = r.bytes(EVIDENCE_COLS.0.len())?;
            Ok((evidence_row(&r)?, data))
        })
    }

    /// Files a unit's objection to an item's score; one pending objection per item.
    pub fn file_objection(
        &self,
        change: &Change<'_>,
        department: Option<i64>,
        unit_id: i64,
        item_no: i64,
        reason: &str,
    ) -> Result<Objection> {
        change.require_writable()?;
        let us = UnitScope {
            scope: change.scope,
            department,
        };
        let now = change.ts();
        self.write(|tx| {
            let u = get_unit_in(tx, &us, unit_id)?;
            let pending = tx.scalar_i64(
                "SELECT COUNT(*) FROM assessment_objections WHERE unit_id = ? AND item_no = ? AND status = ?",
                &params![unit_id, item_no, ObjectionState::Filed.as_str()],
            )?;
            if pending > 0 {
                return Err(StoreError::Conflict("an objection on this item is pending".into()));
            }
            let id = tx.scalar_i64(
                "INSERT INTO assessment_objections (county_code, unit_id, region_code, department_id, item_no, reason, status, filed_by, filed_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &params![
                    u.county_code.as_str(),
                    unit_id,
                    u.region_code.as_str(),
                    u.department_id,
                    item_no,
                    reason,
                    ObjectionState::Filed.as_str(),
                    change.actor.as_str(),
                    now.as_str()
                ],
            )?;
            let after = get_objection_in(tx, &us, id)?;
            crate::audit::append_json(
                tx,
                change,
                "assessment_objection.file",
                "assessment_objection",
                &id.to_string(),
                &u.region_code,
                None::<&()>,
                Some(&after),
            )?;
            Ok(after)
        })
    }

    /// Answers a pending objection: accepted with the item's new score, or rejected.
    pub fn answer_objection(
        &self,
        change: &Change<'_>,
        id: i64,
        version: i64,
        to: ObjectionState,
        score: Option<i64>,
        answer: &str,
    ) -> Result<Objection> {
        change.require_writable()?;
        let us = UnitScope {
            scope: change.scope,
            department: None,
        };
        let now = change.ts();
        self.write(|tx| {
            let before = get_objection_in(tx, &us, id)?;
            let n = tx.execute(
                "UPDATE assessment_objections SET status = ?, score = ?, answer = ?, answered_by = ?, answered_at = ?, version = version + 1 \
                 WHERE id = ? AND version = ? AND status = ?",
                &params![to.as_str(), score, answer, change.actor.as_str(), now.as_str(), id, version, ObjectionState::Filed.as_str()],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("not a current pending objection".into()));
            }
            let after = get_objection_in(tx, &us, id)?;
            crate::audit::append_json(
                tx,
                change,
                "assessment_objection.answer",
                "assessment_objection",
                &id.to_string(),
                &after.region_code,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
    }

    pub fn get_objection(&self, us: &UnitScope<'_>, id: i64) -> Result<Objection> {
        self.db().read(|tx| get_objection_in(tx, us, id))
    }

    /// The objections the reader sees, of one evaluation or of all, the latest first.
    pub fn list_objections(
        &self,
        us: &UnitScope<'_>,
        assessment_id: Option<i64>,
    ) -> Result<Vec<Objection>> {
        let mut p = Vec::new();
        let mut cond = us.sql(&mut p);
        if let Some(a) = assessment_id {
            cond.push_str(" AND u.assessment_id = ?");
            p.push(a.into());
        }
        self.db().read(|tx| {
            tx.query(
                &format!(
                    "SELECT {OBJECTION_COLS} FROM {OBJECTION_FROM} WHERE {cond} ORDER BY o.id DESC"
                ),
                &p,
            )?
            .iter()
            .map(objection_row)
            .collect()
        })
    }
}
