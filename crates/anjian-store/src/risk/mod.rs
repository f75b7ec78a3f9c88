//! Risk points (风险点) and their assessments (风险分级管控). A point belongs to an enterprise
//! (in its region, read through the enterprise's sectors) or, with no enterprise, to a
//! township as a public site (seen by scopes bound to no sector or enterprise). Every
//! (re-)assessment is kept in `risk_assessments`; the point's `grade` is the grade of its
//! latest accepted assessment, the column the enterprise's grade reads.

mod write;

pub use write::{AssessmentMark, NewAssessment, NewRiskPoint};

use crate::db::{Tx, Value};
use crate::paging::{Keyset, Page};
use crate::scope_sql;
use crate::{Result, Store, StoreError, params};
use anjian_domain::Scope;
use anjian_domain::accident_type::AccidentType;
use anjian_domain::risk::{AssessmentStatus, ControlLevel, Controls, Method, RiskState};
use anjian_domain::risk_grade::Grade;
use serde::Serialize;

/// A risk point as stored, with its region's and enterprise's names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RiskPoint {
    pub id: i64,
    pub county_code: String,
    /// The township (a public site) or the enterprise's region.
    pub region_code: String,
    pub region_name: String,
    /// The enterprise; none for a township's public site.
    pub enterprise_id: Option<i64>,
    pub enterprise_name: String,
    /// The grade of the latest accepted assessment (none until one is accepted).
    pub grade: Option<Grade>,
    pub state: RiskState,
    /// When the point was retired (注销).
    pub retired_at: Option<String>,
    /// 风险点（部位/场所）
    pub place: String,
    /// 作业活动或设备设施
    pub activity: String,
    /// 危险有害因素
    pub hazard_factor: String,
    /// 可能导致的事故类型 (GB 6441-1986)
    pub accident_types: Vec<AccidentType>,
    pub control_engineering: String,
    pub control_management: String,
    pub control_training: String,
    pub control_ppe: String,
    pub control_emergency: String,
    /// 管控层级
    pub control_level: ControlLevel,
    pub responsible_name: String,
    pub responsible_phone: String,
    /// The latest assessment not yet reviewed.
    pub pending_assessment_id: Option<i64>,
    /// The assessment whose grade is in force.
    pub accepted_assessment_id: Option<i64>,
    /// Why it was last returned.
    pub return_reason: String,
    /// Why it was retired.
    pub retire_reason: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl RiskPoint {
    /// The five kinds of controls.
    pub fn controls(&self) -> Controls {
        Controls {
            engineering: self.control_engineering.clone(),
            management: self.control_management.clone(),
            training: self.control_training.clone(),
            ppe: self.control_ppe.clone(),
            emergency: self.control_emergency.clone(),
        }
    }
}

fn types_of(s: &str) -> Option<Vec<AccidentType>> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(AccidentType::parse)
        .collect()
}

crate::table_row! {
    table "risk_points", key id;
    fn row -> RiskPoint {
        id: i64 = "rp.id",
        county_code: text = "rp.county_code",
        region_code: text = "rp.region_code",
        region_name: text = "COALESCE(r.name, '')",
        enterprise_id: opt_i64 = "rp.enterprise_id",
        enterprise_name: text = "COALESCE(e.name, '')",
        grade: opt_code(Grade::parse) = "rp.grade",
        state: code(RiskState::parse) = "rp.state",
        retired_at: opt_text = "rp.retired_at",
        place: text = "rp.place",
        activity: text = "rp.activity",
        hazard_factor: text = "rp.hazard_factor",
        accident_types: code(types_of) = "rp.accident_types",
        control_engineering: text = "rp.control_engineering",
        control_management: text = "rp.control_management",
        control_training: text = "rp.control_training",
        control_ppe: text = "rp.control_ppe",
        control_emergency: text = "rp.control_emergency",
        control_level: code(ControlLevel::parse) = "rp.control_level",
        responsible_name: text = "rp.responsible_name",
        responsible_phone: text = "rp.responsible_phone",
        pending_assessment_id: opt_i64 = "rp.pending_assessment_id",
        accepted_assessment_id: opt_i64 = "rp.accepted_assessment_id",
        return_reason: text = "rp.return_reason",
        retire_reason: text = "rp.retire_reason",
        created_at: text = "rp.created_at",
        updated_at: text = "rp.updated_at",
        version: i64 = "rp.version",
    }
}

const FROM: &str = "risk_points rp LEFT JOIN regions r ON r.code = rp.region_code LEFT JOIN enterprises e ON e.id = rp.enterprise_id";

