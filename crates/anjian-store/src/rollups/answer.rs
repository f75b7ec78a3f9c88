//! Answering a hazard figure from the tallies, where they answer it exactly: a period of
//! whole months, a scope of counties or townships (not villages, not enterprises), and the
//! dimensions the tallies keep. Anything else is `None`, and the caller scans.

use crate::db::{Dialect, Value};
use crate::scope_sql;
use crate::stats::{Metric, StatFilter};
use anjian_domain::Scope;
use chrono::{Datelike, NaiveDate};

/// A figure's read of the tallies: the sum of `measure` over the rows of `table` that meet
/// `cond` (with `params`: the scope, grain and period) and `dims` (with `dim_params`: the
/// figure's sector, department, campaign; empty for none). Figures with the same table and
/// `cond` are read in one query, each a column with its `dims` as its FILTER.
#[derive(Debug, Clone)]
pub struct RollupAnswer {
    pub table: &'static str,
    pub measure: &'static str,
    pub cond: String,
    pub params: Vec<Value>,
    pub dims: String,
    pub dim_params: Vec<Value>,
}

impl RollupAnswer {
    /// This figure's column of a query on its table: `SUM(measure)`, filtered to its dims.
    pub fn column(&self) -> String {
        if self.dims.is_empty() {
            format!("CAST(COALESCE(SUM({}), 0) AS BIGINT)", self.measure)
        } else {
            format!(
                "CAST(COALESCE(SUM({}) FILTER (WHERE {}), 0) AS BIGINT)",
                self.measure, self.dims
            )
        }
    }

    /// The one-figure query (one row, one BIGINT) and its parameters.
    pub fn query(&self) -> (String, Vec<Value>) {
        let mut cond = self.cond.clone();
        if !self.dims.is_empty() {
            cond = format!("{cond} AND {}", self.dims);
        }
        let sql = format!(
            "SELECT CAST(COALESCE(SUM({}), 0) AS BIGINT) FROM {} WHERE {cond}",
            self.measure, self.table
        );
        let mut p = self.params.clone();
        p.extend(self.dim_params.iter().cloned());
        (sql, p)
    }
}

/// One query for figures of the same table and condition (`cond` and `params` of the
/// first): their columns in order, the columns' parameters before the condition's.
pub(crate) fn joint_query(answers: &[RollupAnswer]) -> Option<(String, Vec<Value>)> {
    let first = answers.first()?;
    let cols: Vec<String> = answers.iter().map(RollupAnswer::column).collect();
    let mut p: Vec<Value> = answers
        .iter()
        .flat_map(|a| a.dim_params.iter().cloned())
        .collect();
    p.extend(first.params.iter().cloned());
    Some((
        format!(
            "SELECT {} FROM {} WHERE {}",
            cols.join(", "),
            first.table,
            first.cond
        ),
        p,
    ))
}

