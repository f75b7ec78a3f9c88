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

pub use catalogue::{INTERNAL_DOC_TYPES, SERVED_DOC_TYPES, catalogue};

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

impl Source {
    /// Whether the records carry a department (a department's share can be stated).
    pub fn carries_department(&self) -> bool {
        self.department.is_some()
    }

    /// The FROM clause in the backend's dialect. A JSON list column expanded to one row per
    /// element is written as SQLite's table function, `json_each(col) j` (the element in
    /// `j.value`); PostgreSQL's is `json_array_elements(CAST(col AS json)) j`, whose rows
    /// are read the same way (`j.value ->> 'code'`).
    pub(crate) fn tables_sql(&self, dialect: crate::db::Dialect) -> std::borrow::Cow<'static, str> {
        const EACH: &str = "json_each(";
        match (dialect, self.from.find(EACH)) {
            (crate::db::Dialect::Postgres, Some(at)) => {
                let rest = &self.from[at + EACH.len()..];
                let Some(close) = rest.find(')') else {
                    return self.from.into();
                };
                format!(
                    "{}json_array_elements(CAST({} AS json)){}",
                    &self.from[..at],
                    &rest[..close],
                    &rest[close + 1..]
                )
                .into()
            }
            _ => self.from.into(),
        }
    }
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
    /// As at the period's end: records that began (`since`, a day) by the end of the period
    /// and were not closed (`closed`, a day or NULL while open) by then, whenever they
    /// began. `COALESCE(closed, '9999-12-31') > to` is one range of the hazards' "open at"
    /// indexes (migration 0024).
    OpenAt {
        since: &'static str,
        closed: &'static str,
    },
    /// A snapshot: the records as they stand.
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
        /// What a key is: `region`, `department`, `sector`, `enterprise` or
        /// `commission_item`.
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
    /// The metric whose records these are a part of (same records, same period, a narrower
    /// predicate): the share `self / part_of` is a cohort rate, never above 100 %.
    pub part_of: Option<&'static str>,
}

/// The statistical scope: which part of the county a figure covers.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct StatFilter {
    pub region_prefix: Option<String>,
    pub department_id: Option<i64>,
    pub sector: Option<String>,
    pub campaign: Option<String>,
    pub agency: Option<String>,
    /// One enterprise's records (an enterprise's own figures, e.g. the indicators of the
    /// responsibility letter it signed).
    pub enterprise_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct DrillRow {
    pub entity: String,
    pub entity_id: Option<i64>,
    /// For distinct counts: the key counted (township code, department id …).
    pub key: String,
    pub date: Option<String>,
    pub label: String,
    /// What the row contributes to the raw value (1 for counts; fen for money).
    pub amount: i64,
    /// The same contribution in the unit a record is read in ([`Metric::record_unit`]: 元
    /// for money, never 分; the figure's own unit otherwise), written exactly.
    pub stated: String,
}

impl Metric {
    /// The stated value of a raw one (fen → 万元 …), for arithmetic (scores, ratios).
    pub fn stated(&self, raw: i64) -> f64 {
        raw as f64 / self.scale as f64
    }

    /// Whether the figure is an amount of money counted in fen (元 or 万元 stated from a raw
    /// value in 分): it is stated with both decimals. (Work records kept in whole 元 are
    /// stated like any other quantity.)
    pub fn is_money(&self) -> bool {
        self.unit.ends_with('元') && self.scale > 1
    }

    /// The unit one record's contribution is stated in: money in 元 (a single fine of 150 元
    /// reads 150.00, not 0.02 万元), anything else in the figure's unit.
    pub fn record_unit(&self) -> &str {
        if self.is_money() { "元" } else { &self.unit }
    }

    /// One record's (or a sum of records') contribution in [`Metric::record_unit`].
    pub fn record_display(&self, raw: i64) -> String {
        if self.is_money() {
            exact_decimal(raw, 100, true)
        } else {
            self.display(raw, 1)
        }
    }

    /// The stated value of a raw one, further divided by `extra` (a template's `scale`),
    /// written exactly: the division is done on integers and rounded half up (四舍五入) to
    /// two decimals, never through a binary fraction (268,695,000 分 is 268.70 万元, where
    /// `268.695_f64` would print 268.69). Money keeps both decimals; other figures drop
    /// trailing zeros.
    pub fn display(&self, raw: i64, extra: i64) -> String {
        exact_decimal(
            raw,
            self.scale.saturating_mul(extra.max(1)),
            self.is_money(),
        )
    }
}

/// `raw / divisor` rounded half up (away from zero) to two decimals, as text; with `fixed`
/// always two decimals, else without trailing zeros.
pub fn exact_decimal(raw: i64, divisor: i64, fixed: bool) -> String {
    let divisor = i128::from(divisor.max(1));
    let hundredths = i128::from(raw) * 100;
    let (q, r) = (hundredths / divisor, hundredths % divisor);
    // Half up on the magnitude: 0.5 hundredth and more rounds away from zero.
    let n = if 2 * r.abs() >= divisor {
        q + hundredths.signum()
    } else {
        q
    };
    let sign = if n < 0 { "-" } else { "" };
    let (int, frac) = (n.abs() / 100, n.abs() % 100);
    if fixed {
        format!("{sign}{int}.{frac:02}")
    } else if frac == 0 {
        format!("{sign}{int}")
    } else if frac % 10 == 0 {
        format!("{sign}{int}.{}", frac / 10)
    } else {
        format!("{sign}{int}.{frac:02}")
    }
}

#[cfg(test)]
mod decimal_tests {
    use super::exact_decimal;

    /// The source report states money in 万元 (实施经济处罚***万元): summed in fen and rounded
    /// half up on the exact decimal, 268,695,000 分 is 268.70 万元 (f64 gives 268.69).
    #[test]
    fn report_2022_jing_ji_chu_fa_wan_yuan_rounds_half_up_exactly() {
        assert_eq!(exact_decimal(268_695_000, 1_000_000, true), "268.70");
        assert_ne!(format!("{:.2}", 268_695_000_f64 / 1_000_000.0), "268.70");
        assert_eq!(exact_decimal(268_694_999, 1_000_000, true), "268.69");
        assert_eq!(exact_decimal(5, 1_000_000, true), "0.00");
        assert_eq!(exact_decimal(5_000, 1_000_000, true), "0.01");
        assert_eq!(exact_decimal(123_450, 100, true), "1234.50");
        assert_eq!(exact_decimal(-250, 100, true), "-2.50");
        assert_eq!(exact_decimal(1234, 1, false), "1234");
        assert_eq!(exact_decimal(125_600, 10_000, false), "12.56");
        assert_eq!(exact_decimal(125_000, 10_000, false), "12.5");
        assert_eq!(exact_decimal(1_265, 1_000, false), "1.27");
        assert_eq!(exact_decimal(i64::MAX, 1, true), format!("{}.00", i64::MAX));
    }
}
