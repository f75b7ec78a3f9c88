//! Audit trail browsing and verification.

use crate::{App, Caller, Result};
use anjian_domain::scope::Permission;
use anjian_store::audit::{AuditEntry, AuditFilter, AuditReport};

impl App {
    pub fn list_audit(&self, caller: &Caller, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        caller.require(Permission::ViewAudit)?;
        Ok(self.store.list_audit(&caller.scope, f)?)
    }

    pub fn verify_audit(&self, caller: Option<&Caller>) -> Result<AuditReport> {
        if let Some(c) = caller {
            c.require(Permission::ViewAudit)?;
        }
        Ok(self.store.verify_audit()?)
    }
}

/// Audit entries exported at most in one file (a longer range is refused: narrow it).
pub const AUDIT_EXPORT_MAX_ROWS: usize = 200_000;

impl App {
    /// The audit entries of a date range as CSV or Excel (admin), oldest first: every entry
    /// the filter selects, read page by page.
    pub fn export_audit(
        &self,
        caller: &Caller,
        f: &AuditFilter,
        format: crate::export::ExportFormat,
    ) -> Result<Vec<u8>> {
        caller.require(Permission::ViewAudit)?;
        let mut f = AuditFilter {
            limit: 1000,
            before_seq: None,
            ..f.clone()
        };
        let mut rows = Vec::new();
        loop {
            let page = self.store.list_audit(&caller.scope, &f)?;
            let Some(last) = page.last() else { break };
            f.before_seq = Some(last.seq);
            let full = page.len() as i64 == f.limit;
            for e in page {
                rows.push(vec![
                    e.seq.to_string(),
                    crate::auth::local_time(&e.at),
                    e.actor,
                    e.action,
                    e.entity,
                    e.entity_id,
                    e.region_code,
                    e.ip,
                    e.request_id,
                    e.before.unwrap_or_default(),
                    e.after.unwrap_or_default(),
                    e.hash,
                ]);
            }
            if rows.len() > AUDIT_EXPORT_MAX_ROWS {
                return Err(anjian_domain::ValidationErrors::single(
                    "from",
                    format!(
                        "所选期间的审计记录超过{AUDIT_EXPORT_MAX_ROWS}条，请缩小日期范围分批导出"
                    ),
                )
                .into());
            }
            if !full {
                break;
            }
        }
        rows.reverse();
        crate::export::render(
            format,
            "审计日志",
            &[
                "序号",
                "时间",
                "操作人",
                "操作",
                "对象",
                "对象编号",
                "区划",
                "来源地址",
                "请求编号",
                "变更前",
                "变更后",
                "哈希",
            ],
            &[
                8.0, 18.0, 14.0, 22.0, 12.0, 12.0, 14.0, 16.0, 18.0, 40.0, 40.0, 20.0,
            ],
            &rows,
        )
    }
}

impl App {
    /// Recomputes the hazard rollups from the hazards (console: `anjian rollups rebuild`).
    pub fn rebuild_rollups(&self) -> Result<Vec<anjian_store::rollups::TallyCheck>> {
        let scope = anjian_domain::Scope::system();
        Ok(self
            .store
            .rebuild_rollups(&self.system_change(&scope, "console"))?)
    }

    /// Compares every hazard rollup with a recomputation (`anjian rollups check`).
    pub fn check_rollups(&self) -> Result<Vec<anjian_store::rollups::TallyCheck>> {
        Ok(self.store.check_rollups()?)
    }
}
