//! Periods and statistical scopes of the ranking and the statistics, and the work-record
//! filter.

use super::*;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RankQuery {
    /// 月（2022-05）或季度（2022-Q3），默认本季度
    #[param(pattern = "^[0-9]{4}-([0-9]{2}|Q[1-4])$")]
    pub period: Option<String>,
    /// 排名对象（默认 township）
    #[param(value_type = Option<String>, pattern = "^(township|department)$")]
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
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatQuery {
    /// 统计期间（默认今年）：2022、2022-H1、2022-Q3、2022-05、2022-01-01..2022-06-30
    pub period: Option<String>,
    /// 区划代码（6、9或12位；含下级）
    #[param(pattern = "^[0-9]{6}([0-9]{3})?([0-9]{3})?$")]
    pub region: Option<String>,
    /// 部门
    #[param(value_type = Option<i64>, minimum = 1)]
    pub department: Option<String>,
    /// 行业领域
    pub sector: Option<String>,
    /// 专项行动
    pub campaign: Option<String>,
    /// 执法机关
    pub agency: Option<String>,
    /// 企业（仅该企业的记录）
    #[param(value_type = Option<i64>, minimum = 1)]
    pub enterprise: Option<String>,
    /// 明细条数（仅明细；1-100000，默认10000）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100000, default = 10000)]
    pub limit: Option<String>,
    /// 报告格式（仅报告；默认 json）
    #[param(value_type = Option<String>, pattern = "^(json|md|docx)$")]
    pub format: Option<String>,
    /// 指标代码，逗号分隔（仅数值）
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
    let enterprise_id = int_param("enterprise", &q.enterprise, 1, i64::MAX)?;
    Ok((
        period,
        StatFilter {
            region_prefix,
            department_id,
            sector: s(&q.sector),
            campaign: s(&q.campaign),
            agency: s(&q.agency),
            enterprise_id,
        },
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WorkQuery {
    /// 区划代码（6、9或12位；含下级）
    #[param(pattern = "^[0-9]{6}([0-9]{3})?([0-9]{3})?$")]
    pub region_code: Option<String>,
    /// 工作事项代码
    pub item_code: Option<String>,
    /// 分类
    pub topic: Option<String>,
    /// 部门
    #[param(value_type = Option<i64>, minimum = 1)]
    pub department_id: Option<String>,
    /// 专项行动
    pub campaign: Option<String>,
    /// 起始日期 YYYY-MM-DD
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// 截止日期 YYYY-MM-DD
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    pub after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
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