/// How each hazard metric reads the tallies: the table, the measure summed, and its period
/// condition (`F`/`P`: the first and last months, `Y`: the last month's year).
enum Read {
    /// Rows whose one month key lies in `[F, P]`.
    Month(&'static str, &'static str, &'static str),
    /// Found in `[F, P]` and closed by the end of `P`.
    Cohort(&'static str),
    /// Major hazards found in `[F, P]`, still open at the end of `P`, whose deadline falls
    /// on or after the last day of `P` (not due) or before it and not reported done by it
    /// (overdue).
    MajorNotDue,
    MajorOverdue,
    /// Open and overdue at the end of `P`, whenever found: the sum of the deltas up to `P`.
    OpenOverdue,
}

fn read_of(metric_id: &str) -> Option<Read> {
    use Read::*;
    Some(match metric_id {
        "hazards.found" => Month("hz_found", "found_month", "n"),
        "hazards.found_major" => Month("hz_found", "found_month", "n_major"),
        "hazards.found_by_regulators" => Month("hz_found", "found_month", "n_reg"),
        "hazards.found_major_by_regulators" => Month("hz_found", "found_month", "n_major_reg"),
        "hazards.found_self_check" => Month("hz_found", "found_month", "n_self"),
        "hazards.closed" => Month("hz_closed", "closed_month", "n"),
        "hazards.closed_major" => Month("hz_closed", "closed_month", "n_major"),
        "hazards.closed_assigned" => Month("hz_closed", "closed_month", "n_assigned"),
        "hazards.closed_inspection" => Month("hz_closed", "closed_month", "n_inspection"),
        "hazards.funds_spent" => Month("hz_closed", "closed_month", "funds_fen"),
        "hazards.found_closed" => Cohort("n"),
        "major.closed_in_time" => Cohort("n_major_in_time"),
        "major.not_due" => MajorNotDue,
        "major.overdue" => MajorOverdue,
        "hazards.open_overdue" => OpenOverdue,
        _ => return None,
    })
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The query answering `metric` over `[from, to]` for `scope` and `f` from the tallies, or
/// `None` when they cannot answer it exactly.
pub(crate) fn answer(
    dialect: Dialect,
    metric: &Metric,
    scope: &Scope,
    f: &StatFilter,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<RollupAnswer> {
    if metric.source.key != "hazards" {
        return None;
    }
    answer_read(dialect, read_of(&metric.id)?, scope, f, from, to)
}

/// The number of hazards in `scope` in the ledger's region, sector and campaign (each
/// optional), from the found tally, where every hazard is counted once, by the month it
/// was found; `None` where the tallies cannot answer (an enterprise's scope, a village).
pub(crate) fn hazards_total(
    dialect: Dialect,
    scope: &Scope,
    region_prefix: Option<&str>,
    sector: Option<&str>,
    campaign: Option<&str>,
) -> Option<RollupAnswer> {
    let f = ledger_filter(region_prefix, sector, campaign);
    // Every month a date can have.
    let (from, to) = (
        NaiveDate::from_ymd_opt(1, 1, 1)?,
        NaiveDate::from_ymd_opt(9999, 12, 31)?,
    );
    answer_read(
        dialect,
        Read::Month("hz_found", "found_month", "n"),
        scope,
        &f,
        from,
        to,
    )
}

/// The open hazards in `scope` (the ledger's region, sector and campaign as in
/// [`hazards_total`]) not reported done by a deadline that fell in a month before
/// `month_start`'s: all of them are overdue on any day from `month_start` on. `None` where
/// the tallies cannot answer.
pub(crate) fn overdue_before_month(
    dialect: Dialect,
    scope: &Scope,
    region_prefix: Option<&str>,
    sector: Option<&str>,
    campaign: Option<&str>,
    month_start: NaiveDate,
) -> Option<RollupAnswer> {
    let f = ledger_filter(region_prefix, sector, campaign);
    answer_read(
        dialect,
        Read::Month("hz_open_due", "deadline_month", "n"),
        scope,
        &f,
        NaiveDate::from_ymd_opt(1, 1, 1)?,
        month_start.pred_opt()?,
    )
}

/// The ledger's region, sector and campaign as a figure's filter (an empty value filters
/// nothing, as in the ledger).
fn ledger_filter(
    region_prefix: Option<&str>,
    sector: Option<&str>,
    campaign: Option<&str>,
) -> StatFilter {
    let some = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(str::to_string);
    StatFilter {
        region_prefix: some(region_prefix),
        sector: some(sector),
        campaign: some(campaign),
        ..StatFilter::default()
    }
}

fn answer_read(
    dialect: Dialect,
    read: Read,
    scope: &Scope,
    f: &StatFilter,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<RollupAnswer> {
    // Whole months only: the tallies know a date's month, not its day.
    if !anjian_domain::period::is_whole_months(from, to) {
        return None;
    }
    // Enterprises and agencies are not kept; an empty campaign matches no hazard in the
    // scan (`campaign = ''` never matches NULL) but is the tallies' "none".
    if scope.enterprise_ids.is_some()
        || f.enterprise_id.is_some()
        || f.agency.is_some()
        || f.campaign.as_deref() == Some("")
    {
        return None;
    }
    let prefixes = scope
        .region_prefixes
        .iter()
        .chain(f.region_prefix.iter())
        .map(String::len)
        .max()
        .unwrap_or(0);
    // Counties and wider: `c`, or `d` for a department or campaign; townships: `t`.
    let by_department = f.department_id.is_some() || f.campaign.is_some();
    let (grain, col) = if prefixes <= 6 && !by_department {
        ("c", "county_code")
    } else if prefixes <= 6 {
        ("d", "county_code")
    } else if prefixes <= 9 {
        ("t", "township")
    } else {
        return None;
    };
    // Which index reads it (SQLite's planner, without the tallies' statistics, can take
    // either): within named counties the primary key (county, month…), over a city or a
    // province the period index (month, county…). The other's column is written
    // unindexed.
    let county_of = |p: &String| scope_sql::county_code_of(p.get(..6)?);
    let counties: Option<std::collections::BTreeSet<String>> = match &f.region_prefix {
        Some(r) if r.len() >= 6 => county_of(r).map(|c| [c].into()),
        _ => scope.region_prefixes.iter().map(county_of).collect(),
    };
    let sqlite = dialect == Dialect::Sqlite;
    let by_county = counties.is_some();
    let region_col = if sqlite && !by_county {
        dialect.unindexed(col)
    } else {
        col.to_string()
    };
    let mut p: Vec<Value> = vec![grain.into()];
    let mut cond = vec!["grain = ?".to_string()];
    if let Some(counties) = counties {
        cond.push(scope_sql::in_list(
            "county_code",
            &counties.into_iter().collect::<Vec<_>>(),
            &mut p,
        ));
    }
    cond.push(scope_sql::regions(scope, &region_col, &mut p));
    if let Some(r) = &f.region_prefix {
        cond.push(scope_sql::region_subtree(&region_col, r, &mut p));
    }
    if let Some(sectors) = &scope.sectors {
        cond.push(scope_sql::in_list("sector", sectors, &mut p));
    }
    // The figure's own dimensions: a column's FILTER when figures are read together.
    let mut dims = Vec::new();
    let mut dim_params: Vec<Value> = Vec::new();
    if let Some(s) = &f.sector {
        dims.push("sector = ?");
        dim_params.push(s.clone().into());
    }
    if let Some(d) = f.department_id {
        dims.push("department_id = ?");
        dim_params.push(d.into());
    }
    if let Some(c) = &f.campaign {
        dims.push("campaign = ?");
        dim_params.push(c.clone().into());
    }
    let (first, last) = (month(from), month(to));
    let year = format!("{:04}", to.year());
    // The first month key of each table, written unindexed where the primary key reads.
    let m = |c: &str| {
        if sqlite && by_county {
            dialect.unindexed(c)
        } else {
            c.to_string()
        }
    };
    let (table, measure) = match read {
        Read::Month(table, key, measure) => {
            let key = m(key);
            cond.push(format!("{key} >= ? AND {key} <= ?"));
            p.extend([first.into(), last.into()]);
            (table, measure)
        }
        Read::Cohort(measure) => {
            let found = m("found_month");
            cond.push(format!(
                "{found} >= ? AND {found} <= ? AND closed_month <= ?"
            ));
            p.extend([first.into(), last.clone().into(), last.into()]);
            ("hz_cohort", measure)
        }
        Read::MajorNotDue | Read::MajorOverdue => {
            // Not due: the deadline is on or after the period's last day; overdue: before
            // it, and not reported done by the deadline.
            let due = if matches!(read, Read::MajorNotDue) {
                "(deadline_month > ? OR (deadline_month = ? AND eom = 1))"
            } else {
                "late = 1 AND (deadline_month < ? OR (deadline_month = ? AND eom = 0))"
            };
            let found = m("found_month");
            cond.push(format!(
                "{found} >= ? AND {found} <= ? AND (closed_month = '' OR closed_month > ?) \
                 AND deadline_month <> '' AND {due}"
            ));
            p.extend([
                first.into(),
                last.clone().into(),
                last.clone().into(),
                last.clone().into(),
                last.into(),
            ]);
            ("hz_major", "n")
        }
        Read::OpenOverdue => {
            // The year rows before the period's year and the month rows of its year up to
            // its last month ('m' sorts before 'y'): one range of the period index from
            // ('m', January) to ('y', the year), less the month rows after the last month.
            // Written as an OR of the two ranges, SQLite read both and de-duplicated their
            // keys in a temporary index: 37 ms against 6-8 ms for a province's year.
            let span = m("span");
            cond.push(format!(
                "({span}, bucket) >= ('m', ?) AND ({span}, bucket) < ('y', ?) AND ({span} = 'y' OR bucket <= ?)"
            ));
            p.extend([
                format!("{year}-01").into(),
                year.clone().into(),
                last.into(),
            ]);
            ("hz_overdue", "delta")
        }
    };
    Some(RollupAnswer {
        table,
        measure,
        cond: cond.join(" AND "),
        params: p,
        dims: dims.join(" AND "),
        dim_params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(month(d("2022-03-31")), "2022-03");
    }
}
