//! The letter and capability lists' query strings.

use super::*;
use anjian_app::records::capability::AssessmentFilter;
use anjian_app::records::letters::LetterFilter;
use anjian_domain::capability::{CapabilityState, Level};
use anjian_domain::letter::CounterpartKind;

/// Filters and page of the letter list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LetterQuery {
    /// 责任年度
    #[param(value_type = Option<i64>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
    /// 责任对象类型
    #[param(value_type = Option<String>, pattern = "^(township|department|enterprise)$")]
    pub kind: Option<String>,
    /// 责任对象名称或责任状名称（包含）
    pub q: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    pub after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    pub limit: Option<String>,
}

/// The letter filter and page of a query.
pub fn letter_filter_of(q: &LetterQuery) -> ApiResult<(LetterFilter, anjian_app::Keyset)> {
    let kind = match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(CounterpartKind::parse(k).ok_or_else(|| {
            bad(
                "kind",
                "责任对象类型应为 township（乡镇）、department（部门）或 enterprise（企业）",
            )
        })?),
    };
    Ok((
        LetterFilter {
            year: int_param("year", &q.year, 2000, 2100)?,
            kind,
            text: q
                .q
                .clone()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
        },
        keyset_of(&q.after, &q.limit)?,
    ))
}

/// Filters and page of the capability assessment list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CapabilityQuery {
    /// 年度
    #[param(value_type = Option<i64>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
    /// 层级
    #[param(value_type = Option<String>, pattern = "^(township|village)$")]
    pub level: Option<String>,
    /// 状态
    #[param(value_type = Option<String>, pattern = "^(draft|submitted|accepted|returned)$")]
    pub status: Option<String>,
    /// 区划代码（含下级）
    #[param(pattern = "^[0-9]{6}([0-9]{3})?([0-9]{3})?$")]
    pub region: Option<String>,
    /// 上一页返回的 next 游标
    #[param(value_type = Option<i64>, minimum = 1)]
    pub after: Option<String>,
    /// 每页条数（1-1000，默认50）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 50)]
    pub limit: Option<String>,
}

/// The assessment filter and page of a query.
pub fn capability_filter_of(
    q: &CapabilityQuery,
) -> ApiResult<(AssessmentFilter, anjian_app::Keyset)> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let level = match text(&q.level) {
        None => None,
        Some(l) => Some(
            Level::parse(&l)
                .ok_or_else(|| bad("level", "层级应为 township（乡镇）或 village（村）"))?,
        ),
    };
    let status = match text(&q.status) {
        None => None,
        Some(s) => Some(
            CapabilityState::parse(&s)
                .ok_or_else(|| bad("status", "状态应为 draft、submitted、accepted 或 returned"))?,
        ),
    };
    Ok((
        AssessmentFilter {
            year: int_param("year", &q.year, 2000, 2100)?,
            level,
            status,
            region_prefix: region_param("region", &q.region)?,
        },
        keyset_of(&q.after, &q.limit)?,
    ))
}
