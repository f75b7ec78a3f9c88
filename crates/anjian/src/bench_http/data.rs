//! The generated hazards that grow the demo county to the benchmark's size.

use super::*;

/// A small deterministic generator (xorshift) for ids and rows.
pub(super) struct Xs(pub(super) u64);

impl Xs {
    pub(super) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

pub(super) const SECTORS: [&str; 6] = [
    "fire",
    "road",
    "construction",
    "commerce",
    "industry_trade",
    "gas",
];

pub(super) const DESCRIPTIONS: [&str; 6] = [
    "疏散通道堆放杂物",
    "消防设施未定期维护保养",
    "临边洞口防护不到位",
    "燃气管道未安装泄漏报警装置",
    "特种作业人员未持证上岗",
    "安全警示标志缺失",
];

/// A generated hazard of the demo county, found between 2018 and 2022.
pub(super) fn row(rng: &mut Xs, villages: &[String]) -> BulkHazard {
    let found = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap_or_default()
        + chrono::Duration::days(rng.below(5 * 365) as i64);
    let closed = rng.below(100) < 88;
    let closed_on = found + chrono::Duration::days(3 + rng.below(40) as i64);
    BulkHazard {
        region_code: villages[rng.below(villages.len())].clone(),
        enterprise_id: None,
        sector: SECTORS[rng.below(SECTORS.len())],
        level: "general",
        source: "inspection",
        description: DESCRIPTIONS[rng.below(DESCRIPTIONS.len())].to_string(),
        found_on: found,
        deadline: found + chrono::Duration::days(30),
        status: if closed { "closed" } else { "registered" },
        funds_spent: closed.then_some(500),
        campaign: None,
        closed_on: closed.then_some(closed_on),
    }
}
