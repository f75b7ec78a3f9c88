//! Query strings of the list, filter and statistics pages, parsed once for the JSON API and
//! the HTML pages alike.

use crate::error::{ApiError, ApiResult};
use anjian_app::records::audit::AuditFilter;
use anjian_app::records::enterprises::EnterpriseFilter;
use anjian_app::records::hazards::HazardFilter;
use anjian_app::records::major::CaseFilter;
use anjian_app::records::stats::StatFilter;
use anjian_app::records::work::WorkFilter;
use anjian_domain::RegionCode;
use anjian_domain::period::Period;
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub before: Option<String>,
    pub limit: Option<String>,
}

/// Which page of a list: `after` (the cursor of the previous page's `next`) and `limit`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub after: Option<String>,
    pub limit: Option<String>,
}

/// The `after` cursor of an HTML list page (a bad one shows the first page).
pub fn after_of(q: &std::collections::BTreeMap<String, String>) -> Option<i64> {
    q.get("after").and_then(|a| a.trim().parse().ok())
}

pub fn keyset_of(after: &Option<String>, limit: &Option<String>) -> ApiResult<anjian_app::Keyset> {
    Ok(anjian_app::Keyset::after(
        int_param("after", after, 1, i64::MAX)?,
        int_param("limit", limit, 1, anjian_app::Keyset::MAX)?.unwrap_or(anjian_app::PAGE_SIZE),
    ))
}

pub fn audit_filter_of(q: &AuditQuery) -> ApiResult<AuditFilter> {
    let date = |name: &str, v: &Option<String>| -> ApiResult<Option<String>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => anjian_domain::validation::parse_date(s)
                .map(|d| Some(d.to_string()))
                .map_err(|m| {
                    crate::ApiError::field(
                        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                        "validation_failed",
                        name,
                        m,
                    )
                }),
        }
    };
    let clean = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    Ok(AuditFilter {
        entity: clean(&q.entity),
        entity_id: clean(&q.entity_id),
        actor: clean(&q.actor),
        action_prefix: clean(&q.action),
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
        before_seq: int_param("before", &q.before, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 500)?.unwrap_or(100),
    })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub region_code: Option<String>,
    pub sector: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub is_key: Option<String>,
    pub above_scale: Option<String>,
    pub department_id: Option<String>,
    pub limit: Option<String>,
    pub after: Option<String>,
    pub format: Option<String>,
}

pub fn enterprise_filter_of(q: &ListQuery) -> ApiResult<EnterpriseFilter> {
    let unprocessable = |f: &str, m: &str| {
        ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", f, m)
    };
    let region_prefix = match q
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(r) => Some(
            RegionCode::parse_loose(r)
                .map_err(|m| unprocessable("region_code", &m))?
                .subtree_prefix()
                .to_string(),
        ),
        None => None,
    };
    let status = q.status.clone().filter(|s| !s.is_empty());
    if let Some(s) = &status
        && anjian_domain::enterprise::EnterpriseStatus::parse(s).is_none()
    {
        return Err(unprocessable(
            "status",
            "应为 operating、suspended 或 closed",
        ));
    }
    Ok(EnterpriseFilter {
        region_prefix,
        sector: q.sector.clone().filter(|s| !s.is_empty()),
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        status: status
            .and_then(|s| anjian_domain::enterprise::EnterpriseStatus::parse(&s))
            .map(|s| s.as_str().to_string()),
        is_key: bool_param("is_key", &q.is_key)?,
        above_scale: bool_param("above_scale", &q.above_scale)?,
        department_id: int_param("department_id", &q.department_id, 1, i64::MAX)?,
        after: int_param("after", &q.after, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 500)?.unwrap_or(50),
    })
}

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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankQuery {
    pub period: Option<String>,
    pub by: Option<String>,
}

