//! The hazard ledger's and the 一单四制 list's filters.

use super::*;

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HazardQuery {
    /// 区划代码（6、9或12位；含下级）
    #[param(pattern = "^[0-9]{6}([0-9]{3})?([0-9]{3})?$")]
    pub region_code: Option<String>,
    /// 行业领域
    pub sector: Option<String>,
    /// 隐患等级
    #[param(value_type = Option<anjian_domain::hazard::Level>, inline)]
    pub level: Option<String>,
    /// 办理状态
    #[param(value_type = Option<anjian_domain::hazard::Status>, inline)]
    pub status: Option<String>,
    /// 隐患来源
    #[param(value_type = Option<anjian_domain::hazard::Source>, inline)]
    pub source: Option<String>,
    /// 是否逾期
    #[param(value_type = Option<bool>)]
    pub overdue: Option<String>,
    /// 专项行动
    pub campaign: Option<String>,
    /// 企业
    #[param(value_type = Option<i64>, minimum = 1)]
    pub enterprise_id: Option<String>,
    /// 发现日期起 YYYY-MM-DD
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// 发现日期止 YYYY-MM-DD
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// 关键词
    pub q: Option<String>,
    /// 每页条数（1-500，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500, default = 50)]
    pub limit: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    pub after: Option<String>,
    /// 导出格式（仅导出；默认 xlsx）
    #[param(value_type = Option<crate::query::FileFormat>, inline)]
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

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// 环节
    #[param(value_type = Option<anjian_domain::major::CaseState>, inline)]
    pub state: Option<String>,
    /// 仅未销号
    #[param(value_type = Option<bool>)]
    pub open: Option<String>,
    /// 仅逾期
    #[param(value_type = Option<bool>)]
    pub overdue: Option<String>,
    /// 年度（四位数字；其他值不筛选）
    pub year: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    pub after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
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
