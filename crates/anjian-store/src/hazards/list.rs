//! Lists and counts of hazards: the filter, its SQL and the overdue predicate.

use super::*;
use crate::rollups::RollupAnswer;
use chrono::Datelike;
use county_pages::{
    COUNTIES_FROM, CountyPages, Take, county_page_ids, major_newest, spans_counties,
};

mod county_pages;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HazardFilter {
    pub region_prefix: Option<String>,
    pub sector: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub enterprise_id: Option<i64>,
    pub campaign: Option<String>,
    /// `Some(true)`: open with a deadline before `today`; `Some(false)`: not overdue.
    pub overdue: Option<bool>,
    pub today: NaiveDate,
    pub found_from: Option<NaiveDate>,
    pub found_to: Option<NaiveDate>,
    /// Any of these statuses (in addition to `status`).
    pub statuses: Vec<String>,
    /// Open hazards whose deadline falls within `[due_from, due_to]` (not those reported
    /// done, which wait on their review).
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    /// Hazards awaiting review whose rectification was reported on or before this day (the
    /// reviewer's list; with the latest report day whose review is past its limit, the
    /// reviews that are overdue).
    pub reported_to: Option<NaiveDate>,
    pub q: Option<String>,
    pub after: Option<i64>,
    pub limit: i64,
}

/// A hazard of alias `h` is overdue on the day bound to `?`: open past its deadline, and not
/// awaiting review after a rectification reported by the deadline (the report date is set
/// while it awaits review only, see [`Hazard::reported_on`]). Every column is in the
/// partial index `hazards_open_due` (migration 0024), so lists decide it from the index.
pub(crate) const OVERDUE: &str = "h.status <> 'closed' AND h.deadline IS NOT NULL AND h.deadline < ? AND (h.reported_on IS NULL OR h.reported_on > h.deadline)";

fn filter_sql(scope: &Scope, f: &HazardFilter, p: &mut Vec<Value>) -> String {
    filter_sql_with(scope_sql::hazard(scope, "h", p), f, p)
}

/// The filter's conditions after the scope's (already in `p`).
fn filter_sql_with(scope_cond: String, f: &HazardFilter, p: &mut Vec<Value>) -> String {
    let mut wh = vec![scope_cond];
    if let Some(prefix) = f.region_prefix.as_deref().filter(|s| !s.is_empty()) {
        wh.push(scope_sql::region_subtree("h.region_code", prefix, p));
    }
    let mut eq = |col: &str, v: &Option<String>, p: &mut Vec<Value>| {
        if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
            wh.push(format!("{col} = ?"));
            p.push(v.into());
        }
    };
    eq("h.sector", &f.sector, p);
    eq("h.level", &f.level, p);
    eq("h.status", &f.status, p);
    eq("h.source", &f.source, p);
    eq("h.campaign", &f.campaign, p);
    if let Some(e) = f.enterprise_id {
        wh.push("h.enterprise_id = ?".into());
        p.push(e.into());
    }
    match f.overdue {
        Some(true) => {
            wh.push(format!("({OVERDUE})"));
            p.push(f.today.into());
        }
        Some(false) => {
            wh.push(format!("NOT ({OVERDUE})"));
            p.push(f.today.into());
        }
        None => {}
    }
    if let Some(d) = f.found_from {
        wh.push("h.found_on >= ?".into());
        p.push(d.into());
    }
    if let Some(d) = f.found_to {
        wh.push("h.found_on <= ?".into());
        p.push(d.into());
    }
    if !f.statuses.is_empty() {
        wh.push(scope_sql::in_list("h.status", &f.statuses, p));
    }
    if let (Some(a), Some(b)) = (f.due_from, f.due_to) {
        // Reported done, a hazard waits on its review, not on its deadline.
        wh.push(
            "(h.status <> 'closed' AND h.deadline >= ? AND h.deadline <= ? AND h.reported_on IS NULL)"
                .into(),
        );
        p.push(a.into());
        p.push(b.into());
    }
    if let Some(d) = f.reported_to {
        // Awaiting review (the report date is set on open hazards only while they wait).
        wh.push("(h.status <> 'closed' AND h.reported_on <= ?)".into());
        p.push(d.into());
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped = scope_sql::like_escaped(&q.to_lowercase());
        wh.push(
            "(LOWER(h.description) LIKE ? ESCAPE '\\' OR LOWER(h.location) LIKE ? ESCAPE '\\')"
                .into(),
        );
        p.push(format!("%{escaped}%").into());
        p.push(format!("%{escaped}%").into());
    }
    wh.join(" AND ")
}

