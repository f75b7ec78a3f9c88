//! Periods and statistical scopes of the ranking and the statistics, and the work-record
//! filter.

use super::*;

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
