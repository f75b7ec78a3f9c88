//! The hazard ledger's and the 一单四制 list's filters.

use super::*;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct HazardQuery {
    pub region_code: Option<String>,
    pub sector: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub overdue: Option<String>,
    pub campaign: Option<String>,
    pub enterprise_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub limit: Option<String>,
    pub after: Option<String>,
    pub format: Option<String>,
}

pub fn hazard_filter_of(q: &HazardQuery) -> ApiResult<HazardFilter> {
    let bad = |f: &str, m: &str| {
        ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", f, m)
    };
    let s = |v: &Option<String>| v.clone().filter(|x| !x.trim().is_empty());
    let region_prefix = region_param("region_code", &q.region_code)?;
    if let Some(l) = s(&q.level)
        && anjian_domain::hazard::Level::parse(&l).is_none()
    {
        return Err(bad("level", "应为 general 或 major"));
    }
    if let Some(st) = s(&q.status)
        && anjian_domain::hazard::Status::parse(&st).is_none()
    {
        return Err(bad(
            "status",
            "应为 registered、ordered、rectifying、reported 或 closed",
        ));
    }
    if let Some(src) = s(&q.source)
        && anjian_domain::hazard::Source::parse(&src).is_none()
    {
        return Err(bad("source", "隐患来源不正确"));
    }
    let date = |name: &str, v: &Option<String>| -> ApiResult<Option<chrono::NaiveDate>> {
        match s(v) {
            None => Ok(None),
            Some(d) => anjian_domain::validation::parse_date(&d)
                .map(Some)
                .map_err(|m| bad(name, &m)),
        }
    };
    Ok(HazardFilter {
        region_prefix,
        sector: s(&q.sector),
        level: s(&q.level)
            .and_then(|l| anjian_domain::hazard::Level::parse(&l))
            .map(|l| l.as_str().to_string()),
        status: s(&q.status),
        source: s(&q.source)
            .and_then(|x| anjian_domain::hazard::Source::parse(&x))
            .map(|x| x.as_str().to_string()),
        enterprise_id: int_param("enterprise_id", &q.enterprise_id, 1, i64::MAX)?,
        campaign: s(&q.campaign),
        overdue: bool_param("overdue", &q.overdue)?,
        found_from: date("from", &q.from)?,
        found_to: date("to", &q.to)?,
        q: s(&q.q),
        after: int_param("after", &q.after, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 500)?.unwrap_or(50),
        ..Default::default()
    })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    pub state: Option<String>,
    pub open: Option<String>,
    pub overdue: Option<String>,
    pub year: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

pub fn major_filter_of(q: &CaseQuery, today: chrono::NaiveDate) -> ApiResult<CaseFilter> {
    if let Some(s) = q.state.as_deref().filter(|s| !s.is_empty())
        && anjian_domain::major::CaseState::parse(s).is_none()
    {
        return Err(crate::ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "state",
            "清单状态不正确",
        ));
    }
    Ok(CaseFilter {
        state: q.state.clone().filter(|s| !s.is_empty()),
        open_only: bool_param("open", &q.open)?.unwrap_or(false),
        overdue_on: bool_param("overdue", &q.overdue)?
            .filter(|b| *b)
            .map(|_| today),
        year: q
            .year
            .clone()
            .filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit())),
        after: int_param("after", &q.after, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 1000)?.unwrap_or(anjian_app::PAGE_SIZE),
    })
}