/// Whether the ledger's total under `f` is the found tally's: no filter but a region, a
/// sector and a campaign (an empty value filters nothing, as in [`filter_sql`]).
fn ledger_total_is_tallied(f: &HazardFilter) -> bool {
    let none = |v: &Option<String>| v.as_deref().is_none_or(|s| s.is_empty());
    none(&f.level)
        && none(&f.status)
        && none(&f.source)
        && f.enterprise_id.is_none()
        && f.overdue.is_none()
        && f.found_from.is_none()
        && f.found_to.is_none()
        && f.statuses.is_empty()
        && f.due_from.is_none()
        && f.due_to.is_none()
        && f.reported_to.is_none()
        && f.q.as_deref().is_none_or(|q| q.trim().is_empty())
}

/// A list by deadline or review: the to-do lists, the overdue ones.
fn by_deadline(f: &HazardFilter) -> bool {
    f.overdue == Some(true) || f.due_from.is_some() || f.due_to.is_some() || f.reported_to.is_some()
}

/// A page's length under `f` (at least 1, at most 10,000).
fn page_limit(f: &HazardFilter) -> i64 {
    f.limit.clamp(1, 10_000)
}

impl Store {
    /// Where a list under `f` looks: the counties to read one by one (`Some`, from
    /// [`Store::counties_in`]) or the whole scope at once (`None`).
    fn where_to_look(&self, scope: &Scope, f: &HazardFilter) -> Result<Option<Vec<String>>> {
        if self.lists_county_by_county(scope, f) {
            self.counties_in(scope, f).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The query for the ids of hazards in scope under `f`, at most `take.rows` of them:
    /// a page's newest first (with one past the page, which says there is more), or any
    /// of them to count; its parameters pushed to `p`; `None` when no county in scope
    /// holds a hazard. `counties` is [`Store::where_to_look`]'s answer.
    fn page_ids(
        &self,
        tx: &mut dyn crate::db::Tx,
        scope: &Scope,
        f: &HazardFilter,
        counties: Option<&[String]>,
        take: Take,
        p: &mut Vec<Value>,
    ) -> Result<Option<String>> {
        // Lists by deadline or review (the to-do lists, the overdue ones) read the open
        // hazards' partial indexes (led by the county; the major ones' by the id); a plain
        // page walks the primary key.
        let by_deadline = by_deadline(f);
        let page_cond = |p: &mut Vec<Value>| {
            let scope_cond = if by_deadline {
                scope_sql::hazard(scope, "h", p)
            } else {
                scope_sql::hazard_page(scope, "h", self.db().dialect(), p)
            };
            let mut cond = filter_sql_with(scope_cond, f, p);
            if let Some(after) = f.after {
                cond.push_str(" AND h.id < ?");
                p.push(after.into());
            }
            cond
        };
        let pages = match counties {
            Some(counties) => {
                county_page_ids(tx, self.db().dialect(), counties, f, take, p, &page_cond)?
            }
            None => CountyPages::OneQuery,
        };
        Ok(match pages {
            CountyPages::Empty => None,
            CountyPages::Ids(ids) => Some(ids),
            CountyPages::OneQuery => {
                p.clear();
                let mut cond = page_cond(p);
                let mut hint = "";
                if major_newest(f) {
                    // The partial index's condition, as a constant the planner sees when
                    // the statement is prepared (the bound level is not known then).
                    cond.push_str(" AND h.level = 'major'");
                    // Over counties, SQLite would read each county's range of the
                    // county-led indexes and sort it; the id-led index stops at the page.
                    if self.db().dialect() == crate::db::Dialect::Sqlite && spans_counties(scope, f)
                    {
                        hint = " INDEXED BY hazards_open_major";
                    }
                }
                let order = if take.newest_first {
                    " ORDER BY h.id DESC"
                } else {
                    ""
                };
                Some(format!(
                    "SELECT h.id FROM hazards h{hint} WHERE {cond}{order} {}",
                    crate::db::limit(take.rows)
                ))
            }
        })
    }

    /// One page of hazards in scope, newest first.
    pub fn list_hazards(&self, scope: &Scope, f: &HazardFilter) -> Result<Page<Hazard>> {
        let limit = page_limit(f);
        let counties = self.where_to_look(scope, f)?;
        // One statement (the ids are a subquery): no snapshot of its own is needed.
        self.db().read(|tx| {
            let mut p = Vec::new();
            let take = Take {
                rows: limit + 1,
                newest_first: true,
            };
            let Some(ids) = self.page_ids(tx, scope, f, counties.as_deref(), take, &mut p)? else {
                return Ok(Page {
                    items: Vec::new(),
                    next: None,
                });
            };
            // The page's ids first, from whichever index serves the filters (counting rows
            // off an index needs no table read), then the page's rows by primary key.
            let sql = format!(
                "SELECT {} FROM {FROM} WHERE h.id IN ({ids}) ORDER BY h.id DESC",
                cols(),
            );
            let mut items = tx
                .query(&sql, &p)?
                .into_iter()
                .map(row)
                .collect::<Result<Vec<_>>>()?;
            let more = items.len() as i64 > limit;
            items.truncate(limit as usize);
            let next = if more {
                items.last().map(|h| h.id.to_string())
            } else {
                None
            };
            Ok(Page { items, next })
        })
    }

    /// How many hazards the page under `f` holds: the length of [`Store::list_hazards`]'s
    /// page (at most `f.limit`), from ids alone, in no order: the query stops at the bound
    /// (the home page shows the to-do lists' counts, not their rows).
    pub fn count_hazards_upto(&self, scope: &Scope, f: &HazardFilter) -> Result<i64> {
        let limit = page_limit(f);
        let counties = self.where_to_look(scope, f)?;
        self.db().read(|tx| {
            let mut p = Vec::new();
            let take = Take {
                rows: limit,
                newest_first: false,
            };
            let Some(ids) = self.page_ids(tx, scope, f, counties.as_deref(), take, &mut p)? else {
                return Ok(0);
            };
            let n = tx.scalar_i64(
                &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM ({ids}) AS page"),
                &p,
            )?;
            Ok(n.min(limit))
        })
    }

    /// The number of hazards matching the filter and, of those, how many are overdue on
    /// `f.today`: one pass over the matching rows (the ledger page's two totals). The pair
    /// is kept until anything is committed (see [`crate::memo`]), on both backends: on a
    /// large county the pass reads tens of thousands of index entries per page view.
    ///
    /// Where the filter is a region, a sector or a campaign only (the ledger as it opens),
    /// the total is the found tally's sum ([`crate::rollups`]) and the pass reads the open
    /// overdue hazards only (the partial index `hazards_open_due`): a province's ledger
    /// otherwise counted ten million rows after every commit.
    pub fn count_hazards_and_overdue(&self, scope: &Scope, f: &HazardFilter) -> Result<(i64, i64)> {
        let tallied = self.ledger_total_tally(scope, f);
        let (sql, p) = match tallied {
            Some((total, Some((due, month_start)))) => {
                // Overdue: the tally's months before today's, and today's month counted
                // from the open hazards (one index range per county that has hazards, the
                // counties by a loose scan of their index).
                let (total_sql, mut p) = total.query();
                let (due_sql, due_p) = due.query();
                p.extend(due_p);
                let scope_cond = scope_sql::hazard_page(scope, "h", self.db().dialect(), &mut p);
                let cond = filter_sql_with(scope_cond, f, &mut p);
                p.push(f.today.into());
                p.push(month_start.into());
                p.push(String::new().into());
                (
                    format!(
                        "SELECT ({total_sql}), ({due_sql}) + (SELECT CAST(COUNT(*) AS BIGINT) FROM hazards h WHERE {cond} AND {OVERDUE} AND h.deadline >= ? AND h.county_code IN ({COUNTIES_FROM}))"
                    ),
                    p,
                )
            }
            Some((total, None)) => {
                let (total_sql, mut p) = total.query();
                let cond = filter_sql(scope, f, &mut p);
                p.push(f.today.into());
                (
                    format!(
                        "SELECT ({total_sql}), CAST(COUNT(*) AS BIGINT) FROM hazards h WHERE {cond} AND {OVERDUE}"
                    ),
                    p,
                )
            }
            None => {
                let mut p = vec![Value::from(f.today)];
                let cond = filter_sql(scope, f, &mut p);
                (
                    format!(
                        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(*) FILTER (WHERE {OVERDUE}) AS BIGINT) FROM hazards h WHERE {cond}"
                    ),
                    p,
                )
            }
        };
        self.ledger_totals.read(self.db(), &sql, &p, |rows| {
            let r = rows.first().ok_or(StoreError::NotFound)?;
            Ok((r.i64(0)?, r.i64(1)?))
        })
    }

    /// The found tally's query for the ledger's total under `f`, where it answers, and the
    /// open-due tally's for the hazards overdue by the start of `f.today`'s month (with
    /// that day), where it answers.
    #[allow(clippy::type_complexity)]
    fn ledger_total_tally(
        &self,
        scope: &Scope,
        f: &HazardFilter,
    ) -> Option<(RollupAnswer, Option<(RollupAnswer, NaiveDate)>)> {
        if !self.rollups_on() || !ledger_total_is_tallied(f) {
            return None;
        }
        let dialect = self.db().dialect();
        let (region, sector, campaign) = (
            f.region_prefix.as_deref(),
            f.sector.as_deref(),
            f.campaign.as_deref(),
        );
        let total = crate::rollups::hazards_total(dialect, scope, region, sector, campaign)?;
        let due = f.today.with_day(1).and_then(|month_start| {
            crate::rollups::overdue_before_month(
                dialect,
                scope,
                region,
                sector,
                campaign,
                month_start,
            )
            .map(|a| (a, month_start))
        });
        Some((total, due))
    }

    /// Whether a list under `f` is read county by county (a list by deadline or review over
    /// more than one county, but not the major hazards' overdue or review lists, which walk
    /// their own index; see [`Store::list_hazards`]).
    pub fn lists_county_by_county(&self, scope: &Scope, f: &HazardFilter) -> bool {
        by_deadline(f) && !major_newest(f) && self.county_pages_on() && spans_counties(scope, f)
    }

    /// Whether the ledger's total under `f` is read from the found tally (for tests).
    pub fn ledger_total_is_tallied(&self, scope: &Scope, f: &HazardFilter) -> bool {
        self.ledger_total_tally(scope, f).is_some()
    }

    /// Ledger totals kept by [`Store::count_hazards_and_overdue`] (for tests).
    pub fn kept_ledger_totals(&self) -> usize {
        self.ledger_totals.len()
    }

    pub fn count_hazards(&self, scope: &Scope, f: &HazardFilter) -> Result<i64> {
        let mut p = Vec::new();
        let cond = filter_sql(scope, f, &mut p);
        self.db()
            .read(|tx| tx.scalar_i64(&format!("SELECT COUNT(*) FROM hazards h WHERE {cond}"), &p))
    }
}
