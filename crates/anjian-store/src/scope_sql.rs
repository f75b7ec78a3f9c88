//! Scope predicates as SQL, in one place: every scoped query builds its WHERE
//! clause here.

use crate::db::Value;
use anjian_domain::Scope;

/// The half-open text range `[prefix, next)` that holds every code starting with `prefix`
/// (codes are digits, so this is index-friendly on both backends).
pub(crate) fn prefix_range(prefix: &str) -> (String, Option<String>) {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1)
            && last != '9'
        {
            chars.push(next);
            return (prefix.to_string(), Some(chars.into_iter().collect()));
        }
    }
    (prefix.to_string(), None)
}

/// `col` lies in the subtree of `prefix`.
pub(crate) fn region_subtree(col: &str, prefix: &str, params: &mut Vec<Value>) -> String {
    match prefix_range(prefix) {
        (_, None) if prefix.is_empty() => "1 = 1".into(),
        (lo, None) => {
            params.push(lo.into());
            format!("{col} >= ?")
        }
        (lo, Some(hi)) => {
            params.push(lo.into());
            params.push(hi.into());
            format!("({col} >= ? AND {col} < ?)")
        }
    }
}

/// Region part of a scope: any of its prefixes.
pub(crate) fn regions(scope: &Scope, col: &str, params: &mut Vec<Value>) -> String {
    any_prefix(scope, params, |p, params| region_subtree(col, p, params))
}

/// The scope's region prefixes, each as `one(prefix)`, joined with OR; false for none.
fn any_prefix(
    scope: &Scope,
    params: &mut Vec<Value>,
    mut one: impl FnMut(&str, &mut Vec<Value>) -> String,
) -> String {
    if scope.region_prefixes.is_empty() {
        return "1 = 0".into();
    }
    let parts: Vec<String> = scope
        .region_prefixes
        .iter()
        .map(|p| one(p, params))
        .collect();
    format!("({})", parts.join(" OR "))
}

/// The `county_code` every record under a county's six-digit region prefix carries
/// (`RegionCode::county`); `None` for any other prefix.
pub(crate) fn county_code_of(prefix: &str) -> Option<String> {
    if prefix.len() != 6 {
        return None;
    }
    anjian_domain::RegionCode::parse_loose(prefix)
        .ok()
        .and_then(|c| c.county())
        .map(|c| c.as_str().to_string())
}

/// `text` with LIKE's wildcards and the escape character escaped, for `LIKE ? ESCAPE '\'`.
pub(crate) fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// `IN (...)` over values, or a false predicate for an empty list.
pub(crate) fn in_list<T: Clone + Into<Value>>(
    col: &str,
    items: &[T],
    params: &mut Vec<Value>,
) -> String {
    if items.is_empty() {
        return "1 = 0".into();
    }
    params.extend(items.iter().cloned().map(Into::into));
    format!("{col} IN ({})", crate::db::placeholders(items.len()))
}

/// The full enterprise visibility predicate for alias `e`.
pub(crate) fn enterprise(scope: &Scope, e: &str, params: &mut Vec<Value>) -> String {
    let mut parts = vec![regions(scope, &format!("{e}.region_code"), params)];
    if let Some(sectors) = &scope.sectors {
        let inner = in_list("es_scope.sector_code", sectors, params);
        parts.push(format!(
            "EXISTS (SELECT 1 FROM enterprise_sectors es_scope WHERE es_scope.enterprise_id = {e}.id AND {inner})"
        ));
    }
    if let Some(ids) = &scope.enterprise_ids {
        parts.push(in_list(&format!("{e}.id"), ids, params));
    }
    parts.join(" AND ")
}

/// The hazard visibility predicate for alias `h` (one sector and an optional enterprise per hazard).
///
/// A hazard lies at or below county level and stores its county (`county_code` is the
/// region code's first six digits followed by zeros), so a region prefix of up to six
/// digits is the same condition on `county_code`: equality for a county, a range above.
/// That lets the county indexes serve a county's or a city's lists and counts.
pub(crate) fn hazard(scope: &Scope, h: &str, params: &mut Vec<Value>) -> String {
    hazard_with(scope, h, &format!("{h}.county_code"), params)
}

/// [`hazard`] for a page of hazards newest first: over more than one county, SQLite is
/// kept off the county index (whose range there is most of the table, read and sorted
/// before the first row) and walks the primary key down instead, stopping at the page's
/// end. PostgreSQL's planner chooses that walk by itself.
pub(crate) fn hazard_page(
    scope: &Scope,
    h: &str,
    dialect: crate::db::Dialect,
    params: &mut Vec<Value>,
) -> String {
    let county = match dialect {
        crate::db::Dialect::Sqlite => dialect.unindexed(&format!("{h}.county_code")),
        crate::db::Dialect::Postgres => format!("{h}.county_code"),
    };
    hazard_with(scope, h, &county, params)
}

