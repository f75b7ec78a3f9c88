//! The audit trail's and the enterprise ledger's filters.

use super::*;

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
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AuditExportQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
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
