//! A point's thresholds and the level a value reaches.
//!
//! Bands are half-open as everywhere in anjian: an "above" threshold is reached at the value
//! itself (`value >= t`), a "below" one under it (`value < t`). Hysteresis keeps a level that
//! has been reached until the value has come back past the threshold by the hysteresis: an
//! "above" level reached at `t` holds while `value >= t - h`, a "below" one while
//! `value < t + h`. A value hovering at a threshold therefore does not open and close alarms.

use super::Level;
use crate::ValidationErrors;
use serde::{Deserialize, Serialize};

coded! {
    /// Which side of the thresholds is dangerous.
    #[schema(as = ThresholdDirection)]
    Direction {
        /// The value rising to a threshold (a water level, a displacement, a gas concentration).
        Above = "above", "超上限" | "高于" | "上限";
        /// The value falling below a threshold (a dry beach's length, the depth of the phreatic
        /// line).
        Below = "below", "低于下限" | "低于" | "下限";
    }
}

/// A point's four thresholds (each may be unset), their direction and hysteresis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Thresholds {
    pub direction: Direction,
    pub blue: Option<f64>,
    pub yellow: Option<f64>,
    pub orange: Option<f64>,
    pub red: Option<f64>,
    /// How far past a threshold the value must come back before its level is left (≥ 0, in
    /// the point's unit).
    pub hysteresis: f64,
}

impl Thresholds {
    /// The threshold of `level`, if set.
    pub fn of(&self, level: Level) -> Option<f64> {
        match level {
            Level::Blue => self.blue,
            Level::Yellow => self.yellow,
            Level::Orange => self.orange,
            Level::Red => self.red,
        }
    }

    /// At least one threshold; each finite; ordered from blue to red in the direction of
    /// danger (above: rising, below: falling); hysteresis finite, ≥ 0 and smaller than the
    /// smallest gap between two set thresholds (so leaving one level never skips a band).
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        let set: Vec<(Level, f64)> = Level::ALL
            .iter()
            .filter_map(|&l| self.of(l).map(|t| (l, t)))
            .collect();
        if set.is_empty() {
            e.add("red", "至少应设置一级预警值");
        }
        for (l, t) in &set {
            if !t.is_finite() {
                e.add(l.as_str(), "预警值应为有限数值");
            }
        }
        if !self.hysteresis.is_finite() || self.hysteresis < 0.0 {
            e.add("hysteresis", "回差应为不小于0的数值");
        }
        if !e.is_empty() {
            return e.into_result();
        }
        for pair in set.windows(2) {
            let ((lo, a), (hi, b)) = (pair[0], pair[1]);
            let ordered = match self.direction {
                Direction::Above => b > a,
                Direction::Below => b < a,
            };
            if !ordered {
                e.add(
                    hi.as_str(),
                    match self.direction {
                        Direction::Above => format!(
                            "{}预警值应高于{}预警值（超上限报警时级别越高预警值越大）",
                            hi.label(),
                            lo.label()
                        ),
                        Direction::Below => format!(
                            "{}预警值应低于{}预警值（低于下限报警时级别越高预警值越小）",
                            hi.label(),
                            lo.label()
                        ),
                    },
                );
            } else if self.hysteresis >= (b - a).abs() {
                e.add("hysteresis", "回差应小于相邻两级预警值之差");
            }
        }
        e.into_result()
    }
}

fn reached(direction: Direction, value: f64, t: f64, slack: f64) -> bool {
    match direction {
        Direction::Above => value >= t - slack,
        Direction::Below => value < t + slack,
    }
}

/// The level `value` puts the point at, given the level it is at now (`None`: normal).
///
/// A level is entered when its threshold is reached; a level at or below the current one is
/// kept while the value stays within the hysteresis of its threshold. The answer is the
/// highest level entered or kept. A value that is not a finite number changes nothing.
pub fn level_of(th: &Thresholds, value: f64, current: Option<Level>) -> Option<Level> {
    if !value.is_finite() {
        return current;
    }
    let mut out = None;
    for &l in Level::ALL {
        let Some(t) = th.of(l) else { continue };
        let kept = current.is_some_and(|c| l <= c);
        let slack = if kept { th.hysteresis } else { 0.0 };
        if reached(th.direction, value, t, slack) {
            out = Some(l);
        }
    }
    out
}