/// [`hazard`] with the county range on `county_col` (the column, or it unindexed).
fn hazard_with(scope: &Scope, h: &str, county_col: &str, params: &mut Vec<Value>) -> String {
    let region = any_prefix(scope, params, |p, params| {
        if let Some(county) = county_code_of(p) {
            params.push(county.into());
            format!("{h}.county_code = ?")
        } else if p.len() < 6 {
            region_subtree(county_col, p, params)
        } else {
            region_subtree(&format!("{h}.region_code"), p, params)
        }
    });
    with_sectors_and_enterprises(scope, h, region, params)
}

/// The visibility predicate for a record of table or alias `t` carrying `region_code`, one
/// `sector` and an optional `enterprise_id` (hazards, documents, transfers …).
pub(crate) fn record(scope: &Scope, t: &str, params: &mut Vec<Value>) -> String {
    let region = regions(scope, &format!("{t}.region_code"), params);
    with_sectors_and_enterprises(scope, t, region, params)
}

/// `region` (already in `params`) and the scope's sector and enterprise limits on `t`.
fn with_sectors_and_enterprises(
    scope: &Scope,
    t: &str,
    region: String,
    params: &mut Vec<Value>,
) -> String {
    let mut parts = vec![region];
    if let Some(sectors) = &scope.sectors {
        parts.push(in_list(&format!("{t}.sector"), sectors, params));
    }
    if let Some(ids) = &scope.enterprise_ids {
        parts.push(in_list(&format!("{t}.enterprise_id"), ids, params));
    }
    parts.join(" AND ")
}

/// Monitored objects and their alarms (table or alias `t` carrying `region_code` and an
/// optional `enterprise_id`): in the scope's regions; a sector-bound scope sees those of
/// enterprises in its sectors (none without an enterprise), an enterprise-bound one its own.
pub(crate) fn monitored(scope: &Scope, t: &str, params: &mut Vec<Value>) -> String {
    let mut parts = vec![regions(scope, &format!("{t}.region_code"), params)];
    if let Some(sectors) = &scope.sectors {
        let inner = in_list("es_scope.sector_code", sectors, params);
        parts.push(format!(
            "EXISTS (SELECT 1 FROM enterprise_sectors es_scope WHERE es_scope.enterprise_id = {t}.enterprise_id AND {inner})"
        ));
    }
    if let Some(ids) = &scope.enterprise_ids {
        parts.push(in_list(&format!("{t}.enterprise_id"), ids, params));
    }
    parts.join(" AND ")
}

/// Regulators' own records (draws, plans, commissions, reports): enterprise-bound scopes
/// see none; others see those in their regions.
pub(crate) fn regulator(scope: &Scope, col: &str, params: &mut Vec<Value>) -> String {
    if scope.enterprise_ids.is_some() {
        return "1 = 0".into();
    }
    regions(scope, col, params)
}

/// A county's own records (its leaders, its departments' duties) in the column `col` holding
/// the 12-digit county code: seen from the county and above, and from inside it (a township
/// sees its county's leaders and duties). Enterprise-bound scopes see none.
pub(crate) fn county_wide(scope: &Scope, col: &str, params: &mut Vec<Value>) -> String {
    if scope.enterprise_ids.is_some() {
        return "1 = 0".into();
    }
    any_prefix(scope, params, |p, params| {
        match county_code_of(p.get(..6).unwrap_or(p)) {
            Some(county) if p.len() >= 6 => {
                params.push(county.into());
                format!("{col} = ?")
            }
            _ => region_subtree(col, p, params),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_exactly_the_prefix() {
        assert_eq!(
            prefix_range("360982"),
            ("360982".into(), Some("360983".into()))
        );
        assert_eq!(
            prefix_range("3609829"),
            ("3609829".into(), Some("360983".into()))
        );
        assert_eq!(prefix_range("99"), ("99".into(), None));
        let (lo, hi) = prefix_range("360982100");
        let hi = hi.unwrap_or_default();
        for code in ["360982100000", "360982100999", "360982100200003"] {
            assert!(code >= lo.as_str() && code < hi.as_str());
        }
        for code in ["360982101000", "360982099999"] {
            assert!(!(code >= lo.as_str() && code < hi.as_str()));
        }
    }
}
