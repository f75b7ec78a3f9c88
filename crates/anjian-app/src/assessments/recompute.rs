//! The recomputation of an approved evaluation: its frozen results beside a computation over
//! the records as they stand now, unit by unit, with the items that differ and their records.

use super::*;
use anjian_domain::assessment::EvaluationState;
use anjian_store::assessments::RecordRef;

/// One item whose value or score differs between the frozen and the current computation.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ItemDifference {
    pub item: i64,
    pub title: String,
    pub frozen_value: String,
    pub current_value: String,
    pub frozen_score: f64,
    pub current_score: f64,
    /// Records behind the deduction now that were not at approval, and the other way.
    pub added: Vec<RecordRef>,
    pub removed: Vec<RecordRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitDifference {
    pub unit_id: i64,
    pub unit_name: String,
    pub frozen_total: f64,
    pub current_total: f64,
    pub difference: f64,
    pub items: Vec<ItemDifference>,
}

/// The frozen results beside a computation over the records as they stand now: an approved
/// evaluation does not move; this shows what would have.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Recompute {
    pub assessment_id: i64,
    pub title: String,
    pub period_name: String,
    pub approved_at: Option<String>,
    /// Every unit the caller sees; `items` lists only the items that differ.
    pub units: Vec<UnitDifference>,
}

impl App {
    /// The frozen results of an approved evaluation beside a computation over the records
    /// as they stand now, unit by unit, with the items that differ and their records.
    pub fn recompute_assessment(&self, caller: &Caller, id: i64) -> Result<Recompute> {
        let (a, items) = self.assessment_record(caller, id)?;
        if a.status != EvaluationState::Approved {
            return Err(AppError::Conflict(
                "考核尚未审定，当前结果即按现有记录计算".into(),
            ));
        }
        let period = period_of(&a)?;
        let system = UnitScope {
            scope: &Scope::system(),
            department: None,
        };
        let units = self.store.assessment_units(&unit_scope(caller), a.id)?;
        let hands = self.store.hand_scores(&system, a.id)?;
        let current = self.compute_units(&a, &items, &units, &hands, false)?;
        let cat = self.metric_catalogue()?;
        let scope = self.assessment_scope()?;
        let mut out = Vec::new();
        for (u, now) in units.iter().zip(&current) {
            let then = u.frozen.clone().unwrap_or_default();
            let mut diffs = Vec::new();
            for (no, it) in items.iter().enumerate() {
                let (Some(t), Some(n)) = (
                    then.iter().find(|f| f.no == number(no)),
                    now.items.iter().find(|f| f.no == number(no)),
                ) else {
                    continue;
                };
                if t.value == n.value
                    && t.score == n.score
                    && t.part == n.part
                    && t.whole == n.whole
                {
                    continue;
                }
                let unit = it
                    .formula
                    .as_ref()
                    .and_then(|x| cat.iter().find(|m| m.id == x.metric))
                    .map_or("", |m| m.unit.as_str());
                let current_records = match &it.formula {
                    Some(f) if n.deduction > 0 => {
                        self.deduction_records(f, &unit_filter(u), &period, &scope)?
                    }
                    _ => Vec::new(),
                };
                let key = |r: &RecordRef| (r.entity.clone(), r.entity_id, r.key.clone());
                let before: Vec<_> = t.records.iter().map(key).collect();
                let after: Vec<_> = current_records.iter().map(key).collect();
                diffs.push(ItemDifference {
                    item: number(no),
                    title: it.title.clone(),
                    frozen_value: value_text(it, t, unit),
                    current_value: value_text(it, n, unit),
                    frozen_score: pts(t.score),
                    current_score: pts(n.score),
                    added: current_records
                        .iter()
                        .filter(|r| !before.contains(&key(r)))
                        .cloned()
                        .collect(),
                    removed: t
                        .records
                        .iter()
                        .filter(|r| !after.contains(&key(r)))
                        .cloned()
                        .collect(),
                });
            }
            let (ft, ct): (i64, i64) = (
                then.iter().map(|f| f.score).sum(),
                now.items.iter().map(|f| f.score).sum(),
            );
            out.push(UnitDifference {
                unit_id: u.id,
                unit_name: u.unit_name.clone(),
                frozen_total: pts(ft),
                current_total: pts(ct),
                difference: pts(ct - ft),
                items: diffs,
            });
        }
        Ok(Recompute {
            assessment_id: a.id,
            title: a.title.clone(),
            period_name: period.name(),
            approved_at: a.approved_at.clone(),
            units: out,
        })
    }
}
