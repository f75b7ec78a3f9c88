//! The escalation of a tailings pond's warning, GB 50863-2013 《尾矿设施设计规范》 5.5.4:
//!
//! > 尾矿库安全监测预警应由低级到高级分为蓝色预警、黄色预警、橙色预警、红色预警四个等级……
//! > 当同类监测项目的监测点达到4个蓝色预警时，该项目为黄色预警，达到3个黄色预警时，该项目
//! > 应为橙色预警，达到2个橙色预警时，该项目应为红色预警；当监测项目达到4个蓝色预警时，应计
//! > 为1项监测项目黄色预警，……
//!
//! An item's level is the highest of its points' levels, raised when enough of its points are
//! at a level: `points.to_yellow` points at blue or above make it yellow, `points.to_orange`
//! at yellow or above orange, `points.to_red` at orange or above red. The pond's level is the
//! highest of its items' levels, raised in the same way by the count of its items
//! (`items.*`). The clause's text on the pond is cut short in every copy we could read after
//! the first step, so the pond's counts continue the clause's own pattern (4, 3, 2) and are the
//! county's configuration, as are the items' (`EscalationCounts`).

use super::Level;
use crate::ValidationErrors;
use serde::{Deserialize, Serialize};

/// How many at a level raise the whole one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EscalationCounts {
    /// At blue or above → yellow.
    pub to_yellow: usize,
    /// At yellow or above → orange.
    pub to_orange: usize,
    /// At orange or above → red.
    pub to_red: usize,
}

impl Default for EscalationCounts {
    /// GB 50863-2013 5.5.4: 4 blue, 3 yellow, 2 orange.
    fn default() -> Self {
        EscalationCounts {
            to_yellow: 4,
            to_orange: 3,
            to_red: 2,
        }
    }
}

/// The counts for points within an item and for items within a pond.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Escalation {
    pub points: EscalationCounts,
    pub items: EscalationCounts,
}

impl Escalation {
    /// Each count between 1 and 99 (a count of 1 makes every blue a yellow: allowed, since a
    /// county may want it, but 0 would make "nothing" a warning).
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        for (group, c) in [("points", self.points), ("items", self.items)] {
            for (f, v) in [
                ("to_yellow", c.to_yellow),
                ("to_orange", c.to_orange),
                ("to_red", c.to_red),
            ] {
                if !(1..=99).contains(&v) {
                    e.add(&format!("{group}.{f}"), "升级个数应在1至99之间");
                }
            }
        }
        e.into_result()
    }
}

/// The level of a group of levels (an item's points, or a pond's items) under `counts`.
fn escalate(levels: &[Option<Level>], counts: &EscalationCounts) -> Option<Level> {
    let at_least = |l: Level| levels.iter().filter(|x| x.is_some_and(|x| x >= l)).count();
    let mut out = levels.iter().flatten().max().copied();
    for (from, n, to) in [
        (Level::Blue, counts.to_yellow, Level::Yellow),
        (Level::Yellow, counts.to_orange, Level::Orange),
        (Level::Orange, counts.to_red, Level::Red),
    ] {
        if n > 0 && at_least(from) >= n && out.is_none_or(|o| o < to) {
            out = Some(to);
        }
    }
    out
}

/// An item's level from its points' levels.
pub fn item_level(points: &[Option<Level>], e: &Escalation) -> Option<Level> {
    escalate(points, &e.points)
}

/// A pond's level from its items' levels (each already escalated by `item_level`).
pub fn pond_level(items: &[Option<Level>], e: &Escalation) -> Option<Level> {
    escalate(items, &e.items)
}
