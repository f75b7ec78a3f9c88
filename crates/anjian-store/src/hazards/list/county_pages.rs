//! Lists by deadline or review over more than one county, read county by county: the
//! counties from a loose scan of the county index (kept while nothing is committed), each county's page from its own index
//! range, the newest of those merged (see `docs/architecture.md`).

use super::*;

/// A list of open hazards by their overdue or review condition, not a due-date range: read
/// newest first from an index of open hazards.
pub(super) fn newest_open(f: &HazardFilter) -> bool {
    (f.overdue == Some(true) || f.reported_to.is_some())
        && !(f.due_from.is_some() && f.due_to.is_some())
}

/// Such a list of major hazards: a few in a hundred, read from their own index
/// (`hazards_open_major`, led by the id) in one query over any scope.
pub(super) fn major_newest(f: &HazardFilter) -> bool {
    newest_open(f) && f.level.as_deref() == Some("major")
}

/// More counties than this read one query over the whole scope (SQLite allows 500 terms in
/// a compound SELECT; a province has about a hundred counties).
pub(super) const MAX_COUNTY_PAGES: usize = 400;

/// Whether the scope (narrowed by the filter's region) reaches beyond one county: then a
/// list by deadline or review is read county by county.
pub(super) fn spans_counties(scope: &Scope, f: &HazardFilter) -> bool {
    let narrowed = f.region_prefix.as_deref().is_some_and(|r| r.len() >= 6);
    !narrowed && scope.region_prefixes.iter().any(|p| p.len() < 6)
}

/// The county codes that hazards carry, from the one bound to `?` on: a loose scan of the
/// county index (`hazards_county`), one index seek per county.
pub(super) const COUNTIES_FROM: &str = "WITH RECURSIVE c(code) AS (SELECT MIN(county_code) FROM hazards WHERE county_code >= ? UNION ALL SELECT (SELECT MIN(h.county_code) FROM hazards h WHERE h.county_code > c.code) FROM c WHERE c.code IS NOT NULL) SELECT code FROM c WHERE code IS NOT NULL";

impl Store {
    /// The county codes of the hazards in the scope's regions (and the filter's region), by
    /// a loose scan of the county index ([`COUNTIES_FROM`]) from the lowest region prefix
    /// on, kept while nothing is committed (see [`crate::memo`]; on a province the scan is
    /// a hundred index seeks, and a home page made two). A county is listed if any hazard
    /// carries its code; the page's own conditions still decide every row. Read before
    /// the page's own read, so that the two never hold two connections at once.
    pub(super) fn counties_in(&self, scope: &Scope, f: &HazardFilter) -> Result<Vec<String>> {
        let region = f.region_prefix.as_deref().filter(|r| !r.is_empty());
        let mut prefixes: Vec<&str> = scope.region_prefixes.iter().map(String::as_str).collect();
        prefixes.extend(region);
        let lo = prefixes.iter().copied().min().unwrap_or_default();
        let all = self
            .hazard_counties
            .read(self.db(), COUNTIES_FROM, &[lo.into()], |rows| {
                rows.iter()
                    .map(|r| r.text(0))
                    .collect::<Result<Vec<_>>>()
                    .map(std::sync::Arc::new)
            })?;
        // A county is in a prefix's region if their first min(6, len) characters agree (a
        // township's prefix is within one county).
        let within = |county: &str, prefix: &str| {
            let k = prefix.len().min(6);
            county.get(..k).is_some_and(|c| prefix.get(..k) == Some(c))
        };
        Ok(all
            .iter()
            .filter(|county| {
                scope.region_prefixes.iter().any(|p| within(county, p))
                    && region.is_none_or(|r| within(county, r))
            })
            .cloned()
            .collect())
    }
}

/// How many ids a page's query reads, and whether the newest (a page) or any (a count up
/// to a bound, which needs no sort and stops at the bound).
#[derive(Debug, Clone, Copy)]
pub(super) struct Take {
    pub(super) rows: i64,
    pub(super) newest_first: bool,
}

/// What a list read county by county reads: nothing (no county in scope has hazards), the
/// page's ids by a query (its parameters pushed), or the one query over the whole scope.
pub(super) enum CountyPages {
    Empty,
    Ids(String),
    OneQuery,
}

/// The ids of a list by deadline or review, county by county: each county's page from its
/// own index range (newest open first, or by deadline), then the newest of those; to
/// count, any `take.rows` of each county's and of the union, unsorted. Over a province
/// that is one range per county instead of every county's open hazards read and sorted.
/// `page_cond` pushes the scope's and the filter's whole condition (and the cursor's) for
/// each part, so the county list decides only where to look, never what is visible.
pub(super) fn county_page_ids(
    tx: &mut dyn crate::db::Tx,
    dialect: crate::db::Dialect,
    counties: &[String],
    f: &HazardFilter,
    take: Take,
    p: &mut Vec<Value>,
    page_cond: &dyn Fn(&mut Vec<Value>) -> String,
) -> Result<CountyPages> {
    if counties.is_empty() {
        return Ok(CountyPages::Empty);
    }
    if counties.len() > MAX_COUNTY_PAGES {
        return Ok(CountyPages::OneQuery);
    }
    if dialect == crate::db::Dialect::Postgres {
        // Planning a union of a hundred parts for its parameters takes PostgreSQL 20-40 ms
        // a run, several times what running it takes, and it kept doing so for the counts
        // (it keeps planning each run while it judges the generic plan no cheaper). Each
        // part's plan is one index range whatever the values: plan once per connection.
        // (The setting lasts the read transaction: the page's row read by id too.)
        tx.batch("SET LOCAL plan_cache_mode = force_generic_plan")?;
    }
    // SQLite's planner takes the deadline index for "deadline before today" (its
    // statistics make the range look narrow) and sorts a county's open hazards; the open
    // hazards newest first stop after the page.
    let newest = newest_open(f);
    let hint = match dialect {
        crate::db::Dialect::Sqlite if newest => " INDEXED BY hazards_open_newest",
        _ => "",
    };
    // A list by due date reads the deadline index's small range and sorts it; ordered by
    // the id as is, PostgreSQL's generic plan for the prepared statement (made after five
    // runs, not knowing the dates) walked every open hazard of each county instead (90 ms
    // against 1 ms for a province).
    let order = match (take.newest_first, newest) {
        (false, _) => "",
        (true, true) => " ORDER BY h.id DESC",
        (true, false) => " ORDER BY h.id + 0 DESC",
    };
    let limit = crate::db::limit(take.rows);
    let mut parts = Vec::with_capacity(counties.len());
    for (i, county) in counties.iter().enumerate() {
        p.push(county.as_str().into());
        let cond = page_cond(p);
        parts.push(format!(
            "SELECT id FROM (SELECT h.id FROM hazards h{hint} WHERE h.county_code = ? AND {cond}{order} {limit}) AS c{i}"
        ));
    }
    // Unsorted, the union stops after its first `rows` ids, however many counties remain.
    let order = if take.newest_first {
        " ORDER BY id DESC"
    } else {
        ""
    };
    Ok(CountyPages::Ids(format!(
        "SELECT id FROM ({}) AS u{order} {limit}",
        parts.join(" UNION ALL "),
    )))
}
