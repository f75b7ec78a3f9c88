//! 双随机 draws: a documented, deterministic algorithm that anyone can re-run.
//!
//! ## Algorithm `anjian-draw-v1`
//!
//! 1. Before the draw, the operator generates a secret and publishes its commitment
//!    `hex(SHA-256(secret))` together with the inputs (pools, quotas, inspector roster,
//!    conflicts, team size). The inputs are canonical: pools and the roster are sorted
//!    ascending and de-duplicated, conflicts sorted.
//! 2. At the draw, public entropy that nobody could know at commitment time may be given
//!    (e.g. the day's lottery numbers). The seed is
//!    `SHA-256("anjian-draw-v1|" ‖ secret ‖ "|" ‖ entropy)`.
//! 3. A stream of 64-bit numbers: the k-th (k = 0, 1, …) is the first 8 bytes, big-endian,
//!    of `SHA-256(seed ‖ k as 8 bytes big-endian)`. `uniform(n)` rejects values at or
//!    above `2^64 − (2^64 mod n)` and returns `value mod n`.
//! 4. Objects: for each stratum in order, a partial Fisher–Yates shuffle of its pool:
//!    for i in 0..quota, swap position i with i + uniform(len − i); the first `quota` are drawn.
//! 5. Inspectors: for each drawn object in draw order, the roster minus the inspectors with
//!    a conflict with that object is shuffled (same stream: for i in 0..n−1, swap position
//!    i with i + uniform(n − i)),
//!    then stably sorted by how many tasks each already has; the first `team_size` form the
//!    team (reported in ascending id order).
//!
//! Re-running with the same inputs, secret and entropy gives the same tasks.
//!
//! ## Weighted by risk grade (an option of `anjian-draw-v1`)
//!
//! A draw's inputs may carry `weights`: the weight table per risk grade (and for an enterprise
//! with no grade) and the grade of each pool member, both recorded when the draw is committed.
//! Step 4 then samples without replacement by weight: for i in 0..quota, with `total` the sum
//! of the weights of positions i..len, `r = uniform(total)` and j is the first position
//! (from i) at which the running sum of weights exceeds r; swap positions i and j. Everything
//! else (seed, stream, teams) is unchanged, and inputs without `weights` serialise and draw
//! exactly as before.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

mod flow;
mod shuffle;
pub use flow::*;
pub use shuffle::run;

pub const ALGORITHM: &str = "anjian-draw-v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stratum {
    pub name: String,
    pub pool: Vec<i64>,
    pub quota: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawInputs {
    pub strata: Vec<Stratum>,
    pub inspectors: Vec<i64>,
    /// (inspector, enterprise) pairs that must never be drawn together (回避).
    pub conflicts: Vec<(i64, i64)>,
    pub team_size: usize,
    /// Weighted by risk grade (absent on unweighted draws, whose inputs stay as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<DrawWeights>,
}

/// The weights of a draw weighted by risk grade, recorded with its inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DrawWeights {
    /// The weight per grade at commitment.
    pub table: crate::risk_steering::PerGrade,
    /// The weight of a pool member with no grade.
    pub ungraded: u32,
    /// The grade of each graded pool member at commitment (absent: no grade).
    #[schema(value_type = std::collections::BTreeMap<String, crate::risk_grade::Grade>)]
    pub grades: BTreeMap<i64, crate::risk_grade::Grade>,
}

impl DrawWeights {
    /// The weight of one pool member.
    pub fn weight_of(&self, enterprise_id: i64) -> u32 {
        self.grades
            .get(&enterprise_id)
            .map_or(self.ungraded, |g| self.table.get(*g))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DrawTask {
    pub stratum: String,
    pub enterprise_id: i64,
    pub inspectors: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("每个检查对象至少需要两名执法人员")]
    TeamTooSmall,
    #[error("“{0}”的抽取数量超过名录库中的对象数（{1}）")]
    QuotaTooLarge(String, usize),
    #[error("对象 {0} 同时出现在多个类别中")]
    Overlap(i64),
    #[error("对象 {0} 回避后可派执法人员不足{1}名")]
    NotEnoughInspectors(i64, usize),
    #[error("对象 {0} 的抽取权重须为正整数")]
    ZeroWeight(i64),
}

impl DrawInputs {
    /// The canonical form: sorted, de-duplicated pools, roster and conflicts.
    pub fn canonical(mut self) -> Self {
        for s in &mut self.strata {
            s.pool.sort_unstable();
            s.pool.dedup();
        }
        self.inspectors.sort_unstable();
        self.inspectors.dedup();
        self.conflicts.sort_unstable();
        self.conflicts.dedup();
        self
    }
}

/// The published commitment to a secret.
pub fn commitment(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The draw seed from the secret and the public entropy.
pub fn seed(secret: &str, entropy: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(ALGORITHM.as_bytes());
    h.update(b"|");
    h.update(secret.as_bytes());
    h.update(b"|");
    h.update(entropy.as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests;