/// Period (default: the current quarter) and unit kind of a ranking query.
pub fn rank_of(q: &RankQuery, today: chrono::NaiveDate) -> ApiResult<(Period, String)> {
    use chrono::Datelike;
    let period = match q.period.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Period::quarter(today.year(), today.month().div_ceil(3)),
        Some(p) => Period::parse(p),
    }
    .ok_or_else(|| bad("period", "统计期间不正确（月：2022-05，季度：2022-Q3）"))?;
    let by = q.by.clone().unwrap_or_else(|| "township".into());
    if by != "township" && by != "department" {
        return Err(bad(
            "by",
            "排名对象应为 township（乡镇）或 department（部门）",
        ));
    }
    Ok((period, by))
}

/// The statistical scope and period of a query.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatQuery {
    pub period: Option<String>,
    pub region: Option<String>,
    pub department: Option<String>,
    pub sector: Option<String>,
    pub campaign: Option<String>,
    pub agency: Option<String>,
    pub limit: Option<String>,
    pub format: Option<String>,
    pub ids: Option<String>,
}

pub fn bad(field: &str, msg: impl Into<String>) -> ApiError {
    ApiError::field(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        field,
        msg,
    )
}

/// Period (default: this year) and statistical filter from a query.
pub fn stat_of(q: &StatQuery, today: chrono::NaiveDate) -> ApiResult<(Period, StatFilter)> {
    let s = |v: &Option<String>| {
        v.clone()
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
    };
    let period = match s(&q.period) {
        None => Period::year(chrono::Datelike::year(&today)),
        Some(p) => Period::parse(&p),
    }
    .ok_or_else(|| {
        bad(
            "period",
            "统计期间不正确（例：2022、2022-H1、2022-Q3、2022-05、2022-01-01..2022-06-30）",
        )
    })?;
    let region_prefix = region_param("region", &q.region)?;
    let department_id = int_param("department", &q.department, 1, i64::MAX)?;
    Ok((
        period,
        StatFilter {
            region_prefix,
            department_id,
            sector: s(&q.sector),
            campaign: s(&q.campaign),
            agency: s(&q.agency),
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkQuery {
    pub region_code: Option<String>,
    pub item_code: Option<String>,
    pub topic: Option<String>,
    pub department_id: Option<String>,
    pub campaign: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

pub fn work_filter_of(q: &WorkQuery) -> ApiResult<WorkFilter> {
    let s = |v: &Option<String>| {
        v.clone()
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
    };
    let date = |name: &str, v: &Option<String>| -> ApiResult<Option<chrono::NaiveDate>> {
        match s(v) {
            None => Ok(None),
            Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| bad(name, "日期格式应为 YYYY-MM-DD")),
        }
    };
    let region_prefix = region_param("region_code", &q.region_code)?;
    Ok(WorkFilter {
        region_prefix,
        item_code: s(&q.item_code),
        topic: s(&q.topic),
        department_id: int_param("department_id", &q.department_id, 1, i64::MAX)?,
        campaign: s(&q.campaign),
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
        after: int_param("after", &q.after, 1, i64::MAX)?,
        limit: int_param("limit", &q.limit, 1, 1000)?.unwrap_or(50),
    })
}

/// Parses an optional integer query parameter, naming it on error.
pub fn int_param(name: &str, v: &Option<String>, min: i64, max: i64) -> ApiResult<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                name,
                format!("应为 {min} 到 {max} 之间的整数"),
            )),
        },
    }
}

/// Parses an optional region-code query parameter (6, 9 or 12 digits) into the prefix of
/// its subtree, naming the parameter on error.
pub fn region_param(name: &str, v: &Option<String>) -> ApiResult<Option<String>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) => anjian_domain::RegionCode::parse_loose(r)
            .map(|c| Some(c.subtree_prefix().to_string()))
            .map_err(|m| {
                ApiError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    name,
                    m,
                )
            }),
    }
}

pub fn bool_param(name: &str, v: &Option<String>) -> ApiResult<Option<bool>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some("true" | "1" | "是") => Ok(Some(true)),
        Some("false" | "0" | "否") => Ok(Some(false)),
        Some(_) => Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            name,
            "应为 true 或 false",
        )),
    }
}
