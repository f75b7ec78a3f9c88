//! The year's assessment (考核): a county-editable rubric per year and kind of unit, its
//! half-year and year-end evaluations computed from the catalogue's metrics over each
//! unit's records, hand scores with evidence, approval that freezes every value, score and
//! the records behind each deduction, a recomputation against the frozen results, and the
//! units' objections (复核申请) answered by the 安委办.
//!
//! Who may do what: the 安委办 maintains rubrics (`ConfigureCounty`), scores by hand,
//! approves and answers objections (`DecideAsCountyOffice`); a township or department sees
//! its own results and deductions, submits evidence and files objections
//! (`AnswerForOwnUnit`); leaders read everything (`ViewCountyWork`).
//!
//! A unit's figures are computed in the county's whole scope (read-only), whoever asks: a
//! township's score is the same on every page. What a caller is shown is limited to the
//! units it may see ([`UnitScope`]): its township, its department, or all.

mod compute;
mod evaluations;
mod ledger;
mod objections;
mod recompute;
mod rubrics;

pub use compute::*;
pub use evaluations::*;
pub use objections::*;
pub use recompute::*;
pub use rubrics::*;

use crate::{App, AppError, Caller, Result};
use anjian_domain::assessment::{self as domain, Method, Round, RubricItem, UnitKind};
use anjian_domain::scope::Permission;
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use anjian_store::assessments::{Assessment, AssessmentUnit, Rubric, UnitScope};
use serde::{Deserialize, Serialize};

impl App {
    /// The county the assessment is held in: the instance's root region's county.
    pub(crate) fn assessment_county(&self) -> Result<RegionCode> {
        self.root_region()?
            .and_then(|r| r.county())
            .ok_or_else(|| AppError::BadRequest("考核按县（市、区）开展：尚未设置本级区划".into()))
    }

    /// The county's whole scope, read-only: what every unit's figures are computed in.
    pub(crate) fn assessment_scope(&self) -> Result<Scope> {
        Ok(Scope::region(&self.assessment_county()?, false))
    }

    /// The caller may read the assessment at all (everyone in government).
    pub(crate) fn require_assessment_reader(&self, caller: &Caller) -> Result<()> {
        if caller.can(Permission::ViewCountyWork) {
            Ok(())
        } else {
            Err(caller.refuse("查看考核"))
        }
    }
}

/// The units a caller sees: its scope's regions, and a department-bound caller only its
/// department's unit.
pub(crate) fn unit_scope(caller: &Caller) -> UnitScope<'_> {
    UnitScope {
        scope: &caller.scope,
        department: caller.bound_department(),
    }
}

/// The period an evaluation covers.
pub(crate) fn period_of(a: &Assessment) -> Result<anjian_domain::period::Period> {
    i32::try_from(a.year)
        .ok()
        .and_then(|y| a.round.period(y))
        .ok_or_else(|| AppError::Internal(format!("assessment {} has no period", a.id)))
}

/// An item's number (第N项, from 1) from its position in the rubric.
pub(crate) fn number(no: usize) -> i64 {
    no as i64 + 1
}

/// An item's position in the rubric from its number (from 1).
pub(crate) fn index(item: i64) -> Option<usize> {
    usize::try_from(item).ok()?.checked_sub(1)
}

/// Points in hundredths as the number the API states.
pub(crate) fn pts(c: i64) -> f64 {
    domain::from_centi(c)
}
