//! The metric catalogue: every figure the statistics and the annual report state, with
//! its definition in words beside the query that computes it.
//!
//! A metric is one source (table and joins), one date (what puts a record in a period),
//! one predicate and one aggregate. The value query and the drill-down query are built
//! from the same FROM and WHERE, so the records a drill-down lists are exactly the ones
//! the value counts or sums; the conformance suite checks that for every metric.
//!
//! `catalogue` holds the definitions, `eval` the queries that evaluate and drill down.

mod catalogue;
mod eval;

pub use catalogue::catalogue;

use serde::Serialize;

/// Where a metric's records live and which columns carry the statistical dimensions.
#[derive(Debug)]
pub struct Source {
    pub key: &'static str,
    from: &'static str,
    /// The kind of record a drill-down row links to.
    pub entity: &'static str,
    id: &'static str,
    region: &'static str,
    /// The county column, when the table has one (lets a county's figures use the
    /// (county_code, date) indexes).
    county: Option<&'static str>,
    sector: Option<&'static str>,
    department: Option<&'static str>,
    enterprise: Option<&'static str>,
    campaign: Option<&'static str>,
    agency: Option<&'static str>,
    label: &'static str,
    /// Every date column of its metrics is indexed, alone and after the county: region
    /// ranges are then kept out of the plan (a region index over a county or a province
    /// reads every row of it), so a period's rows are found through its dates.
    dates_indexed: bool,
}

/// What puts a record in a period.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// A `YYYY-MM-DD` column within `[from, to]`.
    Day(&'static str),
    /// An integer year column within the years of `[from, to]`.
    Year(&'static str),
    /// A validity `[start, end]` overlapping `[from, to]`.
    Overlap(&'static str, &'static str),
    /// A snapshot: the records as they stand (e.g. enterprises on the register).
    Now,
}

/// How the records are aggregated.
#[derive(Debug, Clone, Copy)]
pub enum Agg {
    Count,
    /// Sum of an integer expression (in the metric's raw unit).
    Sum(&'static str),
    /// Number of distinct keys; `label` names a key `g.k`.
    Distinct {
        key: &'static str,
        label: &'static str,
        /// What a key is: `region`, `department` or `sector`.
        entity: &'static str,
    },
}

/// A parameter of a metric's own predicate.
#[derive(Debug, Clone)]
pub enum Param {
    Text(String),
    PeriodFrom,
    PeriodTo,
}

#[derive(Debug)]
pub struct Metric {
    pub id: String,
    /// Report section (一、二 …) the figure belongs to, for grouping.
    pub section: &'static str,
    pub label: String,
    pub unit: String,
    pub definition: String,
    pub source: &'static Source,
    pub when: When,
    filter: String,
    params: Vec<Param>,
    pub agg: Agg,
    /// The raw value divided by this is the stated value (fen → 万元: 1,000,000).
    pub scale: i64,
}

/// The statistical scope: which part of the county a figure covers.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct StatFilter {
    pub region_prefix: Option<String>,
    pub department_id: Option<i64>,
    pub sector: Option<String>,
    pub campaign: Option<String>,
    pub agency: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DrillRow {
    pub entity: String,
    pub entity_id: Option<i64>,
    /// For distinct counts: the key counted (township code, department id …).
    pub key: String,
    pub date: Option<String>,
    pub label: String,
    /// What the row contributes to the raw value (1 for counts).
    pub amount: i64,
}

impl Metric {
    /// The stated value of a raw one (fen → 万元 …).
    pub fn stated(&self, raw: i64) -> f64 {
        raw as f64 / self.scale as f64
    }
}