/// One (re-)assessment of a point, kept as history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = RiskPointAssessment)]
pub struct RiskAssessment {
    pub id: i64,
    pub point_id: i64,
    pub county_code: String,
    pub method: Method,
    /// L in tenths (0.5 is 5).
    pub l_x10: i64,
    /// E in tenths (LEC).
    pub e_x10: Option<i64>,
    /// C in tenths (LEC).
    pub c_x10: Option<i64>,
    /// S in tenths (LS).
    pub s_x10: Option<i64>,
    /// D or R in hundredths.
    pub score_x100: i64,
    pub grade: Grade,
    /// The method's cut-offs in force when assessed ("320,160,70").
    pub cutoffs: String,
    /// Why it was (re-)assessed.
    pub reason: String,
    pub status: AssessmentStatus,
    pub assessed_by: String,
    pub assessed_at: String,
    pub reviewed_by: String,
    pub reviewed_at: Option<String>,
    /// The reviewer's note (the reason of a return).
    pub review_note: String,
}

crate::table_row! {
    table "risk_assessments", key id, cols ASSESSMENT_COLS;
    fn assessment_row -> RiskAssessment {
        id: i64,
        point_id: i64,
        county_code: text,
        method: code(Method::parse),
        l_x10: i64,
        e_x10: opt_i64,
        c_x10: opt_i64,
        s_x10: opt_i64,
        score_x100: i64,
        grade: code(Grade::parse),
        cutoffs: text,
        reason: text,
        status: code(AssessmentStatus::parse),
        assessed_by: text,
        assessed_at: text,
        reviewed_by: text,
        reviewed_at: opt_text,
        review_note: text,
    }
}

/// Filters of the point list (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskPointFilter {
    pub enterprise_id: Option<i64>,
    /// The points of this region's subtree (a township).
    pub region_prefix: Option<String>,
    pub grade: Option<Grade>,
    pub state: Option<RiskState>,
    /// Only public sites (no enterprise).
    pub public_sites: bool,
}

/// The visibility predicate on alias `rp`: the region; for a sector-bound scope, enterprises
/// in its sectors (a public site has none); for an enterprise-bound scope, its enterprises.
pub(crate) fn visible(scope: &Scope, p: &mut Vec<Value>) -> String {
    let mut parts = vec![scope_sql::regions(scope, "rp.region_code", p)];
    if let Some(sectors) = &scope.sectors {
        let inner = scope_sql::in_list("es_scope.sector_code", sectors, p);
        parts.push(format!(
            "EXISTS (SELECT 1 FROM enterprise_sectors es_scope WHERE es_scope.enterprise_id = rp.enterprise_id AND {inner})"
        ));
    }
    if let Some(ids) = &scope.enterprise_ids {
        parts.push(scope_sql::in_list("rp.enterprise_id", ids, p));
    }
    parts.join(" AND ")
}

pub(crate) fn get_in(tx: &mut dyn Tx, scope: &Scope, id: i64) -> Result<RiskPoint> {
    let mut p = Vec::new();
    let cond = visible(scope, &mut p);
    p.push(id.into());
    row(&tx
        .query_opt(
            &format!("SELECT {COLS} FROM {FROM} WHERE {cond} AND rp.id = ?"),
            &p,
        )?
        .ok_or(StoreError::NotFound)?)
}

fn assessments_of(tx: &mut dyn Tx, point_id: i64) -> Result<Vec<RiskAssessment>> {
    tx.query(
        &format!(
            "SELECT {ASSESSMENT_COLS} FROM risk_assessments WHERE point_id = ? ORDER BY id DESC"
        ),
        &params![point_id],
    )?
    .iter()
    .map(assessment_row)
    .collect()
}

impl Store {
    /// The point, if visible in the scope.
    pub fn get_risk_point(&self, scope: &Scope, id: i64) -> Result<RiskPoint> {
        self.db().read(|tx| get_in(tx, scope, id))
    }

    /// Every assessment of a point visible in the scope, newest first.
    pub fn risk_point_assessments(&self, scope: &Scope, id: i64) -> Result<Vec<RiskAssessment>> {
        self.db().read(|tx| {
            get_in(tx, scope, id)?;
            assessments_of(tx, id)
        })
    }

    /// One page of the points in scope, newest first.
    pub fn list_risk_points(
        &self,
        scope: &Scope,
        f: &RiskPointFilter,
        k: &Keyset,
    ) -> Result<Page<RiskPoint>> {
        let mut p = Vec::new();
        let mut cond = visible(scope, &mut p);
        if let Some(id) = f.enterprise_id {
            cond.push_str(" AND rp.enterprise_id = ?");
            p.push(id.into());
        }
        if f.public_sites {
            cond.push_str(" AND rp.enterprise_id IS NULL");
        }
        if let Some(g) = f.grade {
            cond.push_str(" AND rp.grade = ?");
            p.push(g.as_str().into());
        }
        if let Some(s) = f.state {
            cond.push_str(" AND rp.state = ?");
            p.push(s.as_str().into());
        }
        if let Some(r) = &f.region_prefix {
            cond = format!(
                "{cond} AND {}",
                scope_sql::region_subtree("rp.region_code", r, &mut p)
            );
        }
        self.db().read(|tx| {
            crate::paging::read_page(
                tx,
                &COLS.to_string(),
                FROM,
                "rp.id",
                &cond,
                p,
                k,
                row,
                |x| x.id,
            )
        })
    }
}
