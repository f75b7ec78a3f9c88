//! Computing an evaluation: each unit's computed items from the catalogue's metrics over the
//! unit's records in the round's period, its hand scores, and the records behind every
//! deduction (the same drill-down the metric's page shows, for the unit and the period).

use super::*;
use anjian_domain::assessment::{Formula, Measured};
use anjian_store::assessments::{FrozenItem, HandScore, Objection, RecordRef};
use anjian_store::stats::{DrillRow, StatFilter};
use std::collections::{BTreeSet, HashMap};

/// At most this many records are listed (and frozen) behind one deduction.
pub const RECORDS_LIMIT: i64 = 10_000;

/// One unit's results, amounts in hundredths (the stored shape), with the hand-scored items
/// still to score.
#[derive(Debug, Clone)]
pub(crate) struct Calc {
    pub unit: AssessmentUnit,
    pub items: Vec<FrozenItem>,
    pub unscored: Vec<usize>,
}

/// The statistical scope of a unit: a township's region subtree, a department's records.
pub(crate) fn unit_filter(u: &AssessmentUnit) -> StatFilter {
    match u.department_id {
        Some(d) => StatFilter {
            department_id: Some(d),
            ..Default::default()
        },
        None => StatFilter {
            region_prefix: Some(
                RegionCode::parse(&u.region_code)
                    .map(|c| c.subtree_prefix().to_string())
                    .unwrap_or_else(|_| u.region_code.clone()),
            ),
            ..Default::default()
        },
    }
}

fn record(r: DrillRow) -> RecordRef {
    RecordRef {
        entity: r.entity,
        entity_id: r.entity_id,
        key: r.key,
        date: r.date,
        label: r.label,
    }
}

fn same(a: &RecordRef) -> (String, Option<i64>, String) {
    (a.entity.clone(), a.entity_id, a.key.clone())
}

/// A metric's stated value in hundredths (half up), or not applicable.
fn stated_centi(m: &anjian_store::stats::Metric, raw: Option<i64>) -> Option<i64> {
    raw.map(|r| {
        let (num, den) = (i128::from(r) * 100, i128::from(m.scale.max(1)));
        ((2 * num + den) / (2 * den)) as i64
    })
}

