//! The audit trail's and the enterprise ledger's filters.

use super::*;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// 对象类型
    pub entity: Option<String>,
    /// 对象编号
    pub entity_id: Option<String>,
    /// 操作人
    pub actor: Option<String>,
    /// 操作（前缀）
    pub action: Option<String>,
    /// 起始日期 YYYY-MM-DD
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// 截止日期 YYYY-MM-DD
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// 游标：上一页返回的 next（审计序号）
    #[param(value_type = Option<i64>, minimum = 1)]
    pub before: Option<String>,
    /// 条数（1-500，默认100）
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500, default = 100)]
    pub limit: Option<String>,
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

/// `GET /api/v1/audit/export` and `/audit/export`: a date range (and the list's filters) and
/// the format (`csv`, the default, or `xlsx`).
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditExportQuery {
    /// 对象类型
    pub entity: Option<String>,
    /// 对象编号
    pub entity_id: Option<String>,
    /// 操作人
    pub actor: Option<String>,
    /// 操作（前缀）
    pub action: Option<String>,
    /// 起始日期 YYYY-MM-DD
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// 截止日期 YYYY-MM-DD（不早于起始日期）
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// 导出格式（默认 csv）
    #[param(value_type = Option<crate::query::FileFormat>, inline, default = "csv")]
    pub format: Option<String>,
}

pub fn audit_export_of(
    q: &AuditExportQuery,
) -> ApiResult<(AuditFilter, anjian_app::export::ExportFormat)> {
    let format = anjian_app::export::ExportFormat::parse(q.format.as_deref().unwrap_or("csv"))
        .ok_or_else(|| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "format",
                "导出格式应为 csv 或 xlsx",
            )
        })?;
    let f = audit_filter_of(&AuditQuery {
        entity: q.entity.clone(),
        entity_id: q.entity_id.clone(),
        actor: q.actor.clone(),
        action: q.action.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        before: None,
        limit: None,
    })?;
    if let (Some(from), Some(to)) = (&f.from, &f.to)
        && from > to
    {
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "to",
            "截止日期不能早于起始日期",
        ));
    }
    Ok((f, format))
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// 区划代码（6、9或12位；含下级）
    #[param(pattern = "^[0-9]{6}([0-9]{3})?([0-9]{3})?$")]
    pub region_code: Option<String>,
    /// 行业领域代码
    pub sector: Option<String>,
    /// 名称、信用代码或地址关键词
    pub q: Option<String>,
    /// 经营状态
    #[param(value_type = Option<anjian_domain::enterprise::EnterpriseStatus>, inline)]
    pub status: Option<String>,
    /// 重点企业
    #[param(value_type = Option<bool>)]
    pub is_key: Option<String>,
    /// 规模以上
    #[param(value_type = Option<bool>)]
    pub above_scale: Option<String>,
    /// 监管部门
    #[param(value_type = Option<i64>, minimum = 1)]
    pub department_id: Option<String>,
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
