//! What one object contributes to each indicator: the rows the campaign metrics sum.

use super::definition::{Definition, IndicatorAgg};
use super::value::Data;
use chrono::NaiveDate;

/// One object's contribution to one indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub indicator: String,
    /// The day that puts the row in a period (or, for a stock, from which it counts).
    pub day: NaiveDate,
    /// For a stock: the day from which it no longer counts.
    pub until: Option<NaiveDate>,
    /// 1 for a count; the summed field's scaled value for a sum.
    pub amount: i64,
}

fn day_of(data: &Data, key: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(data.get(key)?.as_str()?, "%Y-%m-%d").ok()
}

impl Definition {
    /// The tallies of one object of type `object` recorded on `recorded_on`, under this
    /// definition's indicators: one per indicator whose conditions hold, that has its date,
    /// and whose amount is not zero.
    pub fn tallies(&self, object: &str, data: &Data, recorded_on: NaiveDate) -> Vec<Tally> {
        let Some(o) = self.object(object) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for ind in self.indicators_of(object) {
            if !ind.conditions.iter().all(|c| c.holds(data)) {
                continue;
            }
            let day = match ind.date.as_deref().or(o.date.as_deref()) {
                Some(k) => match day_of(data, k) {
                    Some(d) => d,
                    None => continue,
                },
                None => recorded_on,
            };
            let amount = match &ind.agg {
                IndicatorAgg::Count => 1,
                IndicatorAgg::Sum(k) => data.get(k).and_then(|v| v.as_i64()).unwrap_or(0),
            };
            if amount == 0 {
                continue;
            }
            let until = ind.until.as_deref().and_then(|k| day_of(data, k));
            out.push(Tally {
                indicator: ind.key.clone(),
                day,
                until,
                amount,
            });
        }
        out
    }
}
