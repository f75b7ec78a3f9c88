//! The list (清单) of major hazards: the filter and its pages.

use super::*;

/// Filters for the major-hazard list (清单).
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<String>,
    pub open_only: bool,
    pub overdue_on: Option<NaiveDate>,
    pub year: Option<String>,
    /// Keyset: cases of hazards with an id below this (the next page).
    pub after: Option<i64>,
    pub limit: i64,
}

impl Store {
    /// The list (清单) in the caller's scope, newest first.
    /// One page of the list (清单), newest hazard first, with the cursor of the next.
    pub fn major_cases_page(
        &self,
        scope: &Scope,
        f: &CaseFilter,
    ) -> Result<crate::paging::Page<(MajorCase, Hazard)>> {
        let limit = f.limit.clamp(1, crate::paging::Keyset::MAX);
        let mut items = self.list_major_cases(
            scope,
            &CaseFilter {
                limit: limit + 1,
                ..f.clone()
            },
        )?;
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        let next = if more {
            items.last().map(|(c, _)| c.hazard_id.to_string())
        } else {
            None
        };
        Ok(crate::paging::Page { items, next })
    }

    pub fn list_major_cases(
        &self,
        scope: &Scope,
        f: &CaseFilter,
    ) -> Result<Vec<(MajorCase, Hazard)>> {
        let mut p = Vec::new();
        let mut wh = vec![scope_sql::hazard(scope, "h", &mut p)];
        if let Some(s) = f.state.as_deref().filter(|s| !s.is_empty()) {
            wh.push("c.state = ?".into());
            p.push(s.into());
        }
        if f.open_only {
            wh.push("c.state NOT IN ('closed', 'downgraded')".into());
        }
        if let Some(d) = f.overdue_on {
            // Past the deadline, unless 申请销号 was made by it (the hazard then waits on
            // 验收, not on the enterprise).
            wh.push("(c.state NOT IN ('closed', 'downgraded', 'under_determination', 'listed') AND h.deadline IS NOT NULL AND h.deadline < ? AND (h.reported_on IS NULL OR h.reported_on > h.deadline))".into());
            p.push(d.into());
        }
        if let Some(y) = f.year.as_deref().filter(|s| !s.is_empty()) {
            wh.push("c.case_no LIKE ?".into());
            p.push(format!("{y}-%").into());
        }
        if let Some(after) = f.after {
            wh.push("c.hazard_id < ?".into());
            p.push(after.into());
        }
        let sql = format!(
            "SELECT c.hazard_id FROM major_cases c JOIN hazards h ON h.id = c.hazard_id WHERE {} ORDER BY c.hazard_id DESC {}",
            wh.join(" AND "),
            crate::db::limit(f.limit.clamp(1, 5000))
        );
        self.db().read(|tx| {
            let ids: Vec<i64> = tx
                .query(&sql, &p)?
                .iter()
                .map(|r| r.i64(0))
                .collect::<Result<_>>()?;
            ids.into_iter()
                .map(|id| get_case(tx, &Scope::system(), id))
                .collect()
        })
    }
}