impl App {
    fn assessment_metric<'a>(
        cat: &'a [anjian_store::stats::Metric],
        id: &str,
    ) -> Result<&'a anjian_store::stats::Metric> {
        cat.iter()
            .find(|m| m.id == id)
            .ok_or_else(|| AppError::BadRequest(format!("考核细则中的指标“{id}”已不存在")))
    }

    /// Computes every unit's items from the records as they stand now (hand scores as
    /// given); with `records`, also lists the records behind each deduction.
    pub(crate) fn compute_units(
        &self,
        a: &Assessment,
        items: &[RubricItem],
        units: &[AssessmentUnit],
        hands: &[HandScore],
        records: bool,
    ) -> Result<Vec<Calc>> {
        let scope = self.assessment_scope()?;
        let period = period_of(a)?;
        let cat = self.metric_catalogue()?;
        let filters: Vec<StatFilter> = units.iter().map(unit_filter).collect();
        // Every (metric, unit) pair the computed items ask for, evaluated at once.
        let mut wanted: Vec<(&str, usize)> = Vec::new();
        for f in items.iter().filter_map(|i| i.formula.as_ref()) {
            for m in std::iter::once(&f.metric).chain(f.of.iter()) {
                for u in 0..units.len() {
                    if !wanted.contains(&(m.as_str(), u)) {
                        wanted.push((m.as_str(), u));
                    }
                }
            }
        }
        let reqs = wanted
            .iter()
            .map(|(m, u)| Ok((Self::assessment_metric(&cat, m)?, &filters[*u])))
            .collect::<Result<Vec<_>>>()?;
        let raws = self
            .store
            .metric_values_multi(&reqs, &scope, period.from, period.to)?;
        let raw: HashMap<(&str, usize), Option<i64>> = wanted.iter().copied().zip(raws).collect();
        let mut out = Vec::new();
        for (u, unit) in units.iter().enumerate() {
            let mut calc = Calc {
                unit: unit.clone(),
                items: Vec::new(),
                unscored: Vec::new(),
            };
            for (no, it) in items.iter().enumerate() {
                let points = domain::centi(it.points);
                let frozen = match &it.formula {
                    Some(f) => {
                        let m = Self::assessment_metric(&cat, &f.metric)?;
                        let value = |id: &str| raw.get(&(id, u)).copied().flatten();
                        let (measured, part, whole) = match &f.of {
                            Some(of) => match (value(&f.metric), value(of)) {
                                (Some(p), Some(w)) => {
                                    (Measured::Rate { part: p, whole: w }, Some(p), Some(w))
                                }
                                _ => (Measured::NotApplicable, None, None),
                            },
                            None => match stated_centi(m, value(&f.metric)) {
                                Some(v) => (Measured::Count(v), None, None),
                                None => (Measured::NotApplicable, None, None),
                            },
                        };
                        let o = f.outcome(it.points, a.round, measured);
                        FrozenItem {
                            no: number(no),
                            value: o.value,
                            part,
                            whole,
                            target: o.target,
                            shortfall: o.shortfall,
                            deduction: o.deduction,
                            score: o.score,
                            records: if records && o.deduction > 0 {
                                self.deduction_records(f, &filters[u], &period, &scope)?
                            } else {
                                Vec::new()
                            },
                        }
                    }
                    None => {
                        let hand = hands
                            .iter()
                            .find(|h| h.unit_id == unit.id && h.item_no == number(no));
                        if hand.is_none() {
                            calc.unscored.push(no);
                        }
                        let score = hand.map_or(0, |h| h.score);
                        FrozenItem {
                            no: number(no),
                            deduction: points - score,
                            score,
                            ..Default::default()
                        }
                    }
                };
                calc.items.push(frozen);
            }
            out.push(calc);
        }
        Ok(out)
    }

    /// The records behind a computed item's deduction for a unit: for a rate held to a
    /// minimum, the records of the whole that are not in the part (the hazards not closed,
    /// the major hazards not closed in time); otherwise the records the metric counts.
    pub(crate) fn deduction_records(
        &self,
        f: &Formula,
        filter: &StatFilter,
        period: &anjian_domain::period::Period,
        scope: &Scope,
    ) -> Result<Vec<RecordRef>> {
        let cat = self.metric_catalogue()?;
        let rows = |id: &str| -> Result<Vec<RecordRef>> {
            let m = Self::assessment_metric(&cat, id)?;
            Ok(self
                .store
                .metric_records(m, scope, filter, period.from, period.to, RECORDS_LIMIT)?
                .unwrap_or_default()
                .into_iter()
                .map(record)
                .collect())
        };
        match (&f.of, f.direction) {
            (Some(of), domain::Direction::AtLeast) => {
                let part: BTreeSet<_> = rows(&f.metric)?.iter().map(same).collect();
                Ok(rows(of)?
                    .into_iter()
                    .filter(|r| !part.contains(&same(r)))
                    .collect())
            }
            _ => rows(&f.metric),
        }
    }

    /// Each unit's results as they count: frozen ones once approved, else computed now;
    /// then every accepted objection's new score in place of the item's.
    pub(crate) fn unit_results(
        &self,
        a: &Assessment,
        items: &[RubricItem],
        all_units: &[AssessmentUnit],
        objections: &[Objection],
    ) -> Result<Vec<Calc>> {
        let system = UnitScope {
            scope: &Scope::system(),
            department: None,
        };
        let mut calcs = match a.status {
            domain::EvaluationState::Approved => all_units
                .iter()
                .map(|u| Calc {
                    unit: u.clone(),
                    items: u.frozen.clone().unwrap_or_default(),
                    unscored: Vec::new(),
                })
                .collect(),
            domain::EvaluationState::Draft => {
                let hands = self.store.hand_scores(&system, a.id)?;
                self.compute_units(a, items, all_units, &hands, false)?
            }
        };
        apply_objections(&mut calcs, items, objections);
        Ok(calcs)
    }
}

/// An accepted objection's new score replaces the item's (the latest one when several).
pub(crate) fn apply_objections(calcs: &mut [Calc], items: &[RubricItem], objections: &[Objection]) {
    let mut accepted: Vec<&Objection> = objections
        .iter()
        .filter(|o| o.status == domain::ObjectionState::Accepted)
        .collect();
    accepted.sort_by_key(|o| o.id);
    for o in accepted {
        let (Some(c), Some(score)) = (calcs.iter_mut().find(|c| c.unit.id == o.unit_id), o.score)
        else {
            continue;
        };
        let Some(it) = index(o.item_no).and_then(|n| items.get(n)) else {
            continue;
        };
        if let Some(f) = c.items.iter_mut().find(|f| f.no == o.item_no) {
            f.score = score;
            f.deduction = domain::centi(it.points) - score;
        }
        c.unscored.retain(|n| number(*n) != o.item_no);
    }
}

/// Totals and ranks: equal totals share a rank (1, 2, 2, 4).
pub(crate) fn ranks(calcs: &[Calc]) -> Vec<(i64, usize)> {
    let totals: Vec<i64> = calcs
        .iter()
        .map(|c| c.items.iter().map(|i| i.score).sum())
        .collect();
    totals
        .iter()
        .map(|t| (*t, 1 + totals.iter().filter(|o| *o > t).count()))
        .collect()
}
